//! Articles and their translations as readers and editors see them; the keyset-paginated list behind
//! the `articles` connection. Every read takes an [`Audience`]; the workflow's writes are in
//! `article_workflow.rs`.
//!
//! The row and its translations hold the published version while the article is `live`, and the
//! latest revision otherwise. A live article with unpublished edits (status not `published`) has its
//! latest content in its newest revision, which preview shows instead of the row.

use crate::audience::{Audience, Reach};
use crate::convert::{corrupt, from_db, ids, now, parse, to_db};
use crate::db::{DbConnection, MultiBackend};
use crate::error::{Result, StoreError};
use crate::schema::{article_translations, articles, categories, units};
use crate::{Page, Store, categories as category_rows, revisions, units as unit_rows};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};
use frontier_domain::tree::subtree;
use frontier_domain::{
    Article, ArticleId, ArticleStatus, ArticleTranslation, CategoryId, Locale, Slug, Translated, UnitId,
};
use std::collections::HashMap;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = articles, treat_none_as_null = true)]
pub(crate) struct ArticleRow {
    pub id: String,
    pub slug: String,
    pub category_id: String,
    pub unit_id: String,
    pub published_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub status: String,
    pub live: bool,
    pub unpublish_at: Option<NaiveDateTime>,
    pub version: i64,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = article_translations)]
pub(crate) struct TranslationRow {
    pub article_id: String,
    pub locale: String,
    pub title: String,
    pub summary: String,
    pub body: String,
}

/// A published article as the seed (or an import) brings it: saved by slug, online at once.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub slug: Slug,
    pub category: CategoryId,
    pub unit: UnitId,
    pub published_at: DateTime<Utc>,
    pub translations: Translated<ArticleTranslation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArticleOrder {
    /// Newest first (the default everywhere readers see lists).
    #[default]
    PublishedDesc,
    PublishedAsc,
    SlugAsc,
}

/// Where the previous page ended: the sort keys of its last article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleCursor {
    pub published_at: DateTime<Utc>,
    pub id: ArticleId,
    pub slug: Slug,
}

