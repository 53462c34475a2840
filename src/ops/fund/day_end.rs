//! RunDayEnd: a fund's day-end for a date, once per date and in order:
//! every loan's fee and penalty accrued through it (Dr 1202, Cr 4001/4003).
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::fund::{FEE_INCOME, OTHER_INCOME};
use crate::domain::dates::business_today;
use crate::domain::money::format_fen;
use crate::domain::posting::Side;
use crate::domain::servicing::{self, recipe};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::{decode, encode};

pub struct RunDayEnd {
    fund_id: String,
    date: NaiveDate,
}

impl Operation for RunDayEnd {
    operation_io!(pb::RunDayEndRequest => pb::DayEndResponse, "fund.day_end");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundDaily, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            date: decode::date("date", &r.date)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (id, date) = (&self.fund_id, self.date);
        let p = registry::profile(state, id)?;
        servicing::check_day_end(id, registry::day_end(state, id)?, date, business_today())
            .map_err(|e| refused(e, "date"))?;
        let mut plan = Plan::default();
        for l in registry::loans(state, id)? {
            let (after, accrual) = servicing::accrue(&p.rules, &l, date);
            if let Some(e) = recipe::accrual(id, &l.loan_id, date, accrual)? {
                plan.entries.push(e);
                plan.records.push(registry::accrued_record(id, &after));
            }
        }
        plan.records.push(json(keys::day_end(id), &date));
        Ok(plan)
    }

    /// Totals are read back from the entries the run posted.
    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        let (mut fee, mut penalty) = (0i128, 0i128);
        for entry in ledger.entry_records(&done.seqs)? {
            for posting in &entry.postings {
                match (posting.code.as_str(), posting.side) {
                    (FEE_INCOME, Side::Credit) => fee += i128::from(posting.amount_fen),
                    (OTHER_INCOME, Side::Credit) => penalty += i128::from(posting.amount_fen),
                    _ => {}
                }
            }
        }
        Ok(pb::DayEndResponse {
            date: encode::date(self.date),
            loans_accrued: done.seqs.len() as u32,
            fee_accrued: format_fen(fee),
            penalty_accrued: format_fen(penalty),
            entry_seqs: done.seqs,
            replayed: done.replayed,
        })
    }
}
