//! End-to-end tests: the real `frontier` binary, a throwaway database (SQLite, and PostgreSQL when
//! `FRONTIER_TEST_POSTGRES_URL` is set), and plain HTTP — what a phone, a browser or a GraphQL client
//! would do.

mod harness;

mod accounts;
mod bad_input;
mod cli;
mod durability;
mod editing;
mod editorial_flow;
mod graphql_api;
mod graphql_http;
mod live_feed;
mod media;
mod pages;
mod printing;
mod qr_images;
mod scan_rules;
mod scans;
mod serving;
mod stats;
mod tools;

/// Facts of the demo content that the tests rely on, read from the content files themselves.
pub mod demo {
    use frontier_demo::DemoContent;
    use std::collections::HashSet;
    use std::sync::OnceLock;

    pub fn content() -> &'static DemoContent {
        static CONTENT: OnceLock<DemoContent> = OnceLock::new();
        CONTENT.get_or_init(|| frontier_demo::load().expect("demo content"))
    }

    /// A cultural house whose code opens its own place page.
    pub const HOUSE_CODE: &str = "K4PVHZ";
    pub const HOUSE_SLUG: &str = "nha-van-hoa-thon-na-pan";
    pub const LAW_ARTICLE: &str = "luat-bien-phong-viet-nam-2020";

    /// Slugs of a unit and every unit below it, from the demo content.
    pub fn unit_subtree(root: &str) -> HashSet<String> {
        let mut out = HashSet::from([root.to_owned()]);
        loop {
            let before = out.len();
            for u in &content().units {
                if u.parent.as_ref().is_some_and(|p| out.contains(p.as_str())) {
                    out.insert(u.slug.to_string());
                }
            }
            if out.len() == before {
                return out;
            }
        }
    }
}
