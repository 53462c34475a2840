//! The server side of "who may do what": the gate every huzhu.v1 service
//! sits behind (one tonic interceptor: bearer token → stored record →
//! [`Caller`] in the request's extensions, then the token's rate limit),
//! [`allow`], the one call each handler makes before it reads its request,
//! and the admin token a new store starts with.
//!
//! Health and reflection are not behind the gate: they say nothing about
//! the books.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use tonic::service::Interceptor;
use tonic::{Code, Request, Status};
use tonic_types::{ErrorDetails, StatusExt};

use super::federation_service::federation_of;
use super::registry::{json, load};
use crate::auth::{
    self, permits, secret_hash, split_bearer, Act, Caller, Resource, Role, TokenRecord,
};
use crate::domain::chart::BookKind;
use crate::ledger::state::State;
use crate::ledger::{payload_hash, Ledger, Plan};
use crate::pb;

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
        let record: Option<TokenRecord> = {
            let state = self.ledger.shared().state.read();
            load(&state, &auth::token_key(id)).map_err(super::status::to_status)?
        };
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

/// What a handler names as the thing its call touches.
#[derive(Debug, Clone, Copy)]
pub enum On<'a> {
    Store,
    Fund(&'a str),
    Federation(&'a str),
    Program(&'a str),
    /// A book by id: a fund's, a federation's or a program's, by its kind.
    Book(&'a str),
}

fn resolve(state: &State, on: On<'_>) -> Resource {
    let fund = |id: &str| Resource::Fund {
        id: id.to_string(),
        federation: federation_of(state, id),
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

/// Authorizes a call: the caller may do any one of `needs`; otherwise
/// PERMISSION_DENIED naming the token, its role and scope, and every need.
pub fn allow<T>(
    ledger: &Ledger,
    request: &Request<T>,
    needs: &[(Act, On<'_>)],
) -> Result<Caller, Status> {
    let caller = caller(request)?;
    let state = ledger.shared().state.read();
    let mut refused = Vec::new();
    for (act, on) in needs {
        let resource = resolve(&state, *on);
        if permits(&caller, *act, &resource) {
            return Ok(caller);
        }
        refused.push(format!("{} on {resource}", act.describe()));
    }
    Err(Status::permission_denied(format!(
        "{caller} may not do {}",
        refused.join(", nor ")
    )))
}

/// Authorizes a call on one resource.
pub fn allow_on<T>(
    ledger: &Ledger,
    request: &Request<T>,
    act: Act,
    on: On<'_>,
) -> Result<Caller, Status> {
    allow(ledger, request, &[(act, on)])
}

/// Requests that name the fund, federation, program or book they act on, so a
/// handler authorizes in one line: `allow_fund(&self.ledger, &request, act)`.
pub trait InFund {
    fn fund(&self) -> &str;
}

pub trait InFederation {
    fn federation(&self) -> &str;
}

pub trait InProgram {
    fn program(&self) -> &str;
}

pub trait InBook {
    fn book(&self) -> &str;
}

macro_rules! names {
    ($trait:ident, $method:ident, $field:ident: $($t:ident),+) => {
        $(impl $trait for pb::$t {
            fn $method(&self) -> &str {
                &self.$field
            }
        })+
    };
}

names!(InFund, fund, fund_id: GetFundRequest, AddCapitalRequest, JoinMemberRequest, SetPovertyStatusRequest, BuySharesRequest, AllocateSharesRequest, RefundSharesRequest, ApplyLoanRequest, ApproveLoanRequest, DisburseLoanRequest, GetLoanRequest, RepayLoanRequest, RunDayEndRequest, ListLoansRequest, RequestWriteOffRequest, WriteOffLoanRequest, RecoverLoanRequest, LeaveFundRequest, FormGuaranteeGroupRequest, RunYearEndRequest, RescheduleLoanRequest, GetMemberRequest, PlaceRequest, ContributeReliefRequest);
names!(InFederation, federation, federation_id: GetFederationRequest, AddFederationCapitalRequest, PlaceRequest, RepayPlacementRequest, ApproveReliefRequest, GetReliefPoolRequest, GetDashboardRequest);
names!(InProgram, program, program_id: RegisterGuaranteedLoanRequest, ReportRepaymentRequest, ClaimCompensationRequest, ReportRecoveryRequest, GetGuaranteedLoanRequest, GetLeverageReportRequest, SubsidyPeriodRequest, GetSubsidyStatementRequest);
names!(InBook, book, book_id: GetBookRequest, GetTrialBalanceRequest, ClosePeriodRequest);

/// Authorizes a call on the fund its request names.
pub fn allow_fund<T: InFund>(
    ledger: &Ledger,
    request: &Request<T>,
    act: Act,
) -> Result<Caller, Status> {
    allow_on(ledger, request, act, On::Fund(request.get_ref().fund()))
}

/// Authorizes a call on the federation its request names.
pub fn allow_federation<T: InFederation>(
    ledger: &Ledger,
    request: &Request<T>,
    act: Act,
) -> Result<Caller, Status> {
    allow_on(
        ledger,
        request,
        act,
        On::Federation(request.get_ref().federation()),
    )
}

/// Authorizes a call on the program its request names.
pub fn allow_program<T: InProgram>(
    ledger: &Ledger,
    request: &Request<T>,
    act: Act,
) -> Result<Caller, Status> {
    allow_on(
        ledger,
        request,
        act,
        On::Program(request.get_ref().program()),
    )
}

/// Authorizes a call on the book its request names (a fund's, a
/// federation's or a program's, by its kind).
pub fn allow_book<T: InBook>(
    ledger: &Ledger,
    request: &Request<T>,
    act: Act,
) -> Result<Caller, Status> {
    allow_on(ledger, request, act, On::Book(request.get_ref().book()))
}

/// Authorizes reading every book named (extracts); no book names the whole
/// store, which only admin and a regulator of every book may read.
pub fn allow_books<T>(
    ledger: &Ledger,
    request: &Request<T>,
    books: &[String],
) -> Result<Caller, Status> {
    let Some((last, rest)) = books.split_last() else {
        return allow_on(ledger, request, Act::Read, On::Store);
    };
    for book in rest {
        allow_on(ledger, request, Act::Read, On::Book(book))?;
    }
    allow_on(ledger, request, Act::Read, On::Book(last))
}

/// The request id of the admin token a new store starts with.
const FIRST_ADMIN_REQUEST: &str = "serve-first-admin-token";

/// On a store without tokens: issues an admin token into `admin.token` in
/// the data directory and answers the file's path. `None` when tokens exist.
pub async fn first_admin_token(
    ledger: &Ledger,
    data_dir: &Path,
) -> Result<Option<PathBuf>, String> {
    let has_tokens = ledger
        .shared()
        .state
        .read()
        .records_under(auth::TOKEN_PREFIX)
        .next()
        .is_some();
    if has_tokens {
        return Ok(None);
    }
    let path = data_dir.join(auth::ADMIN_TOKEN_FILE);
    admin_token_file(
        ledger,
        &path,
        FIRST_ADMIN_REQUEST,
        "first admin (created by huzhu serve)",
    )
    .await?;
    Ok(Some(path))
}

/// Issues an admin token without a caller (a new store, or `huzhu token
/// rescue` on a stopped one) and writes it to `path` (owner read/write only)
/// before its record is stored, so a crash between the two leaves no token
/// that nobody holds.
pub async fn admin_token_file(
    ledger: &Ledger,
    path: &Path,
    request_id: &str,
    label: &str,
) -> Result<String, String> {
    let secret = auth::new_secret().map_err(|e| format!("cannot draw a random token: {e}"))?;
    let token_id = auth::token_id_for(request_id);
    auth::write_token_file(path, &format!("{token_id}.{secret}\n"))
        .map_err(|e| format!("cannot write the admin token to {}: {e}", path.display()))?;
    let record = TokenRecord {
        token_id: token_id.clone(),
        role: Role::Admin,
        scope: auth::Scope::All.to_string(),
        label: label.into(),
        secret_sha256: secret_hash(&secret),
        issued_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        issued_by: "huzhu (on the store)".into(),
        revoked_at: None,
        revoked_by: None,
    };
    let fingerprint = payload_hash("token.admin_file", &record.token_id);
    let id = token_id.clone();
    ledger
        .apply(
            request_id.into(),
            "huzhu (on the store)".into(),
            fingerprint,
            Box::new(move |_, _| {
                Ok(Plan {
                    records: vec![json(auth::token_key(&id), &record)],
                    ..Plan::default()
                })
            }),
            false,
        )
        .await
        .map_err(|e| format!("cannot store the admin token: {e}"))?;
    Ok(token_id)
}

/// Refuses, on the writer, an operation whose caller's token was revoked
/// after the gate let the call in: the gate and the write are not one step.
pub fn still_valid(state: &State, actor: &str) -> crate::ledger::Result<()> {
    let token_id = actor.split('/').next().unwrap_or_default();
    let record: Option<TokenRecord> = load(state, &auth::token_key(token_id))?;
    match record.and_then(|r| r.revoked_at) {
        Some(at) => Err(crate::ledger::LedgerError::rule(
            "token_revoked",
            "authorization",
            format!("token {token_id} was revoked at {at}, before this call was recorded"),
        )),
        None => Ok(()),
    }
}
