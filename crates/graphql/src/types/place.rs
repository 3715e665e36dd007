use super::{Image, QrCode, Unit, available_locales, description, name, required, served_locale};
use crate::context::{Lens, links, loader};
use crate::error::{ApiResult, OrApi};
use crate::loaders::{PlaceCodes, PlaceGallery};
use crate::node_id::{NodeKind, encode};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use frontier_domain::{self as d, QrTargetKind};

/// What kind of public place a code hangs in.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "d::PlaceKind")]
pub enum PlaceKind {
    /// A village cultural house (nhà văn hóa thôn).
    CulturalHouse,
    /// A commune office (trụ sở xã, điểm phục vụ hành chính công).
    CommuneOffice,
    /// A border station.
    BorderStation,
    /// A border checkpoint.
    Checkpoint,
    /// A point on a patrol path.
    PatrolPoint,
    /// Anything else (a post's headquarters, a market).
    Other,
}

/// How place lists are sorted.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlaceOrderBy {
    /// By slug, A to Z.
    #[default]
    SlugAsc,
}

/// Narrows a place list. All given conditions must hold.
#[derive(InputObject, Default)]
pub struct PlaceFilter {
    /// Slug of a unit: places of that unit and of the units below it.
    pub unit: Option<String>,
    /// Only places of this kind.
    pub kind: Option<PlaceKind>,
}

/// A WGS 84 position.
#[derive(SimpleObject)]
pub struct Location {
    /// Decimal degrees, north positive.
    pub latitude: f64,
    /// Decimal degrees, east positive.
    pub longitude: f64,
}

/// A public place where QR codes hang.
pub struct Place {
    pub(crate) place: d::Place,
    pub(crate) chain: Lens,
}

impl Place {
    pub fn new(place: d::Place, chain: Lens) -> Self {
        Self { place, chain }
    }
}

/// A public place where QR codes hang.
#[Object]
impl Place {
    /// Global id, usable with `node(id:)`.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Place, self.place.id)
    }

    /// Stable key used in URLs.
    async fn slug(&self) -> &str {
        self.place.slug.as_str()
    }

    /// What kind of place this is.
    async fn kind(&self) -> PlaceKind {
        self.place.kind.into()
    }

    /// Name in the served locale.
    async fn name(&self) -> ApiResult<String> {
        name(&self.place.texts, &self.chain)
    }

    /// What the place is and what to find there, in the served locale.
    async fn description(&self) -> ApiResult<Option<String>> {
        description(&self.place.texts, &self.chain)
    }

    /// The locale `name` and `description` are served in (the requested one, or a fallback).
    async fn served_locale(&self) -> ApiResult<String> {
        served_locale(&self.place.texts, &self.chain)
    }

    /// Every locale this place's texts exist in.
    async fn available_locales(&self) -> Vec<String> {
        available_locales(&self.place.texts)
    }

    /// Commune (xã) the place is in.
    async fn commune(&self) -> Option<&str> {
        self.place.commune.as_deref()
    }

    /// Village or hamlet (thôn, bản).
    async fn village(&self) -> Option<&str> {
        self.place.village.as_deref()
    }

    /// Position, when known.
    async fn location(&self) -> Option<Location> {
        self.place.location.map(|c| Location { latitude: c.latitude(), longitude: c.longitude() })
    }

    /// The unit responsible for the place.
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<Unit> {
        let u = loader(ctx, &self.chain).load_one(self.place.unit_id).await.api()?;
        Ok(Unit::new(required(u, "place unit")?, self.chain.clone()))
    }

    /// The QR codes hanging here (one per poster), by code.
    #[graphql(complexity = "crate::types::list_cost(crate::types::LIST_CODES, child_complexity)")]
    async fn qr_codes(&self, ctx: &Context<'_>) -> ApiResult<Vec<QrCode>> {
        let codes = loader(ctx, &self.chain).load_one(PlaceCodes(self.place.id)).await.api()?.unwrap_or_default();
        Ok(codes.into_iter().map(|q| QrCode::new(q, self.chain.clone())).collect())
    }

    /// The place's page on this server.
    async fn url(&self, ctx: &Context<'_>) -> String {
        links(ctx).reader_url(QrTargetKind::Place, self.place.slug.as_str())
    }

    /// Send it back with an update or an archive; it changes with each of them.
    async fn version(&self) -> i64 {
        self.place.version
    }

    /// When it was archived (UTC); archived records are only seen in preview.
    async fn archived_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.place.archived_at
    }

    /// The photo gallery of the place, in order.
    #[graphql(complexity = "crate::types::list_cost(crate::types::LIST_IMAGES, child_complexity)")]
    async fn gallery(&self, ctx: &Context<'_>) -> ApiResult<Vec<Image>> {
        let images = loader(ctx, &self.chain).load_one(PlaceGallery(self.place.id)).await.api()?.unwrap_or_default();
        Ok(images.into_iter().map(|m| Image::new(m, self.chain.clone())).collect())
    }
}
