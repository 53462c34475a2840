//! LinkSubsidyLoan: a loan joins a scheme: one of the program's guaranteed
//! loans, a loan registered for a subsidy only within the scheme's
//! principal and term limits, or a village fund's disbursed loan of an
//! eligible member; the payable (and the fund's receivable) open with it.
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::subsidy::{self, recipe, LoanRef};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

pub struct LinkSubsidyLoan {
    program_id: String,
    scheme_id: String,
    loan: LoanRef,
}

impl Operation for LinkSubsidyLoan {
    operation_io!(pb::LinkSubsidyLoanRequest => pb::SubsidySchemeResponse, "subsidy.link");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        let loan_id = decode::ident("loan_id", &r.loan_id)?;
        let loan = if r.fund_id.is_empty() {
            LoanRef::Bank(loan_id)
        } else {
            LoanRef::Fund(decode::book_id("fund_id", &r.fund_id)?, loan_id)
        };
        Ok(Self {
            program_id: decode::book_id("program_id", &r.program_id)?,
            scheme_id: decode::ident("scheme_id", &r.scheme_id)?,
            loan,
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (id, sid) = (&self.program_id, &self.scheme_id);
        let p = registry::program(state, id)?;
        let mut s = registry::scheme(state, id, sid)?;
        subsidy::check_link(&registry::schemes(state, id)?, &self.loan)
            .map_err(|e| refused(e, "loan_id"))?;
        let payee = match &self.loan {
            LoanRef::Bank(loan_id) => {
                let l = registry::guaranteed_loan(state, id, loan_id)?;
                if !l.guaranteed() {
                    s.check_limits(&self.loan, l.terms.principal, l.terms.term_months)
                        .map_err(|e| refused(e, "loan_id"))?;
                }
                super::bank_loan_payee(&p, &s, &l)
            }
            LoanRef::Fund(fund_id, loan_id) => {
                let l = registry::loan(state, fund_id, loan_id)?;
                let m = registry::member(state, fund_id, &l.member_id)?;
                subsidy::check_fund_loan(&p.rules.eligible, &m, &l)
                    .map_err(|e| refused(e, "loan_id"))?;
                recipe::fund_payee(fund_id)
            }
        };
        let accounts = recipe::link_accounts(id, &self.loan, &payee);
        s.loans.push(self.loan.clone());
        Ok(Plan {
            accounts,
            records: vec![json(keys::scheme(id, sid), &s)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::scheme_response(ledger, &self.program_id, &self.scheme_id, done.replayed)
    }
}
