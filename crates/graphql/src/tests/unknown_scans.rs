//! `unknownCodeScans` through GraphQL: scans of texts that are no code, recorded by the real scan
//! writer at moments the test sets. The expected figures are counted by hand from `scans` below.

use super::workflow::World;
use chrono::{DateTime, TimeZone, Utc};
use frontier_domain::{DeviceClass, Role, StatsZone, VisitorKey};
use frontier_store::{ScanRequest, ScanWriter};
use serde_json::json;

fn utc(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).single().expect("time")
}

/// In Hà Nội time (UTC+7), the period asked about being 1 to 3 December:
/// - Nov 30 23:59 `ZZZZZZ`, a phone: 30 November, outside
/// - Dec 1 00:00 `ZZZZZZ`, a phone: inside (17:00 UTC the day before)
/// - Dec 2 08:00 `zzzzzz`, a phone; 09:00 the same by a link preview (a bot)
/// - Dec 3 08:00 `K4PVH2` (one letter off the demo's K4PVHZ), a phone
/// - Dec 3 08:30 `K4PVHZ` and a NUL byte, a phone: an unknown code, stored as `K4PVHZ?`
/// - Dec 3 09:00 `ZZZZZZ`, a phone; 09:10 `K4PVHZ`, a real code: not counted
/// - Dec 3 09:20 `ZZZZZZ` again by the 09:00 phone: a repeat (a scan, not another person)
async fn world() -> World {
    let w = World::new().await;
    let writer = ScanWriter::start(w.store.clone(), StatsZone::default(), w.clock.clone());
    let scans = [
        ("ZZZZZZ", utc(11, 30, 16, 59), DeviceClass::Android),
        ("ZZZZZZ", utc(11, 30, 17, 0), DeviceClass::Android),
        ("zzzzzz", utc(12, 2, 1, 0), DeviceClass::Ios),
        ("zzzzzz", utc(12, 2, 2, 0), DeviceClass::LinkPreview),
        ("K4PVH2", utc(12, 3, 1, 0), DeviceClass::Android),
        ("K4PVHZ\u{0}", utc(12, 3, 1, 30), DeviceClass::Android),
        ("ZZZZZZ", utc(12, 3, 2, 0), DeviceClass::Android),
        ("K4PVHZ", utc(12, 3, 2, 10), DeviceClass::Android),
    ];
    for (n, (code, at, device)) in scans.into_iter().enumerate() {
        w.clock.set(at);
        let visitor = VisitorKey::parse(&format!("{n:032x}"));
        writer.record(ScanRequest { device, visitor, ..ScanRequest::link(code) }).await.expect("scan");
    }
    w.clock.set(utc(12, 3, 2, 20));
    let again = VisitorKey::parse(&format!("{:032x}", 6));
    let retry = ScanRequest { device: DeviceClass::Android, visitor: again, ..ScanRequest::link("ZZZZZZ") };
    assert!(writer.record(retry).await.expect("scan").event.repeat, "the same phone and text");
    w
}

const Q: &str = "query($from: NaiveDate, $to: NaiveDate, $limit: Int) {
    unknownCodeScans(from: $from, to: $to, limit: $limit) { from to total texts { text scans people lastScannedAt } } }";

#[tokio::test]
async fn the_province_reads_what_was_scanned_that_is_no_code() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let period = json!({ "from": "2026-12-01", "to": "2026-12-03" });
    for reader in [w.officer(Role::Admin, "bdbp-lang-son").await, w.officer(Role::Analyst, "bdbp-lang-son").await] {
        let data = w.ok(reader, Q, period.clone()).await;
        assert_eq!(
            data["unknownCodeScans"],
            json!({
                "from": "2026-12-01", "to": "2026-12-03", "total": 7,
                "texts": [
                    { "text": "ZZZZZZ", "scans": 5, "people": 3, "lastScannedAt": "2026-12-03T02:20:00+00:00" },
                    { "text": "K4PVH2", "scans": 1, "people": 1, "lastScannedAt": "2026-12-03T01:00:00+00:00" },
                    { "text": "K4PVHZ?", "scans": 1, "people": 1, "lastScannedAt": "2026-12-03T01:30:00+00:00" },
                ]
            })
        );
    }
    let admin = w.officer(Role::Admin, "bdbp-lang-son").await;
    let top = w.ok(admin.clone(), Q, json!({ "from": "2026-12-01", "to": "2026-12-03", "limit": 1 })).await;
    assert_eq!(top["unknownCodeScans"]["total"], 7, "the total counts every text, listed or not");
    assert_eq!(top["unknownCodeScans"]["texts"].as_array().map(Vec::len), Some(1));
    // The last day ends at local midnight: 30 November alone holds the one scan before.
    let before = w.ok(admin, Q, json!({ "from": "2026-11-30", "to": "2026-11-30" })).await;
    assert_eq!(before["unknownCodeScans"]["total"], 1);
}

#[tokio::test]
async fn unknown_code_scans_are_the_province_s_and_ask_for_a_sound_period() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let admin = w.officer(Role::Admin, "bdbp-lang-son").await;
    let cases = [
        (crate::Viewer::public(), json!({}), "UNAUTHENTICATED"),
        (w.officer(Role::Analyst, "don-bien-phong-bac-xa").await, json!({}), "FORBIDDEN"),
        (w.officer(Role::Editor, "bdbp-lang-son").await, json!({}), "FORBIDDEN"),
        (admin.clone(), json!({ "from": "2026-12-05", "to": "2026-12-01" }), "BAD_USER_INPUT"),
        (admin.clone(), json!({ "from": "2020-01-01", "to": "2026-12-01" }), "BAD_USER_INPUT"),
        (admin.clone(), json!({ "limit": 0 }), "BAD_USER_INPUT"),
        (admin.clone(), json!({ "limit": 101 }), "BAD_USER_INPUT"),
    ];
    for (viewer, vars, code) in cases {
        let (_, codes) = w.run(viewer, Q, vars.clone()).await;
        assert_eq!(codes, vec![code.to_owned()], "{vars}");
    }
    // Without a period: the 30 days that end today in Hà Nội (the clock was left at Dec 3, 09:20).
    let data = w.ok(admin, "{ unknownCodeScans { from to total } }", json!({})).await;
    assert_eq!(data["unknownCodeScans"], json!({ "from": "2026-11-04", "to": "2026-12-03", "total": 8 }));
}
