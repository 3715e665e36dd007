//! Scan events, recorded in batches: one transaction looks up every code of the batch, decides each
//! outcome and repeat, and inserts the rows. The scan writer (`scan_writer.rs`) feeds it; a phone
//! gets its redirect only after the batch holding its scan has committed.

use crate::Store;
use crate::audience::{Audience, Reach};
use crate::code_scans::LastScans;
use crate::convert::{from_db, now, parse};
use crate::db::DbConnection;
use crate::error::Result;
use crate::repeats::{RecentScans, Subject};
use crate::scan_rows::{IdTexts, Moment, NewScan, ScanRow, Shared, event_of, insert_rows, new_scan};
use crate::schema::{places, scans};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use frontier_domain::scan::{is_repeat, scanned_text};
use frontier_domain::{
    ArticleId, CategoryId, DeviceClass, Locale, PlaceId, QrCode, QrCodeValue, QrTarget, QrTargetKind, ScanEvent,
    ScanId, ScanOutcome, ScanSource, Slug, StatsZone, UnitId, VisitorKey,
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
    let Decided { out, fresh } = decide_batch(conn, at, zone, requests, known, generation, recent, &Unfiled::new())?;
    // Every row of the batch has the batch's moment and day: their texts are written once.
    let (moment, day) = (Moment::of(at), Shared::of(zone.day_of(at).to_string()));
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

/// App scans in the scan inbox and maybe not filed yet, by the id their app chose, with their
/// record's number.
pub(crate) type Unfiled = HashMap<String, (i64, ScanEvent)>;

/// A batch's answers, and the scans among them to store: where each is in `out`, its id columns
/// and the id its app chose.
pub(crate) struct Decided {
    pub out: Vec<Scanned>,
    pub fresh: Vec<(usize, Arc<IdTexts>, Option<ScanId>)>,
}

/// Works out each scan of a batch at `at`: its code, outcome, target and whether it repeats one, and
/// which are an app's retried calls (found in `scans` or among `unfiled`, the app scans recorded
/// but not in `scans` yet, by the id the app chose). Reads only.
#[allow(clippy::too_many_arguments)]
pub(crate) fn decide_batch(
    conn: &mut DbConnection,
    at: DateTime<Utc>,
    zone: StatsZone,
    requests: &[ScanRequest],
    known: &mut Resolutions,
    generation: u64,
    recent: &RecentScans,
    unfiled: &Unfiled,
) -> Result<Decided> {
    let client_ids: Vec<String> = requests.iter().filter_map(|r| r.client_id.map(|i| i.to_string())).collect();
    let mut earlier: HashMap<String, ScanEvent> = HashMap::new();
    for id in &client_ids {
        if let Some((_, e)) = unfiled.get(id) {
            earlier.insert(id.clone(), e.clone());
        }
    }
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
        let text = scanned_text(&request.raw);
        let scanned = Subject::of(qr.as_ref().map(|q| q.id), &text);
        let pair = RecentScans::pair_of(request.visitor.as_ref(), scanned, request.device);
        let repeat = pair.is_some_and(|p| is_repeat(this_batch.get(&p).copied().or_else(|| recent.last(&p)), at));
        let event = ScanEvent {
            id: ScanId::generate(),
            occurred_at: at,
            scanned_text: text,
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
    Ok(Decided { out, fresh })
}

/// Notes the scans of a committed batch in the repeat window.
pub(crate) fn note_committed(recent: &mut RecentScans, done: &[Scanned]) {
    for s in done.iter().filter(|s| !s.duplicate) {
        let scanned = Subject::of(s.event.qr_code_id, &s.event.scanned_text);
        if let Some(p) = RecentScans::pair_of(s.event.visitor.as_ref(), scanned, s.event.device) {
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
        self.scans_settled().await?;
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
        self.scans_settled().await?;
        self.run(|c| Ok(scans::table.count().get_result(c)?)).await
    }

    /// Every scan of a code's text, oldest first (for tests and exports).
    pub async fn scans_of(&self, scanned: String) -> Result<Vec<ScanEvent>> {
        self.scans_settled().await?;
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
