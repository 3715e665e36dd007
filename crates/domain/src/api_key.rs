//! API keys: how a third-party frontend or a provincial app identifies itself. A key only reads
//! published content, and only of the units it was issued for (and the units below them).

use crate::id::{ApiKeyId, UnitId};
use chrono::{DateTime, Utc};

pub const MAX_KEY_NAME_CHARS: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    /// Who it is for, e.g. "Cổng thông tin tỉnh" or "Zalo chatbot".
    pub name: String,
    /// The public part shown in lists (`frk_ab12cd34_…`), so a key can be recognised without
    /// storing it.
    pub prefix: String,
    pub units: Vec<UnitId>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}
