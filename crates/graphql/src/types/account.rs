use super::Unit;
use crate::context::{Lens, chain, loader};
use crate::error::{ApiResult, OrApi};
use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use frontier_domain as d;

/// What an account may do, in its home unit and the units below it (`ADMIN`: everywhere).
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "d::Role")]
pub enum Role {
    /// Everything, province-wide: units, accounts, API keys, the audit log, all content.
    Admin,
    /// Writes content and submits it for review.
    Editor,
    /// Writes, and also publishes, schedules and unpublishes.
    Reviewer,
    /// Reads scan statistics.
    Analyst,
}

/// An officer's account. Passwords are never returned.
pub struct Account {
    user: d::User,
}

impl Account {
    pub fn new(user: d::User) -> Self {
        Self { user }
    }
}

/// An officer's account. Passwords are never returned.
#[Object]
impl Account {
    /// The account's id (a UUID).
    async fn id(&self) -> ID {
        ID(self.user.id.to_string())
    }

    /// Login name, lower case.
    async fn email(&self) -> &str {
        self.user.email.as_str()
    }

    /// Name shown in revisions and the audit log.
    async fn display_name(&self) -> &str {
        &self.user.display_name
    }

    /// What the account may do.
    async fn role(&self) -> Role {
        self.user.role.into()
    }

    /// The home unit: the role applies there and in the units below it.
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<Option<Unit>> {
        let lens = Lens::new(chain(ctx, None)?, false);
        Ok(loader(ctx, &lens).load_one(self.user.unit_id).await.api()?.map(|u| Unit::new(u, lens)))
    }

    /// A disabled account cannot log in.
    async fn disabled(&self) -> bool {
        self.user.disabled
    }

    /// When the account was created (UTC).
    async fn created_at(&self) -> DateTime<Utc> {
        self.user.created_at
    }
}

/// An API key for a third-party frontend or app: reads published content of its units, nothing else.
#[derive(SimpleObject)]
pub struct ApiKey {
    /// The key's id (a UUID), for `revokeApiKey`.
    pub id: ID,
    /// Who the key is for.
    pub name: String,
    /// The key's public start, to recognise it (the key itself is only shown once).
    pub prefix: String,
    /// Slugs of the units whose content it reads (with the units below them).
    pub units: Vec<String>,
    /// When it was issued (UTC).
    pub created_at: DateTime<Utc>,
    /// When it was revoked (UTC); a revoked key no longer works.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    pub fn new(key: d::ApiKey, unit_slugs: Vec<String>) -> Self {
        Self {
            id: ID(key.id.to_string()),
            name: key.name,
            prefix: key.prefix,
            units: unit_slugs,
            created_at: key.created_at,
            revoked_at: key.revoked_at,
        }
    }
}
