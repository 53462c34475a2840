//! RequestWriteOff: a write-off asked for after the board's decision, kept
//! on the loan until another token approves it (WriteOffLoan).
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::servicing;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

use super::LoanAt;

pub struct RequestWriteOff {
    at: LoanAt,
    decision: String,
    asker: String,
}

impl Operation for RequestWriteOff {
    operation_io!(pb::RequestWriteOffRequest => pb::LoanResponse, "fund.request_write_off");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundDaily, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        Ok(Self {
            at: LoanAt::decode(&r.fund_id, &r.loan_id)?,
            decision: decode::name("board_decision", &r.board_decision, true)?,
            asker: caller.actor(),
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let LoanAt { fund_id, loan_id } = &self.at;
        registry::profile(state, fund_id)?;
        let l = registry::loan(state, fund_id, loan_id)?;
        let asked = servicing::request_write_off(&l, &self.asker, &self.decision)
            .map_err(|e| refused(e, "loan_id"))?;
        Ok(Plan {
            records: registry::loan_records(fund_id, &asked).to_vec(),
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
