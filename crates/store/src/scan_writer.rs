//! One writer for every scan. Requests queue here; a thread takes whatever has queued (up to
//! [`MAX_BATCH`]) and records it in one transaction, so a busy minute costs a few commits instead of
//! one per phone (group commit). Each caller's answer is sent only after the transaction holding its
//! scan has committed, and a commit returns only once the disk has it (`synchronous = FULL` on
//! SQLite, `scan_wal.rs`; PostgreSQL's own): a redirect is never sent for a scan that could still
//! be lost.
//!
//! Where it commits: a post's everyday traffic (batches of a scan or two) goes straight into
//! `scans`. A crowd's batches on SQLite go to the scan inbox, one packed record a batch, and a
//! thread of their own files them into `scans` (`scan_inbox.rs`, `scan_filing.rs`).

use crate::code_scans::{self, LastScans};
use crate::db::{DbConnection, write_transaction};
use crate::repeats::RecentScans;
use crate::scan_filing::{Filer, Filing};
use crate::scan_wal::{Checkpoints, Wal};
use crate::scans::{Decided, Resolutions, ScanRequest, Scanned, Unfiled, decide_batch, note_committed, record_batch};
use crate::{Result, Store, StoreError, scan_inbox};
use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use frontier_domain::{Clock, ScanEvent, StatsZone};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, oneshot};

/// The most scans one transaction takes. A burst larger than this is several transactions in a row.
pub const MAX_BATCH: usize = 512;
/// Scans waiting for the writer beyond this are refused (the phone sees "try again").
const QUEUE: usize = 16 * MAX_BATCH;
/// The least time between two of the writer's own checkpoints.
const RECHECKPOINT: std::time::Duration = std::time::Duration::from_millis(100);
/// The least time between two looks at the WAL's size. A look is not free: on a file system with
/// fine-grained timestamps (ext4 since Linux 6.13), a file whose times were read gets a new
/// modification time at its next write, so a look after every batch made every commit's sync write
/// the WAL's inode as well. Under load the WAL grows by well under a megabyte meanwhile.
const WAL_LOOK: std::time::Duration = std::time::Duration::from_millis(10);
/// Where a scan's answer goes.
type Reply = oneshot::Sender<Result<Scanned>>;
/// Recorded scans kept for slow live-feed subscribers before they start missing some.
const FEED: usize = 1024;
/// While batches hold fewer scans than this on average, each writes its codes' last-scan moments
/// (`code_scans.rs`) and its rows straight into `scans`; a crowd of phones makes them larger, and
/// then they go to the scan inbox (where there is one).
const BUSY_BATCH: f32 = 4.0;
/// Filed inbox records are deleted once this many have been filed (with the next record).
const DELETE_FILED: i64 = 32;

enum Job {
    Scan(ScanRequest, Reply),
    /// Answered once everything queued before it is committed.
    Flush(oneshot::Sender<()>),
    /// A second has passed: last-scan moments held back under load are written now.
    Tick,
}

/// The handle request handlers hold. Cheap to clone; the writer stops when the last clone is dropped.
#[derive(Clone)]
pub struct ScanWriter {
    jobs: mpsc::Sender<Job>,
    feed: broadcast::Sender<ScanEvent>,
    /// The filing of the scan inbox, when there is one.
    filing: Option<Arc<Filing>>,
}

impl ScanWriter {
    /// Starts the writer thread. Scans are dated by `clock` and counted in `zone`'s days. On SQLite
    /// it first files what the last run left in the scan inbox (so returns once that is in `scans`).
    /// When another process holds the database's scan inbox, this writer stores its scans directly.
    pub fn start(store: Store, zone: StatsZone, clock: Arc<dyn Clock>) -> Self {
        let wal = scan_inbox::url_of(&store.url).as_ref().and_then(Wal::of);
        Self::start_with(store, zone, clock, wal, BUSY_BATCH)
    }

