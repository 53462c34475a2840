//! The period figures a regulator recognises (DOMAIN.md §7, CGAP/SEEP):
//! quarters and their due dates, the average gross portfolio, portfolio
//! yield, operational self-sufficiency and the write-off ratio.
//!
//! - A period is whole days `from..=to` inside one calendar year: a quarter,
//!   or the year to a date (the dashboard's).
//! - The average gross portfolio is the mean of the gross portfolio at the
//!   period's opening (the day before it) and at each month's end inside it,
//!   the period's last day standing for a month not yet over: a quarter is
//!   read at four points (December 31, January 31, February 28, March 31).
//! - Ratios are for the period, not annualized, to 4 places; none when the
//!   denominator is zero.
//!
//! Pure: the caller hands in the period's flows of income and expense
//! accounts (without the year-end's closing entries) and the portfolio at
//! the sample dates.
use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;

use super::chart::code::fund;
use super::dates::month_end;
use super::money::round_ratio;

/// The days a quarterly report is due after its quarter, unless a
/// federation's rules say otherwise (DOMAIN.md §7, assumed).
pub const DEFAULT_DUE_DAYS: u32 = 5;

/// Whole days `from..=to` of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A calendar quarter: its year and number, 1 to 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    pub number: u32,
}

impl Quarter {
    /// The quarter numbered `number` (1..=4) of `year`.
    pub fn new(year: i32, number: u32) -> Option<Self> {
        (1..=4).contains(&number).then_some(Self { year, number })
    }

    /// The quarter `date` falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            number: date.month0() / 3 + 1,
        }
    }

    pub fn period(self) -> Period {
        let first =
            |month| NaiveDate::from_ymd_opt(self.year, month, 1).expect("a month's first day");
        let start = first(self.number * 3 - 2);
        Period {
            from: start,
            to: month_end(first(self.number * 3)),
        }
    }

    /// The day its report is due: `due_days` after the quarter's last day.
    pub fn due_on(self, due_days: u32) -> NaiveDate {
        self.period().to + Days::new(u64::from(due_days))
    }

    /// The quarter before this one.
    pub fn previous(self) -> Self {
        match self.number {
            1 => Self {
                year: self.year - 1,
                number: 4,
            },
            n => Self {
                year: self.year,
                number: n - 1,
            },
        }
    }

    /// The latest quarter whose report was due before `as_of`.
    pub fn last_due_before(as_of: NaiveDate, due_days: u32) -> Self {
        let mut q = Self::of(as_of).previous();
        while q.due_on(due_days) >= as_of {
            q = q.previous();
        }
        q
    }

    /// "2025Q1".
    pub fn label(self) -> String {
        format!("{}Q{}", self.year, self.number)
    }
}

impl Period {
    /// January 1 of `as_of`'s year through `as_of`.
    pub fn year_to_date(as_of: NaiveDate) -> Self {
        Self {
            from: NaiveDate::from_ymd_opt(as_of.year(), 1, 1).expect("January 1"),
            to: as_of,
        }
    }

    /// Where the average gross portfolio is read: the day before the
    /// period, each month's last day inside it, and the period's last day.
    pub fn sample_dates(&self) -> Vec<NaiveDate> {
        let mut dates = vec![self.from.pred_opt().expect("a day before the period")];
        let mut end = month_end(self.from);
        while end < self.to {
            dates.push(end);
            end = month_end(end.succ_opt().expect("the next month"));
        }
        dates.push(self.to);
        dates
    }
}

/// What a fund's books say of a period: its income and expenses by kind,
/// and the principal written off in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flows {
    /// Occupancy fees earned (4001).
    pub fee_income: Decimal,
    /// Every income account (4xxx): fees, deposit and placement interest,
    /// penalty, recoveries and other income (4003 does not tell them apart).
    pub operating_income: Decimal,
    /// Balancing fees paid to the federation (5003).
    pub financial_expense: Decimal,
    /// Loans written off (5002).
    pub loan_loss_expense: Decimal,
    /// Management expenses (5001, every category).
    pub operating_expense: Decimal,
    /// Principal written off in the period (the loans' records).
    pub write_offs: Decimal,
}

impl Flows {
    /// Adds a fund account's flow in the period (on its normal side) to
    /// the kind it belongs to.
    pub fn add(&mut self, code: &str, amount: Decimal) {
        if code.starts_with('4') {
            self.operating_income += amount;
        }
        match code {
            fund::FEE_INCOME => self.fee_income += amount,
            fund::BALANCING_FEES => self.financial_expense += amount,
            fund::LOAN_LOSSES => self.loan_loss_expense += amount,
            fund::MANAGEMENT_EXPENSES => self.operating_expense += amount,
            _ => {}
        }
    }
}

/// The period's ratios.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratios {
    pub average_gross: Decimal,
    /// Fee income / average gross portfolio.
    pub portfolio_yield: Option<Decimal>,
    /// Operating income / (financial + loan-loss + operating expense).
    pub self_sufficiency: Option<Decimal>,
    /// Write-offs / average gross portfolio.
    pub write_off_ratio: Option<Decimal>,
}

fn ratio(num: Decimal, den: Decimal) -> Option<Decimal> {
    (!den.is_zero()).then(|| round_ratio(num / den))
}

/// The ratios of `flows` over a portfolio read at the sample dates.
pub fn ratios(flows: &Flows, gross_at_samples: &[Decimal]) -> Ratios {
    let n = Decimal::from(gross_at_samples.len().max(1));
    let average_gross = gross_at_samples.iter().copied().sum::<Decimal>() / n;
    let expenses = flows.financial_expense + flows.loan_loss_expense + flows.operating_expense;
    Ratios {
        average_gross,
        portfolio_yield: ratio(flows.fee_income, average_gross),
        self_sufficiency: ratio(flows.operating_income, expenses),
        write_off_ratio: ratio(flows.write_offs, average_gross),
    }
}

#[cfg(test)]
mod tests;
