//! The ledger's in-memory state: books, accounts, current balances, chain head.
//!
//! Two copies exist. The writer owns a working copy that runs ahead while a group
//! is being built; readers see the published copy, which changes only after a
//! group is flushed. Both change through the same [`Effect`]s, applied by
//! [`State::apply`], so they cannot drift apart.
use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::months::Months;
use super::record::{Hash, GENESIS_HASH};
use crate::domain::chart::{AccountType, BookKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookMeta {
    pub no: u32,
    pub book_id: String,
    pub kind: BookKind,
    pub name: String,
    /// Last day of the last closed month.
    pub closed_through: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMeta {
    pub no: u32,
    pub book_no: u32,
    pub code: String,
    pub sub: String,
    pub name: String,
    pub account_type: AccountType,
    pub non_negative: bool,
}

impl AccountMeta {
    /// A debit-positive balance seen from the account's normal side.
    pub fn normal_balance(&self, debit_positive_fen: i128) -> i128 {
        if self.account_type.debit_normal() {
            debit_positive_fen
        } else {
            -debit_positive_fen
        }
    }
}

/// A registry record: business data kept beside the accounts (a fund's rules,
/// a member, a loan), as JSON, versioned so that a plan computed from it can be
/// checked by the writer before it is applied (optimistic concurrency).
#[derive(Debug, Clone)]
pub struct Record {
    /// 1 for the first write, then one more per write.
    pub version: u64,
    pub value: Arc<Vec<u8>>,
    /// The value as its first reader decoded it, kept for the next readers
    /// (shared by every copy of this version: a write makes a new record).
    decoded: Arc<OnceLock<Arc<dyn Any + Send + Sync>>>,
}

impl PartialEq for Record {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && self.value == other.value
    }
}

impl Eq for Record {}

impl Record {
    pub fn new(version: u64, value: Vec<u8>) -> Self {
        Record {
            version,
            value: Arc::new(value),
            decoded: Arc::default(),
        }
    }

    /// The value as a `T`: decoded by `decode` the first time, then a copy
    /// of that. A reader asking for another type than the first decodes it
    /// itself, each time.
    pub fn decoded<T, E>(&self, decode: impl FnOnce(&[u8]) -> Result<T, E>) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
    {
        Ok(self.shared(decode)?.as_ref().clone())
    }

    /// The value as a `T` shared with every other reader of this version,
    /// for a reader that only looks at it (no copy).
    pub fn shared<T, E>(&self, decode: impl FnOnce(&[u8]) -> Result<T, E>) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
    {
        if let Some(kept) = self.decoded.get() {
            return match Arc::clone(kept).downcast::<T>() {
                Ok(t) => Ok(t),
                Err(_) => decode(&self.value).map(Arc::new),
            };
        }
        let t = Arc::new(decode(&self.value)?);
        // A reader that raced this one may have kept its copy: the same value.
        let _ = self.decoded.set(t.clone());
        Ok(t)
    }
}

/// One change to the state; a group of them is what a flushed batch means.
#[derive(Debug, Clone)]
pub enum Effect {
    Book(BookMeta),
    Account(AccountMeta),
    /// Debit-positive change of an account's balance, in fen, by a
    /// posting dated `day` (a day number).
    Balance {
        account: u32,
        delta_fen: i128,
        day: u32,
    },
    ClosedThrough {
        book: u32,
        date: NaiveDate,
    },
    Head {
        seq: u64,
        hash: Hash,
    },
    Record {
        key: String,
        record: Record,
    },
}

#[derive(Debug, Clone)]
pub struct State {
    pub books: Vec<BookMeta>,
    pub book_index: HashMap<String, u32>,
    /// Account numbers of each book, in opening order.
    pub book_accounts: Vec<Vec<u32>>,
    /// Shared so that a reader copies a book's accounts without their text.
    pub accounts: Vec<Arc<AccountMeta>>,
    /// Per book: code -> sub -> account number (nested so lookups borrow `&str`).
    account_index: Vec<HashMap<String, HashMap<String, u32>>>,
    /// Debit-positive balances in fen, by account number.
    pub balances: Vec<i128>,
    pub head_seq: u64,
    pub head_hash: Hash,
    /// Registry records by key ("member/fund-a/M001"), ordered for prefix listing.
    pub records: BTreeMap<String, Record>,
    /// Per book: its capital (equity accounts on their normal side), kept
    /// with every balance change so that a loan decision does not sum a
    /// fund's accounts.
    equity: Vec<i128>,
    /// Each account's postings summed by month, for balances as of a date.
    pub months: Months,
}

impl Default for State {
    fn default() -> Self {
        Self {
            books: Vec::new(),
            book_index: HashMap::new(),
            book_accounts: Vec::new(),
            accounts: Vec::new(),
            account_index: Vec::new(),
            balances: Vec::new(),
            head_seq: 0,
            head_hash: GENESIS_HASH,
            records: BTreeMap::new(),
            equity: Vec::new(),
            months: Months::default(),
        }
    }
}

impl State {
    pub fn apply(&mut self, effect: &Effect) {
        match effect {
            Effect::Book(book) => {
                assert_eq!(
                    book.no as usize,
                    self.books.len(),
                    "books are numbered densely"
                );
                self.book_index.insert(book.book_id.clone(), book.no);
                self.books.push(book.clone());
                self.book_accounts.push(Vec::new());
                self.account_index.push(HashMap::new());
                self.equity.push(0);
            }
            Effect::Account(account) => {
                assert_eq!(
                    account.no as usize,
                    self.accounts.len(),
                    "accounts are numbered densely"
                );
                self.account_index[account.book_no as usize]
                    .entry(account.code.clone())
                    .or_default()
                    .insert(account.sub.clone(), account.no);
                self.book_accounts[account.book_no as usize].push(account.no);
                self.accounts.push(Arc::new(account.clone()));
                self.balances.push(0);
                self.months.open_account();
            }
            Effect::Balance {
                account,
                delta_fen,
                day,
            } => {
                self.balances[*account as usize] += delta_fen;
                self.months.add(*account, *day, *delta_fen);
                debug_assert_eq!(
                    self.months.total(*account),
                    self.balances[*account as usize],
                    "account {account}: its months sum to its balance"
                );
                let a = &self.accounts[*account as usize];
                if a.account_type == AccountType::Equity {
                    self.equity[a.book_no as usize] += a.normal_balance(*delta_fen);
                }
            }
            Effect::ClosedThrough { book, date } => {
                self.books[*book as usize].closed_through = Some(*date);
            }
            Effect::Head { seq, hash } => {
                assert_eq!(*seq, self.head_seq + 1, "the sequence has no gaps");
                self.head_seq = *seq;
                self.head_hash = *hash;
            }
            Effect::Record { key, record } => {
                let before = self.records.get(key).map_or(0, |r| r.version);
                assert_eq!(record.version, before + 1, "record versions have no gaps");
                self.records.insert(key.clone(), record.clone());
            }
        }
    }

    pub fn book(&self, book_id: &str) -> Option<&BookMeta> {
        self.book_index
            .get(book_id)
            .map(|no| &self.books[*no as usize])
    }

    pub fn account_no(&self, book_no: u32, code: &str, sub: &str) -> Option<u32> {
        self.account_index
            .get(book_no as usize)?
            .get(code)?
            .get(sub)
            .copied()
    }

    /// "book/code" or "book/code/sub": how errors and reports name an account.
    pub fn account_label(&self, no: u32) -> String {
        let a = &self.accounts[no as usize];
        let book = &self.books[a.book_no as usize].book_id;
        if a.sub.is_empty() {
            format!("{book}/{}", a.code)
        } else {
            format!("{book}/{}/{}", a.code, a.sub)
        }
    }

    pub fn version(&self, key: &str) -> u64 {
        self.records.get(key).map_or(0, |r| r.version)
    }

    /// Records whose key starts with `prefix`, in key order.
    pub fn records_under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a String, &'a Record)> + 'a {
        self.records
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
    }

    /// Balance on the account's normal side, in fen; 0 for an account not opened.
    pub fn balance(&self, book_id: &str, code: &str, sub: &str) -> i128 {
        self.book(book_id)
            .and_then(|b| self.account_no(b.no, code, sub))
            .map_or(0, |no| {
                self.accounts[no as usize].normal_balance(self.balances[no as usize])
            })
    }

    /// A chart code with all its sub-accounts, on its normal side, in fen.
    pub fn balance_under(&self, book_id: &str, code: &str) -> i128 {
        let Some(subs) = self
            .book(book_id)
            .and_then(|b| self.account_index[b.no as usize].get(code))
        else {
            return 0;
        };
        subs.values()
            .map(|no| self.accounts[*no as usize].normal_balance(self.balances[*no as usize]))
            .sum()
    }

    /// A book's capital: the sum of its equity accounts on their normal side, in fen.
    pub fn equity(&self, book_id: &str) -> i128 {
        self.book(book_id).map_or(0, |b| {
            let kept = self.equity[b.no as usize];
            debug_assert_eq!(kept, self.summed_equity(b.no), "kept capital of {book_id}");
            kept
        })
    }

    fn summed_equity(&self, book_no: u32) -> i128 {
        self.book_accounts[book_no as usize]
            .iter()
            .map(|no| &self.accounts[*no as usize])
            .filter(|a| a.account_type == AccountType::Equity)
            .map(|a| a.normal_balance(self.balances[a.no as usize]))
            .sum()
    }

    /// Sums every book's capital afresh, for balances set other than by
    /// [`Effect::Balance`] (a checkpoint and the journal's tail at start-up).
    pub fn recount_equity(&mut self) {
        self.equity = (0..self.books.len() as u32)
            .map(|no| self.summed_equity(no))
            .collect();
    }

    /// Each code of a book with the places of its accounts (its
    /// sub-accounts) in the book's opening order, as `book_accounts` lists
    /// them: no account's code compared or hashed.
    pub fn places_by_code(&self, book_no: u32) -> HashMap<String, Vec<usize>> {
        let in_order = &self.book_accounts[book_no as usize];
        let place = |no: &u32| {
            in_order
                .binary_search(no)
                .expect("a book lists its accounts in the order they were numbered")
        };
        self.account_index[book_no as usize]
            .iter()
            .map(|(code, subs)| (code.clone(), subs.values().map(place).collect()))
            .collect()
    }

    /// Accounts of a book under one chart code: the header and its sub-accounts.
    pub fn accounts_under<'a>(
        &'a self,
        book_no: u32,
        code: &'a str,
    ) -> impl Iterator<Item = &'a AccountMeta> + 'a {
        self.book_accounts[book_no as usize]
            .iter()
            .map(|no| &*self.accounts[*no as usize])
            .filter(move |a| a.code == code)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn a_record_is_decoded_once_per_version() {
        let calls = Cell::new(0);
        let decode = |bytes: &[u8]| -> serde_json::Result<String> {
            calls.set(calls.get() + 1);
            serde_json::from_slice(bytes)
        };
        let first = Record::new(1, b"\"L1\"".to_vec());
        assert_eq!(first.decoded(decode).unwrap(), "L1");
        assert_eq!(first.clone().decoded(decode).unwrap(), "L1");
        assert_eq!(calls.get(), 1, "a copy of the record shares its decoding");
        let other: serde_json::Value = first.decoded(|b| serde_json::from_slice(b)).unwrap();
        assert_eq!(
            other,
            serde_json::json!("L1"),
            "another type decodes itself"
        );
        let next = Record::new(2, b"\"L2\"".to_vec());
        assert_eq!(next.decoded(decode).unwrap(), "L2");
        assert_eq!(calls.get(), 2, "a new version is decoded anew");
        assert_eq!(first.decoded(decode).unwrap(), "L1");
        let (a, b) = (first.shared(decode).unwrap(), first.shared(decode).unwrap());
        assert!(Arc::ptr_eq(&a, &b), "a shared read is not a copy");
        assert_eq!(calls.get(), 2);
    }
}
