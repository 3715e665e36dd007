//! The type of an upload, read from its first bytes (magic numbers). A file name or a client's
//! `Content-Type` is never trusted: an `.exe` renamed `photo.jpg` is still an executable.

use crate::error::MediaError;
use image::ImageFormat;

/// An accepted input type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputKind {
    Jpeg,
    Png,
    WebP,
}

impl InputKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::WebP => "WebP",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::WebP => "image/webp",
        }
    }

    pub(crate) fn image_format(self) -> ImageFormat {
        match self {
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Png => ImageFormat::Png,
            Self::WebP => ImageFormat::WebP,
        }
    }
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Binary signatures of types people upload by mistake, so the refusal can say what was sent.
/// Checked only after the accepted types did not match.
const REFUSED_BINARY: &[(&[u8], &str)] = &[
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"\x00\x00\x01\x00", "an icon (ICO)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"RIFF", "a RIFF file (WAV sound or AVI video)"),
];

/// Tells what `bytes` are. Only JPEG, PNG and WebP pass; anything else is refused with a name for
/// what it seems to be. A match here says only that the file starts like an image: decoding can
/// still fail on a damaged or truncated body.
pub fn detect(bytes: &[u8]) -> Result<InputKind, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    // JPEG: SOI (FF D8) and then the first marker's FF.
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(InputKind::Jpeg);
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        return Ok(InputKind::Png);
    }
    // WebP: a RIFF container (4-byte size in between) whose form type is WEBP.
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Ok(InputKind::WebP);
    }
    Err(MediaError::Unsupported { found: describe_refused(bytes) })
}

fn describe_refused(bytes: &[u8]) -> &'static str {
    if let Some((_, name)) = REFUSED_BINARY.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return name;
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        // ISO media: HEIC is what an iPhone sends when the browser does not convert it.
        return match &bytes[8..12] {
            b"heic" | b"heix" | b"hevc" | b"mif1" | b"msf1" => "HEIC/HEIF (set the camera to 'Most Compatible')",
            b"avif" | b"avis" => "AVIF",
            _ => "a video (MP4/MOV)",
        };
    }
    describe_text(bytes).unwrap_or("not a known file type")
}

/// Markup is the dangerous case (an SVG or HTML file can carry script), so it is named precisely.
fn describe_text(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = String::from_utf8_lossy(&head[start..]).to_ascii_lowercase();
    if text.starts_with("<svg") || (text.starts_with('<') && text.contains("<svg")) {
        Some("SVG")
    } else if text.starts_with("<!doctype html") || text.starts_with("<html") {
        Some("HTML")
    } else if text.starts_with("<?xml") {
        Some("XML")
    } else if is_plain_text(head) {
        Some("text")
    } else {
        None
    }
}

/// UTF-8 without control bytes. The 1 KiB window may cut a character in two: that still counts.
fn is_plain_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    valid && head.iter().all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(bytes: &[u8]) -> &'static str {
        match detect(bytes) {
            Err(MediaError::Unsupported { found }) => found,
            other => panic!("expected Unsupported, got {other:?}"),
        }
    }

    #[test]
    fn accepted_types_are_known_by_their_signature() {
        assert_eq!(detect(b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), Ok(InputKind::Jpeg));
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), Ok(InputKind::Png));
        assert_eq!(detect(b"RIFF\x24\x00\x00\x00WEBPVP8L"), Ok(InputKind::WebP));
    }

    #[test]
    fn near_misses_are_refused() {
        // A RIFF that is not WebP (a WAV sound), and a lone SOI without a marker after it.
        assert_eq!(refused(b"RIFF\x24\x00\x00\x00WAVEfmt "), "a RIFF file (WAV sound or AVI video)");
        assert_eq!(refused(b"\xFF\xD8"), "not a known file type");
        assert_eq!(refused(b"\x89PNG\r\n"), "not a known file type");
    }

    #[test]
    fn markup_is_named() {
        assert_eq!(refused(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), "SVG");
        assert_eq!(refused(b"\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n<!-- x -->\n<svg/>"), "SVG");
        assert_eq!(refused(b"<?xml version=\"1.0\"?><note/>"), "XML");
        assert_eq!(refused(b"\n<!DOCTYPE html><html><body>hi</body></html>"), "HTML");
        assert_eq!(refused(b"<HTML><BODY>"), "HTML");
        assert_eq!(refused(b"just some words"), "text");
        assert_eq!(refused(b"words\x00with a NUL"), "not a known file type");
        // "ệ" is 3 bytes, so the 1 KiB window (1024 = 341 × 3 + 1) ends inside a character.
        let long = "ệ".repeat(500);
        assert_eq!(refused(long.as_bytes()), "text");
    }

    #[test]
    fn common_mistakes_are_named() {
        assert_eq!(refused(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3"), "PDF");
        assert_eq!(refused(b"MZ\x90\x00\x03\x00\x00\x00"), "a Windows program");
        assert_eq!(refused(b"GIF89a\x01\x00\x01\x00"), "GIF");
        assert_eq!(
            refused(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"),
            "HEIC/HEIF (set the camera to 'Most Compatible')"
        );
        assert_eq!(refused(b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"), "a video (MP4/MOV)");
    }

    #[test]
    fn empty_input_has_its_own_error() {
        assert_eq!(detect(b""), Err(MediaError::Empty));
    }
}
