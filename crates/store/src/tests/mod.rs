//! Store tests. Each runs against SQLite, and against PostgreSQL when `FRONTIER_TEST_POSTGRES_URL`
//! is set (CI sets it), through the same code.

use crate::*;
use chrono::{TimeZone, Utc};
use frontier_domain::translation::NamedText;
use frontier_domain::*;

fn l(s: &str) -> Locale {
    Locale::parse(s).expect("locale")
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("slug")
}

fn names(vi: &str, en: Option<&str>) -> Translated<NamedText> {
    let mut v = vec![(l("vi"), NamedText::new(vi, None).expect("name"))];
    if let Some(en) = en {
        v.push((l("en"), NamedText::new(en, Some("desc")).expect("name")));
    }
    Translated::new(v)
}

fn unit(s: &str, kind: UnitKind, parent: Option<UnitId>) -> NewUnit {
    NewUnit { slug: slug(s), kind, parent, phone: None, address: None, texts: names(s, None) }
}

/// province → post-a → station-a1, and province → post-b.
async fn unit_tree(store: &Store) -> (Unit, Unit, Unit, Unit) {
    let p = store.save_unit(unit("province", UnitKind::ProvinceCommand, None)).await.expect("province");
    let a = store.save_unit(unit("post-a", UnitKind::BorderPost, Some(p.id))).await.expect("post a");
    let a1 = store.save_unit(unit("station-a1", UnitKind::Station, Some(a.id))).await.expect("station");
    let b = store.save_unit(unit("post-b", UnitKind::BorderPost, Some(p.id))).await.expect("post b");
    (p, a, a1, b)
}

async fn category(store: &Store, s: &str, parent: Option<CategoryId>, position: i32) -> Category {
    let new = NewCategory { slug: slug(s), parent, position, texts: names(s, Some(s)) };
    store.save_category(new).await.expect("category")
}

fn translation(title: &str) -> ArticleTranslation {
    ArticleTranslation::new(title, "summary", "body").expect("translation")
}

async fn article(store: &Store, s: &str, cat: CategoryId, unit: UnitId, day: u32, locales: &[&str]) -> Article {
    let translations = Translated::new(locales.iter().map(|loc| (l(loc), translation(&format!("{s} {loc}")))));
    let published_at = Utc.with_ymd_and_hms(2025, 5, day, 8, 0, 0).single().expect("date");
    let new = NewArticle { slug: slug(s), category: cat, unit, published_at, translations };
    store.save_article(new).await.expect("article")
}

each_backend!(migrations_are_idempotent, |store| {
    assert_eq!(store.migrate().await.expect("again"), 0, "second run applies nothing");
});

each_backend!(units_form_a_checked_tree, |store| {
    let (p, a, a1, b) = unit_tree(&store).await;
    let all: Vec<String> =
        store.units(Audience::public(Utc::now())).await.expect("units").iter().map(|u| u.slug.to_string()).collect();
    assert_eq!(all, ["province", "post-a", "post-b", "station-a1"]);
    let kids = store.units_by_parents(Audience::public(Utc::now()), vec![p.id]).await.expect("children");
    assert_eq!(kids.iter().map(|u| u.id).collect::<Vec<_>>(), vec![a.id, b.id]);
    assert_eq!(a1.parent_id, Some(a.id));

    let bad = store.save_unit(unit("station-x", UnitKind::Station, Some(p.id))).await;
    assert!(matches!(bad, Err(StoreError::Invalid(ref e)) if e.field == "parent"), "{bad:?}");
    let orphan = store.save_unit(unit("post-x", UnitKind::BorderPost, Some(UnitId::generate()))).await;
    assert!(matches!(orphan, Err(StoreError::NotFound(_))), "{orphan:?}");
    assert_eq!(
        store.units(Audience::public(Utc::now())).await.expect("units").len(),
        4,
        "failed saves left nothing behind"
    );
});

