//! The audit log: who did what to which record, when. Entries are only ever appended.

use crate::id::{UnitId, UserId};
use chrono::{DateTime, Utc};

/// Who made a change, as the log records it (kept as text: the log outlives accounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditActor {
    /// `user`, `cli` (a command run on the server) or `system` (the seed, a scheduled step).
    pub kind: String,
    pub id: Option<String>,
    pub name: String,
}

impl AuditActor {
    pub fn user(id: UserId, name: &str) -> Self {
        Self { kind: "user".to_owned(), id: Some(id.to_string()), name: name.to_owned() }
    }

    pub fn cli(name: &str) -> Self {
        Self { kind: "cli".to_owned(), id: None, name: name.to_owned() }
    }

    pub fn system() -> Self {
        Self { kind: "system".to_owned(), id: None, name: "system".to_owned() }
    }

    pub fn user_id(&self) -> Option<UserId> {
        if self.kind != "user" {
            return None;
        }
        self.id.as_deref().and_then(|s| s.parse().ok())
    }
}

/// What a change did, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Dotted verb, e.g. `article.create`, `article.publish`, `user.login_failed`.
    pub action: String,
    /// `article`, `category`, `place`, `unit`, `qr_code`, `user`, `api_key`, `media`.
    pub target_kind: String,
    pub target_id: Option<String>,
    /// The unit whose content changed, so officers of a post can be shown their part.
    pub unit_id: Option<UnitId>,
    /// Short human summary: the fields and locales that changed, a new status, a schedule.
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: String,
    pub occurred_at: DateTime<Utc>,
    pub actor: AuditActor,
    pub event: AuditEvent,
}
