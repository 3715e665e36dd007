//! Bad input gets a clear answer — a friendly page or a coded GraphQL error — never a 500.

use crate::harness::{client, e2e, error_code, graphql};
use frontier_domain::ScanOutcome;
use serde_json::json;

e2e!(unknown_and_malformed_codes_get_a_friendly_404_and_are_recorded, |server| {
    let store = server.store().await;
    let r = client().get(server.url("/q/ZZZZZZ")).header("accept-language", "vi").send().await.expect("scan");
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.expect("html");
    assert!(html.contains("Mã QR không đúng"), "{html}");
    let fr = client().get(server.url("/q/ZZZZZZ?lang=fr")).send().await.expect("scan").text().await.expect("html");
    assert!(fr.contains("Code QR inconnu"), "?lang= is honoured on scan pages too");
    assert_eq!(store.scan_count("ZZZZZZ".into(), Some(ScanOutcome::UnknownCode)).await.expect("count"), 2);

    let long = "A".repeat(3000);
    for path in [
        "/q/abc!!".to_owned(),
        "/q/%00%01".to_owned(),
        format!("/q/{long}"),
        "/q/0OIL10".to_owned(),
        "/q/%FF%FE%FD".to_owned(),
    ] {
        let r = client().get(server.url(&path)).send().await.expect("scan");
        assert_eq!(r.status(), 404, "{}", &path[..path.len().min(40)]);
        assert!(r.text().await.expect("page").contains("<html"), "a page, not a bare error");
    }
    assert_eq!(store.scan_total().await.expect("total"), 7, "every attempt is recorded");
    // A real code with a NUL byte after it is an unknown code, and is not stored as the code.
    let r = client().get(server.url("/q/K4PVHZ%00")).send().await.expect("scan");
    assert_eq!(r.status(), 404);
    assert_eq!(store.scan_count("K4PVHZ?".into(), Some(ScanOutcome::UnknownCode)).await.expect("count"), 1);
    assert_eq!(store.scan_count("K4PVHZ".into(), None).await.expect("count"), 0, "the code itself was not scanned");
});

e2e!(malformed_graphql_gets_the_spec_error_response, |server| {
    let r = client().post(server.url("/graphql")).json(&json!({ "query": "{ articles {" })).send().await.expect("req");
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()), "{body}");
    assert!(body.get("data").is_none_or(|d| d.is_null()), "{body}");
    assert_eq!(error_code(&body), "GRAPHQL_PARSE_FAILED");

    let r =
        client().post(server.url("/graphql")).header("content-type", "application/json").body("{not json").send().await;
    assert_eq!(r.expect("req").status(), 400);
    let r = client().post(server.url("/graphql")).json(&json!({ "query": "{ nope }" })).send().await.expect("req");
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("nope")), "{body}");
    assert_eq!(error_code(&body), "GRAPHQL_VALIDATION_FAILED");
});

e2e!(bad_arguments_are_bad_user_input, |server| {
    let cases = [
        (
            "{ article(slug: \"luat-bien-phong-viet-nam-2020\", locale: \"not a tag\") { title } }",
            "BAD_USER_INPUT",
            "locale",
        ),
        ("{ articles(first: 1000) { totalCount } }", "BAD_USER_INPUT", "first"),
        ("{ articles(first: -1) { totalCount } }", "BAD_USER_INPUT", "first"),
        ("{ articles(after: \"junk\") { totalCount } }", "BAD_USER_INPUT", "after"),
        ("{ articles(filter: { locale: \"??\" }) { totalCount } }", "BAD_USER_INPUT", "filter.locale"),
        ("{ qrCode(code: \"O0O0O0\") { code } }", "BAD_USER_INPUT", "code"),
        ("{ node(id: \"junk\") { id } }", "BAD_USER_INPUT", "id"),
        ("{ article(slug: \"Not A Slug\") { id } }", "BAD_USER_INPUT", "slug"),
        ("{ places(filter: { unit: \"khong-co\" }) { totalCount } }", "NOT_FOUND", ""),
        ("{ articles(filter: { category: \"khong-co\" }) { totalCount } }", "NOT_FOUND", ""),
    ];
    for (query, code, field) in cases {
        let r = graphql(&server, query, json!({})).await;
        assert_eq!(error_code(&r), code, "{query}: {r}");
        if !field.is_empty() {
            assert_eq!(r["errors"][0]["extensions"]["field"], field, "{query}");
        }
    }
    // A cursor of one order is refused by another.
    let r = graphql(&server, "{ articles(first: 1) { pageInfo { endCursor } } }", json!({})).await;
    let cursor = r["data"]["articles"]["pageInfo"]["endCursor"].clone();
    let q = "query($a: String) { articles(after: $a, orderBy: SLUG_ASC) { totalCount } }";
    assert_eq!(error_code(&graphql(&server, q, json!({ "a": cursor })).await), "BAD_USER_INPUT");
    // Unknown but well-formed things are null, not errors.
    let r =
        graphql(&server, "{ article(slug: \"khong-co\") { id } qrCode(code: \"ZZZZZZ\") { code } }", json!({})).await;
    assert!(r["errors"].is_null(), "{r}");
    assert!(r["data"]["article"].is_null() && r["data"]["qrCode"].is_null());
});

e2e!(abusive_queries_are_refused, |server| {
    // Deep but cheap (single objects, no lists): only the depth limit stops it.
    let q = format!("{{ category(slug: \"hat-then\") {{ {} slug {} }} }}", "parent { ".repeat(20), "}".repeat(20));
    let r = graphql(&server, &q, json!({})).await;
    assert!(r["errors"][0]["message"].as_str().is_some_and(|m| m.contains("nested too deep")), "{r}");
    assert_eq!(error_code(&r), "GRAPHQL_VALIDATION_FAILED");

    // Many aliased full pages: each list costs per item asked for, so this is refused before it runs
    // (it would otherwise build a response of tens of megabytes).
    let page = "articles(first: 100) { edges { node { body bodyHtml translations { body } } } }";
    let wide = format!("{{ {} }}", (0..50).map(|i| format!("a{i}: {page}")).collect::<Vec<_>>().join(" "));
    let r = graphql(&server, &wide, json!({})).await;
    assert!(r["errors"][0]["message"].as_str().is_some_and(|m| m.contains("too complex")), "{r}");
    assert!(r["data"].is_null());
    // Lists without `first` count as the items they hold, so nesting them does not slip past either.
    let nested = "categories { articles(first: 4) { edges { node { body bodyHtml translations { body } } } } }";
    let wide = format!("{{ {} }}", (0..100).map(|i| format!("c{i}: {nested}")).collect::<Vec<_>>().join(" "));
    let r = graphql(&server, &wide, json!({})).await;
    assert!(r["errors"][0]["message"].as_str().is_some_and(|m| m.contains("too complex")), "{r}");
    // One honest full page still passes.
    let honest = "{ articles(first: 100) { totalCount pageInfo { endCursor } edges { cursor node { slug title summary body \
        servedLocale availableLocales publishedAt category { name } unit { name } } } } }";
    let r = graphql(&server, honest, json!({})).await;
    assert!(r["errors"].is_null(), "{r}");
});