    /// The server's writer: as [`ScanWriter::start`], but refused (`StoreError::Conflict`) when
    /// another process holds the database's scan inbox. Two servers on one SQLite database would
    /// each read statistics without the scans the other has not filed yet (for good, should the
    /// other crash), and tell repeats only from their own memory.
    pub fn start_alone(store: Store, zone: StatsZone, clock: Arc<dyn Clock>) -> Result<Self> {
        let wal = scan_inbox::url_of(&store.url).as_ref().and_then(Wal::of);
        let opened = open_inbox(&store, wal, true)?;
        Ok(Self::launch(store, zone, clock, opened, BUSY_BATCH))
    }

    /// With `inbox`, the scan inbox's database and the size its WAL is kept to; batches of `busy`
    /// scans on average go there (0: all of them).
    pub(crate) fn start_with(
        store: Store,
        zone: StatsZone,
        clock: Arc<dyn Clock>,
        inbox: Option<Wal>,
        busy: f32,
    ) -> Self {
        let opened = open_inbox(&store, inbox, false).unwrap_or_default();
        Self::launch(store, zone, clock, opened, busy)
    }

    fn launch(store: Store, zone: StatsZone, clock: Arc<dyn Clock>, inbox: Option<Inbox>, busy: f32) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let (feed, _) = broadcast::channel(FEED);
        let filing = inbox.as_ref().map(|i: &Inbox| i.filer.shared.clone());
        store.set_filing(filing.clone());
        let writer = Writer {
            store,
            zone,
            clock,
            checkpoints: inbox.as_ref().map(|i| Checkpoints::start(&i.wal)),
            inbox,
            busy,
            unfiled: Unfiled::new(),
            stopped_short: None,
            wal_looked: std::time::Instant::now(),
            feed: feed.clone(),
            known: Resolutions::default(),
            recent: RecentScans::default(),
            last_scans: LastScans::default(),
            last_written: std::time::Instant::now(),
            batch_size: 1.0,
            conn: None,
        };
        std::thread::Builder::new()
            .name("scan-writer".into())
            .spawn(move || writer.run(queue))
            .map(|_| ())
            .unwrap_or_else(|e| tracing::error!(error = %e, "the scan writer could not start"));
        tick(jobs.downgrade());
        Self { jobs, feed, filing }
    }

    /// Records one scan; answers once it is committed.
    pub async fn record(&self, request: ScanRequest) -> Result<Scanned> {
        let (reply, answer) = oneshot::channel();
        self.jobs.try_send(Job::Scan(request, reply)).map_err(|e| StoreError::Task(format!("scan queue: {e}")))?;
        answer.await.map_err(|_| StoreError::Task("the scan writer stopped".into()))?
    }

    /// Waits until every scan queued so far is committed and in `scans` (for a clean shutdown).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.jobs.send(Job::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
        if let Some(f) = &self.filing
            && let Err(e) = f.settled().await
        {
            // Committed to the inbox all the same: the next start files them.
            tracing::warn!(error = %e, "scans still in the inbox");
        }
    }

    /// Every scan committed from now on (the live feed of the command's wall dashboard).
    pub fn subscribe(&self) -> broadcast::Receiver<ScanEvent> {
        self.feed.subscribe()
    }
}

struct Writer {
    store: Store,
    zone: StatsZone,
    clock: Arc<dyn Clock>,
    /// The scan inbox (SQLite), whose WAL the writer keeps short.
    inbox: Option<Inbox>,
    /// The average batch from which batches go to the inbox.
    busy: f32,
    /// App scans in the inbox, maybe not filed yet (a retried call must find them).
    unfiled: Unfiled,
    /// The checkpoint thread, told how many scans each batch committed.
    checkpoints: Option<Checkpoints>,
    /// When a checkpoint of the writer's last stopped short (a reader holding an old snapshot can
    /// keep the WAL full; the writer then tries again only now and then, not after every batch).
    stopped_short: Option<std::time::Instant>,
    /// When the writer last looked at the WAL's size.
    wal_looked: std::time::Instant,
    /// The live feed, told of every scan once committed.
    feed: broadcast::Sender<ScanEvent>,
    /// Code resolutions reused between batches.
    known: Resolutions,
    /// The repeat window: the last committed scan of each (visitor, code).
    recent: RecentScans,
    /// People's last scans of each code not written to `code_scans` yet (only under load).
    last_scans: LastScans,
    /// When `last_scans` was last written.
    last_written: std::time::Instant,
    /// The recent batches' size, on average (each batch weighs a quarter).
    batch_size: f32,
    /// The writer's own connection (opened on first use, and again after a failed batch).
    conn: Option<DbConnection>,
}

