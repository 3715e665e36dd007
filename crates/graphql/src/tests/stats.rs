//! `scanStats` through GraphQL on the demo province, with scans recorded by the real scan writer at
//! moments the test sets. Expected figures are worked out by hand from the list in `seven_scans`;
//! the codes nobody scanned are counted from the demo content files, not from the store.

use super::workflow::World;
use chrono::{DateTime, TimeZone, Utc};
use frontier_domain::{DeviceClass, ManualClock, Role, StatsZone, VisitorKey};
use frontier_store::{ScanRequest, ScanWriter};
use serde_json::{Value, json};

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).single().expect("time")
}

/// In Hà Nội time (UTC+7):
/// a. Dec 1 23:30  K4PVHZ (Nà Pàn → its page)      android V1  → Dec 1, person
/// b. Dec 2 06:30  K4PVHZ                          android V1  → Dec 2 (23:30 UTC the day before), person
/// c. Dec 2 06:40  K4PVHZ                          android V1  → repeat
/// d. Dec 2 08:00  PGWMZT (Nà Pàn → Hát Then)      android V2  → person
/// e. Dec 2 08:05  PGWMZT                          Zalo preview → bot
/// f. Dec 3 09:00  3N2KJ4 (Nà Cà, station 2)       iOS V3      → person
/// g. Dec 3 10:00  2JXMFQ (Chi Ma post)            android V4  → another post
async fn seven_scans(clock: &ManualClock, writer: &ScanWriter) {
    let scans = [
        ("K4PVHZ", utc(1, 16, 30), DeviceClass::Android, 1),
        ("k4pvhz", utc(1, 23, 30), DeviceClass::Android, 1),
        ("K4PVHZ", utc(1, 23, 40), DeviceClass::Android, 1),
        ("PGWMZT", utc(2, 1, 0), DeviceClass::Android, 2),
        ("PGWMZT", utc(2, 1, 5), DeviceClass::LinkPreview, 9),
        ("3N2KJ4", utc(3, 2, 0), DeviceClass::Ios, 3),
        ("2JXMFQ", utc(3, 3, 0), DeviceClass::Android, 4),
    ];
    for (code, at, device, who) in scans {
        clock.set(at);
        let visitor = VisitorKey::parse(&format!("{who:032x}"));
        writer.record(ScanRequest { device, visitor, ..ScanRequest::link(code) }).await.expect("scan");
    }
}

async fn world() -> World {
    let w = World::new().await;
    // The store dates what it creates by the real clock; the demo's codes were hung before the scans.
    w.db.execute("UPDATE qr_codes SET created_at = '2026-11-01 00:00:00'");
    let writer = ScanWriter::start(w.store.clone(), StatsZone::default(), w.clock.clone());
    seven_scans(&w.clock, &writer).await;
    w
}

const DAYS: &str = "query($f: ScanFilter, $g: ScanGrouping, $l: String) {
    scanStats(filter: $f, groupBy: $g, locale: $l) {
        from to timeZone groupBy
        total { scans people repeats bots visitors repeatShare }
        groups { key label from to tally { scans people repeats bots visitors } }
    } }";

fn period() -> Value {
    json!({ "from": "2026-12-01", "to": "2026-12-03" })
}

fn tally(scans: u64, people: u64, repeats: u64, bots: u64, visitors: u64) -> Value {
    json!({ "scans": scans, "people": people, "repeats": repeats, "bots": bots, "visitors": visitors })
}

