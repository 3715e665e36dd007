use crate::App;
use crate::locale::accept_language;
use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse};

/// `GET` or `POST /graphql`: one GraphQL request, with the reader's `Accept-Language` as default locale.
pub async fn execute(State(app): State<App>, headers: HeaderMap, request: GraphQLRequest) -> GraphQLResponse {
    let request = frontier_graphql::prepare(request.into_inner(), &app.store, accept_language(&headers));
    app.schema.execute(request).await.into()
}

/// The administrators' tool: GraphiQL against `/graphql` (its header editor carries a bearer token).
pub async fn graphiql() -> impl IntoResponse {
    Html(GraphiQLSource::build().endpoint("/graphql").title("Frontier · GraphiQL").finish())
}
