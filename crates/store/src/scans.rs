//! Scan events, recorded in batches: one transaction looks up every code of the batch, decides each
//! outcome and repeat, and inserts the rows. The scan writer (`scan_writer.rs`) feeds it; a phone
//! gets its redirect only after the batch holding its scan has committed.

use crate::Store;
use crate::audience::{Audience, Reach};
use crate::code_scans::LastScans;
use crate::convert::{corrupt, from_db, now, parse, to_db};
use crate::db::DbConnection;
use crate::error::Result;
use crate::repeats::RecentScans;
use crate::schema::{places, scans};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::serialize::{Output, ToSql};
use frontier_domain::scan::{is_repeat, scanned_text};
use frontier_domain::{
    ArticleId, CategoryId, DeviceClass, Locale, PlaceId, QrCode, QrCodeId, QrCodeValue, QrTarget, QrTargetKind,
    ScanEvent, ScanId, ScanOutcome, ScanSource, Slug, StatsZone, UnitId, VisitorKey,
};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// One scan as the server saw it, before anything is looked up.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    /// The code as it came (possibly malformed).
    pub raw: String,
    pub locale: Option<Locale>,
    pub device: DeviceClass,
    pub visitor: Option<VisitorKey>,
    pub source: ScanSource,
    /// The id an app chose (`recordScan`): the same id again is the same scan.
    pub client_id: Option<ScanId>,
}

impl ScanRequest {
    /// A phone's scan of a link, with nothing known about the phone (tests, imports).
    pub fn link(raw: &str) -> Self {
        Self {
            raw: raw.to_owned(),
            locale: None,
            device: DeviceClass::Other,
            visitor: None,
            source: ScanSource::Link,
            client_id: None,
        }
    }
}

/// What a recorded scan leads to.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub event: ScanEvent,
    /// The code it resolved to, if any.
    pub qr: Option<QrCode>,
    /// The slug of the code's target when readers may open it now (outcome `Ok`).
    pub target_slug: Option<Slug>,
    /// An app's retried `recordScan`: nothing new was stored, `event` is the first recording.
    pub duplicate: bool,
}

/// A stored scan as read back.
#[derive(Queryable, Selectable)]
#[diesel(table_name = scans)]
struct ScanRow {
    id: String,
    occurred_at: NaiveDateTime,
    scanned_text: String,
    qr_code_id: Option<String>,
    place_id: Option<String>,
    unit_id: Option<String>,
    target_kind: Option<String>,
    target_id: Option<String>,
    outcome: String,
    locale: Option<String>,
    local_day: String,
    device: String,
    is_repeat: bool,
    visitor_key: Option<String>,
    source: String,
    client_scan_id: Option<String>,
}

/// A scan row as inserted. The texts it shares with other rows are shared, not copied: its code's
/// [`IdTexts`] (written once per code, not once per scan) and the moment and day of its batch.
/// (Borrowed `&str`s would be cheaper still, but diesel caches a multi-row insert's statement only
/// for values without lifetimes.)
///
/// `treat_none_as_default_value = false`: a `None` is bound as NULL. Left to diesel's default, a
/// `None` would be written `DEFAULT`, which SQLite has no multi-row form of: each row would then
/// be its own statement in its own savepoint, its SQL written anew every time.
#[derive(Insertable)]
#[diesel(table_name = scans, treat_none_as_default_value = false)]
struct NewScan {
    id: String,
    occurred_at: Moment,
    scanned_text: String,
    qr_code_id: Option<Shared>,
    place_id: Option<Shared>,
    unit_id: Option<Shared>,
    target_kind: Option<&'static str>,
    target_id: Option<Shared>,
    outcome: &'static str,
    locale: Option<String>,
    local_day: Shared,
    device: &'static str,
    is_repeat: bool,
    visitor_key: Option<String>,
    source: &'static str,
    client_scan_id: Option<String>,
}

/// A text column's value that many rows share.
#[derive(Debug, Clone, diesel::AsExpression)]
#[diesel(sql_type = diesel::sql_types::Text)]
struct Shared(Arc<str>);

