//! Township federations (DOMAIN.md §6): the rules of balancing surplus and
//! deficit between member funds (余缺调剂), of the risk-relief pool, of the
//! elected board, and the supervision ratios computed from a fund's books.
//!
//! Pure: the API hands in balances and records, this module answers with
//! amounts (rounded here, through `money`), refusals with a named rule, or ratios.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dates::past_due_more_than;
use super::daycount::DayCount;
use super::money::{round_ratio, round_to_fen};

mod fees;
pub mod recipe;

pub use fees::{accrue_fee, fee, repay, Accrual, PlacementPaid};

/// Names of the rules a federation operation can break.
pub mod rule {
    pub const ONE_FEDERATION_PER_FUND: &str = "one_federation_per_fund";
    pub const MEMBER_FUND: &str = "member_fund_of_federation";
    pub const NO_OPEN_PLACEMENTS: &str = "remove_without_open_placements";
    pub const PLACEMENT_LIMIT: &str = "placement_limit";
    pub const REPAY_WITHIN_OUTSTANDING: &str = "repay_within_outstanding";
    pub const REPAY_NOT_BEFORE_PLACEMENT: &str = "repay_not_before_placement";
    pub const OFFICIAL_MAY_NOT_CHAIR: &str = "official_may_not_chair";
    pub const OFFICERS_ARE_FARMERS: &str = "officers_are_farmers";
    pub const OFFICERS_ARE_DELEGATES: &str = "officers_are_delegates_of_member_funds";
    pub const SUPERVISORS_INDEPENDENT: &str = "supervisors_not_on_the_board";
    pub const RELIEF_AFTER_WRITE_OFF: &str = "relief_after_write_off";
    pub const RELIEF_WITHIN_POOL: &str = "relief_within_pool";
    pub const SELF_APPROVAL: &str = "self_approval";
    pub const GRANT_PENDING: &str = "grant_pending";
    pub const NOTHING_TO_CONTRIBUTE: &str = "contribution_positive";
}

/// A refusal: the rule broken and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct Refusal {
    pub rule: &'static str,
    pub detail: String,
}

fn refuse(rule: &'static str, detail: impl Into<String>) -> Refusal {
    Refusal {
        rule,
        detail: detail.into(),
    }
}

/// A federation's rules; DOMAIN.md §6's assumptions are the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FederationRules {
    /// A fund's placements, and separately its borrowings, as a share of its capital.
    pub limit_share: Decimal,
    /// Annual rate the federation pays a fund that places money with it.
    pub placement_rate_annual: Decimal,
    /// Annual spread the federation keeps: a borrowing fund pays placement rate + spread.
    pub spread_annual: Decimal,
    /// Alert when PAR30 is above this.
    pub par30_alert: Decimal,
    /// Alert when liquidity is below this.
    pub liquidity_alert: Decimal,
    /// How balancing fees count days (absent in records written before it:
    /// months and days, the default).
    #[serde(default)]
    pub day_count: DayCount,
    /// Days after a quarter's end by which a member fund's quarter must be
    /// closed (absent before: the default, 5).
    #[serde(default = "default_due_days")]
    pub report_due_days: u32,
}

fn default_due_days() -> u32 {
    super::report::DEFAULT_DUE_DAYS
}

/// The longest a federation may give its funds to close a quarter.
pub const MAX_DUE_DAYS: u32 = 60;

impl Default for FederationRules {
    fn default() -> Self {
        Self {
            limit_share: Decimal::new(30, 2),
            placement_rate_annual: Decimal::new(36, 3),
            spread_annual: Decimal::new(12, 3),
            par30_alert: Decimal::new(5, 2),
            liquidity_alert: Decimal::new(10, 2),
            day_count: DayCount::default(),
            report_due_days: default_due_days(),
        }
    }
}

