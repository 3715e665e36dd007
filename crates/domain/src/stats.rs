//! How scans are counted for the command. Four numbers per group, all additive:
//!
//! - `people`: scans by a person's device that are not repeats (what "scans" means to an officer);
//! - `repeats`: a person scanning the same code again within the repeat window;
//! - `bots`: crawlers, link checkers and chat apps drawing link previews;
//! - `visitors`: distinct visitors per local day. A visitor key only tells phones apart within one
//!   day (see [`crate::visitor`]), so over a week the figure is visitor-days: the same phone on two
//!   days counts twice. That keeps it additive, and honest about what the keys can tell.

use crate::calendar::{month_of, week_of};
use crate::error::ValidationError;
use chrono::{Datelike, Duration, Months, NaiveDate};

/// The longest period one statistics request may cover (about three years of days).
pub const MAX_DAYS: i64 = 1_100;

/// Scans counted the statistics' way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub people: u64,
    pub repeats: u64,
    pub bots: u64,
    pub visitors: u64,
}

impl Tally {
    /// Every scan recorded: people, their repeats and bots.
    pub fn scans(&self) -> u64 {
        self.people + self.repeats + self.bots
    }

    /// The share of people's scans that were repeats; `None` when people made none.
    pub fn repeat_share(&self) -> Option<f64> {
        let human = self.people + self.repeats;
        (human > 0).then(|| self.repeats as f64 / human as f64)
    }

    /// Without the bots (for `humanOnly`).
    pub fn human(self) -> Self {
        Self { bots: 0, ..self }
    }
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Self) {
        self.people += other.people;
        self.repeats += other.repeats;
        self.bots += other.bots;
        self.visitors += other.visitors;
    }
}

impl std::iter::Sum for Tally {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        let mut total = Self::default();
        for t in iter {
            total += t;
        }
        total
    }
}

/// Local calendar days from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    from: NaiveDate,
    to: NaiveDate,
}

impl DayRange {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, ValidationError> {
        if to < from {
            return Err(ValidationError::new("to", format!("ends ({to}) before it starts ({from})")));
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_DAYS {
            return Err(ValidationError::new(
                "from",
                format!("covers {days} days; ask for at most {MAX_DAYS} at a time"),
            ));
        }
        Ok(Self { from, to })
    }

    /// The `days` days that end with `last`.
    pub fn ending(last: NaiveDate, days: i64) -> Result<Self, ValidationError> {
        Self::new(last - Duration::days(days.max(1) - 1), last)
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let (from, to) = (self.from, self.to);
        from.iter_days().take_while(move |d| *d <= to)
    }
}

/// A stretch of calendar the numbers are summed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    Month,
}

