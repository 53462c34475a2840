//! The full check: replay the whole journal and compare it with everything the
//! ledger derives from it.
//!
//! It recomputes every entry's hash and link, checks that each entry balances
//! per book, that no non-negative account ever went below zero, that every
//! request id points back at its entry, and that the balances, the posting
//! index, the per-book index and the reversal links all agree with the journal.
use std::collections::HashMap;

use super::error::Result;
use super::idempotency::entry_request;
use super::journal;
use super::keys;
use super::open::{check_link, resolve_postings};
use super::record::{hash_bytes, hash_hex, EntryRecord, Hash, GENESIS_HASH, RECORD_VERSION};
use super::state::State;
use crate::domain::limits::{MAX_POSTINGS_PER_ENTRY, MAX_POSTING_FEN, MIN_POSTINGS_PER_ENTRY};
use crate::domain::money::format_fen;

/// Problems listed at most; the count of the rest is reported.
const MAX_PROBLEMS: usize = 100;
/// Entries between two progress reports.
pub const PROGRESS_EVERY: u64 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub entries_checked: u64,
    pub accounts_checked: u64,
    pub head_seq: u64,
    pub head_hash: Hash,
    pub problems: Vec<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

struct Problems {
    list: Vec<String>,
    more: usize,
}

impl Problems {
    fn add(&mut self, p: String) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }
}

/// What replaying the journal derives, to compare with what the ledger holds.
struct Replay {
    balances: Vec<i128>,
    postings_per_account: Vec<u64>,
    /// Entries counted once per book they touch (what the book index holds).
    book_entries: u64,
    /// Original seq -> seq of its reversal.
    reversals: HashMap<u64, u64>,
    /// The hash of the last entry, and the seq expected next.
    prev: Hash,
    expected: u64,
    problems: Problems,
}

/// Verifies the store against `snapshot`, the published state at its head.
/// `progress(done, total)` is called every [`PROGRESS_EVERY`] entries.
pub fn verify(db: &sled::Db, snapshot: &State, progress: &dyn Fn(u64, u64)) -> Result<Report> {
    let head = snapshot.head_seq;
    let n = snapshot.accounts.len();
    let mut r = Replay {
        balances: vec![0i128; n],
        postings_per_account: vec![0u64; n],
        book_entries: 0,
        reversals: HashMap::new(),
        prev: GENESIS_HASH,
        expected: 1,
        problems: Problems {
            list: Vec::new(),
            more: 0,
        },
    };
    for item in journal::scan(db, 1, head) {
        let (seq, v) = item?;
        replay_entry(db, snapshot, seq, &v, &mut r)?;
        if seq.is_multiple_of(PROGRESS_EVERY) {
            progress(seq, head);
        }
    }
    check_head(snapshot, &mut r);
    compare_balances(snapshot, &r.balances, &mut r.problems);
    check_posting_index(db, snapshot, head, &mut r)?;
    check_book_index(db, head, &mut r)?;
    check_reversal_links(db, head, &mut r)?;
    if r.problems.more > 0 {
        let more = r.problems.more;
        r.problems
            .list
            .push(format!("... and {more} more problems"));
    }
    Ok(Report {
        entries_checked: r.expected - 1,
        accounts_checked: n as u64,
        head_seq: head,
        head_hash: r.prev,
        problems: r.problems.list,
    })
}

/// One stored entry: its link, its postings, its reversal, its request id.
fn replay_entry(db: &sled::Db, snapshot: &State, seq: u64, v: &[u8], r: &mut Replay) -> Result<()> {
    let hash = hash_bytes(v);
    let record = match EntryRecord::decode(v) {
        Ok(record) => record,
        Err(e) => {
            r.problems.add(format!("entry {seq} does not decode: {e}"));
            r.prev = hash;
            r.expected = seq + 1;
            return Ok(());
        }
    };
    if let Err(p) = check_link(&record, seq, r.expected, &r.prev) {
        r.problems.add(p);
    }
    r.prev = hash;
    r.expected = seq + 1;
    check_entry(snapshot, &record, r);
    if record.reverses != 0 {
        r.reversals.insert(record.reverses, seq);
    }
    match entry_request(db, &record.request_id)? {
        Some(s) if s == seq => {}
        Some(s) => r.problems.add(format!(
            "entry {seq}: its request id {:?} points at entry {s}",
            record.request_id
        )),
        None => r.problems.add(format!(
            "entry {seq}: its request id {:?} has no idempotency record",
            record.request_id
        )),
    }
    Ok(())
}

/// The journal ends where the ledger's head is, with its hash.
fn check_head(snapshot: &State, r: &mut Replay) {
    let head = snapshot.head_seq;
    if r.expected != head + 1 {
        r.problems.add(format!(
            "the journal ends at entry {} but the ledger's head is entry {head}",
            r.expected - 1
        ));
    }
    if r.prev != snapshot.head_hash {
        r.problems.add(format!(
            "the journal's last hash {} is not the head hash the ledger holds, {}",
            hash_hex(&r.prev),
            hash_hex(&snapshot.head_hash)
        ));
    }
}

