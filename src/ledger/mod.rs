//! The double-entry engine on sled: books, accounts, entries, balances,
//! idempotency, the hash chain and the single writer.
//!
//! [`Ledger`] is a cheap, cloneable handle. Writes are sent to the writer thread
//! ([`writer`]) and answered after their group is flushed; reads use the state
//! published after the last flush and the store, bounded to the durable head.
mod apply;
mod check;
pub mod command;
pub mod error;
mod execute;
mod group;
mod idempotency;
pub mod journal;
pub mod keys;
pub mod months;
mod open;
pub mod reads;
pub mod record;
pub mod state;
pub mod store;
pub mod verify;
mod writer;

use std::path::Path;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};
use tokio::sync::{mpsc, oneshot};

pub use command::{
    AccountName, Applied, Apply, Booked, ClosePeriod, CreateBook, EntryOutcome, NewEntry,
    OpenAccount, Opened, Plan, PlannedAccount, PlannedBook, PlannedClose, PlannedEntry, Planner,
    PostingInput, ReverseEntry,
};
use command::{Command, Op, Reply};
pub use error::{LedgerError, Result};
pub use open::open_raw;
use record::{hash_bytes, Hash};
pub use state::Record;
use state::State;
pub use store::Store;

use crate::domain::limits::{CHECKPOINT_EVERY_ENTRIES, MAX_COMMANDS_PER_GROUP};
use crate::domain::money::RateCeiling;

/// What readers and the writer share.
pub struct Shared {
    /// The state as of the last flushed group.
    pub state: RwLock<State>,
    failure: Mutex<Option<String>>,
}

impl Shared {
    fn set_failed(&self, why: &str) {
        *self.failure.lock() = Some(why.to_string());
    }
}

/// Options for opening a store.
#[derive(Debug, Clone)]
pub struct Options {
    /// sled's page cache, in bytes.
    pub cache_bytes: u64,
    /// Entries between balance checkpoints (bounds the tail replayed at start-up).
    pub checkpoint_every: u64,
    /// The highest annual rate this deployment's operations accept
    /// (`huzhu serve --max-rate-annual`); decoded requests are checked
    /// against it before they reach the writer (`ops::Operation::within`).
    pub max_rate_annual: RateCeiling,
    /// Whether a store created now compresses its log (zstd); a store that
    /// exists keeps what it was created with.
    pub compress_new: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            cache_bytes: 256 * 1024 * 1024,
            checkpoint_every: CHECKPOINT_EVERY_ENTRIES,
            max_rate_annual: RateCeiling::default(),
            compress_new: true,
        }
    }
}

#[derive(Clone)]
pub struct Ledger {
    db: sled::Db,
    shared: Arc<Shared>,
    tx: mpsc::Sender<Command>,
    writer: Arc<Mutex<Option<std::thread::JoinHandle<()>>>>,
    max_rate_annual: RateCeiling,
}

impl Ledger {
    /// Opens (or creates) the store in `dir`, checks the chain head and replays
    /// only the journal tail after the last balance checkpoint, and starts the writer.
    pub fn open(dir: &Path, options: &Options) -> Result<Self> {
        let opened = open::open(dir, options)?;
        open::months_agree(&opened.state)?;
        let shared = Arc::new(Shared {
            state: RwLock::new(opened.state.clone()),
            failure: Mutex::new(None),
        });
        let (tx, rx) = mpsc::channel(MAX_COMMANDS_PER_GROUP * 4);
        let writer = writer::Writer::new(
            opened.db.clone(),
            opened.state,
            shared.clone(),
            opened.checkpoint_seq,
            opened.dirty,
            options.checkpoint_every.max(1),
        );
        let handle = std::thread::Builder::new()
            .name("ledger-writer".into())
            .spawn(move || writer.run(rx))
            .map_err(|e| LedgerError::Internal(format!("cannot start the writer thread: {e}")))?;
        Ok(Self {
            db: opened.db,
            shared,
            tx,
            writer: Arc::new(Mutex::new(Some(handle))),
            max_rate_annual: options.max_rate_annual,
        })
    }

    /// The deployment's ceiling on annual rates.
    pub fn max_rate_annual(&self) -> RateCeiling {
        self.max_rate_annual
    }

