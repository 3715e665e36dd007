use super::{ArticleConnection, ArticleEdge, Category, Image, Unit, available_locales, localize, page_info, required};
use crate::context::{Lens, links, loader, store};
use crate::cursor::{decode_article, encode_article};
use crate::error::{ApiResult, OrApi};
use crate::markdown;
use crate::node_id::{NodeKind, encode};
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use frontier_domain::{self as d, QrTargetKind};
use frontier_store::{ArticleCursor, ArticleOrder, ArticleQuery};

/// How article lists are sorted.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArticleOrderBy {
    /// Newest first.
    #[default]
    PublishedAtDesc,
    /// Oldest first.
    PublishedAtAsc,
    /// By slug, A to Z.
    SlugAsc,
}

impl From<ArticleOrderBy> for ArticleOrder {
    fn from(o: ArticleOrderBy) -> Self {
        match o {
            ArticleOrderBy::PublishedAtDesc => Self::PublishedDesc,
            ArticleOrderBy::PublishedAtAsc => Self::PublishedAsc,
            ArticleOrderBy::SlugAsc => Self::SlugAsc,
        }
    }
}

/// Where an article is in the editorial workflow.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "d::ArticleStatus")]
pub enum ArticleStatus {
    /// Being written; only editors of its unit see it.
    Draft,
    /// Submitted; waiting for a reviewer.
    InReview,
    /// Approved: online inside its publication window.
    Published,
    /// Offline and out of the editors' lists; can be restored to draft.
    Archived,
}

/// What readers see of an article right now.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "d::Visibility")]
pub enum Visibility {
    /// No published version.
    Offline,
    /// Published for a later `publishedAt`.
    Scheduled,
    /// Readers see it.
    Online,
    /// Its `unpublishAt` has passed.
    Expired,
}

/// Narrows an article list. All given conditions must hold.
#[derive(InputObject, Default)]
pub struct ArticleFilter {
    /// Slug of a category: articles in it and in its sub-categories.
    pub category: Option<String>,
    /// Slug of a unit: articles of that unit and of the units below it.
    pub unit: Option<String>,
    /// Only articles written in this locale (BCP 47 tag, e.g. `fr`). Also the default locale to serve.
    pub locale: Option<String>,
    /// Only articles in these workflow states (meaningful with `preview: true`; the public only sees
    /// published articles).
    pub status: Option<Vec<ArticleStatus>>,
}

/// One language version of an article.
#[derive(SimpleObject)]
pub struct ArticleTranslation {
    /// BCP 47 tag of this version.
    pub locale: String,
    /// Title in this locale.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// Body in Markdown.
    pub body: String,
}

/// A short text for residents and visitors, in one or more languages.
pub struct Article {
    pub(crate) article: d::Article,
    pub(crate) chain: Lens,
}

impl Article {
    pub fn new(article: d::Article, chain: Lens) -> Self {
        Self { article, chain }
    }

    fn text(&self) -> ApiResult<&d::ArticleTranslation> {
        Ok(localize(&self.article.translations, &self.chain)?.text)
    }
}