impl FederationRules {
    /// Every share in [0, 1], rates in [0, 1).
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let share = |field: &'static str, v: Decimal| {
            if v < Decimal::ZERO || v > Decimal::ONE {
                Err((field, format!("must be between 0 and 1, not {v}")))
            } else {
                Ok(())
            }
        };
        share("rules.limit_share", self.limit_share)?;
        share("rules.placement_rate_annual", self.placement_rate_annual)?;
        share("rules.spread_annual", self.spread_annual)?;
        share("rules.par30_alert", self.par30_alert)?;
        share("rules.liquidity_alert", self.liquidity_alert)?;
        if !(1..=MAX_DUE_DAYS).contains(&self.report_due_days) {
            return Err((
                "rules.report_due_days",
                format!(
                    "must be between 1 and {MAX_DUE_DAYS} days, not {}",
                    self.report_due_days
                ),
            ));
        }
        Ok(())
    }

    /// What a fund may place with the federation, or separately borrow from
    /// it: `limit_share` of its capital, to the fen.
    pub fn limit(&self, fund_capital: Decimal) -> Decimal {
        round_to_fen(self.limit_share * fund_capital)
    }

    /// The rate a borrowing fund pays.
    pub fn lending_rate_annual(&self) -> Decimal {
        self.placement_rate_annual + self.spread_annual
    }
}

/// Which way a placement's money went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// A surplus fund placed money with the federation (the federation owes it).
    FromFund,
    /// The federation placed money with a deficit fund (the fund owes it).
    ToFund,
}

/// One balancing placement, kept as `placement/{federation}/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub placement_id: String,
    pub fund_id: String,
    pub direction: Direction,
    pub principal: Decimal,
    pub rate_annual: Decimal,
    pub placed_on: NaiveDate,
    pub principal_repaid: Decimal,
    pub fees_paid: Decimal,
    pub repayments: Vec<PlacementRepayment>,
    /// Fee of the outstanding principal booked at a year-end and not yet
    /// paid (a receivable of the lender, a payable of the borrower).
    #[serde(default)]
    pub fee_accrued: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementRepayment {
    pub date: NaiveDate,
    pub principal: Decimal,
    pub fee: Decimal,
    /// The part of `fee` a year-end had booked before (absent before
    /// year-ends accrued fees: none).
    #[serde(default)]
    pub settled: Decimal,
}

impl Placement {
    pub fn outstanding(&self) -> Decimal {
        self.principal - self.principal_repaid
    }
}

/// A fund joins a federation only if it belongs to none: `current` is the
/// federation it belongs to now.
pub fn check_admission(fund_id: &str, current: Option<&str>) -> Result<(), Refusal> {
    match current {
        Some(f) => Err(refuse(
            rule::ONE_FEDERATION_PER_FUND,
            format!("fund {fund_id:?} belongs to federation {f:?} already"),
        )),
        None => Ok(()),
    }
}

/// Only a member fund of the federation takes part in its balancing and
/// relief: `current` is the federation the fund belongs to now.
pub fn check_member(fed_id: &str, fund_id: &str, current: Option<&str>) -> Result<(), Refusal> {
    if current == Some(fed_id) {
        return Ok(());
    }
    Err(refuse(
        rule::MEMBER_FUND,
        format!("fund {fund_id:?} is not a member of federation {fed_id:?}"),
    ))
}

/// A fund leaves its federation with nothing open between them: `placements`
/// are the federation's, both ways.
pub fn check_removal(fund_id: &str, placements: &[Placement]) -> Result<(), Refusal> {
    let open: Vec<&str> = placements
        .iter()
        .filter(|p| p.fund_id == fund_id && p.outstanding() > Decimal::ZERO)
        .map(|p| p.placement_id.as_str())
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    Err(refuse(
        rule::NO_OPEN_PLACEMENTS,
        format!("fund {fund_id:?} has open placements: {}", open.join(", ")),
    ))
}

/// Outstanding principal of a fund's placements in one direction.
pub fn outstanding(placements: &[Placement], fund_id: &str, direction: Direction) -> Decimal {
    placements
        .iter()
        .filter(|p| p.fund_id == fund_id && p.direction == direction)
        .map(Placement::outstanding)
        .sum()
}

