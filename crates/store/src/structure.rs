//! Editors' writes to units, categories, places and QR codes: create with a free slug (or code),
//! update against the version the caller saw, archive and restore. Each in one transaction with its
//! audit entry. Permissions are the GraphQL layer's (it asks the domain policy first).

use crate::Store;
use crate::audit;
use crate::convert::{now, to_db};
use crate::db::DbConnection;
use crate::error::{Result, StoreError};
use crate::schema::{categories, places, qr_codes, units};
use crate::{NewCategory, NewPlace, NewQrCode, NewUnit, categories as cat_rows, places as place_rows};
use crate::{qr_codes as code_rows, units as unit_rows};
use diesel::prelude::*;
use frontier_domain::{
    AuditActor, AuditEvent, Category, CategoryId, Place, PlaceId, QrCode, QrCodeId, QrCodeValue, Slug, Unit, UnitId,
};

fn event(action: &str, kind: &str, id: String, unit: Option<UnitId>, summary: String) -> AuditEvent {
    AuditEvent {
        action: format!("{kind}.{action}"),
        target_kind: kind.into(),
        target_id: Some(id),
        unit_id: unit,
        summary,
    }
}

fn stale(current: i64, expected: i64) -> Result<()> {
    if current == expected { Ok(()) } else { Err(StoreError::Stale { current }) }
}

/// `wanted`, or the first numbered alternative that `taken` says is free.
fn free(wanted: &Slug, mut taken: impl FnMut(&Slug) -> Result<bool>) -> Result<Slug> {
    if !taken(wanted)? {
        return Ok(wanted.clone());
    }
    for n in 2..1000 {
        let candidate = wanted.numbered(n);
        if !taken(&candidate)? {
            return Ok(candidate);
        }
    }
    Err(StoreError::Conflict(format!("no free slug near `{wanted}`")))
}

fn taken_by_other<T>(found: Option<T>, own: Option<String>, id_of: impl Fn(&T) -> String, what: &str) -> Result<()> {
    match found {
        Some(other) if Some(id_of(&other)) != own => Err(StoreError::Conflict(format!("the {what} is taken"))),
        _ => Ok(()),
    }
}

/// How a create treats the slug it is given: as the caller's choice (a taken one is a `CONFLICT`),
/// or as a wish made from a title (a numbered alternative is taken instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugChoice {
    Given,
    FromTitle,
}

fn pick_slug(
    conn: &mut DbConnection,
    slug: &Slug,
    choice: SlugChoice,
    lookup: fn(&mut DbConnection, &str) -> Result<bool>,
) -> Result<Slug> {
    match choice {
        SlugChoice::Given if lookup(conn, slug.as_str())? => {
            Err(StoreError::Conflict(format!("the slug `{slug}` is taken")))
        }
        SlugChoice::Given => Ok(slug.clone()),
        SlugChoice::FromTitle => free(slug, |s| lookup(conn, s.as_str())),
    }
}

fn unit_exists(conn: &mut DbConnection, slug: &str) -> Result<bool> {
    Ok(unit_rows::by_slug(conn, slug)?.is_some())
}
fn category_exists(conn: &mut DbConnection, slug: &str) -> Result<bool> {
    Ok(cat_rows::by_slug(conn, slug)?.is_some())
}
fn place_exists(conn: &mut DbConnection, slug: &str) -> Result<bool> {
    Ok(place_rows::by_slug(conn, slug)?.is_some())
}

fn load_unit(conn: &mut DbConnection, id: UnitId) -> Result<Unit> {
    unit_rows::by_ids(conn, &[id])?.pop().ok_or_else(|| StoreError::NotFound(format!("unit {id}")))
}
fn load_category(conn: &mut DbConnection, id: CategoryId) -> Result<Category> {
    cat_rows::by_ids(conn, &[id])?.pop().ok_or_else(|| StoreError::NotFound(format!("category {id}")))
}
fn load_place(conn: &mut DbConnection, id: PlaceId) -> Result<Place> {
    place_rows::by_ids(conn, &[id])?.pop().ok_or_else(|| StoreError::NotFound(format!("place {id}")))
}
fn load_code(conn: &mut DbConnection, id: QrCodeId) -> Result<QrCode> {
    code_rows::by_ids_any(conn, &[id])?.pop().ok_or_else(|| StoreError::NotFound(format!("QR code {id}")))
}

/// Sets or clears `archived_at` and bumps the version, on any of the four tables.
macro_rules! set_archived {
    ($conn:expr, $table:ident, $id:expr, $archived:expr, $version:expr) => {{
        let at = if $archived { Some(to_db(now())) } else { None };
        diesel::update($table::table.find($id))
            .set(($table::archived_at.eq(at), $table::version.eq($version + 1), $table::updated_at.eq(to_db(now()))))
            .execute($conn)?;
    }};
}

