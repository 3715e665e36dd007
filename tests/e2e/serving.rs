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
