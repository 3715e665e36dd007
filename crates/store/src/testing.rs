//! Throwaway databases for tests: a SQLite file in a temporary folder always, and a fresh PostgreSQL
//! database when `FRONTIER_TEST_POSTGRES_URL` names a server (CI starts one). Each test gets its own
//! database, so tests run in parallel without seeing each other's rows.

use crate::{Backend, Store};
use diesel::prelude::*;

pub const POSTGRES_ENV: &str = "FRONTIER_TEST_POSTGRES_URL";

/// A database that exists while this value lives.
pub struct TestDatabase {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
    drop_pg: Option<(String, String)>,
}

impl TestDatabase {
    /// A new empty SQLite database file.
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("frontier.db").display());
        Self { url, backend: Backend::Sqlite, _dir: Some(dir), drop_pg: None }
    }

    /// A new empty PostgreSQL database on the server named by `FRONTIER_TEST_POSTGRES_URL`, or `None`
    /// when it is not set.
    pub fn postgres() -> Option<Self> {
        let admin = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.is_empty())?;
        let name = format!("frontier_t_{}", uuid::Uuid::now_v7().simple());
        let mut conn = diesel::PgConnection::establish(&admin)
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but the server is unreachable: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
        let url = with_database(&admin, &name);
        Some(Self { url, backend: Backend::Postgres, _dir: None, drop_pg: Some((admin, name)) })
    }

    /// The database for `backend`; `None` when that backend is not available here.
    pub fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite()),
            Backend::Postgres => Self::postgres(),
        }
    }

    /// Runs one SQL statement on its own connection, behind the store's back: how a test breaks
    /// the database under a running server (e.g. renames a table) to see the server answer 503.
    pub fn execute(&self, sql: &str) {
        let path = self.url.strip_prefix("sqlite://").unwrap_or(&self.url);
        let done = match self.backend {
            Backend::Sqlite => {
                diesel::sql_query(sql).execute(&mut diesel::SqliteConnection::establish(path).expect("open"))
            }
            Backend::Postgres => {
                diesel::sql_query(sql).execute(&mut diesel::PgConnection::establish(&self.url).expect("open"))
            }
        };
        done.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Opens and migrates a store on this database.
    pub async fn store(&self) -> Store {
        let store = Store::open(&self.url, 4).await.expect("open test store");
        store.migrate().await.expect("migrate test store");
        store
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.drop_pg.take()
            && let Ok(mut conn) = diesel::PgConnection::establish(&admin)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
        }
    }
}

/// The URL with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Runs a test body once per available backend: SQLite always, PostgreSQL when configured.
#[macro_export]
macro_rules! each_backend {
    ($(#[$meta:meta])* $name:ident, |$store:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($store: $crate::Store) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = $crate::testing::TestDatabase::sqlite();
                body(db.store().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = $crate::testing::TestDatabase::postgres() else {
                    eprintln!("skipped: {} not set", $crate::testing::POSTGRES_ENV);
                    return;
                };
                body(db.store().await).await;
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        assert_eq!(super::with_database("postgres://u@h:5/postgres", "t1"), "postgres://u@h:5/t1");
        assert_eq!(super::with_database("postgres://u@h:5", "t1"), "postgres://u@h:5/t1");
        assert_eq!(super::with_database("postgresql://h/db?sslmode=disable", "t"), "postgresql://h/t?sslmode=disable");
    }
}
