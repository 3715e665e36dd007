//! Validators for generated files: a strong ETag, `If-None-Match`, and the answer with its headers.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// A strong ETag over `parts` (everything that decides the bytes), as a quoted header value.
pub fn etag(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    let digest = h.finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// `If-None-Match` names this ETag (or `*`): the client's copy is current. The comparison is the
/// weak one RFC 9110 prescribes for this header, so `W/"x"` matches `"x"`.
pub fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let Some(v) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else { return false };
    v.split(',').map(|t| t.trim().trim_start_matches("W/")).any(|t| t == "*" || t == etag)
}

/// 304 when the client holds `etag`, else `body` of type `mime`; both with the validators.
pub fn respond(
    headers: &HeaderMap,
    etag: &str,
    cache_control: &'static str,
    mime: &'static str,
    body: impl FnOnce() -> Vec<u8>,
) -> Response {
    let mut r = if matches(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body().into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
        r
    };
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_quoted_and_tell_their_parts_apart() {
        let a = etag(&[b"ab", b"c"]);
        assert_eq!(a.len(), 34);
        assert!(a.starts_with('"') && a.ends_with('"'));
        assert_ne!(a, etag(&[b"a", b"bc"]));
        assert_eq!(a, etag(&[b"ab", b"c"]));
    }

    #[test]
    fn if_none_match_lists_and_weak_forms_match() {
        let tag = etag(&[b"x"]);
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(v).expect("header"));
            h
        };
        assert!(matches(&with(&tag), &tag));
        assert!(matches(&with(&format!("\"other\", W/{tag}")), &tag));
        assert!(matches(&with("*"), &tag));
        assert!(!matches(&with("\"other\""), &tag));
        assert!(!matches(&HeaderMap::new(), &tag));
    }
}
