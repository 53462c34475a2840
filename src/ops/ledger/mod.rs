//! The ledger's own calls: books, accounts, raw entries and reversals,
//! balances, the journal, trial balances, closing periods, the full check.
use crate::ledger::{Ledger, Result};
use crate::pb;
use crate::wire::encode;

pub mod books;
pub mod close_period;
pub mod entries;
pub mod reads;
pub mod verify;

/// A book and its accounts with their current balances, as messages.
fn book_response(ledger: &Ledger, book_id: &str) -> Result<(pb::Book, Vec<pb::Account>)> {
    let (book, accounts) = ledger.book(book_id)?;
    let accounts = accounts
        .iter()
        .map(|(a, bal)| encode::account(&book.book_id, a, *bal))
        .collect();
    Ok((encode::book(&book), accounts))
}

/// The id of a book by its number.
fn book_id_of(ledger: &Ledger, no: u32) -> String {
    ledger.state().books[no as usize].book_id.clone()
}
