//! RegisterGuaranteedLoan: the bank registers a loan against the risk fund
//! (eligibility, the program's limits, suspension and the leverage cap; its
//! exposure goes into the memorandum pair, Dr 7001, Cr 7002), or for an
//! interest subsidy only (eligibility; no guarantee, no entry). Its schedule
//! is the bank's when it sends one.
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund::PovertyStatus;
use crate::domain::household::{Flag, RiskCause, Status};
use crate::domain::money::RateCeiling;
use crate::domain::riskfund::{self, recipe, BankInstallment, Registration};
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, refused, refused_by, taken, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

/// The request field each refused rule of a registration is about; the
/// limits on the amount (the program's maximum, the leverage cap) are about
/// `principal`.
const REGISTRATION_FIELDS: &[(&str, &str)] = &[
    (riskfund::rule::ELIGIBLE, "poverty_status"),
    (riskfund::rule::AGE_LIMIT, "birth_date"),
    (riskfund::rule::TERM_MAX, "term_months"),
    (riskfund::rule::SUSPENDED, "program_id"),
];

/// The borrower's status: flags (validated: a monitored household names its
/// cause), or one value as registrations gave it before the flags.
fn household(
    r: &pb::RegisterGuaranteedLoanRequest,
) -> Result<(PovertyStatus, Vec<Flag>, Option<RiskCause>)> {
    let cause = decode::risk_cause(r.cause)?;
    if r.flags.is_empty() {
        let status = decode::poverty_status(r.poverty_status, "poverty_status")?;
        return Ok((status, Vec::new(), cause));
    }
    if r.poverty_status != 0 {
        return Err(LedgerError::invalid(
            "poverty_status",
            "is left unspecified when flags are given: give the flags or the status, not both",
        ));
    }
    let flags = decode::household_flags("flags", &r.flags)?;
    let status = Status::new(&flags, cause).map_err(|e| refused(e, "flags"))?;
    Ok((status.primary(), status.flags().collect(), cause))
}

pub struct RegisterGuaranteedLoan {
    program_id: String,
    registration: Registration,
    schedule: Vec<BankInstallment>,
}

impl Operation for RegisterGuaranteedLoan {
    operation_io!(pb::RegisterGuaranteedLoanRequest => pb::GuaranteedLoanResponse, "riskfund.register");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Bank, On::Program(&r.program_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        let principal = decode::yuan("principal", &r.principal)?;
        let (program_id, loan_id, household_id, borrower_name) = (
            decode::book_id("program_id", &r.program_id)?,
            decode::ident("loan_id", &r.loan_id)?,
            decode::ident("household_id", &r.household_id)?,
            decode::name("borrower_name", &r.borrower_name, true)?,
        );
        let (poverty_status, flags, cause) = household(r)?;
        let purpose = decode::bank::purpose(r.purpose, &r.business)?;
        Ok(Self {
            program_id,
            schedule: decode::bank::schedule(&r.schedule)?,
            registration: Registration {
                loan_id,
                household_id,
                borrower_name,
                poverty_status,
                flags,
                cause,
                birth_date: decode::calendar_date("birth_date", &r.birth_date)?,
                principal,
                term_months: decode::term_months(r.term_months)?,
                rate_annual: decode::rate("rate_annual", &r.rate_annual)?,
                method: decode::method(r.method)?,
                date: decode::date("date", &r.date)?,
                subsidy_only: r.subsidy_only,
                purpose: Some(purpose),
            },
        })
    }

    fn within(&self, ceiling: RateCeiling) -> Result<()> {
        let rate = ("rate_annual", self.registration.rate_annual);
        decode::rates_within(ceiling, &[rate])
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (id, reg) = (&self.program_id, &self.registration);
        let p = registry::program(state, id)?;
        if registry::find_guaranteed_loan(state, id, &reg.loan_id)?.is_some() {
            let what = format!("loan {:?} is registered in program {id:?}", reg.loan_id);
            return Err(taken("loan_id", what));
        }
        let (s, _) = super::standing(state, &p, reg.date)?;
        let l = riskfund::register(&p.rules, reg.clone(), &self.schedule, s)
            .map_err(|e| refused_by(e, REGISTRATION_FIELDS, "principal"))?;
        let memo = format!("guaranteed for {}", l.terms.household_id);
        let entry = super::exposure_entry(state, &p, None, &l, l.terms.date, &memo)?;
        let accounts = if l.guaranteed() {
            recipe::guarantee_accounts(id, &l)
        } else {
            Vec::new()
        };
        Ok(Plan {
            accounts,
            entries: entry.into_iter().collect(),
            records: vec![json(keys::guaranteed_loan(id, &l.terms.loan_id), &l)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        let reg = &self.registration;
        super::loan_response(ledger, &self.program_id, &reg.loan_id, reg.date, done)
    }
}
