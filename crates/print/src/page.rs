//! What a printed page holds, in points (1/72 inch) from its top-left corner: the one description
//! both the SVG and the PDF writer draw, so they cannot disagree.

use crate::colour::Rgb;
use crate::fonts::Face;
use crate::symbol::Symbol;

pub const PT_PER_MM: f32 = 72.0 / 25.4;

pub fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

/// Portrait ISO paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Paper {
    #[default]
    A4,
    A5,
}

impl Paper {
    /// `a4` or `a5`, in either case.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "a5" => Some(Paper::A5),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A5 => "a5",
        }
    }

    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A5 => (148.0, 210.0),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// One line of text; `y` is its baseline.
    Text { x: f32, y: f32, size: f32, face: Face, anchor: Anchor, lang: &'static str, text: String },
    /// The dark modules of a symbol whose first module's top-left corner is at (`x`, `y`). The
    /// quiet zone around it is the page's own white, kept free by the layout.
    Symbol { x: f32, y: f32, module: f32, symbol: Symbol },
    /// A thin rule, or a cutting guide when `dashed`.
    Line { from: (f32, f32), to: (f32, f32), width: f32, colour: Rgb, dashed: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

impl Page {
    pub fn new(width: f32, height: f32) -> Self {
        Self { width, height, items: Vec::new() }
    }

    /// The symbols on the page with their module size in millimetres.
    pub fn symbols(&self) -> impl Iterator<Item = (&Symbol, f32)> {
        self.items.iter().filter_map(|i| match i {
            Item::Symbol { symbol, module, .. } => Some((symbol, module / PT_PER_MM)),
            _ => None,
        })
    }

    /// Every text line on the page, in drawing order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}

/// Pages with the document's title and main language (PDF metadata, SVG `xml:lang`).
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub lang: &'static str,
    pub pages: Vec<Page>,
}

/// A column of centred lines, filled from a top edge downwards.
pub(crate) struct Column {
    pub centre: f32,
    pub width: f32,
    pub y: f32,
}

impl Column {
    /// Sets `text` on as few lines as it needs at `size` (shrinking it towards `min` first, so a
    /// short line never wraps), and moves down past it.
    pub fn lines(&mut self, out: &mut Vec<Item>, text: &str, style: Style) {
        let size = fit(style.face, text, self.width, style.size, style.min);
        for line in wrap(style.face, text, size, self.width) {
            self.y += size * ASCENT;
            out.push(Item::Text {
                x: self.centre,
                y: self.y,
                size,
                face: style.face,
                anchor: Anchor::Middle,
                lang: style.lang,
                text: line,
            });
            self.y += size * (LINE - ASCENT);
        }
    }

    /// Height `lines` would take, without drawing.
    pub fn measure(&self, text: &str, style: Style) -> f32 {
        let size = fit(style.face, text, self.width, style.size, style.min);
        size * LINE * wrap(style.face, text, size, self.width).len() as f32
    }
}

/// How a line is set: face, wanted size, smallest size before wrapping, language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub face: Face,
    pub size: f32,
    pub min: f32,
    pub lang: &'static str,
}

/// Line height as a multiple of the font size, and the part of it above the baseline.
const LINE: f32 = 1.3;
const ASCENT: f32 = 1.0;

/// The largest size from `size` down to `min` at which `text` fits `width` on one line.
fn fit(face: Face, text: &str, width: f32, size: f32, min: f32) -> f32 {
    let natural = face.width(text, size);
    // A hair under the exact ratio, so rounding cannot push the shrunk line over and wrap it.
    if natural <= width { size } else { (size * width / natural * 0.999).max(min) }
}

/// Greedy word wrap; a word longer than the line keeps a line of its own.
fn wrap(face: Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if current.is_empty() || face.width(&candidate, size) <= width {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: Style = Style { face: Face::Regular, size: 20.0, min: 10.0, lang: "vi" };

    #[test]
    fn a_long_line_shrinks_before_it_wraps() {
        let text = "Nhà văn hóa thôn Khuổi Phạc";
        let natural = Face::Regular.width(text, 20.0);
        let mut col = Column { centre: 100.0, width: natural * 0.8, y: 0.0 };
        let mut items = Vec::new();
        col.lines(&mut items, text, BODY);
        assert_eq!(items.len(), 1, "one line, smaller");
        let Item::Text { size, .. } = &items[0] else { panic!("text") };
        assert!((size - 16.0).abs() < 0.05, "{size}");

        let mut narrow = Column { centre: 100.0, width: natural * 0.3, y: 0.0 };
        let mut items = Vec::new();
        narrow.lines(&mut items, text, BODY);
        assert!(items.len() >= 2, "wraps once the smallest size is reached");
        let joined: Vec<&str> = items
            .iter()
            .filter_map(|i| if let Item::Text { text, .. } = i { Some(text.as_str()) } else { None })
            .collect();
        assert_eq!(joined.join(" "), text, "no word lost");
        assert!((narrow.y - narrow.measure(text, BODY)).abs() < 0.01, "measure agrees with drawing");
    }

    #[test]
    fn paper_names_parse() {
        assert_eq!(Paper::parse("A5"), Some(Paper::A5));
        assert_eq!(Paper::parse("a4"), Some(Paper::A4));
        assert_eq!(Paper::parse("letter"), None);
        assert_eq!(Paper::default(), Paper::A4);
    }
}
