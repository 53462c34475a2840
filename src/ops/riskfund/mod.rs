//! A county program's risk-compensation fund and the loans the cooperating
//! bank registers against it (DOMAIN.md §5), one operation in a file.
use chrono::NaiveDate;

use crate::domain::chart::code::program::{EXPOSURE, OBLIGATION, RISK_FUND};
use crate::domain::loan::recipe::loan_sub;
use crate::domain::money::{fen_to_decimal, format_fen};
use crate::domain::riskfund::recipe::{self, Held};
use crate::domain::riskfund::{GuaranteedLoan, Standing};
use crate::ledger::state::State;
use crate::ledger::{Ledger, PlannedEntry, Result};
use crate::ops::Done;
use crate::pb;
use crate::registry::{self, ProgramProfile};
use crate::wire::{decode, encode};

pub mod claim;
pub mod create;
pub mod fund_move;
pub mod reads;
pub mod recover;
pub mod register;
pub mod repay;

/// The program's portfolio on `date`, with its loans: the risk fund (1002)
/// and the exposure read from the books (7001 with its sub-accounts).
pub fn standing(
    state: &State,
    p: &ProgramProfile,
    date: NaiveDate,
) -> Result<(Standing, Vec<GuaranteedLoan>)> {
    let id = &p.program_id;
    let loans = registry::guaranteed_loans(state, id)?;
    let fund_balance = fen_to_decimal(state.balance(id, RISK_FUND, ""));
    let exposure = fen_to_decimal(state.balance_under(id, EXPOSURE));
    let s = Standing::of(&p.rules, &loans, fund_balance, exposure, date);
    Ok((s, loans))
}

/// What the books hold for one loan's memorandum pair.
pub fn held(state: &State, program_id: &str, loan_id: &str) -> Held {
    let sub = loan_sub(loan_id);
    Held {
        exposure_fen: state.balance(program_id, EXPOSURE, &sub),
        obligation_fen: state.balance(program_id, OBLIGATION, &sub),
    }
}

/// The program, loan and date every operation on a guaranteed loan names.
#[derive(Debug, Clone)]
pub struct LoanAt {
    pub program_id: String,
    pub loan_id: String,
    pub date: NaiveDate,
}

impl LoanAt {
    pub fn decode(program_id: &str, loan_id: &str, date: &str) -> Result<Self> {
        Ok(Self {
            program_id: decode::book_id("program_id", program_id)?,
            loan_id: decode::ident("loan_id", loan_id)?,
            date: decode::date("date", date)?,
        })
    }

    /// The loan as it stands after the operation, seen on its date.
    pub fn respond(&self, ledger: &Ledger, done: Done) -> Result<pb::GuaranteedLoanResponse> {
        loan_response(ledger, &self.program_id, &self.loan_id, self.date, done)
    }
}

pub fn program_response(
    ledger: &Ledger,
    program_id: &str,
    done: Done,
) -> Result<pb::ProgramResponse> {
    let state = ledger.state();
    let p = registry::program(&state, program_id)?;
    Ok(pb::ProgramResponse {
        program_id: p.program_id,
        name: p.name,
        rules: Some(encode::program_rules(&p.rules)),
        fund_balance: format_fen(state.balance(program_id, RISK_FUND, "")),
        entry_seqs: done.seqs,
        replayed: done.replayed,
    })
}

pub fn loan_response(
    ledger: &Ledger,
    program_id: &str,
    loan_id: &str,
    as_of: NaiveDate,
    done: Done,
) -> Result<pb::GuaranteedLoanResponse> {
    let state = ledger.state();
    let l = registry::guaranteed_loan(&state, program_id, loan_id)?;
    let exposure = state.balance(program_id, EXPOSURE, &loan_sub(loan_id));
    Ok(pb::GuaranteedLoanResponse {
        loan: Some(encode::guaranteed_loan(&l, exposure, as_of)),
        entry_seqs: done.seqs,
        replayed: done.replayed,
    })
}

/// The guaranteed loan's memorandum entry for a change of its exposure;
/// none for a loan registered for a subsidy only (it has no guarantee).
pub fn exposure_entry(
    state: &State,
    p: &ProgramProfile,
    before: Option<&GuaranteedLoan>,
    after: &GuaranteedLoan,
    date: NaiveDate,
    memo: &str,
) -> Result<Option<PlannedEntry>> {
    if !after.guaranteed() {
        return Ok(None);
    }
    let held = held(state, &p.program_id, &after.terms.loan_id);
    Ok(recipe::exposure_change(
        &p.program_id,
        before,
        held,
        after,
        date,
        memo,
    )?)
}
