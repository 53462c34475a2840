//! Repayment schedules of member loans (DOMAIN.md §4, "Schedule arithmetic").
//!
//! A schedule is computed once, at disbursement, and stored; every number in
//! it is reproducible from this arithmetic:
//! - periods are months from the disbursement date, on the same day of the
//!   month, or the month's last day when it has no such day;
//! - the monthly rate is r = annual / 12;
//! - **equal installments** (等额本息): payment = P·r / (1 − (1+r)^−n) rounded
//!   half-up to the fen; each period's fee = round(outstanding × r);
//!   principal = payment − fee; the last installment takes all the remaining
//!   principal (its payment absorbs the rounding);
//! - **equal principal** (等额本金): round(P / n) each period, the last takes the
//!   remainder; fee = round(outstanding × r);
//! - **bullet**: one installment at maturity, fee = round(P × annual × months / 12);
//! - **fee monthly, principal at maturity**: fee = round(P × r) every period.
//!
//! That is the months-and-days convention (DOMAIN.md §2), where every period
//! is a month of 30 days. Under actual/360 ([`build_in`]) a period's fee is
//! round(outstanding × annual × its actual days / 360) instead (a bullet's:
//! the days from disbursement to maturity); equal installments keep the
//! payment at r = annual / 12, principal = payment − fee, the last
//! installment taking the remaining principal.
//!
//! Rounding goes through [`round_to_fen`], the crate's one rounding rule.
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::daycount::DayCount;
use super::money::round_to_fen;

/// Longest term a schedule is computed for, in months (a guaranteed loan runs
/// at most 36; fund rules set their own, lower, maximum).
pub const MAX_TERM_MONTHS: u32 = 120;

/// How a loan is repaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Method {
    /// Principal and fee together at maturity.
    Bullet,
    /// Fee every month, principal at maturity.
    FeeMonthlyPrincipalAtMaturity,
    /// Equal installments of principal and fee (等额本息).
    EqualInstallments,
    /// Equal principal each month, fee on the outstanding (等额本金).
    EqualPrincipal,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Installment {
    /// From 1.
    pub no: u32,
    pub due_date: NaiveDate,
    pub principal: Decimal,
    pub fee: Decimal,
    /// principal + fee
    pub payment: Decimal,
    /// Principal still owed after this installment is paid.
    pub outstanding_after: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("principal must be greater than zero with at most two decimal places")]
    Principal,
    #[error("the annual rate must be from 0 to 1 (0% to 100% a year)")]
    Rate,
    #[error("the term must be from 1 to {MAX_TERM_MONTHS} months")]
    Term,
}

/// The due date of installment `k` (from 1): `k` months after `start`, clamped
/// to the end of a shorter month.
pub fn due_date(start: NaiveDate, k: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(k))
        .expect("due dates within the supported term stay inside chrono's range")
}

/// The schedule of a loan of `principal` yuan at `rate_annual` (a fraction,
/// 0.072 for 7.2% a year) over `term_months`, disbursed on `start`, with the
/// days counted in months and days (the PBoC rule, the default).
pub fn build(
    method: Method,
    principal: Decimal,
    rate_annual: Decimal,
    term_months: u32,
    start: NaiveDate,
) -> Result<Vec<Installment>, ScheduleError> {
    build_in(
        DayCount::MonthsAndDays,
        method,
        principal,
        rate_annual,
        term_months,
        start,
    )
}

