//! What counts, end to end: device classes from real user agents, repeats within 30 minutes, visitor
//! keys that tell phones apart without storing who they are, forwarded addresses believed only from
//! trusted proxies, and expired codes.

use crate::demo::HOUSE_CODE;
use crate::harness::{Server, client_from, e2e};
use crate::scans::PHONE;
use frontier_domain::{DeviceClass, ScanEvent, ScanOutcome};
use std::net::IpAddr;

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 \
    (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1";
const FACEBOOK_PREVIEW: &str = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
const ZALO_IN_APP: &str = "Mozilla/5.0 (Linux; Android 12; SM-A515F Build/SP1A.210812.016; wv) AppleWebKit/537.36 \
    (KHTML, like Gecko) Version/4.0 Chrome/118.0.5993.111 Mobile Safari/537.36 Zalo android/12100610 ZaloTheme/light";

fn ip(s: &str) -> IpAddr {
    s.parse().expect("ip")
}

async fn scan(server: &Server, from: &str, agent: &str, headers: &[(&str, &str)]) -> u16 {
    let mut r = client_from(ip(from)).get(server.url(&format!("/q/{HOUSE_CODE}"))).header("user-agent", agent);
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.send().await.expect("scan").status().as_u16()
}

async fn recorded(server: &Server) -> Vec<ScanEvent> {
    server.store().await.scans_of(HOUSE_CODE.into()).await.expect("scans")
}

e2e!(people_bots_and_repeats_are_told_apart, |server| {
    assert_eq!(scan(&server, "127.0.0.2", PHONE, &[]).await, 302);
    assert_eq!(scan(&server, "127.0.0.2", PHONE, &[]).await, 302, "the same phone again at once");
    assert_eq!(scan(&server, "127.0.0.3", PHONE, &[]).await, 302, "the same model, another phone");
    assert_eq!(scan(&server, "127.0.0.2", IPHONE, &[]).await, 302, "another phone behind the same address");
    assert_eq!(scan(&server, "127.0.0.4", FACEBOOK_PREVIEW, &[]).await, 302, "previews get the same answer");
    assert_eq!(scan(&server, "127.0.0.5", ZALO_IN_APP, &[]).await, 302);
    let rows = recorded(&server).await;
    let seen: Vec<(DeviceClass, bool)> = rows.iter().map(|e| (e.device, e.repeat)).collect();
    assert_eq!(
        seen,
        [
            (DeviceClass::Android, false),
            (DeviceClass::Android, true),
            (DeviceClass::Android, false),
            (DeviceClass::Ios, false),
            (DeviceClass::LinkPreview, false),
            (DeviceClass::Android, false),
        ]
    );
    assert!(rows.iter().all(|e| e.outcome == ScanOutcome::Ok));
    assert_eq!(rows.iter().filter(|e| e.counts()).count(), 4, "people, each once");
    let keys: Vec<&str> = rows.iter().map(|e| e.visitor.as_ref().expect("a visitor key").as_str()).collect();
    assert_eq!(keys[0], keys[1], "one phone, one key");
    let distinct: std::collections::HashSet<&str> = keys.iter().copied().collect();
    assert_eq!(distinct.len(), 5, "five clients");

    // Nothing that identifies the phone is stored: no address, no user-agent text.
    let debug = format!("{rows:?}");
    for needle in ["127.0.0.2", "SM-A536E", "iPhone OS", "facebookexternalhit"] {
        assert!(!debug.contains(needle), "{needle} stored");
    }
    if let Some(path) = server.db.url.strip_prefix("sqlite://") {
        let mut bytes = std::fs::read(path).unwrap_or_default();
        bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
        for needle in [&b"127.0.0.2"[..], b"SM-A536E", b"iPhone OS", b"facebookexternalhit"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} in the database file",
                String::from_utf8_lossy(needle)
            );
        }
    }
});

