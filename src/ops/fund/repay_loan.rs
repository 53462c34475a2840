//! RepayLoan: a repayment through the fund's waterfall (penalty, fee,
//! principal); an early payoff pays the fee to the day; more than is owed
//! is refused.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::BookKind;
use crate::domain::fund::recipe::Till;
use crate::domain::loan::rule;
use crate::domain::money::fen_to_decimal;
use crate::domain::servicing::{self, recipe};
use crate::domain::subsidy::{self, LoanRef};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused, refused_by, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

use super::LoanAt;

pub struct RepayLoan {
    at: LoanAt,
    amount_fen: i64,
    till: Till,
    date: NaiveDate,
}

/// Refuses a date inside a subsidy period already accrued for the loan (a
/// repayment recorded late, or a period accrued before the fund's day-end).
fn check_subsidy_periods(state: &State, at: &LoanAt, date: NaiveDate) -> Result<()> {
    let this = LoanRef::Fund(at.fund_id.clone(), at.loan_id.clone());
    let programs = state.books.iter().filter(|b| b.kind == BookKind::Program);
    for program in programs {
        for s in registry::schemes(state, &program.book_id)? {
            if s.loans.contains(&this) {
                subsidy::check_repayment_date(&s.scheme_id, s.accrued_through, date)
                    .map_err(|e| refused(e, "date"))?;
            }
        }
    }
    Ok(())
}

impl Operation for RepayLoan {
    operation_io!(pb::RepayLoanRequest => pb::LoanResponse, "fund.repay_loan");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundDaily, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            at: LoanAt::decode(&r.fund_id, &r.loan_id)?,
            amount_fen: decode::amount("amount", &r.amount)?,
            till: decode::till(r.till)?,
            date: decode::date("date", &r.date)?,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let LoanAt { fund_id, loan_id } = &self.at;
        let p = registry::profile(state, fund_id)?;
        let l = registry::loan(state, fund_id, loan_id)?;
        check_subsidy_periods(state, &self.at, self.date)?;
        let amount = fen_to_decimal(self.amount_fen.into());
        let s = servicing::repay(&p.rules, &l, amount, self.date).map_err(|e| {
            refused_by(
                e,
                &[(rule::DATE_ORDER, "date"), (rule::STATUS, "loan_id")],
                "amount",
            )
        })?;
        let entries =
            recipe::repayment(fund_id, loan_id, self.till, self.amount_fen, self.date, &s)?;
        Ok(Plan {
            entries,
            records: registry::loan_records(fund_id, &s.loan).to_vec(),
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
