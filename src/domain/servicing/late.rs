//! Repayments recorded late (DOMAIN.md §2, §4): a clerk writes up on the 5th
//! what a member paid on the 2nd, after day-end ran for the 3rd and 4th. The
//! repayment is taken with its true date: the loan as it stood at the end of
//! that day ([`rewind`]: what the later day-ends accrued taken back out),
//! the money split there as it would have been, then the loan accrued again
//! to the last day accrued ([`catch_up`]). What that changes (penalty on
//! principal that was in fact paid, the fee a payoff ended) is posted as a
//! correction dated the last day accrued; no entry is ever edited.
//!
//! Only a date on or after the loan's last repayment is taken, so no
//! repayment recorded since changed what the later days accrued; the ledger
//! refuses a date in a closed period.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{accrue, overdue_base, penalty_on, scheduled_fee_through, Accrual};
use crate::domain::fund::FundRules;
use crate::domain::loan::Loan;
use crate::domain::money::round_to_fen;

/// What a late repayment changes in what day-end accrued after its date:
/// posted dated `through`, the last day accrued, a negative part taking
/// back what was booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Correction {
    pub through: NaiveDate,
    pub accrual: Accrual,
}

/// The loan as it stood at the end of `date`, before the day-ends that ran
/// after it: the fee back to the schedule's straight-line share through
/// `date`, the penalty less what the days after it accrued (their overdue
/// principal is today's, since nothing was repaid after `date`).
pub fn rewind(rules: &FundRules, loan: &Loan, date: NaiveDate) -> Loan {
    let through = loan
        .accrued_through
        .expect("a disbursed loan has an accrual date");
    let mut l = loan.clone();
    if l.upfront_fee.is_zero() {
        l.fee_accrued = l.carried_fee + scheduled_fee_through(loan, date);
    }
    l.penalty_exact -= penalty_on(rules, overdue_base(rules.day_count, loan, date, through));
    l.penalty_accrued = round_to_fen(l.penalty_exact);
    l.accrued_through = Some(date);
    l
}

