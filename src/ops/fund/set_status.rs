//! SetPovertyStatus: a change of a household's poverty status, kept with
//! its history.
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund::{self, StatusChange};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode::{self, StatusGiven};

pub struct SetPovertyStatus {
    fund_id: String,
    member_id: String,
    change: StatusChange,
}

impl Operation for SetPovertyStatus {
    operation_io!(pb::SetPovertyStatusRequest => pb::MemberResponse, "fund.status");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundDaily, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        let fund_id = decode::book_id("fund_id", &r.fund_id)?;
        let member_id = decode::ident("member_id", &r.member_id)?;
        Ok(Self {
            fund_id,
            member_id,
            change: decode::status_change(
                decode::date("date", &r.date)?,
                StatusGiven {
                    status: r.status,
                    status_field: "status",
                    flags: &r.flags,
                    cause: r.cause,
                    note: &r.risk_cause,
                },
            )?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let m = registry::member(state, &self.fund_id, &self.member_id)?;
        let changed = fund::change_status(&m, self.change.clone()).map_err(|e| {
            refused_by(
                e,
                &[
                    (fund::rule::MEMBER_ACTIVE, "member_id"),
                    (fund::rule::STATUS_DATE_ORDER, "date"),
                    (fund::rule::MONITORED_CAUSE, "cause"),
                ],
                "status",
            )
        })?;
        Ok(Plan {
            records: vec![json(keys::member(&self.fund_id, &self.member_id), &changed)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::member(ledger, &self.fund_id, &self.member_id, done)
    }
}
