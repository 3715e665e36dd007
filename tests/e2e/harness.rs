//! Starts the real `frontier` binary on a free port over a throwaway database, and talks HTTP to it.

use frontier_store::testing::TestDatabase;
use frontier_store::{Backend, Store};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_frontier");

pub struct Server {
    pub base: String,
    pub db: TestDatabase,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Server {
    /// `frontier serve --demo` on 127.0.0.1:0; `None` when the backend is not available here.
    pub fn start(backend: Backend, env: &[(&str, &str)]) -> Option<Self> {
        let db = TestDatabase::new(backend)?;
        Some(Self::start_on(db, env))
    }

    fn start_on(db: TestDatabase, env: &[(&str, &str)]) -> Self {
        let (base, child, dir) = spawn(&db, env);
        Self { base, db, child, _dir: dir }
    }

    /// `kill -9`: the process dies at once, whatever it was doing.
    pub fn crash(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again over the same database (after [`Server::crash`] or
    /// [`Server::terminate`]); it may listen on another port.
    pub fn restart(&mut self, env: &[(&str, &str)]) {
        self.crash();
        let (base, child, dir) = spawn(&self.db, env);
        (self.base, self.child, self._dir) = (base, child, dir);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM (what `docker stop` sends) and waits up to `limit` for the process to exit.
    pub fn terminate(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        assert!(sent.success(), "SIGTERM sent");
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// A second connection to the server's database, to count what the server wrote.
    pub async fn store(&self) -> Store {
        Store::open(&self.db.url, 2).await.expect("open server database")
    }
}

/// `frontier serve --demo` over `db` on a free port: its base URL, process and data folder.
fn spawn(db: &TestDatabase, env: &[(&str, &str)]) -> (String, Child, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("server.log");
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .env("FRONTIER_DEMO_SCANS", "false")
        .env("FRONTIER_DATABASE_URL", &db.url)
        .env("FRONTIER_DATA_DIR", dir.path().join("data"))
        .env_remove("FRONTIER_JWT_SECRET")
        .env_remove("FRONTIER_ENV")
        .env_remove("FRONTIER_PUBLIC_BASE_URL")
        .env_remove("FRONTIER_FRONTEND_URL")
        .env("FRONTIER_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("log file"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start frontier");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(addr) = line.strip_prefix("Frontier listening on ") {
                let _ = tx.send(addr.trim().to_owned());
            }
        }
    });
    let addr = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(addr) => addr,
        Err(_) => {
            let _ = child.kill();
            panic!("server did not start: {}", std::fs::read_to_string(&log).unwrap_or_default());
        }
    };
    (format!("http://{addr}"), child, dir)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client that, like a test should, does not follow redirects by itself.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// POSTs a GraphQL query and returns the whole JSON response.
pub async fn graphql(server: &Server, query: &str, variables: serde_json::Value) -> serde_json::Value {
    let body = serde_json::json!({ "query": query, "variables": variables });
    let response = client().post(server.url("/graphql")).json(&body).send().await.expect("graphql request");
    assert!(response.status().is_success(), "status {}", response.status());
    response.json().await.expect("graphql json")
}

/// The `extensions.code` of the first error.
pub fn error_code(response: &serde_json::Value) -> &str {
    response["errors"][0]["extensions"]["code"].as_str().unwrap_or("<none>")
}

/// Runs a binary command to completion (for the CLI's error paths).
pub fn run_cli(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("FRONTIER_PUBLIC_BASE_URL")
        .env_remove("FRONTIER_FRONTEND_URL")
        .env_remove("FRONTIER_JWT_SECRET")
        .env_remove("FRONTIER_ENV");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let out = cmd.output().expect("run frontier");
    assert!(started.elapsed() < Duration::from_secs(60), "command hung");
    out
}

/// Declares one end-to-end test per backend: SQLite always, PostgreSQL when configured.
macro_rules! e2e {
    ($name:ident, env = $env:expr, |$server:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($server: crate::harness::Server) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let server = crate::harness::Server::start(frontier_store::Backend::Sqlite, $env).expect("sqlite");
                body(server).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(server) = crate::harness::Server::start(frontier_store::Backend::Postgres, $env) else {
                    eprintln!("skipped: {} not set", frontier_store::testing::POSTGRES_ENV);
                    return;
                };
                body(server).await;
            }
        }
    };
    ($name:ident, |$server:ident| $body:block) => {
        e2e!($name, env = &[], |$server| $body);
    };
}
pub(crate) use e2e;

