use super::{Article, Category, Place, QrTarget, Unit, required};
use crate::context::{Lens, links, loader};
use crate::error::{ApiResult, OrApi};
use crate::node_id::{NodeKind, encode};
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use frontier_domain as d;

/// A printed QR code: the short code on the poster, the place it hangs in, and what it opens.
/// Reading it here has no side effect; only a scan of `scanUrl` is counted.
pub struct QrCode {
    pub(crate) qr: d::QrCode,
    pub(crate) chain: Lens,
}

impl QrCode {
    pub fn new(qr: d::QrCode, chain: Lens) -> Self {
        Self { qr, chain }
    }
}

/// One entry of a code's target history.
#[derive(async_graphql::SimpleObject)]
pub struct QrTargetChange {
    /// The kind of record the code opened from then on.
    pub kind: crate::mutation::QrTargetKind,
    /// Its global id (use `node(id:, preview: true)` to read it).
    pub target_id: ID,
    /// When the code was set to it (UTC).
    pub set_at: DateTime<Utc>,
    /// The officer who set it (`system` for the seed).
    pub set_by: String,
}

pub(crate) fn target_node_id(t: d::QrTarget) -> ID {
    match t {
        d::QrTarget::Article(id) => encode(NodeKind::Article, id),
        d::QrTarget::Category(id) => encode(NodeKind::Category, id),
        d::QrTarget::Place(id) => encode(NodeKind::Place, id),
        d::QrTarget::Unit(id) => encode(NodeKind::Unit, id),
    }
}

/// Loads what a code opens.
pub(crate) async fn load_target(ctx: &Context<'_>, target: d::QrTarget, chain: &Lens) -> ApiResult<Option<QrTarget>> {
    let l = loader(ctx, chain);
    let chain = chain.clone();
    Ok(match target {
        d::QrTarget::Article(id) => l.load_one(id).await.api()?.map(|a| QrTarget::Article(Article::new(a, chain))),
        d::QrTarget::Category(id) => l.load_one(id).await.api()?.map(|c| QrTarget::Category(Category::new(c, chain))),
        d::QrTarget::Place(id) => l.load_one(id).await.api()?.map(|p| QrTarget::Place(Place::new(p, chain))),
        d::QrTarget::Unit(id) => l.load_one(id).await.api()?.map(|u| QrTarget::Unit(Unit::new(u, chain))),
    })
}

/// A printed QR code: the short code on the poster, the place it hangs in, and what it opens.
/// Reading it here has no side effect; only a scan of `scanUrl` is counted.
#[Object]
impl QrCode {
    /// Global id, usable with `node(id:)`.
    pub async fn id(&self) -> ID {
        encode(NodeKind::QrCode, self.qr.id)
    }

    /// The short code printed under the symbol (upper case; input is case-insensitive).
    async fn code(&self) -> &str {
        self.qr.code.as_str()
    }

    /// False when the code is switched off: a scan then shows a notice instead of the target.
    async fn active(&self) -> bool {
        self.qr.active
    }

    /// The place the code hangs in.
    async fn place(&self, ctx: &Context<'_>) -> ApiResult<Place> {
        let p = loader(ctx, &self.chain).load_one(self.qr.place_id).await.api()?;
        Ok(Place::new(required(p, "code place")?, self.chain.clone()))
    }

    /// What a scan opens: an article, a category, a place page or a unit page. Null while the target
    /// is not published (a draft, a scheduled or expired article, something archived).
    async fn target(&self, ctx: &Context<'_>) -> ApiResult<Option<QrTarget>> {
        load_target(ctx, self.qr.target, &self.chain).await
    }

    /// The URL inside the symbol, as the symbol holds it: upper case but for a path prefix of the
    /// public URL (`HTTPS://HOST/Q/CODE`), so it fits QR's compact alphanumeric mode. Opening it
    /// records a scan and redirects to the target.
    async fn scan_url(&self, ctx: &Context<'_>) -> String {
        links(ctx).scan_url(&self.qr.code)
    }

    /// The symbol as a PNG image.
    async fn png_url(&self, ctx: &Context<'_>) -> String {
        links(ctx).qr_image_url(&self.qr.code, "png")
    }

    /// The symbol as an SVG image (for print).
    async fn svg_url(&self, ctx: &Context<'_>) -> String {
        links(ctx).qr_image_url(&self.qr.code, "svg")
    }

    /// When the code was created (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.qr.created_at
    }

    /// Send it back with an update or an archive; it changes with each of them.
    async fn version(&self) -> i64 {
        self.qr.version
    }

    /// From this moment on scans land on an "expired" page with the post's contact line; null: never.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.qr.expires_at
    }

    /// What the code opened over time, oldest first (the last entry is the current target). For the
    /// editors of its unit: it names the officers who re-targeted it.
    async fn target_history(&self, ctx: &Context<'_>) -> ApiResult<Vec<QrTargetChange>> {
        let place = loader(ctx, &self.chain).load_one(self.qr.place_id).await.api()?;
        let place = required(place, "code place")?;
        crate::guard::require(ctx, d::Action::Preview, place.unit_id)?;
        let history = crate::context::store(ctx).qr_target_history(self.qr.id).await.api()?;
        Ok(history
            .into_iter()
            .map(|c| QrTargetChange {
                kind: c.target.kind().into(),
                target_id: target_node_id(c.target),
                set_at: c.set_at,
                set_by: c.set_by,
            })
            .collect())
    }

    /// When it was archived (UTC); archived records are only seen in preview.
    async fn archived_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.qr.archived_at
    }
}
