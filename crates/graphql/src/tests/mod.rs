//! Schema-level tests: documentation on every type and field, and batched relation loading.

use crate::{Links, prepare, schema};
use async_graphql::Request;
use frontier_store::testing::TestDatabase;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

const INTROSPECTION: &str = "{ __schema { types { name kind description
    fields { name description args { name description } } inputFields { name description } enumValues { name description } } } }";

#[tokio::test]
async fn every_type_and_field_is_documented() {
    let response = crate::builder().finish().execute(INTROSPECTION).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().expect("json");
    let mut missing = Vec::new();
    let blank = |v: &Value| v.as_str().is_none_or(|s| s.trim().is_empty());
    for t in data["__schema"]["types"].as_array().expect("types") {
        let name = t["name"].as_str().unwrap_or_default();
        // Introspection's own types and the built-in scalars are documented by the spec.
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if blank(&t["description"]) {
            missing.push(name.to_owned());
        }
        for list in ["fields", "inputFields", "enumValues"] {
            for f in t[list].as_array().into_iter().flatten() {
                let field = f["name"].as_str().unwrap_or_default();
                if blank(&f["description"]) {
                    missing.push(format!("{name}.{field}"));
                }
                for a in f["args"].as_array().into_iter().flatten() {
                    if blank(&a["description"]) {
                        missing.push(format!("{name}.{field}({})", a["name"].as_str().unwrap_or_default()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "undocumented: {missing:?}");
}

/// Credentials signed with a fixed test key, and argon2 made cheap so tests stay quick.
pub(crate) fn test_sessions() -> std::sync::Arc<crate::Sessions> {
    let secret = frontier_auth::SigningSecret::from_bytes(b"test-signing-secret-of-more-than-32-bytes".to_vec())
        .expect("secret");
    let tokens = frontier_auth::TokenIssuer::new(&secret, "frontier", "frontier-api").expect("issuer");
    let previews = frontier_auth::PreviewSigner::new(&secret, "frontier").expect("previews");
    let mut s = crate::Sessions::new(tokens, previews);
    s.hasher = frontier_auth::Hasher::new(argon2::Params::new(64, 1, 1, Some(32)).expect("params"));
    std::sync::Arc::new(s)
}

static QUERIES: AtomicUsize = AtomicUsize::new(0);

/// Statement counting is process-wide: tests that use a database hold this so none runs while
/// another one counts.
pub(crate) static DATABASE_TESTS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct CountQueries;

impl diesel::connection::Instrumentation for CountQueries {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
            QUERIES.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Runs `query` and returns how many SQL statements it took.
async fn statements(schema: &crate::FrontierSchema, store: &frontier_store::Store, query: &str) -> usize {
    let before = QUERIES.load(Ordering::SeqCst);
    let response = schema
        .execute(prepare(Request::new(query), store, Vec::new(), crate::Viewer::public(), chrono::Utc::now()))
        .await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    QUERIES.load(Ordering::SeqCst) - before
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relations_load_in_batches_not_per_row() {
    let _alone = DATABASE_TESTS.lock().await;
    diesel::connection::set_default_instrumentation(|| Some(Box::new(CountQueries))).expect("instrumentation");
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    frontier_demo::seed(&store).await.expect("seed");
    let links = Links::new("http://127.0.0.1:8080", None).expect("links");
    let schema = schema(store.clone(), links, std::sync::Arc::new(frontier_domain::SystemClock), test_sessions());

    let articles = |n: usize| {
        format!(
            "{{ articles(first: {n}) {{ edges {{ node {{ title category {{ name parent {{ name }} }} unit {{ name parent {{ name }} }} }} }} }} }}"
        )
    };
    let few = statements(&schema, &store, &articles(2)).await;
    let many = statements(&schema, &store, &articles(25)).await;
    // Loading per row would take at least two statements per article and relation (> 100 here). A
    // batch may split in two when a busy machine delays some rows past the loader's wait, so the bound
    // allows that, no more.
    assert!(many <= 2 * few && many < 25, "articles: {few} statements for 2, {many} for 25");

    let places = |n: usize| {
        format!(
            "{{ places(first: {n}) {{ edges {{ node {{ name unit {{ name }} qrCodes {{ code target {{ __typename ... on Article {{ title }} ... on Place {{ name }} ... on Category {{ name }} ... on Unit {{ name }} }} }} }} }} }} }}"
        )
    };
    let few = statements(&schema, &store, &places(2)).await;
    let many = statements(&schema, &store, &places(26)).await;
    // Per row, each place would take at least four statements (unit, codes, each code's target and its
    // texts): over 100 here. Batched, the count stays below two per place even when batches split.
    assert!(many <= 2 * few + 8 && many < 2 * 26, "places: {few} statements for 2, {many} for 26");
}

#[test]
fn demo_bodies_render_without_leftover_markup() {
    let content = frontier_demo::load().expect("demo content");
    for a in &content.articles {
        for (locale, t) in a.translations.iter() {
            let text = crate::markdown::to_plain_text(&t.body);
            assert!(!text.contains("**") && !text.contains("__"), "{} [{locale}]: {text}", a.slug);
        }
    }
}

#[test]
fn list_costs_saturate_instead_of_overflowing() {
    use crate::types::{LIST_UNITS, list_cost, page_cost};
    let mut cost = 1;
    for _ in 0..30 {
        cost = list_cost(LIST_UNITS, cost);
    }
    assert_eq!(cost, 1 << 32, "30 nested unit lists hit the ceiling");
    assert_eq!(page_cost(Some(100), 5), 500);
    assert_eq!(page_cost(None, 5), 100, "20 items by default");
    assert_eq!(page_cost(Some(0), 5), 5, "an empty page still costs its selection once");
}

mod feed;
mod media;
mod stats;
mod unknown_scans;
mod workflow;
