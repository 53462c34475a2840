//! Interest subsidies (贴息, DOMAIN.md §5): what a loan earns in a period.
//!
//! - **Day count**: the program's convention ([`DayCount`]). Day `d` of a
//!   loan disbursed on `start` weighs `day_count.weight(start, d)`, what it
//!   adds to the loan's length in days of a 360-day year. Under months and
//!   days (the default) a whole month from the disbursement weighs 30 (the
//!   day before each monthly anniversary takes what makes it so: 0 after a
//!   31-day month, 3 after February's 28 days), so the field vector, 100,000
//!   for a year at 2.4%, is 2,400.00; under actual/360 every day weighs 1
//!   (a year of 365 days would give 2,433.33).
//! - Day `d` accrues on the principal outstanding that day (principal
//!   repaid on `d` no longer counts), from the disbursement day up to, not
//!   including, the day the loan ends (paid off or claimed).
//! - **Current days only**: a day on which an installment is past due earns
//!   nothing; penalty interest is never subsidized.
//! - subsidy = round(Σ outstanding × weight × rate / 360) for a loan and a
//!   period: rounded half-up at the fen once, at the end.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::daycount::{DayCount, DAYS_PER_YEAR};
use super::fund::FundError;
use super::household::{eligible_label, Flag, PROGRAM_ELIGIBLE};
use super::loan::{broken, Loan, LoanStatus};
use super::money::round_to_fen;

pub mod recipe;

/// A scheme's limits on the loans registered for a subsidy only when it
/// sets none: the national maxima of a guaranteed loan
/// (`riskfund::MAX_GUARANTEED_PRINCIPAL_YUAN` and `_TERM_MONTHS`), the loans
/// subsidies were made for.
pub const DEFAULT_PRINCIPAL_MAX_YUAN: u32 = 50_000;
pub const DEFAULT_TERM_MAX_MONTHS: u32 = 36;

pub mod rule {
    pub const ELIGIBLE: &str = "subsidy_borrower_eligible";
    pub const LINK_ONCE: &str = "subsidy_loan_linked_once";
    pub const PERIOD_ONCE: &str = "subsidy_period_accrued_once";
    pub const PERIODS_IN_ORDER: &str = "subsidy_periods_in_order";
    pub const PERIOD_KIND: &str = "subsidy_period_matches_settlement";
    pub const CLAIM_STATE: &str = "subsidy_claim_state_allows_it";
    pub const APPROVER: &str = "subsidy_approver_not_claimant";
    pub const AFTER_PERIOD: &str = "subsidy_settled_after_period";
    pub const PRINCIPAL_MAX: &str = "subsidy_principal_max";
    pub const TERM_MAX: &str = "subsidy_term_max";
    pub const REPAID_AFTER_ACCRUAL: &str = "repayment_not_in_accrued_subsidy_period";
}

/// A loan as the subsidy sees it: what fell due when and what was paid when.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Track {
    pub start: NaiveDate,
    pub principal: Decimal,
    /// (due date, principal, interest), in date order.
    pub due: Vec<(NaiveDate, Decimal, Decimal)>,
    /// (date, principal, interest) paid, in date order.
    pub paid: Vec<(NaiveDate, Decimal, Decimal)>,
    /// The day the loan ended (paid off, claimed): nothing accrues from it on.
    pub end: Option<NaiveDate>,
}

impl Track {
    /// Principal and interest paid on or before `date`.
    fn paid_by(&self, date: NaiveDate) -> (Decimal, Decimal) {
        self.paid
            .iter()
            .filter(|(d, _, _)| *d <= date)
            .fold((Decimal::ZERO, Decimal::ZERO), |(p, i), (_, dp, di)| {
                (p + dp, i + di)
            })
    }

    /// Principal still owed during `date`.
    pub fn outstanding_on(&self, date: NaiveDate) -> Decimal {
        self.principal - self.paid_by(date).0
    }

    /// The oldest installment (its index in `due`, its due date) not
    /// covered by what was paid by `date`: what was paid is allocated to the
    /// oldest installments first, principal and interest each.
    pub fn oldest_unpaid(&self, date: NaiveDate) -> Option<(usize, NaiveDate)> {
        let (principal_paid, interest_paid) = self.paid_by(date);
        let (mut principal, mut interest) = (Decimal::ZERO, Decimal::ZERO);
        for (k, (due, p, i)) in self.due.iter().enumerate() {
            principal += p;
            interest += i;
            if principal_paid < principal || interest_paid < interest {
                return Some((k, *due));
            }
        }
        None
    }

