//! QR code records.

use crate::Store;
use crate::audience::{Audience, Reach};
use crate::convert::{corrupt, from_db, ids, now, parse, to_db};
use crate::db::DbConnection;
use crate::error::{Result, StoreError};
use crate::schema::{articles, categories, places, qr_code_targets, qr_codes, units};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontier_domain::{PlaceId, QrCode, QrCodeId, QrCodeValue, QrTarget, QrTargetChange, QrTargetKind, UnitId};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = qr_codes, treat_none_as_null = true)]
struct QrCodeRow {
    id: String,
    code: String,
    place_id: String,
    target_kind: String,
    target_id: String,
    active: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    archived_at: Option<NaiveDateTime>,
    version: i64,
    expires_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewQrCode {
    pub code: QrCodeValue,
    pub place: PlaceId,
    pub target: QrTarget,
    pub active: bool,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn to_domain(r: QrCodeRow) -> Result<QrCode> {
    let kind = QrTargetKind::parse(&r.target_kind).map_err(|e| corrupt("qr_codes.target_kind", e))?;
    Ok(QrCode {
        id: parse("qr_codes.id", &r.id)?,
        code: QrCodeValue::parse(&r.code).map_err(|e| corrupt("qr_codes.code", e))?,
        place_id: parse("qr_codes.place_id", &r.place_id)?,
        target: QrTarget::from_parts(kind, &r.target_id).map_err(|e| corrupt("qr_codes.target_id", e))?,
        active: r.active,
        expires_at: r.expires_at.map(from_db),
        created_at: from_db(r.created_at),
        updated_at: from_db(r.updated_at),
        archived_at: r.archived_at.map(from_db),
        version: r.version,
    })
}

fn load(rows: Vec<QrCodeRow>) -> Result<Vec<QrCode>> {
    rows.into_iter().map(to_domain).collect()
}

pub(crate) fn by_code(conn: &mut DbConnection, code: &QrCodeValue) -> Result<Option<QrCode>> {
    let rows = qr_codes::table.filter(qr_codes::code.eq(code.as_str())).select(QrCodeRow::as_select()).load(conn)?;
    Ok(load(rows)?.pop())
}

/// The codes among these texts (already upper case).
pub(crate) fn by_codes(conn: &mut DbConnection, codes: &[String]) -> Result<Vec<QrCode>> {
    load(qr_codes::table.filter(qr_codes::code.eq_any(codes)).select(QrCodeRow::as_select()).load(conn)?)
}

pub(crate) fn by_place_ids(conn: &mut DbConnection, wanted: &[PlaceId]) -> Result<Vec<QrCode>> {
    let rows = qr_codes::table
        .filter(qr_codes::place_id.eq_any(ids(wanted)))
        .order(qr_codes::code)
        .select(QrCodeRow::as_select())
        .load(conn)?;
    load(rows)
}

pub(crate) fn by_ids_any(conn: &mut DbConnection, wanted: &[QrCodeId]) -> Result<Vec<QrCode>> {
    let rows = qr_codes::table.filter(qr_codes::id.eq_any(ids(wanted))).select(QrCodeRow::as_select()).load(conn)?;
    load(rows)
}

fn all(conn: &mut DbConnection) -> Result<Vec<QrCode>> {
    load(qr_codes::table.order(qr_codes::code).select(QrCodeRow::as_select()).load(conn)?)
}

/// The target must exist: a code pointing nowhere would send a phone to an error page.
fn check_target(conn: &mut DbConnection, target: &QrTarget) -> Result<()> {
    let id = target.id_string();
    let found: i64 = match target {
        QrTarget::Article(_) => articles::table.filter(articles::id.eq(&id)).count().get_result(conn)?,
        QrTarget::Category(_) => categories::table.filter(categories::id.eq(&id)).count().get_result(conn)?,
        QrTarget::Place(_) => places::table.filter(places::id.eq(&id)).count().get_result(conn)?,
        QrTarget::Unit(_) => units::table.filter(units::id.eq(&id)).count().get_result(conn)?,
    };
    if found == 0 {
        return Err(StoreError::NotFound(format!("{} {id}", target.kind().as_str())));
    }
    Ok(())
}

/// Writes `new` over `existing` (keeping its id, creation time and archive state), or as a new
/// record.
/// A new target (or a code's first) goes into the code's target history, under `set_by`.
pub(crate) fn save(conn: &mut DbConnection, existing: Option<QrCode>, new: NewQrCode, set_by: &str) -> Result<QrCode> {
    let place: i64 = places::table.filter(places::id.eq(new.place.to_string())).count().get_result(conn)?;
    if place == 0 {
        return Err(StoreError::NotFound(format!("place {}", new.place)));
    }
    check_target(conn, &new.target)?;
    let t = to_db(now());
    let row = QrCodeRow {
        id: existing.as_ref().map_or_else(|| QrCodeId::generate().to_string(), |q| q.id.to_string()),
        code: new.code.to_string(),
        place_id: new.place.to_string(),
        target_kind: new.target.kind().as_str().to_owned(),
        target_id: new.target.id_string(),
        active: new.active,
        created_at: existing.as_ref().map_or(t, |q| to_db(q.created_at)),
        updated_at: t,
        archived_at: existing.as_ref().and_then(|q| q.archived_at.map(to_db)),
        version: existing.as_ref().map_or(1, |q| q.version + 1),
        expires_at: new.expires_at.map(to_db),
    };
    let id = row.id.clone();
    let retargeted = existing.as_ref().is_none_or(|q| q.target != new.target);
    match existing {
        Some(_) => diesel::update(qr_codes::table.find(&id)).set(&row).execute(conn)?,
        None => diesel::insert_into(qr_codes::table).values(&row).execute(conn)?,
    };
    if retargeted {
        diesel::insert_into(qr_code_targets::table)
            .values((
                qr_code_targets::qr_code_id.eq(&id),
                qr_code_targets::set_at.eq(t),
                qr_code_targets::target_kind.eq(&row.target_kind),
                qr_code_targets::target_id.eq(&row.target_id),
                qr_code_targets::set_by.eq(set_by),
            ))
            .execute(conn)?;
    }
    by_code(conn, &new.code)?.ok_or_else(|| StoreError::NotFound(format!("qr code {id}")))
}

fn upsert(conn: &mut DbConnection, new: NewQrCode) -> Result<QrCode> {
    let existing = by_code(conn, &new.code)?;
    save(conn, existing, new, "system")
}

/// A code's targets, oldest first.
fn target_history(conn: &mut DbConnection, id: QrCodeId) -> Result<Vec<QrTargetChange>> {
    let rows: Vec<(NaiveDateTime, String, String, String)> = qr_code_targets::table
        .filter(qr_code_targets::qr_code_id.eq(id.to_string()))
        .order(qr_code_targets::set_at)
        .select((
            qr_code_targets::set_at,
            qr_code_targets::target_kind,
            qr_code_targets::target_id,
            qr_code_targets::set_by,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(at, kind, target, by)| {
            let kind = QrTargetKind::parse(&kind).map_err(|e| corrupt("qr_code_targets.target_kind", e))?;
            let target = QrTarget::from_parts(kind, &target).map_err(|e| corrupt("qr_code_targets.target_id", e))?;
            Ok(QrTargetChange { target, set_at: from_db(at), set_by: by })
        })
        .collect()
}

/// Keeps the codes the audience may see: not archived, in a place it may see (archived codes and
/// places show in preview of their unit).
fn seen(conn: &mut DbConnection, audience: &Audience, all: Vec<QrCode>) -> Result<Vec<QrCode>> {
    let reach = Reach::of_units(conn, audience)?;
    let wanted: Vec<String> = all.iter().map(|q| q.place_id.to_string()).collect();
    let rows: Vec<(String, String, Option<NaiveDateTime>)> = places::table
        .filter(places::id.eq_any(&wanted))
        .select((places::id, places::unit_id, places::archived_at))
        .load(conn)?;
    let mut owner = std::collections::HashMap::new();
    for (id, unit, archived) in rows {
        owner.insert(id, (parse::<UnitId>("places.unit_id", &unit)?, archived.is_some()));
    }
    Ok(all
        .into_iter()
        .filter(|q| {
            owner
                .get(&q.place_id.to_string())
                .is_some_and(|(unit, archived)| reach.shows_content(*unit, *archived || q.archived_at.is_some()))
        })
        .collect())
}

impl Store {
    pub async fn qr_code_by_code(&self, audience: Audience, code: QrCodeValue) -> Result<Option<QrCode>> {
        self.run(move |c| {
            let all = by_code(c, &code)?.into_iter().collect();
            Ok(seen(c, &audience, all)?.pop())
        })
        .await
    }

    /// The code record whatever its state: for writes and imports.
    pub async fn qr_code_by_code_any(&self, code: QrCodeValue) -> Result<Option<QrCode>> {
        self.run(move |c| by_code(c, &code)).await
    }

    pub async fn qr_codes_by_ids(&self, audience: Audience, ids: Vec<QrCodeId>) -> Result<Vec<QrCode>> {
        self.run(move |c| {
            let all = by_ids_any(c, &ids)?;
            seen(c, &audience, all)
        })
        .await
    }

    /// The codes hanging in each given place, by code.
    pub async fn qr_codes_by_places(&self, audience: Audience, places: Vec<PlaceId>) -> Result<Vec<QrCode>> {
        self.run(move |c| {
            let all = by_place_ids(c, &places)?;
            seen(c, &audience, all)
        })
        .await
    }

    /// What the code opened over time, oldest first.
    pub async fn qr_target_history(&self, id: QrCodeId) -> Result<Vec<QrTargetChange>> {
        self.run(move |c| target_history(c, id)).await
    }

    /// Every code, by code (for printing and listing).
    pub async fn qr_codes(&self) -> Result<Vec<QrCode>> {
        self.run(all).await
    }

    /// Creates the code, or updates the record with the same code.
    pub async fn save_qr_code(&self, new: NewQrCode) -> Result<QrCode> {
        self.transaction(move |c| upsert(c, new)).await
    }
}
