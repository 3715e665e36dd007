//! QR codes: the short code printed on a poster, the place it hangs in, and what it opens.

use crate::error::ValidationError;
use crate::id::{ArticleId, CategoryId, PlaceId, QrCodeId, UnitId};
use chrono::{DateTime, Utc};
use std::fmt;

/// Characters a code may use: digits and capitals without the look-alikes 0/O and 1/I/L, so a code
/// read aloud or typed from a faded poster is unambiguous.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const MIN_CODE_LEN: usize = 6;
pub const MAX_CODE_LEN: usize = 8;

/// A short code such as `BX7K2M`. Input is case-insensitive; the stored form is upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QrCodeValue(String);

impl QrCodeValue {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let upper = input.trim().to_ascii_uppercase();
        let len = upper.len();
        if !(MIN_CODE_LEN..=MAX_CODE_LEN).contains(&len) {
            return Err(ValidationError::new("code", format!("must be {MIN_CODE_LEN} to {MAX_CODE_LEN} characters")));
        }
        if let Some(bad) = upper.bytes().find(|b| !CODE_ALPHABET.contains(b)) {
            let shown = char::from(bad);
            let msg = if bad.is_ascii_graphic() {
                format!("`{shown}` is not in the code alphabet (digits 2-9 and letters without I, L, O)")
            } else {
                "may contain only digits 2-9 and letters without I, L, O".to_owned()
            };
            return Err(ValidationError::new("code", msg));
        }
        Ok(Self(upper))
    }

    /// A new random code of `len` characters; `pick(n)` must return a uniformly random index below `n`
    /// (the caller owns the random source, so this crate stays free of I/O).
    pub fn generate(len: usize, mut pick: impl FnMut(usize) -> usize) -> Self {
        let len = len.clamp(MIN_CODE_LEN, MAX_CODE_LEN);
        let code =
            (0..len).map(|_| char::from(CODE_ALPHABET[pick(CODE_ALPHABET.len()) % CODE_ALPHABET.len()])).collect();
        Self(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QrCodeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a scan opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QrTarget {
    Article(ArticleId),
    Category(CategoryId),
    Place(PlaceId),
    Unit(UnitId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QrTargetKind {
    Article,
    Category,
    Place,
    Unit,
}

impl QrTargetKind {
    pub const ALL: [QrTargetKind; 4] = [Self::Article, Self::Category, Self::Place, Self::Unit];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Category => "category",
            Self::Place => "place",
            Self::Unit => "unit",
        }
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or_else(|| ValidationError::new("target", format!("unknown target kind `{value}`")))
    }
}

impl QrTarget {
    pub fn kind(&self) -> QrTargetKind {
        match self {
            Self::Article(_) => QrTargetKind::Article,
            Self::Category(_) => QrTargetKind::Category,
            Self::Place(_) => QrTargetKind::Place,
            Self::Unit(_) => QrTargetKind::Unit,
        }
    }

    /// The target's id as text, for storage next to [`QrTargetKind`].
    pub fn id_string(&self) -> String {
        match self {
            Self::Article(id) => id.to_string(),
            Self::Category(id) => id.to_string(),
            Self::Place(id) => id.to_string(),
            Self::Unit(id) => id.to_string(),
        }
    }

    /// Rebuilds a target from its stored kind and id.
    pub fn from_parts(kind: QrTargetKind, id: &str) -> Result<Self, ValidationError> {
        let bad = |_| ValidationError::new("target", format!("`{id}` is not an id"));
        Ok(match kind {
            QrTargetKind::Article => Self::Article(id.parse().map_err(bad)?),
            QrTargetKind::Category => Self::Category(id.parse().map_err(bad)?),
            QrTargetKind::Place => Self::Place(id.parse().map_err(bad)?),
            QrTargetKind::Unit => Self::Unit(id.parse().map_err(bad)?),
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct QrCode {
    pub id: QrCodeId,
    pub code: QrCodeValue,
    pub place_id: PlaceId,
    pub target: QrTarget,
    /// An inactive (disabled) code still resolves to a friendly page, but no longer to its content.
    pub active: bool,
    /// After this moment the code no longer opens its content (a poster for an event, a season).
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set when archived: readers no longer see it (nor what hangs below it).
    pub archived_at: Option<DateTime<Utc>>,
    /// Bumped by every change; an update names the version it edits.
    pub version: i64,
}

impl QrCode {
    /// What a scan at `now` gets before its target is looked at: a switched-off or retired code
    /// (`retired`: its place or unit is archived) is disabled, a code past its date is expired.
    pub fn scan_outcome(&self, now: DateTime<Utc>, retired: bool) -> crate::ScanOutcome {
        if !self.active || self.archived_at.is_some() || retired {
            crate::ScanOutcome::Disabled
        } else if self.expires_at.is_some_and(|end| end <= now) {
            crate::ScanOutcome::Expired
        } else {
            crate::ScanOutcome::Ok
        }
    }
}

/// One entry of a code's target history: from `set_at` on, the code opened `target`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrTargetChange {
    pub target: QrTarget,
    pub set_at: DateTime<Utc>,
    /// Who set it (the audit name of the account).
    pub set_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_is_disabled_expired_or_ok_in_that_order() {
        use crate::ScanOutcome::*;
        let at = |d: u32| {
            DateTime::<Utc>::from_naive_utc_and_offset(
                chrono::NaiveDate::from_ymd_opt(2026, 12, d).and_then(|x| x.and_hms_opt(8, 0, 0)).expect("time"),
                Utc,
            )
        };
        let code = QrCode {
            id: QrCodeId::generate(),
            code: QrCodeValue::parse("BX7K2M").expect("code"),
            place_id: PlaceId::generate(),
            target: QrTarget::Place(PlaceId::generate()),
            active: true,
            expires_at: Some(at(10)),
            created_at: at(1),
            updated_at: at(1),
            archived_at: None,
            version: 1,
        };
        assert_eq!(code.scan_outcome(at(9), false), Ok);
        assert_eq!(code.scan_outcome(at(10), false), Expired, "expired from its moment on");
        assert_eq!(code.scan_outcome(at(9), true), Disabled, "its place or unit is archived");
        let off = QrCode { active: false, ..code.clone() };
        assert_eq!(off.scan_outcome(at(11), false), Disabled, "switched off wins over expired");
        let archived = QrCode { archived_at: Some(at(2)), ..code };
        assert_eq!(archived.scan_outcome(at(3), false), Disabled);
    }

    #[test]
    fn alphabet_has_no_look_alikes() {
        for c in b"01ILO" {
            assert!(!CODE_ALPHABET.contains(c), "{}", char::from(*c));
        }
        assert_eq!(CODE_ALPHABET.len(), 31, "8 digits + 23 letters");
    }

    #[test]
    fn codes_are_case_insensitive_and_stored_upper_case() {
        assert_eq!(QrCodeValue::parse("bx7k2m").expect("ok").as_str(), "BX7K2M");
        assert_eq!(QrCodeValue::parse(" BX7K2MQ9 ").expect("ok").as_str(), "BX7K2MQ9");
    }

    #[test]
    fn malformed_codes_are_rejected() {
        for bad in ["", "BX7K2", "BX7K2MQ9Z", "BX7K2O", "BX7K21", "bx7k2l", "BX-K2M", "BX7K2Ệ", "../../x"] {
            assert_eq!(QrCodeValue::parse(bad).expect_err(bad).field, "code", "{bad}");
        }
    }

    #[test]
    fn generated_codes_parse_back() {
        let mut n = 7usize;
        for len in [6, 7, 8] {
            let code = QrCodeValue::generate(len, |m| {
                n = (n * 31 + 11) % 1009;
                n % m
            });
            assert_eq!(code.as_str().len(), len);
            assert_eq!(QrCodeValue::parse(code.as_str()), Ok(code));
        }
    }

    #[test]
    fn targets_round_trip_through_parts() {
        let t = QrTarget::Place(PlaceId::generate());
        assert_eq!(QrTarget::from_parts(t.kind(), &t.id_string()), Ok(t));
        assert!(QrTarget::from_parts(QrTargetKind::Unit, "nope").is_err());
        assert!(QrTargetKind::parse("video").is_err());
    }
}
