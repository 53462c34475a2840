//! A village fund's records: its profile with the rules, members and the
//! households they stand for, guarantee groups, and the day-end and
//! year-end marks (its loans: loan.rs).
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{keys, load, load_all};
use crate::domain::chart::BookKind;
use crate::domain::fund::{FundRules, GuaranteeGroup, Member};
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
pub(super) fn not_a_federation(state: &State, fund_id: &str) -> Result<()> {
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

/// Every member of the fund as [`members`] lists them, each shared with
/// the other readers of its record rather than copied (for a read that
/// only looks at them).
pub fn shared_members(state: &State, fund_id: &str) -> Result<Vec<Arc<Member>>> {
    super::load_all_shared(state, &keys::members(fund_id))
}

/// Every member of the fund, those who left included, in id order.
pub fn members(state: &State, fund_id: &str) -> Result<Vec<Member>> {
    load_all(state, &keys::members(fund_id))
}

pub fn household(state: &State, fund_id: &str, household_id: &str) -> Result<Option<Household>> {
    load(state, &keys::household(fund_id, household_id))
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
