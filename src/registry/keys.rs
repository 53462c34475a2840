//! Every registry key, built in one place. A key is `kind/` then the ids
//! that place it (`loan/{fund}/{loan}`); a prefix lists one kind of one
//! owner in key order. Keys are stable once written: stores hold them.

pub fn fund(fund_id: &str) -> String {
    format!("fund/{fund_id}")
}

pub fn member(fund_id: &str, member_id: &str) -> String {
    format!("member/{fund_id}/{member_id}")
}

pub fn members(fund_id: &str) -> String {
    format!("member/{fund_id}/")
}

/// Which member stands for a household.
pub fn household(fund_id: &str, household_id: &str) -> String {
    format!("household/{fund_id}/{household_id}")
}

pub fn loan(fund_id: &str, loan_id: &str) -> String {
    format!("loan/{fund_id}/{loan_id}")
}

pub fn loans(fund_id: &str) -> String {
    format!("loan/{fund_id}/")
}

/// The prefix of every loan of every fund.
pub const ALL_LOANS: &str = "loan/";

/// What day-end has accrued on a loan (`accrued/{fund}/{loan}`): the few
/// fields a day-end changes, kept apart so that the nightly run rewrites
/// them and not the loan with its schedule. Read over the loan's record.
pub fn accrued(fund_id: &str, loan_id: &str) -> String {
    format!("accrued/{fund_id}/{loan_id}")
}

pub fn accrued_all(fund_id: &str) -> String {
    format!("accrued/{fund_id}/")
}

/// A member's loan in the index by member: `loanof/{fund}/{member}/{loan}`,
/// holding the loan id, written with the loan's first record so that a
/// member's loans are read without decoding the fund's others.
pub fn loan_of(fund_id: &str, member_id: &str, loan_id: &str) -> String {
    format!("loanof/{fund_id}/{member_id}/{loan_id}")
}

pub fn loans_of(fund_id: &str, member_id: &str) -> String {
    format!("loanof/{fund_id}/{member_id}/")
}

/// Present once every loan of the store is in the index by member: a store
/// written before the index had loans without it until `huzhu migrate`.
pub const LOANS_INDEXED: &str = "format/loans-indexed";

pub fn group(fund_id: &str, group_id: &str) -> String {
    format!("group/{fund_id}/{group_id}")
}

/// The guarantee group a member belongs to.
pub fn group_of(fund_id: &str, member_id: &str) -> String {
    format!("groupof/{fund_id}/{member_id}")
}

/// The last date a fund's day-end ran for.
pub fn day_end(fund_id: &str) -> String {
    format!("dayend/{fund_id}")
}

pub fn year_end(fund_id: &str, year: i32) -> String {
    format!("yearend/{fund_id}/{year}")
}

pub fn federation(federation_id: &str) -> String {
    format!("federation/{federation_id}")
}

/// The prefix of every fund's membership of a federation.
pub const MEMBERSHIPS: &str = "memberof/";

/// The one federation a fund belongs to.
pub fn membership(fund_id: &str) -> String {
    format!("{MEMBERSHIPS}{fund_id}")
}

pub fn placement(federation_id: &str, placement_id: &str) -> String {
    format!("placement/{federation_id}/{placement_id}")
}

pub fn placements(federation_id: &str) -> String {
    format!("placement/{federation_id}/")
}

pub fn contribution(federation_id: &str, contribution_id: &str) -> String {
    format!("contribution/{federation_id}/{contribution_id}")
}

pub fn contributions(federation_id: &str) -> String {
    format!("contribution/{federation_id}/")
}

pub fn grant(federation_id: &str, grant_id: &str) -> String {
    format!("grant/{federation_id}/{grant_id}")
}

pub fn grants(federation_id: &str) -> String {
    format!("grant/{federation_id}/")
}

pub fn program(program_id: &str) -> String {
    format!("program/{program_id}")
}

pub fn guaranteed_loan(program_id: &str, loan_id: &str) -> String {
    format!("gloan/{program_id}/{loan_id}")
}

pub fn guaranteed_loans(program_id: &str) -> String {
    format!("gloan/{program_id}/")
}

pub fn scheme(program_id: &str, scheme_id: &str) -> String {
    format!("subsidy/{program_id}/{scheme_id}")
}

pub fn schemes(program_id: &str) -> String {
    format!("subsidy/{program_id}/")
}

pub fn period(program_id: &str, scheme_id: &str, period: &str) -> String {
    format!("subsidyperiod/{program_id}/{scheme_id}/{period}")
}

pub fn periods(program_id: &str, scheme_id: &str) -> String {
    format!("subsidyperiod/{program_id}/{scheme_id}/")
}

/// Every accrued period of every scheme of a program.
pub fn program_periods(program_id: &str) -> String {
    format!("subsidyperiod/{program_id}/")
}

pub const TOKENS: &str = "token/";

pub fn token(token_id: &str) -> String {
    format!("{TOKENS}{token_id}")
}

/// The id of the token a request id issued (ids are random: a retry reads
/// it here). Not under `token/`, which holds tokens only.
pub fn token_issue(request_id: &str) -> String {
    format!("tokenissue/{request_id}")
}
