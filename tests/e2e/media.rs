//! Images end to end: a camera-like JPEG (with an EXIF GPS position) uploaded through GraphQL multipart
//! and through `POST /media`, attached to a demo article and a demo place, published, and served to
//! readers (GraphQL `srcset`, the reader pages, the files themselves); and every way an upload is
//! refused, with its status and code.

// The camera-like test images of the media crate's own tests: a photo, and EXIF with GPS spliced in.
#[path = "../../crates/media/tests/support/mod.rs"]
mod support;

use crate::demo::{HOUSE_SLUG, LAW_ARTICLE};
use crate::harness::{BIN, Server, client, e2e, error_code};
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

const PASSWORD: &str = "mật-khẩu-thử-nghiệm-đủ-dài";
const POST: &str = "don-bien-phong-bac-xa";
const OTHER_POST: &str = "don-bien-phong-chi-ma";

/// 1600 × 1200, as a phone's photo arrives: with EXIF holding where it was taken.
pub(crate) fn camera_photo() -> Vec<u8> {
    let jpeg = support::with_exif(&support::jpeg(&support::photo(1600, 1200)), 1);
    assert!(support::contains(&jpeg, b"Exif"), "the upload carries EXIF");
    assert!(support::contains(&jpeg, &support::rational_bytes(support::LATITUDE_SECONDS)), "and a GPS position");
    jpeg
}

/// An account made with `frontier user create` (password on stdin), logged in through GraphQL.
async fn token(server: &Server, email: &str, role: &str, unit: &str) -> String {
    let data = tempfile::tempdir().expect("data dir");
    let mut child = Command::new(BIN)
        .args(["user", "create", "--email", email, "--role", role, "--unit", unit])
        .env("FRONTIER_DATABASE_URL", &server.db.url)
        .env("FRONTIER_DATA_DIR", data.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("frontier user create");
    child.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("password");
    let out = child.wait_with_output().expect("user create");
    assert!(out.status.success(), "user create: {}", String::from_utf8_lossy(&out.stderr));
    let login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }";
    let r = graphql_as(server, None, login, json!({ "e": email, "p": PASSWORD })).await;
    r["data"]["login"]["accessToken"].as_str().unwrap_or_else(|| panic!("login: {r}")).to_owned()
}

