//! How much an upload may cost the server, checked before the expensive work starts.

/// Bounds on one upload. Sizes are checked on the raw bytes, pixel counts on the image header, so a
/// decompression bomb (a few KiB that would decode to gigabytes) is refused before any pixel buffer
/// is allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// The most pixels (width × height) an image may announce.
    pub max_pixels: u64,
    /// The longest side an image may announce; stops thin strips (40 000 000 × 1) that pass the pixel
    /// count but make resizing degenerate.
    pub max_side: u32,
}

pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
pub const DEFAULT_MAX_PIXELS: u64 = 40_000_000;
/// Wide enough for a phone's panorama (about 16 000 px), far below what breaks anything.
pub const DEFAULT_MAX_SIDE: u32 = 20_000;

impl Default for Limits {
    fn default() -> Self {
        Self { max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES, max_pixels: DEFAULT_MAX_PIXELS, max_side: DEFAULT_MAX_SIDE }
    }
}
