//! The scan inbox (SQLite): a crowd's scans are committed there first and filed into `scans` by a
//! thread of their own. What must hold: an answer waits for the inbox commit, readers wait for the
//! filing, a crash's leftovers are filed at the next start and never twice, and an app's retried
//! call finds a first one that is not filed yet.

use super::*;
use crate::scan_wal::Wal;
use crate::scan_writer::connect_inbox;
use crate::testing::TestDatabase;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

fn inbox_of(store: &Store) -> Wal {
    scan_inbox::url_of(&store.url).as_ref().and_then(Wal::of).expect("a SQLite file has a scan inbox")
}

/// A writer that sends every batch to the inbox, however small.
fn crowd_writer(store: &Store) -> ScanWriter {
    ScanWriter::start_with(store.clone(), StatsZone::default(), Arc::new(SystemClock), Some(inbox_of(store)), 0.0)
}

/// A store with one unit, place and code (`BX7K2M`); returns the code's id.
async fn with_code(store: &Store) -> QrCodeId {
    let (_, a, ..) = unit_tree(store).await;
    let house = place(store, "house-1", a.id, PlaceKind::CulturalHouse).await;
    let code = QrCodeValue::parse("BX7K2M").expect("code");
    let new = NewQrCode { code, place: house.id, target: QrTarget::Place(house.id), active: true, expires_at: None };
    store.save_qr_code(new).await.expect("code").id
}

fn phone(n: u8) -> ScanRequest {
    let visitor = VisitorKey::parse(&format!("{n:032x}"));
    ScanRequest { device: DeviceClass::Android, visitor, ..ScanRequest::link("BX7K2M") }
}

fn app(id: ScanId) -> ScanRequest {
    ScanRequest { client_id: Some(id), source: ScanSource::App, ..phone(200) }
}

