//! Pixels back into files. Encoding from bare pixels is what strips metadata: the encoders are
//! given no EXIF, XMP or ICC, so no GPS position or camera serial can reach disk or a reader.

use crate::error::MediaError;
use crate::hash::ContentHash;
use crate::pixels::Pixels;
use image::ImageEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use std::fmt;

/// JPEG quality for every output: where photos stop showing blocks on a phone while a 640 px
/// rendition stays around 50 KiB for a slow mountain connection.
pub const JPEG_QUALITY: u8 = 80;

/// A stored output's format: JPEG for opaque images, PNG where transparency must survive.
///
/// PNG rather than WebP for transparency: image 0.25 writes only lossless WebP, which beats PNG
/// on size by less than the old phones that cannot show WebP at all would lose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    Jpeg,
    Png,
}

impl OutputFormat {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// The file extension on disk and in URLs, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }

    /// The inverse of [`OutputFormat::extension`], for a request path; anything else is `None`.
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension {
            "jpg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            _ => None,
        }
    }
}

/// One encoded image, ready to store.
#[derive(Clone, PartialEq, Eq)]
pub struct Output {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub format: OutputFormat,
    /// The SHA-256 of `bytes`: its name in the store and a strong ETag.
    pub sha256: ContentHash,
}

impl Output {
    pub fn mime(&self) -> &'static str {
        self.format.mime()
    }
}

/// The bytes as a count: a failing test or a log line should not print a whole JPEG.
impl fmt::Debug for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Output")
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("width", &self.width)
            .field("height", &self.height)
            .field("format", &self.format)
            .field("sha256", &self.sha256)
            .finish()
    }
}

pub(crate) fn encode(pixels: &Pixels) -> Result<Output, MediaError> {
    let (width, height) = pixels.dimensions();
    let mut bytes = Vec::new();
    let (format, result) = match pixels {
        Pixels::Opaque(image) => {
            (OutputFormat::Jpeg, JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY).encode_image(image))
        }
        Pixels::Transparent(image) => {
            let encoder = PngEncoder::new_with_quality(&mut bytes, CompressionType::Default, FilterType::Adaptive);
            (OutputFormat::Png, encoder.write_image(image.as_raw(), width, height, image::ExtendedColorType::Rgba8))
        }
    };
    result.map_err(|e| MediaError::Encode(e.to_string()))?;
    let sha256 = ContentHash::of(&bytes);
    Ok(Output { bytes, width, height, format, sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_round_trip_and_nothing_else_parses() {
        for format in [OutputFormat::Jpeg, OutputFormat::Png] {
            assert_eq!(OutputFormat::from_extension(format.extension()), Some(format));
        }
        for bad in ["", "jpeg", "JPG", "png/", "../png", "webp", "svg"] {
            assert_eq!(OutputFormat::from_extension(bad), None, "{bad:?}");
        }
    }
}
