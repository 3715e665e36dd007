use crate::error::{ApiResult, bad_input};
use async_graphql::SimpleObject;

pub const DEFAULT_PAGE: i32 = 20;
pub const MAX_PAGE: i32 = 100;

/// Fields every list connection carries besides its edges.
#[derive(SimpleObject)]
pub struct ConnectionFields {
    /// How many items match the filter, over all pages.
    pub total_count: i64,
}

/// Checks `first`: 0 to 100, 20 when absent.
pub fn page_size(first: Option<i32>) -> ApiResult<i64> {
    match first.unwrap_or(DEFAULT_PAGE) {
        n @ 0..=MAX_PAGE => Ok(i64::from(n)),
        _ => Err(bad_input("first", format!("must be between 0 and {MAX_PAGE}"))),
    }
}
