//! Opening a store fast: load books and accounts, take balances from the last
//! checkpoint, check the checkpointed entry's hash, and replay only the tail of
//! the journal after it (at most `CHECKPOINT_EVERY_ENTRIES` entries, or what a
//! crash left since the last checkpoint).
use std::collections::HashSet;
use std::path::Path;

use super::error::{LedgerError, Result};
use super::journal;
use super::keys;
use super::months::Months;
use super::record::{hash_bytes, hash_hex, EntryRecord, Hash, GENESIS_HASH};
use super::state::{AccountMeta, BookMeta, Effect, Record, State};
use super::Options;

pub struct Opened {
    pub db: sled::Db,
    pub state: State,
    pub checkpoint_seq: u64,
    /// Accounts whose balance changed since the checkpoint.
    pub dirty: HashSet<u32>,
}

fn damaged(what: String) -> LedgerError {
    LedgerError::Internal(format!(
        "the store is damaged: {what}; run `huzhu verify --data-dir DIR` for a full report"
    ))
}

/// How sled 0.34 says another process holds a store's lock (its `db` file).
const LOCK_TAKEN: &str = "could not acquire lock";

/// Why a store did not open: another Huzhu process holds it (a server, or
/// `verify` or `token rescue` on it), said with what to do; else sled's error.
fn cannot_open(dir: &Path, e: &sled::Error) -> LedgerError {
    if matches!(e, sled::Error::Io(io) if io.to_string().starts_with(LOCK_TAKEN)) {
        return LedgerError::Unavailable(format!(
            "another Huzhu process (a running `huzhu serve`, or `verify` or `token rescue`) \
             holds the store in {}: stop it first, or give another --data-dir; to check the \
             store of a running server, use `huzhu verify --server URL`",
            dir.display()
        ));
    }
    LedgerError::Internal(format!("cannot open the store in {}: {e}", dir.display()))
}

/// zstd's level for a compressed store: its fastest (sled compresses each
/// message it logs, on the writer's time).
const COMPRESSION_LEVEL: i32 = 1;

