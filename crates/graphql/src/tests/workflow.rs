//! The editorial workflow through GraphQL with a clock the test moves: who may do each step, what the
//! public sees at each moment through every entry point, conflicts and revisions.

use crate::{Links, Viewer, prepare, schema};
use async_graphql::{Request, Variables};
use chrono::{DateTime, Duration, TimeZone, Utc};
use frontier_domain::{Actor, Clock, Email, ManualClock, QrCodeValue, QrTarget, Role, User, UserId};
use frontier_store::testing::TestDatabase;
use frontier_store::{NewQrCode, Store};
use serde_json::{Value, json};
use std::sync::Arc;

pub(super) struct World {
    pub(super) store: Store,
    pub(super) schema: crate::FrontierSchema,
    pub(super) clock: Arc<ManualClock>,
    units: Vec<(frontier_domain::UnitId, Option<frontier_domain::UnitId>)>,
    pub(super) db: TestDatabase,
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).single().expect("time")
}

impl World {
    pub(super) async fn new() -> Self {
        let db = TestDatabase::sqlite();
        let store = db.store().await;
        frontier_demo::seed(&store).await.expect("seed");
        let clock = Arc::new(ManualClock::new(start()));
        let links = Links::new("http://127.0.0.1:8080", None).expect("links");
        let schema = schema(store.clone(), links, clock.clone(), super::test_sessions());
        let units = store.unit_links().await.expect("units");
        Self { store, schema, clock, units, db }
    }

    pub(super) async fn officer(&self, role: Role, unit_slug: &str) -> Viewer {
        let unit = self.store.unit_by_slug_any(unit_slug.into()).await.expect("unit").expect("demo unit");
        let user = User {
            id: UserId::generate(),
            email: Email::parse(&format!("{}@bienphong.test", role.as_str())).expect("email"),
            display_name: format!("{} {unit_slug}", role.as_str()),
            role,
            unit_id: unit.id,
            disabled: false,
            created_at: start(),
            updated_at: start(),
        };
        Viewer::new(Actor::User { role, unit: unit.id }, Some(user), self.units.clone())
    }

    pub(super) async fn run(&self, viewer: Viewer, query: &str, vars: Value) -> (Value, Vec<String>) {
        let request = Request::new(query).variables(Variables::from_json(vars));
        let response = self.schema.execute(prepare(request, &self.store, Vec::new(), viewer, self.clock.now())).await;
        let codes = response
            .errors
            .iter()
            .map(|e| {
                e.extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .map(|c| c.to_string().trim_matches('"').to_owned())
                    .unwrap_or_default()
            })
            .collect();
        (response.data.into_json().expect("json"), codes)
    }

    /// The errors of a request: each one's code and message.
    pub(super) async fn errors(&self, viewer: Viewer, query: &str, vars: Value) -> Vec<(String, String)> {
        let request = Request::new(query).variables(Variables::from_json(vars));
        let response = self.schema.execute(prepare(request, &self.store, Vec::new(), viewer, self.clock.now())).await;
        let code = |e: &async_graphql::ServerError| {
            let code = e.extensions.as_ref().and_then(|x| x.get("code")).map(ToString::to_string);
            code.unwrap_or_default().trim_matches('"').to_owned()
        };
        response.errors.iter().map(|e| (code(e), e.message.clone())).collect()
    }

    /// Runs and requires success.
    pub(super) async fn ok(&self, viewer: Viewer, query: &str, vars: Value) -> Value {
        let (data, codes) = self.run(viewer, query, vars).await;
        assert!(codes.is_empty(), "{query}: {codes:?}");
        data
    }
}

const CREATE: &str =
    "mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug version status } }";
const STEP: &str = "mutation($id: ID!, $v: Int!) { submitArticle(id: $id, version: $v) { version status } }";
const PUBLISH: &str = "mutation($id: ID!, $v: Int!, $at: DateTime) {
    publishArticle(id: $id, version: $v, publishAt: $at) { version status visibility publishedAt } }";

fn draft_input() -> Value {
    json!({
        "unit": "don-bien-phong-bac-xa",
        "category": "tin-tuc",
        "translations": [
            { "locale": "vi", "title": "Lịch tuần tra tháng Mười hai", "summary": "Tóm tắt", "body": "Nội dung **mới**." },
            { "locale": "fr", "title": "Patrouilles de décembre", "body": "Texte." }
        ]
    })
}

