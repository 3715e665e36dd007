//! A unit's statistics as files: the CSV and both charts, with a bearer token and through the
//! signed links `scanStats { links }` gives; who is refused, and how.

use crate::demo::{content, unit_subtree};
use crate::harness::{access_token, client, create_account, e2e, graphql_as};
use crate::scans::PHONE;
use serde_json::json;
use std::collections::HashMap;

const PASSWORD: &str = "mat-khau-bien-cuong-2026";
const POST: &str = "don-bien-phong-bac-xa";

type Names = frontier_domain::Translated<frontier_domain::NamedText>;

/// The text of every `<text>` of an SVG, which must be well-formed XML.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text().map(str::to_owned)).collect()
}

e2e!(stats_files_for_analysts_by_token_and_signed_link, |server| {
    create_account(&server, "quan-tri@bienphong.test", "admin", "bdbp-lang-son", PASSWORD);
    let admin = access_token(&server, "quan-tri@bienphong.test", PASSWORD).await;
    let create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { email } }";
    for (email, role, unit) in [
        ("phan-tich@bienphong.test", "ANALYST", POST),
        ("chi-ma@bienphong.test", "ANALYST", "don-bien-phong-chi-ma"),
        ("bien-tap@bienphong.test", "EDITOR", POST),
    ] {
        let vars =
            json!({ "i": { "email": email, "displayName": email, "role": role, "unit": unit, "password": PASSWORD } });
        let a = graphql_as(&server, &admin, create, vars).await;
        assert_eq!(a.body["data"]["createAccount"]["email"], email, "{}", a.body);
    }
    let analyst = access_token(&server, "phan-tich@bienphong.test", PASSWORD).await;

    // Two codes of the post's places: three phones scan the first, one the second; a link
    // preview (a bot) is not a person's scan.
    let units = unit_subtree(POST);
    let places: HashMap<_, _> = content().places.iter().map(|p| (p.slug.to_string(), p)).collect();
    let mut codes = content().qr_codes.iter().filter(|q| units.contains(places[q.place.as_str()].unit.as_str()));
    let a = codes.next().expect("a code of the post");
    let b = codes.find(|q| q.place != a.place).expect("a code of another place");
    let (place_a, place_b) = (places[a.place.as_str()], places[b.place.as_str()]);
    assert_ne!(place_a.slug, place_b.slug);
    for (code, phone) in [(&a.code, 1), (&a.code, 2), (&a.code, 3), (&b.code, 4)] {
        let r = client().get(server.url(&format!("/q/{code}"))).header("user-agent", format!("{PHONE} v{phone}"));
        assert_eq!(r.send().await.expect("scan").status(), 302);
    }
    let bot = client().get(server.url(&format!("/q/{}", a.code))).header("user-agent", "Zalo");
    bot.send().await.expect("preview");

    let get = |path: String, token: Option<&str>| {
        let mut r = client().get(server.url(&path));
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        async move { r.send().await.expect("request") }
    };

    // CSV by place, with the token: what was scanned, counted here.
    let r = get(format!("/stats/{POST}/scans.csv?groupBy=place&humanOnly=true"), Some(&analyst)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(r.headers()["cache-control"], "private, max-age=60");
    assert_eq!(r.headers()["vary"], "Authorization");
    let disposition = r.headers()["content-disposition"].to_str().expect("header").to_owned();
    assert!(disposition.starts_with(&format!("attachment; filename=\"scans-{POST}-")), "{disposition}");
    let bytes = r.bytes().await.expect("csv");
    // UTF-8 with its byte-order mark, which spreadsheet programs need to read Vietnamese right.
    let csv = bytes.strip_prefix("\u{feff}".as_bytes()).map(|b| String::from_utf8_lossy(b).into_owned());
    let csv = csv.expect("the file starts with a byte-order mark");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "key,label,from,to,scans,people,repeats,bots,visitors,repeat_share");
    let in_lang = |texts: &Names, tag: &str| {
        let vi = frontier_domain::Locale::default_locale();
        let wanted = frontier_domain::Locale::parse(tag).expect("tag");
        texts.get(&wanted).or_else(|| texts.get(&vi)).expect("a name").name.clone()
    };
    let name = |texts: &Names| in_lang(texts, "vi");
    let people_of = |label: &str| -> Option<String> {
        lines.iter().find(|l| l.split(',').nth(1) == Some(label)).and_then(|l| l.split(',').nth(5)).map(str::to_owned)
    };
    assert_eq!(people_of(&name(&place_a.texts)).as_deref(), Some("3"), "{csv}");
    assert_eq!(people_of(&name(&place_b.texts)).as_deref(), Some("1"), "{csv}");
    assert_eq!(lines.len(), 3, "only the places scanned: {csv}");
    let upper = get(format!("/stats/{POST}/scans.csv?groupBy=PLACE&humanOnly=true"), Some(&analyst)).await;
    assert_eq!(upper.bytes().await.expect("csv"), bytes, "the enum in either case");

    // Charts with the token: well-formed SVG naming what it draws.
    let r = get(format!("/stats/{POST}/scans.svg"), Some(&analyst)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml; charset=utf-8");
    assert_eq!(r.headers()["cache-control"], "private, max-age=60");
    let svg = r.text().await.expect("svg");
    let texts = svg_texts(&svg);
    assert!(texts.iter().any(|t| t == "Tổng: 4"), "people only, bots left out: {texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("Lượt quét mã QR theo ngày — ")), "{texts:?}");
    assert!(svg.matches("<polyline").count() >= 2, "a line per place group");
    let r = get(format!("/stats/{POST}/places.svg?locale=en"), Some(&analyst)).await;
    assert_eq!(r.status(), 200);
    let texts = svg_texts(&r.text().await.expect("svg"));
    let en_name = |texts: &Names| in_lang(texts, "en");
    assert!(texts.contains(&format!("{} (3)", en_name(&place_a.texts))), "{texts:?}");
    assert!(texts.contains(&format!("{} (1)", en_name(&place_b.texts))), "{texts:?}");

    // The same through signed links, without any header; a changed query or signature is refused.
    let q =
        "query($f: ScanFilter) { scanStats(filter: $f, groupBy: PLACE) { csv links { csv scansChart placesChart } } }";
    let a = graphql_as(&server, &analyst, q, json!({ "f": { "units": [POST], "humanOnly": true } })).await;
    let stats = &a.body["data"]["scanStats"];
    let link = |field: &str| stats["links"][field].as_str().expect(field).to_owned();
    let r = client().get(link("csv")).send().await.expect("csv link");
    assert_eq!(r.status(), 200);
    let file = r.text().await.expect("csv");
    assert_eq!(file.strip_prefix('\u{feff}'), stats["csv"].as_str(), "the field's CSV after a byte-order mark");
    for (field, expected) in
        [("scansChart", "Tổng: 4".to_owned()), ("placesChart", format!("{} (3)", name(&place_a.texts)))]
    {
        let r = client().get(link(field)).send().await.expect("chart link");
        assert_eq!(r.status(), 200, "{field}");
        let texts = svg_texts(&r.text().await.expect("svg"));
        assert!(texts.contains(&expected), "{field}: {texts:?}");
        let altered = link(field).replacen("locale=vi", "locale=en", 1);
        assert_ne!(altered, link(field));
        assert_eq!(client().get(altered).send().await.expect("altered").status(), 403, "{field}");
        let forged = format!("{}x", link(field));
        assert_eq!(client().get(forged).send().await.expect("forged").status(), 403, "{field}");
    }

    // Refusals: no or bad credentials, the policy, unknown units and files, bad parameters.
    let svg = format!("/stats/{POST}/scans.svg");
    let r = get(svg.clone(), None).await;
    assert_eq!((r.status().as_u16(), r.headers()["www-authenticate"].to_str().ok()), (401, Some("Bearer")));
    assert_eq!(get(svg.clone(), Some("not-a-token")).await.status(), 401);
    for email in ["chi-ma@bienphong.test", "bien-tap@bienphong.test"] {
        let token = access_token(&server, email, PASSWORD).await;
        assert_eq!(get(svg.clone(), Some(&token)).await.status(), 403, "{email}");
        assert_eq!(get(format!("/stats/{POST}/scans.csv"), Some(&token)).await.status(), 403, "{email}");
    }
    assert_eq!(get(svg.clone(), Some(&admin)).await.status(), 200, "admins read every unit");
    assert_eq!(get("/stats/khong-co/scans.svg".into(), Some(&analyst)).await.status(), 404);
    assert_eq!(get(format!("/stats/{POST}/scans.png"), Some(&analyst)).await.status(), 404);
    for query in [
        "from=2026-13-01",
        "to=yesterday",
        "from=2020-01-01&to=2026-12-01",
        "from=2026-12-05&to=2026-12-01",
        "groupBy=week2",
        "locale=de",
        "humanOnly=maybe",
        "form=2026-11-01",
        "from=%00",
    ] {
        for file in ["scans.svg", "places.svg", "scans.csv"] {
            let r = get(format!("/stats/{POST}/{file}?{query}"), Some(&analyst)).await;
            assert_eq!(r.status(), 400, "{file}?{query}");
            let message = r.text().await.expect("message");
            assert!(message.len() > 10 && !message.contains('{'), "plain text: {message}");
            assert!(!message.trim_end().chars().any(char::is_control), "no raw control characters: {message:?}");
        }
    }
    let r = get(format!("/stats/{POST}/scans.csv?form=2026-11-01"), Some(&analyst)).await;
    let message = r.text().await.expect("message");
    assert!(message.starts_with("unknown parameter \"form\""), "{message}");
});
