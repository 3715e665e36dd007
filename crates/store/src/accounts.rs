//! Accounts, their login sessions (refresh tokens) and API keys. Secrets arrive here already hashed
//! (argon2id for passwords, SHA-256 for high-entropy tokens): the store never sees a plain one.

use crate::Store;
use crate::audit;
use crate::convert::{corrupt, from_db, now, parse, to_db};
use crate::db::DbConnection;
use crate::error::{Result, StoreError};
use crate::schema::{api_key_units, api_keys, refresh_tokens, users};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use frontier_domain::{ApiKey, ApiKeyId, AuditActor, AuditEvent, Email, Role, UnitId, User, UserId};

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
struct UserRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    unit_id: String,
    password_hash: String,
    disabled: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// A new account; `password_hash` is an argon2id PHC string.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub unit: UnitId,
    pub password_hash: String,
}

fn to_user(r: UserRow) -> Result<(User, String)> {
    let user = User {
        id: parse("users.id", &r.id)?,
        email: Email::parse(&r.email).map_err(|e| corrupt("users.email", e))?,
        display_name: r.display_name,
        role: Role::parse(&r.role).map_err(|e| corrupt("users.role", e))?,
        unit_id: parse("users.unit_id", &r.unit_id)?,
        disabled: r.disabled,
        created_at: from_db(r.created_at),
        updated_at: from_db(r.updated_at),
    };
    Ok((user, r.password_hash))
}

fn event(action: &str, kind: &str, id: String, unit: Option<UnitId>, summary: String) -> AuditEvent {
    AuditEvent { action: action.into(), target_kind: kind.into(), target_id: Some(id), unit_id: unit, summary }
}

fn user_where(conn: &mut DbConnection, id: Option<&str>, email: Option<&str>) -> Result<Option<(User, String)>> {
    let mut q = users::table.into_boxed();
    if let Some(id) = id {
        q = q.filter(users::id.eq(id.to_owned()));
    }
    if let Some(email) = email {
        q = q.filter(users::email.eq(email.to_owned()));
    }
    q.select(UserRow::as_select()).load(conn)?.into_iter().next().map(to_user).transpose()
}

fn create_user(conn: &mut DbConnection, new: NewUser, actor: &AuditActor) -> Result<User> {
    let unit: i64 = crate::schema::units::table
        .filter(crate::schema::units::id.eq(new.unit.to_string()))
        .count()
        .get_result(conn)?;
    if unit == 0 {
        return Err(StoreError::NotFound(format!("unit {}", new.unit)));
    }
    if user_where(conn, None, Some(new.email.as_str()))?.is_some() {
        return Err(StoreError::Conflict(format!("an account for {} exists", new.email)));
    }
    let t = to_db(now());
    let row = UserRow {
        id: UserId::generate().to_string(),
        email: new.email.to_string(),
        display_name: new.display_name,
        role: new.role.as_str().to_owned(),
        unit_id: new.unit.to_string(),
        password_hash: new.password_hash,
        disabled: false,
        created_at: t,
        updated_at: t,
    };
    diesel::insert_into(users::table).values(&row).execute(conn)?;
    let (user, _) = to_user(row)?;
    let summary = format!("{} as {}", user.email, user.role);
    audit::append(conn, actor, event("user.create", "user", user.id.to_string(), Some(user.unit_id), summary))?;
    Ok(user)
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
struct RefreshRow {
    id: String,
    user_id: String,
    family_id: String,
    token_hash: String,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    used_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refreshed {
    /// The token was good: it is spent, and `new_hash` now continues the session.
    Rotated(User),
    /// Unknown, expired, revoked, or the account is disabled.
    Refused,
    /// The token had been used before: someone holds a copy. The whole session is revoked.
    Replayed,
}

fn insert_refresh(
    conn: &mut DbConnection,
    user: UserId,
    family: &str,
    hash: &str,
    expires: DateTime<Utc>,
) -> Result<()> {
    let row = RefreshRow {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user.to_string(),
        family_id: family.to_owned(),
        token_hash: hash.to_owned(),
        created_at: to_db(now()),
        expires_at: to_db(expires),
        used_at: None,
        revoked_at: None,
    };
    diesel::insert_into(refresh_tokens::table).values(&row).execute(conn)?;
    Ok(())
}

/// Revokes every token of a session still in force; how many there were.
fn revoke_family(conn: &mut DbConnection, family: &str, at: NaiveDateTime) -> Result<usize> {
    Ok(diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(family)))
        .filter(refresh_tokens::revoked_at.is_null())
        .set(refresh_tokens::revoked_at.eq(Some(at)))
        .execute(conn)?)
}

