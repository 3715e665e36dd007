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

/// `/healthz` on the address a server bound to `bind` answers locally: a wildcard bind
/// (`0.0.0.0`, `[::]`) is reached on loopback.
pub fn local_url(bind: &str) -> String {
    let authority = match bind.parse::<std::net::SocketAddr>() {
        Ok(addr) if addr.ip().is_unspecified() => {
            let loopback: std::net::IpAddr = if addr.is_ipv4() {
                std::net::Ipv4Addr::LOCALHOST.into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            };
            std::net::SocketAddr::new(loopback, addr.port()).to_string()
        }
        _ => bind.to_owned(),
    };
    format!("http://{authority}/healthz")
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_default_url_follows_the_bind_address() {
        assert_eq!(super::local_url("127.0.0.1:8080"), "http://127.0.0.1:8080/healthz");
        assert_eq!(super::local_url("0.0.0.0:9000"), "http://127.0.0.1:9000/healthz");
        assert_eq!(super::local_url("[::]:9000"), "http://[::1]:9000/healthz");
        assert_eq!(super::local_url("portal.local:80"), "http://portal.local:80/healthz");
    }
}
