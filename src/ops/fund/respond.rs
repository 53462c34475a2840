//! The answers fund operations share: the fund, a member's position, a loan.
use crate::domain::chart::code::fund::{
    ALLOCATED_SHARES, BANK, CASH, LOAN_PRINCIPAL, MEMBER_SHARES,
};
use crate::domain::dates::business_today;
use crate::domain::federation::LoanExposure;
use crate::domain::fund::recipe::member_sub;
use crate::domain::fund::Member;
use crate::domain::loan::recipe::loan_sub;
use crate::domain::loan::{Loan, LoanStatus};
use crate::domain::money::{format_fen, format_yuan};
use crate::domain::servicing;
use crate::ledger::state::State;
use crate::ledger::{Ledger, Result};
use crate::ops::Done;
use crate::pb;
use crate::registry;
use crate::wire::encode;

/// The entries an operation posted.
pub fn operation(done: Done) -> pb::OperationResponse {
    pb::OperationResponse {
        entry_seqs: done.seqs,
        replayed: done.replayed,
    }
}

pub fn fund(state: &State, fund_id: &str, replayed: bool) -> Result<pb::FundResponse> {
    let p = registry::profile(state, fund_id)?;
    let active = registry::members(state, fund_id)?
        .iter()
        .filter(|m| m.active())
        .count();
    Ok(pb::FundResponse {
        fund_id: p.fund_id,
        name: p.name,
        rules: Some(encode::fund_rules(&p.rules)),
        active_members: active as u32,
        cash: format_fen(state.balance(fund_id, CASH, "")),
        bank: format_fen(state.balance(fund_id, BANK, "")),
        replayed,
        day_end_through: registry::day_end(state, fund_id)?
            .map(encode::date)
            .unwrap_or_default(),
    })
}

pub fn loan(ledger: &Ledger, fund_id: &str, loan_id: &str, done: Done) -> Result<pb::LoanResponse> {
    let state = ledger.state();
    let l = registry::loan(&state, fund_id, loan_id)?;
    let outstanding = state.balance(fund_id, LOAN_PRINCIPAL, &loan_sub(loan_id));
    Ok(pb::LoanResponse {
        loan: Some(encode::loan(&l, outstanding)),
        entry_seqs: done.seqs,
        replayed: done.replayed,
    })
}

/// The fund's loans outstanding on `as_of` as PAR weighs them: today's
/// outstanding principal, days past due and whether a restructured loan is
/// still at risk then.
pub fn exposures(loans: &[Loan], as_of: chrono::NaiveDate) -> Vec<LoanExposure> {
    loans
        .iter()
        .filter(|l| l.status == LoanStatus::Disbursed && l.principal > l.principal_paid)
        .map(|l| LoanExposure {
            member_id: l.member_id.clone(),
            outstanding: l.principal - l.principal_paid,
            days_past_due: servicing::days_past_due(l, as_of),
            poor: false,
            restructured: servicing::counts_at_risk(l, as_of),
        })
        .collect()
}

/// A loan's line in the loan ledger, with its borrower's status now.
pub fn loan_line(state: &State, fund_id: &str, l: &Loan, as_of: chrono::NaiveDate) -> pb::LoanLine {
    let status = registry::member(state, fund_id, &l.member_id)
        .map(|m| m.status())
        .unwrap_or_default();
    encode::loan_line(l, &status, as_of)
}

/// A member's line in the register: the member and their shares.
pub fn member_line(state: &State, fund_id: &str, m: &Member) -> pb::MemberLine {
    let sub = member_sub(&m.member_id);
    pb::MemberLine {
        member: Some(encode::member(m)),
        own_shares: format_fen(state.balance(fund_id, MEMBER_SHARES, &sub)),
        allocated_shares: format_fen(state.balance(fund_id, ALLOCATED_SHARES, &sub)),
    }
}

pub fn member(
    ledger: &Ledger,
    fund_id: &str,
    member_id: &str,
    done: Done,
) -> Result<pb::MemberResponse> {
    let state = &*ledger.state();
    let m: Member = registry::member(state, fund_id, member_id)?;
    let sub = member_sub(member_id);
    let today = business_today();
    let own_loans = registry::member_loans(state, fund_id, member_id)?;
    let next = own_loans
        .iter()
        .filter_map(servicing::next_due)
        .min_by_key(|(date, _)| *date);
    let group = registry::group_of(state, fund_id, member_id)?;
    Ok(pb::MemberResponse {
        loans: own_loans
            .iter()
            .map(|l| loan_line(state, fund_id, l, today))
            .collect(),
        next_due_date: next.map(|(d, _)| encode::date(d)).unwrap_or_default(),
        next_due_amount: next.map(|(_, a)| format_yuan(a)).unwrap_or_default(),
        guarantee_group: group.unwrap_or_default(),
        own_shares: format_fen(state.balance(fund_id, MEMBER_SHARES, &sub)),
        allocated_shares: format_fen(state.balance(fund_id, ALLOCATED_SHARES, &sub)),
        member: Some(encode::member(&m)),
        entry_seqs: done.seqs,
        replayed: done.replayed,
    })
}
