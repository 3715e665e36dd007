//! Scan events.

use crate::Store;
use crate::audience::{Audience, Reach};
use crate::convert::{now, to_db};
use crate::db::DbConnection;
use crate::error::Result;
use crate::qr_codes;
use crate::schema::{places, scans};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontier_domain::scan::scanned_text;
use frontier_domain::{Locale, QrCode, QrCodeValue, QrTarget, ScanEvent, ScanId, ScanOutcome, Slug, UnitId};

#[derive(Insertable)]
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
}

/// What a recorded scan leads to.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub event: ScanEvent,
    /// The code it resolved to, if any.
    pub qr: Option<QrCode>,
    /// The slug of the code's target when readers may open it now (outcome `Ok`).
    pub target_slug: Option<Slug>,
}

/// The slug of what a target points at, when the public may see it now. A target readers may not
/// see (a draft, an expired article) has no slug here: it is not revealed.
fn public_slug(conn: &mut DbConnection, public: &Audience, target: QrTarget) -> Result<Option<Slug>> {
    Ok(match target {
        QrTarget::Article(id) => crate::articles::by_ids(conn, public, &[id])?.pop().map(|a| a.slug),
        QrTarget::Category(id) => {
            let all = crate::categories::by_ids(conn, &[id])?;
            crate::categories::seen(conn, public, all)?.pop().map(|c| c.slug)
        }
        QrTarget::Place(id) => {
            let all = crate::places::by_ids(conn, &[id])?;
            crate::places::seen(conn, public, all)?.pop().map(|p| p.slug)
        }
        QrTarget::Unit(id) => {
            let all = crate::units::by_ids(conn, &[id])?;
            crate::units::seen(conn, public, all)?.pop().map(|u| u.slug)
        }
    })
}

/// What a scan of `raw` would lead to now, without recording it.
fn resolve(conn: &mut DbConnection, raw: &str, locale: Option<Locale>) -> Result<Scanned> {
    let code = QrCodeValue::parse(raw).ok();
    let qr = match &code {
        Some(c) => qr_codes::by_code(conn, c)?,
        None => None,
    };
    let owner: Option<(String, Option<NaiveDateTime>)> = match &qr {
        Some(q) => places::table
            .filter(places::id.eq(q.place_id.to_string()))
            .select((places::unit_id, places::archived_at))
            .first(conn)
            .optional()?,
        None => None,
    };
    let unit_id: Option<UnitId> = owner.as_ref().and_then(|(u, _)| u.parse().ok());
    // A code is inactive when switched off, or when it, its place or its unit is archived: readers
    // can no longer see what it would open.
    let mut reachable = |q: &frontier_domain::QrCode| -> Result<bool> {
        let (Some(unit), Some((_, place_archived))) = (unit_id, &owner) else { return Ok(false) };
        let reach = Reach::of_units(conn, &Audience::public(now()))?;
        Ok(reach.shows_content(unit, place_archived.is_some() || q.archived_at.is_some()))
    };
    let mut target_slug = None;
    let outcome = match &qr {
        None => ScanOutcome::UnknownCode,
        Some(q) if !q.active => ScanOutcome::Inactive,
        Some(q) if !reachable(q)? => ScanOutcome::Inactive,
        Some(q) => {
            target_slug = public_slug(conn, &Audience::public(now()), q.target)?;
            if target_slug.is_some() { ScanOutcome::Ok } else { ScanOutcome::TargetUnavailable }
        }
    };
    let event = ScanEvent {
        id: ScanId::generate(),
        occurred_at: now(),
        scanned_text: scanned_text(raw),
        qr_code_id: qr.as_ref().map(|q| q.id),
        place_id: qr.as_ref().map(|q| q.place_id),
        unit_id,
        target: qr.as_ref().map(|q| q.target),
        outcome,
        locale,
    };
    Ok(Scanned { event, qr, target_slug })
}

/// Looks the code and its target up and records the scan in one transaction, so the stored row
/// always describes the code as it was when the phone asked.
fn record(conn: &mut DbConnection, raw: &str, locale: Option<Locale>) -> Result<Scanned> {
    let scanned = resolve(conn, raw, locale)?;
    let event = &scanned.event;
    diesel::insert_into(scans::table)
        .values(ScanRow {
            id: event.id.to_string(),
            occurred_at: to_db(event.occurred_at),
            scanned_text: event.scanned_text.clone(),
            qr_code_id: event.qr_code_id.map(|i| i.to_string()),
            place_id: event.place_id.map(|i| i.to_string()),
            unit_id: event.unit_id.map(|i| i.to_string()),
            target_kind: event.target.map(|t| t.kind().as_str().to_owned()),
            target_id: event.target.map(|t| t.id_string()),
            outcome: event.outcome.as_str().to_owned(),
            locale: event.locale.as_ref().map(ToString::to_string),
        })
        .execute(conn)?;
    Ok(scanned)
}

impl Store {
    /// Records one scan of `raw` (the code as it came in the URL, possibly malformed) and returns the
    /// event, the code it resolved to and where it leads. The row is committed before this returns.
    pub async fn record_scan(&self, raw: String, locale: Option<Locale>) -> Result<Scanned> {
        self.transaction(move |c| record(c, &raw, locale)).await
    }

    /// What a scan of `raw` would lead to now, recording nothing (for `HEAD` requests).
    pub async fn resolve_scan(&self, raw: String) -> Result<Scanned> {
        self.run(move |c| resolve(c, &raw, None)).await
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
}
