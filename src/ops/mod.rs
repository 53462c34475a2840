//! Every RPC's operation, one in a file, grouped by area (`fund/`,
//! `federation/`, `riskfund/`, `subsidy/`, `token/`, `ledger/`, `extract/`).
//!
//! A business write is an [`Operation`]: what it acts on (for
//! authorization), how it decodes its request into domain inputs, a planner
//! `(&State, &Store) -> Plan` that reads the records, asks the domain rules
//! and recipes, and returns the entries and records to store, and how it
//! answers once that is durable. [`operate`] runs one through the single
//! writer, idempotent by request id. Everything else (reads, the ledger's own
//! commands, the extract streams) is a [`Call`].
use std::future::Future;
use std::sync::Arc;

use prost::Message;

use crate::auth::{Caller, Needs};
use crate::domain::fund::FundError;
use crate::domain::money::RateCeiling;
use crate::ledger::record::{hash_bytes, Hash};
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, Planner, Result, Store};
use crate::wire::decode;

pub mod extract;
pub mod federation;
pub mod fund;
pub mod ledger;
pub mod migrate;
pub mod riskfund;
pub mod subsidy;
pub mod token;

/// What the writer did with an operation (nothing, for a read: `Done::default()`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Done {
    /// A retry of the request id: answered from the first result, nothing posted.
    pub replayed: bool,
    /// The entries posted, in order.
    pub seqs: Vec<u64>,
}

/// A business operation: a fund's, a federation's, a program's, a token's.
pub trait Operation: Sized + Send + Sync + 'static {
    type Request: Message + Send + 'static;
    type Response: Send + 'static;
    /// The operation's name in its idempotency fingerprint ("fund.repay_loan").
    /// Stores hold fingerprints made with it: it never changes.
    const KIND: &'static str;
    /// Reads balances at past dates: runs in a group of its own, after
    /// everything before it is in the store.
    const ISOLATED: bool = false;
    /// What the call acts on: the caller may do any one of these.
    fn needs(request: &Self::Request) -> Needs<'_>;
    fn request_id(request: &Self::Request) -> &str;
    /// The request as domain inputs, refused with the field at fault.
    fn decode(request: &Self::Request, caller: &Caller) -> Result<Self>;
    /// The deployment's limits on what was decoded, refused like `decode`
    /// (INVALID_ARGUMENT naming the field): the annual rates it carries
    /// against the ceiling `huzhu serve --max-rate-annual` sets. Most
    /// operations carry no rate.
    fn within(&self, _ceiling: RateCeiling) -> Result<()> {
        Ok(())
    }
    /// Runs on the writer, in order with every other command.
    fn plan(&self, state: &State, store: &Store<'_>) -> Result<Plan>;
    /// The answer, once the plan is durable (or was, for a retry).
    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response>;
}

/// Every other call: a read, one of the ledger's own commands, a stream.
pub trait Call: Sized + Send + 'static {
    type Request: Send + 'static;
    type Response: Send + 'static;
    fn needs(request: &Self::Request) -> Needs<'_>;
    fn decode(request: Self::Request, caller: &Caller) -> Result<Self>;
    fn run(self, ledger: Ledger) -> impl Future<Output = Result<Self::Response>> + Send;
}

/// The fingerprint of an operation's request: its kind, the caller and the
/// request's bytes. A request id another token used is refused, never
/// answered with that token's result.
fn fingerprint<M: Message>(kind: &str, actor: &str, request: &M) -> Hash {
    let mut bytes = kind.as_bytes().to_vec();
    bytes.push(0);
    bytes.extend(actor.as_bytes());
    bytes.push(0);
    bytes.extend(request.encode_to_vec());
    hash_bytes(&bytes)
}

/// Runs an operation for an authorized caller: decodes it, checks it within
/// the deployment's limits, hands its planner
/// to the writer (after checking, there, that the caller's token was not
/// revoked since the gate let the call in), and answers.
pub async fn operate<O: Operation>(
    ledger: &Ledger,
    caller: &Caller,
    request: O::Request,
) -> Result<O::Response> {
    let op = O::decode(&request, caller)?;
    op.within(ledger.max_rate_annual())?;
    let op = Arc::new(op);
    let request_id = decode::request_id(O::request_id(&request))?;
    let actor = caller.actor();
    let planned = op.clone();
    let who = actor.clone();
    let planner: Planner = Box::new(move |state, store| {
        token::still_valid(state, &who)?;
        planned.plan(state, store)
    });
    let (replayed, seqs) = ledger
        .apply(
            request_id,
            actor.clone(),
            fingerprint(O::KIND, &actor, &request),
            planner,
            O::ISOLATED,
        )
        .await?;
    op.respond(ledger, Done { replayed, seqs })
}

/// Runs a read that scans the store on the blocking pool, off the async workers.
pub async fn blocking<T: Send + 'static>(
    ledger: Ledger,
    read: impl FnOnce(&Ledger) -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(move || read(&ledger))
        .await
        .map_err(|e| LedgerError::Internal(format!("read task failed: {e}")))?
}

/// A refusal of a domain rule, about the request field `subject` names.
pub fn refused(e: FundError, subject: &str) -> LedgerError {
    match e {
        FundError::Rule { rule, detail } => LedgerError::rule(rule, subject, detail),
        FundError::Invalid { field, reason } => LedgerError::invalid(field, reason),
    }
}

/// A refusal of a domain rule, about the request field `fields` lists with
/// its rule (the field a user would change), else `default`.
pub fn refused_by(e: FundError, fields: &[(&str, &str)], default: &str) -> LedgerError {
    let subject = match &e {
        FundError::Rule { rule, .. } => fields
            .iter()
            .find(|(r, _)| r == rule)
            .map_or(default, |(_, field)| field),
        FundError::Invalid { .. } => default,
    };
    refused(e, subject)
}

/// The refusal of a name that is taken.
pub fn taken(field: &str, what: String) -> LedgerError {
    LedgerError::AlreadyExists {
        field: field.into(),
        what,
    }
}

/// Implements the parts of an [`Operation`] every one spells the same way:
/// its request and response types, its kind, and its request id.
macro_rules! operation_io {
    ($request:ty => $response:ty, $kind:literal) => {
        type Request = $request;
        type Response = $response;
        const KIND: &'static str = $kind;
        fn request_id(request: &Self::Request) -> &str {
            &request.request_id
        }
    };
}
pub(crate) use operation_io;
