//! Writing articles: create, update, the workflow steps, revisions. Each resolver asks the policy,
//! then hands the store the version it checked, so a change between the check and the write fails
//! with `CONFLICT` instead of slipping through.

use crate::context::{Lens, chain, clock, store};
use crate::error::{ApiResult, OrApi, bad_input, not_found, not_found_field};
use crate::guard::{actor, require, signed_in};
use crate::node_id::{NodeKind, decode_as};
use crate::types::Article;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use frontier_domain::{
    Action, ArticleContent, ArticleId, ArticleTranslation, CategoryId, Locale, PublicationWindow, Revision, Slug,
    Transition, Translated, UnitId, ValidationError,
};
use frontier_store::Step;

/// One language version of an article, as an editor writes it.
#[derive(InputObject)]
pub struct ArticleTranslationInput {
    /// BCP 47 tag, e.g. `vi`, `fr`, `zh-Hans`.
    pub locale: String,
    /// Title, at most 200 characters.
    pub title: String,
    /// One or two sentences, at most 600 characters (default empty).
    #[graphql(default)]
    pub summary: String,
    /// Body in Markdown, at most 50,000 characters.
    pub body: String,
}

/// A new article. It starts as a draft that only editors of its unit see.
#[derive(InputObject)]
pub struct CreateArticleInput {
    /// Slug of the unit that owns it (yours, or one below yours).
    pub unit: String,
    /// Slug of its category.
    pub category: String,
    /// URL key; by default made from the Vietnamese title (`Luật Biên phòng` → `luat-bien-phong`,
    /// numbered if taken).
    pub slug: Option<String>,
    /// Its language versions; Vietnamese (`vi`) is required.
    pub translations: Vec<ArticleTranslationInput>,
}

/// Changes to an article; fields left out keep their value. `translations`, when given, replaces
/// all language versions.
#[derive(InputObject, Default)]
pub struct UpdateArticleInput {
    /// New URL key (a-z, 0-9, hyphens). Changes the address of its page once published.
    pub slug: Option<String>,
    /// Slug of the unit to move it to (you need to be allowed to edit there too).
    pub unit: Option<String>,
    /// Slug of the category to file it under.
    pub category: Option<String>,
    /// All language versions, replacing the current ones; Vietnamese (`vi`) is required.
    pub translations: Option<Vec<ArticleTranslationInput>>,
}

/// One saved state of an article.
#[derive(SimpleObject)]
pub struct ArticleRevision {
    /// 1 for the first save, then 2, 3, …
    pub number: i64,
    /// The article version this save produced.
    pub version: i64,
    /// Who saved it (as the name read then).
    pub author_name: String,
    /// When it was saved (UTC).
    pub created_at: DateTime<Utc>,
    /// What changed from the revision before, per field and locale (`title[fr]`,
    /// `translation[en] added`).
    pub changes: Vec<String>,
    /// Set when this revision brought back an older one.
    pub restored_from: Option<i64>,
    /// The slug as saved.
    pub slug: String,
    /// Its language versions, in full.
    pub translations: Vec<crate::types::ArticleTranslation>,
}

impl From<Revision> for ArticleRevision {
    fn from(r: Revision) -> Self {
        Self {
            number: r.number,
            version: r.version,
            author_name: r.author_name,
            created_at: r.created_at,
            changes: r.changes,
            restored_from: r.restored_from,
            slug: r.content.slug.to_string(),
            translations: r
                .content
                .translations
                .iter()
                .map(|(l, t)| crate::types::ArticleTranslation {
                    locale: l.to_string(),
                    title: t.title.clone(),
                    summary: t.summary.clone(),
                    body: t.body.clone(),
                })
                .collect(),
        }
    }
}

/// Per-locale inputs of argument `field`: each `locale` a valid tag given once, each text checked by
/// `parts` (errors name `field[i].…`), and Vietnamese (`vi`) among them.
pub(super) fn per_locale<I, T>(
    field: &str,
    input: Vec<I>,
    parts: impl Fn(I) -> (String, Result<T, ValidationError>),
) -> ApiResult<Translated<T>> {
    let mut out: Vec<(Locale, T)> = Vec::new();
    for (i, item) in input.into_iter().enumerate() {
        let at = |f: &str| format!("{field}[{i}].{f}");
        let (tag, text) = parts(item);
        let locale = Locale::parse(&tag).map_err(|e| bad_input(&at("locale"), e.message))?;
        if out.iter().any(|(l, _)| *l == locale) {
            return Err(bad_input(&at("locale"), format!("`{locale}` is given twice")));
        }
        out.push((locale, text.map_err(|e| bad_input(&at(e.field), e.message))?));
    }
    let all = Translated::new(out);
    all.require_default("translations").map_err(|e| bad_input(field, e.message))?;
    Ok(all)
}

fn translations(input: Vec<ArticleTranslationInput>) -> ApiResult<Translated<ArticleTranslation>> {
    per_locale("input.translations", input, |t| {
        let text = ArticleTranslation::new(&t.title, &t.summary, &t.body);
        (t.locale, text)
    })
}

