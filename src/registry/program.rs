//! A county program's records: its profile and rules, the loans guaranteed
//! against its risk fund, its subsidy schemes and their accrued periods.
use serde::{Deserialize, Serialize};

use super::{keys, load, load_all};
use crate::domain::riskfund::{GuaranteedLoan, ProgramRules};
use crate::domain::subsidy::{PeriodRecord, Scheme};
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Result};

/// A program's registry record, `program/{program}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProgramProfile {
    pub program_id: String,
    pub name: String,
    pub rules: ProgramRules,
}

pub fn program(state: &State, program_id: &str) -> Result<ProgramProfile> {
    load(state, &keys::program(program_id))?
        .ok_or_else(|| LedgerError::not_found("program_id", format!("program {program_id:?}")))
}

pub fn find_guaranteed_loan(
    state: &State,
    program_id: &str,
    loan_id: &str,
) -> Result<Option<GuaranteedLoan>> {
    load(state, &keys::guaranteed_loan(program_id, loan_id))
}

pub fn guaranteed_loan(state: &State, program_id: &str, loan_id: &str) -> Result<GuaranteedLoan> {
    find_guaranteed_loan(state, program_id, loan_id)?.ok_or_else(|| {
        LedgerError::not_found(
            "loan_id",
            format!("guaranteed loan {loan_id:?} of program {program_id:?}"),
        )
    })
}

/// Every guaranteed loan of the program, in loan id order.
pub fn guaranteed_loans(state: &State, program_id: &str) -> Result<Vec<GuaranteedLoan>> {
    load_all(state, &keys::guaranteed_loans(program_id))
}

pub fn find_scheme(state: &State, program_id: &str, scheme_id: &str) -> Result<Option<Scheme>> {
    load(state, &keys::scheme(program_id, scheme_id))
}

pub fn scheme(state: &State, program_id: &str, scheme_id: &str) -> Result<Scheme> {
    find_scheme(state, program_id, scheme_id)?.ok_or_else(|| {
        LedgerError::not_found(
            "scheme_id",
            format!("subsidy scheme {scheme_id:?} of program {program_id:?}"),
        )
    })
}

pub fn schemes(state: &State, program_id: &str) -> Result<Vec<Scheme>> {
    load_all(state, &keys::schemes(program_id))
}

pub fn find_period(
    state: &State,
    program_id: &str,
    scheme_id: &str,
    period: &str,
) -> Result<Option<PeriodRecord>> {
    load(state, &keys::period(program_id, scheme_id, period))
}

/// An accrued period of a scheme.
pub fn period(
    state: &State,
    program_id: &str,
    scheme_id: &str,
    period: &str,
) -> Result<PeriodRecord> {
    find_period(state, program_id, scheme_id, period)?
        .ok_or_else(|| LedgerError::not_found("period", format!("accrued period {period:?}")))
}

/// Every accrued period of a scheme, in key order.
pub fn periods(state: &State, program_id: &str, scheme_id: &str) -> Result<Vec<PeriodRecord>> {
    load_all(state, &keys::periods(program_id, scheme_id))
}

/// Every accrued period of every scheme of a program, with its scheme id,
/// as of the last flush (for extracts).
pub fn program_periods(ledger: &Ledger, program_id: &str) -> Result<Vec<(String, PeriodRecord)>> {
    let keyed: Vec<(String, PeriodRecord)> =
        super::published_keyed(ledger, &keys::program_periods(program_id))?;
    Ok(keyed
        .into_iter()
        .map(|(rest, p)| (rest.split('/').next().unwrap_or_default().to_string(), p))
        .collect())
}
