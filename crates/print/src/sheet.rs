//! A sheet of labels for an officers' tour: every code of a unit on A4 pages, a grid of labels
//! each with its symbol, its code and its place, in the order given (grouped by place).

use crate::colour::Rgb;
use crate::fonts::Face;
use crate::page::{Column, Document, Item, Page, Style, mm};
use crate::symbol::{EncodeError, Symbol};
use crate::{PRINT_ECC, QUIET_ZONE};

#[derive(Debug, Clone)]
pub struct Label {
    pub code: String,
    pub symbol_text: String,
    /// The place's Vietnamese name (the sheet is for the officers).
    pub place_name: String,
}

/// Phones read a printed module of 0.8 mm from a hand's length; labels are never laid out finer.
pub const MIN_LABEL_MODULE_MM: f32 = 0.8;

/// Where the labels sit on an A4 page, in millimetres.
struct Grid {
    cols: usize,
    rows: usize,
    width: f32,
    height: f32,
    left: f32,
    top: f32,
    gap: f32,
}

/// 2 × 4 labels of 99.1 × 67.7 mm: the layout of the common 8-up adhesive label stock (Avery
/// L7165 and its equivalents), so the sheet prints on labels as well as on plain paper. Eight a
/// page also keeps whole-page decoders working: zbar gives up after 8192 failed triples of finder
/// patterns, and with twelve symbols on a page it lost about one in forty.
const LABELS: Grid = Grid { cols: 2, rows: 4, width: 99.1, height: 67.7, left: 4.65, top: 13.1, gap: 2.5 };
/// For symbols too fine for those labels (a very long public URL): two to a page.
const LARGE: Grid = Grid { cols: 1, rows: 2, width: 190.0, height: 135.0, left: 10.0, top: 13.5, gap: 0.0 };

const PAD_MM: f32 = 3.0;

impl Grid {
    /// The side of the symbol with its quiet zone: the label's height less its padding (the text
    /// goes to the right of the symbol).
    fn side(&self) -> f32 {
        mm(self.height - 2.0 * PAD_MM)
    }

    fn origin(&self, i: usize) -> (f32, f32) {
        let (c, r) = ((i % self.cols) as f32, (i / self.cols) as f32);
        (mm(self.left + c * (self.width + self.gap)), mm(self.top + r * self.height))
    }
}

