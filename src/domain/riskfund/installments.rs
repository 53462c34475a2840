//! A bank loan's schedule (DOMAIN.md §5): the bank's own, when its core
//! system sends it at registration, otherwise computed by the ledger under
//! the program's day-count convention.
//!
//! - **The bank's**: its installments as sent (due dates, principal,
//!   interest), checked to describe the registered loan: due dates in order,
//!   after the disbursement and not after the maturity (`term_months` from
//!   it), principal adding up to the loan's.
//! - **Computed**: the due dates and principal of [`schedule::build`]; each
//!   period's interest is round(outstanding × rate × days / 360) with the
//!   days of the program's convention: under months and days a period of
//!   one month is 30 (what `build` computes, annual / 12), under actual/360
//!   its calendar days. An equal-installments loan keeps the annuity payment
//!   of `build` and its principal is the payment less the interest, the last
//!   installment taking what remains.
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use super::{invalid, Registration};
use crate::domain::daycount::DayCount;
use crate::domain::fund::FundError;
use crate::domain::money::round_to_fen;
use crate::domain::schedule::{self, Installment, Method};

/// One installment of the bank's schedule, as its core system sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankInstallment {
    pub due_date: NaiveDate,
    pub principal: Decimal,
    pub interest: Decimal,
}

/// The bank's schedule for the loan `r` registers, checked against it.
pub fn from_bank(
    r: &Registration,
    given: &[BankInstallment],
) -> Result<Vec<Installment>, FundError> {
    let maturity = r
        .date
        .checked_add_months(Months::new(r.term_months))
        .expect("terms are bounded, so maturities stay in range");
    let mut previous = r.date;
    let mut outstanding = r.principal;
    let mut schedule = Vec::with_capacity(given.len());
    for (i, b) in given.iter().enumerate() {
        let field = format!("schedule[{i}].due_date");
        if b.due_date <= previous {
            let after = if i == 0 {
                format!("the disbursement date {}", r.date)
            } else {
                format!("schedule[{}].due_date {previous}", i - 1)
            };
            return Err(invalid(
                &field,
                format!("{} is not after {after}", b.due_date),
            ));
        }
        if b.due_date > maturity {
            return Err(invalid(
                &field,
                format!(
                    "{} is after the loan's maturity {maturity} ({} months from {})",
                    b.due_date, r.term_months, r.date
                ),
            ));
        }
        outstanding -= b.principal;
        schedule.push(Installment {
            no: i as u32 + 1,
            due_date: b.due_date,
            principal: b.principal,
            fee: b.interest,
            payment: b.principal + b.interest,
            outstanding_after: outstanding,
        });
        previous = b.due_date;
    }
    if !outstanding.is_zero() {
        return Err(invalid(
            "schedule",
            format!(
                "the installments' principal adds up to {}; the loan's principal is {}",
                r.principal - outstanding,
                r.principal
            ),
        ));
    }
    Ok(schedule)
}

