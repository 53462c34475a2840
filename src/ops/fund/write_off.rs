//! WriteOffLoan: a requested write-off approved by another token and
//! posted: principal against the risk reserve (3103) up to its balance and
//! to loan losses (5002) beyond it; unpaid fee and penalty out of income.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::fund::RISK_RESERVE;
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

pub struct WriteOffLoan {
    at: LoanAt,
    date: NaiveDate,
    approver: String,
}

impl Operation for WriteOffLoan {
    operation_io!(pb::WriteOffLoanRequest => pb::LoanResponse, "fund.write_off");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        Ok(Self {
            at: LoanAt::decode(&r.fund_id, &r.loan_id)?,
            date: decode::date("date", &r.date)?,
            approver: caller.actor(),
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let LoanAt { fund_id, loan_id } = &self.at;
        let p = registry::profile(state, fund_id)?;
        let l = registry::loan(state, fund_id, loan_id)?;
        let reserve = fen_to_decimal(state.balance(fund_id, RISK_RESERVE, ""));
        let w = servicing::write_off(&p.rules, &l, self.date, reserve, &self.approver)
            .map_err(|e| refused_by(e, &[(rule::DATE_ORDER, "date")], "loan_id"))?;
        Ok(Plan {
            entries: recipe::write_off(fund_id, loan_id, self.date, &w)?,
            records: registry::loan_records(fund_id, &w.loan).to_vec(),
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