each_backend!(saving_by_slug_updates_in_place, |store| {
    let first = store.save_unit(unit("province", UnitKind::ProvinceCommand, None)).await.expect("first");
    let mut again = unit("province", UnitKind::ProvinceCommand, None);
    again.texts = names("Bộ Chỉ huy", Some("Command"));
    again.phone = Some("0205 000 0000".into());
    let second = store.save_unit(again).await.expect("second");
    assert_eq!(second.id, first.id);
    assert_eq!(second.created_at, first.created_at);
    assert_eq!(second.phone.as_deref(), Some("0205 000 0000"));
    assert_eq!(second.texts.get(&l("en")).map(|t| t.name.as_str()), Some("Command"));
    assert_eq!(second.texts.get(&l("vi")).map(|t| t.name.as_str()), Some("Bộ Chỉ huy"));
    assert_eq!(store.units(Audience::public(Utc::now())).await.expect("units").len(), 1);
});

each_backend!(categories_list_roots_and_children_in_order, |store| {
    let news = category(&store, "tin-tuc", None, 2).await;
    let culture = category(&store, "van-hoa", None, 1).await;
    let then = category(&store, "hat-then", Some(culture.id), 1).await;
    let fest = category(&store, "le-hoi", Some(culture.id), 0).await;
    let roots: Vec<CategoryId> =
        store.root_categories(Audience::public(Utc::now())).await.expect("roots").iter().map(|c| c.id).collect();
    assert_eq!(roots, vec![culture.id, news.id]);
    let kids: Vec<CategoryId> = store
        .categories_by_parents(Audience::public(Utc::now()), vec![culture.id])
        .await
        .expect("kids")
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(kids, vec![fest.id, then.id]);
    let cycle = store.save_category(NewCategory {
        slug: slug("van-hoa"),
        parent: Some(then.id),
        position: 1,
        texts: names("Văn hóa", None),
    });
    assert!(matches!(cycle.await, Err(StoreError::Invalid(e)) if e.field == "parent"));
});

each_backend!(articles_page_by_keyset_with_filters, |store| {
    let (p, a, a1, b) = unit_tree(&store).await;
    let law = category(&store, "law", None, 1).await;
    let culture = category(&store, "culture", None, 2).await;
    let then = category(&store, "then", Some(culture.id), 1).await;
    // Days 1..=5; two share day 3, so the id breaks the tie.
    let a_1 = article(&store, "a-1", law.id, a.id, 1, &["vi", "en"]).await;
    let a_2 = article(&store, "a-2", culture.id, a1.id, 2, &["vi"]).await;
    let a_3 = article(&store, "a-3", then.id, b.id, 3, &["vi", "fr"]).await;
    let a_4 = article(&store, "a-4", law.id, p.id, 3, &["vi", "en", "fr"]).await;
    let a_5 = article(&store, "a-5", then.id, a1.id, 5, &["vi"]).await;

    let mut q = ArticleQuery { first: 2, ..Default::default() };
    let mut seen = Vec::new();
    loop {
        let page = store.articles(Audience::public(Utc::now()), q.clone()).await.expect("page");
        assert_eq!(page.total, 5);
        seen.extend(page.items.iter().map(|x| x.id));
        match page.items.last() {
            Some(last) if page.has_next => q.after = Some(ArticleCursor::of(last)),
            _ => break,
        }
    }
    let (hi, lo) = if a_4.id > a_3.id { (a_4.id, a_3.id) } else { (a_3.id, a_4.id) };
    assert_eq!(seen, vec![a_5.id, hi, lo, a_2.id, a_1.id], "newest first, ties by id, nothing twice");

    let asc = store.articles(
        Audience::public(Utc::now()),
        ArticleQuery { first: 10, order: ArticleOrder::PublishedAsc, ..Default::default() },
    );
    let asc: Vec<ArticleId> = asc.await.expect("asc").items.iter().map(|x| x.id).collect();
    assert_eq!(asc, vec![a_1.id, a_2.id, lo, hi, a_5.id]);

    let ids = |page: Page<Article>| {
        let mut v: Vec<String> = page.items.iter().map(|x| x.slug.to_string()).collect();
        v.sort();
        (v, page.total)
    };
    let by_cat = store.articles(
        Audience::public(Utc::now()),
        ArticleQuery { category: Some(culture.id), first: 10, ..Default::default() },
    );
    assert_eq!(ids(by_cat.await.expect("cat")), (vec!["a-2".into(), "a-3".into(), "a-5".into()], 3));
    let by_unit = store
        .articles(Audience::public(Utc::now()), ArticleQuery { unit: Some(a.id), first: 10, ..Default::default() });
    assert_eq!(ids(by_unit.await.expect("unit")), (vec!["a-1".into(), "a-2".into(), "a-5".into()], 3));
    let by_locale = store.articles(
        Audience::public(Utc::now()),
        ArticleQuery { locale: Some(l("fr")), first: 10, ..Default::default() },
    );
    assert_eq!(ids(by_locale.await.expect("locale")), (vec!["a-3".into(), "a-4".into()], 2));
    let combined = ArticleQuery {
        unit: Some(p.id),
        category: Some(law.id),
        locale: Some(l("en")),
        first: 1,
        ..Default::default()
    };
    let page = store.articles(Audience::public(Utc::now()), combined).await.expect("combined");
    assert_eq!((page.items.len(), page.has_next, page.total), (1, true, 2));
    assert_eq!(page.items[0].id, a_4.id);

    let by_slug = store.articles(
        Audience::public(Utc::now()),
        ArticleQuery {
            order: ArticleOrder::SlugAsc,
            first: 2,
            after: Some(ArticleCursor::of(&a_2)),
            ..Default::default()
        },
    );
    assert_eq!(ids(by_slug.await.expect("slug")).0, vec!["a-3".to_string(), "a-4".to_string()]);
    let none = store
        .articles(Audience::public(Utc::now()), ArticleQuery { first: 0, ..Default::default() })
        .await
        .expect("zero");
    assert_eq!((none.items.len(), none.has_next, none.total), (0, true, 5));
});

