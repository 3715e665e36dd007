//! The one error type of the crate. A refused credential is always [`AuthError::Unauthenticated`], whatever
//! was wrong with it: telling a caller *which* check failed tells an attacker which part to fix.

/// Why an authentication step did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// A credential was refused. Deliberately says nothing about why.
    #[error("authentication failed")]
    Unauthenticated,
    /// The service is set up wrongly (missing or weak signing secret, unreadable secret file).
    #[error("authentication is misconfigured: {0}")]
    Config(String),
    /// Something broke that the caller could not have caused (the OS random source, the hasher).
    #[error("internal authentication error: {0}")]
    Internal(String),
}