impl ArticleCursor {
    pub fn of(article: &Article) -> Self {
        Self { published_at: article.published_at, id: article.id, slug: article.slug.clone() }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    /// This category and every category below it.
    pub category: Option<CategoryId>,
    /// This unit and every unit below it.
    pub unit: Option<UnitId>,
    /// Only articles that exist in this locale.
    pub locale: Option<Locale>,
    /// Only articles in one of these states (editors' lists: "in review in my post").
    pub statuses: Option<Vec<ArticleStatus>>,
    pub order: ArticleOrder,
    pub after: Option<ArticleCursor>,
    pub first: i64,
}

pub(crate) fn load_translations(
    conn: &mut DbConnection,
    owners: &[String],
) -> Result<HashMap<String, Translated<ArticleTranslation>>> {
    let rows: Vec<TranslationRow> = article_translations::table
        .filter(article_translations::article_id.eq_any(owners))
        .order((article_translations::article_id, article_translations::locale))
        .select(TranslationRow::as_select())
        .load(conn)?;
    let mut grouped: HashMap<String, Vec<(Locale, ArticleTranslation)>> = HashMap::new();
    for r in rows {
        let locale: Locale = parse("article_translations.locale", &r.locale)?;
        let t = ArticleTranslation { title: r.title, summary: r.summary, body: r.body };
        grouped.entry(r.article_id).or_default().push((locale, t));
    }
    Ok(grouped.into_iter().map(|(k, v)| (k, Translated::new(v))).collect())
}

/// Domain articles from rows, as stored (no preview overlay).
pub(crate) fn assemble_rows(conn: &mut DbConnection, rows: Vec<ArticleRow>) -> Result<Vec<Article>> {
    let owners: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut all = load_translations(conn, &owners)?;
    let mut images = crate::media::article_images(conn, &owners)?;
    rows.into_iter()
        .map(|r| {
            Ok(Article {
                id: parse("articles.id", &r.id)?,
                slug: Slug::parse(&r.slug).map_err(|e| corrupt("articles.slug", e))?,
                category_id: parse("articles.category_id", &r.category_id)?,
                unit_id: parse("articles.unit_id", &r.unit_id)?,
                status: ArticleStatus::parse(&r.status).map_err(|e| corrupt("articles.status", e))?,
                live: r.live,
                published_at: from_db(r.published_at),
                unpublish_at: r.unpublish_at.map(from_db),
                version: r.version,
                translations: all.remove(&r.id).unwrap_or_else(Translated::empty),
                images: images.remove(&r.id).unwrap_or_default(),
                created_at: from_db(r.created_at),
                updated_at: from_db(r.updated_at),
            })
        })
        .collect()
}

/// What the audience is shown: in preview, a live article with unpublished edits shows its newest
/// revision; everyone else sees the row.
fn assemble(conn: &mut DbConnection, reach: &Reach, rows: Vec<ArticleRow>) -> Result<Vec<Article>> {
    let mut out = assemble_rows(conn, rows)?;
    let pending: Vec<ArticleId> = out
        .iter()
        .filter(|a| a.live && a.status != ArticleStatus::Published && reach.preview.contains(&a.unit_id))
        .map(|a| a.id)
        .collect();
    if pending.is_empty() {
        return Ok(out);
    }
    let latest = revisions::latest_contents(conn, &pending)?;
    for a in &mut out {
        if let Some(content) = latest.get(&a.id) {
            a.slug = content.slug.clone();
            a.category_id = content.category_id;
            a.unit_id = content.unit_id;
            a.translations = content.translations.clone();
            a.images = content.images.clone();
        }
    }
    Ok(out)
}

type Condition = Box<dyn BoxableExpression<articles::table, MultiBackend, SqlType = Nullable<Bool>>>;

/// The rows this audience may see at all.
fn visible(reach: &Reach) -> Condition {
    let now = reach.now;
    let online: Condition = Box::new(
        articles::live
            .eq(true)
            .and(articles::published_at.le(now))
            .nullable()
            .and(articles::unpublish_at.is_null().nullable().or(articles::unpublish_at.gt(now)))
            .and(articles::category_id.eq_any(Reach::strings(&reach.categories)).nullable())
            .and(articles::unit_id.eq_any(Reach::strings(&reach.units)).nullable()),
    );
    let mut shown = online;
    if !reach.preview.is_empty() {
        shown = Box::new(shown.or(articles::unit_id.eq_any(Reach::strings(&reach.preview)).nullable()));
    }
    if let Some(within) = &reach.within {
        shown = Box::new(shown.and(articles::unit_id.eq_any(Reach::strings(within)).nullable()));
    }
    shown
}

fn rows_where(reach: &Reach) -> articles::BoxedQuery<'static, MultiBackend> {
    articles::table.filter(visible(reach)).into_boxed()
}

pub(crate) fn by_ids(conn: &mut DbConnection, audience: &Audience, wanted: &[ArticleId]) -> Result<Vec<Article>> {
    let reach = Reach::of(conn, audience)?;
    let rows =
        rows_where(&reach).filter(articles::id.eq_any(ids(wanted))).select(ArticleRow::as_select()).load(conn)?;
    assemble(conn, &reach, rows)
}

pub(crate) fn by_slug(conn: &mut DbConnection, audience: &Audience, slug: &str) -> Result<Option<Article>> {
    let reach = Reach::of(conn, audience)?;
    let rows = rows_where(&reach).filter(articles::slug.eq(slug)).select(ArticleRow::as_select()).load(conn)?;
    Ok(assemble(conn, &reach, rows)?.pop())
}

/// The stored article whatever its state: for writes, which check permissions themselves.
pub(crate) fn stored(conn: &mut DbConnection, id: ArticleId) -> Result<Option<Article>> {
    let rows = articles::table.filter(articles::id.eq(id.to_string())).select(ArticleRow::as_select()).load(conn)?;
    Ok(assemble_rows(conn, rows)?.pop())
}

pub(crate) fn stored_by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<Article>> {
    let rows = articles::table.filter(articles::slug.eq(slug)).select(ArticleRow::as_select()).load(conn)?;
    Ok(assemble_rows(conn, rows)?.pop())
}

