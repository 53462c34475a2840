//! Loading the scenario through the gRPC API: each fund with its capital,
//! households, shares and loans (applications by the fund's clerk, approvals
//! by the caller), then the federation.
use std::sync::Arc;

use chrono::{Months, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::task::JoinSet;

use super::scenario::{
    balancing, calls, FundPlan, House, LoanPlan, FEDERATION, FISCAL_PER_FUND, SPECIAL_PER_FUND,
};
use crate::auth::client::{AuthChannel as Channel, Target};
use crate::cli::client::describe;
use crate::cli::CliError;
use crate::pb::{
    self, federation_service_client::FederationServiceClient,
    fund_service_client::FundServiceClient, ledger_service_client::LedgerServiceClient,
    token_service_client::TokenServiceClient, CapitalSource, ContributionBasis, RepaymentMethod,
    Till,
};

/// Calls in flight per fund.
const WIDTH: usize = 8;

/// One channel (the caller's token), its clients, and where to connect
/// with the tokens the demo issues.
#[derive(Clone)]
pub struct Clients {
    pub funds: FundServiceClient<Channel>,
    pub federation: FederationServiceClient<Channel>,
    pub ledger: LedgerServiceClient<Channel>,
    tokens: TokenServiceClient<Channel>,
    target: Target,
    run: u128,
}

impl Clients {
    /// The clients of one channel to `server` with the caller's token.
    pub async fn connect(server: &str, token: &str) -> Result<Self, CliError> {
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

    /// A fund client as that fund's clerk, with a token issued for this run.
    pub(crate) async fn clerk(&self, fund: &str) -> Result<FundServiceClient<Channel>, Failure> {
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

pub type Failure = String;

/// Loads the funds concurrently, then the federation; answers the funds' ids.
pub async fn load(c: &Clients, plans: Vec<FundPlan>) -> Result<Vec<String>, CliError> {
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

/// Runs `f` on every item with at most `width` calls in flight.
pub(crate) async fn each<T, F, Fut>(items: Vec<T>, width: usize, f: F) -> Result<(), Failure>
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
pub(crate) fn tick<T>(
    r: Result<tonic::Response<T>, tonic::Status>,
    bar: &ProgressBar,
) -> Result<(), Failure> {
    bar.inc(1);
    r.map(|_| ()).map_err(|s| describe(&s))
}

pub(crate) fn rid(fund: &str, op: &str, id: &str) -> String {
    format!("demo-{fund}-{op}-{id}")
}

pub(crate) fn date(d: NaiveDate) -> String {
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
pub(crate) async fn create_fund(c: &Clients, fund: &str, bar: &ProgressBar) -> Result<(), Failure> {
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
pub(crate) async fn add_capital(c: &Clients, fund: &str, bar: &ProgressBar) -> Result<(), Failure> {
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
                    flags: Vec::new(),
                    cause: 0,
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
                    purpose_category: pb::PurposeCategory::Livestock as i32,
                    business: String::new(),
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
