//! The single writer: every mutation of the ledger passes through this one thread.
//!
//! It takes every command waiting in its queue (up to a limit), checks each one
//! against its working state, stages the accepted ones into one `sled::Batch`,
//! applies that batch atomically, flushes once (group commit), and only then
//! publishes the new state to readers and answers the callers. A command that
//! breaks a rule is answered with its error and leaves no trace in the batch.
//!
//! A storage error during apply or flush stops the writer for good: the working
//! state may be ahead of the disk, so nothing more is accepted (TigerBeetle's
//! "crash rather than guess"); a restart recovers from what is on disk.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use tokio::sync::{mpsc, oneshot};

use super::error::{rule, LedgerError, Result};
use super::journal;
use super::keys;
use super::record::{hash_bytes, hash_hex, EntryRecord, Hash, PostingRecord, Side, RECORD_VERSION};
use super::state::{AccountMeta, BookMeta, Effect, Record, State};
use super::Shared;
use crate::domain::chart::{self, BookKind, SubAccountError};
use crate::domain::dates::{business_today, day_number};
use crate::domain::limits::{
    MAX_COMMANDS_PER_GROUP, MAX_POSTINGS_PER_ENTRY, MAX_POSTING_FEN, MIN_POSTINGS_PER_ENTRY,
};
use crate::domain::money::format_fen;

/// A reference to an account by its public names.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountName {
    pub book_id: String,
    pub code: String,
    pub sub: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PostingInput {
    pub account: AccountName,
    pub side: Side,
    pub amount_fen: i64,
}

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

/// A sub-account a plan needs; opened unless it exists.
#[derive(Debug, Clone)]
pub struct PlannedAccount {
    pub account: AccountName,
    pub name: String,
    pub non_negative: bool,
}

/// An entry a plan posts; the writer gives it the request id
/// `{request_id}#{k}` (k from 1) and the operation's actor.
#[derive(Debug, Clone)]
pub struct PlannedEntry {
    pub value_date: NaiveDate,
    pub memo: String,
    pub postings: Vec<PostingInput>,
}

/// What a business operation (of a fund, program or federation) stores, in
/// one batch: books and accounts to open, entries to post, registry records
/// (key, JSON) to write.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub books: Vec<PlannedBook>,
    pub accounts: Vec<PlannedAccount>,
    pub entries: Vec<PlannedEntry>,
    pub records: Vec<(String, String)>,
}

/// Computes a plan from the writer's state; runs on the writer, in order
/// with every other command, so it sees everything before it. The store
/// answers balances at past dates exactly only for an isolated operation.
pub type Planner = Box<dyn FnOnce(&State, &Store<'_>) -> Result<Plan> + Send>;

/// Reads of the store for planners: balances as of a past date.
pub struct Store<'a> {
    db: &'a sled::Db,
    head: u64,
}

impl Store<'_> {
    /// Debit-positive balance of an account at the end of `date`.
    pub fn balance_as_of(&self, account: u32, date: NaiveDate) -> Result<i128> {
        super::reads::balance_as_of(self.db, account, date, self.head)
    }
}

pub enum Op {
    CreateBook(CreateBook),
    /// A business operation; its request's fingerprint is the command's payload.
    Apply {
        request_id: String,
        actor: String,
        planner: Planner,
        /// Runs at the start of its own group, after everything before it is
        /// in the store, so that the planner's reads of the store are exact.
        isolated: bool,
    },
    OpenAccount(OpenAccount),
    /// One entry (`batch = false`) or an atomic batch of entries.
    Post {
        entries: Vec<NewEntry>,
        batch: bool,
    },
    Reverse(ReverseEntry),
    ClosePeriod(ClosePeriod),
    /// Write a balance checkpoint and stop.
    Shutdown,
}

/// The result of one entry in a post or reverse.
#[derive(Debug, Clone)]
pub struct EntryOutcome {
    pub seq: u64,
    pub replayed: bool,
    /// The record and its hash for a new entry; a replay is read back from the store.
    pub record: Option<Arc<(EntryRecord, Hash)>>,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Book {
        no: u32,
        replayed: bool,
    },
    Account {
        no: u32,
        replayed: bool,
    },
    Entries(Vec<EntryOutcome>),
    /// A business operation: the seqs of the entries it posted (none on a replay).
    Applied {
        replayed: bool,
        seqs: Vec<u64>,
    },
    Stopped,
}

pub struct Command {
    pub op: Op,
    /// SHA-256 of each request's canonical payload, computed by the caller's task.
    pub payloads: Vec<Hash>,
    pub reply: oneshot::Sender<Result<Outcome>>,
}

/// What an idempotency record says a request id produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Produced {
    Book(u32),
    Account(u32),
    Entry(u64),
    Closed(u32),
    /// A business operation, with the head seq after it.
    Applied(u64),
}

impl Produced {
    /// The outcome a retry of the request that produced this is answered with.
    fn replayed(self) -> Outcome {
        match self {
            Self::Book(no) | Self::Closed(no) => Outcome::Book { no, replayed: true },
            Self::Account(no) => Outcome::Account { no, replayed: true },
            Self::Applied(_) => Outcome::Applied {
                replayed: true,
                seqs: Vec::new(),
            },
            Self::Entry(seq) => Outcome::Entries(vec![EntryOutcome {
                seq,
                replayed: true,
                record: None,
            }]),
        }
    }

