//! Content-addressed files on disk: `root/ab/cd/<sha256>.<ext>`, where `ab` and `cd` are the
//! hash's first two bytes in hex, so a level holds at most 256 directories and a million files
//! spread to about 15 per leaf.
//!
//! A file appears under its final name only complete: it is written to a temporary file in the
//! same directory, flushed to disk, and renamed into place, which is atomic on one filesystem. A
//! crash leaves at worst a `.tmp*` file beside it (safe to delete), never half a file under a
//! hash's name. The
//! same bytes always get the same name, so storing them twice writes once.

use crate::encode::OutputFormat;
use crate::hash::ContentHash;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Prefix of in-flight files; nothing else in the tree starts with a dot.
const TEMP_PREFIX: &str = ".tmp";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No file with that hash and extension: a 404 at the HTTP edge.
    #[error("no stored file {0}")]
    NotFound(String),
    #[error("media store at {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Where a put landed, and whether it wrote anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub hash: ContentHash,
    pub format: OutputFormat,
    pub path: PathBuf,
    /// False when the same content was already stored and nothing was written.
    pub created: bool,
}

/// The media files under one root directory.
#[derive(Debug, Clone)]
pub struct MediaStore {
    root: PathBuf,
}

impl MediaStore {
    /// A store under `root`, created on first write.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the file for `hash` and `format` lives (whether or not it exists). The hash type
    /// admits only hex digits, so the path cannot leave the root.
    pub fn path_of(&self, hash: &ContentHash, format: OutputFormat) -> PathBuf {
        let hex = hash.as_str();
        self.root.join(&hex[0..2]).join(&hex[2..4]).join(format!("{hex}.{}", format.extension()))
    }

    pub fn exists(&self, hash: &ContentHash, format: OutputFormat) -> Result<bool, StoreError> {
        let path = self.path_of(hash, format);
        path.try_exists().map_err(|source| StoreError::Io { path, source })
    }

    /// Opens a stored file for reading, for serving.
    pub fn open(&self, hash: &ContentHash, format: OutputFormat) -> Result<File, StoreError> {
        let path = self.path_of(hash, format);
        File::open(&path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => StoreError::NotFound(format!("{hash}.{}", format.extension())),
            _ => StoreError::Io { path, source },
        })
    }

    /// Stores `bytes` under their own SHA-256 (computed here, never taken from a caller).
    pub fn put(&self, bytes: &[u8], format: OutputFormat) -> Result<Stored, StoreError> {
        let hash = ContentHash::of(bytes);
        let path = self.path_of(&hash, format);
        let io_err = |source| StoreError::Io { path: path.clone(), source };
        if path.try_exists().map_err(io_err)? {
            return Ok(Stored { hash, format, path, created: false });
        }
        let dir = path.parent().ok_or_else(|| io_err(io::Error::other("a stored path has no parent")))?;
        fs::create_dir_all(dir).map_err(io_err)?;

        // Dropped on any error below, which deletes it: no temporary file outlives a failed put.
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX);
        // Media is public, and a front proxy running as another user may serve the files
        // directly; `tempfile` would create them readable by their owner only.
        #[cfg(unix)]
        builder.permissions(<fs::Permissions as std::os::unix::fs::PermissionsExt>::from_mode(0o644));
        let mut temp = builder.tempfile_in(dir).map_err(io_err)?;
        temp.write_all(bytes).map_err(io_err)?;
        // The data must be on disk before the name points at it, or a crash right after the
        // rename could leave an empty file under a valid hash.
        temp.as_file().sync_all().map_err(io_err)?;
        // A concurrent put of the same bytes may win the race; renaming over its identical file
        // is harmless, so plain `persist` (replace) is right here.
        temp.persist(&path).map_err(|e| io_err(e.error))?;
        sync_dir(dir).map_err(io_err)?;
        Ok(Stored { hash, format, path, created: true })
    }
}

/// Makes the rename itself durable: on Linux a new directory entry survives a crash only once
/// the directory is flushed too.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}
