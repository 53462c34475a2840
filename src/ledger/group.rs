//! A group: everything the writer's commands since the last flush add to the
//! store, held in memory until the group is applied as one batch and flushed
//! once (group commit), and the answers waiting for that flush.
use std::collections::{HashMap, HashSet};

use super::command::Reply;
use super::error::{LedgerError, Result};
use super::idempotency::Produced;
use super::journal;
use super::record::Hash;
use super::state::{Effect, State};

/// Sends one command's answer once its group is durable, or the storage
/// fault that stopped the group instead of an answer that would be false.
pub(super) type Answer = Box<dyn FnOnce(Option<&LedgerError>) + Send>;

/// An answer to send after the flush.
pub(super) fn answer<T: Send + 'static>(reply: Reply<T>, result: Result<T>) -> Answer {
    Box::new(move |fault| {
        let result = match (fault, result) {
            (Some(f), Ok(_)) => Err(f.clone()),
            (_, r) => r,
        };
        let _ = reply.send(result);
    })
}

pub(super) struct Group {
    pub batch: sled::Batch,
    pub effects: Vec<Effect>,
    /// Request ids recorded in this group (not yet visible through the store).
    pub ids: HashMap<String, (Hash, Produced)>,
    /// Originals reversed in this group.
    pub reversed: HashSet<u64>,
    pub entries: u64,
    /// The time stamped on every entry of the group, in microseconds since 1970.
    pub now_us: i64,
    /// Index chunks being filled: (tag, owner, day) -> (first seq, items).
    pub chunks: HashMap<(u8, u32, u32), (u64, Vec<u8>)>,
    /// The group's entry records.
    pub journal: journal::Blocks,
    pub answers: Vec<Answer>,
}

impl Group {
    pub fn new() -> Self {
        Self {
            batch: sled::Batch::default(),
            effects: Vec::new(),
            ids: HashMap::new(),
            reversed: HashSet::new(),
            entries: 0,
            now_us: chrono::Utc::now().timestamp_micros(),
            chunks: HashMap::new(),
            journal: journal::Blocks::default(),
            answers: Vec::new(),
        }
    }

    pub fn index(&mut self, tag: u8, owner: u32, day: u32, seq: u64, item: &[u8]) {
        self.chunks
            .entry((tag, owner, day))
            .or_insert_with(|| (seq, Vec::new()))
            .1
            .extend_from_slice(item);
    }

    pub fn effect(&mut self, state: &mut State, effect: Effect) {
        state.apply(&effect);
        self.effects.push(effect);
    }
}
