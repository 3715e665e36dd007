//! The repeat window in the scan writer's memory: when each (visitor, code) was last scanned, for
//! as long as a scan can still repeat it ([`REPEAT_WINDOW`]). A text that is no code counts as what
//! was scanned too: a phone retrying a torn or misprinted poster is one person, not several.
//!
//! Memory is enough, and no weaker than a database lookup: a visitor key is an HMAC under a day key
//! that lives only in this process (`frontier_server::visitors`), so after a restart, or on another
//! server, every phone has a new key and no stored scan can match it. The map is bounded: a flood
//! of made-up visitors forgets its oldest entries first (their next scan counts as a first one).

use chrono::{DateTime, Duration, Utc};
use frontier_domain::scan::{REPEAT_WINDOW, takes_part_in_repeats};
use frontier_domain::{DeviceClass, QrCodeId, VisitorKey};
use std::collections::HashMap;

/// What a scan was of, for the repeat rule: a code, or (when no code has it) the scanned text, by
/// its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Subject {
    Code(QrCodeId),
    Text(u64),
}

impl Subject {
    /// The code when there is one, else the text as stored (`scan::scanned_text`).
    pub(crate) fn of(code: Option<QrCodeId>, text: &str) -> Self {
        match code {
            Some(c) => Self::Code(c),
            None => {
                let mut h = std::hash::DefaultHasher::new();
                std::hash::Hash::hash(text, &mut h);
                Self::Text(std::hash::Hasher::finish(&h))
            }
        }
    }
}

/// (visitor key as its 128 bits, what was scanned): no string is allocated per scan.
type Pair = (u128, Subject);

/// Entries kept at most (~50 bytes each). A border post sees far fewer pairs in 30 minutes.
const MAX_PAIRS: usize = 1 << 18;
/// How often expired entries are swept out (one pass over the map).
const SWEEP_EVERY: Duration = Duration::seconds(60);

#[derive(Debug)]
pub(crate) struct RecentScans {
    last: HashMap<Pair, DateTime<Utc>>,
    next_sweep: Option<DateTime<Utc>>,
    max: usize,
}

impl Default for RecentScans {
    fn default() -> Self {
        Self::with_capacity_limit(MAX_PAIRS)
    }
}

fn pair(visitor: &VisitorKey, code: Subject) -> Option<Pair> {
    // A visitor key is always 32 hex digits (`VisitorKey::parse`), which is exactly a u128.
    u128::from_str_radix(visitor.as_str(), 16).ok().map(|v| (v, code))
}

impl RecentScans {
    fn with_capacity_limit(max: usize) -> Self {
        Self { last: HashMap::new(), next_sweep: None, max }
    }

    /// The pair of a scan that can repeat or be repeated: a person's scan (`takes_part_in_repeats`)
    /// with a visitor.
    pub(crate) fn pair_of(visitor: Option<&VisitorKey>, scanned: Subject, device: DeviceClass) -> Option<Pair> {
        if !takes_part_in_repeats(device) {
            return None;
        }
        pair(visitor?, scanned)
    }

    /// When this pair was last scanned, if within the window before `at` (or later than `at`).
    pub(crate) fn last(&self, pair: &Pair) -> Option<DateTime<Utc>> {
        self.last.get(pair).copied()
    }

    /// Whether a scan of `pair` at `at` repeats one already noted.
    #[cfg(test)]
    fn repeats(&self, pair: &Pair, at: DateTime<Utc>) -> bool {
        frontier_domain::scan::is_repeat(self.last(pair), at)
    }

    /// Notes committed scans. Call only after their transaction committed: a batch that rolled back
    /// is tried again and must not find itself.
    pub(crate) fn note(&mut self, pair: Pair, at: DateTime<Utc>) {
        let last = self.last.entry(pair).or_insert(at);
        // The latest scan is the one a later scan may repeat (a clock set back keeps the later one).
        *last = (*last).max(at);
        if self.last.len() > self.max {
            self.shrink(at);
        }
    }

