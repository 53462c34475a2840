//! `huzhu migrate`: brings a store written by an earlier build up to this
//! build's registry, by an ordinary plan on the writer (so the change is
//! one atomic, durable, idempotent write). Today that is the index of loans
//! by member ([`registry::new_loan`]), which stores from before it lack.
use crate::ledger::{payload_hash, Ledger, Plan, Result};
use crate::registry;

/// The request id of the migration: a run cut short and run again answers
/// from the first run, and a migrated store is left alone.
const REQUEST: &str = "migrate-loan-index";

/// Writes what the store lacks; answers how many records were written (0
/// when it was up to date).
pub async fn run(ledger: &Ledger) -> Result<usize> {
    let missing = registry::loan_index_missing(&ledger.state())?.len();
    if missing == 0 {
        return Ok(0);
    }
    ledger
        .apply(
            REQUEST.into(),
            "huzhu-migrate".into(),
            payload_hash("migrate.loan_index", &()),
            Box::new(|state, _| {
                Ok(Plan {
                    records: registry::loan_index_missing(state)?,
                    ..Plan::default()
                })
            }),
            false,
        )
        .await?;
    Ok(missing)
}
