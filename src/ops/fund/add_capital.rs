//! AddCapital: seed capital from a government source, or a donation, into
//! the cash box or the bank (Dr till, Cr 3001/source or 3004).
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund::recipe::{self, Capital, Till};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

pub struct AddCapital {
    fund_id: String,
    source: Capital,
    amount_fen: i64,
    till: Till,
    date: NaiveDate,
}

impl Operation for AddCapital {
    operation_io!(pb::AddCapitalRequest => pb::OperationResponse, "fund.capital");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            source: decode::capital(r.source)?,
            amount_fen: decode::amount("amount", &r.amount)?,
            till: decode::till(r.till)?,
            date: decode::date("value_date", &r.value_date)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        registry::profile(state, &self.fund_id)?;
        let entry = recipe::capital_in(
            &self.fund_id,
            self.till,
            self.source,
            self.amount_fen,
            self.date,
        );
        Ok(Plan {
            entries: vec![entry],
            ..Plan::default()
        })
    }

    fn respond(&self, _: &Ledger, done: Done) -> Result<Self::Response> {
        Ok(super::respond::operation(done))
    }
}
