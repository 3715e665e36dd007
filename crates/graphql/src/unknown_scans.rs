//! `unknownCodeScans`: what was scanned that is no code, for the province. Such scans belong to no
//! unit, so only those who read the whole province's statistics (its admins and analysts) see them.

use crate::context::{clock, store};
use crate::error::{ApiResult, OrApi, bad_input};
use crate::guard::require_everywhere;
use async_graphql::{Context, SimpleObject};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use frontier_domain::{Action, DayRange, StatsZone};

/// Days counted when no `from` is given.
const DEFAULT_DAYS: i64 = 30;
/// Most texts one answer lists.
const MAX_LIMIT: i32 = 100;

/// The scans of a period whose text is no code (a misprinted or foreign poster, a mistyped code).
#[derive(SimpleObject)]
pub struct UnknownCodeScans {
    /// First day counted (local, included).
    from: NaiveDate,
    /// Last day counted (local, included).
    to: NaiveDate,
    /// All unknown-code scans of the period.
    total: i64,
    /// The most scanned texts, most scanned first.
    texts: Vec<UnknownCodeText>,
}

/// One text that was scanned and is no code.
#[derive(SimpleObject)]
pub struct UnknownCodeText {
    /// As stored: trimmed, in upper case, each character that is not printable ASCII shown as `?`.
    text: String,
    /// Scans of it in the period.
    scans: i64,
    /// Of those, scans by people (a phone scanning the same text again within 30 minutes, bots and
    /// link previews left out).
    people: i64,
    /// Its last scan in the period.
    last_scanned_at: DateTime<Utc>,
}

/// The unknown-code scans of `from`..=`to` (default: the 30 days ending today), `limit` texts.
pub(crate) async fn unknown_code_scans(
    ctx: &Context<'_>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    limit: Option<i32>,
) -> ApiResult<UnknownCodeScans> {
    require_everywhere(ctx, Action::ReadStats)?;
    let limit = limit.unwrap_or(20);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad_input("limit", format!("must be between 1 and {MAX_LIMIT}")));
    }
    let zone = ctx.data_opt::<StatsZone>().copied().unwrap_or_default();
    let to = to.unwrap_or_else(|| zone.day_of(clock(ctx).now()));
    let from = from.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
    let days = DayRange::new(from, to).map_err(|e| bad_input(e.field, e.message))?;
    let found = store(ctx).unknown_scans(days, usize::try_from(limit).unwrap_or(1)).await.api()?;
    let texts = found
        .texts
        .into_iter()
        .map(|t| UnknownCodeText { text: t.text, scans: t.scans, people: t.people, last_scanned_at: t.last_at })
        .collect();
    Ok(UnknownCodeScans { from, to, total: found.total, texts })
}
