//! Scan statistics through the store: local days at their boundaries, repeats, bots, unique
//! visitors, filters and keys, and how recently each code was used. The expected figures are worked
//! out by hand from the scans listed in `scans_of_two_days`.

use super::*;
use chrono::{DateTime, NaiveDate};
use std::sync::Arc;

fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).single().expect("time")
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).expect("day")
}

fn visitor(n: u8) -> VisitorKey {
    VisitorKey::parse(&format!("{n:032x}")).expect("key")
}

/// The scan writer of the test, on a clock the test sets (days counted in Hà Nội).
struct Recorder {
    writer: ScanWriter,
    clock: Arc<ManualClock>,
}

impl Recorder {
    fn new(store: &Store) -> Self {
        let clock = Arc::new(ManualClock::new(utc(1, 0, 0)));
        Self { writer: ScanWriter::start(store.clone(), StatsZone::default(), clock.clone()), clock }
    }

    /// Records one scan of `code` at `at`, as a phone's GET would.
    async fn scan(&self, code: &str, at: DateTime<Utc>, device: DeviceClass, who: u8, locale: Option<&str>) {
        self.clock.set(at);
        let request =
            ScanRequest { locale: locale.map(l), device, visitor: Some(visitor(who)), ..ScanRequest::link(code) };
        self.writer.record(request).await.expect("scan");
    }
}

fn t(people: u64, repeats: u64, bots: u64, visitors: u64) -> Tally {
    Tally { people, repeats, bots, visitors }
}

struct Fixture {
    post: Unit,
    station: Unit,
    province: Unit,
    house: Place,
    office: Place,
    article: Article,
    codes: std::collections::HashMap<&'static str, QrCode>,
}

/// Post A (with station A1) has a cultural house (codes HSEAAA → the house, HSEBBB → an
/// article) and an office (FFCAAA → the post's page, NNNAAA never scanned); post B has BBBAAA.
async fn fixture(store: &Store) -> Fixture {
    let (province, post, station, b) = unit_tree(store).await;
    let house = place(store, "house-1", station.id, PlaceKind::CulturalHouse).await;
    let office = place(store, "office", post.id, PlaceKind::CommuneOffice).await;
    let other = place(store, "house-b", b.id, PlaceKind::CulturalHouse).await;
    let cat = category(store, "law", None, 0).await;
    let article = article(store, "border-law", cat.id, post.id, 1, &["vi"]).await;
    let mut codes = std::collections::HashMap::new();
    for (text, place, target) in [
        ("HSEAAA", &house, QrTarget::Place(house.id)),
        ("HSEBBB", &house, QrTarget::Article(article.id)),
        ("FFCAAA", &office, QrTarget::Unit(post.id)),
        ("NNNAAA", &office, QrTarget::Unit(post.id)),
        ("BBBAAA", &other, QrTarget::Place(other.id)),
    ] {
        let value = QrCodeValue::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let new = NewQrCode { code: value, place: place.id, target, active: true, expires_at: None };
        let saved = store.save_qr_code(new).await.expect("code");
        codes.insert(text, saved);
    }
    Fixture { post, station, province, house, office, article, codes }
}

/// The scans of the test, in Hà Nội time (UTC+7); H1 is HSEAAA, H2 HSEBBB, O1 FFCAAA, B1 BBBAAA:
/// 1. Dec 2 23:59 H1 android V1            → Dec 2, person
/// 2. Dec 3 00:00 H1 android V2            → Dec 3, person (the first minute of the day)
/// 3. Dec 3 06:30 H1 android V2            → person (6 h later: not a repeat)
/// 4. Dec 3 06:45 H1 android V2            → repeat (15 min after 3)
/// 5. Dec 3 06:46 H2 android V2            → person (another code)
/// 6. Dec 3 06:50 H1 link preview V9       → bot
/// 7. Dec 3 08:00 O1 iOS V3, fr            → person
/// 8. Dec 3 09:00 B1 android V4            → person, post B
/// 9. Dec 3 23:30 H2 desktop V5            → person, still Dec 3
/// 10. Dec 4 00:30 H2 android V6           → Dec 4, person
async fn scans_of_two_days(store: &Store) {
    use DeviceClass::*;
    let r = Recorder::new(store);
    r.scan("HSEAAA", utc(2, 16, 59), Android, 1, None).await;
    r.scan("hseaaa", utc(2, 17, 0), Android, 2, Some("vi")).await;
    r.scan("HSEAAA", utc(2, 23, 30), Android, 2, Some("vi")).await;
    r.scan("HSEAAA", utc(2, 23, 45), Android, 2, Some("vi")).await;
    r.scan("HSEBBB", utc(2, 23, 46), Android, 2, Some("vi")).await;
    r.scan("HSEAAA", utc(2, 23, 50), LinkPreview, 9, None).await;
    r.scan("FFCAAA", utc(3, 1, 0), Ios, 3, Some("fr")).await;
    r.scan("BBBAAA", utc(3, 2, 0), Android, 4, None).await;
    r.scan("HSEBBB", utc(3, 16, 30), Desktop, 5, Some("en")).await;
    r.scan("HSEBBB", utc(3, 17, 30), Android, 6, Some("vi")).await;
}