/// The schedule as [`build`] gives it, with the days counted in `day_count`:
/// only the fees change (see `Fees`); equal installments keep the annuity
/// payment at r = annual / 12.
pub fn build_in(
    day_count: DayCount,
    method: Method,
    principal: Decimal,
    rate_annual: Decimal,
    term_months: u32,
    start: NaiveDate,
) -> Result<Vec<Installment>, ScheduleError> {
    if principal <= Decimal::ZERO || principal.normalize().scale() > 2 {
        return Err(ScheduleError::Principal);
    }
    if rate_annual < Decimal::ZERO || rate_annual > Decimal::ONE {
        return Err(ScheduleError::Rate);
    }
    if term_months == 0 || term_months > MAX_TERM_MONTHS {
        return Err(ScheduleError::Term);
    }
    let fees = Fees {
        day_count,
        rate_annual,
        start,
    };
    let n = term_months;
    let schedule = match method {
        Method::Bullet => {
            let fee = fees.over(principal, 0, n);
            vec![installment(n, start, principal, fee, Decimal::ZERO)]
        }
        Method::FeeMonthlyPrincipalAtMaturity => (1..=n)
            .map(|k| {
                let (p, left) = if k == n {
                    (principal, Decimal::ZERO)
                } else {
                    (Decimal::ZERO, principal)
                };
                installment(k, start, p, fees.over(principal, k - 1, k), left)
            })
            .collect(),
        Method::EqualInstallments => {
            let payment = annuity_payment(principal, rate_annual / Decimal::from(12), n);
            amortize(principal, &fees, n, |_, fee| payment - fee)
        }
        Method::EqualPrincipal => {
            let each = round_to_fen(principal / Decimal::from(n));
            amortize(principal, &fees, n, |_, _| each)
        }
    };
    debug_assert_eq!(
        schedule.iter().map(|i| i.principal).sum::<Decimal>(),
        principal
    );
    Ok(schedule)
}

/// The fee of an amount over installment periods, rounded half-up to the fen.
struct Fees {
    day_count: DayCount,
    rate_annual: Decimal,
    /// The disbursement date; installment k falls due k months after it.
    start: NaiveDate,
}

impl Fees {
    /// What `outstanding` owes from due date `from` (0: the start) to due
    /// date `to`: under months and days outstanding × r for one month (r =
    /// annual / 12) and outstanding × annual × months / 12 for several; under
    /// actual/360 outstanding × annual × the actual days / 360.
    fn over(&self, outstanding: Decimal, from: u32, to: u32) -> Decimal {
        let annual = self.rate_annual;
        round_to_fen(match self.day_count {
            DayCount::MonthsAndDays if to == from + 1 => outstanding * (annual / Decimal::from(12)),
            DayCount::MonthsAndDays => {
                outstanding * annual * Decimal::from(to - from) / Decimal::from(12)
            }
            DayCount::Actual360 => {
                let (first, last) = (due_date(self.start, from), due_date(self.start, to));
                DayCount::Actual360.interest(outstanding, annual, first, last)
            }
        })
    }
}

/// payment = P·r / (1 − (1+r)^−n), rounded half-up to the fen; P / n when r = 0.
pub fn annuity_payment(principal: Decimal, r: Decimal, n: u32) -> Decimal {
    if r.is_zero() {
        return round_to_fen(principal / Decimal::from(n));
    }
    let growth = (0..n).fold(Decimal::ONE, |acc, _| acc * (Decimal::ONE + r));
    round_to_fen(principal * r * growth / (growth - Decimal::ONE))
}

/// Installments whose fee is the outstanding's over the period and whose
/// principal is `principal_of(k, fee)`, except the last, which takes what remains.
fn amortize(
    principal: Decimal,
    fees: &Fees,
    n: u32,
    principal_of: impl Fn(u32, Decimal) -> Decimal,
) -> Vec<Installment> {
    let mut outstanding = principal;
    (1..=n)
        .map(|k| {
            let fee = fees.over(outstanding, k - 1, k);
            let p = if k == n {
                outstanding
            } else {
                principal_of(k, fee).min(outstanding).max(Decimal::ZERO)
            };
            outstanding -= p;
            installment(k, fees.start, p, fee, outstanding)
        })
        .collect()
}

fn installment(
    no: u32,
    start: NaiveDate,
    principal: Decimal,
    fee: Decimal,
    outstanding_after: Decimal,
) -> Installment {
    Installment {
        no,
        due_date: due_date(start, no),
        principal,
        fee,
        payment: principal + fee,
        outstanding_after,
    }
}

#[cfg(test)]
mod tests;
