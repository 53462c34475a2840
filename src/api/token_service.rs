//! TokenService: each RPC of bearer tokens is its operation in `ops::token`.
use super::run::{service, Do, Op};
use crate::ops::token::*;
use crate::pb::token_service_server::TokenService;

service!(TokenApi: TokenService {
    issue_token = Op<issue::IssueToken>;
    list_tokens = Do<reads::ListTokens>;
    revoke_token = Op<revoke::RevokeToken>;
    who_am_i = Do<reads::WhoAmI>;
});