#[tokio::test]
async fn an_analyst_counts_people_repeats_bots_and_visitors_by_local_day() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let analyst = w.officer(Role::Analyst, "don-bien-phong-bac-xa").await;
    let data = w.ok(analyst.clone(), DAYS, json!({ "f": period() })).await;
    let s = &data["scanStats"];
    assert_eq!((s["from"].as_str(), s["to"].as_str()), (Some("2026-12-01"), Some("2026-12-03")));
    assert_eq!((s["timeZone"].as_str(), s["groupBy"].as_str()), (Some("Asia/Ho_Chi_Minh"), Some("DAY")));
    assert_eq!(
        s["total"],
        json!({ "scans": 6, "people": 4, "repeats": 1, "bots": 1, "visitors": 4, "repeatShare": 0.2 })
    );
    let groups = s["groups"].as_array().expect("groups");
    let days: Vec<(&str, &Value)> =
        groups.iter().map(|g| (g["key"].as_str().unwrap_or_default(), &g["tally"])).collect();
    assert_eq!(
        days,
        vec![
            ("2026-12-01", &tally(1, 1, 0, 0, 1)),
            ("2026-12-02", &tally(4, 2, 1, 1, 2)),
            ("2026-12-03", &tally(1, 1, 0, 0, 1)),
        ]
    );

    // 1 to 3 December 2026 is Tuesday to Thursday of ISO week 49.
    let weeks = w.ok(analyst.clone(), DAYS, json!({ "f": period(), "g": "WEEK" })).await;
    let g = &weeks["scanStats"]["groups"];
    assert_eq!(g.as_array().map(Vec::len), Some(1));
    assert_eq!(
        (g[0]["key"].as_str(), g[0]["from"].as_str(), g[0]["to"].as_str()),
        (Some("2026-W49"), Some("2026-12-01"), Some("2026-12-03"))
    );
    assert_eq!(g[0]["tally"], tally(6, 4, 1, 1, 4));

    let human = json!({ "from": "2026-12-01", "to": "2026-12-03", "humanOnly": true });
    let people = w.ok(analyst.clone(), DAYS, json!({ "f": human })).await;
    assert_eq!(people["scanStats"]["total"]["scans"], 5);
    assert_eq!(people["scanStats"]["total"]["bots"], 0);

    // A station's analyst sees the station only; an admin sees the whole province (Chi Ma too).
    let station = w.officer(Role::Analyst, "tram-bac-xa-1").await;
    let own = w.ok(station, DAYS, json!({ "f": period() })).await;
    assert_eq!(own["scanStats"]["total"]["people"], 3);
    let admin = w.officer(Role::Admin, "bdbp-lang-son").await;
    let all = w.ok(admin, DAYS, json!({ "f": period() })).await;
    assert_eq!(all["scanStats"]["total"]["people"], 5);
}