/// The schedule the ledger computes for `r` under `day_count`.
pub fn computed(day_count: DayCount, r: &Registration) -> Result<Vec<Installment>, FundError> {
    let built = schedule::build(r.method, r.principal, r.rate_annual, r.term_months, r.date)
        .map_err(|e| invalid("rate_annual", e.to_string()))?;
    let n = built.len();
    let (mut outstanding, mut from) = (r.principal, r.date);
    let schedule = built
        .into_iter()
        .enumerate()
        .map(|(k, i)| {
            let interest =
                round_to_fen(day_count.interest(outstanding, r.rate_annual, from, i.due_date));
            let principal = match r.method {
                Method::EqualInstallments if k + 1 < n => {
                    (i.payment - interest).clamp(Decimal::ZERO, outstanding)
                }
                Method::EqualInstallments => outstanding,
                _ => i.principal,
            };
            outstanding -= principal;
            from = i.due_date;
            Installment {
                fee: interest,
                principal,
                payment: principal + interest,
                outstanding_after: outstanding,
                ..i
            }
        })
        .collect();
    Ok(schedule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fund::PovertyStatus;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn loan(method: Method, principal: &str, months: u32) -> Registration {
        Registration {
            loan_id: "B1".into(),
            household_id: "H1".into(),
            borrower_name: "Li".into(),
            poverty_status: PovertyStatus::RegisteredPoor,
            birth_date: day("1980-05-01"),
            principal: d(principal),
            term_months: months,
            rate_annual: d("0.0435"),
            method,
            date: day("2025-01-01"),
            flags: Vec::new(),
            cause: None,
            subsidy_only: false,
            purpose: None,
        }
    }

    fn bank(due: &str, principal: &str, interest: &str) -> BankInstallment {
        BankInstallment {
            due_date: day(due),
            principal: d(principal),
            interest: d(interest),
        }
    }

    fn field_of(e: FundError) -> String {
        match e {
            FundError::Invalid { field, .. } => field,
            FundError::Rule { rule, .. } => panic!("rule {rule}"),
        }
    }

    #[test]
    fn months_and_days_computes_what_schedule_build_does() {
        for method in [
            Method::Bullet,
            Method::FeeMonthlyPrincipalAtMaturity,
            Method::EqualInstallments,
            Method::EqualPrincipal,
        ] {
            let r = loan(method, "48000", 12);
            let built = schedule::build(method, r.principal, r.rate_annual, 12, r.date).unwrap();
            assert_eq!(
                computed(DayCount::MonthsAndDays, &r).unwrap(),
                built,
                "{method:?}"
            );
        }
    }

    /// 50,000 at 4.35% from 2025-01-01, interest monthly on actual days:
    /// January 50,000 × 0.0435 × 31 / 360 = 187.2916... = 187.29; February
    /// × 28 = 169.1666... = 169.17; April × 30 = 181.25. A bullet over 12
    /// months: 365 days, 2,205.2083... = 2,205.21.
    #[test]
    fn actual_360_charges_the_calendar_days() {
        let r = loan(Method::FeeMonthlyPrincipalAtMaturity, "50000", 12);
        let s = computed(DayCount::Actual360, &r).unwrap();
        let interest: Vec<Decimal> = s.iter().take(4).map(|i| i.fee).collect();
        assert_eq!(
            interest,
            [d("187.29"), d("169.17"), d("187.29"), d("181.25")]
        );
        assert_eq!(
            (s[11].principal, s[11].outstanding_after),
            (d("50000"), d("0"))
        );
        let bullet = computed(DayCount::Actual360, &loan(Method::Bullet, "50000", 12)).unwrap();
        assert_eq!(bullet[0].fee, d("2205.21"));
        // Equal installments keep the annuity payment, 4,265.50 (numpy-financial
        // pmt(0.0435 / 12, 12, -50000) = 4,265.495...): January's principal is
        // 4,265.50 - 187.29 = 4,078.21; the last takes what remains.
        let annuity = computed(
            DayCount::Actual360,
            &loan(Method::EqualInstallments, "50000", 12),
        )
        .unwrap();
        assert_eq!(
            (annuity[0].principal, annuity[0].payment),
            (d("4078.21"), d("4265.50"))
        );
        assert_eq!(
            annuity.iter().map(|i| i.principal).sum::<Decimal>(),
            d("50000")
        );
        assert_eq!(annuity[11].outstanding_after, Decimal::ZERO);
    }

    #[test]
    fn the_banks_schedule_must_describe_the_loan() {
        let r = loan(Method::FeeMonthlyPrincipalAtMaturity, "1000", 2);
        let good = [
            bank("2025-02-01", "0", "3.75"),
            bank("2025-03-01", "1000", "3.39"),
        ];
        let s = from_bank(&r, &good).unwrap();
        assert_eq!(
            (s[0].no, s[0].payment, s[0].outstanding_after),
            (1, d("3.75"), d("1000"))
        );
        assert_eq!(
            (s[1].payment, s[1].outstanding_after),
            (d("1003.39"), d("0"))
        );
        let mut early = good.clone();
        early[0].due_date = day("2025-01-01");
        assert_eq!(
            field_of(from_bank(&r, &early).unwrap_err()),
            "schedule[0].due_date"
        );
        let mut unordered = good.clone();
        unordered[1].due_date = day("2025-02-01");
        assert_eq!(
            field_of(from_bank(&r, &unordered).unwrap_err()),
            "schedule[1].due_date"
        );
        let mut late = good.clone();
        late[1].due_date = day("2025-03-02");
        assert_eq!(
            field_of(from_bank(&r, &late).unwrap_err()),
            "schedule[1].due_date"
        );
        let mut short = good;
        short[1].principal = d("999.99");
        assert_eq!(field_of(from_bank(&r, &short).unwrap_err()), "schedule");
    }
}
