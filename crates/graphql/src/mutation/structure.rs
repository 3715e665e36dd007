//! Writing units, categories, places and QR codes: create, update (against a `version`), archive and
//! restore. Units and categories are the province's structure (admins); places and QR codes belong to
//! a unit and its editors.

use crate::context::{Lens, chain, clock, store};
use crate::error::{ApiResult, OrApi, bad_input, not_found, not_found_field};
use crate::guard::{actor, require, require_everywhere};
use crate::node_id::{NodeKind, decode_as};
use crate::types::{Category, Place, PlaceKind, QrCode, Unit, UnitKind};
use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object};
use frontier_domain::translation::NamedText;
use frontier_domain::{
    Action, CategoryId, Coordinates, Locale, PlaceId, QrCodeId, QrCodeValue, QrTarget, Slug, Translated, UnitId,
};
use frontier_store::{NewCategory, NewPlace, NewQrCode, NewUnit, SlugChoice};

/// A name (and optional description) in one locale.
#[derive(InputObject)]
pub struct NamedTextInput {
    /// BCP 47 tag, e.g. `vi`, `fr`.
    pub locale: String,
    /// Name, at most 200 characters.
    pub name: String,
    /// Short presentation, at most 2,000 characters.
    pub description: Option<String>,
}

/// A new unit. Admins only.
#[derive(InputObject)]
pub struct CreateUnitInput {
    /// URL key; by default made from the Vietnamese name.
    pub slug: Option<String>,
    /// Where it stands in the chain of command.
    pub kind: UnitKind,
    /// Slug of the unit it reports to (none for the province command).
    pub parent: Option<String>,
    /// Contact phone shown to readers.
    pub phone: Option<String>,
    /// Postal address shown to readers.
    pub address: Option<String>,
    /// Names in each locale; Vietnamese (`vi`) is required.
    pub texts: Vec<NamedTextInput>,
}

/// Changes to a unit; fields left out keep their value.
#[derive(InputObject)]
pub struct UpdateUnitInput {
    /// New URL key.
    pub slug: Option<String>,
    /// Slug of the new parent unit (moving a unit is an admin's decision).
    pub parent: Option<String>,
    /// Contact phone; an empty string removes it.
    pub phone: Option<String>,
    /// Postal address; an empty string removes it.
    pub address: Option<String>,
    /// All names, replacing the current ones.
    pub texts: Option<Vec<NamedTextInput>>,
}

/// A new category. Admins only.
#[derive(InputObject)]
pub struct CreateCategoryInput {
    /// URL key; by default made from the Vietnamese name.
    pub slug: Option<String>,
    /// Slug of the parent category (none for a top-level one).
    pub parent: Option<String>,
    /// Order among its siblings, ascending (default 0).
    #[graphql(default)]
    pub position: i32,
    /// Names in each locale; Vietnamese (`vi`) is required.
    pub texts: Vec<NamedTextInput>,
}

/// Changes to a category; fields left out keep their value.
#[derive(InputObject)]
pub struct UpdateCategoryInput {
    /// New URL key.
    pub slug: Option<String>,
    /// Slug of the new parent category.
    pub parent: Option<String>,
    /// New order among its siblings.
    pub position: Option<i32>,
    /// All names, replacing the current ones.
    pub texts: Option<Vec<NamedTextInput>>,
}

/// A new place where QR codes hang.
#[derive(InputObject)]
pub struct CreatePlaceInput {
    /// URL key; by default made from the Vietnamese name.
    pub slug: Option<String>,
    /// What kind of place it is.
    pub kind: PlaceKind,
    /// Slug of the unit that looks after it.
    pub unit: String,
    /// Commune (xã) it lies in.
    pub commune: Option<String>,
    /// Village (thôn, bản) it lies in.
    pub village: Option<String>,
    /// WGS 84 latitude, with `longitude`.
    pub latitude: Option<f64>,
    /// WGS 84 longitude, with `latitude`.
    pub longitude: Option<f64>,
    /// Names in each locale; Vietnamese (`vi`) is required.
    pub texts: Vec<NamedTextInput>,
}

