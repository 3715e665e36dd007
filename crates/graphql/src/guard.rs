//! Asking the domain policy from a resolver: one call that turns its answer into the right error.

use crate::context::viewer;
use crate::error::{ApiResult, forbidden, unauthenticated};
use async_graphql::Context;
use frontier_domain::{Action, Actor, AuditActor, UnitId, User, permits};

/// The logged-in user, before anything is looked up for them: anonymous callers get
/// `UNAUTHENTICATED` and API keys `FORBIDDEN`, whatever they asked about.
pub fn signed_in<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a User> {
    let v = viewer(ctx);
    v.user.as_ref().ok_or_else(|| match v.actor {
        Actor::ApiKey { .. } => forbidden("API keys only read published content"),
        _ => unauthenticated(),
    })
}

/// The logged-in user when the policy lets them do `action` to content of `unit`: anonymous callers
/// get `UNAUTHENTICATED`, everyone else who may not `FORBIDDEN`.
pub fn require<'a>(ctx: &'a Context<'_>, action: Action, unit: UnitId) -> ApiResult<&'a User> {
    let user = signed_in(ctx)?;
    let v = viewer(ctx);
    if permits(&v.actor, action, unit, v.links()) {
        Ok(user)
    } else {
        Err(forbidden(format!("your role does not allow {} for this unit", describe(action))))
    }
}

/// Like [`require`] for province-wide actions (accounts, API keys, the audit log): checked against
/// the root of the unit tree.
pub fn require_everywhere<'a>(ctx: &'a Context<'_>, action: Action) -> ApiResult<&'a User> {
    let v = viewer(ctx);
    let root = v.links().iter().find(|(_, parent)| parent.is_none()).map(|(id, _)| *id);
    match root {
        Some(root) => require(ctx, action, root),
        None if v.user.is_none() => Err(unauthenticated()),
        None => Err(forbidden("there is no unit tree yet")),
    }
}

pub fn actor(user: &User) -> AuditActor {
    AuditActor::user(user.id, &user.display_name)
}

fn describe(action: Action) -> &'static str {
    match action {
        Action::ReadPublished => "reading",
        Action::Preview => "previewing unpublished content",
        Action::Edit => "editing content",
        Action::Publish => "publishing",
        Action::ReadStats => "reading scan statistics",
        Action::ManageStructure => "changing units and categories",
        Action::Administer => "administration",
    }
}
