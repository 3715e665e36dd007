//! Scan statistics: tallies per local day and one dimension, and how recently each code was used.
//! Everything is counted from the scan rows themselves (one source of truth, exact unique visitors);
//! the `(unit_id, local_day, id, device, is_repeat, visitor_key, place_id, qr_code_id)` index covers
//! the tallies by day, place and code of a unit.

use crate::Store;
use crate::convert::{from_db, ids, parse};
use crate::db::DbConnection;
use crate::error::Result;
use crate::schema::{code_scans, places, scans};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use frontier_domain::{
    ArticleId, DayRange, DeviceClass, Place, PlaceId, QrCode, QrCodeId, QrTargetKind, Tally, UnitId,
};
use std::collections::HashMap;

/// Which scans are counted.
#[derive(Debug, Clone)]
pub struct ScanScope {
    /// The units whose scans count, already expanded to their subtrees. Never empty.
    pub units: Vec<UnitId>,
    /// Only these places, codes or article targets, when given.
    pub places: Vec<PlaceId>,
    pub codes: Vec<QrCodeId>,
    pub articles: Vec<ArticleId>,
    pub days: DayRange,
    /// Leave bots and link previews out.
    pub human_only: bool,
}

/// What the tallies are split by, beside the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKey {
    /// Nothing: one tally per day.
    Day,
    Place,
    Code,
    /// The target at the moment of the scan, as `kind:id` (`article:…`, `place:…`).
    Target,
    /// Article targets only, by article id (scans of other targets are left out).
    Article,
    Locale,
    Device,
    Outcome,
}

impl ScanKey {
    /// The SQL of the key column. Constant text: nothing here comes from a request.
    fn column(self) -> &'static str {
        match self {
            Self::Day => "CAST(NULL AS TEXT)",
            Self::Place => "place_id",
            Self::Code => "qr_code_id",
            Self::Target => "target_kind || ':' || target_id",
            Self::Article => "target_id",
            Self::Locale => "locale",
            Self::Device => "device",
            Self::Outcome => "outcome",
        }
    }
}

/// One day's tally for one key value (`None` for [`ScanKey::Day`], or a scan without that value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayTally {
    pub day: NaiveDate,
    pub key: Option<String>,
    pub tally: Tally,
}

/// A code of the units with the place it hangs in and the last time a person scanned it.
#[derive(Debug, Clone)]
pub struct CodeUse {
    pub code: QrCode,
    pub place: Place,
    pub last_scan: Option<DateTime<Utc>>,
}

/// The SQL condition of a bot's scan, from the domain's device classes.
fn bot_condition() -> String {
    format!("device IN ('{}', '{}')", DeviceClass::Bot.as_str(), DeviceClass::LinkPreview.as_str())
}

type TallyRow = (String, Option<String>, i64, i64, i64, i64);

