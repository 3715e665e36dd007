//! From uploaded bytes to a stored image: the one path that both the `uploadImage` mutation and the
//! server's `POST /media` take. Checking who may upload is the caller's part; this module bounds the
//! work, makes the files (`frontier_media::process`), writes them content-addressed and records the
//! metadata with its audit entry.

use frontier_domain::{AuditActor, ImageFormat, Media, MediaFile, MediaKind, MediaText, Translated, UnitId, User};
use frontier_media::{InputKind, Limits, MediaError, MediaStore, Output, OutputFormat, Processed, process};
use frontier_store::{NewMedia, Store, StoreError};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Uploads processed at the same time. Each holds a decoded image (up to about 300 MB for the largest
/// accepted one) and a core for about a second: two keep a small server responsive and its memory
/// bounded; the others wait their turn.
pub const CONCURRENT_UPLOADS: usize = 2;

/// The media library: where the files go, how large an upload may be, and the permits that bound how
/// many are processed at once. Shared by every request.
pub struct Uploads {
    files: MediaStore,
    limits: Limits,
    permits: Arc<Semaphore>,
}

/// Why an upload did not become an image.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The upload itself was refused (too large, not an image, damaged): the message says what to send.
    #[error(transparent)]
    Refused(MediaError),
    /// Writing the files failed: the server's fault.
    #[error("the image files could not be stored: {0}")]
    Files(frontier_media::StoreError),
    #[error(transparent)]
    Store(StoreError),
    #[error("image processing stopped: {0}")]
    Task(String),
}

pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
pub const UNSUPPORTED_MEDIA_TYPE: &str = "UNSUPPORTED_MEDIA_TYPE";

impl UploadError {
    /// The stable code of a refusal; `None` for the server's own failures (and the store's, which
    /// `crate::error::store` maps).
    pub fn refusal_code(&self) -> Option<&'static str> {
        match self {
            Self::Refused(MediaError::TooLarge { .. }) => Some(PAYLOAD_TOO_LARGE),
            Self::Refused(MediaError::Unsupported { .. }) => Some(UNSUPPORTED_MEDIA_TYPE),
            Self::Refused(MediaError::Encode(_)) => None,
            Self::Refused(_) => Some(crate::error::BAD_USER_INPUT),
            _ => None,
        }
    }
}

impl Uploads {
    /// Files under `root` (created on the first upload); uploads of at most `max_upload_bytes`.
    pub fn new(root: impl Into<PathBuf>, max_upload_bytes: usize) -> Self {
        Self {
            files: MediaStore::new(root),
            limits: Limits { max_upload_bytes, ..Limits::default() },
            permits: Arc::new(Semaphore::new(CONCURRENT_UPLOADS)),
        }
    }

    pub fn max_upload_bytes(&self) -> usize {
        self.limits.max_upload_bytes
    }

    /// The stored files, for serving them.
    pub fn files(&self) -> &MediaStore {
        &self.files
    }

    /// Processes `bytes` into a master and renditions, stores the files and records the image in
    /// `unit` with its texts. Waits for a permit first; the work, once started, finishes even if the
    /// client goes away, so the permit bounds it truly.
    pub async fn ingest(
        &self,
        store: &Store,
        bytes: impl AsRef<[u8]> + Send + 'static,
        unit: UnitId,
        texts: Translated<MediaText>,
        user: &User,
    ) -> Result<Media, UploadError> {
        // A refusal that needs no decoding should not wait behind other people's photos.
        let size = bytes.as_ref().len();
        if size > self.limits.max_upload_bytes {
            return Err(UploadError::Refused(MediaError::TooLarge { size, limit: self.limits.max_upload_bytes }));
        }
        frontier_media::detect(bytes.as_ref()).map_err(UploadError::Refused)?;
        let permit = self.permits.clone().acquire_owned().await.map_err(|e| UploadError::Task(e.to_string()))?;
        let (files, limits) = (self.files.clone(), self.limits);
        let made = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let processed = process(bytes.as_ref(), &limits).map_err(UploadError::Refused)?;
            for output in processed.outputs() {
                files.put(&output.bytes, output.format).map_err(UploadError::Files)?;
            }
            Ok::<_, UploadError>(describe(&processed))
        })
        .await
        .map_err(|e| UploadError::Task(e.to_string()))??;
        let (kind, master, renditions) = made;
        let new = NewMedia { unit, kind, master, renditions, texts, created_by: Some(user.id) };
        // Should this fail, the files stay on disk unreferenced: harmless, and the same upload again
        // finds them already written.
        store.save_media(new, AuditActor::user(user.id, &user.display_name)).await.map_err(UploadError::Store)
    }
}

fn describe(p: &Processed) -> (MediaKind, MediaFile, Vec<MediaFile>) {
    let kind = match p.input {
        InputKind::Jpeg => MediaKind::Jpeg,
        InputKind::Png => MediaKind::Png,
        InputKind::WebP => MediaKind::WebP,
    };
    (kind, file(&p.master), p.renditions.iter().map(file).collect())
}

fn file(o: &Output) -> MediaFile {
    MediaFile {
        width: o.width,
        height: o.height,
        hash: o.sha256.to_string(),
        format: match o.format {
            OutputFormat::Jpeg => ImageFormat::Jpeg,
            OutputFormat::Png => ImageFormat::Png,
        },
        bytes: o.bytes.len() as u64,
    }
}