/// A spent token presented again: the session is revoked, and the audit log says so.
fn replayed(conn: &mut DbConnection, token: &RefreshRow, at: NaiveDateTime) -> Result<Refreshed> {
    revoke_family(conn, &token.family_id, at)?;
    let actor = AuditActor { kind: "system".into(), id: None, name: "system".into() };
    let summary = "a spent refresh token was presented again: session revoked".to_owned();
    audit::append(conn, &actor, event("user.session_replayed", "user", token.user_id.clone(), None, summary))?;
    Ok(Refreshed::Replayed)
}

fn rotate(
    conn: &mut DbConnection,
    old_hash: &str,
    new_hash: &str,
    at: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<Refreshed> {
    let found: Option<RefreshRow> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(old_hash))
        .select(RefreshRow::as_select())
        .first(conn)
        .optional()?;
    let Some(token) = found else { return Ok(Refreshed::Refused) };
    let t = to_db(at);
    if token.used_at.is_some() {
        return replayed(conn, &token, t);
    }
    if token.revoked_at.is_some() || token.expires_at <= t {
        return Ok(Refreshed::Refused);
    }
    let Some((user, _)) = user_where(conn, Some(&token.user_id), None)? else { return Ok(Refreshed::Refused) };
    if user.disabled {
        return Ok(Refreshed::Refused);
    }
    // Spent only if still unspent: on PostgreSQL two uses at once both read it unspent above, and the
    // second UPDATE waits for the first to commit, then matches nothing. That use is a replay.
    let spent = diesel::update(refresh_tokens::table.find(&token.id))
        .filter(refresh_tokens::used_at.is_null())
        .set(refresh_tokens::used_at.eq(Some(t)))
        .execute(conn)?;
    if spent == 0 {
        return replayed(conn, &token, t);
    }
    insert_refresh(conn, user.id, &token.family_id, new_hash, expires)?;
    Ok(Refreshed::Rotated(user))
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
struct ApiKeyRow {
    id: String,
    name: String,
    prefix: String,
    key_hash: String,
    created_by: Option<String>,
    created_at: NaiveDateTime,
    revoked_at: Option<NaiveDateTime>,
    last_used_at: Option<NaiveDateTime>,
}

fn to_key(conn: &mut DbConnection, r: ApiKeyRow) -> Result<ApiKey> {
    let units: Vec<String> = api_key_units::table
        .filter(api_key_units::api_key_id.eq(&r.id))
        .select(api_key_units::unit_id)
        .order(api_key_units::unit_id)
        .load(conn)?;
    Ok(ApiKey {
        id: parse("api_keys.id", &r.id)?,
        name: r.name,
        prefix: r.prefix,
        units: units.iter().map(|u| parse("api_key_units.unit_id", u)).collect::<Result<_>>()?,
        created_at: from_db(r.created_at),
        revoked_at: r.revoked_at.map(from_db),
    })
}

/// A key to store: its public prefix and the SHA-256 of the whole key.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub name: String,
    pub prefix: String,
    pub hash: String,
    pub units: Vec<UnitId>,
    pub created_by: Option<UserId>,
}

fn create_key(conn: &mut DbConnection, new: NewApiKey, actor: &AuditActor) -> Result<ApiKey> {
    for u in &new.units {
        let found: i64 =
            crate::schema::units::table.filter(crate::schema::units::id.eq(u.to_string())).count().get_result(conn)?;
        if found == 0 {
            return Err(StoreError::NotFound(format!("unit {u}")));
        }
    }
    let row = ApiKeyRow {
        id: ApiKeyId::generate().to_string(),
        name: new.name,
        prefix: new.prefix,
        key_hash: new.hash,
        created_by: new.created_by.map(|u| u.to_string()),
        created_at: to_db(now()),
        revoked_at: None,
        last_used_at: None,
    };
    diesel::insert_into(api_keys::table).values(&row).execute(conn)?;
    for u in &new.units {
        diesel::insert_into(api_key_units::table)
            .values((api_key_units::api_key_id.eq(&row.id), api_key_units::unit_id.eq(u.to_string())))
            .execute(conn)?;
    }
    let key = to_key(conn, row)?;
    let summary = format!("`{}` ({}) for {} unit(s)", key.name, key.prefix, key.units.len());
    audit::append(conn, actor, event("api_key.create", "api_key", key.id.to_string(), None, summary))?;
    Ok(key)
}

fn revoke_key(conn: &mut DbConnection, id: ApiKeyId, actor: &AuditActor) -> Result<ApiKey> {
    let row: Option<ApiKeyRow> =
        api_keys::table.find(id.to_string()).select(ApiKeyRow::as_select()).first(conn).optional()?;
    let Some(row) = row else { return Err(StoreError::NotFound(format!("API key {id}"))) };
    if row.revoked_at.is_none() {
        diesel::update(api_keys::table.find(&row.id)).set(api_keys::revoked_at.eq(Some(to_db(now())))).execute(conn)?;
        let summary = format!("`{}` ({}) revoked", row.name, row.prefix);
        audit::append(conn, actor, event("api_key.revoke", "api_key", row.id.clone(), None, summary))?;
    }
    let row = api_keys::table.find(&row.id).select(ApiKeyRow::as_select()).first(conn)?;
    to_key(conn, row)
}

