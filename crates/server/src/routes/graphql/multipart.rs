//! Multipart requests (`uploadImage`) on `/graphql`, with limits of their own.
//!
//! async-graphql-axum's `GraphQLRequest` reads a multipart body with `MultipartOptions::default()`:
//! no size limit at all, whatever axum's `DefaultBodyLimit` says. Here multipart bodies are read
//! with our options instead, and the body limit depends on the request: a JSON request keeps the small
//! one, a multipart request may carry one upload and its operations.

use crate::App;
use crate::routes::MAX_BODY;
use async_graphql::futures_util::TryStreamExt;
use async_graphql::http::{MultipartOptions, receive_body};
use async_graphql_axum::GraphQLRequest;
use async_graphql_axum::rejection::GraphQLRejection;
use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::{Layer, ServiceExt};
use tower_http::limit::RequestBodyLimitLayer;

/// Room for the `operations` and `map` parts and the multipart framing around the file.
const OPERATIONS_ROOM: usize = 1024 * 1024;

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// The largest multipart body accepted: one upload at the limit, and its operations.
fn multipart_limit(app: &App) -> usize {
    app.uploads.max_upload_bytes().saturating_add(OPERATIONS_ROOM)
}

/// The body limit of `/graphql`, chosen per request: 256 KiB for JSON, the upload limit plus room for
/// the operations for multipart. A declared `Content-Length` over it is refused before anything is
/// read; a body that grows past it while streaming ends in an error the handler answers with 413.
pub async fn body_limit(State(app): State<App>, request: Request, next: Next) -> Response {
    let limit = if is_multipart(request.headers()) { multipart_limit(&app) } else { MAX_BODY };
    let limited = RequestBodyLimitLayer::new(limit).layer(next.map_request(|r: Request<_>| r.map(Body::new)));
    match limited.oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    }
}

/// The GraphQL request of a `/graphql` call: multipart bodies read with our limits, everything else
/// as async-graphql-axum reads it.
pub struct Operation(pub async_graphql::Request);

impl FromRequest<App> for Operation {
    type Rejection = GraphQLRejection;

    async fn from_request(request: Request, app: &App) -> Result<Self, Self::Rejection> {
        if request.method() != Method::POST || !is_multipart(request.headers()) {
            let r = GraphQLRequest::<GraphQLRejection>::from_request(request, app).await?;
            return Ok(Self(r.into_inner()));
        }
        let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body =
            request.into_body().into_data_stream().map_err(|e| std::io::Error::other(e.to_string())).into_async_read();
        // async-graphql 7.2 uses `max_num_files` only to cap the whole stream at
        // `max_file_size × max_num_files` (it does not count files). 2 lets a file at the limit pass with
        // its operations; the body limit above (upload + 1 MiB) is the real cap on the total.
        let options = MultipartOptions::default().max_file_size(app.uploads.max_upload_bytes()).max_num_files(2);
        receive_body(content_type, body, options).await.map(Self).map_err(GraphQLRejection)
    }
}
