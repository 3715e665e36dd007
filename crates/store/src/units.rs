//! Organisational units.

use crate::Store;
use crate::audience::{Audience, Reach};
use crate::convert::{corrupt, from_db, ids, now, parse, to_db};
use crate::db::DbConnection;
use crate::error::{Result, StoreError};
use crate::schema::units;
use crate::texts;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontier_domain::translation::NamedText;
use frontier_domain::{Slug, Translated, Unit, UnitId, UnitKind};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = units, treat_none_as_null = true)]
struct UnitRow {
    id: String,
    slug: String,
    kind: String,
    parent_id: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    archived_at: Option<NaiveDateTime>,
    version: i64,
}

/// What a caller supplies to create or update a unit (matched by slug).
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub slug: Slug,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub texts: Translated<NamedText>,
}

fn assemble(conn: &mut DbConnection, rows: Vec<UnitRow>) -> Result<Vec<Unit>> {
    let owners: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut all_texts = texts::load(conn, &owners)?;
    rows.into_iter()
        .map(|r| {
            Ok(Unit {
                id: parse("units.id", &r.id)?,
                slug: Slug::parse(&r.slug).map_err(|e| corrupt("units.slug", e))?,
                kind: UnitKind::parse(&r.kind).map_err(|e| corrupt("units.kind", e))?,
                parent_id: r.parent_id.as_deref().map(|p| parse("units.parent_id", p)).transpose()?,
                phone: r.phone,
                address: r.address,
                texts: all_texts.remove(&r.id).unwrap_or_else(Translated::empty),
                created_at: from_db(r.created_at),
                updated_at: from_db(r.updated_at),
                archived_at: r.archived_at.map(from_db),
                version: r.version,
            })
        })
        .collect()
}

fn kind_rank(k: UnitKind) -> u8 {
    match k {
        UnitKind::ProvinceCommand => 0,
        UnitKind::BorderPost => 1,
        UnitKind::Station => 2,
    }
}

pub(crate) fn all(conn: &mut DbConnection) -> Result<Vec<Unit>> {
    let rows = units::table.order(units::slug).select(UnitRow::as_select()).load(conn)?;
    let mut out = assemble(conn, rows)?;
    out.sort_by(|a, b| kind_rank(a.kind).cmp(&kind_rank(b.kind)).then_with(|| a.slug.cmp(&b.slug)));
    Ok(out)
}

pub(crate) fn by_ids(conn: &mut DbConnection, wanted: &[UnitId]) -> Result<Vec<Unit>> {
    let rows = units::table.filter(units::id.eq_any(ids(wanted))).select(UnitRow::as_select()).load(conn)?;
    assemble(conn, rows)
}

fn by_parents(conn: &mut DbConnection, parents: &[UnitId]) -> Result<Vec<Unit>> {
    let rows = units::table
        .filter(units::parent_id.eq_any(ids(parents)))
        .order(units::slug)
        .select(UnitRow::as_select())
        .load(conn)?;
    assemble(conn, rows)
}

pub(crate) fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<Unit>> {
    let rows = units::table.filter(units::slug.eq(slug)).select(UnitRow::as_select()).load(conn)?;
    Ok(assemble(conn, rows)?.pop())
}

/// Every unit's parent link: the tree, for subtree filters.
pub(crate) fn links(conn: &mut DbConnection) -> Result<Vec<(UnitId, Option<UnitId>)>> {
    let rows: Vec<(String, Option<String>)> = units::table.select((units::id, units::parent_id)).load(conn)?;
    rows.into_iter()
        .map(|(id, p)| Ok((parse("units.id", &id)?, p.as_deref().map(|p| parse("units.parent_id", p)).transpose()?)))
        .collect()
}

