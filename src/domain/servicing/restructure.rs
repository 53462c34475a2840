//! Rescheduling (展期) and what it leaves: a loan replaced by a new one for
//! its outstanding principal keeps its history, and the new loan is
//! restructured (DOMAIN.md §4). A restructured loan counts at risk in PAR30
//! and PAR90 until it has made three consecutive installments on time
//! (CGAP practice), whatever its days past due. A written-off loan is not
//! rescheduled: what comes in on it is a recovery.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{accrue, Accrual};
use crate::domain::fund::{FundError, FundRules};
use crate::domain::loan::{broken, not_before, require, rule, Loan, LoanStatus};
use crate::domain::schedule::{self, Installment};

/// A rescheduling (展期): the old loan and the new one that replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rescheduling {
    pub accrual: Accrual,
    /// Principal moved to the new loan.
    pub principal: Decimal,
    /// Unpaid fee and penalty moved to the new loan, due at once.
    pub arrears: Decimal,
    pub old: Loan,
    pub new: Loan,
}

/// Replaces a loan on `date` by a new one (`new_id`) for its outstanding
/// principal over `months`, at the same rate and method, with the same
/// purpose category and business; the old loan keeps its history and points
/// at the new one, which is restructured. Unpaid fee and penalty (accrued to
/// the day) move with it and are due at once. A written-off loan is refused
/// with its own rule.
pub fn reschedule(
    rules: &FundRules,
    loan: &Loan,
    date: NaiveDate,
    months: u32,
    new_id: &str,
    reason: &str,
) -> Result<Rescheduling, FundError> {
    if loan.status == LoanStatus::WrittenOff {
        return Err(broken(
            rule::WRITTEN_OFF_NOT_RESCHEDULED,
            format!(
                "loan {} was written off; a written-off loan is not rescheduled (what comes in on it is a recovery)",
                loan.loan_id
            ),
        ));
    }
    require(loan, LoanStatus::Disbursed, "rescheduled")?;
    not_before(
        date,
        loan.accrued_through
            .expect("a disbursed loan has an accrual date"),
        "last day accrued",
    )?;
    if months == 0 || months > rules.term_max_months {
        return Err(broken(
            rule::TERM_MAX,
            format!(
                "the new term must be from 1 to {} months, not {months}",
                rules.term_max_months
            ),
        ));
    }
    let (mut old, accrual) = accrue(rules, loan, date);
    let principal = old.principal - old.principal_paid;
    if principal <= Decimal::ZERO {
        return Err(broken(
            rule::RESCHEDULE_OUTSTANDING,
            format!("loan {} has no principal outstanding", old.loan_id),
        ));
    }
    let fee = old.fee_accrued - old.fee_paid;
    let penalty = old.penalty_accrued - old.penalty_paid;
    let schedule = schedule::build_in(
        rules.day_count,
        old.method,
        principal,
        old.rate_annual,
        months,
        date,
    )
    .map_err(|e| FundError::Invalid {
        field: "term_months".into(),
        reason: e.to_string(),
    })?;
    let new = replacement(&old, new_id, months, date, schedule, reason);
    old.status = LoanStatus::Rescheduled;
    old.closed_on = Some(date);
    old.rescheduled_to = Some(new_id.to_string());
    Ok(Rescheduling {
        accrual,
        principal,
        arrears: fee + penalty,
        old,
        new,
    })
}

/// The loan that replaces `old` on `date` for its outstanding principal on
/// `schedule`: disbursed that day, its unpaid fee and penalty accrued and
/// due at once, nothing paid yet.
fn replacement(
    old: &Loan,
    new_id: &str,
    months: u32,
    date: NaiveDate,
    schedule: Vec<Installment>,
    reason: &str,
) -> Loan {
    let fee = old.fee_accrued - old.fee_paid;
    let penalty = old.penalty_accrued - old.penalty_paid;
    let mut new = old.clone();
    new.loan_id = new_id.to_string();
    new.principal = old.principal - old.principal_paid;
    new.term_months = months;
    new.purpose = format!("rescheduled from {}: {reason}", old.loan_id);
    new.disbursed_on = Some(date);
    new.schedule = schedule;
    new.upfront_fee = Decimal::ZERO;
    new.principal_paid = Decimal::ZERO;
    new.fee_accrued = fee;
    new.fee_paid = Decimal::ZERO;
    new.carried_fee = fee;
    new.penalty_exact = penalty;
    new.penalty_accrued = penalty;
    new.penalty_paid = Decimal::ZERO;
    new.accrued_through = Some(date);
    new.repayments = Vec::new();
    new.rescheduled_from = Some(old.loan_id.clone());
    new.rescheduled_to = None;
    new
}

/// Consecutive installments paid on time that end a restructured loan's
/// counting at risk (CGAP).
pub const ON_TIME_TO_CURE: usize = 3;