// A link check (HEAD) from the phone itself is a bot's fetch: it neither makes the person's scan a
// repeat nor is one (found by a new-user trial: HEAD then GET dropped the person from the figures).
e2e!(a_head_request_from_the_same_phone_neither_repeats_nor_is_repeated, |server| {
    let head = || async {
        let r = client_from(ip("127.0.0.2")).head(server.url(&format!("/q/{HOUSE_CODE}"))).header("user-agent", PHONE);
        r.send().await.expect("head").status().as_u16()
    };
    assert_eq!(head().await, 302, "a link checker is answered like a phone");
    assert_eq!(scan(&server, "127.0.0.2", PHONE, &[]).await, 302);
    assert_eq!(head().await, 302);
    assert_eq!(scan(&server, "127.0.0.2", PHONE, &[]).await, 302, "the person again within 30 minutes");
    let rows = recorded(&server).await;
    let seen: Vec<(DeviceClass, bool)> = rows.iter().map(|e| (e.device, e.repeat)).collect();
    assert_eq!(
        seen,
        [
            (DeviceClass::Bot, false),
            (DeviceClass::Android, false),
            (DeviceClass::Bot, false),
            (DeviceClass::Android, true)
        ]
    );
    assert_eq!(rows.iter().filter(|e| e.counts()).count(), 1, "one person, once");
});

e2e!(forwarded_addresses_count_only_from_trusted_proxies, |server| {
    // Not configured: whatever a client writes in X-Forwarded-For is ignored.
    assert_eq!(scan(&server, "127.0.0.2", PHONE, &[("x-forwarded-for", "203.0.113.9")]).await, 302);
    assert_eq!(scan(&server, "127.0.0.2", PHONE, &[("x-forwarded-for", "203.0.113.10")]).await, 302);
    let rows = recorded(&server).await;
    assert_eq!(
        (rows[0].visitor.clone(), rows[1].repeat),
        (rows[1].visitor.clone(), true),
        "one client, forged headers"
    );
});

e2e!(a_trusted_proxy_names_the_client, env = &[("FRONTIER_TRUSTED_PROXIES", "127.0.0.1")], |server| {
    let via = |client: &'static str| [("x-forwarded-for", client)];
    assert_eq!(scan(&server, "127.0.0.1", PHONE, &via("203.0.113.9")).await, 302);
    assert_eq!(scan(&server, "127.0.0.1", PHONE, &via("203.0.113.10")).await, 302);
    assert_eq!(scan(&server, "127.0.0.1", PHONE, &via("203.0.113.9")).await, 302);
    // From an address that is not the proxy, the header is ignored again.
    assert_eq!(scan(&server, "127.0.0.2", PHONE, &via("203.0.113.9")).await, 302);
    let rows = recorded(&server).await;
    let keys: Vec<_> = rows.iter().map(|e| e.visitor.clone()).collect();
    assert_ne!(keys[0], keys[1], "two phones behind the proxy");
    assert_eq!((keys[0].clone(), rows[2].repeat), (keys[2].clone(), true), "the first phone again");
    assert_ne!(keys[3], keys[0], "a forged header from a stranger is not believed");
});

e2e!(an_expired_code_lands_on_a_friendly_page_and_is_counted_so, |server| {
    let store = server.store().await;
    let code = frontier_domain::QrCodeValue::parse(HOUSE_CODE).expect("code");
    let qr = store.qr_code_by_code_any(code.clone()).await.expect("load").expect("demo code");
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
    let expired = frontier_store::NewQrCode {
        code,
        place: qr.place_id,
        target: qr.target,
        active: true,
        expires_at: Some(yesterday),
    };
    store.save_qr_code(expired).await.expect("expire");
    let r = client_from(ip("127.0.0.2"))
        .get(server.url(&format!("/q/{HOUSE_CODE}")))
        .header("user-agent", PHONE)
        .header("accept-language", "vi")
        .send()
        .await
        .expect("scan");
    assert_eq!((r.status().as_u16(), r.headers()["cache-control"].to_str().ok()), (410, Some("no-store")));
    let html = r.text().await.expect("page");
    assert!(html.contains("Mã QR đã hết hạn"), "{html}");
    // The contact line of the unit the house belongs to, from the demo content.
    let demo = crate::demo::content();
    let house = demo.places.iter().find(|p| p.slug.as_str() == crate::demo::HOUSE_SLUG).expect("house");
    let unit = demo.units.iter().find(|u| u.slug == house.unit).expect("its unit");
    let hotline = unit.phone.clone().expect("the demo post has a hotline");
    assert!(html.contains(&hotline), "the post's contact line {hotline}: {html}");
    assert!(html.contains("<strong>Liên hệ:</strong>") && html.contains("Về trang chủ"), "{html}");
    // In French the colon takes a narrow no-break space, and the way on is not a second "Accueil".
    let fr = client_from(ip("127.0.0.2"))
        .get(server.url(&format!("/q/{HOUSE_CODE}?lang=fr")))
        .header("user-agent", PHONE)
        .send()
        .await
        .expect("scan");
    let fr = fr.text().await.expect("page");
    assert!(fr.contains("<strong>Contact\u{202f}:</strong>"), "{fr}");
    assert_eq!(fr.matches(">Accueil<").count(), 1, "{fr}");
    let rows = recorded(&server).await;
    assert_eq!(rows.last().map(|e| e.outcome), Some(ScanOutcome::Expired));
});

