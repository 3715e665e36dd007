//! `GET /qr/{code}.png` and `.svg`: the symbol of a code that exists, encoding its scan URL.

use crate::App;
use crate::qr_image::{self, DEFAULT_SIZE, MAX_SIZE, MIN_SIZE};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontier_domain::QrCodeValue;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ImageQuery {
    size: Option<String>,
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], text).into_response()
}

pub async fn image(
    State(app): State<App>,
    file: Result<Path<String>, PathRejection>,
    Query(q): Query<ImageQuery>,
) -> Response {
    let Ok(Path(file)) = file else { return plain(StatusCode::NOT_FOUND, "no such image\n") };
    let Some((code, ext)) = file.rsplit_once('.') else { return plain(StatusCode::NOT_FOUND, "no such image\n") };
    let ext = ext.to_ascii_lowercase();
    if ext != "png" && ext != "svg" {
        return plain(StatusCode::NOT_FOUND, "images are .png or .svg\n");
    }
    let size = match q.size.as_deref().map(str::parse::<u32>) {
        None => DEFAULT_SIZE,
        Some(Ok(s)) if (MIN_SIZE..=MAX_SIZE).contains(&s) => s,
        Some(_) => return plain(StatusCode::BAD_REQUEST, "size must be a number of pixels from 64 to 4096\n"),
    };
    let Ok(code) = QrCodeValue::parse(code) else { return plain(StatusCode::NOT_FOUND, "no such QR code\n") };
    match app.store.qr_code_by_code_any(code.clone()).await {
        Ok(Some(_)) => {}
        Ok(None) => return plain(StatusCode::NOT_FOUND, "no such QR code\n"),
        Err(e) => {
            tracing::error!(error = %e, "QR image: store unavailable");
            return plain(StatusCode::SERVICE_UNAVAILABLE, "try again later\n");
        }
    }
    let url = app.links.scan_url(&code);
    // Drawing a large symbol is CPU work: keep it off the async workers.
    let rendered = tokio::task::spawn_blocking(move || match ext.as_str() {
        "png" => qr_image::png(&url, size).map(|b| ("image/png", b)),
        _ => qr_image::svg(&url, size).map(|s| ("image/svg+xml", s.into_bytes())),
    })
    .await;
    match rendered {
        Ok(Ok((mime, bytes))) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
            r
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "QR image could not be drawn");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "image could not be drawn\n")
        }
        Err(e) => {
            tracing::error!(error = %e, "QR image task failed");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "image could not be drawn\n")
        }
    }
}
