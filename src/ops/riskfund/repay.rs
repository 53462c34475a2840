//! ReportRepayment: the bank reports what its borrower repaid; principal
//! repaid shrinks the exposure (Dr 7002, Cr 7001), and the last of it
//! closes the loan.
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::loan::rule::DATE_ORDER;
use crate::domain::riskfund;
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

use super::LoanAt;

pub struct ReportRepayment {
    at: LoanAt,
    principal: Decimal,
    interest: Decimal,
}

impl Operation for ReportRepayment {
    operation_io!(pb::ReportRepaymentRequest => pb::GuaranteedLoanResponse, "riskfund.repay");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Bank, On::Program(&r.program_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        let principal = decode::optional_yuan("principal", &r.principal)?;
        let interest = decode::optional_yuan("interest", &r.interest)?;
        if principal.is_zero() && interest.is_zero() {
            return Err(LedgerError::invalid(
                "principal",
                "or interest is required: a repayment pays something",
            ));
        }
        Ok(Self {
            at: LoanAt::decode(&r.program_id, &r.loan_id, &r.date)?,
            principal,
            interest,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let LoanAt {
            program_id,
            loan_id,
            date,
        } = &self.at;
        let p = registry::program(state, program_id)?;
        let l = registry::guaranteed_loan(state, program_id, loan_id)?;
        let after = riskfund::repay(&l, self.principal, self.interest, *date).map_err(|e| {
            refused_by(
                e,
                &[(DATE_ORDER, "date"), (riskfund::rule::ACTIVE, "loan_id")],
                "principal",
            )
        })?;
        let memo = format!("repaid {} of principal", self.principal);
        let entry = super::exposure_entry(state, &p, Some(&l), &after, *date, &memo)?;
        Ok(Plan {
            entries: entry.into_iter().collect(),
            records: vec![json(keys::guaranteed_loan(program_id, loan_id), &after)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
