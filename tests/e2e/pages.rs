//! Reader pages: language from `?lang=` or `Accept-Language`, a visible switch, fallback with a
//! notice, light plain HTML.

use crate::demo::{HOUSE_SLUG, LAW_ARTICLE, content};
use crate::harness::{client, e2e};
use frontier_domain::Locale;

fn title(slug: &str, tag: &str) -> String {
    let a = content().articles.iter().find(|a| a.slug.as_str() == slug).expect("article in demo");
    a.translations.get(&Locale::parse(tag).expect("tag")).expect("translation").title.clone()
}

/// Titles are HTML-escaped on the page.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

async fn page(server: &crate::harness::Server, path: &str, accept: Option<&str>) -> (u16, String) {
    let mut req = client().get(server.url(path));
    if let Some(a) = accept {
        req = req.header("accept-language", a);
    }
    let r = req.send().await.expect("page");
    (r.status().as_u16(), r.text().await.expect("html"))
}

e2e!(article_page_follows_lang_then_accept_language, |server| {
    let path = format!("/a/{LAW_ARTICLE}");
    let (status, fr) = page(&server, &format!("{path}?lang=fr"), Some("en")).await;
    assert_eq!(status, 200);
    assert!(fr.contains(&escaped(&title(LAW_ARTICLE, "fr"))), "?lang=fr wins over Accept-Language");
    assert!(fr.contains("<html lang=\"fr\">"));

    let (_, en) = page(&server, &path, Some("en-US,en;q=0.9,vi;q=0.5")).await;
    assert!(en.contains(&escaped(&title(LAW_ARTICLE, "en"))), "Accept-Language picks English");

    // A typical Vietnamese phone also lists English: it still gets Vietnamese, with no notice.
    let (_, phone) = page(&server, &path, Some("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7")).await;
    assert!(phone.contains(&escaped(&title(LAW_ARTICLE, "vi"))), "Vietnamese phone gets Vietnamese");
    assert!(!phone.contains("class=\"notice\""));
    let (_, chosen) = page(&server, &format!("{path}?lang=vi"), Some("en")).await;
    assert!(chosen.contains(&escaped(&title(LAW_ARTICLE, "vi"))), "the switch to Tiếng Việt works");

    let (_, vi) = page(&server, &path, None).await;
    assert!(vi.contains(&escaped(&title(LAW_ARTICLE, "vi"))), "no preference: Vietnamese");
    assert!(!vi.contains("class=\"notice\""), "no notice when nothing was asked for");

    // The switch links every interface language, marking the current one.
    for tag in ["vi", "en", "fr", "zh"] {
        assert!(fr.contains(&format!("href=\"{path}?lang={tag}\"")), "switch to {tag}");
    }
    assert!(fr.contains("hreflang=\"fr\" lang=\"fr\" aria-current=\"true\""));
});

e2e!(missing_translation_falls_back_to_vietnamese_with_a_notice, |server| {
    let no_fr = content()
        .articles
        .iter()
        .find(|a| a.translations.get(&Locale::parse("fr").expect("fr")).is_none())
        .expect("an article without French");
    let (status, html) = page(&server, &format!("/a/{}?lang=fr", no_fr.slug), None).await;
    assert_eq!(status, 200);
    let vi = no_fr.translations.get(&Locale::parse("vi").expect("vi")).expect("vi");
    assert!(html.contains(&escaped(&vi.title)), "served in Vietnamese");
    assert!(html.contains("<html lang=\"fr\">"), "interface stays French");
    assert!(html.contains("Ce contenu n&#39;existe pas encore en français ; il est affiché en vietnamien."), "{html}");

    let (status, de) = page(&server, &format!("/a/{LAW_ARTICLE}"), Some("de-DE")).await;
    assert_eq!(status, 200, "an unknown locale is no error");
    assert!(de.contains(&escaped(&title(LAW_ARTICLE, "vi"))));
});

e2e!(the_phone_languages_follow_the_chosen_one, |server| {
    // An article in Vietnamese and English only: a French visitor whose phone also reads English gets
    // English, with a notice in French.
    let (fr, en) = (Locale::parse("fr").expect("fr"), Locale::parse("en").expect("en"));
    let a = content()
        .articles
        .iter()
        .find(|a| a.translations.get(&fr).is_none() && a.translations.get(&en).is_some())
        .expect("an article in English but not French");
    let (status, html) = page(&server, &format!("/a/{}?lang=fr&lang=de", a.slug), Some("fr-FR, en;q=0.7")).await;
    assert_eq!(status, 200, "a repeated parameter is no error");
    assert!(html.contains(&escaped(&a.translations.get(&en).expect("en").title)), "English served");
    assert!(html.contains("il est affiché en anglais"), "{html}");
    // q=0 means "not this language".
    let (_, html) = page(&server, &format!("/a/{LAW_ARTICLE}"), Some("en;q=0, fr;q=0.5")).await;
    assert!(html.contains(&escaped(&title(LAW_ARTICLE, "fr"))));
    // Chinese readers keep their language in the switch, even on pages without Chinese content.
    let (_, html) = page(&server, "/?lang=zh", None).await;
    assert!(html.contains("hreflang=\"zh\" lang=\"zh\" aria-current=\"true\""), "{html}");
});

e2e!(pages_are_light_plain_html, |server| {
    let paths = [
        "/".to_owned(),
        format!("/a/{LAW_ARTICLE}"),
        "/c/van-hoa-di-san".to_owned(),
        format!("/p/{HOUSE_SLUG}"),
        "/u/don-bien-phong-bac-xa".to_owned(),
    ];
    for path in paths {
        let (status, html) = page(&server, &path, Some("vi")).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.len() < 50 * 1024, "{path}: {} bytes", html.len());
        assert!(!html.contains("<script"), "{path} needs no JavaScript");
        assert!(html.contains("name=\"viewport\""), "{path} is made for phones");
    }
    let (_, unit) = page(&server, "/u/don-bien-phong-bac-xa", None).await;
    assert!(unit.contains("Đồn Biên phòng Bắc Xa") && unit.contains("tel:02050000000"), "contact line shown");
    let (_, category) = page(&server, "/c/van-hoa-di-san?lang=en", None).await;
    assert!(category.contains("/c/hat-then?lang=en"), "sub-categories are linked");
});

e2e!(unknown_pages_are_friendly_404s, |server| {
    for path in ["/a/khong-co-bai-nay", "/c/nope", "/p/nope", "/u/nope", "/nothing/here", "/a/%E2%80%AE"] {
        let (status, html) = page(&server, path, Some("en")).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found"), "{path}: {html}");
    }
    // Its language switch offers the same page in another language.
    let (_, html) = page(&server, "/c/nope?lang=en", None).await;
    assert!(html.contains("href=\"/c/nope?lang=fr\""), "{html}");
    // Slugs that are not UTF-8 are just unknown pages.
    for path in ["/a/%FF", "/c/%E0%A4", "/u/%C0%AF"] {
        let (status, html) = page(&server, path, Some("en")).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found"), "{path}");
    }
});
