//! LeaveFund: a member leaves after notice and owing nothing; own shares
//! are refunded (allocated shares stay with the fund).
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::fund::MEMBER_SHARES;
use crate::domain::fund;
use crate::domain::fund::recipe::{self, member_sub, Till};
use crate::domain::servicing;
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

pub struct LeaveFund {
    fund_id: String,
    member_id: String,
    notice: NaiveDate,
    date: NaiveDate,
    till: Till,
}

impl Operation for LeaveFund {
    operation_io!(pb::LeaveFundRequest => pb::MemberResponse, "fund.leave");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            member_id: decode::ident("member_id", &r.member_id)?,
            notice: decode::date("notice_date", &r.notice_date)?,
            date: decode::date("date", &r.date)?,
            till: decode::till(r.till)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (id, m_id) = (&self.fund_id, &self.member_id);
        let p = registry::profile(state, id)?;
        let m = registry::member(state, id, m_id)?;
        let owed: Decimal = registry::member_loans(state, id, m_id)?
            .iter()
            .map(|l| servicing::owed(&p.rules, l, self.date))
            .sum();
        let gone = fund::leave(&p.rules, &m, self.notice, self.date, owed)
            .map_err(|e| refused_by(e, &[(fund::rule::LEAVE_NOTICE, "date")], "member_id"))?;
        let own = state.balance(id, MEMBER_SHARES, &member_sub(m_id));
        let mut entries = Vec::new();
        if own > 0 {
            let refund = i64::try_from(own)
                .map_err(|_| LedgerError::Internal("share balance out of range".into()))?;
            entries.push(recipe::shares_refunded(
                id, m_id, self.till, refund, self.date, true,
            ));
        }
        Ok(Plan {
            entries,
            records: vec![json(keys::member(id, m_id), &gone)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::member(ledger, &self.fund_id, &self.member_id, done)
    }
}
