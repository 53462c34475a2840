//! BuyShares: a member buys own shares in whole units of the share price
//! (Dr till, Cr 3002/member).
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::fund::MEMBER_SHARES;
use crate::domain::fund;
use crate::domain::fund::recipe::{self, member_sub, Till};
use crate::domain::money::fen_to_decimal;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

use super::MemberMoney;

pub struct BuyShares {
    m: MemberMoney,
    till: Till,
}

impl Operation for BuyShares {
    operation_io!(pb::BuySharesRequest => pb::MemberResponse, "fund.buy_shares");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundDaily, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            m: MemberMoney::decode(&r.fund_id, &r.member_id, &r.amount, &r.value_date)?,
            till: decode::till(r.till)?,
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
        let held = fen_to_decimal(state.balance(fund_id, MEMBER_SHARES, &member_sub(member_id)));
        fund::buy_shares(&p.rules, &m, held, fen_to_decimal((*amount_fen).into()))
            .map_err(|e| refused_by(e, &[(fund::rule::MEMBER_ACTIVE, "member_id")], "amount"))?;
        Ok(Plan {
            entries: vec![recipe::shares_bought(
                fund_id,
                member_id,
                self.till,
                *amount_fen,
                *date,
            )],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.m.respond(ledger, done)
    }
}
