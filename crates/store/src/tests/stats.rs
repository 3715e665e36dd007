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
        // Dec 4 is today: Dec 1 to 3 come from (and the first time, go into) the summaries.
        first_open_day: open_at(utc(4, 5, 0)),
    }
}

/// The first open day at `now` in Hà Nội.
fn open_at(now: DateTime<Utc>) -> FirstOpenDay {
    FirstOpenDay::at(StatsZone::default(), now)
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

each_backend!(languages_are_grouped_without_their_region_or_script, |store| {
    let f = fixture(&store).await;
    let r = Recorder::new(&store);
    // Seven phones on 5 December (Hà Nội), each its own visitor: no repeats.
    let tags = [Some("vi"), Some("vi-VN"), Some("en-US"), Some("en"), Some("fr-FR"), Some("zh-Hant-TW"), Some("fil")];
    for (n, tag) in tags.into_iter().enumerate() {
        let who = u8::try_from(n).expect("few") + 20;
        r.scan("HSEAAA", utc(5, 2, 0), DeviceClass::Android, who, tag).await;
    }
    let day5 =
        ScanScope { days: DayRange::new(day(5), day(5)).expect("range"), ..scope(vec![f.post.id, f.station.id]) };
    let mut by_language: Vec<(Option<String>, Tally)> =
        tallies(&store, day5, ScanKey::Locale).await.into_iter().map(|(_, key, tally)| (key, tally)).collect();
    by_language.sort_by(|a, b| a.0.cmp(&b.0));
    let want: Vec<(Option<String>, Tally)> = [("en", 2), ("fil", 1), ("fr", 1), ("vi", 2), ("zh", 1)]
        .map(|(k, n)| (Some(k.to_owned()), t(n, 0, 0, n)))
        .into();
    assert_eq!(by_language, want);
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

const KEYS: [ScanKey; 8] = [
    ScanKey::Day,
    ScanKey::Place,
    ScanKey::Code,
    ScanKey::Target,
    ScanKey::Article,
    ScanKey::Locale,
    ScanKey::Device,
    ScanKey::Outcome,
];

/// How many days of any scope are summarised.
async fn markers(store: &Store) -> i64 {
    use crate::schema::scan_summary_days;
    use diesel::prelude::*;
    store.run(|c| Ok(scan_summary_days::table.count().get_result(c)?)).await.expect("markers")
}

/// A person's scan of FFCAAA (the office, post A) on Dec 3, written behind the store's back: only
/// an import may write into a finished day, and this is not one.
async fn slip_in_a_scan(store: &Store, f: &Fixture) {
    use diesel::prelude::*;
    let q = &f.codes["FFCAAA"];
    let sql = format!(
        "INSERT INTO scans (id, occurred_at, scanned_text, qr_code_id, place_id, unit_id, outcome, local_day, \
         device, is_repeat, visitor_key, source) VALUES ('{}', '2026-12-03 03:00:00', 'FFCAAA', '{}', '{}', '{}', \
         'ok', '2026-12-03', 'android', FALSE, '{}', 'link')",
        ScanId::generate(),
        q.id,
        q.place_id,
        f.post.id,
        visitor(8),
    );
    store.run(move |c| Ok(diesel::sql_query(sql).execute(c)?)).await.expect("slipped in");
}

each_backend!(summaries_give_the_raw_count_for_every_key_and_filter, |store| {
    let f = fixture(&store).await;
    scans_of_two_days(&store).await;
    let post = vec![f.post.id, f.station.id];
    let scopes = [
        scope(post.clone()),
        ScanScope { human_only: true, ..scope(post.clone()) },
        ScanScope { articles: vec![f.article.id], ..scope(post.clone()) },
        ScanScope { codes: vec![f.codes["HSEAAA"].id, f.codes["FFCAAA"].id], ..scope(post.clone()) },
        ScanScope { places: vec![f.house.id], human_only: true, ..scope(post.clone()) },
    ];
    for s in &scopes {
        for key in KEYS {
            let raw = tallies(&store, ScanScope { first_open_day: FirstOpenDay::all_open(), ..s.clone() }, key).await;
            let cold = tallies(&store, s.clone(), key).await;
            let warm = tallies(&store, s.clone(), key).await;
            assert_eq!(cold, raw, "cold {key:?} {s:?}");
            assert_eq!(warm, raw, "warm {key:?} {s:?}");
        }
    }
    // Dec 1 to 3 of 5 scopes × 8 keys, Dec 1 (no scan) included.
    assert_eq!(markers(&store).await, 5 * 8 * 3);
    let by_day = vec![(day(2), None, t(1, 0, 0, 1)), (day(3), None, t(5, 1, 1, 3)), (day(4), None, t(1, 0, 0, 1))];
    assert_eq!(tallies(&store, scope(post.clone()), ScanKey::Day).await, by_day);

    // Warm figures of finished days are the summaries': a row slipped into Dec 3 is not seen...
    slip_in_a_scan(&store, &f).await;
    assert_eq!(tallies(&store, scope(post.clone()), ScanKey::Day).await, by_day);
    // ...while the rows themselves have it (the 6th person, the 4th visitor).
    let raw = ScanScope { first_open_day: FirstOpenDay::all_open(), ..scope(post) };
    assert_eq!(tallies(&store, raw, ScanKey::Day).await[1], (day(3), None, t(6, 1, 1, 4)));
});

each_backend!(an_import_into_a_summarised_day_recounts_it, |store| {
    let f = fixture(&store).await;
    scans_of_two_days(&store).await;
    let post = vec![f.post.id, f.station.id];
    let office = Some(f.office.id.to_string());
    for key in [ScanKey::Day, ScanKey::Place] {
        tallies(&store, scope(post.clone()), key).await;
    }
    assert_eq!(markers(&store).await, 2 * 3);

    // An offline box's scan of FFCAAA on Dec 3 by a new visitor.
    let q = &f.codes["FFCAAA"];
    let at = utc(3, 3, 0);
    let event = ScanEvent {
        id: ScanId::generate(),
        occurred_at: at,
        scanned_text: "FFCAAA".into(),
        qr_code_id: Some(q.id),
        place_id: Some(q.place_id),
        unit_id: Some(f.post.id),
        target: Some(q.target),
        outcome: ScanOutcome::Ok,
        locale: None,
        local_day: day(3),
        device: DeviceClass::Android,
        repeat: false,
        visitor: Some(visitor(7)),
        source: ScanSource::Link,
    };
    assert_eq!(store.import_scans(vec![event]).await.expect("import"), 1);
    // Dec 3's summaries went with it (both scopes); Dec 1 and 2's stay.
    assert_eq!(markers(&store).await, 2 * 2);

    assert_eq!(
        tallies(&store, scope(post.clone()), ScanKey::Day).await,
        vec![(day(2), None, t(1, 0, 0, 1)), (day(3), None, t(6, 1, 1, 4)), (day(4), None, t(1, 0, 0, 1))]
    );
    let by_place = tallies(&store, scope(post.clone()), ScanKey::Place).await;
    assert!(by_place.contains(&(day(3), office.clone(), t(2, 0, 0, 2))), "{by_place:?}");
    // Summarised again, and the same when read warm.
    assert_eq!(markers(&store).await, 2 * 3);
    assert_eq!(tallies(&store, scope(post), ScanKey::Place).await, by_place);
});

each_backend!(todays_scans_count_at_once_and_the_day_is_summarised_after_midnight, |store| {
    use DeviceClass::Android;
    let f = fixture(&store).await;
    let r = Recorder::new(&store);
    let post = vec![f.post.id, f.station.id];
    let on = |now: DateTime<Utc>| ScanScope {
        days: DayRange::new(day(4), day(5)).expect("range"),
        first_open_day: open_at(now),
        ..scope(post.clone())
    };

    // Dec 4, 10:00 and 23:59 in Hà Nội.
    r.scan("HSEAAA", utc(4, 3, 0), Android, 1, None).await;
    assert_eq!(tallies(&store, on(utc(4, 3, 0)), ScanKey::Day).await, vec![(day(4), None, t(1, 0, 0, 1))]);
    r.scan("HSEBBB", utc(4, 16, 59), Android, 2, None).await;
    assert_eq!(tallies(&store, on(utc(4, 16, 59)), ScanKey::Day).await, vec![(day(4), None, t(2, 0, 0, 2))]);

    // 00:30 on Dec 5: within the grace, Dec 4 is still open and counted from its rows.
    let half_past = utc(4, 17, 30);
    assert_eq!(open_at(half_past).day(), day(4));
    assert_eq!(tallies(&store, on(half_past), ScanKey::Day).await, vec![(day(4), None, t(2, 0, 0, 2))]);
    assert_eq!(markers(&store).await, 0);
    r.scan("HSEAAA", utc(4, 17, 40), Android, 3, None).await;

    // 01:30: Dec 4 is finished, summarised on this first ask, and reads the same afterwards.
    let later = utc(4, 18, 30);
    assert_eq!(open_at(later).day(), day(5));
    let want = vec![(day(4), None, t(2, 0, 0, 2)), (day(5), None, t(1, 0, 0, 1))];
    assert_eq!(tallies(&store, on(later), ScanKey::Day).await, want);
    assert_eq!(markers(&store).await, 1);
    assert_eq!(tallies(&store, on(later), ScanKey::Day).await, want);
    assert_eq!(tallies(&store, on(utc(5, 19, 0)), ScanKey::Day).await, want);
    assert_eq!(markers(&store).await, 2, "Dec 5 is finished too at 02:00 on Dec 6");
});

each_backend!(scopes_never_read_each_others_summaries, |store| {
    let f = fixture(&store).await;
    scans_of_two_days(&store).await;
    let both = vec![f.post.id, f.station.id];
    let province = {
        let links = store.unit_links().await.expect("links");
        frontier_domain::tree::subtree(&links, f.province.id)
    };
    let (house, office) = (Some(f.house.id.to_string()), Some(f.office.id.to_string()));
    let (android, preview, desktop) =
        (Some("android".to_owned()), Some("link_preview".to_owned()), Some("desktop".to_owned()));
    let one = t(1, 0, 0, 1);
    let mut by_place = vec![
        (day(2), house.clone(), one),
        (day(3), house.clone(), t(4, 1, 1, 2)),
        (day(3), office, one),
        (day(4), house, one),
    ];
    by_place.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let cases = vec![
        (
            scope(both.clone()),
            ScanKey::Day,
            vec![(day(2), None, one), (day(3), None, t(5, 1, 1, 3)), (day(4), None, one)],
        ),
        (
            ScanScope { human_only: true, ..scope(both.clone()) },
            ScanKey::Day,
            vec![(day(2), None, one), (day(3), None, t(5, 1, 0, 3)), (day(4), None, one)],
        ),
        // The post without its station: only the office's scan.
        (scope(vec![f.post.id]), ScanKey::Day, vec![(day(3), None, one)]),
        (
            scope(vec![f.station.id]),
            ScanKey::Day,
            vec![(day(2), None, one), (day(3), None, t(4, 1, 1, 2)), (day(4), None, one)],
        ),
        (scope(province), ScanKey::Day, vec![(day(2), None, one), (day(3), None, t(6, 1, 1, 4)), (day(4), None, one)]),
        (scope(both.clone()), ScanKey::Place, by_place),
        (
            scope(vec![f.station.id]),
            ScanKey::Device,
            vec![
                (day(2), android.clone(), one),
                (day(3), android.clone(), t(3, 1, 0, 1)),
                (day(3), desktop, one),
                (day(3), preview, t(0, 0, 1, 0)),
                (day(4), android, one),
            ],
        ),
    ];
    for pass in ["cold", "warm"] {
        for (s, key, want) in &cases {
            assert_eq!(&tallies(&store, s.clone(), *key).await, want, "{pass} {key:?} {:?}", s.units);
        }
    }
    assert_eq!(markers(&store).await, 7 * 3, "Dec 1 to 3 of each scope");
    // The same units in another order are the same scope: its summaries are read, none are added.
    let reversed = scope(vec![f.station.id, f.post.id]);
    assert_eq!(tallies(&store, reversed, ScanKey::Day).await, cases[0].2);
    assert_eq!(markers(&store).await, 7 * 3);
});

each_backend!(pruned_summaries_are_counted_again, |store| {
    let f = fixture(&store).await;
    scans_of_two_days(&store).await;
    let post = vec![f.post.id, f.station.id];
    let want = vec![(day(2), None, t(1, 0, 0, 1)), (day(3), None, t(5, 1, 1, 3)), (day(4), None, t(1, 0, 0, 1))];
    assert_eq!(tallies(&store, scope(post.clone()), ScanKey::Day).await, want);
    assert_eq!(store.prune_scan_summaries(Utc::now() - chrono::Duration::days(1)).await.expect("prune"), 0);
    assert_eq!(markers(&store).await, 3);
    assert_eq!(store.prune_scan_summaries(Utc::now() + chrono::Duration::days(1)).await.expect("prune"), 3);
    assert_eq!(markers(&store).await, 0);
    let left: i64 = {
        use crate::schema::scan_summaries;
        use diesel::prelude::*;
        store.run(|c| Ok(scan_summaries::table.count().get_result(c)?)).await.expect("rows")
    };
    assert_eq!(left, 0, "rows go with their markers");
    assert_eq!(tallies(&store, scope(post), ScanKey::Day).await, want);
    assert_eq!(markers(&store).await, 3);
});

/// When people last scanned HSEAAA, as "least-used places" reads it.
async fn last_scan_of_house(store: &Store, f: &Fixture) -> Option<DateTime<Utc>> {
    let uses = store.code_use(vec![f.post.id, f.station.id]).await.expect("use");
    uses.into_iter().find(|u| u.code.code.as_str() == "HSEAAA").and_then(|u| u.last_scan)
}

/// The latest moment a person's scan of HSEAAA was recorded, read from the scans themselves.
async fn latest_person_scan_of_house(store: &Store) -> Option<DateTime<Utc>> {
    let scans = store.scans_of("HSEAAA".into()).await.expect("scans");
    scans.iter().filter(|s| s.device.is_human()).map(|s| s.occurred_at).max()
}

fn phone_scan(code: &str) -> ScanRequest {
    ScanRequest { device: DeviceClass::Android, ..ScanRequest::link(code) }
}

// Many phones at once: the writer may hold the codes' last-scan moments back (large batches), but a
// flush writes them, and what it writes is the latest person's scan, not a bot's after it.
each_backend!(the_scan_writer_keeps_each_codes_last_scan_under_load, |store| {
    let f = fixture(&store).await;
    let writer = ScanWriter::start(store.clone(), StatsZone::default(), Arc::new(SystemClock));
    let phones: Vec<_> = (0..16)
        .map(|_| {
            let w = writer.clone();
            tokio::spawn(async move {
                for _ in 0..25 {
                    w.record(phone_scan("HSEAAA")).await.expect("scan");
                }
            })
        })
        .collect();
    for p in phones {
        p.await.expect("phone");
    }
    writer.record(ScanRequest::link("HSEAAA")).await.expect("a bot's scan (no user agent)");
    writer.flush().await;
    let latest = latest_person_scan_of_house(&store).await;
    assert!(latest.is_some());
    assert_eq!(last_scan_of_house(&store, &f).await, latest);
});

// A crash loses what the writer held in memory, not the scans: the next writer reads the last
// seconds of scans back as it starts.
each_backend!(a_new_scan_writer_repairs_the_last_scans_a_crash_lost, |store| {
    use crate::schema::code_scans;
    use diesel::prelude::*;
    let f = fixture(&store).await;
    let writer = ScanWriter::start(store.clone(), StatsZone::default(), Arc::new(SystemClock));
    for _ in 0..3 {
        writer.record(phone_scan("HSEAAA")).await.expect("scan");
    }
    writer.flush().await;
    let latest = latest_person_scan_of_house(&store).await;
    assert!(latest.is_some());
    // As if the process had died holding these moments back.
    store.run(|c| Ok(diesel::delete(code_scans::table).execute(c)?)).await.expect("forget");
    assert_eq!(last_scan_of_house(&store, &f).await, None);
    let next = ScanWriter::start(store.clone(), StatsZone::default(), Arc::new(SystemClock));
    next.flush().await;
    assert_eq!(last_scan_of_house(&store, &f).await, latest);
});

// Unknown-code scans by text, on both backends: counted per local day, people apart from bots,
// most scanned first and ties by text; known codes' scans and other days left out.
each_backend!(unknown_code_scans_are_counted_by_text, |store| {
    let f = fixture(&store).await;
    scans_of_two_days(&store).await;
    let unknown = |text: &str, at: DateTime<Utc>, local: u32, device: DeviceClass| ScanEvent {
        id: ScanId::generate(),
        occurred_at: at,
        scanned_text: text.to_owned(),
        qr_code_id: None,
        place_id: None,
        unit_id: None,
        target: None,
        outcome: ScanOutcome::UnknownCode,
        locale: None,
        local_day: self::day(local),
        device,
        repeat: false,
        visitor: None,
        source: ScanSource::Link,
    };
    store
        .import_scans(vec![
            unknown("ZZZZZZ", utc(1, 9, 0), 1, DeviceClass::Android),
            unknown("ZZZZZZ", utc(2, 9, 0), 2, DeviceClass::Bot),
            unknown("ZZZZZZ", utc(3, 9, 0), 3, DeviceClass::Ios),
            unknown("AAAAAA", utc(3, 8, 0), 3, DeviceClass::Android),
            unknown("BBBBBB", utc(3, 7, 0), 3, DeviceClass::LinkPreview),
            unknown("ZZZZZZ", utc(4, 9, 0), 4, DeviceClass::Android),
        ])
        .await
        .expect("import");
    let days = DayRange::new(day(2), day(3)).expect("days");
    let found = store.unknown_scans(days, 10).await.expect("unknown");
    let text = |t: &str, scans: i64, people: i64, last: DateTime<Utc>| UnknownText {
        text: t.to_owned(),
        scans,
        people,
        last_at: last,
    };
    assert_eq!(
        found,
        UnknownScans {
            total: 4,
            texts: vec![
                text("ZZZZZZ", 2, 1, utc(3, 9, 0)),
                text("AAAAAA", 1, 1, utc(3, 8, 0)),
                text("BBBBBB", 1, 0, utc(3, 7, 0)),
            ],
        }
    );
    assert_eq!(store.unknown_scans(days, 1).await.expect("top").texts.len(), 1);
    assert!(f.codes.contains_key("FFCAAA"), "the fixture's known codes were scanned too, and are not listed");
});
