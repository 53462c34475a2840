//! ApproveLoan: approval by another token than the one that took the
//! application (maker-checker), and by the board above the fund's threshold;
//! the fund's limits are checked again for the borrower's standing that day.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::loan::{self, rule};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

use super::LoanAt;

pub struct ApproveLoan {
    at: LoanAt,
    date: NaiveDate,
    approver: String,
    board: bool,
}

impl Operation for ApproveLoan {
    operation_io!(pb::ApproveLoanRequest => pb::LoanResponse, "fund.approve_loan");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        Ok(Self {
            at: LoanAt::decode(&r.fund_id, &r.loan_id)?,
            date: decode::date("date", &r.date)?,
            approver: caller.actor(),
            board: r.board_approved,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let LoanAt { fund_id, loan_id } = &self.at;
        let p = registry::profile(state, fund_id)?;
        let l = registry::loan(state, fund_id, loan_id)?;
        let standing = super::borrower(state, fund_id, &l, self.date)?;
        let (approver, board) = (&self.approver, self.board);
        let approved =
            loan::approve(&p.rules, &l, approver, board, self.date, &standing).map_err(|e| {
                refused_by(
                    e,
                    &[(rule::DATE_ORDER, "date"), (rule::BOARD, "board_approved")],
                    "loan_id",
                )
            })?;
        Ok(Plan {
            records: registry::loan_records(fund_id, &approved).to_vec(),
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
