//! `huzhu bench --workload county`: a county's business through the gRPC
//! API, at several sizes, each on a fresh server of its own.
//!
//! For F funds of N members: a federation of the F funds (created, capital,
//! admitted, as the demo does), then one phase per kind of call, each over
//! every member of every fund with `--clients` calls in flight so that the
//! writer's group commit is exercised: join, buy shares, apply (the fund's
//! clerk), approve, disburse (the admin), then `--days` day-ends of every
//! fund one date after another, one repayment per loan, and the federation's
//! dashboard read `--dashboard-runs` times. Each phase is timed and its
//! server CPU read from /proc (measure.rs).
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};

use super::measure::{self, Phase, Server};
use super::BenchArgs;
use crate::auth::client::{AuthChannel as Channel, Target};
use crate::cli::client::describe;
use crate::cli::demo::load::{add_capital, create_fund, date, each, rid, tick, Clients};
use crate::cli::CliError;
use crate::pb::{
    self, extract_service_client::ExtractServiceClient, fund_service_client::FundServiceClient,
    PovertyStatus, RepaymentMethod, Till,
};

/// Limits of a size: funds in the county, members in a fund.
const MAX_FUNDS: usize = 999;
const MAX_MEMBERS: usize = 99_999;
/// Day-ends one run may ask for (all on dates before today).
pub const MAX_DAYS: i64 = 366;
const FEDERATION: &str = "fed-county";
/// Every member buys 10 share units of 100 and borrows 1,000 over 12
/// months in equal installments (the fund's fee, 6% a year, accrues daily):
/// the shares and the seed capital cover every loan.
const SHARES_YUAN: &str = "1000";
const PRINCIPAL_YUAN: &str = "1000";
const TERM_MONTHS: u32 = 12;
/// What each loan repays in the repayment round (principal paid early).
const REPAID_YUAN: &str = "100";
/// Business dates, after the seed capital the demo's `add_capital` books
/// (2025-01-06); day-ends run on the days after the loans go out.
const JOINED: &str = "2025-01-10";
const SHARES_BOUGHT: &str = "2025-01-15";
const ADMITTED: &str = "2025-01-20";

fn lent_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 2, 3).expect("a calendar date")
}

/// A county's size: F funds of N members each.
#[derive(Clone, Copy)]
pub struct Size {
    pub funds: usize,
    pub members: usize,
}

impl FromStr for Size {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?} is not FxN (funds x members per fund, e.g. 5x500)");
        let (f, n) = s.split_once(['x', 'X']).ok_or_else(bad)?;
        let (funds, members) = (
            f.trim().parse::<usize>().map_err(|_| bad())?,
            n.trim().parse::<usize>().map_err(|_| bad())?,
        );
        if !(1..=MAX_FUNDS).contains(&funds) || !(1..=MAX_MEMBERS).contains(&members) {
            return Err(format!(
                "{s:?}: 1 to {MAX_FUNDS} funds of 1 to {MAX_MEMBERS} members each"
            ));
        }
        Ok(Size { funds, members })
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.funds, self.members)
    }
}

/// The calls made once per member of every fund, in the order they run.
#[derive(Clone, Copy)]
pub enum Kind {
    Join,
    BuyShares,
    Apply,
    Approve,
    Disburse,
    Repay,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Join => "join",
            Kind::BuyShares => "buy shares",
            Kind::Apply => "apply",
            Kind::Approve => "approve",
            Kind::Disburse => "disburse",
            Kind::Repay => "repay",
        }
    }
}

/// The day-ends: every fund's, date after date.
pub struct DayEnds {
    pub phase: Phase,
    /// Mean time of one fund's day-end call.
    pub mean_call: Duration,
    /// Loans accrued, as the day-ends answered.
    pub accruals: u64,
}

/// What one size measured.
pub struct Outcome {
    pub size: Size,
    pub calls: Vec<(Kind, Phase)>,
    pub day_ends: DayEnds,
    /// Dashboard latencies, shortest first.
    pub dashboard: Vec<Duration>,
    pub entries: u64,
    pub store_bytes: u64,
    pub rss_kib: u64,
    pub hwm_kib: u64,
    pub wall: Duration,
}

/// A fund of the county and its clerk, who takes the applications.
struct Fund {
    id: String,
    clerk: FundServiceClient<Channel>,
}

