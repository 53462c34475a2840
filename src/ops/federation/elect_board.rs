//! ElectBoard: the federation's board and supervisors, elected by member
//! funds' delegates, all farmers; a township official may not chair it.
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::federation::{self as fed, Board};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

use super::refused;

pub struct ElectBoard {
    federation_id: String,
    board: Board,
}

impl Operation for ElectBoard {
    operation_io!(pb::ElectBoardRequest => pb::FederationResponse, "federation.elect");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            board: Board {
                chair: decode::officer("chair", r.chair.as_ref())?,
                directors: decode::officers("directors", &r.directors)?,
                supervisors: decode::officers("supervisors", &r.supervisors)?,
                elected_on: decode::date("date", &r.date)?,
            },
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let f = &self.federation_id;
        let mut p = registry::federation(state, f)?;
        fed::check_board(&self.board, &registry::member_funds(state, f)?)
            .map_err(|(at, e)| refused(e, &at))?;
        p.board = Some(self.board.clone());
        Ok(Plan {
            records: vec![json(keys::federation(f), &p)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::federation(ledger, &self.federation_id, done.replayed)
    }
}
