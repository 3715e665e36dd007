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
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("server.log");
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--demo", "--bind", "127.0.0.1:0"])
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
        Some(Self { base: format!("http://{addr}"), db, child, _dir: dir })
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
    cmd.args(args).env_remove("FRONTIER_PUBLIC_BASE_URL").env_remove("FRONTIER_FRONTEND_URL");
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
