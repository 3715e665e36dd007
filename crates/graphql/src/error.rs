//! The one place where failures become GraphQL errors with a stable `extensions.code`.

use crate::uploads::UploadError;
use async_graphql::{Error, ErrorExtensions};
use frontier_domain::ValidationError;
use frontier_store::StoreError;

pub type ApiResult<T> = Result<T, Error>;

pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
pub const NOT_FOUND: &str = "NOT_FOUND";
pub const CONFLICT: &str = "CONFLICT";
pub const INTERNAL: &str = "INTERNAL_SERVER_ERROR";
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
pub const FORBIDDEN: &str = "FORBIDDEN";
/// Too many failed logins: `extensions.retryAfter` says how many seconds to wait.
pub const TOO_MANY_REQUESTS: &str = "TOO_MANY_REQUESTS";
/// Not ready yet (the newest scans are still being filed): `extensions.retryAfter` says when to ask again.
pub const SERVICE_UNAVAILABLE: &str = "SERVICE_UNAVAILABLE";

/// No valid credentials, or credentials that failed: the message never says which part failed.
pub fn unauthenticated() -> Error {
    Error::new("authentication required or failed").extend_with(|_, e| e.set("code", UNAUTHENTICATED))
}

/// A known identity asked for something outside its role or units.
pub fn forbidden(what: impl std::fmt::Display) -> Error {
    Error::new(format!("not allowed: {what}")).extend_with(|_, e| e.set("code", FORBIDDEN))
}

/// An input value was rejected; `field` names the argument or input field.
pub fn bad_input(field: &str, message: impl std::fmt::Display) -> Error {
    Error::new(format!("{field}: {message}")).extend_with(|_, e| {
        e.set("code", BAD_USER_INPUT);
        e.set("field", field);
    })
}

pub fn not_found(what: impl std::fmt::Display) -> Error {
    Error::new(format!("{what} not found")).extend_with(|_, e| e.set("code", NOT_FOUND))
}

/// Something an argument names does not exist; `field` names the argument.
pub fn not_found_field(field: &str, what: impl std::fmt::Display) -> Error {
    Error::new(format!("{field}: {what} not found")).extend_with(|_, e| {
        e.set("code", NOT_FOUND);
        e.set("field", field);
    })
}

pub fn invalid(e: ValidationError) -> Error {
    bad_input(e.field, e.message)
}

/// Store failures: what a client can act on keeps its meaning, the rest is logged and hidden.
pub fn store(e: &StoreError) -> Error {
    match e {
        StoreError::Invalid(v) => invalid(v.clone()),
        StoreError::NotFound(what) => not_found(what),
        StoreError::Conflict(what) => {
            Error::new(format!("conflict: {what}")).extend_with(|_, e| e.set("code", CONFLICT))
        }
        StoreError::Stale { current } => {
            let current = *current;
            Error::new(format!(
                "this was changed by someone else meanwhile (now version {current}): reload and apply your edit again"
            ))
            .extend_with(move |_, e| {
                e.set("code", CONFLICT);
                e.set("currentVersion", current);
            })
        }
        StoreError::NotReady { what, retry_after } => {
            let retry_after = *retry_after;
            Error::new(format!("{what}: try again in {retry_after} s")).extend_with(move |_, e| {
                e.set("code", SERVICE_UNAVAILABLE);
                e.set("retryAfter", retry_after);
            })
        }
        other => {
            tracing::error!(error = %other, "store failure while answering GraphQL");
            internal()
        }
    }
}

fn internal() -> Error {
    Error::new("internal error").extend_with(|_, e| e.set("code", INTERNAL))
}

/// A fault of the server itself, never of the input: logged here, shown as an internal error.
pub fn server_fault(what: impl std::fmt::Display) -> Error {
    tracing::error!(error = %what, "internal error");
    internal()
}

/// Upload failures: a refused file keeps its reason (what to send instead) and its code
/// (`PAYLOAD_TOO_LARGE`, `UNSUPPORTED_MEDIA_TYPE`, `BAD_USER_INPUT` with `field: "file"`).
pub fn upload(e: &UploadError) -> Error {
    match (e, e.refusal_code()) {
        (UploadError::Store(s), _) => store(s),
        (UploadError::Refused(why), Some(code)) => Error::new(why.to_string()).extend_with(move |_, x| {
            x.set("code", code);
            x.set("field", "file");
        }),
        (other, _) => {
            tracing::error!(error = %other, "upload failed");
            internal()
        }
    }
}

/// `.api()` on store results: every resolver maps store errors through [`store`], never through
/// async-graphql's blanket `Display` conversion (which would drop the code and leak internals).
pub trait OrApi<T> {
    fn api(self) -> ApiResult<T>;
}

impl<T> OrApi<T> for Result<T, StoreError> {
    fn api(self) -> ApiResult<T> {
        self.map_err(|e| store(&e))
    }
}

impl<T> OrApi<T> for Result<T, std::sync::Arc<StoreError>> {
    fn api(self) -> ApiResult<T> {
        self.map_err(|e| store(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_not_ready_tell_when_to_ask_again() {
        let e = store(&StoreError::NotReady {
            what: "the newest scans are not in the statistics yet".into(),
            retry_after: 5,
        });
        let ext = e.extensions.as_ref().expect("extensions");
        assert_eq!(ext.get("code"), Some(&async_graphql::Value::from(SERVICE_UNAVAILABLE)));
        assert_eq!(ext.get("retryAfter"), Some(&async_graphql::Value::from(5u64)));
        assert_eq!(e.message, "the newest scans are not in the statistics yet: try again in 5 s");
    }
}
