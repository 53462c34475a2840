//! Bearer tokens, `token/{id}`: the role, scope and label, and only the
//! SHA-256 of the secret (the record type is `auth::TokenRecord`); and
//! `tokenissue/{request id}`, the id of the token a request issued.
use super::{keys, load, load_all};
use crate::auth::TokenRecord;
use crate::ledger::state::State;
use crate::ledger::Result;

pub fn token(state: &State, token_id: &str) -> Result<Option<TokenRecord>> {
    load(state, &keys::token(token_id))
}

/// The id of the token `request_id` issued: from its `tokenissue/` record,
/// or, for a token issued before ids were random (no such record), the id
/// its request id derived.
pub fn token_issued(state: &State, request_id: &str) -> Result<String> {
    Ok(load(state, &keys::token_issue(request_id))?
        .unwrap_or_else(|| crate::auth::derived_token_id(request_id)))
}

pub fn tokens(state: &State) -> Result<Vec<TokenRecord>> {
    load_all(state, keys::TOKENS)
}

/// Whether the store holds any token (a new store holds none).
pub fn has_tokens(state: &State) -> bool {
    state.records_under(keys::TOKENS).next().is_some()
}