/// Changes to a place; fields left out keep their value.
#[derive(InputObject)]
pub struct UpdatePlaceInput {
    /// New URL key.
    pub slug: Option<String>,
    /// New kind.
    pub kind: Option<PlaceKind>,
    /// Slug of the unit to hand it to (you need to be allowed to edit there too).
    pub unit: Option<String>,
    /// Commune; an empty string removes it.
    pub commune: Option<String>,
    /// Village; an empty string removes it.
    pub village: Option<String>,
    /// New latitude, with `longitude`.
    pub latitude: Option<f64>,
    /// New longitude, with `latitude`.
    pub longitude: Option<f64>,
    /// All names, replacing the current ones.
    pub texts: Option<Vec<NamedTextInput>>,
}

/// What kind of record a QR code opens.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "frontier_domain::QrTargetKind")]
pub enum QrTargetKind {
    /// An article.
    Article,
    /// A category page.
    Category,
    /// A place page.
    Place,
    /// A unit page.
    Unit,
}

/// What a code opens, by kind and slug.
#[derive(InputObject)]
pub struct QrTargetInput {
    /// The kind of record.
    pub kind: QrTargetKind,
    /// Its slug.
    pub slug: String,
}

/// A new QR code.
#[derive(InputObject)]
pub struct CreateQrCodeInput {
    /// Slug of the place where it will hang.
    pub place: String,
    /// What a scan opens.
    pub target: QrTargetInput,
    /// The short code to print; by default a fresh random one (6 characters from `23456789ABCDEFGHJKMNPQRSTUVWXYZ`).
    pub code: Option<String>,
    /// Whether scans open the target (default true).
    #[graphql(default = true)]
    pub active: bool,
    /// From this moment on scans land on a friendly "expired" page with the post's contact line
    /// (a poster for a season or an event). Default: never.
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Changes to a QR code; the printed code itself never changes.
#[derive(InputObject)]
pub struct UpdateQrCodeInput {
    /// Slug of the place it now hangs in.
    pub place: Option<String>,
    /// What a scan opens from now on.
    pub target: Option<QrTargetInput>,
    /// Whether scans open the target.
    pub active: Option<bool>,
    /// When the code expires; `null` removes the expiry, leaving it out keeps it.
    pub expires_at: MaybeUndefined<chrono::DateTime<chrono::Utc>>,
}

fn texts(input: Vec<NamedTextInput>) -> ApiResult<Translated<NamedText>> {
    let mut out: Vec<(Locale, NamedText)> = Vec::new();
    for (i, t) in input.into_iter().enumerate() {
        let at = |f: &str| format!("texts[{i}].{f}");
        let locale = Locale::parse(&t.locale).map_err(|e| bad_input(&at("locale"), e.message))?;
        if out.iter().any(|(l, _)| *l == locale) {
            return Err(bad_input(&at("locale"), format!("`{locale}` is given twice")));
        }
        let text = NamedText::new(&t.name, t.description.as_deref()).map_err(|e| bad_input(&at(e.field), e.message))?;
        out.push((locale, text));
    }
    let all = Translated::new(out);
    all.require_default("texts").map_err(|e| bad_input(e.field, e.message))?;
    Ok(all)
}

/// The slug to create with: the one given, or one made from the Vietnamese name.
fn new_slug(given: Option<&str>, names: &Translated<NamedText>) -> ApiResult<(Slug, SlugChoice)> {
    if let Some(s) = given {
        return Ok((slug("input.slug", s)?, SlugChoice::Given));
    }
    let name = names.get(&Locale::default_locale()).map(|t| t.name.as_str()).unwrap_or_default();
    let slug = Slug::from_title(name)
        .ok_or_else(|| bad_input("input.slug", "the name gives no slug: give one (a-z, 0-9, hyphens)"))?;
    Ok((slug, SlugChoice::FromTitle))
}

fn slug(field: &str, value: &str) -> ApiResult<Slug> {
    Slug::parse(value).map_err(|e| bad_input(field, e.message))
}

/// An optional text where `""` means "remove".
fn optional_text(value: Option<String>, current: Option<String>) -> Option<String> {
    match value {
        Some(v) if v.trim().is_empty() => None,
        Some(v) => Some(v.trim().to_owned()),
        None => current,
    }
}

fn location(lat: Option<f64>, lon: Option<f64>, current: Option<Coordinates>) -> ApiResult<Option<Coordinates>> {
    match (lat, lon) {
        (Some(lat), Some(lon)) => {
            Coordinates::new(lat, lon).map(Some).map_err(|e| bad_input(&format!("input.{}", e.field), e.message))
        }
        (None, None) => Ok(current),
        _ => Err(bad_input("input.latitude", "give latitude and longitude together")),
    }
}

async fn unit_id(ctx: &Context<'_>, field: &str, s: &str) -> ApiResult<frontier_domain::Unit> {
    let s = slug(field, s)?;
    store(ctx).unit_by_slug_any(s.to_string()).await.api()?.ok_or_else(|| not_found_field(field, format!("unit `{s}`")))
}

async fn category_id(ctx: &Context<'_>, field: &str, s: &str) -> ApiResult<CategoryId> {
    let s = slug(field, s)?;
    let found = store(ctx).category_by_slug_any(s.to_string()).await.api()?;
    found.map(|c| c.id).ok_or_else(|| not_found_field(field, format!("category `{s}`")))
}

async fn place(ctx: &Context<'_>, field: &str, s: &str) -> ApiResult<frontier_domain::Place> {
    let s = slug(field, s)?;
    store(ctx)
        .place_by_slug_any(s.to_string())
        .await
        .api()?
        .ok_or_else(|| not_found_field(field, format!("place `{s}`")))
}

async fn target(ctx: &Context<'_>, t: &QrTargetInput) -> ApiResult<QrTarget> {
    let field = "input.target.slug";
    let s = slug(field, &t.slug)?;
    let missing = || not_found_field(field, format!("`{s}`"));
    let st = store(ctx);
    Ok(match t.kind {
        QrTargetKind::Article => {
            let id = st.article_id_by_slug(s.to_string()).await.api()?.ok_or_else(missing)?;
            // Another unit's draft is as invisible here as everywhere else: the same NOT_FOUND.
            let v = crate::context::viewer(ctx);
            let sees = frontier_store::Audience::preview(clock(ctx).now(), v.preview_scope.clone().unwrap_or_default());
            if st.articles_by_ids(sees, vec![id]).await.api()?.is_empty() {
                return Err(missing());
            }
            QrTarget::Article(id)
        }
        QrTargetKind::Category => QrTarget::Category(category_id(ctx, field, s.as_str()).await?),
        QrTargetKind::Place => QrTarget::Place(place(ctx, field, s.as_str()).await?.id),
        QrTargetKind::Unit => QrTarget::Unit(unit_id(ctx, field, s.as_str()).await?.id),
    })
}

fn lens(ctx: &Context<'_>) -> ApiResult<Lens> {
    Ok(Lens::new(chain(ctx, None)?, true))
}

/// Times are kept to the microsecond, as the databases store them.
fn micros(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    chrono::SubsecRound::trunc_subsecs(t, 6)
}

fn draw() -> QrCodeValue {
    QrCodeValue::generate(6, |n| rand::random_range(0..n))
}

async fn stored_unit(ctx: &Context<'_>, id: &ID) -> ApiResult<frontier_domain::Unit> {
    let id = UnitId(decode_as("id", id, NodeKind::Unit)?);
    store(ctx).unit_for_editing(id).await.api()?.ok_or_else(|| not_found("unit"))
}

async fn stored_category(ctx: &Context<'_>, id: &ID) -> ApiResult<frontier_domain::Category> {
    let id = CategoryId(decode_as("id", id, NodeKind::Category)?);
    store(ctx).category_for_editing(id).await.api()?.ok_or_else(|| not_found("category"))
}

async fn stored_place(ctx: &Context<'_>, id: &ID) -> ApiResult<frontier_domain::Place> {
    let id = PlaceId(decode_as("id", id, NodeKind::Place)?);
    store(ctx).place_for_editing(id).await.api()?.ok_or_else(|| not_found("place"))
}

/// The code and the unit that owns it (through its place).
async fn stored_code(ctx: &Context<'_>, id: &ID) -> ApiResult<(frontier_domain::QrCode, UnitId)> {
    let id = QrCodeId(decode_as("id", id, NodeKind::QrCode)?);
    let code = store(ctx).qr_code_for_editing(id).await.api()?.ok_or_else(|| not_found("QR code"))?;
    let p = store(ctx).place_for_editing(code.place_id).await.api()?.ok_or_else(|| not_found("place"))?;
    Ok((code, p.unit_id))
}

/// Archive (`true`) or restore (`false`), the shared body of the `archive…`/`restore…` pairs.
async fn unit_archived(ctx: &Context<'_>, id: &ID, version: i32, archived: bool) -> ApiResult<Unit> {
    let current = stored_unit(ctx, id).await?;
    let who = actor(require(ctx, Action::ManageStructure, current.id)?);
    let saved = store(ctx)
        .set_unit_archived(current.id, super::articles::check_version(version)?, archived, who)
        .await
        .api()?;
    Ok(Unit::new(saved, lens(ctx)?))
}

async fn category_archived(ctx: &Context<'_>, id: &ID, version: i32, archived: bool) -> ApiResult<Category> {
    let who = actor(require_everywhere(ctx, Action::ManageStructure)?);
    let current = stored_category(ctx, id).await?;
    let saved = store(ctx)
        .set_category_archived(current.id, super::articles::check_version(version)?, archived, who)
        .await
        .api()?;
    Ok(Category::new(saved, lens(ctx)?))
}

async fn place_archived(ctx: &Context<'_>, id: &ID, version: i32, archived: bool) -> ApiResult<Place> {
    let current = stored_place(ctx, id).await?;
    let who = actor(require(ctx, Action::Edit, current.unit_id)?);
    let saved = store(ctx)
        .set_place_archived(current.id, super::articles::check_version(version)?, archived, who)
        .await
        .api()?;
    Ok(Place::new(saved, lens(ctx)?))
}

async fn code_archived(ctx: &Context<'_>, id: &ID, version: i32, archived: bool) -> ApiResult<QrCode> {
    let (current, unit) = stored_code(ctx, id).await?;
    let who = actor(require(ctx, Action::Edit, unit)?);
    let saved = store(ctx)
        .set_qr_code_archived(current.id, super::articles::check_version(version)?, archived, unit, who)
        .await
        .api()?;
    Ok(QrCode::new(saved, lens(ctx)?))
}

#[derive(Default)]
pub struct StructureMutation;

// A resolver's parameters are the field's GraphQL arguments: their number is the API's shape.
#[allow(clippy::too_many_arguments)]
#[Object]
impl StructureMutation {
    /// Creates a unit (admins only).
    async fn create_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new unit.")] input: CreateUnitInput,
    ) -> ApiResult<Unit> {
        crate::guard::signed_in(ctx)?;
        let who = actor(require_everywhere(ctx, Action::ManageStructure)?);
        let names = texts(input.texts)?;
        let (slug, choice) = new_slug(input.slug.as_deref(), &names)?;
        let parent = match &input.parent {
            Some(p) => Some(unit_id(ctx, "input.parent", p).await?.id),
            None => None,
        };
        let new = NewUnit {
            slug,
            kind: input.kind.into(),
            parent,
            phone: optional_text(input.phone, None),
            address: optional_text(input.address, None),
            texts: names,
        };
        Ok(Unit::new(store(ctx).create_unit(new, choice, who).await.api()?, lens(ctx)?))
    }

