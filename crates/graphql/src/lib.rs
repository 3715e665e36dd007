//! Frontier's public GraphQL API (async-graphql 7) over the store. Resolvers hold no SQL: they ask
//! the store, through a per-request DataLoader for relations, and map its errors in `error.rs`.

pub mod context;
mod cursor;
pub mod error;
mod error_codes;
mod guard;
pub mod links;
mod loaders;
pub mod markdown;
mod mutation;
mod node_id;
mod query;
pub mod sessions;
mod stats;
mod subscription;
mod types;
mod unknown_scans;
pub mod uploads;

pub use context::{RequestLocales, Viewer};
pub use links::Links;
pub use mutation::{Mutation, ScanClient, VisitorKeys};
pub use query::Query;
pub use sessions::{ClientAddr, Sessions};
pub use subscription::Subscription;
pub use uploads::Uploads;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Request, SDLExportOptions, Schema, SchemaBuilder};
use chrono::{DateTime, Utc};
use context::PreviewLoader;
use frontier_domain::{Actor, Clock, Locale};
use frontier_store::{Audience, ScanWriter, Store};
use loaders::StoreLoader;
use std::sync::Arc;

pub type FrontierSchema = Schema<Query, Mutation, Subscription>;

/// Deepest query accepted: the real tree (unit → children → …) is four levels; this leaves room for
/// honest queries and stops abusive ones.
pub const MAX_DEPTH: usize = 16;
/// Highest query cost accepted (lists count once per item asked for, see `types::page_cost`): a
/// full page of 100 articles with their texts and relations costs about 1,500.
pub const MAX_COMPLEXITY: usize = 2_500;

fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query, Mutation::default(), Subscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .extension(error_codes::ErrorCodesFactory)
}

/// The schema the server runs; `clock` decides when scheduled content goes online, `sessions`
/// issues and checks credentials.
pub fn schema(store: Store, links: Links, clock: Arc<dyn Clock>, sessions: Arc<Sessions>) -> FrontierSchema {
    builder().data(store).data(links).data(clock).data(sessions).finish()
}

/// What the server's schema works with beyond the store.
pub struct Services {
    pub store: Store,
    pub links: Links,
    pub clock: Arc<dyn Clock>,
    pub sessions: Arc<Sessions>,
    /// The media library `uploadImage` needs.
    pub uploads: Arc<Uploads>,
    /// The scan writer `recordScan` and the live feed need.
    pub scans: ScanWriter,
    /// The time zone whose calendar days the statistics count.
    pub zone: frontier_domain::StatsZone,
}

/// The schema the server runs, with everything (the bare [`schema`] is for tests).
pub fn server_schema(s: Services) -> FrontierSchema {
    builder()
        .data(s.store)
        .data(s.links)
        .data(s.clock)
        .data(s.sessions)
        .data(s.uploads)
        .data(s.scans)
        .data(s.zone)
        .finish()
}

/// The global id of an image, as `Image.id` gives it.
pub fn image_id(id: frontier_domain::MediaId) -> String {
    node_id::encode(node_id::NodeKind::Image, id).0
}

/// The SDL as committed in `schema.graphql` (sorted, so it only changes when the API does).
pub fn sdl() -> String {
    builder().finish().sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_arguments().sorted_enum_items())
}

/// Attaches what one request needs: who is asking, the reader's preferred locales from
/// `Accept-Language`, and fresh DataLoaders (their caches live as long as the request): one for
/// public reads and, for a viewer who may preview, one that includes the viewer's unpublished content.
/// The request's moment is fixed here, so all of it sees the same schedule.
pub fn prepare(request: Request, store: &Store, locales: Vec<Locale>, viewer: Viewer, now: DateTime<Utc>) -> Request {
    let mut public = Audience::public(now);
    if let Actor::ApiKey { units } = &viewer.actor {
        public = public.within(units.clone());
    }
    let mut request = request
        .data(DataLoader::new(StoreLoader::new(store.clone(), public), tokio::spawn))
        .data(RequestLocales(locales));
    if let Some(scope) = &viewer.preview_scope {
        let preview = Audience::preview(now, scope.clone());
        request = request.data(PreviewLoader(DataLoader::new(StoreLoader::new(store.clone(), preview), tokio::spawn)));
    }
    request.data(viewer)
}

#[cfg(test)]
mod tests;
