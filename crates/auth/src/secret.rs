//! The HMAC key that signs access tokens. In production it must come from the environment; a developer's
//! machine gets one generated once and kept in the data directory, so tokens survive restarts.

use crate::error::AuthError;
use crate::random;
use base64::Engine as _;
use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

/// Shorter secrets are refused: HS256 is only as strong as its key, and 32 bytes is SHA-256's block of
/// security (RFC 7518 §3.2 requires a key at least as long as the hash output).
pub const MIN_SECRET_BYTES: usize = 32;
/// What a generated development secret holds.
const GENERATED_SECRET_BYTES: usize = 64;
/// The file in the data directory that keeps the development secret.
pub const SECRET_FILE_NAME: &str = "jwt-secret";

/// Where the process runs, which decides whether a missing secret may be made up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Development,
    Production,
}

/// Key bytes for HS256. `Debug` does not print them.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSecret(Vec<u8>);

impl SigningSecret {
    /// Takes `bytes` as the key if it is at least [`MIN_SECRET_BYTES`] long.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, AuthError> {
        if bytes.len() < MIN_SECRET_BYTES {
            return Err(AuthError::Config(format!(
                "the JWT signing secret is {} bytes; it must be at least {MIN_SECRET_BYTES}",
                bytes.len()
            )));
        }
        Ok(Self(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningSecret({} bytes, redacted)", self.0.len())
    }
}

/// The signing secret: `configured` (the value of `FRONTIER_JWT_SECRET`, used byte for byte) if given;
/// otherwise, in development only, the one in `data_dir/jwt-secret`, generated there on first use.
/// The caller reads the environment and passes `None` when the variable is unset.
pub fn load_signing_secret(
    configured: Option<String>,
    data_dir: &Path,
    mode: Mode,
) -> Result<SigningSecret, AuthError> {
    if let Some(value) = configured {
        return SigningSecret::from_bytes(value.into_bytes())
            .map_err(|e| AuthError::Config(format!("FRONTIER_JWT_SECRET: {e}")));
    }
    match mode {
        Mode::Production => Err(AuthError::Config("FRONTIER_JWT_SECRET must be set in production".into())),
        Mode::Development => load_or_create_dev_secret(data_dir),
    }
}

fn load_or_create_dev_secret(data_dir: &Path) -> Result<SigningSecret, AuthError> {
    let path = data_dir.join(SECRET_FILE_NAME);
    let config = |what: &str, e: io::Error| AuthError::Config(format!("{what} {}: {e}", path.display()));
    match fs::read_to_string(&path) {
        Ok(text) => return decode_secret_file(&path, &text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(config("cannot read", e)),
    }

    let bytes = random::bytes::<GENERATED_SECRET_BYTES>()?;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    fs::create_dir_all(data_dir).map_err(|e| config("cannot create the folder of", e))?;

    // Written in full to a private temporary file, then linked into place: a reader never sees half a
    // secret, and a link (unlike a rename) fails if another process got there first, whose secret then wins.
    let tmp = data_dir.join(format!(".{SECRET_FILE_NAME}.{}.tmp", random::base64url::<6>()?));
    let written = write_private(&tmp, encoded.as_bytes()).and_then(|()| fs::hard_link(&tmp, &path));
    let _ = fs::remove_file(&tmp);
    match written {
        Ok(()) => {
            tracing::info!(path = %path.display(), "generated a development JWT signing secret");
            SigningSecret::from_bytes(bytes.to_vec())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let text = fs::read_to_string(&path).map_err(|e| config("cannot read", e))?;
            decode_secret_file(&path, &text)
        }
        Err(e) => Err(config("cannot write", e)),
    }
}

fn decode_secret_file(path: &Path, text: &str) -> Result<SigningSecret, AuthError> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| {
        AuthError::Config(format!("{} is not unpadded base64url; delete it to have a new one made", path.display()))
    })?;
    SigningSecret::from_bytes(bytes).map_err(|e| AuthError::Config(format!("{}: {e}", path.display())))
}

