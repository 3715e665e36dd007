//! The demo content is complete, well-formed and loads idempotently on both backends.

use frontier_domain::{Locale, PlaceKind, UnitKind};
use frontier_store::{ArticleQuery, PlaceQuery, Store, each_backend};
use std::collections::HashSet;

fn l(s: &str) -> Locale {
    Locale::parse(s).expect("locale")
}

/// Letters only Vietnamese uses among the Latin scripts: a text with none of them lost its diacritics.
fn has_vietnamese_diacritics(text: &str) -> bool {
    text.chars().any(|c| {
        "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
            .contains(c.to_lowercase().next().unwrap_or(c))
    })
}

#[test]
fn demo_content_has_what_the_post_asked_for() {
    let c = frontier_demo::load().expect("content parses");
    let count_places = |k: PlaceKind| c.places.iter().filter(|p| p.kind == k).count();
    assert_eq!(count_places(PlaceKind::CulturalHouse), 13, "13 cultural houses");
    assert_eq!(count_places(PlaceKind::BorderStation), 4, "4 border stations");
    assert!(count_places(PlaceKind::CommuneOffice) >= 1);
    assert!(count_places(PlaceKind::PatrolPoint) >= 3, "several patrol points");

    let kinds: Vec<UnitKind> = c.units.iter().map(|u| u.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == UnitKind::ProvinceCommand).count(), 1);
    let bac_xa = c.units.iter().find(|u| u.slug.as_str() == "don-bien-phong-bac-xa").expect("Bắc Xa post");
    let stations = c.units.iter().filter(|u| u.parent.as_ref() == Some(&bac_xa.slug)).count();
    assert_eq!(stations, 4, "Bắc Xa has 4 stations");

    let roots: Vec<&str> = c.categories.iter().filter(|k| k.parent.is_none()).map(|k| k.slug.as_str()).collect();
    assert_eq!(roots.len(), 8, "{roots:?}");

    assert!(c.articles.len() >= 24, "{} articles", c.articles.len());
    let with = |tag: &str| c.articles.iter().filter(|a| a.translations.get(&l(tag)).is_some()).count();
    assert_eq!(with("vi"), c.articles.len(), "every article in Vietnamese");
    assert!(with("en") * 2 > c.articles.len() && with("fr") * 2 > c.articles.len(), "most in en and fr");
    assert!(with("zh") >= 2, "a few in Chinese");
    for a in &c.articles {
        let vi = a.translations.get(&l("vi")).expect("vi");
        assert!(has_vietnamese_diacritics(&vi.title) && has_vietnamese_diacritics(&vi.body), "{}", a.slug);
    }
    for u in &c.units {
        assert!(has_vietnamese_diacritics(&u.texts.get(&l("vi")).expect("vi").name), "{}", u.slug);
    }

    let codes: HashSet<&str> = c.qr_codes.iter().map(|q| q.code.as_str()).collect();
    assert_eq!(codes.len(), c.qr_codes.len(), "codes are unique");
    let with_code: HashSet<&str> = c.qr_codes.iter().map(|q| q.place.as_str()).collect();
    assert_eq!(with_code.len(), c.places.len(), "every place has its own code");
}

async fn counts(store: &Store) -> (usize, i64, i64, usize, Vec<String>) {
    let units = store.units(frontier_store::Audience::public(chrono::Utc::now())).await.expect("units");
    let articles = store
        .articles(
            frontier_store::Audience::public(chrono::Utc::now()),
            ArticleQuery { first: 100, ..Default::default() },
        )
        .await
        .expect("articles");
    let places = store
        .places(frontier_store::Audience::public(chrono::Utc::now()), PlaceQuery { first: 100, ..Default::default() })
        .await
        .expect("places");
    let codes = store.qr_codes().await.expect("codes");
    let ids = units.iter().map(|u| u.id.to_string()).chain(articles.items.iter().map(|a| a.id.to_string())).collect();
    (units.len(), articles.total, places.total, codes.len(), ids)
}

each_backend!(seeding_twice_duplicates_nothing, |store| {
    let content = frontier_demo::load().expect("content");
    let first = frontier_demo::seed(&store).await.expect("first seed");
    assert_eq!(first.articles, content.articles.len());
    let before = counts(&store).await;
    assert_eq!(
        (before.0, before.1 as usize, before.2 as usize, before.3),
        (content.units.len(), content.articles.len(), content.places.len(), content.qr_codes.len())
    );
    let total = content.units.len()
        + content.categories.len()
        + content.articles.len()
        + content.places.len()
        + content.qr_codes.len();
    assert_eq!(first.created, total);
    let second = frontier_demo::seed(&store).await.expect("second seed");
    assert_eq!(second, frontier_demo::SeedReport { created: 0, ..first });
    assert_eq!(counts(&store).await, before, "same rows, same ids");
});

each_backend!(seeding_again_keeps_what_people_changed, |store| {
    frontier_demo::seed(&store).await.expect("seed");
    // An officer switches a code off and rewrites an article's Vietnamese title.
    let code = frontier_domain::QrCodeValue::parse("K4PVHZ").expect("code");
    let qr = store
        .qr_code_by_code(frontier_store::Audience::public(chrono::Utc::now()), code.clone())
        .await
        .expect("load")
        .expect("demo code");
    let off = frontier_store::NewQrCode {
        code: code.clone(),
        place: qr.place_id,
        target: qr.target,
        active: false,
        expires_at: None,
    };
    store.save_qr_code(off).await.expect("switch off");
    let article = store
        .article_by_slug(frontier_store::Audience::public(chrono::Utc::now()), "luat-bien-phong-viet-nam-2020".into())
        .await
        .expect("load")
        .expect("demo");
    let edited = frontier_domain::Translated::new([(
        l("vi"),
        frontier_domain::ArticleTranslation::new("Tiêu đề đã sửa", "Tóm tắt", "Nội dung").expect("text"),
    )]);
    let new = frontier_store::NewArticle {
        slug: article.slug.clone(),
        category: article.category_id,
        unit: article.unit_id,
        published_at: article.published_at,
        translations: edited,
    };
    store.save_article(new).await.expect("edit");

    let again = frontier_demo::seed(&store).await.expect("seed again");
    assert_eq!(again.created, 0);
    let qr = store
        .qr_code_by_code(frontier_store::Audience::public(chrono::Utc::now()), code)
        .await
        .expect("load")
        .expect("code");
    assert!(!qr.active, "the seed did not switch the code back on");
    let article = store
        .article_by_slug(frontier_store::Audience::public(chrono::Utc::now()), "luat-bien-phong-viet-nam-2020".into())
        .await
        .expect("load")
        .expect("demo");
    assert_eq!(article.translations.get(&l("vi")).map(|t| t.title.as_str()), Some("Tiêu đề đã sửa"));
});