impl Shared {
    fn of(text: String) -> Self {
        Self(text.into())
    }
}

impl ToSql<diesel::sql_types::Text, diesel::sqlite::Sqlite> for Shared {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::sqlite::Sqlite>) -> diesel::serialize::Result {
        ToSql::<diesel::sql_types::Text, diesel::sqlite::Sqlite>::to_sql(&*self.0, out)
    }
}

impl ToSql<diesel::sql_types::Text, diesel::pg::Pg> for Shared {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::pg::Pg>) -> diesel::serialize::Result {
        ToSql::<diesel::sql_types::Text, diesel::pg::Pg>::to_sql(&*self.0, out)
    }
}

/// A row's moment with its text as SQLite stores it, written once for all the rows of a batch
/// (diesel would format the same moment again for every row). PostgreSQL gets the moment itself.
#[derive(Debug, Clone, diesel::AsExpression)]
#[diesel(sql_type = diesel::sql_types::Timestamp)]
struct Moment {
    at: NaiveDateTime,
    text: Arc<str>,
}

/// How diesel writes a timestamp into SQLite (`ToSql<Timestamp, Sqlite> for NaiveDateTime`): the
/// moments this module writes as text read back, sort and compare like every other.
const SQLITE_TIMESTAMP: &str = "%F %T%.f";

impl Moment {
    fn of(at: DateTime<Utc>) -> Self {
        let at = to_db(at);
        Self { at, text: at.format(SQLITE_TIMESTAMP).to_string().into() }
    }
}

impl ToSql<diesel::sql_types::Timestamp, diesel::sqlite::Sqlite> for Moment {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::sqlite::Sqlite>) -> diesel::serialize::Result {
        ToSql::<diesel::sql_types::Timestamp, diesel::sqlite::Sqlite>::to_sql(&*self.text, out)
    }
}

impl ToSql<diesel::sql_types::Timestamp, diesel::pg::Pg> for Moment {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::pg::Pg>) -> diesel::serialize::Result {
        ToSql::<diesel::sql_types::Timestamp, diesel::pg::Pg>::to_sql(&self.at, out)
    }
}

/// The id columns of a scan of one code (its code, place, unit and target), as text: written once
/// when the code is resolved and shared by the rows of every scan of it.
#[derive(Debug, Default)]
struct IdTexts {
    qr: Option<Shared>,
    place: Option<Shared>,
    unit: Option<Shared>,
    target: Option<(&'static str, Shared)>,
}

impl IdTexts {
    fn new(qr: Option<QrCodeId>, place: Option<PlaceId>, unit: Option<UnitId>, target: Option<QrTarget>) -> Self {
        Self {
            qr: qr.map(|i| Shared::of(i.to_string())),
            place: place.map(|i| Shared::of(i.to_string())),
            unit: unit.map(|i| Shared::of(i.to_string())),
            target: target.map(|t| (t.kind().as_str(), Shared::of(t.id_string()))),
        }
    }

    fn of_event(e: &ScanEvent) -> Self {
        Self::new(e.qr_code_id, e.place_id, e.unit_id, e.target)
    }
}

/// The row of `e`, whose id columns are `ids` (the texts of `e`'s own ids), at `moment` on `day`.
fn new_scan(e: &ScanEvent, ids: &IdTexts, moment: &Moment, day: &Shared, client_id: Option<ScanId>) -> NewScan {
    NewScan {
        id: e.id.to_string(),
        occurred_at: moment.clone(),
        scanned_text: e.scanned_text.clone(),
        qr_code_id: ids.qr.clone(),
        place_id: ids.place.clone(),
        unit_id: ids.unit.clone(),
        target_kind: ids.target.as_ref().map(|(kind, _)| *kind),
        target_id: ids.target.as_ref().map(|(_, id)| id.clone()),
        outcome: e.outcome.as_str(),
        locale: e.locale.as_ref().map(|l| l.as_str().to_owned()),
        local_day: day.clone(),
        device: e.device.as_str(),
        is_repeat: e.repeat,
        visitor_key: e.visitor.as_ref().map(|v| v.as_str().to_owned()),
        source: e.source.as_str(),
        client_scan_id: client_id.map(|i| i.to_string()),
    }
}

fn optional<T: std::str::FromStr>(what: &str, v: Option<String>) -> Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    v.map(|v| parse(what, &v)).transpose()
}

