//! One event of the live feed (`Subscription.scanRecorded`): a committed scan as the command's wall
//! dashboard shows it. Never the visitor key: it tells one day's visitors apart and stays private.

use super::qr_code::{load_target, target_node_id};
use super::{DeviceClass, Place, QrCode, QrTarget, ScanOutcome, Unit};
use crate::context::{Lens, loader};
use crate::error::{ApiResult, OrApi};
use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, NaiveDate, Utc};
use frontier_domain as d;

/// How a scan reached the server.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "d::ScanSource")]
pub enum ScanSource {
    /// A phone opened the code's URL (`/q/{code}`).
    Link,
    /// An app scanned in-app and called `recordScan`.
    App,
}

/// A scan the server has just recorded (committed), with what it was a scan of.
pub struct ScanFeedItem {
    event: d::ScanEvent,
    skipped_before: u64,
    /// The public view at the moment the event arrived, with a loader of its own (see `Lens::own`).
    lens: Lens,
}

impl ScanFeedItem {
    pub(crate) fn new(event: d::ScanEvent, skipped_before: u64, lens: Lens) -> Self {
        Self { event, skipped_before, lens }
    }
}

/// A scan the server has just recorded (committed), with what it was a scan of. Relations are read
/// as the public sees them when the event is sent: archived records and unpublished targets are null.
#[Object]
impl ScanFeedItem {
    /// When it was recorded (UTC).
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.event.occurred_at
    }

    /// The calendar day it counts on, in the statistics' time zone (`FRONTIER_TIME_ZONE`).
    async fn local_day(&self) -> NaiveDate {
        self.event.local_day
    }

    /// How the scan ended.
    async fn outcome(&self) -> ScanOutcome {
        self.event.outcome.into()
    }

    /// The kind of client behind it.
    async fn device(&self) -> DeviceClass {
        self.event.device.into()
    }

    /// A person's device (not a bot or a link preview).
    async fn human(&self) -> bool {
        self.event.device.is_human()
    }

    /// The same visitor scanned the same code less than 30 minutes before.
    async fn repeat(&self) -> bool {
        self.event.repeat
    }

    /// Counted in the human figures: a person's device, not a repeat.
    async fn counted(&self) -> bool {
        self.event.counts()
    }

    /// The reader's preferred language (BCP 47), when the phone or app sent one.
    async fn locale(&self) -> Option<String> {
        self.event.locale.as_ref().map(ToString::to_string)
    }

    /// A link opened by a phone, or an app's `recordScan`.
    async fn source(&self) -> ScanSource {
        self.event.source.into()
    }

    /// The code as scanned (upper case), also when `code` is null.
    async fn scanned_code(&self) -> &str {
        &self.event.scanned_text
    }

    /// The code scanned; null when readers cannot see it (archived).
    async fn code(&self, ctx: &Context<'_>) -> ApiResult<Option<QrCode>> {
        let Some(id) = self.event.qr_code_id else { return Ok(None) };
        Ok(loader(ctx, &self.lens).load_one(id).await.api()?.map(|q| QrCode::new(q, self.lens.clone())))
    }

    /// The place the code hangs in; null when readers cannot see it (archived).
    async fn place(&self, ctx: &Context<'_>) -> ApiResult<Option<Place>> {
        let Some(id) = self.event.place_id else { return Ok(None) };
        Ok(loader(ctx, &self.lens).load_one(id).await.api()?.map(|p| Place::new(p, self.lens.clone())))
    }

    /// The unit that owns the place; null when readers cannot see it (archived).
    async fn unit(&self, ctx: &Context<'_>) -> ApiResult<Option<Unit>> {
        let Some(id) = self.event.unit_id else { return Ok(None) };
        Ok(loader(ctx, &self.lens).load_one(id).await.api()?.map(|u| Unit::new(u, self.lens.clone())))
    }

    /// What the code opened at the moment of the scan; null when it is not public now (a draft, a
    /// scheduled or expired article, something archived: see `outcome` and `targetId`).
    async fn target(&self, ctx: &Context<'_>) -> ApiResult<Option<QrTarget>> {
        match self.event.target {
            Some(t) => load_target(ctx, t, &self.lens).await,
            None => Ok(None),
        }
    }

    /// The global id of what the code opened at the moment of the scan, public or not.
    async fn target_id(&self) -> Option<ID> {
        self.event.target.map(target_node_id)
    }

    /// Scans (of any unit) this subscriber missed just before this one because it fell behind the
    /// feed; normally 0. When it is not, figures shown from the feed alone are short: refetch them.
    async fn skipped_before(&self) -> i32 {
        i32::try_from(self.skipped_before).unwrap_or(i32::MAX)
    }
}
