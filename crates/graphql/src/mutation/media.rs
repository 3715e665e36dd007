//! Images: uploading, their texts, and which images an article and a place show. Each needs a
//! logged-in account allowed to edit in the unit concerned, and writes an audit entry.

use super::articles::{check_version, checked, edited, per_locale, unit};
use crate::context::{Lens, chain, store};
use crate::error::{self, ApiResult, INTERNAL, OrApi, not_found};
use crate::guard::{actor, require};
use crate::node_id::{NodeKind, decode_as};
use crate::types::{Article, Image, Place, Upload};
use crate::uploads::Uploads;
use async_graphql::{Context, Error, ErrorExtensions, ID, InputObject, Object};
use frontier_domain::media::check_gallery;
use frontier_domain::{Action, ArticleImages, MediaId, MediaText, PlaceId, Translated};
use std::sync::Arc;

/// An image's alt text and caption in one language.
#[derive(InputObject)]
pub struct MediaTextInput {
    /// BCP 47 tag, e.g. `vi`, `en`.
    pub locale: String,
    /// What the image shows, 1 to 300 characters.
    pub alt: String,
    /// Caption shown below the image, at most 1,000 characters.
    pub caption: Option<String>,
}

/// Texts as given to a mutation (argument `field`); Vietnamese (`vi`) is required.
fn media_texts(field: &str, input: Vec<MediaTextInput>) -> ApiResult<Translated<MediaText>> {
    per_locale(field, input, |t| {
        let text = MediaText::new(&t.alt, t.caption.as_deref());
        (t.locale, text)
    })
}

/// Results are read as an editor sees them: in the request's language, with preview.
fn lens(ctx: &Context<'_>) -> ApiResult<Lens> {
    Ok(Lens::new(chain(ctx, None)?, true))
}

fn image_id(field: &str, id: &ID) -> ApiResult<MediaId> {
    Ok(MediaId(decode_as(field, id, NodeKind::Image)?))
}

fn image_ids(field: &'static str, ids: &[ID]) -> ApiResult<Vec<MediaId>> {
    let parsed: ApiResult<Vec<MediaId>> =
        ids.iter().enumerate().map(|(i, id)| image_id(&format!("{field}[{i}]"), id)).collect();
    check_gallery(field, parsed?).map_err(error::invalid)
}

/// Editing an image's texts needs the right to edit in the unit it was uploaded to.
async fn editable_image(
    ctx: &Context<'_>,
    id: &ID,
) -> ApiResult<(frontier_domain::Media, frontier_domain::AuditActor)> {
    let id = image_id("mediaId", id)?;
    let Some(media) = store(ctx).media_by_ids(vec![id]).await.api()?.pop() else {
        return Err(not_found("image"));
    };
    let user = require(ctx, Action::Edit, media.unit_id)?;
    Ok((media, actor(user)))
}

#[derive(Default)]
pub struct MediaMutation;

/// Images for articles and place galleries.
#[Object]
impl MediaMutation {
    /// Uploads a JPEG, PNG or WebP image (GraphQL multipart request). Its type is read from the bytes;
    /// it is stored upright and without metadata (EXIF and its GPS position are dropped), with
    /// renditions 320, 640 and 1280 px wide where the image is wider. Errors: `PAYLOAD_TOO_LARGE`,
    /// `UNSUPPORTED_MEDIA_TYPE` (not JPEG/PNG/WebP), `BAD_USER_INPUT` (damaged, or too many pixels).
    async fn upload_image(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The image file (a multipart part named in `map`).")] file: Upload,
        #[graphql(desc = "Slug of the unit the image belongs to (yours, or one below yours).")] unit: String,
        #[graphql(desc = "Alt text and optional caption per language; Vietnamese (`vi`) is required.")] alt: Vec<
            MediaTextInput,
        >,
    ) -> ApiResult<Image> {
        crate::guard::signed_in(ctx)?;
        let unit_id = self::unit(ctx, "unit", &unit).await?;
        let user = require(ctx, Action::Edit, unit_id)?;
        let texts = media_texts("alt", alt)?;
        let bytes = file.content(ctx, "file")?;
        let Ok(uploads) = ctx.data::<Arc<Uploads>>() else {
            tracing::error!("uploadImage called on a schema without the media library");
            return Err(Error::new("uploads are not configured").extend_with(|_, e| e.set("code", INTERNAL)));
        };
        let media = uploads.ingest(store(ctx), bytes, unit_id, texts, user).await.map_err(|e| error::upload(&e))?;
        Ok(Image::new(media, lens(ctx)?))
    }

    /// Replaces all alt texts and captions of an image.
    async fn set_image_texts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The image's id.")] media_id: ID,
        #[graphql(desc = "Alt text and optional caption per language; Vietnamese (`vi`) is required.")] texts: Vec<
            MediaTextInput,
        >,
    ) -> ApiResult<Image> {
        crate::guard::signed_in(ctx)?;
        let (media, who) = editable_image(ctx, &media_id).await?;
        let texts = media_texts("texts", texts)?;
        let saved = store(ctx).set_media_texts(media.id, texts, who).await.api()?;
        Ok(Image::new(saved, lens(ctx)?))
    }

    /// Sets an article's cover and gallery. Images are part of the article's content: the change is a
    /// new revision (restoring a revision restores its images), and a published article keeps showing
    /// its published images until the change is submitted and published.
    async fn set_article_images(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] article_id: ID,
        #[graphql(desc = "The `version` of the article the change was made against.")] version: i32,
        #[graphql(desc = "The image shown above the text; null for none.")] cover: Option<ID>,
        #[graphql(desc = "The images shown below the text, in order (at most 50; not the cover again).")] gallery: Vec<
            ID,
        >,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        let (article, _, who) = checked(ctx, "articleId", &article_id, Action::Edit).await?;
        let version = check_version(version)?;
        let cover = cover.as_ref().map(|id| image_id("cover", id)).transpose()?;
        let images = ArticleImages::new(cover, image_ids("gallery", &gallery)?).map_err(error::invalid)?;
        let saved = store(ctx).set_article_images(article.id, version, images, who).await.api()?;
        edited(ctx, saved).await
    }

    /// Sets the photo gallery of a place. Takes effect at once (places have no review step).
    async fn set_place_gallery(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The place's id.")] place_id: ID,
        #[graphql(desc = "The images, in order (at most 50); an empty list clears the gallery.")] images: Vec<ID>,
    ) -> ApiResult<Place> {
        crate::guard::signed_in(ctx)?;
        let id = PlaceId(decode_as("placeId", &place_id, NodeKind::Place)?);
        let Some(place) = store(ctx).place_for_editing(id).await.api()? else {
            return Err(not_found("place"));
        };
        let user = require(ctx, Action::Edit, place.unit_id)?;
        let images = image_ids("images", &images)?;
        store(ctx).set_place_gallery(place.id, images, actor(user)).await.api()?;
        Ok(Place::new(place, lens(ctx)?))
    }
}
