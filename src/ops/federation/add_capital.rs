//! AddFederationCapital: the federation's own seed capital from a source
//! (Dr 1002, Cr 3001/source).
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::federation::recipe;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

pub struct AddFederationCapital {
    federation_id: String,
    source: String,
    amount_fen: i64,
    date: NaiveDate,
}

impl Operation for AddFederationCapital {
    operation_io!(pb::AddFederationCapitalRequest => pb::OperationResponse, "federation.capital");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Federation, On::Federation(&r.federation_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            source: decode::ident("source", &r.source)?,
            amount_fen: decode::amount("amount", &r.amount)?,
            date: decode::date("value_date", &r.value_date)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let id = &self.federation_id;
        registry::federation(state, id)?;
        let (account, entry) = recipe::seed_capital(id, &self.source, self.amount_fen, self.date);
        Ok(Plan {
            accounts: vec![account],
            entries: vec![entry],
            ..Plan::default()
        })
    }

    fn respond(&self, _: &Ledger, done: Done) -> Result<Self::Response> {
        Ok(pb::OperationResponse {
            entry_seqs: done.seqs,
            replayed: done.replayed,
        })
    }
}
