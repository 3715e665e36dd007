//! Images: the metadata of processed uploads (the files are on disk, named by their hash), their
//! per-locale alt texts and captions, and where they are shown.
//!
//! An article's images are part of its content (`ArticleContent::images`): they are saved through the
//! workflow, kept in every revision and published with the texts. `article_media` holds the images
//! of the version the article row holds, exactly as `article_translations` holds its texts. A place's
//! gallery is not versioned (places have no workflow): it changes at once.

use crate::convert::{corrupt, from_db, ids, now, parse, to_db};
use crate::db::DbConnection;
use crate::error::{Result, StoreError};
use crate::schema::{article_media, media, media_renditions, media_texts, place_media, places, units};
use crate::{Audience, Store, article_workflow, audit};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontier_domain::media::{check_gallery, check_texts};
use frontier_domain::{
    Article, ArticleId, ArticleImages, AuditActor, AuditEvent, ImageFormat, Locale, Media, MediaFile, MediaId,
    MediaKind, MediaText, PlaceId, Translated, UnitId, UserId, ValidationError,
};
use std::collections::HashMap;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = media)]
struct MediaRow {
    id: String,
    unit_id: String,
    kind: String,
    width: i32,
    height: i32,
    hash: String,
    format: String,
    bytes: i64,
    created_by: Option<String>,
    created_at: NaiveDateTime,
    archived_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = media_renditions)]
struct RenditionRow {
    media_id: String,
    width: i32,
    height: i32,
    hash: String,
    format: String,
    bytes: i64,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = media_texts)]
struct TextRow {
    media_id: String,
    locale: String,
    alt: String,
    caption: Option<String>,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = article_media)]
struct ArticleMediaRow {
    article_id: String,
    media_id: String,
    position: i32,
    role: String,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = place_media)]
struct PlaceMediaRow {
    place_id: String,
    media_id: String,
    position: i32,
}

const COVER: &str = "cover";
const GALLERY: &str = "gallery";

/// A processed upload whose files are already stored, as the upload path hands it over.
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub unit: UnitId,
    pub kind: MediaKind,
    pub master: MediaFile,
    /// Narrowest first.
    pub renditions: Vec<MediaFile>,
    pub texts: Translated<MediaText>,
    pub created_by: Option<UserId>,
}

/// Pixel sizes and positions are small; a value that does not fit a column is refused, not wrapped.
fn column(field: &'static str, value: impl TryInto<i32>) -> Result<i32> {
    value.try_into().map_err(|_| too_large(field))
}

fn byte_count(value: u64) -> Result<i64> {
    value.try_into().map_err(|_| too_large("bytes"))
}

fn size(what: &str, value: impl TryInto<u32> + Copy + std::fmt::Display) -> Result<u32> {
    value.try_into().map_err(|_| corrupt(what, format!("{value} is out of range")))
}

fn file_of(width: i32, height: i32, hash: String, format: &str, bytes: i64, what: &str) -> Result<MediaFile> {
    Ok(MediaFile {
        width: size(what, width)?,
        height: size(what, height)?,
        hash,
        format: ImageFormat::parse(format).map_err(|e| corrupt(what, e))?,
        bytes: bytes.try_into().map_err(|_| corrupt(what, format!("{bytes} bytes")))?,
    })
}

