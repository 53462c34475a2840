//! The county risk-compensation fund (风险补偿金, DOMAIN.md §5): a program's
//! rules, the loans a cooperating bank registers against it at 1:7 to 1:10,
//! defaults, compensation and recoveries. Decides; never stores.
//!
//! - **Leverage cap**: exposure (guaranteed principal outstanding) may never
//!   pass `leverage_ratio` × the fund balance when a loan is registered or
//!   money withdrawn. Compensation may leave the fund short of it; then
//!   nothing more is lent until repayments or deposits restore headroom.
//! - **In default**: a loan at least `claim_after_days` past due, and a
//!   claimed loan until the principal unpaid at its claim is recovered.
//!   **Default ratio** = principal in default / (exposure of loans not
//!   claimed + principal in default of claimed loans). Lending is suspended
//!   while it is above the threshold.
//! - **Compensation** = round(fund share × (unpaid principal + interest due
//!   and unpaid, when the program covers interest)).
//! - **Recoveries** come back pro rata: the fund's cumulative share is
//!   round(compensation × recovered / loss); the recovery that completes the
//!   loss takes the remainder, so the fund never gets back more than it paid.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::fund::{age_on, FundError, PovertyStatus};
use super::loan::{broken, not_before, rule::AT_MOST_OWED};
use super::money::{round_ratio, round_to_fen};
use super::schedule::{self, Installment, Method};
use super::subsidy::Track;

pub mod recipe;

/// Leverage ratios a program may set (1:7 to 1:10, field).
pub const MIN_LEVERAGE_RATIO: u32 = 7;
pub const MAX_LEVERAGE_RATIO: u32 = 10;
/// Largest guaranteed loan, in yuan (field).
pub const MAX_GUARANTEED_PRINCIPAL_YUAN: u32 = 50_000;
/// Longest guaranteed loan, in months (3 years, field).
pub const MAX_GUARANTEED_TERM_MONTHS: u32 = 36;
/// Youngest borrower, in full years.
pub const MIN_BORROWER_AGE_YEARS: u32 = 18;
/// Oldest borrower by default (60; relaxed to 65 in places, field).
pub const DEFAULT_BORROWER_AGE_MAX_YEARS: u32 = 60;
/// Days past due before a claim, by default (assumed).
pub const DEFAULT_CLAIM_AFTER_DAYS: u32 = 90;

pub mod rule {
    pub const LEVERAGE_CAP: &str = "leverage_cap";
    pub const ELIGIBLE: &str = "borrower_eligible";
    pub const AGE_LIMIT: &str = "borrower_age_limit";
    pub const PRINCIPAL_MAX: &str = "guaranteed_principal_max";
    pub const TERM_MAX: &str = "guaranteed_term_max";
    pub const SUSPENDED: &str = "lending_suspended";
    pub const CLAIM_THRESHOLD: &str = "claim_threshold";
    pub const CLAIM_ONCE: &str = "claim_once";
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

/// A program's rules; products are data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRules {
    pub leverage_ratio: u32,
    /// The fund's share of a loss (assumed 0.70); the bank bears the rest.
    pub fund_share: Decimal,
    pub claim_after_days: u32,
    /// Lending is suspended while the default ratio is above this (assumed 0.05).
    pub suspend_above_default_ratio: Decimal,
    pub borrower_age_max: u32,
    pub compensate_interest: bool,
    pub bank_id: String,
}

impl ProgramRules {
    /// The defaults of DOMAIN.md for a program at `leverage_ratio` with `bank_id`.
    pub fn new(leverage_ratio: u32, bank_id: String) -> Self {
        Self {
            leverage_ratio,
            fund_share: Decimal::new(70, 2),
            claim_after_days: DEFAULT_CLAIM_AFTER_DAYS,
            suspend_above_default_ratio: Decimal::new(5, 2),
            borrower_age_max: DEFAULT_BORROWER_AGE_MAX_YEARS,
            compensate_interest: false,
            bank_id,
        }
    }

