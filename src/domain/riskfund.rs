//! The county risk-compensation fund (风险补偿金, DOMAIN.md §5): a program's
//! rules, the loans a cooperating bank registers against it at 1:7 to 1:10,
//! defaults, compensation and recoveries. Decides; never stores.
//!
//! - **Leverage cap**: exposure (guaranteed principal outstanding) may never
//!   pass `leverage_ratio` × the fund balance when a loan is registered or
//!   money withdrawn. Compensation may leave the fund short of it; then
//!   nothing more is lent until repayments or deposits restore headroom.
//! - **The bank's schedule**: the bank's core system is the authority on its
//!   loan. It may send its schedule at registration ([`installments`]);
//!   otherwise the ledger computes one under the program's day count. Each
//!   repayment is allocated to the oldest unpaid installment (principal and
//!   interest each), and days past due run from the due date of the oldest
//!   installment what was paid does not cover.
//! - **In default**: a loan past due more than `claim_after_days`
//!   ([`past_due_more_than`]: from day 91 of a 90-day threshold), and a
//!   claimed loan until the principal unpaid at its claim is recovered.
//!   **Default ratio** = principal in default / (exposure of loans not
//!   claimed + principal in default of claimed loans). Lending is suspended
//!   while it is above the threshold.
//! - **Subsidy only**: a bank loan registered for an interest subsidy alone
//!   has no guarantee: no exposure, no claim, outside the leverage and the
//!   default ratio, and none of the guaranteed loan's limits (the subsidy
//!   scheme's apply when it is linked).
//! - **Compensation** = round(fund share × (unpaid principal + interest due
//!   and unpaid, when the program covers interest)).
//! - **Recoveries** come back pro rata: the fund's cumulative share is
//!   round(compensation × recovered / loss); the recovery that completes the
//!   loss takes the remainder, so the fund never gets back more than it paid.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dates::past_due_more_than;
use super::fund::{age_on, FundError, PovertyStatus};
use super::household::{Flag, RiskCause, Status};
use super::loan::{broken, not_before, rule::AT_MOST_OWED};
use super::money::{round_ratio, round_to_fen, to_fen};
use super::schedule::{Installment, Method, MAX_TERM_MONTHS};
use super::subsidy::Track;

pub mod installments;
pub mod recipe;
mod rules;

pub use installments::BankInstallment;
pub use rules::*;

pub mod rule {
    pub const LEVERAGE_CAP: &str = "leverage_cap";
    pub const ELIGIBLE: &str = "borrower_eligible";
    pub const AGE_LIMIT: &str = "borrower_age_limit";
    pub const PRINCIPAL_MAX: &str = "guaranteed_principal_max";
    pub const TERM_MAX: &str = "guaranteed_term_max";
    pub const SUSPENDED: &str = "lending_suspended";
    pub const CLAIM_THRESHOLD: &str = "claim_threshold";
    pub const CLAIM_ONCE: &str = "claim_once";
    pub const CLAIM_NEEDS_GUARANTEE: &str = "claim_needs_guarantee";
    pub const ACTIVE: &str = "guaranteed_loan_active";
    pub const RECOVERY_AFTER_CLAIM: &str = "recovery_after_claim";
    pub const RECOVERY_AT_MOST_LOSS: &str = "recovery_at_most_loss";
}

fn invalid(field: &str, reason: impl Into<String>) -> FundError {
    FundError::Invalid {
        field: field.into(),
        reason: reason.into(),
    }
}

/// Registration, closed by repayment, or claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuaranteeState {
    Active,
    Closed,
    Claimed,
}

/// A repayment the bank reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankRepayment {
    pub date: NaiveDate,
    pub principal: Decimal,
    pub interest: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub date: NaiveDate,
    pub days_past_due: i64,
    pub unpaid_principal: Decimal,
    /// Interest due and unpaid on the claim date, when the program covers it.
    pub unpaid_interest: Decimal,
    pub compensation: Decimal,
    /// What the bank recovered since, in all, and the fund's share of it.
    pub recovered: Decimal,
    pub recovered_to_fund: Decimal,
}

impl Claim {
    pub fn loss(&self) -> Decimal {
        self.unpaid_principal + self.unpaid_interest
    }

    /// Principal unpaid at the claim not yet recovered (recoveries reduce it first).
    pub fn principal_in_default(&self) -> Decimal {
        (self.unpaid_principal - self.recovered).max(Decimal::ZERO)
    }
}

