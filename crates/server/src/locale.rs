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
    accept_language::parse_with_quality(raw)
        .iter()
        // q=0 means "not this one".
        .filter(|(t, q)| t.as_str() != "*" && *q > 0.0)
        .filter_map(|(t, _)| Locale::parse(t).ok())
        .fold(Vec::new(), |mut out, l| {
            if out.len() < MAX_PREFERENCES && !out.contains(&l) {
                out.push(l);
            }
            out
        })
}

/// The chain for a page: a valid `?lang=` comes first (it is what the language switch sets), then
/// the phone's own languages, so a French visitor on an article without French still gets the English
/// version when the phone also reads English. An invalid `lang` is ignored rather than refused: a
/// person, not a program, typed it.
pub fn page_chain(lang: Option<&str>, headers: &HeaderMap) -> LocaleChain {
    let chosen = lang.and_then(|l| Locale::parse(l).ok());
    LocaleChain::new(chosen.into_iter().chain(accept_language(headers)))
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
        let got: Vec<String> = accept_language(&headers("fr;q=0.5, en-GB, *;q=0.1, vi;q=0.8, !!;q=0.9, de;q=0"))
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
        let chain = page_chain(Some("fr"), &h);
        let entries: Vec<&str> = chain.entries().iter().map(Locale::as_str).collect();
        assert_eq!(entries, ["fr", "en", "vi"], "the phone's languages follow the chosen one");
        assert_eq!(page_chain(Some("not a tag"), &h).preferred().map(Locale::as_str), Some("en"));
        assert_eq!(page_chain(None, &HeaderMap::new()).preferred(), None);
    }
}