    /// Days past due on `date`: since the due date of the oldest unpaid
    /// installment, once that date has passed.
    pub fn days_past_due(&self, date: NaiveDate) -> i64 {
        match self.oldest_unpaid(date) {
            Some((_, due)) if due < date => (date - due).num_days(),
            _ => 0,
        }
    }
}

/// What one loan earned in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accrued {
    pub subsidy: Decimal,
    /// Weighted days (of the program's day count) the loan was current, and
    /// past due, in the period.
    pub days_current: i64,
    pub days_overdue: i64,
}

/// The subsidy of `track` at `rate_annual` for the days `from..to` (`to`
/// excluded), each day weighed under `day_count`.
pub fn accrue(
    track: &Track,
    rate_annual: Decimal,
    day_count: DayCount,
    (from, to): (NaiveDate, NaiveDate),
) -> Accrued {
    let (mut base, mut current, mut overdue) = (Decimal::ZERO, 0, 0);
    let last = track.end.map_or(to, |end| end.min(to));
    let mut day = from.max(track.start);
    while day < last {
        let next = day.succ_opt().expect("dates stay in range");
        let weight = day_count.weight(track.start, day);
        if track.days_past_due(day) > 0 {
            overdue += weight;
        } else {
            current += weight;
            base += track.outstanding_on(day) * Decimal::from(weight);
        }
        day = next;
    }
    Accrued {
        subsidy: round_to_fen(base * rate_annual / Decimal::from(DAYS_PER_YEAR)),
        days_current: current,
        days_overdue: overdue,
    }
}

/// A settlement period: its first day and the day after its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub end_exclusive: NaiveDate,
    pub quarterly: bool,
}

impl Period {
    /// "YYYY-MM" (a month) or "YYYY-Qn" (a quarter).
    pub fn parse(text: &str) -> Option<Self> {
        let (year, rest) = text.split_once('-')?;
        let year: i32 = year.parse().ok().filter(|_| year.len() == 4)?;
        let (month, months, quarterly) = match rest.strip_prefix('Q') {
            Some(q) => {
                let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                (3 * q - 2, 3, true)
            }
            None if rest.len() == 2 => (rest.parse().ok()?, 1, false),
            None => return None,
        };
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let end_exclusive = first.checked_add_months(chrono::Months::new(months))?;
        Some(Self {
            first,
            end_exclusive,
            quarterly,
        })
    }

    pub fn last_day(&self) -> NaiveDate {
        self.end_exclusive.pred_opt().expect("dates stay in range")
    }

    /// Its days: the first, and the day after the last.
    pub fn span(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.end_exclusive)
    }
}

/// A period may accrue when it is of the scheme's kind (a quarter or a
/// month), was not accrued before, and follows the last period accrued.
pub fn check_next_period(
    quarterly: bool,
    accrued_through: Option<NaiveDate>,
    period: Period,
    accrued: bool,
) -> Result<(), FundError> {
    if period.quarterly != quarterly {
        let expected = if quarterly {
            "a quarter \"YYYY-Qn\""
        } else {
            "a month \"YYYY-MM\""
        };
        return Err(broken(
            rule::PERIOD_KIND,
            format!("the scheme settles by {expected}"),
        ));
    }
    if accrued {
        return Err(broken(
            rule::PERIOD_ONCE,
            format!("the period from {} is accrued", period.first),
        ));
    }
    match accrued_through {
        Some(last) if last.succ_opt() != Some(period.first) => Err(broken(
            rule::PERIODS_IN_ORDER,
            format!(
                "the scheme is accrued through {last}; the next period starts the day after, not on {}",
                period.first
            ),
        )),
        _ => Ok(()),
    }
}

/// A fund loan's repayment may not be dated in a period its scheme has
/// already accrued: that subsidy was computed with the loan as it stood
/// then, and stays as claimed. The clerk dates it after the period.
pub fn check_repayment_date(
    scheme_id: &str,
    accrued_through: Option<NaiveDate>,
    date: NaiveDate,
) -> Result<(), FundError> {
    match accrued_through {
        Some(last) if date <= last => Err(broken(
            rule::REPAID_AFTER_ACCRUAL,
            format!(
                "the loan's subsidy scheme {scheme_id} is accrued through {last}; a repayment dated {date} would change a subsidy already computed: date it after {last}"
            ),
        )),
        _ => Ok(()),
    }
}

/// How a scheme sets the subsidy rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// The loan's own rate.
    Full,
    /// A fixed annual rate, at most the loan's rate.
    Fixed(Decimal),
}

impl Kind {
    pub fn rate(self, loan_rate: Decimal) -> Decimal {
        match self {
            Self::Full => loan_rate,
            Self::Fixed(rate) => rate.min(loan_rate),
        }
    }
}

