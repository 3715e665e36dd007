//! The public GraphQL API as a client sees it.

use crate::demo::{HOUSE_CODE, LAW_ARTICLE, content, unit_subtree};
use crate::harness::{client, e2e, graphql};
use frontier_domain::{Locale, PlaceKind};
use serde_json::{Value, json};
use std::collections::HashSet;

fn l(s: &str) -> Locale {
    Locale::parse(s).expect("tag")
}

/// The `src` of every `<script>` and the `href` of every `<link>` in a page, with the tag's name
/// and `rel`.
fn referenced(html: &str) -> Vec<(&'static str, String, String)> {
    let attr = |tag: &str, name: &str| {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..].split('"').next()?.to_owned())
    };
    let mut out = Vec::new();
    for kind in ["script", "link"] {
        for (i, _) in html.match_indices(&format!("<{kind}")) {
            let tag = &html[i..i + html[i..].find('>').expect("tag ends")];
            let url = attr(tag, if kind == "script" { "src" } else { "href" }).unwrap_or_default();
            out.push((kind, attr(tag, "rel").unwrap_or_default(), url));
        }
    }
    out
}

e2e!(graphiql_is_served, |server| {
    let r = client().get(server.url("/graphiql")).send().await.expect("graphiql");
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert!(h["content-type"].to_str().expect("type").starts_with("text/html"));
    let csp = h["content-security-policy"].to_str().expect("csp");
    for directive in ["default-src 'none'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'none'"] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-eval") && !csp.contains("http"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let html = r.text().await.expect("html");
    assert!(html.contains("<title>Frontier · GraphiQL</title>"), "{html}");
    assert!(html.contains("data-endpoint=\"/graphql\""), "{html}");
    // Subscriptions: a websocket on the host the browser asked for, which the CSP allows.
    let host = server.base.strip_prefix("http://").expect("http");
    assert!(html.contains(&format!("data-subscription-endpoint=\"ws://{host}/graphql\"")), "{html}");
    assert!(csp.contains(&format!("connect-src 'self' ws://{host} wss://{host};")), "{csp}");
    // Everything comes from the binary: an offline box has no CDN.
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("http://") && !lower.contains("https://") && !lower.contains("\"//"), "{html}");

    let assets = referenced(&html);
    let scripts = assets.iter().filter(|(kind, ..)| *kind == "script").count();
    let styles = assets.iter().filter(|(_, rel, _)| rel == "stylesheet").count();
    assert!(scripts >= 4 && styles >= 1, "React, ReactDOM, GraphiQL, ours and a stylesheet: {assets:?}");
    for (kind, rel, url) in &assets {
        let expected = match (*kind, rel.as_str()) {
            ("script", _) => "text/javascript",
            (_, "stylesheet") => "text/css",
            // The empty icon keeps the browser from asking for /favicon.ico.
            _ => {
                assert_eq!(url, "data:,", "{kind} {rel}");
                continue;
            }
        };
        assert!(url.starts_with("/graphiql/assets/"), "{url}");
        let r = client().get(server.url(url)).send().await.expect("asset");
        assert_eq!(r.status(), 200, "{url}");
        let h = r.headers();
        assert!(h["content-type"].to_str().expect("type").starts_with(expected), "{url}: {:?}", h["content-type"]);
        assert_eq!(h["cache-control"], "public, max-age=31536000, immutable", "{url}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{url}");
        assert!(r.bytes().await.expect("body").len() > 1000, "{url}");
    }

    for unknown in ["nope.js", "graphiql-0.0.0.min.js", "..%2F..%2FCargo.toml", "README.md", "LICENSE-react"] {
        let r = client().get(server.url(&format!("/graphiql/assets/{unknown}"))).send().await.expect("unknown");
        assert_eq!(r.status(), 404, "{unknown}");
    }
});

