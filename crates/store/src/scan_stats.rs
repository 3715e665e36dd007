//! Scan statistics: tallies per local day and one dimension, and how recently each code was used.
//! Everything is counted from the scan rows themselves (one source of truth, exact unique visitors);
//! the `(unit_id, local_day, id, device, is_repeat, visitor_key, place_id, qr_code_id)` index covers
//! the tallies by day, place and code of a unit.
//! Finished days are counted once per scope and kept in `scan_summaries` (see [`Store::scan_tallies`]).

use crate::Store;
use crate::convert::{from_db, ids, now, parse, to_db};
use crate::db::{DbConnection, write_transaction};
use crate::error::Result;
use crate::schema::{code_scans, places, scan_summaries, scan_summary_days, scan_summary_epoch, scans};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use frontier_domain::{
    ArticleId, DayRange, DeviceClass, Place, PlaceId, QrCode, QrCodeId, QrTargetKind, StatsZone, Tally, UnitId,
};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How long after a local midnight the day before still counts as open. The scan writer dates a
/// batch before it commits it, so a scan of 23:59:59 can land a moment after midnight (longer when
/// the database is busy), and servers sharing a PostgreSQL may disagree on the time a little.
pub const FINISH_GRACE: Duration = Duration::hours(1);

/// The first local day that may still gain scans. Days before it are finished: their tallies are
/// counted once and kept (see [`Store::scan_tallies`]); it and later days are counted from the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstOpenDay(NaiveDate);

impl FirstOpenDay {
    /// The first open day at `now` in `zone` (the zone the scan writer dates scans in).
    pub fn at(zone: StatsZone, now: DateTime<Utc>) -> Self {
        Self(zone.day_of(now - FINISH_GRACE))
    }

    /// No day is finished: everything is counted from the rows, nothing is kept.
    pub fn all_open() -> Self {
        Self(NaiveDate::MIN)
    }

    pub fn day(self) -> NaiveDate {
        self.0
    }
}

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
    /// Where finished days end. Not part of what is counted: only of how.
    pub first_open_day: FirstOpenDay,
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
            // The language, without region or script: `vi-VN` is a phone's Vietnamese like `vi`
            // (a group per tag gave two "Tiếng Việt" rows). Portable: LIKE's `_` is one character.
            Self::Locale => {
                "CASE WHEN locale LIKE '__-%' THEN substr(locale, 1, 2) \
                 WHEN locale LIKE '___-%' THEN substr(locale, 1, 3) ELSE locale END"
            }
            Self::Device => "device",
            Self::Outcome => "outcome",
        }
    }

    /// A stable name, for the digest of a scope.
    fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Place => "place",
            Self::Code => "code",
            Self::Target => "target",
            Self::Article => "article",
            // Was "locale" while each tag was its own group: summaries of that rule are not reused.
            Self::Locale => "language",
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

/// Bump when the counting changes in a way the SELECT text (part of the digest) does not show: a
/// filter, the key's encoding. Summaries of the old rule then belong to scopes nobody asks for.
const COUNTING_RULE: &str = "scan-tallies/1";

/// The SELECT list of the grouped count: people's scans, their repeats, bots, and distinct visitor
/// keys among people (per day, as the rows are grouped by day: the keys change at midnight anyway).
fn select_of(key: ScanKey) -> String {
    let bots = bot_condition();
    let column = key.column();
    format!(
        "local_day, {column}, \
         COALESCE(SUM(CASE WHEN {bots} THEN 0 WHEN is_repeat THEN 0 ELSE 1 END), 0), \
         COALESCE(SUM(CASE WHEN {bots} THEN 0 WHEN is_repeat THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN {bots} THEN 1 ELSE 0 END), 0), \
         COUNT(DISTINCT CASE WHEN {bots} THEN NULL ELSE visitor_key END)"
    )
}

