//! `huzhu serve`: open the store, listen, serve until SIGINT/SIGTERM, flush.
use std::path::PathBuf;
use std::process::ExitCode;

use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use super::CliResult;
use crate::ledger::{Ledger, Options};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (see --addr-file).
    #[arg(long, env = "HUZHU_LISTEN", default_value = "127.0.0.1:50051")]
    listen: String,
    /// Directory of the embedded store; created when missing.
    #[arg(long, env = "HUZHU_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// Write the address actually bound to this file once the server accepts calls.
    #[arg(long)]
    addr_file: Option<PathBuf>,
    /// Page cache of the store, in MiB.
    #[arg(long, default_value_t = 256)]
    cache_mb: u64,
}

pub fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

pub async fn run(args: ServeArgs) -> CliResult {
    init_logging();
    std::fs::create_dir_all(&args.data_dir).map_err(|e| {
        format!(
            "cannot create the data directory {}: {e}",
            args.data_dir.display()
        )
    })?;
    let dir = args.data_dir.clone();
    let options = Options {
        cache_bytes: args.cache_mb * 1024 * 1024,
        ..Options::default()
    };
    let ledger = tokio::task::spawn_blocking(move || Ledger::open(&dir, &options)).await??;
    let listener = TcpListener::bind(&args.listen).await.map_err(|e| {
        format!(
            "cannot listen on {}: {e}; is another server running there?",
            args.listen
        )
    })?;
    let local = listener.local_addr()?;
    tracing::info!(listen = %local, data_dir = %args.data_dir.display(), "huzhu server starting");
    if let Some(path) = &args.addr_file {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, local.to_string())?;
        std::fs::rename(&tmp, path)?;
    }
    crate::api::serve(ledger, listener, shutdown_signal()).await?;
    tracing::info!("huzhu server stopped cleanly");
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
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
    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received; shutting down"),
        () = term => tracing::info!("SIGTERM received; shutting down"),
    }
}
