//! Categories: the tree readers browse (border law, heritage and culture → Then singing, …).

use crate::id::CategoryId;
use crate::slug::Slug;
use crate::translation::{NamedText, Translated};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub id: CategoryId,
    pub slug: Slug,
    pub parent_id: Option<CategoryId>,
    /// Order among siblings, ascending.
    pub position: i32,
    pub texts: Translated<NamedText>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set when archived: readers no longer see it (nor what hangs below it).
    pub archived_at: Option<DateTime<Utc>>,
    /// Bumped by every change; an update names the version it edits.
    pub version: i64,
}
