//! Scans as GraphQL shows them: what `recordScan` answers, and the events of the live feed.

use super::QrCode;
use crate::context::Lens;
use async_graphql::{Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use frontier_domain as d;

/// How a scan ended.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "d::ScanOutcome")]
pub enum ScanOutcome {
    /// The reader was sent to the code's target.
    Ok,
    /// The code is switched off, or retired with its place or unit.
    Disabled,
    /// The code's expiry date has passed.
    Expired,
    /// No such code.
    UnknownCode,
    /// The code works, but what it opens is not public now (not published yet, expired, archived).
    TargetUnavailable,
}

/// The kind of client behind a scan. Bots and link previews never count as people.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "d::DeviceClass")]
pub enum DeviceClass {
    /// An Android phone or tablet.
    Android,
    /// An iPhone or iPad.
    Ios,
    /// A desktop or laptop browser.
    Desktop,
    /// A person on something else (a KaiOS phone, an unknown browser).
    Other,
    /// A crawler, a monitor, a script, or a `HEAD` request.
    Bot,
    /// A chat app or network drawing a preview of a shared link.
    LinkPreview,
}

/// What `recordScan` did.
#[derive(SimpleObject)]
pub struct RecordedScan {
    /// The id the app chose.
    pub scan_id: ID,
    /// How the scan ended.
    pub outcome: ScanOutcome,
    /// The kind of client, as the platform given or the user agent says.
    pub device: DeviceClass,
    /// The same visitor scanned the same code less than 30 minutes before.
    pub repeat: bool,
    /// Counted in the human figures (a person's device, not a repeat).
    pub counted: bool,
    /// This `scanId` was recorded before: nothing new was stored, the answer is the first one's.
    pub duplicate: bool,
    /// When it was recorded (UTC).
    pub recorded_at: DateTime<Utc>,
    /// The code scanned, when it exists and readers may see it; its `target` is what to open.
    pub code: Option<QrCode>,
}

impl RecordedScan {
    pub fn new(scan_id: ID, scanned: &frontier_store::Scanned, code: Option<d::QrCode>, lens: Lens) -> Self {
        let e = &scanned.event;
        Self {
            scan_id,
            outcome: e.outcome.into(),
            device: e.device.into(),
            repeat: e.repeat,
            counted: e.counts(),
            duplicate: scanned.duplicate,
            recorded_at: e.occurred_at,
            code: code.map(|q| QrCode::new(q, lens)),
        }
    }
}
