//! Making committed scan batches durable off the writer's serial path.
//!
//! On SQLite the writer's connection commits with `synchronous = NORMAL`: a commit appends the
//! batch's frames to the WAL file and returns without waiting for the disk. A syncer thread (one
//! of [`SYNCERS`]) then `fdatasync`s the WAL and only after that releases the answers of every
//! batch committed before the sync began. A phone still gets its redirect only once its scan is on
//! disk, but the writer writes the next batch while the disk works on the last one, instead of
//! waiting for it. (SQLite keeps the database consistent in this mode whatever happens; its
//! checkpoints still sync the WAL before copying it and the database file before the WAL is
//! reused.) The checkpoints, too, leave the writer: it commits with automatic checkpoints off, and
//! the syncer checkpoints on a connection of its own after releasing the answers, every
//! [`CHECKPOINT_EVERY`] scans or second. Only when the WAL has grown past its limit does the
//! writer finish a checkpoint itself, so that the file starts over (`scan_writer.rs`).
//!
//! On PostgreSQL a commit is durable when it returns (the server group-commits on its own), so the
//! syncer only passes the answers on.

use crate::Result;
use crate::StoreError;
use crate::db::{DatabaseUrl, DbConnection};
use crate::scans::Scanned;
use diesel::connection::SimpleConnection;
use frontier_domain::ScanEvent;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, oneshot};

/// What makes a committed batch durable.
pub(crate) enum Durability {
    /// The commit itself was (PostgreSQL; SQLite opened through a `file:` URI, kept on `FULL`).
    AtCommit,
    /// The SQLite database at this path, whose writer commits without syncing or checkpointing:
    /// its WAL is synced, and checkpointed through `url`; past `wal_limit` bytes the writer
    /// checkpoints too, so that the WAL starts over.
    Wal { db: PathBuf, url: DatabaseUrl, wal_limit: u64 },
    /// A stand-in for tests: called where the WAL would be synced.
    #[cfg(test)]
    Custom(Box<dyn Fn() -> std::io::Result<()> + Send + Sync>),
}

impl Durability {
    pub(crate) fn of(url: &DatabaseUrl) -> Self {
        match url.sqlite_path() {
            Some(path) if !path.starts_with("file:") => {
                Self::Wal { db: PathBuf::from(path), url: url.clone(), wal_limit: WAL_LIMIT }
            }
            _ => Self::AtCommit,
        }
    }

    /// Whether the writer's connection may commit without syncing.
    pub(crate) fn deferred(&self) -> bool {
        !matches!(self, Self::AtCommit)
    }

    /// The WAL file and the size past which the writer starts it over; `None` on backends
    /// without one.
    pub(crate) fn wal_limit(&self) -> Option<(PathBuf, u64)> {
        match self {
            Self::Wal { db, wal_limit, .. } => Some((wal_of(db), *wal_limit)),
            _ => None,
        }
    }

    fn sync(&self) -> std::io::Result<()> {
        match self {
            Self::AtCommit => Ok(()),
            Self::Wal { db, .. } => {
                match std::fs::File::open(wal_of(db)) {
                    // fdatasync acts on the file, whichever descriptor names it.
                    Ok(f) => f.sync_data(),
                    // No WAL file: SQLite checkpointed it into the database and removed it (only
                    // when every connection closed); the database file then holds everything.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::File::open(db)?.sync_data(),
                    Err(e) => Err(e),
                }
            }
            #[cfg(test)]
            Self::Custom(f) => f(),
        }
    }
}

/// The WAL file beside a SQLite database.
fn wal_of(db: &std::path::Path) -> PathBuf {
    let mut wal = db.to_path_buf().into_os_string();
    wal.push("-wal");
    PathBuf::from(wal)
}

/// Synced scans between two checkpoints at most (about 2,500 WAL pages at 64 phones at once).
pub(crate) const CHECKPOINT_EVERY: usize = 1_000;

/// The WAL size past which the writer makes it start over (about 4,000 scans). Measured with
/// `bench/scans.sh`: 8 MiB answered a little more than 64 MiB, 2 MiB clearly less (BENCHMARKS.md).
const WAL_LIMIT: u64 = 8 << 20;

/// Copies the WAL into the database file now and then, on its own connection (which syncs both,
/// as every connection but the writer's runs `synchronous = FULL`).
struct Checkpoints {
    url: DatabaseUrl,
    conn: Option<DbConnection>,
    scans: usize,
    last: Instant,
}

