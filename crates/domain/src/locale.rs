//! Locale tags (BCP 47) and the fallback chain that decides which translation a reader is served.

use crate::error::ValidationError;
use oxilangtag::LanguageTag;
use std::fmt;
use std::str::FromStr;

/// The locale every piece of content must exist in, and the last resort of every fallback chain.
pub const DEFAULT_LOCALE: &str = "vi";

/// The locales the reader pages offer in their language switch.
pub const READER_LOCALES: [&str; 3] = ["vi", "en", "fr"];

/// Longest tag we store; real tags are far shorter, and the bound keeps junk out of the database.
const MAX_TAG_LEN: usize = 35;

/// A well-formed BCP 47 language tag in its normalised case (`zh-Hant-TW`, `vi`, `fr-CA`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale(String);

impl Locale {
    pub fn parse(tag: &str) -> Result<Self, ValidationError> {
        let tag = tag.trim();
        if tag.is_empty() {
            return Err(ValidationError::new("locale", "must not be empty"));
        }
        if tag.len() > MAX_TAG_LEN {
            return Err(ValidationError::new("locale", format!("must be at most {MAX_TAG_LEN} characters")));
        }
        if !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(ValidationError::new(
                "locale",
                format!("`{tag}` may contain only letters, digits and hyphens (e.g. `fr`, `zh-Hans`)"),
            ));
        }
        let parsed = LanguageTag::parse_and_normalize(tag)
            .map_err(|e| ValidationError::new("locale", format!("`{tag}` is not a BCP 47 language tag ({e})")))?;
        if parsed.as_str().split('-').next().is_none_or(|first| first.len() < 2) {
            // "x-…" private-use and "i-…" grandfathered tags say nothing about a language a reader reads.
            return Err(ValidationError::new("locale", format!("`{tag}` does not name a language")));
        }
        Ok(Self(parsed.into_inner()))
    }

    /// The default content locale (`vi`).
    pub fn default_locale() -> Self {
        Self(DEFAULT_LOCALE.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag, lower case (`zh` for `zh-Hant-TW`).
    pub fn language(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// Just the language (`fr` for `fr-CA`): what a frontend's `/{locale}/` path segment expects.
    pub fn primary(&self) -> Self {
        Self(self.language().to_owned())
    }

    /// The tag without its last subtag (`zh-Hant-TW` → `zh-Hant`), `None` for a bare language.
    fn parent(&self) -> Option<Self> {
        let cut = self.0.rfind('-')?;
        let mut parent = &self.0[..cut];
        // Never end on a singleton (`x`, `u`): `de-u-co` → `de`.
        while let Some(i) = parent.rfind('-') {
            if parent.len() - i - 1 > 1 {
                break;
            }
            parent = &parent[..i];
        }
        Some(Self(parent.to_owned()))
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Locale {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The ordered list of locales to try when serving a translation: what the reader asked for (most
/// preferred first, each followed by its broader forms), then the default locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleChain {
    requested: Vec<Locale>,
    entries: Vec<Locale>,
}

impl LocaleChain {
    /// Builds the chain from the reader's preferences, most preferred first.
    pub fn new(requested: impl IntoIterator<Item = Locale>) -> Self {
        let requested: Vec<Locale> = requested.into_iter().collect();
        let mut entries: Vec<Locale> = Vec::new();
        let push = |l: Locale, entries: &mut Vec<Locale>| {
            if !entries.contains(&l) {
                entries.push(l);
            }
        };
        for tag in &requested {
            let mut current = Some(tag.clone());
            while let Some(l) = current {
                current = l.parent();
                push(l, &mut entries);
            }
        }
        push(Locale::default_locale(), &mut entries);
        Self { requested, entries }
    }

    /// The chain for a reader who expressed no preference: just the default locale.
    pub fn default_only() -> Self {
        Self::new([])
    }

    /// The locale the reader asked for first, if any.
    pub fn preferred(&self) -> Option<&Locale> {
        self.requested.first()
    }

    pub fn entries(&self) -> &[Locale] {
        &self.entries
    }

    /// Chooses among the locales a piece of content exists in. Returns the index into `available`.
    ///
    /// The reader's tags are tried in order of preference; for each, the tag itself and its broader
    /// forms (`fr-CA`, `fr`), then any available locale of the same language (`zh` asked, `zh-Hant`
    /// present). Then the default locale; finally the first available locale, so content is never
    /// hidden for lack of a translation.
    pub fn pick(&self, available: &[&Locale]) -> Option<usize> {
        if available.is_empty() {
            return None;
        }
        for wanted in &self.requested {
            let mut form = Some(wanted.clone());
            while let Some(f) = form {
                if let Some(i) = available.iter().position(|a| **a == f) {
                    return Some(i);
                }
                form = f.parent();
            }
            if let Some(i) = available.iter().position(|a| a.language() == wanted.language()) {
                return Some(i);
            }
        }
        let default = Locale::default_locale();
        Some(available.iter().position(|a| **a == default).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> Locale {
        Locale::parse(s).expect("valid tag")
    }

    #[test]
    fn normalises_case() {
        assert_eq!(l("ZH-hant-tw").as_str(), "zh-Hant-TW");
        assert_eq!(l(" FR ").as_str(), "fr");
        assert_eq!(l("vi-VN").language(), "vi");
        assert_eq!(l("zh-Hant-TW").primary(), l("zh"));
    }

    #[test]
    fn rejects_malformed_tags() {
        for bad in ["", "a", "english please", "fr_FR", "x-private", "12", "toolongsubtagxx-aa", "-fr", "fr-"] {
            let err = Locale::parse(bad).expect_err(bad);
            assert_eq!(err.field, "locale", "{bad}");
        }
    }

    #[test]
    fn chain_walks_broader_forms_then_default() {
        let chain = LocaleChain::new([l("zh-Hant-TW"), l("fr-CA")]);
        let got: Vec<&str> = chain.entries().iter().map(Locale::as_str).collect();
        assert_eq!(got, ["zh-Hant-TW", "zh-Hant", "zh", "fr-CA", "fr", "vi"]);
        assert_eq!(chain.preferred().map(Locale::as_str), Some("zh-Hant-TW"));
    }

    #[test]
    fn chain_strips_extension_singletons() {
        let chain = LocaleChain::new([l("de-u-co-phonebk")]);
        let got: Vec<&str> = chain.entries().iter().map(Locale::as_str).collect();
        assert_eq!(got, ["de-u-co-phonebk", "de-u-co", "de", "vi"]);
    }

    #[test]
    fn pick_prefers_request_then_language_then_default_then_any() {
        let (vi, en, fr, zh_hans) = (l("vi"), l("en"), l("fr"), l("zh-Hans"));
        let all = [&vi, &en, &fr];
        assert_eq!(LocaleChain::new([l("fr")]).pick(&all), Some(2));
        assert_eq!(LocaleChain::new([l("en-GB")]).pick(&all), Some(1));
        assert_eq!(LocaleChain::new([l("de"), l("en")]).pick(&all), Some(1));
        assert_eq!(LocaleChain::new([l("de")]).pick(&all), Some(0), "unknown locale falls back to vi");
        assert_eq!(LocaleChain::default_only().pick(&[&en, &vi]), Some(1));
        assert_eq!(LocaleChain::new([l("zh")]).pick(&[&vi, &zh_hans]), Some(1));
        assert_eq!(LocaleChain::new([l("de")]).pick(&[&fr, &en]), Some(0), "no default: first available");
        // A Vietnamese phone that also reads English asks for Vietnamese first, and gets it.
        let phone = LocaleChain::new([l("vi-VN"), l("vi"), l("en-US"), l("en")]);
        assert_eq!(phone.pick(&[&en, &vi]), Some(1));
        assert_eq!(LocaleChain::new([l("en"), l("vi")]).pick(&[&vi, &en]), Some(1), "order of preference");
        assert_eq!(LocaleChain::new([l("vi"), l("en")]).pick(&[&en, &fr]), Some(0), "vi missing: next choice");
        assert_eq!(LocaleChain::new([l("fr")]).pick(&[]), None);
    }
}
