//! What a loan has to pay on a collection day (收款单): of its scheduled
//! installments, the part fallen due before the day and not paid (overdue),
//! the part falling due on the day, and the penalty accrued to the day, so
//! that paying the line's total on the day settles what has fallen due.
//!
//! Principal and fee are counted as `days_past_due` counts them: what the
//! schedule asks through a date (with any fee carried over from a
//! rescheduled loan, and no fee when the fund charged it upfront) less what
//! was paid. The penalty is the loan's booked penalty, accrued on to the day
//! when day-end has not reached it yet.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::accrue;
use crate::domain::fund::FundRules;
use crate::domain::loan::{Loan, LoanStatus};

/// One loan's line on the collection sheet of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    /// The oldest installment not paid in full: its number and due date
    /// (0 and the disbursement date for fee carried over and not paid).
    pub installment_no: u32,
    pub due_date: NaiveDate,
    /// Principal and fee of installments due before the day, not paid.
    pub overdue: Decimal,
    /// Principal and fee of the installments due on the day, not paid.
    pub due: Decimal,
    /// Penalty accrued to the day and not paid.
    pub penalty: Decimal,
    pub days_past_due: i64,
}

impl Collection {
    pub fn total(&self) -> Decimal {
        self.overdue + self.due + self.penalty
    }
}

/// The loan's line on the sheet of `date`, or `None` when nothing of it has
/// fallen due by then (or it is not being repaid).
pub fn collection(rules: &FundRules, loan: &Loan, date: NaiveDate) -> Option<Collection> {
    if loan.status != LoanStatus::Disbursed {
        return None;
    }
    if unpaid_through(loan, date).is_zero() {
        return None;
    }
    let (installment_no, due_date) = oldest_unpaid(loan);
    let before = date
        .pred_opt()
        .expect("a collection day after the calendar's first");
    let overdue = unpaid_through(loan, before);
    let penalty = match loan.accrued_through {
        Some(through) if through < date => {
            let (l, _) = accrue(rules, loan, date);
            l.penalty_accrued - l.penalty_paid
        }
        _ => loan.penalty_accrued - loan.penalty_paid,
    };
    Some(Collection {
        installment_no,
        due_date,
        overdue,
        due: unpaid_through(loan, date) - overdue,
        penalty,
        days_past_due: super::days_past_due(loan, date),
    })
}

/// Principal and fee the schedule asks through the end of `date`, less what
/// was paid of each (neither below zero: principal paid early does not pay
/// fee).
fn unpaid_through(loan: &Loan, date: NaiveDate) -> Decimal {
    let fee_counts = loan.upfront_fee.is_zero();
    let (mut principal, mut fee) = (Decimal::ZERO, loan.carried_fee);
    for i in loan.schedule.iter().take_while(|i| i.due_date <= date) {
        principal += i.principal;
        fee += i.fee;
    }
    let principal_left = (principal - loan.principal_paid).max(Decimal::ZERO);
    let fee_left = if fee_counts {
        (fee - loan.fee_paid).max(Decimal::ZERO)
    } else {
        Decimal::ZERO
    };
    principal_left + fee_left
}

/// The number and due date of the oldest installment not paid in full.
fn oldest_unpaid(loan: &Loan) -> (u32, NaiveDate) {
    let disbursed = loan
        .disbursed_on
        .expect("a loan being repaid was disbursed");
    if !unpaid_through(loan, disbursed).is_zero() {
        return (0, disbursed);
    }
    loan.schedule
        .iter()
        .find(|i| !unpaid_through(loan, i.due_date).is_zero())
        .map_or((0, disbursed), |i| (i.no, i.due_date))
}
