//! Places where QR codes hang.

use crate::Store;
use crate::audience::{Audience, Reach};
use crate::convert::{corrupt, from_db, ids, now, parse, to_db};
use crate::db::{DbConnection, MultiBackend};
use crate::error::{Result, StoreError};
use crate::schema::{places, units};
use crate::{Page, texts, units as unit_rows};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use frontier_domain::translation::NamedText;
use frontier_domain::tree::subtree;
use frontier_domain::{Coordinates, Place, PlaceId, PlaceKind, Slug, Translated, UnitId};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = places, treat_none_as_null = true)]
struct PlaceRow {
    id: String,
    slug: String,
    kind: String,
    unit_id: String,
    commune: Option<String>,
    village: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    archived_at: Option<NaiveDateTime>,
    version: i64,
}

#[derive(Debug, Clone)]
pub struct NewPlace {
    pub slug: Slug,
    pub kind: PlaceKind,
    pub unit: UnitId,
    pub commune: Option<String>,
    pub village: Option<String>,
    pub location: Option<Coordinates>,
    pub texts: Translated<NamedText>,
}

#[derive(Debug, Clone, Default)]
pub struct PlaceQuery {
    /// This unit and every unit below it.
    pub unit: Option<UnitId>,
    pub kind: Option<PlaceKind>,
    /// Slug of the last place of the previous page (places are listed by slug).
    pub after: Option<Slug>,
    pub first: i64,
}

fn assemble(conn: &mut DbConnection, rows: Vec<PlaceRow>) -> Result<Vec<Place>> {
    let owners: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut all_texts = texts::load(conn, &owners)?;
    rows.into_iter()
        .map(|r| {
            let location = match (r.latitude, r.longitude) {
                (Some(lat), Some(lon)) => Some(Coordinates::new(lat, lon).map_err(|e| corrupt("places.location", e))?),
                _ => None,
            };
            Ok(Place {
                id: parse("places.id", &r.id)?,
                slug: Slug::parse(&r.slug).map_err(|e| corrupt("places.slug", e))?,
                kind: PlaceKind::parse(&r.kind).map_err(|e| corrupt("places.kind", e))?,
                unit_id: parse("places.unit_id", &r.unit_id)?,
                commune: r.commune,
                village: r.village,
                location,
                texts: all_texts.remove(&r.id).unwrap_or_else(Translated::empty),
                created_at: from_db(r.created_at),
                updated_at: from_db(r.updated_at),
                archived_at: r.archived_at.map(from_db),
                version: r.version,
            })
        })
        .collect()
}

pub(crate) fn by_ids(conn: &mut DbConnection, wanted: &[PlaceId]) -> Result<Vec<Place>> {
    let rows = places::table.filter(places::id.eq_any(ids(wanted))).select(PlaceRow::as_select()).load(conn)?;
    assemble(conn, rows)
}

pub(crate) fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<Place>> {
    let rows = places::table.filter(places::slug.eq(slug)).select(PlaceRow::as_select()).load(conn)?;
    Ok(assemble(conn, rows)?.pop())
}

type Condition = Box<dyn BoxableExpression<places::table, MultiBackend, SqlType = Nullable<Bool>>>;

/// The rows this audience may see: the SQL form of [`Reach::shows_content`].
fn visible(reach: &Reach) -> Condition {
    let mut shown: Condition =
        Box::new(places::archived_at.is_null().and(places::unit_id.eq_any(Reach::strings(&reach.units))).nullable());
    if !reach.preview.is_empty() {
        shown = Box::new(shown.or(places::unit_id.eq_any(Reach::strings(&reach.preview)).nullable()));
    }
    if let Some(within) = &reach.within {
        shown = Box::new(shown.and(places::unit_id.eq_any(Reach::strings(within)).nullable()));
    }
    shown
}

fn filtered(
    reach: &Reach,
    units: &Option<Vec<String>>,
    kind: Option<PlaceKind>,
) -> places::BoxedQuery<'static, MultiBackend> {
    let mut query = places::table.filter(visible(reach)).into_boxed();
    if let Some(u) = units {
        query = query.filter(places::unit_id.eq_any(u.clone()));
    }
    if let Some(k) = kind {
        query = query.filter(places::kind.eq(k.as_str()));
    }
    query
}