/// Creates `path` (which must not exist) readable and writable by the owner only, and syncs it.
fn write_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_message(result: Result<SigningSecret, AuthError>) -> String {
        match result {
            Err(AuthError::Config(m)) => m,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn a_configured_secret_is_used_as_given_if_long_enough() {
        let dir = tempfile::tempdir().expect("temp dir");
        let value = "0123456789abcdef0123456789abcdef".to_string(); // exactly 32 bytes
        let secret = load_signing_secret(Some(value.clone()), dir.path(), Mode::Production).expect("32 bytes");
        assert_eq!(secret.as_bytes(), value.as_bytes());
        assert!(!dir.path().join(SECRET_FILE_NAME).exists(), "a configured secret writes no file");

        let short = config_message(load_signing_secret(Some("x".repeat(31)), dir.path(), Mode::Production));
        assert!(short.contains("FRONTIER_JWT_SECRET") && short.contains("31 bytes") && short.contains("32"), "{short}");
        let empty = config_message(load_signing_secret(Some(String::new()), dir.path(), Mode::Development));
        assert!(empty.contains("0 bytes"), "{empty}");
    }

    #[test]
    fn production_without_a_secret_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(SECRET_FILE_NAME), "A".repeat(86)).expect("write file");
        let message = config_message(load_signing_secret(None, dir.path(), Mode::Production));
        assert_eq!(message, "FRONTIER_JWT_SECRET must be set in production", "the file is never used in production");
    }

    #[test]
    fn development_generates_a_private_secret_once_and_reuses_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data_dir = dir.path().join("not/yet/there");
        let first = load_signing_secret(None, &data_dir, Mode::Development).expect("generated");
        assert_eq!(first.as_bytes().len(), 64);

        let path = data_dir.join(SECRET_FILE_NAME);
        let text = std::fs::read_to_string(&path).expect("secret file");
        assert_eq!(text.len(), 86, "64 bytes are 86 unpadded base64url digits");
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers: Vec<_> =
            std::fs::read_dir(&data_dir).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(leftovers, [SECRET_FILE_NAME], "no temporary file is left behind");

        let second = load_signing_secret(None, &data_dir, Mode::Development).expect("reloaded");
        assert_eq!(first, second);
    }

    #[test]
    fn development_reads_an_existing_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        // 33 bytes 0x00..=0x20 in base64url, as Python's base64.urlsafe_b64encode gives it.
        let expected: Vec<u8> = (0u8..=32).collect();
        let encoded = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g\n";
        std::fs::write(dir.path().join(SECRET_FILE_NAME), encoded).expect("write file");
        let secret = load_signing_secret(None, dir.path(), Mode::Development).expect("read");
        assert_eq!(secret.as_bytes(), expected.as_slice());

        let configured = "c".repeat(40);
        let secret = load_signing_secret(Some(configured.clone()), dir.path(), Mode::Development).expect("env wins");
        assert_eq!(secret.as_bytes(), configured.as_bytes());
    }

    #[test]
    fn a_damaged_file_is_reported_not_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(SECRET_FILE_NAME);
        std::fs::write(&path, "not base64 at all!").expect("write file");
        let message = config_message(load_signing_secret(None, dir.path(), Mode::Development));
        assert!(message.contains("base64url"), "{message}");
        std::fs::write(&path, "AAAA").expect("write file"); // 3 bytes
        let message = config_message(load_signing_secret(None, dir.path(), Mode::Development));
        assert!(message.contains("3 bytes"), "{message}");
        assert_eq!(std::fs::read_to_string(&path).expect("file"), "AAAA");
    }

    #[test]
    fn debug_output_hides_the_key() {
        let secret =
            SigningSecret::from_bytes(b"super-secret-value-that-is-long-enough".to_vec()).expect("long enough");
        let shown = format!("{secret:?}");
        assert!(!shown.contains("super"), "{shown}");
        assert!(shown.contains("38 bytes"), "{shown}");
    }
}
