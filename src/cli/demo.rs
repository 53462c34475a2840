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
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Days, Months, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use tokio::task::JoinSet;

use super::client::describe;
use super::{CliError, CliResult};
use crate::auth::client::{resolve_token, AuthChannel as Channel, Target};
use crate::pb::{
    self, federation_service_client::FederationServiceClient,
    fund_service_client::FundServiceClient, ledger_service_client::LedgerServiceClient,
    token_service_client::TokenServiceClient, CapitalSource, ContributionBasis, PovertyStatus,
    RepaymentMethod, Till,
};

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

pub const FEDERATION: &str = "fed-zhuyang";
const VILLAGES: [&str; 10] = [
    "dongcun",
    "xicun",
    "nanshan",
    "beipo",
    "hetou",
    "shangyang",
    "xiayang",
    "lijia",
    "wangjia",
    "zhangwan",
];
const HOUSEHOLDS: usize = 905;
const DIBAO: usize = 50;
const WUBAO: usize = 50;
const LOW_INCOME: usize = 300;
/// Member shares: 934,000 in units of 100: every household 10 units, 290 of them 11.
const SHARE_UNITS_EXTRA: usize = 290;
const FISCAL_PER_FUND: &str = "100000";
const SPECIAL_PER_FUND: &str = "110000";
/// Calls in flight per fund.
const WIDTH: usize = 8;

struct House {
    member: String,
    status: PovertyStatus,
    shares: u32,
}

struct LoanPlan {
    id: String,
    member: String,
    principal: u32,
    months: u32,
    date: NaiveDate,
    /// Repaid at maturity with its bullet fee (6% a year).
    repaid: bool,
}

impl LoanPlan {
    /// The bullet fee at 6% a year: principal × 0.005 a month (exact: whole thousands).
    fn fee(&self) -> u32 {
        self.principal / 200 * self.months
    }
}

struct FundPlan {
    id: String,
    houses: Vec<House>,
    loans: Vec<LoanPlan>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar date")
}

/// Amounts that keep their sum: random pairs move `step` from one to another
/// within [min, max].
fn shuffle_amounts(rng: &mut SmallRng, amounts: &mut [u32], step: u32, min: u32, max: u32) {
    for _ in 0..amounts.len() * 2 {
        let (i, j) = (
            rng.random_range(0..amounts.len()),
            rng.random_range(0..amounts.len()),
        );
        if i != j && amounts[i] >= min + step && amounts[j] + step <= max {
            amounts[i] -= step;
            amounts[j] += step;
        }
    }
}

/// The whole scenario, from the seed alone.
fn scenario(seed: u64) -> Vec<FundPlan> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut funds = households(&mut rng);
    let mut troubled = 0;
    for (k, (principal, months, repaid)) in loan_terms(&mut rng).into_iter().enumerate() {
        let f = k % funds.len();
        let n = funds[f].loans.len();
        let member = funds[f].houses[n * 4 % funds[f].houses.len()]
            .member
            .clone();
        // Repaid loans went out in early 2025; nine open ones in June 2025
        // are now overdue; the rest went out in 2026 and are not yet due.
        let date = if repaid {
            day(2025, 2, 3) + Days::new(rng.random_range(0..40))
        } else if troubled < 9 && f.is_multiple_of(3) {
            troubled += 1;
            day(2025, 6, 2)
        } else {
            day(2026, 3, 2) + Days::new(rng.random_range(0..150))
        };
        funds[f].loans.push(LoanPlan {
            id: format!("L{:03}", n + 1),
            member,
            principal,
            months,
            date,
            repaid,
        });
    }
    funds
}

/// The funds with their households, dealt round the villages: who is poor
/// and who holds 11 share units instead of 10 drawn from `rng`.
fn households(rng: &mut SmallRng) -> Vec<FundPlan> {
    let mut statuses: Vec<PovertyStatus> = std::iter::repeat_n(PovertyStatus::Dibao, DIBAO)
        .chain(std::iter::repeat_n(PovertyStatus::Wubao, WUBAO))
        .chain(std::iter::repeat_n(PovertyStatus::LowIncome, LOW_INCOME))
        .chain(std::iter::repeat_n(
            PovertyStatus::None,
            HOUSEHOLDS - DIBAO - WUBAO - LOW_INCOME,
        ))
        .collect();
    statuses.shuffle(rng);
    let mut extra: Vec<bool> = (0..HOUSEHOLDS).map(|i| i < SHARE_UNITS_EXTRA).collect();
    extra.shuffle(rng);
    let mut funds: Vec<FundPlan> = VILLAGES
        .iter()
        .map(|v| FundPlan {
            id: format!("fund-{v}"),
            houses: Vec::new(),
            loans: Vec::new(),
        })
        .collect();
    for (i, (status, extra)) in statuses.into_iter().zip(extra).enumerate() {
        let f = i % funds.len();
        let member = format!("M{:03}", funds[f].houses.len() + 1);
        funds[f].houses.push(House {
            member,
            status,
            shares: if extra { 11 } else { 10 },
        });
    }
    funds
}