fn page(conn: &mut DbConnection, audience: &Audience, q: &PlaceQuery) -> Result<Page<Place>> {
    let reach = Reach::of_units(conn, audience)?;
    let units = match q.unit {
        Some(root) => Some(ids(&subtree(&unit_rows::links(conn)?, root))),
        None => None,
    };
    let total: i64 = filtered(&reach, &units, q.kind).count().get_result(conn)?;
    let mut query = filtered(&reach, &units, q.kind).order(places::slug.asc());
    if let Some(after) = &q.after {
        query = query.filter(places::slug.gt(after.to_string()));
    }
    let first = q.first.max(0);
    let mut rows = query.limit(first + 1).select(PlaceRow::as_select()).load(conn)?;
    let has_next = rows.len() as i64 > first;
    rows.truncate(first as usize);
    Ok(Page { items: assemble(conn, rows)?, has_next, total })
}

/// Writes `new` over `existing` (keeping its id, creation time and archive state), or as a new
/// record.
pub(crate) fn save(conn: &mut DbConnection, existing: Option<Place>, new: NewPlace) -> Result<Place> {
    new.texts.require_default("name")?;
    let unit_exists: i64 = units::table.filter(units::id.eq(new.unit.to_string())).count().get_result(conn)?;
    if unit_exists == 0 {
        return Err(StoreError::NotFound(format!("unit {}", new.unit)));
    }
    let t = to_db(now());
    let row = PlaceRow {
        id: existing.as_ref().map_or_else(|| PlaceId::generate().to_string(), |p| p.id.to_string()),
        slug: new.slug.to_string(),
        kind: new.kind.as_str().to_owned(),
        unit_id: new.unit.to_string(),
        commune: new.commune,
        village: new.village,
        latitude: new.location.map(|l| l.latitude()),
        longitude: new.location.map(|l| l.longitude()),
        created_at: existing.as_ref().map_or(t, |p| to_db(p.created_at)),
        updated_at: t,
        archived_at: existing.as_ref().and_then(|p| p.archived_at.map(to_db)),
        version: existing.as_ref().map_or(1, |p| p.version + 1),
    };
    let id = row.id.clone();
    match existing {
        Some(_) => diesel::update(places::table.find(&id)).set(&row).execute(conn)?,
        None => diesel::insert_into(places::table).values(&row).execute(conn)?,
    };
    texts::replace(conn, &id, &new.texts)?;
    by_ids(conn, &[parse("places.id", &id)?])?.pop().ok_or_else(|| StoreError::NotFound(format!("place {id}")))
}

fn upsert(conn: &mut DbConnection, new: NewPlace) -> Result<Place> {
    let existing = by_slug(conn, new.slug.as_str())?;
    save(conn, existing, new)
}

/// Keeps the places the audience may see.
pub(crate) fn seen(conn: &mut DbConnection, audience: &Audience, all: Vec<Place>) -> Result<Vec<Place>> {
    let reach = Reach::of_units(conn, audience)?;
    Ok(all.into_iter().filter(|p| reach.shows_content(p.unit_id, p.archived_at.is_some())).collect())
}

impl Store {
    pub async fn places_by_ids(&self, audience: Audience, ids: Vec<PlaceId>) -> Result<Vec<Place>> {
        self.run(move |c| {
            let all = by_ids(c, &ids)?;
            seen(c, &audience, all)
        })
        .await
    }

    pub async fn place_by_slug(&self, audience: Audience, slug: String) -> Result<Option<Place>> {
        self.run(move |c| {
            let all = by_slug(c, &slug)?.into_iter().collect();
            Ok(seen(c, &audience, all)?.pop())
        })
        .await
    }

    /// The place with this slug whatever its state: for resolving arguments of writes and imports.
    pub async fn place_by_slug_any(&self, slug: String) -> Result<Option<Place>> {
        self.run(move |c| by_slug(c, &slug)).await
    }

    /// One page of the places this audience may see (by slug), with the total count of matches.
    pub async fn places(&self, audience: Audience, query: PlaceQuery) -> Result<Page<Place>> {
        self.run(move |c| page(c, &audience, &query)).await
    }

    pub async fn save_place(&self, new: NewPlace) -> Result<Place> {
        self.transaction(move |c| upsert(c, new)).await
    }
}
