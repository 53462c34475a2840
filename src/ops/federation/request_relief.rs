//! RequestRelief: relief asked for a member fund's written-off loan, at most
//! its unrecovered loss; granted when another token approves it.
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::federation::{self as fed, Grant};
use crate::domain::money::fen_to_decimal;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, taken, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

use super::{refused, require_member};

pub struct RequestRelief {
    federation_id: String,
    grant: Grant,
}

impl Operation for RequestRelief {
    operation_io!(pb::RequestReliefRequest => pb::ReliefResponse, "federation.request_relief");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::Any(vec![
            (Act::FundTreasurer, On::Fund(&r.fund_id)),
            (Act::Federation, On::Federation(&r.federation_id)),
        ])
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            grant: Grant {
                grant_id: decode::ident("grant_id", &r.grant_id)?,
                fund_id: decode::book_id("fund_id", &r.fund_id)?,
                loan_id: decode::ident("loan_id", &r.loan_id)?,
                amount: fen_to_decimal(decode::amount("amount", &r.amount)?.into()),
                reason: decode::name("reason", &r.reason, true)?,
                requested_on: decode::date("date", &r.date)?,
                requested_by: caller.actor(),
                approved_by: None,
                approved_on: None,
            },
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (f, g) = (&self.federation_id, &self.grant);
        registry::federation(state, f)?;
        require_member(state, f, &g.fund_id)?;
        if registry::find_grant(state, f, &g.grant_id)?.is_some() {
            return Err(taken(
                "grant_id",
                format!("grant {:?} already exists", g.grant_id),
            ));
        }
        let l = registry::loan(state, &g.fund_id, &g.loan_id)?;
        let granted: Decimal = registry::grants(state, f)?
            .iter()
            .filter(|x| x.fund_id == g.fund_id && x.loan_id == g.loan_id)
            .map(|x| x.amount)
            .sum();
        let loss = fed::unrecovered_loss(&l, granted);
        // Relief for a loan with no loss to cover is about the loan; more
        // than the loss, about the amount.
        let field = if loss > Decimal::ZERO {
            "amount"
        } else {
            "loan_id"
        };
        fed::check_request(g.amount, loss).map_err(|e| refused(e, field))?;
        Ok(Plan {
            records: vec![json(keys::grant(f, &g.grant_id), g)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::relief(ledger, &self.federation_id, done)
    }
}