/// Records in the inbox, filed or not.
fn inbox_records(store: &Store) -> i64 {
    let wal = inbox_of(store);
    let mut conn = connect_inbox(&wal.url, wal.limit).expect("inbox");
    scan_inbox::after(&mut conn, 0, i64::MAX).expect("records").len() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answered_scan_of_a_crowd_is_filed_once_and_retried_app_calls_count_once() {
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    with_code(&store).await;
    let writer = crowd_writer(&store);
    let phones: Vec<_> = (0..8u8)
        .map(|n| {
            let w = writer.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for _ in 0..50 {
                    ids.push(w.record(phone(n)).await.expect("scan").event.id);
                }
                ids
            })
        })
        .collect();
    // An app's call, and its retry straight after (its first recording is likely not filed yet).
    let chosen = ScanId::generate();
    let first = writer.record(app(chosen)).await.expect("app scan");
    let again = writer.record(app(chosen)).await.expect("retried app scan");
    assert!(!first.duplicate && again.duplicate, "the retry is the first call's scan");
    assert_eq!(again.event.id, first.event.id);
    let mut answered: HashSet<ScanId> = HashSet::from([first.event.id]);
    for p in phones {
        answered.extend(p.await.expect("phone"));
    }
    assert_eq!(answered.len(), 401);
    // No flush: reading waits for the filing by itself.
    let stored: HashSet<ScanId> =
        store.scans_of("BX7K2M".into()).await.expect("scans").into_iter().map(|e| e.id).collect();
    assert_eq!(stored, answered, "the scans filed are the scans answered");
    assert_eq!(store.scan_total().await.expect("total"), 401);
    // A retry once it is filed is found in `scans`.
    assert!(writer.record(app(chosen)).await.expect("late retry").duplicate);
    assert_eq!(store.scan_total().await.expect("total"), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_is_answered_only_after_its_inbox_record_is_committed() {
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    let writer = crowd_writer(&store);
    let wal = inbox_of(&store);
    let mut blocker = connect_inbox(&wal.url, wal.limit).expect("inbox");
    blocker.batch_execute("BEGIN IMMEDIATE;").expect("the inbox's write lock");
    let w = writer.clone();
    let answer = tokio::spawn(async move { w.record(ScanRequest::link("ABCDEF")).await });
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(!answer.is_finished(), "answered before the scan was committed");
    blocker.batch_execute("COMMIT;").expect("release");
    let scanned = answer.await.expect("join").expect("answered once committed");
    assert_eq!(scanned.event.scanned_text, "ABCDEF");
    assert_eq!(store.scan_total().await.expect("total"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_of_the_scans_wait_until_what_was_answered_is_filed() {
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    let writer = crowd_writer(&store);
    // The main database's write lock is held: the scan reaches the inbox, not `scans`.
    let mut blocker = store.url.connect().expect("connection");
    blocker.batch_execute("BEGIN IMMEDIATE;").expect("write lock");
    writer.record(ScanRequest::link("ABCDEF")).await.expect("answered from the inbox");
    let s = store.clone();
    let total = tokio::spawn(async move { s.scan_total().await });
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(!total.is_finished(), "a reader was given the scans without the one just answered");
    blocker.batch_execute("COMMIT;").expect("release");
    assert_eq!(total.await.expect("join").expect("total"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_crash_left_in_the_inbox_is_filed_at_the_next_start_and_only_once() {
    let db = TestDatabase::sqlite();
    let store = db.store().await;
    let code = with_code(&store).await;
    // A scan recorded by an earlier run, whose record was filed before the crash but not deleted.
    let done = store.record_scans(vec![phone(1)], StatsZone::default()).await.expect("scan");
    let first = done[0].event.clone();
    // Two more in a record the crash left unfiled, one of them an app's.
    let later: Vec<ScanEvent> = (1..=2)
        .map(|n| ScanEvent {
            id: ScanId::generate(),
            occurred_at: first.occurred_at + chrono::Duration::seconds(n),
            ..first.clone()
        })
        .collect();
    let client = ScanId::generate();
    let wal = inbox_of(&store);
    {
        let mut conn = connect_inbox(&wal.url, wal.limit).expect("inbox");
        scan_inbox::prepare(&mut conn).expect("inbox table");
        let filed = scan_inbox::pack([(&first, None)].into_iter()).expect("pack");
        scan_inbox::append(&mut conn, 1, &filed).expect("record 1");
        let unfiled = scan_inbox::pack([(&later[0], None), (&later[1], Some(client))].into_iter()).expect("pack");
        scan_inbox::append(&mut conn, 2, &unfiled).expect("record 2");
    }
    {
        let writer = ScanWriter::start(store.clone(), StatsZone::default(), Arc::new(SystemClock));
        // Filed once start returns: no writer call, no reader waiting.
        let db::DbConnection::Sqlite(mut main) = store.url.connect().expect("main") else { unreachable!("SQLite") };
        let rows: i64 = crate::schema::scans::table.count().get_result(&mut main).expect("rows");
        assert_eq!(rows, 3, "the first scan once, the two unfiled ones");
        assert_eq!(inbox_records(&store), 0, "the filed records are deleted");
        // The app scan in record 2 is found by its id.
        let retried = writer.record(app(client)).await.expect("retry");
        assert!(retried.duplicate);
        assert_eq!(retried.event.id, later[1].id);
        // The code's last human scan is the latest filed one.
        let last: chrono::NaiveDateTime = crate::schema::code_scans::table
            .filter(crate::schema::code_scans::qr_code_id.eq(code.to_string()))
            .select(crate::schema::code_scans::last_human_at)
            .first(&mut main)
            .expect("code_scans");
        assert_eq!(crate::convert::from_db(last), later[1].occurred_at);
    }
}

/// A second server on the same database (started by mistake beside the first) must not share the
/// first's inbox: it would number records on its own and could delete some the first has not filed.
/// It stores its scans straight into `scans`, and nothing either answered is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_writer_on_the_same_database_stores_directly() {
    let db = TestDatabase::sqlite();
    let first_store = db.store().await;
    with_code(&first_store).await;
    let first = crowd_writer(&first_store);
    let second_store = db.store().await;
    // The server's writer is refused outright (tests/e2e/serving.rs); this one stores directly.
    let refused = ScanWriter::start_alone(second_store.clone(), StatsZone::default(), Arc::new(SystemClock));
    assert!(matches!(refused, Err(StoreError::Conflict(_))), "a second server's writer is refused");
    let second = crowd_writer(&second_store);
    for n in 0..20u8 {
        first.record(phone(n)).await.expect("first writer");
        second.record(phone(100 + n)).await.expect("second writer");
    }
    // The first's scans went to the inbox; the second's did not.
    let mut conn = first_store.url.connect().expect("connection");
    let direct: i64 = crate::schema::scans::table.count().get_result(&mut conn).expect("count");
    // (Fewer than 32 records filed: none deleted yet.)
    assert!(inbox_records(&first_store) >= 1, "the first writer uses the inbox");
    let filed = first_store.scan_total().await.expect("total");
    assert_eq!(filed, 40, "every answered scan is stored");
    assert!(direct >= 20, "the second writer's 20 were in `scans` without filing ({direct})");
    // Its claim ends with the writer (and with the process, however that ends).
    drop(first);
    let mut lock = inbox_of(&first_store).db.into_os_string();
    lock.push(".lock");
    let lock = std::fs::File::options().write(true).open(&lock).expect("lock file");
    let mut waited = 0;
    while lock.try_lock().is_err() {
        assert!(waited < 100, "the stopped writer still holds the inbox");
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
    }
}
