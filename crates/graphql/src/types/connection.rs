//! Relay cursor connections. Written out rather than taken from async-graphql's generic `Connection`,
//! whose generated types carry no description in the SDL.

use super::{Article, Place};
use crate::error::{ApiResult, bad_input};
use async_graphql::SimpleObject;
use async_graphql::connection::PageInfo;

pub const DEFAULT_PAGE: i32 = 20;
pub const MAX_PAGE: i32 = 100;

/// Checks `first`: 0 to 100, 20 when absent.
pub fn page_size(first: Option<i32>) -> ApiResult<i64> {
    match first.unwrap_or(DEFAULT_PAGE) {
        n @ 0..=MAX_PAGE => Ok(i64::from(n)),
        _ => Err(bad_input("first", format!("must be between 0 and {MAX_PAGE}"))),
    }
}

/// Query cost of a page: what one item costs, times the items asked for. Without this a single
/// request with many aliased `first: 100` lists would pass the complexity limit and build a response of
/// hundreds of megabytes.
pub fn page_cost(first: Option<i32>, child_complexity: usize) -> usize {
    list_cost(first.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE) as usize, child_complexity)
}

/// Highest cost one field reports. Nested lists multiply (40 units × 40 children × …), and a product
/// that overflowed would panic in a debug build and wrap to a small, accepted number in a release
/// build; capped, the sums async-graphql makes of them stay far from overflow too.
const COST_CEILING: usize = 1 << 32;

/// Query cost of a list of `items`, each costing `child_complexity`.
pub fn list_cost(items: usize, child_complexity: usize) -> usize {
    items.saturating_mul(child_complexity).clamp(1, COST_CEILING)
}

/// Builds the page info from the cursors of a page.
pub fn page_info(cursors: &[&str], has_previous_page: bool, has_next_page: bool) -> PageInfo {
    PageInfo {
        has_previous_page,
        has_next_page,
        start_cursor: cursors.first().map(|c| (*c).to_owned()),
        end_cursor: cursors.last().map(|c| (*c).to_owned()),
    }
}

/// One page of articles.
#[derive(SimpleObject)]
pub struct ArticleConnection {
    /// The articles of this page, each with its cursor.
    pub edges: Vec<ArticleEdge>,
    /// Where this page sits in the whole list; pass `endCursor` as `after` for the next page.
    pub page_info: PageInfo,
    /// How many articles match the filter, over all pages.
    pub total_count: i64,
}

/// An article in a page, with the cursor that points at it.
#[derive(SimpleObject)]
pub struct ArticleEdge {
    /// Opaque position of this article in the list.
    pub cursor: String,
    /// The article.
    pub node: Article,
}

/// One page of places.
#[derive(SimpleObject)]
pub struct PlaceConnection {
    /// The places of this page, each with its cursor.
    pub edges: Vec<PlaceEdge>,
    /// Where this page sits in the whole list; pass `endCursor` as `after` for the next page.
    pub page_info: PageInfo,
    /// How many places match the filter, over all pages.
    pub total_count: i64,
}

/// A place in a page, with the cursor that points at it.
#[derive(SimpleObject)]
pub struct PlaceEdge {
    /// Opaque position of this place in the list.
    pub cursor: String,
    /// The place.
    pub node: Place,
}