/// A loan the bank registered under the program (guaranteed, or for a
/// subsidy only): its terms as registered (the registration date is the
/// disbursement date), its schedule and what happened since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteedLoan {
    pub terms: Registration,
    pub schedule: Vec<Installment>,
    /// The schedule is the bank's own (sent at registration), not computed
    /// by the ledger; absent before: computed.
    #[serde(default)]
    pub schedule_from_bank: bool,
    pub repayments: Vec<BankRepayment>,
    pub state: GuaranteeState,
    pub closed_on: Option<NaiveDate>,
    pub claim: Option<Claim>,
}

impl GuaranteedLoan {
    /// Guaranteed by the risk fund (not registered for a subsidy only).
    pub fn guaranteed(&self) -> bool {
        !self.terms.subsidy_only
    }

    pub fn principal_repaid(&self) -> Decimal {
        self.repayments.iter().map(|r| r.principal).sum()
    }

    pub fn interest_repaid(&self) -> Decimal {
        self.repayments.iter().map(|r| r.interest).sum()
    }

    /// Principal the borrower still owes the bank (none once closed or claimed).
    pub fn outstanding(&self) -> Decimal {
        match self.state {
            GuaranteeState::Active => self.terms.principal - self.principal_repaid(),
            GuaranteeState::Closed | GuaranteeState::Claimed => Decimal::ZERO,
        }
    }

    /// Guaranteed principal outstanding: what 7001/7002 hold for the loan
    /// (none for a loan registered for a subsidy only).
    pub fn exposure(&self) -> Decimal {
        if self.guaranteed() {
            self.outstanding()
        } else {
            Decimal::ZERO
        }
    }

    /// The exposure of a loan a business uses (户贷企用), none otherwise.
    pub fn business_exposure(&self) -> Decimal {
        match self
            .terms
            .purpose
            .as_ref()
            .and_then(|p| p.business.as_ref())
        {
            Some(_) => self.exposure(),
            None => Decimal::ZERO,
        }
    }

    pub fn track(&self) -> Track {
        Track {
            start: self.terms.date,
            principal: self.terms.principal,
            due: self
                .schedule
                .iter()
                .map(|i| (i.due_date, i.principal, i.fee))
                .collect(),
            paid: self
                .repayments
                .iter()
                .map(|r| (r.date, r.principal, r.interest))
                .collect(),
            end: self.closed_on.or(self.claim.as_ref().map(|c| c.date)),
        }
    }

    /// Days past due on `date` (0 once closed).
    pub fn days_past_due(&self, date: NaiveDate) -> i64 {
        match self.state {
            GuaranteeState::Closed => 0,
            _ => self.track().days_past_due(date),
        }
    }

    /// The number of the oldest installment what was paid by `date` does not
    /// cover, due or not yet; 0 when none is left.
    pub fn oldest_unpaid(&self, date: NaiveDate) -> u32 {
        match self.state {
            GuaranteeState::Closed => 0,
            _ => self
                .track()
                .oldest_unpaid(date)
                .map_or(0, |(k, _)| self.schedule[k].no),
        }
    }

    /// Past due more than the program's claim threshold on `date`.
    pub fn past_threshold(&self, rules: &ProgramRules, date: NaiveDate) -> bool {
        past_due_more_than(self.days_past_due(date), i64::from(rules.claim_after_days))
    }

    /// Principal in default on `date` (see the module's definition).
    pub fn principal_in_default(&self, rules: &ProgramRules, date: NaiveDate) -> Decimal {
        match (&self.state, &self.claim) {
            (GuaranteeState::Claimed, Some(c)) => c.principal_in_default(),
            (GuaranteeState::Active, _) if self.past_threshold(rules, date) => self.exposure(),
            _ => Decimal::ZERO,
        }
    }

    /// The loan as it stood at the end of `date`: none if registered after
    /// it; repayments after it left out, a close or a claim after it undone.
    /// A claim's recoveries are kept whole (the record holds their sum only).
    pub fn as_of(&self, date: NaiveDate) -> Option<Self> {
        if self.terms.date > date {
            return None;
        }
        let mut loan = self.clone();
        loan.repayments.retain(|r| r.date <= date);
        if loan.closed_on.is_some_and(|d| d > date) {
            loan.closed_on = None;
            loan.state = GuaranteeState::Active;
        }
        if loan.claim.as_ref().is_some_and(|c| c.date > date) {
            loan.claim = None;
            loan.state = GuaranteeState::Active;
        }
        Some(loan)
    }

