//! AllocateShares: shares for a registered poor household paid from seed
//! capital (配股: Dr 3001/source, Cr 3003/member); never refunded.
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund;
use crate::domain::fund::recipe::{self, SeedSource};
use crate::domain::money::fen_to_decimal;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

use super::MemberMoney;

pub struct AllocateShares {
    m: MemberMoney,
    source: SeedSource,
}

impl Operation for AllocateShares {
    operation_io!(pb::AllocateSharesRequest => pb::MemberResponse, "fund.allocate_shares");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            m: MemberMoney::decode(&r.fund_id, &r.member_id, &r.amount, &r.value_date)?,
            source: decode::seed_source(r.source)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let MemberMoney {
            fund_id,
            member_id,
            amount_fen,
            date,
        } = &self.m;
        let p = registry::profile(state, fund_id)?;
        let m = registry::member(state, fund_id, member_id)?;
        fund::allocate_shares(&p.rules, &m, fen_to_decimal((*amount_fen).into()))
            .map_err(|e| refused_by(e, &[(fund::rule::SHARE_MULTIPLE, "amount")], "member_id"))?;
        let entry = recipe::shares_allocated(fund_id, member_id, self.source, *amount_fen, *date);
        Ok(Plan {
            entries: vec![entry],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.m.respond(ledger, done)
    }
}
