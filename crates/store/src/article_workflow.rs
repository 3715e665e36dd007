//! Editors' writes to articles: create, update, the workflow steps and restoring a revision. Each runs
//! in one transaction with its revision and its audit entry, and checks the version the caller saw:
//! a stale version is a [`StoreError::Stale`] and changes nothing.
//!
//! Permissions are not checked here (the GraphQL layer asks the domain policy first); the version
//! check makes sure what was checked is what gets changed.

use crate::Store;
use crate::articles::{require_parents, row_of, save_row, stored, stored_by_slug, write_row, write_translations};
use crate::audit;
use crate::convert::now;
use crate::db::DbConnection;
use crate::error::{Result, StoreError};
use crate::media::{require_all, write_article_images};
use crate::revisions;
use diesel::RunQueryDsl as _;
use frontier_domain::{
    Article, ArticleContent, ArticleId, ArticleImages, ArticleStatus, AuditActor, AuditEvent, PublicationWindow,
    Revision, Slug, Transition, ValidationError,
};

/// A workflow step as the caller asks for it.
#[derive(Debug, Clone)]
pub struct Step {
    pub transition: Transition,
    /// For `Publish`: when it goes online and, optionally, offline again.
    pub window: Option<PublicationWindow>,
    pub expected_version: i64,
}

fn event(action: &str, a: &Article, summary: String) -> AuditEvent {
    AuditEvent {
        action: format!("article.{action}"),
        target_kind: "article".into(),
        target_id: Some(a.id.to_string()),
        unit_id: Some(a.unit_id),
        summary,
    }
}

fn check_version(a: &Article, expected: i64) -> Result<()> {
    if a.version != expected {
        return Err(StoreError::Stale { current: a.version });
    }
    Ok(())
}

