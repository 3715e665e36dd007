//! Statistics charts for the command, drawn as standalone SVG: scans per day by place group
//! (`scans`) and the unit's places on a map sized by their scans (`places`). Pure like the rest of
//! the crate: the caller hands over names (already in the reader's language) and numbers.
//!
//! Series are told apart by colour (the Okabe–Ito palette, which stays distinct for the common
//! kinds of colour blindness), and also by dash pattern and marker shape, so a black-and-white
//! print or a reader who sees no colour still can.

pub mod places;
pub mod scans;
pub mod words;

pub use places::{PlaceDot, PlacesMap, places_svg};
pub use scans::{DailyScans, Series, scans_svg};
pub use words::ChartWords;

use crate::fonts::{Face, SVG_FAMILIES};
use crate::svg::escape;
use std::fmt::Write as _;

/// Okabe & Ito (2008), yellow left out (too light on white), sky blue last (the lightest).
const PALETTE: [&str; 7] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#000000", "#56B4E9"];
/// One dash pattern per series, solid first.
const DASHES: [&str; 7] = ["", "8 4", "2 3", "10 3 2 3", "5 5", "1 5", "12 6"];

const INK: &str = "#1a1a1a";
const MUTED: &str = "#5a5a5a";
const GRID: &str = "#dddddd";

/// How a text is set.
#[derive(Debug, Clone, Copy)]
struct Font {
    size: f32,
    face: Face,
    fill: &'static str,
}

const TITLE: Font = Font { size: 20.0, face: Face::Bold, fill: INK };
const NOTE: Font = Font { size: 14.0, face: Face::Regular, fill: MUTED };
const HEADING: Font = Font { size: 14.0, face: Face::Bold, fill: INK };
const EMPTY: Font = Font { size: 16.0, face: Face::Regular, fill: MUTED };
const LEGEND: Font = Font { size: 13.0, face: Face::Regular, fill: INK };
const LEGEND_TOTAL: Font = Font { size: 13.0, face: Face::Bold, fill: INK };
const LABEL: Font = Font { size: 12.0, face: Face::Regular, fill: INK };
const SMALL: Font = Font { size: 12.0, face: Face::Regular, fill: MUTED };

/// A marker shape per series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    Down,
    Cross,
    Plus,
}

const MARKERS: [Marker; 7] =
    [Marker::Circle, Marker::Square, Marker::Triangle, Marker::Diamond, Marker::Down, Marker::Cross, Marker::Plus];

/// How series `i` is drawn.
#[derive(Debug, Clone, Copy)]
struct Style {
    colour: &'static str,
    dash: &'static str,
    marker: Marker,
}

fn style(i: usize) -> Style {
    Style { colour: PALETTE[i % PALETTE.len()], dash: DASHES[i % DASHES.len()], marker: MARKERS[i % MARKERS.len()] }
}

/// An SVG document being written, in pixels. Its head is written last, so a chart may grow taller
/// than it began (a long list beside a map).
struct Canvas {
    width: f32,
    height: f32,
    lang: String,
    title: String,
    out: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Start,
    Middle,
    End,
}

impl Canvas {
    fn new(width: f32, height: f32, lang: &str, title: &str) -> Self {
        Self { width, height, lang: lang.to_owned(), title: title.to_owned(), out: String::new() }
    }

    /// Makes the chart at least `height` tall.
    fn grow_to(&mut self, height: f32) {
        self.height = self.height.max(height.ceil());
    }

    fn text(&mut self, x: f32, y: f32, font: Font, align: Align, text: &str) {
        self.text_with(x, y, font, align, text, "");
    }

    /// Text with a white outline under it, legible over shapes.
    fn halo_text(&mut self, x: f32, y: f32, font: Font, align: Align, text: &str) {
        self.text_with(
            x,
            y,
            font,
            align,
            text,
            " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
        );
    }

