//! ClaimCompensation: the bank claims on a loan at least the program's
//! threshold past due; the guarantee is called (Dr 7002, Cr 7001) and the
//! fund pays its share of the loss (Dr 5001, Cr 1002).
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::loan::rule::DATE_ORDER;
use crate::domain::riskfund::{self, recipe};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};

use super::LoanAt;

pub struct ClaimCompensation {
    at: LoanAt,
}

impl Operation for ClaimCompensation {
    operation_io!(pb::ClaimCompensationRequest => pb::GuaranteedLoanResponse, "riskfund.claim");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Bank, On::Program(&r.program_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            at: LoanAt::decode(&r.program_id, &r.loan_id, &r.date)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let LoanAt {
            program_id,
            loan_id,
            date,
        } = &self.at;
        let p = registry::program(state, program_id)?;
        let l = registry::guaranteed_loan(state, program_id, loan_id)?;
        let claimed = riskfund::claim(&p.rules, &l, *date)
            .map_err(|e| refused_by(e, &[(DATE_ORDER, "date")], "loan_id"))?;
        let called =
            super::exposure_entry(state, &p, Some(&l), &claimed, *date, "guarantee called")?;
        let paid = recipe::compensation(program_id, &claimed, p.rules.fund_share, *date)?;
        Ok(Plan {
            entries: called.into_iter().chain(paid).collect(),
            records: vec![json(keys::guaranteed_loan(program_id, loan_id), &claimed)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
