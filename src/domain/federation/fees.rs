//! A placement's fee (DOMAIN.md §6): the principal repaid × the placement's
//! rate over the days since the placement, under the federation's day count,
//! rounded half-up once; and what a fund's year-end books of the fee earned
//! by December 31 and not yet paid, so that the year's surplus holds it.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{refuse, rule, Placement, PlacementRepayment, Refusal};
use crate::domain::daycount::DayCount;
use crate::domain::money::round_to_fen;

/// A repayment of part of a placement: its fee, and how much of it was
/// booked before (at a year-end) and is now settled rather than earned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementPaid {
    pub placement: Placement,
    pub principal: Decimal,
    pub fee: Decimal,
    /// The share of `fee_accrued` the repaid principal carried (at most `fee`).
    pub settled: Decimal,
}

/// Repays `principal` of a placement on `date` with its fee. Each part
/// repaid pays the fee of its own days, so repaying in parts costs what
/// repaying at once would, to the fen of each rounding. A year-end's accrual
/// of the outstanding principal is settled pro rata to the principal repaid.
pub fn repay(
    p: &Placement,
    principal: Decimal,
    date: NaiveDate,
    day_count: DayCount,
) -> Result<PlacementPaid, Refusal> {
    if principal > p.outstanding() {
        return Err(refuse(
            rule::REPAY_WITHIN_OUTSTANDING,
            format!(
                "placement {} has {} outstanding; {principal} is more",
                p.placement_id,
                p.outstanding()
            ),
        ));
    }
    if date < p.placed_on {
        return Err(refuse(
            rule::REPAY_NOT_BEFORE_PLACEMENT,
            format!(
                "placement {} was made on {}, after {date}",
                p.placement_id, p.placed_on
            ),
        ));
    }
    let fee = fee(principal, p.rate_annual, day_count, p.placed_on, date);
    let settled = if principal == p.outstanding() {
        p.fee_accrued
    } else {
        round_to_fen(p.fee_accrued * principal / p.outstanding())
    }
    .min(fee);
    let mut after = p.clone();
    after.principal_repaid += principal;
    after.fees_paid += fee;
    after.fee_accrued -= settled;
    after.repayments.push(PlacementRepayment {
        date,
        principal,
        fee,
        settled,
    });
    Ok(PlacementPaid {
        placement: after,
        principal,
        fee,
        settled,
    })
}

/// amount × rate over `from..to` under `day_count`, rounded half-up at the
/// fen; nothing for a stretch that does not run forward.
pub fn fee(
    amount: Decimal,
    rate_annual: Decimal,
    day_count: DayCount,
    from: NaiveDate,
    to: NaiveDate,
) -> Decimal {
    if to <= from {
        return Decimal::ZERO;
    }
    round_to_fen(day_count.interest(amount, rate_annual, from, to))
}

/// What a year-end books of one placement's fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accrual {
    /// The placement with `fee_accrued` raised by `booked`.
    pub placement: Placement,
    /// Earned by the principal still outstanding through the year's last
    /// day and not booked before: a receivable of the lender, a payable of
    /// the borrower, until the repayment settles it.
    pub booked: Decimal,
    /// Earned in the year by principal repaid after it (before the year-end
    /// ran): that repayment already took its whole fee as the new year's
    /// income or expense, so this part moves back into the closing year.
    pub moved: Decimal,
    /// The last such repayment's date: where the new year gives the part back.
    pub moved_on: Option<NaiveDate>,
}

/// The fee earned through `end` (the day's own fee included: through the
/// next morning), for the year that ends on `end`.
pub fn accrue_fee(p: &Placement, end: NaiveDate, day_count: DayCount) -> Accrual {
    let through = end.succ_opt().expect("the day after a year's end exists");
    let earned = |amount| fee(amount, p.rate_annual, day_count, p.placed_on, through);
    let booked = (earned(p.outstanding()) - p.fee_accrued).max(Decimal::ZERO);
    let later: Vec<&PlacementRepayment> = p.repayments.iter().filter(|r| r.date > end).collect();
    let moved = later
        .iter()
        .map(|r| (earned(r.principal) - r.settled).max(Decimal::ZERO))
        .sum();
    let mut placement = p.clone();
    placement.fee_accrued += booked;
    Accrual {
        placement,
        booked,
        moved,
        moved_on: later.iter().map(|r| r.date).max(),
    }
}
