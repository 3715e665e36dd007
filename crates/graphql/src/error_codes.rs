//! Gives the errors async-graphql raises before any resolver runs (syntax, unknown fields, depth and
//! complexity limits) the same stable `extensions.code` our own errors carry.

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};
use std::sync::Arc;

pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";

fn with_code(mut e: ServerError, code: &str) -> ServerError {
    let ext = e.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
    e
}

/// The parser reports errors as a multi-line drawing (` --> 1:2 | … ^--- = expected selection`); a
/// client shows one line, and the position is already in `locations`.
fn one_line_syntax_error(message: &str) -> String {
    match message.lines().rev().find_map(|l| l.trim().strip_prefix("= ")) {
        Some(what) => format!("syntax error: {what}"),
        None => message.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|mut e| {
            e.message = one_line_syntax_error(&e.message);
            with_code(e, PARSE_FAILED)
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| errors.into_iter().map(|e| with_code(e, VALIDATION_FAILED)).collect())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn syntax_errors_become_one_line() {
        let drawn = " --> 1:2\n  |\n1 | {\n  |  ^---\n  |\n  = expected selection";
        assert_eq!(super::one_line_syntax_error(drawn), "syntax error: expected selection");
        assert_eq!(super::one_line_syntax_error("plain\n message"), "plain message");
    }
}
