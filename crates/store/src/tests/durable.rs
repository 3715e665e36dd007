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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_stays_near_its_limit_under_a_steady_stream_of_scans() {
    // Passive checkpoints alone never catch the end of a WAL that is written all the time, and
    // SQLite starts it over only once one has: without the restart the file grows with every scan.
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    let path = std::path::PathBuf::from(db.url.strip_prefix("sqlite://").expect("a SQLite URL"));
    let wal = std::path::PathBuf::from(format!("{}-wal", path.display()));
    let limit = 256 << 10;
    let durability = Durability::Wal { db: path, url: store.url.clone(), wal_limit: limit };
    let writer = ScanWriter::start_with(store.clone(), StatsZone::default(), Arc::new(SystemClock), durability);
    // 32 phones scanning without a pause: 12,800 scans.
    let phones: Vec<_> = (0..32)
        .map(|_| {
            let w = writer.clone();
            tokio::spawn(async move {
                for _ in 0..400 {
                    w.record(ScanRequest::link("ABCDEF")).await.expect("scan");
                }
            })
        })
        .collect();
    let mut largest = 0;
    while phones.iter().any(|p| !p.is_finished()) {
        largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for p in phones {
        p.await.expect("phone");
    }
    assert_eq!(store.scan_total().await.expect("total"), 12_800);
    // What the migrations left (about 0.5 MB), or the limit and a batch or two; a checkpoint that
    // stopped short waits 100 ms (at most 2 MB here). Without the writer's checkpoints the file
    // ends at about 28 MB.
    assert!(largest < 4 << 20, "the WAL grew to {largest} bytes");
}
