//! ApproveRelief: a requested grant approved by another token than the one
//! that asked, within the pool, and paid (federation Dr 3101, Cr 1002;
//! fund Dr 1002, Cr 4003).
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::federation::RELIEF_POOL;
use crate::domain::federation::{self as fed, recipe};
use crate::domain::money::fen_to_decimal;
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

use super::refused;

pub struct ApproveRelief {
    federation_id: String,
    grant_id: String,
    date: NaiveDate,
    approver: String,
}

impl Operation for ApproveRelief {
    operation_io!(pb::ApproveReliefRequest => pb::ReliefResponse, "federation.approve_relief");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Federation, On::Federation(&r.federation_id))
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            grant_id: decode::ident("grant_id", &r.grant_id)?,
            date: decode::date("value_date", &r.value_date)?,
            approver: caller.actor(),
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (f, gid) = (&self.federation_id, &self.grant_id);
        registry::federation(state, f)?;
        let g = registry::find_grant(state, f, gid)?
            .ok_or_else(|| LedgerError::not_found("grant_id", format!("grant {gid:?} of {f:?}")))?;
        let pool = fen_to_decimal(state.balance(f, RELIEF_POOL, ""));
        let approved = fed::approve(&g, &self.approver, self.date, pool)
            .map_err(|e| refused(e, "grant_id"))?;
        Ok(Plan {
            entries: vec![recipe::relief_grant(f, &g, self.date)?],
            records: vec![json(keys::grant(f, gid), &approved)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::relief(ledger, &self.federation_id, done)
    }
}
