//! Per-locale texts of an entity and how one of them is chosen for a reader.

use crate::error::ValidationError;
use crate::locale::{Locale, LocaleChain};

/// The texts of one entity, one entry per locale. Always holds the default locale (`vi`) for content
/// that passed validation; the order is the order the translations were written in.
#[derive(Debug, Clone, PartialEq)]
pub struct Translated<T> {
    entries: Vec<(Locale, T)>,
}

/// The translation chosen for a reader, with the facts a client needs to tell the reader about it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Localized<'a, T> {
    pub text: &'a T,
    /// The locale the text is actually in (may differ from the one requested).
    pub served: &'a Locale,
}

impl<T> Translated<T> {
    /// Collects translations; a locale given twice keeps its last text.
    pub fn new(entries: impl IntoIterator<Item = (Locale, T)>) -> Self {
        let mut out: Vec<(Locale, T)> = Vec::new();
        for (locale, text) in entries {
            match out.iter_mut().find(|(l, _)| *l == locale) {
                Some(slot) => slot.1 = text,
                None => out.push((locale, text)),
            }
        }
        Self { entries: out }
    }

    pub fn empty() -> Self {
        Self { entries: Vec::new() }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, locale: &Locale) -> Option<&T> {
        self.entries.iter().find(|(l, _)| l == locale).map(|(_, t)| t)
    }

    pub fn locales(&self) -> impl Iterator<Item = &Locale> {
        self.entries.iter().map(|(l, _)| l)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Locale, &T)> {
        self.entries.iter().map(|(l, t)| (l, t))
    }

    /// The text a reader with this chain is served; `None` only when there is no translation at all.
    pub fn localize(&self, chain: &LocaleChain) -> Option<Localized<'_, T>> {
        let available: Vec<&Locale> = self.locales().collect();
        let i = chain.pick(&available)?;
        let (served, text) = &self.entries[i];
        Some(Localized { text, served })
    }

    /// Content must at least exist in the default locale: it is the last step of every fallback chain.
    pub fn require_default(&self, field: &'static str) -> Result<(), ValidationError> {
        let default = Locale::default_locale();
        if self.get(&default).is_some() {
            return Ok(());
        }
        // `vi-VN` alone would not do: every reader's chain ends at the bare `vi`.
        match self.locales().find(|l| l.language() == default.language()) {
            Some(regional) => Err(ValidationError::new(
                field,
                format!("write the Vietnamese text under `vi`, not `{regional}`: every reader falls back to `vi`"),
            )),
            None => Err(ValidationError::new(field, "a Vietnamese (vi) text is required")),
        }
    }
}

/// Name and optional description: the translated texts of units, categories and places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedText {
    pub name: String,
    pub description: Option<String>,
}

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

impl NamedText {
    pub fn new(name: &str, description: Option<&str>) -> Result<Self, ValidationError> {
        let name = required_text("name", name, MAX_NAME_CHARS)?;
        let description = match description.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(bounded_text("description", d, MAX_DESCRIPTION_CHARS)?),
            None => None,
        };
        Ok(Self { name, description })
    }
}

/// A trimmed, non-empty text of at most `max` characters.
pub fn required_text(field: &'static str, value: &str, max: usize) -> Result<String, ValidationError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    bounded_text(field, value, max)
}

/// A text of at most `max` characters (counted as Unicode scalar values, not bytes: Vietnamese letters
/// take two or three bytes each).
pub fn bounded_text(field: &'static str, value: &str, max: usize) -> Result<String, ValidationError> {
    if value.chars().count() > max {
        return Err(ValidationError::new(field, format!("must be at most {max} characters")));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> Locale {
        Locale::parse(s).expect("valid")
    }

    #[test]
    fn localize_reports_served_locale() {
        let t = Translated::new([(l("vi"), "Xin chào"), (l("fr"), "Bonjour")]);
        let got = t.localize(&LocaleChain::new([l("fr-BE")])).expect("some");
        assert_eq!((*got.text, got.served.as_str()), ("Bonjour", "fr"));
        let got = t.localize(&LocaleChain::new([l("en")])).expect("some");
        assert_eq!((*got.text, got.served.as_str()), ("Xin chào", "vi"));
        assert!(Translated::<&str>::empty().localize(&LocaleChain::default_only()).is_none());
    }

    #[test]
    fn duplicate_locale_keeps_last_text() {
        let t = Translated::new([(l("vi"), 1), (l("en"), 2), (l("vi"), 3)]);
        assert_eq!(t.get(&l("vi")), Some(&3));
        assert_eq!(t.locales().count(), 2);
    }

    #[test]
    fn default_locale_is_required() {
        let t = Translated::new([(l("en"), "x")]);
        assert_eq!(t.require_default("name").expect_err("no vi").field, "name");
        let regional = Translated::new([(Locale::parse("vi-VN").expect("tag"), 1)]);
        let err = regional.require_default("name").expect_err("vi-VN is not vi");
        assert!(err.message.contains("under `vi`, not `vi-VN`"), "{}", err.message);
        assert!(Translated::new([(l("vi"), "x")]).require_default("name").is_ok());
    }

    #[test]
    fn text_limits_count_characters_not_bytes() {
        let vi = "ệ".repeat(MAX_NAME_CHARS);
        assert!(NamedText::new(&vi, None).is_ok());
        assert!(NamedText::new(&format!("{vi}ệ"), None).is_err());
        assert_eq!(NamedText::new("  ", None).expect_err("blank").field, "name");
        let n = NamedText::new(" Đồn ", Some("  ")).expect("ok");
        assert_eq!((n.name.as_str(), n.description), ("Đồn", None));
    }
}
