//! What callers hand the writer, and what it answers: one typed command per
//! kind of write, each with its own typed reply, so a caller never has to
//! guess which answer it got.
use std::sync::Arc;

use chrono::NaiveDate;
use tokio::sync::oneshot;

use super::error::Result;
use super::record::{EntryRecord, Hash};
use super::state::State;
use super::store::Store;
use crate::domain::chart::BookKind;
pub use crate::domain::posting::{AccountName, PlannedAccount, PlannedEntry, PostingInput};

/// A new journal entry, already decoded and checked for form by the caller.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewEntry {
    pub request_id: String,
    pub actor: String,
    pub value_date: NaiveDate,
    pub memo: String,
    pub postings: Vec<PostingInput>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CreateBook {
    pub request_id: String,
    pub actor: String,
    pub book_id: String,
    pub kind: BookKind,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenAccount {
    pub request_id: String,
    pub actor: String,
    pub account: AccountName,
    pub name: String,
    pub non_negative: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ReverseEntry {
    pub request_id: String,
    pub actor: String,
    pub seq: u64,
    pub value_date: NaiveDate,
    pub memo: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ClosePeriod {
    pub request_id: String,
    pub actor: String,
    pub book_id: String,
    pub period_end: NaiveDate,
}

/// A book a plan creates.
#[derive(Debug, Clone)]
pub struct PlannedBook {
    pub book_id: String,
    pub kind: BookKind,
    pub name: String,
}

/// A book's months closed through a month's end by a plan (the year-end
/// closes its year), after the plan's entries.
#[derive(Debug, Clone)]
pub struct PlannedClose {
    pub book_id: String,
    pub through: NaiveDate,
}

/// What a business operation (of a fund, program or federation) stores, in
/// one batch: books and accounts to open, entries to post, registry records
/// (key, JSON) to write, and periods to close.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub books: Vec<PlannedBook>,
    pub accounts: Vec<PlannedAccount>,
    pub entries: Vec<PlannedEntry>,
    pub records: Vec<(String, String)>,
    pub closes: Vec<PlannedClose>,
}

/// Computes a plan from the writer's state; runs on the writer, in order
/// with every other command, so it sees everything before it. The store
/// answers balances at past dates exactly only for an isolated operation.
pub type Planner = Box<dyn FnOnce(&State, &Store<'_>) -> Result<Plan> + Send>;

/// A business operation for the writer.
pub struct Apply {
    pub request_id: String,
    pub actor: String,
    pub planner: Planner,
    /// Runs at the start of its own group, after everything before it is
    /// in the store, so that the planner's reads of the store are exact.
    pub isolated: bool,
}

/// A book created or closed through a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booked {
    pub no: u32,
    pub replayed: bool,
}

/// A sub-account opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    pub no: u32,
    pub replayed: bool,
}

/// The result of one entry in a post or reverse.
#[derive(Debug, Clone)]
pub struct EntryOutcome {
    pub seq: u64,
    pub replayed: bool,
    /// The record and its hash for a new entry; a replay is read back from the store.
    pub record: Option<Arc<(EntryRecord, Hash)>>,
}

/// A business operation done: the seqs of the entries it posted (none on a replay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub replayed: bool,
    pub seqs: Vec<u64>,
}

/// Where the writer sends a command's answer.
pub type Reply<T> = oneshot::Sender<Result<T>>;

/// One command, with the reply of its own type.
pub enum Op {
    CreateBook(CreateBook, Reply<Booked>),
    OpenAccount(OpenAccount, Reply<Opened>),
    /// One entry (`batch = false`) or an atomic batch of entries.
    Post {
        entries: Vec<NewEntry>,
        batch: bool,
        reply: Reply<Vec<EntryOutcome>>,
    },
    Reverse(ReverseEntry, Reply<EntryOutcome>),
    ClosePeriod(ClosePeriod, Reply<Booked>),
    /// A business operation; its request's fingerprint is the command's payload.
    Apply(Apply, Reply<Applied>),
    /// Write a balance checkpoint and stop.
    Shutdown(Reply<()>),
}

pub struct Command {
    pub op: Op,
    /// SHA-256 of each request's canonical payload, computed by the caller's task.
    pub payloads: Vec<Hash>,
}
