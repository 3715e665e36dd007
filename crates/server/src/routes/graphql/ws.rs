//! `/graphql` over a websocket, for subscriptions (the live feed): a `GET` with `Upgrade: websocket`
//! and the subprotocol `graphql-transport-ws` (or the legacy `graphql-ws`), served by
//! async-graphql-axum. Any other request on `/graphql` goes on to the HTTP handler.
//!
//! Credentials, checked like those of an HTTP request (`viewer.rs`): the `connection_init`
//! payload's `Authorization` (`"Bearer …"`), `token` (the bare access token or API key) or
//! `X-Api-Key`, any case; without any of them, the upgrade request's `Authorization`/`X-Api-Key`
//! headers; else anonymous. Credentials that fail are refused outright: in the upgrade request with a
//! 401, in the payload by closing the socket (`authentication required or failed`). Only
//! subscriptions run over the socket; queries and mutations go to `POST /graphql`. A socket that says
//! nothing for 10 s after the upgrade is closed, and at most 256 are open at once (503 beyond).

use super::media::{MediaType, http_error};
use super::viewer::{self, Refused};
use super::{BAD_REQUEST, INTERNAL, UNAUTHENTICATED};
use crate::App;
use crate::locale::accept_language;
use async_graphql::futures_util::stream::{self, BoxStream, Stream, StreamExt};
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, ErrorExtensions, Executor, Request, Response};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use frontier_domain::Locale;
use frontier_graphql::Viewer;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// A message on the socket (one subscription document) is bounded like an HTTP request's body.
const MAX_MESSAGE: usize = super::super::MAX_BODY;
/// Open sockets at most: a few dashboards need a handful; each holds a descriptor for as long as it
/// lasts, which a post's small box cannot give without bound.
const MAX_SOCKETS: usize = 256;
/// A socket whose client says nothing (no `connection_init`) this long after the upgrade is closed,
/// like a request head that does not come (`listen.rs`).
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// All sockets are taken (`MAX_SOCKETS`).
const UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";

static SOCKETS: Semaphore = Semaphore::const_new(MAX_SOCKETS);

/// In front of the `/graphql` handler: a websocket upgrade is answered here, anything else passes.
pub async fn upgrade(State(app): State<App>, request: axum::extract::Request, next: Next) -> axum::response::Response {
    if !is_websocket(request.method(), request.headers()) {
        return next.run(request).await;
    }
    let (mut parts, _body) = request.into_parts();
    let media = MediaType::negotiate(&parts.headers);
    let Ok(protocol) = GraphQLProtocol::from_request_parts(&mut parts, &()).await else {
        return http_error(
            media,
            StatusCode::BAD_REQUEST,
            BAD_REQUEST,
            "offer the websocket subprotocol graphql-transport-ws (or the legacy graphql-ws)",
        );
    };
    let socket = match WebSocketUpgrade::from_request_parts(&mut parts, &app).await {
        Ok(socket) => socket,
        Err(e) => return http_error(media, StatusCode::BAD_REQUEST, BAD_REQUEST, &e.body_text()),
    };
    let from_headers = match viewer::viewer(&app, &parts.headers).await {
        Ok(v) => v,
        Err(Refused::Credentials) => {
            let mut r =
                http_error(media, StatusCode::UNAUTHORIZED, UNAUTHENTICATED, "authentication required or failed");
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
        Err(Refused::Store(e)) => {
            tracing::error!(error = %e, "could not check credentials");
            return http_error(media, StatusCode::SERVICE_UNAVAILABLE, INTERNAL, "credentials could not be checked");
        }
    };
    let Ok(permit) = SOCKETS.try_acquire() else {
        tracing::warn!(limit = MAX_SOCKETS, "websocket refused: too many open");
        return http_error(media, StatusCode::SERVICE_UNAVAILABLE, UNAVAILABLE, "too many open websockets: try later");
    };
    let executor = SocketExecutor { app: app.clone(), locales: accept_language(&parts.headers).into() };
    socket.protocols(ALL_WEBSOCKET_PROTOCOLS).max_message_size(MAX_MESSAGE).max_frame_size(MAX_MESSAGE).on_upgrade(
        move |socket| async move {
            let (sink, stream) = socket.split();
            GraphQLWebSocket::new_with_pair(sink, first_within(INIT_TIMEOUT, stream), executor, protocol)
                .on_connection_init(move |payload| connection_init(app, payload, from_headers))
                .serve()
                .await;
            drop(permit);
        },
    )
}

/// The socket's messages, ended (which closes the socket) when the first does not come within `limit`.
fn first_within<S>(limit: Duration, messages: S) -> impl Stream<Item = S::Item>
where
    S: Stream + Unpin,
{
    let deadline = Some(Box::pin(tokio::time::sleep(limit)));
    stream::unfold((messages, deadline), |(mut messages, deadline)| async move {
        let next = match deadline {
            Some(mut deadline) => tokio::select! {
                next = messages.next() => next,
                () = &mut deadline => None,
            },
            None => messages.next().await,
        };
        next.map(|m| (m, (messages, None)))
    })
}

fn is_websocket(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::GET
        && headers
            .get(header::UPGRADE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|p| p.trim().eq_ignore_ascii_case("websocket")))
}