fn scope(units: Vec<UnitId>) -> ScanScope {
    ScanScope {
        units,
        places: vec![],
        codes: vec![],
        articles: vec![],
        days: DayRange::new(day(1), day(4)).expect("range"),
        human_only: false,
    }
}

/// The tallies sorted by day and key, for comparing.
async fn tallies(store: &Store, scope: ScanScope, key: ScanKey) -> Vec<(NaiveDate, Option<String>, Tally)> {
    let mut rows: Vec<_> =
        store.scan_tallies(scope, key).await.expect("tallies").into_iter().map(|r| (r.day, r.key, r.tally)).collect();
    rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    rows
}

each_backend!(scan_days_people_repeats_bots_and_visitors, |store| {
    let f = fixture(&store).await;
    scans_of_two_days(&store).await;
    let post = vec![f.post.id, f.station.id];

    assert_eq!(
        tallies(&store, scope(post.clone()), ScanKey::Day).await,
        vec![
            (day(2), None, t(1, 0, 0, 1)),
            // Scans 2, 3, 5, 7, 9 by V2, V3 and V5; 4 repeats; 6 is the preview. B1 is another post's.
            (day(3), None, t(5, 1, 1, 3)),
            (day(4), None, t(1, 0, 0, 1)),
        ]
    );
    let human = ScanScope { human_only: true, ..scope(post.clone()) };
    assert_eq!(tallies(&store, human, ScanKey::Day).await[1], (day(3), None, t(5, 1, 0, 3)));
    let everywhere = {
        let links = store.unit_links().await.expect("links");
        frontier_domain::tree::subtree(&links, f.province.id)
    };
    assert_eq!(tallies(&store, scope(everywhere), ScanKey::Day).await[1], (day(3), None, t(6, 1, 1, 4)));
    let one_day = ScanScope { days: DayRange::new(day(3), day(3)).expect("range"), ..scope(post.clone()) };
    assert_eq!(tallies(&store, one_day, ScanKey::Day).await, vec![(day(3), None, t(5, 1, 1, 3))]);
});

