//! The GraphQL object types. Each wraps a domain value together with the reader's locale chain, so
//! every translated field below a top-level field is served in the same language.

mod account;
mod article;
mod category;
mod connection;
mod group_words;
mod media;
mod node;
mod place;
mod qr_code;
mod scan;
mod scan_feed;
mod stats;
mod unit;

pub use account::{Account, ApiKey, Role};
pub(crate) use article::articles_connection;
pub use article::{Article, ArticleFilter, ArticleOrderBy, ArticleTranslation};
pub use category::Category;
pub use connection::{
    ArticleConnection, ArticleEdge, PlaceConnection, PlaceEdge, list_cost, page_cost, page_info, page_size,
};
pub use media::{Image, Upload};
pub use node::{Node, QrTarget};
pub use place::{Place, PlaceFilter, PlaceKind, PlaceOrderBy};
pub use qr_code::QrCode;
pub use scan::{DeviceClass, RecordedScan, ScanOutcome};
pub use scan_feed::ScanFeedItem;
pub use stats::{PlaceUse, ScanFilter, ScanGroup, ScanGrouping, ScanStatsLinks, ScanTally, Subject, csv_key};
pub(crate) use stats::{label_of, target_names};
pub use unit::{Unit, UnitKind};

use crate::error::{ApiResult, INTERNAL};

// What a list without `first` counts for in the query cost: about as many items as it holds in a
// real province, so nested lists cannot multiply a response past the limit unnoticed.
pub const LIST_UNITS: usize = 40;
pub const LIST_CATEGORIES: usize = 12;
pub const LIST_TRANSLATIONS: usize = 4;
pub const LIST_CODES: usize = 3;
pub const LIST_IMAGES: usize = 10;
pub const LIST_RENDITIONS: usize = 4;
use async_graphql::{Error, ErrorExtensions};
use frontier_domain::translation::NamedText;
use frontier_domain::{LocaleChain, Localized, Translated};

/// The text served for `chain`. Stored content always has a `vi` text; if a row somehow has none the
/// field fails loudly instead of showing an empty name.
fn localize<'a, T>(texts: &'a Translated<T>, chain: &LocaleChain) -> ApiResult<Localized<'a, T>> {
    texts
        .localize(chain)
        .ok_or_else(|| Error::new("content has no text in any locale").extend_with(|_, e| e.set("code", INTERNAL)))
}

fn name(texts: &Translated<NamedText>, chain: &LocaleChain) -> ApiResult<String> {
    Ok(localize(texts, chain)?.text.name.clone())
}

fn description(texts: &Translated<NamedText>, chain: &LocaleChain) -> ApiResult<Option<String>> {
    Ok(localize(texts, chain)?.text.description.clone())
}

fn served_locale<T>(texts: &Translated<T>, chain: &LocaleChain) -> ApiResult<String> {
    Ok(localize(texts, chain)?.served.to_string())
}

fn available_locales<T>(texts: &Translated<T>) -> Vec<String> {
    texts.locales().map(ToString::to_string).collect()
}

/// A relation that must exist (a foreign key guarantees it); its absence is a server fault.
fn required<T>(value: Option<T>, what: &str) -> ApiResult<T> {
    value.ok_or_else(|| Error::new(format!("{what} is missing")).extend_with(|_, e| e.set("code", INTERNAL)))
}