fn event_of(r: ScanRow) -> Result<ScanEvent> {
    let target = match (r.target_kind, r.target_id) {
        (Some(kind), Some(id)) => {
            let kind = QrTargetKind::parse(&kind).map_err(|e| corrupt("scans.target_kind", e))?;
            Some(QrTarget::from_parts(kind, &id).map_err(|e| corrupt("scans.target_id", e))?)
        }
        _ => None,
    };
    Ok(ScanEvent {
        id: parse("scans.id", &r.id)?,
        occurred_at: from_db(r.occurred_at),
        scanned_text: r.scanned_text,
        qr_code_id: optional("scans.qr_code_id", r.qr_code_id)?,
        place_id: optional("scans.place_id", r.place_id)?,
        unit_id: optional("scans.unit_id", r.unit_id)?,
        target,
        outcome: ScanOutcome::parse(&r.outcome).ok_or_else(|| corrupt("scans.outcome", &r.outcome))?,
        locale: r.locale.map(|l| Locale::parse(&l).map_err(|e| corrupt("scans.locale", e))).transpose()?,
        local_day: r.local_day.parse::<NaiveDate>().map_err(|e| corrupt("scans.local_day", e))?,
        device: DeviceClass::parse(&r.device).ok_or_else(|| corrupt("scans.device", &r.device))?,
        repeat: r.is_repeat,
        visitor: r.visitor_key.as_deref().and_then(VisitorKey::parse),
        source: ScanSource::parse(&r.source).ok_or_else(|| corrupt("scans.source", &r.source))?,
    })
}

/// A target's slug and, for an article, the moment its publication ends.
type Opened = (Slug, Option<DateTime<Utc>>);

/// The slugs of the targets the public may open now, by target, with the moment an article's
/// publication ends (when it does).
fn public_slugs(conn: &mut DbConnection, public: &Audience, targets: &[QrTarget]) -> Result<HashMap<QrTarget, Opened>> {
    let mut out = HashMap::new();
    let pick = |kind: QrTargetKind| -> Vec<String> {
        targets.iter().filter(|t| t.kind() == kind).map(QrTarget::id_string).collect()
    };
    let articles: Vec<ArticleId> =
        pick(QrTargetKind::Article).iter().map(|i| parse("target", i)).collect::<Result<_>>()?;
    if !articles.is_empty() {
        for a in crate::articles::by_ids(conn, public, &articles)? {
            out.insert(QrTarget::Article(a.id), (a.slug, a.unpublish_at));
        }
    }
    let categories: Vec<CategoryId> =
        pick(QrTargetKind::Category).iter().map(|i| parse("target", i)).collect::<Result<_>>()?;
    if !categories.is_empty() {
        let all = crate::categories::by_ids(conn, &categories)?;
        for c in crate::categories::seen(conn, public, all)? {
            out.insert(QrTarget::Category(c.id), (c.slug, None));
        }
    }
    let places: Vec<PlaceId> = pick(QrTargetKind::Place).iter().map(|i| parse("target", i)).collect::<Result<_>>()?;
    if !places.is_empty() {
        let all = crate::places::by_ids(conn, &places)?;
        for p in crate::places::seen(conn, public, all)? {
            out.insert(QrTarget::Place(p.id), (p.slug, None));
        }
    }
    let units: Vec<UnitId> = pick(QrTargetKind::Unit).iter().map(|i| parse("target", i)).collect::<Result<_>>()?;
    if !units.is_empty() {
        let all = crate::units::by_ids(conn, &units)?;
        for u in crate::units::seen(conn, public, all)? {
            out.insert(QrTarget::Unit(u.id), (u.slug, None));
        }
    }
    Ok(out)
}