/// Writes `new` over `existing` (keeping its id, creation time and archive state), or as a new
/// record.
pub(crate) fn save(conn: &mut DbConnection, existing: Option<Unit>, new: NewUnit) -> Result<Unit> {
    new.texts.require_default("name")?;
    let parent_kind = match new.parent {
        Some(p) => {
            let parent = by_ids(conn, &[p])?.pop().ok_or_else(|| StoreError::NotFound(format!("parent unit {p}")))?;
            Some(parent.kind)
        }
        None => None,
    };
    new.kind.check_parent(parent_kind)?;
    let t = to_db(now());
    let row = UnitRow {
        id: existing.as_ref().map_or_else(|| UnitId::generate().to_string(), |u| u.id.to_string()),
        slug: new.slug.to_string(),
        kind: new.kind.as_str().to_owned(),
        parent_id: new.parent.map(|p| p.to_string()),
        phone: new.phone,
        address: new.address,
        created_at: existing.as_ref().map_or(t, |u| to_db(u.created_at)),
        updated_at: t,
        archived_at: existing.as_ref().and_then(|u| u.archived_at.map(to_db)),
        version: existing.as_ref().map_or(1, |u| u.version + 1),
    };
    if let (Some(existing), Some(parent)) = (&existing, new.parent)
        && frontier_domain::tree::would_cycle(&links(conn)?, existing.id, parent)
    {
        return Err(frontier_domain::ValidationError::new("parent", "a unit cannot be placed below itself").into());
    }
    let id = row.id.clone();
    match existing {
        Some(_) => diesel::update(units::table.find(&id)).set(&row).execute(conn)?,
        None => diesel::insert_into(units::table).values(&row).execute(conn)?,
    };
    texts::replace(conn, &id, &new.texts)?;
    by_ids(conn, &[parse("units.id", &id)?])?.pop().ok_or_else(|| StoreError::NotFound(format!("unit {id}")))
}

fn upsert(conn: &mut DbConnection, new: NewUnit) -> Result<Unit> {
    let existing = by_slug(conn, new.slug.as_str())?;
    save(conn, existing, new)
}

/// Keeps the units the audience may see.
pub(crate) fn seen(conn: &mut DbConnection, audience: &Audience, units: Vec<Unit>) -> Result<Vec<Unit>> {
    let reach = Reach::of_units(conn, audience)?;
    Ok(units.into_iter().filter(|u| reach.shows_unit(u.id)).collect())
}

impl Store {
    /// All units the audience may see, province command first, then posts, then stations.
    pub async fn units(&self, audience: Audience) -> Result<Vec<Unit>> {
        self.run(move |c| {
            let units = all(c)?;
            seen(c, &audience, units)
        })
        .await
    }

    pub async fn units_by_ids(&self, audience: Audience, ids: Vec<UnitId>) -> Result<Vec<Unit>> {
        self.run(move |c| {
            let units = by_ids(c, &ids)?;
            seen(c, &audience, units)
        })
        .await
    }

    /// The units directly below each given unit, by slug.
    pub async fn units_by_parents(&self, audience: Audience, parents: Vec<UnitId>) -> Result<Vec<Unit>> {
        self.run(move |c| {
            let units = by_parents(c, &parents)?;
            seen(c, &audience, units)
        })
        .await
    }

    pub async fn unit_by_slug(&self, audience: Audience, slug: String) -> Result<Option<Unit>> {
        self.run(move |c| {
            let units = by_slug(c, &slug)?.into_iter().collect();
            Ok(seen(c, &audience, units)?.pop())
        })
        .await
    }

    /// Every unit, archived ones included (for administration).
    pub async fn units_any(&self) -> Result<Vec<Unit>> {
        self.run(all).await
    }

    /// The unit with this slug whatever its state: for resolving arguments of writes and imports.
    pub async fn unit_by_slug_any(&self, slug: String) -> Result<Option<Unit>> {
        self.run(move |c| by_slug(c, &slug)).await
    }

    /// Every unit with its parent: the tree the policy checks scopes against.
    pub async fn unit_links(&self) -> Result<Vec<(UnitId, Option<UnitId>)>> {
        self.run(links).await
    }

    /// Creates the unit, or updates the one with the same slug.
    pub async fn save_unit(&self, new: NewUnit) -> Result<Unit> {
        self.transaction(move |c| upsert(c, new)).await
    }
}
