//! What every business service shares: running an operation on the ledger's
//! writer (idempotent by request id), reading and writing registry records,
//! reading balances from the writer's state, building two-leg entries, and
//! decoding amounts and identifiers. Fund, program and federation services
//! are planners written with these pieces; none of them computes money here.
use chrono::NaiveDate;
use prost::Message;
use rust_decimal::Decimal;
use serde::{de::DeserializeOwned, Serialize};
use tonic::{Response, Status};

use super::convert as cv;
use super::status::to_status;
use crate::domain::chart::AccountType;
use crate::domain::money::parse_posting_amount;
use crate::ledger::record::{hash_bytes, Side};
use crate::ledger::state::State;
use crate::ledger::{
    AccountName, Ledger, LedgerError, Plan, PlannedEntry, Planner, PostingInput, Result, Store,
};

/// What a tonic handler answers.
pub type Answer<T> = std::result::Result<Response<T>, Status>;

/// Runs an operation on the writer; the caller and the request's bytes are its fingerprint,
/// so a retry with the same request id and payload is answered `(true, [])`
/// and the same id with another payload is refused. Returns (replayed, seqs).
pub async fn run<M: Message>(
    ledger: &Ledger,
    kind: &str,
    request: &M,
    request_id: &str,
    actor: &str,
    planner: impl FnOnce(&State) -> Result<Plan> + Send + 'static,
) -> std::result::Result<(bool, Vec<u64>), Status> {
    let planner: Planner = Box::new(move |state, _| planner(state));
    submit(ledger, kind, request, request_id, actor, planner, false).await
}

/// Runs an operation that reads balances at past dates: isolated on the writer.
pub async fn run_isolated<M: Message>(
    ledger: &Ledger,
    kind: &str,
    request: &M,
    request_id: &str,
    actor: &str,
    planner: impl FnOnce(&State, &Store<'_>) -> Result<Plan> + Send + 'static,
) -> std::result::Result<(bool, Vec<u64>), Status> {
    submit(
        ledger,
        kind,
        request,
        request_id,
        actor,
        Box::new(planner),
        true,
    )
    .await
}

async fn submit<M: Message>(
    ledger: &Ledger,
    kind: &str,
    request: &M,
    request_id: &str,
    actor: &str,
    planner: Planner,
    isolated: bool,
) -> std::result::Result<(bool, Vec<u64>), Status> {
    let request_id = cv::request_id(request_id).map_err(to_status)?;
    let actor = actor.to_string();
    let caller = actor.clone();
    let planner: Planner = Box::new(move |state, store| {
        super::access::still_valid(state, &caller)?;
        planner(state, store)
    });
    // The caller is part of the fingerprint: a request id another token
    // used is refused, never answered with that token's result.
    let mut bytes = kind.as_bytes().to_vec();
    bytes.push(0);
    bytes.extend(actor.as_bytes());
    bytes.push(0);
    bytes.extend(request.encode_to_vec());
    ledger
        .apply(request_id, actor, hash_bytes(&bytes), planner, isolated)
        .await
        .map_err(to_status)
}

/// A registry record decoded, or `None` when there is none under `key`.
pub fn load<T: DeserializeOwned>(state: &State, key: &str) -> Result<Option<T>> {
    state
        .records
        .get(key)
        .map(|r| {
            serde_json::from_slice(&r.value).map_err(|e| {
                LedgerError::Internal(format!("registry record {key} does not decode: {e}"))
            })
        })
        .transpose()
}

/// Every registry record under `prefix`, decoded, in key order.
pub fn load_all<T: DeserializeOwned>(state: &State, prefix: &str) -> Result<Vec<T>> {
    state
        .records_under(prefix)
        .map(|(key, record)| {
            serde_json::from_slice(&record.value).map_err(|e| {
                LedgerError::Internal(format!("registry record {key} does not decode: {e}"))
            })
        })
        .collect()
}

/// A registry record to write with a plan.
pub fn json<T: Serialize>(key: String, value: &T) -> (String, String) {
    (
        key,
        serde_json::to_string(value).expect("registry records serialize"),
    )
}

/// Balance on the account's normal side, in fen; 0 for an account not opened.
pub fn balance(state: &State, book: &str, code: &str, sub: &str) -> i128 {
    state
        .book(book)
        .and_then(|b| state.account_no(b.no, code, sub))
        .map_or(0, |no| {
            state.accounts[no as usize].normal_balance(state.balances[no as usize])
        })
}

/// A book's capital: the sum of its equity accounts on their normal side, in fen.
pub fn equity(state: &State, book_id: &str) -> i128 {
    state.book(book_id).map_or(0, |b| {
        state.book_accounts[b.no as usize]
            .iter()
            .map(|no| &state.accounts[*no as usize])
            .filter(|a| a.account_type == AccountType::Equity)
            .map(|a| a.normal_balance(state.balances[a.no as usize]))
            .sum()
    })
}

pub fn account(book_id: &str, code: &str, sub: &str) -> AccountName {
    AccountName {
        book_id: book_id.into(),
        code: code.into(),
        sub: sub.into(),
    }
}

/// One entry: debit one account, credit another, the same amount.
pub fn transfer(
    date: NaiveDate,
    memo: String,
    debit: AccountName,
    credit: AccountName,
    amount_fen: i64,
) -> PlannedEntry {
    PlannedEntry {
        value_date: date,
        memo,
        postings: vec![
            PostingInput {
                account: debit,
                side: Side::Debit,
                amount_fen,
            },
            PostingInput {
                account: credit,
                side: Side::Credit,
                amount_fen,
            },
        ],
    }
}

/// One entry of any number of legs, possibly across books; legs of zero
/// fen (a fee of no days) are left out.
pub fn entry(
    date: NaiveDate,
    memo: String,
    legs: impl IntoIterator<Item = (AccountName, Side, i64)>,
) -> PlannedEntry {
    PlannedEntry {
        value_date: date,
        memo,
        postings: legs
            .into_iter()
            .filter(|(_, _, fen)| *fen != 0)
            .map(|(account, side, amount_fen)| PostingInput {
                account,
                side,
                amount_fen,
            })
            .collect(),
    }
}

/// A posting amount from the request's `field`: > 0, at most two places.
pub fn amount(field: &str, text: &str) -> Result<i64> {
    parse_posting_amount(text).map_err(|e| LedgerError::invalid(field, e))
}

/// An identifier (member, loan, household, group...): 1-40 of `[A-Za-z0-9._-]`.
pub fn ident(field: &str, value: &str) -> Result<String> {
    let ok = !value.is_empty()
        && value.len() <= 40
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(value.to_string())
    } else {
        Err(LedgerError::invalid(
            field,
            "must be 1-40 letters, digits, '-', '_' or '.'",
        ))
    }
}

/// A balance in fen as a posting amount.
pub fn fen_of(fen: i128) -> Result<i64> {
    i64::try_from(fen).map_err(|_| LedgerError::Internal(format!("{fen} fen is out of range")))
}

/// A computed amount in fen (it must have at most two places: rounded by
/// `domain::money` before it gets here).
pub fn to_fen(d: Decimal) -> Result<i64> {
    parse_posting_amount(&d.to_string())
        .map_err(|e| LedgerError::Internal(format!("amount {d}: {e}")))
}