/// The article to change, locked for the rest of the transaction on PostgreSQL. Under READ COMMITTED
/// a second writer would otherwise read the row before the first commits and its texts after (a
/// torn read: edits judged against content of two versions); locked, it waits here and then reads
/// what the first wrote, so its version check fails. SQLite needs no lock: its write transactions
/// run one at a time (`BEGIN IMMEDIATE`).
pub(crate) fn load(conn: &mut DbConnection, id: ArticleId) -> Result<Article> {
    if let DbConnection::Pg(pg) = conn {
        diesel::sql_query("SELECT id FROM articles WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(id.to_string())
            .execute(pg)?;
    }
    stored(conn, id)?.ok_or_else(|| StoreError::NotFound(format!("article {id}")))
}

/// The latest content: the newest revision while a live article has unpublished edits, else the row.
pub(crate) fn head(conn: &mut DbConnection, a: &Article) -> Result<ArticleContent> {
    if a.live
        && a.status != ArticleStatus::Published
        && let Some(c) = revisions::latest_contents(conn, &[a.id])?.remove(&a.id)
    {
        return Ok(c);
    }
    Ok(a.content())
}

/// The slug is free unless another article holds it.
fn check_slug(conn: &mut DbConnection, slug: &Slug, own: Option<ArticleId>) -> Result<()> {
    match stored_by_slug(conn, slug.as_str())? {
        Some(other) if Some(other.id) != own => Err(StoreError::Conflict(format!("the slug `{slug}` is taken"))),
        _ => Ok(()),
    }
}

/// `wanted`, or the first free numbered alternative of it (`…-2`, `…-3`).
pub(crate) fn free_slug(conn: &mut DbConnection, wanted: &Slug) -> Result<Slug> {
    if stored_by_slug(conn, wanted.as_str())?.is_none() {
        return Ok(wanted.clone());
    }
    for n in 2..1000 {
        let candidate = wanted.numbered(n);
        if stored_by_slug(conn, candidate.as_str())?.is_none() {
            return Ok(candidate);
        }
    }
    Err(StoreError::Conflict(format!("no free slug near `{wanted}`")))
}

fn check_content(conn: &mut DbConnection, c: &ArticleContent) -> Result<()> {
    c.translations.require_default("translations")?;
    ArticleImages::new(c.images.cover, c.images.gallery.clone())?;
    require_all(conn, &c.images.ids())?;
    require_parents(conn, c.category_id, c.unit_id)
}

fn create(
    conn: &mut DbConnection,
    mut content: ArticleContent,
    slug_given: bool,
    actor: &AuditActor,
) -> Result<Article> {
    check_content(conn, &content)?;
    if slug_given {
        check_slug(conn, &content.slug, None)?;
    } else {
        content.slug = free_slug(conn, &content.slug)?;
    }
    let t = now();
    let article = Article {
        id: ArticleId::generate(),
        slug: content.slug,
        category_id: content.category_id,
        unit_id: content.unit_id,
        status: ArticleStatus::Draft,
        live: false,
        published_at: t,
        unpublish_at: None,
        version: 1,
        translations: content.translations,
        images: content.images,
        created_at: t,
        updated_at: t,
    };
    write_row(conn, &row_of(&article), true)?;
    write_translations(conn, &article.id.to_string(), &article.translations)?;
    write_article_images(conn, &article.id.to_string(), &article.images)?;
    revisions::append(conn, &article, None, actor, None)?;
    audit::append(conn, actor, event("create", &article, format!("draft `{}`", article.slug)))?;
    Ok(article)
}

/// Saves new content. A live article keeps its published version online: the edit is only a
/// revision, and the status goes back to draft until it is published again.
pub(crate) fn update(
    conn: &mut DbConnection,
    id: ArticleId,
    expected_version: i64,
    content: ArticleContent,
    actor: &AuditActor,
    restored_from: Option<i64>,
) -> Result<Article> {
    let mut a = load(conn, id)?;
    check_version(&a, expected_version)?;
    if a.status == ArticleStatus::Archived {
        return Err(ValidationError::new("status", "an archived article cannot be edited: restore it first").into());
    }
    check_content(conn, &content)?;
    check_slug(conn, &content.slug, Some(id))?;
    let before = head(conn, &a)?;
    if before == content && restored_from.is_none() {
        return Ok(a);
    }
    a.version += 1;
    a.updated_at = now();
    if a.live {
        if a.status == ArticleStatus::Published {
            a.status = ArticleStatus::Draft;
        }
    } else {
        a.slug = content.slug.clone();
        a.category_id = content.category_id;
        a.unit_id = content.unit_id;
        a.translations = content.translations.clone();
        a.images = content.images.clone();
    }
    save_row(conn, &row_of(&a), expected_version)?;
    if !a.live {
        write_translations(conn, &a.id.to_string(), &a.translations)?;
        write_article_images(conn, &a.id.to_string(), &a.images)?;
    }
    // The revision records the new content even when the row keeps the published version.
    let mut saved = a.clone();
    saved.slug = content.slug;
    saved.category_id = content.category_id;
    saved.unit_id = content.unit_id;
    saved.translations = content.translations;
    saved.images = content.images;
    let revision = revisions::append(conn, &saved, Some(&before), actor, restored_from)?;
    let action = if restored_from.is_some() { "restore_revision" } else { "update" };
    audit::append(conn, actor, event(action, &saved, revision.changes.join(", ")))?;
    Ok(a)
}

fn step(conn: &mut DbConnection, id: ArticleId, step: Step, actor: &AuditActor) -> Result<Article> {
    let mut a = load(conn, id)?;
    check_version(&a, step.expected_version)?;
    let from = a.status;
    let to = step.transition.apply(from)?;
    let content = head(conn, &a)?;
    let mut summary = format!("{} → {}", from.as_str(), to.as_str());
    let mut rewrites_texts = true;
    match step.transition {
        Transition::Publish => {
            let window =
                step.window.ok_or_else(|| ValidationError::new("publishAt", "a publication time is needed"))?;
            check_slug(conn, &content.slug, Some(id))?;
            check_content(conn, &content)?;
            apply_content(&mut a, content);
            a.live = true;
            a.published_at = window.publish_at;
            a.unpublish_at = window.unpublish_at;
            summary.push_str(&format!(", online from {}", window.publish_at.to_rfc3339()));
            if let Some(end) = window.unpublish_at {
                summary.push_str(&format!(" until {}", end.to_rfc3339()));
            }
        }
        Transition::Unpublish | Transition::Archive if a.live => {
            // Offline again: the row goes back to holding the latest content.
            apply_content(&mut a, content);
            a.live = false;
            a.unpublish_at = None;
        }
        _ => rewrites_texts = false,
    }
    a.status = to;
    a.version += 1;
    a.updated_at = now();
    save_row(conn, &row_of(&a), step.expected_version)?;
    if rewrites_texts {
        write_translations(conn, &a.id.to_string(), &a.translations)?;
        write_article_images(conn, &a.id.to_string(), &a.images)?;
    }
    audit::append(conn, actor, event(step.transition.as_str(), &a, summary))?;
    Ok(a)
}

pub(crate) fn apply_content(a: &mut Article, c: ArticleContent) {
    a.slug = c.slug;
    a.category_id = c.category_id;
    a.unit_id = c.unit_id;
    a.translations = c.translations;
    a.images = c.images;
}

fn restore(conn: &mut DbConnection, id: ArticleId, number: i64, expected: i64, actor: &AuditActor) -> Result<Article> {
    let old = revisions::by_number(conn, id, number)?
        .ok_or_else(|| StoreError::NotFound(format!("revision {number} of article {id}")))?;
    update(conn, id, expected, old.content, actor, Some(number))
}

impl Store {
    /// A new draft. Without an explicit slug, `content.slug` is a wish: a numbered alternative is
    /// taken when it is in use.
    pub async fn create_article(
        &self,
        content: ArticleContent,
        slug_given: bool,
        actor: AuditActor,
    ) -> Result<Article> {
        self.transaction(move |c| create(c, content, slug_given, &actor)).await
    }

    pub async fn update_article(
        &self,
        id: ArticleId,
        expected_version: i64,
        content: ArticleContent,
        actor: AuditActor,
    ) -> Result<Article> {
        self.transaction(move |c| update(c, id, expected_version, content, &actor, None)).await
    }

    pub async fn article_step(&self, id: ArticleId, s: Step, actor: AuditActor) -> Result<Article> {
        self.transaction(move |c| step(c, id, s, &actor)).await
    }

    /// Saves revision `number`'s content again as the newest revision.
    pub async fn restore_revision(
        &self,
        id: ArticleId,
        number: i64,
        expected_version: i64,
        actor: AuditActor,
    ) -> Result<Article> {
        self.transaction(move |c| restore(c, id, number, expected_version, &actor)).await
    }

    /// The stored article in whatever state, for an editor's write after the policy allowed it. Never
    /// hand its result to a reader without checking the policy.
    pub async fn article_for_editing(&self, id: ArticleId) -> Result<Option<(Article, ArticleContent)>> {
        self.run(move |c| {
            let Some(a) = stored(c, id)? else { return Ok(None) };
            let content = head(c, &a)?;
            Ok(Some((a, content)))
        })
        .await
    }

    /// The id of the article with this slug, whatever its state (for imports that must not duplicate).
    pub async fn article_id_by_slug(&self, slug: String) -> Result<Option<ArticleId>> {
        self.run(move |c| Ok(stored_by_slug(c, &slug)?.map(|a| a.id))).await
    }

    /// Newest first.
    pub async fn article_revisions(&self, id: ArticleId) -> Result<Vec<Revision>> {
        self.run(move |c| revisions::of_article(c, id)).await
    }
}
