//! Servicing a disbursed loan (DOMAIN.md §4): day-end accrual of the
//! occupancy fee and of the penalty on overdue principal, repayment through
//! the waterfall, early payoff, days past due and their buckets.
//!
//! - **Fee accrual**: each day of an installment period gets the straight-line
//!   share of that period's scheduled fee, rounded; the period's last day (its
//!   due date) takes the remainder, so the accrued total equals the schedule to
//!   the fen. Nothing accrues after the last due date, nor for a fund that
//!   charged the fee upfront.
//! - **Penalty**: overdue principal (scheduled principal due before the day,
//!   less principal paid) × penalty rate × the day's weight / 360, the weight
//!   being what the day adds to the stretch from the disbursement date in the
//!   fund's day count (`DayCount::weight`: always 1 under actual/360; under
//!   months and days the days between two monthly anniversaries weigh 30 in
//!   all, so the last of a 31-day stretch weighs 0 and of a 28-day one 3).
//!   The unrounded sum is kept and its rounding is what is booked.
//! - **Repayment**: what has fallen due first, in the fund's order (penalty,
//!   fee, principal unless its rules say otherwise); then principal not yet
//!   due (paid early); the fee accruing in the current period is paid at its
//!   due date or at payoff. Paying everything off before maturity pays the
//!   fee accrued to that day as the outstanding's interest in the fund's day
//!   count since the last due date (instead of the straight-line share) and
//!   drops the rest of the schedule. More than the payoff is refused. A
//!   repayment recorded after day-end ran past its date is taken with its
//!   date, and what day-end accrued since is corrected (`late`).
//! - **Standing** of a borrower (`standing`), **restructured** loans
//!   (`restructure`) and a day's **collection** sheet line (`collection`)
//!   live in their own files.
use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::dates::days;
use super::daycount::{DayCount, DAYS_PER_YEAR};
use super::fund::{Component, FundError, FundRules};
use super::loan::{broken, not_before, require, rule, Loan, LoanStatus, Repayment};
use super::money::round_to_fen;

mod collection;
mod late;
pub mod recipe;
mod restructure;
mod standing;

pub use collection::{collection, Collection};
pub use late::Correction;
pub use restructure::{counts_at_risk, reschedule, Rescheduling};
pub use standing::standing;

/// What one accrual books: fee and penalty income receivable from the borrower.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accrual {
    pub fee: Decimal,
    pub penalty: Decimal,
}

/// Start of each installment period: the disbursement date, then each due date.
fn period_start(loan: &Loan, k: usize) -> NaiveDate {
    if k == 0 {
        loan.disbursed_on.expect("a serviced loan was disbursed")
    } else {
        loan.schedule[k - 1].due_date
    }
}

/// The fee share of day `d` under the straight-line rule.
fn fee_of_day(loan: &Loan, d: NaiveDate) -> Decimal {
    let Some(k) = loan.schedule.iter().position(|i| d <= i.due_date) else {
        return Decimal::ZERO;
    };
    let start = period_start(loan, k);
    if d <= start {
        return Decimal::ZERO;
    }
    let inst = &loan.schedule[k];
    let n = days(start, inst.due_date);
    let share = round_to_fen(inst.fee / Decimal::from(n));
    if d == inst.due_date {
        inst.fee - share * Decimal::from(n - 1)
    } else {
        share
    }
}

/// The penalty's base from the end of `from` through the end of `through`:
/// each day's overdue principal × the day's weight in `count` (360ths of a
/// year, counted from the disbursement date). Exact: amounts in fen times
/// whole weights.
fn overdue_base(count: DayCount, loan: &Loan, from: NaiveDate, through: NaiveDate) -> Decimal {
    let anchor = loan.disbursed_on.expect("a serviced loan was disbursed");
    let mut base = Decimal::ZERO;
    let mut day = from;
    while day < through {
        let next = day.succ_opt().expect("dates stay in range");
        base += overdue_principal(loan, next) * Decimal::from(count.weight(anchor, day));
        day = next;
    }
    base
}

/// The penalty on a base of overdue principal × 360ths of a year.
fn penalty_on(rules: &FundRules, base: Decimal) -> Decimal {
    base * rules.penalty_rate_annual / Decimal::from(DAYS_PER_YEAR)
}