impl Period {
    /// The first day of the period `day` falls in.
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Self::Day => day,
            Self::Week => week_of(day),
            Self::Month => month_of(day),
        }
    }

    /// The last day of the period that starts on `start`.
    pub fn end(self, start: NaiveDate) -> NaiveDate {
        self.next(start).pred_opt().unwrap_or(start)
    }

    /// The first day of the next period.
    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Self::Day => start + Duration::days(1),
            Self::Week => start + Duration::days(7),
            Self::Month => start.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX),
        }
    }

    /// How a period is written: `2026-12-04`, `2026-W49`, `2026-12`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Self::Day => start.format("%Y-%m-%d").to_string(),
            Self::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Self::Month => start.format("%Y-%m").to_string(),
        }
    }

    /// Per-day tallies summed into this period's stretches over `range`, every stretch present (a
    /// quiet week is a zero, not a gap a chart would skip). The first and last stretch may be cut
    /// by the range: a week that starts before `from` is labelled by its Monday but counts only the
    /// days inside.
    pub fn series(
        self,
        range: DayRange,
        days: impl IntoIterator<Item = (NaiveDate, Tally)>,
    ) -> Vec<(NaiveDate, Tally)> {
        let mut out: Vec<(NaiveDate, Tally)> = Vec::new();
        let mut start = self.start(range.from);
        while start <= range.to {
            out.push((start, Tally::default()));
            start = self.next(start);
        }
        for (day, tally) in days {
            if !range.contains(day) {
                continue;
            }
            let at = self.start(day);
            if let Ok(i) = out.binary_search_by_key(&at, |(s, _)| *s) {
                out[i].1 += tally;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn t(people: u64, repeats: u64, bots: u64, visitors: u64) -> Tally {
        Tally { people, repeats, bots, visitors }
    }

    #[test]
    fn a_tally_adds_up_and_shares_repeats_among_people_only() {
        let x = t(6, 2, 5, 4);
        assert_eq!(x.scans(), 13);
        assert_eq!(x.repeat_share(), Some(0.25));
        assert_eq!(t(0, 0, 9, 0).repeat_share(), None);
        assert_eq!(x.human(), t(6, 2, 0, 4));
        assert_eq!([x, t(1, 1, 1, 1)].into_iter().sum::<Tally>(), t(7, 3, 6, 5));
    }

    #[test]
    fn ranges_are_inclusive_and_bounded() {
        let r = DayRange::new(day(2026, 11, 29), day(2026, 12, 2)).expect("range");
        assert_eq!(r.days().count(), 4);
        assert!(r.contains(day(2026, 12, 2)) && !r.contains(day(2026, 12, 3)));
        assert!(DayRange::new(day(2026, 12, 2), day(2026, 12, 1)).is_err());
        assert!(DayRange::new(day(2024, 1, 1), day(2027, 1, 4)).is_ok()); // 1,100 days
        assert!(DayRange::new(day(2024, 1, 1), day(2027, 1, 5)).is_err());
        let last90 = DayRange::ending(day(2026, 12, 3), 90).expect("range");
        assert_eq!(last90.from(), day(2026, 9, 5));
    }

    #[test]
    fn days_fill_with_zeros() {
        let r = DayRange::new(day(2026, 12, 1), day(2026, 12, 3)).expect("range");
        let s = Period::Day.series(r, [(day(2026, 12, 3), t(2, 0, 0, 1)), (day(2026, 12, 9), t(5, 0, 0, 5))]);
        assert_eq!(
            s,
            vec![
                (day(2026, 12, 1), Tally::default()),
                (day(2026, 12, 2), Tally::default()),
                (day(2026, 12, 3), t(2, 0, 0, 1))
            ]
        );
    }

    #[test]
    fn weeks_start_on_monday_and_cut_at_the_range() {
        // 2026-11-29 is a Sunday: its week is the one of Monday 23 November (ISO week 48).
        let r = DayRange::new(day(2026, 11, 29), day(2026, 12, 8)).expect("range");
        let s = Period::Week.series(
            r,
            [
                (day(2026, 11, 28), t(100, 0, 0, 100)), // before the range: not counted
                (day(2026, 11, 29), t(1, 0, 0, 1)),
                (day(2026, 11, 30), t(2, 1, 0, 2)),
                (day(2026, 12, 6), t(3, 0, 1, 3)),
                (day(2026, 12, 7), t(4, 0, 0, 4)),
            ],
        );
        assert_eq!(
            s,
            vec![
                (day(2026, 11, 23), t(1, 0, 0, 1)),
                (day(2026, 11, 30), t(5, 1, 1, 5)),
                (day(2026, 12, 7), t(4, 0, 0, 4))
            ]
        );
        assert_eq!(Period::Week.label(day(2026, 11, 23)), "2026-W48");
        // ISO week 1 of 2027 starts on Monday 4 January; 1 January 2027 is in 2026's week 53.
        assert_eq!(Period::Week.label(Period::Week.start(day(2027, 1, 1))), "2026-W53");
    }

    #[test]
    fn months_sum_their_days() {
        let r = DayRange::new(day(2026, 1, 31), day(2026, 3, 1)).expect("range");
        let s = Period::Month.series(
            r,
            [(day(2026, 1, 31), t(1, 0, 0, 1)), (day(2026, 2, 28), t(2, 0, 0, 2)), (day(2026, 3, 1), t(3, 0, 0, 3))],
        );
        assert_eq!(
            s,
            vec![(day(2026, 1, 1), t(1, 0, 0, 1)), (day(2026, 2, 1), t(2, 0, 0, 2)), (day(2026, 3, 1), t(3, 0, 0, 3))]
        );
        assert_eq!(Period::Month.label(day(2026, 2, 1)), "2026-02");
        assert_eq!(Period::Month.end(day(2028, 2, 1)), day(2028, 2, 29));
        assert_eq!(Period::Week.end(day(2026, 11, 30)), day(2026, 12, 6));
    }
}
