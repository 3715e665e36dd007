//! Logging in and staying logged in: what the schema needs to issue and check credentials. One value
//! per server, shared with the HTTP edge (which checks bearer tokens before a request runs).

use chrono::Duration;
use frontier_auth::{Hasher, PreviewSigner, Throttle, ThrottleConfig, TokenIssuer};

/// How long a refresh token lasts when unused (each use replaces it with a fresh one).
pub const DEFAULT_REFRESH_LIFETIME: Duration = Duration::days(30);

pub struct Sessions {
    pub tokens: TokenIssuer,
    pub previews: PreviewSigner,
    pub throttle: Throttle,
    pub hasher: Hasher,
    pub refresh_lifetime: Duration,
}

impl Sessions {
    pub fn new(tokens: TokenIssuer, previews: PreviewSigner) -> Self {
        Self {
            tokens,
            previews,
            throttle: Throttle::new(ThrottleConfig::default()),
            hasher: Hasher::default(),
            refresh_lifetime: DEFAULT_REFRESH_LIFETIME,
        }
    }
}

/// The address the request came from (the socket peer), for login throttling.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub std::net::IpAddr);