/// Scheduled principal falling due before day `d`, less principal paid.
fn overdue_principal(loan: &Loan, d: NaiveDate) -> Decimal {
    let due: Decimal = loan
        .schedule
        .iter()
        .filter(|i| i.due_date < d)
        .map(|i| i.principal)
        .sum();
    (due - loan.principal_paid).max(Decimal::ZERO)
}

/// The rule a second day-end run for a date breaks.
pub const DAY_END_ONCE: &str = "day_end_once_per_date";

/// The rule a day-end for a day that has not come yet breaks.
pub const DAY_END_NOT_AHEAD: &str = "day_end_not_in_future";

/// A fund's day-end runs once per date, in date order (`last` is the last
/// date it ran for), and never for a day after `today`.
pub fn check_day_end(
    fund_id: &str,
    last: Option<NaiveDate>,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), FundError> {
    if date > today {
        return Err(broken(
            DAY_END_NOT_AHEAD,
            format!("the day-end of {date} runs from that day on; today is {today}"),
        ));
    }
    match last {
        Some(last) if date <= last => Err(broken(
            DAY_END_ONCE,
            format!("day-end of fund {fund_id:?} has run through {last}; the next run is for a later date"),
        )),
        _ => Ok(()),
    }
}

/// The dates to run the day-end on to bring it from `from` (the day it
/// has run through, or the first disbursement) to `through`: every month's
/// last day in between, then `through`, so that each month's fee and
/// penalty are booked in that month. Empty when there is nothing to run.
pub fn day_end_steps(from: NaiveDate, through: NaiveDate) -> Vec<NaiveDate> {
    let mut steps = Vec::new();
    let mut day = from;
    while day < through {
        // The last day of the month of the day after `day`.
        let first = day
            .succ_opt()
            .and_then(|d| d.with_day(1))
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .expect("dates within the ledger's range");
        day = first.pred_opt().expect("a day before a month").min(through);
        steps.push(day);
    }
    steps
}

/// Accrues fee and penalty for the days after `accrued_through` up to
/// `through`; returns the loan as it stands after and what to book.
pub fn accrue(rules: &FundRules, loan: &Loan, through: NaiveDate) -> (Loan, Accrual) {
    let mut l = loan.clone();
    let Some(mut day) = loan.accrued_through else {
        return (l, Accrual::default());
    };
    if loan.status != LoanStatus::Disbursed || through <= day {
        return (l, Accrual::default());
    }
    l.penalty_exact += penalty_on(rules, overdue_base(rules.day_count, loan, day, through));
    let mut fee = Decimal::ZERO;
    while day < through && loan.upfront_fee.is_zero() {
        day = day.succ_opt().expect("dates stay in range");
        fee += fee_of_day(loan, day);
    }
    let penalty = round_to_fen(l.penalty_exact) - l.penalty_accrued;
    l.fee_accrued += fee;
    l.penalty_accrued += penalty;
    l.accrued_through = Some(through);
    if l.upfront_fee.is_zero() {
        assert_eq!(
            l.fee_accrued,
            l.carried_fee + scheduled_fee_through(&l, through),
            "loan {}: the fee accrued through {through} is what the schedule gives",
            l.loan_id
        );
    }
    (l, Accrual { fee, penalty })
}

/// The fee the straight-line rule gives through the end of `date`: every
/// period that has fallen due in full, and the rounded daily share of each
/// day of the current one. Through the last due date it is the schedule's
/// total fee, to the fen.
pub fn scheduled_fee_through(loan: &Loan, date: NaiveDate) -> Decimal {
    let mut total = Decimal::ZERO;
    for (k, inst) in loan.schedule.iter().enumerate() {
        if inst.due_date <= date {
            total += inst.fee;
            continue;
        }
        let start = period_start(loan, k);
        if date > start {
            let share = round_to_fen(inst.fee / Decimal::from(days(start, inst.due_date)));
            total += share * Decimal::from(days(start, date));
        }
        break;
    }
    total
}

/// Days past due on `date`: since the due date of the first installment not
/// covered by what was paid, when that date has passed; 0 otherwise.
pub fn days_past_due(loan: &Loan, date: NaiveDate) -> i64 {
    if loan.status != LoanStatus::Disbursed {
        return 0;
    }
    let (mut principal, mut fee) = (Decimal::ZERO, loan.carried_fee);
    let fee_counts = loan.upfront_fee.is_zero();
    if fee_counts && loan.fee_paid < fee {
        let start = period_start(loan, 0);
        return if start < date { days(start, date) } else { 0 };
    }
    for i in &loan.schedule {
        principal += i.principal;
        fee += i.fee;
        let covered = loan.principal_paid >= principal && (!fee_counts || loan.fee_paid >= fee);
        if !covered {
            return if i.due_date < date {
                days(i.due_date, date)
            } else {
                0
            };
        }
    }
    0
}

