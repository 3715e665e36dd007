//! Administration: accounts, API keys, preview links, and reading the audit log.

use crate::context::{clock, links, store};
use crate::error::{ApiResult, INTERNAL, OrApi, bad_input, not_found_field};
use crate::guard::{actor, require_everywhere};
use crate::sessions::Sessions;
use crate::types::{Account, ApiKey, Role};
use async_graphql::{Context, Error, ErrorExtensions, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Duration, Utc};
use frontier_auth::{check_new_password, generate_api_key};
use frontier_domain::{Action, Email, UnitId, UserId, api_key::MAX_KEY_NAME_CHARS, user::display_name};
use frontier_store::{AuditQuery, NewApiKey, NewUser};
use std::collections::HashMap;
use std::sync::Arc;

/// A new account.
#[derive(InputObject)]
pub struct CreateAccountInput {
    /// Login name.
    pub email: String,
    /// Name shown in revisions and the audit log, e.g. `Thiếu tá Nông Văn Dũng`.
    pub display_name: String,
    /// What it may do.
    pub role: Role,
    /// Slug of its home unit.
    pub unit: String,
    /// At least 12 characters. Give it to the officer in person; they cannot change it yet.
    pub password: String,
}

/// A newly issued API key. `key` is shown this once and stored only as a hash: copy it now.
#[derive(SimpleObject)]
pub struct IssuedApiKey {
    /// Send as `Authorization: Bearer <key>` (or `X-Api-Key: <key>`).
    pub key: String,
    /// The key's record.
    pub api_key: ApiKey,
}

/// A link that shows a draft to someone without an account, until it expires.
#[derive(SimpleObject)]
pub struct PreviewLink {
    /// Open in any browser; no login needed.
    pub url: String,
    /// When the link stops working (UTC).
    pub expires_at: DateTime<Utc>,
}

/// One audit log entry.
#[derive(SimpleObject)]
pub struct AuditEntry {
    /// The entry's id; entries sort by it in time order.
    pub id: ID,
    /// When it happened (UTC).
    pub occurred_at: DateTime<Utc>,
    /// `user`, `cli` or `system`.
    pub actor_kind: String,
    /// The account id, for users.
    pub actor_id: Option<String>,
    /// The actor's name as it was then.
    pub actor_name: String,
    /// What was done, e.g. `article.publish`.
    pub action: String,
    /// What it was done to: `article`, `user`, `api_key`, …
    pub target_kind: String,
    /// The target's id.
    pub target_id: Option<String>,
    /// The unit whose content changed.
    pub unit_id: Option<String>,
    /// What changed.
    pub summary: String,
}

/// A page of the audit log, newest first.
#[derive(SimpleObject)]
pub struct AuditLogPage {
    /// The entries.
    pub entries: Vec<AuditEntry>,
    /// Pass the last entry's id as `before` for the next page; null at the end.
    pub next_before: Option<ID>,
}

/// Narrows the audit log; all conditions must hold.
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// Only this account's actions (its id).
    pub actor_id: Option<ID>,
    /// An action (`article.publish`) or a family of them ending in a dot (`article.`).
    pub action: Option<String>,
    /// Only changes to this kind of record (`article`, `user`, `api_key`, …).
    pub target_kind: Option<String>,
    /// Only changes to this record (its id as shown in `targetId`).
    pub target_id: Option<String>,
    /// Only changes to content of this unit and the units below it (slug).
    pub unit: Option<String>,
    /// From this moment on (UTC, inclusive).
    pub since: Option<DateTime<Utc>>,
    /// Before this moment (UTC).
    pub until: Option<DateTime<Utc>>,
}

async fn unit_by_slug(ctx: &Context<'_>, field: &str, slug: &str) -> ApiResult<frontier_domain::Unit> {
    let s = frontier_domain::Slug::parse(slug).map_err(|e| bad_input(field, e.message))?;
    store(ctx).unit_by_slug_any(s.to_string()).await.api()?.ok_or_else(|| not_found_field(field, format!("unit `{s}`")))
}

fn internal(e: impl std::fmt::Display) -> Error {
    tracing::error!(error = %e, "credential generation failed");
    Error::new("internal error").extend_with(|_, x| x.set("code", INTERNAL))
}

