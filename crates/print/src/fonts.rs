//! The one typeface printed matter uses, embedded so a PDF looks the same on every machine: Noto
//! Sans (SIL Open Font License, `fonts/OFL.txt`), which draws Vietnamese with its stacked marks,
//! and Latin, Greek and Cyrillic, but no Chinese, Lao or Khmer.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

const REGULAR: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");

/// What SVG output asks the viewer for, in order (SVG posters do not embed the font).
pub const SVG_FAMILIES: &str = "'Noto Sans', 'DejaVu Sans', 'Segoe UI', Roboto, Arial, sans-serif";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    pub fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
        }
    }

    fn font(self) -> FontRef<'static> {
        // The embedded files are checked by a test; a broken build would fail it.
        FontRef::new(self.data()).expect("embedded font parses")
    }

    /// Width of `text` set in one line at `size` points (sum of advances; kerning is ignored,
    /// which changes a line by well under one per cent).
    pub fn width(self, text: &str, size: f32) -> f32 {
        let font = self.font();
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars().map(|c| metrics.advance_width(charmap.map(c).unwrap_or_default()).unwrap_or(size / 2.0)).sum()
    }

    /// The first character of `text` this face has no glyph for (combining marks included).
    pub fn missing(self, text: &str) -> Option<char> {
        let charmap = self.font().charmap();
        text.chars().filter(|c| !c.is_whitespace()).find(|c| charmap.map(*c).is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_draw_vietnamese_but_not_chinese() {
        for face in [Face::Regular, Face::Bold] {
            let vi = "Quét mã để đọc thông tin của Bộ đội Biên phòng. Ắ Ặ Ẫ ỡ ự ỹ Ỵ đ Đ ơ ư";
            assert_eq!(face.missing(vi), None, "{face:?}");
            assert_eq!(face.missing("Scannez ce code : « garde-frontière »"), None);
            assert_eq!(face.missing("扫描二维码"), Some('扫'));
        }
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let w = Face::Regular.width("Nà Pàn", 10.0);
        assert!(w > 20.0 && w < 40.0, "{w}");
        assert!((Face::Regular.width("Nà Pàn", 20.0) - 2.0 * w).abs() < 0.01);
        assert!(Face::Bold.width("Nà Pàn", 10.0) > w, "bold is wider");
        assert_eq!(Face::Regular.width("", 10.0), 0.0);
    }
}
