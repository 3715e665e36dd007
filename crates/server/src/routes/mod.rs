//! The HTTP surface: which path goes to which handler, and the layers around them.

mod graphql;
mod media;
mod print;
mod qr;
mod qr_query;
mod scan;
mod stats;

use crate::{App, health, pages};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use std::convert::Infallible;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// GraphQL requests are small JSON documents; anything bigger is refused before it is read. Only
/// `/graphql` and `POST /media` read a body (every other route is `GET` and ignores it); multipart
/// uploads to `/graphql` and `POST /media` have the upload limit instead (`FRONTIER_MAX_UPLOAD_MB`).
const MAX_BODY: usize = 256 * 1024;

pub fn router(app: App) -> Router {
    Router::new()
        .route(
            "/graphql",
            get(graphql::execute)
                .post(graphql::execute)
                .fallback(graphql::method_not_allowed)
                // A websocket upgrade (subscriptions) is answered before the HTTP handler.
                .layer(axum::middleware::from_fn_with_state(app.clone(), graphql::ws::upgrade))
                .layer(axum::middleware::from_fn_with_state(app.clone(), graphql::multipart::body_limit))
                .layer::<_, Infallible>(axum::middleware::map_response(graphql::coded_rejections))
                .layer(graphql::cors()),
        )
        .route("/graphiql", get(graphql::graphiql::page))
        .route("/graphiql/assets/{file}", get(graphql::graphiql::asset))
        .route("/q/{code}", get(scan::scan))
        .route("/q/{code}/", get(scan::scan))
        .route("/Q/{code}", get(scan::scan))
        .route("/Q/{code}/", get(scan::scan))
        .route("/qr/{file}", get(qr::image))
        .route("/qr/{code}/{file}", get(print::poster))
        .route("/units/{slug}/qr-sheet.pdf", get(print::sheet))
        .route("/stats/{unit}/{file}", get(stats::file))
        .route("/media", post(media::upload).layer(graphql::cors()))
        .route("/media/{file}", get(media::file))
        .route("/", get(pages::home))
        .route("/a/{slug}", get(pages::article))
        .route("/preview/{token}", get(pages::preview))
        .route("/c/{slug}", get(pages::category))
        .route("/p/{slug}", get(pages::place))
        .route("/u/{slug}", get(pages::unit))
        .route("/healthz", get(health::healthz))
        .fallback(pages::fallback)
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}
