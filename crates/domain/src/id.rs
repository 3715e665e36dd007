//! Typed identifiers. Every entity is keyed by a UUID (version 7, so keys sort by creation time);
//! the types keep an article id from being passed where a place id is expected.

use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

typed_id!(
    /// Identifies an organisational unit.
    UnitId
);
typed_id!(
    /// Identifies a category.
    CategoryId
);
typed_id!(
    /// Identifies an article.
    ArticleId
);
typed_id!(
    /// Identifies a place.
    PlaceId
);
typed_id!(
    /// Identifies a QR code record (not the short code printed on the poster).
    QrCodeId
);
typed_id!(
    /// Identifies one recorded scan.
    ScanId
);
typed_id!(
    /// Identifies an account (an officer who logs in).
    UserId
);
typed_id!(
    /// Identifies an API key given to a third-party frontend or app.
    ApiKeyId
);
typed_id!(
    /// Identifies an uploaded image.
    MediaId
);
typed_id!(
    /// Identifies one saved revision of an article.
    RevisionId
);