/// The next installment not yet covered by what was paid: its due date and
/// what remains to pay of it (principal, and fee unless charged upfront).
pub fn next_due(loan: &Loan) -> Option<(NaiveDate, Decimal)> {
    if loan.status != LoanStatus::Disbursed {
        return None;
    }
    let fee_counts = loan.upfront_fee.is_zero();
    let (mut principal, mut fee) = (Decimal::ZERO, loan.carried_fee);
    if fee_counts && loan.fee_paid < fee {
        return Some((period_start(loan, 0), fee - loan.fee_paid));
    }
    for i in &loan.schedule {
        principal += i.principal;
        fee += i.fee;
        let principal_left = (principal - loan.principal_paid).max(Decimal::ZERO);
        let fee_left = if fee_counts {
            (fee - loan.fee_paid).max(Decimal::ZERO)
        } else {
            Decimal::ZERO
        };
        if principal_left + fee_left > Decimal::ZERO {
            return Some((i.due_date, principal_left + fee_left));
        }
    }
    None
}

/// The delinquency bucket of a count of days past due.
pub fn bucket(days_past_due: i64) -> &'static str {
    [(90, "90+"), (60, "61-90"), (30, "31-60"), (0, "1-30")]
        .into_iter()
        .find(|(more_than, _)| super::dates::past_due_more_than(days_past_due, *more_than))
        .map_or("current", |(_, bucket)| bucket)
}

/// The loan as it stood at the end of `date`, for its days past due then (the
/// loan ledger and supervision at a past date): `None` if it was not yet
/// disbursed; after its closing (paid off, written off or rescheduled) as it
/// ended; otherwise still running, with the repayments dated after `date`
/// taken back out of what was paid (fee credited by a subsidy stays paid).
pub fn as_of(loan: &Loan, date: NaiveDate) -> Option<Cow<'_, Loan>> {
    if loan.disbursed_on.is_none_or(|d| d > date) {
        return None;
    }
    let untouched_since = match loan.closed_on {
        Some(closed) => closed <= date,
        None => loan.repayments.iter().all(|r| r.date <= date),
    };
    if untouched_since {
        // Nothing the loan records happened after `date`: it stood as it is.
        return Some(Cow::Borrowed(loan));
    }
    let mut l = loan.clone();
    let (kept, later): (Vec<_>, Vec<_>) = l.repayments.into_iter().partition(|r| r.date <= date);
    for r in &later {
        l.principal_paid -= r.principal;
        l.fee_paid -= r.fee;
        l.penalty_paid -= r.penalty;
    }
    l.repayments = kept;
    if l.closed_on.is_some() {
        l.status = LoanStatus::Disbursed;
        l.closed_on = None;
        l.written_off = Decimal::ZERO;
        l.write_off_decision = None;
        l.rescheduled_to = None;
    }
    Some(Cow::Owned(l))
}

/// A repayment's effect: accrual up to the day, an early-payoff correction of
/// the fee (signed), the split of the money, and for a repayment recorded
/// after day-end ran past its date, the correction of what it accrued since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub accrual: Accrual,
    /// Added to (or, negative, taken from) the fee receivable at an early payoff.
    pub fee_correction: Decimal,
    pub repayment: Repayment,
    /// Recorded late: what day-end accrued after the repayment's date that it changes.
    pub correction: Option<Correction>,
    pub loan: Loan,
}

/// What paying everything off on `date` takes, and the fee correction that
/// comes with it, for a loan accrued through `date`, counting days in `count`.
pub fn payoff(count: DayCount, loan: &Loan, date: NaiveDate) -> (Decimal, Decimal) {
    let outstanding = loan.principal - loan.principal_paid;
    let penalty_due = loan.penalty_accrued - loan.penalty_paid;
    let fee_due = loan.fee_accrued - loan.fee_paid;
    let last_due = loan.schedule.last().map(|i| i.due_date);
    let early = loan.upfront_fee.is_zero() && last_due.is_some_and(|last| date < last);
    if !early {
        return (penalty_due + fee_due + outstanding, Decimal::ZERO);
    }
    // Replace the current period's straight-line accrual with the
    // outstanding's interest since the last due date.
    let k = loan
        .schedule
        .iter()
        .position(|i| date < i.due_date)
        .expect("an early payoff is before the last due date");
    let since = period_start(loan, k);
    let mut straight_line = Decimal::ZERO;
    let mut d = since;
    while d < date {
        d = d.succ_opt().expect("dates stay in range");
        straight_line += fee_of_day(loan, d);
    }
    let early_fee = round_to_fen(count.interest(outstanding, loan.rate_annual, since, date));
    let correction = early_fee - straight_line;
    (penalty_due + fee_due + correction + outstanding, correction)
}

