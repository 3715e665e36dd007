//! `/graphql` as the GraphQL-over-HTTP spec describes it: `GET` and `POST`, the answer in the media
//! type the client accepts (`application/json` unless it asks for `application/graphql-response+json`),
//! request errors without `data` (400 under `application/graphql-response+json`, 200 under
//! `application/json`), and every failure before execution as a JSON GraphQL error with a stable
//! `extensions.code`. Browser frontends on other origins may call it (CORS, no credentials).

pub mod graphiql;
mod media;
pub mod multipart;
pub(super) mod viewer;
pub mod ws;

use crate::App;
use crate::locale::accept_language;
use async_graphql::parser::types::{DocumentOperations, OperationDefinition, OperationType, Selection};
use async_graphql::{ParseRequestError, ServerError, Value};
use async_graphql_axum::rejection::GraphQLRejection;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use media::{MediaType, http_error, respond};
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The request is not a GraphQL-over-HTTP request we can execute (malformed body, missing query, …).
pub const BAD_REQUEST: &str = "BAD_REQUEST";
/// A `POST` body that is not `application/json` (or `application/graphql`, `multipart/form-data`).
pub const UNSUPPORTED_MEDIA_TYPE: &str = "UNSUPPORTED_MEDIA_TYPE";
/// A method other than `GET`/`POST`/`OPTIONS`, or a mutation sent with `GET`.
pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
/// A body that outgrew the request limit while it was read.
pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
/// A bearer token or API key that is not (or no longer) valid.
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
const INTERNAL: &str = "INTERNAL_SERVER_ERROR";

/// Preflight answers may be cached this long by the browser.
const CORS_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The socket peer's address, when the listener recorded it (login throttling keys on it).
pub struct Peer(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// What is checked before the body is read: a `POST` must carry a GraphQL media type, and a
/// multipart one (an upload, up to the upload limit) a signed-in account: nobody else may upload, so
/// nobody else gets megabytes read. A `HEAD` is handed on as the `GET` it stands for (async-graphql
/// reads the query string of `GET` only; axum still drops the body of the answer).
pub struct BeforeBody;

async fn may_upload(app: &App, headers: &HeaderMap) -> Result<(), Response> {
    let media = MediaType::negotiate(headers);
    let unauthenticated = || {
        let mut r = http_error(media, StatusCode::UNAUTHORIZED, UNAUTHENTICATED, "uploads need a signed-in account");
        r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        r
    };
    match viewer::viewer(app, headers).await {
        Ok(v) if v.user.is_some() => Ok(()),
        Ok(v) if matches!(v.actor, frontier_domain::Actor::ApiKey { .. }) => Err(http_error(
            media,
            StatusCode::FORBIDDEN,
            frontier_graphql::error::FORBIDDEN,
            "API keys only read published content",
        )),
        Ok(_) | Err(viewer::Refused::Credentials) => Err(unauthenticated()),
        Err(viewer::Refused::Store(e)) => {
            tracing::error!(error = %e, "could not check credentials");
            Err(http_error(media, StatusCode::SERVICE_UNAVAILABLE, INTERNAL, "credentials could not be checked"))
        }
    }
}

impl FromRequestParts<App> for BeforeBody {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        if parts.method == Method::HEAD {
            parts.method = Method::GET;
        }
        if parts.method == Method::GET {
            return Ok(Self);
        }
        let essence = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
        let message = match essence.as_deref() {
            // `application/graphql` (a bare document) is not accepted: the extractor would read it as JSON.
            Some("application/json") => return Ok(Self),
            Some("multipart/form-data") => return may_upload(app, &parts.headers).await.map(|()| Self),
            None => "content-type is missing: send the request as application/json",
            Some(_) => "content-type is not supported: send the request as application/json",
        };
        Err(http_error(
            MediaType::negotiate(&parts.headers),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            UNSUPPORTED_MEDIA_TYPE,
            message,
        ))
    }
}