/// A loan a scheme subsidizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoanRef {
    /// A guaranteed loan of the program.
    Bank(String),
    /// A village fund's loan: fund, loan.
    Fund(String, String),
}

impl LoanRef {
    /// How lines and statements name the loan: "bank:{loan}", "fund:{fund}/{loan}".
    pub fn label(&self) -> String {
        match self {
            Self::Bank(loan) => format!("bank:{loan}"),
            Self::Fund(fund, loan) => format!("fund:{fund}/{loan}"),
        }
    }
}

/// A subsidy scheme of a program: how it sets the rate, when it settles,
/// whom it pays, the largest and longest loan outside the guarantee it
/// subsidizes, the loans it subsidizes and how far it has accrued.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scheme {
    pub scheme_id: String,
    pub kind: Kind,
    pub quarterly: bool,
    /// A bank loan's subsidy is payable to its borrower's household (2201/
    /// household), not to the bank.
    pub pay_borrower: bool,
    pub loans: Vec<LoanRef>,
    /// The last day of the last period accrued.
    pub accrued_through: Option<NaiveDate>,
    /// The largest principal, and the longest term, of a bank loan
    /// registered for a subsidy only the scheme subsidizes (guaranteed loans
    /// have the program's limits, fund loans the fund's). Absent in schemes
    /// written before: the defaults.
    #[serde(default = "default_principal_max")]
    pub principal_max: Decimal,
    #[serde(default = "default_term_max")]
    pub term_max_months: u32,
}

fn default_principal_max() -> Decimal {
    Decimal::from(DEFAULT_PRINCIPAL_MAX_YUAN)
}

fn default_term_max() -> u32 {
    DEFAULT_TERM_MAX_MONTHS
}

impl Scheme {
    /// A new scheme, with nothing linked or accrued yet; `limits` are its
    /// principal and term maxima (none: the defaults).
    pub fn new(
        scheme_id: String,
        (kind, quarterly, pay_borrower): (Kind, bool, bool),
        limits: (Option<Decimal>, Option<u32>),
    ) -> Self {
        Self {
            scheme_id,
            kind,
            quarterly,
            pay_borrower,
            loans: Vec::new(),
            accrued_through: None,
            principal_max: limits.0.unwrap_or_else(default_principal_max),
            term_max_months: limits.1.unwrap_or_else(default_term_max),
        }
    }

    /// A loan for a subsidy only of `principal` over `term_months` is within
    /// the scheme's limits.
    pub fn check_limits(
        &self,
        loan: &LoanRef,
        principal: Decimal,
        term_months: u32,
    ) -> Result<(), FundError> {
        if principal > self.principal_max {
            return Err(broken(
                rule::PRINCIPAL_MAX,
                format!(
                    "scheme {} subsidizes loans outside the guarantee of at most {}; {} is of {principal}",
                    self.scheme_id,
                    self.principal_max,
                    loan.label()
                ),
            ));
        }
        if term_months > self.term_max_months {
            return Err(broken(
                rule::TERM_MAX,
                format!(
                    "scheme {} subsidizes loans outside the guarantee of at most {} months; {} runs {term_months}",
                    self.scheme_id,
                    self.term_max_months,
                    loan.label()
                ),
            ));
        }
        Ok(())
    }
}

/// A loan is subsidized by one scheme at most.
pub fn check_link(schemes: &[Scheme], loan: &LoanRef) -> Result<(), FundError> {
    match schemes.iter().find(|o| o.loans.contains(loan)) {
        Some(other) => Err(broken(
            rule::LINK_ONCE,
            format!(
                "{} is subsidized by scheme {} already",
                loan.label(),
                other.scheme_id
            ),
        )),
        None => Ok(()),
    }
}

/// A village-fund loan is subsidized for a member the program's rules make
/// eligible (by default registered poor or monitored), once it is disbursed.
/// `eligible` is the program's setting (empty: its default).
pub fn check_fund_loan(
    eligible: &[Flag],
    member: &super::fund::Member,
    loan: &Loan,
) -> Result<(), FundError> {
    let status = member.status();
    if !status.eligible(eligible, PROGRAM_ELIGIBLE) {
        return Err(broken(
            rule::ELIGIBLE,
            format!(
                "member {} is {}; subsidies go to {} households",
                member.member_id,
                status.label(),
                eligible_label(eligible, PROGRAM_ELIGIBLE)
            ),
        ));
    }
    super::loan::require(loan, LoanStatus::Disbursed, "subsidized")
}