/// The filter part of a query, with subtrees already expanded to id lists.
struct Filter {
    categories: Option<Vec<String>>,
    units: Option<Vec<String>>,
    locale: Option<String>,
    statuses: Option<Vec<String>>,
}

impl Filter {
    fn expand(conn: &mut DbConnection, q: &ArticleQuery) -> Result<Self> {
        let categories = match q.category {
            Some(root) => Some(ids(&subtree(&category_rows::links(conn)?, root))),
            None => None,
        };
        let units = match q.unit {
            Some(root) => Some(ids(&subtree(&unit_rows::links(conn)?, root))),
            None => None,
        };
        let statuses = q.statuses.as_ref().map(|s| s.iter().map(|s| s.as_str().to_owned()).collect());
        Ok(Self { categories, units, locale: q.locale.as_ref().map(ToString::to_string), statuses })
    }

    fn query(&self, reach: &Reach) -> articles::BoxedQuery<'static, MultiBackend> {
        let mut query = rows_where(reach);
        if let Some(c) = &self.categories {
            query = query.filter(articles::category_id.eq_any(c.clone()));
        }
        if let Some(u) = &self.units {
            query = query.filter(articles::unit_id.eq_any(u.clone()));
        }
        if let Some(s) = &self.statuses {
            query = query.filter(articles::status.eq_any(s.clone()));
        }
        if let Some(l) = &self.locale {
            let in_locale = article_translations::table
                .filter(article_translations::locale.eq(l.clone()))
                .select(article_translations::article_id);
            query = query.filter(articles::id.eq_any(in_locale));
        }
        query
    }
}

fn page(conn: &mut DbConnection, audience: &Audience, q: &ArticleQuery) -> Result<Page<Article>> {
    let reach = Reach::of(conn, audience)?;
    let filter = Filter::expand(conn, q)?;
    let total: i64 = filter.query(&reach).count().get_result(conn)?;
    let mut query = filter.query(&reach);
    query = match q.order {
        ArticleOrder::PublishedDesc => query.order((articles::published_at.desc(), articles::id.desc())),
        ArticleOrder::PublishedAsc => query.order((articles::published_at.asc(), articles::id.asc())),
        ArticleOrder::SlugAsc => query.order(articles::slug.asc()),
    };
    if let Some(after) = &q.after {
        let (p, id) = (to_db(after.published_at), after.id.to_string());
        query = match q.order {
            ArticleOrder::PublishedDesc => {
                query.filter(articles::published_at.lt(p).or(articles::published_at.eq(p).and(articles::id.lt(id))))
            }
            ArticleOrder::PublishedAsc => {
                query.filter(articles::published_at.gt(p).or(articles::published_at.eq(p).and(articles::id.gt(id))))
            }
            ArticleOrder::SlugAsc => query.filter(articles::slug.gt(after.slug.to_string())),
        };
    }
    let first = q.first.max(0);
    let mut rows = query.limit(first + 1).select(ArticleRow::as_select()).load(conn)?;
    let has_next = rows.len() as i64 > first;
    rows.truncate(first as usize);
    Ok(Page { items: assemble(conn, &reach, rows)?, has_next, total })
}

pub(crate) fn require_parents(conn: &mut DbConnection, category: CategoryId, unit: UnitId) -> Result<()> {
    let category_exists: i64 =
        categories::table.filter(categories::id.eq(category.to_string())).count().get_result(conn)?;
    if category_exists == 0 {
        return Err(StoreError::NotFound(format!("category {category}")));
    }
    let unit_exists: i64 = units::table.filter(units::id.eq(unit.to_string())).count().get_result(conn)?;
    if unit_exists == 0 {
        return Err(StoreError::NotFound(format!("unit {unit}")));
    }
    Ok(())
}

/// Replaces the stored translations of `id`.
pub(crate) fn write_translations(
    conn: &mut DbConnection,
    id: &str,
    translations: &Translated<ArticleTranslation>,
) -> Result<()> {
    diesel::delete(article_translations::table.filter(article_translations::article_id.eq(id))).execute(conn)?;
    for (locale, t) in translations.iter() {
        diesel::insert_into(article_translations::table)
            .values(TranslationRow {
                article_id: id.to_owned(),
                locale: locale.to_string(),
                title: t.title.clone(),
                summary: t.summary.clone(),
                body: t.body.clone(),
            })
            .execute(conn)?;
    }
    Ok(())
}

