//! IssueToken: a new bearer token for a role within a scope. The store
//! keeps only the SHA-256 of its secret; the secret is answered once.
use crate::auth::{self, Act, Caller, Needs, On, Role, Scope, TokenRecord};
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Result, Store};
use crate::ops::{operation_io, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

pub struct IssueToken {
    request_id: String,
    scope: Scope,
    record: TokenRecord,
    secret: String,
    actor: String,
}

fn role(value: i32) -> Result<Role> {
    Role::from_pb(value).ok_or_else(|| {
        LedgerError::invalid(
            "role",
            "must be ADMIN, FUND_CLERK, FUND_TREASURER, FEDERATION_TREASURER, BANK or REGULATOR",
        )
    })
}

fn scope(text: &str, role: Role) -> Result<Scope> {
    let text = if text.is_empty() && role == Role::Admin {
        "all"
    } else {
        text
    };
    let scope = Scope::parse(text).ok_or_else(|| {
        LedgerError::invalid(
            "scope",
            "must be all, fund:<id>, federation:<id> or program:<id>",
        )
    })?;
    scope
        .check_for(role)
        .map_err(|rule| LedgerError::invalid("scope", format!("{rule} for the role {role}")))?;
    Ok(scope)
}

/// The registry record a scope names, which must exist when a token is issued.
fn scope_record(scope: &Scope) -> Option<(String, &'static str)> {
    match scope {
        Scope::All => None,
        Scope::Fund(id) => Some((keys::fund(id), "fund")),
        Scope::Federation(id) => Some((keys::federation(id), "federation")),
        Scope::Program(id) => Some((keys::program(id), "program")),
    }
}

impl Operation for IssueToken {
    operation_io!(pb::IssueTokenRequest => pb::IssueTokenResponse, "token.issue");

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: &Self::Request, caller: &Caller) -> Result<Self> {
        let role = role(r.role)?;
        let scope = scope(&r.scope, role)?;
        let label = decode::name("label", &r.label, false)?;
        let random = |e: std::io::Error| LedgerError::Internal(format!("cannot draw a token: {e}"));
        let secret = auth::new_secret().map_err(random)?;
        let record = TokenRecord {
            token_id: auth::new_token_id().map_err(random)?,
            role,
            scope: scope.to_string(),
            label,
            secret_sha256: auth::secret_hash(&secret),
            issued_at: super::now(),
            issued_by: caller.actor(),
            revoked_at: None,
            revoked_by: None,
        };
        Ok(Self {
            request_id: r.request_id.clone(),
            scope,
            record,
            secret,
            actor: caller.actor(),
        })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        if let Some((key, kind)) = scope_record(&self.scope) {
            if !state.records.contains_key(&key) {
                let what = format!("{kind} {:?}", &key[kind.len() + 1..]);
                return Err(LedgerError::not_found("scope", what));
            }
        }
        let id = &self.record.token_id;
        if state.records.contains_key(&keys::token(id)) {
            return Err(LedgerError::rule(
                "token_id_taken",
                "request_id",
                format!(
                    "a token {id} exists already (random ids met by chance); run the command again"
                ),
            ));
        }
        Ok(Plan {
            records: vec![
                json(keys::token(id), &self.record),
                json(keys::token_issue(&self.request_id), id),
            ],
            ..Plan::default()
        })
    }

    /// The token this request issued: on a retry, the one stored the first
    /// time (its id was drawn then), with no secret.
    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        let state = ledger.state();
        let id = &registry::token_issued(&state, &self.request_id)?;
        let stored = super::stored(&state, id)?;
        if !done.replayed {
            tracing::info!(token = %id, role = %stored.role, scope = %stored.scope, by = %self.actor, "token issued");
        }
        Ok(pb::IssueTokenResponse {
            token: Some(stored.to_pb()),
            bearer: if done.replayed {
                String::new()
            } else {
                format!("{id}.{}", self.secret)
            },
            replayed: done.replayed,
        })
    }
}
