//! Categories.

use crate::Store;
use crate::audience::{Audience, Reach};
use crate::convert::{corrupt, from_db, ids, now, parse, to_db};
use crate::db::DbConnection;
use crate::error::{Result, StoreError};
use crate::schema::categories;
use crate::texts;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontier_domain::translation::NamedText;
use frontier_domain::{Category, CategoryId, Slug, Translated, ValidationError};

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = categories, treat_none_as_null = true)]
struct CategoryRow {
    id: String,
    slug: String,
    parent_id: Option<String>,
    position: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    archived_at: Option<NaiveDateTime>,
    version: i64,
}

#[derive(Debug, Clone)]
pub struct NewCategory {
    pub slug: Slug,
    pub parent: Option<CategoryId>,
    pub position: i32,
    pub texts: Translated<NamedText>,
}

fn assemble(conn: &mut DbConnection, rows: Vec<CategoryRow>) -> Result<Vec<Category>> {
    let owners: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut all_texts = texts::load(conn, &owners)?;
    rows.into_iter()
        .map(|r| {
            Ok(Category {
                id: parse("categories.id", &r.id)?,
                slug: Slug::parse(&r.slug).map_err(|e| corrupt("categories.slug", e))?,
                parent_id: r.parent_id.as_deref().map(|p| parse("categories.parent_id", p)).transpose()?,
                position: r.position,
                texts: all_texts.remove(&r.id).unwrap_or_else(Translated::empty),
                created_at: from_db(r.created_at),
                updated_at: from_db(r.updated_at),
                archived_at: r.archived_at.map(from_db),
                version: r.version,
            })
        })
        .collect()
}

fn ordered() -> categories::BoxedQuery<'static, crate::db::MultiBackend> {
    categories::table.order((categories::position, categories::slug)).into_boxed()
}

pub(crate) fn roots(conn: &mut DbConnection) -> Result<Vec<Category>> {
    let rows = ordered().filter(categories::parent_id.is_null()).select(CategoryRow::as_select()).load(conn)?;
    assemble(conn, rows)
}

pub(crate) fn by_ids(conn: &mut DbConnection, wanted: &[CategoryId]) -> Result<Vec<Category>> {
    let rows = ordered().filter(categories::id.eq_any(ids(wanted))).select(CategoryRow::as_select()).load(conn)?;
    assemble(conn, rows)
}

pub(crate) fn by_parents(conn: &mut DbConnection, parents: &[CategoryId]) -> Result<Vec<Category>> {
    let rows =
        ordered().filter(categories::parent_id.eq_any(ids(parents))).select(CategoryRow::as_select()).load(conn)?;
    assemble(conn, rows)
}

pub(crate) fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<Category>> {
    let rows = ordered().filter(categories::slug.eq(slug)).select(CategoryRow::as_select()).load(conn)?;
    Ok(assemble(conn, rows)?.pop())
}

pub(crate) fn links(conn: &mut DbConnection) -> Result<Vec<(CategoryId, Option<CategoryId>)>> {
    let rows: Vec<(String, Option<String>)> =
        categories::table.select((categories::id, categories::parent_id)).load(conn)?;
    rows.into_iter()
        .map(|(id, p)| {
            Ok((parse("categories.id", &id)?, p.as_deref().map(|p| parse("categories.parent_id", p)).transpose()?))
        })
        .collect()
}

/// Writes `new` over `existing` (keeping its id, creation time and archive state), or as a new
/// record.
pub(crate) fn save(conn: &mut DbConnection, existing: Option<Category>, new: NewCategory) -> Result<Category> {
    new.texts.require_default("name")?;
    if let Some(p) = new.parent
        && by_ids(conn, &[p])?.is_empty()
    {
        return Err(StoreError::NotFound(format!("parent category {p}")));
    }
    if let (Some(existing), Some(parent)) = (&existing, new.parent)
        && frontier_domain::tree::would_cycle(&links(conn)?, existing.id, parent)
    {
        return Err(ValidationError::new("parent", "a category cannot be placed below itself").into());
    }
    let t = to_db(now());
    let row = CategoryRow {
        id: existing.as_ref().map_or_else(|| CategoryId::generate().to_string(), |c| c.id.to_string()),
        slug: new.slug.to_string(),
        parent_id: new.parent.map(|p| p.to_string()),
        position: new.position,
        created_at: existing.as_ref().map_or(t, |c| to_db(c.created_at)),
        updated_at: t,
        archived_at: existing.as_ref().and_then(|c| c.archived_at.map(to_db)),
        version: existing.as_ref().map_or(1, |c| c.version + 1),
    };
    let id = row.id.clone();
    match existing {
        Some(_) => diesel::update(categories::table.find(&id)).set(&row).execute(conn)?,
        None => diesel::insert_into(categories::table).values(&row).execute(conn)?,
    };
    texts::replace(conn, &id, &new.texts)?;
    by_ids(conn, &[parse("categories.id", &id)?])?.pop().ok_or_else(|| StoreError::NotFound(format!("category {id}")))
}

fn upsert(conn: &mut DbConnection, new: NewCategory) -> Result<Category> {
    let existing = by_slug(conn, new.slug.as_str())?;
    save(conn, existing, new)
}

/// Keeps the categories the audience may see.
pub(crate) fn seen(conn: &mut DbConnection, audience: &Audience, all: Vec<Category>) -> Result<Vec<Category>> {
    if audience.preview.is_some() {
        return Ok(all);
    }
    let reach = Reach::of(conn, audience)?;
    Ok(all.into_iter().filter(|c| reach.shows_category(c.id)).collect())
}

impl Store {
    /// Top-level categories, in display order.
    pub async fn root_categories(&self, audience: Audience) -> Result<Vec<Category>> {
        self.run(move |c| {
            let all = roots(c)?;
            seen(c, &audience, all)
        })
        .await
    }

    pub async fn categories_by_ids(&self, audience: Audience, ids: Vec<CategoryId>) -> Result<Vec<Category>> {
        self.run(move |c| {
            let all = by_ids(c, &ids)?;
            seen(c, &audience, all)
        })
        .await
    }

    /// Children of each given category, in display order.
    pub async fn categories_by_parents(&self, audience: Audience, parents: Vec<CategoryId>) -> Result<Vec<Category>> {
        self.run(move |c| {
            let all = by_parents(c, &parents)?;
            seen(c, &audience, all)
        })
        .await
    }

    pub async fn category_by_slug(&self, audience: Audience, slug: String) -> Result<Option<Category>> {
        self.run(move |c| {
            let all = by_slug(c, &slug)?.into_iter().collect();
            Ok(seen(c, &audience, all)?.pop())
        })
        .await
    }

    /// The category with this slug whatever its state: for resolving arguments of writes and imports.
    pub async fn category_by_slug_any(&self, slug: String) -> Result<Option<Category>> {
        self.run(move |c| by_slug(c, &slug)).await
    }

    pub async fn save_category(&self, new: NewCategory) -> Result<Category> {
        self.transaction(move |c| upsert(c, new)).await
    }
}