fn slug(field: &str, value: &str) -> ApiResult<Slug> {
    Slug::parse(value).map_err(|e| bad_input(field, e.message))
}

pub(super) async fn unit(ctx: &Context<'_>, field: &str, s: &str) -> ApiResult<UnitId> {
    let s = slug(field, s)?;
    store(ctx)
        .unit_by_slug_any(s.to_string())
        .await
        .api()?
        .map(|u| u.id)
        .ok_or_else(|| not_found_field(field, format!("unit `{s}`")))
}

async fn category(ctx: &Context<'_>, field: &str, s: &str) -> ApiResult<CategoryId> {
    let s = slug(field, s)?;
    store(ctx)
        .category_by_slug_any(s.to_string())
        .await
        .api()?
        .map(|c| c.id)
        .ok_or_else(|| not_found_field(field, format!("category `{s}`")))
}

/// Mutation results are shown as their editors see them: the latest content (which, for a published
/// article with unpublished edits, is the newest revision rather than what readers see), in preview.
pub(super) async fn edited(ctx: &Context<'_>, a: frontier_domain::Article) -> ApiResult<Article> {
    let mut a = a;
    if let Some((_, content)) = store(ctx).article_for_editing(a.id).await.api()? {
        a.slug = content.slug;
        a.category_id = content.category_id;
        a.unit_id = content.unit_id;
        a.translations = content.translations;
        a.images = content.images;
    }
    Ok(Article::new(a, Lens::new(chain(ctx, None)?, true)))
}

/// The stored article and its latest content, once the policy allows `action` on its unit; `field`
/// names the id argument.
pub(crate) async fn checked(
    ctx: &Context<'_>,
    field: &str,
    id: &ID,
    action: Action,
) -> ApiResult<(frontier_domain::Article, ArticleContent, frontier_domain::AuditActor)> {
    let id = ArticleId(decode_as(field, id, NodeKind::Article)?);
    signed_in(ctx)?;
    let found = store(ctx).article_for_editing(id).await.api()?;
    // Without the right to see drafts, "exists but hidden" and "does not exist" look the same.
    let Some((article, content)) = found else { return Err(not_found("article")) };
    if !article.live && require_for(ctx, Action::Preview, &article, &content).is_err() {
        return Err(not_found("article"));
    }
    let user = require_for(ctx, action, &article, &content)?;
    Ok((article, content, actor(user)))
}

/// `action` is needed in the article's unit and, when an unpublished edit moved it, in the unit its
/// latest content is bound for: otherwise an officer of the old unit alone could edit or publish
/// content into a unit outside their reach.
fn require_for<'a>(
    ctx: &'a Context<'_>,
    action: Action,
    article: &frontier_domain::Article,
    content: &ArticleContent,
) -> ApiResult<&'a frontier_domain::User> {
    let user = require(ctx, action, article.unit_id)?;
    if content.unit_id != article.unit_id {
        require(ctx, action, content.unit_id)?;
    }
    Ok(user)
}

/// A `version` argument (a GraphQL `Int`, so 32 bits) as the store counts it.
pub(super) fn check_version(given: i32) -> ApiResult<i64> {
    if given < 1 {
        return Err(bad_input("version", "versions start at 1"));
    }
    Ok(i64::from(given))
}

/// `publishAt` and `unpublishAt` as given: absent, or (for the end) explicitly null.
type WindowRequest = (Option<DateTime<Utc>>, Option<Option<DateTime<Utc>>>);

async fn take_step(
    ctx: &Context<'_>,
    id: ID,
    version: i32,
    transition: Transition,
    window: Option<WindowRequest>,
) -> ApiResult<Article> {
    let (article, content, who) = checked(ctx, "id", &id, Action::Preview).await?;
    let version = check_version(version)?;
    let needed = transition.requires(article.status, article.live);
    require_for(ctx, needed, &article, &content)?;
    // Read at `version`: the store refuses the step if the article moved on since, so the window
    // kept from it cannot be stale.
    let window = window
        .map(|(publish_at, unpublish_at)| {
            PublicationWindow::for_publishing(article.window().as_ref(), clock(ctx).now(), publish_at, unpublish_at)
                .map_err(|e| bad_input(e.field, e.message))
        })
        .transpose()?;
    let step = Step { transition, window, expected_version: version };
    let done = store(ctx).article_step(article.id, step, who).await.api()?;
    edited(ctx, done).await
}

#[derive(Default)]
pub struct ArticleMutation;