/// A short text for residents and visitors, in one or more languages.
#[Object]
impl Article {
    /// Global id, usable with `node(id:)`.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Article, self.article.id)
    }

    /// Stable key used in URLs.
    async fn slug(&self) -> &str {
        self.article.slug.as_str()
    }

    /// Title in the served locale.
    async fn title(&self) -> ApiResult<&str> {
        Ok(&self.text()?.title)
    }

    /// One or two sentences, in the served locale.
    async fn summary(&self) -> ApiResult<&str> {
        Ok(&self.text()?.summary)
    }

    /// Body in Markdown, in the served locale.
    async fn body(&self) -> ApiResult<&str> {
        Ok(&self.text()?.body)
    }

    /// Body rendered to HTML (raw HTML in the Markdown is escaped; unsafe links are removed).
    async fn body_html(&self) -> ApiResult<String> {
        Ok(markdown::to_html(&self.text()?.body))
    }

    /// The locale the texts are served in: the requested one when it exists, else a fallback
    /// (the request's broader tag, then `vi`).
    async fn served_locale(&self) -> ApiResult<String> {
        Ok(localize(&self.article.translations, &self.chain)?.served.to_string())
    }

    /// Every locale this article exists in.
    async fn available_locales(&self) -> Vec<String> {
        available_locales(&self.article.translations)
    }

    /// All language versions.
    #[graphql(complexity = "crate::types::list_cost(crate::types::LIST_TRANSLATIONS, child_complexity)")]
    async fn translations(&self) -> Vec<ArticleTranslation> {
        self.article
            .translations
            .iter()
            .map(|(l, t)| ArticleTranslation {
                locale: l.to_string(),
                title: t.title.clone(),
                summary: t.summary.clone(),
                body: t.body.clone(),
            })
            .collect()
    }

    /// When the article went (or, scheduled, goes) online (UTC). For an article never published,
    /// seen in preview: when it was created.
    async fn published_at(&self) -> DateTime<Utc> {
        self.article.published_at
    }

    /// When the published version goes offline by itself (UTC), if ever.
    async fn unpublish_at(&self) -> Option<DateTime<Utc>> {
        self.article.live.then_some(self.article.unpublish_at).flatten()
    }

    /// Where the article is in the workflow. Outside preview this is always `PUBLISHED`: the public
    /// only ever sees the published version.
    async fn status(&self) -> ArticleStatus {
        if self.chain.preview { self.article.status.into() } else { ArticleStatus::Published }
    }

    /// Whether readers can see a version of this article now, will at `publishedAt`, or no longer.
    async fn visibility(&self, ctx: &Context<'_>) -> Visibility {
        d::Visibility::of(self.article.window().as_ref(), crate::context::clock(ctx).now()).into()
    }

    /// True when a published version exists and the latest edits are not published yet (preview only;
    /// false for everyone else).
    async fn has_unpublished_changes(&self) -> bool {
        self.chain.preview && self.article.live && self.article.status != d::ArticleStatus::Published
    }

    /// The version to send back with an update or a workflow step; it changes with each of them.
    async fn version(&self) -> i64 {
        self.article.version
    }

    /// When the article was last changed (UTC).
    async fn updated_at(&self) -> DateTime<Utc> {
        self.article.updated_at
    }

    /// The category the article is filed under.
    async fn category(&self, ctx: &Context<'_>) -> ApiResult<Category> {
        let c = loader(ctx, &self.chain).load_one(self.article.category_id).await.api()?;
        Ok(Category::new(required(c, "article category")?, self.chain.clone()))
    }

    /// The unit that owns the article.
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<Unit> {
        let u = loader(ctx, &self.chain).load_one(self.article.unit_id).await.api()?;
        Ok(Unit::new(required(u, "article unit")?, self.chain.clone()))
    }

    /// The article's reader page on this server.
    async fn url(&self, ctx: &Context<'_>) -> String {
        links(ctx).reader_url(QrTargetKind::Article, self.article.slug.as_str())
    }

    /// The image shown above the text, if any.
    async fn cover(&self, ctx: &Context<'_>) -> ApiResult<Option<Image>> {
        let Some(id) = self.article.images.cover else { return Ok(None) };
        let found = loader(ctx, &self.chain).load_one(id).await.api()?;
        Ok(found.map(|m| Image::new(m, self.chain.clone())))
    }

    /// The gallery below the text, in order.
    #[graphql(complexity = "crate::types::list_cost(crate::types::LIST_IMAGES, child_complexity)")]
    async fn images(&self, ctx: &Context<'_>) -> ApiResult<Vec<Image>> {
        let gallery = &self.article.images.gallery;
        let mut found = loader(ctx, &self.chain).load_many(gallery.iter().copied()).await.api()?;
        Ok(gallery.iter().filter_map(|id| found.remove(id)).map(|m| Image::new(m, self.chain.clone())).collect())
    }
}

/// Runs an article query and shapes it as a Relay connection.
pub(crate) async fn articles_connection(
    ctx: &Context<'_>,
    mut query: ArticleQuery,
    after: Option<String>,
    order_by: ArticleOrderBy,
    chain: Lens,
) -> ApiResult<ArticleConnection> {
    let order: ArticleOrder = order_by.into();
    query.order = order;
    query.after = after.as_deref().map(|c| decode_article(order, c)).transpose()?;
    let has_previous = query.after.is_some();
    let page = store(ctx).articles(crate::context::audience(ctx, &chain), query).await.api()?;
    let edges: Vec<ArticleEdge> = page
        .items
        .into_iter()
        .map(|a| ArticleEdge {
            cursor: encode_article(order, &ArticleCursor::of(&a)),
            node: Article::new(a, chain.clone()),
        })
        .collect();
    let cursors: Vec<&str> = edges.iter().map(|e| e.cursor.as_str()).collect();
    let page_info = page_info(&cursors, has_previous, page.has_next);
    Ok(ArticleConnection { edges, page_info, total_count: page.total })
}
