//! A township federation's operations (DOMAIN.md §6), one in a file, and
//! the answers several of them share ([`respond`]).
use crate::domain::federation::{self as fed, Refusal};
use crate::ledger::state::State;
use crate::ledger::{LedgerError, Result};
use crate::registry;

pub mod add_capital;
pub mod approve_relief;
pub mod contribute;
pub mod create;
pub mod dashboard;
pub mod elect_board;
pub mod membership;
pub mod place;
pub mod reads;
pub mod repay_placement;
pub mod request_relief;
pub mod respond;
pub mod supervision;

/// A refusal of a federation rule, about the request field `subject` names.
pub fn refused(e: Refusal, subject: &str) -> LedgerError {
    LedgerError::rule(e.rule, subject, e.detail)
}

/// Refuses a fund that is not (or no longer) a member of the federation.
pub fn require_member(state: &State, fed_id: &str, fund_id: &str) -> Result<()> {
    registry::profile(state, fund_id)?;
    let current = registry::federation_of(state, fund_id);
    fed::check_member(fed_id, fund_id, current.as_deref()).map_err(|e| refused(e, "fund_id"))
}