e2e!(
    graphiql_keeps_the_path_prefix,
    env = &[("FRONTIER_PUBLIC_BASE_URL", "https://bien-cuong.example/lang-son/")],
    |server| {
        // Behind a proxy that strips `/lang-son`, the page's own links keep it.
        let html = client().get(server.url("/graphiql")).send().await.expect("graphiql").text().await.expect("html");
        assert!(html.contains("data-endpoint=\"/lang-son/graphql\""), "{html}");
        let assets = referenced(&html);
        assert!(
            assets.iter().filter(|(_, _, url)| url.starts_with("/lang-son/graphiql/assets/")).count() >= 5,
            "{html}"
        );
        let first = assets.iter().find_map(|(_, _, url)| url.strip_prefix("/lang-son")).expect("an asset");
        let r = client().get(server.url(first)).send().await.expect("asset");
        assert_eq!(r.status(), 200, "{first}");

        // Asked for under the public host, subscriptions use wss: there; a host of its own (the
        // post's box on the LAN) gets ws: on that host. A Host that could break the CSP is not used.
        for (host, socket) in [
            ("bien-cuong.example", "wss://bien-cuong.example/lang-son/graphql"),
            ("10.0.0.5:8080", "ws://10.0.0.5:8080/lang-son/graphql"),
            ("evil.example; script-src *", "wss://bien-cuong.example/lang-son/graphql"),
        ] {
            let r = client().get(server.url("/graphiql")).header("host", host).send().await.expect("graphiql");
            let csp = r.headers()["content-security-policy"].to_str().expect("csp").to_owned();
            assert!(!csp.contains("script-src *"), "{csp}");
            let html = r.text().await.expect("html");
            assert!(html.contains(&format!("data-subscription-endpoint=\"{socket}\"")), "{host}: {html}");
        }
    }
);

e2e!(articles_paginate_through_every_article_once, |server| {
    let q = "query($after: String) { articles(first: 7, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { slug publishedAt } } } }";
    let (mut after, mut seen, mut pages) = (Value::Null, Vec::new(), 0);
    loop {
        let r = graphql(&server, q, json!({ "after": after })).await;
        let conn = &r["data"]["articles"];
        assert_eq!(conn["totalCount"], content().articles.len(), "{r}");
        assert_eq!(conn["pageInfo"]["hasPreviousPage"], pages > 0);
        for e in conn["edges"].as_array().expect("edges") {
            seen.push((
                e["node"]["publishedAt"].as_str().expect("date").to_owned(),
                e["node"]["slug"].as_str().expect("slug").to_owned(),
            ));
        }
        pages += 1;
        if conn["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    let n = content().articles.len();
    assert_eq!(pages, n.div_ceil(7));
    let unique: HashSet<&String> = seen.iter().map(|(_, s)| s).collect();
    assert_eq!((seen.len(), unique.len()), (n, n), "every article exactly once");
    let dates: Vec<&String> = seen.iter().map(|(d, _)| d).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
});

e2e!(translated_fields_follow_the_fallback_chain, |server| {
    let q = "query($s: String!, $l: String) { article(slug: $s, locale: $l) { title servedLocale availableLocales } }";
    let law = content().articles.iter().find(|a| a.slug.as_str() == LAW_ARTICLE).expect("law");
    let title = |tag: &str| law.translations.get(&l(tag)).expect("translation").title.clone();
    for (asked, served) in [("fr", "fr"), ("fr-CA", "fr"), ("en", "en"), ("de", "vi"), ("vi", "vi")] {
        let r = graphql(&server, q, json!({ "s": LAW_ARTICLE, "l": asked })).await;
        assert_eq!(r["data"]["article"]["servedLocale"], served, "asked {asked}: {r}");
        assert_eq!(r["data"]["article"]["title"], title(served), "asked {asked}");
    }
    let r = graphql(&server, q, json!({ "s": LAW_ARTICLE })).await;
    let available: HashSet<String> = r["data"]["article"]["availableLocales"]
        .as_array()
        .expect("list")
        .iter()
        .map(|v| v.as_str().unwrap_or("").to_owned())
        .collect();
    let expected: HashSet<String> = law.translations.locales().map(ToString::to_string).collect();
    assert_eq!(available, expected);

    // No argument: the request's Accept-Language decides, for nested objects too.
    let body = json!({ "query": "{ article(slug: \"luat-bien-phong-viet-nam-2020\") { servedLocale category { servedLocale } } }" });
    let r: Value = client()
        .post(server.url("/graphql"))
        .header("accept-language", "en")
        .json(&body)
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(r["data"]["article"]["servedLocale"], "en");
    assert_eq!(r["data"]["article"]["category"]["servedLocale"], "en");
});

e2e!(article_filters_cover_subtrees_and_locales, |server| {
    let q = "query($f: ArticleFilter) { articles(first: 0, filter: $f) { totalCount } }";
    let count = |f: Value| {
        let server = &server;
        async move {
            graphql(server, q, json!({ "f": f })).await["data"]["articles"]["totalCount"].as_u64().expect("count")
                as usize
        }
    };
    let culture: HashSet<&str> = ["van-hoa-di-san", "hat-then", "le-hoi"].into();
    let expected = content().articles.iter().filter(|a| culture.contains(a.category.as_str())).count();
    assert!(expected > 0);
    assert_eq!(count(json!({ "category": "van-hoa-di-san" })).await, expected, "category and its sub-categories");

    let zh = content().articles.iter().filter(|a| a.translations.get(&l("zh")).is_some()).count();
    assert_eq!(count(json!({ "locale": "zh" })).await, zh);

    let chi_ma = unit_subtree("don-bien-phong-chi-ma");
    let expected = content().articles.iter().filter(|a| chi_ma.contains(a.unit.as_str())).count();
    assert_eq!(count(json!({ "unit": "don-bien-phong-chi-ma" })).await, expected);
    assert_eq!(count(json!({ "unit": "bdbp-lang-son" })).await, content().articles.len(), "province sees all");
});

e2e!(categories_form_a_tree, |server| {
    let q = "{ categories { slug position children { slug parent { slug } } } }";
    let r = graphql(&server, q, json!({})).await;
    let roots = r["data"]["categories"].as_array().expect("roots");
    let mut expected: Vec<(i32, &str)> =
        content().categories.iter().filter(|c| c.parent.is_none()).map(|c| (c.position, c.slug.as_str())).collect();
    expected.sort();
    let got: Vec<&str> = roots.iter().map(|c| c["slug"].as_str().expect("slug")).collect();
    assert_eq!(got, expected.iter().map(|(_, s)| *s).collect::<Vec<_>>());
    let culture = roots.iter().find(|c| c["slug"] == "van-hoa-di-san").expect("culture");
    let kids: Vec<&str> =
        culture["children"].as_array().expect("kids").iter().map(|k| k["slug"].as_str().expect("s")).collect();
    assert_eq!(kids, ["hat-then", "le-hoi"]);
    assert_eq!(culture["children"][0]["parent"]["slug"], "van-hoa-di-san");
});

e2e!(places_list_with_their_codes, |server| {
    let q = "query($f: PlaceFilter, $after: String) { places(first: 100, filter: $f, after: $after) {
        totalCount edges { node { slug kind qrCodes { code scanUrl } unit { slug } } } } }";
    let bac_xa = unit_subtree("don-bien-phong-bac-xa");
    let expected = content().places.iter().filter(|p| bac_xa.contains(p.unit.as_str())).count();
    let r = graphql(&server, q, json!({ "f": { "unit": "don-bien-phong-bac-xa" } })).await;
    assert_eq!(r["data"]["places"]["totalCount"], expected, "{r}");
    let houses = graphql(&server, q, json!({ "f": { "kind": "CULTURAL_HOUSE" } })).await;
    let edges = houses["data"]["places"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), content().places.iter().filter(|p| p.kind == PlaceKind::CulturalHouse).count());
    let na_pan = edges.iter().find(|e| e["node"]["slug"] == "nha-van-hoa-thon-na-pan").expect("Nà Pàn");
    let codes: Vec<&str> =
        na_pan["node"]["qrCodes"].as_array().expect("codes").iter().map(|c| c["code"].as_str().expect("c")).collect();
    let mut want: Vec<&str> = content()
        .qr_codes
        .iter()
        .filter(|q| q.place.as_str() == "nha-van-hoa-thon-na-pan")
        .map(|q| q.code.as_str())
        .collect();
    want.sort();
    assert_eq!(codes, want);
    assert!(codes.contains(&HOUSE_CODE));
});