#[tokio::test]
async fn groups_name_places_articles_and_targets_in_the_reader_language() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let analyst = w.officer(Role::Analyst, "don-bien-phong-bac-xa").await;
    let q = "query($f: ScanFilter, $g: ScanGrouping, $l: String) { scanStats(filter: $f, groupBy: $g, locale: $l) {
        groups { key label place { slug } article { slug } tally { people repeats bots visitors } }
        topContent(limit: 2) { label target { __typename } tally { people } } } }";
    let by_place = w.ok(analyst.clone(), q, json!({ "f": period(), "g": "PLACE", "l": "en" })).await;
    let g = &by_place["scanStats"]["groups"];
    assert_eq!(g[0]["label"], "Nà Pàn Cultural House");
    assert_eq!(g[0]["place"]["slug"], "nha-van-hoa-thon-na-pan");
    // a, b, d; c repeats; e is the preview; visitors: V1 on the 1st, V1 and V2 on the 2nd.
    assert_eq!(g[0]["tally"], json!({ "people": 3, "repeats": 1, "bots": 1, "visitors": 3 }));
    assert_eq!(g[1]["place"]["slug"], "nha-van-hoa-thon-na-ca");
    assert_eq!(g.as_array().map(Vec::len), Some(2));

    let by_article = w.ok(analyst.clone(), q, json!({ "f": period(), "g": "ARTICLE", "l": "vi" })).await;
    let g = &by_article["scanStats"]["groups"];
    assert_eq!(g.as_array().map(Vec::len), Some(1), "{g}");
    assert_eq!(g[0]["label"], "Hát Then của người Tày, Nùng: di sản của nhân loại");
    assert_eq!(g[0]["article"]["slug"], "hat-then-cua-nguoi-tay-nung");
    assert_eq!(g[0]["tally"], json!({ "people": 1, "repeats": 0, "bots": 1, "visitors": 1 }));

    let top = &by_place["scanStats"]["topContent"];
    assert_eq!(top[0]["label"], "Place: Nà Pàn Cultural House");
    assert_eq!((top[0]["target"]["__typename"].as_str(), top[0]["tally"]["people"].as_u64()), (Some("Place"), Some(2)));
    assert_eq!(top.as_array().map(Vec::len), Some(2));

    let filtered = json!({ "from": "2026-12-01", "to": "2026-12-03", "codes": ["pgwmzt"] });
    let one = w.ok(analyst.clone(), q, json!({ "f": filtered, "g": "DEVICE" })).await;
    let keys: Vec<_> =
        one["scanStats"]["groups"].as_array().expect("groups").iter().map(|g| g["key"].clone()).collect();
    assert_eq!(keys, vec![json!("android"), json!("link_preview")]);
    // Labels are words of the reader's language; keys stay the stable values.
    let labels = |answer: &serde_json::Value| -> Vec<String> {
        let groups = answer["scanStats"]["groups"].as_array().cloned().unwrap_or_default();
        groups.iter().map(|g| g["label"].as_str().unwrap_or_default().to_owned()).collect()
    };
    assert_eq!(labels(&one), ["Android", "Xem trước liên kết"], "Vietnamese by default");
    let fr = w.ok(analyst.clone(), q, json!({ "f": filtered, "g": "DEVICE", "l": "fr-CA" })).await;
    assert_eq!(labels(&fr), ["Android", "Aperçu de lien"]);
    let outcomes = w.ok(analyst.clone(), q, json!({ "f": filtered, "g": "OUTCOME", "l": "en" })).await;
    assert_eq!(labels(&outcomes), ["Content opened"]);
    let targets = w.ok(analyst, q, json!({ "f": filtered, "g": "TARGET", "l": "fr" })).await;
    assert_eq!(
        labels(&targets),
        ["Article: Le chant Then des Tày et des Nùng, patrimoine de l'humanité"],
        "the title in French too"
    );
}

#[tokio::test]
async fn unused_places_and_codes_never_scanned() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let analyst = w.officer(Role::Analyst, "don-bien-phong-bac-xa").await;
    let q = "query($f: ScanFilter) { scanStats(filter: $f) {
        leastUsedPlaces(limit: 100) { place { slug } codes lastScanAt tally { people } }
        codesNeverScanned { code } } }";
    let data = w.ok(analyst, q, json!({ "f": period() })).await;

    // From the demo files: the post and its stations, their places with codes, and those codes.
    let demo = frontier_demo::load().expect("demo");
    let post = ["don-bien-phong-bac-xa", "tram-bac-xa-1", "tram-bac-xa-2", "tram-bac-xa-3", "tram-bac-xa-4"];
    let places: Vec<&str> =
        demo.places.iter().filter(|p| post.contains(&p.unit.as_str())).map(|p| p.slug.as_str()).collect();
    let codes: Vec<&str> = demo
        .qr_codes
        .iter()
        .filter(|q| places.contains(&q.place.as_str()))
        .map(|q| q.code.as_str())
        .filter(|c| !["K4PVHZ", "PGWMZT", "3N2KJ4"].contains(c))
        .collect();
    let with_codes = places.iter().filter(|p| demo.qr_codes.iter().any(|q| q.place.as_str() == **p)).count();

    let least = data["scanStats"]["leastUsedPlaces"].as_array().expect("places");
    assert_eq!(least.len(), with_codes);
    assert!(least.len() > 3, "the demo post has more than the two places scanned");
    assert_eq!(least[0]["tally"]["people"], 0);
    assert_eq!(least[0]["lastScanAt"], Value::Null);
    let last = &least[least.len() - 1];
    assert_eq!(last["place"]["slug"], "nha-van-hoa-thon-na-pan");
    assert_eq!((last["codes"].as_u64(), last["tally"]["people"].as_u64()), (Some(2), Some(3)));
    // Its codes' last scan by a person is d (01:00 UTC on the 2nd); the preview after it is a bot's.
    assert_eq!(last["lastScanAt"].as_str().map(|t| t.starts_with("2026-12-02T01:00:00")), Some(true));

    let never: Vec<&str> = data["scanStats"]["codesNeverScanned"]
        .as_array()
        .expect("codes")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    let (mut got, mut want) = (never.clone(), codes.clone());
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
}

