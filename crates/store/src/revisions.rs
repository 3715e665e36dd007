//! Article revisions: every save keeps the full content (JSON), who saved it and what changed.
//! Rows are only ever inserted.

use crate::convert::{corrupt, from_db, ids, now, parse, to_db};
use crate::db::DbConnection;
use crate::error::Result;
use crate::schema::article_revisions;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontier_domain::{
    Article, ArticleContent, ArticleId, ArticleImages, ArticleTranslation, AuditActor, Locale, Revision, RevisionId,
    Slug, Translated,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = article_revisions)]
struct RevisionRow {
    id: String,
    article_id: String,
    number: i64,
    version: i64,
    author_id: Option<String>,
    author_name: String,
    created_at: NaiveDateTime,
    content: String,
    changes: String,
    restored_from: Option<i64>,
}

/// The stored shape of [`ArticleContent`]. Field names are part of the data format: rename with care.
#[derive(Serialize, Deserialize)]
struct StoredContent {
    slug: String,
    category_id: String,
    unit_id: String,
    translations: Vec<StoredTranslation>,
    /// Image ids, so restoring a revision restores its images. Absent in revisions saved before
    /// articles had images (and when there are none), which read as "no images".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cover: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    gallery: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredTranslation {
    locale: String,
    title: String,
    summary: String,
    body: String,
}

fn encode(c: &ArticleContent) -> Result<String> {
    let stored = StoredContent {
        slug: c.slug.to_string(),
        category_id: c.category_id.to_string(),
        unit_id: c.unit_id.to_string(),
        translations: c
            .translations
            .iter()
            .map(|(l, t)| StoredTranslation {
                locale: l.to_string(),
                title: t.title.clone(),
                summary: t.summary.clone(),
                body: t.body.clone(),
            })
            .collect(),
        cover: c.images.cover.map(|id| id.to_string()),
        gallery: c.images.gallery.iter().map(ToString::to_string).collect(),
    };
    serde_json::to_string(&stored).map_err(|e| corrupt("article_revisions.content", e))
}

fn decode(json: &str) -> Result<ArticleContent> {
    let what = "article_revisions.content";
    let s: StoredContent = serde_json::from_str(json).map_err(|e| corrupt(what, e))?;
    let translations = s
        .translations
        .into_iter()
        .map(|t| Ok((parse(what, &t.locale)?, ArticleTranslation { title: t.title, summary: t.summary, body: t.body })))
        .collect::<Result<Vec<(Locale, ArticleTranslation)>>>()?;
    Ok(ArticleContent {
        slug: Slug::parse(&s.slug).map_err(|e| corrupt(what, e))?,
        category_id: parse(what, &s.category_id)?,
        unit_id: parse(what, &s.unit_id)?,
        translations: Translated::new(translations),
        images: ArticleImages {
            cover: s.cover.as_deref().map(|id| parse(what, id)).transpose()?,
            gallery: s.gallery.iter().map(|id| parse(what, id)).collect::<Result<_>>()?,
        },
    })
}

fn to_domain(r: RevisionRow) -> Result<Revision> {
    Ok(Revision {
        id: parse("article_revisions.id", &r.id)?,
        article_id: parse("article_revisions.article_id", &r.article_id)?,
        number: r.number,
        version: r.version,
        author: r.author_id.as_deref().and_then(|a| a.parse().ok()),
        author_name: r.author_name,
        created_at: from_db(r.created_at),
        content: decode(&r.content)?,
        changes: serde_json::from_str(&r.changes).map_err(|e| corrupt("article_revisions.changes", e))?,
        restored_from: r.restored_from,
    })
}

/// Records `article`'s current content as its next revision.
pub(crate) fn append(
    conn: &mut DbConnection,
    article: &Article,
    before: Option<&ArticleContent>,
    author: &AuditActor,
    restored_from: Option<i64>,
) -> Result<Revision> {
    let last: Option<i64> = article_revisions::table
        .filter(article_revisions::article_id.eq(article.id.to_string()))
        .select(diesel::dsl::max(article_revisions::number))
        .first(conn)?;
    let content = article.content();
    let mut changes = content.changes_since(before);
    if let Some(n) = restored_from {
        changes.insert(0, format!("restored revision {n}"));
    }
    let row = RevisionRow {
        id: RevisionId::generate().to_string(),
        article_id: article.id.to_string(),
        number: last.unwrap_or(0) + 1,
        version: article.version,
        author_id: author.user_id().map(|u| u.to_string()),
        author_name: author.name.clone(),
        created_at: to_db(now()),
        content: encode(&content)?,
        changes: serde_json::to_string(&changes).map_err(|e| corrupt("article_revisions.changes", e))?,
        restored_from,
    };
    diesel::insert_into(article_revisions::table).values(&row).execute(conn)?;
    to_domain(row)
}

/// Newest first.
pub(crate) fn of_article(conn: &mut DbConnection, article: ArticleId) -> Result<Vec<Revision>> {
    let rows = article_revisions::table
        .filter(article_revisions::article_id.eq(article.to_string()))
        .order(article_revisions::number.desc())
        .select(RevisionRow::as_select())
        .load(conn)?;
    rows.into_iter().map(to_domain).collect()
}

pub(crate) fn by_number(conn: &mut DbConnection, article: ArticleId, number: i64) -> Result<Option<Revision>> {
    let rows = article_revisions::table
        .filter(article_revisions::article_id.eq(article.to_string()))
        .filter(article_revisions::number.eq(number))
        .select(RevisionRow::as_select())
        .load(conn)?;
    rows.into_iter().next().map(to_domain).transpose()
}

/// The newest revision's content of each article that has one.
pub(crate) fn latest_contents(
    conn: &mut DbConnection,
    wanted: &[ArticleId],
) -> Result<HashMap<ArticleId, ArticleContent>> {
    let rows = article_revisions::table
        .filter(article_revisions::article_id.eq_any(ids(wanted)))
        .order((article_revisions::article_id, article_revisions::number.desc()))
        .select(RevisionRow::as_select())
        .load(conn)?;
    let mut out = HashMap::new();
    for r in rows {
        let id: ArticleId = parse("article_revisions.article_id", &r.article_id)?;
        if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(id) {
            slot.insert(decode(&r.content)?);
        }
    }
    Ok(out)
}
