//! `huzhu token ...`: an administrator's bearer tokens (issue, list,
//! revoke) and `whoami` for any token.
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use super::client::Idem;
use super::output::{call, get, show, ClientArgs};
use super::CliResult;
use crate::pb::{self, token_service_client::TokenServiceClient};

#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    FundClerk,
    FundTreasurer,
    FederationTreasurer,
    Bank,
    Regulator,
}

impl RoleArg {
    fn to_pb(self) -> pb::Role {
        match self {
            RoleArg::Admin => pb::Role::Admin,
            RoleArg::FundClerk => pb::Role::FundClerk,
            RoleArg::FundTreasurer => pb::Role::FundTreasurer,
            RoleArg::FederationTreasurer => pb::Role::FederationTreasurer,
            RoleArg::Bank => pb::Role::Bank,
            RoleArg::Regulator => pb::Role::Regulator,
        }
    }
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issue a token (admin only). The bearer token is shown once: keep it,
    /// or write it to a file readable by its owner only with --out.
    Issue {
        #[command(flatten)]
        idem: Idem,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// fund:<id> (clerk, treasurer), federation:<id> (federation
        /// treasurer, regulator), program:<id> (bank, regulator) or all
        /// (admin, regulator).
        #[arg(long, default_value = "")]
        scope: String,
        /// Who holds it, e.g. "Wang Fang, treasurer of Dongcun".
        #[arg(long, default_value = "")]
        label: String,
        /// Write the bearer token to this file (mode 0600) instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Every token issued, revoked ones too; never a secret (admin only).
    List,
    /// Revoke a token at once (admin only).
    Revoke {
        #[command(flatten)]
        idem: Idem,
        token_id: String,
    },
    /// The token this client calls with: id, role and scope.
    Whoami,
    /// Issue a new admin token straight into a stopped server's store, when
    /// no admin token is left (lost, or revoked): written to
    /// DATA_DIR/admin.token (mode 0600). Stop the server first.
    Rescue {
        /// The store's directory.
        #[arg(long, env = "HUZHU_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
    },
}

/// `token rescue`: opens the store itself (the server must be stopped).
async fn rescue(data_dir: PathBuf) -> CliResult {
    if !data_dir.join("db").exists() {
        return Err(format!("{} holds no store", data_dir.display()).into());
    }
    let dir = data_dir.clone();
    let ledger = tokio::task::spawn_blocking(move || {
        crate::ledger::Ledger::open(&dir, &crate::ledger::Options::default())
    })
    .await?
    .map_err(|e| format!("cannot open the store (is the server still running?): {e}"))?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let path = data_dir.join(crate::auth::ADMIN_TOKEN_FILE);
    let token_id = crate::api::access::admin_token_file(
        &ledger,
        &path,
        &format!("rescue-{nanos}"),
        "admin (huzhu token rescue)",
    )
    .await?;
    ledger.shutdown().await?;
    println!(
        "admin token {token_id} written to {} (mode 0600); start the server again",
        path.display()
    );
    Ok(std::process::ExitCode::SUCCESS)
}

fn print_token(t: &pb::Token) {
    let role = pb::Role::try_from(t.role)
        .map(|r| r.as_str_name().to_lowercase())
        .unwrap_or_default();
    let state = if t.revoked_at.is_empty() {
        "valid".to_string()
    } else {
        format!("revoked {} by {}", t.revoked_at, t.revoked_by)
    };
    println!(
        "{:<16} {:<22} {:<28} {:<10} issued {} by {}  {}",
        t.token_id, role, t.scope, state, t.issued_at, t.issued_by, t.label
    );
}

pub async fn run(args: ClientArgs<TokenCommand>) -> CliResult {
    // No server to connect to: the store is opened here.
    if let TokenCommand::Rescue { data_dir } = &args.command {
        return rescue(data_dir.clone()).await;
    }
    let (mut c, output, command) = args.open(TokenServiceClient::new).await?;
    match command {
        TokenCommand::Issue {
            idem,
            role,
            scope,
            label,
            out,
        } => {
            let mut r = call!(c, issue_token, idem.id(), |request_id| {
                pb::IssueTokenRequest {
                    request_id,
                    role: role.to_pb() as i32,
                    scope,
                    label,
                }
            });
            if r.replayed {
                eprintln!(
                    "this request id issued the token before; its secret was shown then and is not kept: \
                     revoke it if it is lost and issue another"
                );
            }
            if let (Some(path), false) = (&out, r.bearer.is_empty()) {
                let id = r
                    .token
                    .as_ref()
                    .map(|t| t.token_id.clone())
                    .unwrap_or_default();
                crate::auth::write_token_file(path, &format!("{}\n", r.bearer)).map_err(|e| {
                    format!(
                        "token {id} was issued but cannot be written to {}: {e}; \
                         nobody holds it: revoke it (huzhu token revoke {id}) and issue another",
                        path.display()
                    )
                })?;
                eprintln!("bearer token written to {}", path.display());
                r.bearer.clear();
            }
            show(output, &r, |r| {
                print_token(&r.token.clone().unwrap_or_default());
                if !r.bearer.is_empty() {
                    println!("bearer token (shown once): {}", r.bearer);
                }
            })
        }
        TokenCommand::List => {
            let r = get!(c, list_tokens, pb::ListTokensRequest {});
            show(output, &r, |r| r.tokens.iter().for_each(print_token))
        }
        TokenCommand::Revoke { idem, token_id } => {
            let r = call!(c, revoke_token, idem.id(), |request_id| {
                pb::RevokeTokenRequest {
                    request_id,
                    token_id,
                }
            });
            show(output, &r, |r| {
                print_token(&r.token.clone().unwrap_or_default())
            })
        }
        TokenCommand::Whoami => {
            let r = get!(c, who_am_i, pb::WhoAmIRequest {});
            show(output, &r, |r| {
                print_token(&r.token.clone().unwrap_or_default())
            })
        }
        TokenCommand::Rescue { data_dir } => rescue(data_dir).await,
    }
}
