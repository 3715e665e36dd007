//! The last time a person scanned each code (`code_scans`), what "least-used places" and "codes
//! never scanned" read instead of the whole scan history.
//!
//! A person's scan moves its code's moment forward. Written with every batch, that is one random
//! page of `code_scans` per code of the batch: under a crowd of phones most of each commit's pages
//! (the scans themselves go to the ends of their trees). So the scan writer writes these moments in
//! the batch's own transaction only while batches stay small (a post's everyday traffic, phones one
//! after another); under load it keeps them in memory and writes them at most every [`DEFERRED`],
//! at a tick once the load is gone, at a flush and at shutdown. Should the process die with moments in memory, the
//! scans that carried them are on disk: [`repair`] reads the last seconds of scans back at start.

use crate::convert::parse;
use crate::db::DbConnection;
use crate::error::Result;
use crate::scans::Scanned;
use crate::schema::{code_scans, scans};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use frontier_domain::{DeviceClass, QrCodeId, ScanEvent};
use std::collections::HashMap;
use std::time::Duration;

/// The longest a person's scan waits in memory before its code's moment is written (under load).
pub(crate) const DEFERRED: Duration = Duration::from_secs(1);

/// How far back from the newest scan [`repair`] looks: well past [`DEFERRED`], so that a wall clock
/// set back a few seconds meanwhile cannot hide a scan from it.
const REPAIR_WINDOW_MS: u64 = 30_000;

/// The latest moment a person scanned each code (by code id), not yet in `code_scans`.
#[derive(Debug, Default)]
pub(crate) struct LastScans(HashMap<QrCodeId, NaiveDateTime>);

impl LastScans {
    /// The moments of the scans just recorded (retried app calls and bots left out).
    pub fn of(done: &[Scanned]) -> Self {
        let mut out = Self::default();
        for s in done.iter().filter(|s| !s.duplicate && s.event.device.is_human()) {
            if let Some(code) = s.event.qr_code_id {
                out.note(code, crate::convert::to_db(s.event.occurred_at));
            }
        }
        out
    }

    /// The moments of scans about to be stored as they are (an import).
    pub fn of_events<'a>(events: impl IntoIterator<Item = &'a ScanEvent>) -> Self {
        let mut out = Self::default();
        for e in events.into_iter().filter(|e| e.device.is_human()) {
            if let Some(code) = e.qr_code_id {
                out.note(code, crate::convert::to_db(e.occurred_at));
            }
        }
        out
    }

    fn note(&mut self, code: QrCodeId, at: NaiveDateTime) {
        let latest = self.0.entry(code).or_insert(at);
        *latest = (*latest).max(at);
    }

    pub fn merge(&mut self, other: Self) {
        for (code, at) in other.0 {
            self.note(code, at);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Moves each code's stored moment forward to this one (never back: an imported history may be
    /// older than what is there).
    pub fn store(&self, conn: &mut DbConnection) -> Result<()> {
        let codes: Vec<(String, NaiveDateTime)> = self.0.iter().map(|(code, at)| (code.to_string(), *at)).collect();
        let latest: Vec<_> = codes
            .iter()
            .map(|(code, at)| (code_scans::qr_code_id.eq(code.as_str()), code_scans::last_human_at.eq(*at)))
            .collect();
        // Constant SQL: the later of the stored and the new moment (SQLite and PostgreSQL alike).
        let later = "CASE WHEN code_scans.last_human_at < excluded.last_human_at \
                     THEN excluded.last_human_at ELSE code_scans.last_human_at END";
        for chunk in latest.chunks(1_000) {
            let upsert = diesel::insert_into(code_scans::table)
                .values(chunk)
                .on_conflict(code_scans::qr_code_id)
                .do_update()
                .set(code_scans::last_human_at.eq(diesel::dsl::sql::<diesel::sql_types::Timestamp>(later)));
            match conn {
                DbConnection::Sqlite(c) => upsert.execute(c)?,
                DbConnection::Pg(c) => upsert.execute(c)?,
            };
        }
        Ok(())
    }
}

/// The smallest scan id of a millisecond (a version-7 UUID with nothing but its time): ids are
/// time-ordered and compared as text, so every scan recorded from that millisecond on sorts after it.
fn first_id_of(unix_ms: u64) -> String {
    let bits = (u128::from(unix_ms) << 80) | (0x7 << 76) | (0b10 << 62);
    uuid::Uuid::from_u128(bits).to_string()
}

/// Writes the moments of the scans recorded in the last seconds before the newest one, as the scan
/// writer starts: what it held in memory when the process last stopped, should that stop have been
/// a crash. Returns how many codes it looked at.
pub(crate) fn repair(conn: &mut DbConnection) -> Result<usize> {
    let newest: Option<String> = scans::table.select(diesel::dsl::max(scans::id)).first(conn)?;
    let Some(newest) = newest else { return Ok(0) };
    let newest: uuid::Uuid = parse("scans.id", &newest)?;
    let Some((secs, nanos)) = newest.get_timestamp().map(|t| t.to_unix()) else { return Ok(0) };
    let newest_ms = secs.saturating_mul(1_000).saturating_add(u64::from(nanos / 1_000_000));
    let since = first_id_of(newest_ms.saturating_sub(REPAIR_WINDOW_MS));
    let not_people: Vec<&str> =
        DeviceClass::ALL.into_iter().filter(|d| !d.is_human()).map(DeviceClass::as_str).collect();
    let rows: Vec<(Option<String>, Option<NaiveDateTime>)> = scans::table
        .filter(scans::id.ge(&since))
        .filter(scans::qr_code_id.is_not_null())
        .filter(scans::device.ne_all(&not_people))
        .group_by(scans::qr_code_id)
        .select((scans::qr_code_id, diesel::dsl::max(scans::occurred_at)))
        .load(conn)?;
    let mut last = LastScans::default();
    for (code, at) in rows {
        if let (Some(code), Some(at)) = (code, at) {
            last.note(parse("scans.qr_code_id", &code)?, at);
        }
    }
    last.store(conn)?;
    Ok(last.0.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_id_of_a_millisecond_sorts_before_every_id_made_in_it_and_after_earlier_ones() {
        let at = uuid::Timestamp::from_unix(uuid::NoContext, 1_764_806_400, 123_000_000);
        let made = uuid::Uuid::new_v7(at).to_string();
        let ms = 1_764_806_400_123;
        assert!(first_id_of(ms).as_str() <= made.as_str(), "{} > {made}", first_id_of(ms));
        assert!(first_id_of(ms + 1).as_str() > made.as_str());
        let earlier = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, 1_764_806_400, 122_999_999));
        assert!(earlier.to_string().as_str() < first_id_of(ms).as_str());
        assert_eq!(first_id_of(0), "00000000-0000-7000-8000-000000000000");
    }
}
