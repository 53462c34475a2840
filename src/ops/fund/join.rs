//! JoinMember: a household joins (18 or older, resident, one member per
//! household); its share and payable accounts open with it.
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund::{self, recipe, rule, Joining, Member};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, taken, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys, Household};
use crate::wire::decode::{self, StatusGiven};

/// The request field each refused rule of a join is about.
const JOIN_FIELDS: &[(&str, &str)] = &[
    (rule::MEMBER_AGE, "birth_date"),
    (rule::MEMBER_RESIDENT, "resident"),
    (rule::MONITORED_CAUSE, "cause"),
];

pub struct JoinMember {
    fund_id: String,
    joining: Joining,
}

impl Operation for JoinMember {
    operation_io!(pb::JoinMemberRequest => pb::MemberResponse, "fund.join");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundDaily, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        let date = decode::date("date", &r.date)?;
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            joining: Joining {
                member_id: decode::ident("member_id", &r.member_id)?,
                household_id: decode::ident("household_id", &r.household_id)?,
                name: decode::name("name", &r.name, true)?,
                birth_date: decode::calendar_date("birth_date", &r.birth_date)?,
                resident: r.resident,
                status: decode::status_change(
                    date,
                    StatusGiven {
                        status: r.status,
                        status_field: "status",
                        flags: &r.flags,
                        cause: r.cause,
                        note: &r.risk_cause,
                    },
                )?,
            },
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (id, j) = (&self.fund_id, &self.joining);
        let p = registry::profile(state, id)?;
        if registry::find_member(state, id, &j.member_id)?.is_some() {
            let what = format!("member {:?} already exists in fund {id:?}", j.member_id);
            return Err(taken("member_id", what));
        }
        let standing = match registry::household(state, id, &j.household_id)? {
            Some(h) => Some(registry::member(state, id, &h.member_id)?).filter(Member::active),
            None => None,
        };
        let m = fund::join(&p.rules, j.clone(), standing.as_ref())
            .map_err(|e| refused_by(e, JOIN_FIELDS, "household_id"))?;
        let household = Household {
            member_id: m.member_id.clone(),
        };
        Ok(Plan {
            accounts: recipe::member_accounts(id, &m.member_id, &m.name),
            records: vec![
                json(keys::member(id, &m.member_id), &m),
                json(keys::household(id, &j.household_id), &household),
            ],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::member(ledger, &self.fund_id, &self.joining.member_id, done)
    }
}
