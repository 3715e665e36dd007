//! A made-up but plausible scan history for the demo codes, so the statistics, charts and CSV of a
//! fresh demo have something to show: a few dozen scans a day over the past weeks, mostly Android
//! phones in the daytime, more at the cultural houses and on Sundays (market and meeting day), some
//! repeats, some chat-app previews and crawlers. Generated from a fixed seed: every demo shows the
//! same figures. Written only into a database that has no scans at all.

use crate::seed::SeedError;
use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use frontier_domain::{
    DeviceClass, Locale, PlaceKind, QrCode, ScanEvent, ScanId, ScanOutcome, ScanSource, StatsZone, VisitorKey,
};
use frontier_store::{Audience, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How far back the demo history goes.
pub const HISTORY_DAYS: i64 = 60;

/// Devices and their shares (per cent) among the demo scans.
const DEVICES: [(DeviceClass, u32); 6] = [
    (DeviceClass::Android, 70),
    (DeviceClass::Ios, 13),
    (DeviceClass::Desktop, 3),
    (DeviceClass::Other, 2),
    (DeviceClass::LinkPreview, 8),
    (DeviceClass::Bot, 4),
];

/// Preferred languages and their shares (per cent): residents, then visitors.
const LOCALES: [(&str, u32); 4] = [("vi", 84), ("en", 8), ("fr", 5), ("zh-Hans", 3)];

fn pick<T: Clone>(rng: &mut StdRng, shares: &[(T, u32)]) -> T {
    let total: u32 = shares.iter().map(|(_, s)| s).sum();
    let mut roll = rng.random_range(0..total);
    for (value, share) in shares {
        if roll < *share {
            return value.clone();
        }
        roll -= share;
    }
    shares[0].0.clone()
}

/// Scans a day a code gets on average: cultural houses are where people gather.
fn daily_rate(kind: PlaceKind) -> f64 {
    match kind {
        PlaceKind::CulturalHouse => 1.6,
        PlaceKind::CommuneOffice | PlaceKind::Checkpoint => 1.2,
        PlaceKind::BorderStation => 0.8,
        PlaceKind::PatrolPoint | PlaceKind::Other => 0.4,
    }
}

/// Writes the demo history ending at `now` unless the database already has scans; returns how many
/// it wrote.
pub async fn scan_history(store: &Store, now: DateTime<Utc>, zone: StatsZone) -> Result<usize, SeedError> {
    if store.scan_total().await? > 0 {
        return Ok(0);
    }
    let units: Vec<_> = store.units_any().await?.into_iter().map(|u| u.id).collect();
    let codes: Vec<QrCode> =
        store.qr_codes().await?.into_iter().filter(|q| q.active && q.archived_at.is_none()).collect();
    let place_ids = codes.iter().map(|q| q.place_id).collect();
    let places = store.places_by_ids(Audience::preview(now, units), place_ids).await?;
    let mut rng = StdRng::seed_from_u64(u64::from_be_bytes(*b"\0KIENMOC"));
    let locales: Vec<(Locale, u32)> =
        LOCALES.iter().filter_map(|(tag, share)| Locale::parse(tag).ok().map(|l| (l, *share))).collect();
    let today = zone.day_of(now);
    let mut events = Vec::new();
    for back in (0..HISTORY_DAYS).rev() {
        let day = today - Duration::days(back);
        let start = zone.start_of(day);
        // Sundays bring the market and village meetings; the first weeks of the history are quieter.
        let busy = if day.weekday() == Weekday::Sun { 1.8 } else { 1.0 };
        let growth = 0.6 + 0.4 * (HISTORY_DAYS - back) as f64 / HISTORY_DAYS as f64;
        for code in &codes {
            let Some(place) = places.iter().find(|p| p.id == code.place_id) else { continue };
            let expected = daily_rate(place.kind) * busy * growth;
            let count = (expected + rng.random_range(-0.5..1.0)).round().max(0.0) as u32;
            for _ in 0..count {
                // Between 06:00 and 21:00 local time, never after the moment of seeding.
                let at = start + Duration::minutes(rng.random_range(360..1260));
                if at > now {
                    continue;
                }
                let device = pick(&mut rng, &DEVICES);
                let visitor = VisitorKey::parse(&format!("{:032x}", rng.random::<u128>()));
                let locale = device.is_human().then(|| pick(&mut rng, &locales));
                let event = |at: DateTime<Utc>, repeat: bool| ScanEvent {
                    id: ScanId::generate(),
                    occurred_at: at,
                    scanned_text: code.code.to_string(),
                    qr_code_id: Some(code.id),
                    place_id: Some(code.place_id),
                    unit_id: Some(place.unit_id),
                    target: Some(code.target),
                    outcome: ScanOutcome::Ok,
                    locale: locale.clone(),
                    local_day: zone.day_of(at),
                    device,
                    repeat,
                    visitor: visitor.clone(),
                    source: ScanSource::Link,
                };
                events.push(event(at, false));
                // One person in twelve scans again a few minutes later (the page did not load, a
                // neighbour wants to see it): a repeat, not a new scan.
                if device.is_human() && rng.random_range(0..12) == 0 {
                    let again = at + Duration::minutes(rng.random_range(1..20));
                    if again <= now {
                        events.push(event(again, true));
                    }
                }
            }
        }
    }
    events.sort_by_key(|e| e.occurred_at);
    Ok(store.import_scans(events).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use frontier_store::testing::TestDatabase;

    #[tokio::test]
    async fn the_history_is_plausible_and_written_once() {
        let db = TestDatabase::sqlite();
        let store = db.store().await;
        crate::seed(&store).await.expect("seed");
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).single().expect("time");
        let written = scan_history(&store, now, StatsZone::default()).await.expect("history");
        // 27 active codes, 0.4 to 1.6 scans a day each (more on Sundays), over 60 days.
        assert!((600..6_000).contains(&written), "{written} scans");
        assert_eq!(store.scan_total().await.expect("total"), written as i64);
        assert_eq!(scan_history(&store, now, StatsZone::default()).await.expect("again"), 0, "written once");
    }
}