pub(crate) fn write_row(conn: &mut DbConnection, row: &ArticleRow, insert: bool) -> Result<()> {
    if insert {
        diesel::insert_into(articles::table).values(row).execute(conn)?;
    } else {
        diesel::update(articles::table.find(&row.id)).set(row).execute(conn)?;
    }
    Ok(())
}

/// Saves an edited row only if it is still at version `expected`, else [`StoreError::Stale`]. The
/// version read at the start of a transaction is not enough on PostgreSQL: under READ COMMITTED two
/// writers both read version n, and both would save n + 1. The workflow's writers also lock the row
/// when they load it; this keeps the guarantee at the write itself.
pub(crate) fn save_row(conn: &mut DbConnection, row: &ArticleRow, expected: i64) -> Result<()> {
    let saved =
        diesel::update(articles::table.find(&row.id).filter(articles::version.eq(expected))).set(row).execute(conn)?;
    if saved == 0 {
        let current = articles::table.find(&row.id).select(articles::version).first(conn)?;
        return Err(StoreError::Stale { current });
    }
    Ok(())
}

pub(crate) fn row_of(a: &Article) -> ArticleRow {
    ArticleRow {
        id: a.id.to_string(),
        slug: a.slug.to_string(),
        category_id: a.category_id.to_string(),
        unit_id: a.unit_id.to_string(),
        published_at: to_db(a.published_at),
        created_at: to_db(a.created_at),
        updated_at: to_db(a.updated_at),
        status: a.status.as_str().to_owned(),
        live: a.live,
        unpublish_at: a.unpublish_at.map(to_db),
        version: a.version,
    }
}

/// The seed's path: creates or overwrites a published article by slug, with a revision when its
/// content changed.
fn import(conn: &mut DbConnection, new: NewArticle) -> Result<Article> {
    new.translations.require_default("translations")?;
    require_parents(conn, new.category, new.unit)?;
    let existing = stored_by_slug(conn, new.slug.as_str())?;
    let t = now();
    let article = Article {
        id: existing.as_ref().map_or_else(ArticleId::generate, |a| a.id),
        slug: new.slug,
        category_id: new.category,
        unit_id: new.unit,
        status: ArticleStatus::Published,
        live: true,
        published_at: new.published_at,
        unpublish_at: None,
        version: existing.as_ref().map_or(1, |a| a.version + 1),
        translations: new.translations,
        // An import brings texts only: the images editors chose stay.
        images: existing.as_ref().map(|a| a.images.clone()).unwrap_or_default(),
        created_at: existing.as_ref().map_or(t, |a| a.created_at),
        updated_at: t,
    };
    write_row(conn, &row_of(&article), existing.is_none())?;
    write_translations(conn, &article.id.to_string(), &article.translations)?;
    let before = existing.as_ref().map(Article::content);
    if before.as_ref() != Some(&article.content()) {
        revisions::append(conn, &article, before.as_ref(), &frontier_domain::AuditActor::system(), None)?;
    }
    stored(conn, article.id)?.ok_or_else(|| StoreError::NotFound(format!("article {}", article.id)))
}

impl Store {
    pub async fn articles_by_ids(&self, audience: Audience, ids: Vec<ArticleId>) -> Result<Vec<Article>> {
        self.run(move |c| by_ids(c, &audience, &ids)).await
    }

    pub async fn article_by_slug(&self, audience: Audience, slug: String) -> Result<Option<Article>> {
        self.run(move |c| by_slug(c, &audience, &slug)).await
    }

    /// One page of the articles this audience may see that match the query, with their total count.
    pub async fn articles(&self, audience: Audience, query: ArticleQuery) -> Result<Page<Article>> {
        self.run(move |c| page(c, &audience, &query)).await
    }

    /// Creates or overwrites a published article by slug (the seed's path; editors use the workflow).
    pub async fn save_article(&self, new: NewArticle) -> Result<Article> {
        self.transaction(move |c| import(c, new)).await
    }
}
