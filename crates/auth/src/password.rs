//! Password hashes: argon2id in PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), so the parameters
//! travel with each hash and can be raised later without breaking stored ones.

use crate::error::AuthError;
use crate::random;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use frontier_domain::ValidationError;
use std::sync::LazyLock;

/// Fewer characters than this are refused for a new password.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// More bytes than this are refused for a new password: argon2 reads the whole input, so an unbounded
/// one is free work for an attacker, and no one types a kilobyte.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// OWASP's argon2id recommendation: 19 MiB of memory, 2 passes, 1 lane, 32-byte output.
pub const OWASP_PARAMS: Params = match Params::new(19 * 1024, 2, 1, Some(32)) {
    Ok(p) => p,
    Err(_) => panic!("the OWASP argon2 parameters are valid"),
};

/// The most expensive stored hash this crate will compute against (256 MiB, 16 passes, 8 lanes). A stored
/// hash comes from our own database, but a corrupted or planted one must not make one login allocate
/// gigabytes.
const MAX_VERIFY_PARAMS: (u32, u32, u32) = (256 * 1024, 16, 8);

/// Hashes and checks passwords with one set of argon2id parameters.
#[derive(Clone)]
pub struct Hasher {
    argon2: Argon2<'static>,
    /// A well-formed hash with this hasher's parameters that no password matches, for [`Hasher::dummy_verify`].
    dummy_phc: String,
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new(OWASP_PARAMS)
    }
}

impl Hasher {
    pub fn new(params: Params) -> Self {
        let dummy_phc = dummy_phc(&params);
        Self { argon2: Argon2::new(Algorithm::Argon2id, Version::V0x13, params), dummy_phc }
    }

    /// A PHC string for `password` with a fresh random salt.
    pub fn hash(&self, password: &str) -> Result<String, AuthError> {
        let salt = SaltString::encode_b64(&random::bytes::<16>()?)
            .map_err(|e| AuthError::Internal(format!("argon2 salt: {e}")))?;
        let hash = self
            .argon2
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| AuthError::Internal(format!("argon2 hash: {e}")))?;
        Ok(hash.to_string())
    }

    /// Whether `password` matches the stored PHC string. The parameters are the ones in `phc`, not this
    /// hasher's, so hashes made with older parameters keep working. The output comparison is constant-time
    /// (`password_hash::Output`). A malformed or absurdly expensive `phc` is simply no match.
    pub fn verify(&self, password: &str, phc: &str) -> bool {
        let Ok(hash) = PasswordHash::new(phc) else {
            tracing::debug!("stored password hash is not a PHC string");
            return false;
        };
        let Ok(params) = Params::try_from(&hash) else {
            return false;
        };
        let (max_m, max_t, max_p) = MAX_VERIFY_PARAMS;
        if params.m_cost() > max_m || params.t_cost() > max_t || params.p_cost() > max_p {
            tracing::debug!("stored password hash asks for more work than allowed");
            return false;
        }
        self.argon2.verify_password(password.as_bytes(), &hash).is_ok()
    }

    /// Spends what [`Hasher::verify`] spends, against a hash nothing matches. Call it when the account does
    /// not exist, so that "no such email" and "wrong password" take the same time.
    pub fn dummy_verify(&self, password: &str) {
        let _ = self.verify(password, &self.dummy_phc);
    }
}

/// A PHC string with `params` whose salt and output are zero bytes. Verifying against it costs exactly one
/// argon2 run with `params`, and it needs no hashing to build.
fn dummy_phc(params: &Params) -> String {
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
    let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        b64.encode([0u8; 16]),
        b64.encode(vec![0u8; output_len]),
    )
}

static OWASP_HASHER: LazyLock<Hasher> = LazyLock::new(Hasher::default);

/// [`Hasher::hash`] with [`OWASP_PARAMS`].
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    OWASP_HASHER.hash(password)
}

/// [`Hasher::verify`]: the parameters come from `phc`.
pub fn verify_password(password: &str, phc: &str) -> bool {
    OWASP_HASHER.verify(password, phc)
}

/// [`Hasher::dummy_verify`] with [`OWASP_PARAMS`].
pub fn dummy_verify(password: &str) {
    OWASP_HASHER.dummy_verify(password)
}

