//! A scan's answer waits for the disk: the writer commits, the syncer syncs, and only then does the
//! caller (the phone's redirect) hear back. A stand-in sync that the test opens by hand shows it.

use crate::scan_sync::Durability;
use crate::testing::TestDatabase;
use crate::*;
use frontier_domain::{StatsZone, SystemClock};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// A sync that blocks until the test sends what it returns.
fn gated() -> (Durability, mpsc::Sender<std::io::Result<()>>) {
    let (open, gate) = mpsc::channel();
    let gate = Mutex::new(gate);
    let sync = move || gate.lock().map_err(|_| std::io::Error::other("gate poisoned"))?.recv().unwrap_or(Ok(()));
    (Durability::Custom(Box::new(sync)), open)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_is_answered_only_after_its_batch_is_synced() {
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    let (durability, open) = gated();
    let writer = ScanWriter::start_with(store.clone(), StatsZone::default(), Arc::new(SystemClock), durability);
    let w = writer.clone();
    let answer = tokio::spawn(async move { w.record(ScanRequest::link("ABCDEF")).await });
    // Committed (another connection sees the row) but not yet answered.
    let mut committed = 0;
    for _ in 0..100 {
        committed = store.scan_total().await.expect("total");
        if committed == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(committed, 1, "the writer commits without waiting for the sync");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!answer.is_finished(), "answered before the disk had the scan");
    let w = writer.clone();
    let flushed = tokio::spawn(async move { w.flush().await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!flushed.is_finished(), "a flush waits for the sync too");
    open.send(Ok(())).expect("gate");
    let scanned = answer.await.expect("join").expect("answered once synced");
    assert_eq!(scanned.event.scanned_text, "ABCDEF");
    // The flush may need the sync of its own (empty) turn; let every later sync through.
    let _ = open.send(Ok(()));
    tokio::time::timeout(Duration::from_secs(5), flushed).await.expect("flush answered").expect("join");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sync_answers_an_error_not_a_redirect() {
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    let (durability, open) = gated();
    let writer = ScanWriter::start_with(store.clone(), StatsZone::default(), Arc::new(SystemClock), durability);
    open.send(Err(std::io::Error::other("disk gone"))).expect("gate");
    let err = writer.record(ScanRequest::link("ABCDEF")).await.expect_err("not durable");
    assert!(err.to_string().contains("disk gone"), "{err}");
    // The next sync works again, and so does the next scan.
    open.send(Ok(())).expect("gate");
    writer.record(ScanRequest::link("ABCDEF")).await.expect("synced");
}
