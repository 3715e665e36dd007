//! Logging in, staying logged in and reading with API keys, as a hostile or careless client tries it:
//! failures that must all look alike, throttling, forged tokens, replayed refresh tokens, keys that
//! reach outside their units, and the `frontier user create` command's refusals.

use crate::harness::{
    Answer, LOGIN, Server, access_token, assert_one_line_failure, client, client_from, create_account, e2e, graphql_as,
    graphql_concurrently, graphql_raw, login_from, run_cli, user_create,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

const PASSWORD: &str = "mat-khau-bien-cuong-2026";
const ADMIN: &str = "quan-tri@bienphong.test";
/// The message of every authentication failure (crates/graphql/src/error.rs and the HTTP edge).
const UNAUTHENTICATED_MESSAGE: &str = "authentication required or failed";

/// A loopback address of its own for one group of requests (see `client_from`).
fn addr(c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, c, d))
}

async fn login_answer(server: &Server, from: IpAddr, email: &str, password: &str) -> Answer {
    graphql_raw(server, &client_from(from), &[], LOGIN, json!({ "e": email, "p": password })).await
}

/// An `UNAUTHENTICATED` login that says nothing about why.
fn assert_opaque_failure(what: &str, a: &Answer) {
    assert_eq!(a.status, 200, "{what}: a GraphQL error, not an HTTP one");
    assert_eq!(a.code(), "UNAUTHENTICATED", "{what}: {}", a.body);
    assert_eq!(a.message(), UNAUTHENTICATED_MESSAGE, "{what}");
    assert!(a.body["data"].is_null(), "{what}: {}", a.body);
    assert_eq!(a.body["errors"][0]["extensions"].as_object().map(|e| e.len()), Some(1), "{what}: only a code");
}

