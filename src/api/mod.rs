//! The gRPC surface: thin services that decode, validate, call the ledger and
//! map errors once ([`status`]); plus the server set-up with health and reflection.
pub mod convert;
pub mod extract_service;
pub mod federation_service;
pub mod fund_service;
pub mod ledger_service;
pub mod registry;
pub mod riskfund_service;
pub mod status;
pub mod subsidy_service;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;

use crate::ledger::Ledger;
use crate::pb::extract_service_server::ExtractServiceServer;
use crate::pb::federation_service_server::FederationServiceServer;
use crate::pb::fund_service_server::FundServiceServer;
use crate::pb::ledger_service_server::LedgerServiceServer;
use crate::pb::risk_fund_service_server::RiskFundServiceServer;
use crate::pb::subsidy_service_server::SubsidyServiceServer;

/// Largest request accepted, in bytes: a full batch of 1,000 entries of 64
/// postings fits with room to spare.
pub const MAX_REQUEST_BYTES: usize = 32 * 1024 * 1024;

/// How long in-flight calls may take to finish after a shutdown signal before
/// open connections are dropped; idle clients must not hold a shutdown up.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves the ledger on `listener` until `shutdown` resolves, lets in-flight
/// calls finish (at most [`SHUTDOWN_GRACE`]), then stops the writer (final
/// checkpoint and flush).
pub async fn serve(
    ledger: Ledger,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let local: SocketAddr = listener.local_addr()?;
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<LedgerServiceServer<ledger_service::LedgerApi>>()
        .await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(crate::pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let service = LedgerServiceServer::new(ledger_service::LedgerApi::new(ledger.clone()))
        .max_decoding_message_size(MAX_REQUEST_BYTES);
    let funds = FundServiceServer::new(fund_service::FundApi::new(ledger.clone()));
    health_reporter
        .set_serving::<FundServiceServer<fund_service::FundApi>>()
        .await;
    let extracts = ExtractServiceServer::new(extract_service::ExtractApi::new(ledger.clone()));
    health_reporter
        .set_serving::<ExtractServiceServer<extract_service::ExtractApi>>()
        .await;
    let programs = RiskFundServiceServer::new(riskfund_service::RiskFundApi::new(ledger.clone()));
    health_reporter
        .set_serving::<RiskFundServiceServer<riskfund_service::RiskFundApi>>()
        .await;
    let subsidies = SubsidyServiceServer::new(subsidy_service::SubsidyApi::new(ledger.clone()));
    health_reporter
        .set_serving::<SubsidyServiceServer<subsidy_service::SubsidyApi>>()
        .await;
    let federations =
        FederationServiceServer::new(federation_service::FederationApi::new(ledger.clone()));
    health_reporter
        .set_serving::<FederationServiceServer<federation_service::FederationApi>>()
        .await;
    tracing::info!(%local, "serving huzhu.v1 LedgerService, FundService, RiskFundService, SubsidyService, FederationService, ExtractService, grpc.health.v1 and reflection");
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let (signalled, watch) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = signalled.send(true);
    });
    let signal = |mut w: tokio::sync::watch::Receiver<bool>| async move {
        let _ = w.wait_for(|fired| *fired).await;
    };
    let server = tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(reflection)
        .add_service(service)
        .add_service(funds)
        .add_service(extracts)
        .add_service(programs)
        .add_service(subsidies)
        .add_service(federations)
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
