//! The poster of one code: place name, the symbol as large as the sheet allows, the code and a
//! short address to type, one instruction line per language, the post's name and hotline.

use crate::colour::Rgb;
use crate::fonts::Face;
use crate::page::{Column, Document, Item, Page, Paper, Style, mm};
use crate::symbol::{EncodeError, Symbol};
use crate::words::Languages;
use crate::{PRINT_ECC, QUIET_ZONE};

/// What a poster says; the texts come from the caller, already chosen.
#[derive(Debug, Clone)]
pub struct Poster {
    /// The short code, printed large for reading aloud over the phone.
    pub code: String,
    /// What the symbol holds (the scan URL).
    pub symbol_text: String,
    /// The same address in the form people type (`bien.example/q/K4PVHZ`).
    pub typed_url: String,
    /// The place's names as (language tag, name); the Vietnamese one is required.
    pub place_names: Vec<(String, String)>,
    /// The unit answering the hotline.
    pub unit_name: String,
    pub hotline: Option<String>,
}

/// The symbol's module must be this large for a phone to read it from about a metre: the usual
/// rule is a symbol about a tenth of the reading distance wide (10 cm at 1 m). A4 posters must
/// reach it; A5 posters use what their smaller sheet allows (about 9 cm, read from closer).
pub const A4_MIN_SYMBOL_MM: f32 = 100.0;