fn retry_after(a: &Answer) -> u64 {
    assert_eq!(a.code(), "TOO_MANY_REQUESTS", "{}", a.body);
    a.body["errors"][0]["extensions"]["retryAfter"].as_u64().expect("retryAfter in whole seconds")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn account_id(server: &Server, admin: &str, email: &str) -> String {
    let a = graphql_as(server, admin, "{ accounts { id email } }", json!({})).await;
    let accounts = a.body["data"]["accounts"].as_array().expect("accounts").clone();
    let found = accounts.iter().find(|x| x["email"] == email).expect("account listed");
    found["id"].as_str().expect("id").to_owned()
}

async fn set_disabled(server: &Server, admin: &str, id: &str, disabled: bool) {
    let q = "mutation($id: ID!, $d: Boolean!) { setAccountDisabled(id: $id, disabled: $d) { disabled } }";
    let a = graphql_as(server, admin, q, json!({ "id": id, "d": disabled })).await;
    assert_eq!(a.body["data"]["setAccountDisabled"]["disabled"], disabled, "{}", a.body);
}

async fn audit(server: &Server, admin: &str, action: &str) -> Vec<Value> {
    let q =
        "query($a: String!) { auditLog(filter: { action: $a }, first: 100) { entries { action actorName summary } } }";
    let a = graphql_as(server, admin, q, json!({ "a": action })).await;
    a.body["data"]["auditLog"]["entries"].as_array().unwrap_or_else(|| panic!("audit log: {}", a.body)).clone()
}

e2e!(failed_logins_look_alike_are_throttled_and_audited, |server| {
    let (an, binh, chi, em) = ("an@bienphong.test", "binh@bienphong.test", "chi@bienphong.test", "em@bienphong.test");
    create_account(&server, ADMIN, "admin", "bdbp-lang-son", PASSWORD);
    for email in [an, binh, chi, em] {
        create_account(&server, email, "editor", "don-bien-phong-bac-xa", PASSWORD);
    }

    // The command line refuses bad accounts with one line, before or after reading the password.
    let cases: [(&[&str], &str, &str); 5] = [
        (&["--email", "d@bienphong.test", "--role", "root", "--unit", "tram-bac-xa-1"], PASSWORD, "--role"),
        (&["--email", "d@bienphong.test", "--role", "editor", "--unit", "tram-khong-co"], PASSWORD, "--unit"),
        (&["--email", "d@bienphong.test", "--role", "editor", "--unit", "tram-bac-xa-1"], "ngan-qua", "12"),
        (&["--email", "khong-phai-email", "--role", "editor", "--unit", "tram-bac-xa-1"], PASSWORD, "--email"),
        (&["--email", "An@BienPhong.test", "--role", "editor", "--unit", "tram-bac-xa-1"], PASSWORD, "exists"),
    ];
    for (args, password, needle) in cases {
        let out = user_create(&server, args, password);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_one_line_failure(&out, needle);
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{args:?}");
    }

    let admin = access_token(&server, ADMIN, PASSWORD).await;

    // Each kind of failure from an address of its own, so that the throttle stays out of it. Unknown
    // e-mails and wrong passwords (for em, five: all it may fail) alternate, for the timing below.
    let (mut wrong, mut unknown) = (Vec::new(), Vec::new());
    for i in 0..5u8 {
        let started = Instant::now();
        let a = login_answer(&server, addr(1, i + 1), &format!("khong-co-{i}@bienphong.test"), PASSWORD).await;
        unknown.push(started.elapsed());
        assert_opaque_failure("unknown e-mail", &a);
        let started = Instant::now();
        let a = login_answer(&server, addr(2, i + 1), em, "not-the-password").await;
        wrong.push(started.elapsed());
        assert_opaque_failure("wrong password", &a);
    }
    // A missing dummy hash would answer an unknown e-mail in a fraction of the time of a wrong password.
    let (wrong, unknown) = (median(wrong), median(unknown));
    assert!(unknown * 2 >= wrong, "unknown e-mail answered in {unknown:?}, wrong password in {wrong:?}");
    assert_opaque_failure("malformed e-mail", &login_answer(&server, addr(3, 1), "not an email", PASSWORD).await);
    assert_opaque_failure("empty password", &login_answer(&server, addr(3, 2), chi, "").await);
    assert_opaque_failure(
        "upper-case password",
        &login_answer(&server, addr(3, 3), an, &PASSWORD.to_uppercase()).await,
    );
    let chi_id = account_id(&server, &admin, chi).await;
    set_disabled(&server, &admin, &chi_id, true).await;
    assert_opaque_failure("disabled account", &login_answer(&server, addr(3, 4), chi, PASSWORD).await);
    // The e-mail is matched in any case and with spaces around it.
    let s = login_from(&server, &client_from(addr(3, 5)), "  BINH@BienPhong.Test ", PASSWORD).await;
    assert_eq!(s["account"]["email"], binh);

    // Ten guesses sent at once get no more tries than ten in a row: five are checked, then the
    // account and the address wait.
    let dung = "dung@bienphong.test";
    create_account(&server, dung, "editor", "don-bien-phong-bac-xa", PASSWORD);
    let vars = json!({ "e": dung, "p": "doan-sai-mat-khau" });
    let burst = graphql_concurrently(&server, &client_from(addr(5, 1)), 10, &[], LOGIN, vars).await;
    let codes: Vec<&str> = burst.iter().map(Answer::code).collect();
    let checked = codes.iter().filter(|c| **c == "UNAUTHENTICATED").count();
    assert_eq!((checked, codes.iter().filter(|c| **c == "TOO_MANY_REQUESTS").count()), (5, 5), "{codes:?}");

    // an's first failure was the upper-case password; four more from a1 make five: the account
    // waits 2^(5-5) = 1 s, while a1, at four, is still free. Asked at once, from every side:
    let (a1, a2, a3) = (addr(4, 1), addr(4, 2), addr(4, 3));
    for _ in 0..4 {
        assert_opaque_failure("wrong password", &login_answer(&server, a1, an, "doan-sai-mat-khau").await);
    }
    let (right_same, right_elsewhere, other_same) = tokio::join!(
        login_answer(&server, a1, an, PASSWORD),
        login_answer(&server, a2, an, PASSWORD),
        login_answer(&server, a1, binh, PASSWORD),
    );
    let wait = retry_after(&right_same);
    assert_eq!(wait, 1, "even the right password waits: {}", right_same.body);
    assert!(right_same.message().contains("try again in 1 s"), "{}", right_same.message());
    assert_eq!(retry_after(&right_elsewhere), 1, "the account is locked from every address");
    assert!(other_same.body["data"]["login"].is_object(), "four failures from a1 are free: {}", other_same.body);

    // One more failure from a1 (for binh) is a1's fifth: a1 now waits 1 s whatever the account.
    assert_opaque_failure("binh, wrong", &login_answer(&server, a1, binh, "doan-sai-mat-khau").await);
    let (binh_same, binh_elsewhere) =
        tokio::join!(login_answer(&server, a1, binh, PASSWORD), login_answer(&server, a3, binh, PASSWORD));
    assert_eq!(retry_after(&binh_same), 1, "the address is locked for another account");
    assert!(binh_elsewhere.body["data"]["login"].is_object(), "binh's account is not: {}", binh_elsewhere.body);

    // Refused attempts are not failures: once the wait is over the right password works, and clears
    // the account (an may fail again without being locked). The address keeps its count: a1's sixth
    // failure doubles its wait to 2 s.
    tokio::time::sleep(Duration::from_secs(wait)).await;
    login_from(&server, &client_from(a2), an, PASSWORD).await;
    assert_opaque_failure("an, after the lock", &login_answer(&server, a2, an, "doan-sai-mat-khau").await);
    login_from(&server, &client_from(a2), an, PASSWORD).await;
    assert_opaque_failure("a1's sixth", &login_answer(&server, a1, binh, "doan-sai-mat-khau").await);
    assert_eq!(retry_after(&login_answer(&server, a1, binh, PASSWORD).await), 2);

    // Every failure that was checked is in the audit log with the e-mail as typed (lower-cased) when it is one,
    // and none that was refused unchecked: 5 unknown + 5 em + malformed + empty + upper-case +
    // disabled + 5 dung + 4 an from a1 + binh from a1 + an from a2 + binh from a1 = 26.
    let failed = audit(&server, &admin, "user.login_failed").await;
    assert_eq!(failed.len(), 26, "{failed:#?}");
    assert!(failed.iter().all(|e| e["actorName"] == "system"));
    let summaries: Vec<&str> = failed.iter().filter_map(|e| e["summary"].as_str()).collect();
    let count = |s: &str| summaries.iter().filter(|x| **x == s).count();
    assert_eq!((count(an), count(binh), count(chi), count(dung), count(em)), (6, 2, 2, 5, 5), "{summaries:?}");
    // What is not shaped like an address (the malformed one) is not kept: it could be
    // a password typed into the wrong field.
    assert_eq!((count("(not an e-mail address)"), count("khong-co-4@bienphong.test")), (1, 1), "{summaries:?}");
    assert_eq!(count("not an email"), 0);
    let logins = audit(&server, &admin, "user.login").await;
    assert_eq!(logins.len(), 6, "admin, binh three times, an twice: {logins:#?}");
});

#[test]
fn production_needs_a_signing_secret() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}/f.db", dir.path().display());
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8 path");
    let base = [("FRONTIER_DATABASE_URL", db.as_str()), ("FRONTIER_DATA_DIR", data), ("FRONTIER_ENV", "production")];
    let out = run_cli(&["serve", "--bind", "127.0.0.1:0"], &base);
    assert_eq!(out.status.code(), Some(1));
    assert_one_line_failure(&out, "FRONTIER_JWT_SECRET must be set");
    let mut short = base.to_vec();
    short.push(("FRONTIER_JWT_SECRET", "too-short"));
    let out = run_cli(&["serve", "--bind", "127.0.0.1:0"], &short);
    assert_eq!(out.status.code(), Some(1));
    assert_one_line_failure(&out, "at least 32 bytes");
    assert!(!dir.path().join("f.db").exists(), "refused before the database is touched");
}

