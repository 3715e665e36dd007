//! The media type of a GraphQL answer (negotiated from `Accept`) and the JSON shape of failures
//! that happen before execution.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// More media ranges than this in `Accept` are noise: the rest is ignored.
const MAX_ACCEPT_RANGES: usize = 32;

/// The two media types a GraphQL response is sent as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MediaType {
    GraphQLResponseJson,
    Json,
}

impl MediaType {
    /// `application/graphql-response+json` only when `Accept` names it and prefers it to
    /// `application/json` (higher `q`, or the same `q` and listed first); `application/json` for
    /// everything else, including `*/*` and a missing `Accept`.
    pub(super) fn negotiate(headers: &HeaderMap) -> Self {
        // (quality in thousandths, position) of the first mention of each type.
        let mut graphql_response = None;
        let mut json = None;
        let ranges = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .take(MAX_ACCEPT_RANGES)
            .enumerate();
        for (position, range) in ranges {
            let mut parts = range.split(';');
            let essence = parts.next().unwrap_or_default().trim();
            let quality = parts
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
                .map_or(1000, |(_, v)| v.trim().parse::<f32>().map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16));
            let slot = if essence.eq_ignore_ascii_case("application/graphql-response+json") {
                &mut graphql_response
            } else if essence.eq_ignore_ascii_case("application/json") {
                &mut json
            } else {
                continue;
            };
            slot.get_or_insert((quality, position));
        }
        match (graphql_response, json) {
            (Some((0, _)), _) => Self::Json,
            (Some(_), None) => Self::GraphQLResponseJson,
            (Some((qg, pg)), Some((qj, pj))) if qg > qj || (qg == qj && pg < pj) => Self::GraphQLResponseJson,
            _ => Self::Json,
        }
    }

    pub(super) fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphQLResponseJson => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }

    /// The status of a response whose request failed before execution: the legacy `application/json`
    /// answers 200 (old clients read the body of successful responses only), the new type answers 400.
    pub(super) fn request_error_status(self) -> StatusCode {
        match self {
            Self::GraphQLResponseJson => StatusCode::BAD_REQUEST,
            Self::Json => StatusCode::OK,
        }
    }
}

/// A JSON body in the negotiated media type (the answer depends on `Accept`, so caches must know).
pub(super) fn respond(media: MediaType, status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, media.content_type());
    // Texts follow Accept-Language when no `locale` argument is given.
    h.append(header::VARY, HeaderValue::from_static("accept, accept-language"));
    r
}

/// A failure before execution, as a GraphQL response with one coded error and no `data`.
pub(super) fn http_error(media: MediaType, status: StatusCode, code: &str, message: &str) -> Response {
    #[derive(Serialize)]
    struct Errors<'a> {
        errors: [CodedError<'a>; 1],
    }
    #[derive(Serialize)]
    struct CodedError<'a> {
        message: &'a str,
        extensions: Code<'a>,
    }
    #[derive(Serialize)]
    struct Code<'a> {
        code: &'a str,
    }
    let body = Errors { errors: [CodedError { message, extensions: Code { code } }] };
    // Strings and a fixed shape: serializing this cannot fail.
    respond(media, status, serde_json::to_vec(&body).unwrap_or_default())
}