each_backend!(article_translations_round_trip, |store| {
    let (p, ..) = unit_tree(&store).await;
    let law = category(&store, "law", None, 1).await;
    let body = "Nội dung **Luật Biên phòng** — 2020.\n\n- một\n- hai";
    let translations = Translated::new([
        (l("vi"), ArticleTranslation::new("Luật Biên phòng Việt Nam", "Tóm tắt", body).expect("vi")),
        (l("zh-Hans"), ArticleTranslation::new("越南边防法", "摘要", "内容").expect("zh")),
    ]);
    let published_at = Utc.with_ymd_and_hms(2025, 4, 20, 8, 0, 0).single().expect("date");
    let new = NewArticle { slug: slug("luat"), category: law.id, unit: p.id, published_at, translations };
    let saved = store.save_article(new.clone()).await.expect("save");
    let got = store.article_by_slug(Audience::public(Utc::now()), "luat".into()).await.expect("load").expect("found");
    assert_eq!(got, saved);
    assert_eq!(got.published_at, published_at);
    assert_eq!(got.translations.get(&l("vi")).map(|t| t.body.as_str()), Some(body));
    assert_eq!(got.translations.get(&l("zh-Hans")).map(|t| t.title.as_str()), Some("越南边防法"));
    let none = NewArticle { translations: Translated::new([(l("en"), translation("x"))]), ..new };
    assert!(matches!(store.save_article(none).await, Err(StoreError::Invalid(_))), "vi is required");
});

async fn place(store: &Store, s: &str, unit: UnitId, kind: PlaceKind) -> Place {
    let new = NewPlace {
        slug: slug(s),
        kind,
        unit,
        commune: Some("Kiên Mộc".into()),
        village: None,
        location: Some(Coordinates::new(21.61, 107.18).expect("coords")),
        texts: names(s, None),
    };
    store.save_place(new).await.expect("place")
}

