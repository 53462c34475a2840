//! Bearer tokens: issued and revoked by an administrator, listed, and "who
//! am I" for any caller; the first admin token of a new store; and the
//! writer's check that a caller's token was not revoked after the gate.
use crate::auth::TokenRecord;
use crate::ledger::state::State;
use crate::ledger::{LedgerError, Result};
use crate::registry;

pub mod admin_file;
pub mod issue;
pub mod reads;
pub mod revoke;

/// Refuses, on the writer, an operation whose caller's token was revoked
/// after the gate let the call in: the gate and the write are not one step.
pub fn still_valid(state: &State, actor: &str) -> Result<()> {
    let token_id = actor.split('/').next().unwrap_or_default();
    let record: Option<TokenRecord> = registry::token(state, token_id)?;
    match record.and_then(|r| r.revoked_at) {
        Some(at) => Err(LedgerError::rule(
            "token_revoked",
            "authorization",
            format!("token {token_id} was revoked at {at}, before this call was recorded"),
        )),
        None => Ok(()),
    }
}

/// Now, as tokens record it.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A token as stored, or NOT_FOUND naming `token_id`.
fn stored(state: &State, token_id: &str) -> Result<TokenRecord> {
    registry::token(state, token_id)?
        .ok_or_else(|| LedgerError::not_found("token_id", format!("token {token_id:?}")))
}