/// Runs a binary command with `stdin` piped in (as a password is, by a script).
pub fn run_cli_with_input(args: &[&str], env: &[(&str, &str)], stdin: &str) -> std::process::Output {
    use std::io::Write as _;
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("FRONTIER_PUBLIC_BASE_URL")
        .env_remove("FRONTIER_FRONTEND_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("run frontier");
    let mut pipe = child.stdin.take().expect("stdin");
    // A command that fails before it reads its input closes the pipe: that is not the test's failure.
    let _ = pipe.write_all(stdin.as_bytes());
    drop(pipe);
    let out = child.wait_with_output().expect("wait for frontier");
    assert!(started.elapsed() < Duration::from_secs(60), "command hung");
    out
}

/// `frontier user create` against the server's database, the password piped in.
pub fn user_create(server: &Server, args: &[&str], password: &str) -> std::process::Output {
    let mut all = vec!["user", "create"];
    all.extend_from_slice(args);
    run_cli_with_input(&all, &[("FRONTIER_DATABASE_URL", &server.db.url)], &format!("{password}\n"))
}

/// Creates an account (display name = e-mail) and checks that the command said so.
pub fn create_account(server: &Server, email: &str, role: &str, unit: &str, password: &str) {
    let out = user_create(server, &["--email", email, "--role", role, "--unit", unit], password);
    assert!(out.status.success(), "user create {email}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A client whose requests come from `source` (any 127.x.y.z reaches a server bound to 127.0.0.1):
/// login throttling counts per client address, so tests that fail logins on purpose get their own.
pub fn client_from(source: std::net::IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .local_address(source)
        .build()
        .expect("client")
}

/// What `/graphql` answered, whatever the status.
pub struct Answer {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: serde_json::Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        error_code(&self.body)
    }

    pub fn message(&self) -> &str {
        self.body["errors"][0]["message"].as_str().unwrap_or("<none>")
    }
}

/// POSTs a GraphQL request with extra headers (`authorization`, `x-api-key`, …) from `client`.
pub async fn graphql_raw(
    server: &Server,
    client: &reqwest::Client,
    headers: &[(&str, &str)],
    query: &str,
    variables: serde_json::Value,
) -> Answer {
    let mut request =
        client.post(server.url("/graphql")).json(&serde_json::json!({ "query": query, "variables": variables }));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.expect("graphql request");
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.json().await.expect("graphql json");
    Answer { status, headers, body }
}

/// A GraphQL request with `Authorization: Bearer <token>`.
pub async fn graphql_as(server: &Server, token: &str, query: &str, variables: serde_json::Value) -> Answer {
    graphql_raw(server, &client(), &[("authorization", &format!("Bearer {token}"))], query, variables).await
}

pub const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
    accessToken refreshToken accessTokenExpiresAt tokenType account { id email role } } }";

/// Logs in from `client` and returns the `login` object; panics unless it worked.
pub async fn login_from(server: &Server, client: &reqwest::Client, email: &str, password: &str) -> serde_json::Value {
    let a = graphql_raw(server, client, &[], LOGIN, serde_json::json!({ "e": email, "p": password })).await;
    assert!(a.body["data"]["login"].is_object(), "login {email}: {}", a.body);
    a.body["data"]["login"].clone()
}

/// The access token of a fresh login.
pub async fn access_token(server: &Server, email: &str, password: &str) -> String {
    let session = login_from(server, &client(), email, password).await;
    session["accessToken"].as_str().expect("access token").to_owned()
}

/// The same GraphQL request sent `n` times at once from `client`; the answers in no particular order.
pub async fn graphql_concurrently(
    server: &Server,
    client: &reqwest::Client,
    n: usize,
    headers: &[(&str, &str)],
    query: &str,
    variables: serde_json::Value,
) -> Vec<Answer> {
    let body = serde_json::json!({ "query": query, "variables": variables });
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let mut tasks = Vec::new();
    for _ in 0..n {
        let mut request = client.post(server.url("/graphql")).json(&body);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let response = request.send().await.expect("graphql request");
            let (status, headers) = (response.status(), response.headers().clone());
            Answer { status, headers, body: response.json().await.expect("graphql json") }
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("request task"));
    }
    out
}

/// A command that failed with exactly one line on stderr containing `needle`.
pub fn assert_one_line_failure(out: &std::process::Output, needle: &str) {
    assert!(!out.status.success(), "must fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {stderr}");
    assert!(lines[0].contains(needle), "{stderr}");
}