/// Who the socket's operations run as.
struct SocketViewer(Viewer);

/// `connection_init`: the payload's credential if it has one, else the upgrade request's.
async fn connection_init(app: App, payload: serde_json::Value, from_headers: Viewer) -> async_graphql::Result<Data> {
    let refused = || async_graphql::Error::new("authentication required or failed");
    let headers = payload_credentials(&payload).ok_or_else(refused)?;
    let viewer = if headers.is_empty() {
        from_headers
    } else {
        match viewer::viewer(&app, &headers).await {
            Ok(v) => v,
            Err(Refused::Credentials) => return Err(refused()),
            Err(Refused::Store(e)) => {
                tracing::error!(error = %e, "could not check credentials");
                return Err(async_graphql::Error::new("credentials could not be checked"));
            }
        }
    };
    let mut data = Data::default();
    data.insert(SocketViewer(viewer));
    Ok(data)
}

/// The credential of a `connection_init` payload as the headers an HTTP request would carry it in;
/// `None` when a credential is there but not a string a header can hold.
fn payload_credentials(payload: &serde_json::Value) -> Option<HeaderMap> {
    let mut headers = HeaderMap::new();
    let Some(fields) = payload.as_object() else { return Some(headers) };
    for (key, value) in fields {
        let name = match key.to_ascii_lowercase().as_str() {
            "authorization" => header::AUTHORIZATION,
            "x-api-key" => HeaderName::from_static("x-api-key"),
            "token" => header::AUTHORIZATION,
            _ => continue,
        };
        let text = value.as_str()?.trim();
        let text = if key.eq_ignore_ascii_case("token") { format!("Bearer {text}") } else { text.to_owned() };
        headers.insert(name, HeaderValue::from_str(&text).ok()?);
    }
    Some(headers)
}

/// Runs the socket's operations on the server's schema, each prepared like an HTTP request (fresh
/// loaders at its own moment, the viewer, `Accept-Language` of the upgrade request).
#[derive(Clone)]
struct SocketExecutor {
    app: App,
    locales: Arc<[Locale]>,
}

fn only_subscriptions() -> Response {
    let error = async_graphql::Error::new(
        "only subscriptions run over the websocket: send queries and mutations to /graphql with POST",
    )
    .extend_with(|_, e| e.set("code", BAD_REQUEST));
    Response::from_errors(vec![error.into_server_error(async_graphql::Pos::default())])
}

impl Executor for SocketExecutor {
    async fn execute(&self, _request: Request) -> Response {
        only_subscriptions()
    }

    fn execute_stream(&self, mut request: Request, session: Option<Arc<Data>>) -> BoxStream<'static, Response> {
        // A document that does not parse, or names no single operation, is left to the schema to report.
        if super::operation(&mut request).is_some_and(|op| op.ty != OperationType::Subscription) {
            return stream::once(async { only_subscriptions() }).boxed();
        }
        let viewer = session
            .as_deref()
            .and_then(|data| data.get(&std::any::TypeId::of::<SocketViewer>()))
            .and_then(|v| v.downcast_ref::<SocketViewer>())
            .map_or_else(Viewer::public, |v| v.0.clone());
        let now = self.app.clock.now();
        let request = frontier_graphql::prepare(request, &self.app.store, self.locales.to_vec(), viewer, now);
        self.app.schema.execute_stream(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_credentials_read_like_headers() {
        let h = payload_credentials(&serde_json::json!({ "Authorization": "Bearer abc" })).expect("ok");
        assert_eq!(h[header::AUTHORIZATION], "Bearer abc");
        let h = payload_credentials(&serde_json::json!({ "token": " abc " })).expect("ok");
        assert_eq!(h[header::AUTHORIZATION], "Bearer abc");
        let h = payload_credentials(&serde_json::json!({ "X-API-KEY": "frk_x" })).expect("ok");
        assert_eq!(h["x-api-key"], "frk_x");
        assert!(payload_credentials(&serde_json::json!({ "other": 1 })).expect("ok").is_empty());
        assert!(payload_credentials(&serde_json::Value::Null).expect("ok").is_empty());
        assert!(payload_credentials(&serde_json::json!({ "token": 42 })).is_none(), "not a string");
        assert!(payload_credentials(&serde_json::json!({ "token": "a\nb" })).is_none(), "not a header value");
    }
}
