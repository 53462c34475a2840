//! RepayPlacement: a placement repaid in part or whole, with its fee of
//! days/360 on the part repaid: the lender's income, the borrower's expense.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::federation::{self as fed, recipe};
use crate::domain::money::fen_to_decimal;
use crate::domain::posting::fen;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

use super::refused;

pub struct RepayPlacement {
    federation_id: String,
    placement_id: String,
    principal_fen: i64,
    date: NaiveDate,
}

impl Operation for RepayPlacement {
    operation_io!(pb::RepayPlacementRequest => pb::PlacementResponse, "federation.repay");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Federation, On::Federation(&r.federation_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            placement_id: decode::ident("placement_id", &r.placement_id)?,
            principal_fen: decode::amount("principal", &r.principal)?,
            date: decode::date("value_date", &r.value_date)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (f, p_id) = (&self.federation_id, &self.placement_id);
        let rules = registry::federation(state, f)?.rules;
        let p = registry::placement(state, f, p_id)?;
        let principal = fen_to_decimal(self.principal_fen.into());
        let paid = fed::repay(&p, principal, self.date, rules.day_count).map_err(|e| {
            let field = if e.rule == fed::rule::REPAY_NOT_BEFORE_PLACEMENT {
                "value_date"
            } else {
                "principal"
            };
            refused(e, field)
        })?;
        let fen_or_zero = |d: Decimal| if d > Decimal::ZERO { fen(d) } else { Ok(0) };
        let moved = recipe::Repaid {
            principal_fen: self.principal_fen,
            fee_fen: fen_or_zero(paid.fee)?,
            settled_fen: fen_or_zero(paid.settled)?,
        };
        let entry = recipe::repaid(f, &p, moved, self.date);
        Ok(Plan {
            entries: vec![entry],
            records: vec![json(keys::placement(f, p_id), &paid.placement)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::placement(ledger, &self.federation_id, &self.placement_id, done)
    }
}
