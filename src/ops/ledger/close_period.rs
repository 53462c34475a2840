//! ClosePeriod: a book's months closed through a month's end; a closed
//! period accepts no new entries dated inside it (the book's keeper's call).
use crate::auth::{Act, Caller, Needs, On};
use crate::ledger::{ClosePeriod as Close, Ledger, Result};
use crate::ops::Call;
use crate::pb;
use crate::wire::decode;

use super::{book_id_of, book_response};

pub struct ClosePeriod(Close);

impl Call for ClosePeriod {
    type Request = pb::ClosePeriodRequest;
    type Response = pb::ClosePeriodResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Keep, On::Book(&r.book_id))
    }

    fn decode(r: Self::Request, caller: &Caller) -> Result<Self> {
        Ok(Self(Close {
            request_id: decode::request_id(&r.request_id)?,
            actor: caller.actor(),
            book_id: decode::book_id("book_id", &r.book_id)?,
            period_end: decode::period_end(&r.period)?,
        }))
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let booked = ledger.close_period(self.0).await?;
        let (book, _) = book_response(&ledger, &book_id_of(&ledger, booked.no))?;
        Ok(pb::ClosePeriodResponse {
            book: Some(book),
            replayed: booked.replayed,
        })
    }
}
