//! What can go wrong with an upload, in words the person who sent it can act on.

use crate::detect::InputKind;
use std::fmt;

/// The types an upload may be, for messages that tell the user what to send instead.
pub const ACCEPTED: &str = "JPEG, PNG or WebP";

/// Why an upload was refused. Every message says what was found and what is allowed, so an edge
/// (GraphQL, CLI) can show it as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaError {
    /// Nothing was sent.
    Empty,
    /// More bytes than [`crate::Limits::max_upload_bytes`].
    TooLarge { size: usize, limit: usize },
    /// The bytes are not an accepted image; `found` names what they look like ("PDF", "SVG", ...).
    Unsupported { found: &'static str },
    /// The header announces more pixels than [`crate::Limits::max_pixels`]: refused before decoding.
    TooManyPixels { width: u32, height: u32, limit: u64 },
    /// One side is longer than [`crate::Limits::max_side`]: refused before decoding.
    SideTooLong { width: u32, height: u32, limit: u32 },
    /// The type is right but the content is damaged or incomplete (a truncated upload, say).
    Corrupt { kind: InputKind, detail: String },
    /// Writing an output failed: not the user's fault, so the message says to try again.
    Encode(String),
}

impl fmt::Display for MediaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "the upload is empty: send a {ACCEPTED} image"),
            Self::TooLarge { size, limit } => {
                write!(f, "the file is {}; the limit is {}", mib(*size), mib(*limit))
            }
            Self::Unsupported { found } => {
                write!(f, "this file is {found}, which is not accepted: send a {ACCEPTED} image")
            }
            Self::TooManyPixels { width, height, limit } => write!(
                f,
                "the image is {width} × {height} pixels ({}); the limit is {}: make it smaller and upload again",
                megapixels(u64::from(*width) * u64::from(*height)),
                megapixels(*limit)
            ),
            Self::SideTooLong { width, height, limit } => {
                write!(f, "the image is {width} × {height} pixels; no side may be longer than {limit} pixels")
            }
            Self::Corrupt { kind, detail } => write!(
                f,
                "could not decode this {}: the file may be damaged or incompletely uploaded ({detail})",
                kind.name()
            ),
            Self::Encode(detail) => write!(f, "could not store the image, please try again ({detail})"),
        }
    }
}

impl std::error::Error for MediaError {}

/// `10485760` → `10 MiB`, `12951142` → `12.4 MiB`.
fn mib(bytes: usize) -> String {
    rounded_up(bytes as u128, 1024 * 1024, "MiB")
}

fn megapixels(pixels: u64) -> String {
    rounded_up(u128::from(pixels), 1_000_000, "megapixels")
}

/// `value / unit` to one decimal, shown only where it tells something. Rounded up, so a value
/// just over a limit never prints as the limit itself.
fn rounded_up(value: u128, unit: u128, name: &str) -> String {
    let tenths = (value * 10).div_ceil(unit);
    if tenths.is_multiple_of(10) {
        format!("{} {name}", tenths / 10)
    } else {
        format!("{}.{} {name}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_a_person_would_say_them() {
        assert_eq!(mib(10 * 1024 * 1024), "10 MiB");
        // 12.35 MiB rounds up.
        assert_eq!(mib(12_951_142), "12.4 MiB");
        assert_eq!(mib(10 * 1024 * 1024 + 1), "10.1 MiB");
        assert_eq!(megapixels(40_000_000), "40 megapixels");
        assert_eq!(megapixels(12_000_000), "12 megapixels");
        assert_eq!(megapixels(10_000_000_000), "10000 megapixels");
        // Just over the limit must not read as the limit.
        assert_eq!(megapixels(40_000_001), "40.1 megapixels");
    }

    #[test]
    fn messages_name_the_limit_and_the_accepted_types() {
        let e = MediaError::TooLarge { size: 12_951_142, limit: 10 * 1024 * 1024 };
        assert_eq!(e.to_string(), "the file is 12.4 MiB; the limit is 10 MiB");
        let e = MediaError::Unsupported { found: "PDF" };
        assert_eq!(e.to_string(), "this file is PDF, which is not accepted: send a JPEG, PNG or WebP image");
        let e = MediaError::TooManyPixels { width: 100_000, height: 100_000, limit: 40_000_000 };
        assert!(e.to_string().contains("100000 × 100000 pixels"), "{e}");
        assert!(e.to_string().contains("the limit is 40 megapixels"), "{e}");
        let e = MediaError::Corrupt { kind: InputKind::Jpeg, detail: "no end-of-image marker".into() };
        assert!(e.to_string().starts_with("could not decode this JPEG"), "{e}");
    }
}