#[tokio::test]
async fn least_used_places_and_unscanned_codes_keep_to_the_filter_and_the_period() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let analyst = w.officer(Role::Analyst, "don-bien-phong-bac-xa").await;
    let q = "query($f: ScanFilter) { scanStats(filter: $f) {
        leastUsedPlaces(limit: 100) { place { slug } codes tally { people } }
        codesNeverScanned { code } } }";
    let slugs = |d: &Value| -> Vec<String> {
        let places = d["scanStats"]["leastUsedPlaces"].as_array().cloned().unwrap_or_default();
        places.iter().map(|p| p["place"]["slug"].as_str().unwrap_or_default().to_owned()).collect()
    };
    let codes = |d: &Value| -> Vec<String> {
        let codes = d["scanStats"]["codesNeverScanned"].as_array().cloned().unwrap_or_default();
        codes.iter().map(|c| c["code"].as_str().unwrap_or_default().to_owned()).collect()
    };

    // One of Nà Pàn's two codes: the place counts that code only, and it was scanned (d).
    let f = json!({ "from": "2026-12-01", "to": "2026-12-03", "codes": ["pgwmzt"] });
    let one = w.ok(analyst.clone(), q, json!({ "f": f })).await;
    assert_eq!(slugs(&one), ["nha-van-hoa-thon-na-pan"]);
    assert_eq!(one["scanStats"]["leastUsedPlaces"][0]["codes"], 1);
    assert_eq!(one["scanStats"]["leastUsedPlaces"][0]["tally"]["people"], 1, "d only");
    assert_eq!(codes(&one), Vec::<String>::new());
    // A code nobody scanned, asked for by name: listed, and its place alone.
    let unscanned = "7J2DEM";
    let f = json!({ "from": "2026-12-01", "to": "2026-12-03", "codes": [unscanned] });
    let other = w.ok(analyst.clone(), q, json!({ "f": f })).await;
    assert_eq!(codes(&other), [unscanned]);
    assert_eq!(slugs(&other).len(), 1);
    // The article on Then singing: the codes that open it now, PGWMZT at Nà Pàn (scanned) and
    // 6KD4MG at Pác Làng (never, so first).
    let f = json!({ "from": "2026-12-01", "to": "2026-12-03", "articles": ["hat-then-cua-nguoi-tay-nung"] });
    let article = w.ok(analyst.clone(), q, json!({ "f": f })).await;
    assert_eq!(slugs(&article), ["nha-van-hoa-thon-pac-lang", "nha-van-hoa-thon-na-pan"]);
    assert_eq!(codes(&article), ["6KD4MG"]);

    // Codes hung after the period (today, by the store's clock) are not its least used places.
    let before = w.ok(analyst.clone(), q, json!({ "f": period() })).await;
    w.db.execute("UPDATE qr_codes SET created_at = '2026-12-04 09:00:00' WHERE code = '7J2DEM'");
    let after = w.ok(analyst.clone(), q, json!({ "f": period() })).await;
    let place_of_new = slugs(&other).pop().unwrap_or_default();
    assert!(slugs(&before).contains(&place_of_new));
    assert!(!slugs(&after).contains(&place_of_new), "its one code was hung on Dec 4");
    assert!(codes(&after).contains(&unscanned.to_owned()), "still never scanned");
    // A place scanned in the period stays, whatever its codes' dates say.
    w.db.execute("UPDATE qr_codes SET created_at = '2026-12-04 09:00:00' WHERE code IN ('K4PVHZ', 'PGWMZT')");
    let dated = w.ok(analyst.clone(), q, json!({ "f": period() })).await;
    assert!(slugs(&dated).contains(&"nha-van-hoa-thon-na-pan".to_owned()));
}

