//! Village-fund set-up the tests share: a fund with its seed capital,
//! households joining and buying shares, and loans taken from application
//! through approval (by a second token: maker-checker) to disbursement.
//!
//! Each request literal is written once, here. A test changes what it
//! varies by a parameter or by a field over the fixture's request
//! (`pb::JoinMemberRequest { risk_cause, ..join_request(..) }`). Request ids
//! are made of the fund and the record ("join-{fund}-{member}"), so that one
//! server holds several funds set up this way; a test whose assertions name
//! a request id (a replay, an extract) passes its own.
//!
//! These are set-up steps: each one panics, naming the step, when the
//! server refuses it. What a test checks stays in the test.

use huzhu::pb::{self, CapitalSource, PovertyStatus, PurposeCategory, RepaymentMethod, Till};

use super::{ok, FundClient};

/// The birth date of the households the fixtures join: an adult on every
/// date the tests use, and under the programs' age limit.
pub const BIRTH_DATE: &str = "1970-01-01";

/// A fund named after its id, with `rules` (the defaults when `None`).
pub fn create_fund_request(fund: &str, rules: Option<pb::FundRules>) -> pb::CreateFundRequest {
    pb::CreateFundRequest {
        request_id: format!("create-{fund}"),
        fund_id: fund.into(),
        name: format!("Fund {fund}"),
        rules,
    }
}

pub async fn create_fund(
    f: &mut FundClient,
    fund: &str,
    rules: Option<pb::FundRules>,
) -> pb::FundResponse {
    ok(
        f.create_fund(create_fund_request(fund, rules)).await,
        format!("the fund {fund}"),
    )
}

/// Seed capital: where it comes from, how much, and the till it is paid into.
#[derive(Clone, Copy, Debug)]
pub struct Capital<'a> {
    pub source: CapitalSource,
    pub amount: &'a str,
    pub till: Till,
}

impl<'a> Capital<'a> {
    /// Fiscal support, into the bank.
    pub fn fiscal(amount: &'a str) -> Self {
        Self {
            source: CapitalSource::Fiscal,
            amount,
            till: Till::Bank,
        }
    }

    /// Special support funds, into the bank.
    pub fn special(amount: &'a str) -> Self {
        Self {
            source: CapitalSource::SpecialSupport,
            amount,
            till: Till::Bank,
        }
    }

    /// A donation, in cash.
    pub fn donation(amount: &'a str) -> Self {
        Self {
            source: CapitalSource::Donation,
            amount,
            till: Till::Cash,
        }
    }
}

pub fn capital_request(
    request_id: &str,
    fund: &str,
    capital: Capital,
    date: &str,
) -> pb::AddCapitalRequest {
    pb::AddCapitalRequest {
        request_id: request_id.into(),
        fund_id: fund.into(),
        source: capital.source as i32,
        amount: capital.amount.into(),
        till: capital.till as i32,
        value_date: date.into(),
    }
}

pub async fn add_capital(
    f: &mut FundClient,
    request_id: &str,
    fund: &str,
    capital: Capital<'_>,
    date: &str,
) -> pb::OperationResponse {
    ok(
        f.add_capital(capital_request(request_id, fund, capital, date))
            .await,
        format!("{capital:?} for {fund}"),
    )
}

