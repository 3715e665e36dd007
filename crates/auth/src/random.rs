//! The operating system's random source, the only one this crate draws secrets from.

use crate::error::AuthError;
use argon2::password_hash::rand_core::{OsRng, RngCore};

/// `N` bytes from the OS. Fails (rather than panics) if the OS cannot deliver, which a server should report.
pub(crate) fn bytes<const N: usize>() -> Result<[u8; N], AuthError> {
    let mut out = [0u8; N];
    OsRng.try_fill_bytes(&mut out).map_err(|e| AuthError::Internal(format!("OS random source failed: {e}")))?;
    Ok(out)
}

/// `N` random bytes as unpadded base64url, the form every generated secret in this crate takes.
pub(crate) fn base64url<const N: usize>() -> Result<String, AuthError> {
    use base64::Engine as _;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes::<N>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_differ_and_have_the_asked_length() {
        let a = bytes::<32>().expect("OS random source");
        let b = bytes::<32>().expect("OS random source");
        assert_ne!(a, b, "two 256-bit draws colliding means the source is broken");
        // 32 bytes = 256 bits = 42 full base64 digits (252 bits) and one more for the last 4 bits.
        assert_eq!(base64url::<32>().expect("OS random source").len(), 43);
    }
}