fn check_entry(snapshot: &State, record: &EntryRecord, r: &mut Replay) {
    let seq = record.seq;
    if record.v != RECORD_VERSION {
        r.problems.add(format!(
            "entry {seq} has unknown record version {}",
            record.v
        ));
    }
    let n = record.postings.len();
    if !(MIN_POSTINGS_PER_ENTRY..=MAX_POSTINGS_PER_ENTRY).contains(&n) {
        r.problems.add(format!("entry {seq} has {n} postings"));
    }
    let accounts = match resolve_postings(snapshot, record) {
        Ok(a) => a,
        Err(p) => {
            r.problems.add(p);
            return;
        }
    };
    let mut per_book: HashMap<u32, i128> = HashMap::new();
    for (p, no) in record.postings.iter().zip(&accounts) {
        if !(1..=MAX_POSTING_FEN).contains(&p.amount_fen) {
            r.problems.add(format!(
                "entry {seq} has an amount out of range: {} fen",
                p.amount_fen
            ));
        }
        let signed = p.side.signed(p.amount_fen);
        r.balances[*no as usize] += signed;
        r.postings_per_account[*no as usize] += 1;
        *per_book
            .entry(snapshot.accounts[*no as usize].book_no)
            .or_insert(0) += signed;
    }
    r.book_entries += per_book.len() as u64;
    for (book, sum) in per_book {
        if sum != 0 {
            r.problems.add(format!(
                "entry {seq} does not balance in book {:?}: debits exceed credits by {}",
                snapshot.books[book as usize].book_id,
                format_fen(sum)
            ));
        }
    }
    for no in accounts {
        let meta = &snapshot.accounts[no as usize];
        if meta.non_negative && meta.normal_balance(r.balances[no as usize]) < 0 {
            r.problems.add(format!(
                "entry {seq} leaves non-negative account {} at {}",
                snapshot.account_label(no),
                format_fen(meta.normal_balance(r.balances[no as usize]))
            ));
        }
    }
}

fn compare_balances(snapshot: &State, balances: &[i128], problems: &mut Problems) {
    for (no, (journal, held)) in balances.iter().zip(&snapshot.balances).enumerate() {
        if journal != held {
            problems.add(format!(
                "account {}: the journal gives {}, the ledger holds {}",
                snapshot.account_label(no as u32),
                format_fen(*journal),
                format_fen(*held)
            ));
        }
    }
}

/// The posting index holds each account's postings through the head, and
/// they sum to what the journal gives.
fn check_posting_index(db: &sled::Db, snapshot: &State, head: u64, r: &mut Replay) -> Result<()> {
    let n = r.balances.len();
    let (mut index_sum, mut index_count) = (vec![0i128; n], vec![0u64; n]);
    for item in db.scan_prefix([keys::POSTING]) {
        let (k, v) = item?;
        let (account, day, _) = keys::decode_chunk(&k);
        let Some(items) = keys::chunk_items(&v, keys::POSTING_ITEM_BYTES) else {
            r.problems.add(format!(
                "the posting index chunk of account {account} on day {day} is damaged"
            ));
            continue;
        };
        let Some(slot) = index_sum.get_mut(account as usize) else {
            r.problems
                .add(format!("the posting index names unknown account {account}"));
            continue;
        };
        for it in items {
            let (seq, fen) = keys::decode_posting_item(it);
            if seq <= head {
                *slot += i128::from(fen);
                index_count[account as usize] += 1;
            }
        }
    }
    for no in 0..n {
        if index_sum[no] != r.balances[no] || index_count[no] != r.postings_per_account[no] {
            r.problems.add(format!(
                "account {}: the posting index holds {} postings summing to {}, the journal {} summing to {}",
                snapshot.account_label(no as u32),
                index_count[no],
                format_fen(index_sum[no]),
                r.postings_per_account[no],
                format_fen(r.balances[no])
            ));
        }
    }
    Ok(())
}

/// The per-book index holds each entry once per book it touches.
fn check_book_index(db: &sled::Db, head: u64, r: &mut Replay) -> Result<()> {
    let mut indexed = 0u64;
    for item in db.scan_prefix([keys::BOOK_JOURNAL]) {
        let (k, v) = item?;
        match keys::chunk_items(&v, keys::BOOK_ITEM_BYTES) {
            Some(items) => indexed += items.filter(|it| keys::item_seq(it) <= head).count() as u64,
            None => r.problems.add(format!(
                "the book journal chunk {} is damaged",
                hex::encode(&k)
            )),
        }
    }
    if indexed != r.book_entries {
        r.problems.add(format!(
            "the per-book journal index holds {indexed} entries, the journal {}",
            r.book_entries
        ));
    }
    Ok(())
}

/// Every reversal link agrees with the journal, and there is one per reversal.
fn check_reversal_links(db: &sled::Db, head: u64, r: &mut Replay) -> Result<()> {
    let mut links = 0usize;
    for item in db.scan_prefix([keys::REVERSAL]) {
        let (k, v) = item?;
        let original = keys::decode_seq(&k);
        let by = <[u8; 8]>::try_from(v.as_ref())
            .map(u64::from_be_bytes)
            .unwrap_or(0);
        if by > head {
            continue;
        }
        links += 1;
        if r.reversals.get(&original) != Some(&by) {
            r.problems.add(format!(
                "reversal link says entry {original} is reversed by entry {by}, the journal disagrees"
            ));
        }
    }
    if links != r.reversals.len() {
        r.problems.add(format!(
            "{} reversals in the journal but {links} reversal links",
            r.reversals.len()
        ));
    }
    Ok(())
}