    pub fn validate(&self) -> Result<(), FundError> {
        if !(MIN_LEVERAGE_RATIO..=MAX_LEVERAGE_RATIO).contains(&self.leverage_ratio) {
            return Err(invalid(
                "rules.leverage_ratio",
                format!(
                    "must be from {MIN_LEVERAGE_RATIO} to {MAX_LEVERAGE_RATIO} (1:{MIN_LEVERAGE_RATIO} to 1:{MAX_LEVERAGE_RATIO}), not {}",
                    self.leverage_ratio
                ),
            ));
        }
        let fraction = |d: Decimal| d > Decimal::ZERO && d <= Decimal::ONE;
        if !fraction(self.fund_share) {
            return Err(invalid("rules.fund_share", "must be above 0 and at most 1"));
        }
        if !fraction(self.suspend_above_default_ratio) {
            return Err(invalid(
                "rules.suspend_above_default_ratio",
                "must be above 0 and at most 1",
            ));
        }
        if !(MIN_BORROWER_AGE_YEARS..=100).contains(&self.borrower_age_max) {
            return Err(invalid(
                "rules.borrower_age_max",
                format!("must be from {MIN_BORROWER_AGE_YEARS} to 100"),
            ));
        }
        Ok(())
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

/// A loan the bank registered under the program: its terms as registered
/// (the registration date is the disbursement date) and what happened since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteedLoan {
    pub terms: Registration,
    pub schedule: Vec<Installment>,
    pub repayments: Vec<BankRepayment>,
    pub state: GuaranteeState,
    pub closed_on: Option<NaiveDate>,
    pub claim: Option<Claim>,
}

impl GuaranteedLoan {
    pub fn principal_repaid(&self) -> Decimal {
        self.repayments.iter().map(|r| r.principal).sum()
    }

    pub fn interest_repaid(&self) -> Decimal {
        self.repayments.iter().map(|r| r.interest).sum()
    }

