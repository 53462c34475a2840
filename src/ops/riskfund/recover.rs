//! ReportRecovery: what the bank recovers on a claimed loan comes back to
//! the fund pro rata to its share of the loss (Dr 1002, Cr 4001).
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::riskfund::{self, recipe};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

use super::LoanAt;

pub struct ReportRecovery {
    at: LoanAt,
    recovered: Decimal,
}

impl Operation for ReportRecovery {
    operation_io!(pb::ReportRecoveryRequest => pb::GuaranteedLoanResponse, "riskfund.recover");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Bank, On::Program(&r.program_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        let recovered = decode::yuan("amount", &r.amount)?;
        Ok(Self {
            at: LoanAt::decode(&r.program_id, &r.loan_id, &r.date)?,
            recovered,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let LoanAt {
            program_id,
            loan_id,
            date,
        } = &self.at;
        registry::program(state, program_id)?;
        let l = registry::guaranteed_loan(state, program_id, loan_id)?;
        let (after, share) = riskfund::recover(&l, self.recovered).map_err(|e| {
            refused_by(
                e,
                &[(riskfund::rule::RECOVERY_AFTER_CLAIM, "loan_id")],
                "amount",
            )
        })?;
        let entry = recipe::recovery(program_id, loan_id, self.recovered, share, *date)?;
        Ok(Plan {
            entries: entry.into_iter().collect(),
            records: vec![json(keys::guaranteed_loan(program_id, loan_id), &after)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
