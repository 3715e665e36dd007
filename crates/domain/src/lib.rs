//! The field model of Frontier: organisational units of the border guard, content (categories and
//! articles with per-locale translations), public places with their QR codes, and scan events.
//!
//! This crate knows no database, no HTTP and no GraphQL. It holds the types and the rules every other
//! layer relies on: what a valid slug, QR code or locale tag is, how the unit and category trees are
//! walked, and which translation a reader is served.

pub mod api_key;
pub mod article;
pub mod audit;
pub mod calendar;
pub mod category;
pub mod clock;
pub mod device;
pub mod error;
pub mod id;
pub mod lifecycle;
pub mod locale;
pub mod media;
pub mod place;
pub mod policy;
pub mod qr;
pub mod role;
pub mod scan;
pub mod slug;
pub mod stats;
pub mod translation;
pub mod tree;
pub mod unit;
pub mod user;
pub mod visitor;

pub use api_key::ApiKey;
pub use article::{Article, ArticleContent, ArticleTranslation, Revision};
pub use audit::{AuditActor, AuditEntry, AuditEvent};
pub use calendar::StatsZone;
pub use category::Category;
pub use clock::{Clock, ManualClock, SystemClock};
pub use device::DeviceClass;
pub use error::ValidationError;
pub use id::{ApiKeyId, ArticleId, CategoryId, MediaId, PlaceId, QrCodeId, RevisionId, ScanId, UnitId, UserId};
pub use lifecycle::{ArticleStatus, PublicationWindow, Transition, Visibility};
pub use locale::{Locale, LocaleChain};
pub use media::{ArticleImages, ImageFormat, Media, MediaFile, MediaKind, MediaText};
pub use place::{Coordinates, Place, PlaceKind};
pub use policy::{Action, Actor, permits};
pub use qr::{QrCode, QrCodeValue, QrTarget, QrTargetChange, QrTargetKind};
pub use role::Role;
pub use scan::{ScanEvent, ScanOutcome, ScanSource};
pub use slug::Slug;
pub use stats::{DayRange, Period, Tally};
pub use translation::{Localized, NamedText, Translated};
pub use unit::{Unit, UnitKind, answering_unit};
pub use user::{Email, User};
pub use visitor::{DayKey, VisitorKey};
