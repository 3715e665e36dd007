//! Scans of texts that are no code: a misprinted poster, a code of another system hung nearby, a
//! code typed by hand with a wrong letter. They belong to no unit, so no unit's statistics show
//! them; the province reads them here, by text. Their rows have no unit, and the unit-day index
//! keeps rows without a unit together at its start, so this reads only them.

use crate::Store;
use crate::convert::from_db;
use crate::error::Result;
use crate::schema::scans;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::dsl::{count_star, max, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use frontier_domain::{DayRange, DeviceClass, ScanOutcome};

/// One text scanned in a period that no code has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownText {
    /// As stored: trimmed, upper case, what is not printable shown as `?`.
    pub text: String,
    pub scans: i64,
    /// Scans by people (repeats within 30 minutes, bots and link previews left out), as in the
    /// statistics.
    pub people: i64,
    pub last_at: DateTime<Utc>,
}

/// The unknown-code scans of a period: how many in all, and the most scanned texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownScans {
    pub total: i64,
    pub texts: Vec<UnknownText>,
}

/// `SUM` of the scans by people, repeats left out: the device classes that are not people are
/// constants.
fn people_sql() -> String {
    let not_people: Vec<String> =
        DeviceClass::ALL.into_iter().filter(|d| !d.is_human()).map(|d| format!("'{}'", d.as_str())).collect();
    format!("COALESCE(SUM(CASE WHEN device IN ({}) OR is_repeat THEN 0 ELSE 1 END), 0)", not_people.join(", "))
}

impl Store {
    /// The unknown-code scans of `days` (local days, both included): their number and the `limit`
    /// most scanned texts, most scanned first (ties by text).
    pub async fn unknown_scans(&self, days: DayRange, limit: usize) -> Result<UnknownScans> {
        let (from, to) = (days.from().to_string(), days.to().to_string());
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.scans_settled().await?;
        self.run(move |c| {
            let of_period = || {
                scans::table
                    .filter(scans::unit_id.is_null())
                    .filter(scans::outcome.eq(ScanOutcome::UnknownCode.as_str()))
                    .filter(scans::local_day.ge(from.clone()))
                    .filter(scans::local_day.le(to.clone()))
            };
            let total: i64 = of_period().count().get_result(c)?;
            let rows: Vec<(String, i64, i64, Option<NaiveDateTime>)> = of_period()
                .group_by(scans::scanned_text)
                .select((scans::scanned_text, count_star(), sql::<BigInt>(&people_sql()), max(scans::occurred_at)))
                .order((count_star().desc(), scans::scanned_text))
                .limit(limit)
                .load(c)?;
            let texts = rows
                .into_iter()
                .filter_map(|(text, scans, people, last)| {
                    Some(UnknownText { text, scans, people, last_at: from_db(last?) })
                })
                .collect();
            Ok(UnknownScans { total, texts })
        })
        .await
    }
}