fn verb(archived: bool) -> &'static str {
    if archived { "archive" } else { "restore" }
}

impl Store {
    pub async fn create_unit(&self, mut new: NewUnit, choice: SlugChoice, actor: AuditActor) -> Result<Unit> {
        self.transaction(move |c| {
            new.slug = pick_slug(c, &new.slug, choice, unit_exists)?;
            let unit = unit_rows::save(c, None, new)?;
            audit::append(
                c,
                &actor,
                event("create", "unit", unit.id.to_string(), Some(unit.id), unit.slug.to_string()),
            )?;
            Ok(unit)
        })
        .await
    }

    pub async fn update_unit(&self, id: UnitId, expected: i64, new: NewUnit, actor: AuditActor) -> Result<Unit> {
        self.transaction(move |c| {
            let current = load_unit(c, id)?;
            stale(current.version, expected)?;
            taken_by_other(
                unit_rows::by_slug(c, new.slug.as_str())?,
                Some(id.to_string()),
                |u| u.id.to_string(),
                "slug",
            )?;
            let unit = unit_rows::save(c, Some(current), new)?;
            audit::append(c, &actor, event("update", "unit", id.to_string(), Some(id), unit.slug.to_string()))?;
            Ok(unit)
        })
        .await
    }

    /// Archiving a unit hides it and everything it owns (and everything below it) from readers.
    pub async fn set_unit_archived(
        &self,
        id: UnitId,
        expected: i64,
        archived: bool,
        actor: AuditActor,
    ) -> Result<Unit> {
        self.transaction(move |c| {
            let current = load_unit(c, id)?;
            stale(current.version, expected)?;
            set_archived!(c, units, id.to_string(), archived, current.version);
            audit::append(
                c,
                &actor,
                event(verb(archived), "unit", id.to_string(), Some(id), current.slug.to_string()),
            )?;
            load_unit(c, id)
        })
        .await
    }

    pub async fn create_category(
        &self,
        mut new: NewCategory,
        choice: SlugChoice,
        actor: AuditActor,
    ) -> Result<Category> {
        self.transaction(move |c| {
            new.slug = pick_slug(c, &new.slug, choice, category_exists)?;
            let cat = cat_rows::save(c, None, new)?;
            audit::append(c, &actor, event("create", "category", cat.id.to_string(), None, cat.slug.to_string()))?;
            Ok(cat)
        })
        .await
    }

    pub async fn update_category(
        &self,
        id: CategoryId,
        expected: i64,
        new: NewCategory,
        actor: AuditActor,
    ) -> Result<Category> {
        self.transaction(move |c| {
            let current = load_category(c, id)?;
            stale(current.version, expected)?;
            let other = cat_rows::by_slug(c, new.slug.as_str())?;
            taken_by_other(other, Some(id.to_string()), |x| x.id.to_string(), "slug")?;
            let cat = cat_rows::save(c, Some(current), new)?;
            audit::append(c, &actor, event("update", "category", id.to_string(), None, cat.slug.to_string()))?;
            Ok(cat)
        })
        .await
    }

    /// Archiving a category hides it, the categories below it and their articles from readers.
    pub async fn set_category_archived(
        &self,
        id: CategoryId,
        expected: i64,
        archived: bool,
        actor: AuditActor,
    ) -> Result<Category> {
        self.transaction(move |c| {
            let current = load_category(c, id)?;
            stale(current.version, expected)?;
            set_archived!(c, categories, id.to_string(), archived, current.version);
            let summary = current.slug.to_string();
            audit::append(c, &actor, event(verb(archived), "category", id.to_string(), None, summary))?;
            load_category(c, id)
        })
        .await
    }

    pub async fn create_place(&self, mut new: NewPlace, choice: SlugChoice, actor: AuditActor) -> Result<Place> {
        self.transaction(move |c| {
            new.slug = pick_slug(c, &new.slug, choice, place_exists)?;
            let p = place_rows::save(c, None, new)?;
            audit::append(c, &actor, event("create", "place", p.id.to_string(), Some(p.unit_id), p.slug.to_string()))?;
            Ok(p)
        })
        .await
    }

    pub async fn update_place(&self, id: PlaceId, expected: i64, new: NewPlace, actor: AuditActor) -> Result<Place> {
        self.transaction(move |c| {
            let current = load_place(c, id)?;
            stale(current.version, expected)?;
            let other = place_rows::by_slug(c, new.slug.as_str())?;
            taken_by_other(other, Some(id.to_string()), |x| x.id.to_string(), "slug")?;
            let p = place_rows::save(c, Some(current), new)?;
            audit::append(c, &actor, event("update", "place", id.to_string(), Some(p.unit_id), p.slug.to_string()))?;
            Ok(p)
        })
        .await
    }

