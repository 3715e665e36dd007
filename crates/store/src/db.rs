//! Connections: one enum over SQLite and PostgreSQL, chosen from the URL scheme, behind an r2d2 pool.

use crate::error::StoreError;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::time::Duration;

/// A connection to whichever backend the URL named. diesel generates the plumbing that lets one query
/// builder expression run on either variant.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
    Pg(diesel::PgConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// A parsed `FRONTIER_DATABASE_URL`: `sqlite://PATH` (relative or `sqlite:///absolute`) or
/// `postgres://…` / `postgresql://…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    /// What the driver receives: a file path for SQLite, the whole URL for PostgreSQL.
    target: String,
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                return Err(StoreError::Config("sqlite URL has no file path (use sqlite://data/frontier.db)".into()));
            }
            if path.contains(":memory:") || path.contains("mode=memory") {
                return Err(StoreError::Config(
                    "in-memory SQLite cannot be shared by a connection pool; use a file path".into(),
                ));
            }
            return Ok(Self { backend: Backend::Sqlite, target: path.to_owned() });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self { backend: Backend::Postgres, target: url.to_owned() });
        }
        Err(StoreError::Config(
            "database URL must start with sqlite:// or postgres:// (for example sqlite://data/frontier.db)".into(),
        ))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The SQLite file path, if this is a SQLite URL.
    pub fn sqlite_path(&self) -> Option<&str> {
        (self.backend == Backend::Sqlite).then_some(self.target.as_str())
    }

    /// The URL with any password replaced, safe for logs and error messages.
    pub fn redacted(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://{}", self.target),
            Backend::Postgres => redact_password(&self.target),
        }
    }

    pub(crate) fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn =
                    diesel::SqliteConnection::establish(&self.target).map_err(r2d2::Error::ConnectionError)?;
                // busy_timeout first: switching to WAL itself needs the lock another connection may hold.
                // synchronous = FULL: a commit is on disk before it returns, so a post's box that loses
                // power keeps every scan it redirected (scans are group-committed, so the sync is
                // paid once per batch, not once per phone).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
            Backend::Postgres => diesel::PgConnection::establish(&self.target)
                .map(DbConnection::Pg)
                .map_err(r2d2::Error::ConnectionError),
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((auth, host)) = rest.split_once('@') else { return url.to_owned() };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Opens connections for the pool. diesel's own `ConnectionManager` would call
/// `DbConnection::establish`, which tries SQLite first and SQLite accepts any string as a file name:
/// a PostgreSQL URL would silently become a file. So the backend is chosen from the scheme here.
pub struct Manager {
    url: DatabaseUrl,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        self.url.connect()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        // A connection given back while a panic unwinds, or with a transaction still open, is discarded.
        std::thread::panicking() || r2d2::R2D2Connection::is_broken(conn)
    }
}

pub type Pool = r2d2::Pool<Manager>;

/// Opens the pool, failing fast with the driver's own message when the database cannot be reached.
pub fn open_pool(url: &DatabaseUrl, max_size: u32) -> Result<Pool, StoreError> {
    if let Some(path) = url.sqlite_path() {
        let path = std::path::Path::new(path);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Config(format!(
                    "cannot open database {}: cannot create its folder {}: {e}",
                    url.redacted(),
                    dir.display()
                ))
            })?;
        }
    }
    // One direct attempt first: r2d2's own error after its timeout would hide the driver's message.
    let probe = url
        .connect()
        .map_err(|e| StoreError::Config(format!("cannot open database {}: {}", url.redacted(), one_line(&e))))?;
    drop(probe);
    r2d2::Pool::builder()
        .max_size(max_size)
        // A PostgreSQL connection can die with the server or the network, and diesel cannot tell a dead
        // one from a live one without asking: check it on checkout. A SQLite file connection does not
        // die that way, and the check would double the statements of every call.
        .test_on_check_out(url.backend() == Backend::Postgres)
        .connection_timeout(Duration::from_secs(10))
        .build(Manager { url: url.clone() })
        .map_err(|e| StoreError::Config(format!("cannot open database {}: {}", url.redacted(), one_line(&e))))
}

fn one_line(e: &dyn std::fmt::Display) -> String {
    e.to_string().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs `f` in a write transaction. On SQLite it begins with `BEGIN IMMEDIATE`: a deferred
/// transaction that reads first and then writes cannot wait for the write lock (SQLite answers
/// "database is locked" at once, busy timeout or not), while an immediate one queues for it.
pub fn write_transaction<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let DbConnection::Sqlite(inner) = conn else {
        return conn.transaction(f);
    };
    AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
    let result = f(conn);
    let DbConnection::Sqlite(inner) = conn else { unreachable!("variant cannot change") };
    match result {
        Ok(value) => match AnsiTransactionManager::commit_transaction(inner) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = AnsiTransactionManager::rollback_transaction(inner);
                Err(e.into())
            }
        },
        Err(e) => {
            AnsiTransactionManager::rollback_transaction(inner)?;
            Err(e)
        }
    }
}

/// Applies every pending migration of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, StoreError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConnection::Pg(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
    };
    applied.map_err(|e| StoreError::Migration(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_by_scheme() {
        let s = DatabaseUrl::parse("sqlite://data/frontier.db").expect("ok");
        assert_eq!((s.backend(), s.sqlite_path()), (Backend::Sqlite, Some("data/frontier.db")));
        let abs = DatabaseUrl::parse("sqlite:///var/lib/frontier.db").expect("ok");
        assert_eq!(abs.sqlite_path(), Some("/var/lib/frontier.db"));
        let p = DatabaseUrl::parse("postgresql://u:secret@db:5432/frontier").expect("ok");
        assert_eq!(p.backend(), Backend::Postgres);
        assert_eq!(p.redacted(), "postgresql://u:***@db:5432/frontier");
        for bad in ["", "mysql://x", "frontier.db", "sqlite://", "sqlite://:memory:"] {
            assert!(matches!(DatabaseUrl::parse(bad), Err(StoreError::Config(_))), "{bad}");
        }
    }
}