each_backend!(places_and_codes, |store| {
    let (p, a, a1, b) = unit_tree(&store).await;
    let house = place(&store, "house-1", a1.id, PlaceKind::CulturalHouse).await;
    let office = place(&store, "office", a.id, PlaceKind::CommuneOffice).await;
    let other = place(&store, "house-b", b.id, PlaceKind::CulturalHouse).await;
    assert_eq!(house.location.map(|c| c.latitude()), Some(21.61));

    let page = store
        .places(Audience::public(Utc::now()), PlaceQuery { unit: Some(a.id), first: 10, ..Default::default() })
        .await
        .expect("page");
    assert_eq!(page.items.iter().map(|x| x.id).collect::<Vec<_>>(), vec![house.id, office.id]);
    let houses = PlaceQuery { unit: Some(p.id), kind: Some(PlaceKind::CulturalHouse), first: 1, ..Default::default() };
    let page = store.places(Audience::public(Utc::now()), houses.clone()).await.expect("houses");
    assert_eq!((page.items[0].id, page.has_next, page.total), (house.id, true, 2));
    let next = store
        .places(Audience::public(Utc::now()), PlaceQuery { after: Some(house.slug.clone()), ..houses })
        .await
        .expect("next");
    assert_eq!((next.items[0].id, next.has_next), (other.id, false));

    let code = |s: &str| QrCodeValue::parse(s).expect("code");
    let qr = NewQrCode {
        code: code("BX7K2M"),
        place: house.id,
        target: QrTarget::Place(house.id),
        active: true,
        expires_at: None,
    };
    let saved = store.save_qr_code(qr.clone()).await.expect("qr");
    let second = NewQrCode { code: code("BX7K2N"), target: QrTarget::Unit(a.id), ..qr.clone() };
    store.save_qr_code(second).await.expect("second");
    let found =
        store.qr_code_by_code(Audience::public(Utc::now()), code("bx7k2m")).await.expect("by code").expect("found");
    assert_eq!(found, saved);
    let in_house =
        store.qr_codes_by_places(Audience::public(Utc::now()), vec![house.id, office.id]).await.expect("by place");
    assert_eq!(in_house.iter().map(|q| q.code.as_str()).collect::<Vec<_>>(), ["BX7K2M", "BX7K2N"]);
    let dangling = NewQrCode { code: code("BX7K2P"), target: QrTarget::Article(ArticleId::generate()), ..qr };
    assert!(matches!(store.save_qr_code(dangling).await, Err(StoreError::NotFound(_))));
});

each_backend!(scans_are_recorded_with_their_outcome, |store| {
    let (_, a, ..) = unit_tree(&store).await;
    let house = place(&store, "house-1", a.id, PlaceKind::CulturalHouse).await;
    let code = |s: &str| QrCodeValue::parse(s).expect("code");
    let on = NewQrCode {
        code: code("BX7K2M"),
        place: house.id,
        target: QrTarget::Place(house.id),
        active: true,
        expires_at: None,
    };
    store.save_qr_code(on.clone()).await.expect("on");
    store.save_qr_code(NewQrCode { code: code("BX7K2N"), active: false, ..on }).await.expect("off");

    let scanned = store.record_scan("bx7k2m".into(), Some(l("fr"))).await.expect("ok scan");
    let ok = &scanned.event;
    assert_eq!((ok.outcome, ok.unit_id, ok.place_id), (ScanOutcome::Ok, Some(a.id), Some(house.id)));
    assert_eq!(ok.target, Some(QrTarget::Place(house.id)));
    assert!(scanned.qr.is_some());
    assert_eq!(scanned.target_slug.as_ref().map(Slug::as_str), Some("house-1"));
    let off = store.record_scan("BX7K2N".into(), None).await.expect("off scan");
    assert_eq!((off.event.outcome, off.target_slug), (ScanOutcome::Disabled, None));
    let unknown = store.record_scan("ZZZZZZ".into(), None).await.expect("unknown");
    assert_eq!((unknown.event.outcome, unknown.qr), (ScanOutcome::UnknownCode, None));
    let junk = store.record_scan("../../etc/passwd\u{0}".into(), None).await.expect("junk").event;
    assert_eq!((junk.outcome, junk.scanned_text.as_str()), (ScanOutcome::UnknownCode, "../../ETC/PASSWD?"));

    assert_eq!(store.scan_count("BX7K2M".into(), None).await.expect("count"), 1);
    assert_eq!(store.scan_count("BX7K2M".into(), Some(ScanOutcome::Disabled)).await.expect("count"), 0);
    assert_eq!(store.scan_count("zzzzzz".into(), Some(ScanOutcome::UnknownCode)).await.expect("count"), 1);
    assert_eq!(store.scan_total().await.expect("total"), 4);
});