    fn encode(self, payload: &Hash) -> Vec<u8> {
        let (kind, value) = match self {
            Self::Book(n) => (1u8, u64::from(n)),
            Self::Account(n) => (2, u64::from(n)),
            Self::Entry(s) => (3, s),
            Self::Closed(n) => (4, u64::from(n)),
            Self::Applied(s) => (5, s),
        };
        let mut v = Vec::with_capacity(41);
        v.extend_from_slice(payload);
        v.push(kind);
        v.extend_from_slice(&value.to_be_bytes());
        v
    }

    fn decode(bytes: &[u8]) -> Option<(Hash, Self)> {
        if bytes.len() != 41 {
            return None;
        }
        let payload: Hash = bytes[..32].try_into().ok()?;
        let value = u64::from_be_bytes(bytes[33..41].try_into().ok()?);
        let small = u32::try_from(value).ok();
        let produced = match bytes[32] {
            1 => Self::Book(small?),
            2 => Self::Account(small?),
            3 => Self::Entry(value),
            4 => Self::Closed(small?),
            5 => Self::Applied(value),
            _ => return None,
        };
        Some((payload, produced))
    }
}

/// The seq an entry's request id produced, from its idempotency record.
pub fn entry_request(db: &sled::Db, request_id: &str) -> Result<Option<u64>> {
    Ok(db
        .get(keys::idempotency(request_id))?
        .and_then(|v| Produced::decode(&v))
        .and_then(|(_, p)| match p {
            Produced::Entry(seq) => Some(seq),
            _ => None,
        }))
}

/// Everything one group of commands adds to the store, in memory until flushed.
struct Group {
    batch: sled::Batch,
    effects: Vec<Effect>,
    /// Request ids recorded in this group (not yet visible through the store).
    ids: HashMap<String, (Hash, Produced)>,
    /// Originals reversed in this group.
    reversed: HashSet<u64>,
    entries: u64,
    /// The time stamped on every entry of the group, in microseconds since 1970.
    now_us: i64,
    /// Index chunks being filled: (tag, owner, day) -> (first seq, items).
    chunks: HashMap<(u8, u32, u32), (u64, Vec<u8>)>,
    /// The group's entry records.
    journal: journal::Blocks,
    replies: Vec<(oneshot::Sender<Result<Outcome>>, Result<Outcome>)>,
}

impl Group {
    fn new() -> Self {
        Self {
            batch: sled::Batch::default(),
            effects: Vec::new(),
            ids: HashMap::new(),
            reversed: HashSet::new(),
            entries: 0,
            now_us: chrono::Utc::now().timestamp_micros(),
            chunks: HashMap::new(),
            journal: journal::Blocks::default(),
            replies: Vec::new(),
        }
    }

    fn index(&mut self, tag: u8, owner: u32, day: u32, seq: u64, item: &[u8]) {
        self.chunks
            .entry((tag, owner, day))
            .or_insert_with(|| (seq, Vec::new()))
            .1
            .extend_from_slice(item);
    }

    fn effect(&mut self, state: &mut State, effect: Effect) {
        state.apply(&effect);
        self.effects.push(effect);
    }
}

/// An entry that passed its checks, with the account of each posting.
struct Staged {
    entry: NewEntry,
    accounts: Vec<u32>,
    reverses: u64,
    payload: Hash,
}

pub struct Writer {
    db: sled::Db,
    state: State,
    shared: Arc<Shared>,
    last_checkpoint: u64,
    checkpoint_every: u64,
    dirty: HashSet<u32>,
}

impl Writer {
    pub fn new(
        db: sled::Db,
        state: State,
        shared: Arc<Shared>,
        last_checkpoint: u64,
        dirty: HashSet<u32>,
        checkpoint_every: u64,
    ) -> Self {
        Self {
            db,
            state,
            shared,
            last_checkpoint,
            checkpoint_every,
            dirty,
        }
    }

    /// The writer thread's loop; returns when asked to shut down or on a storage fault.
    pub fn run(mut self, mut rx: mpsc::Receiver<Command>) {
        let mut commands = Vec::with_capacity(MAX_COMMANDS_PER_GROUP);
        loop {
            let Some(first) = rx.blocking_recv() else {
                // Every handle is gone: behave as a shutdown without a caller.
                let _ = self.checkpoint_and_flush();
                return;
            };
            commands.push(first);
            while commands.len() < MAX_COMMANDS_PER_GROUP {
                match rx.try_recv() {
                    Ok(c) => commands.push(c),
                    Err(_) => break,
                }
            }
            let mut group = Group::new();
            let mut stop = None;
            for command in commands.drain(..) {
                if matches!(command.op, Op::Shutdown) {
                    stop = Some(command.reply);
                    continue;
                }
                let isolated = matches!(command.op, Op::Apply { isolated: true, .. });
                if isolated && !group.replies.is_empty() {
                    let done = std::mem::replace(&mut group, Group::new());
                    if !self.commit_or_stop(done, &mut rx) {
                        return;
                    }
                }
                let result = self.execute(command.op, &command.payloads, &mut group);
                group.replies.push((command.reply, result));
            }
            if !self.commit_or_stop(group, &mut rx) {
                return;
            }
            if let Some(reply) = stop {
                let result = self.checkpoint_and_flush().map(|()| Outcome::Stopped);
                let _ = reply.send(result);
                rx.close();
                return;
            }
        }
    }

