//! The write API: the root `Mutation` type, merged from one object per area.

mod admin;
mod articles;
mod auth;
mod media;
mod scans;
mod structure;

pub use scans::{ScanClient, VisitorKeys};
pub use structure::QrTargetKind;

pub use admin::{AuditLogFilter, AuditLogPage};
pub(crate) use admin::{accounts, api_keys, audit_log};
pub use articles::ArticleRevision;
pub(crate) use articles::revisions;

use async_graphql::MergedObject;

/// Changes to content and accounts. Every mutation but `login` and `refresh` needs a bearer token
/// whose role allows it in the unit concerned, and is written to the audit log.
#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    articles::ArticleMutation,
    structure::StructureMutation,
    admin::AdminMutation,
    media::MediaMutation,
    scans::ScanMutation,
);
