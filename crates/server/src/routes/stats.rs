//! A unit's scan statistics as files: `GET /stats/{unit}/scans.csv`, `scans.svg` (people's scans
//! per day, one line per place group) and `places.svg` (the unit's places on a map, sized by their
//! scans). The CSV is the GraphQL field `scanStats { csv }`, run through the schema with the
//! caller's viewer, so its numbers and its checks are the API's own; the charts read the same store
//! tallies and are drawn by `frontier-print`.
//!
//! Who may: an analyst of the unit or above, or an admin — with `Authorization: Bearer`, or with a
//! signed URL from `scanStats { links }` (an `<img src>` cannot send headers).

use super::graphql::viewer::{Refused, of_user, viewer};
use super::qr::plain;
use crate::App;
use crate::ui;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use frontier_domain::tree::subtree;
use frontier_domain::{
    Action, DayRange, Locale, LocaleChain, NamedText, Period, Place, PlaceId, PlaceKind, Slug, Tally, Translated, Unit,
    UnitId, permits,
};
use frontier_graphql::Viewer;
use frontier_print::chart::{self, ChartWords, DailyScans, PlaceDot, PlacesMap, Series};
use frontier_store::{Audience, DayTally, FirstOpenDay, PlaceQuery, ScanKey, ScanScope, StoreError};
use std::collections::{BTreeMap, HashMap};

/// Figures move with every scan, and only their reader may keep them.
const CACHE: &str = "private, max-age=60";
/// Days shown when the query gives no `from`.
const DEFAULT_DAYS: i64 = 30;
/// The query parameter that carries a signed URL's signature.
const SIGNATURE: &str = "sig";
/// Every parameter the files take besides the signature.
const PARAMETERS: [&str; 5] = ["from", "to", "groupBy", "humanOnly", "locale"];
/// `groupBy` values, as the GraphQL enum `ScanGrouping` has them.
const GROUPINGS: [&str; 10] =
    ["day", "week", "month", "place", "code", "article", "locale", "device", "outcome", "target"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum File {
    Csv,
    ScansChart,
    PlacesChart,
}

impl File {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "scans.csv" => Some(Self::Csv),
            "scans.svg" => Some(Self::ScansChart),
            "places.svg" => Some(Self::PlacesChart),
            _ => None,
        }
    }
}

/// What the query asks for, checked.
struct Params {
    days: DayRange,
    /// Upper case, as the GraphQL enum.
    group_by: String,
    human_only: bool,
    words: &'static ChartWords,
}

fn day(name: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        // Debug-quoted: a control character in the query comes back escaped, never raw.
        .map_err(|_| format!("{name} must be a day written YYYY-MM-DD (e.g. 2026-12-04), not {value:?}"))
}

/// The query's parameters, or what is wrong with them.
fn params(app: &App, raw: Option<&str>) -> Result<Params, String> {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if key == SIGNATURE {
            continue;
        }
        // A misspelt parameter (`form=`) must not quietly draw the default period instead.
        if !PARAMETERS.contains(&key.as_ref()) {
            return Err(format!("unknown parameter {key:?}: the parameters are {}", PARAMETERS.join(", ")));
        }
        if seen.insert(key.to_string(), value.into_owned()).is_some() {
            return Err(format!("{key} is given more than once"));
        }
    }
    let get = |k: &str| seen.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let to = match get("to") {
        Some(v) => day("to", v)?,
        None => app.zone.day_of(app.clock.now()),
    };
    let from = match get("from") {
        Some(v) => day("from", v)?,
        None => to - Duration::days(DEFAULT_DAYS - 1),
    };
    let days = DayRange::new(from, to).map_err(|e| format!("{}: {}", e.field, e.message))?;
    let group_by = match get("groupBy") {
        None => GROUPINGS[0],
        Some(v) => GROUPINGS
            .into_iter()
            .find(|g| g.eq_ignore_ascii_case(v))
            .ok_or_else(|| format!("groupBy must be one of {}", GROUPINGS.join(", ")))?,
    }
    .to_ascii_uppercase();
    let human_only = match get("humanOnly").map(str::to_ascii_lowercase).as_deref() {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(_) => return Err("humanOnly must be true or false".into()),
    };
    let words = match get("locale") {
        None => ChartWords::vietnamese(),
        Some(v) => {
            ChartWords::for_lang(v).ok_or_else(|| format!("locale must be one of {}", ChartWords::tags().join(", ")))?
        }
    };
    Ok(Params { days, group_by, human_only, words })
}

