//! `huzhu token ...`: an administrator's bearer tokens (issue, list,
//! revoke) and `whoami` for any token.
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::output::{call, get, show, Change, ClientArgs, Output};
use super::CliResult;
use crate::auth::client::AuthChannel;
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
    Issue(Change<IssueArgs>),
    /// Every token issued, revoked ones too; never a secret (admin only).
    List,
    /// Revoke a token at once (admin only).
    Revoke(Change<RevokeArgs>),
    /// The token this client calls with: id, role and scope.
    Whoami,
    /// Issue a new admin token straight into a stopped server's store, when
    /// no admin token is left (lost, or revoked): written to
    /// DATA_DIR/admin.token (mode 0600). Stop the server first.
    Rescue(RescueArgs),
}

#[derive(Args)]
pub struct IssueArgs {
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
}

impl IssueArgs {
    fn request(self, request_id: String) -> pb::IssueTokenRequest {
        pb::IssueTokenRequest {
            request_id,
            role: self.role.to_pb() as i32,
            scope: self.scope,
            label: self.label,
        }
    }
}

#[derive(Args)]
pub struct RevokeArgs {
    token_id: String,
}

impl RevokeArgs {
    fn request(self, request_id: String) -> pb::RevokeTokenRequest {
        pb::RevokeTokenRequest {
            request_id,
            token_id: self.token_id,
        }
    }
}

#[derive(Args)]
pub struct RescueArgs {
    /// The store's directory.
    #[arg(long, env = "HUZHU_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
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
    .await??;
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

/// The token an answer names, as a line of `list`.
fn print_answer(t: Option<&pb::Token>) {
    print_token(t.unwrap_or(&pb::Token::default()));
}

/// `token issue`: the bearer token is printed once, or written to --out
/// and not printed.
async fn issue(
    c: &mut TokenServiceClient<AuthChannel>,
    output: Output,
    a: Change<IssueArgs>,
) -> CliResult {
    let out = a.args.out.clone();
    let mut r = call!(c, issue_token, a);
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
        print_answer(r.token.as_ref());
        if !r.bearer.is_empty() {
            println!("bearer token (shown once): {}", r.bearer);
        }
    })
}

pub async fn run(args: ClientArgs<TokenCommand>) -> CliResult {
    // No server to connect to: the store is opened here.
    if let TokenCommand::Rescue(a) = &args.command {
        return rescue(a.data_dir.clone()).await;
    }
    let (mut c, output, command) = args.open(TokenServiceClient::new).await?;
    use TokenCommand as T;
    match command {
        T::Issue(a) => issue(&mut c, output, a).await,
        T::List => {
            let r = get!(c, list_tokens, pb::ListTokensRequest {});
            show(output, &r, |r| r.tokens.iter().for_each(print_token))
        }
        T::Revoke(a) => show(output, &call!(c, revoke_token, a), |r| {
            print_answer(r.token.as_ref())
        }),
        T::Whoami => show(output, &get!(c, who_am_i, pb::WhoAmIRequest {}), |r| {
            print_answer(r.token.as_ref())
        }),
        T::Rescue(a) => rescue(a.data_dir).await,
    }
}
