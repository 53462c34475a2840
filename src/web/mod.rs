//! The treasurer's web client, served by `huzhu serve` itself (axum on its
//! own port): pages rendered on the server with maud, every string from the
//! Fluent catalog ([`crate::i18n`], Chinese first), every asset embedded. A page
//! or action calls the server's gRPC services over loopback with the
//! signed-in token ([`grpc`]): the web client holds no rule of its own.
//!
//! The path of a web action: the browser POSTs a form carrying the
//! session's CSRF token and the request id rendered into it → [`ctx`]
//! checks the session cookie and the CSRF token (403 otherwise) → the
//! handler calls the RPC with the session's bearer token and the form's
//! request id → the gRPC gate, `allow` and the operation decide → on OK a
//! redirect to the page (a second submit of the same form is a replay);
//! on a refusal the page again with the refusal in the page's language.
pub mod admin;
pub mod apply;
pub mod approvals;
pub mod archives;
pub mod balancing;
pub mod chart;
pub mod collection;
pub mod ctx;
pub mod day_end;
pub mod disburse;
pub mod extract;
pub mod federation;
pub mod format;
pub mod fund;
pub mod grpc;
pub mod ledger;
pub mod member;
pub mod notice;
pub mod page;
pub mod program;
pub mod queue;
pub mod relief;
pub mod session;
pub mod signin;
pub mod state;
pub mod trend;
pub mod year_end;

use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::future::Future;
use tokio::net::TcpListener;

use crate::auth::client::Target;
use state::Web;

/// Every page and action.
pub fn router(web: Web) -> Router {
    Router::new()
        .route("/", get(signin::home))
        .route("/signin", get(signin::form).post(signin::submit))
        .route("/signout", post(signin::sign_out))
        .route("/assets/huzhu.css", get(page::stylesheet))
        .route("/assets/huzhu.js", get(page::script))
        .route("/fund/{fund}", get(fund::overview))
        .route("/fund/{fund}/members", get(fund::members))
        .route("/fund/{fund}/members/{member}", get(member::show))
        .route("/fund/{fund}/apply", get(apply::form).post(apply::submit))
        .route("/fund/{fund}/apply/preview", get(apply::preview_part))
        .route("/fund/{fund}/disburse", get(disburse::queue))
        .route(
            "/fund/{fund}/day-end",
            get(day_end::show).post(day_end::run),
        )
        .route(
            "/fund/{fund}/year-end",
            get(year_end::show).post(year_end::run),
        )
        .route("/fund/{fund}/disburse/{loan}", post(disburse::disburse))
        .route("/fund/{fund}/approvals", get(approvals::queue))
        .route("/fund/{fund}/approvals/{loan}", post(approvals::approve))
        .route(
            "/fund/{fund}/collection",
            get(collection::show).post(collection::submit),
        )
        .route("/fund/{fund}/notice", get(notice::show))
        .route("/fund/{fund}/loans", get(ledger::show))
        .route("/federation/{federation}", get(federation::dashboard))
        .route("/federation/{federation}/trend", get(trend::show))
        .route("/federation/{federation}/balancing", get(balancing::show))
        .route(
            "/federation/{federation}/relief",
            get(relief::show).post(relief::request),
        )
        .route(
            "/federation/{federation}/relief/{grant}",
            post(relief::approve),
        )
        .route("/program/{program}", get(program::show))
        .route("/books", get(admin::books))
        .route("/extract", get(extract::show).post(extract::submit))
        .route("/extract/{file}", get(extract::download))
        .fallback(page::not_found)
        .layer(axum::middleware::from_fn(timed))
        .with_state(web)
}

/// Says how long the server took over each answer (the gRPC calls behind a
/// page included), as `Server-Timing: page;dur=MS`: what `huzhu bench-web`
/// reads, and a browser's developer tools show.
async fn timed(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let started = std::time::Instant::now();
    let mut response = next.run(request).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = http::HeaderValue::from_str(&format!("page;dur={ms:.2}")) {
        response.headers_mut().insert("server-timing", v);
    }
    response
}

/// Serves the web client on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: TcpListener,
    grpc: Target,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let web = Web::new(&grpc)?;
    tracing::info!(listen = %listener.local_addr()?, grpc = %grpc.server, "serving the web client");
    axum::serve(listener, router(web))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
