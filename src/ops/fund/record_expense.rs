//! RecordExpense: a management expense paid from the cash box or the bank,
//! kept by category (Dr 5001/expense:{category}, Cr the till); the
//! category's sub-account opens with its first expense.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund::recipe::{self, Till};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

pub struct RecordExpense {
    fund_id: String,
    category: String,
    amount_fen: i64,
    till: Till,
    date: NaiveDate,
    memo: String,
}

impl Operation for RecordExpense {
    operation_io!(pb::RecordExpenseRequest => pb::OperationResponse, "fund.expense");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            category: decode::ident("category", &r.category)?,
            amount_fen: decode::amount("amount", &r.amount)?,
            till: decode::till(r.till)?,
            date: decode::date("value_date", &r.value_date)?,
            memo: decode::memo(&r.memo)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        registry::profile(state, &self.fund_id)?;
        let (opened, paid) = recipe::expense(
            &self.fund_id,
            &self.category,
            self.till,
            self.amount_fen,
            self.date,
            &self.memo,
        );
        Ok(Plan {
            accounts: vec![opened],
            entries: vec![paid],
            ..Plan::default()
        })
    }

    fn respond(&self, _: &Ledger, done: Done) -> Result<Self::Response> {
        Ok(super::respond::operation(done))
    }
}
