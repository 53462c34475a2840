//! The answers federation operations share: the federation, a placement,
//! the relief pool with its history.
use chrono::NaiveDate;

use crate::domain::chart::code::federation::{BANK, RELIEF_POOL};
use crate::domain::money::{format_fen, format_yuan};
use crate::ledger::{Ledger, Result};
use crate::ops::Done;
use crate::pb;
use crate::registry;
use crate::wire::encode;

pub fn federation(ledger: &Ledger, id: &str, replayed: bool) -> Result<pb::FederationResponse> {
    let state = &*ledger.state();
    let p = registry::federation(state, id)?;
    let board = p.board.as_ref();
    Ok(pb::FederationResponse {
        member_funds: registry::member_funds(state, id)?,
        chair: board.map(|b| encode::officer(&b.chair)),
        directors: board
            .map(|b| b.directors.iter().map(encode::officer).collect())
            .unwrap_or_default(),
        supervisors: board
            .map(|b| b.supervisors.iter().map(encode::officer).collect())
            .unwrap_or_default(),
        board_elected_on: encode::optional_date(board.map(|b| b.elected_on)),
        bank: format_fen(state.balance(id, BANK, "")),
        rules: Some(encode::federation_rules(&p.rules)),
        federation_id: p.federation_id,
        name: p.name,
        replayed,
    })
}

pub fn placement(
    ledger: &Ledger,
    fed_id: &str,
    id: &str,
    done: Done,
) -> Result<pb::PlacementResponse> {
    let p = registry::placement(&ledger.state(), fed_id, id)?;
    Ok(pb::PlacementResponse {
        placement: Some(encode::placement(&p)),
        entry_seqs: done.seqs,
        replayed: done.replayed,
    })
}

/// The pool and its history: contributions, grants asked for and approved, by date.
pub fn relief(ledger: &Ledger, fed_id: &str, done: Done) -> Result<pb::ReliefResponse> {
    let state = &*ledger.state();
    registry::federation(state, fed_id)?;
    let mut history: Vec<pb::ReliefLine> = registry::contributions(state, fed_id)?
        .iter()
        .map(|c| pb::ReliefLine {
            id: c.contribution_id.clone(),
            kind: pb::ReliefKind::Contribution as i32,
            fund_id: c.fund_id.clone(),
            amount: format_yuan(c.amount),
            date: encode::date(c.date),
            actor: c.actor.clone(),
            detail: c.basis.clone(),
        })
        .collect();
    for g in &registry::grants(state, fed_id)? {
        let line = |kind: pb::ReliefKind, date: NaiveDate, actor: &str| pb::ReliefLine {
            id: g.grant_id.clone(),
            kind: kind as i32,
            fund_id: g.fund_id.clone(),
            amount: format_yuan(g.amount),
            date: encode::date(date),
            actor: actor.to_string(),
            detail: format!("loan {}: {}", g.loan_id, g.reason),
        };
        history.push(line(
            pb::ReliefKind::GrantRequested,
            g.requested_on,
            &g.requested_by,
        ));
        if let (Some(by), Some(on)) = (&g.approved_by, g.approved_on) {
            history.push(line(pb::ReliefKind::GrantApproved, on, by));
        }
    }
    history.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(pb::ReliefResponse {
        pool: format_fen(state.balance(fed_id, RELIEF_POOL, "")),
        history,
        entry_seqs: done.seqs,
        replayed: done.replayed,
    })
}