/// The track of a village-fund loan: its schedule (fee counted unless it was
/// charged upfront; a rescheduled loan's carried fee due at once), what the
/// borrower repaid, and what earlier subsidies took off the fee, dated the
/// last day of their period. It ends when the loan closes, or on the day it
/// was written off or rescheduled (both accrue the loan to that day).
pub fn fund_loan_track(loan: &Loan, credits: &[(NaiveDate, Decimal)]) -> Track {
    let start = loan.disbursed_on.unwrap_or(loan.applied_on);
    let fee_counts = loan.upfront_fee.is_zero();
    let mut due = Vec::with_capacity(loan.schedule.len() + 1);
    if loan.carried_fee > Decimal::ZERO {
        due.push((start, Decimal::ZERO, loan.carried_fee));
    }
    due.extend(loan.schedule.iter().map(|i| {
        let fee = if fee_counts { i.fee } else { Decimal::ZERO };
        (i.due_date, i.principal, fee)
    }));
    let mut paid: Vec<(NaiveDate, Decimal, Decimal)> = loan
        .repayments
        .iter()
        .map(|r| (r.date, r.principal, r.fee))
        .collect();
    paid.extend(credits.iter().map(|(d, a)| (*d, Decimal::ZERO, *a)));
    Track {
        start,
        principal: loan.principal,
        due,
        paid,
        end: match loan.status {
            LoanStatus::Closed => loan.closed_on,
            LoanStatus::WrittenOff | LoanStatus::Rescheduled => loan.accrued_through,
            LoanStatus::Applied | LoanStatus::Approved | LoanStatus::Disbursed => None,
        },
    }
}

/// A village-fund loan's subsidy reduces the fee receivable up to its
/// balance; the rest refunds fee the borrower already paid. Returns
/// (fee reduced, refund).
pub fn split_fund_subsidy(subsidy: Decimal, fee_receivable: Decimal) -> (Decimal, Decimal) {
    let reduced = subsidy.min(fee_receivable.max(Decimal::ZERO));
    (reduced, subsidy - reduced)
}

/// One loan's line in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// "bank:{loan}" or "fund:{fund}/{loan}".
    pub loan: String,
    /// The payable's sub-account in the program: "bank:{bank}",
    /// "household:{household}" or "fund:{fund}".
    pub payee: String,
    pub rate_annual: Decimal,
    pub accrued: Accrued,
    pub fee_reduced: Decimal,
    pub refund: Decimal,
}

/// Where a period's claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodState {
    Accrued,
    Claimed,
    Approved,
    Paid,
}

/// An accrued period of a scheme and its claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRecord {
    pub period: String,
    pub last_day: NaiveDate,
    pub lines: Vec<Line>,
    pub state: PeriodState,
    pub claimed_by: Option<String>,
    pub approved_by: Option<String>,
}

impl PeriodRecord {
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.accrued.subsidy).sum()
    }

    fn advance(&self, from: PeriodState, to: PeriodState) -> Result<Self, FundError> {
        if self.state != from {
            return Err(broken(
                rule::CLAIM_STATE,
                format!(
                    "period {} is {:?}; only an {from:?} period can become {to:?}",
                    self.period, self.state
                ),
            ));
        }
        let mut p = self.clone();
        p.state = to;
        Ok(p)
    }

    /// The program claims the period's subsidies from the finance bureau.
    pub fn claim(&self, actor: &str) -> Result<Self, FundError> {
        let mut p = self.advance(PeriodState::Accrued, PeriodState::Claimed)?;
        p.claimed_by = Some(actor.to_string());
        Ok(p)
    }

    /// Approval, by someone other than the claimant.
    pub fn approve(&self, actor: &str) -> Result<Self, FundError> {
        if self.claimed_by.as_deref() == Some(actor) {
            return Err(broken(
                rule::APPROVER,
                format!(
                    "{actor} claimed period {}; another actor approves it",
                    self.period
                ),
            ));
        }
        let mut p = self.advance(PeriodState::Claimed, PeriodState::Approved)?;
        p.approved_by = Some(actor.to_string());
        Ok(p)
    }

    pub fn pay(&self) -> Result<Self, FundError> {
        self.advance(PeriodState::Approved, PeriodState::Paid)
    }

    /// The value date of an approval or payment: given, and after the period.
    pub fn settlement_date(&self, date: Option<NaiveDate>) -> Result<NaiveDate, FundError> {
        let date = date.ok_or_else(|| FundError::Invalid {
            field: "date".into(),
            reason: "is required: the value date of the approval or payment".into(),
        })?;
        if date <= self.last_day {
            return Err(broken(
                rule::AFTER_PERIOD,
                format!(
                    "period {} ends on {}; it is settled after, not on {date}",
                    self.period, self.last_day
                ),
            ));
        }
        Ok(date)
    }
}

#[cfg(test)]
mod tests;