/// Path and query as a signed URL covers them: the query without its signature.
fn signed_part(uri: &Uri) -> (String, Option<String>, usize) {
    let mut rest = Vec::new();
    let mut signatures = Vec::new();
    for pair in uri.query().unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        match pair.strip_prefix("sig=") {
            Some(sig) => signatures.push(sig.to_owned()),
            None => rest.push(pair),
        }
    }
    let count = signatures.len();
    let url = if rest.is_empty() { uri.path().to_owned() } else { format!("{}?{}", uri.path(), rest.join("&")) };
    (url, signatures.pop(), count)
}

fn unauthenticated() -> Response {
    let mut r =
        plain(StatusCode::UNAUTHORIZED, "statistics need `Authorization: Bearer <access token>` or a signed link\n");
    r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    r
}

fn forbidden(message: &str) -> Response {
    plain(StatusCode::FORBIDDEN, format!("{message}\n"))
}

fn unavailable(e: &StoreError) -> Response {
    if let StoreError::NotReady { retry_after, .. } = e {
        // The newest scans are still being filed: a normal moment after a crowd, not a fault.
        let mut r = plain(StatusCode::SERVICE_UNAVAILABLE, format!("{e}\n"));
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(*retry_after));
        return r;
    }
    tracing::error!(error = %e, "statistics: store unavailable");
    plain(StatusCode::SERVICE_UNAVAILABLE, "try again later\n")
}

/// The caller: a signed URL's account, or the bearer token's.
async fn caller(app: &App, uri: &Uri, headers: &HeaderMap) -> Result<Viewer, Response> {
    let (url, signature, count) = signed_part(uri);
    let refused = |e: Refused| match e {
        Refused::Credentials => forbidden("this link has expired or is not valid; ask for a new one"),
        Refused::Store(e) => unavailable(&e),
    };
    if let Some(sig) = signature {
        if count > 1 {
            return Err(forbidden("this link has expired or is not valid; ask for a new one"));
        }
        let user = app.sessions.previews.verify_url(&sig, &url, app.clock.now());
        let user = user.map_err(|_| refused(Refused::Credentials))?;
        return of_user(app, user).await.map_err(refused);
    }
    match viewer(app, headers).await {
        Ok(v) if v.user.is_some() => Ok(v),
        Ok(v) if matches!(v.actor, frontier_domain::Actor::ApiKey { .. }) => {
            Err(forbidden("API keys only read published content"))
        }
        Ok(_) | Err(Refused::Credentials) => Err(unauthenticated()),
        Err(Refused::Store(e)) => Err(unavailable(&e)),
    }
}

pub async fn file(
    State(app): State<App>,
    path: Result<Path<(String, String)>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Ok(Path((slug, file_name))) = path else { return plain(StatusCode::NOT_FOUND, "no such statistics\n") };
    let Some(file) = File::parse(&file_name) else {
        return plain(StatusCode::NOT_FOUND, "statistics are scans.csv, scans.svg or places.svg\n");
    };
    let viewer = match caller(&app, &uri, &headers).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let unit = match Slug::parse(&slug) {
        Err(_) => None,
        Ok(s) => match app.store.unit_by_slug_any(s.to_string()).await {
            Ok(u) => u,
            Err(e) => return unavailable(&e),
        },
    };
    let Some(unit) = unit else { return plain(StatusCode::NOT_FOUND, "no such unit\n") };
    if !permits(&viewer.actor, Action::ReadStats, unit.id, viewer.links()) {
        return forbidden("statistics of this unit are for its analysts and admins");
    }
    let p = match params(&app, uri.query()) {
        Ok(p) => p,
        Err(message) => return plain(StatusCode::BAD_REQUEST, format!("{message}\n")),
    };
    let answer = match file {
        File::Csv => csv(&app, &unit, viewer, &p).await,
        File::ScansChart | File::PlacesChart => {
            let units = subtree(viewer.links(), unit.id);
            let figures = match Figures::read(&app, unit.id, units, p.days).await {
                Ok(f) => f,
                Err(e) => return unavailable(&e),
            };
            let chain = chain_of(p.words);
            let unit_name = name(&unit.texts, &chain);
            let svg = if file == File::ScansChart {
                chart::scans_svg(&figures.daily(p.days, &chain, unit_name), p.words)
            } else {
                chart::places_svg(&figures.map(p.days, &chain, unit_name), p.words)
            };
            Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
        }
    };
    let mut response = match answer {
        Ok(r) => r,
        Err(r) => return r,
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    h.insert(header::VARY, HeaderValue::from_static("Authorization"));
    response
}

const CSV_QUERY: &str =
    "query($u: String!, $from: NaiveDate!, $to: NaiveDate!, $h: Boolean!, $g: ScanGrouping!, $l: String!) {
    scanStats(filter: { units: [$u], from: $from, to: $to, humanOnly: $h }, groupBy: $g, locale: $l) { csv } }";

