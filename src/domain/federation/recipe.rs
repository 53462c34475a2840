//! Posting recipes of a township federation (DOMAIN.md §6). Money that
//! moves between a fund and its federation is one entry spanning both
//! books, balanced in each: placements both ways, their repayment with the
//! fee (the lender's income, the borrower's expense), relief contributions
//! and grants drawn on the pool. The federation's own capital comes in to
//! its bank account. No recipe here touches a household or a loan account.
use chrono::NaiveDate;

use super::{Direction, Placement};
use crate::domain::chart::code::{federation as fed, fund};
use crate::domain::chart::{self, SubKind};
use crate::domain::money::format_fen;
use crate::domain::posting::{
    account, entry, fen, open, AccountName, Leg, PlannedAccount, PlannedEntry, Side, Unpostable,
};

/// A member fund's sub-account in the federation's book: "fund:{fund}".
pub fn fund_sub(fund_id: &str) -> String {
    chart::sub(SubKind::Fund, fund_id)
}

/// Seed capital from `source`: Dr 1002, Cr 3001/source; with its account.
pub fn seed_capital(
    federation_id: &str,
    source: &str,
    amount_fen: i64,
    date: NaiveDate,
) -> (PlannedAccount, PlannedEntry) {
    let sub = chart::sub(SubKind::Source, source);
    let capital = account(federation_id, fed::SEED_CAPITAL, &sub);
    let legs = [
        (
            account(federation_id, fed::BANK, ""),
            Side::Debit,
            amount_fen,
        ),
        (capital.clone(), Side::Credit, amount_fen),
    ];
    let opened = open(capital, format!("seed capital, {sub}"), true);
    (
        opened,
        entry(date, format!("federation seed capital, {sub}"), legs),
    )
}

/// A new placement: the fund's money to the federation (fund Dr 1301, Cr
/// 1002; federation Dr 1002, Cr 2101/fund) or the federation's to the fund
/// (federation Dr 1301/fund, Cr 1002; fund Dr 1002, Cr 2101); with the
/// federation's sub-account for the fund.
pub fn placed(
    federation_id: &str,
    p: &Placement,
) -> Result<(PlannedAccount, PlannedEntry), Unpostable> {
    let (f, fund_id) = (federation_id, p.fund_id.as_str());
    let (sub, amount) = (fund_sub(fund_id), fen(p.principal)?);
    let (code, memo, legs) = match p.direction {
        Direction::FromFund => (
            fed::BORROWINGS,
            format!(
                "balancing: fund {fund_id} places {} with federation {f} ({})",
                p.principal, p.placement_id
            ),
            [
                (
                    account(fund_id, fund::PLACED_WITH_FEDERATION, ""),
                    Side::Debit,
                    amount,
                ),
                (account(fund_id, fund::BANK, ""), Side::Credit, amount),
                (account(f, fed::BANK, ""), Side::Debit, amount),
                (account(f, fed::BORROWINGS, &sub), Side::Credit, amount),
            ],
        ),
        Direction::ToFund => (
            fed::PLACEMENTS,
            format!(
                "balancing: federation {f} places {} with fund {fund_id} ({})",
                p.principal, p.placement_id
            ),
            [
                (account(f, fed::PLACEMENTS, &sub), Side::Debit, amount),
                (account(f, fed::BANK, ""), Side::Credit, amount),
                (account(fund_id, fund::BANK, ""), Side::Debit, amount),
                (
                    account(fund_id, fund::BORROWED_FROM_FEDERATION, ""),
                    Side::Credit,
                    amount,
                ),
            ],
        ),
    };
    let opened = open(account(f, code, &sub), format!("fund {fund_id}"), false);
    Ok((opened, entry(p.placed_on, memo, legs)))
}

/// The federation's sub-account in a fund's book: "federation:{fed}".
pub fn federation_sub(federation_id: &str) -> String {
    chart::sub(SubKind::Federation, federation_id)
}

/// What a repayment moves, in fen: principal, the whole fee, and the part of
/// the fee a year-end booked before (settled rather than earned now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repaid {
    pub principal_fen: i64,
    pub fee_fen: i64,
    pub settled_fen: i64,
}

