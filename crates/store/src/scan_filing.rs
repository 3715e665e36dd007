//! Filing: the inbox's records (`scan_inbox.rs`) moved into `scans`, on a thread of its own beside
//! the scan writer, as many records a transaction as have come in since the last one. A burst is
//! thus filed in a few large transactions, each page of `scans` and its indexes written once for
//! many rows, and never on the writer's serial path.
//!
//! Readers of the scans wait until everything committed before they asked is filed
//! ([`Filing::settled`]): a scan that got its redirect is in the statistics read after it.

use crate::StoreError;
use crate::code_scans::LastScans;
use crate::db::{DatabaseUrl, DbConnection, write_transaction};
use crate::error::Result;
use crate::scan_inbox;
use crate::scan_rows::{IdTexts, Moment, NewScan, Shared, insert_new_rows, new_scan};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Records read at a time (each up to [`crate::MAX_BATCH`] scans).
const RECORDS_AT_ONCE: i64 = 1024;
/// Records waiting from which the thread files at once. Fewer wait for [`FILE_EVERY`] (or for a
/// reader): a transaction per record would write the same pages of `scans` over and over, as
/// many times as the writer commits.
const FILE_AT: i64 = 1024;
/// The longest a record waits to be filed when nobody asks for it.
const FILE_EVERY: Duration = Duration::from_millis(1000);
/// The longest a reader waits for filing before it is told the statistics are not ready.
const SETTLE_WAIT: Duration = Duration::from_secs(10);
/// What a reader that waited in vain is told: ask again in this many seconds.
const RETRY_AFTER: u64 = 5;
/// Filing tries at shutdown before the rest is left to the next start.
const LAST_TRIES: usize = 3;

/// What the writer, the filing thread and the readers share.
pub(crate) struct Filing {
    /// The newest record committed to the inbox.
    committed: AtomicI64,
    /// The newest record whose scans are in `scans`.
    filed: watch::Sender<i64>,
    /// Wakes the filing thread (one pending wake-up is enough: it files all there is).
    wake: mpsc::SyncSender<()>,
    /// The writer has stopped: file what is left and end.
    closing: AtomicBool,
    /// A reader waits: file now.
    asked: AtomicBool,
}

impl Filing {
    /// Record `seq` is committed.
    pub(crate) fn committed(&self, seq: i64) {
        self.committed.store(seq, Ordering::SeqCst);
        let _ = self.wake.try_send(());
    }

    /// The newest record filed.
    pub(crate) fn filed(&self) -> i64 {
        *self.filed.borrow()
    }

    /// Whether records are committed and not filed yet.
    pub(crate) fn behind(&self) -> bool {
        self.waiting() > 0
    }

    /// How many records are committed and not filed yet.
    fn waiting(&self) -> i64 {
        self.committed.load(Ordering::SeqCst) - self.filed()
    }

    /// Waits until every record committed before this call is filed.
    pub(crate) async fn settled(&self) -> Result<()> {
        self.settled_within(SETTLE_WAIT).await
    }

    async fn settled_within(&self, wait: Duration) -> Result<()> {
        let target = self.committed.load(Ordering::SeqCst);
        let mut filed = self.filed.subscribe();
        if *filed.borrow() >= target {
            return Ok(());
        }
        self.asked.store(true, Ordering::SeqCst);
        let _ = self.wake.try_send(());
        match tokio::time::timeout(wait, filed.wait_for(|f| *f >= target)).await {
            Ok(Ok(_)) => Ok(()),
            _ => Err(StoreError::NotReady {
                what: "the newest scans are not in the statistics yet".into(),
                retry_after: RETRY_AFTER,
            }),
        }
    }
}

