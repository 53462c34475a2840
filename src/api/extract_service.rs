//! ExtractService: read-only streams for regulators. Decodes the request, pins
//! the chain head, and runs `extract::source` on the blocking pool, handing
//! pages to the client through a bounded channel (flat memory on the server).
use std::collections::BTreeSet;

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::access::{allow_books, allow_on, On};
use super::convert as cv;
use super::registry::Answer;
use super::status::to_status;
use crate::auth::Act;
use crate::extract::{source, PAGES_IN_FLIGHT};
use crate::ledger::record::hash_hex;
use crate::ledger::{Ledger, LedgerError};
use crate::pb::{self, extract_service_server::ExtractService};

pub struct ExtractApi {
    ledger: Ledger,
}

impl ExtractApi {
    pub fn new(ledger: Ledger) -> Self {
        Self { ledger }
    }

    /// A request for the state of some books at a date: the books (checked),
    /// the date and the pinned head.
    fn at_date(
        &self,
        book_ids: &[String],
        as_of: &str,
        through_seq: u64,
    ) -> Result<(Vec<String>, chrono::NaiveDate, u64), Status> {
        let as_of = cv::calendar_date("as_of", as_of).map_err(to_status)?;
        let head = source::pinned_head(&self.ledger, through_seq).map_err(to_status)?;
        let books = source::books_in_scope(&self.ledger, book_ids).map_err(to_status)?;
        Ok((books, as_of, head))
    }
}

/// A period's first and last dates, in order.
fn period(from: &str, to: &str) -> Result<(chrono::NaiveDate, chrono::NaiveDate), Status> {
    let from = cv::calendar_date("from_date", from).map_err(to_status)?;
    let to = cv::calendar_date("to_date", to).map_err(to_status)?;
    if from > to {
        return Err(to_status(LedgerError::invalid(
            "from_date",
            format!("{from} is after to_date {to}"),
        )));
    }
    Ok((from, to))
}

type PageStream<T> = ReceiverStream<Result<T, Status>>;

/// Runs `produce` on the blocking pool; its pages go to the returned stream.
fn stream<T: Send + 'static>(
    produce: impl FnOnce(&mut dyn FnMut(crate::ledger::Result<T>) -> bool) + Send + 'static,
) -> PageStream<T> {
    let (tx, rx) = mpsc::channel(PAGES_IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        produce(&mut |page| tx.blocking_send(page.map_err(to_status)).is_ok());
    });
    ReceiverStream::new(rx)
}

#[tonic::async_trait]
impl ExtractService for ExtractApi {
    async fn get_chain_head(
        &self,
        request: Request<pb::GetChainHeadRequest>,
    ) -> Answer<pb::ChainHead> {
        allow_on(&self.ledger, &request, Act::Any, On::Store)?;
        let state = self.ledger.shared().state.read();
        Ok(Response::new(pb::ChainHead {
            seq: state.head_seq,
            hash: hash_hex(&state.head_hash),
        }))
    }

    type StreamBalancesStream = PageStream<pb::BalancePage>;

    async fn stream_balances(
        &self,
        request: Request<pb::StreamBalancesRequest>,
    ) -> Answer<Self::StreamBalancesStream> {
        allow_books(&self.ledger, &request, &request.get_ref().book_ids)?;
        let r = request.into_inner();
        let (books, as_of, head) = self.at_date(&r.book_ids, &r.as_of, r.through_seq)?;
        let ledger = self.ledger.clone();
        Ok(Response::new(stream(move |send| {
            source::balances(&ledger, &books, as_of, head, send)
        })))
    }

    type StreamLoansStream = PageStream<pb::LoanPage>;

    async fn stream_loans(
        &self,
        request: Request<pb::StreamLoansRequest>,
    ) -> Answer<Self::StreamLoansStream> {
        allow_books(&self.ledger, &request, &request.get_ref().book_ids)?;
        let r = request.into_inner();
        let (books, as_of, head) = self.at_date(&r.book_ids, &r.as_of, r.through_seq)?;
        let ledger = self.ledger.clone();
        Ok(Response::new(stream(move |send| {
            source::loans(&ledger, &books, as_of, head, send)
        })))
    }

    type StreamSubsidyClaimsStream = PageStream<pb::SubsidyClaimPage>;

    async fn stream_subsidy_claims(
        &self,
        request: Request<pb::StreamSubsidyClaimsRequest>,
    ) -> Answer<Self::StreamSubsidyClaimsStream> {
        allow_books(&self.ledger, &request, &request.get_ref().book_ids)?;
        let r = request.into_inner();
        let (from, to) = period(&r.from_date, &r.to_date)?;
        let books = source::books_in_scope(&self.ledger, &r.book_ids).map_err(to_status)?;
        let ledger = self.ledger.clone();
        Ok(Response::new(stream(move |send| {
            source::subsidy_claims(&ledger, &books, from, to, send)
        })))
    }

    type StreamJournalStream = PageStream<pb::JournalPage>;

    async fn stream_journal(
        &self,
        request: Request<pb::StreamJournalRequest>,
    ) -> Answer<Self::StreamJournalStream> {
        allow_books(&self.ledger, &request, &request.get_ref().book_ids)?;
        let r = request.into_inner();
        let (from, to) = period(&r.from_date, &r.to_date)?;
        let head = source::pinned_head(&self.ledger, r.through_seq).map_err(to_status)?;
        let scope: BTreeSet<String> = source::books_in_scope(&self.ledger, &r.book_ids)
            .map_err(to_status)?
            .into_iter()
            .collect();
        let ledger = self.ledger.clone();
        Ok(Response::new(stream(move |send| {
            source::journal(&ledger, &scope, from, to, head, send)
        })))
    }
}
