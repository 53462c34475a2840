//! Reads: balances now and at any past date, the journal paged by book or
//! account and date, trial balances, and the full verification.
//!
//! Every read sees the state published after the last flush and skips index
//! keys beyond that durable head, so nothing is shown that a crash could lose.
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::command::{AccountName, EntryOutcome};
use super::error::{LedgerError, Result};
use super::journal;
use super::keys;
use super::months::MonthSums;
use super::record::{hash_bytes, EntryRecord, Hash};
use super::state::{AccountMeta, BookMeta, State};
use super::store::damaged_chunk;
use super::verify::{self, Report};
use super::Ledger;
use crate::domain::chart::AccountType;
use crate::domain::dates::day_number;
use crate::domain::limits::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// An entry as read back, with its hash and the seq of its reversal (0 if none).
#[derive(Debug, Clone)]
pub struct EntryView {
    pub record: Arc<(EntryRecord, Hash)>,
    pub reversed_by: u64,
}

#[derive(Debug, Clone)]
pub struct Balance {
    pub account_type: AccountType,
    /// On the account's normal side, in fen.
    pub normal_fen: i128,
    pub head_seq: u64,
}

#[derive(Debug, Clone, Default)]
pub struct EntryQuery {
    pub book_id: Option<String>,
    pub account: Option<AccountName>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page_size: usize,
    pub page_token: Option<String>,
}

/// A book read at one head ([`Ledger::book_at_head`]).
pub struct BookAtHead {
    /// Each account with its debit-positive balance at `head`.
    pub accounts: Vec<(Arc<AccountMeta>, i128)>,
    /// Each account's month sums at `head`, in the order of `accounts`.
    pub months: Vec<Arc<MonthSums>>,
    /// Each code's places in `accounts` ([`State::places_by_code`]).
    pub by_code: HashMap<String, Vec<usize>>,
    pub head: u64,
}

pub struct TrialBalance {
    pub book: BookMeta,
    /// Each account with its debit-positive balance in fen.
    pub lines: Vec<(AccountMeta, i128)>,
    pub head_seq: u64,
}

