//! Slugs: the stable, readable keys in URLs (`/a/luat-bien-phong-viet-nam-2020`).

use crate::error::ValidationError;
use std::fmt;

pub const MAX_SLUG_LEN: usize = 96;

/// Lower-case ASCII letters and digits in words joined by single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        let err = |m: &str| Err(ValidationError::new("slug", m.to_owned()));
        if value.is_empty() {
            return err("must not be empty");
        }
        if value.len() > MAX_SLUG_LEN {
            return err(&format!("must be at most {MAX_SLUG_LEN} characters"));
        }
        if !value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return err("may contain only a-z, 0-9 and hyphens");
        }
        if value.starts_with('-') || value.ends_with('-') || value.contains("--") {
            return err("hyphens must separate words (no leading, trailing or double hyphen)");
        }
        Ok(Self(value.to_owned()))
    }

    /// Makes a slug from a title in any script: diacritics are folded (`Luật Biên phòng` →
    /// `luat-bien-phong`, `đ` → `d`), everything else that is not a letter or digit separates words.
    /// Returns `None` when nothing usable is left (a title of punctuation only).
    pub fn from_title(title: &str) -> Option<Self> {
        let folded = deunicode::deunicode(title);
        let mut out = String::with_capacity(folded.len());
        for c in folded.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        if out.len() > MAX_SLUG_LEN {
            out.truncate(MAX_SLUG_LEN);
        }
        let trimmed = out.trim_end_matches('-');
        Self::parse(trimmed).ok()
    }

    /// The `n`th alternative when this slug is taken: `luat-bien-phong-2`, shortened at a word
    /// boundary if needed so the result stays within the length limit.
    pub fn numbered(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let mut base = self.0.as_str();
        while base.len() + suffix.len() > MAX_SLUG_LEN {
            base = match base.rfind('-') {
                Some(i) if i > 0 => &base[..i],
                _ => &base[..MAX_SLUG_LEN - suffix.len()],
            };
        }
        Self(format!("{}{suffix}", base.trim_end_matches('-')))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_alternatives_stay_valid_and_short_enough() {
        let s = Slug::parse("luat-bien-phong").expect("slug");
        assert_eq!(s.numbered(2).as_str(), "luat-bien-phong-2");
        assert_eq!(s.numbered(10).as_str(), "luat-bien-phong-10");
    }

    #[test]
    fn numbered_cuts_long_slugs_at_a_word() {
        // 8 words of 11 letters + 7 hyphens = 95 characters.
        let s = Slug::parse(&["abcdefghijk"; 8].join("-")).expect("95 chars");
        let n = s.numbered(12);
        assert_eq!(n.as_str(), format!("{}-12", ["abcdefghijk"; 7].join("-")));
        assert!(Slug::parse(n.as_str()).is_ok());
    }

    #[test]
    fn accepts_plain_slugs() {
        for ok in ["a", "luat-bien-phong", "tram-2", "2025-04"] {
            assert_eq!(Slug::parse(ok).expect(ok).as_str(), ok);
        }
    }

    #[test]
    fn rejects_malformed_slugs() {
        for bad in ["", "Luat", "luật", "a--b", "-a", "a-", "a b", "a_b", "a/b"] {
            assert_eq!(Slug::parse(bad).expect_err(bad).field, "slug");
        }
        assert!(Slug::parse(&"a".repeat(MAX_SLUG_LEN + 1)).is_err());
    }

    #[test]
    fn folds_vietnamese_titles() {
        let cases = [
            ("Luật Biên phòng", "luat-bien-phong"),
            ("Đồn Biên phòng Bắc Xa", "don-bien-phong-bac-xa"),
            ("  Hát Then của người Tày, Nùng!  ", "hat-then-cua-nguoi-tay-nung"),
            ("Nghị định 34/2014/NĐ-CP", "nghi-dinh-34-2014-nd-cp"),
            ("Kiên Mộc — 13 nhà văn hóa", "kien-moc-13-nha-van-hoa"),
        ];
        for (title, slug) in cases {
            assert_eq!(Slug::from_title(title).expect(title).as_str(), slug);
        }
        assert_eq!(Slug::from_title("?!…"), None);
    }

    #[test]
    fn long_titles_are_cut_to_a_valid_slug() {
        let slug = Slug::from_title(&"biên giới ".repeat(30)).expect("slug");
        assert!(slug.as_str().len() <= MAX_SLUG_LEN);
        assert!(!slug.as_str().ends_with('-'));
    }
}