#[tokio::test]
async fn the_csv_has_the_same_numbers() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let analyst = w.officer(Role::Analyst, "don-bien-phong-bac-xa").await;
    let data = w.ok(analyst, "query($f: ScanFilter) { scanStats(filter: $f) { csv } }", json!({ "f": period() })).await;
    assert_eq!(
        data["scanStats"]["csv"],
        "key,label,from,to,scans,people,repeats,bots,visitors,repeat_share\n\
         2026-12-01,2026-12-01,2026-12-01,2026-12-01,1,1,0,0,1,0.0000\n\
         2026-12-02,2026-12-02,2026-12-02,2026-12-02,4,2,1,1,2,0.3333\n\
         2026-12-03,2026-12-03,2026-12-03,2026-12-03,1,1,0,0,1,0.0000\n"
    );
}

#[tokio::test]
async fn statistics_are_for_analysts_of_the_unit_and_admins() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let q = "query($f: ScanFilter) { scanStats(filter: $f) { total { scans } topContent(limit: 0) { label } } }";
    let q_total = "query($f: ScanFilter) { scanStats(filter: $f) { total { scans } } }";
    let analyst = w.officer(Role::Analyst, "don-bien-phong-bac-xa").await;
    let cases = [
        (crate::Viewer::public(), json!({}), "UNAUTHENTICATED"),
        (w.officer(Role::Editor, "don-bien-phong-bac-xa").await, json!({}), "FORBIDDEN"),
        (w.officer(Role::Reviewer, "bdbp-lang-son").await, json!({}), "FORBIDDEN"),
        (analyst.clone(), json!({ "units": ["don-bien-phong-chi-ma"] }), "FORBIDDEN"),
        (w.officer(Role::Analyst, "tram-bac-xa-1").await, json!({ "units": ["don-bien-phong-bac-xa"] }), "FORBIDDEN"),
        (analyst.clone(), json!({ "units": ["khong-co"] }), "NOT_FOUND"),
        (analyst.clone(), json!({ "codes": ["ZZZZZZ"] }), "NOT_FOUND"),
        (analyst.clone(), json!({ "codes": ["O0O0O0"] }), "BAD_USER_INPUT"),
        (analyst.clone(), json!({ "places": ["khong-co"] }), "NOT_FOUND"),
        // Another post's code or article: refused, not a silent zero.
        (analyst.clone(), json!({ "codes": ["2JXMFQ"] }), "FORBIDDEN"),
        (analyst.clone(), json!({ "places": ["tram-kiem-soat-bien-phong-cua-khau-chi-ma"] }), "FORBIDDEN"),
        (analyst.clone(), json!({ "from": "2026-12-05", "to": "2026-12-01" }), "BAD_USER_INPUT"),
        (analyst.clone(), json!({ "from": "2020-01-01", "to": "2026-12-01" }), "BAD_USER_INPUT"),
    ];
    for (viewer, filter, code) in cases {
        let (_, codes) = w.run(viewer, q_total, json!({ "f": filter })).await;
        assert_eq!(codes, vec![code.to_owned()], "{filter}");
    }
    let (_, codes) = w.run(analyst.clone(), q, json!({ "f": period() })).await;
    assert_eq!(codes, vec!["BAD_USER_INPUT".to_owned()], "limit 0");
    // Without a period: the 30 days that end today in Hà Nội (the clock stopped at 10:00 on Dec 3).
    let data = w.ok(analyst, "{ scanStats { from to } }", json!({})).await;
    assert_eq!(data["scanStats"], json!({ "from": "2026-11-04", "to": "2026-12-03" }));
}

