//! The `frontier` server: HTTP edge (axum) over the GraphQL schema and the store, plus the
//! administration commands. Routes live in `routes/`; everything HTTP-specific stays in this crate.

pub mod cli;
mod client;
mod credentials;
mod health;
mod http_cache;
mod listen;
mod locale;
mod pages;
mod routes;
mod ui;
mod visitors;

use anyhow::{Context as _, anyhow};
use cli::{Cli, Command, DatabaseArgs, SeedWhat, ServeArgs, UserWhat};
use client::TrustedProxies;
use frontier_domain::{Clock, StatsZone, SystemClock};
use frontier_graphql::{Links, Sessions, Uploads};
use frontier_store::{Audience, ScanWriter, Store};
use std::net::SocketAddr;
use std::sync::Arc;
use visitors::VisitorDays;

/// Everything a request handler needs. axum's `State` clones it for every request, so it is one
/// `Arc` (one count to move) rather than a dozen handles, some holding strings.
#[derive(Clone)]
pub struct App(Arc<Portal>);

impl std::ops::Deref for App {
    type Target = Portal;
    fn deref(&self) -> &Portal {
        &self.0
    }
}

/// The running portal's parts, shared by every request.
pub struct Portal {
    pub store: Store,
    pub schema: frontier_graphql::FrontierSchema,
    pub links: Links,
    /// Decides what is online now (scheduled and expiring content); tests may move it.
    pub clock: Arc<dyn Clock>,
    /// Signs and checks access tokens and preview links.
    pub sessions: Arc<Sessions>,
    /// The uploaded images' files and the limits on uploading more.
    pub uploads: Arc<Uploads>,
    /// Records scans in group-committed batches and feeds the live dashboard.
    pub scans: ScanWriter,
    /// Today's secret for visitor keys (memory only).
    pub visitors: Arc<VisitorDays>,
    /// Whose forwarded headers name the client.
    pub proxies: Arc<TrustedProxies>,
    /// The calendar the statistics count days in.
    pub zone: StatsZone,
    /// The languages QR posters are printed in (`FRONTIER_POSTER_LANGUAGES`).
    pub poster_languages: Arc<frontier_print::Languages>,
}

impl App {
    /// What an anonymous reader may see right now.
    pub fn public(&self) -> Audience {
        Audience::public(self.clock.now())
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(db) => {
            let store = open(&db, 2).await?;
            let applied = store.migrate().await?;
            println!("migrations applied: {applied}");
            Ok(())
        }
        Command::Seed { what: SeedWhat::Demo(db) } => {
            let store = open(&db, 2).await?;
            store.migrate().await?;
            let r = frontier_demo::seed(&store).await?;
            println!(
                "demo content: {} units, {} categories, {} articles, {} places, {} QR codes ({} created, the rest already present and left as they are)",
                r.units, r.categories, r.articles, r.places, r.qr_codes, r.created
            );
            Ok(())
        }
        Command::Schema => {
            print!("{}", frontier_graphql::sdl());
            Ok(())
        }
        Command::Healthcheck { url, bind } => health::check(&url.unwrap_or_else(|| health::local_url(&bind))).await,
        Command::User { what: UserWhat::Create(args) } => {
            let store = open(&args.database, 2).await?;
            store.migrate().await?;
            credentials::create_user(&store, args).await
        }
    }
}

async fn open(db: &DatabaseArgs, pool: u32) -> anyhow::Result<Store> {
    Ok(Store::open(&db.database_url, pool).await?)
}

/// `127.0.0.1:8080`, `[::]:8080` or `localhost:8080`.
async fn resolve_bind(bind: &str) -> anyhow::Result<SocketAddr> {
    let bad = || format!("FRONTIER_BIND `{bind}` is not HOST:PORT (e.g. 127.0.0.1:8080)");
    if let Ok(addr) = bind.parse() {
        return Ok(addr);
    }
    let mut addrs = tokio::net::lookup_host(bind).await.with_context(bad)?;
    addrs.next().with_context(bad)
}

