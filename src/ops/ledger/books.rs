//! CreateBook, GetBook, ListBooks and OpenAccount: a book with its chart's
//! header accounts, the index of books, and a sub-account under a chart code
//! (administrators').
use crate::auth::{Act, Caller, Needs, On};
use crate::ledger::{CreateBook as Create, Ledger, OpenAccount as Open, Result};
use crate::ops::Call;
use crate::pb;
use crate::wire::{decode, encode};

use super::{book_id_of, book_response};

pub struct CreateBook(Create);

impl Call for CreateBook {
    type Request = pb::CreateBookRequest;
    type Response = pb::CreateBookResponse;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: Self::Request, caller: &Caller) -> Result<Self> {
        Ok(Self(Create {
            request_id: decode::request_id(&r.request_id)?,
            actor: caller.actor(),
            book_id: decode::book_id("book_id", &r.book_id)?,
            kind: decode::book_kind(r.kind)?,
            name: decode::name("name", &r.name, true)?,
        }))
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let booked = ledger.create_book(self.0).await?;
        let (book, accounts) = book_response(&ledger, &book_id_of(&ledger, booked.no))?;
        Ok(pb::CreateBookResponse {
            book: Some(book),
            accounts,
            replayed: booked.replayed,
        })
    }
}

pub struct GetBook {
    book_id: String,
}

impl Call for GetBook {
    type Request = pb::GetBookRequest;
    type Response = pb::GetBookResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Book(&r.book_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            book_id: decode::book_id("book_id", &r.book_id)?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let (book, accounts) = book_response(&ledger, &self.book_id)?;
        Ok(pb::GetBookResponse {
            book: Some(book),
            accounts,
        })
    }
}

/// The index of every book, for a reader of the whole store.
pub struct ListBooks;

impl Call for ListBooks {
    type Request = pb::ListBooksRequest;
    type Response = pb::ListBooksResponse;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Store)
    }

    fn decode(_: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self)
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let books = ledger.state().books.iter().map(encode::book).collect();
        Ok(pb::ListBooksResponse { books })
    }
}

pub struct OpenAccount(Open);

impl Call for OpenAccount {
    type Request = pb::OpenAccountRequest;
    type Response = pb::OpenAccountResponse;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: Self::Request, caller: &Caller) -> Result<Self> {
        let account = decode::account_ref("account", r.account.as_ref())?;
        let name = decode::name("name", &r.name, false)?;
        Ok(Self(Open {
            request_id: decode::request_id(&r.request_id)?,
            actor: caller.actor(),
            name: if name.is_empty() {
                account.sub.clone()
            } else {
                name
            },
            account,
            non_negative: r.non_negative,
        }))
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let book_id = self.0.account.book_id.clone();
        let opened = ledger.open_account(self.0).await?;
        let (meta, balance) = ledger.account(opened.no);
        Ok(pb::OpenAccountResponse {
            account: Some(encode::account(&book_id, &meta, balance)),
            replayed: opened.replayed,
        })
    }
}