/// A code of the batch, the unit of its place, and whether that place is archived.
type Owned = (QrCode, UnitId, bool);

/// The codes of a batch with the unit and archive state of the place each hangs in.
fn codes_with_owners(conn: &mut DbConnection, codes: &[String]) -> Result<HashMap<String, Owned>> {
    let found = crate::qr_codes::by_codes(conn, codes)?;
    let place_ids: Vec<String> = found.iter().map(|q| q.place_id.to_string()).collect();
    let owners: Vec<(String, String, Option<NaiveDateTime>)> = places::table
        .filter(places::id.eq_any(&place_ids))
        .select((places::id, places::unit_id, places::archived_at))
        .load(conn)?;
    let owners: HashMap<String, (String, bool)> =
        owners.into_iter().map(|(id, unit, archived)| (id, (unit, archived.is_some()))).collect();
    let mut out = HashMap::new();
    for q in found {
        // Every code hangs in a place (a foreign key): a code without one is left out, as unknown.
        if let Some((unit, archived)) = owners.get(&q.place_id.to_string()) {
            out.insert(q.code.to_string(), (q.clone(), parse("places.unit_id", unit)?, *archived));
        }
    }
    Ok(out)
}

/// What a code leads to, worked out once and reused by the scans that follow while it holds.
#[derive(Debug, Clone)]
struct Resolution {
    found: Option<Owned>,
    /// The outcome, the target's public visibility included.
    outcome: ScanOutcome,
    slug: Option<Slug>,
    /// Valid before this moment (an expiry, the end of a publication window, or a short time to live).
    until: DateTime<Utc>,
    /// The id columns of its scans' rows.
    ids: Arc<IdTexts>,
}

/// Code resolutions kept between batches by the scan writer. Any other write to the store (an
/// edit, an archive, a re-target) starts a new generation and empties it; time-bound facts (a code's
/// expiry, an article's end) bound each entry; and nothing is kept longer than [`RESOLUTION_TTL`], so
/// another server on the same PostgreSQL is followed within that time.
#[derive(Debug, Default)]
pub(crate) struct Resolutions {
    generation: u64,
    entries: HashMap<String, Resolution>,
}

/// How long a resolution is trusted without looking again.
const RESOLUTION_TTL: chrono::Duration = chrono::Duration::seconds(2);
/// Resolutions kept at most (a flood of made-up codes must not grow memory).
const MAX_RESOLUTIONS: usize = 20_000;
/// Entries renewed ahead of their expiry in one lookup at most (the statements stay small).
const MAX_RENEWED: usize = 2_000;

/// Works out the outcome and target of each code in `wanted` at `at`.
fn resolve(conn: &mut DbConnection, at: DateTime<Utc>, wanted: &[String]) -> Result<HashMap<String, Resolution>> {
    let public = Audience::public(at);
    let codes = codes_with_owners(conn, wanted)?;
    let reach = Reach::of_units(conn, &public)?;
    let mut out = HashMap::new();
    let mut targets = Vec::new();
    let unknown = Arc::new(IdTexts::default());
    for text in wanted {
        let ttl = at + RESOLUTION_TTL;
        let r = match codes.get(text) {
            None => Resolution {
                found: None,
                outcome: ScanOutcome::UnknownCode,
                slug: None,
                until: ttl,
                ids: unknown.clone(),
            },
            Some(found @ (q, unit, place_archived)) => {
                let retired = *place_archived || !reach.shows_content(*unit, false);
                let outcome = q.scan_outcome(at, retired);
                if outcome == ScanOutcome::Ok {
                    targets.push(q.target);
                }
                let until = q.expires_at.filter(|end| *end > at).map_or(ttl, |end| end.min(ttl));
                let ids = Arc::new(IdTexts::new(Some(q.id), Some(q.place_id), Some(*unit), Some(q.target)));
                Resolution { found: Some(found.clone()), outcome, slug: None, until, ids }
            }
        };
        out.insert(text.clone(), r);
    }
    let slugs = if targets.is_empty() { HashMap::new() } else { public_slugs(conn, &public, &targets)? };
    for r in out.values_mut() {
        if r.outcome != ScanOutcome::Ok {
            continue;
        }
        let target = r.found.as_ref().map(|(q, _, _)| q.target);
        match target.and_then(|t| slugs.get(&t)) {
            Some((slug, end)) => {
                r.slug = Some(slug.clone());
                if let Some(end) = end {
                    r.until = r.until.min(*end);
                }
            }
            None => {
                r.outcome = ScanOutcome::TargetUnavailable;
                // A scheduled article opens at its moment, not up to a time-to-live later.
                if let Some(QrTarget::Article(id)) = target
                    && let Some(start) = scheduled_start(conn, id, at)?
                {
                    r.until = r.until.min(start);
                }
            }
        }
    }
    Ok(out)
}

