//! Public places where QR codes hang: cultural houses, commune offices, border stations, …

use crate::error::ValidationError;
use crate::id::{PlaceId, UnitId};
use crate::slug::Slug;
use crate::translation::{NamedText, Translated};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    CulturalHouse,
    CommuneOffice,
    BorderStation,
    Checkpoint,
    PatrolPoint,
    Other,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 6] = [
        Self::CulturalHouse,
        Self::CommuneOffice,
        Self::BorderStation,
        Self::Checkpoint,
        Self::PatrolPoint,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CulturalHouse => "cultural_house",
            Self::CommuneOffice => "commune_office",
            Self::BorderStation => "border_station",
            Self::Checkpoint => "checkpoint",
            Self::PatrolPoint => "patrol_point",
            Self::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or_else(|| ValidationError::new("kind", format!("unknown place kind `{value}`")))
    }
}

/// WGS 84 position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    latitude: f64,
    longitude: f64,
}

impl Coordinates {
    pub fn new(latitude: f64, longitude: f64) -> Result<Self, ValidationError> {
        if !(-90.0..=90.0).contains(&latitude) {
            return Err(ValidationError::new("latitude", "must be between -90 and 90"));
        }
        if !(-180.0..=180.0).contains(&longitude) {
            return Err(ValidationError::new("longitude", "must be between -180 and 180"));
        }
        Ok(Self { latitude, longitude })
    }

    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    pub fn longitude(&self) -> f64 {
        self.longitude
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub id: PlaceId,
    pub slug: Slug,
    pub kind: PlaceKind,
    pub unit_id: UnitId,
    pub commune: Option<String>,
    pub village: Option<String>,
    pub location: Option<Coordinates>,
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

    #[test]
    fn coordinates_are_range_checked() {
        assert!(Coordinates::new(21.6, 107.2).is_ok());
        assert_eq!(Coordinates::new(91.0, 0.0).expect_err("lat").field, "latitude");
        assert_eq!(Coordinates::new(0.0, -180.5).expect_err("lon").field, "longitude");
        assert!(Coordinates::new(f64::NAN, 0.0).is_err(), "NaN is not a position");
    }

    #[test]
    fn kinds_round_trip() {
        for k in PlaceKind::ALL {
            assert_eq!(PlaceKind::parse(k.as_str()), Ok(k));
        }
        assert!(PlaceKind::parse("market").is_err());
    }
}
