use super::article::{ArticleOrderBy, articles_connection};
use super::{ArticleConnection, available_locales, description, name, page_size, served_locale};
use crate::context::{Lens, links, loader};
use crate::error::{ApiResult, OrApi};
use crate::loaders::CategoryChildren;
use crate::node_id::{NodeKind, encode};
use async_graphql::{Context, ID, Object};
use frontier_domain::{self as d, QrTargetKind};
use frontier_store::ArticleQuery;

/// A topic readers browse (border law, heritage and culture, …). Categories form a tree.
pub struct Category {
    pub(crate) category: d::Category,
    pub(crate) chain: Lens,
}

impl Category {
    pub fn new(category: d::Category, chain: Lens) -> Self {
        Self { category, chain }
    }
}

/// A topic readers browse (border law, heritage and culture, …). Categories form a tree.
#[Object]
impl Category {
    /// Global id, usable with `node(id:)`.
    pub async fn id(&self) -> ID {
        encode(NodeKind::Category, self.category.id)
    }

    /// Stable key used in URLs and filters.
    async fn slug(&self) -> &str {
        self.category.slug.as_str()
    }

    /// Name in the served locale.
    async fn name(&self) -> ApiResult<String> {
        name(&self.category.texts, &self.chain)
    }

    /// What the category holds, in the served locale.
    async fn description(&self) -> ApiResult<Option<String>> {
        description(&self.category.texts, &self.chain)
    }

    /// The locale `name` and `description` are served in (the requested one, or a fallback).
    async fn served_locale(&self) -> ApiResult<String> {
        served_locale(&self.category.texts, &self.chain)
    }

    /// Every locale this category's texts exist in.
    async fn available_locales(&self) -> Vec<String> {
        available_locales(&self.category.texts)
    }

    /// Order among siblings, ascending.
    async fn position(&self) -> i32 {
        self.category.position
    }

    /// The category above this one; null for a top-level category.
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<Category>> {
        let Some(parent) = self.category.parent_id else { return Ok(None) };
        Ok(loader(ctx, &self.chain).load_one(parent).await.api()?.map(|c| Category::new(c, self.chain.clone())))
    }

    /// Sub-categories, in display order.
    #[graphql(complexity = "crate::types::list_cost(crate::types::LIST_CATEGORIES, child_complexity)")]
    async fn children(&self, ctx: &Context<'_>) -> ApiResult<Vec<Category>> {
        let kids =
            loader(ctx, &self.chain).load_one(CategoryChildren(self.category.id)).await.api()?.unwrap_or_default();
        Ok(kids.into_iter().map(|c| Category::new(c, self.chain.clone())).collect())
    }

    /// Articles in this category and its sub-categories.
    #[graphql(complexity = "crate::types::page_cost(first, child_complexity)")]
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(default, desc = "Sort order (default: newest first).")] order_by: ArticleOrderBy,
    ) -> ApiResult<ArticleConnection> {
        let query = ArticleQuery { category: Some(self.category.id), first: page_size(first)?, ..Default::default() };
        articles_connection(ctx, query, after, order_by, self.chain.clone()).await
    }

    /// The category's public page on this server.
    async fn url(&self, ctx: &Context<'_>) -> String {
        links(ctx).reader_url(QrTargetKind::Category, self.category.slug.as_str())
    }

    /// Send it back with an update or an archive; it changes with each of them.
    async fn version(&self) -> i64 {
        self.category.version
    }

    /// When it was archived (UTC); archived records are only seen in preview.
    async fn archived_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.category.archived_at
    }
}
