//! `login`, `refresh`, `logout`. A failure never says which part was wrong (no such account, wrong
//! password, disabled, expired token): all are the same `UNAUTHENTICATED`. Repeated failures from one
//! address or for one account are refused for a while with `TOO_MANY_REQUESTS`.

use crate::context::{clock, store};
use crate::error::{ApiResult, INTERNAL, OrApi, TOO_MANY_REQUESTS, unauthenticated};
use crate::sessions::{ClientAddr, Sessions};
use crate::types::Account;
use async_graphql::{Context, Error, ErrorExtensions, Object, SimpleObject};
use chrono::{DateTime, Utc};
use frontier_auth::{generate_refresh_token, hash_opaque};
use frontier_domain::{AuditActor, AuditEvent, Email, User};
use frontier_store::Refreshed;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Instant;

/// The credentials a login or refresh hands out.
#[derive(SimpleObject)]
pub struct Session {
    /// Send as `Authorization: Bearer <accessToken>` with every request.
    pub access_token: String,
    /// When the access token stops working (UTC); get a new one with `refresh` before.
    pub access_token_expires_at: DateTime<Utc>,
    /// Single use: `refresh` spends it and returns a new one. Keep it secret; `logout` revokes it.
    pub refresh_token: String,
    /// When the refresh token expires if unused (UTC).
    pub refresh_token_expires_at: DateTime<Utc>,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// The logged-in account.
    pub account: Account,
}

fn sessions<'a>(ctx: &'a Context<'_>) -> &'a Sessions {
    ctx.data_unchecked::<Arc<Sessions>>()
}

fn internal(e: impl std::fmt::Display) -> Error {
    tracing::error!(error = %e, "issuing credentials failed");
    Error::new("internal error").extend_with(|_, x| x.set("code", INTERNAL))
}

async fn issue(ctx: &Context<'_>, user: User, refresh: Option<(String, DateTime<Utc>)>) -> ApiResult<Session> {
    let s = sessions(ctx);
    let now = clock(ctx).now();
    let (access_token, access_token_expires_at) =
        s.tokens.issue(user.id, user.role, user.unit_id, now).map_err(internal)?;
    let (refresh_token, refresh_token_expires_at) = match refresh {
        Some(r) => r,
        None => {
            let (plain, hash) = generate_refresh_token().map_err(internal)?;
            let expires = now + s.refresh_lifetime;
            store(ctx).start_session(user.id, hash, expires).await.api()?;
            (plain, expires)
        }
    };
    Ok(Session {
        access_token,
        access_token_expires_at,
        refresh_token,
        refresh_token_expires_at,
        token_type: "Bearer",
        account: Account::new(user),
    })
}

fn login_event(action: &str, user: Option<&User>, email: &str) -> AuditEvent {
    AuditEvent {
        action: action.into(),
        target_kind: "user".into(),
        target_id: user.map(|u| u.id.to_string()),
        unit_id: user.map(|u| u.unit_id),
        // Only what is shaped like an address is kept: the log is forever, and a password typed into
        // the wrong field must not be.
        summary: Email::parse(email).map_or_else(|_| "(not an e-mail address)".to_owned(), |e| e.to_string()),
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Logs in with e-mail and password.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The account's e-mail address (any case).")] email: String,
        #[graphql(desc = "The account's password.")] password: String,
    ) -> ApiResult<Session> {
        let s = sessions(ctx);
        let ip = ctx.data_opt::<ClientAddr>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.0);
        let key = email.trim().to_lowercase();
        // Counted as a failure from here on, so that guesses sent at once cannot all pass this check
        // before the first of them is verified.
        let admitted = match s.throttle.admit(ip, &key, Instant::now()) {
            Ok(admitted) => admitted,
            Err(wait) => {
                let seconds = wait.whole_seconds();
                return Err(Error::new(format!("too many failed logins: try again in {seconds} s")).extend_with(
                    move |_, e| {
                        e.set("code", TOO_MANY_REQUESTS);
                        e.set("retryAfter", seconds);
                    },
                ));
            }
        };
        let found = match Email::parse(&email) {
            Ok(e) => store(ctx).user_for_login(e).await.api()?,
            Err(_) => None,
        };
        let hasher = s.hasher.clone();
        // argon2 takes tens of milliseconds of CPU: off the async workers. An unknown account costs
        // the same time as a wrong password, so timing does not tell them apart.
        let user = tokio::task::spawn_blocking(move || match found {
            Some((user, hash)) if hasher.verify(&password, &hash) && !user.disabled => Some(user),
            Some(_) => None,
            None => {
                hasher.dummy_verify(&password);
                None
            }
        })
        .await
        .map_err(internal)?;
        let Some(user) = user else {
            s.throttle.failed(admitted, &key, Instant::now());
            store(ctx).audit(AuditActor::system(), login_event("user.login_failed", None, &key)).await.api()?;
            return Err(unauthenticated());
        };
        s.throttle.succeeded(admitted, &key);
        let actor = AuditActor::user(user.id, &user.display_name);
        store(ctx).audit(actor, login_event("user.login", Some(&user), &key)).await.api()?;
        issue(ctx, user, None).await
    }

    /// Trades a refresh token for a new access token and a new refresh token. Each refresh token works
    /// once: presenting a spent one again revokes the whole session (it was copied).
    async fn refresh(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token from `login` or the last `refresh`.")] refresh_token: String,
    ) -> ApiResult<Session> {
        let s = sessions(ctx);
        let now = clock(ctx).now();
        let (plain, new_hash) = generate_refresh_token().map_err(internal)?;
        let expires = now + s.refresh_lifetime;
        let outcome =
            store(ctx).rotate_refresh_token(hash_opaque(refresh_token.trim()), new_hash, now, expires).await.api()?;
        match outcome {
            Refreshed::Rotated(user) => issue(ctx, user, Some((plain, expires))).await,
            Refreshed::Refused | Refreshed::Replayed => Err(unauthenticated()),
        }
    }

    /// Ends the session the refresh token belongs to. Access tokens already issued stay valid until
    /// they expire (15 minutes at most by default). True when a session was ended.
    async fn logout(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session's current refresh token.")] refresh_token: String,
    ) -> ApiResult<bool> {
        let ended = store(ctx).end_session(hash_opaque(refresh_token.trim())).await.api()?;
        // The session's owner logged out, whoever's access token (if any) came with the request.
        if let Some(user) = &ended {
            let actor = AuditActor::user(user.id, &user.display_name);
            store(ctx).audit(actor, login_event("user.logout", Some(user), user.email.as_str())).await.api()?;
        }
        Ok(ended.is_some())
    }
}
