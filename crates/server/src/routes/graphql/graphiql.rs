//! `/graphiql`, the administrators' tool, served entirely from the binary: a post's offline box has
//! no CDN. The page loads GraphiQL, React and ReactDOM (pinned copies in `assets/graphiql/`, see the
//! README there) and our start-up script from `/graphiql/assets/{file}`. Every asset name carries
//! its version (the package's, or a hash of our script), so the files may be cached forever.

use crate::App;
use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use frontier_graphql::Links;
use std::sync::LazyLock;

/// The page needs nothing from another origin. GraphiQL's stylesheet inlines its fonts and icons as
/// `data:` URLs, and GraphiQL adds `<style>` elements at run time (its dialogs do; a strict
/// `style-src 'self'` blocks them), so styles may be inline — the page's own two rules are too.
/// Scripts may not: none is inline and none calls `eval`. `connect-src` adds the websocket of
/// subscriptions on this host (`ws:` and `wss:`, since 'self' does not name them everywhere).
fn csp(socket_host: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src data:; font-src data:; \
         connect-src 'self' ws://{socket_host} wss://{socket_host}; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'"
    )
}

/// Where GraphiQL opens its websocket for subscriptions: `{prefix}/graphql` on the host the browser
/// asked for (`Host`), so it reaches the server that served the page, and `wss:` when that host is
/// the one of `FRONTIER_PUBLIC_BASE_URL` and it says `https` (our script also switches to `wss:` on
/// any HTTPS page: browsers refuse `ws:` there). Without a usable `Host`, the public base URL's host.
fn socket_url(links: &Links, headers: &HeaderMap) -> (String, String) {
    let base = url::Url::parse(links.base()).ok();
    let base_host = base.as_ref().and_then(|u| {
        let host = u.host_str()?;
        Some(u.port().map_or_else(|| host.to_owned(), |p| format!("{host}:{p}")))
    });
    let asked = headers.get(header::HOST).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase).filter(|h| {
        // A host and port, nothing that could end the CSP directive or the attribute.
        !h.is_empty() && h.len() <= 255 && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    });
    let host = asked.or_else(|| base_host.clone()).unwrap_or_else(|| "localhost".to_owned());
    let secure = base.is_some_and(|u| u.scheme() == "https") && base_host.as_deref() == Some(host.as_str());
    let scheme = if secure { "wss" } else { "ws" };
    (format!("{scheme}://{host}{}/graphql", links.prefix()), host)
}

/// Asset names never serve other bytes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

/// A file of `assets/graphiql/`, named by its package and version.
macro_rules! vendored {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/graphiql/", $name)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

static REACT: Asset = vendored!("react-18.3.1.production.min.js", JS);
static REACT_DOM: Asset = vendored!("react-dom-18.3.1.production.min.js", JS);
static GRAPHIQL_JS: Asset = vendored!("graphiql-3.9.0.min.js", JS);
static GRAPHIQL_CSS: Asset = vendored!("graphiql-3.9.0.min.css", CSS);

/// Our start-up script; its name carries a hash of its bytes.
const START_JS: &[u8] = include_bytes!("graphiql.js");
const START_HASH: u64 = fnv1a(START_JS);

/// 64-bit FNV-1a (here at compile time): not for security, only so that a changed script gets
/// a new name and no browser keeps running a cached old one.
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

static START: LazyLock<Asset> = LazyLock::new(|| Asset {
    name: Box::leak(format!("frontier-graphiql.{START_HASH:016x}.js").into_boxed_str()),
    content_type: JS,
    bytes: START_JS,
});

/// Every asset, in the order the page loads them (styles, then scripts: React before ReactDOM
/// before GraphiQL before our script).
fn assets() -> [&'static Asset; 5] {
    [&GRAPHIQL_CSS, &REACT, &REACT_DOM, &GRAPHIQL_JS, &*START]
}

#[derive(Template)]
#[template(path = "graphiql.html")]
struct Page {
    styles: Vec<String>,
    scripts: Vec<String>,
    endpoint: String,
    /// The websocket URL subscriptions use.
    socket: String,
}

/// `GET /graphiql`: GraphiQL against `{prefix}/graphql` (its header editor carries a bearer token,
/// which also goes in `connection_init` when a subscription opens the websocket).
pub async fn page(State(app): State<App>, headers: HeaderMap) -> Response {
    // Behind a proxy that serves the portal below a path, the endpoint and the assets are below it too.
    let prefix = app.links.prefix();
    let href = |a: &Asset| format!("{prefix}/graphiql/assets/{}", a.name);
    let (styles, scripts) = assets().into_iter().partition::<Vec<_>, _>(|a| a.content_type == CSS);
    let (socket, socket_host) = socket_url(&app.links, &headers);
    let page = Page {
        styles: styles.into_iter().map(href).collect(),
        scripts: scripts.into_iter().map(href).collect(),
        endpoint: format!("{prefix}/graphql"),
        socket: socket.clone(),
    };
    match page.render() {
        Ok(html) => {
            let mut r = Html(html).into_response();
            let h = r.headers_mut();
            // The page names the assets of this build: a new binary must not meet an old page.
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            // The host was checked to hold only characters a header may.
            if let Ok(csp) = HeaderValue::from_str(&csp(&socket_host)) {
                h.insert(header::CONTENT_SECURITY_POLICY, csp);
            }
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "GraphiQL page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "page could not be rendered").into_response()
        }
    }
}

/// `GET /graphiql/assets/{file}`: one of the page's files, or 404.
pub async fn asset(file: Result<Path<String>, PathRejection>) -> Response {
    let Some(asset) = file.ok().and_then(|Path(file)| assets().into_iter().find(|a| a.name == file)) else {
        return (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], "no such asset\n").into_response();
    };
    let mut r = asset.bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_names_are_unique_and_versioned() {
        let names: Vec<&str> = assets().iter().map(|a| a.name).collect();
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        for name in names {
            assert!(name.chars().any(|c| c.is_ascii_digit()), "{name} has no version");
        }
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
