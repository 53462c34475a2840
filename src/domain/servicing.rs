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
//!   less principal paid) × penalty rate / 360 for each day; the unrounded sum
//!   is kept and its rounding is what is booked.
//! - **Repayment**: what has fallen due first, in the fund's order (penalty,
//!   fee, principal unless its rules say otherwise); then principal not yet due (paid early); the fee accruing in
//!   the current period is paid at its due date or at payoff. Paying everything off before maturity pays the fee
//!   accrued to that day as outstanding × annual × days / 360 since the last due
//!   date (instead of the straight-line share) and drops the rest of the
//!   schedule. More than the payoff is refused.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::dates::days;
use super::fund::{Component, FundError, FundRules};
use super::loan::{broken, not_before, require, rule, Loan, LoanStatus, Repayment};
use super::money::round_to_fen;

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
    let mut fee = Decimal::ZERO;
    let daily_penalty_rate = rules.penalty_rate_annual / Decimal::from(360);
    while day < through {
        day = day.succ_opt().expect("dates stay in range");
        if loan.upfront_fee.is_zero() {
            fee += fee_of_day(loan, day);
        }
        l.penalty_exact += overdue_principal(loan, day) * daily_penalty_rate;
    }
    let penalty = round_to_fen(l.penalty_exact) - l.penalty_accrued;
    l.fee_accrued += fee;
    l.penalty_accrued += penalty;
    l.accrued_through = Some(through);
    (l, Accrual { fee, penalty })
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
    match days_past_due {
        i64::MIN..=0 => "current",
        1..=30 => "1-30",
        31..=60 => "31-60",
        61..=90 => "61-90",
        _ => "90+",
    }
}

/// The loan as it stood at the end of `date`, for its days past due then (the
/// loan ledger and supervision at a past date): `None` if it was not yet
/// disbursed; after its closing (paid off, written off or rescheduled) as it
/// ended; otherwise still running, with the repayments dated after `date`
/// taken back out of what was paid (fee credited by a subsidy stays paid).
pub fn as_of(loan: &Loan, date: NaiveDate) -> Option<Loan> {
    if loan.disbursed_on.is_none_or(|d| d > date) {
        return None;
    }
    if loan.closed_on.is_some_and(|d| d <= date) {
        return Some(loan.clone());
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
    Some(l)
}

/// A repayment's effect: accrual up to the day, an early-payoff correction of
/// the fee (signed), and the split of the money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub accrual: Accrual,
    /// Added to (or, negative, taken from) the fee receivable at an early payoff.
    pub fee_correction: Decimal,
    pub repayment: Repayment,
    pub loan: Loan,
}

/// What paying everything off on `date` takes, and the fee correction that
/// comes with it, for a loan accrued through `date`.
pub fn payoff(loan: &Loan, date: NaiveDate) -> (Decimal, Decimal) {
    let outstanding = loan.principal - loan.principal_paid;
    let penalty_due = loan.penalty_accrued - loan.penalty_paid;
    let fee_due = loan.fee_accrued - loan.fee_paid;
    let last_due = loan.schedule.last().map(|i| i.due_date);
    let early = loan.upfront_fee.is_zero() && last_due.is_some_and(|last| date < last);
    if !early {
        return (penalty_due + fee_due + outstanding, Decimal::ZERO);
    }
    // Replace the current period's straight-line accrual with
    // outstanding x annual x days / 360 since the last due date.
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
    let early_fee = round_to_fen(
        outstanding * loan.rate_annual * Decimal::from(days(since, date)) / Decimal::from(360),
    );
    let correction = early_fee - straight_line;
    (penalty_due + fee_due + correction + outstanding, correction)
}

