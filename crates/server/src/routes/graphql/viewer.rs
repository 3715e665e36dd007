//! Who is calling `/graphql`: the bearer token (an access token from `login`, or an API key) turned
//! into a [`Viewer`] before the request runs. A credential that fails is refused outright, never
//! downgraded to anonymous: a client with an expired token must learn to refresh it (and so
//! `login`, `refresh` and `logout` alone run without it, see `only_starts_or_ends_sessions`).

use crate::App;
use axum::http::{HeaderMap, header};
use frontier_auth::{hash_opaque, parse_api_key};
use frontier_domain::{Actor, UserId};
use frontier_graphql::Viewer;
use frontier_store::StoreError;

/// Why no viewer could be made.
pub enum Refused {
    /// Bad, expired or revoked credentials (the message never says which).
    Credentials,
    Store(StoreError),
}

impl From<StoreError> for Refused {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

/// The credential in `Authorization: Bearer …` or `X-Api-Key: …`, if any.
fn credential(headers: &HeaderMap) -> Result<Option<&str>, Refused> {
    if let Some(v) = headers.get("x-api-key") {
        return v.to_str().map(|s| Some(s.trim())).map_err(|_| Refused::Credentials);
    }
    let Some(v) = headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let v = v.to_str().map_err(|_| Refused::Credentials)?.trim();
    let (scheme, token) = v.split_once(' ').ok_or(Refused::Credentials)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(Refused::Credentials);
    }
    Ok(Some(token.trim()))
}

pub async fn viewer(app: &App, headers: &HeaderMap) -> Result<Viewer, Refused> {
    let Some(token) = credential(headers)? else { return Ok(Viewer::public()) };
    if token.starts_with("frk_") {
        parse_api_key(token).ok_or(Refused::Credentials)?;
        let key = app.store.api_key_by_hash(hash_opaque(token)).await?.ok_or(Refused::Credentials)?;
        if !key.is_active() {
            return Err(Refused::Credentials);
        }
        let units = app.store.unit_links().await?;
        return Ok(Viewer::new(Actor::ApiKey { units: key.units }, None, units));
    }
    let claims = app.sessions.tokens.verify(token, app.clock.now()).map_err(|_| Refused::Credentials)?;
    // A live-feed subscription ends when the token does.
    Ok(of_user(app, claims.user).await?.expiring(claims.expires))
}

/// The viewer of an account a credential named (a token, a signed URL). The account as it is now,
/// not as the credential remembers it: a disabled account or a changed role takes effect at once.
pub async fn of_user(app: &App, id: UserId) -> Result<Viewer, Refused> {
    let user = app.store.user(id).await?.ok_or(Refused::Credentials)?;
    if user.disabled {
        return Err(Refused::Credentials);
    }
    let units = app.store.unit_links().await?;
    Ok(Viewer::new(Actor::User { role: user.role, unit: user.unit_id }, Some(user), units))
}