/// Checks a new placement against the limit: the fund's placements (or
/// borrowings) after it may not exceed `limit_share` of its capital.
pub fn check_limit(
    rules: &FederationRules,
    direction: Direction,
    fund_capital: Decimal,
    already: Decimal,
    amount: Decimal,
) -> Result<(), Refusal> {
    let limit = rules.limit(fund_capital);
    let after = already + amount;
    if after > limit {
        let what = match direction {
            Direction::FromFund => "placements with the federation",
            Direction::ToFund => "borrowings from the federation",
        };
        return Err(refuse(
            rule::PLACEMENT_LIMIT,
            format!(
                "the fund's {what} would reach {after}, above {limit} ({} of its capital {fund_capital})",
                rules.limit_share
            ),
        ));
    }
    Ok(())
}

/// A new placement of `principal` in `direction`, at the rate the
/// federation pays a fund (from it) or charges one (to it).
pub fn placement(
    rules: &FederationRules,
    direction: Direction,
    placement_id: &str,
    fund_id: &str,
    principal: Decimal,
    date: NaiveDate,
) -> Placement {
    Placement {
        placement_id: placement_id.into(),
        fund_id: fund_id.into(),
        direction,
        principal,
        rate_annual: match direction {
            Direction::FromFund => rules.placement_rate_annual,
            Direction::ToFund => rules.lending_rate_annual(),
        },
        placed_on: date,
        principal_repaid: Decimal::ZERO,
        fees_paid: Decimal::ZERO,
        repayments: Vec::new(),
        fee_accrued: Decimal::ZERO,
    }
}

/// A relief contribution as a share of the fund's fee income, rounded once.
pub fn fee_share_contribution(share: Decimal, fee_income: Decimal) -> Result<Decimal, Refusal> {
    let amount = round_to_fen(share * fee_income);
    if amount <= Decimal::ZERO {
        return Err(refuse(
            rule::NOTHING_TO_CONTRIBUTE,
            format!("{share} of fee income {fee_income} is no contribution"),
        ));
    }
    Ok(amount)
}

/// One elected officer: the delegate of a member fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub name: String,
    pub fund_id: String,
    pub township_official: bool,
}

/// The board (理事会, with its chair) and the supervisors (监事会).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub chair: Officer,
    pub directors: Vec<Officer>,
    pub supervisors: Vec<Officer>,
    pub elected_on: NaiveDate,
}

/// Checks an election: every officer a delegate of a member fund and a
/// farmer; above all, no township official in the chair; no supervisor on
/// the board. A refusal names the officer at fault ("directors[1]").
pub fn check_board(board: &Board, member_funds: &[String]) -> Result<(), (String, Refusal)> {
    if board.chair.township_official {
        return Err((
            "chair".into(),
            refuse(
                rule::OFFICIAL_MAY_NOT_CHAIR,
                format!(
                    "{} is a township official and may not chair the federation",
                    board.chair.name
                ),
            ),
        ));
    }
    let mut officers: Vec<(String, &Officer)> = vec![("chair".into(), &board.chair)];
    officers.extend(
        board
            .directors
            .iter()
            .enumerate()
            .map(|(i, o)| (format!("directors[{i}]"), o)),
    );
    let directors = officers.len();
    officers.extend(
        board
            .supervisors
            .iter()
            .enumerate()
            .map(|(i, o)| (format!("supervisors[{i}]"), o)),
    );
    for (at, o) in &officers {
        if !member_funds.contains(&o.fund_id) {
            return Err((
                at.clone(),
                refuse(
                    rule::OFFICERS_ARE_DELEGATES,
                    format!(
                        "{} is not the delegate of a member fund ({:?} is not one)",
                        o.name, o.fund_id
                    ),
                ),
            ));
        }
        if o.township_official {
            return Err((
                at.clone(),
                refuse(
                    rule::OFFICERS_ARE_FARMERS,
                    format!(
                        "{} is a township official; the board and supervisors are farmers",
                        o.name
                    ),
                ),
            ));
        }
    }
    let (board_members, supervisors) = officers.split_at(directors);
    if let Some((at, s)) = supervisors
        .iter()
        .find(|(_, s)| board_members.iter().any(|(_, b)| b.name == s.name))
    {
        return Err((
            at.clone(),
            refuse(
                rule::SUPERVISORS_INDEPENDENT,
                format!("{} may not both sit on the board and supervise it", s.name),
            ),
        ));
    }
    Ok(())
}