/// Takes a repayment of `amount` on `date`: accrues up to the day, then pays
/// penalty, fee and principal in that order; paying exactly the payoff closes
/// the loan; paying more is refused.
pub fn repay(
    rules: &FundRules,
    loan: &Loan,
    amount: Decimal,
    date: NaiveDate,
) -> Result<Settlement, FundError> {
    require(loan, LoanStatus::Disbursed, "repaid")?;
    not_before(
        date,
        loan.accrued_through
            .expect("a disbursed loan has an accrual date"),
        "last day accrued",
    )?;
    let (mut l, accrual) = accrue(rules, loan, date);
    let (payoff_amount, correction) = payoff(&l, date);
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
    // What has fallen due by `date`; all of it when the loan is paid off.
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
    // Then principal not yet due (paid early), then the fee accrued in the current period.
    principal += take(l.principal - l.principal_paid - principal);
    fee += take(l.fee_accrued - l.fee_paid - fee);
    assert!(
        left.is_zero(),
        "a repayment within the payoff is fully allocated"
    );
    l.penalty_paid += penalty;
    l.fee_paid += fee;
    l.principal_paid += principal;
    let repayment = Repayment {
        date,
        amount,
        penalty,
        fee,
        principal,
    };
    l.repayments.push(repayment.clone());
    if closing {
        l.status = LoanStatus::Closed;
        l.closed_on = Some(date);
    }
    Ok(Settlement {
        accrual,
        fee_correction,
        repayment,
        loan: l,
    })
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
/// principal over `months`, at the same rate and method; the old loan keeps
/// its history and points at the new one. Unpaid fee and penalty (accrued to
/// the day) move with it and are due at once.
pub fn reschedule(
    rules: &FundRules,
    loan: &Loan,
    date: NaiveDate,
    months: u32,
    new_id: &str,
    reason: &str,
) -> Result<Rescheduling, FundError> {
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
    let schedule = super::schedule::build(old.method, principal, old.rate_annual, months, date)
        .map_err(|e| FundError::Invalid {
            field: "term_months".into(),
            reason: e.to_string(),
        })?;
    let mut new = old.clone();
    new.loan_id = new_id.to_string();
    new.principal = principal;
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

// Shared with the subsidy tests, which track disbursed fund loans too.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::fund::{PovertyStatus, StatusChange};
    use crate::domain::loan::{apply, approve, disburse, Application, Standing};
    use crate::domain::schedule::Method;
    use std::str::FromStr;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// A disbursed loan of `principal` at 7.2% a year (penalty 3.6%).
    pub(crate) fn disbursed(method: Method, principal: &str, months: u32, on: &str) -> Loan {
        let rules = FundRules::default();
        let member = crate::domain::fund::Member {
            member_id: "M1".into(),
            household_id: "H1".into(),
            name: "Wang".into(),
            birth_date: date("1980-01-01"),
            joined: date("2025-01-01"),
            status_history: vec![StatusChange {
                date: date("2025-01-01"),
                status: PovertyStatus::None,
                risk_cause: String::new(),
            }],
            left: None,
        };
        let a = Application {
            loan_id: "L1".into(),
            principal: d(principal),
            term_months: months,
            method,
            purpose: String::new(),
            date: date(on),
            actor: "clerk-a".into(),
        };
        let rich = Standing {
            earlier_loans: 1,
            outstanding: Decimal::ZERO,
            fund_capital: Decimal::from(1_000_000),
            in_group: false,
        };
        let l = apply(&rules, &member, a, rich).unwrap();
        let l = approve(&rules, &l, "clerk-b", true, date(on)).unwrap();
        disburse(&rules, &l, date(on)).unwrap()
    }

    /// Fee monthly on 3,000 at 7.2%: 18.00 a month. March 1 to April 1 has 31
    /// days: 18 / 31 = 0.5806 → 0.58 a day; 30 days give 17.40 and April 1
    /// takes the remainder, 0.60. Accruing in two runs gives the same total.
    #[test]
    fn the_fee_accrues_straight_line_and_the_due_date_takes_the_remainder() {
        let rules = FundRules::default();
        let l = disbursed(
            Method::FeeMonthlyPrincipalAtMaturity,
            "3000",
            3,
            "2025-03-01",
        );
        assert_eq!(l.schedule[0].fee, d("18.00"));
        let (l1, a1) = accrue(&rules, &l, date("2025-03-31"));
        assert_eq!(a1.fee, d("17.40"));
        let (l2, a2) = accrue(&rules, &l1, date("2025-04-01"));
        assert_eq!(a2.fee, d("0.60"));
        assert_eq!(l2.fee_accrued, d("18.00"));
        let (whole, a) = accrue(&rules, &l, date("2025-06-01"));
        assert_eq!(
            a.fee,
            d("54.00"),
            "three periods accrue exactly the scheduled fees"
        );
        assert_eq!(a.penalty, Decimal::ZERO);
        // Nothing accrues after maturity; the unpaid principal draws penalty.
        let (_, after) = accrue(&rules, &whole, date("2025-06-11"));
        assert_eq!(after.fee, Decimal::ZERO);
        // 3,000 overdue from June 2 to June 11: 10 days x 3,000 x 0.036 / 360 = 3.00.
        assert_eq!(after.penalty, d("3.00"));
    }

    /// Fee monthly on 3,000: 18.00 due Apr 1 and May 1, 3,018.00 Jun 1. Paid
    /// 18.00 on Apr 1 only, then paid off on Jun 20. On May 31 the loan owes
    /// the May 1 installment: 30 days past due; on Mar 31 it was current, on
    /// Feb 28 not yet disbursed, and on Jun 30 closed.
    #[test]
    fn a_loan_as_it_stood_on_a_past_date() {
        let rules = FundRules::default();
        let l = disbursed(
            Method::FeeMonthlyPrincipalAtMaturity,
            "3000",
            3,
            "2025-03-01",
        );
        let l = repay(&rules, &l, d("18.00"), date("2025-04-01"))
            .unwrap()
            .loan;
        let (l, _) = accrue(&rules, &l, date("2025-06-20"));
        let payoff = d("3000") + l.fee_accrued - l.fee_paid + l.penalty_accrued - l.penalty_paid;
        let closed = repay(&rules, &l, payoff, date("2025-06-20")).unwrap().loan;
        assert_eq!(closed.status, LoanStatus::Closed);

        assert!(as_of(&closed, date("2025-02-28")).is_none());
        let march = as_of(&closed, date("2025-03-31")).unwrap();
        assert_eq!(march.status, LoanStatus::Disbursed);
        assert_eq!(march.fee_paid, Decimal::ZERO);
        assert_eq!(days_past_due(&march, date("2025-03-31")), 0);
        let may = as_of(&closed, date("2025-05-31")).unwrap();
        assert_eq!(may.fee_paid, d("18.00"));
        assert_eq!(may.principal_paid, Decimal::ZERO);
        assert_eq!(days_past_due(&may, date("2025-05-31")), 30);
        assert_eq!(bucket(30), "1-30");
        let june = as_of(&closed, date("2025-06-30")).unwrap();
        assert_eq!(june.status, LoanStatus::Closed);
        assert_eq!(days_past_due(&june, date("2025-06-30")), 0);
    }

    #[test]
    fn days_past_due_and_buckets() {
        let rules = FundRules::default();
        let l = disbursed(
            Method::FeeMonthlyPrincipalAtMaturity,
            "3000",
            3,
            "2025-03-01",
        );
        assert_eq!(
            days_past_due(&l, date("2025-04-01")),
            0,
            "due today is not yet past due"
        );
        assert_eq!(days_past_due(&l, date("2025-04-02")), 1);
        assert_eq!(days_past_due(&l, date("2025-05-31")), 60);
        assert_eq!(
            [
                bucket(0),
                bucket(1),
                bucket(30),
                bucket(31),
                bucket(60),
                bucket(61),
                bucket(90),
                bucket(91)
            ],
            ["current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+"]
        );
        assert_eq!(next_due(&l), Some((date("2025-04-01"), d("18.00"))));
        // Paying April's 18.00 on time clears it; the loan is current until May 1 passes.
        let s = repay(&rules, &l, d("18.00"), date("2025-04-01")).unwrap();
        assert_eq!(next_due(&s.loan), Some((date("2025-05-01"), d("18.00"))));
        assert_eq!(
            (s.repayment.fee, s.repayment.principal),
            (d("18.00"), Decimal::ZERO)
        );
        assert_eq!(days_past_due(&s.loan, date("2025-05-01")), 0);
        assert_eq!(days_past_due(&s.loan, date("2025-05-11")), 10);
    }

    /// Paid late: April 1's 18.00 is paid on April 21 with 20.00. Accrued by
    /// then: 18.00 + 20 days of May's fee (18 / 30 = 0.60 a day → 12.00); no
    /// principal was overdue (it falls due at maturity), so no penalty. The
    /// waterfall pays the 18.00 due, then 2.00 of principal early; May's 12.00
    /// keeps accruing toward its due date.
    #[test]
    fn the_waterfall_pays_penalty_then_fee_then_principal() {
        let rules = FundRules::default();
        let l = disbursed(
            Method::FeeMonthlyPrincipalAtMaturity,
            "3000",
            3,
            "2025-03-01",
        );
        let s = repay(&rules, &l, d("20.00"), date("2025-04-21")).unwrap();
        assert_eq!(s.accrual.fee, d("30.00"));
        assert_eq!(
            (s.repayment.penalty, s.repayment.fee, s.repayment.principal),
            (Decimal::ZERO, d("18.00"), d("2.00"))
        );
        assert_eq!(s.loan.fee_accrued - s.loan.fee_paid, d("12.00"));
        // Equal principal 1,200 over 3 months: 400 a month, fee 1,200 x 0.006 = 7.20.
        // Unpaid on April 1, then 10 days later 400 is overdue: penalty
        // 400 x 0.036 x 10 / 360 = 0.40, paid first.
        let l = disbursed(Method::EqualPrincipal, "1200", 3, "2025-03-01");
        let s = repay(&rules, &l, d("407.60"), date("2025-04-11")).unwrap();
        assert_eq!(s.accrual.penalty, d("0.40"));
        // Fee accrued: March's 7.20, plus 10 days of April's 4.80 / 30 = 0.16 → 1.60.
        assert_eq!(s.accrual.fee, d("8.80"));
        assert_eq!(
            (s.repayment.penalty, s.repayment.fee, s.repayment.principal),
            (d("0.40"), d("7.20"), d("400.00"))
        );
        assert_eq!(s.loan.fee_accrued - s.loan.fee_paid, d("1.60"));
    }

    /// A fund paying principal first: 407.60 on April 11 for the equal-principal
    /// loan of the waterfall test pays 400.00 of principal, then 7.20 of fee,
    /// then 0.40 of penalty; 400.00 alone pays no fee or penalty.
    #[test]
    fn the_repayment_order_is_the_funds_to_choose() {
        let mut rules = FundRules {
            waterfall: [Component::Principal, Component::Fee, Component::Penalty],
            ..FundRules::default()
        };
        let l = disbursed(Method::EqualPrincipal, "1200", 3, "2025-03-01");
        let s = repay(&rules, &l, d("400.00"), date("2025-04-11")).unwrap();
        assert_eq!(
            (s.repayment.penalty, s.repayment.fee, s.repayment.principal),
            (Decimal::ZERO, Decimal::ZERO, d("400.00"))
        );
        let s = repay(&rules, &l, d("407.60"), date("2025-04-11")).unwrap();
        assert_eq!(
            (s.repayment.penalty, s.repayment.fee, s.repayment.principal),
            (d("0.40"), d("7.20"), d("400.00"))
        );
        rules.waterfall = [Component::Fee, Component::Fee, Component::Principal];
        assert!(rules.validate().is_err());
    }

    /// Early payoff of 3,000 fee-monthly on March 20, 19 days after
    /// disbursement: the fee to that day is 3,000 x 0.072 x 19 / 360 = 11.40,
    /// against the straight-line 19 x 0.58 = 11.02 accrued (March has 31
    /// days): a correction of 0.38, and 3,011.40 pays it off.
    #[test]
    fn an_early_payoff_pays_the_fee_to_the_day_and_closes_the_loan() {
        let rules = FundRules::default();
        let l = disbursed(
            Method::FeeMonthlyPrincipalAtMaturity,
            "3000",
            3,
            "2025-03-01",
        );
        let (l19, _) = accrue(&rules, &l, date("2025-03-20"));
        assert_eq!(l19.fee_accrued, d("11.02"));
        let (amount, correction) = payoff(&l19, date("2025-03-20"));
        assert_eq!((amount, correction), (d("3011.40"), d("0.38")));
        let too_much = repay(&rules, &l, d("3011.41"), date("2025-03-20"));
        assert!(matches!(
            too_much,
            Err(FundError::Rule {
                rule: rule::AT_MOST_OWED,
                ..
            })
        ));
        let s = repay(&rules, &l, d("3011.40"), date("2025-03-20")).unwrap();
        assert_eq!(s.fee_correction, d("0.38"));
        assert_eq!(
            (s.repayment.fee, s.repayment.principal),
            (d("11.40"), d("3000"))
        );
        assert_eq!(
            (s.loan.status, s.loan.closed_on),
            (LoanStatus::Closed, Some(date("2025-03-20")))
        );
        assert!(repay(&rules, &s.loan, d("1"), date("2025-03-21")).is_err());
        // A partial repayment before anything is due goes to principal, paid
        // early; the loan stays open.
        let s = repay(&rules, &l, d("1000"), date("2025-03-20")).unwrap();
        assert_eq!(
            (s.repayment.fee, s.repayment.principal, s.loan.status),
            (Decimal::ZERO, d("1000"), LoanStatus::Disbursed)
        );
    }

    /// 3,000 fee monthly, written off on April 11 with nothing paid: principal
    /// 3,000; fee accrued 18.00 + 10 x 0.60 = 24.00 and no penalty (principal
    /// is due at maturity) are reversed. With 1,000 of risk reserve, 1,000
    /// comes from the reserve and 2,000 is a loss. 500 recovered later is fine,
    /// 2,501 more is not.
    #[test]
    fn a_write_off_uses_the_risk_reserve_first() {
        let rules = FundRules::default();
        let l = disbursed(
            Method::FeeMonthlyPrincipalAtMaturity,
            "3000",
            3,
            "2025-03-01",
        );
        assert_eq!(owed(&rules, &l, date("2025-04-11")), d("3024.00"));
        let no_request = write_off(&rules, &l, date("2025-04-11"), d("1000"), "checker");
        assert!(matches!(
            no_request,
            Err(FundError::Rule {
                rule: rule::WRITE_OFF_REQUESTED,
                ..
            })
        ));
        let l = request_write_off(&l, "maker", "board 2025-7").unwrap();
        assert!(matches!(
            request_write_off(&l, "maker", "board 2025-7"),
            Err(FundError::Rule {
                rule: rule::WRITE_OFF_PENDING,
                ..
            })
        ));
        assert!(matches!(
            write_off(&rules, &l, date("2025-04-11"), d("1000"), "maker"),
            Err(FundError::Rule {
                rule: rule::SELF_APPROVAL,
                ..
            })
        ));
        let w = write_off(&rules, &l, date("2025-04-11"), d("1000"), "checker").unwrap();
        assert_eq!(w.loan.write_off_decision.as_deref(), Some("board 2025-7"));
        assert_eq!(w.loan.written_off_by.as_deref(), Some("checker"));
        assert_eq!((w.from_reserve, w.to_losses), (d("1000"), d("2000")));
        assert_eq!(
            (w.accrual.fee, w.fee_reversed, w.penalty_reversed),
            (d("24.00"), d("24.00"), Decimal::ZERO)
        );
        assert_eq!(w.loan.status, LoanStatus::WrittenOff);
        assert_eq!(owed(&rules, &w.loan, date("2025-05-01")), Decimal::ZERO);
        let r = recover(&w.loan, d("500")).unwrap();
        assert!(matches!(
            recover(&r, d("2501")),
            Err(FundError::Rule {
                rule: rule::RECOVERY_AT_MOST_WRITTEN_OFF,
                ..
            })
        ));
        assert!(recover(&r, d("2500")).is_ok());
        // A reserve larger than the loss covers all of it.
        let w = write_off(&rules, &l, date("2025-04-11"), d("5000"), "checker").unwrap();
        assert_eq!((w.from_reserve, w.to_losses), (d("3000"), Decimal::ZERO));
    }

    /// L1: 3,000 fee monthly from March 1; April 1's 18.00 unpaid. On April 11
    /// it is rescheduled to L1-R over 6 months: the fee accrued to the day,
    /// 18.00 + 10 x 0.60 = 24.00, moves as arrears due at once; 3,000 is
    /// re-spread from April 11 (fee 18.00 a month, due May 11 ...). Paying
    /// 24.00 clears the arrears; the next installment is May 11's 18.00.
    #[test]
    fn rescheduling_moves_principal_and_arrears_to_a_new_loan() {
        let rules = FundRules::default();
        let l = disbursed(
            Method::FeeMonthlyPrincipalAtMaturity,
            "3000",
            3,
            "2025-03-01",
        );
        let r = reschedule(&rules, &l, date("2025-04-11"), 6, "L1-R", "drought").unwrap();
        assert_eq!((r.principal, r.arrears), (d("3000"), d("24.00")));
        assert_eq!(
            (r.old.status, r.old.rescheduled_to.as_deref()),
            (LoanStatus::Rescheduled, Some("L1-R"))
        );
        assert_eq!(r.new.schedule.len(), 6);
        assert_eq!(
            (r.new.schedule[0].due_date, r.new.schedule[0].fee),
            (date("2025-05-11"), d("18.00"))
        );
        assert_eq!(
            days_past_due(&r.new, date("2025-04-15")),
            4,
            "carried arrears are due at once"
        );
        assert_eq!(next_due(&r.new), Some((date("2025-04-11"), d("24.00"))));
        let s = repay(&rules, &r.new, d("24.00"), date("2025-04-15")).unwrap();
        assert_eq!(
            (s.repayment.fee, s.repayment.principal),
            (d("24.00"), Decimal::ZERO)
        );
        assert_eq!(days_past_due(&s.loan, date("2025-04-15")), 0);
        assert_eq!(next_due(&s.loan), Some((date("2025-05-11"), d("18.00"))));
        assert!(matches!(
            reschedule(&rules, &l, date("2025-04-11"), 13, "X", "").unwrap_err(),
            FundError::Rule {
                rule: rule::TERM_MAX,
                ..
            }
        ));
        assert!(reschedule(&rules, &r.old, date("2025-04-12"), 6, "X", "").is_err());
    }
}