/// Every loan's (principal, months, repaid), in the order they are dealt.
fn loan_terms(rng: &mut SmallRng) -> Vec<(u32, u32, bool)> {
    // 56 repaid: 24 × 7,000 and 12 × 6,000 over 3 months (fee 1.5%: 3,600),
    // 20 × 7,000 over 4 months (fee 2%: 2,800); 380,000 and 6,400 of fees.
    let mut three: Vec<u32> = [vec![7_000; 24], vec![6_000; 12]].concat();
    let mut four = vec![7_000; 20];
    shuffle_amounts(rng, &mut three, 1_000, 3_000, 10_000);
    shuffle_amounts(rng, &mut four, 1_000, 3_000, 10_000);
    // 155 open: 2,229,000 = 155 × 14,000 + 59 × 1,000; 12 months bullet.
    let mut open: Vec<u32> = (0..155)
        .map(|i| if i < 59 { 15_000 } else { 14_000 })
        .collect();
    shuffle_amounts(rng, &mut open, 1_000, 8_000, 20_000);
    let mut plans: Vec<(u32, u32, bool)> = three
        .into_iter()
        .map(|p| (p, 3, true))
        .chain(four.into_iter().map(|p| (p, 4, true)))
        .chain(open.into_iter().map(|p| (p, 12, false)))
        .collect();
    plans.shuffle(rng);
    plans
}

/// Yuan in a fund's bank once its loans are out: capital and shares, less
/// the loans still open, plus the fees of those repaid.
fn cash_left(p: &FundPlan) -> i64 {
    let capital: i64 = [FISCAL_PER_FUND, SPECIAL_PER_FUND]
        .iter()
        .map(|a| a.parse::<i64>().expect("a whole amount"))
        .sum();
    let shares: i64 = p.houses.iter().map(|h| i64::from(h.shares) * 100).sum();
    let loans: i64 = p
        .loans
        .iter()
        .map(|l| {
            if l.repaid {
                i64::from(l.fee())
            } else {
                -i64::from(l.principal)
            }
        })
        .sum();
    capital + shares + loans
}

/// One channel (the caller's token), its clients, and where to connect
/// with the tokens the demo issues.
#[derive(Clone)]
struct Clients {
    funds: FundServiceClient<Channel>,
    federation: FederationServiceClient<Channel>,
    ledger: LedgerServiceClient<Channel>,
    tokens: TokenServiceClient<Channel>,
    target: Target,
    run: u128,
}

impl Clients {
    /// A fund client as that fund's clerk, with a token issued for this run.
    async fn clerk(&self, fund: &str) -> Result<FundServiceClient<Channel>, Failure> {
        let issued = self
            .tokens
            .clone()
            .issue_token(pb::IssueTokenRequest {
                request_id: format!("demo-{}-{fund}-clerk", self.run),
                role: pb::Role::FundClerk as i32,
                scope: format!("fund:{fund}"),
                label: format!("demo clerk of {fund}"),
            })
            .await
            .map_err(|s| describe(&s))?
            .into_inner();
        Ok(FundServiceClient::new(
            self.target.connect(&issued.bearer).await?,
        ))
    }
}

type Failure = String;

/// Runs `f` on every item with at most `width` calls in flight.
async fn each<T, F, Fut>(items: Vec<T>, width: usize, f: F) -> Result<(), Failure>
where
    T: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<(), Failure>> + Send + 'static,
{
    let mut set = JoinSet::new();
    for item in items {
        if set.len() >= width {
            set.join_next()
                .await
                .expect("a task")
                .map_err(|e| e.to_string())??;
        }
        set.spawn(f(item));
    }
    while let Some(done) = set.join_next().await {
        done.map_err(|e| e.to_string())??;
    }
    Ok(())
}

/// Counts a call on the bar; a refusal becomes the demo's failure.
fn tick<T>(r: Result<tonic::Response<T>, tonic::Status>, bar: &ProgressBar) -> Result<(), Failure> {
    bar.inc(1);
    r.map(|_| ()).map_err(|s| describe(&s))
}