    /// Commits a group; on a storage fault stops the writer for good and
    /// returns false.
    fn commit_or_stop(&mut self, group: Group, rx: &mut mpsc::Receiver<Command>) -> bool {
        match self.commit(group) {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(error = %e, "ledger writer stopped after a storage fault");
                rx.close();
                self.shared.set_failed(&e.to_string());
                false
            }
        }
    }

    /// Applies the group's batch, flushes, publishes, answers. Errors are fatal.
    fn commit(&mut self, mut group: Group) -> Result<()> {
        std::mem::take(&mut group.journal).write_into(&mut group.batch);
        for ((tag, owner, day), (first_seq, items)) in group.chunks.drain() {
            group
                .batch
                .insert(&keys::chunk(tag, owner, day, first_seq), items);
        }
        if group.entries > 0 && self.state.head_seq >= self.last_checkpoint + self.checkpoint_every
        {
            self.stage_checkpoint(&mut group.batch);
        }
        let fault = if group.effects.is_empty() {
            None
        } else {
            let applied = self
                .db
                .apply_batch(std::mem::take(&mut group.batch))
                .and_then(|()| self.db.flush().map(|_| ()));
            match applied {
                Ok(()) => {
                    let mut published = self.shared.state.write();
                    for effect in &group.effects {
                        published.apply(effect);
                    }
                    None
                }
                Err(e) => Some(LedgerError::from(e)),
            }
        };
        for (reply, result) in group.replies {
            let answer = match (&fault, result) {
                (Some(f), Ok(_)) => Err(f.clone()),
                (_, r) => r,
            };
            let _ = reply.send(answer);
        }
        fault.map_or(Ok(()), Err)
    }

    fn stage_checkpoint(&mut self, batch: &mut sled::Batch) {
        for no in self.dirty.drain() {
            batch.insert(
                &keys::checkpoint_balance(no),
                &self.state.balances[no as usize].to_be_bytes(),
            );
        }
        let mut value = self.state.head_seq.to_be_bytes().to_vec();
        value.extend_from_slice(&self.state.head_hash);
        batch.insert(keys::META_CHECKPOINT, value);
        self.last_checkpoint = self.state.head_seq;
        tracing::debug!(seq = self.state.head_seq, "balance checkpoint staged");
    }

    fn checkpoint_and_flush(&mut self) -> Result<()> {
        if self.state.head_seq > self.last_checkpoint || !self.dirty.is_empty() {
            let mut batch = sled::Batch::default();
            self.stage_checkpoint(&mut batch);
            self.db.apply_batch(batch)?;
        }
        self.db.flush()?;
        Ok(())
    }

    fn execute(&mut self, op: Op, payloads: &[Hash], group: &mut Group) -> Result<Outcome> {
        match op {
            Op::CreateBook(c) => self.create_book(c, payloads[0], group),
            Op::OpenAccount(c) => self.open_account(c, payloads[0], group),
            Op::Post { entries, batch } => self.post(entries, batch, payloads, group),
            Op::Reverse(c) => self.reverse(c, payloads[0], group),
            Op::ClosePeriod(c) => self.close_period(c, payloads[0], group),
            Op::Apply {
                request_id,
                actor,
                planner,
                ..
            } => self.apply(request_id, actor, planner, payloads[0], group),
            Op::Shutdown => unreachable!("shutdown is handled by the loop"),
        }
    }

    /// Looks up a request id: `Ok(Some)` for a retry of the same payload,
    /// an error for a reuse with another payload, `Ok(None)` for a new request.
    fn seen(&self, request_id: &str, payload: &Hash, group: &Group) -> Result<Option<Produced>> {
        let found = match group.ids.get(request_id) {
            Some(hit) => Some(*hit),
            None => self
                .db
                .get(keys::idempotency(request_id))?
                .map(|v| {
                    Produced::decode(&v).ok_or_else(|| {
                        LedgerError::Internal(format!(
                            "idempotency record of {request_id:?} is damaged"
                        ))
                    })
                })
                .transpose()?,
        };
        match found {
            None => Ok(None),
            Some((stored, produced)) if stored == *payload => Ok(Some(produced)),
            Some(_) => Err(LedgerError::AlreadyExists {
                field: "request_id".into(),
                what: format!(
                    "request id {request_id:?} was already used for a different request (rule {})",
                    rule::REQUEST_ID_REUSED
                ),
            }),
        }
    }

    /// Answers a retry from its record: `Some` when the request id was recorded
    /// for this payload and this kind of request, an error when for another,
    /// `None` for a new request.
    fn replay(
        &self,
        request_id: &str,
        payload: &Hash,
        group: &Group,
        expected: fn(&Produced) -> bool,
    ) -> Result<Option<Outcome>> {
        match self.seen(request_id, payload, group)? {
            None => Ok(None),
            Some(p) if expected(&p) => Ok(Some(p.replayed())),
            Some(_) => Err(reused_for_other_kind()),
        }
    }

    fn remember(&self, group: &mut Group, request_id: &str, payload: Hash, produced: Produced) {
        group
            .batch
            .insert(keys::idempotency(request_id), produced.encode(&payload));
        group
            .ids
            .insert(request_id.to_string(), (payload, produced));
    }

    fn book_no(&self, book_id: &str, field: &str) -> Result<u32> {
        self.state
            .book_index
            .get(book_id)
            .copied()
            .ok_or_else(|| LedgerError::not_found(field, format!("book {book_id:?}")))
    }

    fn create_book(&mut self, c: CreateBook, payload: Hash, group: &mut Group) -> Result<Outcome> {
        if let Some(o) = self.replay(&c.request_id, &payload, group, |p| {
            matches!(p, Produced::Book(_))
        })? {
            return Ok(o);
        }
        let (book, accounts) = new_book(
            &View::of(&self.state),
            &c.book_id,
            c.kind,
            &c.name,
            "book_id",
        )?;
        let no = book.no;
        self.stage_metas(group, vec![book], accounts);
        self.remember(group, &c.request_id, payload, Produced::Book(no));
        tracing::info!(book = %c.book_id, kind = c.kind.as_str(), request_id = %c.request_id, actor = %c.actor, "book created");
        Ok(Outcome::Book {
            no,
            replayed: false,
        })
    }

    /// Stages new books and accounts, numbered by [`new_book`] and [`new_sub_account`].
    fn stage_metas(&mut self, group: &mut Group, books: Vec<BookMeta>, accounts: Vec<AccountMeta>) {
        for book in books {
            group.batch.insert(
                &keys::book(book.no),
                serde_json::to_vec(&book).expect("book serializes"),
            );
            group.effect(&mut self.state, Effect::Book(book));
        }
        for account in accounts {
            group.batch.insert(
                &keys::account(account.no),
                serde_json::to_vec(&account).expect("account serializes"),
            );
            group.effect(&mut self.state, Effect::Account(account));
        }
    }

    fn open_account(
        &mut self,
        c: OpenAccount,
        payload: Hash,
        group: &mut Group,
    ) -> Result<Outcome> {
        if let Some(o) = self.replay(&c.request_id, &payload, group, |p| {
            matches!(p, Produced::Account(_))
        })? {
            return Ok(o);
        }
        let meta = new_sub_account(
            &View::of(&self.state),
            &c.account,
            &c.name,
            c.non_negative,
            "account",
        )?
        .ok_or_else(|| LedgerError::AlreadyExists {
            field: "account".into(),
            what: format!("account {} already exists", display_account(&c.account)),
        })?;
        let no = meta.no;
        self.stage_metas(group, Vec::new(), vec![meta]);
        self.remember(group, &c.request_id, payload, Produced::Account(no));
        Ok(Outcome::Account {
            no,
            replayed: false,
        })
    }

    /// Runs a business operation: replays a retry, else computes the plan from
    /// the working state, checks all of it, and only then stages it whole.
    fn apply(
        &mut self,
        request_id: String,
        actor: String,
        planner: Planner,
        payload: Hash,
        group: &mut Group,
    ) -> Result<Outcome> {
        if let Some(o) = self.replay(&request_id, &payload, group, |p| {
            matches!(p, Produced::Applied(_))
        })? {
            return Ok(o);
        }
        let store = Store {
            db: &self.db,
            head: self.state.head_seq,
        };
        let plan = planner(&self.state, &store)?;
        let (mut books, mut accounts) = (Vec::new(), Vec::new());
        for (i, b) in plan.books.iter().enumerate() {
            let view = View {
                state: &self.state,
                new_books: &books,
                new_accounts: &accounts,
            };
            let (book, chart) = new_book(
                &view,
                &b.book_id,
                b.kind,
                &b.name,
                &format!("books[{i}].book_id"),
            )?;
            books.push(book);
            accounts.extend(chart);
        }
        for (i, a) in plan.accounts.iter().enumerate() {
            let view = View {
                state: &self.state,
                new_books: &books,
                new_accounts: &accounts,
            };
            if let Some(meta) = new_sub_account(
                &view,
                &a.account,
                &a.name,
                a.non_negative,
                &format!("accounts[{i}]"),
            )? {
                accounts.push(meta);
            }
        }
        let view = View {
            state: &self.state,
            new_books: &books,
            new_accounts: &accounts,
        };
        let mut scratch = HashMap::new();
        let mut staged = Vec::with_capacity(plan.entries.len());
        for (k, e) in plan.entries.into_iter().enumerate() {
            let entry = NewEntry {
                request_id: format!("{request_id}#{}", k + 1),
                actor: actor.clone(),
                value_date: e.value_date,
                memo: e.memo,
                postings: e.postings,
            };
            if group.ids.contains_key(&entry.request_id)
                || self.db.get(keys::idempotency(&entry.request_id))?.is_some()
            {
                return Err(LedgerError::AlreadyExists {
                    field: "request_id".into(),
                    what: format!(
                        "the entry request id {:?} derived from this request id is taken",
                        entry.request_id
                    ),
                });
            }
            let accounts_of = check_entry(&view, &entry, &mut scratch)?;
            let payload = hash_bytes(&serde_json::to_vec(&entry).expect("entries serialize"));
            staged.push(Staged {
                entry,
                accounts: accounts_of,
                reverses: 0,
                payload,
            });
        }
        self.stage_metas(group, books, accounts);
        let seqs = staged
            .into_iter()
            .map(|s| self.stage_entry(s, group).0.seq)
            .collect();
        for (key, json) in plan.records {
            let record = Record {
                version: self.state.version(&key) + 1,
                value: Arc::new(json.into_bytes()),
            };
            let mut value = record.version.to_be_bytes().to_vec();
            value.extend_from_slice(&record.value);
            group.batch.insert(keys::registry(&key), value);
            group.effect(&mut self.state, Effect::Record { key, record });
        }
        self.remember(
            group,
            &request_id,
            payload,
            Produced::Applied(self.state.head_seq),
        );
        Ok(Outcome::Applied {
            replayed: false,
            seqs,
        })
    }

    fn post(
        &mut self,
        entries: Vec<NewEntry>,
        batch: bool,
        payloads: &[Hash],
        group: &mut Group,
    ) -> Result<Outcome> {
        enum Slot {
            Replayed(u64),
            New(usize),
        }
        let mut slots = Vec::with_capacity(entries.len());
        let mut staged = Vec::with_capacity(entries.len());
        // Balances as the accepted entries of this command leave them, so that a
        // batch is checked as if its entries were posted one after the other.
        let mut scratch: HashMap<u32, i128> = HashMap::new();
        for (i, (entry, payload)) in entries.into_iter().zip(payloads).enumerate() {
            let within = |e: LedgerError| {
                if batch {
                    e.within(&format!("entries[{i}]"))
                } else {
                    e
                }
            };
            match self
                .seen(&entry.request_id, payload, group)
                .map_err(within)?
            {
                Some(Produced::Entry(seq)) => {
                    slots.push(Slot::Replayed(seq));
                    continue;
                }
                Some(_) => return Err(within(reused_for_other_kind())),
                None => {}
            }
            let accounts = self.check_entry(&entry, &mut scratch).map_err(within)?;
            slots.push(Slot::New(staged.len()));
            staged.push(Staged {
                entry,
                accounts,
                reverses: 0,
                payload: *payload,
            });
        }
        let records: Vec<_> = staged
            .into_iter()
            .map(|s| self.stage_entry(s, group))
            .collect();
        Ok(Outcome::Entries(
            slots
                .into_iter()
                .map(|slot| match slot {
                    Slot::Replayed(seq) => EntryOutcome {
                        seq,
                        replayed: true,
                        record: None,
                    },
                    Slot::New(k) => EntryOutcome {
                        seq: records[k].0.seq,
                        replayed: false,
                        record: Some(records[k].clone()),
                    },
                })
                .collect(),
        ))
    }

    fn check_entry(&self, entry: &NewEntry, scratch: &mut HashMap<u32, i128>) -> Result<Vec<u32>> {
        check_entry(&View::of(&self.state), entry, scratch)
    }

    /// Adds a checked entry to the group: its record, indexes and effects.
    fn stage_entry(&mut self, s: Staged, group: &mut Group) -> Arc<(EntryRecord, Hash)> {
        let seq = self.state.head_seq + 1;
        let record = EntryRecord {
            v: RECORD_VERSION,
            seq,
            prev_hash: hash_hex(&self.state.head_hash),
            request_id: s.entry.request_id,
            value_date: s.entry.value_date,
            recorded_at_us: group.now_us,
            actor: s.entry.actor,
            memo: s.entry.memo,
            reverses: s.reverses,
            postings: s
                .entry
                .postings
                .into_iter()
                .map(|p| PostingRecord {
                    book: p.account.book_id,
                    code: p.account.code,
                    sub: p.account.sub,
                    side: p.side,
                    amount_fen: p.amount_fen,
                })
                .collect(),
        };
        let bytes = record.encode();
        let hash = hash_bytes(&bytes);
        let day = day_number(record.value_date);
        let mut books_touched: Vec<u32> = Vec::with_capacity(2);
        for (leg, (p, no)) in record.postings.iter().zip(&s.accounts).enumerate() {
            let signed = p.side.signed(p.amount_fen);
            let leg = u16::try_from(leg).expect("postings per entry fit in u16");
            let signed_fen = i64::try_from(signed).expect("a posting fits in i64");
            group.index(
                keys::POSTING,
                *no,
                day,
                seq,
                &keys::posting_item(seq, leg, signed_fen),
            );
            let book_no = self.state.accounts[*no as usize].book_no;
            if !books_touched.contains(&book_no) {
                books_touched.push(book_no);
            }
            self.dirty.insert(*no);
            group.effect(
                &mut self.state,
                Effect::Balance {
                    account: *no,
                    delta_fen: signed,
                },
            );
        }
        for book_no in books_touched {
            group.index(keys::BOOK_JOURNAL, book_no, day, seq, &seq.to_be_bytes());
        }
        if record.reverses != 0 {
            group
                .batch
                .insert(&keys::reversal(record.reverses), &seq.to_be_bytes());
        }
        group.journal.push(seq, &bytes);
        let request_id = record.request_id.clone();
        self.remember(group, &request_id, s.payload, Produced::Entry(seq));
        group.effect(&mut self.state, Effect::Head { seq, hash });
        group.entries += 1;
        Arc::new((record, hash))
    }

    fn read_entry(&self, seq: u64) -> Result<EntryRecord> {
        let bytes = journal::get(&self.db, seq)?.ok_or_else(|| {
            LedgerError::Internal(format!("entry {seq} is missing from the store"))
        })?;
        EntryRecord::decode(&bytes)
            .map_err(|e| LedgerError::Internal(format!("entry {seq} does not decode: {e}")))
    }

    fn reverse(&mut self, c: ReverseEntry, payload: Hash, group: &mut Group) -> Result<Outcome> {
        if let Some(o) = self.replay(&c.request_id, &payload, group, |p| {
            matches!(p, Produced::Entry(_))
        })? {
            return Ok(o);
        }
        if c.seq == 0 || c.seq > self.state.head_seq {
            return Err(LedgerError::not_found("seq", format!("entry {}", c.seq)));
        }
        let original = self.read_entry(c.seq)?;
        if original.reverses != 0 {
            return Err(LedgerError::rule(
                rule::REVERSAL_OF_REVERSAL,
                "seq",
                format!(
                    "entry {} is itself the reversal of entry {}; post a new entry instead",
                    c.seq, original.reverses
                ),
            ));
        }
        let earlier = match self.db.get(keys::reversal(c.seq))? {
            Some(v) => Some(u64::from_be_bytes(v.as_ref().try_into().map_err(|_| {
                LedgerError::Internal(format!("reversal link of entry {} is damaged", c.seq))
            })?)),
            None => None,
        };
        if earlier.is_some() || group.reversed.contains(&c.seq) {
            let by = earlier.map_or_else(
                || "an entry of this batch".to_string(),
                |s| format!("entry {s}"),
            );
            return Err(LedgerError::rule(
                rule::ALREADY_REVERSED,
                "seq",
                format!("entry {} was already reversed by {by}", c.seq),
            ));
        }
        if c.value_date < original.value_date {
            return Err(LedgerError::rule(
                rule::REVERSAL_BEFORE_ORIGINAL,
                "value_date",
                format!(
                    "the reversal's value date {} is before the original's, {}",
                    c.value_date, original.value_date
                ),
            ));
        }
        let entry = NewEntry {
            request_id: c.request_id,
            actor: c.actor,
            value_date: c.value_date,
            memo: c.memo,
            postings: original
                .postings
                .into_iter()
                .map(|p| PostingInput {
                    account: AccountName {
                        book_id: p.book,
                        code: p.code,
                        sub: p.sub,
                    },
                    side: p.side.opposite(),
                    amount_fen: p.amount_fen,
                })
                .collect(),
        };
        let accounts = self.check_entry(&entry, &mut HashMap::new())?;
        group.reversed.insert(c.seq);
        let record = self.stage_entry(
            Staged {
                entry,
                accounts,
                reverses: c.seq,
                payload,
            },
            group,
        );
        Ok(Outcome::Entries(vec![EntryOutcome {
            seq: record.0.seq,
            replayed: false,
            record: Some(record),
        }]))
    }

    fn close_period(
        &mut self,
        c: ClosePeriod,
        payload: Hash,
        group: &mut Group,
    ) -> Result<Outcome> {
        if let Some(o) = self.replay(&c.request_id, &payload, group, |p| {
            matches!(p, Produced::Closed(_))
        })? {
            return Ok(o);
        }
        let no = self.book_no(&c.book_id, "book_id")?;
        let today = business_today();
        if c.period_end >= today {
            return Err(LedgerError::rule(
                rule::PERIOD_NOT_ENDED,
                "period",
                format!(
                    "the month ending {} has not ended yet (today is {today})",
                    c.period_end
                ),
            ));
        }
        let mut book = self.state.books[no as usize].clone();
        if let Some(closed) = book.closed_through {
            if closed >= c.period_end {
                return Err(LedgerError::rule(
                    rule::PERIOD_ALREADY_CLOSED,
                    "period",
                    format!("book {:?} is already closed through {closed}", c.book_id),
                ));
            }
        }
        book.closed_through = Some(c.period_end);
        group.batch.insert(
            &keys::book(no),
            serde_json::to_vec(&book).expect("book serializes"),
        );
        group.effect(
            &mut self.state,
            Effect::ClosedThrough {
                book: no,
                date: c.period_end,
            },
        );
        self.remember(group, &c.request_id, payload, Produced::Closed(no));
        tracing::info!(book = %c.book_id, closed_through = %c.period_end, request_id = %c.request_id, actor = %c.actor, "period closed");
        Ok(Outcome::Book {
            no,
            replayed: false,
        })
    }
}

