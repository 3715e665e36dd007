//! The live feed through the schema, as a websocket runs it (`execute_stream`), with a real scan
//! writer on a temporary SQLite store: what arrives, what does not, who may subscribe, and when a
//! subscription ends.

use crate::{Links, Viewer, prepare};
use async_graphql::futures_util::{Stream, StreamExt};
use async_graphql::{Request, Response, Variables};
use frontier_domain::{Actor, AuditActor, Clock, DeviceClass, Email, Locale, Role, StatsZone, SystemClock};
use frontier_store::testing::TestDatabase;
use frontier_store::{NewUser, ScanRequest, ScanWriter, Store};
use serde_json::{Value, json};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

const FEED: &str = "subscription($unit: String!) { scanRecorded(unit: $unit, locale: \"en\") {
    occurredAt localDay outcome device human repeat counted locale source scannedCode skippedBefore targetId
    code { code } place { slug } unit { slug }
    target { __typename ... on Place { slug } ... on Article { slug } ... on Category { slug } ... on Unit { slug } } } }";

const POST: &str = "don-bien-phong-bac-xa";
/// A code at a station below `POST`, and one of another post.
const STATION_CODE: &str = "K4PVHZ";
const OTHER_POST_CODE: &str = "2JXMFQ";
const SECOND_STATION_CODE: &str = "5T8E5F";

type Feed = Pin<Box<dyn Stream<Item = Response> + Send>>;

struct World {
    store: Store,
    schema: crate::FrontierSchema,
    writer: ScanWriter,
    _db: TestDatabase,
}

impl World {
    async fn new() -> Self {
        let db = TestDatabase::sqlite();
        let store = db.store().await;
        frontier_demo::seed(&store).await.expect("seed");
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let zone = StatsZone::parse("Asia/Ho_Chi_Minh").expect("zone");
        let writer = ScanWriter::start(store.clone(), zone, clock.clone());
        let links = Links::new("http://127.0.0.1:8080", None).expect("links");
        let schema = crate::builder()
            .data(store.clone())
            .data(links)
            .data(clock)
            .data(super::test_sessions())
            .data(writer.clone())
            .finish();
        Self { store, schema, writer, _db: db }
    }

    /// A stored account of `role` in `unit`, as the server's edge would see it.
    async fn account(&self, role: Role, unit: &str) -> Viewer {
        let unit = self.store.unit_by_slug_any(unit.into()).await.expect("unit").expect("demo unit");
        let new = NewUser {
            email: Email::parse(&format!("{}.{}@bienphong.test", role.as_str(), unit.slug)).expect("email"),
            display_name: format!("{} {}", role.as_str(), unit.slug),
            role,
            unit: unit.id,
            password_hash: "unused".into(),
        };
        let user = self.store.create_user(new, AuditActor::system()).await.expect("user");
        let units = self.store.unit_links().await.expect("units");
        Viewer::new(Actor::User { role, unit: user.unit_id }, Some(user), units)
    }

    fn subscribe(&self, viewer: Viewer, unit: &str) -> Feed {
        let request = Request::new(FEED).variables(Variables::from_json(json!({ "unit": unit })));
        self.schema.execute_stream(prepare(request, &self.store, Vec::new(), viewer, chrono::Utc::now()))
    }

    async fn scan(&self, code: &str) {
        let request = ScanRequest {
            device: DeviceClass::Android,
            locale: Some(Locale::parse("fr").expect("locale")),
            ..ScanRequest::link(code)
        };
        self.writer.record(request).await.expect("scan recorded");
    }
}

/// The next item within `limit`, as JSON (errors included).
async fn next(feed: &mut Feed, limit: Duration) -> Option<Value> {
    let response = tokio::time::timeout(limit, feed.next()).await.ok()??;
    Some(serde_json::to_value(&response).expect("json"))
}

/// Scans `code` until the feed shows it: the subscription starts on the stream's first poll, and
/// only from then on does it see scans. Returns the first item.
async fn first_item(world: &World, feed: &mut Feed, code: &str) -> Value {
    for _ in 0..40 {
        world.scan(code).await;
        if let Some(item) = next(feed, Duration::from_millis(250)).await {
            return item;
        }
    }
    panic!("no item for {code}");
}