each_backend!(concurrent_scans_are_all_recorded, |store| {
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let s = store.clone();
            tokio::spawn(async move { s.record_scan("ABCDEF".into(), None).await })
        })
        .collect();
    for t in tasks {
        t.await.expect("join").expect("scan");
    }
    assert_eq!(store.scan_total().await.expect("total"), 32);
});

// A batch is written by statements of 64, 32, …, 1 rows: 127 scans take one of each size, and
// every scan must be stored once, as itself.
each_backend!(a_batch_of_every_statement_size_stores_each_scan_once, |store| {
    let requests: Vec<_> = (0..127).map(|i| ScanRequest::link(&format!("ZZ{i:04}"))).collect();
    let done = store.record_scans(requests, StatsZone::default()).await.expect("batch");
    assert_eq!(done.len(), 127);
    assert_eq!(store.scan_total().await.expect("total"), 127);
    for i in [0, 63, 64, 95, 96, 111, 112, 119, 120, 123, 124, 125, 126] {
        let text = format!("ZZ{i:04}");
        let stored = store.scans_of(text.clone()).await.expect("scans");
        assert_eq!(stored.len(), 1, "{text}");
        assert_eq!(stored[0].id, done[i].event.id, "{text} is stored as the answer says");
    }
});

// The repeat window is the scan writer's memory, not a lookup: it must hold across batches, per
// visitor and per code, and end at 30 minutes.
each_backend!(repeats_are_told_per_visitor_and_code_across_batches, |store| {
    let (_, a, ..) = unit_tree(&store).await;
    let house = place(&store, "house-1", a.id, PlaceKind::CulturalHouse).await;
    for c in ["BX7K2M", "BX7K2N"] {
        let code = QrCodeValue::parse(c).expect("code");
        let new =
            NewQrCode { code, place: house.id, target: QrTarget::Place(house.id), active: true, expires_at: None };
        store.save_qr_code(new).await.expect("code");
    }
    let start = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).single().expect("time");
    let clock = std::sync::Arc::new(ManualClock::new(start));
    let writer = ScanWriter::start(store.clone(), StatsZone::default(), clock.clone());
    let key = |n: u8| VisitorKey::parse(&format!("{n:032x}")).expect("key");
    let scan = |code: &str, visitor: u8, minute: i64| {
        clock.set(start + chrono::Duration::minutes(minute));
        let request = ScanRequest { visitor: Some(key(visitor)), ..ScanRequest::link(code) };
        let writer = writer.clone();
        async move { writer.record(request).await.expect("scan").event.repeat }
    };
    assert!(!scan("BX7K2M", 1, 0).await, "a first scan");
    assert!(!scan("BX7K2N", 1, 0).await, "another code is no repeat");
    assert!(!scan("BX7K2M", 2, 0).await, "another visitor is no repeat");
    assert!(scan("BX7K2M", 1, 29).await, "the same visitor and code 29 minutes later");
    assert!(!scan("BX7K2N", 1, 31).await, "31 minutes later counts again");
    assert!(scan("BX7K2N", 1, 32).await, "and is itself repeated");
    assert!(!scan("BX7K2M", 2, 31).await, "the second visitor's window ended too");
    // Two scans of one batch: the second repeats the first, and the window holds it afterwards.
    let twice = vec![ScanRequest { visitor: Some(key(3)), ..ScanRequest::link("BX7K2M") }; 2];
    let done = store.record_scans(twice, StatsZone::default()).await.expect("batch");
    assert_eq!(done.iter().map(|s| s.event.repeat).collect::<Vec<_>>(), [false, true]);
    // A text no code has: the same phone retrying it is one person (a torn poster), another text is not.
    assert!(!scan("ZZZZZZ", 1, 33).await, "a first scan of an unknown text");
    assert!(scan("zzzzzz", 1, 34).await, "the same text again, in any case, repeats it");
    assert!(!scan("ZZZZZY", 1, 34).await, "another unknown text is no repeat");
    assert!(!scan("ZZZZZZ", 2, 34).await, "nor the same text from another phone");
    assert_eq!(store.scan_total().await.expect("total"), 13);
});

