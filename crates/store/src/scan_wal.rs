//! The scan writer's WAL on SQLite, and the checkpoints that keep it short.
//!
//! The writer's connection commits with `synchronous = FULL`, like every other: a batch's commit
//! returns once SQLite has synced the WAL, so the writer answers its callers straight away and a
//! redirect is never sent for a scan the disk does not hold. What leaves the writer's serial path
//! is the checkpoints: it commits with automatic checkpoints off, and a checkpoint thread copies the
//! WAL into the database file on a connection of its own, every [`CHECKPOINT_EVERY`] scans or
//! second. Only when the WAL has grown past its limit does the writer finish a checkpoint itself,
//! so that the file starts over (`scan_writer.rs`).
//!
//! (Until 2026-12-04 the writer committed without syncing and syncer threads synced behind it; once
//! the writer had become fast, the two extra thread hand-offs per scan cost more than the overlap
//! gained: BENCHMARKS.md.)

use crate::db::{DatabaseUrl, DbConnection};
use diesel::connection::SimpleConnection;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Committed scans between two checkpoints at most (about 2,500 WAL pages).
pub(crate) const CHECKPOINT_EVERY: usize = 1_000;

/// The WAL size past which the writer makes it start over (about 3,000 scans). Measured with
/// `bench/scans.sh`: 8 MiB answered a little more than 64 MiB, 2 MiB clearly less (BENCHMARKS.md).
const WAL_LIMIT: u64 = 8 << 20;

/// A SQLite database whose scan writer checkpoints on a thread of its own.
pub(crate) struct Wal {
    pub db: PathBuf,
    /// Where the checkpoint thread connects.
    pub url: DatabaseUrl,
    /// The WAL size past which the writer starts it over.
    pub limit: u64,
}

impl Wal {
    /// `None` on PostgreSQL (a commit there is durable when it returns and the server checkpoints
    /// on its own) and for SQLite `file:` URIs, whose connections keep SQLite's own checkpoints.
    pub(crate) fn of(url: &DatabaseUrl) -> Option<Self> {
        let path = url.sqlite_path().filter(|p| !p.starts_with("file:"))?;
        Some(Self { db: PathBuf::from(path), url: url.clone(), limit: WAL_LIMIT })
    }

    /// The WAL file beside the database.
    pub(crate) fn file(&self) -> PathBuf {
        let mut wal = self.db.clone().into_os_string();
        wal.push("-wal");
        PathBuf::from(wal)
    }
}

/// The writer's side of the checkpoint thread: counts committed scans and wakes the thread when a
/// checkpoint is due (a few times a second under load, not after every batch).
pub(crate) struct Checkpoints {
    due: mpsc::SyncSender<()>,
    scans: usize,
    last: Instant,
}

impl Checkpoints {
    /// Starts the checkpoint thread for `wal`.
    pub(crate) fn start(wal: &Wal) -> Self {
        // One pending wake-up is enough: a checkpoint copies whatever is in the WAL by then.
        let (due, wakes) = mpsc::sync_channel(1);
        let url = wal.url.clone();
        let spawned = std::thread::Builder::new().name("scan-checkpoints".into()).spawn(move || run(&url, &wakes));
        if let Err(e) = spawned {
            // The writer's own checkpoints still keep the WAL bounded.
            tracing::warn!(error = %e, "the scan checkpoint thread could not start");
        }
        Self { due, scans: 0, last: Instant::now() }
    }

    /// `committed` more scans are in the WAL.
    pub(crate) fn after(&mut self, committed: usize) {
        self.scans += committed;
        if self.scans == 0 || (self.scans < CHECKPOINT_EVERY && self.last.elapsed() < Duration::from_secs(1)) {
            return;
        }
        self.scans = 0;
        self.last = Instant::now();
        // Full: a wake-up is pending already. Disconnected: the thread is gone (logged when it went).
        let _ = self.due.try_send(());
    }
}

/// The checkpoint thread: a passive checkpoint at each wake-up, on its own connection (which, on
/// `synchronous = FULL`, syncs the WAL before copying it and the database file after). It ends when
/// the writer does.
fn run(url: &DatabaseUrl, wakes: &mpsc::Receiver<()>) {
    let mut conn: Option<DbConnection> = None;
    while wakes.recv().is_ok() {
        if conn.is_none() {
            conn = url.connect().map_err(|e| tracing::warn!(error = %e, "checkpoint connection")).ok();
        }
        if let Some(c) = conn.as_mut()
            && let Err(e) = c.batch_execute("PRAGMA wal_checkpoint(PASSIVE);")
        {
            // The WAL keeps growing until a later checkpoint works; nothing is lost meanwhile.
            tracing::warn!(error = %e, "scan WAL checkpoint failed");
            conn = None;
        }
    }
}
