//! What a resolver may read from the request: the store (through the loaders), public links, the
//! reader's locale preferences, who is asking, and the clock.

use crate::error::{ApiResult, forbidden, invalid, unauthenticated};
use crate::links::Links;
use crate::loaders::StoreLoader;
use async_graphql::Context;
use async_graphql::dataloader::DataLoader;
use chrono::{DateTime, Utc};
use frontier_domain::policy::{UnitLinks, preview_scope};
use frontier_domain::{Actor, Clock, Locale, LocaleChain, UnitId, User};
use frontier_store::{Audience, Store};
use std::ops::Deref;
use std::sync::Arc;

/// The locales the HTTP request prefers (from `Accept-Language`), most preferred first.
#[derive(Debug, Clone, Default)]
pub struct RequestLocales(pub Vec<Locale>);

/// Who sent the request, as the HTTP edge established it from the bearer token or API key.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub actor: Actor,
    /// The account behind a user token.
    pub user: Option<User>,
    /// Units whose unpublished content this viewer may preview (expanded), if any.
    pub preview_scope: Option<Vec<UnitId>>,
    /// The unit tree as it stood when the request started, for policy checks.
    pub units: Arc<Vec<(UnitId, Option<UnitId>)>>,
    /// When the credential stops being valid (an access token's expiry); `None` for API keys and
    /// the public. A request ends long before; a live-feed subscription is ended then.
    pub expires_at: Option<DateTime<Utc>>,
}

impl Viewer {
    pub fn public() -> Self {
        Self { actor: Actor::Public, user: None, preview_scope: None, units: Arc::new(Vec::new()), expires_at: None }
    }

    pub fn new(actor: Actor, user: Option<User>, units: Vec<(UnitId, Option<UnitId>)>) -> Self {
        let preview_scope = preview_scope(&actor, &units);
        Self { actor, user, preview_scope, units: Arc::new(units), expires_at: None }
    }

    /// The same viewer, whose credential expires at `at`.
    pub fn expiring(self, at: DateTime<Utc>) -> Self {
        Self { expires_at: Some(at), ..self }
    }

    pub fn links(&self) -> &UnitLinks {
        &self.units
    }
}

/// How the objects below a top-level field are read: in which languages, and whether unpublished
/// content of the viewer's units is included. Every object carries it to its relations.
#[derive(Clone)]
pub struct Lens {
    pub chain: Arc<LocaleChain>,
    pub preview: bool,
    /// A loader of its own instead of the request's: a live-feed event outlives the moment its
    /// subscription started, so it is read as the public sees it when the event arrives.
    pub(crate) own: Option<Arc<DataLoader<StoreLoader>>>,
}

impl Lens {
    pub fn new(chain: Arc<LocaleChain>, preview: bool) -> Self {
        Self { chain, preview, own: None }
    }

    /// Public reads at `now` through a fresh loader (see `own`).
    pub(crate) fn public_at(chain: Arc<LocaleChain>, store: &Store, now: DateTime<Utc>) -> Self {
        let loader = DataLoader::new(StoreLoader::new(store.clone(), Audience::public(now)), tokio::spawn);
        Self { chain, preview: false, own: Some(Arc::new(loader)) }
    }
}

impl std::fmt::Debug for Lens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lens").field("chain", &self.chain).field("preview", &self.preview).finish_non_exhaustive()
    }
}

impl Deref for Lens {
    type Target = LocaleChain;
    fn deref(&self) -> &LocaleChain {
        &self.chain
    }
}

/// The loader for previewing viewers, separate so its cache never serves a public field.
pub struct PreviewLoader(pub DataLoader<StoreLoader>);

pub fn store<'a>(ctx: &'a Context<'_>) -> &'a Store {
    ctx.data_unchecked::<Store>()
}

pub fn links<'a>(ctx: &'a Context<'_>) -> &'a Links {
    ctx.data_unchecked::<Links>()
}

pub fn clock<'a>(ctx: &'a Context<'_>) -> &'a dyn Clock {
    ctx.data_unchecked::<Arc<dyn Clock>>().as_ref()
}

pub fn viewer<'a>(ctx: &'a Context<'_>) -> &'a Viewer {
    static PUBLIC: std::sync::OnceLock<Viewer> = std::sync::OnceLock::new();
    ctx.data_opt::<Viewer>().unwrap_or_else(|| PUBLIC.get_or_init(Viewer::public))
}

/// The logged-in account, or `UNAUTHENTICATED`.
pub fn user<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a User> {
    viewer(ctx).user.as_ref().ok_or_else(unauthenticated)
}

/// The loader matching the lens: public reads and preview reads never share a cache.
pub fn loader<'a>(ctx: &'a Context<'_>, lens: &'a Lens) -> &'a DataLoader<StoreLoader> {
    if let Some(own) = &lens.own {
        return own;
    }
    if lens.preview
        && let Some(p) = ctx.data_opt::<PreviewLoader>()
    {
        return &p.0;
    }
    ctx.data_unchecked::<DataLoader<StoreLoader>>()
}

/// The audience of direct store reads under this lens (the same one its loader uses).
pub fn audience(ctx: &Context<'_>, lens: &Lens) -> Audience {
    loader(ctx, lens).loader().audience().clone()
}

/// The fallback chain for a top-level field: its `locale` argument when given (a malformed tag is a
/// `BAD_USER_INPUT`; a well-formed tag we have no content in just falls back), else the request's
/// `Accept-Language`, then `vi`.
pub fn chain(ctx: &Context<'_>, locale: Option<&str>) -> ApiResult<Arc<LocaleChain>> {
    if let Some(tag) = locale {
        return Ok(Arc::new(LocaleChain::new([Locale::parse(tag).map_err(invalid)?])));
    }
    let requested = ctx.data_opt::<RequestLocales>().map(|r| r.0.clone()).unwrap_or_default();
    Ok(Arc::new(LocaleChain::new(requested)))
}

/// The lens of a top-level field. `preview: true` needs an account that may preview: anonymous
/// callers get `UNAUTHENTICATED`, API keys and analysts `FORBIDDEN`.
pub fn lens(ctx: &Context<'_>, locale: Option<&str>, preview: bool) -> ApiResult<Lens> {
    let chain = chain(ctx, locale)?;
    if preview {
        let v = viewer(ctx);
        match (&v.actor, &v.preview_scope) {
            (Actor::Public, _) => return Err(unauthenticated()),
            (_, None) => return Err(forbidden("this account cannot preview unpublished content")),
            _ => {}
        }
    }
    Ok(Lens::new(chain, preview))
}