    fn text_with(&mut self, x: f32, y: f32, font: Font, align: Align, text: &str, extra: &str) {
        let Font { size, face, fill } = font;
        let weight = if face == Face::Bold { " font-weight=\"bold\"" } else { "" };
        let anchor = match align {
            Align::Start => "",
            Align::Middle => " text-anchor=\"middle\"",
            Align::End => " text-anchor=\"end\"",
        };
        // The layout was measured in Noto Sans; a reader without it gets another family (DejaVu Sans
        // is a tenth wider), which would push titles past the edge and labels into each other. The
        // measured length keeps every family to the width the layout counted on.
        let length = match face.missing(text) {
            None if !text.trim().is_empty() => {
                format!(" textLength=\"{:.1}\" lengthAdjust=\"spacingAndGlyphs\"", face.width(text, size))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            self.out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\"{weight}{anchor} fill=\"{fill}\"{length}{extra}>{}</text>",
            escape(text)
        );
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), stroke: &str, width: f32) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>",
            from.0, from.1, to.0, to.1
        );
    }

    /// A marker of `style` centred on (`x`, `y`), `r` its half size.
    fn marker(&mut self, x: f32, y: f32, r: f32, style: Style) {
        let (c, out) = (style.colour, &mut self.out);
        let _ = match style.marker {
            Marker::Circle => writeln!(out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{c}\"/>"),
            Marker::Square => {
                let s = r * 1.7;
                writeln!(
                    out,
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{s:.1}\" height=\"{s:.1}\" fill=\"{c}\"/>",
                    x - s / 2.0,
                    y - s / 2.0
                )
            }
            Marker::Triangle => writeln!(
                out,
                "<path d=\"M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\" fill=\"{c}\"/>",
                y - r * 1.2,
                x + r * 1.1,
                y + r * 0.8,
                x - r * 1.1,
                y + r * 0.8
            ),
            Marker::Down => writeln!(
                out,
                "<path d=\"M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\" fill=\"{c}\"/>",
                y + r * 1.2,
                x + r * 1.1,
                y - r * 0.8,
                x - r * 1.1,
                y - r * 0.8
            ),
            Marker::Diamond => writeln!(
                out,
                "<path d=\"M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z\" fill=\"{c}\"/>",
                y - r * 1.3,
                x + r * 1.3,
                y + r * 1.3,
                x - r * 1.3
            ),
            Marker::Cross => writeln!(
                out,
                "<path d=\"M{:.1} {:.1}L{:.1} {:.1}M{:.1} {:.1}L{:.1} {:.1}\" stroke=\"{c}\" stroke-width=\"2\"/>",
                x - r,
                y - r,
                x + r,
                y + r,
                x - r,
                y + r,
                x + r,
                y - r
            ),
            Marker::Plus => writeln!(
                out,
                "<path d=\"M{:.1} {y:.1}L{:.1} {y:.1}M{x:.1} {:.1}L{x:.1} {:.1}\" stroke=\"{c}\" stroke-width=\"2\"/>",
                x - r * 1.2,
                x + r * 1.2,
                y - r * 1.2,
                y + r * 1.2
            ),
        };
    }

    fn raw(&mut self, element: &str) {
        self.out.push_str(element);
        self.out.push('\n');
    }

    fn finish(self) -> String {
        let Self { width, height, lang, title, out } = self;
        let mut svg = String::with_capacity(out.len() + 512);
        let _ = write!(
            svg,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \
             width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xml:lang=\"{}\" \
             font-family=\"{SVG_FAMILIES}\">\n<title>{}</title>\n\
             <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
            escape(&lang),
            escape(&title)
        );
        svg.push_str(&out);
        svg.push_str("</svg>\n");
        svg
    }
}

