//! `/graphql` as the GraphQL-over-HTTP spec describes it: content negotiation, status codes of request
//! errors, coded JSON errors for malformed requests, `GET`, and CORS for browser frontends.

use crate::demo::content;
use crate::harness::{Server, client, e2e};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const JSON: &str = "application/json; charset=utf-8";
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json; charset=utf-8";
const GRJ_ACCEPT: &str = "application/graphql-response+json";

/// A POST with exactly these headers: reqwest always sends `accept: */*`, so requests that must lack a
/// header are written by hand.
async fn raw_post(server: &Server, headers: &[(&str, &str)], body: &str) -> (u16, Vec<(String, String)>, String) {
    let addr = server.base.strip_prefix("http://").expect("http base");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut request = format!("POST /graphql HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").expect("end of headers");
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// POSTs a JSON body with an `Accept` header; returns status, content type and the parsed body.
async fn post(server: &Server, accept: &str, body: Value) -> (u16, String, Value) {
    let r = client().post(server.url("/graphql")).header("accept", accept).json(&body).send().await.expect("post");
    let status = r.status().as_u16();
    let content_type = r.headers()["content-type"].to_str().expect("content type").to_owned();
    (status, content_type, r.json().await.expect("json body"))
}

/// The body every HTTP-level failure has: one error with a message and a code, and no `data`.
fn coded(message: &str, code: &str) -> Value {
    json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })
}