/// When a published article that is not online yet goes online, if it is such an article.
fn scheduled_start(conn: &mut DbConnection, id: ArticleId, at: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    use crate::schema::articles;
    let row: Option<(bool, NaiveDateTime)> = articles::table
        .filter(articles::id.eq(id.to_string()))
        .select((articles::live, articles::published_at))
        .first(conn)
        .optional()?;
    Ok(row.filter(|(live, _)| *live).map(|(_, start)| from_db(start)).filter(|start| *start > at))
}

/// Records a batch of scans at `at` in the caller's transaction, in order; returns one answer each.
/// `known` carries resolutions between batches; `generation` is the store's write count now.
pub(crate) fn record_batch(
    conn: &mut DbConnection,
    at: DateTime<Utc>,
    zone: StatsZone,
    requests: &[ScanRequest],
    known: &mut Resolutions,
    generation: u64,
    recent: &RecentScans,
) -> Result<Vec<Scanned>> {
    let client_ids: Vec<String> = requests.iter().filter_map(|r| r.client_id.map(|i| i.to_string())).collect();
    let mut earlier: HashMap<String, ScanEvent> = HashMap::new();
    if !client_ids.is_empty() {
        let rows: Vec<ScanRow> =
            scans::table.filter(scans::client_scan_id.eq_any(&client_ids)).select(ScanRow::as_select()).load(conn)?;
        for r in rows {
            let key = r.client_scan_id.clone().unwrap_or_default();
            earlier.insert(key, event_of(r)?);
        }
    }
    if known.generation != generation || known.entries.len() > MAX_RESOLUTIONS {
        known.entries.clear();
        known.generation = generation;
    }
    known.entries.retain(|_, r| at < r.until);
    let texts: Vec<Option<String>> =
        requests.iter().map(|r| QrCodeValue::parse(&r.raw).ok().map(|c| c.to_string())).collect();
    let wanted: Vec<String> = texts
        .iter()
        .flatten()
        .filter(|t| !known.entries.contains_key(*t))
        .cloned()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if !wanted.is_empty() {
        // Looking up anyway: entries that would expire soon are looked up with these, so the
        // cache is renewed in a few large lookups rather than a small one in every batch.
        let mut wanted = wanted;
        let soon = at + RESOLUTION_TTL / 2;
        wanted.extend(known.entries.iter().filter(|(_, r)| r.until <= soon).map(|(t, _)| t.clone()).take(MAX_RENEWED));
        known.entries.extend(resolve(conn, at, &wanted)?);
    }
    let unknown = Resolution {
        found: None,
        outcome: ScanOutcome::UnknownCode,
        slug: None,
        until: at,
        ids: Arc::new(IdTexts::default()),
    };
    let resolved: Vec<Resolution> =
        texts.iter().map(|t| t.as_ref().and_then(|t| known.entries.get(t)).unwrap_or(&unknown).clone()).collect();
    // Scans of this batch, not yet in `recent` (noted there only once committed).
    let mut this_batch = HashMap::new();

    let local_day = zone.day_of(at);
    let mut out = Vec::with_capacity(requests.len());
    // The scans to store: where each is in `out`, its id columns and the id its app chose.
    let mut fresh = Vec::with_capacity(requests.len());
    for (request, res) in requests.iter().zip(resolved) {
        let Resolution { found, outcome, slug: target_slug, ids, .. } = res;
        let qr = found.as_ref().map(|(q, _, _)| q.clone());
        let key = request.client_id.map(|i| i.to_string());
        if let Some(first) = key.as_ref().and_then(|k| earlier.get(k)) {
            out.push(Scanned { event: first.clone(), qr, target_slug, duplicate: true });
            continue;
        }
        let pair = RecentScans::pair_of(request.visitor.as_ref(), qr.as_ref().map(|q| q.id), request.device);
        let repeat = pair.is_some_and(|p| is_repeat(this_batch.get(&p).copied().or_else(|| recent.last(&p)), at));
        let event = ScanEvent {
            id: ScanId::generate(),
            occurred_at: at,
            scanned_text: scanned_text(&request.raw),
            qr_code_id: qr.as_ref().map(|q| q.id),
            place_id: qr.as_ref().map(|q| q.place_id),
            unit_id: found.as_ref().map(|(_, unit, _)| *unit),
            target: qr.as_ref().map(|q| q.target),
            outcome,
            locale: request.locale.clone(),
            local_day,
            device: request.device,
            repeat,
            visitor: request.visitor.clone(),
            source: request.source,
        };
        if let Some(p) = pair {
            this_batch.insert(p, at);
        }
        if let Some(k) = key {
            earlier.insert(k, event.clone());
        }
        fresh.push((out.len(), ids, request.client_id));
        out.push(Scanned { event, qr, target_slug, duplicate: false });
    }
    // Every row of the batch has the batch's moment and day: their texts are written once.
    let (moment, day) = (Moment::of(at), Shared::of(local_day.to_string()));
    let rows: Vec<NewScan> =
        fresh.iter().map(|(i, ids, client_id)| new_scan(&out[*i].event, ids, &moment, &day, *client_id)).collect();
    // An insert stores all its rows or fails; should it ever report fewer, no caller may be told
    // its scan was recorded (the transaction rolls back).
    let stored = insert_rows(conn, &rows)?;
    if stored != rows.len() {
        return Err(crate::StoreError::Task(format!("{stored} of {} scan rows stored", rows.len())));
    }
    Ok(out)
}