    pub fn db(&self) -> &sled::Db {
        &self.db
    }

    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Sends a command to the writer and waits for its typed answer.
    async fn submit<T>(&self, op: impl FnOnce(Reply<T>) -> Op, payloads: Vec<Hash>) -> Result<T> {
        let (reply, rx) = oneshot::channel();
        let unavailable = || {
            LedgerError::Unavailable(
                self.shared
                    .failure
                    .lock()
                    .clone()
                    .unwrap_or_else(|| "the ledger is shutting down".into()),
            )
        };
        self.tx
            .send(Command {
                op: op(reply),
                payloads,
            })
            .await
            .map_err(|_| unavailable())?;
        rx.await.map_err(|_| unavailable())?
    }

    pub async fn create_book(&self, c: CreateBook) -> Result<Booked> {
        let payload = payload_hash("create_book", &c);
        self.submit(|r| Op::CreateBook(c, r), vec![payload]).await
    }

    pub async fn open_account(&self, c: OpenAccount) -> Result<Opened> {
        let payload = payload_hash("open_account", &c);
        self.submit(|r| Op::OpenAccount(c, r), vec![payload]).await
    }

    /// Posts one entry, or (`batch`) several atomically.
    pub async fn post(&self, entries: Vec<NewEntry>, batch: bool) -> Result<Vec<EntryOutcome>> {
        let payloads = entries.iter().map(|e| payload_hash("post", e)).collect();
        self.submit(
            |reply| Op::Post {
                entries,
                batch,
                reply,
            },
            payloads,
        )
        .await
    }

    pub async fn reverse(&self, c: ReverseEntry) -> Result<EntryOutcome> {
        let payload = payload_hash("reverse", &c);
        self.submit(|r| Op::Reverse(c, r), vec![payload]).await
    }

    pub async fn close_period(&self, c: ClosePeriod) -> Result<Booked> {
        let payload = payload_hash("close_period", &c);
        self.submit(|r| Op::ClosePeriod(c, r), vec![payload]).await
    }

    /// Runs a business operation on the writer (`isolated`: in a group of its
    /// own, for planners that read the store): a retry of `request_id` with
    /// the same `fingerprint` is answered `(true, [])`; otherwise `planner`
    /// computes the plan from the state at that point of the sequence, and the
    /// whole plan is stored or nothing is. Returns (replayed, seqs posted).
    pub async fn apply(
        &self,
        request_id: String,
        actor: String,
        fingerprint: Hash,
        planner: Planner,
        isolated: bool,
    ) -> Result<(bool, Vec<u64>)> {
        let a = Apply {
            request_id,
            actor,
            planner,
            isolated,
        };
        let applied = self.submit(|r| Op::Apply(a, r), vec![fingerprint]).await?;
        Ok((applied.replayed, applied.seqs))
    }

    /// Writes a final balance checkpoint, flushes and stops the writer. Later
    /// writes are refused with `Unavailable`; reads keep working.
    pub async fn shutdown(&self) -> Result<()> {
        let result = self.submit(Op::Shutdown, Vec::new()).await;
        let handle = self.writer.lock().take();
        if let Some(handle) = handle {
            let _ = tokio::task::spawn_blocking(move || handle.join()).await;
        }
        result
    }
}

/// The idempotency fingerprint of a request: SHA-256 over its kind and its
/// canonical JSON. A retry must match it to be answered from the record.
pub fn payload_hash<T: serde::Serialize>(kind: &str, input: &T) -> Hash {
    let mut bytes = kind.as_bytes().to_vec();
    bytes.push(0);
    bytes.extend(serde_json::to_vec(input).expect("inputs serialize"));
    hash_bytes(&bytes)
}

/// Verifies a store that no server has open (`huzhu verify --data-dir`).
/// A store too damaged to open is reported as a failed verification.
pub fn verify_store(dir: &Path, progress: &dyn Fn(u64, u64)) -> Result<verify::Report> {
    let opened = match open::open_state(dir, &Options::default()) {
        Ok(o) => o,
        Err(LedgerError::Internal(why)) if why.starts_with("the store is damaged") => {
            return Ok(verify::Report {
                entries_checked: 0,
                accounts_checked: 0,
                head_seq: 0,
                head_hash: record::GENESIS_HASH,
                problems: vec![why],
            })
        }
        Err(e) => return Err(e),
    };
    verify::verify(&opened.db, &opened.state, progress)
}