/// The stored name of a scope: SHA-256 of a canonical text of everything that decides the counting
/// but the days. Lists are sets to the SQL (`IN`), so they are sorted and deduplicated; the SELECT
/// text is in it, so changing the SQL of the count leaves the old summaries unread.
fn scope_digest(scope: &ScanScope, key: ScanKey) -> String {
    fn set<T: std::fmt::Display>(items: &[T]) -> String {
        let mut v = ids(items);
        v.sort();
        v.dedup();
        v.join(",")
    }
    let text = format!(
        "{COUNTING_RULE}\nkey={}\nselect={}\nunits={}\nplaces={}\ncodes={}\narticles={}\nhuman_only={}",
        key.name(),
        select_of(key),
        set(&scope.units),
        set(&scope.places),
        set(&scope.codes),
        set(&scope.articles),
        scope.human_only,
    );
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The days counted from the rows: `from..=to`, and within it only `only` when some are left out.
struct RowDays {
    from: NaiveDate,
    to: NaiveDate,
    only: Option<Vec<String>>,
}

impl RowDays {
    /// These days (sorted, not empty): a plain range when they follow each other.
    fn of(days: &[NaiveDate]) -> Option<Self> {
        let (&from, &to) = (days.first()?, days.last()?);
        let contiguous = usize::try_from((to - from).num_days() + 1).ok() == Some(days.len());
        let only = (!contiguous).then(|| days.iter().map(ToString::to_string).collect());
        Some(Self { from, to, only })
    }
}

/// The grouped count over the scan rows of `days`.
fn count(conn: &mut DbConnection, scope: &ScanScope, key: ScanKey, days: &RowDays) -> Result<Vec<DayTally>> {
    let column = key.column();
    let select = select_of(key);
    let group = if key == ScanKey::Day { "local_day".to_owned() } else { format!("local_day, {column}") };
    let mut q = scans::table
        .group_by(sql::<Text>(&group))
        .select(sql::<(Text, Nullable<Text>, BigInt, BigInt, BigInt, BigInt)>(&select))
        .filter(scans::unit_id.eq_any(ids(&scope.units)))
        .filter(scans::local_day.ge(days.from.to_string()))
        .filter(scans::local_day.le(days.to.to_string()))
        .into_boxed();
    if let Some(only) = &days.only {
        q = q.filter(scans::local_day.eq_any(only.clone()));
    }
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
            Ok(DayTally { day: parse("scans.local_day", &day)?, key, tally: tally(people, repeats, bots, visitors) })
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

fn tally(people: i64, repeats: i64, bots: i64, visitors: i64) -> Tally {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Tally { people: count(people), repeats: count(repeats), bots: count(bots), visitors: count(visitors) }
}

/// A key value as stored: `NOT NULL` in a primary key (SQLite would let two NULL keys be distinct),
/// so `''` is no value and `=` starts a value.
fn stored_key(key: Option<&str>) -> String {
    key.map_or_else(String::new, |k| format!("={k}"))
}

fn key_of_stored(stored: &str) -> Result<Option<String>> {
    if stored.is_empty() {
        return Ok(None);
    }
    match stored.strip_prefix('=') {
        Some(k) => Ok(Some(k.to_owned())),
        None => Err(crate::convert::corrupt("scan_summaries.group_key", stored)),
    }
}

type SummaryRow = (String, Option<String>, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

/// The summarised days of a scope within `from..=to` and their tallies. One statement (markers
/// joined to their rows), so it reads one snapshot: an import that drops a day's summary meanwhile
/// cannot leave its marker seen without its rows.
fn summaries(
    conn: &mut DbConnection,
    scope: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(HashSet<NaiveDate>, Vec<DayTally>)> {
    use scan_summaries as s;
    use scan_summary_days as d;
    let rows: Vec<SummaryRow> = d::table
        .left_join(s::table.on(s::scope.eq(d::scope).and(s::local_day.eq(d::local_day))))
        .filter(d::scope.eq(scope))
        .filter(d::local_day.ge(from.to_string()))
        .filter(d::local_day.le(to.to_string()))
        .select((
            d::local_day,
            s::group_key.nullable(),
            s::people.nullable(),
            s::repeats.nullable(),
            s::bots.nullable(),
            s::visitors.nullable(),
        ))
        .load(conn)?;
    let mut days = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (day, key, people, repeats, bots, visitors) in rows {
        let day: NaiveDate = parse("scan_summary_days.local_day", &day)?;
        days.insert(day);
        // A day without a scan is a marker alone.
        if let (Some(key), Some(people), Some(repeats), Some(bots), Some(visitors)) =
            (key, people, repeats, bots, visitors)
        {
            out.push(DayTally { day, key: key_of_stored(&key)?, tally: tally(people, repeats, bots, visitors) });
        }
    }
    Ok((days, out))
}

/// The import count. On PostgreSQL `lock` takes a share lock on its row until the transaction ends:
/// an import bumps it first thing, so it waits for this transaction or this one sees its new count.
/// (SQLite's write transactions run one at a time anyway.)
fn epoch(conn: &mut DbConnection, lock: bool) -> Result<Option<i64>> {
    use scan_summary_epoch as e;
    let q = e::table.filter(e::id.eq(1)).select(e::epoch);
    if lock && let DbConnection::Pg(c) = conn {
        return Ok(q.for_share().first(c).optional()?);
    }
    Ok(q.first(conn).optional()?)
}

#[derive(Insertable)]
#[diesel(table_name = scan_summary_days)]
struct Marker {
    scope: String,
    local_day: String,
    made_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = scan_summaries)]
struct Summary {
    scope: String,
    local_day: String,
    group_key: String,
    people: i64,
    repeats: i64,
    bots: i64,
    visitors: i64,
}

/// Keeps the tallies of finished `days` (every row of `rows` is of one of them), unless an import
/// committed since `seen` was read (the count may predate it). A request that summarised the same
/// days meanwhile wrote the same figures: its rows are kept (conflicts are ignored).
fn keep(conn: &mut DbConnection, scope: &str, days: &[NaiveDate], rows: &[&DayTally], seen: Option<i64>) -> Result<()> {
    write_transaction(conn, |c| {
        if epoch(c, true)? != seen {
            return Ok(());
        }
        let made_at = to_db(now());
        let markers: Vec<Marker> =
            days.iter().map(|d| Marker { scope: scope.to_owned(), local_day: d.to_string(), made_at }).collect();
        let big = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let summaries: Vec<Summary> = rows
            .iter()
            .map(|r| Summary {
                scope: scope.to_owned(),
                local_day: r.day.to_string(),
                group_key: stored_key(r.key.as_deref()),
                people: big(r.tally.people),
                repeats: big(r.tally.repeats),
                bots: big(r.tally.bots),
                visitors: big(r.tally.visitors),
            })
            .collect();
        // Markers first, in day order: two requests summarising overlapping days meet on the first
        // shared marker (the second waits for the first to commit), never on rows in crossed order.
        // Multi-row inserts need the concrete backend; 7 columns × 1,000 rows stay under SQLite's
        // 32,766 bound parameters a statement. diesel has no `ON CONFLICT` for a multi-row insert on
        // SQLite: `INSERT OR IGNORE` does the same here (no other constraint can fail).
        for chunk in markers.chunks(1_000) {
            match c {
                DbConnection::Sqlite(c) => {
                    diesel::insert_or_ignore_into(scan_summary_days::table).values(chunk).execute(c)?
                }
                DbConnection::Pg(c) => {
                    diesel::insert_into(scan_summary_days::table).values(chunk).on_conflict_do_nothing().execute(c)?
                }
            };
        }
        for chunk in summaries.chunks(1_000) {
            match c {
                DbConnection::Sqlite(c) => {
                    diesel::insert_or_ignore_into(scan_summaries::table).values(chunk).execute(c)?
                }
                DbConnection::Pg(c) => {
                    diesel::insert_into(scan_summaries::table).values(chunk).on_conflict_do_nothing().execute(c)?
                }
            };
        }
        Ok(())
    })
}

/// The tallies of `scope`: finished days from their summaries (counted and kept first when
/// missing), open days from the rows. Warm, that is one indexed read of the summaries and one count
/// of the open days' rows.
fn tallies(conn: &mut DbConnection, scope: &ScanScope, key: ScanKey) -> Result<Vec<DayTally>> {
    let (from, to) = (scope.days.from(), scope.days.to());
    let open = scope.first_open_day.day();
    let Some(last_finished) = open.pred_opt().map(|d| d.min(to)).filter(|d| *d >= from) else {
        return count(conn, scope, key, &RowDays { from, to, only: None });
    };
    let digest = scope_digest(scope, key);
    let (summarised, mut out) = summaries(conn, &digest, from, last_finished)?;
    let missing: Vec<NaiveDate> =
        from.iter_days().take_while(|d| *d <= last_finished).filter(|d| !summarised.contains(d)).collect();
    let mut counted_days = missing.clone();
    counted_days.extend(open.max(from).iter_days().take_while(|d| *d <= to));
    let Some(row_days) = RowDays::of(&counted_days) else { return Ok(out) };
    // Read before counting: an import committing after this is caught by `keep`.
    let seen = if missing.is_empty() { None } else { Some(epoch(conn, false)?) };
    let counted = count(conn, scope, key, &row_days)?;
    if let Some(seen) = seen {
        let finished: Vec<&DayTally> = counted.iter().filter(|r| r.day < open).collect();
        // The figures are right either way: failing to keep them (a busy or read-only database)
        // only means counting them again next time.
        if let Err(e) = keep(conn, &digest, &missing, &finished, seen) {
            tracing::warn!(error = %e, days = missing.len(), "scan summaries not kept");
        }
    }
    out.extend(counted);
    Ok(out)
}

/// Drops the summaries of `days` in the caller's transaction (an import into them). Bumps the import
/// count first: on PostgreSQL that waits for any transaction keeping summaries now (see [`epoch`]),
/// so whatever it kept is committed and seen by the deletes below.
pub(crate) fn forget_days(conn: &mut DbConnection, days: &[String]) -> Result<()> {
    use scan_summary_epoch as e;
    let bumped = diesel::update(e::table.filter(e::id.eq(1))).set(e::epoch.eq(e::epoch + 1)).execute(conn)?;
    if bumped == 0 {
        diesel::insert_into(e::table).values((e::id.eq(1), e::epoch.eq(1))).execute(conn)?;
    }
    for days in days.chunks(500) {
        forget(conn, days)?;
    }
    Ok(())
}

/// Drops the summaries of every scope on `days`: the rows (found through the markers' scopes, along
/// the primary key) and then the markers.
fn forget(conn: &mut DbConnection, days: &[String]) -> Result<()> {
    let scopes: Vec<String> = scan_summary_days::table
        .filter(scan_summary_days::local_day.eq_any(days))
        .select(scan_summary_days::scope)
        .distinct()
        .load(conn)?;
    for scopes in scopes.chunks(500) {
        diesel::delete(
            scan_summaries::table
                .filter(scan_summaries::scope.eq_any(scopes))
                .filter(scan_summaries::local_day.eq_any(days)),
        )
        .execute(conn)?;
    }
    diesel::delete(scan_summary_days::table.filter(scan_summary_days::local_day.eq_any(days))).execute(conn)?;
    Ok(())
}

/// Drops the summaries made before `before` (they are counted again when next asked).
fn prune(conn: &mut DbConnection, before: DateTime<Utc>) -> Result<usize> {
    let old: Vec<(String, String)> = scan_summary_days::table
        .filter(scan_summary_days::made_at.lt(to_db(before)))
        .select((scan_summary_days::scope, scan_summary_days::local_day))
        .load(conn)?;
    let mut by_scope: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (scope, day) in old.iter().cloned() {
        by_scope.entry(scope).or_default().push(day);
    }
    for (scope, days) in &by_scope {
        for days in days.chunks(500) {
            let rows = scan_summaries::table.filter(scan_summaries::scope.eq(scope));
            diesel::delete(rows.filter(scan_summaries::local_day.eq_any(days))).execute(conn)?;
            let markers = scan_summary_days::table.filter(scan_summary_days::scope.eq(scope));
            diesel::delete(markers.filter(scan_summary_days::local_day.eq_any(days))).execute(conn)?;
        }
    }
    Ok(old.len())
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
    /// Tallies of the scans in `scope`, per local day and `key` value, in no particular order: the
    /// same figures as counting every row, read from the summaries for the days before
    /// `scope.first_open_day`. Those days never change (scans are immutable, and a day's visitor-key
    /// secret is destroyed at its end), so they are counted once per scope and kept; only
    /// [`Store::import_scans`] writes into past days, and it drops their summaries.
    pub async fn scan_tallies(&self, scope: ScanScope, key: ScanKey) -> Result<Vec<DayTally>> {
        self.scans_settled().await?;
        self.run(move |c| tallies(c, &scope, key)).await
    }

    /// Drops the summaries of finished days made before `before`; returns how many days of scopes.
    /// Always safe (they are counted again when asked): what keeps the summaries of scopes nobody
    /// asks for any more (a one-off filter, an old unit tree) from growing for ever.
    pub async fn prune_scan_summaries(&self, before: DateTime<Utc>) -> Result<usize> {
        self.run(move |c| write_transaction(c, |c| prune(c, before))).await
    }

    /// Every code in use in these units (not archived, in a place that is not archived), with its
    /// place and the last time a person scanned it.
    pub async fn code_use(&self, units: Vec<UnitId>) -> Result<Vec<CodeUse>> {
        self.scans_settled().await?;
        self.run(move |c| code_use(c, &units)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("day")
    }

    fn scope(units: Vec<UnitId>) -> ScanScope {
        ScanScope {
            units,
            places: vec![],
            codes: vec![],
            articles: vec![],
            days: DayRange::new(day(1), day(3)).expect("range"),
            human_only: false,
            first_open_day: FirstOpenDay::all_open(),
        }
    }

    #[test]
    fn a_scope_is_named_by_what_it_counts_not_by_its_days_or_order() {
        let (a, b) = (UnitId::generate(), UnitId::generate());
        let base = scope(vec![a, b]);
        let name = scope_digest(&base, ScanKey::Day);
        assert_eq!(name.len(), 64);
        let same = ScanScope {
            units: vec![b, a, b],
            days: DayRange::new(day(2), day(9)).expect("range"),
            first_open_day: FirstOpenDay(day(5)),
            ..base.clone()
        };
        assert_eq!(scope_digest(&same, ScanKey::Day), name);
        let others = [
            scope_digest(&base, ScanKey::Place),
            scope_digest(&scope(vec![a]), ScanKey::Day),
            scope_digest(&ScanScope { human_only: true, ..base.clone() }, ScanKey::Day),
            scope_digest(&ScanScope { places: vec![PlaceId::generate()], ..base.clone() }, ScanKey::Day),
            scope_digest(&ScanScope { codes: vec![QrCodeId::generate()], ..base.clone() }, ScanKey::Day),
            scope_digest(&ScanScope { articles: vec![ArticleId::generate()], ..base.clone() }, ScanKey::Day),
        ];
        let mut all: HashSet<&String> = others.iter().collect();
        all.insert(&name);
        assert_eq!(all.len(), others.len() + 1, "{others:?}");
    }

    #[test]
    fn days_counted_from_rows_are_a_range_or_a_list() {
        let run = RowDays::of(&[day(1), day(2), day(3)]).expect("days");
        assert_eq!((run.from, run.to, run.only), (day(1), day(3), None));
        let gaps = RowDays::of(&[day(1), day(3)]).expect("days");
        assert_eq!(gaps.only, Some(vec!["2026-12-01".to_owned(), "2026-12-03".to_owned()]));
        assert!(RowDays::of(&[]).is_none());
    }

    #[test]
    fn stored_keys_keep_none_apart_from_every_value() {
        for key in [None, Some(""), Some("="), Some("android")] {
            assert_eq!(key_of_stored(&stored_key(key)).expect("key").as_deref(), key);
        }
        assert!(key_of_stored("android").is_err());
    }
}