each_backend!(scan_tallies_by_place_article_device_and_filters, |store| {
    let f = fixture(&store).await;
    scans_of_two_days(&store).await;
    let post = vec![f.post.id, f.station.id];
    let house = Some(f.house.id.to_string());
    let office = Some(f.office.id.to_string());

    let by_place = tallies(&store, scope(post.clone()), ScanKey::Place).await;
    let mut want = vec![
        (day(2), house.clone(), t(1, 0, 0, 1)),
        (day(3), house.clone(), t(4, 1, 1, 2)),
        (day(3), office.clone(), t(1, 0, 0, 1)),
        (day(4), house.clone(), t(1, 0, 0, 1)),
    ];
    want.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    assert_eq!(by_place, want);

    let article = Some(f.article.id.to_string());
    assert_eq!(
        tallies(&store, scope(post.clone()), ScanKey::Article).await,
        vec![(day(3), article.clone(), t(2, 0, 0, 2)), (day(4), article.clone(), t(1, 0, 0, 1))]
    );
    let only_article = ScanScope { articles: vec![f.article.id], ..scope(post.clone()) };
    assert_eq!(
        tallies(&store, only_article, ScanKey::Day).await,
        vec![(day(3), None, t(2, 0, 0, 2)), (day(4), None, t(1, 0, 0, 1))]
    );
    let target = tallies(&store, scope(post.clone()), ScanKey::Target).await;
    assert!(target.contains(&(day(3), Some(format!("unit:{}", f.post.id)), t(1, 0, 0, 1))), "{target:?}");
    assert!(target.contains(&(day(3), Some(format!("place:{}", f.house.id)), t(2, 1, 1, 1))), "{target:?}");

    let devices = tallies(&store, scope(post.clone()), ScanKey::Device).await;
    let on_3: Vec<_> =
        devices.iter().filter(|r| r.0 == day(3)).map(|r| (r.1.clone().unwrap_or_default(), r.2)).collect();
    assert_eq!(
        on_3,
        vec![
            ("android".to_owned(), t(3, 1, 0, 1)),
            ("desktop".to_owned(), t(1, 0, 0, 1)),
            ("ios".to_owned(), t(1, 0, 0, 1)),
            ("link_preview".to_owned(), t(0, 0, 1, 0)),
        ]
    );
    let locales = tallies(&store, scope(post.clone()), ScanKey::Locale).await;
    assert!(locales.contains(&(day(3), Some("fr".to_owned()), t(1, 0, 0, 1))), "{locales:?}");
    assert!(locales.contains(&(day(3), None, t(0, 0, 1, 0))), "the preview sent no language: {locales:?}");

    let o1 = f.codes["FFCAAA"].id;
    let one_code = ScanScope { codes: vec![o1], ..scope(post.clone()) };
    assert_eq!(tallies(&store, one_code, ScanKey::Code).await, vec![(day(3), Some(o1.to_string()), t(1, 0, 0, 1))]);
    let one_place = ScanScope { places: vec![f.office.id], ..scope(post) };
    assert_eq!(tallies(&store, one_place, ScanKey::Day).await, vec![(day(3), None, t(1, 0, 0, 1))]);
});

each_backend!(code_use_tells_when_people_last_scanned, |store| {
    let f = fixture(&store).await;
    scans_of_two_days(&store).await;
    let mut used: Vec<(String, String, Option<DateTime<Utc>>)> = store
        .code_use(vec![f.post.id, f.station.id])
        .await
        .expect("use")
        .into_iter()
        .map(|u| (u.code.code.to_string(), u.place.slug.to_string(), u.last_scan))
        .collect();
    used.sort();
    assert_eq!(
        used,
        vec![
            ("FFCAAA".to_owned(), "office".to_owned(), Some(utc(3, 1, 0))),
            // Its last scan by a person is the repeat at 23:45; the preview at 23:50 is a bot's.
            ("HSEAAA".to_owned(), "house-1".to_owned(), Some(utc(2, 23, 45))),
            ("HSEBBB".to_owned(), "house-1".to_owned(), Some(utc(3, 17, 30))),
            ("NNNAAA".to_owned(), "office".to_owned(), None),
        ]
    );
});

// An imported history moves a code's last scan by a person forward, never back, and a bot's scan
// never moves it.
each_backend!(imported_scans_move_the_last_scan_forward_only, |store| {
    let f = fixture(&store).await;
    scans_of_two_days(&store).await;
    let last = |store: Store| async move {
        let uses = store.code_use(vec![f.post.id, f.station.id]).await.expect("use");
        uses.into_iter().find(|u| u.code.code.as_str() == "FFCAAA").and_then(|u| u.last_scan)
    };
    assert_eq!(last(store.clone()).await, Some(utc(3, 1, 0)));
    let first = store.scans_of("FFCAAA".into()).await.expect("scans").remove(0);
    let copy = |at: DateTime<Utc>, device: DeviceClass| ScanEvent {
        id: ScanId::generate(),
        occurred_at: at,
        device,
        ..first.clone()
    };
    store.import_scans(vec![copy(utc(2, 9, 0), DeviceClass::Android)]).await.expect("older");
    assert_eq!(last(store.clone()).await, Some(utc(3, 1, 0)), "an older scan keeps the later one");
    store.import_scans(vec![copy(utc(4, 9, 0), DeviceClass::LinkPreview)]).await.expect("bot");
    assert_eq!(last(store.clone()).await, Some(utc(3, 1, 0)), "a preview is no person");
    let newer = vec![copy(utc(4, 8, 0), DeviceClass::Ios), copy(utc(4, 10, 0), DeviceClass::Android)];
    store.import_scans(newer).await.expect("newer");
    assert_eq!(last(store.clone()).await, Some(utc(4, 10, 0)), "the latest of the imported");
});