fn tallies(conn: &mut DbConnection, scope: &ScanScope, key: ScanKey) -> Result<Vec<DayTally>> {
    let bots = bot_condition();
    let column = key.column();
    // People's scans, their repeats, bots, and distinct visitor keys among people (per day, as the
    // rows are grouped by day: the keys change at midnight anyway).
    let select = format!(
        "local_day, {column}, \
         COALESCE(SUM(CASE WHEN {bots} THEN 0 WHEN is_repeat THEN 0 ELSE 1 END), 0), \
         COALESCE(SUM(CASE WHEN {bots} THEN 0 WHEN is_repeat THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN {bots} THEN 1 ELSE 0 END), 0), \
         COUNT(DISTINCT CASE WHEN {bots} THEN NULL ELSE visitor_key END)"
    );
    let group = if key == ScanKey::Day { "local_day".to_owned() } else { format!("local_day, {column}") };
    let mut q = scans::table
        .group_by(sql::<Text>(&group))
        .select(sql::<(Text, Nullable<Text>, BigInt, BigInt, BigInt, BigInt)>(&select))
        .filter(scans::unit_id.eq_any(ids(&scope.units)))
        .filter(scans::local_day.ge(scope.days.from().to_string()))
        .filter(scans::local_day.le(scope.days.to().to_string()))
        .into_boxed();
    if !scope.places.is_empty() {
        q = q.filter(scans::place_id.eq_any(ids(&scope.places)));
    }
    if !scope.codes.is_empty() {
        q = q.filter(scans::qr_code_id.eq_any(ids(&scope.codes)));
    }
    if !scope.articles.is_empty() || key == ScanKey::Article {
        q = q.filter(scans::target_kind.eq(QrTargetKind::Article.as_str()));
    }
    if !scope.articles.is_empty() {
        q = q.filter(scans::target_id.eq_any(ids(&scope.articles)));
    }
    if scope.human_only {
        q = q.filter(scans::device.ne_all([DeviceClass::Bot.as_str(), DeviceClass::LinkPreview.as_str()]));
    }
    let rows: Vec<TallyRow> = q.load(conn)?;
    rows.into_iter()
        .map(|(day, key, people, repeats, bots, visitors)| {
            let count = |n: i64| u64::try_from(n).unwrap_or(0);
            Ok(DayTally {
                day: parse("scans.local_day", &day)?,
                key,
                tally: Tally {
                    people: count(people),
                    repeats: count(repeats),
                    bots: count(bots),
                    visitors: count(visitors),
                },
            })
        })
        .collect()
}

/// When a person last scanned each of these codes (the writer keeps `code_scans` up to date).
fn last_human_scans(conn: &mut DbConnection, codes: &[QrCodeId]) -> Result<HashMap<String, DateTime<Utc>>> {
    let mut out = HashMap::new();
    // Chunks keep the statements under either backend's bound-parameter limit.
    for chunk in codes.chunks(1_000) {
        let rows: Vec<(String, NaiveDateTime)> = code_scans::table
            .filter(code_scans::qr_code_id.eq_any(ids(chunk)))
            .select((code_scans::qr_code_id, code_scans::last_human_at))
            .load(conn)?;
        out.extend(rows.into_iter().map(|(code, at)| (code, from_db(at))));
    }
    Ok(out)
}

fn code_use(conn: &mut DbConnection, units: &[UnitId]) -> Result<Vec<CodeUse>> {
    let place_ids: Vec<String> = places::table
        .filter(places::unit_id.eq_any(ids(units)))
        .filter(places::archived_at.is_null())
        .select(places::id)
        .load(conn)?;
    let place_ids: Vec<PlaceId> = place_ids.iter().map(|p| parse("places.id", p)).collect::<Result<_>>()?;
    let places = crate::places::by_ids(conn, &place_ids)?;
    let codes = crate::qr_codes::by_place_ids(conn, &place_ids)?;
    let codes: Vec<QrCode> = codes.into_iter().filter(|c| c.archived_at.is_none()).collect();
    let last = last_human_scans(conn, &codes.iter().map(|c| c.id).collect::<Vec<_>>())?;
    let mut out = Vec::with_capacity(codes.len());
    for code in codes {
        let Some(place) = places.iter().find(|p| p.id == code.place_id) else { continue };
        let last_scan = last.get(&code.id.to_string()).copied();
        out.push(CodeUse { place: place.clone(), code, last_scan });
    }
    Ok(out)
}

impl Store {
    /// Tallies of the scans in `scope`, per local day and `key` value, in no particular order.
    pub async fn scan_tallies(&self, scope: ScanScope, key: ScanKey) -> Result<Vec<DayTally>> {
        self.run(move |c| tallies(c, &scope, key)).await
    }

    /// Every code in use in these units (not archived, in a place that is not archived), with its
    /// place and the last time a person scanned it.
    pub async fn code_use(&self, units: Vec<UnitId>) -> Result<Vec<CodeUse>> {
        self.run(move |c| code_use(c, &units)).await
    }
}
