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

impl Unit {
    /// The unit's hotline, if it has one (blank counts as none).
    pub fn hotline(&self) -> Option<&str> {
        self.phone.as_deref().map(str::trim).filter(|p| !p.is_empty())
    }
}

/// Who answers the public for the unit `start`: the unit itself when it has a hotline, else the
/// nearest unit above it that has one (a station often has none of its own), else the unit alone.
/// `None` when `start` is not among `units`.
pub fn answering_unit(units: &[Unit], start: UnitId) -> Option<&Unit> {
    let by_id = |id: UnitId| units.iter().find(|u| u.id == id);
    let first = by_id(start)?;
    let mut next = Some(first);
    // The chain of command is at most three deep; the bound only guards against a broken tree.
    for _ in 0..units.len() {
        let Some(u) = next else { break };
        if u.hotline().is_some() {
            return Some(u);
        }
        next = u.parent_id.and_then(by_id);
    }
    Some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitKind::*;

    fn unit(name: &str, kind: UnitKind, parent: Option<UnitId>, phone: Option<&str>) -> Unit {
        let vi = crate::Locale::default_locale();
        let at = chrono::DateTime::<Utc>::UNIX_EPOCH;
        Unit {
            id: UnitId::generate(),
            slug: Slug::parse(&name.to_lowercase()).expect("slug"),
            kind,
            parent_id: parent,
            phone: phone.map(str::to_owned),
            address: None,
            texts: Translated::new(vec![(vi, NamedText::new(name, None).expect("name"))]),
            created_at: at,
            updated_at: at,
            archived_at: None,
            version: 1,
        }
    }

    #[test]
    fn the_nearest_hotline_up_the_chain_answers() {
        let province = unit("tinh", ProvinceCommand, None, Some("069 1111"));
        let post = unit("don", BorderPost, Some(province.id), Some("  "));
        let station = unit("tram-1", Station, Some(post.id), None);
        let own = unit("tram-2", Station, Some(post.id), Some("0205 000 0000"));
        let units = vec![province.clone(), post.clone(), station.clone(), own.clone()];
        let answering = |u: &Unit| answering_unit(&units, u.id).map(|a| a.slug.to_string());
        assert_eq!(answering(&station).as_deref(), Some("tinh"), "a blank phone is none: past the post");
        assert_eq!(answering(&post).as_deref(), Some("tinh"));
        assert_eq!(answering(&own).as_deref(), Some("tram-2"));
        let alone = unit("tram-3", Station, Some(UnitId::generate()), None);
        assert_eq!(answering_unit(std::slice::from_ref(&alone), alone.id).map(|a| a.slug.as_str()), Some("tram-3"));
        assert!(answering_unit(&units, UnitId::generate()).is_none());
    }

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
