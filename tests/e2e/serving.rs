//! How the server holds connections: a client that never finishes its request head is cut off, and
//! SIGTERM stops the server cleanly after the requests in flight.

use crate::harness::{Server, client};
use frontier_store::Backend;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let server = Server::start(Backend::Sqlite, &[]).expect("server");
    let addr = server.base.strip_prefix("http://").expect("http");
    let mut slow = tokio::net::TcpStream::connect(addr).await.expect("connect");
    slow.write_all(b"GET /q/K4PVHZ HTTP/1.1\r\nhost: x\r\n").await.expect("partial head");
    let started = Instant::now();
    let mut buf = [0u8; 512];
    // The server answers 408 or just closes; either way the connection ends within the limit.
    let read = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match slow.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await;
    assert!(read.is_ok(), "connection still open after 30 s");
    let held = started.elapsed();
    assert!(held >= Duration::from_secs(9) && held < Duration::from_secs(20), "cut off after {held:?}");
    // Meanwhile normal requests were served.
    let ok = client().get(server.url("/healthz")).send().await.expect("health");
    assert_eq!(ok.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_cleanly() {
    let mut server = Server::start(Backend::Sqlite, &[]).expect("server");
    let r = client().get(server.url("/q/K4PVHZ")).send().await.expect("scan");
    assert_eq!(r.status(), 302);
    // An idle keep-alive connection must not hold the shutdown up.
    let addr = server.base.strip_prefix("http://").expect("http").to_owned();
    let _idle = tokio::net::TcpStream::connect(&addr).await.expect("connect");
    let status = server.terminate(Duration::from_secs(10)).expect("exited within 10 s");
    assert!(status.success(), "{status:?}");
    let store = server.store().await;
    assert_eq!(store.scan_total().await.expect("total"), 1, "the scan before the signal is there");
}

/// A second server on a SQLite database that one already serves is refused before it listens: it
/// would read statistics without the first one's scans still in the scan inbox (for good, should the
/// first crash) and tell repeats from its own memory only. The first goes on serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_server_on_the_same_sqlite_database_is_refused() {
    let server = Server::start(Backend::Sqlite, &[]).expect("server");
    let data = tempfile::tempdir().expect("temp dir");
    let mut second = std::process::Command::new(crate::harness::BIN)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("FRONTIER_DATABASE_URL", &server.db.url)
        .env("FRONTIER_DATA_DIR", data.path())
        .env_remove("FRONTIER_JWT_SECRET")
        .env_remove("FRONTIER_ENV")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start a second server");
    let deadline = Instant::now() + Duration::from_secs(30);
    while second.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = second.kill();
            panic!("the second server is running");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let second = second.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success(), "the second server must not run");
    assert!(stderr.contains("second server"), "says why: {stderr}");
    assert!(!String::from_utf8_lossy(&second.stdout).contains("listening"), "it never listened");
    let scan = client().get(server.url("/q/K4PVHZ")).send().await.expect("scan");
    assert_eq!(scan.status(), 302, "the first server still answers");
}
