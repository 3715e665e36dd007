//! QR code records.

use crate::Store;
use crate::audience::{Audience, Reach};
use crate::convert::{corrupt, from_db, ids, now, parse, to_db};
use crate::db::DbConnection;
use crate::error::{Result, StoreError};
use crate::schema::{articles, categories, places, qr_codes, units};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontier_domain::{PlaceId, QrCode, QrCodeId, QrCodeValue, QrTarget, QrTargetKind, UnitId};

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
}

#[derive(Debug, Clone)]
pub struct NewQrCode {
    pub code: QrCodeValue,
    pub place: PlaceId,
    pub target: QrTarget,
    pub active: bool,
}

fn to_domain(r: QrCodeRow) -> Result<QrCode> {
    let kind = QrTargetKind::parse(&r.target_kind).map_err(|e| corrupt("qr_codes.target_kind", e))?;
    Ok(QrCode {
        id: parse("qr_codes.id", &r.id)?,
        code: QrCodeValue::parse(&r.code).map_err(|e| corrupt("qr_codes.code", e))?,
        place_id: parse("qr_codes.place_id", &r.place_id)?,
        target: QrTarget::from_parts(kind, &r.target_id).map_err(|e| corrupt("qr_codes.target_id", e))?,
        active: r.active,
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

fn by_place_ids(conn: &mut DbConnection, wanted: &[PlaceId]) -> Result<Vec<QrCode>> {
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
pub(crate) fn save(conn: &mut DbConnection, existing: Option<QrCode>, new: NewQrCode) -> Result<QrCode> {
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
    };
    let id = row.id.clone();
    match existing {
        Some(_) => diesel::update(qr_codes::table.find(&id)).set(&row).execute(conn)?,
        None => diesel::insert_into(qr_codes::table).values(&row).execute(conn)?,
    };
    by_code(conn, &new.code)?.ok_or_else(|| StoreError::NotFound(format!("qr code {id}")))
}

fn upsert(conn: &mut DbConnection, new: NewQrCode) -> Result<QrCode> {
    let existing = by_code(conn, &new.code)?;
    save(conn, existing, new)
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

    /// Every code, by code (for printing and listing).
    pub async fn qr_codes(&self) -> Result<Vec<QrCode>> {
        self.run(all).await
    }

    /// Creates the code, or updates the record with the same code.
    pub async fn save_qr_code(&self, new: NewQrCode) -> Result<QrCode> {
        self.transaction(move |c| upsert(c, new)).await
    }
}
