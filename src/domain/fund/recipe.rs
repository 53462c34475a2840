//! Posting recipes of a fund's capital and shares (DOMAIN.md §4): which
//! accounts each operation moves, on which side. Amounts come checked by the
//! rules in [`super`]; these only say where the money goes.
use chrono::NaiveDate;

use crate::domain::chart::code::fund::{
    ALLOCATED_SHARES, BANK, CASH, DONATIONS, MANAGEMENT_EXPENSES, MEMBER_SHARES, PAYABLES,
    SEED_CAPITAL,
};
use crate::domain::chart::{self, SubKind, FISCAL, SPECIAL};
use crate::domain::posting::{account, open, transfer, PlannedAccount, PlannedEntry};

/// Where a fund's money is kept: the cash box or the bank account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Till {
    Cash,
    Bank,
}

impl Till {
    pub fn code(self) -> &'static str {
        match self {
            Till::Cash => CASH,
            Till::Bank => BANK,
        }
    }
}

/// Where a fund's capital comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capital {
    /// Provincial or county fiscal support (seed capital, 3001).
    Fiscal,
    /// Special poverty-alleviation support (seed capital, 3001).
    Special,
    /// A donation (3004).
    Donation,
}

impl Capital {
    /// The equity account it is credited to, and how the entry reads.
    fn credit(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Capital::Fiscal => (SEED_CAPITAL, FISCAL, "seed capital, fiscal support"),
            Capital::Special => (SEED_CAPITAL, SPECIAL, "seed capital, special support"),
            Capital::Donation => (DONATIONS, "", "donation"),
        }
    }
}

/// The seed-capital sub-account that pays for allocated shares (配股).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedSource {
    Fiscal,
    Special,
}

impl SeedSource {
    fn sub(self) -> &'static str {
        match self {
            SeedSource::Fiscal => FISCAL,
            SeedSource::Special => SPECIAL,
        }
    }
}

/// A member's sub-account name, "member:M01".
pub fn member_sub(member_id: &str) -> String {
    chart::sub(SubKind::Member, member_id)
}

/// The seed-capital sub-accounts a new fund opens (never below zero, so
/// allocated shares never exceed the seed capital).
pub fn seed_accounts(fund_id: &str) -> Vec<PlannedAccount> {
    vec![
        open(
            account(fund_id, SEED_CAPITAL, FISCAL),
            "Fiscal support",
            true,
        ),
        open(
            account(fund_id, SEED_CAPITAL, SPECIAL),
            "Special poverty-alleviation support",
            true,
        ),
    ]
}

/// Capital in: Dr the till, Cr seed capital from the source or donations.
pub fn capital_in(
    fund_id: &str,
    till: Till,
    source: Capital,
    amount_fen: i64,
    date: NaiveDate,
) -> PlannedEntry {
    let (code, sub, memo) = source.credit();
    transfer(
        date,
        memo.into(),
        account(fund_id, till.code(), ""),
        account(fund_id, code, sub),
        amount_fen,
    )
}

/// A joining household's sub-accounts: own and allocated shares (never
/// below zero) and payables (dividends, refunds).
pub fn member_accounts(fund_id: &str, member_id: &str, name: &str) -> Vec<PlannedAccount> {
    let sub = member_sub(member_id);
    [
        (MEMBER_SHARES, true),
        (ALLOCATED_SHARES, true),
        (PAYABLES, false),
    ]
    .into_iter()
    .map(|(code, non_negative)| open(account(fund_id, code, &sub), name, non_negative))
    .collect()
}

/// Own shares bought: Dr the till, Cr 3002/member.
pub fn shares_bought(
    fund_id: &str,
    member_id: &str,
    till: Till,
    amount_fen: i64,
    date: NaiveDate,
) -> PlannedEntry {
    transfer(
        date,
        format!("shares bought by {member_id}"),
        account(fund_id, till.code(), ""),
        account(fund_id, MEMBER_SHARES, &member_sub(member_id)),
        amount_fen,
    )
}

/// Allocated shares paid from seed capital: Dr 3001/source, Cr 3003/member.
pub fn shares_allocated(
    fund_id: &str,
    member_id: &str,
    source: SeedSource,
    amount_fen: i64,
    date: NaiveDate,
) -> PlannedEntry {
    transfer(
        date,
        format!("shares allocated to {member_id}"),
        account(fund_id, SEED_CAPITAL, source.sub()),
        account(fund_id, ALLOCATED_SHARES, &member_sub(member_id)),
        amount_fen,
    )
}

/// Own shares refunded: Dr 3002/member, Cr the till; `leaving` when the
/// member leaves the fund with all of them.
pub fn shares_refunded(
    fund_id: &str,
    member_id: &str,
    till: Till,
    amount_fen: i64,
    date: NaiveDate,
    leaving: bool,
) -> PlannedEntry {
    let memo = if leaving {
        format!("own shares refunded to {member_id}, who leaves the fund")
    } else {
        format!("shares refunded to {member_id}")
    };
    transfer(
        date,
        memo,
        account(fund_id, MEMBER_SHARES, &member_sub(member_id)),
        account(fund_id, till.code(), ""),
        amount_fen,
    )
}