/// The title set to fit `width`: smaller (down to 14 px), then cut with an ellipsis (long
/// province names in French).
fn fitted_title(text: &str, width: f32) -> (Font, String) {
    let full = Face::Bold.width(text, TITLE.size);
    if full <= width {
        return (TITLE, text.to_owned());
    }
    let size = (TITLE.size * width / full).max(14.0);
    let font = Font { size, ..TITLE };
    let mut cut = text.to_owned();
    if Face::Bold.width(&cut, size) > width {
        while !cut.is_empty() && Face::Bold.width(&format!("{cut}…"), size) > width {
            cut.pop();
        }
        cut.push('…');
    }
    (font, cut)
}

/// Round ticks from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten, about five of
/// them. An empty chart still gets a scale (0 to 5).
fn ticks(max: u64) -> Vec<u64> {
    let max = max.max(5);
    let raw = max as f64 / 5.0;
    let power = 10f64.powi(raw.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(10.0 * power);
    let step = (step.round() as u64).max(1);
    let top = max.div_ceil(step) * step;
    (0..=top / step).map(|i| i * step).collect()
}

/// `12345` as `12 345` (a narrow gap every three digits, readable in all three languages).
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
pub(crate) mod testing {
    use resvg::usvg;

    /// The SVG as a viewer reads it (shapes only: the tests' resvg has no text layout).
    pub fn parse(svg: &str) -> usvg::Tree {
        usvg::Tree::from_str(svg, &usvg::Options::default()).expect("valid SVG")
    }

    /// Every path whose id starts with `prefix`, with its bounding box (x, y, width, height).
    pub fn shapes(tree: &usvg::Tree, prefix: &str) -> Vec<(String, f32, f32, f32, f32)> {
        fn walk(g: &usvg::Group, prefix: &str, out: &mut Vec<(String, f32, f32, f32, f32)>) {
            for node in g.children() {
                match node {
                    usvg::Node::Group(g) => walk(g, prefix, out),
                    usvg::Node::Path(p) if p.id().starts_with(prefix) => {
                        let b = p.data().bounds();
                        out.push((p.id().to_owned(), b.x(), b.y(), b.width(), b.height()));
                    }
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(tree.root(), prefix, &mut out);
        out
    }

    /// All text a reader sees, from the XML itself (entities decoded).
    pub fn texts(svg: &str) -> Vec<String> {
        let doc = usvg::roxmltree::Document::parse(svg).expect("well-formed XML");
        doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text().map(str::to_owned)).collect()
    }

    /// Keeps the chart under `target/charts/` when `FRONTIER_CHART_SVG` is set, to look at (e.g.
    /// with `rsvg-convert`, which lays out the text with the system's fonts).
    pub fn keep(name: &str, svg: &str) {
        if std::env::var_os("FRONTIER_CHART_SVG").is_none() {
            return;
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/charts");
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join(format!("{name}.svg")), svg).expect("write");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(0), [0, 1, 2, 3, 4, 5]);
        assert_eq!(ticks(7), [0, 2, 4, 6, 8]);
        assert_eq!(ticks(10), [0, 2, 4, 6, 8, 10]);
        assert_eq!(ticks(93), [0, 20, 40, 60, 80, 100]);
        assert_eq!(ticks(1234), [0, 500, 1000, 1500]);
        assert_eq!(ticks(u64::from(u32::MAX)).last().copied().map(|t| t >= u64::from(u32::MAX)), Some(true));
    }

    #[test]
    fn long_titles_shrink_then_are_cut() {
        assert_eq!(fitted_title("Đồn Bắc Xa", 400.0).1, "Đồn Bắc Xa");
        let long = "Scans des codes QR par jour — Commandement provincial de la garde-frontière de Lạng Sơn";
        let (font, text) = fitted_title(long, 832.0);
        assert!(font.size < TITLE.size && font.size >= 14.0 && text == long, "{}", font.size);
        let (font, text) = fitted_title(&long.repeat(3), 832.0);
        assert!(text.ends_with('…') && Face::Bold.width(&text, font.size) <= 832.0, "{text}");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(7), "7");
        assert_eq!(count(1234), "1\u{202f}234");
        assert_eq!(count(1234567), "1\u{202f}234\u{202f}567");
    }
}
