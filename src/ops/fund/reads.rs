//! A fund's reads: the fund, a member's position, the member register, a
//! loan, the loan ledger.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::dates::business_today;
use crate::domain::federation;
use crate::domain::money::format_yuan;
use crate::ledger::{Ledger, Result};
use crate::ops::{Call, Done};
use crate::pb;
use crate::registry;
use crate::wire::{decode, encode};

use super::{respond, LoanAt};

pub(super) fn reads_fund(fund_id: &str) -> Needs<'_> {
    Needs::one(Act::Read, On::Fund(fund_id))
}

pub struct GetFund {
    fund_id: String,
}

impl Call for GetFund {
    type Request = pb::GetFundRequest;
    type Response = pb::FundResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        reads_fund(&r.fund_id)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        respond::fund(&ledger.state(), &self.fund_id, false)
    }
}

pub struct GetMember {
    fund_id: String,
    member_id: String,
}

impl Call for GetMember {
    type Request = pb::GetMemberRequest;
    type Response = pb::MemberResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        reads_fund(&r.fund_id)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            member_id: decode::ident("member_id", &r.member_id)?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        respond::member(&ledger, &self.fund_id, &self.member_id, Done::default())
    }
}

pub struct GetLoan {
    at: LoanAt,
}

impl Call for GetLoan {
    type Request = pb::GetLoanRequest;
    type Response = pb::LoanResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        reads_fund(&r.fund_id)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            at: LoanAt::decode(&r.fund_id, &r.loan_id)?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        self.at.respond(&ledger, Done::default())
    }
}

/// The loan ledger (台账): every loan with days past due on a date.
pub struct ListLoans {
    fund_id: String,
    as_of: NaiveDate,
}

impl Call for ListLoans {
    type Request = pb::ListLoansRequest;
    type Response = pb::ListLoansResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        reads_fund(&r.fund_id)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            as_of: decode::optional_date("as_of", &r.as_of)?.unwrap_or_else(business_today),
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let state = ledger.state();
        registry::profile(&state, &self.fund_id)?;
        let loans = registry::loans(&state, &self.fund_id)?;
        let par = federation::par(&respond::exposures(&loans, self.as_of));
        let ratio = |r: Option<Decimal>| r.map(|r| r.to_string()).unwrap_or_default();
        Ok(pb::ListLoansResponse {
            as_of: encode::date(self.as_of),
            loans: loans
                .iter()
                .map(|l| respond::loan_line(&state, &self.fund_id, l, self.as_of))
                .collect(),
            gross_portfolio: format_yuan(par.gross),
            par30_balance: format_yuan(par.par30_balance),
            par30: ratio(par.par30),
            par90: ratio(par.par90),
        })
    }
}

/// The member register: every member with status and shares.
pub struct ListMembers {
    fund_id: String,
}

impl Call for ListMembers {
    type Request = pb::ListMembersRequest;
    type Response = pb::ListMembersResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        reads_fund(&r.fund_id)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let state = ledger.state();
        registry::profile(&state, &self.fund_id)?;
        let members = registry::members(&state, &self.fund_id)?
            .iter()
            .map(|m| respond::member_line(&state, &self.fund_id, m))
            .collect();
        Ok(pb::ListMembersResponse { members })
    }
}
