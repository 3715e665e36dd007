//! Scan events: one row per request to a code's public URL, the raw material of the statistics.

use crate::id::{PlaceId, QrCodeId, ScanId, UnitId};
use crate::locale::Locale;
use crate::qr::QrTarget;
use chrono::{DateTime, Utc};

/// Longest unknown code text kept with a scan: enough to see what was mistyped, too short to store junk.
pub const MAX_SCANNED_TEXT: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanOutcome {
    /// The code exists and is active: the reader was sent to its target.
    Ok,
    /// The code exists but is switched off.
    Inactive,
    /// No such code (mistyped, malformed, or a poster from another system).
    UnknownCode,
    /// The code is active, but what it opens is not public at that moment (not yet published,
    /// expired, archived): the reader got a "not available" page instead of the content.
    TargetUnavailable,
}

impl ScanOutcome {
    pub const ALL: [ScanOutcome; 4] = [Self::Ok, Self::Inactive, Self::UnknownCode, Self::TargetUnavailable];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Inactive => "inactive",
            Self::UnknownCode => "unknown_code",
            Self::TargetUnavailable => "target_unavailable",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == value)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScanEvent {
    pub id: ScanId,
    pub occurred_at: DateTime<Utc>,
    /// The code as scanned, upper-cased and cut to [`MAX_SCANNED_TEXT`] (kept for unknown codes too).
    pub scanned_text: String,
    pub qr_code_id: Option<QrCodeId>,
    pub place_id: Option<PlaceId>,
    pub unit_id: Option<UnitId>,
    /// The code's target at the moment of the scan (targets can change later).
    pub target: Option<QrTarget>,
    pub outcome: ScanOutcome,
    /// The reader's preferred language, when the phone sent one.
    pub locale: Option<Locale>,
}

/// Cleans what came in the URL so it can be stored safely: upper case, printable ASCII only, bounded.
pub fn scanned_text(raw: &str) -> String {
    let text: String = raw.chars().filter(|c| c.is_ascii_graphic()).take(MAX_SCANNED_TEXT).collect();
    // Nothing printable left: still say that something was scanned.
    if text.is_empty() && !raw.is_empty() { "?".to_owned() } else { text.to_ascii_uppercase() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanned_text_is_bounded_and_printable() {
        assert_eq!(scanned_text("bx7k2m"), "BX7K2M");
        assert_eq!(scanned_text("a\u{0}b\nc ệ"), "ABC");
        assert_eq!(scanned_text(&"z".repeat(500)).len(), MAX_SCANNED_TEXT);
        assert_eq!(scanned_text("\u{FFFD}\u{FFFD}"), "?");
        assert_eq!(scanned_text(""), "");
    }

    #[test]
    fn outcomes_round_trip() {
        for o in ScanOutcome::ALL {
            assert_eq!(ScanOutcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(ScanOutcome::parse("fine"), None);
    }
}
