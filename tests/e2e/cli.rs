//! The command line: the committed schema, and clear one-line errors for bad configuration.

use crate::harness::{assert_one_line_failure, run_cli};

#[test]
fn committed_schema_matches_the_server() {
    let out = run_cli(&["schema"], &[]);
    assert!(out.status.success());
    let exported = String::from_utf8(out.stdout).expect("utf-8");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema.graphql at the workspace root");
    assert!(
        exported == committed,
        "schema.graphql is out of date: run `cargo run -q -- schema > schema.graphql` and commit it"
    );
}

#[test]
fn a_database_that_cannot_be_opened_is_one_clear_line() {
    for url in ["sqlite:///proc/frontier/none.db", "postgres://nobody:secret@127.0.0.1:1/frontier", "mysql://x"] {
        let out = run_cli(&["serve", "--bind", "127.0.0.1:0"], &[("FRONTIER_DATABASE_URL", url)]);
        let needle = if url.starts_with("mysql") { "must start with sqlite://" } else { "cannot open database" };
        assert_one_line_failure(&out, needle);
        assert!(!String::from_utf8_lossy(&out.stderr).contains("secret"), "password is not printed");
    }
}

#[test]
fn bad_configuration_is_one_clear_line() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}/f.db", dir.path().display());
    let cases: [(&[(&str, &str)], &str); 3] = [
        (&[("FRONTIER_PUBLIC_BASE_URL", "bien-cuong.example")], "public base URL"),
        (&[("FRONTIER_FRONTEND_URL", "https://p.example/{lang}/{slug}")], "unknown placeholder"),
        (&[("FRONTIER_BIND", "everywhere")], "FRONTIER_BIND"),
    ];
    for (env, needle) in cases {
        let mut env = env.to_vec();
        env.push(("FRONTIER_DATABASE_URL", &db));
        if !env.iter().any(|(k, _)| *k == "FRONTIER_BIND") {
            env.push(("FRONTIER_BIND", "127.0.0.1:0"));
        }
        let env_ref: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, *v)).collect();
        assert_one_line_failure(&run_cli(&["serve"], &env_ref), needle);
    }
}

#[test]
fn seed_and_migrate_are_idempotent() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}/f.db", dir.path().display());
    let env = [("FRONTIER_DATABASE_URL", db.as_str())];
    for _ in 0..2 {
        let out = run_cli(&["seed", "demo"], &env);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let n = frontier_demo::load().expect("content").articles.len();
        assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{n} articles")));
    }
    let out = run_cli(&["migrate"], &env);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "migrations applied: 0");
}