fn codes(item: &Value) -> Vec<String> {
    item["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["extensions"]["code"].as_str().unwrap_or("<none>").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_sees_the_scans_below_their_post_and_no_others() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let world = World::new().await;
    let analyst = world.account(Role::Analyst, POST).await;
    let mut feed = world.subscribe(analyst, POST);

    let item = first_item(&world, &mut feed, STATION_CODE).await;
    assert!(item["errors"].is_null(), "{item}");
    let scan = &item["data"]["scanRecorded"];
    assert_eq!(scan["scannedCode"], STATION_CODE);
    assert_eq!(scan["code"]["code"], STATION_CODE);
    assert_eq!(scan["place"]["slug"], "nha-van-hoa-thon-na-pan");
    assert_eq!(scan["unit"]["slug"], "tram-bac-xa-1");
    assert_eq!(scan["target"]["__typename"], "Place");
    assert_eq!(scan["target"]["slug"], "nha-van-hoa-thon-na-pan");
    assert!(scan["targetId"].is_string());
    assert_eq!(scan["outcome"], "OK");
    assert_eq!(scan["device"], "ANDROID");
    assert_eq!(scan["human"], true);
    assert_eq!(scan["locale"], "fr");
    assert_eq!(scan["source"], "LINK");
    assert_eq!(scan["skippedBefore"], 0);
    assert!(scan.get("visitor").is_none());

    // Another post's scan never arrives: the station scan after it is the next item.
    world.scan(OTHER_POST_CODE).await;
    world.scan(SECOND_STATION_CODE).await;
    let mut seen = Vec::new();
    while let Some(item) = next(&mut feed, Duration::from_secs(5)).await {
        let code = item["data"]["scanRecorded"]["scannedCode"].as_str().expect("code").to_owned();
        seen.push(code.clone());
        if code == SECOND_STATION_CODE {
            assert_eq!(item["data"]["scanRecorded"]["unit"]["slug"], "tram-bac-xa-2");
            break;
        }
    }
    assert_eq!(seen.last().map(String::as_str), Some(SECOND_STATION_CODE), "{seen:?}");
    assert!(!seen.iter().any(|c| c == OTHER_POST_CODE), "{seen:?}");
    assert!(next(&mut feed, Duration::from_millis(300)).await.is_none(), "nothing else");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_analysts_of_the_unit_or_above_and_admins_may_subscribe() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let world = World::new().await;
    let refused = |viewer: Viewer, unit: &str| {
        let mut feed = world.subscribe(viewer, unit);
        async move {
            let item = next(&mut feed, Duration::from_secs(10)).await.expect("an answer");
            assert!(next(&mut feed, Duration::from_secs(1)).await.is_none(), "the subscription ended");
            codes(&item)
        }
    };
    assert_eq!(refused(Viewer::public(), POST).await, ["UNAUTHENTICATED"]);
    let station_analyst = world.account(Role::Analyst, "tram-bac-xa-1").await;
    assert_eq!(refused(station_analyst, POST).await, ["FORBIDDEN"], "a unit above");
    let editor = world.account(Role::Editor, POST).await;
    assert_eq!(refused(editor, POST).await, ["FORBIDDEN"], "not an analyst");
    let analyst = world.account(Role::Analyst, POST).await;
    assert_eq!(refused(analyst.clone(), "don-bien-phong-chi-ma").await, ["FORBIDDEN"], "another post");
    assert_eq!(refused(analyst.clone(), "no-such-unit").await, ["NOT_FOUND"]);
    assert_eq!(refused(analyst.clone(), "Not A Slug").await, ["BAD_USER_INPUT"]);
    let key = Viewer::new(Actor::ApiKey { units: Vec::new() }, None, Vec::new());
    assert_eq!(refused(key, POST).await, ["FORBIDDEN"], "API keys");

    // A unit's global id works as well as its slug, and an admin may watch any unit.
    let unit = world.store.unit_by_slug_any("tram-bac-xa-1".into()).await.expect("unit").expect("demo unit");
    let id = crate::node_id::encode(crate::node_id::NodeKind::Unit, unit.id);
    let mut feed = world.subscribe(analyst, &id);
    let item = first_item(&world, &mut feed, STATION_CODE).await;
    assert_eq!(item["data"]["scanRecorded"]["unit"]["slug"], "tram-bac-xa-1", "{item}");
    let admin = world.account(Role::Admin, "bdbp-lang-son").await;
    let mut feed = world.subscribe(admin, "don-bien-phong-chi-ma");
    let item = first_item(&world, &mut feed, OTHER_POST_CODE).await;
    assert_eq!(item["data"]["scanRecorded"]["scannedCode"], OTHER_POST_CODE, "{item}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_ends_when_the_token_expires_or_the_account_is_disabled() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let world = World::new().await;
    let analyst = world.account(Role::Analyst, POST).await;
    let soon = chrono::Utc::now() + chrono::Duration::seconds(3);
    let mut feed = world.subscribe(analyst.clone().expiring(soon), POST);
    let item = first_item(&world, &mut feed, STATION_CODE).await;
    assert!(item["errors"].is_null(), "{item}");
    let mut last = None;
    while let Some(item) = next(&mut feed, Duration::from_secs(10)).await {
        last = Some(item);
    }
    let last = last.expect("an error before the end");
    assert_eq!(codes(&last), ["UNAUTHENTICATED"], "{last}");
    assert!(chrono::Utc::now() >= soon);

    // Already expired: refused at once.
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    let mut feed = world.subscribe(analyst.clone().expiring(past), POST);
    assert_eq!(codes(&next(&mut feed, Duration::from_secs(5)).await.expect("answer")), ["UNAUTHENTICATED"]);

    // Disabled meanwhile: the next scan after the recheck ends the subscription.
    let mut feed = world.subscribe(analyst.clone(), POST);
    first_item(&world, &mut feed, STATION_CODE).await;
    let user = analyst.user.as_ref().expect("account").id;
    world.store.set_user_disabled(user, true, AuditActor::system()).await.expect("disable");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    world.scan(STATION_CODE).await;
    // (A late item of the first scans may come before.)
    let mut item = next(&mut feed, Duration::from_secs(5)).await.expect("answer");
    while item["errors"].is_null() {
        item = next(&mut feed, Duration::from_secs(5)).await.expect("answer");
    }
    assert_eq!(codes(&item), ["UNAUTHENTICATED"], "{item}");
    assert!(next(&mut feed, Duration::from_secs(1)).await.is_none(), "the subscription ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_that_falls_behind_skips_and_goes_on() {
    let _alone = super::DATABASE_TESTS.lock().await;
    let world = World::new().await;
    let analyst = world.account(Role::Analyst, POST).await;
    let mut feed = world.subscribe(analyst, POST);
    first_item(&world, &mut feed, STATION_CODE).await;
    // More scans than the writer keeps for a subscriber that does not read (1,024), recorded at once.
    let burst: Vec<_> = (0..1100).map(|_| world.scan(SECOND_STATION_CODE)).collect();
    async_graphql::futures_util::future::join_all(burst).await;
    let item = next(&mut feed, Duration::from_secs(10)).await.expect("the feed goes on");
    assert!(item["errors"].is_null(), "{item}");
    let skipped = item["data"]["scanRecorded"]["skippedBefore"].as_i64().expect("skipped");
    assert!(skipped >= 1100 - 1024, "{item}");
    let mut delivered = 0;
    let mut item = Some(item);
    while let Some(i) = item {
        if i["data"]["scanRecorded"]["scannedCode"] == SECOND_STATION_CODE {
            delivered += 1;
        }
        item = next(&mut feed, Duration::from_millis(500)).await;
    }
    // (Late items of the first scans, if any, were skipped too.)
    assert!(delivered <= 1024 && skipped + delivered >= 1100, "{skipped} skipped, {delivered} delivered");
}
