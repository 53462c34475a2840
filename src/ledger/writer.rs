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
//!
//! What each command does is in [`super::execute`] (the ledger's own
//! commands) and [`super::apply`] (business operations); the rules an entry
//! must pass are in [`super::check`].
use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::mpsc;

use super::command::{Command, NewEntry, Op, Reply};
use super::error::{LedgerError, Result};
use super::group::{answer, Group};
use super::idempotency::{self, Produced};
use super::journal;
use super::keys;
use super::record::{hash_bytes, hash_hex, EntryRecord, Hash, PostingRecord, RECORD_VERSION};
use super::state::{AccountMeta, BookMeta, Effect, State};
use super::Shared;
use crate::domain::dates::day_number;
use crate::domain::limits::MAX_COMMANDS_PER_GROUP;

/// An entry that passed its checks, with the account of each posting.
pub(super) struct Staged {
    pub entry: NewEntry,
    pub accounts: Vec<u32>,
    pub reverses: u64,
    pub payload: Hash,
}

pub struct Writer {
    pub(super) db: sled::Db,
    pub(super) state: State,
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
            let Some(stop) = self.run_group(&mut commands, &mut rx) else {
                return;
            };
            if let Some(reply) = stop {
                let result = self.checkpoint_and_flush();
                let _ = reply.send(result);
                rx.close();
                return;
            }
        }
    }

    /// Executes the commands taken as one group and commits it; an isolated
    /// operation first commits what came before it. Answers `None` after a
    /// storage fault (the writer stops), else the shutdown asked for, if any.
    fn run_group(
        &mut self,
        commands: &mut Vec<Command>,
        rx: &mut mpsc::Receiver<Command>,
    ) -> Option<Option<Reply<()>>> {
        let mut group = Group::new();
        let mut stop = None;
        for command in commands.drain(..) {
            if let Op::Shutdown(reply) = command.op {
                stop = Some(reply);
                continue;
            }
            let isolated = matches!(&command.op, Op::Apply(a, _) if a.isolated);
            if isolated && !group.answers.is_empty() {
                let done = std::mem::replace(&mut group, Group::new());
                if !self.commit_or_stop(done, rx) {
                    return None;
                }
            }
            self.execute(command, &mut group);
        }
        if !self.commit_or_stop(group, rx) {
            return None;
        }
        Some(stop)
    }

    /// Runs one command against the working state; its answer waits in the group.
    fn execute(&mut self, command: Command, group: &mut Group) {
        let p = &command.payloads;
        let done = match command.op {
            Op::CreateBook(c, reply) => answer(reply, self.create_book(c, p[0], group)),
            Op::OpenAccount(c, reply) => answer(reply, self.open_account(c, p[0], group)),
            Op::Post {
                entries,
                batch,
                reply,
            } => answer(reply, self.post(entries, batch, p, group)),
            Op::Reverse(c, reply) => answer(reply, self.reverse(c, p[0], group)),
            Op::ClosePeriod(c, reply) => answer(reply, self.close_period(c, p[0], group)),
            Op::Apply(a, reply) => answer(reply, self.apply(a, p[0], group)),
            Op::Shutdown(_) => unreachable!("shutdown is handled by the loop"),
        };
        group.answers.push(done);
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
        for done in group.answers {
            done(fault.as_ref());
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

    /// Looks up a request id: `Ok(Some)` for a retry of the same payload,
    /// an error for a reuse with another payload, `Ok(None)` for a new request.
    pub(super) fn seen(
        &self,
        request_id: &str,
        payload: &Hash,
        group: &Group,
    ) -> Result<Option<Produced>> {
        let found = match group.ids.get(request_id) {
            Some(hit) => Some(*hit),
            None => idempotency::lookup(&self.db, request_id)?,
        };
        match found {
            None => Ok(None),
            Some((stored, produced)) if stored == *payload => Ok(Some(produced)),
            Some(_) => Err(idempotency::reused(request_id)),
        }
    }

    /// Answers a retry from its record: `Some` when the request id was recorded
    /// for this payload and this kind of request (`replayed` says what to
    /// answer), an error when for another, `None` for a new request.
    pub(super) fn replay<T>(
        &self,
        request_id: &str,
        payload: &Hash,
        group: &Group,
        replayed: fn(Produced) -> Option<T>,
    ) -> Result<Option<T>> {
        match self.seen(request_id, payload, group)? {
            None => Ok(None),
            Some(p) => replayed(p)
                .map(Some)
                .ok_or_else(idempotency::reused_for_other_kind),
        }
    }

    pub(super) fn remember(
        &self,
        group: &mut Group,
        request_id: &str,
        payload: Hash,
        produced: Produced,
    ) {
        group
            .batch
            .insert(keys::idempotency(request_id), produced.encode(&payload));
        group
            .ids
            .insert(request_id.to_string(), (payload, produced));
    }

    /// Stages new books and accounts, numbered by `check::new_book` and `check::new_sub_account`.
    pub(super) fn stage_metas(
        &mut self,
        group: &mut Group,
        books: Vec<BookMeta>,
        accounts: Vec<AccountMeta>,
    ) {
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

    /// Adds a checked entry to the group: its record, indexes and effects.
    pub(super) fn stage_entry(&mut self, s: Staged, group: &mut Group) -> Arc<(EntryRecord, Hash)> {
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
        self.stage_postings(&record, &s.accounts, group);
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

    /// The posting and book indexes of an entry, and its balance effects.
    fn stage_postings(&mut self, record: &EntryRecord, accounts: &[u32], group: &mut Group) {
        let (seq, day) = (record.seq, day_number(record.value_date));
        let mut books_touched: Vec<u32> = Vec::with_capacity(2);
        for (leg, (p, no)) in record.postings.iter().zip(accounts).enumerate() {
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
                    day,
                },
            );
        }
        for book_no in books_touched {
            group.index(keys::BOOK_JOURNAL, book_no, day, seq, &seq.to_be_bytes());
        }
    }

    pub(super) fn read_entry(&self, seq: u64) -> Result<EntryRecord> {
        let bytes = journal::get(&self.db, seq)?.ok_or_else(|| {
            LedgerError::Internal(format!("entry {seq} is missing from the store"))
        })?;
        EntryRecord::decode(&bytes)
            .map_err(|e| LedgerError::Internal(format!("entry {seq} does not decode: {e}")))
    }
}