/// `GET` or `POST /graphql`: one GraphQL request, with the reader's `Accept-Language` as default locale.
pub async fn execute(
    State(app): State<App>,
    method: Method,
    headers: HeaderMap,
    Peer(peer): Peer,
    _checked: BeforeBody,
    request: Result<multipart::Operation, GraphQLRejection>,
) -> Response {
    let media = MediaType::negotiate(&headers);
    // The extractor saw a `HEAD` as `GET` (see `BeforeBody`).
    let get = method == Method::GET || method == Method::HEAD;
    let mut request = match request {
        Ok(request) => request.0,
        Err(GraphQLRejection(e)) => return rejected(media, get, &e),
    };
    // async-graphql reads an absent `query` as "": that is a malformed request, not a syntax error.
    if request.query.trim().is_empty() {
        return http_error(media, StatusCode::BAD_REQUEST, BAD_REQUEST, "missing query");
    }
    if get && is_mutation(&mut request) {
        let mut r = http_error(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            METHOD_NOT_ALLOWED,
            "mutations are only accepted with POST",
        );
        r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST"));
        return r;
    }
    let viewer = match viewer::viewer(&app, &headers).await {
        Ok(v) => v,
        Err(viewer::Refused::Credentials) if only_starts_or_ends_sessions(&mut request) => {
            frontier_graphql::Viewer::public()
        }
        Err(viewer::Refused::Credentials) => {
            let mut r =
                http_error(media, StatusCode::UNAUTHORIZED, UNAUTHENTICATED, "authentication required or failed");
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
        Err(viewer::Refused::Store(e)) => {
            tracing::error!(error = %e, "could not check credentials");
            return http_error(media, StatusCode::SERVICE_UNAVAILABLE, INTERNAL, "credentials could not be checked");
        }
    };
    let now = app.clock.now();
    let mut request = frontier_graphql::prepare(request, &app.store, accept_language(&headers), viewer, now);
    // The client as trusted proxies name it: login throttling and `recordScan` count per client.
    let client = app.proxies.client(peer, &headers);
    if let Some(ip) = client {
        request = request.data(frontier_graphql::ClientAddr(ip));
    }
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let visitors: std::sync::Arc<dyn frontier_graphql::VisitorKeys> = app.visitors.clone();
    request = request.data(frontier_graphql::ScanClient { address: client, user_agent, visitors: Some(visitors) });
    graphql_response(media, app.schema.execute(request).await)
}

/// The body limit answers a too-large request with plain text before any handler runs; a GraphQL
/// client gets the same coded JSON error as for every other failure.
pub async fn coded_rejections(response: Response) -> Response {
    let json =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !json {
        return http_error(
            MediaType::Json,
            StatusCode::PAYLOAD_TOO_LARGE,
            PAYLOAD_TOO_LARGE,
            "request body is too large",
        );
    }
    response
}

/// Any other method on `/graphql` (`OPTIONS` is answered by the CORS layer).
pub async fn method_not_allowed(headers: HeaderMap) -> Response {
    let mut r = http_error(
        MediaType::negotiate(&headers),
        StatusCode::METHOD_NOT_ALLOWED,
        METHOD_NOT_ALLOWED,
        "use GET or POST",
    );
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, POST, OPTIONS"));
    r
}

/// Cross-origin frontends may call `/graphql` from any origin. No cookies are involved (tokens come
/// as bearer headers), so credentials stay off and `*` is a valid answer.
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::HeaderName::from_static("x-api-key"),
        ])
        .max_age(CORS_MAX_AGE)
}