/// Unit slugs of a key, for display.
async fn unit_slugs(ctx: &Context<'_>, units: &[UnitId]) -> ApiResult<Vec<String>> {
    let all: HashMap<UnitId, String> =
        store(ctx).units_any().await.api()?.into_iter().map(|u| (u.id, u.slug.to_string())).collect();
    Ok(units.iter().filter_map(|u| all.get(u).cloned()).collect())
}

fn uuid_arg<T: std::str::FromStr>(field: &str, id: &ID) -> ApiResult<T> {
    id.parse().map_err(|_| bad_input(field, "not an id"))
}

#[derive(Default)]
pub struct AdminMutation;

/// Accounts and API keys are an admin's; preview links an editor's.
#[Object]
impl AdminMutation {
    /// Creates an account (admins only).
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new account.")] input: CreateAccountInput,
    ) -> ApiResult<Account> {
        crate::guard::signed_in(ctx)?;
        let admin = require_everywhere(ctx, Action::Administer)?;
        let who = actor(admin);
        let email = Email::parse(&input.email).map_err(|e| bad_input("input.email", e.message))?;
        let name = display_name(&input.display_name).map_err(|e| bad_input("input.displayName", e.message))?;
        check_new_password(&input.password).map_err(|e| bad_input("input.password", e.message))?;
        let unit = unit_by_slug(ctx, "input.unit", &input.unit).await?;
        let hasher = ctx.data_unchecked::<Arc<Sessions>>().hasher.clone();
        let password = input.password;
        let hash =
            tokio::task::spawn_blocking(move || hasher.hash(&password)).await.map_err(internal)?.map_err(internal)?;
        let new = NewUser { email, display_name: name, role: input.role.into(), unit: unit.id, password_hash: hash };
        Ok(Account::new(store(ctx).create_user(new, who).await.api()?))
    }

    /// Disables an account (it can no longer log in and its sessions end) or enables it again.
    async fn set_account_disabled(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's id.")] id: ID,
        #[graphql(desc = "True to disable, false to enable.")] disabled: bool,
    ) -> ApiResult<Account> {
        crate::guard::signed_in(ctx)?;
        let admin = require_everywhere(ctx, Action::Administer)?;
        let who = actor(admin);
        let id: UserId = uuid_arg("id", &id)?;
        Ok(Account::new(store(ctx).set_user_disabled(id, disabled, who).await.api()?))
    }

    /// Issues a read-only API key for the published content of `units` (admins only).
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Who the key is for, e.g. `Cổng thông tin tỉnh`.")] name: String,
        #[graphql(desc = "Slugs of the units whose content it may read (with the units below them).")] units: Vec<
            String,
        >,
    ) -> ApiResult<IssuedApiKey> {
        crate::guard::signed_in(ctx)?;
        let admin = require_everywhere(ctx, Action::Administer)?;
        let who = actor(admin);
        let name = frontier_domain::translation::required_text("name", &name, MAX_KEY_NAME_CHARS)
            .map_err(|e| bad_input("name", e.message))?;
        if units.is_empty() {
            return Err(bad_input("units", "name at least one unit"));
        }
        let mut ids = Vec::new();
        for (i, slug) in units.iter().enumerate() {
            let field = format!("units[{i}]");
            let id = unit_by_slug(ctx, &field, slug).await?.id;
            if ids.contains(&id) {
                return Err(bad_input(&field, format!("`{slug}` is given twice")));
            }
            ids.push(id);
        }
        let secret = generate_api_key().map_err(internal)?;
        let new = NewApiKey {
            name,
            prefix: secret.prefix.clone(),
            hash: secret.hash.clone(),
            units: ids,
            created_by: Some(admin.id),
        };
        let key = store(ctx).create_api_key(new, who).await.api()?;
        let slugs = unit_slugs(ctx, &key.units).await?;
        Ok(IssuedApiKey { key: secret.plain, api_key: ApiKey::new(key, slugs) })
    }

    /// Revokes an API key at once (admins only).
    async fn revoke_api_key(&self, ctx: &Context<'_>, #[graphql(desc = "The key's id.")] id: ID) -> ApiResult<ApiKey> {
        crate::guard::signed_in(ctx)?;
        let admin = require_everywhere(ctx, Action::Administer)?;
        let who = actor(admin);
        let key = store(ctx).revoke_api_key(uuid_arg("id", &id)?, who).await.api()?;
        let slugs = unit_slugs(ctx, &key.units).await?;
        Ok(ApiKey::new(key, slugs))
    }

    /// A signed link that shows an article's latest content, draft or not, to someone without an
    /// account (a commander asked to approve it), until it expires. Editors of its unit.
    async fn create_preview_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The article's id.")] article_id: ID,
        #[graphql(desc = "How long the link works, in hours: 1 to 168 (default 24).", default = 24)] hours: i32,
    ) -> ApiResult<PreviewLink> {
        crate::guard::signed_in(ctx)?;
        if !(1..=168).contains(&hours) {
            return Err(bad_input("hours", "must be 1 to 168 (a week)"));
        }
        let (article, _, who) = super::articles::checked(ctx, "articleId", &article_id, Action::Preview).await?;
        let id = article.id;
        let now = clock(ctx).now();
        let expires_at = now + Duration::hours(i64::from(hours));
        let sessions = ctx.data_unchecked::<Arc<Sessions>>();
        let token = sessions.previews.sign(id, now, expires_at).map_err(internal)?;
        let event = frontier_domain::AuditEvent {
            action: "article.preview_link".into(),
            target_kind: "article".into(),
            target_id: Some(id.to_string()),
            unit_id: Some(article.unit_id),
            summary: format!("valid until {}", expires_at.to_rfc3339()),
        };
        store(ctx).audit(who, event).await.api()?;
        Ok(PreviewLink { url: format!("{}/preview/{token}", links(ctx).base()), expires_at })
    }
}

