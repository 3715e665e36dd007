//! Command line: every option also reads a `FRONTIER_*` environment variable.

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "frontier", version, about = "QR-driven public information portal for border posts")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP server (GraphQL, GraphiQL, QR images, scan redirects, reader pages).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Load content into the database.
    Seed {
        #[command(subcommand)]
        what: SeedWhat,
    },
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    Schema,
    /// Manage accounts from the server's shell (how the first admin is made).
    User {
        #[command(subcommand)]
        what: UserWhat,
    },
    /// Exit 0 when a running server answers its health check (for container health checks).
    Healthcheck {
        /// The URL to check. Default: `/healthz` on the address the server binds (FRONTIER_BIND).
        #[arg(long, env = "FRONTIER_HEALTHCHECK_URL")]
        url: Option<String>,
        /// The server's bind address, as given to `serve`.
        #[arg(long, env = "FRONTIER_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum SeedWhat {
    /// The demo content: Bắc Xa border post, Kiên Mộc commune, articles in vi/en/fr/zh. Idempotent.
    Demo(DatabaseArgs),
}

#[derive(Subcommand, Debug)]
pub enum UserWhat {
    /// Create an account. The password is read from the terminal (hidden) or, when piped, from the
    /// first line of stdin; it is never an argument, so it stays out of shell history.
    Create(UserCreateArgs),
}

#[derive(Args, Debug, Clone)]
pub struct UserCreateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Login name.
    #[arg(long)]
    pub email: String,
    /// admin, editor, reviewer or analyst.
    #[arg(long)]
    pub role: String,
    /// Slug of the home unit, e.g. `don-bien-phong-bac-xa`.
    #[arg(long)]
    pub unit: String,
    /// Name shown in revisions and the audit log (default: the e-mail address).
    #[arg(long)]
    pub display_name: Option<String>,
}

/// How the server signs and checks access tokens.
#[derive(Args, Debug, Clone)]
pub struct AuthArgs {
    /// Secret for signing access tokens and preview links (at least 32 bytes). Required when
    /// FRONTIER_ENV=production; in development a random one is made and kept in the data folder.
    #[arg(long, env = "FRONTIER_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// `development` or `production`.
    #[arg(long = "env", env = "FRONTIER_ENV", default_value = "development", value_parser = ["development", "production"])]
    pub mode: String,
    /// Where the server keeps its files (the development signing secret, uploaded media).
    #[arg(long, env = "FRONTIER_DATA_DIR", default_value = "data")]
    pub data_dir: std::path::PathBuf,
    /// Lifetime of access tokens, in minutes.
    #[arg(long, env = "FRONTIER_ACCESS_TOKEN_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub access_token_minutes: u32,
}

/// Where uploaded images are kept and how large an upload may be.
#[derive(Args, Debug, Clone)]
pub struct MediaArgs {
    /// Folder of the image files (named by their SHA-256; back it up with the database). Default:
    /// `media` in FRONTIER_DATA_DIR.
    #[arg(long, env = "FRONTIER_MEDIA_DIR")]
    pub media_dir: Option<std::path::PathBuf>,
    /// Largest image upload accepted, in MiB.
    #[arg(long, env = "FRONTIER_MAX_UPLOAD_MB", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_upload_mb: u32,
}

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// sqlite://PATH (created on first run) or postgres://USER:PASSWORD@HOST/DB.
    #[arg(long, env = "FRONTIER_DATABASE_URL", default_value = "sqlite://data/frontier.db")]
    pub database_url: String,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub auth: AuthArgs,
    #[command(flatten)]
    pub media: MediaArgs,
    /// Address and port to listen on.
    #[arg(long, env = "FRONTIER_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The public URL the QR codes encode (scheme, host, optional path prefix). Defaults to the bound
    /// address, which phones can only reach if it is a network address (not 127.0.0.1): set it before
    /// printing posters.
    #[arg(long, env = "FRONTIER_PUBLIC_BASE_URL")]
    pub public_base_url: Option<String>,
    /// Send scans to this frontend instead of the built-in pages, e.g.
    /// `https://portal.example/{locale}/{kind}/{slug}` (placeholders: {locale} {slug} {kind} {type} {code}).
    #[arg(long, env = "FRONTIER_FRONTEND_URL")]
    pub frontend_url: Option<String>,
    /// Add the demo content before serving (only what is missing: existing records are left as they
    /// are; a deleted demo record comes back, so retire a code by disabling it).
    #[arg(long, env = "FRONTIER_DEMO")]
    pub demo: bool,
    /// With `--demo`, also write a made-up scan history of the past 60 days into a database that
    /// has no scans yet, so the statistics and charts have something to show. `false` to leave it out.
    #[arg(long, env = "FRONTIER_DEMO_SCANS", default_value_t = true, action = clap::ArgAction::Set,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub demo_scans: bool,
    /// The time zone whose calendar days the scan statistics count (IANA name).
    #[arg(long, env = "FRONTIER_TIME_ZONE", default_value = frontier_domain::calendar::DEFAULT_ZONE)]
    pub time_zone: String,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers name the client (addresses or
    /// networks, comma-separated). Headers from anyone else are ignored.
    #[arg(long, env = "FRONTIER_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,
    /// Languages printed on QR posters, comma-separated; Vietnamese is always printed, first. A
    /// language without a translation of the poster's words, or that the embedded font cannot draw
    /// (e.g. `zh`), is refused at start.
    #[arg(long, env = "FRONTIER_POSTER_LANGUAGES", default_value = "vi,en,fr")]
    pub poster_languages: String,
    /// Database connections in the pool.
    #[arg(long, env = "FRONTIER_DB_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub db_pool_size: u32,
}
