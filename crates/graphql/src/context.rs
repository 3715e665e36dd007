//! What a resolver may read from the request: the store (through the loader), public links, and the
//! reader's locale preferences.

use crate::error::{ApiResult, invalid};
use crate::links::Links;
use crate::loaders::StoreLoader;
use async_graphql::Context;
use async_graphql::dataloader::DataLoader;
use frontier_domain::{Locale, LocaleChain};
use frontier_store::Store;
use std::sync::Arc;

/// The locales the HTTP request prefers (from `Accept-Language`), most preferred first.
#[derive(Debug, Clone, Default)]
pub struct RequestLocales(pub Vec<Locale>);

pub fn store<'a>(ctx: &'a Context<'_>) -> &'a Store {
    ctx.data_unchecked::<Store>()
}

pub fn links<'a>(ctx: &'a Context<'_>) -> &'a Links {
    ctx.data_unchecked::<Links>()
}

pub fn loader<'a>(ctx: &'a Context<'_>) -> &'a DataLoader<StoreLoader> {
    ctx.data_unchecked::<DataLoader<StoreLoader>>()
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
