//! RefundShares: part of a member's own shares refunded, keeping the
//! minimum holding (Dr 3002/member, Cr till); allocated shares never are.
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::fund::MEMBER_SHARES;
use crate::domain::fund;
use crate::domain::fund::recipe::{self, member_sub, Till};
use crate::domain::money::fen_to_decimal;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

use super::MemberMoney;

pub struct RefundShares {
    m: MemberMoney,
    till: Till,
    allocated: bool,
}

impl Operation for RefundShares {
    operation_io!(pb::RefundSharesRequest => pb::MemberResponse, "fund.refund_shares");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            m: MemberMoney::decode(&r.fund_id, &r.member_id, &r.amount, &r.value_date)?,
            till: decode::till(r.till)?,
            allocated: decode::allocated_class(r.class)?,
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
        if self.allocated {
            return Err(refused(fund::refund_allocated_shares(&m), "class"));
        }
        m.require_active().map_err(|e| refused(e, "member_id"))?;
        let held = state.balance(fund_id, MEMBER_SHARES, &member_sub(member_id));
        fund::refund_shares(
            &p.rules,
            fen_to_decimal(held),
            fen_to_decimal((*amount_fen).into()),
        )
        .map_err(|e| refused(e, "amount"))?;
        let entry =
            recipe::shares_refunded(fund_id, member_id, self.till, *amount_fen, *date, false);
        Ok(Plan {
            entries: vec![entry],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.m.respond(ledger, done)
    }
}