    /// Changes a unit's names and contact details (editors of the unit) or its place in the tree
    /// (admins).
    async fn update_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit's id.")] id: ID,
        #[graphql(desc = "The `version` you edited.")] version: i32,
        #[graphql(desc = "The changes.")] input: UpdateUnitInput,
    ) -> ApiResult<Unit> {
        crate::guard::signed_in(ctx)?;
        let current = stored_unit(ctx, &id).await?;
        let action =
            if input.parent.is_some() || input.slug.is_some() { Action::ManageStructure } else { Action::Edit };
        let who = actor(require(ctx, action, current.id)?);
        let parent = match &input.parent {
            Some(p) => Some(unit_id(ctx, "input.parent", p).await?.id),
            None => current.parent_id,
        };
        let new = NewUnit {
            slug: match &input.slug {
                Some(s) => slug("input.slug", s)?,
                None => current.slug.clone(),
            },
            kind: current.kind,
            parent,
            phone: optional_text(input.phone, current.phone.clone()),
            address: optional_text(input.address, current.address.clone()),
            texts: match input.texts {
                Some(t) => texts(t)?,
                None => current.texts.clone(),
            },
        };
        let saved =
            store(ctx).update_unit(current.id, super::articles::check_version(version)?, new, who).await.api()?;
        Ok(Unit::new(saved, lens(ctx)?))
    }

    /// Archives a unit: readers no longer see it, nor its content and the units below it (admins).
    async fn archive_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit's id.")] id: ID,
        #[graphql(desc = "The `version` you saw.")] version: i32,
    ) -> ApiResult<Unit> {
        crate::guard::signed_in(ctx)?;
        unit_archived(ctx, &id, version, true).await
    }

    /// Brings an archived unit back (admins).
    async fn restore_unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The unit's id.")] id: ID,
        #[graphql(desc = "The `version` you saw.")] version: i32,
    ) -> ApiResult<Unit> {
        crate::guard::signed_in(ctx)?;
        unit_archived(ctx, &id, version, false).await
    }

    /// Creates a category (admins only).
    async fn create_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new category.")] input: CreateCategoryInput,
    ) -> ApiResult<Category> {
        crate::guard::signed_in(ctx)?;
        let who = actor(require_everywhere(ctx, Action::ManageStructure)?);
        let names = texts(input.texts)?;
        let (slug, choice) = new_slug(input.slug.as_deref(), &names)?;
        let parent = match &input.parent {
            Some(p) => Some(category_id(ctx, "input.parent", p).await?),
            None => None,
        };
        let new = NewCategory { slug, parent, position: input.position, texts: names };
        Ok(Category::new(store(ctx).create_category(new, choice, who).await.api()?, lens(ctx)?))
    }

    /// Changes a category (admins only).
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category's id.")] id: ID,
        #[graphql(desc = "The `version` you edited.")] version: i32,
        #[graphql(desc = "The changes.")] input: UpdateCategoryInput,
    ) -> ApiResult<Category> {
        crate::guard::signed_in(ctx)?;
        let who = actor(require_everywhere(ctx, Action::ManageStructure)?);
        let current = stored_category(ctx, &id).await?;
        let parent = match &input.parent {
            Some(p) => Some(category_id(ctx, "input.parent", p).await?),
            None => current.parent_id,
        };
        let new = NewCategory {
            slug: match &input.slug {
                Some(s) => slug("input.slug", s)?,
                None => current.slug.clone(),
            },
            parent,
            position: input.position.unwrap_or(current.position),
            texts: match input.texts {
                Some(t) => texts(t)?,
                None => current.texts.clone(),
            },
        };
        let saved =
            store(ctx).update_category(current.id, super::articles::check_version(version)?, new, who).await.api()?;
        Ok(Category::new(saved, lens(ctx)?))
    }

    /// Archives a category: readers no longer see it, its sub-categories or their articles (admins).
    async fn archive_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category's id.")] id: ID,
        #[graphql(desc = "The `version` you saw.")] version: i32,
    ) -> ApiResult<Category> {
        crate::guard::signed_in(ctx)?;
        category_archived(ctx, &id, version, true).await
    }

    /// Brings an archived category back (admins).
    async fn restore_category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category's id.")] id: ID,
        #[graphql(desc = "The `version` you saw.")] version: i32,
    ) -> ApiResult<Category> {
        crate::guard::signed_in(ctx)?;
        category_archived(ctx, &id, version, false).await
    }

    /// Creates a place (editors of its unit).
    async fn create_place(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new place.")] input: CreatePlaceInput,
    ) -> ApiResult<Place> {
        crate::guard::signed_in(ctx)?;
        let unit = unit_id(ctx, "input.unit", &input.unit).await?;
        let who = actor(require(ctx, Action::Edit, unit.id)?);
        let names = texts(input.texts)?;
        let (slug, choice) = new_slug(input.slug.as_deref(), &names)?;
        let new = NewPlace {
            slug,
            kind: input.kind.into(),
            unit: unit.id,
            commune: optional_text(input.commune, None),
            village: optional_text(input.village, None),
            location: location(input.latitude, input.longitude, None)?,
            texts: names,
        };
        Ok(Place::new(store(ctx).create_place(new, choice, who).await.api()?, lens(ctx)?))
    }

    /// Changes a place (editors of its unit, and of the new unit when it moves).
    async fn update_place(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The place's id.")] id: ID,
        #[graphql(desc = "The `version` you edited.")] version: i32,
        #[graphql(desc = "The changes.")] input: UpdatePlaceInput,
    ) -> ApiResult<Place> {
        crate::guard::signed_in(ctx)?;
        let current = stored_place(ctx, &id).await?;
        let who = actor(require(ctx, Action::Edit, current.unit_id)?);
        let unit = match &input.unit {
            Some(u) => {
                let u = unit_id(ctx, "input.unit", u).await?.id;
                require(ctx, Action::Edit, u)?;
                u
            }
            None => current.unit_id,
        };
        let new = NewPlace {
            slug: match &input.slug {
                Some(s) => slug("input.slug", s)?,
                None => current.slug.clone(),
            },
            kind: input.kind.map_or(current.kind, Into::into),
            unit,
            commune: optional_text(input.commune, current.commune.clone()),
            village: optional_text(input.village, current.village.clone()),
            location: location(input.latitude, input.longitude, current.location)?,
            texts: match input.texts {
                Some(t) => texts(t)?,
                None => current.texts.clone(),
            },
        };
        let saved =
            store(ctx).update_place(current.id, super::articles::check_version(version)?, new, who).await.api()?;
        Ok(Place::new(saved, lens(ctx)?))
    }

    /// Archives a place: readers no longer see it, and scans of its codes answer "disabled".
    async fn archive_place(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The place's id.")] id: ID,
        #[graphql(desc = "The `version` you saw.")] version: i32,
    ) -> ApiResult<Place> {
        crate::guard::signed_in(ctx)?;
        place_archived(ctx, &id, version, true).await
    }

    /// Brings an archived place back.
    async fn restore_place(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The place's id.")] id: ID,
        #[graphql(desc = "The `version` you saw.")] version: i32,
    ) -> ApiResult<Place> {
        crate::guard::signed_in(ctx)?;
        place_archived(ctx, &id, version, false).await
    }

    /// Creates a QR code for a place (editors of the place's unit). Print it from `pngUrl`/`svgUrl`.
    async fn create_qr_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new code.")] input: CreateQrCodeInput,
    ) -> ApiResult<QrCode> {
        crate::guard::signed_in(ctx)?;
        let at = place(ctx, "input.place", &input.place).await?;
        let who = actor(require(ctx, Action::Edit, at.unit_id)?);
        let (code, redraw) = match &input.code {
            Some(c) => (QrCodeValue::parse(c).map_err(|e| bad_input("input.code", e.message))?, None),
            None => (draw(), Some(draw as fn() -> QrCodeValue)),
        };
        let new = NewQrCode {
            code,
            place: at.id,
            target: target(ctx, &input.target).await?,
            active: input.active,
            expires_at: input.expires_at.map(micros),
        };
        let saved = store(ctx).create_qr_code(new, redraw, at.unit_id, who).await.api()?;
        Ok(QrCode::new(saved, lens(ctx)?))
    }

    /// Re-targets a code, moves it to another place, or turns it on or off (editors of its unit, and
    /// of the new place's unit when it moves).
    async fn update_qr_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code's id.")] id: ID,
        #[graphql(desc = "The `version` you edited.")] version: i32,
        #[graphql(desc = "The changes.")] input: UpdateQrCodeInput,
    ) -> ApiResult<QrCode> {
        crate::guard::signed_in(ctx)?;
        let (current, unit) = stored_code(ctx, &id).await?;
        let who = actor(require(ctx, Action::Edit, unit)?);
        let (place_id, new_unit) = match &input.place {
            Some(p) => {
                let p = place(ctx, "input.place", p).await?;
                require(ctx, Action::Edit, p.unit_id)?;
                (p.id, p.unit_id)
            }
            None => (current.place_id, unit),
        };
        let target = match &input.target {
            Some(t) => target(ctx, t).await?,
            None => current.target,
        };
        let new = NewQrCode {
            code: current.code.clone(),
            place: place_id,
            target,
            active: input.active.unwrap_or(current.active),
            expires_at: match input.expires_at {
                MaybeUndefined::Undefined => current.expires_at,
                MaybeUndefined::Null => None,
                MaybeUndefined::Value(at) => Some(micros(at)),
            },
        };
        let saved = store(ctx)
            .update_qr_code(current.id, super::articles::check_version(version)?, new, new_unit, who)
            .await
            .api()?;
        Ok(QrCode::new(saved, lens(ctx)?))
    }

    /// Archives a code (and deactivates it: a poster still hanging answers "disabled").
    async fn archive_qr_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code's id.")] id: ID,
        #[graphql(desc = "The `version` you saw.")] version: i32,
    ) -> ApiResult<QrCode> {
        crate::guard::signed_in(ctx)?;
        code_archived(ctx, &id, version, true).await
    }

    /// Brings an archived code back, still inactive: activate it with `updateQrCode`.
    async fn restore_qr_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code's id.")] id: ID,
        #[graphql(desc = "The `version` you saw.")] version: i32,
    ) -> ApiResult<QrCode> {
        crate::guard::signed_in(ctx)?;
        code_archived(ctx, &id, version, false).await
    }
}
