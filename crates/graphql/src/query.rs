//! The public read API: the root `Query` type.

use crate::context::{audience, lens, loader, store};
use crate::error::{ApiResult, OrApi, bad_input, invalid, not_found_field};
use crate::node_id::{NodeKind, decode};
use crate::types::*;
use async_graphql::{Context, ID, Object};
use frontier_domain::{CategoryId, Locale, QrCodeValue, Slug, UnitId};
use frontier_store::{ArticleQuery, PlaceQuery};

pub struct Query;

fn slug_arg(field: &str, value: &str) -> ApiResult<Slug> {
    Slug::parse(value).map_err(|e| bad_input(field, e.message))
}

pub(crate) async fn unit_id(ctx: &Context<'_>, field: &str, slug: &str) -> ApiResult<UnitId> {
    let slug = slug_arg(field, slug)?;
    match store(ctx).unit_by_slug_any(slug.to_string()).await.api()? {
        Some(u) => Ok(u.id),
        None => Err(not_found_field(field, format!("unit `{slug}`"))),
    }
}

async fn category_id(ctx: &Context<'_>, field: &str, slug: &str) -> ApiResult<CategoryId> {
    let slug = slug_arg(field, slug)?;
    match store(ctx).category_by_slug_any(slug.to_string()).await.api()? {
        Some(c) => Ok(c.id),
        None => Err(not_found_field(field, format!("category `{slug}`"))),
    }
}

/// The public read API. Every field takes an optional `locale` (BCP 47): translated texts are
/// served in it when they exist, else in its broader tag, then in Vietnamese (`vi`). Without `locale`,
/// the request's `Accept-Language` header is used the same way.
// A resolver's parameters are the field's GraphQL arguments: their number is the API's shape.
#[allow(clippy::too_many_arguments)]
#[Object]
impl Query {
    /// All units, province command first, then border posts, then stations.
    #[graphql(complexity = "crate::types::list_cost(crate::types::LIST_UNITS, child_complexity)")]
    async fn units(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<Vec<Unit>> {
        let chain = lens(ctx, locale.as_deref(), preview)?;
        Ok(store(ctx)
            .units(audience(ctx, &chain))
            .await
            .api()?
            .into_iter()
            .map(|u| Unit::new(u, chain.clone()))
            .collect())
    }

    /// A unit by slug.
    async fn unit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug: lower-case ASCII words joined by hyphens, as in the page URL.")] slug: String,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<Option<Unit>> {
        let chain = lens(ctx, locale.as_deref(), preview)?;
        let slug = slug_arg("slug", &slug)?;
        Ok(store(ctx).unit_by_slug(audience(ctx, &chain), slug.to_string()).await.api()?.map(|u| Unit::new(u, chain)))
    }

    /// Top-level categories in display order; walk `children` for the tree.
    #[graphql(complexity = "crate::types::list_cost(crate::types::LIST_CATEGORIES, child_complexity)")]
    async fn categories(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<Vec<Category>> {
        let chain = lens(ctx, locale.as_deref(), preview)?;
        Ok(store(ctx)
            .root_categories(audience(ctx, &chain))
            .await
            .api()?
            .into_iter()
            .map(|c| Category::new(c, chain.clone()))
            .collect())
    }

    /// A category by slug.
    async fn category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug: lower-case ASCII words joined by hyphens, as in the page URL.")] slug: String,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<Option<Category>> {
        let chain = lens(ctx, locale.as_deref(), preview)?;
        let slug = slug_arg("slug", &slug)?;
        Ok(store(ctx)
            .category_by_slug(audience(ctx, &chain), slug.to_string())
            .await
            .api()?
            .map(|c| Category::new(c, chain)))
    }