e2e!(a_station_without_a_hotline_is_answered_by_the_post_above, |server| {
    let store = server.store().await;
    let unit = |slug: &str| {
        let store = store.clone();
        let slug = slug.to_owned();
        async move { store.unit_by_slug_any(slug).await.expect("read").expect("demo unit") }
    };
    let renumber = |u: frontier_domain::Unit, phone: &str| frontier_store::NewUnit {
        slug: u.slug,
        kind: u.kind,
        parent: u.parent_id,
        phone: Some(phone.to_owned()),
        address: u.address,
        texts: u.texts,
    };
    // The house's station has a blank phone; its post has its own number.
    let station = unit("tram-bac-xa-1").await;
    let post = unit("don-bien-phong-bac-xa").await;
    assert_eq!(station.parent_id, Some(post.id), "the demo's chain of command");
    store.save_unit(renumber(station, " ")).await.expect("station");
    store.save_unit(renumber(post, "0205 111 2222")).await.expect("post");
    let code = frontier_domain::QrCodeValue::parse(HOUSE_CODE).expect("code");
    let qr = store.qr_code_by_code_any(code.clone()).await.expect("load").expect("demo code");
    let off =
        frontier_store::NewQrCode { code, place: qr.place_id, target: qr.target, active: false, expires_at: None };
    store.save_qr_code(off).await.expect("switch off");

    let get = |path: String| {
        let r = client_from(ip("127.0.0.2")).get(server.url(&path)).header("user-agent", PHONE);
        async move { r.send().await.expect("request") }
    };
    // The switched-off code's page, the place's page and the code's poster give the post's line.
    let page = get(format!("/q/{HOUSE_CODE}")).await;
    assert_eq!(page.status(), 410);
    let page = page.text().await.expect("page");
    assert!(page.contains("0205 111 2222") && page.contains("tel:02051112222"), "{page}");
    let place = get(format!("/p/{}", crate::demo::HOUSE_SLUG)).await.text().await.expect("page");
    assert!(place.contains("0205 111 2222"), "{place}");
    let poster = get(format!("/qr/{HOUSE_CODE}/poster.svg")).await.text().await.expect("poster");
    assert!(poster.contains("0205 111 2222"), "the poster names the same line");
});

const RECORD: &str = "mutation($c: String!, $id: ID!, $p: DeviceClass) {
    recordScan(code: $c, scanId: $id, platform: $p) {
        scanId outcome device repeat counted duplicate code { code target { __typename ... on Place { slug } } } } }";