impl Store {
    pub async fn create_user(&self, new: NewUser, actor: AuditActor) -> Result<User> {
        self.transaction(move |c| create_user(c, new, &actor)).await
    }

    /// The account and its password hash, for a login.
    pub async fn user_for_login(&self, email: Email) -> Result<Option<(User, String)>> {
        self.run(move |c| user_where(c, None, Some(email.as_str()))).await
    }

    pub async fn user(&self, id: UserId) -> Result<Option<User>> {
        self.run(move |c| Ok(user_where(c, Some(&id.to_string()), None)?.map(|(u, _)| u))).await
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        self.run(|c| {
            let rows = users::table.order(users::email).select(UserRow::as_select()).load(c)?;
            rows.into_iter().map(|r| to_user(r).map(|(u, _)| u)).collect()
        })
        .await
    }

    /// Disables or re-enables an account; disabling also ends its sessions.
    pub async fn set_user_disabled(&self, id: UserId, disabled: bool, actor: AuditActor) -> Result<User> {
        self.transaction(move |c| {
            let Some((user, _)) = user_where(c, Some(&id.to_string()), None)? else {
                return Err(StoreError::NotFound(format!("user {id}")));
            };
            let t = to_db(now());
            diesel::update(users::table.find(id.to_string()))
                .set((users::disabled.eq(disabled), users::updated_at.eq(t)))
                .execute(c)?;
            if disabled {
                diesel::update(refresh_tokens::table.filter(refresh_tokens::user_id.eq(id.to_string())))
                    .filter(refresh_tokens::revoked_at.is_null())
                    .set(refresh_tokens::revoked_at.eq(Some(t)))
                    .execute(c)?;
            }
            let action = if disabled { "user.disable" } else { "user.enable" };
            audit::append(
                c,
                &actor,
                event(action, "user", id.to_string(), Some(user.unit_id), user.email.to_string()),
            )?;
            user_where(c, Some(&id.to_string()), None)?
                .map(|(u, _)| u)
                .ok_or_else(|| StoreError::NotFound(format!("user {id}")))
        })
        .await
    }

    /// Starts a session: `hash` is the SHA-256 of the refresh token handed to the client.
    pub async fn start_session(&self, user: UserId, hash: String, expires: DateTime<Utc>) -> Result<()> {
        let family = uuid::Uuid::now_v7().to_string();
        self.transaction(move |c| insert_refresh(c, user, &family, &hash, expires)).await
    }

    /// Spends a refresh token and continues its session with `new_hash`.
    pub async fn rotate_refresh_token(
        &self,
        old_hash: String,
        new_hash: String,
        at: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<Refreshed> {
        self.transaction(move |c| rotate(c, &old_hash, &new_hash, at, expires)).await
    }

    /// Ends the session the token belongs to (every token of it); false when the token is unknown or
    /// its session had already ended.
    /// Revokes the session this refresh token belongs to; answers its account when something was
    /// revoked (so that a logout without an access token is still logged under its user).
    pub async fn end_session(&self, hash: String) -> Result<Option<User>> {
        self.transaction(move |c| {
            let session: Option<(String, String)> = refresh_tokens::table
                .filter(refresh_tokens::token_hash.eq(&hash))
                .select((refresh_tokens::family_id, refresh_tokens::user_id))
                .first(c)
                .optional()?;
            let Some((family, user)) = session else { return Ok(None) };
            if revoke_family(c, &family, to_db(now()))? == 0 {
                return Ok(None);
            }
            Ok(user_where(c, Some(&user), None)?.map(|(u, _)| u))
        })
        .await
    }

    pub async fn create_api_key(&self, new: NewApiKey, actor: AuditActor) -> Result<ApiKey> {
        self.transaction(move |c| create_key(c, new, &actor)).await
    }

    pub async fn revoke_api_key(&self, id: ApiKeyId, actor: AuditActor) -> Result<ApiKey> {
        self.transaction(move |c| revoke_key(c, id, &actor)).await
    }

    /// The key whose SHA-256 this is, revoked or not.
    pub async fn api_key_by_hash(&self, hash: String) -> Result<Option<ApiKey>> {
        self.run(move |c| {
            let row: Option<ApiKeyRow> = api_keys::table
                .filter(api_keys::key_hash.eq(&hash))
                .select(ApiKeyRow::as_select())
                .first(c)
                .optional()?;
            row.map(|r| to_key(c, r)).transpose()
        })
        .await
    }

    pub async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        self.run(|c| {
            let rows = api_keys::table.order(api_keys::created_at.desc()).select(ApiKeyRow::as_select()).load(c)?;
            rows.into_iter().map(|r| to_key(c, r)).collect()
        })
        .await
    }
}