    fn require_active(&self, action: &str) -> Result<(), FundError> {
        if self.state == GuaranteeState::Active {
            return Ok(());
        }
        Err(broken(
            rule::ACTIVE,
            format!(
                "loan {} is {:?}; only an active guaranteed loan can be {action}",
                self.terms.loan_id, self.state
            ),
        ))
    }
}

/// The program's portfolio on a date, from its loans and its books.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub fund_balance: Decimal,
    pub exposure: Decimal,
    pub principal_in_default: Decimal,
    /// Exposure plus principal in default of claimed loans.
    pub portfolio: Decimal,
    /// The exposure of loans businesses use (户贷企用).
    pub business_exposure: Decimal,
}

impl Standing {
    /// `exposure` is read from the books (7001); each loan's share of it
    /// is [`GuaranteedLoan::exposure`].
    pub fn of(
        rules: &ProgramRules,
        loans: &[GuaranteedLoan],
        fund_balance: Decimal,
        exposure: Decimal,
        date: NaiveDate,
    ) -> Self {
        debug_assert_eq!(
            exposure,
            loans.iter().map(GuaranteedLoan::exposure).sum::<Decimal>(),
            "7001 holds every active loan's outstanding principal"
        );
        let in_default: Decimal = loans
            .iter()
            .map(|l| l.principal_in_default(rules, date))
            .sum();
        let claimed: Decimal = loans
            .iter()
            .filter_map(|l| l.claim.as_ref())
            .map(Claim::principal_in_default)
            .sum();
        Self {
            fund_balance,
            exposure,
            principal_in_default: in_default,
            portfolio: exposure + claimed,
            business_exposure: loans.iter().map(GuaranteedLoan::business_exposure).sum(),
        }
    }

    /// ratio × fund balance, down to the fen.
    pub fn capacity(&self, rules: &ProgramRules) -> Decimal {
        rules.capacity(self.fund_balance)
    }

    /// The share of the exposure businesses use; none for no exposure.
    pub fn business_share(&self) -> Option<Decimal> {
        (!self.exposure.is_zero()).then(|| self.business_exposure / self.exposure)
    }

    /// Principal in default / portfolio; 0 for an empty portfolio.
    pub fn default_ratio(&self) -> Decimal {
        if self.portfolio.is_zero() {
            Decimal::ZERO
        } else {
            self.principal_in_default / self.portfolio
        }
    }

    pub fn suspended(&self, rules: &ProgramRules) -> bool {
        self.default_ratio() > rules.suspend_above_default_ratio
    }
}

/// What a bank loan is for: an industry category and, when a business
/// uses the money rather than the household (户贷企用), that business.
pub use super::loan::PurposeCategory;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purpose {
    pub category: PurposeCategory,
    /// The business that uses the money (户贷企用), by name.
    #[serde(default)]
    pub business: Option<String>,
}

/// What the bank registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub loan_id: String,
    pub household_id: String,
    pub borrower_name: String,
    /// The one value closest to the flags (all a registration held before them).
    pub poverty_status: PovertyStatus,
    pub birth_date: NaiveDate,
    pub principal: Decimal,
    pub term_months: u32,
    pub rate_annual: Decimal,
    pub method: Method,
    pub date: NaiveDate,
    #[serde(default)]
    pub flags: Vec<Flag>,
    #[serde(default)]
    pub cause: Option<RiskCause>,
    /// Registered for an interest subsidy only, without the risk fund's
    /// guarantee; absent before: guaranteed.
    #[serde(default)]
    pub subsidy_only: bool,
    /// Absent in registrations written before purposes were asked for.
    #[serde(default)]
    pub purpose: Option<Purpose>,
}

impl Registration {
    /// The borrower's household status as registered.
    pub fn household(&self) -> Status {
        if self.flags.is_empty() && self.poverty_status != PovertyStatus::None {
            Status::from_legacy(self.poverty_status, self.cause)
        } else {
            Status::normalized(&self.flags, self.cause)
        }
    }
}

