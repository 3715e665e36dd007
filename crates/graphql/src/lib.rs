//! Frontier's public GraphQL API (async-graphql 7) over the store. Resolvers hold no SQL: they ask
//! the store, through a per-request DataLoader for relations, and map its errors in `error.rs`.

pub mod context;
mod cursor;
pub mod error;
mod error_codes;
pub mod links;
mod loaders;
pub mod markdown;
mod node_id;
mod query;
mod types;

pub use context::RequestLocales;
pub use links::Links;
pub use query::Query;

use async_graphql::dataloader::DataLoader;
use async_graphql::{EmptyMutation, EmptySubscription, Request, SDLExportOptions, Schema, SchemaBuilder};
use frontier_domain::Locale;
use frontier_store::Store;
use loaders::StoreLoader;

pub type FrontierSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Deepest query accepted: the real tree (unit → children → …) is four levels; this leaves room for
/// honest queries and stops abusive ones.
pub const MAX_DEPTH: usize = 16;
/// Highest query cost accepted (lists count once per item asked for, see `types::page_cost`): a
/// full page of 100 articles with their texts and relations costs about 1,500.
pub const MAX_COMPLEXITY: usize = 2_500;

fn builder() -> SchemaBuilder<Query, EmptyMutation, EmptySubscription> {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .extension(error_codes::ErrorCodes)
}

/// The schema the server runs.
pub fn schema(store: Store, links: Links) -> FrontierSchema {
    builder().data(store).data(links).finish()
}

/// The SDL as committed in `schema.graphql` (sorted, so it only changes when the API does).
pub fn sdl() -> String {
    builder().finish().sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_arguments().sorted_enum_items())
}

/// Attaches what one request needs: a fresh DataLoader (its cache lives as long as the request) and
/// the reader's preferred locales from `Accept-Language`.
pub fn prepare(request: Request, store: &Store, locales: Vec<Locale>) -> Request {
    request.data(DataLoader::new(StoreLoader::new(store.clone()), tokio::spawn)).data(RequestLocales(locales))
}

#[cfg(test)]
mod tests;