/// Writing and publishing articles. Every change needs a logged-in account whose role allows it in
/// the article's unit, and names the `version` it was made against.
#[Object]
impl ArticleMutation {
    /// Creates a draft.
    async fn create_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new article.")] input: CreateArticleInput,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        let unit_id = unit(ctx, "input.unit", &input.unit).await?;
        let user = require(ctx, Action::Edit, unit_id)?;
        let who = actor(user);
        let category_id = category(ctx, "input.category", &input.category).await?;
        let texts = translations(input.translations)?;
        let given = input.slug.as_deref().map(|s| slug("input.slug", s)).transpose()?;
        let slug_given = given.is_some();
        let slug = match given {
            Some(s) => s,
            None => {
                let title = texts.get(&Locale::default_locale()).map(|t| t.title.as_str()).unwrap_or_default();
                Slug::from_title(title)
                    .ok_or_else(|| bad_input("input.slug", "the title gives no slug: give one (a-z, 0-9, hyphens)"))?
            }
        };
        let content = ArticleContent { slug, category_id, unit_id, translations: texts, images: Default::default() };
        let created = store(ctx).create_article(content, slug_given, who).await.api()?;
        edited(ctx, created).await
    }

    /// Saves changes as a new revision. A published article stays online as it was until the change is
    /// submitted and published.
    async fn update_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] id: ID,
        #[graphql(desc = "The `version` of the article the change was made against.")] version: i32,
        #[graphql(desc = "The changes.")] input: UpdateArticleInput,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        let (article, mut content, who) = checked(ctx, "id", &id, Action::Edit).await?;
        let version = check_version(version)?;
        if let Some(s) = &input.slug {
            content.slug = slug("input.slug", s)?;
        }
        if let Some(u) = &input.unit {
            content.unit_id = unit(ctx, "input.unit", u).await?;
            // Moving content needs the right to edit where it goes, too.
            require(ctx, Action::Edit, content.unit_id)?;
        }
        if let Some(c) = &input.category {
            content.category_id = category(ctx, "input.category", c).await?;
        }
        if let Some(t) = input.translations {
            content.translations = translations(t)?;
        }
        let saved = store(ctx).update_article(article.id, version, content, who).await.api()?;
        edited(ctx, saved).await
    }

    /// Draft → in review.
    async fn submit_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] id: ID,
        #[graphql(desc = "The `version` of the article as you last read it.")] version: i32,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        take_step(ctx, id, version, Transition::Submit, None).await
    }

    /// In review → draft (sent back by the reviewer, or withdrawn by the author).
    async fn reject_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] id: ID,
        #[graphql(desc = "The `version` of the article as you last read it.")] version: i32,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        take_step(ctx, id, version, Transition::Reject, None).await
    }

    /// In review → published: online at `publishAt` (default: now) until `unpublishAt` (default:
    /// never). Also reschedules an article that is already published. Reviewers and admins only.
    async fn publish_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] id: ID,
        #[graphql(desc = "The `version` of the article as you last read it.")] version: i32,
        #[graphql(desc = "When it goes online. Default: now; for an article already online or \
                          scheduled (publishing a correction), the time it first went online, so it keeps \
                          its date.")]
        publish_at: Option<DateTime<Utc>>,
        #[graphql(desc = "When it goes offline by itself, e.g. for a temporary regulation. Left out, a \
                          correction keeps the current end; `null` removes it.")]
        unpublish_at: MaybeUndefined<DateTime<Utc>>,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        let unpublish_at = match unpublish_at {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(at) => Some(Some(at)),
        };
        take_step(ctx, id, version, Transition::Publish, Some((publish_at, unpublish_at))).await
    }

    /// Published → draft: offline at once, kept for rework. Reviewers and admins only.
    async fn unpublish_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] id: ID,
        #[graphql(desc = "The `version` of the article as you last read it.")] version: i32,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        take_step(ctx, id, version, Transition::Unpublish, None).await
    }

    /// Any state → archived (offline). Archiving a published article needs a reviewer.
    async fn archive_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] id: ID,
        #[graphql(desc = "The `version` of the article as you last read it.")] version: i32,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        take_step(ctx, id, version, Transition::Archive, None).await
    }

    /// Archived → draft.
    async fn restore_article(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] id: ID,
        #[graphql(desc = "The `version` of the article as you last read it.")] version: i32,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        take_step(ctx, id, version, Transition::Restore, None).await
    }

    /// Saves an old revision's content again as the newest revision (nothing is lost: the revisions
    /// in between stay in the history).
    async fn restore_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] article_id: ID,
        #[graphql(desc = "The revision to bring back (see `articleRevisions`).")] number: i32,
        #[graphql(desc = "The article's current `version`.")] version: i32,
    ) -> ApiResult<Article> {
        crate::guard::signed_in(ctx)?;
        let (article, _, who) = checked(ctx, "articleId", &article_id, Action::Edit).await?;
        let version = check_version(version)?;
        if number < 1 {
            return Err(bad_input("number", "revisions are numbered from 1"));
        }
        let saved = store(ctx).restore_revision(article.id, i64::from(number), version, who).await.api()?;
        edited(ctx, saved).await
    }
}

/// The revision history of an article, newest first (editors of its unit).
pub(crate) async fn revisions(ctx: &Context<'_>, article_id: &ID) -> ApiResult<Vec<ArticleRevision>> {
    let (article, _, _) = checked(ctx, "articleId", article_id, Action::Preview).await?;
    let all = store(ctx).article_revisions(article.id).await.api()?;
    Ok(all.into_iter().map(ArticleRevision::from).collect())
}