fn rid(fund: &str, op: &str, id: &str) -> String {
    format!("demo-{fund}-{op}-{id}")
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// One fund: created with its rules, capital, households and their shares,
/// then its loans (and the repayments of those repaid).
async fn load_fund(c: Clients, plan: FundPlan, bar: ProgressBar) -> Result<(), Failure> {
    let fund = Arc::new(plan.id.clone());
    create_fund(&c, &plan.id, &bar).await?;
    let clerk = c.clerk(&fund).await?;
    add_capital(&c, &fund, &bar).await?;
    join(&c, &fund, plan.houses, &bar).await?;
    // The loans repaid in 2025 first, so their cash is back before the rest go out.
    let (repaid, open): (Vec<LoanPlan>, Vec<LoanPlan>) =
        plan.loans.into_iter().partition(|l| l.repaid);
    for loans in [repaid, open] {
        lend(&c, &clerk, &fund, loans, &bar).await?;
    }
    Ok(())
}

/// The fund's book and its rules: loans up to 20,000 at 6% a year, the
/// board's approval above 10,000.
async fn create_fund(c: &Clients, fund: &str, bar: &ProgressBar) -> Result<(), Failure> {
    let created = c
        .funds
        .clone()
        .create_fund(pb::CreateFundRequest {
            request_id: rid(fund, "create", ""),
            fund_id: fund.to_string(),
            name: format!("{} village mutual-aid fund", fund[5..].to_uppercase()),
            rules: Some(pb::FundRules {
                first_loan_max: "20000".into(),
                loan_max: "20000".into(),
                board_approval_above: "10000".into(),
                fee_rate_annual: "0.06".into(),
                ..Default::default()
            }),
        })
        .await;
    tick(created, bar)
}

/// The fiscal and the special seed capital, into the bank.
async fn add_capital(c: &Clients, fund: &str, bar: &ProgressBar) -> Result<(), Failure> {
    let mut funds = c.funds.clone();
    for (source, amount, tag) in [
        (CapitalSource::Fiscal, FISCAL_PER_FUND, "fiscal"),
        (CapitalSource::SpecialSupport, SPECIAL_PER_FUND, "special"),
    ] {
        let added = funds
            .add_capital(pb::AddCapitalRequest {
                request_id: rid(fund, "capital", tag),
                fund_id: fund.to_string(),
                source: source as i32,
                amount: amount.into(),
                till: Till::Bank as i32,
                value_date: "2025-01-06".into(),
            })
            .await;
        tick(added, bar)?;
    }
    Ok(())
}

/// Each household joins and buys its shares.
async fn join(
    c: &Clients,
    fund: &Arc<String>,
    houses: Vec<House>,
    bar: &ProgressBar,
) -> Result<(), Failure> {
    each(houses, WIDTH, |h| {
        let (mut funds, fund, bar) = (c.funds.clone(), fund.clone(), bar.clone());
        async move {
            let joined = funds
                .join_member(pb::JoinMemberRequest {
                    request_id: rid(&fund, "join", &h.member),
                    fund_id: fund.to_string(),
                    member_id: h.member.clone(),
                    household_id: format!("H-{}", h.member),
                    name: format!("Household {}", h.member),
                    birth_date: "1972-05-01".into(),
                    resident: true,
                    status: h.status as i32,
                    risk_cause: String::new(),
                    date: "2025-01-10".into(),
                })
                .await;
            tick(joined, &bar)?;
            let bought = funds
                .buy_shares(pb::BuySharesRequest {
                    request_id: rid(&fund, "shares", &h.member),
                    fund_id: fund.to_string(),
                    member_id: h.member,
                    amount: (h.shares * 100).to_string(),
                    till: Till::Bank as i32,
                    value_date: "2025-01-15".into(),
                })
                .await;
            tick(bought, &bar)
        }
    })
    .await
}

/// Applies for, approves and disburses each loan, and repays those repaid.
async fn lend(
    c: &Clients,
    clerk: &FundServiceClient<Channel>,
    fund: &Arc<String>,
    loans: Vec<LoanPlan>,
    bar: &ProgressBar,
) -> Result<(), Failure> {
    each(loans, WIDTH, |l| {
        let (mut funds, mut clerk) = (c.funds.clone(), clerk.clone());
        let (fund, bar) = (fund.clone(), bar.clone());
        async move {
            let on = date(l.date);
            let applied = clerk
                .apply_loan(pb::ApplyLoanRequest {
                    request_id: rid(&fund, "apply", &l.id),
                    fund_id: fund.to_string(),
                    loan_id: l.id.clone(),
                    member_id: l.member.clone(),
                    principal: l.principal.to_string(),
                    term_months: l.months,
                    method: RepaymentMethod::Bullet as i32,
                    purpose: "livestock and seed".into(),
                    date: on.clone(),
                })
                .await;
            tick(applied, &bar)?;
            let approved = funds
                .approve_loan(pb::ApproveLoanRequest {
                    request_id: rid(&fund, "approve", &l.id),
                    fund_id: fund.to_string(),
                    loan_id: l.id.clone(),
                    board_approved: l.principal > 10_000,
                    date: on.clone(),
                })
                .await;
            tick(approved, &bar)?;
            let paid_out = funds
                .disburse_loan(pb::DisburseLoanRequest {
                    request_id: rid(&fund, "disburse", &l.id),
                    fund_id: fund.to_string(),
                    loan_id: l.id.clone(),
                    till: Till::Bank as i32,
                    date: on,
                })
                .await;
            tick(paid_out, &bar)?;
            if l.repaid {
                let fee = l.fee();
                let due = l.date + Months::new(l.months);
                let repaid = funds
                    .repay_loan(pb::RepayLoanRequest {
                        request_id: rid(&fund, "repay", &l.id),
                        fund_id: fund.to_string(),
                        loan_id: l.id,
                        amount: (l.principal + fee).to_string(),
                        till: Till::Bank as i32,
                        date: date(due),
                    })
                    .await;
                tick(repaid, &bar)?;
            }
            Ok(())
        }
    })
    .await
}

/// The federation: created, every fund admitted, its board elected,
/// balancing between funds with a partial repayment, and the relief pool.
async fn load_federation(
    mut f: FederationServiceClient<Channel>,
    funds: &[String],
    [surplus_a, surplus_b, deficit]: &[String; 3],
    bar: &ProgressBar,
) -> Result<(), Failure> {
    let fail = |s: tonic::Status| describe(&s);
    let step = |bar: &ProgressBar| bar.inc(1);
    f.create_federation(pb::CreateFederationRequest {
        request_id: rid(FEDERATION, "create", ""),
        federation_id: FEDERATION.into(),
        name: "Zhuyang township federation of mutual-aid funds".into(),
        rules: None,
    })
    .await
    .map_err(fail)?;
    step(bar);
    for fund in funds {
        f.admit_fund(pb::FundMembershipRequest {
            request_id: rid(FEDERATION, "admit", fund),
            federation_id: FEDERATION.into(),
            fund_id: fund.clone(),
            date: "2025-01-20".into(),
        })
        .await
        .map_err(fail)?;
        step(bar);
    }
    let officer = |name: &str, fund: &String| pb::Officer {
        name: name.into(),
        fund_id: fund.clone(),
        township_official: false,
    };
    f.elect_board(pb::ElectBoardRequest {
        request_id: rid(FEDERATION, "elect", "2025"),
        federation_id: FEDERATION.into(),
        chair: Some(officer("Ye Jianguo", &funds[0])),
        directors: vec![
            officer("Mao Xiulan", &funds[1]),
            officer("Zhou Defu", &funds[2]),
            officer("Wu Chunhua", &funds[3]),
            officer("Jiang Shuiping", &funds[4]),
        ],
        supervisors: vec![
            officer("Xu Laifa", &funds[5]),
            officer("Chen Yuying", &funds[6]),
            officer("Lan Qiming", &funds[7]),
        ],
        date: "2025-01-20".into(),
    })
    .await
    .map_err(fail)?;
    step(bar);
    let place = |id: &str, fund: &String, amount: &str, on: &str| pb::PlaceRequest {
        request_id: rid(FEDERATION, "place", id),
        federation_id: FEDERATION.into(),
        placement_id: id.into(),
        fund_id: fund.clone(),
        amount: amount.into(),
        value_date: on.into(),
    };
    for (id, fund) in [("P-2025-01", surplus_a), ("P-2025-02", surplus_b)] {
        f.place_with_federation(place(id, fund, "40000", "2025-07-01"))
            .await
            .map_err(fail)?;
        step(bar);
    }
    f.lend_to_fund(place("B-2025-01", deficit, "60000", "2025-07-02"))
        .await
        .map_err(fail)?;
    step(bar);
    f.repay_placement(pb::RepayPlacementRequest {
        request_id: rid(FEDERATION, "repay", "B-2025-01-1"),
        federation_id: FEDERATION.into(),
        placement_id: "B-2025-01".into(),
        principal: "20000".into(),
        value_date: "2025-12-31".into(),
    })
    .await
    .map_err(fail)?;
    step(bar);
    for fund in funds {
        for (tag, basis, amount, share) in [
            ("fixed", ContributionBasis::Fixed, "2000", ""),
            ("fees", ContributionBasis::FeeShare, "", "0.05"),
        ] {
            f.contribute_relief(pb::ContributeReliefRequest {
                request_id: rid(FEDERATION, "relief", &format!("{fund}-{tag}")),
                federation_id: FEDERATION.into(),
                contribution_id: format!("{fund}-2025-{tag}"),
                fund_id: fund.clone(),
                basis: basis as i32,
                amount: amount.into(),
                share: share.into(),
                value_date: "2025-12-31".into(),
            })
            .await
            .map_err(fail)?;
            step(bar);
        }
    }
    Ok(())
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

impl Clients {
    /// The clients of one channel to `server` with the caller's token.
    async fn connect(server: &str, token: &str) -> Result<Self, CliError> {
        let target = Target::plain(server.to_string());
        let channel = target.connect(token).await?;
        Ok(Clients {
            funds: FundServiceClient::new(channel.clone()),
            federation: FederationServiceClient::new(channel.clone()),
            ledger: LedgerServiceClient::new(channel.clone()),
            tokens: TokenServiceClient::new(channel),
            target,
            run: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_nanos(),
        })
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

/// Balancing: the two funds with the most cash left place with the
/// federation, which places with the fund with the least.
fn balancing(plans: &[FundPlan]) -> [String; 3] {
    let mut by_cash: Vec<(i64, String)> =
        plans.iter().map(|p| (cash_left(p), p.id.clone())).collect();
    by_cash.sort();
    [
        by_cash[by_cash.len() - 1].1.clone(),
        by_cash[by_cash.len() - 2].1.clone(),
        by_cash[0].1.clone(),
    ]
}

/// Every call the load makes: per fund its creation, capital and each
/// household's two, each loan's three or four; then the federation's.
fn calls(plans: &[FundPlan]) -> usize {
    plans
        .iter()
        .map(|p| {
            3 + 2 * p.houses.len()
                + p.loans
                    .iter()
                    .map(|l| 3 + usize::from(l.repaid))
                    .sum::<usize>()
        })
        .sum::<usize>()
        + 1
        + 3 * plans.len()
        + 5
}

/// Loads the funds concurrently, then the federation; answers the funds' ids.
async fn load(c: &Clients, plans: Vec<FundPlan>) -> Result<Vec<String>, CliError> {
    let fund_ids: Vec<String> = plans.iter().map(|p| p.id.clone()).collect();
    let balancing = balancing(&plans);
    let bar = ProgressBar::new(calls(&plans) as u64);
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} calls {msg}")?
            .progress_chars("=> "),
    );
    bar.set_message("funds, households, shares, loans");
    let mut set = JoinSet::new();
    for plan in plans {
        set.spawn(load_fund(c.clone(), plan, bar.clone()));
    }
    while let Some(done) = set.join_next().await {
        done??;
    }
    bar.set_message("federation");
    load_federation(c.federation.clone(), &fund_ids, &balancing, &bar).await?;
    bar.finish_and_clear();
    Ok(fund_ids)
}

/// What was loaded, read back through the API, and the federation's alerts.
async fn report(
    c: &Clients,
    fund_ids: &[String],
    server: &str,
    started: Instant,
) -> Result<(), Failure> {
    let t = totals(c, fund_ids).await?;
    println!(
        "Zhuyang federation {FEDERATION} loaded in {:.1} s on {server}:",
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
        })
        .await
        .map_err(|s| describe(&s))?
        .into_inner();
    println!(
        "  federation        placements {}, borrowings {}, relief pool {}, fee income {}",
        d.placements, d.borrowings, d.relief_pool, d.fee_income
    );
    for f in d.funds.iter().filter(|f| !f.alerts.is_empty()) {
        println!("  alert             {}: {}", f.fund_id, f.alerts.join("; "));
    }
    println!("See it: huzhu ledger trial-balance {FEDERATION} --server {server}");
    Ok(())
}

pub async fn run(args: DemoArgs) -> CliResult {
    let started = Instant::now();
    let (server, token, embedded) = server(&args).await?;
    let c = Clients::connect(&server, &token).await?;
    if fresh(&c, &server).await? {
        let fund_ids = load(&c, scenario(args.seed)).await?;
        report(&c, &fund_ids, &server, started).await?;
    }
    if let Some(e) = embedded {
        e.stop().await?;
    }
    Ok(ExitCode::SUCCESS)
}
