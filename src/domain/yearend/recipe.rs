//! Posting recipes of a fund's year-end (DOMAIN.md §4): every income and
//! expense account closed to undistributed surplus (3201) at December 31,
//! then the surplus to the welfare fund and reserves, and dividends payable
//! to members (2201), a bounded number of members an entry.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::YearEnd;
use crate::domain::chart::code::fund::{
    ACCUMULATION_RESERVE, PAYABLES, RISK_RESERVE, UNDISTRIBUTED_SURPLUS, WELFARE_FUND,
};
use crate::domain::fund::recipe::member_sub;
use crate::domain::money::fen_to_decimal;
use crate::domain::posting::{account, entry, fen, leg_yuan, Leg, PlannedEntry, Side, Unpostable};

/// Member payables per dividend entry (an entry holds at most 64 postings).
pub const DIVIDENDS_PER_ENTRY: usize = 60;

/// An income or expense account's balance at the year's end: code, sub,
/// debit-positive fen.
pub type Closing = (String, String, i128);

/// Adds to the closing balances what `entries` (planned by the year-end
/// itself, not yet in the store) post to them on or before `end`: a
/// placement's fee booked before the split.
pub fn with_planned(
    accounts: &mut [Closing],
    fund_id: &str,
    end: NaiveDate,
    entries: &[PlannedEntry],
) {
    let postings = entries
        .iter()
        .filter(|e| e.value_date <= end)
        .flat_map(|e| e.postings.iter())
        .filter(|p| p.account.book_id == fund_id);
    for p in postings {
        let row = accounts
            .iter_mut()
            .find(|(code, sub, _)| *code == p.account.code && *sub == p.account.sub);
        if let Some((_, _, balance)) = row {
            *balance += match p.side {
                Side::Debit => i128::from(p.amount_fen),
                Side::Credit => -i128::from(p.amount_fen),
            };
        }
    }
}

/// Income and expense accounts closed per entry (an entry holds at most 64
/// postings; each closing entry adds its 3201 leg).
pub const CLOSED_PER_ENTRY: usize = 60;

/// Closes `accounts` to 3201, [`CLOSED_PER_ENTRY`] accounts an entry, each
/// entry's net to 3201; answers the surplus (income less expenses) and the
/// entries (none when no account has a balance).
pub fn closing(
    fund_id: &str,
    year: i32,
    end: NaiveDate,
    accounts: &[Closing],
) -> Result<(Decimal, Vec<PlannedEntry>), Unpostable> {
    let open: Vec<&Closing> = accounts.iter().filter(|a| a.2 != 0).collect();
    let mut entries = Vec::new();
    let mut net = 0i128;
    for chunk in open.chunks(CLOSED_PER_ENTRY) {
        let mut legs: Vec<Leg> = Vec::new();
        let mut chunk_net = 0i128;
        for (code, sub, balance) in chunk.iter().copied() {
            chunk_net += balance;
            let side = if *balance > 0 {
                Side::Credit
            } else {
                Side::Debit
            };
            legs.push((
                account(fund_id, code, sub),
                side,
                fen(fen_to_decimal(balance.abs()))?,
            ));
        }
        if chunk_net != 0 {
            let side = if chunk_net < 0 {
                Side::Credit
            } else {
                Side::Debit
            };
            let amount = fen(fen_to_decimal(chunk_net.abs()))?;
            legs.push((account(fund_id, UNDISTRIBUTED_SURPLUS, ""), side, amount));
        }
        net += chunk_net;
        let memo = format!("year-end {year}: income and expenses closed to undistributed surplus");
        entries.push(entry(end, memo, legs));
    }
    Ok((fen_to_decimal(-net), entries))
}