    /// Articles, newest first by default, as a cursor connection.
    #[graphql(complexity = "crate::types::page_cost(first, child_complexity)")]
    async fn articles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Conditions the articles must meet.")] filter: Option<ArticleFilter>,
        #[graphql(default, desc = "Sort order (default: newest first).")] order_by: ArticleOrderBy,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<ArticleConnection> {
        let filter = filter.unwrap_or_default();
        let only_locale = match &filter.locale {
            Some(tag) => Some(Locale::parse(tag).map_err(|e| bad_input("filter.locale", e.message))?),
            None => None,
        };
        let chain = lens(ctx, locale.as_deref().or(filter.locale.as_deref()), preview)?;
        // Outside preview every article seen is the published version: a status filter means nothing
        // there (and must not tell which articles have unpublished edits).
        let statuses =
            filter.status.as_ref().filter(|_| chain.preview).map(|s| s.iter().map(|s| (*s).into()).collect());
        let mut query = ArticleQuery { locale: only_locale, statuses, first: page_size(first)?, ..Default::default() };
        if let Some(slug) = &filter.category {
            query.category = Some(category_id(ctx, "filter.category", slug).await?);
        }
        if let Some(slug) = &filter.unit {
            query.unit = Some(unit_id(ctx, "filter.unit", slug).await?);
        }
        crate::types::articles_connection(ctx, query, after, order_by, chain).await
    }

    /// An article by slug.
    async fn article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug: lower-case ASCII words joined by hyphens, as in the page URL.")] slug: String,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<Option<Article>> {
        let chain = lens(ctx, locale.as_deref(), preview)?;
        let slug = slug_arg("slug", &slug)?;
        Ok(store(ctx)
            .article_by_slug(audience(ctx, &chain), slug.to_string())
            .await
            .api()?
            .map(|a| Article::new(a, chain)))
    }

    /// Places, by slug, as a cursor connection.
    #[graphql(complexity = "crate::types::page_cost(first, child_complexity)")]
    async fn places(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last edge of the previous page.")] after: Option<String>,
        #[graphql(desc = "Conditions the places must meet.")] filter: Option<PlaceFilter>,
        #[graphql(default, desc = "Sort order (default: by slug).")] order_by: PlaceOrderBy,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<PlaceConnection> {
        let PlaceOrderBy::SlugAsc = order_by;
        let chain = lens(ctx, locale.as_deref(), preview)?;
        let filter = filter.unwrap_or_default();
        let mut query =
            PlaceQuery { kind: filter.kind.map(Into::into), first: page_size(first)?, ..Default::default() };
        query.after = after.as_deref().map(crate::cursor::decode_place).transpose()?;
        if let Some(slug) = &filter.unit {
            query.unit = Some(unit_id(ctx, "filter.unit", slug).await?);
        }
        let has_previous = query.after.is_some();
        let page = store(ctx).places(audience(ctx, &chain), query).await.api()?;
        let edges: Vec<PlaceEdge> = page
            .items
            .into_iter()
            .map(|p| PlaceEdge { cursor: crate::cursor::encode_place(&p.slug), node: Place::new(p, chain.clone()) })
            .collect();
        let cursors: Vec<&str> = edges.iter().map(|e| e.cursor.as_str()).collect();
        let page_info = page_info(&cursors, has_previous, page.has_next);
        Ok(PlaceConnection { edges, page_info, total_count: page.total })
    }

    /// A place by slug.
    async fn place(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The slug: lower-case ASCII words joined by hyphens, as in the page URL.")] slug: String,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<Option<Place>> {
        let chain = lens(ctx, locale.as_deref(), preview)?;
        let slug = slug_arg("slug", &slug)?;
        Ok(store(ctx).place_by_slug(audience(ctx, &chain), slug.to_string()).await.api()?.map(|p| Place::new(p, chain)))
    }

    /// A QR code by its short code (case-insensitive). Looking a code up here is not a scan and is
    /// not counted.
    async fn qr_code(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The short code printed on the poster, any case (e.g. `K4PVHZ`).")] code: String,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<Option<QrCode>> {
        let chain = lens(ctx, locale.as_deref(), preview)?;
        let code = QrCodeValue::parse(&code).map_err(invalid)?;
        Ok(store(ctx).qr_code_by_code(audience(ctx, &chain), code).await.api()?.map(|q| QrCode::new(q, chain)))
    }

    /// Any object by its global id; null when it does not exist.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id as returned by an `id` field.")] id: ID,
        #[graphql(
            desc = "BCP 47 tag to serve texts in (e.g. `fr`, `zh-Hans`); falls back to its broader tag, then `vi`. Default: the request's Accept-Language."
        )]
        locale: Option<String>,
        #[graphql(
            default,
            desc = "Include unpublished content (drafts, content in review, scheduled, expired, archived) of the units you edit. Needs a logged-in editor, reviewer or admin."
        )]
        preview: bool,
    ) -> ApiResult<Option<Node>> {
        let chain = lens(ctx, locale.as_deref(), preview)?;
        let (kind, uuid) = decode(&id)?;
        let l = loader(ctx, &chain);
        Ok(match kind {
            NodeKind::Unit => l.load_one(UnitId(uuid)).await.api()?.map(|u| Node::Unit(Unit::new(u, chain))),
            NodeKind::Category => {
                l.load_one(CategoryId(uuid)).await.api()?.map(|c| Node::Category(Category::new(c, chain)))
            }
            NodeKind::Article => {
                l.load_one(frontier_domain::ArticleId(uuid)).await.api()?.map(|a| Node::Article(Article::new(a, chain)))
            }
            NodeKind::Place => {
                l.load_one(frontier_domain::PlaceId(uuid)).await.api()?.map(|p| Node::Place(Place::new(p, chain)))
            }
            NodeKind::QrCode => {
                l.load_one(frontier_domain::QrCodeId(uuid)).await.api()?.map(|q| Node::QrCode(QrCode::new(q, chain)))
            }
            NodeKind::Image => {
                // The files are public by their URL, but an image's texts only show through content the
                // reader sees (an upload attached to nothing yet is the editor's business).
                let v = crate::context::viewer(ctx);
                let Some(image) = l.load_one(frontier_domain::MediaId(uuid)).await.api()? else { return Ok(None) };
                let in_scope = frontier_domain::permits(
                    &v.actor,
                    frontier_domain::Action::ReadPublished,
                    image.unit_id,
                    v.links(),
                );
                let shown =
                    in_scope && store(ctx).media_shown(audience(ctx, &chain), image.id, image.unit_id).await.api()?;
                shown.then(|| Node::Image(Image::new(image, chain)))
            }
        })
    }

    /// Every saved revision of an article, newest first. Editors, reviewers and admins of its unit.
    async fn article_revisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] article_id: ID,
    ) -> ApiResult<Vec<crate::mutation::ArticleRevision>> {
        crate::mutation::revisions(ctx, &article_id).await
    }

    /// Scan statistics: how often people scan the codes of your units, where and for what. Needs an
    /// analyst of those units (or an admin). Days are calendar days in the statistics' time zone.
    async fn scan_stats(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which scans count. Default: your units, the last 30 days.")] filter: Option<ScanFilter>,
        #[graphql(desc = "How `groups` is split. Default: by day.")] group_by: Option<ScanGrouping>,
        #[graphql(desc = "BCP 47 tag to write labels and names in (e.g. `fr`). Default: Accept-Language, then `vi`.")]
        locale: Option<String>,
    ) -> ApiResult<crate::stats::ScanStats> {
        let chain = lens(ctx, locale.as_deref(), false)?;
        crate::stats::scan_stats(
            ctx,
            filter.unwrap_or_default(),
            group_by.unwrap_or_default(),
            chain,
            crate::context::clock(ctx).now(),
        )
        .await
    }

    /// What was scanned that is no code (a misprinted or foreign poster, a code typed wrong), by
    /// text. Such scans belong to no unit: for the province's admins and analysts only.
    async fn unknown_code_scans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First local day counted. Default: 29 days before `to`.")] from: Option<chrono::NaiveDate>,
        #[graphql(desc = "Last local day counted. Default: today in the statistics' time zone.")] to: Option<
            chrono::NaiveDate,
        >,
        #[graphql(desc = "How many texts to list, 1 to 100 (default 20).")] limit: Option<i32>,
    ) -> ApiResult<crate::unknown_scans::UnknownCodeScans> {
        crate::unknown_scans::unknown_code_scans(ctx, from, to, limit).await
    }

    /// The logged-in account; null without a bearer token (or with an API key).
    async fn me(&self, ctx: &Context<'_>) -> Option<crate::types::Account> {
        crate::context::viewer(ctx).user.clone().map(crate::types::Account::new)
    }

    /// Every account (admins only).
    async fn accounts(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::types::Account>> {
        crate::mutation::accounts(ctx).await
    }

    /// Every API key, newest first, revoked ones included (admins only).
    async fn api_keys(&self, ctx: &Context<'_>) -> ApiResult<Vec<crate::types::ApiKey>> {
        crate::mutation::api_keys(ctx).await
    }

    /// The audit log, newest first (admins only). It has no update or delete path.
    #[graphql(complexity = "crate::types::page_cost(first, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Conditions the entries must meet.")] filter: Option<crate::mutation::AuditLogFilter>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "`nextBefore` of the previous page.")] before: Option<ID>,
    ) -> ApiResult<crate::mutation::AuditLogPage> {
        crate::mutation::audit_log(ctx, filter.unwrap_or_default(), first, before).await
    }
}
