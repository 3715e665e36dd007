//! PDF output through krilla: Noto Sans embedded and subset to the glyphs used, so the file prints
//! the same on any machine, and text stays text (searchable, copyable, with Vietnamese marks).

use crate::colour::Rgb;
use crate::fonts::Face;
use crate::page::{Anchor, Document, Item};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::text::{Font, TextDirection};

#[derive(Debug, thiserror::Error)]
#[error("PDF could not be written: {0}")]
pub struct PdfError(String);

fn paint(c: Rgb) -> krilla::paint::Paint {
    rgb::Color::new(c.0, c.1, c.2).into()
}

pub fn write(doc: &Document) -> Result<Vec<u8>, PdfError> {
    let font = |face: Face| Font::new(face.data().into(), 0).ok_or_else(|| PdfError(format!("{face:?} font")));
    let (regular, bold) = (font(Face::Regular)?, font(Face::Bold)?);
    let mut pdf = krilla::Document::new();
    pdf.set_metadata(
        Metadata::new().title(doc.title.clone()).language(doc.lang.to_owned()).creator("Frontier".to_owned()),
    );
    for page in &doc.pages {
        let settings = PageSettings::from_wh(page.width, page.height).ok_or_else(|| PdfError("page size".into()))?;
        let mut p = pdf.start_page_with(settings);
        let mut surface = p.surface();
        for item in &page.items {
            match item {
                Item::Text { x, y, size, face, anchor, text, .. } => {
                    let x = match anchor {
                        Anchor::Start => *x,
                        Anchor::Middle => x - face.width(text, *size) / 2.0,
                    };
                    let font = if *face == Face::Bold { bold.clone() } else { regular.clone() };
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill { paint: paint(Rgb::BLACK), ..Default::default() }));
                    surface.draw_text(Point::from_xy(x, *y), font, *size, text, false, TextDirection::Auto);
                }
                Item::Symbol { x, y, module, symbol } => {
                    // One path for the whole symbol: abutting runs rasterise without seams.
                    let mut pb = PathBuilder::new();
                    for (rx, ry, len) in symbol.dark_runs() {
                        let (left, top) = (x + rx as f32 * module, y + ry as f32 * module);
                        if let Some(r) = Rect::from_xywh(left, top, len as f32 * module, *module) {
                            pb.push_rect(r);
                        }
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill { paint: paint(Rgb::BLACK), ..Default::default() }));
                        surface.draw_path(&path);
                    }
                }
                Item::Line { from, to, width, colour, dashed } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(from.0, from.1);
                    pb.line_to(to.0, to.1);
                    if let Some(path) = pb.finish() {
                        let dash = dashed.then(|| StrokeDash { array: vec![3.0, 3.0], offset: 0.0 });
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: paint(*colour),
                            width: *width,
                            opacity: NormalizedF32::ONE,
                            dash,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        p.finish();
    }
    pdf.finish().map_err(|e| PdfError(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::Paper;
    use crate::poster::{poster, tests::house};
    use crate::words::Languages;

    #[test]
    fn poster_pdf_embeds_a_subset_of_the_font_and_is_deterministic() {
        let doc = poster(&house(), &Languages::default(), Paper::A4).expect("poster");
        let bytes = write(&doc).expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"), "a PDF");
        assert!(bytes.windows(8).any(|w| w == b"FontFile"), "font embedded");
        // Two subset faces are far smaller than the 1 MB of TrueType they come from.
        assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
        assert_eq!(write(&doc).expect("again"), bytes, "same content, same bytes (ETags rely on it)");
    }
}