/// Takes a repayment of `amount` on `date`: accrues up to the day, then pays
/// penalty, fee and principal in that order; paying exactly the payoff closes
/// the loan; paying more is refused. A date before the last day accrued (a
/// repayment recorded late) is taken as it would have been on the day, and
/// what day-end accrued since is corrected (`late`); a date before the
/// loan's last repayment (or its disbursement) is refused.
pub fn repay(
    rules: &FundRules,
    loan: &Loan,
    amount: Decimal,
    date: NaiveDate,
) -> Result<Settlement, FundError> {
    require(loan, LoanStatus::Disbursed, "repaid")?;
    let (last, what) = match loan.repayments.last() {
        Some(r) => (r.date, "loan's last repayment"),
        None => (
            loan.disbursed_on.expect("a disbursed loan has a date"),
            "disbursement",
        ),
    };
    not_before(date, last, what)?;
    let through = loan
        .accrued_through
        .expect("a disbursed loan has an accrual date");
    let recorded_late = date < through;
    let on_the_day = if recorded_late {
        late::rewind(rules, loan, date)
    } else {
        loan.clone()
    };
    let (mut l, accrual) = accrue(rules, &on_the_day, date);
    let (payoff_amount, correction) = payoff(rules.day_count, &l, date);
    if amount > payoff_amount {
        return Err(broken(
            rule::AT_MOST_OWED,
            format!(
                "loan {} is paid off with {payoff_amount} on {date}; {amount} is more than is owed",
                l.loan_id
            ),
        ));
    }
    let closing = amount == payoff_amount;
    let fee_correction = if closing { correction } else { Decimal::ZERO };
    l.fee_accrued += fee_correction;
    let repayment = allocate(rules, &l, amount, date, closing);
    l.penalty_paid += repayment.penalty;
    l.fee_paid += repayment.fee;
    l.principal_paid += repayment.principal;
    l.repayments.push(repayment.clone());
    if closing {
        l.status = LoanStatus::Closed;
        l.closed_on = Some(date);
    }
    let (loan, correction) = if recorded_late {
        let (after, c) = late::catch_up(rules, loan, l, fee_correction);
        (after, Some(c))
    } else {
        (l, None)
    };
    Ok(Settlement {
        accrual,
        fee_correction,
        repayment,
        correction,
        loan,
    })
}

/// Splits `amount` through the waterfall: what has fallen due by `date`
/// first (all of it when the loan is paid off), in the fund's order; then
/// principal not yet due (paid early), then the fee accrued in the current
/// period.
fn allocate(
    rules: &FundRules,
    l: &Loan,
    amount: Decimal,
    date: NaiveDate,
    closing: bool,
) -> Repayment {
    let due = |part: fn(&super::schedule::Installment) -> Decimal| -> Decimal {
        l.schedule
            .iter()
            .filter(|i| i.due_date <= date)
            .map(part)
            .sum()
    };
    let (fee_due, principal_due) = if closing {
        (l.fee_accrued - l.fee_paid, l.principal - l.principal_paid)
    } else {
        (
            ((l.carried_fee + due(|i| i.fee)).min(l.fee_accrued) - l.fee_paid).max(Decimal::ZERO),
            (due(|i| i.principal) - l.principal_paid).max(Decimal::ZERO),
        )
    };
    let mut left = amount;
    let mut take = |owed: Decimal| {
        let part = left.min(owed.max(Decimal::ZERO));
        left -= part;
        part
    };
    let (mut penalty, mut fee, mut principal) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for part in rules.waterfall {
        match part {
            Component::Penalty => penalty = take(l.penalty_accrued - l.penalty_paid),
            Component::Fee => fee = take(fee_due),
            Component::Principal => principal = take(principal_due),
        }
    }
    principal += take(l.principal - l.principal_paid - principal);
    fee += take(l.fee_accrued - l.fee_paid - fee);
    assert!(
        left.is_zero(),
        "a repayment within the payoff is fully allocated"
    );
    Repayment {
        date,
        amount,
        penalty,
        fee,
        principal,
    }
}

