//! Printed matter: `GET /qr/{code}/poster.svg|pdf?paper=a4|a5` and `GET /units/{slug}/qr-sheet.pdf`.
//! This module gathers what to print from the store; `frontier-print` lays it out and writes it.

use super::qr::{draw, known_code, plain, unavailable};
use crate::App;
use crate::http_cache;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use frontier_domain::{Locale, NamedText, QrCodeValue, ScanOutcome, Translated, Unit, UnitId};
use frontier_print::{Document, Label, Paper, Poster};
use frontier_store::{PlaceQuery, StoreError};

/// Content changes (a renamed place, a new hotline) must show at once: caches revalidate every
/// time, and the ETag over the bytes turns an unchanged poster into a 304.
const CACHE: &str = "public, no-cache";

fn vi_name(texts: &Translated<NamedText>) -> String {
    let vi = Locale::default_locale();
    texts.get(&vi).or_else(|| texts.iter().next().map(|(_, t)| t)).map(|t| t.name.clone()).unwrap_or_default()
}

async fn poster_of(app: &App, code: QrCodeValue) -> Result<Option<Poster>, StoreError> {
    let Some(qr) = app.store.qr_code_by_code_any(code.clone()).await? else { return Ok(None) };
    let Some(place) = app.store.place_for_editing(qr.place_id).await? else { return Ok(None) };
    let units = app.store.units_any().await?;
    let answering = frontier_domain::answering_unit(&units, place.unit_id);
    let unit_name = answering.map(|u| vi_name(&u.texts)).unwrap_or_default();
    let hotline = answering.and_then(Unit::hotline).map(str::to_owned);
    Ok(Some(Poster {
        code: code.to_string(),
        symbol_text: app.links.scan_url(&code),
        typed_url: app.links.typed_scan_url(&code),
        place_names: place.texts.iter().map(|(l, t)| (l.to_string(), t.name.clone())).collect(),
        unit_name,
        hotline,
    }))
}

/// Lays out and writes off the async workers, then answers with an ETag over the bytes.
async fn deliver(
    headers: &HeaderMap,
    mime: &'static str,
    make: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static,
) -> Response {
    match draw(make).await {
        Ok(bytes) => {
            let etag = http_cache::etag(&[mime.as_bytes(), &bytes]);
            http_cache::respond(headers, &etag, CACHE, mime, || bytes)
        }
        Err(response) => response,
    }
}

fn paper(raw: Option<&str>) -> Result<Paper, String> {
    let mut paper = None;
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if key == "paper" && paper.replace(value.into_owned()).is_some() {
            return Err("paper is given more than once".into());
        }
    }
    match paper {
        None => Ok(Paper::default()),
        Some(p) => Paper::parse(&p).ok_or_else(|| "paper must be a4 or a5".into()),
    }
}

pub async fn poster(
    State(app): State<App>,
    path: Result<Path<(String, String)>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Ok(Path((code, file))) = path else { return plain(StatusCode::NOT_FOUND, "no such poster\n") };
    let pdf = match file.as_str() {
        "poster.pdf" => true,
        "poster.svg" => false,
        _ => return plain(StatusCode::NOT_FOUND, "posters are poster.pdf or poster.svg\n"),
    };
    let paper = match paper(raw.as_deref()) {
        Ok(p) => p,
        Err(message) => return plain(StatusCode::BAD_REQUEST, format!("{message}\n")),
    };
    let code = match known_code(&app, &code).await {
        Ok(code) => code,
        Err(response) => return response,
    };
    let content = match poster_of(&app, code).await {
        Ok(Some(p)) => p,
        Ok(None) => return plain(StatusCode::NOT_FOUND, "no such QR code\n"),
        Err(e) => return unavailable(&e),
    };
    let languages = app.poster_languages.clone();
    let mime = if pdf { "application/pdf" } else { "image/svg+xml" };
    deliver(&headers, mime, move || {
        let doc = frontier_print::poster(&content, &languages, paper).map_err(|e| e.to_string())?;
        write(&doc, pdf)
    })
    .await
}

fn write(doc: &Document, pdf: bool) -> Result<Vec<u8>, String> {
    if pdf {
        frontier_print::pdf::write(doc).map_err(|e| e.to_string())
    } else {
        Ok(frontier_print::svg::page(doc).into_bytes())
    }
}

/// The labels of a unit and every unit below it: active codes that are not archived nor past their
/// date, in places and units that are not archived — what a scan opens today. Disabled and expired
/// codes are left out (a label stuck up on the tour would only show "no longer in use" or
/// "expired"); print one on its own poster if needed. Grouped by unit (in the order of the chain of
/// command), then place, then code.
async fn labels_of(app: &App, root: &Unit) -> Result<Vec<Label>, StoreError> {
    let tree = app.store.unit_links().await?;
    let order = frontier_domain::tree::subtree(&tree, root.id);
    let mut places = Vec::new();
    let mut after = None;
    loop {
        let query = PlaceQuery { unit: Some(root.id), kind: None, after: after.clone(), first: 100 };
        let page = app.store.places(app.public(), query).await?;
        after = page.items.last().map(|p| p.slug.clone());
        places.extend(page.items);
        if !page.has_next {
            break;
        }
    }
    let rank = |unit: UnitId| order.iter().position(|u| *u == unit).unwrap_or(usize::MAX);
    places.sort_by(|a, b| (rank(a.unit_id), a.slug.as_str()).cmp(&(rank(b.unit_id), b.slug.as_str())));
    let codes = app.store.qr_codes_by_places(app.public(), places.iter().map(|p| p.id).collect()).await?;
    let now = app.clock.now();
    let mut labels = Vec::new();
    for place in &places {
        let mut here: Vec<_> =
            codes.iter().filter(|q| q.place_id == place.id && q.scan_outcome(now, false) == ScanOutcome::Ok).collect();
        here.sort_by(|a, b| a.code.cmp(&b.code));
        for q in here {
            labels.push(Label {
                code: q.code.to_string(),
                symbol_text: app.links.scan_url(&q.code),
                place_name: vi_name(&place.texts),
            });
        }
    }
    Ok(labels)
}

pub async fn sheet(State(app): State<App>, slug: Result<Path<String>, PathRejection>, headers: HeaderMap) -> Response {
    let Ok(Path(slug)) = slug else { return plain(StatusCode::NOT_FOUND, "no such unit\n") };
    let unit = match app.store.unit_by_slug(app.public(), slug).await {
        Ok(Some(u)) => u,
        Ok(None) => return plain(StatusCode::NOT_FOUND, "no such unit\n"),
        Err(e) => return unavailable(&e),
    };
    let labels = match labels_of(&app, &unit).await {
        Ok(l) => l,
        Err(e) => return unavailable(&e),
    };
    let name = vi_name(&unit.texts);
    deliver(&headers, "application/pdf", move || {
        let doc = frontier_print::label_sheet(&name, &labels).map_err(|e| e.to_string())?;
        write(&doc, true)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_defaults_to_a4_and_refuses_others() {
        assert_eq!(paper(None), Ok(Paper::A4));
        assert_eq!(paper(Some("paper=A5&x=1")), Ok(Paper::A5));
        assert_eq!(paper(Some("paper=letter")), Err("paper must be a4 or a5".into()));
        assert_eq!(paper(Some("paper=a4&paper=a5")), Err("paper is given more than once".into()));
    }
}