e2e!(graphql_answers_in_the_media_type_the_client_accepts, |server| {
    let typename = json!({ "data": { "__typename": "Query" } });
    let cases = [
        ("application/json", JSON),
        ("*/*", JSON),
        ("text/html, */*;q=0.8", JSON),
        (GRJ_ACCEPT, GRAPHQL_RESPONSE),
        ("application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE),
        ("application/graphql-response+json, application/json", GRAPHQL_RESPONSE),
        ("application/json, application/graphql-response+json", JSON),
    ];
    for (accept, expected) in cases {
        let r = client()
            .post(server.url("/graphql"))
            .header("accept", accept)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 200, "{accept}");
        assert_eq!(r.headers()["content-type"], expected, "{accept}");
        assert!(
            r.headers().get_all("vary").iter().any(|v| v == "accept, accept-language"),
            "{accept}: {:?}",
            r.headers()
        );
        assert_eq!(r.json::<Value>().await.expect("json"), typename, "{accept}");
    }

    // No Accept at all: application/json.
    let (status, headers, body) =
        raw_post(&server, &[("content-type", "application/json")], r#"{"query":"{ __typename }"}"#).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some(JSON));
    assert_eq!(serde_json::from_str::<Value>(&body).expect("json"), typename);
});

e2e!(request_errors_have_no_data_and_their_status_depends_on_the_media_type, |server| {
    let coercion = "query($n: Int!) { articles(first: $n) { totalCount } }";
    let cases = [
        (json!({ "query": "{ articles {" }), "GRAPHQL_PARSE_FAILED"),
        (json!({ "query": "{ nope }" }), "GRAPHQL_VALIDATION_FAILED"),
        (json!({ "query": coercion, "variables": { "n": "x" } }), "GRAPHQL_VALIDATION_FAILED"),
        (json!({ "query": coercion }), "GRAPHQL_VALIDATION_FAILED"),
        (json!({ "query": "query A { __typename } query B { __typename }" }), "BAD_REQUEST"),
        (json!({ "query": "query A { __typename }", "operationName": "C" }), "BAD_REQUEST"),
    ];
    for (body, code) in cases {
        for (accept, status, content_type) in [(GRJ_ACCEPT, 400, GRAPHQL_RESPONSE), ("application/json", 200, JSON)] {
            let (s, ct, r) = post(&server, accept, body.clone()).await;
            assert_eq!((s, ct.as_str()), (status, content_type), "{body} as {accept}: {r}");
            assert!(r.get("data").is_none(), "{body} as {accept}: {r}");
            let errors = r["errors"].as_array().expect("errors");
            assert!(!errors.is_empty(), "{body}");
            for e in errors {
                assert_eq!(e["extensions"]["code"], code, "{body} as {accept}: {r}");
                assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{r}");
            }
        }
    }
    let (_, _, r) = post(&server, GRJ_ACCEPT, json!({ "query": "{ nope }" })).await;
    assert_eq!(r["errors"][0]["message"], "Unknown field \"nope\" on type \"Query\". Did you mean \"node\"?");
    let (_, _, r) = post(&server, GRJ_ACCEPT, json!({ "query": "query A { __typename }", "operationName": "C" })).await;
    assert_eq!(r["errors"][0]["message"], "Unknown operation named \"C\"");

    // An executed request keeps `data` and answers 200 even when a field failed.
    let (s, ct, r) = post(&server, GRJ_ACCEPT, json!({ "query": "{ articles(first: 1000) { totalCount } }" })).await;
    assert_eq!((s, ct.as_str()), (200, GRAPHQL_RESPONSE), "{r}");
    assert!(r.as_object().expect("object").contains_key("data"), "{r}");
    assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{r}");
    assert_eq!(r["errors"][0]["path"], json!(["articles"]), "{r}");
});

e2e!(malformed_requests_get_coded_json_errors, |server| {
    let not_a_request = "request body must be a JSON object with a string \"query\", and optionally a string \
                         \"operationName\" and \"variables\" and \"extensions\" objects";
    let cases: [(&str, &str, u16, &str, &str); 12] = [
        ("application/json", r#"{"query": "{ __typename }""#, 400, "BAD_REQUEST", "request body is not valid JSON"),
        ("application/json", "{not json", 400, "BAD_REQUEST", "request body is not valid JSON"),
        ("application/json", "", 400, "BAD_REQUEST", "request body is empty"),
        ("application/json", r#"{"query":null}"#, 400, "BAD_REQUEST", not_a_request),
        ("application/json", r#"{"query":1}"#, 400, "BAD_REQUEST", not_a_request),
        ("application/json", r#"{"query":"{ __typename }","variables":"x"}"#, 400, "BAD_REQUEST", not_a_request),
        ("application/json", r#""{ __typename }""#, 400, "BAD_REQUEST", not_a_request),
        ("application/json", r#"[{"query":"{ __typename }"}]"#, 400, "BAD_REQUEST", "batch requests are not supported"),
        ("application/json", "{}", 400, "BAD_REQUEST", "missing query"),
        ("application/json; charset=utf-8", r#"{"query":"  "}"#, 400, "BAD_REQUEST", "missing query"),
        (
            "text/plain",
            r#"{"query":"{ __typename }"}"#,
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "content-type is not supported: send the request as application/json",
        ),
        (
            "application/x-www-form-urlencoded",
            "query=%7B__typename%7D",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "content-type is not supported: send the request as application/json",
        ),
    ];
    for (content_type, body, status, code, message) in cases {
        let r = client()
            .post(server.url("/graphql"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), status, "{content_type} {body}");
        assert_eq!(r.headers()["content-type"], JSON, "{body}");
        let text = r.text().await.expect("body");
        assert!(!text.contains("InvalidRequest(") && !text.contains("Error("), "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).expect("json"), coded(message, code), "{body}");
    }

    // No content type at all (reqwest adds none for a plain body).
    let r = client().post(server.url("/graphql")).body(r#"{"query":"{ __typename }"}"#).send().await.expect("post");
    assert_eq!(r.status(), 415);
    assert_eq!(
        r.json::<Value>().await.expect("json"),
        coded("content-type is missing: send the request as application/json", "UNSUPPORTED_MEDIA_TYPE")
    );

    // The error's media type is negotiated as well.
    let r = client()
        .post(server.url("/graphql"))
        .header("accept", GRJ_ACCEPT)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["content-type"], GRAPHQL_RESPONSE);
    assert_eq!(r.json::<Value>().await.expect("json"), coded("request body is not valid JSON", "BAD_REQUEST"));

    // Other methods.
    let r = client().put(server.url("/graphql")).json(&json!({ "query": "{ __typename }" })).send().await.expect("put");
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "GET, POST, OPTIONS");
    assert_eq!(r.json::<Value>().await.expect("json"), coded("use GET or POST", "METHOD_NOT_ALLOWED"));
});

e2e!(get_requests_run_queries_but_not_mutations, |server| {
    let r = client().get(server.url("/graphql?query={units{slug}}")).send().await.expect("get");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], JSON);
    let body: Value = r.json().await.expect("json");
    let mut slugs: Vec<&str> =
        body["data"]["units"].as_array().expect("units").iter().map(|u| u["slug"].as_str().expect("slug")).collect();
    let mut expected: Vec<&str> = content().units.iter().map(|u| u.slug.as_str()).collect();
    slugs.sort_unstable();
    expected.sort_unstable();
    assert_eq!(slugs, expected);
    assert!(body.get("errors").is_none(), "{body}");

    // HEAD is GET without the body.
    let r = client().head(server.url("/graphql?query={units{slug}}")).send().await.expect("head");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], JSON);
    assert_eq!(r.bytes().await.expect("body").len(), 0);

    // Variables come URL-encoded as JSON; graphql-response+json is honoured on GET too.
    let r = client()
        .get(server.url("/graphql"))
        .query(&[
            ("query", "query($s: String!) { unit(slug: $s) { slug } }"),
            ("variables", r#"{"s":"don-bien-phong-bac-xa"}"#),
        ])
        .header("accept", GRJ_ACCEPT)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], GRAPHQL_RESPONSE);
    assert_eq!(
        r.json::<Value>().await.expect("json"),
        json!({ "data": { "unit": { "slug": "don-bien-phong-bac-xa" } } })
    );

    let r = client()
        .get(server.url("/graphql"))
        .query(&[("query", "{ __typename }"), ("variables", "{not json")])
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().await.expect("json"),
        coded("\"variables\" must be a URL-encoded JSON object", "BAD_REQUEST")
    );

    let r = client().get(server.url("/graphql")).send().await.expect("get");
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.expect("json"), coded("missing query", "BAD_REQUEST"));

    // The spec forbids running mutations over GET: 405 before anything else looks at the document.
    let r = client()
        .get(server.url("/graphql"))
        .query(&[("query", "mutation { __typename }")])
        .header("accept", GRJ_ACCEPT)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "POST");
    assert_eq!(r.headers()["content-type"], GRAPHQL_RESPONSE);
    assert_eq!(
        r.json::<Value>().await.expect("json"),
        coded("mutations are only accepted with POST", "METHOD_NOT_ALLOWED")
    );
});

