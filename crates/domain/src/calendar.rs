//! Calendar days of the statistics. A post counts its scans by its own days: a scan at 23:30 UTC is
//! on the next day in Hà Nội (UTC+7). Weeks start on Monday (ISO 8601), as Vietnamese calendars do.

use crate::error::ValidationError;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

pub const DEFAULT_ZONE: &str = "Asia/Ho_Chi_Minh";

/// The time zone days are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsZone(Tz);

impl Default for StatsZone {
    fn default() -> Self {
        Self(chrono_tz::Asia::Ho_Chi_Minh)
    }
}

impl StatsZone {
    /// An IANA zone name (`Asia/Ho_Chi_Minh`, `Europe/Paris`).
    pub fn parse(name: &str) -> Result<Self, ValidationError> {
        name.trim()
            .parse::<Tz>()
            .map(Self)
            .map_err(|_| ValidationError::new("timeZone", format!("`{name}` is not an IANA time zone name")))
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The local calendar day of a moment.
    pub fn day_of(self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }

    /// The first moment of a local day, in UTC (the earliest, should the day start twice).
    pub fn start_of(self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        match self.0.from_local_datetime(&midnight).earliest() {
            Some(t) => t.with_timezone(&Utc),
            // A zone that skips midnight (a DST jump at 00:00): the day starts an hour later.
            None => self.start_of_after_gap(midnight),
        }
    }

    fn start_of_after_gap(self, midnight: chrono::NaiveDateTime) -> DateTime<Utc> {
        let later = midnight + Duration::hours(1);
        self.0.from_local_datetime(&later).earliest().map_or_else(|| later.and_utc(), |t| t.with_timezone(&Utc))
    }
}

/// The Monday that starts the ISO week of `day`.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The first day of the month of `day`.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("time")
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("day")
    }

    #[test]
    fn days_change_at_local_midnight() {
        let hanoi = StatsZone::default();
        assert_eq!(hanoi.name(), "Asia/Ho_Chi_Minh");
        // 23:30 UTC is 06:30 the next morning in Hà Nội; 16:59 UTC is still 23:59 of the same day.
        assert_eq!(hanoi.day_of(utc(2026, 12, 3, 23, 30)), day(2026, 12, 4));
        assert_eq!(hanoi.day_of(utc(2026, 12, 3, 16, 59)), day(2026, 12, 3));
        assert_eq!(hanoi.day_of(utc(2026, 12, 3, 17, 0)), day(2026, 12, 4));
        assert_eq!(hanoi.start_of(day(2026, 12, 4)), utc(2026, 12, 3, 17, 0));
        // New Year's Eve in UTC is already January in Hà Nội.
        assert_eq!(hanoi.day_of(utc(2026, 12, 31, 20, 0)), day(2027, 1, 1));
        let utc_zone = StatsZone::parse("UTC").expect("utc");
        assert_eq!(utc_zone.day_of(utc(2026, 12, 3, 23, 30)), day(2026, 12, 3));
        assert!(StatsZone::parse("Asia/Lang_Son").is_err());
    }

    #[test]
    fn zones_with_daylight_saving_keep_whole_days() {
        // Paris moves to summer time on 29 March 2026 at 02:00: that day lasts 23 hours.
        let paris = StatsZone::parse("Europe/Paris").expect("zone");
        let start = paris.start_of(day(2026, 3, 29));
        let next = paris.start_of(day(2026, 3, 30));
        assert_eq!((start, next - start), (utc(2026, 3, 28, 23, 0), Duration::hours(23)));
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        // 3 December 2026 is a Thursday.
        assert_eq!(week_of(day(2026, 12, 3)), day(2026, 11, 30));
        assert_eq!(week_of(day(2026, 11, 30)), day(2026, 11, 30));
        assert_eq!(week_of(day(2027, 1, 3)), day(2026, 12, 28), "a week across the new year");
        assert_eq!(month_of(day(2026, 12, 31)), day(2026, 12, 1));
    }
}
