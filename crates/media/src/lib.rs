//! Uploaded images made safe to store and serve.
//!
//! The pieces that need no codec: an upload's type from its bytes ([`detect()`]), the limits it
//! must respect ([`Limits`]), the sizes made from it ([`sizes`]) and content hashes ([`ContentHash`]).
//!
//! This crate knows the filesystem and image codecs only: no database, no HTTP and no GraphQL.

pub mod detect;
pub mod error;
pub mod hash;
pub mod limits;
pub mod sizes;

pub use detect::{InputKind, detect};
pub use error::MediaError;
pub use hash::{ContentHash, InvalidHash};
pub use limits::Limits;
pub use sizes::{MASTER_MAX_SIDE, RENDITION_WIDTHS};
