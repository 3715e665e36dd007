//! Uploaded images made safe to store and serve.
//!
//! [`process()`] takes the bytes of an upload, learns its type from the bytes themselves ([`detect()`]),
//! refuses anything too large before decoding it ([`Limits`]), turns it upright, and re-encodes a
//! master and narrower renditions ([`sizes`]) with no metadata left. [`MediaStore`] keeps the outputs
//! on disk under their SHA-256, written atomically.
//!
//! This crate knows the filesystem and image codecs only: no database, no HTTP and no GraphQL.
//! Both [`process()`] (about a second for a 12-megapixel photo) and the store's writes block: call
//! them from `spawn_blocking`, and bound how many run at once, since each holds a decoded image.

mod decode;
pub mod detect;
pub mod encode;
pub mod error;
pub mod hash;
mod jpeg_end;
pub mod limits;
mod pixels;
pub mod process;
pub mod sizes;
pub mod store;

pub use detect::{InputKind, detect};
pub use encode::{JPEG_QUALITY, Output, OutputFormat};
pub use error::MediaError;
pub use hash::{ContentHash, InvalidHash};
pub use limits::Limits;
pub use process::{Processed, process};
pub use sizes::{MASTER_MAX_SIDE, RENDITION_WIDTHS};
pub use store::{MediaStore, StoreError, Stored};
