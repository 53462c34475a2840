//! CreateSubsidyScheme: a program's subsidy scheme: the loan's own rate or
//! a fixed one, settled monthly or quarterly, to the bank or the borrower,
//! for loans up to its principal and term limits.
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::money::RateCeiling;
use crate::domain::schedule::MAX_TERM_MONTHS;
use crate::domain::subsidy::{Kind, Scheme};
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, taken, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

fn kind(r: &pb::CreateSubsidySchemeRequest) -> Result<Kind> {
    match pb::SubsidyKind::try_from(r.kind) {
        Ok(pb::SubsidyKind::Full) if r.rate_annual.is_empty() => Ok(Kind::Full),
        Ok(pb::SubsidyKind::Full) => Err(LedgerError::invalid(
            "rate_annual",
            "must be empty for a FULL subsidy (the loan's rate)",
        )),
        Ok(pb::SubsidyKind::Fixed) => {
            let rate = decode::rate("rate_annual", &r.rate_annual)?;
            if rate.is_zero() {
                return Err(LedgerError::invalid("rate_annual", "must be above 0"));
            }
            Ok(Kind::Fixed(rate))
        }
        _ => Err(LedgerError::invalid("kind", "must be FULL or FIXED")),
    }
}

/// (quarterly, pay the borrower)
fn settlement(r: &pb::CreateSubsidySchemeRequest) -> Result<(bool, bool)> {
    let quarterly = match pb::Settlement::try_from(r.settlement) {
        Ok(pb::Settlement::Monthly) => false,
        Ok(pb::Settlement::Quarterly) => true,
        _ => {
            return Err(LedgerError::invalid(
                "settlement",
                "must be MONTHLY or QUARTERLY",
            ))
        }
    };
    let pay_borrower = match pb::Payee::try_from(r.payee) {
        Ok(pb::Payee::Bank) => false,
        Ok(pb::Payee::Borrower) => true,
        _ => return Err(LedgerError::invalid("payee", "must be BANK or BORROWER")),
    };
    Ok((quarterly, pay_borrower))
}

/// The largest principal and longest term the scheme subsidizes; none
/// given: the defaults.
fn limits(r: &pb::CreateSubsidySchemeRequest) -> Result<(Option<Decimal>, Option<u32>)> {
    let principal_max = match r.principal_max.as_str() {
        "" => None,
        text => Some(decode::yuan("principal_max", text)?),
    };
    let term_max = match r.term_max_months {
        0 => None,
        months if months <= MAX_TERM_MONTHS => Some(months),
        _ => {
            return Err(LedgerError::invalid(
                "term_max_months",
                format!("must be from 1 to {MAX_TERM_MONTHS} months"),
            ))
        }
    };
    Ok((principal_max, term_max))
}

pub struct CreateSubsidyScheme {
    program_id: String,
    scheme: Scheme,
}

impl Operation for CreateSubsidyScheme {
    operation_io!(pb::CreateSubsidySchemeRequest => pb::SubsidySchemeResponse, "subsidy.create");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        let kind = kind(r)?;
        let (quarterly, pay_borrower) = settlement(r)?;
        let limits = limits(r)?;
        Ok(Self {
            program_id: decode::book_id("program_id", &r.program_id)?,
            scheme: Scheme::new(
                decode::ident("scheme_id", &r.scheme_id)?,
                (kind, quarterly, pay_borrower),
                limits,
            ),
        })
    }

    fn within(&self, ceiling: RateCeiling) -> Result<()> {
        match self.scheme.kind {
            Kind::Fixed(rate) => decode::rates_within(ceiling, &[("rate_annual", rate)]),
            Kind::Full => Ok(()),
        }
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (id, s) = (&self.program_id, &self.scheme);
        registry::program(state, id)?;
        if registry::find_scheme(state, id, &s.scheme_id)?.is_some() {
            let what = format!(
                "subsidy scheme {:?} already exists in program {id:?}",
                s.scheme_id
            );
            return Err(taken("scheme_id", what));
        }
        Ok(Plan {
            records: vec![json(keys::scheme(id, &s.scheme_id), s)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::scheme_response(
            ledger,
            &self.program_id,
            &self.scheme.scheme_id,
            done.replayed,
        )
    }
}
