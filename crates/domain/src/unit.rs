//! Organisational units: the province's border-guard command, its border posts, their stations.
//! Content, places and QR codes belong to a unit; a filter on a unit covers the units below it.

use crate::error::ValidationError;
use crate::id::UnitId;
use crate::slug::Slug;
use crate::translation::{NamedText, Translated};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    ProvinceCommand,
    BorderPost,
    Station,
}

impl UnitKind {
    pub const ALL: [UnitKind; 3] = [Self::ProvinceCommand, Self::BorderPost, Self::Station];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProvinceCommand => "province_command",
            Self::BorderPost => "border_post",
            Self::Station => "station",
        }
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or_else(|| ValidationError::new("kind", format!("unknown unit kind `{value}`")))
    }

    /// The kind a unit of this kind reports to; `None` for the top of the tree.
    pub fn parent_kind(self) -> Option<UnitKind> {
        match self {
            Self::ProvinceCommand => None,
            Self::BorderPost => Some(Self::ProvinceCommand),
            Self::Station => Some(Self::BorderPost),
        }
    }

    /// Checks the chain of command: a station reports to a border post, a post to the province command,
    /// and the province command to nobody.
    pub fn check_parent(self, parent: Option<UnitKind>) -> Result<(), ValidationError> {
        if parent == self.parent_kind() {
            return Ok(());
        }
        let msg = match (self.parent_kind(), parent) {
            (None, Some(_)) => "a province command has no parent unit".to_owned(),
            (Some(want), None) => format!("a {} must belong to a {}", self.as_str(), want.as_str()),
            (Some(want), Some(got)) => {
                format!("a {} must belong to a {}, not a {}", self.as_str(), want.as_str(), got.as_str())
            }
            (None, None) => unreachable!("equal kinds returned above"),
        };
        Err(ValidationError::new("parent", msg))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub id: UnitId,
    pub slug: Slug,
    pub kind: UnitKind,
    pub parent_id: Option<UnitId>,
    /// The public contact line printed on pages (hotline).
    pub phone: Option<String>,
    pub address: Option<String>,
    pub texts: Translated<NamedText>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set when archived: readers no longer see it (nor what hangs below it).
    pub archived_at: Option<DateTime<Utc>>,
    /// Bumped by every change; an update names the version it edits.
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitKind::*;

    #[test]
    fn chain_of_command_is_enforced() {
        let table = [
            (ProvinceCommand, None, true),
            (ProvinceCommand, Some(ProvinceCommand), false),
            (BorderPost, Some(ProvinceCommand), true),
            (BorderPost, None, false),
            (BorderPost, Some(Station), false),
            (Station, Some(BorderPost), true),
            (Station, Some(ProvinceCommand), false),
            (Station, None, false),
        ];
        for (kind, parent, ok) in table {
            let got = kind.check_parent(parent);
            assert_eq!(got.is_ok(), ok, "{kind:?} under {parent:?}");
            if let Err(e) = got {
                assert_eq!(e.field, "parent");
            }
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Ok(k));
        }
        assert!(UnitKind::parse("battalion").is_err());
    }
}
