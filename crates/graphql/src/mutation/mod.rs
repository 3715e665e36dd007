//! The write API: the root `Mutation` type, merged from one object per area.

mod articles;

pub use articles::ArticleRevision;
pub(crate) use articles::revisions;

use async_graphql::MergedObject;

/// Changes to content and accounts. Every mutation needs a bearer token (see `login`) whose role
/// allows it in the unit concerned, and is written to the audit log.
#[derive(MergedObject, Default)]
pub struct Mutation(articles::ArticleMutation);