/// Registers a loan: eligibility, then for a guaranteed loan the program's
/// limits, suspension and the leverage cap. Its schedule is the bank's when
/// it sent one (`bank`), otherwise computed under the program's day count.
pub fn register(
    rules: &ProgramRules,
    r: Registration,
    bank: &[BankInstallment],
    standing: Standing,
) -> Result<GuaranteedLoan, FundError> {
    if r.principal <= Decimal::ZERO || r.principal.normalize().scale() > 2 {
        return Err(invalid(
            "principal",
            "must be an amount of yuan above zero with at most two decimal places",
        ));
    }
    check_borrower(rules, &r)?;
    if r.subsidy_only {
        check_subsidy_only_terms(&r)?;
    } else {
        check_terms(rules, &r)?;
        check_capacity(rules, r.principal, standing)?;
    }
    let schedule = if bank.is_empty() {
        installments::computed(rules.day_count, &r)?
    } else {
        installments::from_bank(&r, bank)?
    };
    Ok(GuaranteedLoan {
        terms: r,
        schedule,
        schedule_from_bank: !bank.is_empty(),
        repayments: Vec::new(),
        state: GuaranteeState::Active,
        closed_on: None,
        claim: None,
    })
}

/// The borrower is an eligible household of an age the program lends to.
fn check_borrower(rules: &ProgramRules, r: &Registration) -> Result<(), FundError> {
    let status = r.household();
    if !rules.eligible(&status) {
        return Err(broken(
            rule::ELIGIBLE,
            format!(
                "household {} is {}; the program lends and subsidizes {} households",
                r.household_id,
                status.label(),
                rules.eligible_label()
            ),
        ));
    }
    let age = age_on(r.birth_date, r.date);
    if age < MIN_BORROWER_AGE_YEARS as i32 || age > rules.borrower_age_max as i32 {
        return Err(broken(
            rule::AGE_LIMIT,
            format!(
                "the borrower is {age} on {}; the program lends from {MIN_BORROWER_AGE_YEARS} to {} years of age",
                r.date, rules.borrower_age_max
            ),
        ));
    }
    Ok(())
}

/// The principal and term are within the program's maxima for a
/// guaranteed loan (at most the national ones).
fn check_terms(rules: &ProgramRules, r: &Registration) -> Result<(), FundError> {
    if r.principal > rules.principal_max {
        return Err(broken(
            rule::PRINCIPAL_MAX,
            format!(
                "a guaranteed loan of this program is at most {} (the national maximum is {MAX_GUARANTEED_PRINCIPAL_YUAN}); asked {}",
                rules.principal_max, r.principal
            ),
        ));
    }
    if r.term_months == 0 || r.term_months > rules.term_max_months {
        return Err(broken(
            rule::TERM_MAX,
            format!(
                "a guaranteed loan of this program runs 1 to {} months (the national maximum is {MAX_GUARANTEED_TERM_MONTHS}), not {}",
                rules.term_max_months, r.term_months
            ),
        ));
    }
    Ok(())
}

/// A loan for a subsidy only is bounded by what the ledger accepts; the
/// scheme that subsidizes it sets its limits.
fn check_subsidy_only_terms(r: &Registration) -> Result<(), FundError> {
    to_fen(r.principal).map_err(|e| invalid("principal", e.to_string()))?;
    if r.term_months == 0 || r.term_months > MAX_TERM_MONTHS {
        return Err(invalid(
            "term_months",
            format!("must be from 1 to {MAX_TERM_MONTHS} months"),
        ));
    }
    Ok(())
}

/// Lending is not suspended, and the new exposure stays within ratio × fund.
fn check_capacity(
    rules: &ProgramRules,
    principal: Decimal,
    standing: Standing,
) -> Result<(), FundError> {
    if standing.suspended(rules) {
        return Err(broken(
            rule::SUSPENDED,
            format!(
                "lending is suspended: the default ratio is {} ({} in default of {}), above {}",
                round_ratio(standing.default_ratio()),
                standing.principal_in_default,
                standing.portfolio,
                rules.suspend_above_default_ratio
            ),
        ));
    }
    let capacity = standing.capacity(rules);
    if standing.exposure + principal > capacity {
        return Err(broken(
            rule::LEVERAGE_CAP,
            format!(
                "exposure {} plus {principal} would pass 1:{} of the fund's {} ({capacity}); headroom is {}",
                standing.exposure,
                rules.leverage_ratio,
                standing.fund_balance,
                capacity - standing.exposure
            ),
        ));
    }
    Ok(())
}

/// A withdrawal of `amount` from the fund keeps exposure within the cap.
pub fn check_withdrawal(
    rules: &ProgramRules,
    standing: Standing,
    amount: Decimal,
) -> Result<(), FundError> {
    let left = standing.fund_balance - amount;
    let capacity = rules.capacity(left);
    if standing.exposure > capacity {
        return Err(broken(
            rule::LEVERAGE_CAP,
            format!(
                "withdrawing {amount} leaves {left}, which carries at most {capacity} at 1:{}; exposure is {}",
                rules.leverage_ratio, standing.exposure
            ),
        ));
    }
    Ok(())
}