/// The signing secret the token scenario's server runs with, so the test can forge with it.
const SECRET: &str = "e2e-secret-e2e-secret-e2e-secret-e2e-secret";

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).expect("payload part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("json")
}

fn sign(alg: Algorithm, key: &[u8], claims: &Value) -> String {
    jsonwebtoken::encode(&Header::new(alg), claims, &EncodingKey::from_secret(key).expect("key")).expect("encode")
}

fn with(claims: &Value, changes: Value) -> Value {
    let mut c = claims.clone();
    for (k, v) in changes.as_object().expect("object") {
        c[k] = v.clone();
    }
    c
}

const ME: &str = "{ me { email role } }";
const REFRESH: &str = "mutation($t: String!) { refresh(refreshToken: $t) { accessToken refreshToken } }";
const LOGOUT: &str = "mutation($t: String!) { logout(refreshToken: $t) }";

async fn refresh(server: &Server, token: &str) -> Answer {
    graphql_raw(server, &client(), &[], REFRESH, json!({ "t": token })).await
}

/// Refused at the HTTP edge: 401, `WWW-Authenticate: Bearer`, and the same coded error every time.
fn assert_refused(what: &str, a: &Answer) {
    assert_eq!(a.status, 401, "{what}: {}", a.body);
    assert_eq!(a.headers.get("www-authenticate").map(|v| v.as_bytes()), Some(&b"Bearer"[..]), "{what}");
    assert_eq!(a.code(), "UNAUTHENTICATED", "{what}");
    assert_eq!(a.message(), UNAUTHENTICATED_MESSAGE, "{what}");
    assert!(a.body.get("data").is_none(), "{what}: no data");
}

