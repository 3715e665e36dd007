//! Today's visitor-key secret. It is drawn at random when the first scan of a local day arrives and
//! lives only in this process's memory; when the day ends it is replaced, and the old one is gone for
//! good (see `frontier_domain::visitor`). A restart during the day draws a new one: a phone that scans
//! before and after it counts as two visitors that day, the price of never writing the key to disk.

use chrono::{DateTime, NaiveDate, Utc};
use frontier_domain::{DayKey, StatsZone, VisitorKey};
use std::net::IpAddr;
use std::sync::Mutex;

pub struct VisitorDays {
    zone: StatsZone,
    today: Mutex<Option<(NaiveDate, DayKey)>>,
}

impl VisitorDays {
    pub fn new(zone: StatsZone) -> Self {
        Self { zone, today: Mutex::new(None) }
    }

    /// The key of a client at `now`. No address (a test socket without one) still gives a key: all
    /// such scans of a day count as one visitor.
    pub fn key(&self, now: DateTime<Utc>, address: Option<IpAddr>, user_agent: &str) -> VisitorKey {
        let day = self.zone.day_of(now);
        let address = address.map(|a| a.to_string()).unwrap_or_default();
        let mut today = self.today.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match today.as_ref() {
            Some((d, key)) if *d == day => key.visitor(&address, user_agent),
            _ => {
                let key = DayKey::new(rand::random());
                let visitor = key.visitor(&address, user_agent);
                // Dropping the previous day's key wipes it (DayKey zeroes itself).
                *today = Some((day, key));
                visitor
            }
        }
    }
}

impl frontier_graphql::VisitorKeys for VisitorDays {
    fn key(&self, now: DateTime<Utc>, address: Option<IpAddr>, user_agent: &str) -> VisitorKey {
        VisitorDays::key(self, now, address, user_agent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn one_key_per_local_day() {
        let days = VisitorDays::new(StatsZone::default());
        let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 12, 3, h, m, 0).single().expect("time");
        let phone = Some("113.160.1.1".parse().expect("ip"));
        let morning = days.key(at(1, 0), phone, "Android");
        assert_eq!(days.key(at(16, 59), phone, "Android"), morning, "still the 3rd in Hà Nội");
        assert_ne!(days.key(at(17, 0), phone, "Android"), morning, "midnight in Hà Nội: a new day, a new key");
        assert_ne!(
            days.key(at(17, 1), Some("113.160.1.2".parse().expect("ip")), "Android"),
            days.key(at(17, 1), phone, "Android")
        );
    }
}