fn reused_for_other_kind() -> LedgerError {
    LedgerError::AlreadyExists {
        field: "request_id".into(),
        what: format!(
            "request id was already used for a different kind of request (rule {})",
            rule::REQUEST_ID_REUSED
        ),
    }
}

pub fn display_account(a: &AccountName) -> String {
    if a.sub.is_empty() {
        format!("{}/{}", a.book_id, a.code)
    } else {
        format!("{}/{}/{}", a.book_id, a.code, a.sub)
    }
}

/// The books as a plan will leave them for checking its entries: the state
/// plus the books and accounts the plan opens (numbered after the existing
/// ones, with zero balances), before anything is staged.
struct View<'a> {
    state: &'a State,
    new_books: &'a [BookMeta],
    new_accounts: &'a [AccountMeta],
}

impl<'a> View<'a> {
    fn of(state: &'a State) -> Self {
        Self {
            state,
            new_books: &[],
            new_accounts: &[],
        }
    }

    fn book_no(&self, book_id: &str) -> Option<u32> {
        self.state.book_index.get(book_id).copied().or_else(|| {
            self.new_books
                .iter()
                .find(|b| b.book_id == book_id)
                .map(|b| b.no)
        })
    }

    fn account_no(&self, book_no: u32, code: &str, sub: &str) -> Option<u32> {
        self.state.account_no(book_no, code, sub).or_else(|| {
            self.new_accounts
                .iter()
                .find(|a| a.book_no == book_no && a.code == code && a.sub == sub)
                .map(|a| a.no)
        })
    }

