//! Writing articles as officers of the demo units: who may write and publish where (the chain of
//! command runs down, never up or sideways), what bad input and stale versions get, and what the
//! audit log keeps of it.

use crate::demo::LAW_ARTICLE;
use crate::harness::{Answer, Server, access_token, e2e, graphql_as, graphql_concurrently, graphql_raw};
use base64::Engine as _;
use serde_json::{Value, json};

const PASSWORD: &str = "mat-khau-bien-cuong-2026";

const CREATE: &str = "mutation($input: CreateArticleInput!) {
    createArticle(input: $input) { id slug version status unit { slug } } }";
const UPDATE: &str = "mutation($id: ID!, $v: Int!, $input: UpdateArticleInput!) {
    updateArticle(id: $id, version: $v, input: $input) { version status title unit { slug } } }";
const SUBMIT: &str = "mutation($id: ID!, $v: Int!) { submitArticle(id: $id, version: $v) { version status } }";
const PUBLISH: &str =
    "mutation($id: ID!, $v: Int!) { publishArticle(id: $id, version: $v) { version status unit { slug } } }";
const READ: &str = "query($s: String!) { article(slug: $s, preview: true) { version status title unit { slug } } }";

/// One officer: how the test logs in as them and how the audit log names them.
struct Officer {
    token: String,
    name: &'static str,
}

impl Officer {
    async fn create(&self, server: &Server, unit: &str, title: &str) -> Answer {
        graphql_as(server, &self.token, CREATE, draft(unit, title)).await
    }

    async fn update(&self, server: &Server, id: &str, version: i64, input: Value) -> Answer {
        graphql_as(server, &self.token, UPDATE, json!({ "id": id, "v": version, "input": input })).await
    }

    /// A workflow step (`SUBMIT`, `PUBLISH`) against `version`.
    async fn step(&self, server: &Server, mutation: &str, id: &str, version: i64) -> Answer {
        graphql_as(server, &self.token, mutation, json!({ "id": id, "v": version })).await
    }
}

async fn officer(server: &Server, email: &str, name: &'static str, role: &str, unit: &str) -> Officer {
    let out = crate::harness::user_create(
        server,
        &["--email", email, "--role", role, "--unit", unit, "--display-name", name],
        PASSWORD,
    );
    assert!(out.status.success(), "{email}: {}", String::from_utf8_lossy(&out.stderr));
    Officer { token: access_token(server, email, PASSWORD).await, name }
}

fn draft(unit: &str, title: &str) -> Value {
    json!({ "input": { "unit": unit, "category": "tin-tuc",
        "translations": [{ "locale": "vi", "title": title, "body": "Nội dung." }] } })
}

async fn anonymous(server: &Server, query: &str, vars: Value) -> Answer {
    graphql_raw(server, &crate::harness::client(), &[], query, vars).await
}

/// The mutation's result object, or a panic with the whole answer.
fn ok<'a>(a: &'a Answer, field: &str) -> &'a Value {
    let v = &a.body["data"][field];
    assert!(v.is_object(), "{field}: {}", a.body);
    v
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}")).to_owned()
}

/// The UUID inside a global id (`base64url("Article:<uuid>")`), as the audit log names targets.
fn uuid_of(node_id: &str) -> String {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(node_id).expect("base64url id");
    let text = String::from_utf8(raw).expect("utf-8 id");
    text.strip_prefix("Article:").unwrap_or_else(|| panic!("not an article id: {text}")).to_owned()
}

/// The audit log's `article.*` entries about `ids`, oldest first, as (action, actor name, id).
async fn article_audit(server: &Server, admin: &str, ids: &[String]) -> Vec<(String, String, String)> {
    let q = "{ auditLog(filter: { action: \"article.\" }, first: 100) { entries { action actorName targetId } } }";
    let a = graphql_as(server, admin, q, json!({})).await;
    let entries = a.body["data"]["auditLog"]["entries"].as_array().unwrap_or_else(|| panic!("{}", a.body)).clone();
    let mut out: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| (text(&e["action"]), text(&e["actorName"]), text(&e["targetId"])))
        .filter(|(_, _, target)| ids.contains(target))
        .collect();
    out.reverse();
    out
}

/// What the test expects the audit log to hold: one line per change that went through.
#[derive(Default)]
struct Expected(Vec<(String, String, String)>);

