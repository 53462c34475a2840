//! RescheduleLoan: a loan replaced (展期) by a new one for its outstanding
//! principal over a new term; unpaid fee and penalty move with it, due at
//! once, and the old loan keeps its history.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::loan::rule;
use crate::domain::servicing::{self, recipe};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, taken, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

use super::LoanAt;

pub struct RescheduleLoan {
    at: LoanAt,
    new_loan_id: String,
    reason: String,
    date: NaiveDate,
    months: u32,
}

impl Operation for RescheduleLoan {
    operation_io!(pb::RescheduleLoanRequest => pb::LoanResponse, "fund.reschedule");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            at: LoanAt::decode(&r.fund_id, &r.loan_id)?,
            new_loan_id: decode::ident("new_loan_id", &r.new_loan_id)?,
            reason: decode::name("reason", &r.reason, true)?,
            date: decode::date("date", &r.date)?,
            months: decode::term_months(r.term_months)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (LoanAt { fund_id, loan_id }, new_id) = (&self.at, &self.new_loan_id);
        let p = registry::profile(state, fund_id)?;
        if registry::find_loan(state, fund_id, new_id)?.is_some() {
            let what = format!("loan {new_id:?} already exists in fund {fund_id:?}");
            return Err(taken("new_loan_id", what));
        }
        let old = registry::loan(state, fund_id, loan_id)?;
        let rs =
            servicing::reschedule(&p.rules, &old, self.date, self.months, new_id, &self.reason)
                .map_err(|e| {
                    refused_by(
                        e,
                        &[(rule::DATE_ORDER, "date"), (rule::TERM_MAX, "term_months")],
                        "loan_id",
                    )
                })?;
        let (accounts, entries) =
            recipe::rescheduling(fund_id, loan_id, self.date, &self.reason, &rs)?;
        Ok(Plan {
            accounts,
            entries,
            records: registry::loan_records(fund_id, &rs.old)
                .into_iter()
                .chain(registry::new_loan(state, fund_id, &rs.new))
                .collect(),
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::loan(ledger, &self.at.fund_id, &self.new_loan_id, done)
    }
}
