//! The gRPC surface: services whose every RPC is one line naming its
//! operation in `ops` ([`run`]); errors mapped once ([`status`]); every
//! huzhu.v1 service behind the token gate ([`access`]); plus the server
//! set-up with TLS, health and reflection, behind a door that lets only gRPC
//! in ([`content_type`]).
pub mod access;
pub mod content_type;
pub mod extract_service;
pub mod federation_service;
pub mod fund_service;
pub mod ledger_service;
pub mod riskfund_service;
pub mod run;
pub mod status;
pub mod subsidy_service;
pub mod token_service;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use std::path::PathBuf;

use tokio::net::TcpListener;
use tonic::service::interceptor::InterceptedService;
use tonic::service::Routes;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Identity, ServerTlsConfig};

use access::{Gate, RateLimit};

use crate::ledger::Ledger;
use crate::pb::extract_service_server::ExtractServiceServer;
use crate::pb::federation_service_server::FederationServiceServer;
use crate::pb::fund_service_server::FundServiceServer;
use crate::pb::ledger_service_server::LedgerServiceServer;
use crate::pb::risk_fund_service_server::RiskFundServiceServer;
use crate::pb::subsidy_service_server::SubsidyServiceServer;
use crate::pb::token_service_server::TokenServiceServer;

/// Largest request accepted by default, in bytes: a full batch of 1,000
/// entries of 64 postings fits with room to spare.
pub const MAX_REQUEST_BYTES: usize = 32 * 1024 * 1024;

/// PEM files of the server's TLS identity, and of the CA whose client
/// certificates it requires (mutual TLS) when given.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub client_ca: Option<PathBuf>,
}

/// How the server guards its door.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Calls a token may make; `None` for no limit.
    pub rate: Option<RateLimit>,
    /// Largest request message, in bytes.
    pub max_request_bytes: usize,
    pub tls: Option<TlsFiles>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            rate: None,
            max_request_bytes: MAX_REQUEST_BYTES,
            tls: None,
        }
    }
}

fn tls_config(files: &TlsFiles) -> Result<ServerTlsConfig, String> {
    let read = |p: &PathBuf, what: &str| {
        std::fs::read(p).map_err(|e| format!("cannot read the TLS {what} {}: {e}", p.display()))
    };
    let mut config = ServerTlsConfig::new().identity(Identity::from_pem(
        read(&files.cert, "certificate")?,
        read(&files.key, "key")?,
    ));
    if let Some(ca) = &files.client_ca {
        config = config.client_ca_root(Certificate::from_pem(read(ca, "client CA")?));
    }
    Ok(config)
}

/// How long in-flight calls may take to finish after a shutdown signal before
/// open connections are dropped; idle clients must not hold a shutdown up.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What reflection describes: every huzhu.v1 service, health, and the
/// google.rpc error details a refusal carries (so a generic client decodes
/// the field or rule it names).
fn reflection() -> tonic_reflection::server::Builder<'static> {
    tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(crate::pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_types::pb::FILE_DESCRIPTOR_SET)
}

/// Every huzhu.v1 service behind the gate, with health marked serving and
/// reflection in both versions (v1, and v1alpha for grpcurl 1.8, Postman and
/// other tools that speak only it): the server's routes.
async fn routes(
    ledger: &Ledger,
    gate: Gate,
    limit: usize,
) -> Result<Routes, Box<dyn std::error::Error + Send + Sync>> {
    let (health, health_service) = tonic_health::server::health_reporter();
    let mut routes = Routes::builder();
    routes
        .add_service(health_service)
        .add_service(reflection().build_v1()?)
        .add_service(reflection().build_v1alpha()?);
    macro_rules! gated {
        ($($server:ident($api:ty)),* $(,)?) => {$(
            health.set_serving::<$server<$api>>().await;
            routes.add_service(InterceptedService::new(
                $server::new(<$api>::new(ledger.clone())).max_decoding_message_size(limit),
                gate.clone(),
            ));
        )*};
    }
    gated!(
        LedgerServiceServer(ledger_service::LedgerApi),
        FundServiceServer(fund_service::FundApi),
        ExtractServiceServer(extract_service::ExtractApi),
        RiskFundServiceServer(riskfund_service::RiskFundApi),
        SubsidyServiceServer(subsidy_service::SubsidyApi),
        FederationServiceServer(federation_service::FederationApi),
        TokenServiceServer(token_service::TokenApi),
    );
    Ok(routes.routes())
}

/// Serves the ledger on `listener` until `shutdown` resolves, lets in-flight
/// calls finish (at most [`SHUTDOWN_GRACE`]), then stops the writer (final
/// checkpoint and flush). Every huzhu.v1 service is behind the token gate.
pub async fn serve(
    ledger: Ledger,
    listener: TcpListener,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let gate = Gate::new(ledger.clone(), options.rate);
    let limit = options.max_request_bytes;
    let local: SocketAddr = listener.local_addr()?;
    let routes = routes(&ledger, gate, limit).await?;
    let mut builder = tonic::transport::Server::builder();
    if let Some(files) = &options.tls {
        builder = builder.tls_config(tls_config(files)?)?;
    }
    let mut builder = builder.layer(content_type::GrpcOnlyLayer);
    tracing::info!(
        %local,
        tls = options.tls.is_some(),
        mutual_tls = options.tls.as_ref().is_some_and(|t| t.client_ca.is_some()),
        rate_limit_per_second = options.rate.map_or(0, |r| r.per_second),
        rate_burst = options.rate.map_or(0, |r| r.burst),
        max_request_bytes = limit,
        "serving huzhu.v1 LedgerService, FundService, RiskFundService, SubsidyService, FederationService, ExtractService and TokenService (bearer tokens), grpc.health.v1 and reflection v1 and v1alpha (open); only gRPC content types"
    );
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let (signalled, watch) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = signalled.send(true);
    });
    let signal = |mut w: tokio::sync::watch::Receiver<bool>| async move {
        let _ = w.wait_for(|fired| *fired).await;
    };
    let server = builder
        .add_routes(routes)
        .serve_with_incoming_shutdown(incoming, signal(watch.clone()));
    let grace_over = async {
        signal(watch).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    let served = tokio::select! {
        served = server => served,
        () = grace_over => {
            tracing::warn!(grace = ?SHUTDOWN_GRACE, "connections still open after the grace period; closing them");
            Ok(())
        }
    };
    tracing::info!("server stopped; flushing the ledger");
    ledger.shutdown().await?;
    served?;
    Ok(())
}

/// A server on 127.0.0.1 (a free port) over a new store in `dir`, in this
/// process (`bench`, `demo`): its address, its first admin token, and the
/// task that serves until `shutdown` resolves.
pub async fn start_local(
    dir: PathBuf,
    store: &crate::ledger::Options,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<
    (
        SocketAddr,
        String,
        tokio::task::JoinHandle<Result<(), Box<dyn std::error::Error + Send + Sync>>>,
    ),
    Box<dyn std::error::Error + Send + Sync>,
> {
    let (at, store) = (dir.clone(), store.clone());
    let ledger = tokio::task::spawn_blocking(move || Ledger::open(&at, &store)).await??;
    let token_file = access::first_admin_token(&ledger, &dir)
        .await?
        .ok_or_else(|| format!("{} already has tokens: start on a new store", dir.display()))?;
    let token = std::fs::read_to_string(token_file)?.trim().to_string();
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let handle = tokio::spawn(serve(ledger, listener, options, shutdown));
    Ok((addr, token, handle))
}
