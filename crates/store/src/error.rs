use frontier_domain::ValidationError;

/// What can go wrong below the GraphQL and HTTP edges. Each edge maps these once, in one place.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record a write refers to does not exist (names what was missing).
    #[error("{0} not found")]
    NotFound(String),
    /// A uniqueness rule would be broken (a slug or code already taken).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record changed since the caller read it: it edited version N, the record is at `current`.
    #[error("the record was changed by someone else (now at version {current})")]
    Stale { current: i64 },
    /// Input rejected by a domain rule.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The database or its URL could not be opened; the message is meant for the operator.
    #[error("{0}")]
    Config(String),
    #[error("migration failed: {0}")]
    Migration(String),
    /// A stored value no longer satisfies the domain's rules (written by hand, or by a newer version).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(diesel::result::Error),
    #[error("no database connection available: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database task failed: {0}")]
    Task(String),
    /// Not ready yet, worth asking again in `retry_after` seconds (the newest scans are still being
    /// filed into the statistics after a long crowd).
    #[error("{what}; try again in {retry_after} s")]
    NotReady { what: String, retry_after: u64 },
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => Self::Conflict(info.message().to_owned()),
            other => Self::Database(other),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