/// A fund with `capital` paid in on `date`, in that order: one entry each,
/// requests "capital-{fund}-1", "-2"...
pub async fn fund_with_capital(
    f: &mut FundClient,
    fund: &str,
    rules: Option<pb::FundRules>,
    capital: &[Capital<'_>],
    date: &str,
) {
    create_fund(f, fund, rules).await;
    for (k, c) in capital.iter().enumerate() {
        add_capital(f, &format!("capital-{fund}-{}", k + 1), fund, *c, date).await;
    }
}

/// Household "H-{member}" of `status`, resident, born on [`BIRTH_DATE`],
/// joining `fund` on `date`.
pub fn join_request(
    fund: &str,
    member: &str,
    status: PovertyStatus,
    date: &str,
) -> pb::JoinMemberRequest {
    pb::JoinMemberRequest {
        request_id: format!("join-{fund}-{member}"),
        fund_id: fund.into(),
        member_id: member.into(),
        household_id: format!("H-{member}"),
        name: format!("Household {member}"),
        birth_date: BIRTH_DATE.into(),
        resident: true,
        status: status as i32,
        risk_cause: String::new(),
        date: date.into(),
        ..Default::default()
    }
}

pub async fn join(f: &mut FundClient, request: pb::JoinMemberRequest) -> pb::MemberResponse {
    let what = format!("{} joining {}", request.member_id, request.fund_id);
    ok(f.join_member(request).await, what)
}

/// Own shares bought in cash (one purchase per member: the request id is
/// "shares-{fund}-{member}").
pub fn buy_request(fund: &str, member: &str, amount: &str, date: &str) -> pb::BuySharesRequest {
    pb::BuySharesRequest {
        request_id: format!("shares-{fund}-{member}"),
        fund_id: fund.into(),
        member_id: member.into(),
        amount: amount.into(),
        till: Till::Cash as i32,
        value_date: date.into(),
    }
}

pub async fn buy_shares(
    f: &mut FundClient,
    fund: &str,
    member: &str,
    amount: &str,
    date: &str,
) -> pb::MemberResponse {
    ok(
        f.buy_shares(buy_request(fund, member, amount, date)).await,
        format!("{member}'s {amount} of shares in {fund}"),
    )
}

/// Shares allocated from the fiscal seed capital ("alloc-{fund}-{member}").
pub fn allocate_request(
    fund: &str,
    member: &str,
    amount: &str,
    date: &str,
) -> pb::AllocateSharesRequest {
    pb::AllocateSharesRequest {
        request_id: format!("alloc-{fund}-{member}"),
        fund_id: fund.into(),
        member_id: member.into(),
        amount: amount.into(),
        source: CapitalSource::Fiscal as i32,
        value_date: date.into(),
    }
}

pub async fn allocate_shares(
    f: &mut FundClient,
    fund: &str,
    member: &str,
    amount: &str,
    date: &str,
) -> pb::MemberResponse {
    ok(
        f.allocate_shares(allocate_request(fund, member, amount, date))
            .await,
        format!("{amount} of shares allocated to {member} in {fund}"),
    )
}

/// A household of `status` joins `fund` on `date` and buys `shares` of its
/// own in cash the same day; answers the purchase.
pub async fn member_with_shares(
    f: &mut FundClient,
    fund: &str,
    member: &str,
    status: PovertyStatus,
    shares: &str,
    date: &str,
) -> pb::MemberResponse {
    join(f, join_request(fund, member, status, date)).await;
    buy_shares(f, fund, member, shares, date).await
}

/// A loan to set up: the application's terms and the dates of its three
/// steps. Its requests are "apply-{fund}-{loan}", "approve-..." and
/// "disburse-...".
#[derive(Clone, Copy, Debug)]
pub struct LoanTerms<'a> {
    pub fund: &'a str,
    pub loan: &'a str,
    pub member: &'a str,
    pub principal: &'a str,
    pub term_months: u32,
    pub method: RepaymentMethod,
    pub purpose: &'a str,
    pub category: PurposeCategory,
    /// The business that uses the money (户贷企用); empty for the household.
    pub business: &'a str,
    pub applied: &'a str,
    /// Without the board's approval.
    pub approved: &'a str,
    pub disbursed: &'a str,
    /// Where the principal is paid out from.
    pub till: Till,
}

impl<'a> LoanTerms<'a> {
    /// Three months, bullet, for crops, paid out from the bank: applied for
    /// on 2025-02-25, approved on 2025-02-26, disbursed on 2025-03-01.
    pub fn new(fund: &'a str, loan: &'a str, member: &'a str, principal: &'a str) -> Self {
        Self {
            fund,
            loan,
            member,
            principal,
            term_months: 3,
            method: RepaymentMethod::Bullet,
            purpose: "seed",
            category: PurposeCategory::Crops,
            business: "",
            applied: "2025-02-25",
            approved: "2025-02-26",
            disbursed: "2025-03-01",
            till: Till::Bank,
        }
    }

