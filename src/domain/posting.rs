//! The shape of a journal entry as the business rules build it: which
//! account, which side, how many fen. The posting recipes beside each rule
//! (`fund::recipe`, `servicing::recipe`, ...) return these; the ledger checks
//! them again and stores them. Nothing here reads or writes anything.
//!
//! Every entry a recipe builds balances within every book it touches: the
//! constructors here assert it, so an unbalanced recipe is a bug found where
//! it is made, not a refusal found later.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::money::{to_fen, AmountError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    #[serde(rename = "D")]
    Debit,
    #[serde(rename = "C")]
    Credit,
}

impl Side {
    /// Debits count positive, credits negative: a balanced book sums to zero.
    pub fn signed(self, amount_fen: i64) -> i128 {
        match self {
            Self::Debit => i128::from(amount_fen),
            Self::Credit => -i128::from(amount_fen),
        }
    }

    pub fn opposite(self) -> Self {
        match self {
            Self::Debit => Self::Credit,
            Self::Credit => Self::Debit,
        }
    }
}

/// A reference to an account by its public names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountName {
    pub book_id: String,
    pub code: String,
    pub sub: String,
}

impl AccountName {
    /// "book/code" or "book/code/sub": how refusals name an account.
    pub fn display(&self) -> String {
        if self.sub.is_empty() {
            format!("{}/{}", self.book_id, self.code)
        } else {
            format!("{}/{}/{}", self.book_id, self.code, self.sub)
        }
    }
}

/// An account of `book_id` under chart `code`, with a sub-account or none ("").
pub fn account(book_id: &str, code: &str, sub: &str) -> AccountName {
    AccountName {
        book_id: book_id.into(),
        code: code.into(),
        sub: sub.into(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostingInput {
    pub account: AccountName,
    pub side: Side,
    pub amount_fen: i64,
}

/// An entry a business operation posts; the ledger gives it the request id
/// `{request_id}#{k}` (k from 1) and the operation's actor.
#[derive(Debug, Clone)]
pub struct PlannedEntry {
    pub value_date: NaiveDate,
    pub memo: String,
    pub postings: Vec<PostingInput>,
}

impl PlannedEntry {
    /// Debits and credits per book, in fen.
    fn totals(&self) -> BTreeMap<&str, (i128, i128)> {
        let mut books: BTreeMap<&str, (i128, i128)> = BTreeMap::new();
        for p in &self.postings {
            let t = books.entry(p.account.book_id.as_str()).or_default();
            match p.side {
                Side::Debit => t.0 += i128::from(p.amount_fen),
                Side::Credit => t.1 += i128::from(p.amount_fen),
            }
        }
        books
    }

    /// True when every book the entry touches has equal debits and credits.
    pub fn balanced(&self) -> bool {
        self.totals().values().all(|(d, c)| d == c)
    }

    /// The invariant every recipe keeps: panics (a bug, never an input
    /// error) when a book of the entry does not balance.
    pub fn assert_balanced(self) -> Self {
        assert!(
            self.balanced(),
            "entry {:?} does not balance per book: {:?}",
            self.memo,
            self.totals()
        );
        self
    }
}

/// A sub-account an operation needs; the ledger opens it unless it exists.
#[derive(Debug, Clone)]
pub struct PlannedAccount {
    pub account: AccountName,
    pub name: String,
    pub non_negative: bool,
}

/// A sub-account to open, named for people (a member's name, "loan L1 of M1").
pub fn open(account: AccountName, name: impl Into<String>, non_negative: bool) -> PlannedAccount {
    PlannedAccount {
        account,
        name: name.into(),
        non_negative,
    }
}

/// A computed amount the ledger cannot post: not whole fen, not above zero,
/// or beyond the posting limit. Never the caller's fault: a broken rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the computed amount {amount} cannot be posted: {reason}")]
pub struct Unpostable {
    pub amount: Decimal,
    pub reason: AmountError,
}

/// A computed yuan amount in fen, for a leg.
pub fn fen(amount: Decimal) -> Result<i64, Unpostable> {
    to_fen(amount).map_err(|reason| Unpostable { amount, reason })
}

/// One leg: an account, a side and an amount in fen.
pub type Leg = (AccountName, Side, i64);

/// One entry of any number of legs, possibly across books; legs of zero fen
/// (a fee of no days) are left out. Asserts that every book balances.
pub fn entry(date: NaiveDate, memo: String, legs: impl IntoIterator<Item = Leg>) -> PlannedEntry {
    PlannedEntry {
        value_date: date,
        memo,
        postings: legs
            .into_iter()
            .filter(|(_, _, fen)| *fen != 0)
            .map(|(account, side, amount_fen)| PostingInput {
                account,
                side,
                amount_fen,
            })
            .collect(),
    }
    .assert_balanced()
}

/// One entry: debit one account, credit another, the same amount in fen.
pub fn transfer(
    date: NaiveDate,
    memo: String,
    debit: AccountName,
    credit: AccountName,
    amount_fen: i64,
) -> PlannedEntry {
    PlannedEntry {
        value_date: date,
        memo,
        postings: vec![
            PostingInput {
                account: debit,
                side: Side::Debit,
                amount_fen,
            },
            PostingInput {
                account: credit,
                side: Side::Credit,
                amount_fen,
            },
        ],
    }
    .assert_balanced()
}

/// [`transfer`] of a computed yuan amount.
pub fn transfer_yuan(
    date: NaiveDate,
    memo: String,
    debit: AccountName,
    credit: AccountName,
    amount: Decimal,
) -> Result<PlannedEntry, Unpostable> {
    Ok(transfer(date, memo, debit, credit, fen(amount)?))
}

/// A leg of a computed yuan amount; `None` for nothing (zero or less).
pub fn leg_yuan(
    account: AccountName,
    side: Side,
    amount: Decimal,
) -> Result<Option<Leg>, Unpostable> {
    if amount <= Decimal::ZERO {
        return Ok(None);
    }
    Ok(Some((account, side, fen(amount)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
    }

    #[test]
    fn an_entry_across_two_books_balances_in_each() {
        let e = entry(
            day(),
            "placement".into(),
            [
                (account("fund-a", "1301", ""), Side::Debit, 500),
                (account("fund-a", "1002", ""), Side::Credit, 500),
                (account("fed", "1002", ""), Side::Debit, 500),
                (account("fed", "2101", "fund:fund-a"), Side::Credit, 500),
                (account("fed", "5003", ""), Side::Debit, 0),
            ],
        );
        assert_eq!(e.postings.len(), 4, "the zero leg is left out");
        assert!(e.balanced());
    }

    #[test]
    #[should_panic(expected = "does not balance per book")]
    fn an_entry_balanced_overall_but_not_per_book_is_a_bug() {
        entry(
            day(),
            "wrong".into(),
            [
                (account("fund-a", "1002", ""), Side::Debit, 500),
                (account("fed", "1002", ""), Side::Credit, 500),
            ],
        );
    }

    #[test]
    fn computed_amounts_post_only_as_whole_fen() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(fen(d("12.34")), Ok(1234));
        assert!(fen(d("0.005")).is_err());
        assert!(fen(Decimal::ZERO).is_err());
        assert_eq!(
            leg_yuan(account("f", "4001", ""), Side::Credit, Decimal::ZERO),
            Ok(None)
        );
    }

    #[test]
    fn accounts_read_as_paths() {
        assert_eq!(account("f", "1202", "loan:L1").display(), "f/1202/loan:L1");
        assert_eq!(account("f", "1001", "").display(), "f/1001");
    }
}