/// After a late repayment: `paid` (the loan repaid as of its date) accrued
/// again through `before`'s last day accrued, and what that changes against
/// what `before` had accrued, less the payoff's own `fee_correction`.
pub fn catch_up(
    rules: &FundRules,
    before: &Loan,
    paid: Loan,
    fee_correction: Decimal,
) -> (Loan, Correction) {
    let through = before
        .accrued_through
        .expect("a disbursed loan has an accrual date");
    let (after, _) = accrue(rules, &paid, through);
    let accrual = Accrual {
        fee: after.fee_accrued - before.fee_accrued - fee_correction,
        penalty: after.penalty_accrued - before.penalty_accrued,
    };
    (after, Correction { through, accrual })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fund::FundError;
    use crate::domain::loan::{rule, LoanStatus};
    use crate::domain::schedule::Method;
    use crate::domain::servicing::repay;
    use crate::domain::servicing::tests::{d, date, disbursed};

    /// Equal principal 3,600 over 3 months from March 1 at 7.2%: 1,200 a
    /// month, fees 21.60, 14.40, 7.20; April 1 asks 1,221.60. Day-end runs
    /// April 2 to 6: 1,200 overdue, 1,200 × 0.036 / 360 = 0.12 a day, 0.60;
    /// April's fee 14.40 / 30 = 0.48 a day, 2.40.
    fn after_five_day_ends() -> (FundRules, Loan) {
        let rules = FundRules::default();
        let mut l = disbursed(Method::EqualPrincipal, "3600", 3, "2025-03-01");
        for day in 1..=6 {
            l = accrue(&rules, &l, date(&format!("2025-04-{day:02}"))).0;
        }
        assert_eq!(
            (l.penalty_accrued, l.fee_accrued),
            (d("0.60"), d("21.60") + d("2.40"))
        );
        (rules, l)
    }

    /// Paid on April 1, recorded after the April 6 day-end: split as on the
    /// day (fee 21.60, principal 1,200, no penalty), then the 0.60 of
    /// penalty the day-ends booked is taken back, dated April 6; the fee
    /// stands. The loan comes out as if recorded on time.
    #[test]
    fn an_installment_paid_on_time_and_recorded_late_owes_no_penalty() {
        let (rules, l) = after_five_day_ends();
        let s = repay(&rules, &l, d("1221.60"), date("2025-04-01")).unwrap();
        let r = &s.repayment;
        assert_eq!(
            (r.date, r.penalty, r.fee, r.principal),
            (date("2025-04-01"), d("0"), d("21.60"), d("1200"))
        );
        assert_eq!(s.accrual, Accrual::default());
        let c = s.correction.unwrap();
        assert_eq!(
            (c.through, c.accrual.fee, c.accrual.penalty),
            (date("2025-04-06"), d("0"), d("-0.60"))
        );
        let fresh = disbursed(Method::EqualPrincipal, "3600", 3, "2025-03-01");
        let on_time = repay(&rules, &fresh, d("1221.60"), date("2025-04-01")).unwrap();
        assert_eq!(s.loan, accrue(&rules, &on_time.loan, date("2025-04-06")).0);
        assert_eq!(
            crate::domain::servicing::days_past_due(&s.loan, date("2025-04-06")),
            0
        );
    }

    /// Paid on April 3 (2 days late) and recorded after the April 6 day-end:
    /// the penalty of April 2 and 3, 0.24, is paid with it (1,221.84); that
    /// of April 4 to 6, 0.36, is taken back.
    #[test]
    fn a_late_installment_recorded_later_pays_the_penalty_of_its_own_days() {
        let (rules, l) = after_five_day_ends();
        let s = repay(&rules, &l, d("1221.84"), date("2025-04-03")).unwrap();
        let r = &s.repayment;
        assert_eq!(
            (r.penalty, r.fee, r.principal),
            (d("0.24"), d("21.60"), d("1200"))
        );
        assert_eq!(s.correction.unwrap().accrual.penalty, d("-0.36"));
        assert_eq!(
            (s.loan.penalty_accrued, s.loan.penalty_paid),
            (d("0.24"), d("0.24"))
        );
        let earlier = repay(&rules, &s.loan, d("1"), date("2025-04-02"));
        assert!(matches!(
            earlier,
            Err(FundError::Rule {
                rule: rule::DATE_ORDER,
                ..
            })
        ));
    }

    /// 3,000 fee monthly from March 1, day-ends through March 25 (24 days of
    /// 18 / 31 = 0.58: 13.92), paid off on March 20 and recorded later: the
    /// payoff is 3,000 + 3,000 × 0.072 × 19 / 360 = 3,011.40, its fee
    /// correction 11.40 − 19 × 0.58 = 0.38 on March 20; the 5 days accrued
    /// after it, 2.90, are taken back dated March 25.
    #[test]
    fn a_payoff_recorded_late_drops_the_fee_accrued_after_it() {
        let rules = FundRules::default();
        let l = disbursed(
            Method::FeeMonthlyPrincipalAtMaturity,
            "3000",
            3,
            "2025-03-01",
        );
        let l = accrue(&rules, &l, date("2025-03-25")).0;
        assert_eq!(l.fee_accrued, d("13.92"));
        let s = repay(&rules, &l, d("3011.40"), date("2025-03-20")).unwrap();
        assert_eq!(
            (s.fee_correction, s.loan.status),
            (d("0.38"), LoanStatus::Closed)
        );
        let c = s.correction.unwrap();
        assert_eq!(
            (c.through, c.accrual.fee, c.accrual.penalty),
            (date("2025-03-25"), d("-2.90"), d("0"))
        );
        assert_eq!(
            (s.loan.fee_accrued, s.loan.fee_paid),
            (d("11.40"), d("11.40"))
        );
    }
}