    fn book(&self, no: u32) -> &BookMeta {
        let known = self.state.books.len();
        self.state
            .books
            .get(no as usize)
            .unwrap_or_else(|| &self.new_books[no as usize - known])
    }

    fn account(&self, no: u32) -> &AccountMeta {
        let known = self.state.accounts.len();
        self.state
            .accounts
            .get(no as usize)
            .unwrap_or_else(|| &self.new_accounts[no as usize - known])
    }

    fn next_book_no(&self) -> Result<u32> {
        u32::try_from(self.state.books.len() + self.new_books.len())
            .map_err(|_| LedgerError::Internal("too many books".into()))
    }

    fn next_account_no(&self) -> Result<u32> {
        u32::try_from(self.state.accounts.len() + self.new_accounts.len())
            .map_err(|_| LedgerError::Internal("too many accounts".into()))
    }

    fn balance(&self, no: u32) -> i128 {
        self.state.balances.get(no as usize).copied().unwrap_or(0)
    }

    fn label(&self, no: u32) -> String {
        let a = self.account(no);
        display_account(&AccountName {
            book_id: self.book(a.book_no).book_id.clone(),
            code: a.code.clone(),
            sub: a.sub.clone(),
        })
    }
}

/// Checks an entry against the books as they stand (plus `scratch`), and on
/// success adds its effect to `scratch`. Returns the account of each posting.
fn check_entry(
    view: &View<'_>,
    entry: &NewEntry,
    scratch: &mut HashMap<u32, i128>,
) -> Result<Vec<u32>> {
    let n = entry.postings.len();
    if !(MIN_POSTINGS_PER_ENTRY..=MAX_POSTINGS_PER_ENTRY).contains(&n) {
        return Err(LedgerError::invalid(
            "postings",
            format!(
                "must hold {MIN_POSTINGS_PER_ENTRY} to {MAX_POSTINGS_PER_ENTRY} postings, not {n}"
            ),
        ));
    }
    let mut accounts = Vec::with_capacity(n);
    // Per book touched: debits and credits in fen.
    let mut books: BTreeMap<u32, (i128, i128)> = BTreeMap::new();
    let mut deltas: BTreeMap<u32, (i128, usize)> = BTreeMap::new();
    for (j, p) in entry.postings.iter().enumerate() {
        if !(1..=MAX_POSTING_FEN).contains(&p.amount_fen) {
            return Err(LedgerError::invalid(
                format!("postings[{j}].amount"),
                "must be greater than zero and at most 1000000000.00",
            ));
        }
        let book_no = view.book_no(&p.account.book_id).ok_or_else(|| {
            LedgerError::not_found(
                format!("postings[{j}].account.book_id"),
                format!("book {:?}", p.account.book_id),
            )
        })?;
        let no = view
            .account_no(book_no, &p.account.code, &p.account.sub)
            .ok_or_else(|| {
                let kind = view.book(book_no).kind;
                if chart::household_in_federation(kind, &p.account.sub) {
                    return no_household_in_federation(
                        &format!("postings[{j}].account.sub"),
                        &p.account.book_id,
                    );
                }
                LedgerError::not_found(
                    format!("postings[{j}].account"),
                    format!("account {}", display_account(&p.account)),
                )
            })?;
        let totals = books.entry(book_no).or_default();
        match p.side {
            Side::Debit => totals.0 += i128::from(p.amount_fen),
            Side::Credit => totals.1 += i128::from(p.amount_fen),
        }
        let d = deltas.entry(no).or_insert((0, j));
        d.0 += p.side.signed(p.amount_fen);
        accounts.push(no);
    }
    for (book_no, (debit, credit)) in &books {
        let book = view.book(*book_no);
        if debit != credit {
            return Err(LedgerError::rule(
                rule::UNBALANCED,
                "postings",
                format!(
                    "book {:?}: debits {} do not equal credits {}",
                    book.book_id,
                    format_fen(*debit),
                    format_fen(*credit)
                ),
            ));
        }
        if let Some(closed) = book.closed_through {
            if entry.value_date <= closed {
                return Err(LedgerError::rule(
                    rule::PERIOD_CLOSED,
                    "value_date",
                    format!(
                        "book {:?} is closed through {closed}; value date {} falls in a closed period",
                        book.book_id, entry.value_date
                    ),
                ));
            }
        }
    }
    let today = business_today();
    if entry.value_date > today {
        return Err(LedgerError::rule(
            rule::VALUE_DATE_IN_FUTURE,
            "value_date",
            format!("value date {} is after today, {today}", entry.value_date),
        ));
    }
    for (no, (delta, j)) in &deltas {
        let meta = view.account(*no);
        if !meta.non_negative {
            continue;
        }
        let before = view.balance(*no) + scratch.get(no).copied().unwrap_or(0);
        let after = meta.normal_balance(before + delta);
        if after < 0 {
            return Err(LedgerError::rule(
                rule::NON_NEGATIVE,
                format!("postings[{j}].account"),
                format!(
                    "account {} may not go below zero: balance {}, this entry would leave {}",
                    view.label(*no),
                    format_fen(meta.normal_balance(before)),
                    format_fen(after)
                ),
            ));
        }
    }
    for (no, (delta, _)) in deltas {
        *scratch.entry(no).or_insert(0) += delta;
    }
    Ok(accounts)
}