/// `scanStats { csv }` run as the caller: the API's own authorization, numbers and labels.
async fn csv(app: &App, unit: &Unit, viewer: Viewer, p: &Params) -> Result<Response, Response> {
    let variables = serde_json::json!({
        "u": unit.slug.as_str(), "from": p.days.from().to_string(), "to": p.days.to().to_string(),
        "h": p.human_only, "g": p.group_by, "l": p.words.lang,
    });
    let request = async_graphql::Request::new(CSV_QUERY).variables(async_graphql::Variables::from_json(variables));
    let request = frontier_graphql::prepare(request, &app.store, Vec::new(), viewer, app.clock.now());
    let response = app.schema.execute(request).await;
    if let Some(e) = response.errors.first() {
        let code = e.extensions.as_ref().and_then(|x| x.get("code")).map(|c| c.to_string()).unwrap_or_default();
        let status = match code.trim_matches('"') {
            "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
            "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
            "FORBIDDEN" => StatusCode::FORBIDDEN,
            "NOT_FOUND" => StatusCode::NOT_FOUND,
            _ => {
                tracing::error!(error = %e.message, "statistics CSV failed");
                return Err(plain(StatusCode::SERVICE_UNAVAILABLE, "try again later\n"));
            }
        };
        return Err(plain(status, format!("{}\n", e.message)));
    }
    let data = response.data.into_json().unwrap_or_default();
    let Some(text) = data["scanStats"]["csv"].as_str() else {
        tracing::error!("statistics CSV: no csv in the answer");
        return Err(plain(StatusCode::SERVICE_UNAVAILABLE, "try again later\n"));
    };
    let disposition = format!("attachment; filename=\"scans-{}-{}-{}.csv\"", unit.slug, p.days.from(), p.days.to());
    // The byte-order mark tells Excel the file is UTF-8 (it would read Vietnamese names as Windows-1252).
    let body = format!("\u{feff}{text}");
    let mut r = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response();
    // A slug is lower-case ASCII, dashes and digits: always a valid header value.
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// The chart's language as a chain, so names follow the same fallback as everywhere (then `vi`).
fn chain_of(words: &ChartWords) -> LocaleChain {
    LocaleChain::new(Locale::parse(words.lang).ok())
}

fn name(texts: &Translated<NamedText>, chain: &LocaleChain) -> String {
    texts.localize(chain).map(|l| l.text.name.clone()).unwrap_or_default()
}

/// The unit's places and their people's scans per day.
struct Figures {
    /// Every place of the units that is not archived, and those archived that have scans.
    places: Vec<Place>,
    /// Per place (`None`: a scan of no place) and day.
    rows: Vec<DayTally>,
}

impl Figures {
    async fn read(app: &App, root: UnitId, units: Vec<UnitId>, days: DayRange) -> Result<Self, StoreError> {
        let audience = Audience::preview(app.clock.now(), units.clone());
        let mut places: Vec<Place> = Vec::new();
        let mut after = None;
        loop {
            let query = PlaceQuery { unit: Some(root), kind: None, after: after.clone(), first: 100 };
            let page = app.store.places(audience.clone(), query).await?;
            after = page.items.last().map(|p| p.slug.clone());
            places.extend(page.items);
            if !page.has_next {
                break;
            }
        }
        let first_open_day = FirstOpenDay::at(app.zone, app.clock.now());
        let scope = ScanScope {
            units,
            places: vec![],
            codes: vec![],
            articles: vec![],
            days,
            human_only: true,
            first_open_day,
        };
        let rows = app.store.scan_tallies(scope, ScanKey::Place).await?;
        let missing: Vec<PlaceId> = rows
            .iter()
            .filter_map(|r| r.key.as_deref()?.parse::<PlaceId>().ok())
            .filter(|id| !places.iter().any(|p| p.id == *id))
            .collect();
        if !missing.is_empty() {
            places.extend(app.store.places_by_ids(audience, missing).await?);
        }
        Ok(Self { places, rows })
    }

    fn kind_of(&self, key: Option<&str>) -> PlaceKind {
        key.and_then(|k| self.places.iter().find(|p| p.id.to_string() == k)).map_or(PlaceKind::Other, |p| p.kind)
    }

    /// People's scans per day and place group; a group is drawn when the units have places of its
    /// kind or it has scans.
    fn daily(&self, days: DayRange, chain: &LocaleChain, unit: String) -> DailyScans {
        let mut by_kind: BTreeMap<usize, Vec<(NaiveDate, Tally)>> = BTreeMap::new();
        let rank = |k: PlaceKind| PlaceKind::ALL.iter().position(|x| *x == k).unwrap_or(PlaceKind::ALL.len());
        for p in self.places.iter().filter(|p| p.archived_at.is_none()) {
            by_kind.entry(rank(p.kind)).or_default();
        }
        for r in &self.rows {
            by_kind.entry(rank(self.kind_of(r.key.as_deref()))).or_default().push((r.day, r.tally));
        }
        let words = ui::for_chain(chain);
        let series = by_kind
            .into_iter()
            .map(|(i, rows)| Series {
                name: words.place_kind(PlaceKind::ALL.get(i).copied().unwrap_or(PlaceKind::Other)).to_owned(),
                values: Period::Day.series(days, rows).into_iter().map(|(_, t)| t.people).collect(),
            })
            .collect();
        DailyScans { unit, days: days.days().collect(), series }
    }

    /// The places that are in use (not archived) with their people's scans in the period.
    fn map(&self, days: DayRange, chain: &LocaleChain, unit: String) -> PlacesMap {
        let mut people: HashMap<&str, u64> = HashMap::new();
        for r in &self.rows {
            if let Some(k) = r.key.as_deref() {
                *people.entry(k).or_default() += r.tally.people;
            }
        }
        let places = self
            .places
            .iter()
            .filter(|p| p.archived_at.is_none())
            .map(|p| PlaceDot {
                name: name(&p.texts, chain),
                people: people.get(p.id.to_string().as_str()).copied().unwrap_or(0),
                at: p.location.map(|c| (c.latitude(), c.longitude())),
            })
            .collect();
        PlacesMap { unit, from: days.from(), to: days.to(), places }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Statistics asked for while the newest scans are filed: 503 with when to ask again.
    #[test]
    fn not_ready_statistics_say_when_to_ask_again() {
        let e = StoreError::NotReady { what: "the newest scans are not in the statistics yet".into(), retry_after: 5 };
        let r = unavailable(&e);
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("5"));
    }

    #[test]
    fn the_signature_is_cut_from_the_query_it_covers() {
        let uri: Uri = "/stats/x/scans.svg?from=2026-11-01&sig=abc.def&to=2026-11-30".parse().expect("uri");
        assert_eq!(
            signed_part(&uri),
            ("/stats/x/scans.svg?from=2026-11-01&to=2026-11-30".into(), Some("abc.def".into()), 1)
        );
        let uri: Uri = "/stats/x/places.svg?sig=a&sig=b".parse().expect("uri");
        assert_eq!(signed_part(&uri).0, "/stats/x/places.svg");
        assert_eq!(signed_part(&uri).2, 2);
        let uri: Uri = "/stats/x/places.svg".parse().expect("uri");
        assert_eq!(signed_part(&uri), ("/stats/x/places.svg".into(), None, 0));
    }
}
