//! Images as readers' clients get them: sizes, alt text and caption in the served locale, and the
//! URLs of every stored size (with a ready `srcset`). Also the `Upload` scalar of multipart requests.

use super::localize;
use crate::context::{Lens, links};
use crate::error::{ApiResult, bad_input};
use crate::node_id::{NodeKind, encode};
use async_graphql::{Context, ID, InputValueError, InputValueResult, Object, Scalar, ScalarType, Value};
use frontier_domain::{self as d, MediaText};

/// An uploaded image: the master (`url`, at most 2560 px on its long side) and narrower renditions,
/// all without metadata (no EXIF, no GPS position).
pub struct Image {
    pub(crate) media: d::Media,
    pub(crate) chain: Lens,
}

impl Image {
    pub fn new(media: d::Media, chain: Lens) -> Self {
        Self { media, chain }
    }

    fn text(&self) -> ApiResult<&MediaText> {
        Ok(localize(&self.media.texts, &self.chain)?.text)
    }
}

/// One stored size of an image.
#[derive(async_graphql::SimpleObject)]
pub struct ImageRendition {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Where the file is served (immutable: cache it for as long as you like).
    pub url: String,
}

/// An uploaded image: the master (`url`, at most 2560 px on its long side) and narrower renditions,
/// all without metadata (no EXIF, no GPS position).
#[Object]
impl Image {
    /// Global id, usable with `node(id:)` and in `setArticleImages` / `setPlaceGallery`.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Image, self.media.id)
    }

    /// Width of the master in pixels.
    async fn width(&self) -> u32 {
        self.media.master.width
    }

    /// Height of the master in pixels.
    async fn height(&self) -> u32 {
        self.media.master.height
    }

    /// What the image shows, for people who cannot see it, in the served locale (falls back to `vi`).
    async fn alt(&self) -> ApiResult<&str> {
        Ok(&self.text()?.alt)
    }

    /// Caption in the same locale as `alt`, if there is one.
    async fn caption(&self) -> ApiResult<Option<&str>> {
        Ok(self.text()?.caption.as_deref())
    }

    /// The locale `alt` and `caption` are in.
    async fn served_locale(&self) -> ApiResult<String> {
        Ok(localize(&self.media.texts, &self.chain)?.served.to_string())
    }

    /// The master file (the widest size).
    async fn url(&self, ctx: &Context<'_>) -> String {
        links(ctx).media_url(&self.media.master)
    }

    /// Every size for an `<img srcset>`: `https://…/a.jpg 320w, https://…/b.jpg 640w, …`.
    async fn srcset(&self, ctx: &Context<'_>) -> String {
        let links = links(ctx);
        self.media.srcset(|f| links.media_url(f))
    }

    /// Every stored size, narrowest first; the last one is the master.
    #[graphql(complexity = "crate::types::list_cost(crate::types::LIST_RENDITIONS, child_complexity)")]
    async fn renditions(&self, ctx: &Context<'_>) -> Vec<ImageRendition> {
        let links = links(ctx);
        self.media
            .files()
            .map(|f| ImageRendition { width: f.width, height: f.height, url: links.media_url(f) })
            .collect()
    }
}

/// A file sent with the request, following the GraphQL multipart request spec
/// (https://github.com/jaydenseric/graphql-multipart-request-spec): send `null` in `operations` and
/// the file as a part named in `map`.
///
/// Our own scalar rather than async-graphql's `Upload`, whose parsing panics on a string that only
/// looks like a file reference (an `unwrap` on client input) and whose lookup indexes past the files
/// sent; this one refuses both as `BAD_USER_INPUT`. It has the same name and wire format.
#[derive(Debug, Clone, Copy)]
pub struct Upload(usize);

/// What async-graphql's multipart parser puts in place of each file variable.
const FILE_PREFIX: &str = "#__graphql_file__:";

/// A file sent as a part of a multipart request (GraphQL multipart request spec): `null` in `operations`, the file named in `map`.
#[Scalar(name = "Upload", specified_by_url = "https://github.com/jaydenseric/graphql-multipart-request-spec")]
impl ScalarType for Upload {
    fn parse(value: Value) -> InputValueResult<Self> {
        match file_index(&value) {
            Some(index) => Ok(Self(index)),
            None => {
                Err(InputValueError::custom("send the file as a multipart request (GraphQL multipart request spec)"))
            }
        }
    }

    /// Lets validation refuse anything but a file reference, with a coded error, before any resolver.
    fn is_valid(value: &Value) -> bool {
        file_index(value).is_some()
    }

    fn to_value(&self) -> Value {
        Value::Null
    }
}

fn file_index(value: &Value) -> Option<usize> {
    match value {
        Value::String(s) => s.strip_prefix(FILE_PREFIX)?.parse().ok(),
        _ => None,
    }
}

impl Upload {
    /// The file's bytes; `field` names the argument when the request carries no such file.
    pub fn content(&self, ctx: &Context<'_>, field: &str) -> ApiResult<Vec<u8>> {
        match ctx.query_env.uploads.get(self.0) {
            Some(file) => Ok(file.content.to_vec()),
            None => Err(bad_input(field, "no file was sent for it: use a multipart request")),
        }
    }
}