e2e!(nodes_resolve_by_global_id, |server| {
    let r = graphql(
        &server,
        "{ article(slug: \"luat-bien-phong-viet-nam-2020\") { id } place(slug: \"nha-van-hoa-thon-na-pan\") { id } }",
        json!({}),
    )
    .await;
    let q = "query($id: ID!) { node(id: $id) { id __typename ... on Article { slug } ... on Place { slug } } }";
    for (key, kind, slug) in [("article", "Article", LAW_ARTICLE), ("place", "Place", "nha-van-hoa-thon-na-pan")] {
        let id = r["data"][key]["id"].clone();
        let n = graphql(&server, q, json!({ "id": id })).await;
        assert_eq!(n["data"]["node"]["__typename"], kind);
        assert_eq!(n["data"]["node"]["slug"], slug);
        assert_eq!(n["data"]["node"]["id"], id);
    }
});

e2e!(units_form_the_chain_of_command, |server| {
    let r = graphql(
        &server,
        "{ units { slug kind } unit(slug: \"don-bien-phong-bac-xa\") { parent { slug } children { slug kind } } }",
        json!({}),
    )
    .await;
    assert_eq!(r["data"]["units"][0]["kind"], "PROVINCE_COMMAND");
    assert_eq!(r["data"]["units"].as_array().expect("units").len(), content().units.len());
    assert_eq!(r["data"]["unit"]["parent"]["slug"], "bdbp-lang-son");
    let kids = r["data"]["unit"]["children"].as_array().expect("kids");
    assert_eq!(kids.len(), 4);
    assert!(kids.iter().all(|k| k["kind"] == "STATION"));
});
