//! The "done when" flow, from GraphQL alone against the real binary: an officer logs in,
//! writes an article in Vietnamese and French with a photo from a phone, hangs a QR code for it,
//! submits it; a reviewer schedules it; it appears on the reader page and through the code at the
//! scheduled moment (and an anonymous client, asking all along, never saw it before); the officer
//! edits it, reads the history and restores an old revision.

use crate::harness::{BIN, Server, client, e2e};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "mật-khẩu-đủ-dài-2026";
const SLUG: &str = "lich-tiep-dan-thang-mot";

/// `frontier user create`, the password on stdin, against the server's database.
pub fn create_user(server: &Server, email: &str, role: &str, unit: &str) {
    let mut child = Command::new(BIN)
        .args(["user", "create", "--email", email, "--role", role, "--unit", unit])
        .env("FRONTIER_DATABASE_URL", &server.db.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("user create");
    child.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("password");
    let out = child.wait_with_output().expect("finished");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// POSTs a GraphQL request with an optional bearer token.
pub async fn gql(server: &Server, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut req = client().post(server.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.expect("graphql");
    r.json().await.expect("json")
}

/// Runs and requires no errors.
pub async fn ok(server: &Server, token: Option<&str>, query: &str, variables: Value) -> Value {
    let v = gql(server, token, query, variables).await;
    assert!(v["errors"].is_null(), "{query}: {v}");
    v["data"].clone()
}

pub async fn login(server: &Server, email: &str) -> String {
    let q = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }";
    let data = ok(server, None, q, json!({ "e": email, "p": PASSWORD })).await;
    data["login"]["accessToken"].as_str().expect("token").to_owned()
}

/// What an anonymous reader sees of the article right now, through the page, the code and the API.
struct Sighting {
    page: u16,
    scan_location: Option<String>,
    api_title: Option<String>,
}

async fn look(server: &Server, code: &str) -> Sighting {
    let page = client().get(server.url(&format!("/a/{SLUG}?lang=fr"))).send().await.expect("page").status().as_u16();
    let scan = client().get(server.url(&format!("/q/{code}"))).send().await.expect("scan");
    let scan_location = scan.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_owned);
    let q = "query($s: String!) { article(slug: $s, locale: \"fr\") { title } }";
    let api = gql(server, None, q, json!({ "s": SLUG })).await;
    let api_title = api["data"]["article"]["title"].as_str().map(str::to_owned);
    Sighting { page, scan_location, api_title }
}

e2e!(an_officer_publishes_from_graphql_and_no_one_sees_it_early, |server| {
    create_user(&server, "bientap@bacxa.test", "editor", "don-bien-phong-bac-xa");
    create_user(&server, "kiemduyet@bacxa.test", "reviewer", "don-bien-phong-bac-xa");
    let editor = login(&server, "bientap@bacxa.test").await;

    let me = ok(&server, Some(&editor), "{ me { email role unit { slug } } }", json!({})).await;
    assert_eq!(
        me["me"],
        json!({ "email": "bientap@bacxa.test", "role": "EDITOR", "unit": { "slug": "don-bien-phong-bac-xa" } })
    );

    let create = "mutation($i: CreateArticleInput!) { createArticle(input: $i) { id slug version status } }";
    let input = json!({
        "unit": "don-bien-phong-bac-xa",
        "category": "tin-tuc",
        "translations": [
            { "locale": "vi", "title": "Lịch tiếp dân tháng Một", "summary": "Đồn tiếp dân sáng thứ Hai.", "body": "Đồn Biên phòng Bắc Xa tiếp dân vào sáng thứ Hai hằng tuần." },
            { "locale": "fr", "title": "Accueil du public en janvier", "summary": "Le poste reçoit le lundi matin.", "body": "Le poste frontière de Bắc Xa reçoit le public chaque lundi matin." }
        ]
    });
    let a = ok(&server, Some(&editor), create, json!({ "i": input })).await["createArticle"].clone();
    assert_eq!((a["slug"].as_str(), a["status"].as_str(), a["version"].as_i64()), (Some(SLUG), Some("DRAFT"), Some(1)));
    let id = a["id"].as_str().expect("id").to_owned();

    // A code on the cultural house's notice board (a place of a station below the post).
    let qr = "mutation($s: String!) { createQrCode(input: { place: \"nha-van-hoa-thon-na-pan\", target: { kind: ARTICLE, slug: $s } }) { code scanUrl } }";
    let code = ok(&server, Some(&editor), qr, json!({ "s": SLUG })).await["createQrCode"]["code"]
        .as_str()
        .expect("code")
        .to_owned();
    assert_eq!(code.len(), 6);

    // A photo of the post, straight from a phone (EXIF with a GPS position), as the article's cover.
    let url = server
        .url("/media?unit=don-bien-phong-bac-xa&alt=%C4%90%E1%BB%93n%20Bi%C3%AAn%20ph%C3%B2ng%20B%E1%BA%AFc%20Xa");
    let r = client().post(url).bearer_auth(&editor).body(crate::media::camera_photo()).send().await.expect("upload");
    assert_eq!(r.status(), 201);
    let photo: Value = r.json().await.expect("json");
    let images = "mutation($id: ID!, $v: Int!, $c: ID) { setArticleImages(articleId: $id, version: $v, cover: $c, gallery: []) { version cover { srcset } } }";
    let set = ok(&server, Some(&editor), images, json!({ "id": id, "v": 1, "c": photo["id"] })).await;
    assert_eq!(set["setArticleImages"]["version"], 2);
    let srcset = set["setArticleImages"]["cover"]["srcset"].as_str().expect("srcset").to_owned();
    assert!(srcset.contains(" 320w") && srcset.contains(" 640w"), "{srcset}");

    let submit = "mutation($id: ID!, $v: Int!) { submitArticle(id: $id, version: $v) { status version } }";
    let s = ok(&server, Some(&editor), submit, json!({ "id": id, "v": 2 })).await;
    assert_eq!(s["submitArticle"], json!({ "status": "IN_REVIEW", "version": 3 }));

    // The reviewer schedules it a few seconds ahead (whole seconds: that is what tokens and the
    // comparison below work in).
    let reviewer = login(&server, "kiemduyet@bacxa.test").await;
    let at: DateTime<Utc> = DateTime::from_timestamp(Utc::now().timestamp() + 4, 0).expect("time");
    let publish = "mutation($id: ID!, $v: Int!, $at: DateTime) { publishArticle(id: $id, version: $v, publishAt: $at) { status visibility version } }";
    let p = ok(&server, Some(&reviewer), publish, json!({ "id": id, "v": 3, "at": at })).await;
    assert_eq!(p["publishArticle"], json!({ "status": "PUBLISHED", "visibility": "SCHEDULED", "version": 4 }));

    // Anonymous readers keep looking until it appears; nothing may show before `at`.
    let deadline = Instant::now() + Duration::from_secs(20);
    let seen_at = loop {
        let before = Utc::now();
        let s = look(&server, &code).await;
        let after = Utc::now();
        let visible = s.page == 200 || s.scan_location.is_some() || s.api_title.is_some();
        if visible {
            assert!(after >= at, "seen at {after}, scheduled for {at}");
            // The three looks are one after another: when the moment falls between them, look again.
            let complete = s.page == 200 && s.scan_location.is_some() && s.api_title.is_some();
            if !complete && before < at {
                continue;
            }
            assert_eq!(s.page, 200);
            assert_eq!(s.scan_location.as_deref(), Some(format!("{}/a/{SLUG}", server.base).as_str()));
            assert_eq!(s.api_title.as_deref(), Some("Accueil du public en janvier"));
            break before;
        }
        assert_eq!(s.page, 404, "hidden means not found, not an error");
        assert!(Instant::now() < deadline, "never appeared");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert!(seen_at <= at + chrono::Duration::seconds(3), "appeared late: looked at {seen_at}, due {at}");
    let html = client().get(server.url(&format!("/a/{SLUG}"))).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("srcset=") && html.contains(" 640w"), "the photo is on the page: {html}");

    // The officer edits the published article: readers keep the published text until it is approved.
    let update = "mutation($id: ID!, $v: Int!, $i: UpdateArticleInput!) { updateArticle(id: $id, version: $v, input: $i) { status version hasUnpublishedChanges title } }";
    let edit = json!({ "translations": [
        { "locale": "vi", "title": "Lịch tiếp dân tháng Một (sửa đổi)", "body": "Đồn tiếp dân sáng thứ Hai và thứ Năm." },
        { "locale": "fr", "title": "Accueil du public en janvier (modifié)", "body": "Le poste reçoit le lundi et le jeudi matin." }
    ]});
    let mut req = client().post(server.url("/graphql")).bearer_auth(&editor).header("accept-language", "fr");
    req = req.json(&json!({ "query": update, "variables": { "id": id, "v": 4, "i": edit } }));
    let u: Value = req.send().await.expect("update").json().await.expect("json");
    let u = u["data"].clone();
    assert_eq!(
        u["updateArticle"],
        json!({ "status": "DRAFT", "version": 5, "hasUnpublishedChanges": true, "title": "Accueil du public en janvier (modifié)" })
    );
    let stale = gql(&server, Some(&editor), update, json!({ "id": id, "v": 4, "i": edit })).await;
    assert_eq!(stale["errors"][0]["extensions"]["code"], "CONFLICT");
    assert_eq!(stale["errors"][0]["extensions"]["currentVersion"], 5);
    assert_eq!(look(&server, &code).await.api_title.as_deref(), Some("Accueil du public en janvier"));

    let history = "query($id: ID!) { articleRevisions(articleId: $id) { number authorName changes restoredFrom } }";
    let h = ok(&server, Some(&editor), history, json!({ "id": id })).await;
    assert_eq!(
        h["articleRevisions"],
        json!([
            { "number": 3, "authorName": "bientap@bacxa.test", "changes": ["title[vi]", "summary[vi]", "body[vi]", "title[fr]", "summary[fr]", "body[fr]"], "restoredFrom": null },
            { "number": 2, "authorName": "bientap@bacxa.test", "changes": ["cover"], "restoredFrom": null },
            { "number": 1, "authorName": "bientap@bacxa.test", "changes": ["created"], "restoredFrom": null }
        ])
    );

    let restore = "mutation($id: ID!) { restoreRevision(articleId: $id, number: 2, version: 5) { version cover { srcset } translations { locale title } } }";
    let r = ok(&server, Some(&editor), restore, json!({ "id": id })).await;
    assert_eq!(r["restoreRevision"]["version"], 6);
    assert_eq!(r["restoreRevision"]["cover"]["srcset"], srcset.as_str(), "revision 2 had the photo");
    let titles: Vec<(&str, &str)> = r["restoreRevision"]["translations"]
        .as_array()
        .expect("translations")
        .iter()
        .map(|t| (t["locale"].as_str().unwrap_or_default(), t["title"].as_str().unwrap_or_default()))
        .collect();
    assert!(titles.contains(&("fr", "Accueil du public en janvier")), "{titles:?}");
    assert!(titles.contains(&("vi", "Lịch tiếp dân tháng Một")), "{titles:?}");
    let h = ok(&server, Some(&editor), history, json!({ "id": id })).await;
    assert_eq!(h["articleRevisions"][0]["number"], 4);
    assert_eq!(h["articleRevisions"][0]["restoredFrom"], 2);

    // A preview link shows the latest content to someone without an account.
    let link = "mutation($id: ID!) { createPreviewLink(articleId: $id, hours: 2) { url } }";
    let url = ok(&server, Some(&editor), link, json!({ "id": id })).await["createPreviewLink"]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let page = client().get(&url).header("accept-language", "vi").send().await.expect("preview");
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.expect("html");
    assert!(html.contains("Lịch tiếp dân tháng Một") && html.contains("Bản xem trước"), "{html}");
    let forged = client().get(format!("{url}x")).send().await.expect("forged");
    assert_eq!(forged.status(), 410);
});
