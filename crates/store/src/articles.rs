//! Articles and their translations; the keyset-paginated list behind the `articles` connection.

use crate::Store;
use crate::convert::{corrupt, from_db, ids, now, parse, to_db};
use crate::db::{DbConnection, MultiBackend};
use crate::error::{Result, StoreError};
use crate::schema::{article_translations, articles, categories, units};
use crate::{Page, categories as category_rows, units as unit_rows};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use frontier_domain::tree::subtree;
use frontier_domain::{Article, ArticleId, ArticleTranslation, CategoryId, Locale, Slug, Translated, UnitId};
use std::collections::HashMap;

#[derive(Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = articles)]
struct ArticleRow {
    id: String,
    slug: String,
    category_id: String,
    unit_id: String,
    published_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = article_translations)]
struct TranslationRow {
    article_id: String,
    locale: String,
    title: String,
    summary: String,
    body: String,
}

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
    pub order: ArticleOrder,
    pub after: Option<ArticleCursor>,
    pub first: i64,
}

fn load_translations(
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

fn assemble(conn: &mut DbConnection, rows: Vec<ArticleRow>) -> Result<Vec<Article>> {
    let owners: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut all = load_translations(conn, &owners)?;
    rows.into_iter()
        .map(|r| {
            Ok(Article {
                id: parse("articles.id", &r.id)?,
                slug: Slug::parse(&r.slug).map_err(|e| corrupt("articles.slug", e))?,
                category_id: parse("articles.category_id", &r.category_id)?,
                unit_id: parse("articles.unit_id", &r.unit_id)?,
                published_at: from_db(r.published_at),
                translations: all.remove(&r.id).unwrap_or_else(Translated::empty),
                created_at: from_db(r.created_at),
                updated_at: from_db(r.updated_at),
            })
        })
        .collect()
}

pub(crate) fn by_ids(conn: &mut DbConnection, wanted: &[ArticleId]) -> Result<Vec<Article>> {
    let rows = articles::table.filter(articles::id.eq_any(ids(wanted))).select(ArticleRow::as_select()).load(conn)?;
    assemble(conn, rows)
}

pub(crate) fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Option<Article>> {
    let rows = articles::table.filter(articles::slug.eq(slug)).select(ArticleRow::as_select()).load(conn)?;
    Ok(assemble(conn, rows)?.pop())
}

/// The filter part of a query, with subtrees already expanded to id lists.
struct Filter {
    categories: Option<Vec<String>>,
    units: Option<Vec<String>>,
    locale: Option<String>,
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
        Ok(Self { categories, units, locale: q.locale.as_ref().map(ToString::to_string) })
    }

    fn query(&self) -> articles::BoxedQuery<'static, MultiBackend> {
        let mut query = articles::table.into_boxed();
        if let Some(c) = &self.categories {
            query = query.filter(articles::category_id.eq_any(c.clone()));
        }
        if let Some(u) = &self.units {
            query = query.filter(articles::unit_id.eq_any(u.clone()));
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

fn page(conn: &mut DbConnection, q: &ArticleQuery) -> Result<Page<Article>> {
    let filter = Filter::expand(conn, q)?;
    let total: i64 = filter.query().count().get_result(conn)?;
    let mut query = filter.query();
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
    Ok(Page { items: assemble(conn, rows)?, has_next, total })
}

fn upsert(conn: &mut DbConnection, new: NewArticle) -> Result<Article> {
    new.translations.require_default("translations")?;
    let category_exists: i64 =
        categories::table.filter(categories::id.eq(new.category.to_string())).count().get_result(conn)?;
    if category_exists == 0 {
        return Err(StoreError::NotFound(format!("category {}", new.category)));
    }
    let unit_exists: i64 = units::table.filter(units::id.eq(new.unit.to_string())).count().get_result(conn)?;
    if unit_exists == 0 {
        return Err(StoreError::NotFound(format!("unit {}", new.unit)));
    }
    let existing = by_slug(conn, new.slug.as_str())?;
    let t = to_db(now());
    let row = ArticleRow {
        id: existing.as_ref().map_or_else(|| ArticleId::generate().to_string(), |a| a.id.to_string()),
        slug: new.slug.to_string(),
        category_id: new.category.to_string(),
        unit_id: new.unit.to_string(),
        published_at: to_db(new.published_at),
        created_at: existing.as_ref().map_or(t, |a| to_db(a.created_at)),
        updated_at: t,
    };
    let id = row.id.clone();
    match existing {
        Some(_) => diesel::update(articles::table.find(&id)).set(&row).execute(conn)?,
        None => diesel::insert_into(articles::table).values(&row).execute(conn)?,
    };
    diesel::delete(article_translations::table.filter(article_translations::article_id.eq(&id))).execute(conn)?;
    for (locale, t) in new.translations.iter() {
        diesel::insert_into(article_translations::table)
            .values(TranslationRow {
                article_id: id.clone(),
                locale: locale.to_string(),
                title: t.title.clone(),
                summary: t.summary.clone(),
                body: t.body.clone(),
            })
            .execute(conn)?;
    }
    by_ids(conn, &[parse("articles.id", &id)?])?.pop().ok_or_else(|| StoreError::NotFound(format!("article {id}")))
}

impl Store {
    pub async fn articles_by_ids(&self, ids: Vec<ArticleId>) -> Result<Vec<Article>> {
        self.run(move |c| by_ids(c, &ids)).await
    }

    pub async fn article_by_slug(&self, slug: String) -> Result<Option<Article>> {
        self.run(move |c| by_slug(c, &slug)).await
    }

    /// One page of articles matching the query, with the total count of matches.
    pub async fn articles(&self, query: ArticleQuery) -> Result<Page<Article>> {
        self.run(move |c| page(c, &query)).await
    }

    pub async fn save_article(&self, new: NewArticle) -> Result<Article> {
        self.transaction(move |c| upsert(c, new)).await
    }
}
