//! The regulator's extract streams: the chain head, and balances, the loan
//! ledger, subsidy claims and the journal, each pinned to one chain head and
//! produced page by page (`extract::source`) for the API to stream; and the
//! quarterly report of a fund or a federation (`quarterly`).
use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::extract::source;
use crate::ledger::record::hash_hex;
use crate::ledger::{Ledger, LedgerError, Result};
use crate::ops::Call;
use crate::pb;
use crate::wire::decode;

mod quarterly;
pub use quarterly::GetQuarterlyReport;

/// Pages handed to `send` one at a time until it answers false (the client
/// has gone): what a stream produces, on the blocking pool.
pub type Pages<T> = Box<dyn FnOnce(&mut dyn FnMut(Result<T>) -> bool) + Send>;

/// Reading every book named; no book names the whole store, which only an
/// administrator and a regulator of every book may read.
fn reads_books(books: &[String]) -> Needs<'_> {
    if books.is_empty() {
        return Needs::one(Act::Read, On::Store);
    }
    Needs::All(books.iter().map(|b| (Act::Read, On::Book(b))).collect())
}

/// A period's first and last dates, in order.
fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate)> {
    let from = decode::calendar_date("from_date", from)?;
    let to = decode::calendar_date("to_date", to)?;
    if from > to {
        return Err(LedgerError::invalid(
            "from_date",
            format!("{from} is after to_date {to}"),
        ));
    }
    Ok((from, to))
}

pub struct GetChainHead;

impl Call for GetChainHead {
    type Request = pb::GetChainHeadRequest;
    type Response = pb::ChainHead;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Any, On::Store)
    }

    fn decode(_: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self)
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let state = ledger.state();
        Ok(pb::ChainHead {
            seq: state.head_seq,
            hash: hash_hex(&state.head_hash),
        })
    }
}

/// The books, a date and the head a state-at-a-date stream is pinned to.
struct AtDate {
    book_ids: Vec<String>,
    as_of: String,
    through_seq: u64,
}

impl AtDate {
    fn resolve(self, ledger: &Ledger) -> Result<(Vec<String>, NaiveDate, u64)> {
        let as_of = decode::calendar_date("as_of", &self.as_of)?;
        let head = source::pinned_head(ledger, self.through_seq)?;
        let books = source::books_in_scope(ledger, &self.book_ids)?;
        Ok((books, as_of, head))
    }
}

pub struct StreamBalances(AtDate);

impl Call for StreamBalances {
    type Request = pb::StreamBalancesRequest;
    type Response = Pages<pb::BalancePage>;

    fn needs(r: &Self::Request) -> Needs<'_> {
        reads_books(&r.book_ids)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self(AtDate {
            book_ids: r.book_ids,
            as_of: r.as_of,
            through_seq: r.through_seq,
        }))
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let (books, as_of, head) = self.0.resolve(&ledger)?;
        Ok(Box::new(move |send| {
            source::balances(&ledger, &books, as_of, head, send)
        }))
    }
}

pub struct StreamLoans(AtDate);

impl Call for StreamLoans {
    type Request = pb::StreamLoansRequest;
    type Response = Pages<pb::LoanPage>;

    fn needs(r: &Self::Request) -> Needs<'_> {
        reads_books(&r.book_ids)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self(AtDate {
            book_ids: r.book_ids,
            as_of: r.as_of,
            through_seq: r.through_seq,
        }))
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let (books, as_of, head) = self.0.resolve(&ledger)?;
        Ok(Box::new(move |send| {
            source::loans(&ledger, &books, as_of, head, send)
        }))
    }
}

pub struct StreamSubsidyClaims {
    book_ids: Vec<String>,
    from: NaiveDate,
    to: NaiveDate,
}

impl Call for StreamSubsidyClaims {
    type Request = pb::StreamSubsidyClaimsRequest;
    type Response = Pages<pb::SubsidyClaimPage>;

    fn needs(r: &Self::Request) -> Needs<'_> {
        reads_books(&r.book_ids)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        let (from, to) = period(&r.from_date, &r.to_date)?;
        Ok(Self {
            book_ids: r.book_ids,
            from,
            to,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let books = source::books_in_scope(&ledger, &self.book_ids)?;
        let (from, to) = (self.from, self.to);
        Ok(Box::new(move |send| {
            source::subsidy_claims(&ledger, &books, from, to, send)
        }))
    }
}

pub struct StreamJournal {
    book_ids: Vec<String>,
    from: NaiveDate,
    to: NaiveDate,
    through_seq: u64,
}

impl Call for StreamJournal {
    type Request = pb::StreamJournalRequest;
    type Response = Pages<pb::JournalPage>;

    fn needs(r: &Self::Request) -> Needs<'_> {
        reads_books(&r.book_ids)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        let (from, to) = period(&r.from_date, &r.to_date)?;
        Ok(Self {
            book_ids: r.book_ids,
            from,
            to,
            through_seq: r.through_seq,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let head = source::pinned_head(&ledger, self.through_seq)?;
        let scope: BTreeSet<String> = source::books_in_scope(&ledger, &self.book_ids)?
            .into_iter()
            .collect();
        let (from, to) = (self.from, self.to);
        Ok(Box::new(move |send| {
            source::journal(&ledger, &scope, from, to, head, send)
        }))
    }
}
