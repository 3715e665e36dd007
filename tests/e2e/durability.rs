//! A scan that got its redirect is never lost: not when the server is stopped (SIGTERM drains the
//! scans in flight), not when it is killed under load (`kill -9`). The clients count the 302s they
//! received; the database, read after the stop, must hold at least that many scans.

use crate::harness::{Server, client, e2e};
use crate::scans::PHONE;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Demo codes that open their target.
const CODES: [&str; 3] = ["K4PVHZ", "XM2TCW", "3N2KJ4"];

/// Clients scanning as fast as they can until the server stops answering; returns the count of 302s
/// they received (and a flag that stops them).
fn load(server: &Server, clients: usize) -> (Arc<AtomicU64>, Arc<AtomicBool>, Vec<tokio::task::JoinHandle<()>>) {
    let received = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let tasks = (0..clients)
        .map(|i| {
            let (received, stop) = (received.clone(), stop.clone());
            let url = server.url(&format!("/q/{}", CODES[i % CODES.len()]));
            tokio::spawn(async move {
                let http = client();
                while !stop.load(Ordering::Relaxed) {
                    match http.get(&url).header("user-agent", PHONE).send().await {
                        Ok(r) if r.status() == 302 => {
                            received.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(r) => panic!("a scan answered {}", r.status()),
                        // The server is gone: this client is done.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    (received, stop, tasks)
}

async fn wait(tasks: Vec<tokio::task::JoinHandle<()>>) {
    for t in tasks {
        t.await.expect("client task");
    }
}

e2e!(sigterm_drains_every_redirected_scan, |server| {
    let mut server = server;
    let (received, stop, tasks) = load(&server, 16);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = received.load(Ordering::SeqCst);
    assert!(before > 50, "the load ran ({before} scans)");
    let status = tokio::task::block_in_place(|| server.terminate(Duration::from_secs(30))).expect("exited in 30 s");
    assert!(status.success(), "clean exit: {status:?}");
    stop.store(true, Ordering::Relaxed);
    wait(tasks).await;
    let got = received.load(Ordering::SeqCst);
    let rows = server.store().await.scan_total().await.expect("count");
    // Graceful: every request the server took was answered, so the counts agree exactly.
    assert_eq!(rows as u64, got, "scans stored vs 302s received");
});

e2e!(kill_9_under_load_loses_no_redirected_scan, |server| {
    let mut server = server;
    let (received, stop, tasks) = load(&server, 16);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.crash();
    stop.store(true, Ordering::Relaxed);
    wait(tasks).await;
    let got = received.load(Ordering::SeqCst);
    assert!(got > 50, "the load ran ({got} scans)");
    // The next start reads what the killed process committed (SQLite replays its WAL).
    server.restart(&[]);
    let rows = server.store().await.scan_total().await.expect("count");
    // A scan may be committed and its answer lost with the process, never the other way round.
    assert!(rows as u64 >= got, "{rows} scans stored, {got} redirects received");
    assert!(rows as u64 <= got + 16, "at most one unanswered scan per client: {rows} vs {got}");
});
