//! Turning configuration into the token signer, and the `frontier user create` command.

use crate::cli::{AuthArgs, UserCreateArgs};
use anyhow::{Context as _, anyhow, bail};
use chrono::Duration;
use frontier_auth::{Mode, PreviewSigner, TokenIssuer, check_new_password, load_signing_secret};
use frontier_domain::{AuditActor, Email, Role};
use frontier_graphql::Sessions;
use frontier_store::{NewUser, Store};
use std::io::{BufRead, IsTerminal};
use std::sync::Arc;

const ISSUER: &str = "frontier";
const AUDIENCE: &str = "frontier-api";

fn mode(args: &AuthArgs) -> Mode {
    if args.mode == "production" { Mode::Production } else { Mode::Development }
}

/// The checks that need no I/O, so a misconfigured production server stops before it opens anything.
pub fn check(args: &AuthArgs) -> anyhow::Result<()> {
    match (&args.jwt_secret, mode(args)) {
        (None, Mode::Production) => bail!("FRONTIER_JWT_SECRET must be set when FRONTIER_ENV=production"),
        (Some(s), _) if s.len() < 32 => bail!("FRONTIER_JWT_SECRET must be at least 32 bytes long"),
        _ => Ok(()),
    }
}

pub fn sessions(args: &AuthArgs) -> anyhow::Result<Arc<Sessions>> {
    let secret =
        load_signing_secret(args.jwt_secret.clone(), &args.data_dir, mode(args)).map_err(|e| anyhow!("{e}"))?;
    let tokens = TokenIssuer::new(&secret, ISSUER, AUDIENCE)
        .and_then(|t| t.with_lifetime(Duration::minutes(i64::from(args.access_token_minutes))))
        .map_err(|e| anyhow!("{e}"))?;
    let previews = PreviewSigner::new(&secret, ISSUER).map_err(|e| anyhow!("{e}"))?;
    Ok(Arc::new(Sessions::new(tokens, previews)))
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub async fn create_user(store: &Store, args: UserCreateArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email).map_err(|e| anyhow!("--email {}", e.message))?;
    let role = Role::parse(&args.role).map_err(|e| anyhow!("--role: {}", e.message))?;
    let display_name = frontier_domain::user::display_name(args.display_name.as_deref().unwrap_or(email.as_str()))
        .map_err(|e| anyhow!("--display-name {}", e.message))?;
    let unit = store
        .unit_by_slug_any(args.unit.clone())
        .await?
        .ok_or_else(|| anyhow!("--unit: no unit `{}` (see `units {{ slug }}` in GraphiQL)", args.unit))?;
    let password = read_password()?;
    check_new_password(&password).map_err(|e| anyhow!("password {}", e.message))?;
    let hash = tokio::task::spawn_blocking(move || frontier_auth::hash_password(&password))
        .await?
        .map_err(|e| anyhow!("{e}"))?;
    let new = NewUser { email, display_name, role, unit: unit.id, password_hash: hash };
    let user = store.create_user(new, AuditActor::cli("frontier user create")).await?;
    println!("Created {} ({}) in {}", user.email, user.role, unit.slug);
    Ok(())
}
