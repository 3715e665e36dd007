//! Choosing the reader's language on HTTP requests: `?lang=` first, then `Accept-Language`.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use frontier_domain::{Locale, LocaleChain};

/// More preferences than this are noise (and a cheap way to make us work): the rest is ignored.
const MAX_PREFERENCES: usize = 8;

/// The well-formed tags of `Accept-Language`, best first; `*` and malformed entries are skipped.
pub fn accept_language(headers: &HeaderMap) -> Vec<Locale> {
    let Some(raw) = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else { return Vec::new() };
    if raw.len() > 512 {
        return Vec::new();
    }
    accept_language::parse(raw)
        .iter()
        .filter(|t| t.as_str() != "*")
        .filter_map(|t| Locale::parse(t).ok())
        .take(MAX_PREFERENCES)
        .collect()
}

/// The chain for a page: a valid `?lang=` wins (and is what the language switch sets); an invalid
/// one is ignored rather than refused, since a person, not a program, typed it.
pub fn page_chain(lang: Option<&str>, headers: &HeaderMap) -> LocaleChain {
    match lang.and_then(|l| Locale::parse(l).ok()) {
        Some(l) => LocaleChain::new([l]),
        None => LocaleChain::new(accept_language(headers)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT_LANGUAGE, HeaderValue::from_str(value).expect("header"));
        h
    }

    #[test]
    fn accept_language_is_ordered_by_quality() {
        let got: Vec<String> = accept_language(&headers("fr;q=0.5, en-GB, *;q=0.1, vi;q=0.8, !!;q=0.9"))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(got, ["en-GB", "vi", "fr"]);
        assert!(accept_language(&HeaderMap::new()).is_empty());
    }

    #[test]
    fn lang_parameter_wins_when_valid() {
        let h = headers("en");
        assert_eq!(page_chain(Some("fr"), &h).preferred().map(Locale::as_str), Some("fr"));
        assert_eq!(page_chain(Some("not a tag"), &h).preferred().map(Locale::as_str), Some("en"));
        assert_eq!(page_chain(None, &HeaderMap::new()).preferred(), None);
    }
}
