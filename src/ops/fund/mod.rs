//! A village fund's operations (DOMAIN.md §4), one in a file, and the
//! answers several of them share ([`respond`]).
use chrono::NaiveDate;

use crate::domain::loan::{self, Loan};
use crate::domain::money::fen_to_decimal;
use crate::domain::servicing;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Result};
use crate::ops::{refused, Done};
use crate::pb;
use crate::registry;
use crate::wire::decode;

pub mod add_capital;
pub mod allocate_shares;
pub mod apply_loan;
pub mod approve_loan;
pub mod buy_shares;
pub mod collection;
pub mod create;
pub mod day_end;
pub mod disburse_loan;
pub mod form_group;
pub mod join;
pub mod leave;
pub mod reads;
pub mod record_expense;
pub mod recover_loan;
pub mod refund_shares;
pub mod repay_loan;
pub mod request_write_off;
pub mod reschedule;
pub mod respond;
pub mod set_status;
pub mod write_off;
pub mod year_end;

/// The fund and loan an operation on one loan names.
#[derive(Debug, Clone)]
pub struct LoanAt {
    pub fund_id: String,
    pub loan_id: String,
}

impl LoanAt {
    pub fn decode(fund_id: &str, loan_id: &str) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", fund_id)?,
            loan_id: decode::ident("loan_id", loan_id)?,
        })
    }

    /// The loan as it stands after the operation.
    pub fn respond(&self, ledger: &Ledger, done: Done) -> Result<pb::LoanResponse> {
        respond::loan(ledger, &self.fund_id, &self.loan_id, done)
    }
}

/// The fields every money operation on a member carries, decoded.
#[derive(Debug, Clone)]
pub struct MemberMoney {
    pub fund_id: String,
    pub member_id: String,
    pub amount_fen: i64,
    pub date: NaiveDate,
}

impl MemberMoney {
    pub fn decode(fund_id: &str, member_id: &str, amount: &str, value_date: &str) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", fund_id)?,
            member_id: decode::ident("member_id", member_id)?,
            amount_fen: decode::amount("amount", amount)?,
            date: decode::date("value_date", value_date)?,
        })
    }

    /// The member's position after the operation.
    pub fn respond(&self, ledger: &Ledger, done: Done) -> Result<pb::MemberResponse> {
        respond::member(ledger, &self.fund_id, &self.member_id, done)
    }
}

/// The borrower's standing on `date` for a decision on loan `deciding` (a
/// new loan's id at application): the member's other loans, the fund's
/// capital, its guarantee group.
pub fn standing(
    state: &State,
    fund_id: &str,
    member_id: &str,
    deciding: &str,
    date: NaiveDate,
) -> Result<loan::Standing> {
    Ok(servicing::standing(
        &registry::member_loans(state, fund_id, member_id)?,
        member_id,
        deciding,
        date,
        fen_to_decimal(state.equity(fund_id)),
        registry::group_of(state, fund_id, member_id)?.is_some(),
    ))
}

/// The standing of the borrower of `l`, who must still be a member, on the
/// day the loan is approved or disbursed.
pub fn borrower(state: &State, fund_id: &str, l: &Loan, date: NaiveDate) -> Result<loan::Standing> {
    registry::member(state, fund_id, &l.member_id)?
        .require_active()
        .map_err(|e| refused(e, "loan_id"))?;
    standing(state, fund_id, &l.member_id, &l.loan_id, date)
}
