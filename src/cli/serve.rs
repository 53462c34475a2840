//! `huzhu serve`: open the store, listen, serve until SIGINT/SIGTERM, flush.
use std::path::PathBuf;
use std::process::ExitCode;

use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

use super::CliResult;
use crate::domain::money::RateCeiling;
use crate::ledger::{Ledger, Options};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    On,
    Off,
}

impl Switch {
    pub fn label(self) -> &'static str {
        match self {
            Switch::On => "on",
            Switch::Off => "off",
        }
    }
}

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
    /// Address of the web client (open it in a browser); port 0 picks a free
    /// port (see --web-addr-file); `off` serves no web client.
    #[arg(long, env = "HUZHU_WEB_LISTEN", default_value = "127.0.0.1:8080")]
    web_listen: String,
    /// Write the web client's address to this file once it accepts requests.
    #[arg(long)]
    web_addr_file: Option<PathBuf>,
    /// Whether a store created now compresses its log with zstd (about a
    /// seventh of the disk per entry, for more CPU per write). A store that
    /// exists keeps what it was created with.
    #[arg(long, env = "HUZHU_COMPRESSION", value_enum, default_value = "on")]
    compression: Switch,
    /// Page cache of the store, in MiB.
    #[arg(long, default_value_t = 256)]
    cache_mb: u64,
    /// Calls a token may make a second, on average; 0 for no limit.
    #[arg(long, env = "HUZHU_RATE_LIMIT", default_value_t = 500)]
    rate_limit: u32,
    /// Calls a token may make at once before the rate limit applies.
    #[arg(long, env = "HUZHU_RATE_BURST", default_value_t = 1000)]
    rate_burst: u32,
    /// Largest request message accepted, in KiB (a larger one is refused
    /// with OUT_OF_RANGE before it is read).
    #[arg(long, env = "HUZHU_MAX_REQUEST_KIB", default_value_t = 32 * 1024,
          value_parser = clap::value_parser!(u32).range(1..=1024 * 1024))]
    max_request_kib: u32,
    /// Highest annual rate accepted for a fund's fee and penalty, a
    /// federation's placement rate and spread, a subsidy and a guaranteed
    /// loan (0.24 is 24% a year); a higher one is refused naming its field.
    #[arg(long, env = "HUZHU_MAX_RATE_ANNUAL", default_value = "0.24",
          value_parser = RateCeiling::parse)]
    max_rate_annual: RateCeiling,
    /// Server certificate (PEM): serve TLS instead of plain HTTP/2.
    #[arg(long, env = "HUZHU_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// Key of the server certificate (PEM).
    #[arg(long, env = "HUZHU_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// CA (PEM) whose client certificates are required: mutual TLS.
    #[arg(long, env = "HUZHU_TLS_CLIENT_CA", requires = "tls_cert")]
    tls_client_ca: Option<PathBuf>,
}

impl ServeArgs {
    fn options(&self) -> crate::api::ServeOptions {
        crate::api::ServeOptions {
            rate: (self.rate_limit > 0).then_some(crate::api::access::RateLimit {
                per_second: self.rate_limit,
                burst: self.rate_burst.max(1),
            }),
            max_request_bytes: self.max_request_kib as usize * 1024,
            tls: self
                .tls_cert
                .clone()
                .zip(self.tls_key.clone())
                .map(|(cert, key)| crate::api::TlsFiles {
                    cert,
                    key,
                    client_ca: self.tls_client_ca.clone(),
                }),
        }
    }
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
        max_rate_annual: args.max_rate_annual,
        compress_new: args.compression == Switch::On,
        ..Options::default()
    };
    let ledger = tokio::task::spawn_blocking(move || Ledger::open(&dir, &options)).await??;
    match crate::api::access::first_admin_token(&ledger, &args.data_dir).await? {
        Some(path) => tracing::warn!(
            file = %path.display(),
            "new store: an admin token was written to this file (readable by its owner only); \
             clients run next to the data directory use it; issue other tokens with `huzhu token issue`"
        ),
        None => tracing::info!(
            "tokens are in the store; clients call with `authorization: Bearer <token>`"
        ),
    }
    let listener = TcpListener::bind(&args.listen).await.map_err(|e| {
        format!(
            "cannot listen on {}: {e}; is another server running there?",
            args.listen
        )
    })?;
    let local = listener.local_addr()?;
    if args.tls_cert.is_none() && !local.ip().is_loopback() {
        tracing::warn!(
            listen = %local,
            "serving without TLS on a network address: bearer tokens cross the network in clear; \
             give --tls-cert and --tls-key"
        );
    }
    let shutdown = shutdown_signal()?;
    tracing::info!(listen = %local, data_dir = %args.data_dir.display(), "huzhu server starting");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let web = match web_listener(&args, local).await? {
        Some((listener, grpc)) => {
            let web_local = listener.local_addr()?;
            if !web_local.ip().is_loopback() {
                tracing::warn!(listen = %web_local, "the web client is served without TLS on a network address: put a TLS proxy in front of it");
            }
            if let Some(path) = &args.web_addr_file {
                write_addr(path, web_local)?;
            }
            Some(tokio::spawn(crate::web::serve(
                listener,
                grpc,
                fired(stopped.clone()),
            )))
        }
        None => None,
    };
    if let Some(path) = &args.addr_file {
        write_addr(path, local)?;
    }
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let served = crate::api::serve(ledger, listener, args.options(), fired(stopped)).await;
    if let Some(web) = web {
        web.abort();
        let _ = web.await;
    }
    served?;
    tracing::info!("huzhu server stopped cleanly");
    Ok(ExitCode::SUCCESS)
}

/// Resolves once `stopped` says the server is stopping.
async fn fired(mut stopped: tokio::sync::watch::Receiver<bool>) {
    let _ = stopped.wait_for(|s| *s).await;
}

/// Writes `addr` to `path` whole (a temporary file renamed), so a reader
/// never sees half of it.
fn write_addr(path: &std::path::Path, addr: std::net::SocketAddr) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, addr.to_string())?;
    std::fs::rename(&tmp, path)
}

/// The web client's listener and the gRPC server it calls (this one, over
/// loopback), unless `--web-listen off` or the server serves TLS.
async fn web_listener(
    args: &ServeArgs,
    grpc: std::net::SocketAddr,
) -> Result<Option<(TcpListener, crate::auth::client::Target)>, String> {
    if args.web_listen == "off" {
        return Ok(None);
    }
    if args.tls_cert.is_some() {
        tracing::warn!(
            "the web client does not call a TLS server yet: serving no web client \
             (give --web-listen off to silence this)"
        );
        return Ok(None);
    }
    let mut at = grpc;
    if at.ip().is_unspecified() {
        at.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let target = crate::auth::client::Target::plain(format!("http://{at}"));
    let listener = TcpListener::bind(&args.web_listen).await.map_err(|e| {
        format!(
            "cannot serve the web client on {}: {e}; give another --web-listen, or `off`",
            args.web_listen
        )
    })?;
    Ok(Some((listener, target)))
}

/// A future that resolves on SIGINT or SIGTERM. The handlers are installed
/// here, before the address file tells anyone the server is up: a signal
/// sent as soon as it appears shuts down cleanly instead of killing the
/// process.
pub fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => tracing::info!("SIGINT received; shutting down"),
            _ = terminate.recv() => tracing::info!("SIGTERM received; shutting down"),
        }
    })
}
