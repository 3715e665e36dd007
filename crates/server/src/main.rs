//! `frontier`: the portal's server and its administration commands.

use clap::Parser;
use std::process::ExitCode;

// Requests are allocated on the runtime's workers and freed on the scan writer's thread; glibc's
// malloc spent a tenth of a worker's time on that (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = frontier_server::cli::Cli::parse();
    // Logs go to stderr; stdout carries what commands print (the schema, the start-up banner).
    let filter = tracing_subscriber::EnvFilter::try_from_env("FRONTIER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(colour).init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("frontier: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(frontier_server::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line an operator can act on: the error and its causes, joined.
            eprintln!("frontier: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