#[tokio::test]
async fn unopenable_database_gives_one_clear_line() {
    let err = Store::open("sqlite:///proc/frontier-cannot-be-here/x.db", 2).await.err().expect("must fail");
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Config(_)), "{msg}");
    assert!(msg.contains("/proc/frontier-cannot-be-here"), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
    let err = Store::open("postgres://nobody:pw@127.0.0.1:1/none", 2).await.err().expect("must fail");
    let msg = err.to_string();
    assert!(msg.starts_with("cannot open database postgres://nobody:***@127.0.0.1:1/none"), "{msg}");
    assert!(!msg.contains("pw@") && !msg.contains('\n'), "{msg}");
}

#[derive(diesel::QueryableByName)]
struct Pragma {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_connections_use_wal_and_wait_for_locks() {
    use diesel::RunQueryDsl;
    let db = testing::TestDatabase::sqlite();
    let store = db.store().await;
    let read = |pragma: &'static str, column: &'static str| {
        let store = store.clone();
        async move {
            store
                .run(move |c| {
                    let q = format!("SELECT CAST({column} AS TEXT) AS value FROM pragma_{pragma}");
                    Ok(diesel::sql_query(q).get_result::<Pragma>(c)?.value)
                })
                .await
                .expect(pragma)
        }
    };
    assert_eq!(read("journal_mode", "journal_mode").await, "wal");
    assert_eq!(read("busy_timeout", "timeout").await, "5000");
    assert_eq!(read("foreign_keys", "foreign_keys").await, "1");
    assert_eq!(read("synchronous", "synchronous").await, "2", "FULL: a commit is on disk when it returns");
}

mod durable;
mod inbox;
mod media;
mod stats;
mod workflow;

each_backend!(codes_of_archived_places_and_units_scan_as_disabled, |store| {
    let (_, a, a1, _) = unit_tree(&store).await;
    let house = place(&store, "house-1", a1.id, PlaceKind::CulturalHouse).await;
    let office = place(&store, "office-1", a.id, PlaceKind::CommuneOffice).await;
    let code = |s: &str| QrCodeValue::parse(s).expect("code");
    let at_house = NewQrCode {
        code: code("BX7K2M"),
        place: house.id,
        target: QrTarget::Place(house.id),
        active: true,
        expires_at: None,
    };
    store.save_qr_code(at_house).await.expect("house code");
    let at_office = NewQrCode {
        code: code("BX7K2N"),
        place: office.id,
        target: QrTarget::Place(office.id),
        active: true,
        expires_at: None,
    };
    store.save_qr_code(at_office).await.expect("office code");
    let outcome = |s: &'static str| {
        let store = store.clone();
        async move { store.record_scan(s.into(), None).await.expect("scan").event.outcome }
    };
    assert_eq!(outcome("BX7K2M").await, ScanOutcome::Ok);
    store.set_place_archived(house.id, house.version, true, AuditActor::system()).await.expect("archive place");
    assert_eq!(outcome("BX7K2M").await, ScanOutcome::Disabled, "its place is archived");
    assert_eq!(outcome("BX7K2N").await, ScanOutcome::Ok);
    // Archiving the post hides the station below it and the post's own places.
    store.set_unit_archived(a.id, a.version, true, AuditActor::system()).await.expect("archive post");
    assert_eq!(outcome("BX7K2N").await, ScanOutcome::Disabled, "its unit is archived");
});
