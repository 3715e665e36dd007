//! Scan events: one row per request to a code's public URL (or per `recordScan` of an app), the raw
//! material of the statistics, and the rules that decide what counts.

use crate::device::DeviceClass;
use crate::id::{PlaceId, QrCodeId, ScanId, UnitId};
use crate::locale::Locale;
use crate::qr::QrTarget;
use crate::visitor::VisitorKey;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The same visitor scanning the same code again within this time is a repeat, not a new scan.
pub const REPEAT_WINDOW: Duration = Duration::minutes(30);

/// Whether a scan at `at` repeats one of the same visitor and code made at `previous`.
pub fn is_repeat(previous: Option<DateTime<Utc>>, at: DateTime<Utc>) -> bool {
    previous.is_some_and(|p| p <= at && at - p < REPEAT_WINDOW)
}

/// Whether a scan from `device` takes part in the repeat rule at all. Only people's scans repeat
/// and are repeated: a HEAD request or a chat app's preview fetched from the same phone is no scan
/// by the person, so it neither makes their next scan a repeat nor is one itself (it is a bot's).
pub fn takes_part_in_repeats(device: DeviceClass) -> bool {
    device.is_human()
}

/// Longest unknown code text kept with a scan: enough to see what was mistyped, too short to store junk.
pub const MAX_SCANNED_TEXT: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanOutcome {
    /// The code exists and is active: the reader was sent to its target.
    Ok,
    /// The code exists but is switched off (or retired with its place or unit).
    Disabled,
    /// The code's expiry date has passed.
    Expired,
    /// No such code (mistyped, malformed, or a poster from another system).
    UnknownCode,
    /// The code is active, but what it opens is not public at that moment (not yet published,
    /// expired, archived): the reader got a "not available" page instead of the content.
    TargetUnavailable,
}

impl ScanOutcome {
    pub const ALL: [ScanOutcome; 5] =
        [Self::Ok, Self::Disabled, Self::Expired, Self::UnknownCode, Self::TargetUnavailable];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Disabled => "disabled",
            Self::Expired => "expired",
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
    /// The calendar day of the scan in the statistics' time zone.
    pub local_day: NaiveDate,
    pub device: DeviceClass,
    /// The same visitor scanned the same code less than [`REPEAT_WINDOW`] before.
    pub repeat: bool,
    /// A hash that tells one day's visitors apart (see [`crate::visitor`]); `None` for scans that
    /// came without a client (imports, tests).
    pub visitor: Option<VisitorKey>,
    pub source: ScanSource,
}

impl ScanEvent {
    /// Counts in the human figures: a person's device, not a repeat.
    pub fn counts(&self) -> bool {
        self.device.is_human() && !self.repeat
    }
}

/// How a scan reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanSource {
    /// A phone opened the code's URL (`GET /q/{code}`).
    Link,
    /// An app scanned in-app and told the API (`recordScan`).
    App,
}

impl ScanSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Link => "link",
            Self::App => "app",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Link, Self::App].into_iter().find(|s| s.as_str() == value)
    }
}

/// Cleans what came in the URL so it can be stored safely: trimmed, upper case, bounded, and each
/// character that is not printable ASCII shown as `?`. Shown, not dropped: `K4PVHZ` followed by a
/// NUL byte is not the code K4PVHZ (it is an unknown code), and its stored text must not read as if
/// it were.
pub fn scanned_text(raw: &str) -> String {
    let text = raw.trim();
    // Only white space: still say that something was scanned.
    if text.is_empty() && !raw.is_empty() {
        return "?".to_owned();
    }
    text.chars()
        .take(MAX_SCANNED_TEXT)
        .map(|c| if c.is_ascii_graphic() { c.to_ascii_uppercase() } else { '?' })
        .collect()
}

/// The code in what an app's camera read: the symbols hold a URL (`HTTPS://HOST/Q/7KX2MP`), and an
/// app that hands the decoded text on as it is means the code at its end. Any host is taken: a
/// poster printed before the server moved still names a code of this one. Anything that is not
/// such a URL is returned as it is (a code typed by hand, or something else to record as unknown).
pub fn code_in(read: &str) -> &str {
    let text = read.trim();
    let Some(scheme_end) = text.find("://") else { return text };
    if !["http", "https"].iter().any(|s| text[..scheme_end].eq_ignore_ascii_case(s)) {
        return text;
    }
    let after_scheme = &text[scheme_end + 3..];
    let Some(path_start) = after_scheme.find('/') else { return text };
    let path = &after_scheme[path_start..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    match path.strip_prefix("/q/").or_else(|| path.strip_prefix("/Q/")) {
        Some(code) if !code.is_empty() && !code.contains('/') => code,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_of_a_scanned_url_is_its_last_segment() {
        assert_eq!(code_in("HTTPS://BIENPHONG.LANGSON.GOV.VN/Q/K4PVHZ"), "K4PVHZ");
        assert_eq!(code_in("http://127.0.0.1:8080/q/k4pvhz/"), "k4pvhz");
        assert_eq!(code_in("  https://example.org/Q/K4PVHZ?lang=fr#top \n"), "K4PVHZ");
        assert_eq!(code_in("K4PVHZ"), "K4PVHZ", "a typed code");
        assert_eq!(code_in(" k4pvhz "), "k4pvhz");
        // Not a scan URL: kept whole, so it is recorded as the unknown text it is.
        for other in [
            "https://example.org/p/nha-van-hoa",
            "https://example.org/q/",
            "https://example.org/q/K4PVHZ/more",
            "https://example.org",
            "ftp://example.org/q/K4PVHZ",
            "WIFI:S:border;T:WPA;P:secret;;",
        ] {
            assert_eq!(code_in(other), other, "{other}");
        }
    }

    #[test]
    fn scanned_text_is_bounded_and_printable() {
        assert_eq!(scanned_text("bx7k2m"), "BX7K2M");
        assert_eq!(scanned_text(" bx7k2m\n"), "BX7K2M", "white space around a code is no part of it");
        assert_eq!(scanned_text("K4PVHZ\u{0}"), "K4PVHZ?", "a code with a NUL byte does not read as the code");
        assert_eq!(scanned_text("a\u{0}b\nc ệ"), "A?B?C??");
        assert_eq!(scanned_text(&"z".repeat(500)).len(), MAX_SCANNED_TEXT);
        assert_eq!(scanned_text(&"ệ".repeat(500)), "?".repeat(MAX_SCANNED_TEXT), "bounded in characters");
        assert_eq!(scanned_text("\u{FFFD}\u{FFFD}"), "??");
        assert_eq!(scanned_text("  "), "?");
        assert_eq!(scanned_text(""), "");
    }

    #[test]
    fn repeats_are_within_thirty_minutes() {
        let at = |m: i64| DateTime::<Utc>::from_timestamp(1_764_720_000 + m * 60, 0).expect("time");
        assert!(!is_repeat(None, at(0)), "a first scan");
        assert!(is_repeat(Some(at(0)), at(0)), "a double tap");
        assert!(is_repeat(Some(at(0)), at(29)));
        assert!(is_repeat(Some(at(0)), at(30) - Duration::seconds(1)));
        assert!(!is_repeat(Some(at(0)), at(30)), "thirty minutes later is a new scan");
        assert!(!is_repeat(Some(at(10)), at(0)), "a later scan is not what this one repeats");
    }

    #[test]
    fn outcomes_round_trip() {
        for o in ScanOutcome::ALL {
            assert_eq!(ScanOutcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(ScanOutcome::parse("fine"), None);
    }
}
