//! A scan's answer waits for its commit, and the commit for the disk: the writer's connection keeps
//! `synchronous = FULL`, so SQLite syncs the WAL before a commit returns. (That a redirected scan
//! survives `kill -9` is tested end to end, tests/e2e/durability.rs.)

use crate::scan_wal::Wal;
use crate::testing::TestDatabase;
use crate::*;
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use frontier_domain::{StatsZone, SystemClock};
use std::sync::Arc;
use std::time::Duration;

/// A pragma's value on a SQLite connection: `PRAGMA name` answers one column named after it.
macro_rules! pragma {
    ($conn:expr, $name:ident) => {{
        #[derive(diesel::QueryableByName)]
        struct Value {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            $name: i64,
        }
        let db::DbConnection::Sqlite(c) = $conn else { panic!("a SQLite connection") };
        let sql = concat!("PRAGMA ", stringify!($name));
        diesel::sql_query(sql).get_result::<Value>(c).expect(sql).$name
    }};
}

/// The scan inbox of a store's SQLite database.
fn inbox_of(store: &Store) -> Wal {
    scan_inbox::url_of(&store.url).as_ref().and_then(Wal::of).expect("a SQLite file has a scan inbox")
}

#[tokio::test]
async fn the_writer_commits_through_to_the_disk_and_leaves_checkpoints_to_their_thread() {
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    let wal = inbox_of(&store);
    let mut conn = scan_writer::connect_inbox(&wal.url, wal.limit).expect("writer connection");
    // 2 = FULL: the WAL is synced at every commit (NORMAL, 1, would sync only at checkpoints).
    assert_eq!(pragma!(&mut conn, synchronous), 2);
    assert_eq!(pragma!(&mut conn, wal_autocheckpoint), 0);
    assert_eq!(pragma!(&mut conn, journal_size_limit), 8 << 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_is_answered_only_after_its_batch_is_committed() {
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    let writer = ScanWriter::start(store.clone(), StatsZone::default(), Arc::new(SystemClock));
    // Another connection holds the write lock: the writer's transaction cannot commit yet (it
    // waits, within the busy timeout of 5 s).
    let mut blocker = store.url.connect().expect("connection");
    blocker.batch_execute("BEGIN IMMEDIATE;").expect("write lock");
    let w = writer.clone();
    let answer = tokio::spawn(async move { w.record(ScanRequest::link("ABCDEF")).await });
    // The flush goes in once the scan is queued (a flush sent before it has nothing to wait for).
    tokio::time::sleep(Duration::from_millis(100)).await;
    let w = writer.clone();
    let flushed = tokio::spawn(async move { w.flush().await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!answer.is_finished(), "answered before the scan was committed");
    assert!(!flushed.is_finished(), "a flush waits for the commit too");
    assert_eq!(store.scan_total().await.expect("total"), 0);
    blocker.batch_execute("COMMIT;").expect("release");
    let scanned = answer.await.expect("join").expect("answered once committed");
    assert_eq!(scanned.event.scanned_text, "ABCDEF");
    tokio::time::timeout(Duration::from_secs(5), flushed).await.expect("flush answered").expect("join");
    assert_eq!(store.scan_total().await.expect("total"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_stays_near_its_limit_under_a_steady_stream_of_scans() {
    // Passive checkpoints alone never catch the end of a WAL that is written all the time, and
    // SQLite starts it over only once one has: without the restart the file grows with every scan.
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    let mut config = inbox_of(&store);
    config.limit = 256 << 10;
    let wal = config.file();
    let writer = ScanWriter::start_with(store.clone(), StatsZone::default(), Arc::new(SystemClock), Some(config), 4.0);
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
