//! Content hashes: the SHA-256 of a file's bytes, in 64 lowercase hex digits. They name stored files,
//! so a parsed hash is the only thing a request may turn into a path.

use sha2::{Digest, Sha256};
use std::fmt;

/// A SHA-256 in lowercase hex. Made only by hashing bytes or by [`ContentHash::parse`], so it can
/// never hold a `/`, a `..` or anything else a path could be built from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(String);

/// `parse` refused a string: the reason is for logs, a request with it simply finds nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a content hash (64 lowercase hex digits): {0:?}")]
pub struct InvalidHash(pub String);

impl ContentHash {
    pub const LEN: usize = 64;

    pub fn of(bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let mut hex = String::with_capacity(Self::LEN);
        for byte in digest.iter() {
            hex.push(char::from(HEX[usize::from(byte >> 4)]));
            hex.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
        Self(hex)
    }

    /// Accepts exactly 64 characters of `0-9a-f`. Uppercase is refused rather than folded: one file
    /// has one name, and a cache key that differs only in case would be a second one.
    pub fn parse(value: &str) -> Result<Self, InvalidHash> {
        let ok = value.len() == Self::LEN && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if ok { Ok(Self(value.to_owned())) } else { Err(InvalidHash(value.chars().take(80).collect())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_the_published_test_vectors() {
        // FIPS 180-2 examples.
        assert_eq!(ContentHash::of(b"").as_str(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(
            ContentHash::of(b"abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn only_64_lowercase_hex_digits_parse() {
        let good = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(ContentHash::parse(good).map(|h| h.to_string()), Ok(good.to_owned()));
        for bad in [
            "../etc/passwd",
            "",
            &good[..63],
            &format!("{good}0"),
            &good.to_uppercase(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a/",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ag",
            // 64 bytes, but not 64 ASCII characters.
            &format!("{}é", &good[..62]),
        ] {
            assert!(ContentHash::parse(bad).is_err(), "{bad:?} parsed");
        }
    }
}