/// One size's county on its server.
struct County {
    c: Clients,
    funds: Vec<Arc<Fund>>,
    size: Size,
    width: usize,
    pid: u32,
}

/// Every size of `args`, each on its own server, in order.
pub async fn run(args: &BenchArgs) -> Result<Vec<Outcome>, CliError> {
    let last = lent_on() + Days::new(args.days.into());
    let today = crate::domain::dates::business_today();
    if last > today {
        return Err(format!(
            "--days {} runs the day-ends through {last}, after today ({today})",
            args.days
        )
        .into());
    }
    let mut outcomes = Vec::new();
    for size in &args.sizes {
        outcomes.push(run_size(*size, args).await?);
    }
    Ok(outcomes)
}

/// One size on a fresh server, stopped at the end to weigh the store.
async fn run_size(size: Size, args: &BenchArgs) -> Result<Outcome, CliError> {
    let started = Instant::now();
    let server = Server::start(args.compression).await?;
    eprintln!(
        "{size}: server {} (pid {}); founding {} funds and {FEDERATION}…",
        server.url,
        server.pid(),
        size.funds
    );
    let c = Clients::connect(&server.url, &server.token).await?;
    let county = County {
        funds: found(&c, size).await?,
        c,
        size,
        width: args.clients.max(1),
        pid: server.pid(),
    };
    let last = lent_on() + Days::new(args.days.into());
    let mut calls = county.lend().await?;
    let day_ends = county.day_ends(args.days).await?;
    calls.push((Kind::Repay, county.repay(last).await?));
    let dashboard = county.dashboards(args.dashboard_runs, &date(last)).await?;
    let entries = chain_head(&server).await?;
    let (rss_kib, hwm_kib) = measure::memory_kib(server.pid())?;
    drop(county);
    eprintln!("{size}: stopping the server to weigh its store…");
    let store_bytes = server.stop().await?;
    eprintln!("{size}: done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(Outcome {
        size,
        calls,
        day_ends,
        dashboard,
        entries,
        store_bytes,
        rss_kib,
        hwm_kib,
        wall: started.elapsed(),
    })
}

/// The federation and its funds: each created with its rules and seed
/// capital (the demo's), admitted, and given a clerk.
async fn found(c: &Clients, size: Size) -> Result<Vec<Arc<Fund>>, CliError> {
    let mut federation = c.federation.clone();
    federation
        .create_federation(pb::CreateFederationRequest {
            request_id: rid(FEDERATION, "create", ""),
            federation_id: FEDERATION.into(),
            name: "County benchmark federation".into(),
            rules: None,
        })
        .await
        .map_err(|s| describe(&s))?;
    let quiet = ProgressBar::hidden();
    let mut funds = Vec::with_capacity(size.funds);
    for f in 1..=size.funds {
        let id = format!("fund-c{f:03}");
        create_fund(c, &id, &quiet).await?;
        add_capital(c, &id, &quiet).await?;
        let admitted = federation
            .admit_fund(pb::FundMembershipRequest {
                request_id: rid(FEDERATION, "admit", &id),
                federation_id: FEDERATION.into(),
                fund_id: id.clone(),
                date: ADMITTED.into(),
            })
            .await;
        tick(admitted, &quiet)?;
        let clerk = c.clerk(&id).await?;
        funds.push(Arc::new(Fund { id, clerk }));
    }
    Ok(funds)
}

/// A bar on stderr for a phase of `len` calls (hidden when stderr is not a
/// terminal), after a line that says what runs.
fn bar(size: Size, what: &str, len: u64, width: usize) -> Result<ProgressBar, CliError> {
    eprintln!("{size}: {what}: {len} calls, {width} in flight…");
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} {msg}")?
            .progress_chars("=> "),
    );
    bar.set_message(format!("{size} {what}"));
    Ok(bar)
}

fn member(m: usize) -> String {
    format!("M{m:05}")
}

fn loan(m: usize) -> String {
    format!("L{m:05}")
}

/// Who joins: a poverty mix like Zhuyang's (DOMAIN.md §1), 45% poor.
fn status(m: usize) -> PovertyStatus {
    match m % 20 {
        0 => PovertyStatus::Dibao,
        1 => PovertyStatus::Wubao,
        2..=8 => PovertyStatus::LowIncome,
        _ => PovertyStatus::None,
    }
}