/// The writer's side of the scan inbox.
struct Inbox {
    /// Its database and the size its WAL is kept to.
    wal: Wal,
    conn: Option<DbConnection>,
    /// The number of the next record.
    next: i64,
    /// Records up to this one are deleted.
    deleted: i64,
    filer: Filer,
    /// This process's claim on the inbox, held while the writer runs (`claim`).
    _claim: std::fs::File,
}

impl Inbox {
    /// Opens the inbox and files what it holds (a crash's last commits, filed records not deleted).
    fn open(store: &Store, wal: Wal) -> Result<Self> {
        let claim = claim(&wal.db)?;
        let mut conn = connect_inbox(&wal.url, wal.limit)?;
        scan_inbox::prepare(&mut conn)?;
        let last = scan_inbox::last_seq(&mut conn)?;
        let filer = Filer::start(&store.url, &wal.url, last)?;
        scan_inbox::delete_through(&mut conn, last)?;
        Ok(Self { wal, conn: Some(conn), next: last + 1, deleted: last, filer, _claim: claim })
    }

    fn opened(&mut self) -> Result<&mut DbConnection> {
        if self.conn.is_none() {
            self.conn = Some(connect_inbox(&self.wal.url, self.wal.limit)?);
        }
        opened(&mut self.conn)
    }
}

/// Opens the inbox of `wal` (none on PostgreSQL). An inbox that cannot be used leaves the writer
/// storing scans straight into `scans` (what the inbox holds waits for a start that can file it);
/// with `alone`, one held by another process is an error instead.
fn open_inbox(store: &Store, wal: Option<Wal>, alone: bool) -> Result<Option<Inbox>> {
    let Some(wal) = wal else { return Ok(None) };
    match Inbox::open(store, wal) {
        Ok(inbox) => Ok(Some(inbox)),
        Err(e @ StoreError::Conflict(_)) if alone => Err(e),
        Err(e) => {
            tracing::error!(error = %e, "the scan inbox cannot be used; scans are stored directly");
            Ok(None)
        }
    }
}

/// Claims the inbox at `inbox` for this process: a lock on `<inbox>.lock`, released when the file
/// is dropped or the process ends, however it ends. Record numbers and deletions are the writer's own,
/// so a second server on the same database (started by mistake beside the first) must not share the
/// inbox: it could delete records the first has not filed. It stores its scans directly instead.
fn claim(inbox: &std::path::Path) -> Result<std::fs::File> {
    let mut path = inbox.as_os_str().to_owned();
    path.push(".lock");
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| StoreError::Task(format!("the scan inbox lock {}: {e}", path.to_string_lossy())))?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Conflict(format!(
            "another process holds the scan inbox of this database ({}): is a second server running on it? \
             A SQLite database serves one server; several servers share a PostgreSQL database",
            path.to_string_lossy()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(StoreError::Task(format!("the scan inbox lock: {e}"))),
    }
}

/// The writer's connection, once `open_if_closed` has opened it (a field, not `self`: the callers
/// borrow other fields of the writer alongside).
fn opened(conn: &mut Option<DbConnection>) -> Result<&mut DbConnection> {
    conn.as_mut().ok_or_else(|| StoreError::Task("no scan writer connection".into()))
}