e2e!(apps_record_scans_once_each, |server| {
    let record = |code: &'static str, id: &'static str, platform: Option<&'static str>| {
        let vars = serde_json::json!({ "c": code, "id": id, "p": platform });
        let client = client_from(ip("127.0.0.6"));
        let url = server.url("/graphql");
        async move {
            let r = client
                .post(url)
                .header("user-agent", "okhttp/4.12.0")
                .json(&serde_json::json!({ "query": RECORD, "variables": vars }));
            r.send().await.expect("graphql").json::<serde_json::Value>().await.expect("json")
        }
    };
    let first = record("k4pvhz", "7d444840-9dc0-11d1-b245-5ffdce74fad2", Some("ANDROID")).await;
    let s = &first["data"]["recordScan"];
    assert_eq!(
        (&s["outcome"], &s["device"], &s["repeat"], &s["counted"], &s["duplicate"]),
        (&"OK".into(), &"ANDROID".into(), &false.into(), &true.into(), &false.into()),
        "{first}"
    );
    assert_eq!(s["code"]["target"]["slug"], crate::demo::HOUSE_SLUG, "what to open");
    // The answer was lost and the app sends it again: nothing new is stored.
    let again = record("K4PVHZ", "7d444840-9dc0-11d1-b245-5ffdce74fad2", Some("ANDROID")).await;
    assert_eq!(again["data"]["recordScan"]["duplicate"], true, "{again}");
    assert_eq!(again["data"]["recordScan"]["counted"], true, "the first answer, again");
    // A second scan by the same app within 30 minutes is a repeat.
    let second = record("K4PVHZ", "0a5b3c1e-1111-4222-8333-944455556666", Some("ANDROID")).await;
    assert_eq!(
        (&second["data"]["recordScan"]["repeat"], &second["data"]["recordScan"]["counted"]),
        (&true.into(), &false.into())
    );
    // Without a platform, the HTTP library's user agent decides: a script, not a person.
    let script = record("K4PVHZ", "0a5b3c1e-1111-4222-8333-944455556667", None).await;
    assert_eq!(script["data"]["recordScan"]["device"], "BOT", "{script}");
    let unknown = record("ZZZZZZ", "0a5b3c1e-1111-4222-8333-944455556668", Some("IOS")).await;
    assert_eq!(
        (&unknown["data"]["recordScan"]["outcome"], &unknown["data"]["recordScan"]["code"]),
        (&"UNKNOWN_CODE".into(), &serde_json::Value::Null)
    );
    // The same scanId with another code is no retry: refused, and nothing stored.
    let reused = record("2JXMFQ", "7d444840-9dc0-11d1-b245-5ffdce74fad2", Some("ANDROID")).await;
    assert_eq!(
        (crate::harness::error_code(&reused), &reused["errors"][0]["extensions"]["field"]),
        ("CONFLICT", &"scanId".into()),
        "{reused}"
    );
    let message = reused["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("already sent with the code K4PVHZ"), "{message}");
    let rows = recorded(&server).await;
    assert_eq!(rows.len(), 3, "the retried call stored nothing");
    assert!(rows.iter().all(|e| e.source == frontier_domain::ScanSource::App));

    for (code, id, platform, field) in [
        ("K4PVHZ", "not-a-uuid", Some("ANDROID"), "scanId"),
        // What an app sends when it forgot to draw an id: all its scans would count as one.
        ("K4PVHZ", "00000000-0000-0000-0000-000000000000", Some("ANDROID"), "scanId"),
        ("K4PVHZ", "0a5b3c1e-1111-4222-8333-944455556669", Some("BOT"), "platform"),
        ("", "0a5b3c1e-1111-4222-8333-94445555666a", Some("ANDROID"), "code"),
        ("   ", "0a5b3c1e-1111-4222-8333-94445555666b", Some("ANDROID"), "code"),
    ] {
        let bad = record(code, id, platform).await;
        assert_eq!(
            (crate::harness::error_code(&bad), &bad["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &field.into()),
            "{bad}"
        );
        if field == "platform" {
            // The value as the client wrote it, not the server's own spelling of it.
            let message = bad["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(message.contains("BOT is not a platform"), "{message}");
        }
    }
    assert_eq!(recorded(&server).await.len(), 3, "refused calls store nothing");

    // An app that hands on the text its camera read sends the URL the symbol holds: the code at
    // its end is what was scanned, whatever the host.
    let read = record("HTTP://BIENPHONG.EXAMPLE/Q/K4PVHZ", "0a5b3c1e-1111-4222-8333-94445555666c", Some("IOS")).await;
    let s = &read["data"]["recordScan"];
    assert_eq!((&s["outcome"], &s["code"]["code"]), (&"OK".into(), &"K4PVHZ".into()), "{read}");
    let rows = recorded(&server).await;
    assert_eq!(rows.last().map(|e| e.scanned_text.as_str()), Some("K4PVHZ"), "stored as the code");
    // Another page's URL is no code: recorded as the unknown text it is.
    let page = record("https://bienphong.example/p/nha-van-hoa", "0a5b3c1e-1111-4222-8333-94445555666d", Some("IOS"));
    assert_eq!(page.await["data"]["recordScan"]["outcome"], "UNKNOWN_CODE");
});