/// Whether `loan` counts at risk on `as_of` for being restructured, whatever
/// its days past due (PAR30 and PAR90 include restructured loans, DOMAIN.md
/// §7): a loan that replaced another does until it has made
/// `ON_TIME_TO_CURE` (3) consecutive installments on time, each paid in full
/// by its due date (everything due by then: the arrears carried over, due
/// at once, and the installments' principal and fee), with the repayments
/// dated by `as_of`. Fee credited by a subsidy counts as paid on time: the
/// borrower does not owe it. A loan never restructured does not. (PAR
/// weighs a loan by its outstanding principal: a closed one weighs nothing.)
pub fn counts_at_risk(loan: &Loan, as_of: NaiveDate) -> bool {
    if !loan.restructured() {
        return false;
    }
    let fee_counts = loan.upfront_fee.is_zero();
    let paid_by_repayments: Decimal = loan.repayments.iter().map(|r| r.fee).sum();
    let credited = (loan.fee_paid - paid_by_repayments).max(Decimal::ZERO);
    let mut owed = if fee_counts {
        loan.carried_fee
    } else {
        Decimal::ZERO
    };
    let mut streak = 0;
    for i in loan.schedule.iter().take_while(|i| i.due_date <= as_of) {
        owed += i.principal + if fee_counts { i.fee } else { Decimal::ZERO };
        let paid: Decimal = loan
            .repayments
            .iter()
            .filter(|r| r.date <= i.due_date)
            .map(|r| r.principal + if fee_counts { r.fee } else { Decimal::ZERO })
            .sum();
        let credit = if fee_counts { credited } else { Decimal::ZERO };
        streak = if paid + credit >= owed { streak + 1 } else { 0 };
        if streak >= ON_TIME_TO_CURE {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schedule::Method;
    use crate::domain::servicing::repay;
    use crate::domain::servicing::tests::{d, date, disbursed};

    /// L1 (3,000 fee monthly from March 1) misses April 1 and is rescheduled
    /// on April 11 as L1-R over 6 months: arrears 24.00 due at once, 18.00 a
    /// month due May 11 to October 11, 3,018.00 on October 11.
    fn rescheduled() -> (FundRules, Loan) {
        let rules = FundRules::default();
        let monthly = Method::FeeMonthlyPrincipalAtMaturity;
        let l = disbursed(monthly, "3000", 3, "2025-03-01");
        let r = reschedule(&rules, &l, date("2025-04-11"), 6, "L1-R", "drought").unwrap();
        assert!(r.new.restructured() && !r.old.restructured());
        (rules, r.new)
    }

    fn pay(rules: &FundRules, l: Loan, amount: &str, on: &str) -> Loan {
        repay(rules, &l, d(amount), date(on)).unwrap().loan
    }

    /// Paid on time from the start: the arrears on April 15 and 18.00 on
    /// May 11, June 11 and July 11. On July 10 two installments are on time:
    /// still at risk; on July 11 the third is: no longer.
    #[test]
    fn three_installments_on_time_end_the_risk() {
        let (rules, mut l) = rescheduled();
        assert!(counts_at_risk(&l, date("2025-04-11")));
        l = pay(&rules, l, "24.00", "2025-04-15");
        for due in ["2025-05-11", "2025-06-11", "2025-07-11"] {
            l = pay(&rules, l, "18.00", due);
        }
        assert!(counts_at_risk(&l, date("2025-07-10")));
        assert!(!counts_at_risk(&l, date("2025-07-11")));
        let never = disbursed(Method::Bullet, "1000", 3, "2025-03-01");
        assert!(!counts_at_risk(&never, date("2025-03-02")));
    }

    /// June 11's 18.00 is paid a day late: the run starts again. July 11,
    /// August 11 and September 11 on time end the risk on September 11, not
    /// before.
    #[test]
    fn a_late_installment_starts_the_run_again() {
        let (rules, mut l) = rescheduled();
        l = pay(&rules, l, "42.00", "2025-05-11");
        l = pay(&rules, l, "18.00", "2025-06-12");
        for due in ["2025-07-11", "2025-08-11"] {
            l = pay(&rules, l, "18.00", due);
        }
        assert!(counts_at_risk(&l, date("2025-09-10")));
        l = pay(&rules, l, "18.00", "2025-09-11");
        assert!(!counts_at_risk(&l, date("2025-09-11")));
    }

    /// A subsidy credited on the fee counts as paid on time: the borrower
    /// pays the arrears (24.00) and nothing of May 11's 18.00, which a
    /// subsidy covers (fee paid 42.00, 24.00 of it by repayments); with June
    /// 11 and July 11 paid, three installments are on time on July 11.
    /// Without the subsidy May 11 was missed and the loan is still at risk.
    #[test]
    fn fee_a_subsidy_paid_counts_as_paid_on_time() {
        let (rules, l) = rescheduled();
        let mut l = pay(&rules, l, "24.00", "2025-04-15");
        let unsubsidized = ["2025-06-11", "2025-07-11"]
            .iter()
            .fold(l.clone(), |l, due| pay(&rules, l, "18.00", due));
        l.fee_paid += d("18.00");
        for due in ["2025-06-11", "2025-07-11"] {
            l = pay(&rules, l, "18.00", due);
        }
        assert!(!counts_at_risk(&l, date("2025-07-11")));
        assert!(counts_at_risk(&unsubsidized, date("2025-07-11")));
    }

    /// A written-off loan is refused with its own rule.
    #[test]
    fn a_written_off_loan_is_not_rescheduled() {
        let rules = FundRules::default();
        let mut l = disbursed(Method::Bullet, "1000", 3, "2025-03-01");
        l.status = LoanStatus::WrittenOff;
        let refused = reschedule(&rules, &l, date("2025-04-11"), 6, "X", "drought");
        assert!(matches!(
            refused,
            Err(FundError::Rule {
                rule: rule::WRITTEN_OFF_NOT_RESCHEDULED,
                ..
            })
        ));
    }
}
