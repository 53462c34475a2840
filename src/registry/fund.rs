//! A village fund's records: its profile with the rules, members and the
//! households they stand for, loans, guarantee groups, and the day-end and
//! year-end marks.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{decode, json, keys, load, load_all};
use crate::domain::chart::BookKind;
use crate::domain::fund::{FundRules, GuaranteeGroup, Member};
use crate::domain::loan::Loan;
use crate::domain::yearend::YearEnd;
use crate::ledger::error::rule::NO_HOUSEHOLD_IN_FEDERATION;
use crate::ledger::state::State;
use crate::ledger::{LedgerError, Result};

/// A fund's registry record, `fund/{fund}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FundProfile {
    pub fund_id: String,
    pub name: String,
    pub rules: FundRules,
}

/// Which member stands for a household, `household/{fund}/{household}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Household {
    pub member_id: String,
}

/// Refuses a federation's book id where a fund is named: a federation never
/// takes members, loans or anything else of a household (DOMAIN.md §6).
fn not_a_federation(state: &State, fund_id: &str) -> Result<()> {
    if state
        .book(fund_id)
        .is_some_and(|b| b.kind == BookKind::Federation)
    {
        return Err(LedgerError::rule(
            NO_HOUSEHOLD_IN_FEDERATION,
            "fund_id",
            format!(
                "{fund_id:?} is a federation: a federation never lends to or takes in households"
            ),
        ));
    }
    Ok(())
}

/// The fund's record. Every fund operation starts here (or from a member or
/// a loan, which check the same), so a federation's book id is refused for
/// all of them.
pub fn profile(state: &State, fund_id: &str) -> Result<FundProfile> {
    not_a_federation(state, fund_id)?;
    load(state, &keys::fund(fund_id))?
        .ok_or_else(|| LedgerError::not_found("fund_id", format!("fund {fund_id:?}")))
}

/// A member of the fund.
pub fn member(state: &State, fund_id: &str, member_id: &str) -> Result<Member> {
    not_a_federation(state, fund_id)?;
    find_member(state, fund_id, member_id)?.ok_or_else(|| {
        LedgerError::not_found(
            "member_id",
            format!("member {member_id:?} of fund {fund_id:?}"),
        )
    })
}

pub fn find_member(state: &State, fund_id: &str, member_id: &str) -> Result<Option<Member>> {
    load(state, &keys::member(fund_id, member_id))
}

/// Every member of the fund, those who left included, in id order.
pub fn members(state: &State, fund_id: &str) -> Result<Vec<Member>> {
    load_all(state, &keys::members(fund_id))
}

pub fn household(state: &State, fund_id: &str, household_id: &str) -> Result<Option<Household>> {
    load(state, &keys::household(fund_id, household_id))
}

/// A loan of the fund.
pub fn loan(state: &State, fund_id: &str, loan_id: &str) -> Result<Loan> {
    not_a_federation(state, fund_id)?;
    find_loan(state, fund_id, loan_id)?.ok_or_else(|| {
        LedgerError::not_found("loan_id", format!("loan {loan_id:?} of fund {fund_id:?}"))
    })
}

pub fn find_loan(state: &State, fund_id: &str, loan_id: &str) -> Result<Option<Loan>> {
    load(state, &keys::loan(fund_id, loan_id))
}

/// Every loan of a fund, in loan id order.
pub fn loans(state: &State, fund_id: &str) -> Result<Vec<Loan>> {
    load_all(state, &keys::loans(fund_id))
}

/// A member's loans, in loan id order, read through the index by member;
/// a store not yet migrated to it is scanned instead.
pub fn member_loans(state: &State, fund_id: &str, member_id: &str) -> Result<Vec<Loan>> {
    if !state.records.contains_key(keys::LOANS_INDEXED) {
        let mut all = loans(state, fund_id)?;
        all.retain(|l| l.member_id == member_id);
        return Ok(all);
    }
    state
        .records_under(&keys::loans_of(fund_id, member_id))
        .map(|(key, r)| {
            let loan_id: String = decode(key, &r.value)?;
            loan(state, fund_id, &loan_id)
        })
        .collect()
}

/// The records a new loan is written with: the loan and its place in the
/// index by member (and the index's mark, in a store that has no loan yet).
pub fn new_loan(state: &State, fund_id: &str, l: &Loan) -> Vec<(String, String)> {
    let mut records = vec![
        json(keys::loan(fund_id, &l.loan_id), l),
        json(keys::loan_of(fund_id, &l.member_id, &l.loan_id), &l.loan_id),
    ];
    if state.records_under(keys::ALL_LOANS).next().is_none() {
        records.push(json(keys::LOANS_INDEXED.to_string(), &true));
    }
    records
}

/// The index records a store written before the index lacks: one per loan,
/// and the mark; empty when the store is up to date.
pub fn loan_index_missing(state: &State) -> Result<Vec<(String, String)>> {
    if state.records.contains_key(keys::LOANS_INDEXED) {
        return Ok(Vec::new());
    }
    let mut records = Vec::new();
    for (key, r) in state.records_under(keys::ALL_LOANS) {
        let l: Loan = decode(key, &r.value)?;
        let fund_id = &key[keys::ALL_LOANS.len()..key.len() - l.loan_id.len() - 1];
        let index = keys::loan_of(fund_id, &l.member_id, &l.loan_id);
        if !state.records.contains_key(&index) {
            records.push(json(index, &l.loan_id));
        }
    }
    records.push(json(keys::LOANS_INDEXED.to_string(), &true));
    Ok(records)
}

pub fn group(state: &State, fund_id: &str, group_id: &str) -> Result<Option<GuaranteeGroup>> {
    load(state, &keys::group(fund_id, group_id))
}

/// The guarantee group a member belongs to, if any.
pub fn group_of(state: &State, fund_id: &str, member_id: &str) -> Result<Option<String>> {
    load(state, &keys::group_of(fund_id, member_id))
}

/// The last date the fund's day-end ran for.
pub fn day_end(state: &State, fund_id: &str) -> Result<Option<NaiveDate>> {
    load(state, &keys::day_end(fund_id))
}

pub fn year_end(state: &State, fund_id: &str, year: i32) -> Result<Option<YearEnd>> {
    load(state, &keys::year_end(fund_id, year))
}
