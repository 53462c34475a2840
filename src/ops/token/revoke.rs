//! RevokeToken: a token revoked by another admin token; its calls are
//! refused from then on, at the gate and on the writer.
use crate::auth::{Act, Caller, Needs, On};
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, Done, Operation};
use crate::pb;
use crate::registry::{json, keys};

pub struct RevokeToken {
    token_id: String,
    by: String,
    at: String,
    own: String,
}

impl Operation for RevokeToken {
    operation_io!(pb::RevokeTokenRequest => pb::TokenResponse, "token.revoke");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        Ok(Self {
            token_id: r.token_id.clone(),
            by: caller.actor(),
            at: super::now(),
            own: caller.token_id.clone(),
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let id = &self.token_id;
        let mut t = super::stored(state, id)?;
        if *id == self.own {
            return Err(LedgerError::rule(
                "own_token",
                "token_id",
                "a token cannot revoke itself; revoke it with another admin token",
            ));
        }
        if let Some(at) = &t.revoked_at {
            return Err(LedgerError::rule(
                "already_revoked",
                "token_id",
                format!("token {id} was revoked at {at}"),
            ));
        }
        t.revoked_at = Some(self.at.clone());
        t.revoked_by = Some(self.by.clone());
        Ok(Plan {
            records: vec![json(keys::token(id), &t)],
            ..Plan::default()
        })
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        let stored = super::stored(&ledger.state(), &self.token_id)?;
        if !done.replayed {
            tracing::info!(token = %self.token_id, by = %self.by, "token revoked");
        }
        Ok(pb::TokenResponse {
            token: Some(stored.to_pb()),
            replayed: done.replayed,
        })
    }
}