/// Inserts scan rows with multi-row statements on the backend's own connection (diesel's
/// multi-backend connection has no multi-row insert, and passes every bind through a generic,
/// allocating collector). Statements of fixed sizes (64, 32, …, 2 and 1 rows) are prepared once and
/// kept by diesel's statement cache (a statement of any other length would be written and looked
/// up anew); a batch takes them by the binary digits of its length, so 22 scans are 3 statements.
fn insert_rows(conn: &mut DbConnection, rows: &[NewScan]) -> Result<usize> {
    let mut stored = 0;
    let mut rest = rows;
    while !rest.is_empty() {
        let (n, insert): (usize, InsertRows) = match rest.len() {
            64.. => (64, insert_fixed::<64>),
            32.. => (32, insert_fixed::<32>),
            16.. => (16, insert_fixed::<16>),
            8.. => (8, insert_fixed::<8>),
            4.. => (4, insert_fixed::<4>),
            2.. => (2, insert_fixed::<2>),
            _ => (1, insert_fixed::<1>),
        };
        let (chunk, after) = rest.split_at(n);
        stored += insert(conn, chunk)?;
        rest = after;
    }
    Ok(stored)
}

/// A statement of a fixed number of rows.
type InsertRows = fn(&mut DbConnection, &[NewScan]) -> Result<usize>;

/// One statement of exactly `N` rows (16 bound columns a row: 64 rows stay far under either
/// backend's limit).
fn insert_fixed<const N: usize>(conn: &mut DbConnection, chunk: &[NewScan]) -> Result<usize> {
    let rows: &[NewScan; N] =
        chunk.try_into().map_err(|_| crate::StoreError::Task(format!("{} scan rows are not {N}", chunk.len())))?;
    let insert = diesel::insert_into(scans::table).values(rows);
    Ok(match conn {
        DbConnection::Sqlite(c) => insert.execute(c)?,
        DbConnection::Pg(c) => insert.execute(c)?,
    })
}

