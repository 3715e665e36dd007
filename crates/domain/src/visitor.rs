//! Counting people without knowing them. A scan keeps a visitor key: a keyed hash of the client's
//! address and user agent under a key that lives one local day. Within that day the same phone gives
//! the same key (unique visitors, repeats); the next day's key is unrelated, and once a day's key is
//! gone nobody, the operator included, can link that day's keys to an address or to another day.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;

/// Bytes kept of the hash: 128 bits, plenty to tell a day's visitors apart.
const KEY_BYTES: usize = 16;

/// A day's secret. Never stored: it lives in memory until its day ends.
pub struct DayKey([u8; 32]);

impl DayKey {
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The visitor key of a client seen under this day's key.
    pub fn visitor(&self, address: &str, user_agent: &str) -> VisitorKey {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        // The separator keeps ("1.2.3.4", "5x") and ("1.2.3.45", "x") apart.
        mac.update(address.as_bytes());
        mac.update(b"\n");
        mac.update(user_agent.as_bytes());
        let digest = mac.finalize().into_bytes();
        // Every scan makes a key: hex digits by hand, not a formatted string per byte.
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let out = digest[..KEY_BYTES]
            .iter()
            .flat_map(|b| [char::from(HEX[usize::from(b >> 4)]), char::from(HEX[usize::from(b & 0xf)])])
            .collect();
        VisitorKey(out)
    }
}

impl Drop for DayKey {
    /// A day's key is destroyed with its day: the bytes are overwritten, not just forgotten.
    fn drop(&mut self) {
        for b in &mut self.0 {
            // SAFETY: `b` is a valid, aligned, exclusive reference into our own array.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

impl fmt::Debug for DayKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DayKey(…)")
    }
}

/// 32 hex digits; meaningless outside its day.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VisitorKey(String);

impl VisitorKey {
    /// A stored key read back (32 lower-case hex digits), `None` for anything else.
    pub fn parse(stored: &str) -> Option<Self> {
        let ok =
            stored.len() == KEY_BYTES * 2 && stored.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        ok.then(|| Self(stored.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VisitorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHONE: &str = "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 Mobile Safari/537.36";

    #[test]
    fn same_phone_same_day_same_key_and_nothing_more() {
        let today = DayKey::new([7; 32]);
        let tomorrow = DayKey::new([8; 32]);
        let k = today.visitor("113.160.12.7", PHONE);
        assert_eq!(k, today.visitor("113.160.12.7", PHONE));
        assert_ne!(k, today.visitor("113.160.12.8", PHONE), "another address");
        assert_ne!(k, today.visitor("113.160.12.7", "curl/8.5.0"), "another agent");
        assert_ne!(k, tomorrow.visitor("113.160.12.7", PHONE), "the next day knows nothing of today");
        assert_ne!(today.visitor("1.2.3.4", "5x"), today.visitor("1.2.3.45", "x"), "the parts do not run together");
        assert_eq!(k.as_str().len(), 32);
        assert_eq!(VisitorKey::parse(k.as_str()), Some(k.clone()));
        assert_eq!(VisitorKey::parse("113.160.12.7"), None);
        assert_eq!(format!("{today:?}"), "DayKey(…)", "the secret never reaches a log");
    }

    #[test]
    fn the_hash_is_hmac_sha256() {
        // HMAC pads short keys with zeros to the block size, so "Jefe" zero-padded to 32 bytes is the
        // key "Jefe". Expected value computed independently with Python's hmac module:
        // hmac.new(b"Jefe", b"what do ya want \nfor nothing?", hashlib.sha256).hexdigest()[:32]
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        let k = DayKey::new(key).visitor("what do ya want ", "for nothing?");
        assert_eq!(k.as_str(), "2b9465add41e8aa0dbcc02871fef1965");
    }
}
