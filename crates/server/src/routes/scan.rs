//! `GET /q/{code}`: what a phone opens after scanning a poster. Records one scan, then redirects to
//! the code's target. The redirect is sent only after the scan row is committed.

use crate::App;
use crate::locale::accept_language;
use crate::pages;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontier_domain::{Locale, QrCode, QrTarget, QrTargetKind, ScanOutcome, Slug};
use frontier_store::{Store, StoreError};

/// The slug of what a target points at, or `None` when it no longer exists.
async fn target_slug(store: &Store, target: QrTarget) -> Result<Option<Slug>, StoreError> {
    Ok(match target {
        QrTarget::Article(id) => store.articles_by_ids(vec![id]).await?.pop().map(|a| a.slug),
        QrTarget::Category(id) => store.categories_by_ids(vec![id]).await?.pop().map(|c| c.slug),
        QrTarget::Place(id) => store.places_by_ids(vec![id]).await?.pop().map(|p| p.slug),
        QrTarget::Unit(id) => store.units_by_ids(vec![id]).await?.pop().map(|u| u.slug),
    })
}

fn no_store(mut r: Response) -> Response {
    // A cached redirect would hide repeat scans from the statistics.
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub async fn scan(State(app): State<App>, Path(raw): Path<String>, headers: HeaderMap) -> Response {
    let locales = accept_language(&headers);
    let preferred = locales.first().cloned();
    let (event, qr) = match app.store.record_scan(raw, preferred.clone()).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "scan could not be recorded");
            return no_store(pages::message(
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                &headers,
                |ui| (ui.error_title, ui.error_text),
                None,
            ));
        }
    };
    match (event.outcome, qr) {
        (ScanOutcome::Ok, Some(qr)) => redirect(&app, &qr, preferred, &headers).await,
        (ScanOutcome::Inactive, Some(qr)) => {
            let unit = match event.unit_id {
                Some(u) => app.store.units_by_ids(vec![u]).await.ok().and_then(|mut v| v.pop()),
                None => None,
            };
            tracing::info!(code = %qr.code, "scan of an inactive code");
            no_store(pages::message(
                StatusCode::GONE,
                None,
                &headers,
                |ui| (ui.inactive_code_title, ui.inactive_code_text),
                unit.as_ref(),
            ))
        }
        _ => no_store(pages::message(
            StatusCode::NOT_FOUND,
            None,
            &headers,
            |ui| (ui.unknown_code_title, ui.unknown_code_text),
            None,
        )),
    }
}

async fn redirect(app: &App, qr: &QrCode, preferred: Option<Locale>, headers: &HeaderMap) -> Response {
    let kind: QrTargetKind = qr.target.kind();
    let slug = match target_slug(&app.store, qr.target).await {
        Ok(Some(slug)) => slug,
        Ok(None) => {
            tracing::warn!(code = %qr.code, "code points at a target that no longer exists");
            return no_store(pages::message(
                StatusCode::NOT_FOUND,
                None,
                headers,
                |ui| (ui.not_found_title, ui.not_found_text),
                None,
            ));
        }
        Err(e) => {
            tracing::error!(error = %e, "scan target could not be loaded");
            return no_store(pages::message(
                StatusCode::SERVICE_UNAVAILABLE,
                None,
                headers,
                |ui| (ui.error_title, ui.error_text),
                None,
            ));
        }
    };
    let locale = preferred.map_or_else(Locale::default_locale, |l| l.primary());
    let location = app.links.scan_redirect(kind, slug.as_str(), &locale, &qr.code);
    match HeaderValue::from_str(&location) {
        Ok(value) => no_store((StatusCode::FOUND, [(header::LOCATION, value)]).into_response()),
        Err(_) => {
            tracing::error!(%location, "redirect target is not a valid header value");
            no_store(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
    }
}
