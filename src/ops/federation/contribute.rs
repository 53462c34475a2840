//! ContributeRelief: a member fund contributes to the relief pool, a fixed
//! amount or a share of its fee income (fund Dr 5001, Cr 1002; federation
//! Dr 1002, Cr 3101).
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::fund::FEE_INCOME;
use crate::domain::federation::{self as fed, recipe};
use crate::domain::money::fen_to_decimal;
use crate::domain::posting::fen;
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, taken, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys, Contribution};
use crate::wire::decode;

use super::{refused, require_member};

/// How a contribution is set: a fixed amount in fen, or a share of the
/// fund's fee income, computed when the operation runs.
enum Basis {
    Fixed(i64),
    FeeShare(Decimal),
}

pub struct ContributeRelief {
    federation_id: String,
    contribution_id: String,
    fund_id: String,
    date: NaiveDate,
    basis: Basis,
    actor: String,
}

impl ContributeRelief {
    /// The amount in fen, and how the record describes it.
    fn amount(&self, state: &State) -> Result<(i64, String)> {
        match self.basis {
            Basis::Fixed(amount_fen) => Ok((amount_fen, "fixed".to_string())),
            Basis::FeeShare(share) => {
                let income = fen_to_decimal(state.balance(&self.fund_id, FEE_INCOME, ""));
                let due =
                    fed::fee_share_contribution(share, income).map_err(|e| refused(e, "share"))?;
                Ok((fen(due)?, format!("{share} of fee income {income}")))
            }
        }
    }
}

impl Operation for ContributeRelief {
    operation_io!(pb::ContributeReliefRequest => pb::ReliefResponse, "federation.contribute");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        let (federation_id, contribution_id, fund_id, date) = (
            decode::book_id("federation_id", &r.federation_id)?,
            decode::ident("contribution_id", &r.contribution_id)?,
            decode::book_id("fund_id", &r.fund_id)?,
            decode::date("value_date", &r.value_date)?,
        );
        let basis = match pb::ContributionBasis::try_from(r.basis) {
            Ok(pb::ContributionBasis::Fixed) => Basis::Fixed(decode::amount("amount", &r.amount)?),
            Ok(pb::ContributionBasis::FeeShare) => {
                Basis::FeeShare(decode::share("share", &r.share)?)
            }
            _ => return Err(LedgerError::invalid("basis", "must be FIXED or FEE_SHARE")),
        };
        Ok(Self {
            federation_id,
            contribution_id,
            fund_id,
            date,
            basis,
            actor: caller.actor(),
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let (f, cid, fund_id) = (&self.federation_id, &self.contribution_id, &self.fund_id);
        registry::federation(state, f)?;
        require_member(state, f, fund_id)?;
        if registry::find_contribution(state, f, cid)?.is_some() {
            return Err(taken(
                "contribution_id",
                format!("contribution {cid:?} already exists"),
            ));
        }
        let (amount_fen, basis) = self.amount(state)?;
        let entry = recipe::contribution(f, fund_id, cid, &basis, amount_fen, self.date);
        let record = Contribution {
            contribution_id: cid.clone(),
            fund_id: fund_id.clone(),
            amount: fen_to_decimal(amount_fen.into()),
            date: self.date,
            actor: self.actor.clone(),
            basis,
        };
        Ok(Plan {
            entries: vec![entry],
            records: vec![json(keys::contribution(f, cid), &record)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        super::respond::relief(ledger, &self.federation_id, done)
    }
}
