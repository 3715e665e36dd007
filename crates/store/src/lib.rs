//! Frontier's persistence: one diesel codebase over SQLite (the default, embedded, also on a post's
//! offline box) and PostgreSQL (production). Callers see domain types and async methods; every
//! database call runs on tokio's blocking pool, never on the async worker threads.

mod accounts;
mod article_workflow;
mod articles;
mod audience;
mod audit;
mod categories;
mod code_scans;
mod convert;
pub mod db;
mod error;
mod media;
mod places;
mod qr_codes;
mod repeats;
mod revisions;
mod scan_filing;
mod scan_inbox;
mod scan_rows;
mod scan_stats;
mod scan_wal;
mod scan_writer;
mod scans;
pub use scan_stats::{CodeUse, DayTally, FINISH_GRACE, FirstOpenDay, ScanKey, ScanScope};
pub use scan_writer::{MAX_BATCH, ScanWriter};
pub use scans::{ScanRequest, Scanned};
mod schema;
mod structure;
#[cfg(feature = "testing")]
pub mod testing;
mod texts;
mod units;
mod unknown_scans;
pub use unknown_scans::{UnknownScans, UnknownText};

pub use accounts::{NewApiKey, NewUser, Refreshed};
pub use article_workflow::Step;
pub use articles::{ArticleCursor, ArticleOrder, ArticleQuery, NewArticle};
pub use audience::Audience;
pub use audit::AuditQuery;
pub use categories::NewCategory;
pub use db::{Backend, DatabaseUrl};
pub use error::{Result, StoreError};
pub use media::NewMedia;
pub use places::{NewPlace, PlaceQuery};
pub use qr_codes::NewQrCode;
pub use structure::SlugChoice;
pub use units::NewUnit;

use db::{DbConnection, Pool};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A page of a keyset-paginated list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// True when more items follow the last one returned.
    pub has_next: bool,
    /// How many items match the filter, over all pages.
    pub total: i64,
}

/// The handle every other layer holds. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    backend: Backend,
    /// Where the pool connects (the scan writer keeps a connection of its own).
    url: DatabaseUrl,
    /// Counts finished write transactions (scans excepted): caches built on reads compare it.
    writes: Arc<AtomicU64>,
    /// The scan writer's filing of its inbox, when it has one (SQLite): readers of the scans wait
    /// for it.
    filing: Arc<std::sync::RwLock<Option<Arc<scan_filing::Filing>>>>,
}

impl Store {
    /// Opens (and for SQLite, creates) the database. Does not migrate: see [`Store::migrate`].
    pub async fn open(url: &str, max_connections: u32) -> Result<Self> {
        let url = DatabaseUrl::parse(url)?;
        let backend = url.backend();
        let opened = url.clone();
        let pool = tokio::task::spawn_blocking(move || db::open_pool(&opened, max_connections))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))??;
        Ok(Self { pool, backend, url, writes: Arc::new(AtomicU64::new(0)), filing: Arc::default() })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies pending migrations; returns how many ran.
    pub async fn migrate(&self) -> Result<usize> {
        self.run(db::run_migrations).await
    }

    /// Succeeds when the database answers a trivial query.
    pub async fn ping(&self) -> Result<()> {
        use diesel::connection::SimpleConnection;
        self.run(|c| Ok(c.batch_execute("SELECT 1")?)).await
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    async fn run<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs `f` inside a transaction: all of it lands or none of it does.
    async fn transaction<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T> + Send + 'static,
    {
        let done = self.run(move |conn| db::write_transaction(conn, f)).await;
        self.writes.fetch_add(1, Ordering::SeqCst);
        done
    }

    /// Waits until every scan answered so far is in `scans` (the scan writer files its inbox on a
    /// thread of its own: `scan_filing.rs`). Every read of the scans starts with it.
    async fn scans_settled(&self) -> Result<()> {
        let filing = self.filing.read().ok().and_then(|f| f.clone());
        match filing {
            Some(f) => f.settled().await,
            None => Ok(()),
        }
    }

    /// The scan writer files its inbox with `filing` from now on.
    fn set_filing(&self, filing: Option<Arc<scan_filing::Filing>>) {
        if let Ok(mut f) = self.filing.write() {
            *f = filing;
        }
    }

    /// Changes with every write this handle (or a clone) made, committed or not.
    pub(crate) fn generation(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests;