/// Every public way to reach an article, as one anonymous request. Returns every slug and title
/// it saw anywhere.
const EVERYWHERE: &str = r#"query($slug: String!, $id: ID!, $code: String!) {
  articles(first: 100) { edges { node { slug title } } }
  byCategory: articles(first: 100, filter: { category: "tin-tuc" }) { edges { node { slug title } } }
  byUnit: articles(first: 100, filter: { unit: "don-bien-phong-bac-xa" }) { edges { node { slug title } } }
  inFrench: articles(first: 100, filter: { locale: "fr" }) { edges { node { slug title } } }
  article(slug: $slug) { slug title }
  node(id: $id) { ... on Article { slug title } }
  category(slug: "tin-tuc") { articles(first: 100) { edges { node { slug title } } } }
  qrCode(code: $code) { target { ... on Article { slug title } } }
  place(slug: "nha-van-hoa-thon-na-pan") { qrCodes { target { ... on Article { slug title } } } }
  places(first: 30) { edges { node { qrCodes { target { ... on Article { slug } } } } } }
}"#;

fn slugs_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(s)) = m.get("slug") {
                out.push(s.clone());
            }
            m.values().for_each(|x| slugs_in(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| slugs_in(x, out)),
        _ => {}
    }
}

async fn public_sightings(w: &World, slug: &str, id: &str) -> usize {
    let vars = json!({ "slug": slug, "id": id, "code": "TT2DEC" });
    let data = w.ok(Viewer::public(), EVERYWHERE, vars).await;
    let mut seen = Vec::new();
    slugs_in(&data, &mut seen);
    seen.iter().filter(|s| s.as_str() == slug).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_article_appears_at_its_minute_and_never_before() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = World::new().await;
    let editor = w.officer(Role::Editor, "tram-bac-xa-1").await;
    let bac_xa_editor = w.officer(Role::Editor, "don-bien-phong-bac-xa").await;
    let reviewer = w.officer(Role::Reviewer, "don-bien-phong-bac-xa").await;

    // A station editor cannot write for the post above them.
    let (_, codes) = w.run(editor.clone(), CREATE, json!({ "input": draft_input() })).await;
    assert_eq!(codes, ["FORBIDDEN"]);
    let (_, codes) = w.run(Viewer::public(), CREATE, json!({ "input": draft_input() })).await;
    assert_eq!(codes, ["UNAUTHENTICATED"]);

    let created = w.ok(bac_xa_editor.clone(), CREATE, json!({ "input": draft_input() })).await;
    let a = &created["createArticle"];
    assert_eq!(a["slug"], "lich-tuan-tra-thang-muoi-hai");
    assert_eq!((a["version"].as_i64(), a["status"].as_str()), (Some(1), Some("DRAFT")));
    let id = a["id"].as_str().expect("id").to_owned();
    let slug = "lich-tuan-tra-thang-muoi-hai";

    // A QR code on the notice board already points at it.
    let place = w.store.place_by_slug_any("nha-van-hoa-thon-na-pan".into()).await.expect("place").expect("demo");
    let article_id = frontier_domain::ArticleId(crate::node_id::decode(&id).expect("id").1);
    let code = NewQrCode {
        code: QrCodeValue::parse("TT2DEC").expect("code"),
        place: place.id,
        target: QrTarget::Article(article_id),
        active: true,
        expires_at: None,
    };
    w.store.save_qr_code(code).await.expect("qr");

    assert_eq!(public_sightings(&w, slug, &id).await, 0, "a draft is invisible everywhere");

    // The editor sees it in preview; the public asking for preview is refused.
    let q = "query($s: String!) { article(slug: $s, preview: true) { title status } }";
    let seen = w.ok(bac_xa_editor.clone(), q, json!({ "s": slug })).await;
    assert_eq!(seen["article"]["status"], "DRAFT");
    let (_, codes) = w.run(Viewer::public(), q, json!({ "s": slug })).await;
    assert_eq!(codes, ["UNAUTHENTICATED"]);
    let (_, codes) = w.run(w.officer(Role::Analyst, "don-bien-phong-bac-xa").await, q, json!({ "s": slug })).await;
    assert_eq!(codes, ["FORBIDDEN"]);

    // Editors submit; only reviewers publish.
    let s = w.ok(bac_xa_editor.clone(), STEP, json!({ "id": id, "v": 1 })).await;
    assert_eq!(s["submitArticle"]["status"], "IN_REVIEW");
    let at = start() + Duration::minutes(90);
    let (_, codes) = w.run(bac_xa_editor.clone(), PUBLISH, json!({ "id": id, "v": 2, "at": at })).await;
    assert_eq!(codes, ["FORBIDDEN"]);
    let p = w.ok(reviewer.clone(), PUBLISH, json!({ "id": id, "v": 2, "at": at })).await;
    assert_eq!(p["publishArticle"]["status"], "PUBLISHED");
    assert_eq!(p["publishArticle"]["visibility"], "SCHEDULED");

    w.clock.set(at - Duration::seconds(1));
    assert_eq!(public_sightings(&w, slug, &id).await, 0, "one second early: still hidden");
    w.clock.set(at);
    // Ten entry points, each listing it once (the QR code's target through three paths included).
    assert_eq!(public_sightings(&w, slug, &id).await, 10, "online at the scheduled minute");

    // A stale version is a CONFLICT that changes nothing.
    let update =
        "mutation($id: ID!, $v: Int!) { updateArticle(id: $id, version: $v, input: { slug: \"khac\" }) { version } }";
    let (_, codes) = w.run(bac_xa_editor.clone(), update, json!({ "id": id, "v": 2 })).await;
    assert_eq!(codes, ["CONFLICT"]);
    assert_eq!(public_sightings(&w, slug, &id).await, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_correction_keeps_its_date_and_its_end() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let w = World::new().await;
    let editor = w.officer(Role::Editor, "don-bien-phong-bac-xa").await;
    let reviewer = w.officer(Role::Reviewer, "don-bien-phong-bac-xa").await;
    let created = w.ok(editor.clone(), CREATE, json!({ "input": draft_input() })).await;
    let id = created["createArticle"]["id"].as_str().expect("id").to_owned();
    w.ok(editor.clone(), STEP, json!({ "id": id, "v": 1 })).await;
    // A temporary regulation: online now, offline at the end of the month.
    let window = "mutation($id: ID!, $v: Int!, $end: DateTime) {
        publishArticle(id: $id, version: $v, unpublishAt: $end) { version publishedAt unpublishAt } }";
    let end = start() + Duration::days(28);
    let first = w.ok(reviewer.clone(), window, json!({ "id": id, "v": 2, "end": end })).await;
    let first = &first["publishArticle"];
    assert_eq!(first["publishedAt"], json!(start().to_rfc3339()), "published at the clock's now: {first}");

    // A week later the editor fixes a typo; the reviewer publishes the correction without a date.
    w.clock.set(start() + Duration::days(7));
    let fix = "mutation($id: ID!, $v: Int!) { updateArticle(id: $id, version: $v, input: {
        translations: [{ locale: \"vi\", title: \"Lịch tuần tra tháng 12\", body: \"Nội dung.\" }] }) { version } }";
    let v = w.ok(editor.clone(), fix, json!({ "id": id, "v": 3 })).await["updateArticle"]["version"].clone();
    let v = w.ok(editor.clone(), STEP, json!({ "id": id, "v": v })).await["submitArticle"]["version"].clone();
    let again = w.ok(reviewer.clone(), PUBLISH, json!({ "id": id, "v": v })).await;
    let again = &again["publishArticle"];
    assert_eq!(again["publishedAt"], json!(start().to_rfc3339()), "the correction keeps the first date: {again}");
    let q = "query($id: ID!) { node(id: $id) { ... on Article { title publishedAt unpublishAt } } }";
    let public = w.ok(Viewer::public(), q, json!({ "id": id })).await;
    assert_eq!(public["node"]["title"], "Lịch tuần tra tháng 12");
    assert_eq!(public["node"]["publishedAt"], json!(start().to_rfc3339()));
    assert_eq!(public["node"]["unpublishAt"], json!(end.to_rfc3339()), "and the end of the temporary rule");
}
