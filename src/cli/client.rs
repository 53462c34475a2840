//! What every client command shares: where the server is and the token it
//! is called with (`Conn`), the request id of a change (`Idem`), the
//! ledger's client, and a refusal told with its field or rule.
use std::path::PathBuf;

use clap::Args;
use tonic_types::StatusExt;

use crate::auth::client::{resolve_token, AuthChannel, Target};
use crate::pb::ledger_service_client::LedgerServiceClient;

#[derive(Args, Clone)]
pub struct Conn {
    /// Server address: http://HOST:PORT, or https://HOST:PORT for TLS; a
    /// bare HOST:PORT is taken as http:// (https:// with --ca or --cert).
    #[arg(
        long,
        env = "HUZHU_SERVER",
        default_value = "http://127.0.0.1:50051",
        global = true
    )]
    pub server: String,
    /// File holding the bearer token; without it, $HUZHU_TOKEN, then the
    /// file $HUZHU_TOKEN_FILE names; without any, ./data/admin.token (the
    /// first admin token of a server run here) when the server is on this
    /// machine.
    #[arg(long, global = true)]
    pub token_file: Option<PathBuf>,
    /// CA certificate (PEM) that signed the server's TLS certificate; the
    /// system's roots are used without it.
    #[arg(long, env = "HUZHU_CA", global = true)]
    pub ca: Option<PathBuf>,
    /// Client certificate (PEM), for a server that requires mutual TLS.
    #[arg(long, env = "HUZHU_CERT", global = true, requires = "key")]
    pub cert: Option<PathBuf>,
    /// Key of the client certificate (PEM).
    #[arg(long, env = "HUZHU_KEY", global = true, requires = "cert")]
    pub key: Option<PathBuf>,
}

impl Conn {
    /// A channel to the server whose calls carry the token.
    pub async fn channel(&self) -> Result<AuthChannel, String> {
        let token = resolve_token(self.token_file.as_deref(), &self.server)?;
        Target {
            server: self.server.clone(),
            ca: self.ca.clone(),
            cert: self.cert.clone(),
            key: self.key.clone(),
        }
        .connect(&token)
        .await
    }
}

#[derive(Args, Clone)]
pub struct Idem {
    /// Idempotency key; reuse it to retry safely. Generated when omitted (and
    /// printed if the call's outcome is unknown).
    #[arg(long)]
    request_id: Option<String>,
}

impl Idem {
    pub fn id(&self) -> String {
        self.request_id.clone().unwrap_or_else(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            format!("cli-{nanos}-{}", std::process::id())
        })
    }
}

pub async fn connect(conn: &Conn) -> Result<LedgerServiceClient<AuthChannel>, String> {
    Ok(LedgerServiceClient::new(conn.channel().await?)
        .max_decoding_message_size(crate::api::MAX_REQUEST_BYTES))
}

/// A refused call, told with its field or rule.
pub fn describe(status: &tonic::Status) -> String {
    let mut out = format!("{:?}: {}", status.code(), status.message());
    let details = status.get_error_details();
    if let Some(br) = details.bad_request() {
        for v in &br.field_violations {
            out.push_str(&format!("\n  field: {}", v.field));
        }
    }
    if let Some(pf) = details.precondition_failure() {
        for v in &pf.violations {
            out.push_str(&format!("\n  rule: {} (on {})", v.r#type, v.subject));
        }
    }
    out
}
