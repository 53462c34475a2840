//! A township federation's records: its profile (rules and the elected
//! board), the membership of each fund, placements, relief contributions
//! and grants.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{keys, load, load_all};
use crate::domain::federation::{Board, FederationRules, Grant, Placement};
use crate::ledger::state::State;
use crate::ledger::{LedgerError, Result};

/// A federation's registry record, `federation/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FederationProfile {
    pub federation_id: String,
    pub name: String,
    pub rules: FederationRules,
    pub board: Option<Board>,
}

/// A fund's membership, `memberof/{fund}`: the one federation it belongs to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Membership {
    pub federation_id: String,
    pub admitted_on: NaiveDate,
    pub removed_on: Option<NaiveDate>,
}

/// A contribution to the relief pool, `contribution/{federation}/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Contribution {
    pub contribution_id: String,
    pub fund_id: String,
    pub amount: Decimal,
    pub date: NaiveDate,
    pub actor: String,
    pub basis: String,
}

pub fn federation(state: &State, id: &str) -> Result<FederationProfile> {
    load(state, &keys::federation(id))?
        .ok_or_else(|| LedgerError::not_found("federation_id", format!("federation {id:?}")))
}

/// The funds that belong to the federation now, in id order.
pub fn member_funds(state: &State, fed_id: &str) -> Result<Vec<String>> {
    Ok(state
        .records_under(keys::MEMBERSHIPS)
        .filter_map(|(key, r)| {
            let m: Membership = serde_json::from_slice(&r.value).ok()?;
            (m.federation_id == fed_id && m.removed_on.is_none())
                .then(|| key[keys::MEMBERSHIPS.len()..].to_string())
        })
        .collect())
}

/// A fund's membership record, current or ended.
pub fn membership(state: &State, fund_id: &str) -> Result<Option<Membership>> {
    load(state, &keys::membership(fund_id))
}

/// The federation a fund belongs to now, if any.
pub fn federation_of(state: &State, fund_id: &str) -> Option<String> {
    let m = membership(state, fund_id).ok()??;
    m.removed_on.is_none().then_some(m.federation_id)
}

pub fn placements(state: &State, fed_id: &str) -> Result<Vec<Placement>> {
    load_all(state, &keys::placements(fed_id))
}

pub fn find_placement(state: &State, fed_id: &str, id: &str) -> Result<Option<Placement>> {
    load(state, &keys::placement(fed_id, id))
}

pub fn placement(state: &State, fed_id: &str, id: &str) -> Result<Placement> {
    find_placement(state, fed_id, id)?.ok_or_else(|| {
        LedgerError::not_found(
            "placement_id",
            format!("placement {id:?} of federation {fed_id:?}"),
        )
    })
}

pub fn contributions(state: &State, fed_id: &str) -> Result<Vec<Contribution>> {
    load_all(state, &keys::contributions(fed_id))
}

pub fn find_contribution(state: &State, fed_id: &str, id: &str) -> Result<Option<Contribution>> {
    load(state, &keys::contribution(fed_id, id))
}

pub fn grants(state: &State, fed_id: &str) -> Result<Vec<Grant>> {
    load_all(state, &keys::grants(fed_id))
}

pub fn find_grant(state: &State, fed_id: &str, id: &str) -> Result<Option<Grant>> {
    load(state, &keys::grant(fed_id, id))
}
