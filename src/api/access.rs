//! The server side of "who may do what": the gate every huzhu.v1 service
//! sits behind (one tonic interceptor: bearer token → stored record →
//! [`Caller`] in the request's extensions, then the token's rate limit),
//! and [`allow`], the authorization every RPC runs before it reads its
//! request, on what its operation says it acts on.
//!
//! Health and reflection are not behind the gate: they say nothing about
//! the books.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tonic::service::Interceptor;
use tonic::{Code, Request, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::auth::{permits, split_bearer, Act, Caller, Needs, On, Resource};
use crate::domain::chart::BookKind;
use crate::ledger::state::State;
use crate::ledger::Ledger;
use crate::registry;

/// The admin token a store is given without a caller (`serve`, `token rescue`).
pub use crate::ops::token::admin_file::{admin_token_file, first_admin_token};

/// A simple per-token limit: `per_second` calls a second on average, in
/// bursts of at most `burst`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: u32,
    pub burst: u32,
}

/// A token bucket per token id.
struct Limiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limiter {
    /// Takes one call from the token's bucket, or says how long to wait.
    fn take(&self, token_id: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let rate = f64::from(self.limit.per_second);
        let burst = f64::from(self.limit.burst.max(1));
        let mut buckets = self.buckets.lock();
        let (level, last) = buckets.entry(token_id.to_string()).or_insert((burst, now));
        *level = (*level + now.duration_since(*last).as_secs_f64() * rate).min(burst);
        *last = now;
        if *level >= 1.0 {
            *level -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *level) / rate))
        }
    }
}

/// The interceptor in front of every huzhu.v1 service.
#[derive(Clone)]
pub struct Gate {
    ledger: Ledger,
    limiter: Option<Arc<Limiter>>,
}

impl Gate {
    pub fn new(ledger: Ledger, rate: Option<RateLimit>) -> Self {
        Gate {
            ledger,
            limiter: rate.map(|limit| {
                Arc::new(Limiter {
                    limit,
                    buckets: Mutex::new(HashMap::new()),
                })
            }),
        }
    }

    fn authenticate(&self, request: &Request<()>) -> Result<Caller, Status> {
        let header = request
            .metadata()
            .get("authorization")
            .ok_or_else(|| {
                Status::unauthenticated(
                    "no token: send the metadata `authorization: Bearer <token>`",
                )
            })?
            .to_str()
            .map_err(|_| Status::unauthenticated("the authorization metadata is not text"))?;
        let bearer = header
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token)
            .ok_or_else(|| {
                Status::unauthenticated("the authorization metadata must be `Bearer <token>`")
            })?;
        let (id, secret) = split_bearer(bearer.trim()).ok_or_else(|| {
            Status::unauthenticated("malformed token: expected `tk-<id>.<64 hex characters>`")
        })?;
        let record = registry::token(&self.ledger.state(), id)?;
        let record = record.filter(|r| r.matches(secret)).ok_or_else(|| {
            Status::unauthenticated(format!("unknown token {id} (or wrong secret)"))
        })?;
        if let Some(at) = &record.revoked_at {
            return Err(Status::unauthenticated(format!(
                "token {id} was revoked at {at}"
            )));
        }
        record
            .caller()
            .ok_or_else(|| Status::internal(format!("token {id} has a scope that does not parse")))
    }
}

impl Interceptor for Gate {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        let caller = self.authenticate(&request)?;
        if let Some(limiter) = &self.limiter {
            if let Err(wait) = limiter.take(&caller.token_id) {
                let l = limiter.limit;
                return Err(Status::with_error_details(
                    Code::ResourceExhausted,
                    format!(
                        "rate limit: token {} may make {} calls a second (bursts of {}); retry in {} ms",
                        caller.token_id,
                        l.per_second,
                        l.burst,
                        wait.as_millis().max(1)
                    ),
                    ErrorDetails::with_retry_info(Some(wait)),
                ));
            }
        }
        request.extensions_mut().insert(caller);
        Ok(request)
    }
}

fn resolve(state: &State, on: On<'_>) -> Resource {
    let fund = |id: &str| Resource::Fund {
        id: id.to_string(),
        federation: registry::federation_of(state, id),
    };
    match on {
        On::Store => Resource::Store,
        On::Fund(id) => fund(id),
        On::Federation(id) => Resource::Federation(id.to_string()),
        On::Program(id) => Resource::Program(id.to_string()),
        On::Book(id) => match state.book(id).map(|b| b.kind) {
            Some(BookKind::Federation) => Resource::Federation(id.to_string()),
            Some(BookKind::Program) => Resource::Program(id.to_string()),
            Some(BookKind::Fund) | None => fund(id),
        },
    }
}

/// The caller of a request that passed the gate.
pub fn caller<T>(request: &Request<T>) -> Result<Caller, Status> {
    request
        .extensions()
        .get::<Caller>()
        .cloned()
        .ok_or_else(|| Status::internal("the service is not behind the token gate"))
}

/// The needs a caller is refused, described; empty when it is allowed.
fn refused(state: &State, caller: &Caller, needs: &Needs<'_>) -> Vec<String> {
    let describe = |act: Act, resource: &Resource| format!("{} on {resource}", act.describe());
    match needs {
        Needs::Any(any) if any.is_empty() => vec!["a call that names nothing it acts on".into()],
        Needs::Any(any) => {
            let mut refused = Vec::new();
            for (act, on) in any {
                let resource = resolve(state, *on);
                if permits(caller, *act, &resource) {
                    return Vec::new();
                }
                refused.push(describe(*act, &resource));
            }
            refused
        }
        Needs::All(all) => all
            .iter()
            .map(|(act, on)| (*act, resolve(state, *on)))
            .find(|(act, resource)| !permits(caller, *act, resource))
            .map(|(act, resource)| vec![describe(act, &resource)])
            .unwrap_or_default(),
    }
}

/// Authorizes a call: the caller may do any one of `needs` (or, for
/// `Needs::All`, every one); otherwise PERMISSION_DENIED naming the token,
/// its role and scope, and what it tried.
pub fn allow<T>(
    ledger: &Ledger,
    request: &Request<T>,
    needs: &Needs<'_>,
) -> Result<Caller, Status> {
    let caller = caller(request)?;
    let refused = refused(&ledger.state(), &caller, needs);
    if refused.is_empty() {
        return Ok(caller);
    }
    Err(Status::permission_denied(format!(
        "{caller} may not do {}",
        refused.join(", nor ")
    )))
}
