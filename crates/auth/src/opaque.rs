//! Opaque secrets: refresh tokens and API keys. Each is 256 random bits, so a fast hash is enough to
//! store it (no one can guess an input to try); only the SHA-256 hex of the plain text is kept.
//!
//! An API key reads `frk_` + an 8-character public prefix + `_` + 43 base64url characters. The prefix
//! finds the stored row and may be shown in lists; the whole string is the secret.

use crate::error::AuthError;
use crate::random;
use base64::Engine as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

/// What every API key starts with, so that a leaked key is recognisable (secret scanners, logs).
pub const API_KEY_TAG: &str = "frk_";
/// Length of an API key's public prefix.
pub const API_KEY_PREFIX_LEN: usize = 8;
/// Length of an API key's secret part: 32 bytes as unpadded base64url.
const API_KEY_SECRET_LEN: usize = 43;
/// Length of a whole API key.
pub const API_KEY_LEN: usize = API_KEY_TAG.len() + API_KEY_PREFIX_LEN + 1 + API_KEY_SECRET_LEN;
/// The prefix alphabet: digits and lower-case letters without i, l, o, u, which are easy to misread.
/// 32 symbols, so each one is 5 bits of a random byte with no bias.
const PREFIX_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// A new refresh token: `(plain, hash)`. Give `plain` to the client, store `hash`.
pub fn generate_refresh_token() -> Result<(String, String), AuthError> {
    let plain = random::base64url::<32>()?;
    let hash = hash_opaque(&plain);
    Ok((plain, hash))
}

/// The stored form of an opaque secret: lower-case hex SHA-256 of its text.
pub fn hash_opaque(plain: &str) -> String {
    Sha256::digest(plain.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `plain` hashes to `stored_hash`, compared in constant time.
pub fn verify_opaque(plain: &str, stored_hash: &str) -> bool {
    hashes_equal(&hash_opaque(plain), stored_hash)
}

/// Constant-time equality of two hashes (the time depends on the lengths only).
pub fn hashes_equal(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// A new API key. `plain` is shown once; `prefix` and `hash` are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeySecret {
    pub plain: String,
    pub prefix: String,
    pub hash: String,
}

pub fn generate_api_key() -> Result<ApiKeySecret, AuthError> {
    let prefix: String = random::bytes::<API_KEY_PREFIX_LEN>()?
        .iter()
        .map(|b| char::from(PREFIX_ALPHABET[usize::from(b & 31)]))
        .collect();
    let plain = format!("{API_KEY_TAG}{prefix}_{}", random::base64url::<32>()?);
    let hash = hash_opaque(&plain);
    Ok(ApiKeySecret { plain, prefix, hash })
}

/// The `(prefix, hash)` of a presented API key, or `None` if it cannot be one of ours: wrong length, tag,
/// separator or characters, or a secret part that is not exactly 32 bytes of canonical base64url.
/// Checking the shape first keeps junk away from the database.
pub fn parse_api_key(presented: &str) -> Option<(String, String)> {
    if presented.len() != API_KEY_LEN {
        return None;
    }
    let rest = presented.strip_prefix(API_KEY_TAG)?;
    let (prefix, secret) = (rest.get(..API_KEY_PREFIX_LEN)?, rest.get(API_KEY_PREFIX_LEN..)?);
    let secret = secret.strip_prefix('_')?;
    if !prefix.bytes().all(|b| PREFIX_ALPHABET.contains(&b)) {
        return None;
    }
    // The strict engine refuses padding, other alphabets and non-zero trailing bits, so each key has one
    // spelling only.
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(secret).ok()?;
    if bytes.len() != 32 {
        return None;
    }
    Some((prefix.to_owned(), hash_opaque(presented)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sha256_hex() {
        // FIPS 180-2 test vectors.
        assert_eq!(hash_opaque(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hash_opaque("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn refresh_tokens_are_43_base64url_characters_with_their_hash() {
        let (plain, hash) = generate_refresh_token().expect("token");
        assert_eq!(plain.len(), 43);
        assert!(plain.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{plain}");
        assert_eq!(hash.len(), 64);
        assert!(verify_opaque(&plain, &hash));
        assert!(!verify_opaque(&plain[1..], &hash));
        let (other, _) = generate_refresh_token().expect("token");
        assert_ne!(plain, other);
    }

    #[test]
    fn hash_comparison() {
        let h = hash_opaque("abc");
        assert!(hashes_equal(&h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assert!(!hashes_equal(&h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae"));
        assert!(!hashes_equal(&h, &h[..63]));
        assert!(!hashes_equal(&h, ""));
    }

    #[test]
    fn generated_api_keys_have_the_documented_shape_and_parse_back() {
        let key = generate_api_key().expect("key");
        assert_eq!(key.plain.len(), 56, "4 + 8 + 1 + 43");
        assert!(key.plain.starts_with("frk_"));
        assert_eq!(&key.plain[4..12], key.prefix);
        assert_eq!(&key.plain[12..13], "_");
        assert!(key.prefix.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()), "{}", key.prefix);
        assert_eq!(key.hash, hash_opaque(&key.plain));
        assert_eq!(parse_api_key(&key.plain), Some((key.prefix.clone(), key.hash.clone())));
        assert_ne!(generate_api_key().expect("key").plain, key.plain);
    }

    #[test]
    fn a_hand_written_key_parses_to_its_prefix_and_sha256() {
        // The secret part is 32 zero bytes: 42 'A's then one more 'A' for the last 4 bits.
        let key = format!("frk_0123abcd_{}", "A".repeat(43));
        let (prefix, hash) = parse_api_key(&key).expect("well-formed");
        assert_eq!(prefix, "0123abcd");
        assert_eq!(hash, hash_opaque(&key));
    }

    #[test]
    fn anything_else_is_not_an_api_key() {
        let good_secret = "A".repeat(43);
        let cases = [
            String::new(),
            "frk_".to_string(),
            format!("frk_0123abcd_{}", "A".repeat(42)),  // one character short
            format!("frk_0123abcd_{}", "A".repeat(44)),  // one too many
            format!("frx_0123abcd_{good_secret}"),       // wrong tag
            format!("FRK_0123abcd_{good_secret}"),       // tags are case-sensitive
            format!("frk_0123abcd-{good_secret}"),       // wrong separator
            format!("frk_0123ABCD_{good_secret}"),       // upper case is not in the prefix alphabet
            format!("frk_0123abci_{good_secret}"),       // nor is i
            format!("frk_0123abc__{good_secret}"),       // nor is _
            format!("frk_0123abcd_{}=", "A".repeat(42)), // padding
            format!("frk_0123abcd_{}+", "A".repeat(42)), // standard, not url, alphabet
            format!("frk_0123abcd_{}B", "A".repeat(42)), // last digit carries non-zero spare bits
            format!(" frk_0123abcd_{}", "A".repeat(42)), // whitespace
            format!("frk_0123abcd_{}é", "A".repeat(41)), // right byte length, not ASCII
            format!("frk_0123abcé_{good_secret}").replacen('A', "", 1), // multi-byte char in the prefix
        ];
        for case in &cases {
            assert_eq!(parse_api_key(case), None, "{case:?}");
        }
    }
}