pub fn poster(p: &Poster, languages: &Languages, paper: Paper) -> Result<Document, EncodeError> {
    let symbol = Symbol::encode(&p.symbol_text, PRINT_ECC)?;
    let (w, h) = paper.size_mm();
    // Type and spacing scale with the sheet (A5 is A4 shrunk by 1/√2).
    let k = w / 210.0;
    let margin = mm(if paper == Paper::A4 { 15.0 } else { 10.0 });
    let gap = mm(5.0 * k);
    let (width, height) = (mm(w), mm(h));
    let mut page = Page::new(width, height);
    let mut col = Column { centre: width / 2.0, width: width - 2.0 * margin, y: margin };
    let style = |face, size: f32, min: f32, lang| Style { face, size: size * k, min: min * k, lang };

    // The place, in Vietnamese and in each other printed language it has a name in.
    let name_in =
        |lang: &str| p.place_names.iter().find(|(tag, _)| tag.split('-').next() == Some(lang)).map(|(_, n)| n.as_str());
    for (i, words) in languages.all().iter().enumerate() {
        if let Some(name) = name_in(words.lang) {
            let s = if i == 0 {
                style(Face::Bold, 28.0, 18.0, words.lang)
            } else {
                style(Face::Regular, 16.0, 11.0, words.lang)
            };
            col.lines(&mut page.items, name, s);
        }
    }
    col.y += gap;

    // Below the symbol: code, typed address, instructions. At the foot: the unit and its hotline.
    let code_style = style(Face::Bold, 34.0, 20.0, "vi");
    let url_style = style(Face::Regular, 13.0, 8.0, "vi");
    let instruction_style = |i: usize, lang| {
        if i == 0 { style(Face::Bold, 15.0, 8.0, lang) } else { style(Face::Regular, 14.0, 8.0, lang) }
    };
    let mut below = col.measure(&p.code, code_style) + col.measure(&p.typed_url, url_style) + gap;
    for (i, words) in languages.all().iter().enumerate() {
        below += col.measure(words.instruction, instruction_style(i, words.lang));
    }
    let unit_style = style(Face::Bold, 14.0, 9.0, "vi");
    let hotline_style = style(Face::Regular, 13.0, 8.0, "vi");
    let hotline = p.hotline.as_ref().map(|phone| {
        let labels: Vec<&str> = languages.all().iter().map(|w| w.hotline).collect();
        format!("{}: {phone}", labels.join(" / "))
    });
    let mut foot = gap + col.measure(&p.unit_name, unit_style);
    if let Some(line) = &hotline {
        foot += col.measure(line, hotline_style);
    }

    // The symbol and its quiet zone take what is left, up to the full text width.
    let side = (height - margin - col.y - below - foot).min(col.width);
    let module = side / (symbol.width() + 2 * QUIET_ZONE) as f32;
    let quiet = module * QUIET_ZONE as f32;
    page.items.push(Item::Symbol { x: col.centre - side / 2.0 + quiet, y: col.y + quiet, module, symbol });
    col.y += side;

    col.lines(&mut page.items, &p.code, code_style);
    col.lines(&mut page.items, &p.typed_url, url_style);
    col.y += gap;
    for (i, words) in languages.all().iter().enumerate() {
        col.lines(&mut page.items, words.instruction, instruction_style(i, words.lang));
    }

    col.y = height - margin - foot + gap;
    let rule_y = col.y - gap / 2.0;
    let rule = Item::Line {
        from: (margin, rule_y),
        to: (width - margin, rule_y),
        width: 0.75,
        colour: Rgb(0x99, 0x99, 0x99),
        dashed: false,
    };
    page.items.push(rule);
    col.lines(&mut page.items, &p.unit_name, unit_style);
    if let Some(line) = &hotline {
        col.lines(&mut page.items, line, hotline_style);
    }

    let title = match name_in("vi") {
        Some(name) => format!("{} – {name}", p.code),
        None => p.code.clone(),
    };
    Ok(Document { title, lang: "vi", pages: vec![page] })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn house() -> Poster {
        Poster {
            code: "K4PVHZ".into(),
            symbol_text: "HTTPS://BIENPHONG.LANGSON.GOV.VN/Q/K4PVHZ".into(),
            typed_url: "bienphong.langson.gov.vn/q/K4PVHZ".into(),
            place_names: vec![
                ("vi".into(), "Nhà văn hóa thôn Nà Pàn".into()),
                ("en".into(), "Nà Pàn Cultural House".into()),
                ("zh".into(), "那潘村文化室".into()),
            ],
            unit_name: "Trạm Biên phòng số 1 – Bắc Xa".into(),
            hotline: Some("0205 000 0000".into()),
        }
    }

    fn symbol_mm(doc: &Document) -> f32 {
        let (symbol, module) = doc.pages[0].symbols().next().expect("a symbol");
        symbol.width() as f32 * module
    }

    #[test]
    fn a4_symbol_reads_from_a_metre_and_a5_uses_its_sheet() {
        let langs = Languages::default();
        let a4 = poster(&house(), &langs, Paper::A4).expect("a4");
        let a5 = poster(&house(), &langs, Paper::A5).expect("a5");
        let (a4_mm, a5_mm) = (symbol_mm(&a4), symbol_mm(&a5));
        assert!(a4_mm >= A4_MIN_SYMBOL_MM, "{a4_mm} mm");
        assert!(a5_mm >= 80.0 && a5_mm < a4_mm, "{a5_mm} mm");
        // Symbol plus quiet zone stays inside the margins.
        for (doc, paper) in [(&a4, Paper::A4), (&a5, Paper::A5)] {
            let page = &doc.pages[0];
            let Some(Item::Symbol { x, y, module, symbol }) =
                page.items.iter().find(|i| matches!(i, Item::Symbol { .. }))
            else {
                panic!("symbol")
            };
            let quiet = module * QUIET_ZONE as f32;
            let side = module * symbol.width() as f32;
            assert!(x - quiet >= mm(9.9) && x + side + quiet <= page.width - mm(9.9), "{paper:?}");
            assert!(y - quiet > 0.0 && y + side + quiet < page.height, "{paper:?}");
        }
    }

    #[test]
    fn texts_follow_the_languages_vietnamese_first() {
        let a4 = poster(&house(), &Languages::default(), Paper::A4).expect("a4");
        let texts: Vec<&str> = a4.pages[0].texts().collect();
        let at = |needle: &str| {
            texts.iter().position(|t| t.contains(needle)).unwrap_or_else(|| panic!("{needle}: {texts:?}"))
        };
        assert!(at("Nhà văn hóa thôn Nà Pàn") < at("Nà Pàn Cultural House"));
        assert!(!texts.iter().any(|t| t.contains("那潘")), "zh is not a printed language");
        assert!(at("K4PVHZ") < at("bienphong.langson.gov.vn/q/K4PVHZ"));
        assert!(at("Quét mã này") < at("Scan this code") && at("Scan this code") < at("Scannez ce code"));
        assert_eq!(texts.last().copied(), Some("Đường dây nóng / Hotline / Permanence: 0205 000 0000"));
        assert_eq!(a4.title, "K4PVHZ – Nhà văn hóa thôn Nà Pàn");

        let vi_only = poster(&house(), &Languages::parse("vi").expect("vi"), Paper::A4).expect("vi");
        let texts: Vec<&str> = vi_only.pages[0].texts().collect();
        assert!(!texts.iter().any(|t| t.contains("Cultural House") || t.contains("Scan this")), "{texts:?}");
        assert!(symbol_mm(&vi_only) >= symbol_mm(&a4), "fewer lines leave more room");
    }

    #[test]
    fn a_unit_without_a_hotline_prints_its_name_only() {
        let mut p = house();
        p.hotline = None;
        let doc = poster(&p, &Languages::default(), Paper::A5).expect("a5");
        assert_eq!(doc.pages[0].texts().last(), Some("Trạm Biên phòng số 1 – Bắc Xa"));
    }
}
