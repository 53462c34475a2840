//! CreateFederation: a township federation's book (no household or loan
//! account of any kind) and its rules (an administrator's call).
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::BookKind;
use crate::domain::federation::FederationRules;
use crate::domain::money::RateCeiling;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, PlannedBook, Result, Store};
use crate::ops::{operation_io, taken, Done, Operation};
use crate::pb;
use crate::registry::{json, keys, FederationProfile};
use crate::wire::decode;

pub struct CreateFederation {
    federation_id: String,
    name: String,
    rules: FederationRules,
}

impl Operation for CreateFederation {
    operation_io!(pb::CreateFederationRequest => pb::FederationResponse, "federation.create");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            name: decode::name("name", &r.name, true)?,
            rules: decode::federation_rules(r.rules.as_ref())?,
        })
    }

    fn within(&self, ceiling: RateCeiling) -> Result<()> {
        decode::federation_rates(&self.rules, ceiling)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let f = &self.federation_id;
        if state.book(f).is_some() {
            return Err(taken("federation_id", format!("book {f:?} already exists")));
        }
        let profile = FederationProfile {
            federation_id: f.clone(),
            name: self.name.clone(),
            rules: self.rules.clone(),
            board: None,
        };
        Ok(Plan {
            books: vec![PlannedBook {
                book_id: f.clone(),
                kind: BookKind::Federation,
                name: self.name.clone(),
            }],
            records: vec![json(keys::federation(f), &profile)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::federation(ledger, &self.federation_id, done.replayed)
    }
}