    /// Archiving a place hides it and its QR codes from readers; scans of its codes answer "disabled".
    pub async fn set_place_archived(
        &self,
        id: PlaceId,
        expected: i64,
        archived: bool,
        actor: AuditActor,
    ) -> Result<Place> {
        self.transaction(move |c| {
            let current = load_place(c, id)?;
            stale(current.version, expected)?;
            set_archived!(c, places, id.to_string(), archived, current.version);
            let summary = current.slug.to_string();
            audit::append(c, &actor, event(verb(archived), "place", id.to_string(), Some(current.unit_id), summary))?;
            load_place(c, id)
        })
        .await
    }

    /// A new code; `code` is the wish of the caller or a freshly drawn one, which `draw` replaces
    /// while it is taken.
    pub async fn create_qr_code(
        &self,
        mut new: NewQrCode,
        draw: Option<fn() -> QrCodeValue>,
        unit: UnitId,
        actor: AuditActor,
    ) -> Result<QrCode> {
        self.transaction(move |c| {
            let mut tries = 0;
            while code_rows::by_code(c, &new.code)?.is_some() {
                match draw {
                    Some(next) if tries < 20 => new.code = next(),
                    _ => return Err(StoreError::Conflict(format!("the code {} is taken", new.code))),
                }
                tries += 1;
            }
            let q = code_rows::save(c, None, new, &actor.name)?;
            let summary = format!("{} → {}:{}", q.code, q.target.kind().as_str(), q.target.id_string());
            audit::append(c, &actor, event("create", "qr_code", q.id.to_string(), Some(unit), summary))?;
            Ok(q)
        })
        .await
    }

    /// Changes where a code hangs, what it opens, or whether it is active (the code itself is
    /// printed and never changes).
    pub async fn update_qr_code(
        &self,
        id: QrCodeId,
        expected: i64,
        new: NewQrCode,
        unit: UnitId,
        actor: AuditActor,
    ) -> Result<QrCode> {
        self.transaction(move |c| {
            let current = load_code(c, id)?;
            stale(current.version, expected)?;
            if new.code != current.code {
                return Err(frontier_domain::ValidationError::new("code", "a printed code cannot change").into());
            }
            let q = code_rows::save(c, Some(current), new, &actor.name)?;
            let expires = q.expires_at.map_or_else(|| "never".to_owned(), |t| t.to_rfc3339());
            let summary = format!(
                "{} → {}:{}, active {}, expires {expires}",
                q.code,
                q.target.kind().as_str(),
                q.target.id_string(),
                q.active
            );
            audit::append(c, &actor, event("update", "qr_code", id.to_string(), Some(unit), summary))?;
            Ok(q)
        })
        .await
    }

    /// Archiving a code also deactivates it, so a scan of a poster still hanging answers "disabled";
    /// restoring leaves it inactive until someone activates it on purpose.
    pub async fn set_qr_code_archived(
        &self,
        id: QrCodeId,
        expected: i64,
        archived: bool,
        unit: UnitId,
        actor: AuditActor,
    ) -> Result<QrCode> {
        self.transaction(move |c| {
            let current = load_code(c, id)?;
            stale(current.version, expected)?;
            set_archived!(c, qr_codes, id.to_string(), archived, current.version);
            if archived {
                diesel::update(qr_codes::table.find(id.to_string())).set(qr_codes::active.eq(false)).execute(c)?;
            }
            let summary = current.code.to_string();
            audit::append(c, &actor, event(verb(archived), "qr_code", id.to_string(), Some(unit), summary))?;
            load_code(c, id)
        })
        .await
    }

    /// Any record by id whatever its state, for writes after the policy allowed them.
    pub async fn unit_for_editing(&self, id: UnitId) -> Result<Option<Unit>> {
        self.run(move |c| Ok(unit_rows::by_ids(c, &[id])?.pop())).await
    }

    pub async fn category_for_editing(&self, id: CategoryId) -> Result<Option<Category>> {
        self.run(move |c| Ok(cat_rows::by_ids(c, &[id])?.pop())).await
    }

    pub async fn place_for_editing(&self, id: PlaceId) -> Result<Option<Place>> {
        self.run(move |c| Ok(place_rows::by_ids(c, &[id])?.pop())).await
    }

    pub async fn qr_code_for_editing(&self, id: QrCodeId) -> Result<Option<QrCode>> {
        self.run(move |c| Ok(code_rows::by_ids_any(c, &[id])?.pop())).await
    }
}
