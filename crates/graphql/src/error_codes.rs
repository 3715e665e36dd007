//! Gives the errors async-graphql raises outside our resolvers (syntax, unknown fields, depth and
//! complexity limits, arguments that do not coerce to their type) the same stable `extensions.code`
//! our own errors carry.

use crate::error::BAD_USER_INPUT;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Name, Pos, Response, ServerError, ServerResult, ValidationResult, Variables};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// Where each argument value of the document starts, so that a coercion error (which async-graphql
/// reports at the value's position only) can name the argument it is about.
fn argument_positions(doc: &ExecutableDocument) -> HashMap<Pos, Name> {
    fn walk(set: &SelectionSet, out: &mut HashMap<Pos, Name>) {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    for (name, value) in &field.node.arguments {
                        out.insert(value.pos, name.node.clone());
                    }
                    walk(&field.node.selection_set.node, out);
                }
                Selection::InlineFragment(fragment) => walk(&fragment.node.selection_set.node, out),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    let mut out = HashMap::new();
    for (_, operation) in doc.operations.iter() {
        walk(&operation.node.selection_set.node, &mut out);
    }
    for fragment in doc.fragments.values() {
        walk(&fragment.node.selection_set.node, &mut out);
    }
    out
}

/// async-graphql's own wording for a value that does not fit its input type, raised while a
/// resolver reads its arguments (literal `DateTime`s and every variable are only parsed there).
fn is_coercion_error(message: &str) -> bool {
    ["Failed to parse", "Expected input type", "Invalid value for argument", "Internal error occurred while parsing"]
        .iter()
        .any(|prefix| message.starts_with(prefix))
}

fn coercion_error(mut e: ServerError, arguments: &HashMap<Pos, Name>) -> ServerError {
    let field = e.locations.first().and_then(|pos| arguments.get(pos)).map(|name| name.as_str().to_owned());
    let mut message = e.message.replace("\"DateTime\"", "DateTime").replace("\"NaiveDate\"", "NaiveDate");
    if message.contains("DateTime") {
        message.push_str(" (write an RFC 3339 time with its UTC offset, e.g. 2026-12-03T08:00:00+07:00)");
    } else if message.contains("NaiveDate") {
        message.push_str(" (write a calendar day as YYYY-MM-DD, e.g. 2026-12-03)");
    }
    let ext = e.extensions.get_or_insert_with(Default::default);
    ext.set("code", BAD_USER_INPUT);
    if let Some(field) = &field {
        ext.set("field", field.as_str());
        message = format!("{field}: {message}");
    }
    e.message = message;
    e
}

#[derive(Default)]
pub struct ErrorCodes {
    arguments: Mutex<HashMap<Pos, Name>>,
}

/// One extension instance per request: it remembers that request's argument positions.
pub struct ErrorCodesFactory;

impl ExtensionFactory for ErrorCodesFactory {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes::default())
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
        let doc = next.run(ctx, query, variables).await.map_err(|mut e| {
            e.message = one_line_syntax_error(&e.message);
            with_code(e, PARSE_FAILED)
        })?;
        if let Ok(mut arguments) = self.arguments.lock() {
            *arguments = argument_positions(&doc);
        }
        Ok(doc)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if response.errors.iter().any(is_uncoded_coercion) {
            let arguments = self.arguments.lock().map(|a| a.clone()).unwrap_or_default();
            response.errors = std::mem::take(&mut response.errors)
                .into_iter()
                .map(|e| if is_uncoded_coercion(&e) { coercion_error(e, &arguments) } else { e })
                .collect();
        }
        response
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| errors.into_iter().map(|e| with_code(e, VALIDATION_FAILED)).collect())
    }
}

fn is_uncoded_coercion(e: &ServerError) -> bool {
    e.extensions.as_ref().is_none_or(|x| x.get("code").is_none()) && is_coercion_error(&e.message)
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
