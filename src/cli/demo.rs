//! `huzhu demo`: loads a realistic township federation through the public
//! gRPC API, so that a newcomer sees real-looking books in one command.
//!
//! Modelled on the Zhuyang federation of DOMAIN.md §1: 10 village funds, 905
//! member households (400 low-income, 100 of them on 低保/五保), capital of
//! 1,000,000 provincial fiscal support, 1,100,000 special support and 934,000
//! of member shares, 211 loans totalling 2,609,000 disbursed, 56 of them
//! (380,000) repaid with 6,400 of fees; then balancing between funds, the
//! relief pool and the board. Deterministic: the seed picks who is poor, who
//! borrows what; every request id is fixed. A second run finds the federation
//! there and changes nothing; a run that stopped part way is not resumed
//! (its clerks' tokens were that run's), and says so.
//! Funds load concurrently, each with several calls in flight. The caller's
//! admin token creates the funds and approves loans; each fund's clerk (a
//! FUND_CLERK token the demo issues) takes the applications, so every loan
//! passes maker-checker.
//!
//! scenario.rs draws the books from the seed; load.rs loads them through
//! the API (its helpers also build `huzhu bench --workload county`); this
//! file starts or finds the server and reports what it holds.
pub(super) mod load;
mod scenario;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use super::client::describe;
use super::{CliError, CliResult};
use crate::auth::client::resolve_token;
use crate::i18n::Lang;
use crate::pb;
use crate::web::federation::alert_text;
use load::{load, Clients, Failure};
use scenario::{scenario, FEDERATION, VILLAGES};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// A running server to load the demo into, e.g. http://127.0.0.1:50051.
    #[arg(long, required_unless_present = "data_dir")]
    server: Option<String>,
    /// Admin token file for --server (else $HUZHU_TOKEN, else ./data/admin.token for a local server).
    #[arg(long, conflicts_with = "data_dir")]
    token_file: Option<PathBuf>,
    /// Start a server in this process on a fresh store in this directory
    /// instead; it stays there for `huzhu serve --data-dir DIR` afterwards.
    #[arg(long, conflicts_with = "server")]
    data_dir: Option<PathBuf>,
    /// Seed of the generator: the same seed loads the same books.
    #[arg(long, default_value_t = 2013)]
    seed: u64,
}

/// What the server now holds, read back through the API.
pub struct Totals {
    pub funds: usize,
    pub members: u32,
    pub fiscal: rust_decimal::Decimal,
    pub special: rust_decimal::Decimal,
    pub shares: rust_decimal::Decimal,
    pub loans: usize,
    pub disbursed: rust_decimal::Decimal,
    pub repaid_loans: usize,
    pub fee_income: rust_decimal::Decimal,
}

async fn totals(c: &Clients, funds: &[String]) -> Result<Totals, Failure> {
    use rust_decimal::Decimal;
    let parse = |s: &str| s.parse::<Decimal>().map_err(|e| format!("{s}: {e}"));
    let mut t = Totals {
        funds: funds.len(),
        members: 0,
        fiscal: Decimal::ZERO,
        special: Decimal::ZERO,
        shares: Decimal::ZERO,
        loans: 0,
        disbursed: Decimal::ZERO,
        repaid_loans: 0,
        fee_income: Decimal::ZERO,
    };
    let (mut fc, mut lc) = (c.funds.clone(), c.ledger.clone());
    for fund in funds {
        let info = fc
            .get_fund(pb::GetFundRequest {
                fund_id: fund.clone(),
            })
            .await
            .map_err(|s| describe(&s))?
            .into_inner();
        t.members += info.active_members;
        for (code, sub, into) in [
            ("3001", "source:fiscal", &mut t.fiscal),
            ("3001", "source:special", &mut t.special),
            ("3002", "", &mut t.shares),
            ("4001", "", &mut t.fee_income),
        ] {
            let b = lc
                .get_balance(pb::GetBalanceRequest {
                    account: Some(pb::AccountRef {
                        book_id: fund.clone(),
                        code: code.into(),
                        sub: sub.into(),
                    }),
                    as_of: String::new(),
                    include_sub_accounts: sub.is_empty(),
                })
                .await
                .map_err(|s| describe(&s))?
                .into_inner();
            *into += parse(&b.balance)?;
        }
        let loans = fc
            .list_loans(pb::ListLoansRequest {
                fund_id: fund.clone(),
                as_of: String::new(),
            })
            .await
            .map_err(|s| describe(&s))?
            .into_inner()
            .loans;
        t.loans += loans.len();
        t.repaid_loans += loans
            .iter()
            .filter(|l| l.status == pb::LoanStatus::Closed as i32)
            .count();
        for l in &loans {
            t.disbursed += parse(&l.principal)?;
        }
    }
    Ok(t)
}

/// A server this process started for the demo on a fresh store.
struct Embedded {
    stop: tokio::sync::oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<Result<(), CliError>>,
}

impl Embedded {
    /// Stops the server and waits until it has shut down.
    async fn stop(self) -> Result<(), CliError> {
        let _ = self.stop.send(());
        self.handle.await?
    }
}

