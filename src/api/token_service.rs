//! TokenService: bearer tokens issued, listed and revoked by an admin, and
//! "who am I" for any caller. Tokens are registry records (`token/{id}`,
//! the secret's hash only), written through the writer like every other
//! record, so issuing and revoking are durable and idempotent by request id.
use tonic::{Request, Response, Status};

use super::access::{allow_on, caller, On};
use super::convert as cv;
use super::registry::{json, load, load_all, run, Answer};
use super::status::to_status;
use crate::auth::{self, Act, Role, Scope, TokenRecord};
use crate::ledger::{Ledger, LedgerError, Plan};
use crate::pb::{self, token_service_server::TokenService};

pub struct TokenApi {
    ledger: Ledger,
}

impl TokenApi {
    pub fn new(ledger: Ledger) -> Self {
        Self { ledger }
    }

    fn record(&self, token_id: &str) -> Result<TokenRecord, Status> {
        let state = self.ledger.shared().state.read();
        load(&state, &auth::token_key(token_id))
            .map_err(to_status)?
            .ok_or_else(|| {
                to_status(LedgerError::not_found(
                    "token_id",
                    format!("token {token_id:?}"),
                ))
            })
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The registry record a scope names, which must exist when a token is issued.
fn scope_record(scope: &Scope) -> Option<(String, &'static str)> {
    match scope {
        Scope::All => None,
        Scope::Fund(id) => Some((super::fund_service::fund_key(id), "fund")),
        Scope::Federation(id) => Some((format!("federation/{id}"), "federation")),
        Scope::Program(id) => Some((super::riskfund_service::program_key(id), "program")),
    }
}

#[tonic::async_trait]
impl TokenService for TokenApi {
    async fn issue_token(
        &self,
        request: Request<pb::IssueTokenRequest>,
    ) -> Answer<pb::IssueTokenResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let role = Role::from_pb(r.role).ok_or_else(|| {
            to_status(LedgerError::invalid(
                "role",
                "must be ADMIN, FUND_CLERK, FUND_TREASURER, FEDERATION_TREASURER, BANK or REGULATOR",
            ))
        })?;
        let scope_text = if r.scope.is_empty() && role == Role::Admin {
            "all"
        } else {
            r.scope.as_str()
        };
        let scope = Scope::parse(scope_text).ok_or_else(|| {
            to_status(LedgerError::invalid(
                "scope",
                "must be all, fund:<id>, federation:<id> or program:<id>",
            ))
        })?;
        scope.check_for(role).map_err(|rule| {
            to_status(LedgerError::invalid(
                "scope",
                format!("{rule} for the role {role}"),
            ))
        })?;
        let label = cv::name("label", &r.label, false).map_err(to_status)?;
        let secret = auth::new_secret().map_err(|e| Status::internal(e.to_string()))?;
        let token_id = auth::token_id_for(&r.request_id);
        let record = TokenRecord {
            token_id: token_id.clone(),
            role,
            scope: scope.to_string(),
            label,
            secret_sha256: auth::secret_hash(&secret),
            issued_at: now(),
            issued_by: who.actor(),
            revoked_at: None,
            revoked_by: None,
        };
        let id = token_id.clone();
        let (replayed, _) = run(
            &self.ledger,
            "token.issue",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                if let Some((key, kind)) = scope_record(&scope) {
                    if !state.records.contains_key(&key) {
                        return Err(LedgerError::not_found(
                            "scope",
                            format!("{kind} {:?}", &key[kind.len() + 1..]),
                        ));
                    }
                }
                if state.records.contains_key(&auth::token_key(&id)) {
                    return Err(LedgerError::rule(
                        "token_id_taken",
                        "request_id",
                        format!("a token {id} exists already; issue with another request id"),
                    ));
                }
                Ok(Plan {
                    records: vec![json(auth::token_key(&id), &record)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        let stored = self.record(&token_id)?;
        if !replayed {
            tracing::info!(token = %token_id, role = %stored.role, scope = %stored.scope, by = %who.actor(), "token issued");
        }
        Ok(Response::new(pb::IssueTokenResponse {
            token: Some(stored.to_pb()),
            bearer: if replayed {
                String::new()
            } else {
                format!("{token_id}.{secret}")
            },
            replayed,
        }))
    }

    async fn list_tokens(
        &self,
        request: Request<pb::ListTokensRequest>,
    ) -> Answer<pb::ListTokensResponse> {
        allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let state = self.ledger.shared().state.read();
        let tokens: Vec<TokenRecord> = load_all(&state, auth::TOKEN_PREFIX).map_err(to_status)?;
        Ok(Response::new(pb::ListTokensResponse {
            tokens: tokens.iter().map(TokenRecord::to_pb).collect(),
        }))
    }

    async fn revoke_token(
        &self,
        request: Request<pb::RevokeTokenRequest>,
    ) -> Answer<pb::TokenResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let token_id = r.token_id.clone();
        let (by, at) = (who.actor(), now());
        let own = who.token_id.clone();
        let (replayed, _) = run(
            &self.ledger,
            "token.revoke",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let key = auth::token_key(&token_id);
                let mut t: TokenRecord = load(state, &key)?.ok_or_else(|| {
                    LedgerError::not_found("token_id", format!("token {token_id:?}"))
                })?;
                if token_id == own {
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
                        format!("token {token_id} was revoked at {at}"),
                    ));
                }
                t.revoked_at = Some(at);
                t.revoked_by = Some(by);
                Ok(Plan {
                    records: vec![json(key, &t)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        let stored = self.record(&r.token_id)?;
        if !replayed {
            tracing::info!(token = %r.token_id, by = %who.actor(), "token revoked");
        }
        Ok(Response::new(pb::TokenResponse {
            token: Some(stored.to_pb()),
            replayed,
        }))
    }

    async fn who_am_i(&self, request: Request<pb::WhoAmIRequest>) -> Answer<pb::TokenResponse> {
        let who = caller(&request)?;
        Ok(Response::new(pb::TokenResponse {
            token: Some(self.record(&who.token_id)?.to_pb()),
            replayed: false,
        }))
    }
}
