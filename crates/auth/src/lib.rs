//! Credentials for Frontier: argon2id password hashes, HS256 access tokens, opaque refresh tokens and API
//! keys, the JWT signing secret, and login throttling.
//!
//! This crate knows no database, no HTTP and no GraphQL: it turns secrets into what is stored and checks
//! what is presented, and the layers above decide where things live and how they travel. Its only I/O is
//! the development signing-secret file. Every refused credential is the same opaque
//! [`AuthError::Unauthenticated`], so no caller can leak which check failed.

pub mod error;
pub mod opaque;
pub mod password;
pub mod preview;
mod random;
pub mod secret;
pub mod throttle;
pub mod token;

pub use error::AuthError;
pub use opaque::{
    ApiKeySecret, generate_api_key, generate_refresh_token, hash_opaque, hashes_equal, parse_api_key, verify_opaque,
};
pub use password::{Hasher, check_new_password, dummy_verify, hash_password, verify_password};
pub use preview::PreviewSigner;
pub use secret::{Mode, SigningSecret, load_signing_secret};
pub use throttle::{Admitted, RetryAfter, Throttle, ThrottleConfig};
pub use token::{AccessClaims, Claims, TokenIssuer};