/// The images with these ids, archived ones left out, in no particular order.
pub(crate) fn by_ids(conn: &mut DbConnection, wanted: &[MediaId]) -> Result<Vec<Media>> {
    let rows: Vec<MediaRow> = media::table
        .filter(media::id.eq_any(ids(wanted)))
        .filter(media::archived_at.is_null())
        .select(MediaRow::as_select())
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut renditions: HashMap<String, Vec<MediaFile>> = HashMap::new();
    let rendition_rows: Vec<RenditionRow> = media_renditions::table
        .filter(media_renditions::media_id.eq_any(&found))
        .order((media_renditions::media_id, media_renditions::width))
        .select(RenditionRow::as_select())
        .load(conn)?;
    for r in rendition_rows {
        let file = file_of(r.width, r.height, r.hash, &r.format, r.bytes, "media_renditions")?;
        renditions.entry(r.media_id).or_default().push(file);
    }
    let mut texts: HashMap<String, Vec<(Locale, MediaText)>> = HashMap::new();
    let text_rows: Vec<TextRow> = media_texts::table
        .filter(media_texts::media_id.eq_any(&found))
        .order((media_texts::media_id, media_texts::locale))
        .select(TextRow::as_select())
        .load(conn)?;
    for t in text_rows {
        let locale: Locale = parse("media_texts.locale", &t.locale)?;
        texts.entry(t.media_id).or_default().push((locale, MediaText { alt: t.alt, caption: t.caption }));
    }
    rows.into_iter()
        .map(|r| {
            Ok(Media {
                id: parse("media.id", &r.id)?,
                unit_id: parse("media.unit_id", &r.unit_id)?,
                kind: MediaKind::parse(&r.kind).map_err(|e| corrupt("media.kind", e))?,
                master: file_of(r.width, r.height, r.hash, &r.format, r.bytes, "media")?,
                renditions: renditions.remove(&r.id).unwrap_or_default(),
                texts: Translated::new(texts.remove(&r.id).unwrap_or_default()),
                created_by: r.created_by.as_deref().map(|u| parse("media.created_by", u)).transpose()?,
                created_at: from_db(r.created_at),
            })
        })
        .collect()
}

fn one(conn: &mut DbConnection, id: MediaId) -> Result<Media> {
    by_ids(conn, &[id])?.pop().ok_or_else(|| StoreError::NotFound(format!("image {id}")))
}

/// Every id names a stored, unarchived image; else `NotFound` names the first one that does not.
pub(crate) fn require_all(conn: &mut DbConnection, wanted: &[MediaId]) -> Result<()> {
    if wanted.is_empty() {
        return Ok(());
    }
    let found: Vec<String> = media::table
        .filter(media::id.eq_any(ids(wanted)))
        .filter(media::archived_at.is_null())
        .select(media::id)
        .load(conn)?;
    match wanted.iter().find(|id| !found.contains(&id.to_string())) {
        Some(missing) => Err(StoreError::NotFound(format!("image {missing}"))),
        None => Ok(()),
    }
}

fn replace_texts(conn: &mut DbConnection, id: &str, texts: &Translated<MediaText>) -> Result<()> {
    diesel::delete(media_texts::table.filter(media_texts::media_id.eq(id))).execute(conn)?;
    for (locale, t) in texts.iter() {
        let row = TextRow {
            media_id: id.to_owned(),
            locale: locale.to_string(),
            alt: t.alt.clone(),
            caption: t.caption.clone(),
        };
        diesel::insert_into(media_texts::table).values(row).execute(conn)?;
    }
    Ok(())
}

fn event(action: &str, target_kind: &str, target: String, unit: UnitId, summary: String) -> AuditEvent {
    AuditEvent {
        action: action.to_owned(),
        target_kind: target_kind.to_owned(),
        target_id: Some(target),
        unit_id: Some(unit),
        summary,
    }
}