/// A repayment the bank reports; the last of the principal closes the loan.
pub fn repay(
    loan: &GuaranteedLoan,
    principal: Decimal,
    interest: Decimal,
    date: NaiveDate,
) -> Result<GuaranteedLoan, FundError> {
    loan.require_active("repaid")?;
    let last = loan.repayments.last().map_or(loan.terms.date, |r| r.date);
    not_before(date, last, "last repayment or disbursement")?;
    let outstanding = loan.outstanding();
    if principal > outstanding {
        return Err(broken(
            AT_MOST_OWED,
            format!(
                "loan {} owes {outstanding} of principal; {principal} is more",
                loan.terms.loan_id
            ),
        ));
    }
    let mut l = loan.clone();
    l.repayments.push(BankRepayment {
        date,
        principal,
        interest,
    });
    if principal == outstanding {
        l.state = GuaranteeState::Closed;
        l.closed_on = Some(date);
    }
    Ok(l)
}

/// A claim on `date`: the loan is guaranteed, past due more than
/// `claim_after_days` and not claimed before.
pub fn claim(
    rules: &ProgramRules,
    loan: &GuaranteedLoan,
    date: NaiveDate,
) -> Result<GuaranteedLoan, FundError> {
    if loan.claim.is_some() {
        return Err(broken(
            rule::CLAIM_ONCE,
            format!("loan {} was claimed already", loan.terms.loan_id),
        ));
    }
    if !loan.guaranteed() {
        return Err(broken(
            rule::CLAIM_NEEDS_GUARANTEE,
            format!(
                "loan {} is registered for an interest subsidy only: the risk fund does not guarantee it",
                loan.terms.loan_id
            ),
        ));
    }
    loan.require_active("claimed")?;
    let last = loan.repayments.last().map_or(loan.terms.date, |r| r.date);
    not_before(date, last, "last repayment or disbursement")?;
    let dpd = loan.days_past_due(date);
    if !loan.past_threshold(rules, date) {
        return Err(broken(
            rule::CLAIM_THRESHOLD,
            format!(
                "loan {} is {dpd} days past due on {date}; a claim needs more than {}",
                loan.terms.loan_id, rules.claim_after_days
            ),
        ));
    }
    let unpaid_principal = loan.exposure();
    let unpaid_interest = if rules.compensate_interest {
        let due: Decimal = loan
            .schedule
            .iter()
            .filter(|i| i.due_date <= date)
            .map(|i| i.fee)
            .sum();
        (due - loan.interest_repaid()).max(Decimal::ZERO)
    } else {
        Decimal::ZERO
    };
    let compensation = round_to_fen((unpaid_principal + unpaid_interest) * rules.fund_share);
    let mut l = loan.clone();
    l.state = GuaranteeState::Claimed;
    l.claim = Some(Claim {
        date,
        days_past_due: dpd,
        unpaid_principal,
        unpaid_interest,
        compensation,
        recovered: Decimal::ZERO,
        recovered_to_fund: Decimal::ZERO,
    });
    Ok(l)
}

/// A recovery of `amount` on a claimed loan; returns the loan and the fund's share.
pub fn recover(
    loan: &GuaranteedLoan,
    amount: Decimal,
) -> Result<(GuaranteedLoan, Decimal), FundError> {
    let mut l = loan.clone();
    let Some(c) = l.claim.as_mut() else {
        return Err(broken(
            rule::RECOVERY_AFTER_CLAIM,
            format!(
                "loan {} has no claim; the bank keeps what it recovers before one",
                loan.terms.loan_id
            ),
        ));
    };
    let recovered = c.recovered + amount;
    if recovered > c.loss() {
        return Err(broken(
            rule::RECOVERY_AT_MOST_LOSS,
            format!(
                "the loss on loan {} is {}; {} was recovered already, {amount} more is too much",
                loan.terms.loan_id,
                c.loss(),
                c.recovered
            ),
        ));
    }
    let fund_total = if recovered == c.loss() {
        c.compensation
    } else {
        round_to_fen(c.compensation * recovered / c.loss())
    };
    let share = fund_total - c.recovered_to_fund;
    c.recovered = recovered;
    c.recovered_to_fund = fund_total;
    Ok((l, share))
}

#[cfg(test)]
mod tests;
