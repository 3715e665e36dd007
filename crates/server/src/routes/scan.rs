//! `GET /q/{code}`: what a phone opens after scanning a poster. Records one scan, then redirects to
//! the code's target. The redirect is sent only after the scan row is committed.

use crate::App;
use crate::locale::accept_language;
use crate::pages::{self, Reader};
use crate::ui::Ui;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use frontier_domain::{Locale, QrCode, QrCodeValue, QrTarget, ScanOutcome, Slug, UnitId};
use frontier_store::{Audience, Store, StoreError};

/// The slug of what a target points at, or `None` when it no longer exists.
/// A target readers may not see yet (a draft, an expired article) counts as missing: its slug is not
/// revealed.
async fn target_slug(store: &Store, public: Audience, target: QrTarget) -> Result<Option<Slug>, StoreError> {
    Ok(match target {
        QrTarget::Article(id) => store.articles_by_ids(public.clone(), vec![id]).await?.pop().map(|a| a.slug),
        QrTarget::Category(id) => store.categories_by_ids(public.clone(), vec![id]).await?.pop().map(|c| c.slug),
        QrTarget::Place(id) => store.places_by_ids(public.clone(), vec![id]).await?.pop().map(|p| p.slug),
        QrTarget::Unit(id) => store.units_by_ids(public.clone(), vec![id]).await?.pop().map(|u| u.slug),
    })
}

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

pub async fn scan(State(app): State<App>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let raw = raw_code(&uri);
    let preferred = accept_language(&headers).into_iter().next();
    // A HEAD request is a link checker or a preview fetcher, not a person: answer it the same way,
    // record nothing.
    let looked_up = if method == Method::HEAD {
        match QrCodeValue::parse(&raw) {
            Ok(code) => app.store.qr_code_by_code_any(code).await.map(|qr| {
                let outcome = match &qr {
                    None => ScanOutcome::UnknownCode,
                    Some(q) if !q.active => ScanOutcome::Inactive,
                    Some(_) => ScanOutcome::Ok,
                };
                (outcome, None, qr)
            }),
            Err(_) => Ok((ScanOutcome::UnknownCode, None, None)),
        }
    } else {
        app.store.record_scan(raw, preferred.clone()).await.map(|(event, qr)| (event.outcome, event.unit_id, qr))
    };
    let (outcome, unit_id, qr) = match looked_up {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "scan could not be recorded");
            return busy(&app, &uri, &headers);
        }
    };
    match (outcome, qr) {
        (ScanOutcome::Ok, Some(qr)) => redirect(&app, &qr, preferred, &uri, &headers).await,
        (ScanOutcome::Inactive, Some(qr)) => {
            tracing::info!(code = %qr.code, "scan of an inactive code");
            let unit = contact_unit(&app, unit_id, &qr).await;
            let pick = |ui: &Ui| (ui.inactive_code_title, ui.inactive_code_text);
            message(&app, &uri, &headers, StatusCode::GONE, pick, unit.as_ref())
        }
        _ => message(
            &app,
            &uri,
            &headers,
            StatusCode::NOT_FOUND,
            |ui| (ui.unknown_code_title, ui.unknown_code_text),
            None,
        ),
    }
}

/// The unit whose contact line an inactive code's page shows: the place's unit.
async fn contact_unit(app: &App, unit_id: Option<UnitId>, qr: &QrCode) -> Option<frontier_domain::Unit> {
    let unit_id = match unit_id {
        Some(u) => u,
        None => app.store.places_by_ids(app.public(), vec![qr.place_id]).await.ok()?.pop()?.unit_id,
    };
    app.store.units_by_ids(app.public(), vec![unit_id]).await.ok()?.pop()
}

async fn redirect(app: &App, qr: &QrCode, preferred: Option<Locale>, uri: &Uri, headers: &HeaderMap) -> Response {
    let slug = match target_slug(&app.store, app.public(), qr.target).await {
        Ok(Some(slug)) => slug,
        Ok(None) => {
            tracing::warn!(code = %qr.code, "code points at a target that no longer exists");
            return message(
                app,
                uri,
                headers,
                StatusCode::NOT_FOUND,
                |ui| (ui.not_found_title, ui.not_found_text),
                None,
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "scan target could not be loaded");
            return busy(app, uri, headers);
        }
    };
    let locale = preferred.map_or_else(Locale::default_locale, |l| l.primary());
    let location = app.links.scan_redirect(qr.target.kind(), slug.as_str(), &locale, &qr.code);
    match HeaderValue::from_str(&location) {
        Ok(value) => no_store((StatusCode::FOUND, [(header::LOCATION, value)]).into_response()),
        Err(_) => {
            tracing::error!(%location, "redirect target is not a valid header value");
            no_store(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}
