use super::{available_locales, description, name, served_locale};
use crate::context::{Lens, links, loader};
use crate::error::{ApiResult, OrApi};
use crate::loaders::UnitChildren;
use crate::node_id::{NodeKind, encode};
use async_graphql::{Context, Enum, ID, Object};
use frontier_domain::{self as d, QrTargetKind};

/// Where a unit stands in the chain of command.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "d::UnitKind")]
pub enum UnitKind {
    /// The province's border-guard command (Bộ Chỉ huy Bộ đội Biên phòng tỉnh).
    ProvinceCommand,
    /// A border post (đồn biên phòng), reporting to the province command.
    BorderPost,
    /// A station (trạm) of a border post.
    Station,
}

/// An organisational unit of the border guard. Content, places and QR codes belong to units.
pub struct Unit {
    pub(crate) unit: d::Unit,
    pub(crate) chain: Lens,
}

impl Unit {
    pub fn new(unit: d::Unit, chain: Lens) -> Self {
        Self { unit, chain }
    }
}

/// An organisational unit of the border guard. Content, places and QR codes belong to units.
#[Object]
impl Unit {
    /// Global id, usable with `node(id:)`.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Unit, self.unit.id)
    }

    /// Stable key used in URLs and filters.
    async fn slug(&self) -> &str {
        self.unit.slug.as_str()
    }

    /// Where the unit stands in the chain of command.
    async fn kind(&self) -> UnitKind {
        self.unit.kind.into()
    }

    /// Name in the served locale.
    async fn name(&self) -> ApiResult<String> {
        name(&self.unit.texts, &self.chain)
    }

    /// Short presentation in the served locale.
    async fn description(&self) -> ApiResult<Option<String>> {
        description(&self.unit.texts, &self.chain)
    }

    /// The locale `name` and `description` are served in (the requested one, or a fallback).
    async fn served_locale(&self) -> ApiResult<String> {
        served_locale(&self.unit.texts, &self.chain)
    }

    /// Every locale this unit's texts exist in.
    async fn available_locales(&self) -> Vec<String> {
        available_locales(&self.unit.texts)
    }

    /// Public contact line (hotline).
    async fn phone(&self) -> Option<&str> {
        self.unit.phone.as_deref()
    }

    /// Postal address, one line.
    async fn address(&self) -> Option<&str> {
        self.unit.address.as_deref()
    }

    /// The unit this one reports to; null for the province command.
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<Unit>> {
        let Some(parent) = self.unit.parent_id else { return Ok(None) };
        Ok(loader(ctx, &self.chain).load_one(parent).await.api()?.map(|u| Unit::new(u, self.chain.clone())))
    }

    /// Units reporting directly to this one, by slug.
    #[graphql(complexity = "crate::types::list_cost(crate::types::LIST_UNITS, child_complexity)")]
    async fn children(&self, ctx: &Context<'_>) -> ApiResult<Vec<Unit>> {
        let kids = loader(ctx, &self.chain).load_one(UnitChildren(self.unit.id)).await.api()?.unwrap_or_default();
        Ok(kids.into_iter().map(|u| Unit::new(u, self.chain.clone())).collect())
    }

    /// The unit's public page on this server.
    async fn url(&self, ctx: &Context<'_>) -> String {
        links(ctx).reader_url(QrTargetKind::Unit, self.unit.slug.as_str())
    }

    /// Send it back with an update or an archive; it changes with each of them.
    async fn version(&self) -> i64 {
        self.unit.version
    }

    /// When it was archived (UTC); archived records are only seen in preview.
    async fn archived_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.unit.archived_at
    }
}