/// The server to load and the token to call it with: --server, or one
/// started here on a fresh --data-dir.
async fn server(args: &DemoArgs) -> Result<(String, String, Option<Embedded>), CliError> {
    match (&args.server, &args.data_dir) {
        (Some(s), None) => {
            let token = resolve_token(args.token_file.as_deref(), s)?;
            Ok((s.clone(), token, None))
        }
        (None, Some(dir)) => {
            if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
                return Err(format!(
                    "{} is not empty: the demo starts on a fresh store",
                    dir.display()
                )
                .into());
            }
            std::fs::create_dir_all(dir)?;
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let (addr, token, handle) = crate::api::start_local(
                dir.clone(),
                &crate::ledger::Options::default(),
                crate::api::ServeOptions::default(),
                async move {
                    let _ = stopped.await;
                },
            )
            .await?;
            let embedded = Embedded { stop, handle };
            Ok((format!("http://{addr}"), token, Some(embedded)))
        }
        _ => Err("name a running server with --server URL or a fresh --data-dir DIR".into()),
    }
}

/// Whether the server is fresh: false when the federation is loaded
/// already; an error when an earlier demo stopped part way.
async fn fresh(c: &Clients, server: &str) -> Result<bool, Failure> {
    let loaded = c
        .federation
        .clone()
        .get_federation(pb::GetFederationRequest {
            federation_id: FEDERATION.into(),
        })
        .await;
    if loaded.is_ok() {
        println!("{FEDERATION} is loaded already on {server}: nothing posted");
        return Ok(false);
    }
    // Its clerks' tokens were issued for that run only: a load that stopped
    // part way cannot be resumed with new ones (another token's request ids).
    let started_before = c
        .funds
        .clone()
        .get_fund(pb::GetFundRequest {
            fund_id: format!("fund-{}", VILLAGES[0]),
        })
        .await;
    if started_before.is_ok() {
        return Err(format!(
            "an earlier demo stopped part way on {server}; load it on a fresh store (--data-dir DIR)"
        ));
    }
    Ok(true)
}

/// What was loaded, read back through the API, and the federation's alerts.
async fn report(
    c: &Clients,
    fund_ids: &[String],
    args: &DemoArgs,
    started: Instant,
) -> Result<(), Failure> {
    let t = totals(c, fund_ids).await?;
    let place = match (&args.server, &args.data_dir) {
        (Some(server), _) => format!("on {server}"),
        (None, dir) => format!("into {}", dir.as_deref().unwrap_or(Path::new("")).display()),
    };
    println!(
        "Zhuyang federation {FEDERATION} loaded in {:.1} s {place}:",
        started.elapsed().as_secs_f64()
    );
    println!("  funds             {}", t.funds);
    println!("  member households {}", t.members);
    println!("  fiscal support    {}", t.fiscal);
    println!("  special support   {}", t.special);
    println!("  member shares     {}", t.shares);
    println!("  capital           {}", t.fiscal + t.special + t.shares);
    println!("  loans disbursed   {} totalling {}", t.loans, t.disbursed);
    println!("  loans repaid      {}", t.repaid_loans);
    println!("  fee income        {}", t.fee_income);
    let d = c
        .federation
        .clone()
        .get_dashboard(pb::GetDashboardRequest {
            federation_id: FEDERATION.into(),
            as_of: String::new(),
            period_from: String::new(),
        })
        .await
        .map_err(|s| describe(&s))?
        .into_inner();
    println!(
        "  federation        placements {}, borrowings {}, relief pool {}, fee income {}",
        d.placements, d.borrowings, d.relief_pool, d.fee_income
    );
    for f in d.funds.iter().filter(|f| !f.alerts.is_empty()) {
        let alerts: Vec<String> = f.alerts.iter().map(|a| alert_text(a, Lang::En)).collect();
        println!("  alert             {}: {}", f.fund_id, alerts.join("; "));
    }
    println!("{}", see_it(args));
    Ok(())
}

/// How to look at what was loaded: on the server named, or by serving the
/// store it was loaded into (whose admin token is in it).
fn see_it(args: &DemoArgs) -> String {
    match (&args.server, &args.data_dir) {
        (Some(server), _) => {
            format!("See it: huzhu ledger trial-balance {FEDERATION} --server {server}")
        }
        (None, dir) => {
            let dir = dir.as_deref().unwrap_or(Path::new("")).display();
            format!(
                "See it: huzhu serve --data-dir {dir}, then in another terminal\n  \
                 huzhu ledger trial-balance {FEDERATION} --token-file {dir}/admin.token"
            )
        }
    }
}

pub async fn run(args: DemoArgs) -> CliResult {
    let started = Instant::now();
    let (server, token, embedded) = server(&args).await?;
    let c = Clients::connect(&server, &token).await?;
    if fresh(&c, &server).await? {
        let fund_ids = load(&c, scenario(args.seed)).await?;
        report(&c, &fund_ids, &args, started).await?;
    }
    if let Some(e) = embedded {
        e.stop().await?;
    }
    Ok(ExitCode::SUCCESS)
}