/// The audit log for admins, newest first.
pub(crate) async fn audit_log(
    ctx: &Context<'_>,
    filter: AuditLogFilter,
    first: Option<i32>,
    before: Option<ID>,
) -> ApiResult<AuditLogPage> {
    require_everywhere(ctx, Action::Administer)?;
    let first = crate::types::page_size(first)?;
    let units = match &filter.unit {
        Some(slug) => {
            let root = unit_by_slug(ctx, "filter.unit", slug).await?.id;
            let links = store(ctx).unit_links().await.api()?;
            Some(frontier_domain::tree::subtree(&links, root))
        }
        None => None,
    };
    let entry_id = |field: &str, id: &ID, what: &str| {
        uuid::Uuid::parse_str(id.trim()).map(|u| u.to_string()).map_err(|_| bad_input(field, what))
    };
    let query = AuditQuery {
        actor_id: filter.actor_id.map(|a| entry_id("filter.actorId", &a, "not an account id")).transpose()?,
        action: filter.action,
        target_kind: filter.target_kind,
        // Content ids come back from GraphQL as node ids; the log keeps the record's own id.
        target_id: filter.target_id.map(|t| match crate::node_id::decode(&t) {
            Ok((_, uuid)) => uuid.to_string(),
            Err(_) => t.trim().to_owned(),
        }),
        units,
        since: filter.since,
        until: filter.until,
        before: before.map(|b| entry_id("before", &b, "not an entry id (pass nextBefore)")).transpose()?,
        first,
    };
    let (entries, has_next) = store(ctx).audit_log(query).await.api()?;
    let next_before = if has_next { entries.last().map(|e| ID(e.id.clone())) } else { None };
    let entries = entries
        .into_iter()
        .map(|e| AuditEntry {
            id: ID(e.id),
            occurred_at: e.occurred_at,
            actor_kind: e.actor.kind,
            actor_id: e.actor.id,
            actor_name: e.actor.name,
            action: e.event.action,
            target_kind: e.event.target_kind,
            target_id: e.event.target_id,
            unit_id: e.event.unit_id.map(|u| u.to_string()),
            summary: e.event.summary,
        })
        .collect();
    Ok(AuditLogPage { entries, next_before })
}

pub(crate) async fn accounts(ctx: &Context<'_>) -> ApiResult<Vec<Account>> {
    require_everywhere(ctx, Action::Administer)?;
    Ok(store(ctx).users().await.api()?.into_iter().map(Account::new).collect())
}

pub(crate) async fn api_keys(ctx: &Context<'_>) -> ApiResult<Vec<ApiKey>> {
    require_everywhere(ctx, Action::Administer)?;
    let mut out = Vec::new();
    for key in store(ctx).api_keys().await.api()? {
        let slugs = unit_slugs(ctx, &key.units).await?;
        out.push(ApiKey::new(key, slugs));
    }
    Ok(out)
}
