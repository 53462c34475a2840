//! What planners and readers may ask of the store beyond the in-memory
//! state: balances at past dates, summed from the posting index and bounded
//! to a head, so nothing past the durable head (or the planner's point in
//! the sequence) is counted.
use chrono::NaiveDate;

use super::error::{LedgerError, Result};
use super::keys;
use crate::domain::dates::day_number;

/// Reads of the store for planners: balances as of a past date.
pub struct Store<'a> {
    db: &'a sled::Db,
    head: u64,
}

impl<'a> Store<'a> {
    pub(super) fn new(db: &'a sled::Db, head: u64) -> Self {
        Self { db, head }
    }

    /// Debit-positive balance of an account at the end of `date`.
    pub fn balance_as_of(&self, account: u32, date: NaiveDate) -> Result<i128> {
        balance_as_of(self.db, account, date, self.head)
    }
}

/// Debit-positive balance of one account at the end of `date`, counting only
/// entries up to `head`: the sum of its postings dated on or before `date`.
pub fn balance_as_of(db: &sled::Db, account: u32, date: NaiveDate, head: u64) -> Result<i128> {
    let (from, to) = keys::chunk_range(keys::POSTING, account, 0, day_number(date));
    let mut sum = 0i128;
    for item in db.range(from..=to) {
        let (_, v) = item?;
        for posting in keys::chunk_items(&v, keys::POSTING_ITEM_BYTES).ok_or_else(damaged_chunk)? {
            let (seq, fen) = keys::decode_posting_item(posting);
            if seq <= head {
                sum += i128::from(fen);
            }
        }
    }
    Ok(sum)
}

/// Each posting of one account dated in `from..=to` and counted up to
/// `head`: its entry's seq and its debit-positive fen.
pub fn postings_between(
    db: &sled::Db,
    account: u32,
    from: NaiveDate,
    to: NaiveDate,
    head: u64,
) -> Result<Vec<(u64, i64)>> {
    let (lo, hi) = keys::chunk_range(keys::POSTING, account, day_number(from), day_number(to));
    let mut postings = Vec::new();
    for item in db.range(lo..=hi) {
        let (_, v) = item?;
        for posting in keys::chunk_items(&v, keys::POSTING_ITEM_BYTES).ok_or_else(damaged_chunk)? {
            let (seq, fen) = keys::decode_posting_item(posting);
            if seq <= head {
                postings.push((seq, fen));
            }
        }
    }
    Ok(postings)
}

/// The refusal of a read that met an index chunk it cannot decode.
pub fn damaged_chunk() -> LedgerError {
    LedgerError::Internal("an index chunk is damaged; run `huzhu verify`".into())
}