/// Whether the store's log is zstd-compressed. sled refuses to change this
/// across restarts, so a store keeps what it was created with (sled's
/// `conf` file says which): a store created before compression opens
/// uncompressed, and a new one compresses when `new` says so.
fn compressed(dir: &Path, new: bool) -> bool {
    match std::fs::read(dir.join("conf")) {
        Ok(conf) => String::from_utf8_lossy(&conf)
            .lines()
            .any(|l| l.trim() == "use_compression: true"),
        Err(e) => new && e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// Refuses to serve a store whose posting index (which the month sums are
/// built from) does not sum to the balances; `verify` opens such a store
/// without this, to name what differs.
pub fn months_agree(state: &State) -> Result<()> {
    let accounts = 0..state.accounts.len() as u32;
    match accounts
        .into_iter()
        .find(|no| state.months.total(*no) != state.balances[*no as usize])
    {
        Some(no) => Err(damaged(format!(
            "the posting index of {} does not sum to its balance",
            state.account_label(no)
        ))),
        None => Ok(()),
    }
}

/// sled's configuration for the store in `dir`, with the compression it
/// was created with (or `compress_new` for a new one).
fn config(dir: &Path, compress_new: bool) -> sled::Config {
    sled::Config::new()
        .path(dir)
        .use_compression(compressed(dir, compress_new))
        .compression_factor(COMPRESSION_LEVEL)
}

/// The store's sled files opened as they are, for tools and tests that read
/// or alter raw keys of a stopped store (sled refuses a compression setting
/// other than the one a store was created with).
pub fn open_raw(dir: &Path) -> sled::Result<sled::Db> {
    config(dir, false).open()
}

/// The store opened to serve: its state with each account's month sums,
/// built from the posting index.
pub fn open(dir: &Path, options: &Options) -> Result<Opened> {
    let mut opened = open_state(dir, options)?;
    let state = &mut opened.state;
    state.months = Months::scan(&opened.db, state.accounts.len(), state.head_seq)?;
    Ok(opened)
}

/// The store opened with its state at the head, without month sums (all
/// that `verify` needs: it sums the postings itself).
pub fn open_state(dir: &Path, options: &Options) -> Result<Opened> {
    let db = config(dir, options.compress_new)
        .cache_capacity(options.cache_bytes)
        .mode(sled::Mode::HighThroughput)
        .flush_every_ms(Some(1_000))
        .open()
        .map_err(|e| cannot_open(dir, &e))?;
    check_format(&db, dir)?;
    let mut state = State::default();
    load_books(&db, &mut state)?;
    load_records(&db, &mut state)?;
    load_checkpoint_balances(&db, &mut state)?;
    let (checkpoint_seq, checkpoint_hash) = checkpoint(&db)?;
    state.head_seq = checkpoint_seq;
    state.head_hash = checkpoint_hash;
    let (dirty, replayed) = replay_tail(&db, &mut state)?;
    state.recount_equity();
    tracing::info!(
        head = state.head_seq,
        checkpoint = checkpoint_seq,
        replayed,
        books = state.books.len(),
        accounts = state.accounts.len(),
        "ledger opened"
    );
    Ok(Opened {
        db,
        state,
        checkpoint_seq,
        dirty,
    })
}

/// A new store gets the format tag; another store must carry this build's.
fn check_format(db: &sled::Db, dir: &Path) -> Result<()> {
    match db.get(keys::META_FORMAT)? {
        Some(v) if v.as_ref() == keys::FORMAT_VERSION => Ok(()),
        Some(v) => Err(LedgerError::Internal(format!(
            "{} holds a store of format {:?}; this build reads {:?}",
            dir.display(),
            String::from_utf8_lossy(&v),
            String::from_utf8_lossy(keys::FORMAT_VERSION)
        ))),
        None if db.is_empty() => {
            db.insert(keys::META_FORMAT, keys::FORMAT_VERSION)?;
            db.flush()?;
            Ok(())
        }
        None => Err(LedgerError::Internal(format!(
            "{} holds data that is not a Huzhu ledger",
            dir.display()
        ))),
    }
}

/// Books and accounts, numbered densely in the order they were opened.
fn load_books(db: &sled::Db, state: &mut State) -> Result<()> {
    for item in db.scan_prefix([keys::BOOK]) {
        let (_, v) = item?;
        let book: BookMeta =
            serde_json::from_slice(&v).map_err(|e| damaged(format!("a book record: {e}")))?;
        if book.no as usize != state.books.len() {
            return Err(damaged(format!("book numbers have a gap at {}", book.no)));
        }
        state.apply(&Effect::Book(book));
    }
    for item in db.scan_prefix([keys::ACCOUNT]) {
        let (_, v) = item?;
        let account: AccountMeta =
            serde_json::from_slice(&v).map_err(|e| damaged(format!("an account record: {e}")))?;
        if account.no as usize != state.accounts.len()
            || account.book_no as usize >= state.books.len()
        {
            return Err(damaged(format!(
                "account record {} is out of order",
                account.no
            )));
        }
        state.apply(&Effect::Account(account));
    }
    Ok(())
}

/// The registry: every record with its version.
fn load_records(db: &sled::Db, state: &mut State) -> Result<()> {
    for item in db.scan_prefix([keys::REGISTRY]) {
        let (k, v) = item?;
        let key =
            String::from_utf8(k[1..].to_vec()).map_err(|_| damaged("a registry key".into()))?;
        if v.len() < 8 {
            return Err(damaged(format!("registry record {key}")));
        }
        let version = u64::from_be_bytes(v[..8].try_into().expect("8 bytes"));
        state
            .records
            .insert(key, Record::new(version, v[8..].to_vec()));
    }
    Ok(())
}

/// Balances as the last checkpoint holds them.
fn load_checkpoint_balances(db: &sled::Db, state: &mut State) -> Result<()> {
    for item in db.scan_prefix([keys::CHECKPOINT_BALANCE]) {
        let (k, v) = item?;
        let no = u32::from_be_bytes(
            k[1..5]
                .try_into()
                .map_err(|_| damaged("a checkpoint key".into()))?,
        );
        let fen = i128::from_be_bytes(
            v.as_ref()
                .try_into()
                .map_err(|_| damaged("a checkpoint balance".into()))?,
        );
        *state
            .balances
            .get_mut(no as usize)
            .ok_or_else(|| damaged(format!("checkpoint of unknown account {no}")))? = fen;
    }
    Ok(())
}

/// The checkpoint's entry and hash, checked against the stored entry.
fn checkpoint(db: &sled::Db) -> Result<(u64, Hash)> {
    let (seq, hash) = match db.get(keys::META_CHECKPOINT)? {
        None => (0, GENESIS_HASH),
        Some(v) if v.len() == 40 => (
            u64::from_be_bytes(v[..8].try_into().expect("8 bytes")),
            <Hash>::try_from(&v[8..]).expect("32 bytes"),
        ),
        Some(_) => return Err(damaged("the checkpoint record".into())),
    };
    if seq > 0 {
        let bytes = journal::get(db, seq)?
            .ok_or_else(|| damaged(format!("entry {seq} (the checkpoint) is missing")))?;
        if hash_bytes(&bytes) != hash {
            return Err(damaged(format!(
                "entry {seq} does not hash to the value recorded at the checkpoint"
            )));
        }
    }
    Ok((seq, hash))
}

/// Replays the journal after the checkpoint, checking each link; answers
/// the accounts it moved and how many entries it replayed.
fn replay_tail(db: &sled::Db, state: &mut State) -> Result<(HashSet<u32>, u64)> {
    let mut dirty = HashSet::new();
    let mut replayed = 0u64;
    for item in journal::scan(db, state.head_seq + 1, u64::MAX) {
        let (seq, v) = item?;
        let record = EntryRecord::decode(&v)
            .map_err(|e| damaged(format!("entry {seq} does not decode: {e}")))?;
        check_link(&record, seq, state.head_seq + 1, &state.head_hash).map_err(damaged)?;
        let accounts = resolve_postings(state, &record).map_err(damaged)?;
        for (p, no) in record.postings.iter().zip(accounts) {
            state.balances[no as usize] += p.side.signed(p.amount_fen);
            dirty.insert(no);
        }
        state.head_seq = seq;
        state.head_hash = hash_bytes(&v);
        replayed += 1;
    }
    Ok((dirty, replayed))
}

/// Checks an entry's place in the chain: its key, its number and its predecessor.
pub fn check_link(
    record: &EntryRecord,
    key_seq: u64,
    expected_seq: u64,
    prev: &Hash,
) -> Result<(), String> {
    if key_seq != expected_seq {
        return Err(format!(
            "entry {expected_seq} is missing (next stored entry is {key_seq})"
        ));
    }
    if record.seq != key_seq {
        return Err(format!("entry {key_seq} carries the number {}", record.seq));
    }
    if record.prev_hash != hash_hex(prev) {
        return Err(format!(
            "entry {key_seq} does not chain to entry {}: its prev_hash is {}, the predecessor hashes to {}",
            key_seq - 1,
            record.prev_hash,
            hash_hex(prev)
        ));
    }
    Ok(())
}

/// The account of each posting of an entry, or what is wrong with them.
pub fn resolve_postings(state: &State, record: &EntryRecord) -> Result<Vec<u32>, String> {
    record
        .postings
        .iter()
        .enumerate()
        .map(|(j, p)| {
            state
                .book_index
                .get(&p.book)
                .and_then(|book| state.account_no(*book, &p.code, &p.sub))
                .ok_or_else(|| {
                    format!(
                        "entry {} posting {j} names an unknown account {}/{}/{}",
                        record.seq, p.book, p.code, p.sub
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf_says(dir: &Path) -> String {
        let conf = std::fs::read(dir.join("conf")).unwrap();
        let conf = String::from_utf8_lossy(&conf).to_string();
        let line = conf.lines().find(|l| l.starts_with("use_compression"));
        line.unwrap().to_string()
    }

    #[test]
    fn a_store_keeps_the_compression_it_was_created_with() {
        let new = tempfile::tempdir().unwrap();
        drop(open(new.path(), &Options::default()).unwrap());
        assert_eq!(conf_says(new.path()), "use_compression: true");

        // A store from a build before compression: sled's default, none.
        let old = tempfile::tempdir().unwrap();
        drop(sled::Config::new().path(old.path()).open().unwrap());
        for _ in 0..2 {
            let opened = open(old.path(), &Options::default()).unwrap();
            assert_eq!(opened.state.head_seq, 0);
            drop(opened);
            assert_eq!(conf_says(old.path()), "use_compression: false");
        }
    }
}
