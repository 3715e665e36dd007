//! End-to-end tests: the real `frontier` binary, a throwaway database (SQLite, and PostgreSQL when
//! `FRONTIER_TEST_POSTGRES_URL` is set), and plain HTTP — what a phone, a browser or a GraphQL client
//! would do.

mod harness;

mod bad_input;
mod cli;
mod editorial_flow;
mod graphql_api;
mod graphql_http;
mod media;
mod pages;
mod qr_images;
mod scans;
mod serving;

/// Facts of the demo content that the tests rely on, read from the content files themselves.
pub mod demo {
    use frontier_demo::DemoContent;
    use std::sync::OnceLock;

    pub fn content() -> &'static DemoContent {
        static CONTENT: OnceLock<DemoContent> = OnceLock::new();
        CONTENT.get_or_init(|| frontier_demo::load().expect("demo content"))
    }

    /// A cultural house whose code opens its own place page.
    pub const HOUSE_CODE: &str = "K4PVHZ";
    pub const HOUSE_SLUG: &str = "nha-van-hoa-thon-na-pan";
    pub const LAW_ARTICLE: &str = "luat-bien-phong-viet-nam-2020";
}
