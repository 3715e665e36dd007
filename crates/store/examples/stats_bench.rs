//! How fast the statistics answer as history grows (issue 4): a province of 10 posts with 4
//! stations each, 1,000 codes in 500 places, and ROWS scans over 365 days; then the 90-day per-day
//! query for one post, one station and the whole province, and a 90-day per-place query for one post,
//! each counted from the rows alone, asked first (cold: 89 finished days summarised) and again (warm).
//!
//! cargo run --profile quick -p frontier-store --example stats_bench -- DATABASE_URL [ROWS]
//!
//! DATABASE_URL is `sqlite://PATH` or `postgres://…` (an empty database: the example fills it).
//! Figures go to stdout; `bench/stats.sh` runs it on both backends and BENCHMARKS.md keeps them.

use chrono::{Duration, NaiveDate};
use frontier_domain::translation::NamedText;
use frontier_domain::*;
use frontier_store::{DayTally, FirstOpenDay, NewPlace, NewQrCode, NewUnit, ScanKey, ScanScope, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

fn names(name: &str) -> Translated<NamedText> {
    let vi = Locale::parse("vi").expect("vi");
    Translated::new([(vi, NamedText::new(name, None).expect("name"))])
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("slug")
}

struct Code {
    id: QrCodeId,
    place: PlaceId,
    unit: UnitId,
    target: QrTarget,
}

async fn province(store: &Store) -> (Unit, Vec<Unit>, Vec<Unit>, Vec<Code>) {
    let unit =
        |s: &str, kind, parent| NewUnit { slug: slug(s), kind, parent, phone: None, address: None, texts: names(s) };
    let top = store.save_unit(unit("province", UnitKind::ProvinceCommand, None)).await.expect("province");
    let (mut posts, mut stations, mut codes) = (Vec::new(), Vec::new(), Vec::new());
    let mut rng = StdRng::seed_from_u64(7);
    for p in 0..10 {
        let post = store.save_unit(unit(&format!("post-{p}"), UnitKind::BorderPost, Some(top.id))).await.expect("post");
        let mut owners = vec![post.clone()];
        for s in 0..4 {
            let st = unit(&format!("station-{p}-{s}"), UnitKind::Station, Some(post.id));
            owners.push(store.save_unit(st).await.expect("station"));
        }
        // 50 places a post (2 at the post, 12 at each station), 2 codes each: 1,000 codes.
        for (i, owner) in owners.iter().enumerate() {
            let count = if i == 0 { 2 } else { 12 };
            for n in 0..count {
                let new = NewPlace {
                    slug: slug(&format!("place-{p}-{i}-{n}")),
                    kind: PlaceKind::CulturalHouse,
                    unit: owner.id,
                    commune: None,
                    village: None,
                    location: Coordinates::new(21.6 + rng.random_range(0..100) as f64 / 1000.0, 107.0).ok(),
                    texts: names(&format!("Nhà văn hóa {p}-{i}-{n}")),
                };
                let place = store.save_place(new).await.expect("place");
                for _ in 0..2 {
                    let value = QrCodeValue::generate(8, |n| rng.random_range(0..n));
                    let target = QrTarget::Place(place.id);
                    let new = NewQrCode { code: value, place: place.id, target, active: true, expires_at: None };
                    let q = store.save_qr_code(new).await.expect("code");
                    codes.push(Code { id: q.id, place: place.id, unit: owner.id, target });
                }
            }
        }
        stations.extend(owners[1..].iter().cloned());
        posts.push(post);
    }
    (top, posts, stations, codes)
}

const DEVICES: [(DeviceClass, u64); 5] = [
    (DeviceClass::Android, 62),
    (DeviceClass::Ios, 14),
    (DeviceClass::Desktop, 4),
    (DeviceClass::Bot, 8),
    (DeviceClass::LinkPreview, 12),
];

fn device(rng: &mut StdRng) -> DeviceClass {
    let mut roll = rng.random_range(0..100);
    for (d, share) in DEVICES {
        if roll < share {
            return d;
        }
        roll -= share;
    }
    DeviceClass::Other
}

async fn fill(store: &Store, codes: &[Code], rows: u64, last_day: NaiveDate) {
    let zone = StatsZone::default();
    let first = zone.start_of(last_day - Duration::days(364));
    let mut rng = StdRng::seed_from_u64(42);
    let locales: Vec<Locale> =
        ["vi", "vi", "vi", "en", "fr", "zh-Hans"].iter().map(|l| Locale::parse(l).expect("l")).collect();
    let started = Instant::now();
    let batch = 50_000;
    let mut done = 0;
    while done < rows {
        let n = batch.min(rows - done);
        let mut events = Vec::with_capacity(n as usize);
        for i in 0..n {
            // Spread evenly over the year, in order, a few seconds apart.
            let at = first + Duration::milliseconds(((done + i) as f64 * 365.0 * 86_400_000.0 / rows as f64) as i64);
            let code = &codes[rng.random_range(0..codes.len())];
            let device = device(&mut rng);
            let visitor = VisitorKey::parse(&format!("{:032x}", rng.random_range(0..3_000)));
            events.push(ScanEvent {
                id: ScanId::generate(),
                occurred_at: at,
                scanned_text: String::new(),
                qr_code_id: Some(code.id),
                place_id: Some(code.place),
                unit_id: Some(code.unit),
                target: Some(code.target),
                outcome: ScanOutcome::Ok,
                locale: Some(locales[rng.random_range(0..locales.len())].clone()),
                local_day: zone.day_of(at),
                device,
                repeat: device.is_human() && rng.random_range(0..10) == 0,
                visitor,
                source: ScanSource::Link,
            });
        }
        store.import_scans(events).await.expect("import");
        done += n;
        if done % 1_000_000 == 0 || done == rows {
            eprintln!("{done} rows in {:.0} s", started.elapsed().as_secs_f64());
        }
    }
}

/// What a database that has been running a while has done by itself (autovacuum on PostgreSQL, an
/// `ANALYZE` on SQLite): planner statistics and, for PostgreSQL, the visibility map that lets it
/// answer from the index alone.
fn settle(url: &str) {
    use diesel::{Connection, RunQueryDsl};
    let started = Instant::now();
    if url.starts_with("postgres") {
        let mut c = diesel::PgConnection::establish(url).expect("connect");
        diesel::sql_query("VACUUM ANALYZE scans").execute(&mut c).expect("vacuum");
    } else {
        let path = url.trim_start_matches("sqlite://");
        let mut c = diesel::SqliteConnection::establish(path).expect("open");
        diesel::sql_query("ANALYZE").execute(&mut c).expect("analyze");
    }
    eprintln!("settled in {:.0} s", started.elapsed().as_secs_f64());
}

fn sorted(mut rows: Vec<DayTally>) -> Vec<DayTally> {
    rows.sort_by(|a, b| (a.day, &a.key).cmp(&(b.day, &b.key)));
    rows
}

/// Milliseconds of one ask and its rows.
async fn once(store: &Store, scope: &ScanScope, key: ScanKey) -> (f64, Vec<DayTally>) {
    let t = Instant::now();
    let rows = store.scan_tallies(scope.clone(), key).await.expect("tallies");
    (t.elapsed().as_secs_f64() * 1000.0, sorted(rows))
}

/// Counted from the rows alone (once), the first ask (cold: the finished days are counted and
/// their summaries written) and the median of the five asks after it (warm), in milliseconds, with
/// the rows of the last ask, checked against the rows' own count.
async fn time(store: &Store, scope: &ScanScope, key: ScanKey) -> (f64, f64, f64, Vec<DayTally>) {
    let raw_scope = ScanScope { first_open_day: FirstOpenDay::all_open(), ..scope.clone() };
    let (raw, expected) = once(store, &raw_scope, key).await;
    let (cold, first) = once(store, scope, key).await;
    assert!(first == expected, "the cold answer differs from the rows' count");
    let mut times = Vec::new();
    let mut last = Vec::new();
    for _ in 0..5 {
        let (ms, rows) = once(store, scope, key).await;
        times.push(ms);
        last = rows;
    }
    assert!(last == expected, "the warm answer differs from the rows' count");
    times.sort_by(f64::total_cmp);
    (raw, cold, times[2], last)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: stats_bench DATABASE_URL [ROWS]");
    let rows: u64 = args.next().map_or(10_000_000, |r| r.parse().expect("ROWS is a number"));
    let store = Store::open(&url, 4).await.expect("open");
    store.migrate().await.expect("migrate");
    let last_day = NaiveDate::from_ymd_opt(2026, 12, 3).expect("day");
    let links;
    let (top, posts, stations) = if store.unit_links().await.expect("links").is_empty() {
        let (top, posts, stations, codes) = province(&store).await;
        fill(&store, &codes, rows, last_day).await;
        links = store.unit_links().await.expect("links");
        (top, posts, stations)
    } else {
        eprintln!("the database already holds a province: timing only");
        links = store.unit_links().await.expect("links");
        let all = store.units_any().await.expect("units");
        let find = |k: UnitKind| all.iter().filter(|u| u.kind == k).cloned().collect::<Vec<_>>();
        (find(UnitKind::ProvinceCommand).remove(0), find(UnitKind::BorderPost), find(UnitKind::Station))
    };
    settle(&url);
    // A database timed before keeps the summaries of then: drop them, so the first ask is cold.
    let dropped = store.prune_scan_summaries(chrono::Utc::now() + Duration::days(1)).await.expect("prune");
    if dropped > 0 {
        eprintln!("dropped {dropped} summarised days of an earlier run");
    }
    let total = store.scan_total().await.expect("total");
    let days = DayRange::ending(last_day, 90).expect("range");
    // Noon of the last day: it is today (counted from the rows), the 89 days before are finished.
    let zone = StatsZone::default();
    let first_open_day = FirstOpenDay::at(zone, zone.start_of(last_day) + Duration::hours(12));
    let scope = |root: UnitId| ScanScope {
        units: tree::subtree(&links, root),
        places: vec![],
        codes: vec![],
        articles: vec![],
        days,
        human_only: false,
        first_open_day,
    };
    println!(
        "{} scan rows, {} codes' worth; 90 days {}..{} (the last one today)",
        total,
        1_000,
        days.from(),
        days.to()
    );
    for (what, root, key) in [
        ("one post, per day", posts[3].id, ScanKey::Day),
        ("one station, per day", stations[5].id, ScanKey::Day),
        ("one post, per place and day", posts[3].id, ScanKey::Place),
        ("the province, per day", top.id, ScanKey::Day),
    ] {
        let s = scope(root);
        let (raw, cold, warm, rows) = time(&store, &s, key).await;
        let counted: u64 = rows.iter().map(|r| r.tally.scans()).sum();
        let n = rows.len();
        println!(
            "{what:30} rows {raw:8.1} ms  cold {cold:8.1} ms  warm {warm:7.1} ms  ({n} groups, {counted} scans counted)"
        );
    }
}
