//! The poster's own words in each language it can be printed in, and the configured list of them.

use crate::fonts::Face;

/// One language's words on a poster.
#[derive(Debug, PartialEq, Eq)]
pub struct Words {
    pub lang: &'static str,
    /// The one line telling a passer-by what the symbol is for.
    pub instruction: &'static str,
    /// Before the phone number.
    pub hotline: &'static str,
}

const VI: Words =
    Words {
        lang: "vi", instruction: "Quét mã này để đọc thông tin của Bộ đội Biên phòng", hotline: "Đường dây nóng"
    };

const EN: Words =
    Words { lang: "en", instruction: "Scan this code to read information from the Border Guard", hotline: "Hotline" };

const FR: Words = Words {
    lang: "fr",
    instruction: "Scannez ce code pour lire les informations des gardes-frontières",
    hotline: "Permanence",
};

/// Written, but Noto Sans has no Chinese glyphs: configuring `zh` is refused until a CJK font is
/// embedded.
const ZH: Words =
    Words { lang: "zh", instruction: "扫描此二维码，阅读边防部队的信息", hotline: "热线" };

const ALL: [&Words; 4] = [&VI, &EN, &FR, &ZH];

impl Words {
    fn texts(&self) -> [&'static str; 2] {
        [self.instruction, self.hotline]
    }
}

/// The languages printed on posters (`FRONTIER_POSTER_LANGUAGES`), Vietnamese first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages(Vec<&'static Words>);

impl Languages {
    /// A comma-separated list such as `vi,en,fr`. Vietnamese is always printed, and first; a
    /// language without poster words, or whose words the embedded font cannot draw, is refused.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut out: Vec<&'static Words> = vec![&VI];
        for tag in list.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let lower = tag.to_ascii_lowercase();
            let Some(words) = ALL.iter().find(|w| w.lang == lower) else {
                let known: Vec<&str> = ALL.iter().map(|w| w.lang).collect();
                return Err(format!(
                    "poster language `{tag}` has no translation of the poster's words (there are: {})",
                    known.join(", ")
                ));
            };
            for face in [Face::Regular, Face::Bold] {
                if let Some(c) = words.texts().iter().find_map(|t| face.missing(t)) {
                    return Err(format!(
                        "poster language `{tag}` cannot be printed: the embedded font (Noto Sans) has no glyph for `{c}` (U+{:04X})",
                        u32::from(c)
                    ));
                }
            }
            if !out.contains(words) {
                out.push(words);
            }
        }
        Ok(Self(out))
    }

    /// Vietnamese, then the others in the order configured.
    pub fn all(&self) -> &[&'static Words] {
        &self.0
    }

    pub fn tags(&self) -> Vec<&'static str> {
        self.0.iter().map(|w| w.lang).collect()
    }

    pub fn vietnamese(&self) -> &'static Words {
        &VI
    }
}

impl Default for Languages {
    fn default() -> Self {
        Self(vec![&VI, &EN, &FR])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_comes_first_once() {
        assert_eq!(Languages::parse("vi,en,fr").expect("ok").tags(), ["vi", "en", "fr"]);
        assert_eq!(Languages::parse("fr, EN ,vi,fr").expect("ok").tags(), ["vi", "fr", "en"]);
        assert_eq!(Languages::parse("").expect("ok").tags(), ["vi"]);
        assert_eq!(Languages::default(), Languages::parse("vi,en,fr").expect("ok"));
    }

    #[test]
    fn unprintable_or_untranslated_languages_are_refused() {
        let zh = Languages::parse("vi,zh").expect_err("no CJK glyphs");
        assert!(zh.contains("`zh` cannot be printed") && zh.contains("U+626B"), "{zh}");
        let de = Languages::parse("vi,de").expect_err("no German words");
        assert!(de.contains("`de` has no translation") && de.contains("vi, en, fr, zh"), "{de}");
        assert!(Languages::parse("fr-CA").is_err(), "region tags are not guessed at");
    }
}