/// A new book and its chart's header accounts, numbered after `view`'s.
fn new_book(
    view: &View<'_>,
    book_id: &str,
    kind: BookKind,
    name: &str,
    field: &str,
) -> Result<(BookMeta, Vec<AccountMeta>)> {
    if view.book_no(book_id).is_some() {
        return Err(LedgerError::AlreadyExists {
            field: field.into(),
            what: format!("book {book_id:?} already exists"),
        });
    }
    let no = view.next_book_no()?;
    let first_account = view.next_account_no()?;
    let accounts = chart::chart_of(kind)
        .iter()
        .zip(first_account..)
        .map(|(line, account_no)| AccountMeta {
            no: account_no,
            book_no: no,
            code: line.code.to_string(),
            sub: String::new(),
            name: line.name.to_string(),
            account_type: line.account_type,
            non_negative: line.non_negative,
        })
        .collect();
    let book = BookMeta {
        no,
        book_id: book_id.to_string(),
        kind,
        name: name.to_string(),
        closed_through: None,
    };
    Ok((book, accounts))
}

/// The refusal of any household or loan account in a federation's book.
fn no_household_in_federation(field: &str, book_id: &str) -> LedgerError {
    LedgerError::rule(
        rule::NO_HOUSEHOLD_IN_FEDERATION,
        field,
        format!(
            "book {book_id:?} is a federation: {}",
            SubAccountError::HouseholdInFederation
        ),
    )
}