/// A relief grant, kept as `grant/{federation}/{id}`: requested, then
/// approved by another actor (maker-checker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub grant_id: String,
    pub fund_id: String,
    pub loan_id: String,
    pub amount: Decimal,
    pub reason: String,
    pub requested_by: String,
    pub requested_on: NaiveDate,
    pub approved_by: Option<String>,
    pub approved_on: Option<NaiveDate>,
}

/// A written-off loan's loss not yet recovered nor covered by earlier
/// grants (`granted`): what relief may still cover. Nothing for a loan not
/// written off.
pub fn unrecovered_loss(loan: &crate::domain::loan::Loan, granted: Decimal) -> Decimal {
    if loan.status == crate::domain::loan::LoanStatus::WrittenOff {
        loan.written_off - loan.recovered - granted
    } else {
        Decimal::ZERO
    }
}

/// Checks a request: relief follows a write-off and covers at most its
/// unrecovered loss, and the pool holds the amount.
pub fn check_request(amount: Decimal, unrecovered_loss: Decimal) -> Result<(), Refusal> {
    if unrecovered_loss <= Decimal::ZERO {
        return Err(refuse(
            rule::RELIEF_AFTER_WRITE_OFF,
            "relief is granted for a loan written off and not recovered",
        ));
    }
    if amount > unrecovered_loss {
        return Err(refuse(
            rule::RELIEF_AFTER_WRITE_OFF,
            format!("relief {amount} is more than the unrecovered loss {unrecovered_loss}"),
        ));
    }
    Ok(())
}

/// Approves a grant: by another actor than the one who requested it, once,
/// within the pool.
pub fn approve(
    g: &Grant,
    approver: &str,
    date: NaiveDate,
    pool: Decimal,
) -> Result<Grant, Refusal> {
    if g.approved_by.is_some() {
        return Err(refuse(
            rule::GRANT_PENDING,
            format!("grant {} is approved already", g.grant_id),
        ));
    }
    if g.requested_by == approver {
        return Err(refuse(
            rule::SELF_APPROVAL,
            format!(
                "grant {} was requested by {approver}; another actor approves it",
                g.grant_id
            ),
        ));
    }
    if g.amount > pool {
        return Err(refuse(
            rule::RELIEF_WITHIN_POOL,
            format!(
                "the relief pool holds {pool}; grant {} is {}",
                g.grant_id, g.amount
            ),
        ));
    }
    let mut after = g.clone();
    after.approved_by = Some(approver.to_string());
    after.approved_on = Some(date);
    Ok(after)
}

/// One open loan as supervision sees it on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanExposure {
    pub member_id: String,
    pub outstanding: Decimal,
    pub days_past_due: i64,
    pub poor: bool,
    /// Restructured and not yet cured (`servicing::counts_at_risk`): in
    /// PAR30 and PAR90 whatever its days past due.
    pub restructured: bool,
}

/// What supervision reads of a fund's books on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundBooks {
    pub loans: Vec<LoanExposure>,
    pub cash_and_bank: Decimal,
    pub capital: Decimal,
    pub risk_reserve: Decimal,
    /// The fund's minimum share of its portfolio lent to poor households
    /// (its rules' `min_poor_loan_share`).
    pub min_poor_share: Decimal,
}