/// What a loan owes on `date` once accrued to it: principal, fee and penalty.
pub fn owed(rules: &FundRules, loan: &Loan, date: NaiveDate) -> Decimal {
    if loan.status != LoanStatus::Disbursed {
        return Decimal::ZERO;
    }
    let (l, _) = accrue(rules, loan, date);
    (l.principal - l.principal_paid)
        + (l.fee_accrued - l.fee_paid)
        + (l.penalty_accrued - l.penalty_paid)
}

/// A write-off: the principal still owed is charged to the risk reserve up to
/// its balance and to loan losses beyond it; fee and penalty accrued but not
/// paid are taken back out of income.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOff {
    pub accrual: Accrual,
    pub from_reserve: Decimal,
    pub to_losses: Decimal,
    pub fee_reversed: Decimal,
    pub penalty_reversed: Decimal,
    pub loan: Loan,
}

/// Asks for a write-off after a board decision: recorded on the loan, posted
/// only when another actor approves it ([`write_off`]).
pub fn request_write_off(loan: &Loan, actor: &str, decision: &str) -> Result<Loan, FundError> {
    require(loan, LoanStatus::Disbursed, "written off")?;
    if let Some(by) = &loan.write_off_requested_by {
        return Err(broken(
            rule::WRITE_OFF_PENDING,
            format!(
                "{by} has asked for loan {} to be written off; it awaits approval",
                loan.loan_id
            ),
        ));
    }
    let mut l = loan.clone();
    l.write_off_requested_by = Some(actor.to_string());
    l.write_off_requested_decision = Some(decision.to_string());
    Ok(l)
}

/// Writes a loan off as its pending request asks, approved by `approver`,
/// who is not the one who asked (maker-checker).
pub fn write_off(
    rules: &FundRules,
    loan: &Loan,
    date: NaiveDate,
    reserve: Decimal,
    approver: &str,
) -> Result<WriteOff, FundError> {
    require(loan, LoanStatus::Disbursed, "written off")?;
    let (Some(asker), Some(decision)) = (
        loan.write_off_requested_by.as_deref(),
        loan.write_off_requested_decision.as_deref(),
    ) else {
        return Err(broken(
            rule::WRITE_OFF_REQUESTED,
            format!(
                "nobody has asked for loan {} to be written off (RequestWriteOff)",
                loan.loan_id
            ),
        ));
    };
    if asker == approver {
        return Err(broken(
            rule::SELF_APPROVAL,
            format!(
                "{approver} asked for the write-off of loan {}; someone else must approve it",
                loan.loan_id
            ),
        ));
    }
    not_before(
        date,
        loan.accrued_through
            .expect("a disbursed loan has an accrual date"),
        "last day accrued",
    )?;
    let (mut l, accrual) = accrue(rules, loan, date);
    let principal = l.principal - l.principal_paid;
    let from_reserve = principal.min(reserve.max(Decimal::ZERO));
    let fee_reversed = l.fee_accrued - l.fee_paid;
    let penalty_reversed = l.penalty_accrued - l.penalty_paid;
    l.fee_accrued -= fee_reversed;
    l.penalty_accrued -= penalty_reversed;
    l.written_off = principal;
    l.write_off_decision = Some(decision.to_string());
    l.written_off_by = Some(approver.to_string());
    l.status = LoanStatus::WrittenOff;
    l.closed_on = Some(date);
    Ok(WriteOff {
        accrual,
        from_reserve,
        to_losses: principal - from_reserve,
        fee_reversed,
        penalty_reversed,
        loan: l,
    })
}

/// Money recovered on a written-off loan: income, at most what was written off.
pub fn recover(loan: &Loan, amount: Decimal) -> Result<Loan, FundError> {
    require(loan, LoanStatus::WrittenOff, "recovered")?;
    let open = loan.written_off - loan.recovered;
    if amount > open {
        return Err(broken(
            rule::RECOVERY_AT_MOST_WRITTEN_OFF,
            format!(
                "loan {} has {open} written off and not yet recovered; {amount} is more",
                loan.loan_id
            ),
        ));
    }
    let mut l = loan.clone();
    l.recovered += amount;
    Ok(l)
}

// Shared with the subsidy tests, which track disbursed fund loans too.
#[cfg(test)]
pub(crate) mod tests;