impl County {
    /// Runs `call` for every member of every fund (members in turn across
    /// the funds, so that all funds work at once), `width` at a time.
    async fn per_member<T, F, Fut>(&self, kind: Kind, call: F) -> Result<Phase, CliError>
    where
        T: Send + 'static,
        F: Fn(&Fund, usize) -> Fut,
        Fut: std::future::Future<Output = Result<tonic::Response<T>, tonic::Status>>
            + Send
            + 'static,
    {
        let items: Vec<(Arc<Fund>, usize)> = (0..self.size.members)
            .flat_map(|m| self.funds.iter().map(move |f| (f.clone(), m)))
            .collect();
        let n = items.len() as u64;
        let bar = bar(self.size, kind.label(), n, self.width)?;
        let work = each(items, self.width, |(fund, m)| {
            let (answer, bar) = (call(&fund, m), bar.clone());
            async move { tick(answer.await, &bar) }
        });
        let phase = measure::phase(self.pid, async { work.await.map(|()| n) }).await?;
        bar.finish_and_clear();
        Ok(phase)
    }

    /// Join, buy shares, apply, approve, disburse: one call per member each,
    /// kind after kind.
    async fn lend(&self) -> Result<Vec<(Kind, Phase)>, CliError> {
        Ok(vec![
            (Kind::Join, self.join().await?),
            (Kind::BuyShares, self.buy_shares().await?),
            (Kind::Apply, self.apply().await?),
            (Kind::Approve, self.approve().await?),
            (Kind::Disburse, self.disburse().await?),
        ])
    }

    async fn join(&self) -> Result<Phase, CliError> {
        let admin = self.c.funds.clone();
        self.per_member(Kind::Join, |f, m| {
            let mut funds = admin.clone();
            let request = pb::JoinMemberRequest {
                request_id: rid(&f.id, "join", &member(m)),
                fund_id: f.id.clone(),
                member_id: member(m),
                household_id: format!("H-{}", member(m)),
                name: format!("Household {}", member(m)),
                birth_date: "1972-05-01".into(),
                resident: true,
                status: status(m) as i32,
                risk_cause: String::new(),
                date: JOINED.into(),
                flags: Vec::new(),
                cause: 0,
            };
            async move { funds.join_member(request).await }
        })
        .await
    }

    async fn buy_shares(&self) -> Result<Phase, CliError> {
        let admin = self.c.funds.clone();
        self.per_member(Kind::BuyShares, |f, m| {
            let mut funds = admin.clone();
            let request = pb::BuySharesRequest {
                request_id: rid(&f.id, "shares", &member(m)),
                fund_id: f.id.clone(),
                member_id: member(m),
                amount: SHARES_YUAN.into(),
                till: Till::Bank as i32,
                value_date: SHARES_BOUGHT.into(),
            };
            async move { funds.buy_shares(request).await }
        })
        .await
    }

    /// Applications, taken by each fund's clerk.
    async fn apply(&self) -> Result<Phase, CliError> {
        self.per_member(Kind::Apply, |f, m| {
            let mut clerk = f.clerk.clone();
            let request = pb::ApplyLoanRequest {
                request_id: rid(&f.id, "apply", &loan(m)),
                fund_id: f.id.clone(),
                loan_id: loan(m),
                member_id: member(m),
                principal: PRINCIPAL_YUAN.into(),
                term_months: TERM_MONTHS,
                method: RepaymentMethod::EqualInstallments as i32,
                purpose: "seed and fertilizer".into(),
                purpose_category: pb::PurposeCategory::Livestock as i32,
                business: String::new(),
                date: date(lent_on()),
            };
            async move { clerk.apply_loan(request).await }
        })
        .await
    }

    /// Approvals by the admin: another token than the clerk who applied.
    async fn approve(&self) -> Result<Phase, CliError> {
        let admin = self.c.funds.clone();
        self.per_member(Kind::Approve, |f, m| {
            let mut funds = admin.clone();
            let request = pb::ApproveLoanRequest {
                request_id: rid(&f.id, "approve", &loan(m)),
                fund_id: f.id.clone(),
                loan_id: loan(m),
                board_approved: false,
                date: date(lent_on()),
            };
            async move { funds.approve_loan(request).await }
        })
        .await
    }