/// The supervision ratios (运行安全监管), to 4 places; `None` when the
/// denominator is zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicators {
    pub gross_portfolio: Decimal,
    pub par30_balance: Decimal,
    pub par90_balance: Decimal,
    pub par30: Option<Decimal>,
    pub par90: Option<Decimal>,
    pub liquidity: Option<Decimal>,
    pub utilization: Option<Decimal>,
    pub largest_borrower_share: Option<Decimal>,
    pub poor_share: Option<Decimal>,
    pub reserve_cover: Option<Decimal>,
    pub alerts: Vec<String>,
}

fn ratio(num: Decimal, den: Decimal) -> Option<Decimal> {
    (!den.is_zero()).then(|| round_ratio(num / den))
}

/// Portfolio at risk: the gross portfolio, the outstanding of loans past due
/// more than 30 and 90 days (restructured loans included until cured), and
/// their shares of the portfolio (`None` for an empty one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Par {
    pub gross: Decimal,
    pub par30_balance: Decimal,
    pub par90_balance: Decimal,
    pub par30: Option<Decimal>,
    pub par90: Option<Decimal>,
}

/// PAR30 and PAR90 by outstanding balance (not by count): the one place
/// both the dashboard and a fund's loan ledger take them from.
pub fn par(loans: &[LoanExposure]) -> Par {
    let gross: Decimal = loans.iter().map(|l| l.outstanding).sum();
    let at_risk = |days: i64| -> Decimal {
        loans
            .iter()
            .filter(|l| l.restructured || past_due_more_than(l.days_past_due, days))
            .map(|l| l.outstanding)
            .sum()
    };
    let (par30_balance, par90_balance) = (at_risk(30), at_risk(90));
    Par {
        gross,
        par30_balance,
        par90_balance,
        par30: ratio(par30_balance, gross),
        par90: ratio(par90_balance, gross),
    }
}

/// PAR30/PAR90 ([`par`]), liquidity (cash and
/// bank / capital), utilization (loans outstanding / capital), the largest
/// borrower's share and the poor households' share of the portfolio, and
/// reserve cover (risk reserve / PAR90 balance); alerts against the
/// federation's thresholds and the fund's minimum share to poor households.
/// The period ratios (write-offs among them) are `report`'s.
pub fn indicators(rules: &FederationRules, b: &FundBooks) -> Indicators {
    let Par {
        gross,
        par30_balance,
        par90_balance,
        par30,
        par90,
    } = par(&b.loans);
    let mut by_borrower: std::collections::BTreeMap<&str, Decimal> = Default::default();
    for l in &b.loans {
        *by_borrower.entry(&l.member_id).or_default() += l.outstanding;
    }
    let largest = by_borrower.values().copied().max().unwrap_or_default();
    let poor: Decimal = b
        .loans
        .iter()
        .filter(|l| l.poor)
        .map(|l| l.outstanding)
        .sum();
    let liquidity = ratio(b.cash_and_bank, b.capital);
    let mut alerts = Vec::new();
    if let Some(p) = par30.filter(|p| *p > rules.par30_alert) {
        alerts.push(format!("PAR30 {p} is above {}", rules.par30_alert));
    }
    if let Some(l) = liquidity.filter(|l| *l < rules.liquidity_alert) {
        alerts.push(format!("liquidity {l} is below {}", rules.liquidity_alert));
    }
    let poor_share = ratio(poor, gross);
    if let Some(p) = poor_share.filter(|p| *p < b.min_poor_share) {
        alerts.push(format!(
            "poor households' share {p} is below the fund's minimum {}",
            b.min_poor_share
        ));
    }
    Indicators {
        gross_portfolio: gross,
        par30_balance,
        par90_balance,
        par30,
        par90,
        liquidity,
        utilization: ratio(gross, b.capital),
        largest_borrower_share: ratio(largest, gross),
        poor_share,
        reserve_cover: ratio(b.risk_reserve, par90_balance),
        alerts,
    }
}

#[cfg(test)]
mod tests;
