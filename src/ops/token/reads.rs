//! ListTokens (an administrator's) and WhoAmI (any caller's).
use crate::auth::{Act, Caller, Needs, On, TokenRecord};
use crate::ledger::{Ledger, Result};
use crate::ops::Call;
use crate::pb;
use crate::registry;

pub struct ListTokens;

impl Call for ListTokens {
    type Request = pb::ListTokensRequest;
    type Response = pb::ListTokensResponse;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(_: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self)
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let tokens = registry::tokens(&ledger.state())?;
        Ok(pb::ListTokensResponse {
            tokens: tokens.iter().map(TokenRecord::to_pb).collect(),
        })
    }
}

pub struct WhoAmI {
    token_id: String,
}

impl Call for WhoAmI {
    type Request = pb::WhoAmIRequest;
    type Response = pb::TokenResponse;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Any, On::Store)
    }

    fn decode(_: Self::Request, caller: &Caller) -> Result<Self> {
        Ok(Self {
            token_id: caller.token_id.clone(),
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let record = super::stored(&ledger.state(), &self.token_id)?;
        Ok(pb::TokenResponse {
            token: Some(record.to_pb()),
            replayed: false,
        })
    }
}
