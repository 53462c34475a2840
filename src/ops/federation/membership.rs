//! AdmitFund and RemoveFund: a fund joins one federation at most, and
//! leaves it with nothing open between them (administrators' calls).
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::federation as fed;
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys, Membership};
use crate::wire::decode;

use super::{refused, require_member};

/// The federation, fund and date a membership change names.
pub struct FundAt {
    federation_id: String,
    fund_id: String,
    date: NaiveDate,
}

impl FundAt {
    fn decode(r: &pb::FundMembershipRequest) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            date: decode::date("date", &r.date)?,
        })
    }

    fn record(&self, m: Membership) -> Plan {
        Plan {
            records: vec![json(keys::membership(&self.fund_id), &m)],
            ..Plan::default()
        }
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<pb::FederationResponse> {
        super::respond::federation(ledger, &self.federation_id, done.replayed)
    }
}

pub struct AdmitFund(FundAt);

impl Operation for AdmitFund {
    operation_io!(pb::FundMembershipRequest => pb::FederationResponse, "federation.admit");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        FundAt::decode(r).map(Self)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let at = &self.0;
        registry::federation(state, &at.federation_id)?;
        registry::profile(state, &at.fund_id)?;
        let current = registry::federation_of(state, &at.fund_id);
        fed::check_admission(&at.fund_id, current.as_deref()).map_err(|e| refused(e, "fund_id"))?;
        let m = Membership {
            federation_id: at.federation_id.clone(),
            admitted_on: at.date,
            removed_on: None,
        };
        Ok(at.record(m))
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.0.respond(ledger, done)
    }
}

pub struct RemoveFund(FundAt);

impl Operation for RemoveFund {
    operation_io!(pb::FundMembershipRequest => pb::FederationResponse, "federation.remove");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        FundAt::decode(r).map(Self)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let at = &self.0;
        registry::federation(state, &at.federation_id)?;
        require_member(state, &at.federation_id, &at.fund_id)?;
        let placements = registry::placements(state, &at.federation_id)?;
        fed::check_removal(&at.fund_id, &placements).map_err(|e| refused(e, "fund_id"))?;
        let key = keys::membership(&at.fund_id);
        let mut m = registry::membership(state, &at.fund_id)?
            .ok_or_else(|| LedgerError::Internal(format!("{key} vanished")))?;
        m.removed_on = Some(at.date);
        Ok(at.record(m))
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.0.respond(ledger, done)
    }
}
