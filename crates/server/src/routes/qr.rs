//! `GET /qr/{code}.png` and `.svg`: the symbol of a code that exists, encoding its scan URL, drawn
//! as the query asks (`size`, `margin`, `ecc`, `dark`, `light`; see `qr_query.rs`).

use super::qr_query::ImageQuery;
use crate::App;
use crate::http_cache;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontier_domain::QrCodeValue;
use frontier_print::{Symbol, SymbolImage};

/// Part of every image ETag: bump it when the drawing changes for the same parameters (a new
/// renderer, another qrcode release), so caches do not keep the old bytes.
const RENDERER: &[u8] = b"frontier-qr-image-2/qrcode-0.14";
/// A code's image changes only with the server's public URL: a day's caching, then a cheap 304.
pub const CACHE: &str = "public, max-age=86400";

pub fn plain(status: StatusCode, text: impl Into<String>) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], text.into()).into_response()
}

pub fn unavailable(e: &frontier_store::StoreError) -> Response {
    tracing::error!(error = %e, "QR printing: store unavailable");
    plain(StatusCode::SERVICE_UNAVAILABLE, "try again later\n")
}

/// The code in a path segment, when it exists in the database (whatever its state).
pub async fn known_code(app: &App, raw: &str) -> Result<QrCodeValue, Response> {
    let Ok(code) = QrCodeValue::parse(raw) else { return Err(plain(StatusCode::NOT_FOUND, "no such QR code\n")) };
    match app.store.qr_code_by_code_any(code.clone()).await {
        Ok(Some(_)) => Ok(code),
        Ok(None) => Err(plain(StatusCode::NOT_FOUND, "no such QR code\n")),
        Err(e) => Err(unavailable(&e)),
    }
}

pub async fn image(
    State(app): State<App>,
    file: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Ok(Path(file)) = file else { return plain(StatusCode::NOT_FOUND, "no such image\n") };
    let Some((code, ext)) = file.rsplit_once('.') else { return plain(StatusCode::NOT_FOUND, "no such image\n") };
    let (mime, png) = match ext.to_ascii_lowercase().as_str() {
        "png" => ("image/png", true),
        "svg" => ("image/svg+xml", false),
        _ => return plain(StatusCode::NOT_FOUND, "images are .png or .svg\n"),
    };
    let q = match ImageQuery::parse(raw.as_deref()) {
        Ok(q) => q,
        Err(message) => return plain(StatusCode::BAD_REQUEST, format!("{message}\n")),
    };
    let code = match known_code(&app, code).await {
        Ok(code) => code,
        Err(response) => return response,
    };
    let url = app.links.scan_url(&code);
    let params = format!(
        "{mime} size={} margin={} ecc={} dark={} light={}",
        q.size,
        q.margin,
        q.ecc.as_str(),
        q.colours.dark(),
        q.colours.light()
    );
    let etag = http_cache::etag(&[RENDERER, url.as_bytes(), params.as_bytes()]);
    if http_cache::matches(&headers, &etag) {
        return http_cache::respond(&headers, &etag, CACHE, mime, Vec::new);
    }
    let drawn = draw(move || {
        let symbol = Symbol::encode(&url, q.ecc).map_err(|e| e.to_string())?;
        let img = SymbolImage::new(&symbol, q.margin, q.size, q.colours);
        if png { img.png().map_err(|e| e.to_string()) } else { Ok(img.svg().into_bytes()) }
    })
    .await;
    match drawn {
        Ok(bytes) => http_cache::respond(&headers, &etag, CACHE, mime, || bytes),
        Err(response) => response,
    }
}