    /// Guaranteed principal outstanding: what 7001/7002 hold for the loan.
    pub fn exposure(&self) -> Decimal {
        match self.state {
            GuaranteeState::Active => self.terms.principal - self.principal_repaid(),
            GuaranteeState::Closed | GuaranteeState::Claimed => Decimal::ZERO,
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

    /// Principal in default on `date` (see the module's definition).
    pub fn principal_in_default(&self, rules: &ProgramRules, date: NaiveDate) -> Decimal {
        match (&self.state, &self.claim) {
            (GuaranteeState::Claimed, Some(c)) => c.principal_in_default(),
            (GuaranteeState::Active, _)
                if self.days_past_due(date) >= i64::from(rules.claim_after_days) =>
            {
                self.exposure()
            }
            _ => Decimal::ZERO,
        }
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
        assert_eq!(
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
        }
    }

    /// ratio × fund balance.
    pub fn capacity(&self, rules: &ProgramRules) -> Decimal {
        self.fund_balance * Decimal::from(rules.leverage_ratio)
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

/// What the bank registers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub loan_id: String,
    pub household_id: String,
    pub borrower_name: String,
    pub poverty_status: PovertyStatus,
    pub birth_date: NaiveDate,
    pub principal: Decimal,
    pub term_months: u32,
    pub rate_annual: Decimal,
    pub method: Method,
    pub date: NaiveDate,
}

/// Guaranteed loans go to registered poor and monitored households.
pub fn eligible(status: PovertyStatus) -> bool {
    status.program_eligible()
}

/// Registers a loan: eligibility, limits, suspension and the leverage cap.
pub fn register(
    rules: &ProgramRules,
    r: Registration,
    standing: Standing,
) -> Result<GuaranteedLoan, FundError> {
    if r.principal <= Decimal::ZERO || r.principal.normalize().scale() > 2 {
        return Err(invalid(
            "principal",
            "must be an amount of yuan above zero with at most two decimal places",
        ));
    }
    if !eligible(r.poverty_status) {
        return Err(broken(
            rule::ELIGIBLE,
            format!(
                "household {} is {:?}; guaranteed loans go to registered poor or monitored households",
                r.household_id, r.poverty_status
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
    if r.principal > Decimal::from(MAX_GUARANTEED_PRINCIPAL_YUAN) {
        return Err(broken(
            rule::PRINCIPAL_MAX,
            format!(
                "a guaranteed loan is at most {MAX_GUARANTEED_PRINCIPAL_YUAN}; asked {}",
                r.principal
            ),
        ));
    }
    if r.term_months == 0 || r.term_months > MAX_GUARANTEED_TERM_MONTHS {
        return Err(broken(
            rule::TERM_MAX,
            format!(
                "a guaranteed loan runs 1 to {MAX_GUARANTEED_TERM_MONTHS} months, not {}",
                r.term_months
            ),
        ));
    }
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
    if standing.exposure + r.principal > capacity {
        return Err(broken(
            rule::LEVERAGE_CAP,
            format!(
                "exposure {} plus {} would pass 1:{} of the fund's {} ({capacity}); headroom is {}",
                standing.exposure,
                r.principal,
                rules.leverage_ratio,
                standing.fund_balance,
                capacity - standing.exposure
            ),
        ));
    }
    let schedule = schedule::build(r.method, r.principal, r.rate_annual, r.term_months, r.date)
        .map_err(|e| invalid("rate_annual", e.to_string()))?;
    Ok(GuaranteedLoan {
        terms: r,
        schedule,
        repayments: Vec::new(),
        state: GuaranteeState::Active,
        closed_on: None,
        claim: None,
    })
}

/// A withdrawal of `amount` from the fund keeps exposure within the cap.
pub fn check_withdrawal(
    rules: &ProgramRules,
    standing: Standing,
    amount: Decimal,
) -> Result<(), FundError> {
    let left = standing.fund_balance - amount;
    let capacity = left * Decimal::from(rules.leverage_ratio);
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
    let outstanding = loan.exposure();
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

/// A claim on `date`: the loan must be at least `claim_after_days` past due
/// and not claimed before.
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
    loan.require_active("claimed")?;
    let last = loan.repayments.last().map_or(loan.terms.date, |r| r.date);
    not_before(date, last, "last repayment or disbursement")?;
    let dpd = loan.days_past_due(date);
    if dpd < i64::from(rules.claim_after_days) {
        return Err(broken(
            rule::CLAIM_THRESHOLD,
            format!(
                "loan {} is {dpd} days past due on {date}; a claim needs at least {}",
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
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn rules(ratio: u32) -> ProgramRules {
        ProgramRules::new(ratio, "rcc".into())
    }

    fn registration(id: &str, principal: &str, method: Method) -> Registration {
        Registration {
            loan_id: id.into(),
            household_id: format!("H-{id}"),
            borrower_name: "Li".into(),
            poverty_status: PovertyStatus::RegisteredPoor,
            birth_date: d("1980-05-01"),
            principal: dec(principal),
            term_months: 12,
            rate_annual: dec("0.0435"),
            method,
            date: d("2025-01-10"),
        }
    }

    fn standing(fund: &str, exposure: &str) -> Standing {
        Standing {
            fund_balance: dec(fund),
            exposure: dec(exposure),
            principal_in_default: Decimal::ZERO,
            portfolio: dec(exposure),
        }
    }

    fn rule_of(e: FundError) -> &'static str {
        match e {
            FundError::Rule { rule, .. } => rule,
            FundError::Invalid { field, .. } => panic!("invalid {field}"),
        }
    }

    #[test]
    fn ratio_is_7_to_10() {
        for ratio in [7, 10] {
            assert!(rules(ratio).validate().is_ok());
        }
        for ratio in [6, 11, 0] {
            assert!(matches!(
                rules(ratio).validate(),
                Err(FundError::Invalid { field, .. }) if field == "rules.leverage_ratio"
            ));
        }
    }

    #[test]
    fn the_cap_is_exact_to_the_fen() {
        // 1:7 on 1,000,000: 6,950,000 outstanding leaves 50,000.00 of headroom.
        let r = rules(7);
        let s = standing("1000000", "6950000");
        assert!(register(&r, registration("A", "50000", Method::Bullet), s).is_ok());
        let s = standing("1000000", "6950000.01");
        let e = register(&r, registration("A", "50000", Method::Bullet), s).unwrap_err();
        assert_eq!(rule_of(e), rule::LEVERAGE_CAP);
        // Withdrawals: 6,950,000 needs 992,857.142857... of fund, so at most
        // 7,142.85 may leave (7 x 992,857.15 = 6,950,000.05; 7 x 992,857.14 =
        // 6,949,999.98).
        let s = standing("1000000", "6950000");
        assert!(check_withdrawal(&r, s, dec("7142.85")).is_ok());
        assert_eq!(
            rule_of(check_withdrawal(&r, s, dec("7142.86")).unwrap_err()),
            rule::LEVERAGE_CAP
        );
    }

    #[test]
    fn eligibility_and_limits() {
        let r = rules(10);
        let s = standing("1000000", "0");
        let mut a = registration("A", "50000.01", Method::Bullet);
        assert_eq!(
            rule_of(register(&r, a.clone(), s).unwrap_err()),
            rule::PRINCIPAL_MAX
        );
        a.principal = dec("50000");
        a.term_months = 37;
        assert_eq!(
            rule_of(register(&r, a.clone(), s).unwrap_err()),
            rule::TERM_MAX
        );
        a.term_months = 36;
        assert!(register(&r, a.clone(), s).is_ok());
        a.poverty_status = PovertyStatus::LowIncome;
        assert_eq!(
            rule_of(register(&r, a.clone(), s).unwrap_err()),
            rule::ELIGIBLE
        );
        a.poverty_status = PovertyStatus::MonitoredEdge;
        assert!(register(&r, a.clone(), s).is_ok());
        // 60 on the day is allowed, 61 is not.
        a.birth_date = d("1965-01-10");
        assert!(register(&r, a.clone(), s).is_ok());
        a.birth_date = d("1964-01-10");
        assert_eq!(
            rule_of(register(&r, a.clone(), s).unwrap_err()),
            rule::AGE_LIMIT
        );
    }

    #[test]
    fn claim_compensation_recovery_and_the_default_ratio() {
        // 48,000 in 12 equal principal installments of 4,000 from Feb 10;
        // two paid, the third (Apr 10) not: on Jul 9 it is 90 days past due
        // (20 + 31 + 30 + 9).
        let mut r = rules(10);
        let l = register(
            &r,
            registration("A", "48000", Method::EqualPrincipal),
            standing("1000000", "0"),
        )
        .unwrap();
        let fee = |k: usize| l.schedule[k].fee;
        let l = repay(&l, dec("4000"), fee(0), d("2025-02-10")).unwrap();
        let l = repay(&l, dec("4000"), fee(1), d("2025-03-10")).unwrap();
        assert_eq!(l.exposure(), dec("40000"));
        assert_eq!(l.days_past_due(d("2025-07-08")), 89);
        let e = claim(&r, &l, d("2025-07-08")).unwrap_err();
        assert_eq!(rule_of(e), rule::CLAIM_THRESHOLD);
        // In default from day 90, with its 40,000 of exposure.
        assert_eq!(l.principal_in_default(&r, d("2025-07-08")), Decimal::ZERO);
        assert_eq!(l.principal_in_default(&r, d("2025-07-09")), dec("40000"));
        let c = claim(&r, &l, d("2025-07-09")).unwrap();
        let cl = c.claim.clone().unwrap();
        // 70% of the 40,000 unpaid principal.
        assert_eq!((cl.compensation, cl.days_past_due), (dec("28000.00"), 90));
        assert_eq!(c.exposure(), Decimal::ZERO);
        assert_eq!(
            rule_of(claim(&r, &c, d("2025-07-10")).unwrap_err()),
            rule::CLAIM_ONCE
        );
        // Recoveries: 20,000 gives the fund 28,000 x 20,000 / 40,000 = 14,000;
        // 7,000.01 more: cumulative round(28,000 x 27,000.01 / 40,000) =
        // round(18,900.007) = 18,900.01, so 4,900.01; the last 12,999.99
        // completes the loss and takes the remainder, 9,099.99.
        let (c, back) = recover(&c, dec("20000")).unwrap();
        assert_eq!(back, dec("14000.00"));
        assert_eq!(c.principal_in_default(&r, d("2025-08-01")), dec("20000"));
        let (c, back) = recover(&c, dec("7000.01")).unwrap();
        assert_eq!(back, dec("4900.01"));
        let e = recover(&c, dec("13000")).unwrap_err();
        assert_eq!(rule_of(e), rule::RECOVERY_AT_MOST_LOSS);
        let (c, back) = recover(&c, dec("12999.99")).unwrap();
        assert_eq!(back, dec("9099.99"));
        assert_eq!(c.claim.unwrap().recovered_to_fund, dec("28000.00"));
        // Covering interest: the Apr 10 to Jul 10 installments' interest is
        // due by Jul 10 (Jul 10's too), none paid.
        r.compensate_interest = true;
        let c = claim(&r, &l, d("2025-07-10")).unwrap().claim.unwrap();
        let interest: Decimal = (2..6).map(fee).sum();
        assert_eq!(c.unpaid_interest, interest);
        assert_eq!(
            c.compensation,
            round_to_fen((dec("40000") + interest) * dec("0.7"))
        );
    }

    #[test]
    fn default_ratio_suspends_and_resumes() {
        // 40,000 in default of 490,000: 8.16% > 5%; after 20,000 recovered,
        // 20,000 of 470,000: 4.26%.
        let r = rules(10);
        let s = Standing {
            fund_balance: dec("972000"),
            exposure: dec("450000"),
            principal_in_default: dec("40000"),
            portfolio: dec("490000"),
        };
        assert!(s.suspended(&r));
        let e = register(&r, registration("B", "1000", Method::Bullet), s).unwrap_err();
        assert_eq!(rule_of(e), rule::SUSPENDED);
        let s = Standing {
            principal_in_default: dec("20000"),
            portfolio: dec("470000"),
            ..s
        };
        assert!(!s.suspended(&r));
        assert!(register(&r, registration("B", "1000", Method::Bullet), s).is_ok());
    }
}