/// Sends the writer a tick every [`code_scans::DEFERRED`] for as long as it runs (a weak sender
/// does not keep it running).
fn tick(jobs: mpsc::WeakSender<Job>) {
    let ticker = move || {
        while let Some(jobs) = jobs.upgrade() {
            // A full queue means a busy writer, which writes what it holds back on its own.
            let _ = jobs.try_send(Job::Tick);
            drop(jobs);
            std::thread::sleep(code_scans::DEFERRED);
        }
    };
    if let Err(e) = std::thread::Builder::new().name("scan-ticker".into()).spawn(ticker) {
        // Held-back moments are then written with the next batch, a flush or at shutdown.
        tracing::warn!(error = %e, "the scan ticker could not start");
    }
}

impl Writer {
    fn run(mut self, mut queue: mpsc::Receiver<Job>) {
        self.repair_last_scans();
        while let Some(first) = queue.blocking_recv() {
            let mut scans = Vec::new();
            let mut flushes = Vec::new();
            let mut ticked = false;
            let mut next = Some(first);
            while let Some(job) = next.take() {
                match job {
                    Job::Scan(request, reply) => scans.push((request, reply)),
                    Job::Flush(done) => flushes.push(done),
                    Job::Tick => ticked = true,
                }
                if scans.len() < MAX_BATCH {
                    next = queue.try_recv().ok();
                }
            }
            if !scans.is_empty() {
                self.batch_size = 0.75 * self.batch_size + 0.25 * scans.len() as f32;
            }
            let write_last = ticked
                || !flushes.is_empty()
                || self.batch_size < BUSY_BATCH
                || self.last_written.elapsed() >= code_scans::DEFERRED;
            let answers = if scans.is_empty() {
                if write_last {
                    self.write_last_scans();
                }
                Vec::new()
            } else {
                self.write(scans, write_last)
            };
            self.answer(answers);
            // Everything queued before a flush is committed now.
            for done in flushes {
                let _ = done.send(());
            }
            self.keep_wal_bounded();
        }
        // Shutting down: nothing held back is left unwritten, everything in the inbox is filed.
        self.write_last_scans();
        if let Some(inbox) = self.inbox.take() {
            inbox.filer.finish();
        }
    }

    /// Sends each caller its answer (a caller that gave up is no error) and the live feed what was
    /// recorded.
    fn answer(&mut self, answers: Vec<(Reply, Result<Scanned>)>) {
        let mut committed = 0;
        for (reply, answer) in answers {
            if let Ok(scanned) = &answer {
                committed += usize::from(!scanned.duplicate);
                // No subscriber is not an error, and then nothing is cloned.
                if !scanned.duplicate && self.feed.receiver_count() > 0 {
                    let _ = self.feed.send(scanned.event.clone());
                }
            }
            let _ = reply.send(answer);
        }
        if let Some(c) = self.checkpoints.as_mut() {
            c.after(committed);
        }
    }

    /// What the last run held back when it stopped, should that have been a crash.
    fn repair_last_scans(&mut self) {
        let repaired = self.open_if_closed().and_then(|()| code_scans::repair(opened(&mut self.conn)?));
        if let Err(e) = repaired {
            tracing::warn!(error = %e, "the last scans of each code could not be checked at start");
        }
    }

    /// Writes the held-back last-scan moments in a transaction of their own.
    fn write_last_scans(&mut self) {
        if self.last_scans.is_empty() {
            return;
        }
        let written = self.open_if_closed().and_then(|()| {
            let held = &self.last_scans;
            write_transaction(opened(&mut self.conn)?, |c| held.store(c))
        });
        match written {
            Ok(()) => {
                self.last_scans = LastScans::default();
                self.last_written = std::time::Instant::now();
            }
            // Kept for the next try; the scans themselves are stored.
            Err(e) => tracing::warn!(error = %e, "the last scans of each code could not be written"),
        }
    }

    /// Opens the writer's connection unless it is open (at start, and after a failed batch).
    fn open_if_closed(&mut self) -> Result<()> {
        if self.conn.is_none() {
            self.conn = Some(self.open()?);
        }
        Ok(())
    }

