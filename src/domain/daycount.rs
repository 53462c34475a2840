//! The day-count conventions (DOMAIN.md §2): how much of an annual rate a
//! stretch of days earns. Each fund, program and federation names one, and
//! every interest-like amount it computes uses it: schedules, daily accrual
//! of penalties, early payoff, subsidies and balancing fees.
//!
//! - **months and days** (the PBoC rule for loans, the default): whole months
//!   at annual / 12, then the odd days at annual / 360. A year at 2.4% on
//!   100,000 is 2,400.00; 1 month and 10 days at 3.6% on 10,000 is 30.00 +
//!   10.00 = 40.00.
//! - **actual/360**: actual days at annual / 360 (February 2025 at 4.35% on
//!   50,000 is 50,000 × 0.0435 × 28 / 360 = 169.17), as many banks' core
//!   systems charge.
//!
//! Both are measured in "days of a 360-day year": a whole month is 30 of them
//! under months and days, its actual length under actual/360. Whole months
//! are counted from the stretch's first day on the same day of the month, or
//! the month's last day when it has no such day, as schedules count periods.
//!
//! A balance that changes from day to day accrues day by day: day `d` weighs
//! `weight(anchor, d)`, the growth of the stretch from `anchor` (a loan's
//! disbursement, where its months begin) when `d` is added to it. The
//! weights of the days of a stretch add up to its length, so a year of daily
//! accrual on a constant balance is exactly a year's interest.
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dates::days;

/// Days in a year under both conventions.
pub const DAYS_PER_YEAR: i64 = 360;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    /// Whole months at annual / 12, odd days at annual / 360.
    #[default]
    MonthsAndDays,
    /// Actual days at annual / 360.
    Actual360,
}

impl DayCount {
    pub fn as_str(self) -> &'static str {
        match self {
            DayCount::MonthsAndDays => "months_and_days",
            DayCount::Actual360 => "actual_360",
        }
    }

    /// The length of `from..to` in days of a 360-day year (0 when `to` is
    /// not after `from`).
    pub fn days_360(self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to <= from {
            return 0;
        }
        match self {
            DayCount::Actual360 => days(from, to),
            DayCount::MonthsAndDays => {
                let months = whole_months(from, to);
                let anniversary = add_months(from, months);
                i64::from(months) * 30 + days(anniversary, to)
            }
        }
    }

    /// What `amount` earns at `rate_annual` over `from..to`, unrounded.
    pub fn interest(
        self,
        amount: Decimal,
        rate_annual: Decimal,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Decimal {
        amount * rate_annual * Decimal::from(self.days_360(from, to)) / Decimal::from(DAYS_PER_YEAR)
    }

    /// The weight of day `day` (the stretch `day..day + 1`) in a stretch that
    /// began on `anchor`: how much it adds to the stretch's length.
    pub fn weight(self, anchor: NaiveDate, day: NaiveDate) -> i64 {
        let next = day.succ_opt().expect("dates stay in range");
        self.days_360(anchor, next) - self.days_360(anchor, day)
    }
}

/// `from` plus `months`, on the same day of the month or the month's last day.
fn add_months(from: NaiveDate, months: u32) -> NaiveDate {
    from.checked_add_months(Months::new(months))
        .expect("dates stay inside chrono's range")
}

/// The most whole months from `from` whose anniversary is not after `to`.
fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    let rough = (to.year_month() - from.year_month()).max(0) as u32;
    (0..=rough)
        .rev()
        .find(|m| add_months(from, *m) <= to)
        .unwrap_or(0)
}

trait YearMonth {
    fn year_month(self) -> i64;
}

impl YearMonth for NaiveDate {
    fn year_month(self) -> i64 {
        use chrono::Datelike;
        i64::from(self.year()) * 12 + i64::from(self.month0())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::round_to_fen;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_field_vectors() {
        let m = DayCount::MonthsAndDays;
        // A year at 2.4% on 100,000: 2,400.00.
        let year = m.interest(
            d("100000"),
            d("0.024"),
            day("2025-01-01"),
            day("2026-01-01"),
        );
        assert_eq!(round_to_fen(year), d("2400.00"));
        // 1 month and 10 days at 3.6% on 10,000: 30.00 + 10.00.
        let odd = m.interest(d("10000"), d("0.036"), day("2025-03-15"), day("2025-04-25"));
        assert_eq!(round_to_fen(odd), d("40.00"));
        // February 2025 at 4.35% on 50,000 under actual/360: 169.17; a whole
        // month under months and days: 181.25.
        let (feb, mar) = (day("2025-02-01"), day("2025-03-01"));
        let actual = DayCount::Actual360.interest(d("50000"), d("0.0435"), feb, mar);
        assert_eq!(round_to_fen(actual), d("169.17"));
        assert_eq!(
            round_to_fen(m.interest(d("50000"), d("0.0435"), feb, mar)),
            d("181.25")
        );
    }

    #[test]
    fn whole_months_follow_the_schedule_to_a_months_last_day() {
        let m = DayCount::MonthsAndDays;
        // From January 31 the anniversaries are February 28 and March 31.
        assert_eq!(m.days_360(day("2025-01-31"), day("2025-02-27")), 27);
        assert_eq!(m.days_360(day("2025-01-31"), day("2025-02-28")), 30);
        assert_eq!(m.days_360(day("2025-01-31"), day("2025-03-30")), 60);
        assert_eq!(m.days_360(day("2025-01-31"), day("2025-03-31")), 60);
        assert_eq!(m.days_360(day("2025-03-01"), day("2025-03-01")), 0);
        assert_eq!(
            DayCount::Actual360.days_360(day("2024-02-01"), day("2024-03-01")),
            29
        );
    }

    #[test]
    fn daily_weights_add_up_to_the_stretch() {
        for count in [DayCount::MonthsAndDays, DayCount::Actual360] {
            for anchor in ["2025-01-31", "2025-02-28", "2024-02-29", "2025-05-15"] {
                let anchor = day(anchor);
                let mut total = 0;
                let mut d = anchor;
                for _ in 0..400 {
                    let w = count.weight(anchor, d);
                    assert!(w >= 0, "{count:?} from {anchor}: day {d} weighs {w}");
                    total += w;
                    d = d.succ_opt().unwrap();
                }
                assert_eq!(total, count.days_360(anchor, d), "{count:?} from {anchor}");
            }
        }
        // From March 1 a whole year of days weighs 360 under months and days.
        let m = DayCount::MonthsAndDays;
        let start = day("2025-03-01");
        let year: i64 = start
            .iter_days()
            .take(365)
            .map(|d| m.weight(start, d))
            .sum();
        assert_eq!(year, 360);
    }
}
