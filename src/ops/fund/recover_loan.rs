//! RecoverLoan: money recovered on a written-off loan, at most what was
//! written off, as other income (Dr till, Cr 4003).
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund::recipe::Till;
use crate::domain::loan::rule;
use crate::domain::money::fen_to_decimal;
use crate::domain::servicing::{self, recipe};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

use super::LoanAt;

pub struct RecoverLoan {
    at: LoanAt,
    amount_fen: i64,
    till: Till,
    date: NaiveDate,
}

impl Operation for RecoverLoan {
    operation_io!(pb::RecoverLoanRequest => pb::LoanResponse, "fund.recover");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundDaily, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            at: LoanAt::decode(&r.fund_id, &r.loan_id)?,
            amount_fen: decode::amount("amount", &r.amount)?,
            till: decode::till(r.till)?,
            date: decode::date("date", &r.date)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let LoanAt { fund_id, loan_id } = &self.at;
        let l = registry::loan(state, fund_id, loan_id)?;
        let l = servicing::recover(&l, fen_to_decimal(self.amount_fen.into()))
            .map_err(|e| refused_by(e, &[(rule::STATUS, "loan_id")], "amount"))?;
        let entry = recipe::recovery(fund_id, loan_id, self.till, self.amount_fen, self.date);
        Ok(Plan {
            entries: vec![entry],
            records: registry::loan_records(fund_id, &l).to_vec(),
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