/// `unit_name` heads every page, with the page number.
pub fn label_sheet(unit_name: &str, labels: &[Label]) -> Result<Document, EncodeError> {
    let symbols = labels.iter().map(|l| Symbol::encode(&l.symbol_text, PRINT_ECC)).collect::<Result<Vec<_>, _>>()?;
    let widest = symbols.iter().map(Symbol::width).max().unwrap_or(21) + 2 * QUIET_ZONE;
    let grid = if LABELS.side() / widest as f32 >= mm(MIN_LABEL_MODULE_MM) { &LABELS } else { &LARGE };
    let (w, h) = (mm(210.0), mm(297.0));
    let per_page = grid.cols * grid.rows;
    let total = labels.len().div_ceil(per_page).max(1);
    let guide = |from, to| Item::Line { from, to, width: 0.5, colour: Rgb(0xbb, 0xbb, 0xbb), dashed: true };
    let side = grid.side();

    let mut pages = Vec::new();
    for n in 0..total {
        let mut page = Page::new(w, h);
        let header = format!("Mã QR của {unit_name} · {} mã · Trang {}/{total}", labels.len(), n + 1);
        let mut head = Column { centre: w / 2.0, width: w - mm(20.0), y: mm(grid.top) - mm(9.0) };
        head.lines(&mut page.items, &header, Style { face: Face::Bold, size: 10.0, min: 7.0, lang: "vi" });
        let on_page = labels.iter().zip(symbols.iter()).skip(n * per_page).take(per_page);
        for (i, (label, symbol)) in on_page.enumerate() {
            let (x0, y0) = grid.origin(i);
            let module = side / (symbol.width() + 2 * QUIET_ZONE) as f32;
            let quiet = module * QUIET_ZONE as f32;
            let (sx, sy) = (x0 + mm(PAD_MM), y0 + mm(PAD_MM));
            page.items.push(Item::Symbol { x: sx + quiet, y: sy + quiet, module, symbol: symbol.clone() });
            // Code and place to the right of the symbol, centred in what is left of the label.
            let text_left = sx + side;
            let width = x0 + mm(grid.width) - mm(PAD_MM) - text_left;
            let code = Style { face: Face::Bold, size: 15.0, min: 9.0, lang: "vi" };
            let place = Style { face: Face::Regular, size: 8.5, min: 7.0, lang: "vi" };
            let mut col = Column { centre: text_left + width / 2.0, width, y: 0.0 };
            let height = col.measure(&label.code, code) + col.measure(&label.place_name, place);
            col.y = y0 + (mm(grid.height) - height) / 2.0;
            col.lines(&mut page.items, &label.code, code);
            col.lines(&mut page.items, &label.place_name, place);
        }
        // Cutting guides along the labels' edges (on label stock they fall on the die cuts).
        let (left, right) =
            (mm(grid.left), mm(grid.left + grid.cols as f32 * grid.width + (grid.cols - 1) as f32 * grid.gap));
        let (top, bottom) = (mm(grid.top), mm(grid.top + grid.rows as f32 * grid.height));
        for r in 0..=grid.rows {
            let y = mm(grid.top + r as f32 * grid.height);
            page.items.push(guide((left, y), (right, y)));
        }
        for c in 0..=grid.cols {
            let x = mm(grid.left + c as f32 * (grid.width + grid.gap));
            page.items.push(guide((x, top), (x, bottom)));
            if c > 0 && grid.gap > 0.0 {
                page.items.push(guide((x - mm(grid.gap), top), (x - mm(grid.gap), bottom)));
            }
        }
        pages.push(page);
    }
    Ok(Document { title: format!("Mã QR của {unit_name}"), lang: "vi", pages })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(n: usize, url: &str) -> Vec<Label> {
        (0..n)
            .map(|i| Label {
                code: format!("CODE{i:02}"),
                symbol_text: format!("{url}/Q/CODE{i:02}"),
                place_name: format!("Nhà văn hóa thôn số {}", i / 3),
            })
            .collect()
    }

    #[test]
    fn labels_fill_pages_in_order() {
        let doc = label_sheet("Đồn Biên phòng Bắc Xa", &labels(26, "HTTP://127.0.0.1:8080")).expect("sheet");
        assert_eq!(doc.pages.len(), 4, "8 labels a page");
        let counts: Vec<usize> = doc.pages.iter().map(|p| p.symbols().count()).collect();
        assert_eq!(counts, [8, 8, 8, 2]);
        let first: Vec<&str> = doc.pages[0].texts().collect();
        assert_eq!(first[0], "Mã QR của Đồn Biên phòng Bắc Xa · 26 mã · Trang 1/4");
        assert_eq!(&first[1..3], ["CODE00", "Nhà văn hóa thôn số 0"]);
        assert!(doc.pages[3].texts().any(|t| t == "CODE25"));
        for page in &doc.pages {
            for (_, module) in page.symbols() {
                assert!(module >= MIN_LABEL_MODULE_MM, "{module} mm");
            }
        }
    }

    #[test]
    fn long_addresses_get_larger_labels_and_an_empty_unit_one_page() {
        // A public URL with a long path prefix: version 15 at Q, too fine for 8-up labels.
        let long = format!("HTTPS://THONGTIN.BIENPHONG.LANGSON.GOV.VN/{}", "cong-thong-tin-bien-gioi/".repeat(10));
        let doc = label_sheet("Trạm", &labels(5, &long)).expect("sheet");
        let per_page: Vec<usize> = doc.pages.iter().map(|p| p.symbols().count()).collect();
        assert_eq!(per_page, [2, 2, 1], "two large labels a page");
        for page in &doc.pages {
            for (symbol, module) in page.symbols() {
                assert!(symbol.version() > 10 && module >= MIN_LABEL_MODULE_MM, "{module} mm");
            }
        }
        let empty = label_sheet("Trạm", &[]).expect("sheet");
        assert_eq!(empty.pages.len(), 1);
        assert_eq!(empty.pages[0].symbols().count(), 0);
    }
}