    async fn disburse(&self) -> Result<Phase, CliError> {
        let admin = self.c.funds.clone();
        self.per_member(Kind::Disburse, |f, m| {
            let mut funds = admin.clone();
            let request = pb::DisburseLoanRequest {
                request_id: rid(&f.id, "disburse", &loan(m)),
                fund_id: f.id.clone(),
                loan_id: loan(m),
                till: Till::Bank as i32,
                date: date(lent_on()),
            };
            async move { funds.disburse_loan(request).await }
        })
        .await
    }

    /// Every loan repays the same amount on the day of the last day-end.
    async fn repay(&self, on: NaiveDate) -> Result<Phase, CliError> {
        let admin = self.c.funds.clone();
        self.per_member(Kind::Repay, |f, m| {
            let mut funds = admin.clone();
            let request = pb::RepayLoanRequest {
                request_id: rid(&f.id, "repay", &loan(m)),
                fund_id: f.id.clone(),
                loan_id: loan(m),
                amount: REPAID_YUAN.into(),
                till: Till::Bank as i32,
                date: date(on),
            };
            async move { funds.repay_loan(request).await }
        })
        .await
    }

    /// `days` day-ends of every fund, on the days after the loans went
    /// out: all funds on one date, then the next date.
    async fn day_ends(&self, days: u32) -> Result<DayEnds, CliError> {
        let n = u64::from(days) * self.funds.len() as u64;
        let bar = bar(self.size, "day-end", n, self.width)?;
        let (accrued, call_us) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let work = async {
            for d in 1..=days {
                let on = date(lent_on() + Days::new(d.into()));
                bar.set_message(format!("{} day-end {on} ({d}/{days})", self.size));
                each(self.funds.clone(), self.width, |f| {
                    let (mut funds, bar) = (self.c.funds.clone(), bar.clone());
                    let (accrued, call_us, on) = (accrued.clone(), call_us.clone(), on.clone());
                    async move {
                        let began = Instant::now();
                        let done = funds
                            .run_day_end(pb::RunDayEndRequest {
                                request_id: rid(&f.id, "day-end", &on),
                                fund_id: f.id.clone(),
                                date: on,
                            })
                            .await
                            .map_err(|s| describe(&s))?;
                        call_us.fetch_add(began.elapsed().as_micros() as u64, Ordering::Relaxed);
                        let loans = done.into_inner().loans_accrued;
                        accrued.fetch_add(loans.into(), Ordering::Relaxed);
                        bar.inc(1);
                        Ok(())
                    }
                })
                .await?;
            }
            Ok::<_, CliError>(n)
        };
        let phase = measure::phase(self.pid, work).await?;
        bar.finish_and_clear();
        Ok(DayEnds {
            phase,
            mean_call: Duration::from_micros(call_us.load(Ordering::Relaxed) / n.max(1)),
            accruals: accrued.load(Ordering::Relaxed),
        })
    }

    /// The federation's dashboard, `runs` times one after another; the
    /// latencies, shortest first.
    async fn dashboards(&self, runs: u32, as_of: &str) -> Result<Vec<Duration>, CliError> {
        eprintln!("{}: dashboard of {FEDERATION}, {runs} runs…", self.size);
        let mut federation = self.c.federation.clone();
        let mut took = Vec::with_capacity(runs as usize);
        for _ in 0..runs {
            let began = Instant::now();
            federation
                .get_dashboard(pb::GetDashboardRequest {
                    federation_id: FEDERATION.into(),
                    as_of: as_of.into(),
                    period_from: String::new(),
                })
                .await
                .map_err(|s| describe(&s))?;
            took.push(began.elapsed());
        }
        took.sort();
        Ok(took)
    }
}

/// The journal's entries: its head's sequence number (gap-free from 1).
async fn chain_head(server: &Server) -> Result<u64, CliError> {
    let channel = Target::plain(server.url.clone())
        .connect(&server.token)
        .await?;
    let head = ExtractServiceClient::new(channel)
        .get_chain_head(pb::GetChainHeadRequest {})
        .await
        .map_err(|s| describe(&s))?;
    Ok(head.into_inner().seq)
}
