//! CreateFund: a new fund's book with its chart, its seed-capital accounts
//! and its rules (an administrator's call).
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::BookKind;
use crate::domain::fund::{recipe, FundRules};
use crate::domain::money::RateCeiling;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, PlannedBook, Result, Store};
use crate::ops::{operation_io, taken, Done, Operation};
use crate::pb;
use crate::registry::{json, keys, FundProfile};
use crate::wire::decode;

pub struct CreateFund {
    fund_id: String,
    name: String,
    rules: FundRules,
}

impl Operation for CreateFund {
    operation_io!(pb::CreateFundRequest => pb::FundResponse, "fund.create");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            name: decode::name("name", &r.name, true)?,
            rules: decode::fund_rules(r.rules.as_ref())?,
        })
    }

    fn within(&self, ceiling: RateCeiling) -> Result<()> {
        decode::fund_rates(&self.rules, ceiling)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let id = &self.fund_id;
        if state.book(id).is_some() {
            return Err(taken("fund_id", format!("book {id:?} already exists")));
        }
        let profile = FundProfile {
            fund_id: id.clone(),
            name: self.name.clone(),
            rules: self.rules.clone(),
        };
        Ok(Plan {
            books: vec![PlannedBook {
                book_id: id.clone(),
                kind: BookKind::Fund,
                name: self.name.clone(),
            }],
            accounts: recipe::seed_accounts(id),
            records: vec![json(keys::fund(id), &profile)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::fund(&ledger.state(), &self.fund_id, done.replayed)
    }
}