/// Notes the scans of a committed batch in the repeat window.
pub(crate) fn note_committed(recent: &mut RecentScans, done: &[Scanned]) {
    for s in done.iter().filter(|s| !s.duplicate) {
        if let Some(p) = RecentScans::pair_of(s.event.visitor.as_ref(), s.event.qr_code_id, s.event.device) {
            recent.note(p, s.event.occurred_at);
        }
    }
}

impl Store {
    /// Records scans in one transaction (what the scan writer does with each batch), at this moment.
    /// Repeats are told only within `requests`: the repeat window lives in the scan writer's memory.
    pub async fn record_scans(&self, requests: Vec<ScanRequest>, zone: StatsZone) -> Result<Vec<Scanned>> {
        let recent = RecentScans::default();
        self.transaction(move |c| {
            let done = record_batch(c, now(), zone, &requests, &mut Resolutions::default(), 0, &recent)?;
            LastScans::of(&done).store(c)?;
            Ok(done)
        })
        .await
    }

    /// Records one scan of `raw` by an unknown phone, committed before this returns (tests, tools).
    pub async fn record_scan(&self, raw: String, locale: Option<Locale>) -> Result<Scanned> {
        let request = ScanRequest { locale, ..ScanRequest::link(&raw) };
        let mut done = self.record_scans(vec![request], StatsZone::default()).await?;
        done.pop().ok_or_else(|| crate::StoreError::Task("a batch of one scan gave no answer".into()))
    }

    /// Stores scans recorded elsewhere (an offline post box's history, a benchmark's), as they are:
    /// no outcome or repeat is worked out again. One transaction; rows go in several per statement.
    /// The only write into finished days: their statistics summaries are dropped in it.
    pub async fn import_scans(&self, events: Vec<ScanEvent>) -> Result<usize> {
        self.transaction(move |c| {
            let days: Vec<String> =
                events.iter().map(|e| e.local_day).collect::<BTreeSet<_>>().iter().map(ToString::to_string).collect();
            crate::scan_stats::forget_days(c, &days)?;
            // Each imported scan has its own moment and day.
            let rows: Vec<NewScan> = events
                .iter()
                .map(|e| {
                    let day = Shared::of(e.local_day.to_string());
                    new_scan(e, &IdTexts::of_event(e), &Moment::of(e.occurred_at), &day, None)
                })
                .collect();
            let stored = insert_rows(c, &rows)?;
            LastScans::of_events(&events).store(c)?;
            Ok(stored)
        })
        .await
    }

    /// How many scans were recorded with this text (a known code's text is its code).
    pub async fn scan_count(&self, scanned: String, outcome: Option<ScanOutcome>) -> Result<i64> {
        self.run(move |c| {
            let mut q = scans::table.filter(scans::scanned_text.eq(scanned_text(&scanned))).into_boxed();
            if let Some(o) = outcome {
                q = q.filter(scans::outcome.eq(o.as_str()));
            }
            Ok(q.count().get_result(c)?)
        })
        .await
    }

    /// All scans recorded, whatever their code or outcome.
    pub async fn scan_total(&self) -> Result<i64> {
        self.run(|c| Ok(scans::table.count().get_result(c)?)).await
    }