impl Expected {
    fn push(&mut self, action: &str, who: &Officer, node_id: &str) {
        self.0.push((format!("article.{action}"), who.name.to_owned(), uuid_of(node_id)));
    }
}

e2e!(roles_reach_down_the_chain_of_command_only, |server| {
    let admin = officer(&server, "quan-tri@bienphong.test", "Thượng tá Quản Trị", "admin", "bdbp-lang-son").await;
    let post_editor =
        officer(&server, "bien-tap@bienphong.test", "Thiếu uý Nông Văn Dũng", "editor", "don-bien-phong-bac-xa").await;
    let post_reviewer =
        officer(&server, "duyet@bienphong.test", "Đại uý Hoàng Thị Mai", "reviewer", "don-bien-phong-bac-xa").await;
    let station_editor =
        officer(&server, "tram-1@bienphong.test", "Trung sĩ Lý Văn Tài", "editor", "tram-bac-xa-1").await;
    let station_reviewer =
        officer(&server, "duyet-tram-1@bienphong.test", "Thượng sĩ Vi Văn Hùng", "reviewer", "tram-bac-xa-1").await;
    let analyst =
        officer(&server, "phan-tich@bienphong.test", "Trung uý Lường Thị Hoa", "analyst", "don-bien-phong-bac-xa")
            .await;
    let mut expected = Expected::default();

    // Creating: in one's own unit and below, never above or beside.
    let refusals = [
        (&station_editor, "don-bien-phong-bac-xa"),
        (&post_editor, "don-bien-phong-chi-ma"),
        (&post_editor, "bdbp-lang-son"),
        (&post_reviewer, "tram-kiem-soat-chi-ma"),
        (&analyst, "don-bien-phong-bac-xa"),
    ];
    for (who, unit) in refusals {
        let a = who.create(&server, unit, "Bài không được phép").await;
        assert_eq!(a.code(), "FORBIDDEN", "{} in {unit}: {}", who.name, a.body);
    }
    assert_eq!(anonymous(&server, CREATE, draft("tram-bac-xa-1", "Ẩn danh")).await.code(), "UNAUTHENTICATED");
    let a = station_editor.create(&server, "tram-bac-xa-1", "Tin trạm một").await;
    let station_article = text(&ok(&a, "createArticle")["id"]);
    expected.push("create", &station_editor, &station_article);
    let a = post_editor.create(&server, "tram-bac-xa-1", "Tin đồn gửi trạm").await;
    assert_eq!(ok(&a, "createArticle")["unit"]["slug"], "tram-bac-xa-1", "a post editor writes for its stations");
    expected.push("create", &post_editor, &text(&a.body["data"]["createArticle"]["id"]));
    let a = post_editor.create(&server, "don-bien-phong-bac-xa", "Lịch tuần tra tháng Mười hai").await;
    let post_article = ok(&a, "createArticle").clone();
    let (post_id, post_slug) = (text(&post_article["id"]), text(&post_article["slug"]));
    assert_eq!((post_article["version"].clone(), post_article["status"].clone()), (json!(1), json!("DRAFT")));
    expected.push("create", &post_editor, &post_id);

    // Someone else's draft is not there for an officer who may not see it: the same answer as for an
    // id that names nothing. The anonymous are told to log in, whatever the id.
    let nothing =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("Article:0190f3a0-0000-7000-8000-000000000001");
    let hidden = station_editor.update(&server, &post_id, 1, json!({ "slug": "bi-doi" })).await;
    let missing = station_editor.update(&server, &nothing, 1, json!({ "slug": "bi-doi" })).await;
    assert_eq!((hidden.code(), hidden.message()), ("NOT_FOUND", missing.message()), "{}", hidden.body);
    assert_eq!(missing.code(), "NOT_FOUND");
    for id in [&post_id, &nothing] {
        assert_eq!(anonymous(&server, SUBMIT, json!({ "id": id, "v": 1 })).await.code(), "UNAUTHENTICATED");
    }
    let revisions = "query($id: ID!) { articleRevisions(articleId: $id) { number } }";
    let a = graphql_as(&server, &station_editor.token, revisions, json!({ "id": post_id })).await;
    assert_eq!(a.code(), "NOT_FOUND", "{}", a.body);
    // Moving an article out of one's reach is refused.
    let a = post_editor.update(&server, &post_id, 1, json!({ "unit": "don-bien-phong-chi-ma" })).await;
    assert_eq!(a.code(), "FORBIDDEN", "{}", a.body);

    // Editors submit, reviewers of the unit (or above it) publish.
    let a = post_editor.step(&server, SUBMIT, &post_id, 1).await;
    assert_eq!(ok(&a, "submitArticle")["status"], "IN_REVIEW");
    expected.push("submit", &post_editor, &post_id);
    let a = post_editor.step(&server, PUBLISH, &post_id, 2).await;
    assert_eq!(a.code(), "FORBIDDEN", "an editor sees the article but may not publish it: {}", a.body);
    for who in [&station_reviewer, &analyst] {
        let a = who.step(&server, PUBLISH, &post_id, 2).await;
        assert_eq!(a.code(), "NOT_FOUND", "{}: {}", who.name, a.body);
    }
    let a = post_reviewer.step(&server, PUBLISH, &post_id, 2).await;
    assert_eq!(ok(&a, "publishArticle")["status"], "PUBLISHED");
    expected.push("publish", &post_reviewer, &post_id);
    let a = anonymous(&server, "query($s: String!) { article(slug: $s) { title } }", json!({ "s": post_slug })).await;
    assert_eq!(a.body["data"]["article"]["title"], "Lịch tuần tra tháng Mười hai");

    // Published, it exists for everyone: out of reach is now FORBIDDEN.
    let a = station_editor.update(&server, &post_id, 3, json!({ "slug": "bi-doi" })).await;
    assert_eq!(a.code(), "FORBIDDEN", "{}", a.body);

    // A published article moved to another station by an unpublished edit belongs to both until it
    // is published again: officers of only one of them may not take it further.
    let a = post_editor.create(&server, "tram-bac-xa-1", "Đường tuần tra mới").await;
    let moved = text(&ok(&a, "createArticle")["id"]);
    expected.push("create", &post_editor, &moved);
    ok(&post_editor.step(&server, SUBMIT, &moved, 1).await, "submitArticle");
    expected.push("submit", &post_editor, &moved);
    ok(&station_reviewer.step(&server, PUBLISH, &moved, 2).await, "publishArticle");
    expected.push("publish", &station_reviewer, &moved);
    let a = post_editor.update(&server, &moved, 3, json!({ "unit": "tram-bac-xa-2" })).await;
    assert_eq!(ok(&a, "updateArticle")["status"], "DRAFT");
    expected.push("update", &post_editor, &moved);
    let a = station_editor.update(&server, &moved, 4, json!({ "slug": "tram-mot-sua" })).await;
    assert_eq!(a.code(), "FORBIDDEN", "station 1 may no longer edit what is bound for station 2: {}", a.body);
    ok(&post_editor.step(&server, SUBMIT, &moved, 4).await, "submitArticle");
    expected.push("submit", &post_editor, &moved);
    let a = station_reviewer.step(&server, PUBLISH, &moved, 5).await;
    assert_eq!(a.code(), "FORBIDDEN", "station 1's reviewer may not publish onto station 2: {}", a.body);
    let a = post_reviewer.step(&server, PUBLISH, &moved, 5).await;
    assert_eq!(ok(&a, "publishArticle")["unit"]["slug"], "tram-bac-xa-2", "{}", a.body);
    expected.push("publish", &post_reviewer, &moved);

    // A station's own officers run its articles through the whole workflow.
    ok(&station_editor.step(&server, SUBMIT, &station_article, 1).await, "submitArticle");
    expected.push("submit", &station_editor, &station_article);
    let a = station_reviewer.step(&server, PUBLISH, &station_article, 2).await;
    assert_eq!(ok(&a, "publishArticle")["status"], "PUBLISHED");
    expected.push("publish", &station_reviewer, &station_article);

    // Previewing needs an account that may edit; administration needs an admin.
    let preview = "{ articles(preview: true) { totalCount } }";
    assert_eq!(anonymous(&server, preview, json!({})).await.code(), "UNAUTHENTICATED");
    assert_eq!(graphql_as(&server, &analyst.token, preview, json!({})).await.code(), "FORBIDDEN");
    let a = graphql_as(&server, &station_editor.token, READ, json!({ "s": post_slug })).await;
    assert_eq!(a.body["data"]["article"]["status"], "PUBLISHED", "the published post article, as the public sees it");
    let admin_only = [
        "{ accounts { id } }",
        "{ apiKeys { id } }",
        "{ auditLog { entries { id } } }",
        r#"mutation { createAccount(input: { email: "moi@bienphong.test", displayName: "Mới", role: ADMIN,
            unit: "bdbp-lang-son", password: "mat-khau-moi-2026" }) { id } }"#,
        "mutation { createApiKey(name: \"khoa\", units: [\"tram-bac-xa-1\"]) { key } }",
    ];
    for q in admin_only {
        for who in [&post_editor, &post_reviewer, &analyst, &station_editor] {
            assert_eq!(graphql_as(&server, &who.token, q, json!({})).await.code(), "FORBIDDEN", "{}: {q}", who.name);
        }
        assert_eq!(anonymous(&server, q, json!({})).await.code(), "UNAUTHENTICATED", "{q}");
    }

    // The audit log holds exactly the changes that went through, each under its author's name.
    let ids: Vec<String> = expected.0.iter().map(|(_, _, id)| id.clone()).collect();
    assert_eq!(article_audit(&server, &admin.token, &ids).await, expected.0);
    // `targetId` takes the node id GraphQL hands out as well as the raw id the log shows.
    let by_target = "query($t: String!) { auditLog(filter: { targetId: $t }, first: 100) { entries { action } } }";
    let actions = |a: &Answer| a.body["data"]["auditLog"]["entries"].as_array().map(Vec::len);
    let by_node = graphql_as(&server, &admin.token, by_target, json!({ "t": station_article })).await;
    let by_uuid = graphql_as(&server, &admin.token, by_target, json!({ "t": uuid_of(&station_article) })).await;
    let expected_count = expected.0.iter().filter(|(_, _, id)| *id == uuid_of(&station_article)).count();
    assert_eq!(
        (actions(&by_node), actions(&by_uuid)),
        (Some(expected_count), Some(expected_count)),
        "{}",
        by_node.body
    );
    // A page cursor that is not one is refused, not read as "from the start".
    let a = graphql_as(&server, &admin.token, "{ auditLog(before: \"zzz\") { nextBefore } }", json!({})).await;
    assert_eq!((a.code(), &a.body["errors"][0]["extensions"]["field"]), ("BAD_USER_INPUT", &json!("before")));
});

