//! Bounded decoding: the header is read and checked against the limits before a single pixel
//! buffer exists, then the image is decoded and turned upright from its EXIF orientation.

use crate::detect::InputKind;
use crate::error::MediaError;
use crate::jpeg_end::check_complete;
use crate::limits::Limits;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader};
use std::io::Cursor;

/// The most bytes per pixel a decoder may produce (RGBA at 16 bits per channel).
const MAX_BYTES_PER_PIXEL: u64 = 8;
/// Room for a decoder's own tables and row buffers beyond the pixels.
const DECODER_OVERHEAD: u64 = 64 * 1024 * 1024;

/// Decodes `bytes` of type `kind` into an upright image. A phone usually stores a portrait
/// landscape with "rotate 90°" in its EXIF; the result is the portrait.
pub(crate) fn decode(bytes: &[u8], kind: InputKind, limits: &Limits) -> Result<DynamicImage, MediaError> {
    let corrupt = |e: image::ImageError| MediaError::Corrupt { kind, detail: e.to_string() };
    if kind == InputKind::Jpeg {
        check_complete(bytes).map_err(|detail| MediaError::Corrupt { kind, detail: detail.to_owned() })?;
    }

    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.image_format());
    reader.limits(decoder_limits(limits));
    // Makes the decoder and reads the header only: PNG stops at the first IDAT, JPEG at the
    // first scan, WebP after its chunk headers.
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    check_dimensions(width, height, limits)?;

    // `from_decoder` does not apply `max_alloc` to the pixel buffer itself (only `ImageReader::
    // decode` does), so the budget is charged here as well: a second guard behind the one above.
    decoder_limits(limits).reserve(decoder.total_bytes()).map_err(corrupt)?;

    // A damaged EXIF block must not cost the upload: the image is then taken as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn decoder_limits(limits: &Limits) -> image::Limits {
    let mut bounds = image::Limits::default();
    // The dimensions are checked by `check_dimensions` (with messages that name them), so the
    // decoder gets only a memory bound, wide enough for the largest image that passes.
    bounds.max_alloc = Some(limits.max_pixels.saturating_mul(MAX_BYTES_PER_PIXEL).saturating_add(DECODER_OVERHEAD));
    bounds
}

fn check_dimensions(width: u32, height: u32, limits: &Limits) -> Result<(), MediaError> {
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(MediaError::TooManyPixels { width, height, limit: limits.max_pixels });
    }
    if width.max(height) > limits.max_side {
        return Err(MediaError::SideTooLong { width, height, limit: limits.max_side });
    }
    Ok(())
}
