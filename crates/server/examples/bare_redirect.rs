//! The baseline of `bench/scans.sh`: the least an axum server can do for `GET /q/{code}` — a fixed
//! 302 with `Cache-Control: no-store`, no database, no logging. The scan path is measured against it
//! in the same run on the same machine.
//!
//! `cargo run --release -p frontier-server --example bare_redirect -- 127.0.0.1:18556`

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

// The same allocator as `frontier`, so that the two differ only in what they do per request.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn redirect() -> impl IntoResponse {
    (StatusCode::FOUND, [(header::LOCATION, "http://127.0.0.1/p/nha-van-hoa"), (header::CACHE_CONTROL, "no-store")])
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:18556".to_owned());
    let app = Router::new().route("/q/{code}", get(redirect));
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("bare redirect listening on {bind}");
    axum::serve(listener, app).await
}