impl Checkpoints {
    fn after(&mut self, synced: usize) {
        self.scans += synced;
        if self.scans == 0 || (self.scans < CHECKPOINT_EVERY && self.last.elapsed() < Duration::from_secs(1)) {
            return;
        }
        self.scans = 0;
        self.last = Instant::now();
        if self.conn.is_none() {
            self.conn = self.url.connect().map_err(|e| tracing::warn!(error = %e, "checkpoint connection")).ok();
        }
        if let Some(conn) = self.conn.as_mut()
            && let Err(e) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE);")
        {
            // The WAL keeps growing until a later checkpoint works; nothing is lost meanwhile.
            tracing::warn!(error = %e, "scan WAL checkpoint failed");
            self.conn = None;
        }
    }
}

pub(crate) type Reply = oneshot::Sender<Result<Scanned>>;

/// A committed (or failed) batch on its way to the callers.
pub(crate) struct Committed {
    pub answers: Vec<(Reply, Result<Scanned>)>,
    /// Flushes queued after this batch: answered once it is durable.
    pub flushes: Vec<oneshot::Sender<()>>,
}

/// Syncer threads. With two, a batch committed while the other thread's sync is on its way starts
/// its own sync at once instead of waiting for that one to end: the disk gets both, and the phone
/// waits for one sync, not one and a half.
const SYNCERS: usize = 2;

/// Starts the syncer threads; each batch sent to the returned channel is answered only after a sync
/// that began after its commit (any thread's: a sync waits for pages another one is writing).
pub(crate) fn start(durability: Durability, feed: broadcast::Sender<ScanEvent>) -> mpsc::Sender<Committed> {
    let (tx, rx) = mpsc::channel::<Committed>();
    let checkpoints = match &durability {
        Durability::Wal { url, .. } => {
            Some(Checkpoints { url: url.clone(), conn: None, scans: 0, last: Instant::now() })
        }
        _ => None,
    };
    let shared = Arc::new(Syncer { queue: Mutex::new(rx), durability, feed, checkpoints: Mutex::new(checkpoints) });
    for n in 0..SYNCERS {
        let syncer = shared.clone();
        if let Err(e) = std::thread::Builder::new().name(format!("scan-syncer-{n}")).spawn(move || syncer.run()) {
            // Without a syncer every answer is dropped: callers see "the scan writer stopped".
            tracing::error!(error = %e, "a scan syncer could not start");
        }
    }
    tx
}

struct Syncer {
    queue: Mutex<mpsc::Receiver<Committed>>,
    durability: Durability,
    feed: broadcast::Sender<ScanEvent>,
    checkpoints: Mutex<Option<Checkpoints>>,
}

impl Syncer {
    /// Everything committed so far, once there is something (`None` when the writer is gone).
    fn next(&self) -> Option<Vec<Committed>> {
        let queue = self.queue.lock().ok()?;
        let first = queue.recv().ok()?;
        let mut batches = vec![first];
        batches.extend(queue.try_iter());
        Some(batches)
    }

    fn run(&self) {
        while let Some(batches) = self.next() {
            // A flush asks for a sync too: batches another thread is still syncing were committed
            // before it, and this sync waits for their pages.
            let needed = batches.iter().any(|b| !b.flushes.is_empty() || b.answers.iter().any(|(_, r)| r.is_ok()));
            let synced = if needed { self.durability.sync() } else { Ok(()) };
            if let Err(e) = &synced {
                tracing::error!(error = %e, "the scans of a committed batch could not be synced to disk");
            }
            let mut released = 0;
            for batch in batches {
                released += batch.answers.len();
                for (reply, result) in batch.answers {
                    let answer = match (&synced, result) {
                        (Ok(()), Ok(scanned)) => {
                            announce(&self.feed, &scanned);
                            Ok(scanned)
                        }
                        (Err(e), Ok(_)) => Err(StoreError::Task(format!("scan not synced to disk: {e}"))),
                        (_, Err(e)) => Err(e),
                    };
                    let _ = reply.send(answer);
                }
                for done in batch.flushes {
                    let _ = done.send(());
                }
            }
            // One checkpoint at a time; a thread that finds one running leaves it.
            if let Ok(mut c) = self.checkpoints.try_lock()
                && let Some(c) = c.as_mut()
            {
                c.after(released);
            }
        }
    }
}

fn announce(feed: &broadcast::Sender<ScanEvent>, scanned: &Scanned) {
    // No subscriber is not an error, and then nothing is cloned.
    if !scanned.duplicate && feed.receiver_count() > 0 {
        let _ = feed.send(scanned.event.clone());
    }
}
