//! FormGuaranteeGroup: a joint-liability guarantee group (联保小组) of
//! member households, each in one group at most.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund;
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, refused, taken, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::{decode, encode};

pub struct FormGuaranteeGroup {
    fund_id: String,
    group_id: String,
    date: NaiveDate,
    member_ids: Vec<String>,
}

impl Operation for FormGuaranteeGroup {
    operation_io!(pb::FormGuaranteeGroupRequest => pb::GuaranteeGroupResponse, "fund.form_group");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundDaily, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            group_id: decode::ident("group_id", &r.group_id)?,
            date: decode::date("date", &r.date)?,
            member_ids: decode::idents("member_ids", &r.member_ids)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (id, gid) = (&self.fund_id, &self.group_id);
        let p = registry::profile(state, id)?;
        if registry::group(state, id, gid)?.is_some() {
            return Err(taken(
                "group_id",
                format!("guarantee group {gid:?} already exists"),
            ));
        }
        let members = self
            .member_ids
            .iter()
            .map(|m| {
                Ok((
                    registry::member(state, id, m)?,
                    registry::group_of(state, id, m)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let g = fund::form_group(&p.rules, gid, &members, self.date)
            .map_err(|e| refused(e, "member_ids"))?;
        let mut records: Vec<(String, String)> = g
            .members
            .iter()
            .map(|m| json(keys::group_of(id, m), gid))
            .collect();
        records.push(json(keys::group(id, gid), &g));
        Ok(Plan {
            records,
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        let g = registry::group(&ledger.state(), &self.fund_id, &self.group_id)?
            .ok_or_else(|| LedgerError::Internal("the group just formed is missing".into()))?;
        Ok(pb::GuaranteeGroupResponse {
            group_id: g.group_id,
            member_ids: g.members,
            formed: encode::date(g.formed),
            replayed: done.replayed,
        })
    }
}
