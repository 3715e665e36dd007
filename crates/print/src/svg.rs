//! SVG output: standalone files (XML declaration, namespace, size in mm), text in the families of
//! [`SVG_FAMILIES`] (SVG does not embed the font), symbols as one path each.

use crate::fonts::{Face, SVG_FAMILIES};
use crate::page::{Anchor, Document, Item, PT_PER_MM, Page};
use crate::symbol::Symbol;
use std::fmt::Write as _;

/// The dark modules as path data in module units, one rectangle per horizontal run.
pub fn symbol_path(symbol: &Symbol) -> String {
    let mut d = String::new();
    for (x, y, len) in symbol.dark_runs() {
        let _ = write!(d, "M{x} {y}h{len}v1h-{len}z");
    }
    d
}

/// The first page of `doc` (a poster has one) as an SVG document.
pub fn page(doc: &Document) -> String {
    let empty = Page::new(0.0, 0.0);
    let page = doc.pages.first().unwrap_or(&empty);
    let (w, h) = (page.width, page.height);
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \
         width=\"{:.1}mm\" height=\"{:.1}mm\" viewBox=\"0 0 {w:.2} {h:.2}\" xml:lang=\"{}\">\n<title>{}</title>\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        w / PT_PER_MM,
        h / PT_PER_MM,
        doc.lang,
        escape(&doc.title)
    );
    for item in &page.items {
        match item {
            Item::Text { x, y, size, face, anchor, lang, text } => {
                let weight = if *face == Face::Bold { " font-weight=\"bold\"" } else { "" };
                let anchor = if *anchor == Anchor::Middle { " text-anchor=\"middle\"" } else { "" };
                let _ = writeln!(
                    out,
                    "<text x=\"{x:.2}\" y=\"{y:.2}\" font-family=\"{SVG_FAMILIES}\" font-size=\"{size:.2}\"{weight}{anchor} \
                     xml:lang=\"{lang}\" fill=\"#000000\">{}</text>",
                    escape(text)
                );
            }
            Item::Symbol { x, y, module, symbol } => {
                let _ = writeln!(
                    out,
                    "<path fill=\"#000000\" shape-rendering=\"crispEdges\" transform=\"translate({x:.3} {y:.3}) scale({module:.4})\" d=\"{}\"/>",
                    symbol_path(symbol)
                );
            }
            Item::Line { from, to, width, colour, dashed } => {
                let dash = if *dashed { " stroke-dasharray=\"3 3\"" } else { "" };
                let _ = writeln!(
                    out,
                    "<line x1=\"{:.2}\" y1=\"{:.2}\" x2=\"{:.2}\" y2=\"{:.2}\" stroke=\"{colour}\" stroke-width=\"{width}\"{dash}/>",
                    from.0, from.1, to.0, to.1
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

/// Text for XML character data and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters at all.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Paper;
    use crate::poster::{poster, tests::house};
    use crate::testing::{decode_all, rasterise_svg};
    use crate::words::Languages;

    #[test]
    fn poster_svg_is_standalone_and_its_symbol_decodes() {
        let mut p = house();
        p.place_names[0].1 = "Nhà văn hóa <Nà Pàn> & \"bản\"".into();
        for paper in [Paper::A4, Paper::A5] {
            let svg = page(&poster(&p, &Languages::default(), paper).expect("poster"));
            assert!(
                svg.starts_with(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""
                )
            );
            assert!(svg.contains("Nhà văn hóa &lt;Nà Pàn&gt; &amp; &quot;bản&quot;"), "escaped");
            assert!(svg.contains("font-family=\"'Noto Sans', 'DejaVu Sans'"));
            let (w, _) = paper.size_mm();
            assert!(svg.contains(&format!("width=\"{w:.1}mm\"")));
            assert_eq!(decode_all(rasterise_svg(&svg, 2.0)), ["HTTPS://BIENPHONG.LANGSON.GOV.VN/Q/K4PVHZ"]);
        }
    }

    #[test]
    fn control_characters_never_reach_the_xml() {
        assert_eq!(escape("a\u{0}b\u{1b}c\td'"), "abc\td&apos;");
    }
}