/// The surplus shared out: Dr 3201, Cr 3101, 3102, 3103; then Dr 3201, Cr
/// 2201/member for the dividends, [`DIVIDENDS_PER_ENTRY`] members an entry.
pub fn distribution(
    fund_id: &str,
    year: i32,
    end: NaiveDate,
    y: &YearEnd,
) -> Result<Vec<PlannedEntry>, Unpostable> {
    let s = &y.split;
    let surplus_account = || account(fund_id, UNDISTRIBUTED_SURPLUS, "");
    let mut entries = Vec::new();
    let reserves: Vec<Leg> = [
        leg_yuan(
            surplus_account(),
            Side::Debit,
            s.welfare + s.accumulation + s.risk,
        )?,
        leg_yuan(account(fund_id, WELFARE_FUND, ""), Side::Credit, s.welfare)?,
        leg_yuan(
            account(fund_id, ACCUMULATION_RESERVE, ""),
            Side::Credit,
            s.accumulation,
        )?,
        leg_yuan(account(fund_id, RISK_RESERVE, ""), Side::Credit, s.risk)?,
    ]
    .into_iter()
    .flatten()
    .collect();
    if reserves.len() > 1 {
        let memo = format!("year-end {year}: surplus to the welfare fund and reserves");
        entries.push(entry(end, memo, reserves));
    }
    for chunk in y.dividends.chunks(DIVIDENDS_PER_ENTRY) {
        let total: Decimal = chunk.iter().map(|(_, a)| *a).sum();
        let mut legs = vec![(surplus_account(), Side::Debit, fen(total)?)];
        for (member, amount) in chunk {
            let payable = account(fund_id, PAYABLES, &member_sub(member));
            legs.push((payable, Side::Credit, fen(*amount)?));
        }
        let memo = format!("year-end {year}: dividends payable to members");
        entries.push(entry(end, memo, legs));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fund::Distribution;
    use crate::domain::yearend::distribute;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn end() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
    }

    /// Fee income 1,200.00 and other income 100.00 against 300.00 of
    /// expenses: a surplus of 1,000.00 closed to 3201.
    #[test]
    fn income_and_expenses_close_to_undistributed_surplus() {
        let accounts = vec![
            ("4001".to_string(), String::new(), -120_000),
            ("4003".to_string(), String::new(), -10_000),
            ("5001".to_string(), String::new(), 30_000),
            ("5002".to_string(), String::new(), 0),
        ];
        let (surplus, e) = closing("f", 2025, end(), &accounts).unwrap();
        assert_eq!(surplus, d("1000.00"));
        let e = &e[0];
        let legs: Vec<(&str, Side, i64)> = e
            .postings
            .iter()
            .map(|p| (p.account.code.as_str(), p.side, p.amount_fen))
            .collect();
        assert_eq!(
            legs,
            vec![
                ("4001", Side::Debit, 120_000),
                ("4003", Side::Debit, 10_000),
                ("5001", Side::Credit, 30_000),
                ("3201", Side::Credit, 100_000),
            ]
        );
        let (nothing, none) = closing("f", 2025, end(), &[]).unwrap();
        assert_eq!(nothing, Decimal::ZERO);
        assert!(none.is_empty());
    }

    /// 130 expense categories of 1.00 each and 500.00 of fees: three entries
    /// (60, 60 and 10 categories, the last with 4001), each balanced by its
    /// own 3201 leg; the surplus 500.00 − 130.00 = 370.00.
    #[test]
    fn many_categories_close_in_entries_that_fit() {
        let mut accounts: Vec<Closing> = (0..130)
            .map(|i| ("5001".to_string(), format!("expense:c{i:03}"), 100))
            .collect();
        accounts.push(("4001".to_string(), String::new(), -50_000));
        let (surplus, entries) = closing("f", 2025, end(), &accounts).unwrap();
        assert_eq!(surplus, d("370.00"));
        let sizes: Vec<usize> = entries.iter().map(|e| e.postings.len()).collect();
        assert_eq!(sizes, [61, 61, 12]);
        let to_surplus: Vec<(Side, i64)> = entries
            .iter()
            .map(|e| e.postings.last().unwrap())
            .map(|p| (p.side, p.amount_fen))
            .collect();
        assert_eq!(
            to_surplus,
            [
                (Side::Debit, 6_000),
                (Side::Debit, 6_000),
                (Side::Credit, 49_000)
            ]
        );
    }

    /// 1,000.00 by the default 10/20/30/40: 100, 200, 300 to the reserves and
    /// 400 of dividends, 3:1 between two members' shares: 300 and 100.
    #[test]
    fn the_surplus_goes_to_reserves_and_members() {
        let rules = Distribution {
            welfare: d("0.10"),
            accumulation: d("0.20"),
            risk: d("0.30"),
            dividends: d("0.40"),
        };
        let weights = vec![("M1".to_string(), d("300")), ("M2".to_string(), d("100"))];
        let y = distribute(&rules, d("1000.00"), &weights);
        let entries = distribution("f", 2025, end(), &y).unwrap();
        assert_eq!(entries.len(), 2);
        let amounts: Vec<i64> = entries[0].postings.iter().map(|p| p.amount_fen).collect();
        assert_eq!(amounts, vec![60_000, 10_000, 20_000, 30_000]);
        let payables: Vec<(&str, i64)> = entries[1].postings[1..]
            .iter()
            .map(|p| (p.account.sub.as_str(), p.amount_fen))
            .collect();
        assert_eq!(payables, vec![("member:M1", 30_000), ("member:M2", 10_000)]);
    }

    /// All to dividends and nobody to pay: the whole surplus stays as accumulation.
    #[test]
    fn dividends_nobody_can_be_paid_stay_as_accumulation() {
        let rules = Distribution {
            welfare: Decimal::ZERO,
            accumulation: Decimal::ZERO,
            risk: Decimal::ZERO,
            dividends: Decimal::ONE,
        };
        let y = distribute(&rules, d("500.00"), &[]);
        assert_eq!(y.split.accumulation, d("500.00"));
        assert_eq!(y.split.dividends, Decimal::ZERO);
        let entries = distribution("f", 2025, end(), &y).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].postings[1].account.code, "3102");
    }
}
