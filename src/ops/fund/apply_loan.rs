//! ApplyLoan: a member asks for a loan; the fund's limits are checked
//! against the member's standing: the loans ever disbursed to the member,
//! what is owed, what is applied for and not yet disbursed, arrears.
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::fund::rule::MEMBER_ACTIVE;
use crate::domain::loan::{self, rule, Application};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused_by, taken, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

/// The request field each refused rule of an application is about; the
/// limits on the amount are about `principal`.
const APPLICATION_FIELDS: &[(&str, &str)] = &[
    (MEMBER_ACTIVE, "member_id"),
    (rule::NEEDS_GROUP, "member_id"),
    (rule::NO_LOAN_PAST_DUE, "member_id"),
    (rule::NO_UNRECOVERED_WRITE_OFF, "member_id"),
    (rule::TERM_MAX, "term_months"),
];

pub struct ApplyLoan {
    fund_id: String,
    member_id: String,
    application: Application,
}

impl Operation for ApplyLoan {
    operation_io!(pb::ApplyLoanRequest => pb::LoanResponse, "fund.apply_loan");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundDaily, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        let principal = decode::yuan("principal", &r.principal)?;
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            member_id: decode::ident("member_id", &r.member_id)?,
            application: Application {
                loan_id: decode::ident("loan_id", &r.loan_id)?,
                principal,
                term_months: decode::term_months(r.term_months)?,
                method: decode::method(r.method)?,
                purpose: decode::purpose(&r.purpose)?,
                purpose_category: decode::purpose_category("purpose_category", r.purpose_category)?,
                business: decode::business(&r.business)?,
                date: decode::date("date", &r.date)?,
                actor: caller.actor(),
            },
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (id, loan_id) = (&self.fund_id, &self.application.loan_id);
        let p = registry::profile(state, id)?;
        let m = registry::member(state, id, &self.member_id)?;
        if registry::find_loan(state, id, loan_id)?.is_some() {
            return Err(taken(
                "loan_id",
                format!("loan {loan_id:?} already exists in fund {id:?}"),
            ));
        }
        let a = &self.application;
        let standing = super::standing(state, id, &self.member_id, loan_id, a.date)?;
        let l = loan::apply(&p.rules, &m, a.clone(), &standing)
            .map_err(|e| refused_by(e, APPLICATION_FIELDS, "principal"))?;
        Ok(Plan {
            records: registry::new_loan(state, id, &l),
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::loan(ledger, &self.fund_id, &self.application.loan_id, done)
    }
}