/// `0.0.0.0:8080` is not an address a browser can open: show the loopback address instead.
fn default_base_url(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) if a.ip().is_unspecified() => format!("http://127.0.0.1:{}", a.port()),
        SocketAddr::V6(a) if a.ip().is_unspecified() => format!("http://[::1]:{}", a.port()),
        other => format!("http://{other}"),
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    // Check what needs no I/O first, so a typo fails before anything is opened.
    let probe_base = args.public_base_url.as_deref().unwrap_or("http://127.0.0.1");
    Links::new(probe_base, args.frontend_url.as_deref()).map_err(|e| anyhow!(e))?;
    let zone = StatsZone::parse(&args.time_zone).map_err(|e| anyhow!("FRONTIER_TIME_ZONE: {}", e.message))?;
    let proxies = Arc::new(TrustedProxies::parse(&args.trusted_proxies).map_err(|e| anyhow!(e))?);
    let poster_languages = frontier_print::Languages::parse(&args.poster_languages)
        .map_err(|e| anyhow!("FRONTIER_POSTER_LANGUAGES: {e}"))?;
    // Refuses production without a configured secret before anything listens.
    credentials::check(&args.auth)?;
    let bind = resolve_bind(&args.bind).await?;
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("cannot listen on {bind}"))?;
    let local = listener.local_addr()?;

    let store = open(&args.database, args.db_pool_size).await?;
    let applied = store.migrate().await?;
    if applied > 0 {
        tracing::info!(applied, "database migrated");
    }
    let sessions = credentials::sessions(&args.auth)?;
    if args.demo {
        let r = frontier_demo::seed(&store).await?;
        tracing::info!(
            created = r.created,
            articles = r.articles,
            places = r.places,
            codes = r.qr_codes,
            "demo content present"
        );
        if args.demo_scans {
            let written = frontier_demo::scan_history(&store, SystemClock.now(), zone).await?;
            if written > 0 {
                tracing::info!(scans = written, days = frontier_demo::HISTORY_DAYS, "demo scan history written");
            }
        }
    }

    let base = args.public_base_url.clone().unwrap_or_else(|| default_base_url(local));
    let links = Links::new(&base, args.frontend_url.as_deref()).map_err(|e| anyhow!(e))?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let media_dir = args.media.media_dir.clone().unwrap_or_else(|| args.auth.data_dir.join("media"));
    let max_upload = usize::try_from(args.media.max_upload_mb)? * 1024 * 1024;
    tracing::info!(dir = %media_dir.display(), max_upload_mb = args.media.max_upload_mb, "media library");
    let uploads = Arc::new(Uploads::new(media_dir, max_upload));
    // One server per SQLite database: a second one is refused here, before it listens.
    let scans = ScanWriter::start_alone(store.clone(), zone, clock.clone()).map_err(|e| anyhow!("{e}"))?;
    let schema = frontier_graphql::server_schema(frontier_graphql::Services {
        store: store.clone(),
        links: links.clone(),
        clock: clock.clone(),
        sessions: sessions.clone(),
        uploads: uploads.clone(),
        scans: scans.clone(),
        zone,
    });
    let visitors = Arc::new(VisitorDays::new(zone));
    let app = App(Arc::new(Portal {
        store: store.clone(),
        schema,
        links: links.clone(),
        clock,
        sessions,
        uploads,
        scans: scans.clone(),
        visitors,
        proxies,
        zone,
        poster_languages: Arc::new(poster_languages),
    }));

    // A code that opens a place page shows the whole path (scan → place → articles) best.
    let codes = store.qr_codes().await?;
    let example = codes
        .iter()
        .find(|q| q.active && matches!(q.target, frontier_domain::QrTarget::Place(_)))
        .or_else(|| codes.iter().find(|q| q.active));
    println!("Frontier listening on {local}");
    println!("  Portal:     {}/", links.base());
    println!("  GraphiQL:   {}/graphiql", links.base());
    match example {
        Some(q) => {
            println!("  Example QR: {}  (scan URL {})", links.qr_image_url(&q.code, "png"), links.scan_url(&q.code))
        }
        None => println!("  No QR codes yet: run with --demo, or `frontier seed demo`, to load the demo content."),
    }

    listen::serve(listener, routes::router(app), shutdown_signal()).await;
    // Requests are answered only after their scan committed; this waits for scans whose phone
    // hung up before the answer.
    scans.flush().await;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM (what `docker stop` and systemd send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