e2e!(bad_edits_name_their_field_and_stale_versions_conflict, |server| {
    let editor =
        officer(&server, "bien-tap@bienphong.test", "Thiếu uý Nông Văn Dũng", "editor", "don-bien-phong-bac-xa").await;
    let reviewer =
        officer(&server, "duyet@bienphong.test", "Đại uý Hoàng Thị Mai", "reviewer", "don-bien-phong-bac-xa").await;
    let title = "Lịch tiếp dân tháng Mười hai";
    let a = editor.create(&server, "don-bien-phong-bac-xa", title).await;
    let created = ok(&a, "createArticle").clone();
    let (id, slug) = (text(&created["id"]), text(&created["slug"]));
    assert_eq!(slug, "lich-tiep-dan-thang-muoi-hai", "the slug folds the Vietnamese title");

    let input = |changes: Value| {
        let mut v = draft("don-bien-phong-bac-xa", title);
        for (k, x) in changes.as_object().expect("object") {
            v["input"][k] = x.clone();
        }
        v
    };
    let tr = |locale: &str, title: &str| json!({ "locale": locale, "title": title, "body": "Nội dung." });
    let (vi, fr) = (tr("vi", title), tr("fr", "Réception des citoyens"));
    let long_title = "Tiêu đề ".repeat(30);
    // (what, query, variables, code, field)
    let cases: Vec<(&str, &str, Value, &str, &str)> = vec![
        ("slug with a space", CREATE, input(json!({ "slug": "A B" })), "BAD_USER_INPUT", "input.slug"),
        ("bad unit slug", CREATE, input(json!({ "unit": "A B" })), "BAD_USER_INPUT", "input.unit"),
        ("unknown category", CREATE, input(json!({ "category": "khong-co" })), "NOT_FOUND", "input.category"),
        (
            "bad locale",
            CREATE,
            input(json!({ "translations": [vi, tr("xx-!!", "?")] })),
            "BAD_USER_INPUT",
            "input.translations[1].locale",
        ),
        ("no vi", CREATE, input(json!({ "translations": [fr] })), "BAD_USER_INPUT", "input.translations"),
        (
            "vi twice",
            CREATE,
            input(json!({ "translations": [vi, tr("vi", "Lần hai")] })),
            "BAD_USER_INPUT",
            "input.translations[1].locale",
        ),
        (
            "title too long",
            CREATE,
            input(json!({ "translations": [tr("vi", &long_title)] })),
            "BAD_USER_INPUT",
            "input.translations[0].title",
        ),
        (
            "empty title",
            CREATE,
            input(json!({ "translations": [tr("vi", "  ")] })),
            "BAD_USER_INPUT",
            "input.translations[0].title",
        ),
        ("slug taken", CREATE, input(json!({ "slug": LAW_ARTICLE })), "CONFLICT", ""),
        ("version 0", UPDATE, json!({ "id": id, "v": 0, "input": { "slug": "moi" } }), "BAD_USER_INPUT", "version"),
        (
            "no translations",
            UPDATE,
            json!({ "id": id, "v": 1, "input": { "translations": [] } }),
            "BAD_USER_INPUT",
            "input.translations",
        ),
        (
            "update, bad locale",
            UPDATE,
            json!({ "id": id, "v": 1, "input": { "translations": [tr("!!", "?")] } }),
            "BAD_USER_INPUT",
            "input.translations[0].locale",
        ),
        ("junk id", UPDATE, json!({ "id": "junk", "v": 1, "input": {} }), "BAD_USER_INPUT", "id"),
        ("negative version", SUBMIT, json!({ "id": id, "v": -1 }), "BAD_USER_INPUT", "version"),
        // GraphQL's Int has 32 bits: a larger number is not a version (async-graphql would take it).
        ("version past Int", SUBMIT, json!({ "id": id, "v": 2_147_483_648_i64 }), "BAD_USER_INPUT", "version"),
        (
            "vi-VN instead of vi",
            CREATE,
            input(json!({ "translations": [tr("vi-VN", title)] })),
            "BAD_USER_INPUT",
            "input.translations",
        ),
        (
            "place id as article id",
            "mutation($id: ID!) { createPreviewLink(articleId: $id) { url } }",
            json!({ "id": "UGxhY2U6MDE5MzdmMDAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAw" }),
            "BAD_USER_INPUT",
            "articleId",
        ),
        (
            "reject a draft",
            "mutation($id: ID!, $v: Int!) { rejectArticle(id: $id, version: $v) { version } }",
            json!({ "id": id, "v": 1 }),
            "BAD_USER_INPUT",
            "status",
        ),
        (
            "restore a draft",
            "mutation($id: ID!, $v: Int!) { restoreArticle(id: $id, version: $v) { version } }",
            json!({ "id": id, "v": 1 }),
            "BAD_USER_INPUT",
            "status",
        ),
        (
            "revision 0",
            "mutation($id: ID!) { restoreRevision(articleId: $id, number: 0, version: 1) { version } }",
            json!({ "id": id }),
            "BAD_USER_INPUT",
            "number",
        ),
        (
            "revisions, junk id",
            "query($id: ID!) { articleRevisions(articleId: $id) { number } }",
            json!({ "id": "junk" }),
            "BAD_USER_INPUT",
            "articleId",
        ),
        (
            "restore, junk id",
            "mutation($id: ID!) { restoreRevision(articleId: $id, number: 1, version: 1) { version } }",
            json!({ "id": "junk" }),
            "BAD_USER_INPUT",
            "articleId",
        ),
        (
            "preview link, junk id",
            "mutation($id: ID!) { createPreviewLink(articleId: $id) { url } }",
            json!({ "id": "junk" }),
            "BAD_USER_INPUT",
            "articleId",
        ),
        (
            "preview link for 0 hours",
            "mutation($id: ID!) { createPreviewLink(articleId: $id, hours: 0) { url } }",
            json!({ "id": id }),
            "BAD_USER_INPUT",
            "hours",
        ),
    ];
    for (what, q, vars, code, field) in cases {
        let a = graphql_as(&server, &editor.token, q, vars).await;
        assert_eq!(a.code(), code, "{what}: {}", a.body);
        if !field.is_empty() {
            assert_eq!(a.body["errors"][0]["extensions"]["field"], field, "{what}: {}", a.body);
        }
    }
    // Publishing a draft, and a window that ends before it starts, are the reviewer's bad input.
    let a = reviewer.step(&server, PUBLISH, &id, 1).await;
    assert_eq!(
        (a.code(), &a.body["errors"][0]["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("status")),
        "{}",
        a.body
    );
    let window = "mutation($id: ID!) { publishArticle(id: $id, version: 1,
        publishAt: \"2027-01-02T00:00:00Z\", unpublishAt: \"2027-01-01T00:00:00Z\") { version } }";
    let a = graphql_as(&server, &reviewer.token, window, json!({ "id": id })).await;
    assert_eq!((a.code(), &a.body["errors"][0]["extensions"]["field"]), ("BAD_USER_INPUT", &json!("unpublishAt")));
    // Times that do not parse, as literals or variables, name the argument and say what is expected.
    let publish_at = |at: &str| {
        format!("mutation($id: ID!) {{ publishArticle(id: $id, version: 1, publishAt: {at}) {{ version }} }}")
    };
    for (literal, what) in
        [("\"2027-01-02T08:00\"", "no offset"), ("5", "a number"), ("\"1900-01-01T00:00:00Z\"", "1900")]
    {
        let a = graphql_as(&server, &reviewer.token, &publish_at(literal), json!({ "id": id })).await;
        assert_eq!(
            (a.code(), &a.body["errors"][0]["extensions"]["field"]),
            ("BAD_USER_INPUT", &json!("publishAt")),
            "{what}: {}",
            a.body
        );
    }
    let q = "mutation($id: ID!, $t: DateTime) { publishArticle(id: $id, version: 1, publishAt: $t) { version } }";
    let a = graphql_as(&server, &reviewer.token, q, json!({ "id": id, "t": "ngày mai" })).await;
    assert_eq!((a.code(), &a.body["errors"][0]["extensions"]["field"]), ("BAD_USER_INPUT", &json!("publishAt")));
    let message = a.body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("publishAt:") && message.contains("+07:00"), "{message}");
    // None of it changed anything.
    let read = graphql_as(&server, &editor.token, READ, json!({ "s": slug })).await;
    assert_eq!(read.body["data"]["article"]["version"], 1, "{}", read.body);

    // A stale version is a conflict that names the current one, and changes nothing.
    let a = editor.update(&server, &id, 1, json!({ "translations": [tr("vi", "Bản hai")] })).await;
    assert_eq!(ok(&a, "updateArticle")["version"], 2);
    for (q, vars) in [
        (UPDATE, json!({ "id": id, "v": 1, "input": { "translations": [tr("vi", "Bản cũ")] } })),
        (SUBMIT, json!({ "id": id, "v": 1 })),
    ] {
        let a = graphql_as(&server, &editor.token, q, vars).await;
        assert_eq!(a.code(), "CONFLICT", "{}", a.body);
        assert_eq!(a.body["errors"][0]["extensions"]["currentVersion"], 2, "{}", a.body);
    }
    let read = graphql_as(&server, &editor.token, READ, json!({ "s": slug })).await;
    assert_eq!(
        read.body["data"]["article"],
        json!({ "version": 2, "status": "DRAFT", "title": "Bản hai",
        "unit": { "slug": "don-bien-phong-bac-xa" } })
    );

    // Six editors saving against the same version at the same moment: one wins, five are told.
    let bearer = format!("Bearer {}", editor.token);
    let vars = json!({ "id": id, "v": 2, "input": { "translations": [tr("vi", "Bản ba")] } });
    let answers =
        graphql_concurrently(&server, &crate::harness::client(), 6, &[("authorization", &bearer)], UPDATE, vars).await;
    let codes: Vec<&str> =
        answers.iter().map(|a| if a.body["data"]["updateArticle"].is_object() { "ok" } else { a.code() }).collect();
    assert_eq!(codes.iter().filter(|c| **c == "ok").count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == "CONFLICT").count(), 5, "{codes:?}");
    let read = graphql_as(&server, &editor.token, READ, json!({ "s": slug })).await;
    assert_eq!(
        (&read.body["data"]["article"]["version"], &read.body["data"]["article"]["title"]),
        (&json!(3), &json!("Bản ba"))
    );
    let revisions = "query($id: ID!) { articleRevisions(articleId: $id) { number version } }";
    let a = graphql_as(&server, &editor.token, revisions, json!({ "id": id })).await;
    assert_eq!(
        a.body["data"]["articleRevisions"],
        json!([
            { "number": 3, "version": 3 }, { "number": 2, "version": 2 }, { "number": 1, "version": 1 }
        ]),
        "one revision per version"
    );
});