/// A placement repaid: the borrower pays principal and fee from its bank;
/// the lender's placement shrinks, the fee booked at a year-end settles its
/// receivable and the rest is its income; for the borrower the same split
/// between its payable and its expense (5003 in both charts).
pub fn repaid(federation_id: &str, p: &Placement, r: Repaid, date: NaiveDate) -> PlannedEntry {
    let (f, fund_id, sub) = (federation_id, p.fund_id.as_str(), fund_sub(&p.fund_id));
    let fed_sub = federation_sub(f);
    let (principal, earned, settled) = (r.principal_fen, r.fee_fen - r.settled_fen, r.settled_fen);
    let total = r.principal_fen + r.fee_fen;
    let legs = match p.direction {
        Direction::FromFund => vec![
            (account(f, fed::BORROWINGS, &sub), Side::Debit, principal),
            (account(f, fed::FEES_PAYABLE, &sub), Side::Debit, settled),
            (account(f, fed::PLACEMENT_FEES, ""), Side::Debit, earned),
            (account(f, fed::BANK, ""), Side::Credit, total),
            (account(fund_id, fund::BANK, ""), Side::Debit, total),
            (
                account(fund_id, fund::PLACED_WITH_FEDERATION, ""),
                Side::Credit,
                principal,
            ),
            (
                account(fund_id, fund::FEES_RECEIVABLE_FROM_FEDERATION, &fed_sub),
                Side::Credit,
                settled,
            ),
            (
                account(fund_id, fund::DEPOSIT_INTEREST, ""),
                Side::Credit,
                earned,
            ),
        ],
        Direction::ToFund => vec![
            (
                account(fund_id, fund::BORROWED_FROM_FEDERATION, ""),
                Side::Debit,
                principal,
            ),
            (
                account(fund_id, fund::FEES_PAYABLE_TO_FEDERATION, &fed_sub),
                Side::Debit,
                settled,
            ),
            (
                account(fund_id, fund::BALANCING_FEES, ""),
                Side::Debit,
                earned,
            ),
            (account(fund_id, fund::BANK, ""), Side::Credit, total),
            (account(f, fed::BANK, ""), Side::Debit, total),
            (account(f, fed::PLACEMENTS, &sub), Side::Credit, principal),
            (
                account(f, fed::FEES_RECEIVABLE, &sub),
                Side::Credit,
                settled,
            ),
            (account(f, fed::FEE_INCOME, ""), Side::Credit, earned),
        ],
    };
    let memo = format!(
        "balancing: placement {} repaid, principal {}, fee {}",
        p.placement_id,
        format_fen(r.principal_fen.into()),
        format_fen(r.fee_fen.into())
    );
    entry(date, memo, legs)
}

/// The receivable of the lender and the payable of the borrower that hold a
/// placement's fee booked at a year-end: (the fund's, the federation's).
fn fee_accounts(federation_id: &str, p: &Placement) -> (AccountName, AccountName) {
    let (f, fund_id, sub) = (federation_id, p.fund_id.as_str(), fund_sub(&p.fund_id));
    let fed_sub = federation_sub(f);
    match p.direction {
        Direction::FromFund => (
            account(fund_id, fund::FEES_RECEIVABLE_FROM_FEDERATION, &fed_sub),
            account(f, fed::FEES_PAYABLE, &sub),
        ),
        Direction::ToFund => (
            account(fund_id, fund::FEES_PAYABLE_TO_FEDERATION, &fed_sub),
            account(f, fed::FEES_RECEIVABLE, &sub),
        ),
    }
}

/// The legs that book `amount_fen` of a placement's fee before it is paid:
/// the lender's receivable and income, the borrower's expense and payable.
fn accrual_legs(federation_id: &str, p: &Placement, amount_fen: i64) -> Vec<Leg> {
    let (f, fund_id) = (federation_id, p.fund_id.as_str());
    let (fund_side, fed_side) = fee_accounts(f, p);
    match p.direction {
        Direction::FromFund => vec![
            (fund_side, Side::Debit, amount_fen),
            (
                account(fund_id, fund::DEPOSIT_INTEREST, ""),
                Side::Credit,
                amount_fen,
            ),
            (account(f, fed::PLACEMENT_FEES, ""), Side::Debit, amount_fen),
            (fed_side, Side::Credit, amount_fen),
        ],
        Direction::ToFund => vec![
            (
                account(fund_id, fund::BALANCING_FEES, ""),
                Side::Debit,
                amount_fen,
            ),
            (fund_side, Side::Credit, amount_fen),
            (fed_side, Side::Debit, amount_fen),
            (account(f, fed::FEE_INCOME, ""), Side::Credit, amount_fen),
        ],
    }
}

/// A year-end books the fee a placement has earned through December 31 and
/// nobody has paid yet, dated that day; with the sub-accounts that needs.
pub fn fee_accrued(
    federation_id: &str,
    p: &Placement,
    amount_fen: i64,
    end: NaiveDate,
) -> (Vec<PlannedAccount>, PlannedEntry) {
    let (fund_side, fed_side) = fee_accounts(federation_id, p);
    let accounts = vec![
        open(fund_side, format!("federation {federation_id}"), false),
        open(fed_side, format!("fund {}", p.fund_id), false),
    ];
    let memo = format!(
        "year-end: fee of placement {} through {end}, earned and not yet paid",
        p.placement_id
    );
    let legs = accrual_legs(federation_id, p, amount_fen);
    (accounts, entry(end, memo, legs))
}

/// The new year gives back the part of a fee a repayment after December 31
/// already took as its own, once the year-end has booked it in the closing
/// year: the accrual's legs reversed, dated on that repayment.
pub fn fee_moved_back(
    federation_id: &str,
    p: &Placement,
    amount_fen: i64,
    date: NaiveDate,
) -> PlannedEntry {
    let memo = format!(
        "year-end: fee of placement {} earned in the closed year, paid on {date}",
        p.placement_id
    );
    let legs = accrual_legs(federation_id, p, amount_fen)
        .into_iter()
        .map(|(account, side, fen)| (account, side.opposite(), fen));
    entry(date, memo, legs)
}

