//! DisburseLoan: an approved loan is paid out, within the fund's limits for
//! the borrower's standing that day; its schedule is computed and stored,
//! and its principal and fee receivable accounts open.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund::recipe::Till;
use crate::domain::loan::{self, recipe, rule};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

use super::LoanAt;

pub struct DisburseLoan {
    at: LoanAt,
    till: Till,
    date: NaiveDate,
}

impl Operation for DisburseLoan {
    operation_io!(pb::DisburseLoanRequest => pb::LoanResponse, "fund.disburse_loan");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            at: LoanAt::decode(&r.fund_id, &r.loan_id)?,
            till: decode::till(r.till)?,
            date: decode::date("date", &r.date)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let LoanAt { fund_id, loan_id } = &self.at;
        let p = registry::profile(state, fund_id)?;
        let approved = registry::loan(state, fund_id, loan_id)?;
        let standing = super::borrower(state, fund_id, &approved, self.date)?;
        let l = loan::disburse(&p.rules, &approved, self.date, &standing)
            .map_err(|e| refused_by(e, &[(rule::DATE_ORDER, "date")], "loan_id"))?;
        Ok(Plan {
            accounts: recipe::loan_accounts(fund_id, loan_id, &l.member_id),
            entries: recipe::disbursement(fund_id, &l, self.till, self.date)?,
            records: registry::loan_records(fund_id, &l).to_vec(),
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
