//! Opening a code's URL as a phone does: one scan recorded per request, then a 302 to the target.

use crate::demo::{HOUSE_CODE, HOUSE_SLUG, LAW_ARTICLE};
use crate::harness::{client, e2e, graphql};
use frontier_domain::{DeviceClass, ScanOutcome};

/// A phone's browser as it introduces itself.
pub(crate) const PHONE: &str = "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) \
    Chrome/119.0.6045.163 Mobile Safari/537.36";

e2e!(scan_redirects_to_the_target_and_counts_once, |server| {
    let store = server.store().await;
    let before = store.scan_count(HOUSE_CODE.into(), Some(ScanOutcome::Ok)).await.expect("count");
    assert_eq!(before, 0);

    let r = client().get(server.url(&format!("/q/{HOUSE_CODE}"))).send().await.expect("scan");
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let location = r.headers()["location"].to_str().expect("location").to_owned();
    assert_eq!(location, format!("{}/p/{HOUSE_SLUG}", server.base));
    assert_eq!(store.scan_count(HOUSE_CODE.into(), Some(ScanOutcome::Ok)).await.expect("count"), 1);

    // Lower case, the upper-case path a phone may send, and a trailing slash all count, once each.
    for path in [format!("/q/{}", HOUSE_CODE.to_lowercase()), format!("/Q/{HOUSE_CODE}"), format!("/q/{HOUSE_CODE}/")] {
        let r = client().get(server.url(&path)).send().await.expect("scan");
        assert_eq!(r.status(), 302, "{path}");
    }
    assert_eq!(store.scan_count(HOUSE_CODE.into(), Some(ScanOutcome::Ok)).await.expect("count"), 4);

    // A HEAD request (link checker, preview fetcher) gets the same answer and is recorded as a bot's,
    // whatever it claims to be.
    let r = client().head(server.url(&format!("/q/{HOUSE_CODE}"))).header("user-agent", PHONE).send().await;
    let r = r.expect("head");
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], location.as_str());
    let scans = store.scans_of(HOUSE_CODE.into()).await.expect("scans");
    assert_eq!(scans.len(), 5);
    assert_eq!(scans[4].device, frontier_domain::DeviceClass::Bot);

    // Follow the redirect: the place page, in the language the phone asked for.
    let page = client().get(&location).header("accept-language", "en").send().await.expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Nà Pàn Cultural House"), "{html}");
    assert_eq!(store.scan_count(HOUSE_CODE.into(), None).await.expect("count"), 5, "reading the page is no scan");
});

e2e!(scan_of_an_article_code_opens_the_article, |server| {
    let r = client().get(server.url("/q/XM2TCW")).send().await.expect("scan");
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], format!("{}/a/{LAW_ARTICLE}", server.base).as_str());
});

e2e!(looking_a_code_up_in_graphql_is_not_a_scan, |server| {
    let store = server.store().await;
    let q = "query($c: String!) { qrCode(code: $c) { code scanUrl target { __typename ... on Place { slug } } } }";
    let response = graphql(&server, q, serde_json::json!({ "c": HOUSE_CODE.to_lowercase() })).await;
    assert_eq!(response["data"]["qrCode"]["code"], HOUSE_CODE);
    // The symbol's own form: upper case, so it fits QR's alphanumeric mode.
    assert_eq!(response["data"]["qrCode"]["scanUrl"], format!("{}/Q/{HOUSE_CODE}", server.base.to_ascii_uppercase()));
    assert_eq!(response["data"]["qrCode"]["target"]["slug"], HOUSE_SLUG);
    assert_eq!(store.scan_total().await.expect("total"), 0);
});

// A language named in the scan URL (a web frontend's link to /q/) comes before the phone's own, is
// stored as the scan's language, and is passed on to the page; a user agent with a byte that is not
// UTF-8 is still read (found by the new-user trial: `?lang` was dropped, `iPhone\xff` counted as a bot).
e2e!(a_scan_url_s_language_and_an_odd_user_agent_are_honoured, |server| {
    let store = server.store().await;
    let r = client()
        .get(server.url(&format!("/q/{HOUSE_CODE}?lang=fr")))
        .header("accept-language", "vi")
        .header("user-agent", PHONE)
        .send()
        .await
        .expect("scan");
    assert_eq!(r.status(), 302);
    let location = r.headers()["location"].to_str().expect("location").to_owned();
    assert_eq!(location, format!("{}/p/{HOUSE_SLUG}?lang=fr", server.base));
    let page = client().get(&location).header("accept-language", "vi").send().await.expect("page");
    assert!(page.text().await.expect("html").contains("lang=\"fr\""), "the page in French");
    let iphone =
        reqwest::header::HeaderValue::from_bytes(b"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) \xff")
            .expect("a header value with obs-text");
    let r =
        client().get(server.url(&format!("/q/{HOUSE_CODE}"))).header("user-agent", iphone).send().await.expect("scan");
    assert_eq!(r.status(), 302);
    let scans = store.scans_of(HOUSE_CODE.into()).await.expect("scans");
    let seen: Vec<(Option<String>, DeviceClass)> =
        scans.iter().map(|e| (e.locale.as_ref().map(ToString::to_string), e.device)).collect();
    assert_eq!(seen, [(Some("fr".to_owned()), DeviceClass::Android), (None, DeviceClass::Ios)]);
});

e2e!(
    scans_follow_the_frontend_template,
    env = &[("FRONTIER_FRONTEND_URL", "https://portal.example/{locale}/{kind}/{slug}")],
    |server| {
        let r = client()
            .get(server.url(&format!("/q/{HOUSE_CODE}")))
            .header("accept-language", "fr-FR,fr;q=0.9")
            .send()
            .await
            .expect("scan");
        assert_eq!(r.status(), 302);
        assert_eq!(r.headers()["location"], format!("https://portal.example/fr/p/{HOUSE_SLUG}").as_str());
        let r = client().get(server.url("/q/XM2TCW")).send().await.expect("scan");
        assert_eq!(r.headers()["location"], format!("https://portal.example/vi/a/{LAW_ARTICLE}").as_str());
    }
);

e2e!(
    public_base_url_is_what_the_codes_encode,
    env = &[("FRONTIER_PUBLIC_BASE_URL", "https://bien-cuong.example/lang-son/")],
    |server| {
        let q = "{ qrCode(code: \"K4PVHZ\") { scanUrl pngUrl } }";
        let response = graphql(&server, q, serde_json::json!({})).await;
        assert_eq!(response["data"]["qrCode"]["scanUrl"], "HTTPS://BIEN-CUONG.EXAMPLE/lang-son/Q/K4PVHZ");
        assert_eq!(response["data"]["qrCode"]["pngUrl"], "https://bien-cuong.example/lang-son/qr/K4PVHZ.png");
        // Behind a proxy that strips `/lang-son`, redirects and page links keep the prefix.
        let r = client().get(server.url("/q/K4PVHZ")).send().await.expect("scan");
        assert_eq!(r.headers()["location"], format!("https://bien-cuong.example/lang-son/p/{HOUSE_SLUG}").as_str());
        let html = client()
            .get(server.url(&format!("/p/{HOUSE_SLUG}")))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(html.contains("href=\"/lang-son/c/phap-luat-bien-gioi?lang=vi\""), "{html}");
        assert!(
            html.contains(&format!("href=\"/lang-son/p/{HOUSE_SLUG}?lang=en\"")),
            "language switch keeps the prefix"
        );
        assert!(html.contains("href=\"/lang-son/?lang=vi\""), "home link keeps the prefix");
    }
);