/// An expense category's sub-account name, "expense:office".
pub fn expense_sub(category: &str) -> String {
    chart::sub(SubKind::Expense, category)
}

/// A management expense of `category` paid from the till: Dr
/// 5001/expense:category, Cr the till; with the category's sub-account,
/// which opens with the first expense of its kind.
pub fn expense(
    fund_id: &str,
    category: &str,
    till: Till,
    amount_fen: i64,
    date: NaiveDate,
    memo: &str,
) -> (PlannedAccount, PlannedEntry) {
    let sub = expense_sub(category);
    let opened = open(
        account(fund_id, MANAGEMENT_EXPENSES, &sub),
        format!("Management expenses: {category}"),
        false,
    );
    let memo = match memo.trim() {
        "" => format!("{category} expense"),
        said => format!("{category} expense: {said}"),
    };
    let paid = transfer(
        date,
        memo,
        account(fund_id, MANAGEMENT_EXPENSES, &sub),
        account(fund_id, till.code(), ""),
        amount_fen,
    );
    (opened, paid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::posting::Side;

    fn legs(e: &PlannedEntry) -> Vec<(String, String, Side, i64)> {
        e.postings
            .iter()
            .map(|p| {
                (
                    p.account.code.clone(),
                    p.account.sub.clone(),
                    p.side,
                    p.amount_fen,
                )
            })
            .collect()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    }

    #[test]
    fn capital_goes_to_the_source_it_came_from() {
        let e = capital_in("f", Till::Bank, Capital::Special, 110_000_000, day());
        assert_eq!(
            legs(&e),
            vec![
                ("1002".into(), "".into(), Side::Debit, 110_000_000),
                (
                    "3001".into(),
                    "source:special".into(),
                    Side::Credit,
                    110_000_000
                ),
            ]
        );
        let gift = capital_in("f", Till::Cash, Capital::Donation, 50_000, day());
        assert_eq!(gift.postings[1].account.code, "3004");
        assert_eq!(gift.memo, "donation");
    }

    #[test]
    fn shares_move_between_the_till_seed_capital_and_the_member() {
        // 300.00 of own shares in cash, 200.00 allocated from fiscal support.
        let bought = shares_bought("f", "M1", Till::Cash, 30_000, day());
        assert_eq!(
            legs(&bought),
            vec![
                ("1001".into(), "".into(), Side::Debit, 30_000),
                ("3002".into(), "member:M1".into(), Side::Credit, 30_000),
            ]
        );
        let allocated = shares_allocated("f", "M1", SeedSource::Fiscal, 20_000, day());
        assert_eq!(
            legs(&allocated),
            vec![
                ("3001".into(), "source:fiscal".into(), Side::Debit, 20_000),
                ("3003".into(), "member:M1".into(), Side::Credit, 20_000),
            ]
        );
        let refunded = shares_refunded("f", "M1", Till::Cash, 10_000, day(), true);
        assert_eq!(refunded.postings[0].side, Side::Debit);
        assert_eq!(refunded.postings[0].account.code, "3002");
        assert!(refunded.memo.contains("leaves the fund"));
    }

    /// 120.50 of office supplies from the cash box: Dr 5001/expense:office,
    /// Cr 1001; the category's account is an expense sub-account of 5001,
    /// which the fund's chart accepts.
    #[test]
    fn an_expense_is_charged_to_its_category() {
        let (opened, paid) = expense("f", "office", Till::Cash, 12_050, day(), " paper ");
        assert_eq!(
            legs(&paid),
            vec![
                ("5001".into(), "expense:office".into(), Side::Debit, 12_050),
                ("1001".into(), "".into(), Side::Credit, 12_050),
            ]
        );
        assert_eq!(paid.memo, "office expense: paper");
        assert_eq!(
            (opened.account.sub.as_str(), opened.non_negative),
            ("expense:office", false)
        );
        let line = chart::chart_line(chart::BookKind::Fund, MANAGEMENT_EXPENSES).unwrap();
        let kind = chart::check_sub_account(chart::BookKind::Fund, line, &opened.account.sub);
        assert_eq!(kind, Ok(SubKind::Expense));
        let (_, unsaid) = expense("f", "travel", Till::Bank, 100, day(), "");
        assert_eq!(unsaid.memo, "travel expense");
    }

    #[test]
    fn a_member_opens_shares_that_never_go_negative_and_payables() {
        let opened = member_accounts("f", "M7", "Wang Jun");
        let flags: Vec<(&str, bool)> = opened
            .iter()
            .map(|a| (a.account.code.as_str(), a.non_negative))
            .collect();
        assert_eq!(flags, vec![("3002", true), ("3003", true), ("2201", false)]);
        assert!(opened.iter().all(|a| a.account.sub == "member:M7"));
    }
}