/// A relief contribution: fund Dr 5001, Cr 1002; federation Dr 1002, Cr 3101.
pub fn contribution(
    federation_id: &str,
    fund_id: &str,
    contribution_id: &str,
    basis: &str,
    amount_fen: i64,
    date: NaiveDate,
) -> PlannedEntry {
    let f = federation_id;
    let legs = [
        (
            account(fund_id, fund::MANAGEMENT_EXPENSES, ""),
            Side::Debit,
            amount_fen,
        ),
        (account(fund_id, fund::BANK, ""), Side::Credit, amount_fen),
        (account(f, fed::BANK, ""), Side::Debit, amount_fen),
        (account(f, fed::RELIEF_POOL, ""), Side::Credit, amount_fen),
    ];
    let memo = format!("relief pool contribution {contribution_id} of fund {fund_id} ({basis})");
    entry(date, memo, legs)
}

/// An approved relief grant drawn on the pool: federation Dr 3101, Cr 1002;
/// fund Dr 1002, Cr 4003.
pub fn relief_grant(
    federation_id: &str,
    g: &super::Grant,
    date: NaiveDate,
) -> Result<PlannedEntry, Unpostable> {
    let (f, fund_id, amount) = (federation_id, g.fund_id.as_str(), fen(g.amount)?);
    let legs = [
        (account(f, fed::RELIEF_POOL, ""), Side::Debit, amount),
        (account(f, fed::BANK, ""), Side::Credit, amount),
        (account(fund_id, fund::BANK, ""), Side::Debit, amount),
        (
            account(fund_id, fund::OTHER_INCOME, ""),
            Side::Credit,
            amount,
        ),
    ];
    let memo = format!(
        "relief grant {} to fund {fund_id} after loan {} was written off",
        g.grant_id, g.loan_id
    );
    Ok(entry(date, memo, legs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::daycount::DayCount;
    use crate::domain::federation::{fee, placement, FederationRules};
    use rust_decimal::Decimal;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    fn legs(e: &PlannedEntry) -> Vec<(String, String, Side, i64)> {
        e.postings
            .iter()
            .map(|p| {
                (
                    p.account.book_id.clone(),
                    p.account.code.clone(),
                    p.side,
                    p.amount_fen,
                )
            })
            .collect()
    }

    /// Fund "a" places 30,000.00 with the federation: both books balance.
    #[test]
    fn a_placement_from_a_fund_moves_bank_money_in_both_books() {
        let rules = FederationRules::default();
        let p = placement(
            &rules,
            Direction::FromFund,
            "P1",
            "a",
            Decimal::from(30_000),
            day(1),
        );
        let (opened, e) = placed("fed", &p).unwrap();
        assert_eq!(
            (opened.account.code.as_str(), opened.account.sub.as_str()),
            ("2101", "fund:a")
        );
        assert_eq!(
            legs(&e),
            vec![
                ("a".into(), "1301".into(), Side::Debit, 3_000_000),
                ("a".into(), "1002".into(), Side::Credit, 3_000_000),
                ("fed".into(), "1002".into(), Side::Debit, 3_000_000),
                ("fed".into(), "2101".into(), Side::Credit, 3_000_000),
            ]
        );
    }

    /// 10,000.00 lent to a fund at 3.6% for 30 days: a fee of 30.00, the
    /// federation's income and the fund's expense.
    #[test]
    fn a_repayment_to_the_federation_pays_its_fee() {
        let rules = FederationRules {
            placement_rate_annual: "0.036".parse().unwrap(),
            spread_annual: Decimal::ZERO,
            ..FederationRules::default()
        };
        let p = placement(
            &rules,
            Direction::ToFund,
            "P2",
            "b",
            Decimal::from(10_000),
            day(1),
        );
        let charged = fee(
            Decimal::from(10_000),
            p.rate_annual,
            DayCount::Actual360,
            day(1),
            day(31),
        );
        assert_eq!(charged, "30.00".parse().unwrap());
        let whole = Repaid {
            principal_fen: 1_000_000,
            fee_fen: 3_000,
            settled_fen: 0,
        };
        let e = repaid("fed", &p, whole, day(31));
        assert_eq!(
            legs(&e),
            vec![
                ("b".into(), "2101".into(), Side::Debit, 1_000_000),
                ("b".into(), "5003".into(), Side::Debit, 3_000),
                ("b".into(), "1002".into(), Side::Credit, 1_003_000),
                ("fed".into(), "1002".into(), Side::Debit, 1_003_000),
                ("fed".into(), "1301".into(), Side::Credit, 1_000_000),
                ("fed".into(), "4001".into(), Side::Credit, 3_000),
            ]
        );
        // A repayment on the day of the placement has no fee: the leg is left out.
        let same_day = Repaid {
            principal_fen: 1_000,
            fee_fen: 0,
            settled_fen: 0,
        };
        assert_eq!(repaid("fed", &p, same_day, day(1)).postings.len(), 4);
    }
}