async fn graphql_as(server: &Server, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = client().post(server.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let r = request.send().await.expect("graphql");
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

const UPLOAD: &str = "mutation($file: Upload!, $unit: String!, $alt: [MediaTextInput!]!) {
    uploadImage(file: $file, unit: $unit, alt: $alt) { id width height alt url srcset renditions { width height url } } }";

/// A GraphQL multipart request (graphql-multipart-request-spec) with one file. The part claims to be
/// `application/octet-stream`: the type is read from the bytes.
fn multipart(query: &str, variables: Value, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "frontier-e2e-7d1f0c";
    let operations = json!({ "query": query, "variables": variables }).to_string();
    let mut body = Vec::new();
    for (name, value) in [("operations", operations.as_str()), ("map", r#"{"0": ["variables.file"]}"#)] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"IMG_0001.jpg\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .bytes(),
    );
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `uploadImage` through multipart: the HTTP status and the JSON answer.
async fn upload_graphql(server: &Server, token: Option<&str>, unit: &str, file: &[u8]) -> (u16, Value) {
    let alt = json!([
        { "locale": "vi", "alt": "Nhà văn hóa thôn Nà Pàn", "caption": "Ngày hội đại đoàn kết" },
        { "locale": "en", "alt": "Na Pan village cultural house" }
    ]);
    let (content_type, body) = multipart(UPLOAD, json!({ "file": null, "unit": unit, "alt": alt }), file);
    let mut request = client().post(server.url("/graphql")).header("content-type", content_type).body(body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let r = request.send().await.expect("multipart upload");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

/// `POST /media`: the HTTP status and the JSON answer.
async fn upload_http(server: &Server, token: Option<&str>, unit: &str, body: Vec<u8>) -> (u16, Value) {
    let url = server.url(&format!("/media?unit={unit}&alt=Nh%C3%A0%20v%C4%83n%20h%C3%B3a&caption=S%C3%A2n"));
    let mut request = client().post(url).header("content-type", "image/jpeg").body(body);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let r = request.send().await.expect("http upload");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json"))
}

fn widths(image: &Value) -> Vec<u64> {
    image["renditions"].as_array().expect("renditions").iter().map(|r| r["width"].as_u64().expect("width")).collect()
}

/// The path part of a served URL, as the reader pages print it.
fn path_of<'a>(server: &Server, url: &'a str) -> &'a str {
    url.strip_prefix(&server.base).unwrap_or_else(|| panic!("{url} is not on {}", server.base))
}

async fn page(server: &Server, path: &str) -> String {
    let r = client().get(server.url(path)).send().await.expect("page");
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.expect("html")
}

e2e!(images_are_uploaded_published_and_served, |server| {
    let editor = token(&server, "bientap@bacxa.test", "editor", POST).await;
    let reviewer = token(&server, "duyet@bacxa.test", "reviewer", POST).await;
    let photo = camera_photo();

    let (status, r) = upload_graphql(&server, Some(&editor), POST, &photo).await;
    assert_eq!(status, 200, "{r}");
    let image = &r["data"]["uploadImage"];
    assert_eq!((image["width"].as_u64(), image["height"].as_u64()), (Some(1600), Some(1200)), "{r}");
    assert_eq!(widths(image), [320, 640, 1280, 1600], "renditions narrowest first, the master last");
    let srcset = image["srcset"].as_str().expect("srcset");
    for w in ["320w", "640w", "1280w", "1600w"] {
        assert!(srcset.contains(&format!(".jpg {w}")), "{srcset}");
    }
    assert_eq!(image["alt"], "Nhà văn hóa thôn Nà Pàn");

    let (status, http) = upload_http(&server, Some(&editor), POST, photo.clone()).await;
    assert_eq!(status, 201, "{http}");
    assert_eq!(widths(&http), [320, 640, 1280, 1600]);
    assert_ne!(http["id"], image["id"], "a second upload is a second image");
    assert_eq!(http["srcset"], image["srcset"], "the same bytes make the same files, stored once");

    for rendition in image["renditions"].as_array().expect("renditions") {
        let url = rendition["url"].as_str().expect("url");
        let r = client().get(url).send().await.expect("file");
        assert_eq!(r.status(), 200, "{url}");
        let h = r.headers().clone();
        assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(h["content-type"], "image/jpeg");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let etag = h["etag"].to_str().expect("etag").to_owned();
        assert!(url.contains(etag.trim_matches('"')), "the ETag is the hash in the URL");
        let bytes = r.bytes().await.expect("bytes");
        assert!(!support::contains(&bytes, b"Exif"), "{url} carries EXIF");
        assert!(!support::contains(&bytes, &support::rational_bytes(support::LATITUDE_SECONDS)), "{url} has GPS");
        let decoded = image::load_from_memory(&bytes).expect("a JPEG a browser can show");
        assert_eq!(u64::from(decoded.width()), rendition["width"].as_u64().expect("width"));
        let again = client().get(url).header("if-none-match", &etag).send().await.expect("revalidate");
        assert_eq!(again.status(), 304);
    }

    // Attached to nothing yet, an image's texts are the editors' business (the files are public).
    let node = "query($id: ID!, $p: Boolean!) { node(id: $id, preview: $p) { ... on Image { alt } } }";
    let anonymous = graphql_as(&server, None, node, json!({ "id": image["id"], "p": false })).await;
    assert_eq!(anonymous["data"]["node"], Value::Null, "{anonymous}");
    let own = graphql_as(&server, Some(&editor), node, json!({ "id": image["id"], "p": true })).await;
    assert_eq!(own["data"]["node"]["alt"], "Nhà văn hóa thôn Nà Pàn", "{own}");

    // Attach both to a published demo article: editors' change, reviewed and published.
    let q = "query($s: String!) { article(slug: $s) { id version } }";
    let article = graphql_as(&server, None, q, json!({ "s": LAW_ARTICLE })).await["data"]["article"].clone();
    let set = "mutation($a: ID!, $v: Int!, $c: ID, $g: [ID!]!) {
        setArticleImages(articleId: $a, version: $v, cover: $c, gallery: $g) { version cover { id } images { id } } }";
    let vars = json!({ "a": article["id"], "v": article["version"], "c": image["id"], "g": [http["id"]] });
    let r = graphql_as(&server, Some(&editor), set, vars).await;
    let saved = &r["data"]["setArticleImages"];
    assert_eq!((&saved["cover"]["id"], &saved["images"][0]["id"]), (&image["id"], &http["id"]), "{r}");
    let reader = format!("/a/{LAW_ARTICLE}");
    let master_path = path_of(&server, image["url"].as_str().expect("url")).to_owned();
    assert!(!page(&server, &reader).await.contains(&master_path), "unpublished images stay unpublished");

    let submit = "mutation($a: ID!, $v: Int!) { submitArticle(id: $a, version: $v) { version } }";
    let v = saved["version"].clone();
    let r = graphql_as(&server, Some(&editor), submit, json!({ "a": article["id"], "v": v })).await;
    let publish = "mutation($a: ID!, $v: Int!) { publishArticle(id: $a, version: $v) { version } }";
    let v = r["data"]["submitArticle"]["version"].clone();
    let r = graphql_as(&server, Some(&reviewer), publish, json!({ "a": article["id"], "v": v })).await;
    assert!(r["data"]["publishArticle"]["version"].is_i64(), "{r}");

    let q = "query($s: String!) { article(slug: $s, locale: \"en\") { cover { alt srcset } images { alt caption } } }";
    let public = graphql_as(&server, None, q, json!({ "s": LAW_ARTICLE })).await;
    let cover = &public["data"]["article"]["cover"];
    assert_eq!(cover["alt"], "Na Pan village cultural house", "{public}");
    assert_eq!(cover["srcset"], image["srcset"]);
    assert_eq!(public["data"]["article"]["images"][0]["caption"], "Sân", "{public}");

    let shown = graphql_as(&server, None, node, json!({ "id": image["id"], "p": false })).await;
    assert_eq!(shown["data"]["node"]["alt"], "Nhà văn hóa thôn Nà Pàn", "shown by a published article: {shown}");

    let html = page(&server, &reader).await;
    let page_srcset: String = srcset.split(", ").map(|s| path_of(&server, s)).collect::<Vec<_>>().join(", ");
    assert!(html.contains(&format!("srcset=\"{page_srcset}\"")), "article page: {html}");
    assert!(html.contains("alt=\"Nhà văn hóa thôn Nà Pàn\""), "alt in the page's language (vi): {html}");
    assert!(html.contains("width=\"1600\" height=\"1200\""), "{html}");
    assert!(html.contains("loading=\"lazy\""), "the gallery loads lazily: {html}");

    // The village photo gallery of a place: at once, no review.
    let q = "query($s: String!) { place(slug: $s) { id } }";
    let place = graphql_as(&server, None, q, json!({ "s": HOUSE_SLUG })).await["data"]["place"]["id"].clone();
    let set = "mutation($p: ID!, $i: [ID!]!) { setPlaceGallery(placeId: $p, images: $i) { gallery { id } } }";
    let r = graphql_as(&server, Some(&editor), set, json!({ "p": place, "i": [image["id"], http["id"]] })).await;
    assert_eq!(r["data"]["setPlaceGallery"]["gallery"].as_array().map(Vec::len), Some(2), "{r}");
    let html = page(&server, &format!("/p/{HOUSE_SLUG}?lang=en")).await;
    assert!(html.contains(&format!("srcset=\"{page_srcset}\"")), "place page: {html}");
    assert!(html.contains("alt=\"Na Pan village cultural house\""), "alt in English where it exists: {html}");
    assert!(html.contains("lang=\"vi\"><img"), "a Vietnamese-only alt is marked as such: {html}");

    let store = server.store().await;
    let (entries, _) = store
        .audit_log(frontier_store::AuditQuery { action: Some("media.".into()), first: 10, ..Default::default() })
        .await
        .expect("audit");
    assert_eq!(entries.len(), 2, "both uploads are in the audit log");
});

e2e!(uploads_are_refused_with_coded_errors, env = &[("FRONTIER_MAX_UPLOAD_MB", "1")], |server| {
    let editor = token(&server, "bientap@bacxa.test", "editor", POST).await;
    let stranger = token(&server, "bientap@chima.test", "editor", OTHER_POST).await;
    let photo = support::jpeg(&support::photo(400, 300));

    let (status, r) = upload_http(&server, None, POST, photo.clone()).await;
    assert_eq!((status, r["error"]["code"].as_str()), (401, Some("UNAUTHENTICATED")), "{r}");
    // Refused on the headers, before megabytes of body are read for nobody.
    let (status, r) = upload_graphql(&server, None, POST, &photo).await;
    assert_eq!((status, error_code(&r)), (401, "UNAUTHENTICATED"), "{r}");
    let (status, r) = upload_graphql(&server, Some("not-a-token"), POST, &photo).await;
    assert_eq!((status, error_code(&r)), (401, "UNAUTHENTICATED"), "{r}");

    let (status, r) = upload_http(&server, Some(&stranger), POST, photo.clone()).await;
    assert_eq!((status, r["error"]["code"].as_str()), (403, Some("FORBIDDEN")), "{r}");
    let (_, r) = upload_graphql(&server, Some(&stranger), POST, &photo).await;
    assert_eq!(error_code(&r), "FORBIDDEN", "{r}");

    let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj <<>> endobj\n".to_vec();
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    for (what, body) in [("PDF", pdf), ("SVG", svg)] {
        let (status, r) = upload_http(&server, Some(&editor), POST, body.clone()).await;
        assert_eq!((status, r["error"]["code"].as_str()), (415, Some("UNSUPPORTED_MEDIA_TYPE")), "{r}");
        assert!(r["error"]["message"].as_str().is_some_and(|m| m.contains(what)), "names what was sent: {r}");
        let (_, r) = upload_graphql(&server, Some(&editor), POST, &body).await;
        assert_eq!(error_code(&r), "UNSUPPORTED_MEDIA_TYPE", "{r}");
    }

    // 1.5 MiB against a 1 MiB limit: refused on the declared length, before the body is read.
    let big = support::noise(1536 * 1024, 7);
    let (status, r) = upload_http(&server, Some(&editor), POST, big.clone()).await;
    assert_eq!((status, r["error"]["code"].as_str()), (413, Some("PAYLOAD_TOO_LARGE")), "{r}");
    let (status, r) = upload_graphql(&server, Some(&editor), POST, &big).await;
    assert_eq!((status, error_code(&r)), (413, "PAYLOAD_TOO_LARGE"), "{r}");

    let (status, r) = upload_http(&server, Some(&editor), POST, Vec::new()).await;
    assert_eq!((status, r["error"]["code"].as_str()), (400, Some("BAD_USER_INPUT")), "an empty body: {r}");
    let (status, r) = upload_http(&server, Some(&editor), "khong-co-don-nay", photo.clone()).await;
    assert_eq!((status, r["error"]["code"].as_str()), (404, Some("NOT_FOUND")), "{r}");
    let r = client().post(server.url("/media?unit=don-bien-phong-bac-xa")).bearer_auth(&editor).body(photo.clone());
    let r = r.send().await.expect("no alt");
    assert_eq!(r.status(), 400, "alt text is required");

    // A file reference without a file is bad input, not a crash (async-graphql's own `Upload` panics).
    let fake = json!({ "file": "#__graphql_file__:x", "unit": POST, "alt": [{ "locale": "vi", "alt": "x" }] });
    let r = graphql_as(&server, Some(&editor), UPLOAD, fake).await;
    assert_eq!(error_code(&r), "GRAPHQL_VALIDATION_FAILED", "{r}");
    let fake = json!({ "file": "#__graphql_file__:3", "unit": POST, "alt": [{ "locale": "vi", "alt": "x" }] });
    let r = graphql_as(&server, Some(&editor), UPLOAD, fake).await;
    assert_eq!(error_code(&r), "BAD_USER_INPUT", "{r}");

    // Only well-formed hashes name files.
    let (_, ok) = upload_http(&server, Some(&editor), POST, photo).await;
    let url = ok["url"].as_str().expect("url");
    assert_eq!(client().get(url).send().await.expect("file").status(), 200);
    let hash = url.rsplit('/').next().and_then(|name| name.strip_suffix(".jpg")).expect("hash");
    let upper = format!("/media/{}.jpg", hash.to_uppercase());
    for path in ["/media/..%2F..%2Fetc%2Fpasswd", "/media/abc.jpg", &format!("/media/{hash}.jpg.jpg"), &upper] {
        let r = client().get(server.url(path)).send().await.expect("bad name");
        assert_eq!(r.status(), 404, "{path}");
    }
    let png = url.replace(".jpg", ".png");
    assert_eq!(client().get(&png).send().await.expect("other format").status(), 404, "a JPEG is not served as PNG");
});
