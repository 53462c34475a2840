//! Bearer tokens, `token/{id}`: the role, scope and label, and only the
//! SHA-256 of the secret (the record type is `auth::TokenRecord`).
use super::{keys, load, load_all};
use crate::auth::TokenRecord;
use crate::ledger::state::State;
use crate::ledger::Result;

pub fn token(state: &State, token_id: &str) -> Result<Option<TokenRecord>> {
    load(state, &keys::token(token_id))
}

pub fn tokens(state: &State) -> Result<Vec<TokenRecord>> {
    load_all(state, keys::TOKENS)
}

/// Whether the store holds any token (a new store holds none).
pub fn has_tokens(state: &State) -> bool {
    state.records_under(keys::TOKENS).next().is_some()
}
