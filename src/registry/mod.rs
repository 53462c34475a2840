//! The business records kept beside the accounts, in one place: their types,
//! their keys ([`keys`]) and the loaders the operations and the extracts
//! read them with. A record is JSON under its key in the ledger's registry
//! (`R` in the store), loaded into memory at start-up and written only by a
//! plan on the single writer. Loaders refuse a missing record as NOT_FOUND
//! naming the request field a caller would correct.
use std::sync::Arc;

use serde::{de::DeserializeOwned, Serialize};

use crate::ledger::state::{Record, State};
use crate::ledger::{Ledger, LedgerError, Result};

mod federation;
mod fund;
pub mod keys;
mod loan;
mod program;
mod token;

pub use federation::*;
pub use fund::*;
pub use loan::*;
pub use program::*;
pub use token::*;

fn decode<T: DeserializeOwned>(key: &str, value: &[u8]) -> Result<T> {
    serde_json::from_slice(value)
        .map_err(|e| LedgerError::Internal(format!("registry record {key} does not decode: {e}")))
}

/// What a registry record can be read as: decoded once per version of the
/// record and copied to every reader after (`Record::decoded`).
pub trait Value: DeserializeOwned + Clone + Send + Sync + 'static {}

impl<T: DeserializeOwned + Clone + Send + Sync + 'static> Value for T {}

/// A record's value, decoded or copied from its first decoding.
fn read<T: Value>(key: &str, record: &Record) -> Result<T> {
    record.decoded(|bytes| decode(key, bytes))
}

/// A registry record decoded, or `None` when there is none under `key`.
pub fn load<T: Value>(state: &State, key: &str) -> Result<Option<T>> {
    state.records.get(key).map(|r| read(key, r)).transpose()
}

/// Every registry record under `prefix`, decoded, in key order.
pub fn load_all<T: Value>(state: &State, prefix: &str) -> Result<Vec<T>> {
    state
        .records_under(prefix)
        .map(|(key, record)| read(key, record))
        .collect()
}

/// Every registry record under `prefix`, in key order, each shared with
/// the other readers of its version rather than copied.
pub fn load_all_shared<T: Value>(state: &State, prefix: &str) -> Result<Vec<Arc<T>>> {
    state
        .records_under(prefix)
        .map(|(key, record)| record.shared(|bytes| decode(key, bytes)))
        .collect()
}

/// Every record under `prefix` as of the last flush, copied out under the
/// state's lock and decoded after it is released (for long reads such as
/// extracts, which must not hold the writer's publication up).
pub fn published<T: Value>(ledger: &Ledger, prefix: &str) -> Result<Vec<T>> {
    ledger
        .records_under(prefix)
        .iter()
        .map(|(key, record)| read(key, record))
        .collect()
}

/// Every record under `prefix` with its key's rest, as [`published`].
pub fn published_keyed<T: Value>(ledger: &Ledger, prefix: &str) -> Result<Vec<(String, T)>> {
    ledger
        .records_under(prefix)
        .iter()
        .map(|(key, record)| Ok((key[prefix.len()..].to_string(), read(key, record)?)))
        .collect()
}

/// A registry record to write with a plan.
pub fn json<T: Serialize>(key: String, value: &T) -> (String, String) {
    (
        key,
        serde_json::to_string(value).expect("registry records serialize"),
    )
}
