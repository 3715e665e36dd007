//! Images through GraphQL: relations load in batches, changes follow the policy, and readers see an
//! article's images only once they are published.

use super::workflow::World;
use super::{CountQueries, DATABASE_TESTS, statements};
use crate::Viewer;
use frontier_domain::{
    Actor, ArticleImages, AuditActor, ImageFormat, Locale, Media, MediaFile, MediaKind, MediaText, PublicationWindow,
    Role, Transition, Translated, UnitId,
};
use frontier_store::{ArticleQuery, Audience, NewMedia, PlaceQuery, Step, Store};
use serde_json::json;

fn file(width: u32, seed: u32) -> MediaFile {
    MediaFile { width, height: width / 2, hash: format!("{seed:064x}"), format: ImageFormat::Jpeg, bytes: 1000 }
}

/// An image as a finished upload leaves it (its files are not needed to read it through GraphQL).
async fn image(store: &Store, unit: UnitId, seed: u32) -> Media {
    let texts = Translated::new([
        (Locale::default_locale(), MediaText::new("Nhà văn hóa", Some("Chú thích")).expect("vi")),
        (Locale::parse("en").expect("en"), MediaText::new("Cultural house", None).expect("en")),
    ]);
    let new = NewMedia {
        unit,
        kind: MediaKind::Jpeg,
        master: file(1600, seed),
        renditions: vec![file(320, seed + 1), file(640, seed + 2)],
        texts,
        created_by: None,
    };
    store.save_media(new, AuditActor::system()).await.expect("image")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn galleries_and_covers_load_in_batches() {
    let _alone = DATABASE_TESTS.lock().await;
    diesel::connection::set_default_instrumentation(|| Some(Box::new(CountQueries))).expect("instrumentation");
    let w = World::new().await;
    let store = &w.store;
    let post = store.unit_by_slug_any("don-bien-phong-bac-xa".into()).await.expect("unit").expect("demo post").id;
    let places = store
        .places(frontier_store::Audience::public(chrono::Utc::now()), PlaceQuery { first: 100, ..Default::default() })
        .await
        .expect("places")
        .items;
    for (i, p) in places.iter().enumerate() {
        let seed = 10 * i as u32;
        let (a, b) = (image(store, post, seed).await, image(store, post, seed + 5).await);
        store.set_place_gallery(p.id, vec![a.id, b.id], AuditActor::system()).await.expect("gallery");
    }
    let now = chrono::Utc::now();
    let articles = store.articles(Audience::public(now), ArticleQuery { first: 100, ..Default::default() }).await;
    for (i, a) in articles.expect("articles").items.iter().enumerate() {
        let seed = 10_000 + 10 * i as u32;
        let images =
            ArticleImages::new(Some(image(store, post, seed).await.id), vec![image(store, post, seed + 5).await.id]);
        let v = a.version;
        let who = AuditActor::system();
        store.set_article_images(a.id, v, images.expect("images"), who.clone()).await.expect("images");
        store.article_step(a.id, step(Transition::Submit, v + 1, None), who.clone()).await.expect("submit");
        let window = PublicationWindow::new(a.published_at, None).expect("window");
        store.article_step(a.id, step(Transition::Publish, v + 2, Some(window)), who).await.expect("publish");
    }

    let places = |n: usize| {
        format!("{{ places(first: {n}) {{ edges {{ node {{ gallery {{ alt srcset renditions {{ url }} }} }} }} }} }}")
    };
    let few = statements(&w.schema, store, &places(2)).await;
    let many = statements(&w.schema, store, &places(26)).await;
    assert!(many <= 2 * few && many < 26, "galleries: {few} statements for 2 places, {many} for 26");

    let articles = |n: usize| {
        format!(
            "{{ articles(first: {n}) {{ edges {{ node {{ cover {{ alt srcset }} images {{ alt caption }} }} }} }} }}"
        )
    };
    let few = statements(&w.schema, store, &articles(2)).await;
    let many = statements(&w.schema, store, &articles(25)).await;
    assert!(many <= 2 * few && many < 25, "covers: {few} statements for 2 articles, {many} for 25");
}

fn step(transition: Transition, expected_version: i64, window: Option<PublicationWindow>) -> Step {
    Step { transition, window, expected_version }
}

const LAW: &str = "luat-bien-phong-viet-nam-2020";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_changes_follow_the_policy_and_the_workflow() {
    let _alone = DATABASE_TESTS.lock().await;
    let w = World::new().await;
    let post = w.store.unit_by_slug_any("don-bien-phong-bac-xa".into()).await.expect("unit").expect("post").id;
    let editor = w.officer(Role::Editor, "don-bien-phong-bac-xa").await;
    let stranger = w.officer(Role::Editor, "don-bien-phong-chi-ma").await;
    let (a, b) = (image(&w.store, post, 1).await, image(&w.store, post, 2).await);
    let (a_id, b_id) = (crate::image_id(a.id), crate::image_id(b.id));

    let texts = "mutation($m: ID!) { setImageTexts(mediaId: $m, texts: [{ locale: \"vi\", alt: \"Sân bóng\" }]) { alt caption } }";
    let (_, codes) = w.run(stranger.clone(), texts, json!({ "m": a_id })).await;
    assert_eq!(codes, ["FORBIDDEN"]);
    let done = w.ok(editor.clone(), texts, json!({ "m": a_id })).await;
    assert_eq!(done["setImageTexts"], json!({ "alt": "Sân bóng", "caption": null }));
    let no_vi = "mutation($m: ID!) { setImageTexts(mediaId: $m, texts: [{ locale: \"en\", alt: \"Pitch\" }]) { alt } }";
    let (_, codes) = w.run(editor.clone(), no_vi, json!({ "m": a_id })).await;
    assert_eq!(codes, ["BAD_USER_INPUT"]);

    let q = "query($s: String!) { article(slug: $s) { id version cover { id } } }";
    let article = w.ok(Viewer::public(), q, json!({ "s": LAW })).await["article"].clone();
    let set = "mutation($a: ID!, $v: Int!, $c: ID, $g: [ID!]!) {
        setArticleImages(articleId: $a, version: $v, cover: $c, gallery: $g) { version cover { id } images { id alt } } }";
    let vars = |c: &serde_json::Value, g: serde_json::Value| json!({ "a": article["id"], "v": article["version"], "c": c, "g": g });
    let (_, codes) = w.run(stranger.clone(), set, vars(&json!(a_id), json!([b_id]))).await;
    assert_eq!(codes, ["FORBIDDEN"]);
    for bad in [json!([a_id]), json!([b_id, b_id]), json!([article["id"]])] {
        let (_, codes) = w.run(editor.clone(), set, vars(&json!(a_id), bad.clone())).await;
        assert_eq!(codes, ["BAD_USER_INPUT"], "{bad}");
    }
    let unknown = crate::image_id(frontier_domain::MediaId::generate());
    let (_, codes) = w.run(editor.clone(), set, vars(&json!(a_id), json!([unknown]))).await;
    assert_eq!(codes, ["NOT_FOUND"]);
    let saved = w.ok(editor.clone(), set, vars(&json!(a_id), json!([b_id]))).await["setArticleImages"].clone();
    assert_eq!(saved["version"].as_i64(), article["version"].as_i64().map(|v| v + 1));
    assert_eq!((&saved["cover"]["id"], &saved["images"][0]["id"]), (&json!(a_id), &json!(b_id)));
    let public = w.ok(Viewer::public(), q, json!({ "s": LAW })).await;
    assert_eq!(public["article"]["cover"], json!(null), "published articles show new images once published");

    let place = w.ok(Viewer::public(), "{ place(slug: \"nha-van-hoa-thon-na-pan\") { id } }", json!({})).await;
    let gallery = "mutation($p: ID!, $i: [ID!]!) { setPlaceGallery(placeId: $p, images: $i) { gallery { id } } }";
    let vars = json!({ "p": place["place"]["id"], "i": [b_id, a_id] });
    let (_, codes) = w.run(stranger.clone(), gallery, vars.clone()).await;
    assert_eq!(codes, ["FORBIDDEN"]);
    let done = w.ok(editor.clone(), gallery, vars).await;
    assert_eq!(done["setPlaceGallery"]["gallery"], json!([{ "id": b_id }, { "id": a_id }]), "in the order given");
    let q = "{ place(slug: \"nha-van-hoa-thon-na-pan\", locale: \"en\") { gallery { alt servedLocale } } }";
    let seen = w.ok(Viewer::public(), q, json!({})).await;
    assert_eq!(seen["place"]["gallery"][0], json!({ "alt": "Cultural house", "servedLocale": "en" }));

    let node = "query($id: ID!) { node(id: $id) { ... on Image { width renditions { width } } } }";
    let found = w.ok(Viewer::public(), node, json!({ "id": b_id })).await;
    assert_eq!(
        found["node"],
        json!({ "width": 1600, "renditions": [{ "width": 320 }, { "width": 640 }, { "width": 1600 }] })
    );
    let units = w.store.unit_links().await.expect("units");
    let chi_ma = w.store.unit_by_slug_any("don-bien-phong-chi-ma".into()).await.expect("unit").expect("post").id;
    let key = Viewer::new(Actor::ApiKey { units: vec![chi_ma] }, None, units);
    assert_eq!(w.ok(key, node, json!({ "id": b_id })).await["node"], json!(null), "an API key sees its units only");

    let upload = "mutation($f: Upload!) { uploadImage(file: $f, unit: \"don-bien-phong-bac-xa\", alt: [{ locale: \"vi\", alt: \"x\" }]) { id } }";
    let (_, codes) = w.run(Viewer::public(), upload, json!({ "f": "#__graphql_file__:0" })).await;
    assert_eq!(codes, ["UNAUTHENTICATED"], "who asks is checked before the file");
    // async-graphql's own `Upload` panics on both of these.
    let (_, codes) = w.run(editor.clone(), upload, json!({ "f": "#__graphql_file__:x" })).await;
    assert_eq!(codes, ["GRAPHQL_VALIDATION_FAILED"], "not a file reference");
    let (_, codes) = w.run(editor, upload, json!({ "f": "#__graphql_file__:3" })).await;
    assert_eq!(codes, ["BAD_USER_INPUT"], "a reference to a file that was not sent");
}
