//! A federation's reads: the federation, a member fund's balancing
//! position, the relief pool.
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::federation::{self as fed, Direction, Placement};
use crate::domain::money::{fen_to_decimal, format_yuan};
use crate::ledger::{Ledger, Result};
use crate::ops::{Call, Done};
use crate::pb;
use crate::registry;
use crate::wire::{decode, encode};

use super::{require_member, respond};

pub struct GetFederation {
    federation_id: String,
}

impl Call for GetFederation {
    type Request = pb::GetFederationRequest;
    type Response = pb::FederationResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Federation(&r.federation_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        respond::federation(&ledger, &self.federation_id, false)
    }
}

pub struct GetReliefPool {
    federation_id: String,
}

impl Call for GetReliefPool {
    type Request = pb::GetReliefPoolRequest;
    type Response = pb::ReliefResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Federation(&r.federation_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        respond::relief(&ledger, &self.federation_id, Done::default())
    }
}

/// A member fund's placements and borrowings against its limit: the
/// federation's readers, or the fund's own.
pub struct GetBalancingPosition {
    federation_id: String,
    fund_id: String,
}

impl Call for GetBalancingPosition {
    type Request = pb::GetBalancingPositionRequest;
    type Response = pb::BalancingPosition;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::Any(vec![
            (Act::Read, On::Federation(&r.federation_id)),
            (Act::Read, On::Fund(&r.fund_id)),
        ])
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let (state, fed_id, fund_id) = (ledger.state(), &self.federation_id, self.fund_id.clone());
        let p = registry::federation(&state, fed_id)?;
        registry::profile(&state, &fund_id)?;
        require_member(&state, fed_id, &fund_id)?;
        let own: Vec<Placement> = registry::placements(&state, fed_id)?
            .into_iter()
            .filter(|p| p.fund_id == fund_id)
            .collect();
        let capital = fen_to_decimal(state.equity(&fund_id));
        let fees = |d: Direction| -> Decimal {
            own.iter()
                .filter(|p| p.direction == d)
                .map(|p| p.fees_paid)
                .sum()
        };
        Ok(pb::BalancingPosition {
            capital: format_yuan(capital),
            limit: format_yuan(p.rules.limit(capital)),
            placed: format_yuan(fed::outstanding(&own, &fund_id, Direction::FromFund)),
            borrowed: format_yuan(fed::outstanding(&own, &fund_id, Direction::ToFund)),
            fees_received: format_yuan(fees(Direction::FromFund)),
            fees_paid: format_yuan(fees(Direction::ToFund)),
            placements: own.iter().map(encode::placement).collect(),
            fund_id,
        })
    }
}