/// The rules for a password an officer chooses: length only (NIST 800-63B: length beats composition rules).
/// Counted in characters so that a Vietnamese passphrase is not penalised for its diacritics.
pub fn check_new_password(password: &str) -> Result<(), ValidationError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ValidationError::new("password", format!("must be at least {MIN_PASSWORD_CHARS} characters")));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ValidationError::new("password", format!("must be at most {MAX_PASSWORD_BYTES} bytes")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheapest argon2id argon2 allows (8 KiB, 1 pass): the tests check behaviour, not cost.
    fn cheap() -> Hasher {
        Hasher::new(Params::new(8, 1, 1, None).expect("minimal params are valid"))
    }

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let h = cheap();
        let phc = h.hash("correct horse battery staple").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{phc}");
        assert!(h.verify("correct horse battery staple", &phc));
        assert!(!h.verify("correct horse battery stapl", &phc));
        assert!(!h.verify("Correct horse battery staple", &phc));
        assert!(!h.verify("", &phc));
    }

    #[test]
    fn the_same_password_gets_a_new_salt_each_time() {
        let h = cheap();
        let (a, b) = (h.hash("same password twice").expect("hash"), h.hash("same password twice").expect("hash"));
        assert_ne!(a, b);
        assert!(h.verify("same password twice", &a) && h.verify("same password twice", &b));
    }

    #[test]
    fn the_default_parameters_are_owasps_and_work() {
        let phc = hash_password("a passphrase of some length").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        // 16-byte salt = 22 unpadded base64 digits, 32-byte output = 43.
        let parts: Vec<&str> = phc.split('$').collect();
        assert_eq!((parts[4].len(), parts[5].len()), (22, 43), "{phc}");
        assert!(verify_password("a passphrase of some length", &phc));
        assert!(!verify_password("a passphrase of some lengtH", &phc));
    }

    #[test]
    fn a_hash_made_with_other_parameters_still_verifies() {
        let phc = cheap().hash("made with cheap params").expect("hash");
        assert!(Hasher::default().verify("made with cheap params", &phc));
    }

    #[test]
    fn malformed_stored_hashes_are_no_match() {
        let h = cheap();
        let good = h.hash("the real password").expect("hash");
        let truncated = &good[..good.len() - 10];
        let too_costly =
            "$argon2id$v=19$m=4194304,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        for phc in ["", "plaintext", "$argon2id$", "$argon2id$v=19$m=x,t=1,p=1$abc$def", "$2b$12$bcrypt", truncated] {
            assert!(!h.verify("the real password", phc), "{phc:?}");
        }
        assert!(!h.verify("anything", too_costly), "a 4 GiB hash must be refused before it is computed");
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        // Same algorithm, version, m, t, p and output length is the same work: timing is not measured
        // here because on a shared machine it would make a flaky test.
        let h = Hasher::default();
        let real = h.hash("whatever").expect("hash");
        let real = PasswordHash::new(&real).expect("real PHC");
        let dummy = PasswordHash::new(&h.dummy_phc).expect("dummy PHC parses");
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(Params::try_from(&dummy).expect("dummy params"), Params::try_from(&real).expect("real params"));
        assert_eq!(dummy.hash.map(|o| o.len()), Some(32));
        assert!(!h.verify("", &h.dummy_phc), "the dummy must not match even the empty password");
        dummy_verify("unknown user's guess");
    }

    #[test]
    fn new_passwords_are_checked_by_length() {
        let ok = |p: &str| check_new_password(p).is_ok();
        assert!(!ok(""));
        assert!(!ok("elevenchars"));
        assert!(ok("twelve chars"));
        // 11 characters but 22 bytes: counted as 11, so refused; 12 such characters pass.
        assert!(!ok(&"đ".repeat(11)));
        assert!(ok(&"đ".repeat(12)));
        assert!(ok(&"a".repeat(1024)));
        assert!(!ok(&"a".repeat(1025)));
        // 513 two-byte characters are 1026 bytes.
        assert!(!ok(&"đ".repeat(513)));
        assert_eq!(check_new_password("short").expect_err("too short").field, "password");
        assert_eq!(check_new_password(&"a".repeat(2000)).expect_err("too long").field, "password");
    }
}