/// The filing thread and its handle.
pub(crate) struct Filer {
    pub shared: Arc<Filing>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Filer {
    /// Files what an earlier run left in the inbox (its last commits before a crash, or records
    /// filed but not deleted yet), before anything new is recorded, then starts the thread. The
    /// inbox must exist (`scan_inbox::prepare`).
    pub(crate) fn start(main: &DatabaseUrl, inbox: &DatabaseUrl, last: i64) -> Result<Self> {
        let mut conns = Conns::open(main, inbox)?;
        let filed = file_all(&mut conns, 0, &|_| {})?;
        let (wake, wakes) = mpsc::sync_channel(1);
        let shared = Arc::new(Filing {
            committed: AtomicI64::new(last),
            filed: watch::Sender::new(filed.max(last)),
            wake,
            closing: AtomicBool::new(false),
            asked: AtomicBool::new(false),
        });
        let filing = shared.clone();
        let (main, inbox) = (main.clone(), inbox.clone());
        let thread = std::thread::Builder::new()
            .name("scan-filing".into())
            .spawn(move || run(&filing, &wakes, &main, &inbox, Some(conns)))
            .map_err(|e| StoreError::Task(format!("the scan filing thread could not start: {e}")))?;
        Ok(Self { shared, thread: Some(thread) })
    }

    /// Files everything committed, then ends the thread (the writer has stopped).
    pub(crate) fn finish(mut self) {
        self.shared.closing.store(true, Ordering::SeqCst);
        let _ = self.shared.wake.try_send(());
        if let Some(t) = self.thread.take()
            && t.join().is_err()
        {
            tracing::error!("the scan filing thread panicked; the next start files what is left");
        }
    }
}

/// The filing thread's two connections.
struct Conns {
    main: DbConnection,
    inbox: DbConnection,
}

impl Conns {
    fn open(main: &DatabaseUrl, inbox: &DatabaseUrl) -> Result<Self> {
        let connect = |url: &DatabaseUrl| url.connect().map_err(|e| StoreError::Task(format!("scan filing: {e}")));
        let mut main = connect(main)?;
        // A transaction of many rows keeps a statement journal: in memory, not a temporary file.
        // A larger page cache keeps the ends of `scans` and its indexes in memory between filings;
        // the WAL, which holds a filing transaction (~30 MB at most), is cut back to 64 MiB.
        diesel::connection::SimpleConnection::batch_execute(
            &mut main,
            "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384; PRAGMA journal_size_limit = 67108864;",
        )?;
        Ok(Self { main, inbox: connect(inbox)? })
    }
}

fn run(filing: &Filing, wakes: &mpsc::Receiver<()>, main: &DatabaseUrl, inbox: &DatabaseUrl, mut conns: Option<Conns>) {
    let mut last_tries = 0;
    let mut last_filed = Instant::now();
    loop {
        if filing.behind() {
            // Records wait: at the latest when the oldest has waited long enough.
            let _ = wakes.recv_timeout(FILE_EVERY.saturating_sub(last_filed.elapsed()).max(Duration::from_millis(1)));
        } else if wakes.recv().is_err() {
            // The handle is gone with its writer (which files what is left before that).
            return;
        }
        let closing = filing.closing.load(Ordering::SeqCst);
        let due = closing
            || filing.asked.swap(false, Ordering::SeqCst)
            || filing.waiting() >= FILE_AT
            || last_filed.elapsed() >= FILE_EVERY;
        if due && filing.behind() {
            last_filed = Instant::now();
            let publish = |seq: i64| {
                filing.filed.send_replace(seq);
            };
            let filed = match conns.as_mut() {
                Some(c) => file_all(c, filing.filed(), &publish),
                None => Conns::open(main, inbox).and_then(|c| file_all(conns.insert(c), filing.filed(), &publish)),
            };
            if let Err(e) = filed {
                // Nothing is lost: the records stay in the inbox until filed.
                tracing::warn!(error = %e, "filing scans failed; trying again");
                conns = None;
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        if closing {
            last_tries += 1;
            if !filing.behind() || last_tries >= LAST_TRIES {
                return;
            }
        }
    }
}

/// Files every record after `filed`, a transaction for each [`RECORDS_AT_ONCE`] records, telling
/// `publish` after each commit. Returns the newest record filed.
fn file_all(conns: &mut Conns, mut filed: i64, publish: &dyn Fn(i64)) -> Result<i64> {
    loop {
        let records = scan_inbox::after(&mut conns.inbox, filed, RECORDS_AT_ONCE)?;
        let Some(newest) = records.last().map(|(seq, _)| *seq) else { return Ok(filed) };
        let mut entries = Vec::new();
        for (seq, record) in &records {
            let unpacked = scan_inbox::unpack(record).map_err(|e| {
                tracing::error!(error = %e, record = seq, "a scan inbox record cannot be read; filing stops before it");
                e
            })?;
            entries.extend(unpacked);
        }
        write_transaction(&mut conns.main, |c| {
            // A batch's scans share their moment and day, a code's scans their ids: each is written
            // out once a transaction.
            let (mut moments, mut ids) = (HashMap::new(), HashMap::new());
            let rows: Vec<NewScan> = entries
                .iter()
                .map(|(e, client_id)| {
                    let (at, day) = moments
                        .entry(e.occurred_at)
                        .or_insert_with(|| (Moment::of(e.occurred_at), Shared::of(e.local_day.to_string())));
                    let ids = ids
                        .entry((e.qr_code_id, e.place_id, e.unit_id, e.target))
                        .or_insert_with(|| IdTexts::of_event(e));
                    new_scan(e, ids, at, day, *client_id)
                })
                .collect();
            // Rows filed before (a record filed, then a crash before it was deleted) are skipped.
            insert_new_rows(c, &rows)?;
            LastScans::of_events(entries.iter().map(|(e, _)| e)).store(c)
        })?;
        filed = newest;
        publish(filed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that waits longer than the filing takes is told to come back, not given an
    /// internal error; one that asks when everything is filed goes on at once.
    #[tokio::test]
    async fn a_reader_that_waits_in_vain_is_told_when_to_ask_again() {
        let (wake, _wakes) = mpsc::sync_channel(1);
        let filing = Filing {
            committed: AtomicI64::new(7),
            filed: watch::Sender::new(5),
            wake,
            closing: AtomicBool::new(false),
            asked: AtomicBool::new(false),
        };
        match filing.settled_within(Duration::from_millis(50)).await {
            Err(StoreError::NotReady { retry_after, .. }) => assert_eq!(retry_after, 5),
            other => panic!("expected NotReady, got {other:?}"),
        }
        assert!(filing.asked.load(Ordering::SeqCst), "the filing thread was asked to file now");
        filing.filed.send_replace(7);
        filing.settled_within(Duration::from_millis(50)).await.expect("settled once filed");
    }
}
