//! ClaimSubsidy, ApproveSubsidy and PaySubsidy: an accrued period's claim
//! from the finance bureau, its approval by another actor (Dr 1203, Cr
//! 3002), and its payment to each payee (Dr 2201/payee, Cr 1203; a fund's
//! bank receives it).
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::subsidy::{recipe, PeriodRecord};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, PlannedEntry, Result, Store};
use crate::ops::{operation_io, refused, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

use super::PeriodAt;

/// A period step, as the request names it, with the caller and value date.
pub struct Step {
    at: PeriodAt,
    date: Option<NaiveDate>,
    actor: String,
}

impl Step {
    fn decode(r: &pb::SubsidyPeriodRequest, caller: &Caller) -> Result<Self> {
        let at = PeriodAt::decode(r)?;
        Ok(Self {
            at,
            date: decode::optional_date("date", &r.date)?,
            actor: caller.actor(),
        })
    }

    /// The period as it is, and the plan storing what `decide` makes of it.
    fn plan(
        &self,
        state: &State,
        decide: impl FnOnce(&PeriodRecord) -> Result<(PeriodRecord, Vec<PlannedEntry>)>,
    ) -> Result<Plan> {
        let at = &self.at;
        registry::scheme(state, &at.program_id, &at.scheme_id)?;
        let p = registry::period(state, &at.program_id, &at.scheme_id, &at.period_text)?;
        let (after, entries) = decide(&p)?;
        let key = keys::period(&at.program_id, &at.scheme_id, &at.period_text);
        Ok(Plan {
            entries,
            records: vec![json(key, &after)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<pb::SubsidyStatement> {
        self.at.respond(ledger, done)
    }
}

/// The program's bank claims the period's subsidies.
pub struct ClaimSubsidy(Step);

impl Operation for ClaimSubsidy {
    operation_io!(pb::SubsidyPeriodRequest => pb::SubsidyStatement, "subsidy.claim");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Bank, On::Program(&r.program_id))
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        Step::decode(r, caller).map(Self)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        self.0.plan(state, |p| {
            Ok((
                p.claim(&self.0.actor).map_err(|e| refused(e, "period"))?,
                Vec::new(),
            ))
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.0.respond(ledger, done)
    }
}

/// The finance bureau approves a claimed period (not the claimant).
pub struct ApproveSubsidy(Step);

impl Operation for ApproveSubsidy {
    operation_io!(pb::SubsidyPeriodRequest => pb::SubsidyStatement, "subsidy.approve");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        Step::decode(r, caller).map(Self)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let step = &self.0;
        step.plan(state, |p| {
            let approved = p.approve(&step.actor).map_err(|e| refused(e, "period"))?;
            let date = p
                .settlement_date(step.date)
                .map_err(|e| refused(e, "date"))?;
            let entry = recipe::approval(&step.at.program_id, &p.period, date, p.total())?;
            Ok((approved, entry.into_iter().collect()))
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.0.respond(ledger, done)
    }
}

/// The finance bureau pays an approved period.
pub struct PaySubsidy(Step);

impl Operation for PaySubsidy {
    operation_io!(pb::SubsidyPeriodRequest => pb::SubsidyStatement, "subsidy.pay");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        Step::decode(r, caller).map(Self)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let step = &self.0;
        step.plan(state, |p| {
            let paid = p.pay().map_err(|e| refused(e, "period"))?;
            let date = p
                .settlement_date(step.date)
                .map_err(|e| refused(e, "date"))?;
            Ok((paid, recipe::payments(&step.at.program_id, p, date)?))
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.0.respond(ledger, done)
    }
}