/// The operation the request selects. A document that does not parse, or names no single
/// operation, is left to the schema to report.
fn operation(request: &mut async_graphql::Request) -> Option<&OperationDefinition> {
    let name = request.operation_name.clone();
    let document = request.parsed_query().ok()?;
    let operation = match (&document.operations, name.as_deref()) {
        (DocumentOperations::Single(op), None) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
    operation.map(|op| &op.node)
}

/// Whether the operation the request selects is a mutation (`GET` must not run those).
fn is_mutation(request: &mut async_graphql::Request) -> bool {
    operation(request).is_some_and(|op| op.ty == OperationType::Mutation)
}

/// Whether the operation only logs in, refreshes or logs out. Those must work for a client whose
/// access token has just expired and still goes with every request (GraphiQL's header editor does
/// that): a credential that fails does not refuse them, and they run without it.
fn only_starts_or_ends_sessions(request: &mut async_graphql::Request) -> bool {
    const SESSION_FIELDS: [&str; 4] = ["login", "refresh", "logout", "__typename"];
    operation(request).is_some_and(|op| {
        op.ty == OperationType::Mutation
            && op
                .selection_set
                .node
                .items
                .iter()
                .all(|s| matches!(&s.node, Selection::Field(f) if SESSION_FIELDS.contains(&f.node.name.node.as_str())))
    })
}

/// The extractor's failures, as clean one-line messages (never the Rust `Debug` text).
fn rejected(media: MediaType, from_query_string: bool, e: &ParseRequestError) -> Response {
    let too_large = || http_error(media, StatusCode::PAYLOAD_TOO_LARGE, PAYLOAD_TOO_LARGE, "request body is too large");
    let message = match e {
        ParseRequestError::PayloadTooLarge => return too_large(),
        ParseRequestError::Io(io) if from_query_string => {
            let text = io.to_string();
            if text.contains("invalid variables") {
                "\"variables\" must be a URL-encoded JSON object"
            } else if text.contains("invalid extensions") {
                "\"extensions\" must be a URL-encoded JSON object"
            } else {
                "the query string is not a GraphQL request"
            }
        }
        // The body limit (tower-http) ends the body stream with this error when it is exceeded.
        ParseRequestError::Io(io) if io.to_string().contains("length limit exceeded") => return too_large(),
        ParseRequestError::Io(_) => "request body could not be read",
        ParseRequestError::InvalidRequest(inner) => match inner.downcast_ref::<serde_json::Error>() {
            Some(json) if json.is_eof() && json.line() == 1 && json.column() == 0 => "request body is empty",
            Some(json) if json.is_syntax() || json.is_eof() => "request body is not valid JSON",
            Some(json) if json.is_data() => {
                "request body must be a JSON object with a string \"query\", and optionally a string \
                 \"operationName\" and \"variables\" and \"extensions\" objects"
            }
            _ => "request is not a GraphQL request",
        },
        ParseRequestError::UnsupportedBatch => "batch requests are not supported",
        ParseRequestError::InvalidFilesMap(_) => "multipart request has an invalid \"map\" part",
        ParseRequestError::InvalidMultipart(_) => "multipart request body is not valid",
        ParseRequestError::MissingOperatorsPart => "multipart request has no \"operations\" part",
        ParseRequestError::MissingMapPart => "multipart request has no \"map\" part",
        ParseRequestError::NotUpload => "multipart request is not an upload",
        ParseRequestError::MissingFiles => "multipart request is missing files named in \"map\"",
        _ => "request is not a GraphQL request",
    };
    http_error(media, StatusCode::BAD_REQUEST, BAD_REQUEST, message)
}

/// Errors raised before execution (syntax, validation, variable coercion, operation selection):
/// async-graphql answers those with `data: null` and errors that have no path, while an executed
/// request either has data or errors with the path of the field that failed.
fn is_request_error(response: &async_graphql::Response) -> bool {
    !response.errors.is_empty() && response.data == Value::Null && response.errors.iter().all(|e| e.path.is_empty())
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, Value>,
}

fn graphql_response(media: MediaType, response: async_graphql::Response) -> Response {
    let request_error = is_request_error(&response);
    let mut errors = response.errors;
    let status = if request_error {
        // Errors async-graphql raises itself while choosing the operation carry no code yet.
        for e in &mut errors {
            let ext = e.extensions.get_or_insert_with(Default::default);
            if ext.get("code").is_none() {
                ext.set("code", BAD_REQUEST);
            }
        }
        media.request_error_status()
    } else {
        StatusCode::OK
    };
    let body =
        Body { data: (!request_error).then_some(&response.data), errors: &errors, extensions: &response.extensions };
    let bytes = match serde_json::to_vec(&body) {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "GraphQL response could not be serialized");
            return http_error(media, StatusCode::INTERNAL_SERVER_ERROR, INTERNAL, "internal error");
        }
    };
    let mut r = respond(media, status, bytes);
    let h = r.headers_mut();
    for (name, value) in response.http_headers.iter() {
        if name != header::CONTENT_TYPE {
            h.append(name, value.clone());
        }
    }
    // Only a clean answer may be cached.
    let cache_control = response.cache_control.value().filter(|_| errors.is_empty());
    if let Some(value) = cache_control.and_then(|v| HeaderValue::from_str(&v).ok()) {
        h.insert(header::CACHE_CONTROL, value);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negotiate(accept: Option<&str>) -> MediaType {
        let mut headers = HeaderMap::new();
        if let Some(a) = accept {
            headers.insert(header::ACCEPT, HeaderValue::from_str(a).expect("header"));
        }
        MediaType::negotiate(&headers)
    }

    #[test]
    fn only_login_refresh_and_logout_run_past_a_failed_credential() {
        let cases = [
            ("mutation { refresh(refreshToken: \"r\") { accessToken } }", None, true),
            ("mutation { a: login(email: \"e\", password: \"p\") { accessToken } __typename }", None, true),
            ("mutation { logout(refreshToken: \"r\") refresh(refreshToken: \"r\") { accessToken } }", None, true),
            (
                "mutation { refresh(refreshToken: \"r\") { accessToken } createApiKey(name: \"k\", units: []) { key } }",
                None,
                false,
            ),
            ("mutation { ... on Mutation { refresh(refreshToken: \"r\") { accessToken } } }", None, false),
            ("{ __typename }", None, false),
            ("query { me { email } }", None, false),
            (
                "mutation A { logout(refreshToken: \"r\") } mutation B { createApiKey(name: \"k\", units: []) { key } }",
                Some("A"),
                true,
            ),
            (
                "mutation A { logout(refreshToken: \"r\") } mutation B { createApiKey(name: \"k\", units: []) { key } }",
                Some("B"),
                false,
            ),
            ("mutation A { logout(refreshToken: \"r\") } mutation B { logout(refreshToken: \"r\") }", None, false),
            ("mutation { refresh(", None, false),
        ];
        for (query, name, expected) in cases {
            let mut request = async_graphql::Request::new(query);
            if let Some(name) = name {
                request = request.operation_name(name);
            }
            assert_eq!(only_starts_or_ends_sessions(&mut request), expected, "{query} ({name:?})");
        }
    }

    #[test]
    fn graphql_response_json_only_when_asked_for_and_preferred() {
        use MediaType::{GraphQLResponseJson as Grj, Json};
        let cases = [
            (None, Json),
            (Some("*/*"), Json),
            (Some("application/json"), Json),
            (Some("text/html"), Json),
            (Some("application/graphql-response+json"), Grj),
            (Some("Application/GraphQL-Response+JSON; charset=utf-8"), Grj),
            (Some("application/graphql-response+json, application/json"), Grj),
            (Some("application/json, application/graphql-response+json"), Json),
            (Some("application/json;q=0.9, application/graphql-response+json"), Grj),
            (Some("application/graphql-response+json;q=0.5, application/json"), Json),
            (Some("application/graphql-response+json;q=0"), Json),
            (Some("*/*, application/graphql-response+json"), Grj),
        ];
        for (accept, expected) in cases {
            assert_eq!(negotiate(accept), expected, "{accept:?}");
        }
    }
}