/// Drawing (a large symbol, a PDF with its font subset) is CPU work: it runs off the async
/// workers. A failure is logged and answered 500: it is our bug, not the caller's.
pub async fn draw(make: impl FnOnce() -> Result<Vec<u8>, String> + Send + 'static) -> Result<Vec<u8>, Response> {
    let failed = |e: String| {
        tracing::error!(error = %e, "QR image or printed matter could not be drawn");
        plain(StatusCode::INTERNAL_SERVER_ERROR, "could not be drawn\n")
    };
    match tokio::task::spawn_blocking(make).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(failed(e)),
        Err(e) => Err(failed(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use frontier_domain::QrCodeValue;
    use frontier_graphql::Links;
    use frontier_print::{Ecc, Symbol};

    /// Characters a version holds in one mode (ISO/IEC 18004 table 7), versions 1 to 6, per level
    /// L, M, Q, H: what we expect the encoder to reach, worked out without it.
    const ALPHANUMERIC: [[usize; 4]; 6] = [
        [25, 20, 16, 10],
        [47, 38, 29, 20],
        [77, 61, 47, 35],
        [114, 90, 67, 50],
        [154, 122, 87, 64],
        [195, 154, 108, 84],
    ];
    const BYTE: [[usize; 4]; 6] =
        [[17, 14, 11, 7], [32, 26, 20, 14], [53, 42, 32, 24], [78, 62, 46, 34], [106, 84, 60, 44], [134, 106, 74, 58]];

    fn table_version(table: &[[usize; 4]; 6], len: usize, level: usize) -> u8 {
        let v = table.iter().position(|row| row[level] >= len).expect("fits in version 6");
        u8::try_from(v + 1).expect("small")
    }

    /// Versions per level L, M, Q, H of the symbol URL and of its lower-case form.
    fn versions(base: &str, code: &str) -> ([u8; 4], [u8; 4]) {
        let url = Links::new(base, None).expect("base").scan_url(&QrCodeValue::parse(code).expect("code"));
        // What the symbol held before: the base as configured, `/q/`, the code.
        let lower = format!("{base}/q/{code}");
        let mut upper_v = [0; 4];
        let mut lower_v = [0; 4];
        for (i, ecc) in Ecc::ALL.into_iter().enumerate() {
            upper_v[i] = Symbol::encode(&url, ecc).expect("encodes").version();
            lower_v[i] = Symbol::encode(&lower, ecc).expect("encodes").version();
            // The upper-case URL is all alphanumeric: one segment, the table's version exactly.
            assert_eq!(upper_v[i], table_version(&ALPHANUMERIC, url.len(), i), "{url} {ecc:?}");
            // These lower-case URLs gain nothing from mixing segments: the byte table's version.
            assert_eq!(lower_v[i], table_version(&BYTE, lower.len(), i), "{lower} {ecc:?}");
            assert!(upper_v[i] <= lower_v[i], "{ecc:?}");
        }
        (upper_v, lower_v)
    }

    #[test]
    fn the_upper_case_url_needs_a_smaller_or_equal_version_at_every_level() {
        // 30 characters. Equal at L (both fit version 2) and Q (both need 3).
        assert_eq!(versions("http://127.0.0.1:8080", "K4PVHZ"), ([2, 2, 3, 3], [2, 3, 3, 4]));
        // 41 characters. Equal at M (42 bytes fit version 3); smaller at L, Q and H.
        assert_eq!(versions("https://bienphong.langson.gov.vn", "7KX2MP"), ([2, 3, 3, 4], [3, 3, 4, 5]));
        // An eight-character code (43): smaller at every level.
        assert_eq!(versions("https://bienphong.langson.gov.vn", "7KX2MPQ9"), ([2, 3, 3, 4], [3, 4, 4, 5]));
    }

    #[test]
    fn a_lower_case_prefix_costs_only_its_own_segment() {
        for ecc in Ecc::ALL {
            let mixed = Symbol::encode("HTTPS://BIEN.EXAMPLE/lang-son/Q/K4PVHZ", ecc).expect("encodes");
            let lower = Symbol::encode("https://bien.example/lang-son/q/K4PVHZ", ecc).expect("encodes");
            assert!(mixed.version() <= lower.version(), "{ecc:?}");
        }
    }
}
