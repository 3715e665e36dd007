//! Between database rows (text ids, naive UTC timestamps) and domain values.

use crate::error::StoreError;
use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use std::fmt::Display;
use std::str::FromStr;

/// Now, cut to the microsecond: PostgreSQL keeps microseconds, so both backends store the same value
/// and cursors compare equal on both.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A moment cut to the microsecond, as both databases keep it.
pub fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

pub fn to_db(t: DateTime<Utc>) -> NaiveDateTime {
    t.trunc_subsecs(6).naive_utc()
}

pub fn from_db(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

pub fn corrupt(what: &str, e: impl Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// Parses a stored id or value, reporting the column when it fails.
pub fn parse<T: FromStr>(what: &str, value: &str) -> Result<T, StoreError>
where
    T::Err: Display,
{
    value.parse().map_err(|e| corrupt(what, e))
}

pub fn ids<T: Display>(ids: &[T]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}
