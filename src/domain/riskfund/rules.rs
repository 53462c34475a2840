//! A program's rules (DOMAIN.md §5); products are data. The leverage ratio
//! is a decimal from 7 to 10 (8.5 is 1:8.5); the 50,000 and 36-month caps on
//! a guaranteed loan are the national maxima, and a program may set lower
//! ones (罗田: 30,000), never higher; the day-count convention is the one
//! every interest-like amount of the program uses (its computed schedules,
//! its subsidies).
//!
//! Records written before a setting existed read with what the ledger did
//! then: an integer leverage ratio, the national caps, months and days.
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

use super::invalid;
use crate::domain::daycount::DayCount;
use crate::domain::fund::FundError;
use crate::domain::household::{eligible_label, Flag, Status, PROGRAM_ELIGIBLE};
use crate::domain::money::floor_to_fen;

/// Leverage ratios a program may set (1:7 to 1:10, field), to at most
/// [`LEVERAGE_RATIO_PLACES`] decimal places.
pub const MIN_LEVERAGE_RATIO: u32 = 7;
pub const MAX_LEVERAGE_RATIO: u32 = 10;
pub const LEVERAGE_RATIO_PLACES: u32 = 2;
/// Largest guaranteed loan, in yuan: the national maximum (field).
pub const MAX_GUARANTEED_PRINCIPAL_YUAN: u32 = 50_000;
/// Longest guaranteed loan, in months (3 years): the national maximum (field).
pub const MAX_GUARANTEED_TERM_MONTHS: u32 = 36;
/// Youngest borrower, in full years.
pub const MIN_BORROWER_AGE_YEARS: u32 = 18;
/// Oldest borrower by default (60; relaxed to 65 in places, field).
pub const DEFAULT_BORROWER_AGE_MAX_YEARS: u32 = 60;
/// Days past due a claim must pass, by default (assumed).
pub const DEFAULT_CLAIM_AFTER_DAYS: u32 = 90;

/// A program's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramRules {
    /// Stored as text ("8.5"); records written before hold an integer.
    #[serde(deserialize_with = "whole_or_decimal")]
    pub leverage_ratio: Decimal,
    /// The fund's share of a loss (assumed 0.70); the bank bears the rest.
    pub fund_share: Decimal,
    /// A loan past due more than this many days may be claimed, and is in default.
    pub claim_after_days: u32,
    /// Lending is suspended while the default ratio is above this (assumed 0.05).
    pub suspend_above_default_ratio: Decimal,
    pub borrower_age_max: u32,
    pub compensate_interest: bool,
    pub bank_id: String,
    /// Households that may borrow against the risk fund and receive its
    /// subsidies; empty: [`PROGRAM_ELIGIBLE`]. Absent in records written
    /// before the setting existed.
    #[serde(default)]
    pub eligible: Vec<Flag>,
    /// The program's day-count convention; absent before: months and days.
    #[serde(default)]
    pub day_count: DayCount,
    /// The largest guaranteed loan, at most the national maximum.
    #[serde(default = "national_principal_max")]
    pub principal_max: Decimal,
    /// The longest guaranteed loan in months, at most the national maximum.
    #[serde(default = "national_term_max")]
    pub term_max_months: u32,
}

fn national_principal_max() -> Decimal {
    Decimal::from(MAX_GUARANTEED_PRINCIPAL_YUAN)
}

fn national_term_max() -> u32 {
    MAX_GUARANTEED_TERM_MONTHS
}

/// A leverage ratio as stored: an integer (records written before decimal
/// ratios) or a decimal's text.
fn whole_or_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Whole(u32),
        Text(Decimal),
    }
    Ok(match Stored::deserialize(d)? {
        Stored::Whole(ratio) => Decimal::from(ratio),
        Stored::Text(ratio) => ratio,
    })
}

/// A leverage ratio from 7 to 10 with at most two places; `field` names it.
pub fn check_leverage_ratio(ratio: Decimal, field: &str) -> Result<(), FundError> {
    let range = Decimal::from(MIN_LEVERAGE_RATIO)..=Decimal::from(MAX_LEVERAGE_RATIO);
    if !range.contains(&ratio) || ratio.normalize().scale() > LEVERAGE_RATIO_PLACES {
        return Err(invalid(
            field,
            format!(
                "must be from {MIN_LEVERAGE_RATIO} to {MAX_LEVERAGE_RATIO} (1:{MIN_LEVERAGE_RATIO} to 1:{MAX_LEVERAGE_RATIO}) with at most {LEVERAGE_RATIO_PLACES} decimal places, not {ratio}"
            ),
        ));
    }
    Ok(())
}

impl ProgramRules {
    /// The defaults of DOMAIN.md for a program at `leverage_ratio` with `bank_id`.
    pub fn new(leverage_ratio: Decimal, bank_id: String) -> Self {
        Self {
            leverage_ratio,
            fund_share: Decimal::new(70, 2),
            claim_after_days: DEFAULT_CLAIM_AFTER_DAYS,
            suspend_above_default_ratio: Decimal::new(5, 2),
            borrower_age_max: DEFAULT_BORROWER_AGE_MAX_YEARS,
            compensate_interest: false,
            bank_id,
            eligible: Vec::new(),
            day_count: DayCount::default(),
            principal_max: national_principal_max(),
            term_max_months: national_term_max(),
        }
    }

    pub fn validate(&self) -> Result<(), FundError> {
        check_leverage_ratio(self.leverage_ratio, "rules.leverage_ratio")?;
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
        let cap = national_principal_max();
        let p = self.principal_max;
        if p <= Decimal::ZERO || p > cap || p.normalize().scale() > 2 {
            return Err(invalid(
                "rules.principal_max",
                format!("must be an amount of yuan above 0 and at most the national maximum of {cap}: a program may lower it, never raise it"),
            ));
        }
        if !(1..=MAX_GUARANTEED_TERM_MONTHS).contains(&self.term_max_months) {
            return Err(invalid(
                "rules.term_max_months",
                format!("must be from 1 to the national maximum of {MAX_GUARANTEED_TERM_MONTHS} months: a program may lower it, never raise it"),
            ));
        }
        Ok(())
    }

    /// What `fund_balance` carries at the ratio: ratio × fund, down to the
    /// fen (exposure, in whole fen, is within ratio × fund exactly when it is
    /// within this).
    pub fn capacity(&self, fund_balance: Decimal) -> Decimal {
        floor_to_fen(fund_balance * self.leverage_ratio)
    }

    /// The ratio as the wire's whole-number field gives it: the ratio when
    /// it is whole, 0 when it is not (the decimal field says it).
    pub fn whole_ratio(&self) -> u32 {
        let r = self.leverage_ratio.normalize();
        if r.scale() == 0 {
            u32::try_from(r.mantissa()).unwrap_or_default()
        } else {
            0
        }
    }

    /// Whether a household of this status may borrow against the fund and
    /// receive the program's subsidies.
    pub fn eligible(&self, status: &Status) -> bool {
        status.eligible(&self.eligible, PROGRAM_ELIGIBLE)
    }

    /// The eligible flags, as refusals name them.
    pub fn eligible_label(&self) -> String {
        eligible_label(&self.eligible, PROGRAM_ELIGIBLE)
    }
}