fn locales(texts: &Translated<MediaText>) -> String {
    texts.locales().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

fn save(conn: &mut DbConnection, new: NewMedia, actor: &AuditActor) -> Result<Media> {
    check_texts(&new.texts)?;
    let unit_exists: i64 = units::table.filter(units::id.eq(new.unit.to_string())).count().get_result(conn)?;
    if unit_exists == 0 {
        return Err(StoreError::NotFound(format!("unit {}", new.unit)));
    }
    let id = MediaId::generate().to_string();
    let m = &new.master;
    let row = MediaRow {
        id: id.clone(),
        unit_id: new.unit.to_string(),
        kind: new.kind.as_str().to_owned(),
        width: column("width", m.width)?,
        height: column("height", m.height)?,
        hash: m.hash.clone(),
        format: m.format.as_str().to_owned(),
        bytes: byte_count(m.bytes)?,
        created_by: new.created_by.map(|u| u.to_string()),
        created_at: to_db(now()),
        archived_at: None,
    };
    diesel::insert_into(media::table).values(&row).execute(conn)?;
    for r in &new.renditions {
        let rendition = RenditionRow {
            media_id: id.clone(),
            width: column("width", r.width)?,
            height: column("height", r.height)?,
            hash: r.hash.clone(),
            format: r.format.as_str().to_owned(),
            bytes: byte_count(r.bytes)?,
        };
        diesel::insert_into(media_renditions::table).values(rendition).execute(conn)?;
    }
    replace_texts(conn, &id, &new.texts)?;
    let summary = format!(
        "{} × {} {} with {} renditions, alt in {}",
        m.width,
        m.height,
        new.kind.as_str(),
        new.renditions.len(),
        locales(&new.texts)
    );
    audit::append(conn, actor, event("media.upload", "media", id.clone(), new.unit, summary))?;
    one(conn, parse("media.id", &id)?)
}

fn too_large(field: &'static str) -> StoreError {
    StoreError::Invalid(ValidationError::new(field, "is too large"))
}

fn set_texts(conn: &mut DbConnection, id: MediaId, texts: Translated<MediaText>, actor: &AuditActor) -> Result<Media> {
    check_texts(&texts)?;
    let before = one(conn, id)?;
    replace_texts(conn, &id.to_string(), &texts)?;
    let summary = format!("alt text and captions in {}", locales(&texts));
    audit::append(conn, actor, event("media.set_texts", "media", id.to_string(), before.unit_id, summary))?;
    one(conn, id)
}

/// The images of each article row, keyed by article id; articles without images are absent.
pub(crate) fn article_images(conn: &mut DbConnection, owners: &[String]) -> Result<HashMap<String, ArticleImages>> {
    let rows: Vec<ArticleMediaRow> = article_media::table
        .filter(article_media::article_id.eq_any(owners))
        .order((article_media::article_id, article_media::position))
        .select(ArticleMediaRow::as_select())
        .load(conn)?;
    let mut out: HashMap<String, ArticleImages> = HashMap::new();
    for r in rows {
        let id: MediaId = parse("article_media.media_id", &r.media_id)?;
        let images = out.entry(r.article_id).or_default();
        match r.role.as_str() {
            COVER => images.cover = Some(id),
            GALLERY => images.gallery.push(id),
            other => return Err(corrupt("article_media.role", other)),
        }
    }
    Ok(out)
}

/// Replaces the stored images of an article row (called wherever its translations are written).
pub(crate) fn write_article_images(conn: &mut DbConnection, article: &str, images: &ArticleImages) -> Result<()> {
    diesel::delete(article_media::table.filter(article_media::article_id.eq(article))).execute(conn)?;
    let cover = images.cover.iter().map(|id| (id, COVER, 0));
    let gallery = images.gallery.iter().enumerate().map(|(i, id)| (id, GALLERY, i));
    for (id, role, position) in cover.chain(gallery) {
        let row = ArticleMediaRow {
            article_id: article.to_owned(),
            media_id: id.to_string(),
            position: column("position", position)?,
            role: role.to_owned(),
        };
        diesel::insert_into(article_media::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// New images for an article: saved through the workflow like any other edit of its content, so it
/// makes a revision, needs the current `version`, and a published article shows the new images only
/// once the change is published. Answers with the latest content, as the editor previews it.
fn set_article_images(
    conn: &mut DbConnection,
    id: ArticleId,
    expected_version: i64,
    images: ArticleImages,
    actor: &AuditActor,
) -> Result<Article> {
    let article = article_workflow::load(conn, id)?;
    let mut content = article_workflow::head(conn, &article)?;
    content.images = images;
    let mut saved = article_workflow::update(conn, id, expected_version, content, actor, None)?;
    let latest = article_workflow::head(conn, &saved)?;
    article_workflow::apply_content(&mut saved, latest);
    Ok(saved)
}

fn set_place_gallery(conn: &mut DbConnection, place: PlaceId, images: Vec<MediaId>, actor: &AuditActor) -> Result<()> {
    let images = check_gallery("images", images)?;
    let unit: Option<String> =
        places::table.filter(places::id.eq(place.to_string())).select(places::unit_id).first(conn).optional()?;
    let unit: UnitId = match unit {
        Some(u) => parse("places.unit_id", &u)?,
        None => return Err(StoreError::NotFound(format!("place {place}"))),
    };
    require_all(conn, &images)?;
    let owner = place.to_string();
    diesel::delete(place_media::table.filter(place_media::place_id.eq(&owner))).execute(conn)?;
    for (i, id) in images.iter().enumerate() {
        let row = PlaceMediaRow { place_id: owner.clone(), media_id: id.to_string(), position: column("position", i)? };
        diesel::insert_into(place_media::table).values(row).execute(conn)?;
    }
    let summary = format!("gallery of {} images", images.len());
    audit::append(conn, actor, event("place.set_gallery", "place", owner, unit, summary))
}

/// The galleries of these places, each in its order, as (place, image) pairs.
fn place_galleries(conn: &mut DbConnection, wanted: &[PlaceId]) -> Result<Vec<(PlaceId, Media)>> {
    let rows: Vec<PlaceMediaRow> = place_media::table
        .filter(place_media::place_id.eq_any(ids(wanted)))
        .order((place_media::place_id, place_media::position))
        .select(PlaceMediaRow::as_select())
        .load(conn)?;
    let images: Vec<MediaId> =
        rows.iter().map(|r| parse("place_media.media_id", &r.media_id)).collect::<Result<_>>()?;
    let found: HashMap<MediaId, Media> = by_ids(conn, &images)?.into_iter().map(|m| (m.id, m)).collect();
    let mut out = Vec::with_capacity(rows.len());
    for (row, image) in rows.iter().zip(images) {
        // Archived images drop out of the galleries they were in.
        if let Some(m) = found.get(&image) {
            out.push((parse("place_media.place_id", &row.place_id)?, m.clone()));
        }
    }
    Ok(out)
}

/// Whether the audience sees something that shows this image: an article (cover or gallery of the
/// version readers get) or a place's gallery.
fn shown(conn: &mut DbConnection, audience: &Audience, image: MediaId) -> Result<bool> {
    let id = image.to_string();
    let in_articles: Vec<String> =
        article_media::table.filter(article_media::media_id.eq(&id)).select(article_media::article_id).load(conn)?;
    let in_articles = in_articles.iter().map(|a| parse("article_media.article_id", a)).collect::<Result<Vec<_>>>()?;
    if !in_articles.is_empty() && !crate::articles::by_ids(conn, audience, &in_articles)?.is_empty() {
        return Ok(true);
    }
    let in_places: Vec<String> =
        place_media::table.filter(place_media::media_id.eq(&id)).select(place_media::place_id).load(conn)?;
    let in_places = in_places.iter().map(|p| parse("place_media.place_id", p)).collect::<Result<Vec<_>>>()?;
    if in_places.is_empty() {
        return Ok(false);
    }
    let places = crate::places::by_ids(conn, &in_places)?;
    Ok(!crate::places::seen(conn, audience, places)?.is_empty())
}

impl Store {
    /// Whether `audience` may see this image's texts: only through content it sees (or in preview of
    /// the image's unit). The files themselves are public by their URL.
    pub async fn media_shown(&self, audience: Audience, image: MediaId, unit: UnitId) -> Result<bool> {
        if audience.previews(unit) {
            return Ok(true);
        }
        self.run(move |c| shown(c, &audience, image)).await
    }

    /// Records a processed upload whose files are stored, with its audit entry.
    pub async fn save_media(&self, new: NewMedia, actor: AuditActor) -> Result<Media> {
        self.transaction(move |c| save(c, new, &actor)).await
    }

    /// Replaces all alt texts and captions of an image (Vietnamese required).
    pub async fn set_media_texts(&self, id: MediaId, texts: Translated<MediaText>, actor: AuditActor) -> Result<Media> {
        self.transaction(move |c| set_texts(c, id, texts, &actor)).await
    }

    /// The unarchived images among these ids, in no particular order.
    pub async fn media_by_ids(&self, ids: Vec<MediaId>) -> Result<Vec<Media>> {
        self.run(move |c| by_ids(c, &ids)).await
    }

    /// Replaces an article's cover and gallery as a new revision (see the workflow's `update`).
    pub async fn set_article_images(
        &self,
        id: ArticleId,
        expected_version: i64,
        images: ArticleImages,
        actor: AuditActor,
    ) -> Result<Article> {
        self.transaction(move |c| set_article_images(c, id, expected_version, images, &actor)).await
    }

    /// Replaces a place's photo gallery (takes effect at once: places are not versioned).
    pub async fn set_place_gallery(&self, place: PlaceId, images: Vec<MediaId>, actor: AuditActor) -> Result<()> {
        self.transaction(move |c| set_place_gallery(c, place, images, &actor)).await
    }

    /// The galleries of many places at once (for a DataLoader), in gallery order.
    pub async fn place_galleries(&self, places: Vec<PlaceId>) -> Result<Vec<(PlaceId, Media)>> {
        self.run(move |c| place_galleries(c, &places)).await
    }
}