e2e!(forged_stale_and_replayed_credentials_are_refused, env = &[("FRONTIER_JWT_SECRET", SECRET)], |server| {
    let (an, binh) = ("an@bienphong.test", "binh@bienphong.test");
    create_account(&server, ADMIN, "admin", "bdbp-lang-son", PASSWORD);
    create_account(&server, an, "editor", "don-bien-phong-bac-xa", PASSWORD);
    let admin = access_token(&server, ADMIN, PASSWORD).await;
    // binh is made by the admin over GraphQL, after the refusals.
    let create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { email role unit { slug } } }";
    let account = |email: &str, name: &str, unit: &str, password: &str| json!({ "i": { "email": email, "displayName": name, "role": "REVIEWER", "unit": unit, "password": password } });
    let refusals = [
        (account("binh", "Bình", "tram-bac-xa-1", PASSWORD), "BAD_USER_INPUT", "input.email"),
        (account(binh, " ", "tram-bac-xa-1", PASSWORD), "BAD_USER_INPUT", "input.displayName"),
        (account(binh, "Bình", "tram-bac-xa-1", "ngan-qua"), "BAD_USER_INPUT", "input.password"),
        (account(binh, "Bình", "Tram 1", PASSWORD), "BAD_USER_INPUT", "input.unit"),
        (account(binh, "Bình", "tram-khong-co", PASSWORD), "NOT_FOUND", "input.unit"),
        (account(" AN@bienphong.test", "An", "tram-bac-xa-1", PASSWORD), "CONFLICT", ""),
    ];
    for (vars, code, field) in refusals {
        let a = graphql_as(&server, &admin, create, vars.clone()).await;
        assert_eq!(a.code(), code, "{vars}: {}", a.body);
        if !field.is_empty() {
            assert_eq!(a.body["errors"][0]["extensions"]["field"], field, "{vars}");
        }
    }
    let a = graphql_as(&server, &admin, create, account(binh, "Bình", "tram-bac-xa-1", PASSWORD)).await;
    let made = json!({ "email": binh, "role": "REVIEWER", "unit": { "slug": "tram-bac-xa-1" } });
    assert_eq!(a.body["data"]["createAccount"], made, "{}", a.body);
    let session = login_from(&server, &client(), an, PASSWORD).await;
    let token = session["accessToken"].as_str().expect("token").to_owned();
    assert_eq!(session["tokenType"], "Bearer");
    let a = graphql_as(&server, &token, ME, json!({})).await;
    assert_eq!(a.body["data"]["me"], json!({ "email": an, "role": "EDITOR" }), "{}", a.body);

    // Forgeries start from the server's own claims, re-signed with the secret the test knows: the
    // unchanged re-signing is accepted, so each refusal below is for the one thing changed.
    let claims = payload(&token);
    let now = chrono::Utc::now().timestamp();
    let resigned = sign(Algorithm::HS256, SECRET.as_bytes(), &claims);
    assert_eq!(graphql_as(&server, &resigned, ME, json!({})).await.body["data"]["me"]["email"], an);
    // A correctly signed token that claims more than the account has: the account as stored decides.
    let promoted = sign(Algorithm::HS256, SECRET.as_bytes(), &with(&claims, json!({ "role": "admin" })));
    let a = graphql_as(&server, &promoted, "{ me { role } accounts { id } }", json!({})).await;
    assert_eq!((a.body["data"]["me"]["role"].as_str(), a.code()), (Some("EDITOR"), "FORBIDDEN"), "{}", a.body);

    let expired = sign(
        Algorithm::HS256,
        SECRET.as_bytes(),
        &with(&claims, json!({ "iat": now - 7200, "nbf": now - 7200, "exp": now - 3600 })),
    );
    let parts: Vec<&str> = token.split('.').collect();
    let admin_payload = b64(&serde_json::to_vec(&with(&claims, json!({ "role": "admin" }))).expect("json"));
    let forged: Vec<(&str, String)> = vec![
        ("alg none", format!("{}.{}.", b64(br#"{"alg":"none","typ":"JWT"}"#), parts[1])),
        ("HS512 with the right secret", sign(Algorithm::HS512, SECRET.as_bytes(), &claims)),
        ("another secret", sign(Algorithm::HS256, b"another-secret-another-secret-another-secret", &claims)),
        ("wrong audience", sign(Algorithm::HS256, SECRET.as_bytes(), &with(&claims, json!({ "aud": "other-api" })))),
        ("wrong issuer", sign(Algorithm::HS256, SECRET.as_bytes(), &with(&claims, json!({ "iss": "someone" })))),
        ("expired an hour ago", expired.clone()),
        (
            "not valid for an hour",
            sign(Algorithm::HS256, SECRET.as_bytes(), &with(&claims, json!({ "nbf": now + 3600 }))),
        ),
        (
            "unknown account",
            sign(
                Algorithm::HS256,
                SECRET.as_bytes(),
                &with(&claims, json!({ "sub": "0190f3a0-0000-7000-8000-000000000001" })),
            ),
        ),
        ("role changed, signature kept", format!("{}.{admin_payload}.{}", parts[0], parts[2])),
        ("signature cut", format!("{}.{}.", parts[0], parts[1])),
        ("garbage", "garbage".into()),
        ("a refresh token", session["refreshToken"].as_str().expect("refresh").into()),
        ("an API key that was never issued", format!("frk_{}", "A".repeat(43))),
    ];
    for (what, forgery) in &forged {
        assert_refused(what, &graphql_as(&server, forgery, ME, json!({})).await);
    }
    let headers: [(&str, &str); 5] = [
        ("authorization", "Bearer"),
        ("authorization", "Bearer "),
        ("authorization", "Basic YW5AYmllbnBob25nLnRlc3Q6bWF0LWtoYXU="),
        ("authorization", &format!("Token {token}")),
        ("x-api-key", "not-a-key"),
    ];
    for (name, value) in headers {
        assert_refused(value, &graphql_raw(&server, &client(), &[(name, value)], ME, json!({})).await);
    }
    // The scheme is case-insensitive (RFC 9110).
    let a = graphql_raw(&server, &client(), &[("authorization", &format!("bearer {token}"))], ME, json!({})).await;
    assert_eq!(a.body["data"]["me"]["email"], an);

    // A disabled account's token stops at once, and so do its sessions; enabled again, it logs in anew.
    let binh_session = login_from(&server, &client(), binh, PASSWORD).await;
    let binh_token = binh_session["accessToken"].as_str().expect("token").to_owned();
    assert_eq!(graphql_as(&server, &binh_token, ME, json!({})).await.body["data"]["me"]["email"], binh);
    let binh_id = account_id(&server, &admin, binh).await;
    set_disabled(&server, &admin, &binh_id, true).await;
    assert_refused("disabled account", &graphql_as(&server, &binh_token, ME, json!({})).await);
    let binh_refresh = binh_session["refreshToken"].as_str().expect("refresh");
    assert_eq!(refresh(&server, binh_refresh).await.code(), "UNAUTHENTICATED");
    set_disabled(&server, &admin, &binh_id, false).await;
    assert_eq!(refresh(&server, binh_refresh).await.code(), "UNAUTHENTICATED", "its sessions stay ended");
    assert_eq!(graphql_as(&server, &binh_token, ME, json!({})).await.body["data"]["me"]["email"], binh);

    // A client whose access token has just expired and still sends it can refresh, log in or log
    // out (and nothing else) without taking the header off first.
    let stale = [("authorization", format!("Bearer {expired}"))];
    let stale: Vec<(&str, &str)> = stale.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let extra = login_from(&server, &client(), an, PASSWORD).await["refreshToken"].as_str().expect("r").to_owned();
    let a = graphql_raw(&server, &client(), &stale, REFRESH, json!({ "t": extra })).await;
    assert!(a.body["data"]["refresh"]["accessToken"].is_string(), "{}", a.body);
    let a = graphql_raw(&server, &client(), &stale, LOGIN, json!({ "e": an, "p": PASSWORD })).await;
    assert!(a.body["data"]["login"]["accessToken"].is_string(), "{}", a.body);
    let newest = a.body["data"]["login"]["refreshToken"].as_str().expect("refresh").to_owned();
    let a = graphql_raw(&server, &client(), &stale, LOGOUT, json!({ "t": newest })).await;
    assert_eq!(a.body["data"]["logout"], true, "{}", a.body);
    let mixed = "mutation($t: String!) { refresh(refreshToken: $t) { accessToken } createApiKey(name: \"k\", units: [\"bdbp-lang-son\"]) { key } }";
    assert_refused("refresh with more", &graphql_raw(&server, &client(), &stale, mixed, json!({ "t": "x" })).await);

    // Rotation: each refresh token works once and is replaced.
    let r1 = session["refreshToken"].as_str().expect("refresh").to_owned();
    let a = refresh(&server, &r1).await;
    let r2 = a.body["data"]["refresh"]["refreshToken"].as_str().unwrap_or_else(|| panic!("{}", a.body)).to_owned();
    assert_ne!(r2, r1);
    let a2 = a.body["data"]["refresh"]["accessToken"].as_str().expect("access").to_owned();
    assert_eq!(graphql_as(&server, &a2, ME, json!({})).await.body["data"]["me"]["email"], an);
    // The spent one again: refused, and the session it belongs to is over for its newer token too.
    let replay = refresh(&server, &r1).await;
    assert_eq!(replay.code(), "UNAUTHENTICATED");
    assert_eq!(replay.message(), UNAUTHENTICATED_MESSAGE);
    assert_eq!(refresh(&server, &r2).await.code(), "UNAUTHENTICATED", "replay revokes the family");
    assert_eq!(audit(&server, &admin, "user.session_replayed").await.len(), 1);
    assert_eq!(refresh(&server, "garbage").await.code(), "UNAUTHENTICATED");

    // The same refresh token sent several times at once is still one use: one new session at most,
    // and the others count as replays, which end it.
    let racing = login_from(&server, &client(), an, PASSWORD).await["refreshToken"].as_str().expect("r").to_owned();
    let answers = graphql_concurrently(&server, &client(), 6, &[], REFRESH, json!({ "t": racing })).await;
    let won: Vec<&Answer> = answers.iter().filter(|a| a.body["data"]["refresh"].is_object()).collect();
    assert_eq!(won.len(), 1, "{:?}", answers.iter().map(|a| a.code().to_owned()).collect::<Vec<_>>());
    assert!(answers.iter().filter(|a| !a.body["data"]["refresh"].is_object()).all(|a| a.code() == "UNAUTHENTICATED"));
    let newest = won[0].body["data"]["refresh"]["refreshToken"].as_str().expect("refresh");
    assert_eq!(refresh(&server, newest).await.code(), "UNAUTHENTICATED", "the replays ended the session");

    // Logout ends the session; the access token lives on until it expires (as documented).
    let s3 = login_from(&server, &client(), an, PASSWORD).await;
    let r3 = s3["refreshToken"].as_str().expect("refresh");
    let a = graphql_raw(&server, &client(), &[], LOGOUT, json!({ "t": r3 })).await;
    assert_eq!(a.body["data"]["logout"], true, "{}", a.body);
    assert_eq!(refresh(&server, r3).await.code(), "UNAUTHENTICATED");
    // Sent without an access token, the logout is still logged under the session's account.
    let name = graphql_as(&server, s3["accessToken"].as_str().expect("access"), "{ me { displayName } }", json!({}));
    let name = name.await.body["data"]["me"]["displayName"].clone();
    let logouts = audit(&server, &admin, "user.logout").await;
    assert_eq!((&logouts[0]["actorName"], logouts[0]["summary"].as_str()), (&name, Some(an)), "{logouts:?}");
    let again = graphql_raw(&server, &client(), &[], LOGOUT, json!({ "t": r3 })).await;
    assert_eq!(again.body["data"]["logout"], false, "nothing was left to end: {}", again.body);
    let junk = graphql_raw(&server, &client(), &[], LOGOUT, json!({ "t": "garbage" })).await;
    assert_eq!(junk.body["data"]["logout"], false);
    let s3_access = s3["accessToken"].as_str().expect("access");
    assert_eq!(graphql_as(&server, s3_access, ME, json!({})).await.body["data"]["me"]["email"], an);
});

const ARTICLES: &str = "{ articles(first: 100) { totalCount edges { node { id slug unit { slug } } } } }";
/// The one demo article of the Chi Ma post (a sibling of Bắc Xa), and one of the province command.
const CHI_MA_ARTICLE: &str = "giay-to-tuy-than-khi-vao-khu-vuc-bien-gioi";
const PROVINCE_ARTICLE: &str = "mo-hinh-duoc-nhan-rong-trong-toan-bo-doi-bien-phong-lang-son";

/// (slug, id, unit slug) of every article in an `ARTICLES` answer.
fn listed(body: &Value) -> Vec<(String, String, String)> {
    let edges = body["data"]["articles"]["edges"].as_array().unwrap_or_else(|| panic!("articles: {body}"));
    let text = |v: &Value| v.as_str().expect("string").to_owned();
    edges.iter().map(|e| (text(&e["node"]["slug"]), text(&e["node"]["id"]), text(&e["node"]["unit"]["slug"]))).collect()
}

e2e!(api_keys_read_published_content_of_their_units_only, |server| {
    let an = "an@bienphong.test";
    create_account(&server, ADMIN, "admin", "bdbp-lang-son", PASSWORD);
    create_account(&server, an, "editor", "don-bien-phong-bac-xa", PASSWORD);
    let admin = access_token(&server, ADMIN, PASSWORD).await;
    let q = "mutation($n: String!, $u: [String!]!) { createApiKey(name: $n, units: $u) {
        key apiKey { id name prefix units revokedAt } } }";
    let a = graphql_as(&server, &admin, q, json!({ "n": "Cổng thông tin tỉnh", "u": ["don-bien-phong-bac-xa"] })).await;
    let issued = &a.body["data"]["createApiKey"];
    let key = issued["key"].as_str().unwrap_or_else(|| panic!("{}", a.body)).to_owned();
    let key_id = issued["apiKey"]["id"].as_str().expect("id").to_owned();
    let prefix = issued["apiKey"]["prefix"].as_str().expect("prefix");
    assert!(key.starts_with(&format!("frk_{prefix}_")) && key.len() > prefix.len() + 30, "{key} / {prefix}");
    assert_eq!(issued["apiKey"]["units"], json!(["don-bien-phong-bac-xa"]));
    for (units, code, field) in [
        (json!(["don-bien-phong-bac-xa", "don-bien-phong-bac-xa"]), "BAD_USER_INPUT", "units[1]"),
        (json!([]), "BAD_USER_INPUT", "units"),
        (json!(["khong-co"]), "NOT_FOUND", "units[0]"),
    ] {
        let a = graphql_as(&server, &admin, q, json!({ "n": "Khoá thử", "u": units })).await;
        assert_eq!((a.code(), &a.body["errors"][0]["extensions"]["field"]), (code, &json!(field)), "{}", a.body);
    }
    let listed_keys = graphql_as(&server, &admin, "{ apiKeys { prefix } }", json!({})).await;
    assert_eq!(listed_keys.body["data"]["apiKeys"].as_array().map(Vec::len), Some(1), "{}", listed_keys.body);
    assert!(!listed_keys.body.to_string().contains(&key), "the key is shown once, never listed");

    // What the key should see, worked out from the public listing and the demo unit tree.
    let public = listed(&crate::harness::graphql(&server, ARTICLES, json!({})).await);
    let scope = crate::demo::unit_subtree("don-bien-phong-bac-xa");
    let mut expected: Vec<String> =
        public.iter().filter(|(_, _, unit)| scope.contains(unit)).map(|(s, _, _)| s.clone()).collect();
    expected.sort();
    let id_of = |slug: &str| public.iter().find(|(s, _, _)| s == slug).map(|(_, id, _)| id.clone());
    let chi_ma_id = id_of(CHI_MA_ARTICLE).expect("the sibling post's article is public");
    assert!(id_of(PROVINCE_ARTICLE).is_some(), "the province command's article is public");
    assert!(expected.iter().any(|s| s == crate::demo::LAW_ARTICLE) && expected.len() < public.len());

    let scoped = r#"query($s: String!, $id: ID!) {
        article(slug: $s) { slug } node(id: $id) { id } me { email }
        unit(slug: "don-bien-phong-chi-ma") { slug } units { slug }
        category(slug: "quy-dinh-chung") { articles(first: 100) { edges { node { slug } } } } }"#;
    let mut scope_units: Vec<String> = scope.iter().map(ToString::to_string).collect();
    scope_units.sort();
    let bearer = format!("Bearer {key}");
    for header in [("x-api-key", key.as_str()), ("authorization", bearer.as_str())] {
        let a = graphql_raw(&server, &client(), &[header], ARTICLES, json!({})).await;
        let mut seen: Vec<String> = listed(&a.body).into_iter().map(|(s, _, _)| s).collect();
        seen.sort();
        assert_eq!(seen, expected, "{}", header.0);
        assert_eq!(a.body["data"]["articles"]["totalCount"], expected.len());
        let a =
            graphql_raw(&server, &client(), &[header], scoped, json!({ "s": CHI_MA_ARTICLE, "id": chi_ma_id })).await;
        let d = &a.body["data"];
        assert_eq!((&d["article"], &d["node"], &d["me"]), (&Value::Null, &Value::Null, &Value::Null), "{}", a.body);
        // Units outside the scope are not there for the key, as their content is not.
        assert_eq!(d["unit"], Value::Null, "{}", a.body);
        let mut units: Vec<String> = d["units"]
            .as_array()
            .expect("units")
            .iter()
            .map(|u| u["slug"].as_str().expect("slug").to_owned())
            .collect();
        units.sort();
        assert_eq!(units, scope_units);
        let outside = r#"{ articles(filter: { unit: "don-bien-phong-chi-ma" }) { totalCount } }"#;
        let a = graphql_raw(&server, &client(), &[header], outside, json!({})).await;
        assert_eq!(a.body["data"]["articles"]["totalCount"], 0, "{}", a.body);
        let in_category = d["category"]["articles"]["edges"].to_string();
        assert!(!in_category.contains(CHI_MA_ARTICLE) && in_category.contains("node"), "{in_category}");
    }

    // A key reads published content and nothing else.
    let law =
        crate::harness::graphql(&server, "{ article(slug: \"luat-bien-phong-viet-nam-2020\") { id } }", json!({}))
            .await;
    let law_id = law["data"]["article"]["id"].as_str().expect("law id").to_owned();
    let an_id = account_id(&server, &admin, an).await;
    let forbidden: [(&str, Value); 14] = [
        (
            r#"mutation { createArticle(input: { unit: "don-bien-phong-bac-xa", category: "tin-tuc",
                translations: [{ locale: "vi", title: "Tin giả", body: "." }] }) { id } }"#,
            json!({}),
        ),
        (
            "mutation($id: ID!) { updateArticle(id: $id, version: 1, input: { slug: \"bi-sua\" }) { id } }",
            json!({ "id": law_id }),
        ),
        ("mutation($id: ID!) { archiveArticle(id: $id, version: 1) { id } }", json!({ "id": law_id })),
        ("mutation($id: ID!) { createPreviewLink(articleId: $id) { url } }", json!({ "id": law_id })),
        ("mutation { createApiKey(name: \"khoa-moi\", units: [\"bdbp-lang-son\"]) { key } }", json!({})),
        ("mutation($id: ID!) { revokeApiKey(id: $id) { id } }", json!({ "id": key_id })),
        ("mutation($id: ID!) { setAccountDisabled(id: $id, disabled: true) { id } }", json!({ "id": an_id })),
        (
            r#"mutation { createAccount(input: { email: "moi@bienphong.test", displayName: "Mới", role: ADMIN,
                unit: "bdbp-lang-son", password: "mat-khau-moi-2026" }) { id } }"#,
            json!({}),
        ),
        ("{ accounts { id } }", json!({})),
        ("{ auditLog { entries { id } } }", json!({})),
        ("{ articles(preview: true) { totalCount } }", json!({})),
        ("{ article(slug: \"luat-bien-phong-viet-nam-2020\", preview: true) { id } }", json!({})),
        ("{ units(preview: true) { slug } }", json!({})),
        ("query($id: ID!) { articleRevisions(articleId: $id) { number } }", json!({ "id": law_id })),
    ];
    for (q, vars) in forbidden {
        let a = graphql_raw(&server, &client(), &[("x-api-key", &key)], q, vars).await;
        assert_eq!((a.status.as_u16(), a.code()), (200, "FORBIDDEN"), "{q}: {}", a.body);
    }
    let a = graphql_as(&server, &admin, "{ accounts { email disabled } }", json!({})).await;
    assert_eq!(a.body["data"]["accounts"].as_array().map(Vec::len), Some(2), "no account was made");
    assert!(a.body["data"]["accounts"].as_array().expect("list").iter().all(|x| x["disabled"] == false));

    // Revoked, the key is refused outright, by either header.
    let a = graphql_as(
        &server,
        &admin,
        "mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }",
        json!({ "id": key_id }),
    )
    .await;
    assert!(a.body["data"]["revokeApiKey"]["revokedAt"].is_string(), "{}", a.body);
    for header in [("x-api-key", key.as_str()), ("authorization", bearer.as_str())] {
        assert_refused("revoked key", &graphql_raw(&server, &client(), &[header], ARTICLES, json!({})).await);
    }
    let audit_keys = audit(&server, &admin, "api_key.").await;
    let actions: Vec<&str> = audit_keys.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["api_key.revoke", "api_key.create"], "newest first");
});