impl Ledger {
    /// The state as of the last flush, read-locked: hold it briefly.
    pub fn state(&self) -> parking_lot::RwLockReadGuard<'_, State> {
        self.shared().state.read()
    }

    /// What a planner sees, for a read that plans an operation without
    /// committing it (a preview): the state, and the store at its head.
    pub fn planning_view<R>(&self, f: impl FnOnce(&State, &super::Store<'_>) -> R) -> R {
        let state = self.state();
        let store = super::Store::new(self.db(), state.head_seq);
        f(&state, &store)
    }

    pub fn head_seq(&self) -> u64 {
        self.shared().state.read().head_seq
    }

    /// A book with its accounts and their current debit-positive balances.
    pub fn book(&self, book_id: &str) -> Result<(BookMeta, Vec<(AccountMeta, i128)>)> {
        let (book, accounts) = book_accounts(&self.shared().state.read(), book_id)?;
        let owned = accounts.into_iter().map(|(a, fen)| ((*a).clone(), fen));
        Ok((book, owned.collect()))
    }

    /// A book as [`Self::book`] gives it, with each account's month sums
    /// and the head those balances and sums are at, all under one lock.
    pub fn book_at_head(&self, book_id: &str) -> Result<BookAtHead> {
        let state = self.shared().state.read();
        let (book, accounts) = book_accounts(&state, book_id)?;
        let months = accounts
            .iter()
            .map(|(a, _)| state.months.of(a.no).clone())
            .collect();
        Ok(BookAtHead {
            accounts,
            months,
            by_code: state.places_by_code(book.no),
            head: state.head_seq,
        })
    }

    /// Debit-positive balance of one account at the end of `date` from its
    /// month sums taken at `head` (see [`super::months::balance_at`]),
    /// reading at most one month of its postings up to `head`. Debug builds
    /// check it against the sum of every posting.
    pub fn balance_from_months(
        &self,
        account: u32,
        sums: &MonthSums,
        date: NaiveDate,
        head: u64,
    ) -> Result<i128> {
        let fen = super::months::balance_at(sums, date, |first| {
            let postings = super::store::postings_between(self.db(), account, first, date, head)?;
            Ok(postings.into_iter().map(|(_, fen)| i128::from(fen)).sum())
        })?;
        debug_assert_eq!(
            Ok(fen),
            super::store::balance_as_of(self.db(), account, date, head),
            "account {account} as of {date}"
        );
        Ok(fen)
    }

    /// A registry record as of the last flush.
    pub fn record(&self, key: &str) -> Option<super::state::Record> {
        self.shared().state.read().records.get(key).cloned()
    }

    /// Registry records under a key prefix, as of the last flush.
    pub fn records_under(&self, prefix: &str) -> Vec<(String, super::state::Record)> {
        self.shared()
            .state
            .read()
            .records_under(prefix)
            .map(|(k, r)| (k.clone(), r.clone()))
            .collect()
    }

    /// An account's metadata and current debit-positive balance, by number.
    pub fn account(&self, no: u32) -> (AccountMeta, i128) {
        let state = self.shared().state.read();
        (
            (*state.accounts[no as usize]).clone(),
            state.balances[no as usize],
        )
    }

    /// The accounts a balance query covers, and the state's head.
    fn covered(
        &self,
        name: &AccountName,
        include_subs: bool,
    ) -> Result<(Vec<AccountMeta>, Vec<i128>, u64)> {
        let state = self.shared().state.read();
        let book = state.book(&name.book_id).ok_or_else(|| {
            LedgerError::not_found("account.book_id", format!("book {:?}", name.book_id))
        })?;
        let metas: Vec<AccountMeta> = if include_subs && name.sub.is_empty() {
            state.accounts_under(book.no, &name.code).cloned().collect()
        } else {
            state
                .account_no(book.no, &name.code, &name.sub)
                .map(|no| vec![(*state.accounts[no as usize]).clone()])
                .unwrap_or_default()
        };
        if metas.is_empty() {
            return Err(LedgerError::not_found(
                "account",
                format!("account {}", name.display()),
            ));
        }
        let current = metas
            .iter()
            .map(|m| state.balances[m.no as usize])
            .collect();
        Ok((metas, current, state.head_seq))
    }

    /// Balance of an account (or a code with all its sub-accounts) now or at
    /// the end of `as_of`.
    pub fn balance(
        &self,
        name: &AccountName,
        as_of: Option<NaiveDate>,
        include_subs: bool,
    ) -> Result<Balance> {
        let (metas, current, head) = self.covered(name, include_subs)?;
        let mut debit_positive = 0i128;
        for (meta, now) in metas.iter().zip(current) {
            debit_positive += match as_of {
                None => now,
                Some(date) => self.balance_as_of(meta.no, date, head)?,
            };
        }
        let account_type = metas[0].account_type;
        Ok(Balance {
            account_type,
            normal_fen: metas[0].normal_balance(debit_positive),
            head_seq: head,
        })
    }

    /// Debit-positive balance of one account at the end of `date`, counting only
    /// entries up to `head`: the sum of its postings dated on or before `date`.
    /// While `head` is the state's, from the account's month sums and the
    /// postings of `date`'s month (see [`super::months`]); once the writer
    /// has moved on, from every posting.
    pub fn balance_as_of(&self, account: u32, date: NaiveDate, head: u64) -> Result<i128> {
        let months = {
            let state = self.shared().state.read();
            (state.head_seq == head).then(|| state.months.of(account).clone())
        };
        match months {
            Some(months) => self.balance_from_months(account, &months, date, head),
            None => super::store::balance_as_of(self.db(), account, date, head),
        }
    }

    /// Each posting of one account dated in `from..=to`, up to `head`:
    /// (seq, debit-positive fen).
    pub fn postings_between(
        &self,
        account: u32,
        from: NaiveDate,
        to: NaiveDate,
        head: u64,
    ) -> Result<Vec<(u64, i64)>> {
        super::store::postings_between(self.db(), account, from, to, head)
    }

    pub fn entry(&self, seq: u64) -> Result<EntryView> {
        let head = self.head_seq();
        if seq == 0 || seq > head {
            return Err(LedgerError::not_found("seq", format!("entry {seq}")));
        }
        self.read_entry(seq, head)
    }

    /// The records of entries `seqs` (in ascending order, none past the
    /// head), read in one pass over the journal from the first to the last
    /// instead of one lookup each: for a reply that sums what an operation
    /// posted (a day-end's thousands of accruals, consecutive in a group).
    pub fn entry_records(&self, seqs: &[u64]) -> Result<Vec<EntryRecord>> {
        let (Some(&first), Some(&last)) = (seqs.first(), seqs.last()) else {
            return Ok(Vec::new());
        };
        debug_assert!(seqs.is_sorted(), "entry_records takes ascending seqs");
        if first == 0 || last > self.head_seq() {
            return Err(LedgerError::not_found("seq", format!("entry {last}")));
        }
        let mut records = Vec::with_capacity(seqs.len());
        for item in journal::scan(self.db(), first, last) {
            let (seq, bytes) = item?;
            if seqs.binary_search(&seq).is_err() {
                continue;
            }
            let record = EntryRecord::decode(&bytes)
                .ok()
                .filter(|r| r.seq == seq)
                .ok_or_else(|| LedgerError::Internal(format!("entry {seq} does not decode")))?;
            records.push(record);
        }
        if records.len() != seqs.len() {
            return Err(LedgerError::Internal(format!(
                "entries {first} to {last} are not all in the store"
            )));
        }
        Ok(records)
    }

    fn read_entry(&self, seq: u64, head: u64) -> Result<EntryView> {
        let bytes = journal::get(self.db(), seq)?.ok_or_else(|| {
            LedgerError::Internal(format!("entry {seq} is missing from the store"))
        })?;
        let record = EntryRecord::decode(&bytes)
            .map_err(|e| LedgerError::Internal(format!("entry {seq} does not decode: {e}")))?;
        let reversed_by = match self.db().get(keys::reversal(seq))? {
            Some(v) => <[u8; 8]>::try_from(v.as_ref())
                .map(u64::from_be_bytes)
                .map_err(|_| {
                    LedgerError::Internal(format!("reversal link of entry {seq} is damaged"))
                })?,
            None => 0,
        };
        Ok(EntryView {
            record: Arc::new((record, hash_bytes(&bytes))),
            reversed_by: if reversed_by <= head { reversed_by } else { 0 },
        })
    }

    /// Turns a writer outcome into a view: a new entry as the writer built it,
    /// a replay as stored.
    pub fn entry_view(&self, outcome: &EntryOutcome) -> Result<EntryView> {
        match &outcome.record {
            Some(record) => Ok(EntryView {
                record: record.clone(),
                reversed_by: 0,
            }),
            None => self.read_entry(outcome.seq, self.head_seq()),
        }
    }

    /// One page of entries touching a book or an account, in value-date order.
    pub fn list_entries(&self, q: &EntryQuery) -> Result<(Vec<EntryView>, Option<String>)> {
        let page_size = page_size(q.page_size)?;
        let day_from = q.from.map_or(0, day_number);
        let day_to = q.to.map_or(u32::MAX, day_number);
        if day_from > day_to {
            return Err(LedgerError::invalid("from_date", "is after to_date"));
        }
        let (tag, owner, item_bytes) = self.listed_index(q)?;
        let (start, end) = keys::chunk_range(tag, owner, day_from, day_to);
        let (lower, resume_after) = resume(q.page_token.as_deref(), &start, &end)?;
        let head = self.head_seq();
        let mut out: Vec<EntryView> = Vec::with_capacity(page_size.min(64));
        let mut stopped_at = None;
        'chunks: for item in self.db().range(lower..=end) {
            let (k, v) = item?;
            let skip_through = match resume_after {
                Some((key, seq)) if k.as_ref() == key => seq,
                _ => 0,
            };
            for it in keys::chunk_items(&v, item_bytes).ok_or_else(damaged_chunk)? {
                let seq = keys::item_seq(it);
                if seq <= skip_through
                    || seq > head
                    || out.last().is_some_and(|e| e.record.0.seq == seq)
                {
                    continue;
                }
                if out.len() == page_size {
                    break 'chunks;
                }
                out.push(self.read_entry(seq, head)?);
                stopped_at = Some((k.to_vec(), seq));
            }
        }
        let full = out.len() == page_size;
        Ok((out, next_token(stopped_at.filter(|_| full))))
    }

    /// The index a listing reads: an account's postings, or a book's entries.
    fn listed_index(&self, q: &EntryQuery) -> Result<(u8, u32, usize)> {
        match (&q.account, &q.book_id) {
            (Some(name), _) => {
                let (metas, _, _) = self.covered(name, false)?;
                Ok((keys::POSTING, metas[0].no, keys::POSTING_ITEM_BYTES))
            }
            (None, Some(book_id)) => {
                let no = self
                    .state()
                    .book(book_id)
                    .ok_or_else(|| LedgerError::not_found("book_id", format!("book {book_id:?}")))?
                    .no;
                Ok((keys::BOOK_JOURNAL, no, keys::BOOK_ITEM_BYTES))
            }
            (None, None) => Err(LedgerError::invalid(
                "book_id",
                "is required unless account is given",
            )),
        }
    }

    /// Every account of a book with its debit-positive balance, now or as of a date.
    pub fn trial_balance(&self, book_id: &str, as_of: Option<NaiveDate>) -> Result<TrialBalance> {
        let (book, accounts, head) = {
            let state = self.shared().state.read();
            let (book, accounts) = book_accounts(&state, book_id)?;
            (book, accounts, state.head_seq)
        };
        let lines = match as_of {
            None => accounts
                .into_iter()
                .map(|(meta, fen)| ((*meta).clone(), fen))
                .collect(),
            Some(date) => accounts
                .into_iter()
                .map(|(meta, _)| Ok(((*meta).clone(), self.balance_as_of(meta.no, date, head)?)))
                .collect::<Result<_>>()?,
        };
        Ok(TrialBalance {
            book,
            lines,
            head_seq: head,
        })
    }

    /// Replays the whole journal; see [`verify`].
    pub fn verify(&self, progress: &dyn Fn(u64, u64)) -> Result<Report> {
        let snapshot = self.shared().state.read().clone();
        verify::verify(self.db(), &snapshot, progress)
    }
}

