//! `GET /healthz` and the `frontier healthcheck` client that container health checks run (the
//! runtime image has no curl).

use crate::App;
use anyhow::{Context as _, bail};
use axum::extract::State;
use axum::http::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// 200 when the database answers, 503 otherwise.
pub async fn healthz(State(app): State<App>) -> (StatusCode, &'static str) {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

/// A plain HTTP/1.0 GET against `url` (http only), succeeding on status 200.
pub async fn check(url: &str) -> anyhow::Result<()> {
    let rest = url.strip_prefix("http://").context("health check URL must start with http://")?;
    let (authority, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(a, p)| (a, format!("/{p}")));
    let connect = tokio::net::TcpStream::connect(authority);
    let mut stream = tokio::time::timeout(std::time::Duration::from_secs(5), connect)
        .await
        .context("health check timed out")?
        .with_context(|| format!("cannot connect to {authority}"))?;
    stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: {authority}\r\n\r\n").as_bytes()).await?;
    let mut head = vec![0u8; 64];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut head))
        .await
        .context("no answer")??;
    let status_line = String::from_utf8_lossy(&head[..n]);
    match status_line.split_whitespace().nth(1) {
        Some("200") => Ok(()),
        Some(code) => bail!("{url} answered {code}"),
        None => bail!("{url} gave no HTTP status"),
    }
}
