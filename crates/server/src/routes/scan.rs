//! `GET /q/{code}`: what a phone opens after scanning a poster. Records one scan, then redirects to
//! the code's target. The redirect is sent only after the scan row is committed.

use super::graphql::Peer;
use crate::App;
use crate::locale::accept_language;
use crate::pages::{self, Reader};
use crate::ui::Ui;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use frontier_domain::{Locale, QrCode, ScanOutcome, ScanSource, Slug, UnitId, device};
use frontier_store::ScanRequest;

fn no_store(mut r: Response) -> Response {
    // A cached redirect would hide repeat scans from the statistics.
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The code as it came in the path, whatever bytes it holds (`Path<String>` would refuse invalid
/// UTF-8 with a bare 400 and no record of the attempt).
fn raw_code(uri: &Uri) -> String {
    let path = uri.path();
    let rest = path.strip_prefix("/q/").or_else(|| path.strip_prefix("/Q/")).unwrap_or(path);
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    percent_encoding::percent_decode_str(rest).decode_utf8_lossy().into_owned()
}

/// A message page in the phone's language; its language switch leads home, since opening the scan
/// URL again would count another scan.
fn message(
    app: &App,
    uri: &Uri,
    headers: &HeaderMap,
    status: StatusCode,
    pick: impl Fn(&Ui) -> (&'static str, &'static str),
    contact: Option<&frontier_domain::Unit>,
) -> Response {
    no_store(pages::message(&Reader::new(app, uri.query(), headers), status, "/", pick, contact))
}

/// The store could not answer: a polite "try again", never a trace.
fn busy(app: &App, uri: &Uri, headers: &HeaderMap) -> Response {
    message(app, uri, headers, StatusCode::SERVICE_UNAVAILABLE, |ui| (ui.error_title, ui.error_text), None)
}

pub async fn scan(State(app): State<App>, Peer(peer): Peer, request: Request) -> Response {
    // The request by reference: the `HeaderMap` and `Uri` extractors would copy them on every scan.
    let (method, uri, headers) = (request.method(), request.uri(), request.headers());
    // Read as text even when a byte is not UTF-8 (`iPhone\xff` is still an iPhone).
    let user_agent = headers.get(header::USER_AGENT).map(|v| String::from_utf8_lossy(v.as_bytes()));
    let now = app.clock.now();
    let client = app.proxies.client(peer, headers);
    // A language named in the scan URL (a web frontend's link) comes before the phone's own.
    let asked = pages::lang_param(uri.query()).and_then(|l| Locale::parse(&l).ok());
    let request = ScanRequest {
        raw: raw_code(uri),
        locale: asked.clone().or_else(|| accept_language(headers).into_iter().next()),
        // A HEAD request is a link checker or a preview fetcher, whatever it claims: a bot scan.
        device: device::classify(user_agent.as_deref(), method == Method::HEAD),
        visitor: Some(app.visitors.key(now, client, user_agent.as_deref().unwrap_or_default())),
        source: ScanSource::Link,
        client_id: None,
    };
    let preferred = request.locale.clone();
    let scanned = match app.scans.record(request).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "scan could not be recorded");
            return busy(&app, uri, headers);
        }
    };
    let unit_id = scanned.event.unit_id;
    let page = |pick: fn(&Ui) -> (&'static str, &'static str), status, unit: Option<&frontier_domain::Unit>| {
        message(&app, uri, headers, status, pick, unit)
    };
    match (scanned.event.outcome, scanned.qr, scanned.target_slug) {
        (ScanOutcome::Ok, Some(qr), Some(slug)) => redirect(&app, &qr, &slug, preferred, asked.as_ref()),
        (ScanOutcome::Disabled, Some(qr), _) => {
            tracing::info!(code = %qr.code, "scan of a disabled code");
            let unit = contact_unit(&app, unit_id, &qr).await;
            page(|ui| (ui.inactive_code_title, ui.inactive_code_text), StatusCode::GONE, unit.as_ref())
        }
        (ScanOutcome::Expired, Some(qr), _) => {
            tracing::info!(code = %qr.code, "scan of an expired code");
            let unit = contact_unit(&app, unit_id, &qr).await;
            page(|ui| (ui.expired_code_title, ui.expired_code_text), StatusCode::GONE, unit.as_ref())
        }
        (ScanOutcome::TargetUnavailable, Some(qr), _) => {
            // Normal for a code hung before its article is published; the page says "not available".
            tracing::info!(code = %qr.code, "scan of a code whose target is not public now");
            let unit = contact_unit(&app, unit_id, &qr).await;
            page(|ui| (ui.not_found_title, ui.not_found_text), StatusCode::NOT_FOUND, unit.as_ref())
        }
        _ => page(|ui| (ui.unknown_code_title, ui.unknown_code_text), StatusCode::NOT_FOUND, None),
    }
}

/// The unit whose contact line a code's message page shows: the place's unit, or the nearest unit
/// above it with a hotline (a station often has none of its own), as on the code's poster.
async fn contact_unit(app: &App, unit_id: Option<UnitId>, qr: &QrCode) -> Option<frontier_domain::Unit> {
    let unit_id = match unit_id {
        Some(u) => u,
        None => app.store.places_by_ids(app.public(), vec![qr.place_id]).await.ok()?.pop()?.unit_id,
    };
    let units = app.store.units_any().await.ok()?;
    frontier_domain::answering_unit(&units, unit_id).cloned()
}

fn redirect(app: &App, qr: &QrCode, slug: &Slug, preferred: Option<Locale>, asked: Option<&Locale>) -> Response {
    let locale = preferred.map_or_else(Locale::default_locale, |l| l.primary());
    let location = app.links.scan_redirect(qr.target.kind(), slug.as_str(), &locale, &qr.code, asked);
    match HeaderValue::from_str(&location) {
        Ok(value) => no_store((StatusCode::FOUND, [(header::LOCATION, value)]).into_response()),
        Err(_) => {
            tracing::error!(%location, "redirect target is not a valid header value");
            no_store(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}