/// A new sub-account checked against its book's chart, numbered after
/// `view`'s; `None` when it exists already. `field` names the request's account.
fn new_sub_account(
    view: &View<'_>,
    account: &AccountName,
    name: &str,
    non_negative: bool,
    field: &str,
) -> Result<Option<AccountMeta>> {
    let book_no = view.book_no(&account.book_id).ok_or_else(|| {
        LedgerError::not_found(
            format!("{field}.book_id"),
            format!("book {:?}", account.book_id),
        )
    })?;
    let kind = view.book(book_no).kind;
    // Before the chart: a loan code a federation's chart lacks is still a
    // household account, refused by the rule rather than as a bad code.
    if chart::household_in_federation(kind, &account.sub) {
        return Err(no_household_in_federation(
            &format!("{field}.sub"),
            &account.book_id,
        ));
    }
    let line = chart::chart_line(kind, &account.code).ok_or_else(|| {
        LedgerError::invalid(
            format!("{field}.code"),
            format!(
                "{:?} is not a code of the {} chart of accounts",
                account.code,
                kind.as_str()
            ),
        )
    })?;
    if account.sub.is_empty() {
        return Err(LedgerError::AlreadyExists {
            field: format!("{field}.sub"),
            what: format!(
                "the header account {} is opened with its book; name a sub-account",
                line.code
            ),
        });
    }
    chart::check_sub_account(kind, line, &account.sub).map_err(|e| match e {
        SubAccountError::HouseholdInFederation => {
            no_household_in_federation(&format!("{field}.sub"), &account.book_id)
        }
        other => LedgerError::invalid(format!("{field}.sub"), other),
    })?;
    if view
        .account_no(book_no, &account.code, &account.sub)
        .is_some()
    {
        return Ok(None);
    }
    Ok(Some(AccountMeta {
        no: view.next_account_no()?,
        book_no,
        code: account.code.clone(),
        sub: account.sub.clone(),
        name: name.to_string(),
        account_type: line.account_type,
        non_negative: line.non_negative || non_negative,
    }))
}