    /// Applied for, approved and disbursed on one day.
    pub fn on(self, date: &'a str) -> Self {
        Self {
            applied: date,
            approved: date,
            disbursed: date,
            ..self
        }
    }

    pub fn apply_request(&self) -> pb::ApplyLoanRequest {
        pb::ApplyLoanRequest {
            request_id: format!("apply-{}-{}", self.fund, self.loan),
            fund_id: self.fund.into(),
            loan_id: self.loan.into(),
            member_id: self.member.into(),
            principal: self.principal.into(),
            term_months: self.term_months,
            method: self.method as i32,
            purpose: self.purpose.into(),
            purpose_category: self.category as i32,
            business: self.business.into(),
            date: self.applied.into(),
        }
    }

    pub fn approve_request(&self) -> pb::ApproveLoanRequest {
        pb::ApproveLoanRequest {
            request_id: format!("approve-{}-{}", self.fund, self.loan),
            fund_id: self.fund.into(),
            loan_id: self.loan.into(),
            board_approved: false,
            date: self.approved.into(),
        }
    }

    pub fn disburse_request(&self) -> pb::DisburseLoanRequest {
        pb::DisburseLoanRequest {
            request_id: format!("disburse-{}-{}", self.fund, self.loan),
            fund_id: self.fund.into(),
            loan_id: self.loan.into(),
            till: self.till as i32,
            date: self.disbursed.into(),
        }
    }
}

/// The application, with `f`'s token.
pub async fn apply_loan(f: &mut FundClient, loan: &LoanTerms<'_>) -> pb::LoanResponse {
    ok(
        f.apply_loan(loan.apply_request()).await,
        format!("the application for {} in {}", loan.loan, loan.fund),
    )
}

/// The approval, with `checker`'s token: another than the applicant's.
pub async fn approve_loan(checker: &mut FundClient, loan: &LoanTerms<'_>) -> pb::LoanResponse {
    ok(
        checker.approve_loan(loan.approve_request()).await,
        format!("the approval of {} in {}", loan.loan, loan.fund),
    )
}

pub async fn disburse_loan(f: &mut FundClient, loan: &LoanTerms<'_>) -> pb::LoanResponse {
    ok(
        f.disburse_loan(loan.disburse_request()).await,
        format!("the disbursement of {} in {}", loan.loan, loan.fund),
    )
}

/// Applied for and disbursed with `f`'s token, approved in between with
/// `checker`'s; answers the disbursement (its one entry).
pub async fn disbursed_loan(
    f: &mut FundClient,
    checker: &mut FundClient,
    loan: &LoanTerms<'_>,
) -> pb::LoanResponse {
    apply_loan(f, loan).await;
    approve_loan(checker, loan).await;
    disburse_loan(f, loan).await
}

/// A fund with `capital` of fiscal support in the bank on 2025-02-20, when
/// each borrower of `loans` joins (a household of no poverty status) and
/// buys 100.00 of shares; then each loan is taken out as its terms say,
/// approved with `checker`'s token.
pub async fn fund_with_loans(
    f: &mut FundClient,
    checker: &mut FundClient,
    fund: &str,
    capital: &str,
    loans: &[LoanTerms<'_>],
) {
    fund_with_capital(f, fund, None, &[Capital::fiscal(capital)], "2025-02-20").await;
    for terms in loans {
        let none = PovertyStatus::None;
        member_with_shares(f, fund, terms.member, none, "100", "2025-02-20").await;
        disbursed_loan(f, checker, terms).await;
    }
}

/// The fund's day-end for `date` ("dayend-{fund}-{date}"): a year-end needs
/// it through December 31.
pub async fn day_end_through(f: &mut FundClient, fund: &str, date: &str) -> pb::DayEndResponse {
    let request = pb::RunDayEndRequest {
        request_id: format!("dayend-{fund}-{date}"),
        fund_id: fund.into(),
        date: date.into(),
    };
    ok(
        f.run_day_end(request).await,
        format!("the day-end of {fund} for {date}"),
    )
}