/// What an analyst named and the store does not have is said in words, with the name they gave.
#[tokio::test]
async fn a_missing_filter_entry_is_named_in_words() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let q = "query($f: ScanFilter) { scanStats(filter: $f) { total { scans } } }";
    let analyst = w.officer(Role::Analyst, "don-bien-phong-bac-xa").await;
    // A well-formed global id of a code that was never created.
    let ghost = crate::node_id::encode(crate::node_id::NodeKind::QrCode, uuid::Uuid::nil()).to_string();
    let cases = [
        (json!({ "codes": ["zzzzzz"] }), "filter.codes: QR code `zzzzzz` not found".to_owned()),
        (json!({ "places": ["khong-co"] }), "filter.places: place `khong-co` not found".to_owned()),
        (json!({ "codes": [ghost.clone()] }), format!("filter.codes: QR code `{ghost}` not found")),
    ];
    for (filter, message) in cases {
        let errors = w.errors(analyst.clone(), q, json!({ "f": filter })).await;
        assert_eq!(errors, vec![("NOT_FOUND".to_owned(), message)], "{filter}");
    }
}

/// A day that is not a calendar day is refused with the form a day takes, wherever it was written.
#[tokio::test]
async fn a_malformed_day_says_how_to_write_one() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let analyst = w.officer(Role::Analyst, "don-bien-phong-bac-xa").await;
    let variable = w
        .errors(
            analyst.clone(),
            "query($f: ScanFilter) { scanStats(filter: $f) { from } }",
            json!({ "f": { "from": "2026-13-01" } }),
        )
        .await;
    let inline = w.errors(analyst, "{ scanStats(filter: { to: \"3/12/2026\" }) { from } }", json!({})).await;
    for errors in [variable, inline] {
        assert_eq!(errors.len(), 1, "{errors:?}");
        let (code, message) = &errors[0];
        assert_eq!(code, "BAD_USER_INPUT");
        assert!(message.ends_with("(write a calendar day as YYYY-MM-DD, e.g. 2026-12-03)"), "{message}");
        assert!(!message.contains("\"NaiveDate\""), "{message}");
    }
}

#[tokio::test]
async fn links_are_signed_for_one_unit_only() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = world().await;
    let analyst = w.officer(Role::Analyst, "don-bien-phong-bac-xa").await;
    let q = "query($f: ScanFilter, $g: ScanGrouping, $l: String) { scanStats(filter: $f, groupBy: $g, locale: $l) {
        links { csv scansChart placesChart expiresAt } } }";
    let f = json!({ "from": "2026-12-01", "to": "2026-12-03", "humanOnly": true });
    let data = w.ok(analyst.clone(), q, json!({ "f": f, "g": "PLACE", "l": "fr-CA" })).await;
    let links = &data["scanStats"]["links"];
    assert_eq!(links["expiresAt"], "2026-12-03T03:15:00+00:00", "15 minutes from the clock's 03:00 UTC");
    let base = "http://127.0.0.1:8080/stats/don-bien-phong-bac-xa/";
    let expected = [
        ("csv", "scans.csv?from=2026-12-01&to=2026-12-03&locale=fr&groupBy=place&humanOnly=true"),
        ("scansChart", "scans.svg?from=2026-12-01&to=2026-12-03&locale=fr"),
        ("placesChart", "places.svg?from=2026-12-01&to=2026-12-03&locale=fr"),
    ];
    let signer = &super::test_sessions().previews;
    let now = utc(3, 3, 5);
    for (field, url) in expected {
        let link = links[field].as_str().expect(field);
        let (unsigned, sig) = link.split_once("&sig=").expect("signed");
        assert_eq!(unsigned, format!("{base}{url}"), "{field}");
        let path = unsigned.strip_prefix("http://127.0.0.1:8080").expect("base");
        assert_eq!(signer.verify_url(sig, path, now).ok(), Some(analyst.user.as_ref().expect("user").id), "{field}");
    }
    for filter in
        [json!({ "units": ["tram-bac-xa-1", "tram-bac-xa-2"] }), json!({ "places": ["nha-van-hoa-thon-na-pan"] })]
    {
        let data = w.ok(analyst.clone(), q, json!({ "f": filter })).await;
        assert_eq!(data["scanStats"]["links"], Value::Null, "{filter}");
    }
    let data = w.ok(analyst, q, json!({ "f": { "units": ["tram-bac-xa-1"] } })).await;
    assert!(data["scanStats"]["links"]["scansChart"].as_str().is_some_and(|l| l.contains("/stats/tram-bac-xa-1/")));
}
