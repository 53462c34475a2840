//! DepositRiskFund and WithdrawRiskFund: money into the risk fund from a
//! source, or back to it, never leaving exposure above the leverage cap.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::money::fen_to_decimal;
use crate::domain::riskfund::{self, recipe};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused, Done, Operation};
use crate::pb;
use crate::registry;
use crate::wire::decode;

/// A move of the risk fund either way, as the request names it.
pub struct Move {
    program_id: String,
    source: String,
    amount_fen: i64,
    date: NaiveDate,
}

impl Move {
    fn decode(r: &pb::RiskFundMoveRequest) -> Result<Self> {
        Ok(Self {
            program_id: decode::book_id("program_id", &r.program_id)?,
            source: decode::ident("source", &r.source)?,
            amount_fen: decode::amount("amount", &r.amount)?,
            date: decode::date("value_date", &r.value_date)?,
        })
    }

    fn plan(&self, state: &State, deposit: bool) -> Result<Plan> {
        let p = registry::program(state, &self.program_id)?;
        if !deposit {
            let (s, _) = super::standing(state, &p, self.date)?;
            riskfund::check_withdrawal(&p.rules, s, fen_to_decimal(self.amount_fen.into()))
                .map_err(|e| refused(e, "amount"))?;
        }
        let (account, entry) = recipe::risk_fund_move(
            &p.program_id,
            &self.source,
            self.amount_fen,
            self.date,
            deposit,
        );
        Ok(Plan {
            accounts: vec![account],
            entries: vec![entry],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<pb::ProgramResponse> {
        super::program_response(ledger, &self.program_id, done)
    }
}

/// Money into the risk fund (Dr 1002, Cr 3001/source).
pub struct DepositRiskFund(Move);

impl Operation for DepositRiskFund {
    operation_io!(pb::RiskFundMoveRequest => pb::ProgramResponse, "riskfund.deposit");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Move::decode(r).map(Self)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        self.0.plan(state, true)
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.0.respond(ledger, done)
    }
}

/// Money back to its source (Dr 3001/source, Cr 1002), within the cap.
pub struct WithdrawRiskFund(Move);

impl Operation for WithdrawRiskFund {
    operation_io!(pb::RiskFundMoveRequest => pb::ProgramResponse, "riskfund.withdraw");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Move::decode(r).map(Self)
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        self.0.plan(state, false)
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.0.respond(ledger, done)
    }
}
