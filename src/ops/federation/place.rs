//! PlaceWithFederation and LendToFund: the two legs of balancing (余缺调剂).
//! A fund with idle cash places it with the federation; the federation
//! places it with a fund short of cash. Each is one entry across the two
//! books, within the limit share of the fund's capital.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::federation::{self as fed, recipe, Direction};
use crate::domain::money::fen_to_decimal;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, taken, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

use super::{refused, require_member};

/// A placement either way, as the request names it.
pub struct Place {
    federation_id: String,
    placement_id: String,
    fund_id: String,
    amount_fen: i64,
    date: NaiveDate,
}

impl Place {
    fn decode(r: &pb::PlaceRequest) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            placement_id: decode::ident("placement_id", &r.placement_id)?,
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            amount_fen: decode::amount("amount", &r.amount)?,
            date: decode::date("value_date", &r.value_date)?,
        })
    }

    /// The limit, then one entry across the two books and the placement's record.
    fn plan(&self, state: &State, direction: Direction) -> Result<Plan> {
        let (f, p_id, fund_id) = (&self.federation_id, &self.placement_id, &self.fund_id);
        let p = registry::federation(state, f)?;
        require_member(state, f, fund_id)?;
        if registry::find_placement(state, f, p_id)?.is_some() {
            let what = format!("placement {p_id:?} already exists in federation {f:?}");
            return Err(taken("placement_id", what));
        }
        let value = fen_to_decimal(self.amount_fen.into());
        let capital = fen_to_decimal(state.equity(fund_id));
        let already = fed::outstanding(&registry::placements(state, f)?, fund_id, direction);
        fed::check_limit(&p.rules, direction, capital, already, value)
            .map_err(|e| refused(e, "amount"))?;
        let placed = fed::placement(&p.rules, direction, p_id, fund_id, value, self.date);
        let (account, entry) = recipe::placed(f, &placed)?;
        Ok(Plan {
            accounts: vec![account],
            entries: vec![entry],
            records: vec![json(keys::placement(f, p_id), &placed)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<pb::PlacementResponse> {
        super::respond::placement(ledger, &self.federation_id, &self.placement_id, done)
    }
}

/// A fund's idle cash placed with its federation (the fund treasurer's call).
pub struct PlaceWithFederation(Place);

impl Operation for PlaceWithFederation {
    operation_io!(pb::PlaceRequest => pb::PlacementResponse, "federation.place");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Place::decode(r).map(Self)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        self.0.plan(state, Direction::FromFund)
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.0.respond(ledger, done)
    }
}

/// The federation's money placed with a fund short of cash (its treasurer's call).
pub struct LendToFund(Place);

impl Operation for LendToFund {
    operation_io!(pb::PlaceRequest => pb::PlacementResponse, "federation.lend");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Federation, On::Federation(&r.federation_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Place::decode(r).map(Self)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        self.0.plan(state, Direction::ToFund)
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.0.respond(ledger, done)
    }
}