    /// The checkpoint thread's passive checkpoints never wait for the writer, so under a steady
    /// stream of scans they never catch the WAL's end, and SQLite starts the WAL over only once a
    /// checkpoint has: the file would grow for as long as the stream lasts. Past its limit the writer
    /// checkpoints itself, between two batches, so nothing is appended meanwhile: the checkpoint
    /// reaches the end (copying only what the checkpoint thread left, a few milliseconds) and the
    /// next commit writes from the WAL's start again.
    fn keep_wal_bounded(&mut self) {
        let Some(inbox) = self.inbox.as_mut() else { return };
        let waiting = self.stopped_short.is_some_and(|at| at.elapsed() < RECHECKPOINT);
        if waiting || self.wal_looked.elapsed() < WAL_LOOK {
            return;
        }
        self.wal_looked = std::time::Instant::now();
        if !std::fs::metadata(inbox.wal.file()).is_ok_and(|m| m.len() > inbox.wal.limit) {
            return;
        }
        let Some(DbConnection::Sqlite(conn)) = inbox.conn.as_mut() else { return };
        self.stopped_short = None;
        match diesel::sql_query("PRAGMA wal_checkpoint(PASSIVE)").get_result::<Checkpointed>(conn) {
            // Done: the next commit starts the WAL over (and cuts the file back to the limit).
            // Or the checkpoint thread's was running: after the next batch, then.
            Ok(c) if c.checkpointed == c.log || c.busy != 0 => {}
            // A reader still needs frames near the end: a while later.
            Ok(_) => self.stopped_short = Some(std::time::Instant::now()),
            Err(e) => {
                tracing::warn!(error = %e, "scan WAL checkpoint failed");
                self.stopped_short = Some(std::time::Instant::now());
            }
        }
    }
}

/// The answer of `PRAGMA wal_checkpoint`: whether it was kept from running, the frames in the
/// WAL, and how many of them are now in the database file.
#[derive(diesel::QueryableByName)]
struct Checkpointed {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    log: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    checkpointed: i32,
}

impl Writer {
    /// One transaction for the batch; should it fail, each scan is tried on its own so that one bad
    /// request cannot lose the others.
    fn write(&mut self, jobs: Vec<(ScanRequest, Reply)>, write_last: bool) -> Vec<(Reply, Result<Scanned>)> {
        let (requests, replies): (Vec<_>, Vec<_>) = jobs.into_iter().unzip();
        match self.commit(&requests, write_last) {
            Ok(done) => replies.into_iter().zip(done.into_iter().map(Ok)).collect(),
            Err(e) if requests.len() > 1 => {
                tracing::warn!(error = %e, scans = requests.len(), "scan batch failed; recording one by one");
                let mut answers = Vec::with_capacity(replies.len());
                for (request, reply) in requests.into_iter().zip(replies) {
                    let one = self.commit(std::slice::from_ref(&request), write_last).and_then(|mut d| {
                        d.pop().ok_or_else(|| StoreError::Task("a batch of one scan gave no answer".into()))
                    });
                    answers.push((reply, one));
                }
                answers
            }
            Err(e) => replies.into_iter().next().map(|reply| (reply, Err(e))).into_iter().collect(),
        }
    }

