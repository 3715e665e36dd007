//! Images over plain HTTP.
//!
//! - `POST /media?unit=SLUG&alt=…[&caption=…]` with the raw image as the body (any `Content-Type`:
//!   the type is read from the bytes) and `Authorization: Bearer …`: the same upload as GraphQL's
//!   `uploadImage`, for scripts and tools that do not speak multipart. `alt` and `caption` are the
//!   Vietnamese texts; other languages are added with `setImageTexts`. Answers `201` with the image's
//!   id and URLs, or `{"error": {"code", "message"}}`.
//! - `GET /media/{sha256}.{jpg|png}`: a stored file, cacheable forever (its name is its content).
//!
//! Any stored file is served to anyone who names it. That is deliberate: an image is public once it
//! is on a page, and a name is the SHA-256 of the file, which cannot be guessed, so listing or
//! enumerating what is stored is not possible. An image uploaded but never shown is as private as
//! its URL.

use super::graphql::viewer::{self, Refused};
use crate::App;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontier_domain::{Action, Actor, Locale, Media, MediaText, Slug, Translated, permits};
use frontier_graphql::Links;
use frontier_graphql::error::{BAD_USER_INPUT, FORBIDDEN, INTERNAL, NOT_FOUND, UNAUTHENTICATED};
use frontier_graphql::uploads::{PAYLOAD_TOO_LARGE, UploadError};
use frontier_media::{ContentHash, OutputFormat};
use frontier_store::StoreError;
use serde_json::json;

/// Stored files never change under their name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn error(status: StatusCode, code: &str, message: impl std::fmt::Display) -> Response {
    let body = json!({ "error": { "code": code, "message": message.to_string() } });
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    r
}

fn unauthenticated() -> Response {
    error(StatusCode::UNAUTHORIZED, UNAUTHENTICATED, "authentication required or failed")
}

fn unavailable(e: &StoreError) -> Response {
    tracing::error!(error = %e, "media upload: store unavailable");
    error(StatusCode::SERVICE_UNAVAILABLE, INTERNAL, "the server cannot take uploads right now, try again later")
}

/// The first value of each parameter; a repeated one is ignored rather than refused.
fn param(raw: Option<&str>, name: &str) -> Option<String> {
    url::form_urlencoded::parse(raw?.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn too_large(limit: usize) -> Response {
    let mib = limit / (1024 * 1024);
    error(StatusCode::PAYLOAD_TOO_LARGE, PAYLOAD_TOO_LARGE, format!("the file is larger than the limit of {mib} MiB"))
}

fn refused(e: UploadError) -> Response {
    match (&e, e.refusal_code()) {
        (UploadError::Refused(why), Some(code)) => {
            let status = match code {
                PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
                BAD_USER_INPUT => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            };
            error(status, code, why)
        }
        (UploadError::Store(StoreError::Invalid(v)), _) => error(StatusCode::BAD_REQUEST, BAD_USER_INPUT, v),
        (UploadError::Store(StoreError::NotFound(what)), _) => {
            error(StatusCode::NOT_FOUND, NOT_FOUND, format!("{what} not found"))
        }
        _ => {
            tracing::error!(error = %e, "media upload failed");
            error(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL, "the image could not be stored, please try again")
        }
    }
}

/// What the answer to an upload says about the new image.
fn described(links: &Links, m: &Media) -> serde_json::Value {
    let renditions: Vec<_> =
        m.files().map(|f| json!({ "width": f.width, "height": f.height, "url": links.media_url(f) })).collect();
    json!({
        "id": frontier_graphql::image_id(m.id),
        "width": m.master.width,
        "height": m.master.height,
        "url": links.media_url(&m.master),
        "srcset": m.srcset(|f| links.media_url(f)),
        "renditions": renditions,
    })
}

/// `POST /media`: checks everything that needs no body first (who, where, texts, declared size),
/// then reads at most the upload limit.
pub async fn upload(State(app): State<App>, RawQuery(raw): RawQuery, headers: HeaderMap, body: Body) -> Response {
    let viewer = match viewer::viewer(&app, &headers).await {
        Ok(v) => v,
        Err(Refused::Credentials) => return unauthenticated(),
        Err(Refused::Store(e)) => return unavailable(&e),
    };
    let Some(user) = viewer.user.clone() else {
        return match viewer.actor {
            Actor::ApiKey { .. } => error(StatusCode::FORBIDDEN, FORBIDDEN, "API keys only read published content"),
            _ => unauthenticated(),
        };
    };
    let raw = raw.as_deref();
    let Some(slug) = param(raw, "unit").and_then(|s| Slug::parse(&s).ok()) else {
        return error(StatusCode::BAD_REQUEST, BAD_USER_INPUT, "unit: give the unit's slug as ?unit=…");
    };
    let unit = match app.store.unit_by_slug_any(slug.to_string()).await {
        Ok(Some(u)) => u,
        Ok(None) => return error(StatusCode::NOT_FOUND, NOT_FOUND, format!("unit: unit `{slug}` not found")),
        Err(e) => return unavailable(&e),
    };
    if !permits(&viewer.actor, Action::Edit, unit.id, viewer.links()) {
        let message = "not allowed: your role does not allow editing content for this unit";
        return error(StatusCode::FORBIDDEN, FORBIDDEN, message);
    }
    let alt = param(raw, "alt").unwrap_or_default();
    let text = match MediaText::new(&alt, param(raw, "caption").as_deref()) {
        Ok(t) => t,
        Err(e) => return error(StatusCode::BAD_REQUEST, BAD_USER_INPUT, e),
    };
    let texts = Translated::new([(Locale::default_locale(), text)]);

    let limit = app.uploads.max_upload_bytes();
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(limit);
    }
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) if e.to_string().contains("length limit exceeded") => return too_large(limit),
        Err(_) => return error(StatusCode::BAD_REQUEST, BAD_USER_INPUT, "the request body could not be read"),
    };
    match app.uploads.ingest(&app.store, bytes, unit.id, texts, &user).await {
        Ok(media) => {
            let mut r = (StatusCode::CREATED, axum::Json(described(&app.links, &media))).into_response();
            if let Ok(location) = HeaderValue::from_str(&app.links.media_url(&media.master)) {
                r.headers_mut().insert(header::LOCATION, location);
            }
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => refused(e),
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], "no such image\n").into_response()
}

/// `GET /media/{sha256}.{jpg|png}`: only a well-formed hash becomes a path, so nothing outside the
/// media folder can be named.
pub async fn file(State(app): State<App>, name: Result<Path<String>, PathRejection>, headers: HeaderMap) -> Response {
    let Ok(Path(name)) = name else { return not_found() };
    let Some((hash, extension)) = name.split_once('.') else { return not_found() };
    let (Ok(hash), Some(format)) = (ContentHash::parse(hash), OutputFormat::from_extension(extension)) else {
        return not_found();
    };
    let path = app.uploads.files().path_of(&hash, format);
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, path = %path.display(), "media file could not be opened");
            return (StatusCode::INTERNAL_SERVER_ERROR, "image could not be read\n").into_response();
        }
    };
    let etag = format!("\"{hash}\"");
    let mut r = if crate::http_cache::matches(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let length = file.metadata().await.map(|m| m.len()).ok();
        let mut r = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
        let h = r.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.mime()));
        if let Some(n) = length {
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
        }
        r
    };
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}