    /// Forgets what no scan at `now` or later can repeat; cheap unless a sweep is due.
    pub(crate) fn prune(&mut self, now: DateTime<Utc>) {
        match self.next_sweep {
            Some(due) if now < due => {}
            _ => {
                // Kept: what a scan at `now` could still repeat, and anything dated after `now`.
                self.last.retain(|_, at| now - *at < REPEAT_WINDOW);
                self.next_sweep = Some(now + SWEEP_EVERY);
            }
        }
    }

    /// Over the limit: drop what has expired, then, if still too many, the older half.
    fn shrink(&mut self, now: DateTime<Utc>) {
        self.next_sweep = None;
        self.prune(now);
        if self.last.len() > self.max {
            let mut times: Vec<DateTime<Utc>> = self.last.values().copied().collect();
            let middle = times.len() / 2;
            let (_, cut, _) = times.select_nth_unstable(middle);
            let cut = *cut;
            self.last.retain(|_, at| *at > cut);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.last.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).single().expect("time") + Duration::minutes(min)
    }

    fn visitor(n: u8) -> VisitorKey {
        VisitorKey::parse(&format!("{n:032x}")).expect("key")
    }

    #[test]
    fn a_repeat_is_the_same_visitor_and_code_within_the_window() {
        let (a, b) = (Subject::Code(QrCodeId::generate()), Subject::Code(QrCodeId::generate()));
        let mut recent = RecentScans::default();
        let first = RecentScans::pair_of(Some(&visitor(1)), a, DeviceClass::Android).expect("pair");
        recent.note(first, at(0));
        assert!(recent.repeats(&first, at(29)));
        assert!(!recent.repeats(&first, at(31)));
        assert!(!recent.repeats(&(pair(&visitor(2), a).expect("pair")), at(1)), "another visitor");
        assert!(!recent.repeats(&(pair(&visitor(1), b).expect("pair")), at(1)), "another code");
        assert_eq!(RecentScans::pair_of(None, a, DeviceClass::Android), None, "no visitor, nothing to repeat");
        for bot in [DeviceClass::Bot, DeviceClass::LinkPreview] {
            assert_eq!(RecentScans::pair_of(Some(&visitor(1)), a, bot), None, "a bot's fetch is no person's scan");
        }
    }

    #[test]
    fn the_same_unknown_text_repeats_another_does_not() {
        let mut recent = RecentScans::default();
        let torn = |text: &str| RecentScans::pair_of(Some(&visitor(1)), Subject::of(None, text), DeviceClass::Ios);
        recent.note(torn("YYYYYY").expect("pair"), at(0));
        assert!(recent.repeats(&torn("YYYYYY").expect("pair"), at(5)), "the same text again");
        assert!(!recent.repeats(&torn("YYYYYZ").expect("pair"), at(5)), "another text");
        let code = QrCodeId::generate();
        assert_eq!(Subject::of(Some(code), "YYYYYY"), Subject::Code(code), "a code is its id, whatever the text");
    }

    #[test]
    fn expired_entries_are_swept_and_the_map_stays_bounded() {
        let code = Subject::Code(QrCodeId::generate());
        let mut recent = RecentScans::with_capacity_limit(100);
        for n in 0..50 {
            recent.note(pair(&visitor(n), code).expect("pair"), at(0));
        }
        recent.prune(at(0));
        assert_eq!(recent.len(), 50, "nothing expired yet");
        recent.prune(at(31));
        assert_eq!(recent.len(), 0, "31 minutes later nothing can repeat");

        for n in 0..=200u8 {
            recent.note(pair(&visitor(n), code).expect("pair"), at(40) + Duration::seconds(i64::from(n)));
        }
        assert!(recent.len() <= 100, "bounded: {}", recent.len());
        let newest = pair(&visitor(200), code).expect("pair");
        assert!(recent.repeats(&newest, at(41) + Duration::seconds(200)), "the newest entries are kept");
    }
}