    /// Records a batch; with `write_last`, also its codes' last-scan moments and those held back.
    fn commit(&mut self, requests: &[ScanRequest], write_last: bool) -> Result<Vec<Scanned>> {
        // Into the inbox under load, and until the filing has caught up (so that only the filing
        // thread writes scans meanwhile).
        let busy = self.batch_size >= self.busy;
        if self.inbox.as_ref().is_some_and(|i| busy || i.filer.shared.behind()) {
            return self.commit_to_inbox(requests);
        }
        // Read before resolving: a write that lands meanwhile makes the next batch look again.
        let generation = self.store.generation();
        let at = crate::convert::micros(self.clock.now());
        self.recent.prune(at);
        self.open_if_closed()?;
        let conn = opened(&mut self.conn)?;
        let (known, recent, held) = (&mut self.known, &self.recent, &self.last_scans);
        let done = write_transaction(conn, |c| {
            let done = record_batch(c, at, self.zone, requests, known, generation, recent)?;
            if write_last {
                LastScans::of(&done).store(c)?;
                held.store(c)?;
            }
            Ok(done)
        });
        match &done {
            Ok(scanned) => {
                note_committed(&mut self.recent, scanned);
                if write_last {
                    self.last_scans = LastScans::default();
                    self.last_written = std::time::Instant::now();
                } else {
                    self.last_scans.merge(LastScans::of(scanned));
                }
            }
            Err(_) => {
                // The transaction rolled back: what it resolved may describe nothing that exists.
                self.known = Resolutions::default();
                // And the connection may be what failed: the next batch opens a new one.
                self.conn = None;
            }
        }
        done
    }

    /// Records a batch as one record of the scan inbox; the filing thread moves it into `scans`.
    fn commit_to_inbox(&mut self, requests: &[ScanRequest]) -> Result<Vec<Scanned>> {
        let generation = self.store.generation();
        let at = crate::convert::micros(self.clock.now());
        self.recent.prune(at);
        self.open_if_closed()?;
        let Some(inbox) = self.inbox.as_mut() else { return Err(StoreError::Task("no scan inbox".into())) };
        let filed = inbox.filer.shared.filed();
        self.unfiled.retain(|_, (seq, _)| *seq > filed);
        let conn = opened(&mut self.conn)?;
        let decided =
            decide_batch(conn, at, self.zone, requests, &mut self.known, generation, &self.recent, &self.unfiled);
        let Decided { out, fresh } = match decided {
            Ok(d) => d,
            Err(e) => {
                self.known = Resolutions::default();
                self.conn = None;
                return Err(e);
            }
        };
        if fresh.is_empty() {
            // Only retried app calls: nothing new to store.
            return Ok(out);
        }
        let record = scan_inbox::pack(fresh.iter().map(|(i, _, client_id)| (&out[*i].event, *client_id)))?;
        let seq = inbox.next;
        let delete = (filed - inbox.deleted >= DELETE_FILED).then_some(filed);
        let written = inbox.opened().and_then(|c| {
            write_transaction(c, |c| {
                if let Some(filed) = delete {
                    scan_inbox::delete_through(c, filed)?;
                }
                scan_inbox::append(c, seq, &record)
            })
        });
        if let Err(e) = written {
            // The inbox connection may be what failed: the next batch opens a new one.
            inbox.conn = None;
            return Err(e);
        }
        inbox.next += 1;
        if let Some(filed) = delete {
            inbox.deleted = filed;
        }
        inbox.filer.shared.committed(seq);
        note_committed(&mut self.recent, &out);
        for (i, _, client_id) in &fresh {
            if let Some(id) = client_id {
                self.unfiled.insert(id.to_string(), (seq, out[*i].event.clone()));
            }
        }
        Ok(out)
    }

    fn open(&self) -> Result<DbConnection> {
        let mut conn =
            self.store.url.connect().map_err(|e| StoreError::Task(format!("scan writer connection: {e}")))?;
        if self.store.backend() == crate::Backend::Sqlite {
            // A multi-row insert keeps a statement journal: in memory, not in a temporary file.
            conn.batch_execute("PRAGMA temp_store = MEMORY;")?;
        }
        Ok(conn)
    }
}

/// The writer's connection to the scan inbox. It keeps `synchronous = FULL` (each commit syncs the
/// WAL before it returns); checkpoints are the checkpoint thread's and the writer's own. Disk space
/// that a burst took comes back when the WAL starts over.
pub(crate) fn connect_inbox(url: &crate::DatabaseUrl, wal_limit: u64) -> Result<DbConnection> {
    let mut conn = url.connect().map_err(|e| StoreError::Task(format!("scan inbox connection: {e}")))?;
    conn.batch_execute(&format!("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {wal_limit};"))?;
    Ok(conn)
}