/// A page's size: the default for 0, at most the limit.
fn page_size(asked: usize) -> Result<usize> {
    match asked {
        0 => Ok(DEFAULT_PAGE_SIZE),
        n if n > MAX_PAGE_SIZE => Err(LedgerError::invalid(
            "page_size",
            format!("must be at most {MAX_PAGE_SIZE}"),
        )),
        n => Ok(n),
    }
}

/// Where a page starts: the first chunk, or (from a page token) the chunk
/// key where the last page stopped and the last seq it showed.
type Resume = ([u8; 17], Option<([u8; 17], u64)>);

fn resume(token: Option<&str>, start: &[u8; 17], end: &[u8; 17]) -> Result<Resume> {
    let Some(token) = token else {
        return Ok((*start, None));
    };
    hex::decode(token)
        .ok()
        .filter(|t| t.len() == 25 && t[..17] >= start[..] && t[..17] <= end[..])
        .map(|t| {
            let key: [u8; 17] = t[..17].try_into().expect("17 bytes");
            (key, Some((key, keys::item_seq(&t[17..]))))
        })
        .ok_or_else(|| LedgerError::invalid("page_token", "is not a token this listing returned"))
}

/// The token of the next page: the chunk key and seq where a full page stopped.
fn next_token(stopped_at: Option<(Vec<u8>, u64)>) -> Option<String> {
    stopped_at.map(|(mut key, seq)| {
        key.extend_from_slice(&seq.to_be_bytes());
        hex::encode(key)
    })
}

type Lines = Vec<(Arc<AccountMeta>, i128)>;

fn book_accounts(state: &State, book_id: &str) -> Result<(BookMeta, Lines)> {
    let book = state
        .book(book_id)
        .ok_or_else(|| LedgerError::not_found("book_id", format!("book {book_id:?}")))?
        .clone();
    let accounts = state.book_accounts[book.no as usize]
        .iter()
        .map(|no| {
            (
                state.accounts[*no as usize].clone(),
                state.balances[*no as usize],
            )
        })
        .collect();
    Ok((book, accounts))
}