e2e!(browser_frontends_on_other_origins_may_call_graphql, |server| {
    let origin = "https://frontend.example";
    let r = client()
        .request(reqwest::Method::OPTIONS, server.url("/graphql"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type, authorization")
        .send()
        .await
        .expect("preflight");
    assert!(r.status() == 200 || r.status() == 204, "{}", r.status());
    let h = r.headers();
    assert_eq!(h["access-control-allow-origin"], "*");
    assert_eq!(h["access-control-allow-methods"], "GET,POST,OPTIONS");
    assert_eq!(h["access-control-allow-headers"], "content-type,authorization,accept,accept-language,x-api-key");
    assert_eq!(h["access-control-max-age"], "86400");
    assert!(h.get("access-control-allow-credentials").is_none(), "{h:?}");

    let r = client()
        .post(server.url("/graphql"))
        .header("origin", origin)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers().get("access-control-allow-credentials").is_none());

    // Errors reach the frontend too (a browser hides responses without the header).
    let r = client()
        .post(server.url("/graphql"))
        .header("origin", origin)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 415);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");

    // Only /graphql is opened to other origins.
    let r = client().get(server.url("/healthz")).header("origin", origin).send().await.expect("healthz");
    assert!(r.headers().get("access-control-allow-origin").is_none(), "{:?}", r.headers());
});

e2e!(oversized_bodies_get_a_coded_json_error, |server| {
    let big = format!("{{\"query\": \"{{ __typename }}\", \"pad\": \"{}\"}}", "x".repeat(300 * 1024));
    let r = client()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.expect("json body");
    assert_eq!(body, coded("request body is too large", "PAYLOAD_TOO_LARGE"));
});