    /// Every scan of a code's text, oldest first (for tests and exports).
    pub async fn scans_of(&self, scanned: String) -> Result<Vec<ScanEvent>> {
        self.run(move |c| {
            let rows: Vec<ScanRow> = scans::table
                .filter(scans::scanned_text.eq(scanned_text(&scanned)))
                .order((scans::occurred_at, scans::id))
                .select(ScanRow::as_select())
                .load(c)?;
            rows.into_iter().map(event_of).collect()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::micros;
    use diesel::connection::{Instrumentation, InstrumentationEvent};
    use std::sync::{Arc, Mutex};

    fn row(n: usize) -> NewScan {
        NewScan {
            id: format!("0190f000-0000-7000-8000-{n:012}"),
            occurred_at: Moment::of(DateTime::default()),
            scanned_text: "K4PVHZ".to_owned(),
            qr_code_id: None,
            place_id: None,
            unit_id: None,
            target_kind: None,
            target_id: None,
            outcome: "unknown_code",
            locale: None,
            local_day: Shared::of("2026-12-04".to_owned()),
            device: "android",
            is_repeat: false,
            visitor_key: None,
            source: "link",
            client_scan_id: None,
        }
    }

    /// What a connection was asked to run, in order.
    #[derive(Clone, Default)]
    struct Statements(Arc<Mutex<Vec<String>>>);

    impl Instrumentation for Statements {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            let text = match event {
                InstrumentationEvent::StartQuery { query, .. } => query.to_string(),
                InstrumentationEvent::BeginTransaction { .. } => "begin".to_owned(),
                _ => return,
            };
            self.0.lock().expect("statements").push(text);
        }
    }

    /// A batch's moment is written as text once for all its rows: that text must be what diesel
    /// itself writes for the moment, or stored scans would not compare with other timestamps.
    #[tokio::test]
    async fn a_scan_moment_is_stored_as_diesel_writes_a_timestamp() {
        let db = crate::testing::TestDatabase::sqlite();
        db.store().await;
        let path = db.url.strip_prefix("sqlite://").expect("sqlite url");
        let mut conn = diesel::SqliteConnection::establish(path).expect("open");
        #[derive(QueryableByName)]
        struct Text {
            #[diesel(sql_type = diesel::sql_types::Text)]
            t: String,
        }
        let whole = DateTime::parse_from_rfc3339("2026-12-04T16:59:59Z").expect("time").to_utc();
        let fraction = DateTime::parse_from_rfc3339("2026-12-04T17:00:00.123456789Z").expect("time").to_utc();
        for at in [whole, fraction] {
            let diesels: Text = diesel::sql_query("SELECT CAST(? AS TEXT) AS t")
                .bind::<diesel::sql_types::Timestamp, _>(to_db(at))
                .get_result(&mut conn)
                .expect("diesel's text");
            let mut one = row(1);
            one.occurred_at = Moment::of(at);
            let mut sqlite = DbConnection::Sqlite(diesel::SqliteConnection::establish(path).expect("open"));
            diesel::delete(scans::table).execute(&mut sqlite).expect("empty");
            assert_eq!(insert_rows(&mut sqlite, &[one]).expect("insert"), 1);
            let stored: Text =
                diesel::sql_query("SELECT occurred_at AS t FROM scans").get_result(&mut conn).expect("stored");
            assert_eq!(stored.t, diesels.t);
            let back: NaiveDateTime = scans::table.select(scans::occurred_at).first(&mut conn).expect("read back");
            assert_eq!(from_db(back), micros(at));
        }
    }

    /// Nine rows with NULLs are two statements (eight rows, then one), each prepared once: a `None`
    /// written as `DEFAULT` would make each row its own statement in its own savepoint.
    #[tokio::test]
    async fn a_batch_of_scan_rows_is_a_few_multi_row_statements() {
        let db = crate::testing::TestDatabase::sqlite();
        db.store().await;
        let path = db.url.strip_prefix("sqlite://").expect("sqlite url");
        let mut conn = diesel::SqliteConnection::establish(path).expect("open");
        let seen = Statements::default();
        conn.set_instrumentation(seen.clone());
        let mut conn = DbConnection::Sqlite(conn);
        let rows: Vec<NewScan> = (0..9).map(row).collect();
        assert_eq!(insert_rows(&mut conn, &rows).expect("insert"), 9);
        let seen = seen.0.lock().expect("statements").clone();
        assert_eq!(seen.len(), 2, "{seen:#?}");
        assert!(seen.iter().all(|s| s.starts_with("INSERT INTO `scans`")), "{seen:#?}");
        assert_eq!(seen[0].matches("), (").count(), 7, "eight rows in the first statement: {}", seen[0]);
    }
}
