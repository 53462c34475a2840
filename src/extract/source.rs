//! The server side of an extract: balances and the journal read from the store
//! page by page, bounded to a pinned chain head. Runs on the blocking pool and
//! hands each page to `send`, which returns false when the client has gone
//! (the read then stops). Nothing here holds more than one page.
use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::PAGE_ITEMS;
use crate::domain::chart::AccountType;
use crate::domain::money::format_fen;
use crate::ledger::record::{hash_bytes, hash_hex, EntryRecord};
use crate::ledger::{journal, Ledger, LedgerError, Result};
use crate::pb;

/// The head seq a read is bounded to: `through` if given (it must be durable),
/// else the durable head.
pub fn pinned_head(ledger: &Ledger, through: u64) -> Result<u64> {
    let head = ledger.head_seq();
    match through {
        0 => Ok(head),
        t if t <= head => Ok(t),
        t => Err(LedgerError::invalid(
            "through_seq",
            format!("entry {t} is beyond the durable head {head}"),
        )),
    }
}

/// The books of a request, checked to exist; every book for an empty list.
pub fn books_in_scope(ledger: &Ledger, asked: &[String]) -> Result<Vec<String>> {
    let state = ledger.shared().state.read();
    if asked.is_empty() {
        return Ok(state.books.iter().map(|b| b.book_id.clone()).collect());
    }
    asked
        .iter()
        .enumerate()
        .map(|(i, id)| {
            state.book(id).map(|b| b.book_id.clone()).ok_or_else(|| {
                LedgerError::not_found(format!("book_ids[{i}]"), format!("book {id:?}"))
            })
        })
        .collect()
}

pub fn account_type_name(t: AccountType) -> &'static str {
    match t {
        AccountType::Asset => "asset",
        AccountType::Liability => "liability",
        AccountType::Equity => "equity",
        AccountType::Income => "income",
        AccountType::Expense => "expense",
        AccountType::MemoDebit => "memo_debit",
        AccountType::MemoCredit => "memo_credit",
    }
}

/// Every account of `books` with its debit-positive balance at the end of
/// `as_of`, counting entries through `head` only.
pub fn balances(
    ledger: &Ledger,
    books: &[String],
    as_of: NaiveDate,
    head: u64,
    send: &mut dyn FnMut(Result<pb::BalancePage>) -> bool,
) {
    let mut page = pb::BalancePage::default();
    for book_id in books {
        let (book, accounts) = match ledger.book(book_id) {
            Ok(b) => b,
            Err(e) => {
                send(Err(e));
                return;
            }
        };
        for (meta, _) in accounts {
            let fen = match ledger.balance_as_of(meta.no, as_of, head) {
                Ok(f) => f,
                Err(e) => {
                    send(Err(e));
                    return;
                }
            };
            page.lines.push(pb::BalanceLine {
                book_id: book.book_id.clone(),
                book_kind: book.kind.as_str().into(),
                code: meta.code,
                sub: meta.sub,
                name: meta.name,
                account_type: account_type_name(meta.account_type).into(),
                balance: format_fen(fen),
            });
            if page.lines.len() == PAGE_ITEMS && !send(Ok(std::mem::take(&mut page))) {
                return;
            }
        }
    }
    if !page.lines.is_empty() {
        send(Ok(page));
    }
}

/// The chain from entry 1 through `head`, with the stored record of each entry
/// dated in `from..=to` that touches a book of `scope`.
pub fn journal(
    ledger: &Ledger,
    scope: &BTreeSet<String>,
    from: NaiveDate,
    to: NaiveDate,
    head: u64,
    send: &mut dyn FnMut(Result<pb::JournalPage>) -> bool,
) {
    let mut page = pb::JournalPage::default();
    for item in journal::scan(ledger.db(), 1, head) {
        let (seq, bytes) = match item {
            Ok(i) => i,
            Err(e) => {
                send(Err(e));
                return;
            }
        };
        let record = match EntryRecord::decode(&bytes) {
            Ok(r) => r,
            Err(e) => {
                send(Err(LedgerError::Internal(format!(
                    "entry {seq} in the store does not decode: {e}"
                ))));
                return;
            }
        };
        let in_scope = (from..=to).contains(&record.value_date)
            && record.postings.iter().any(|p| scope.contains(&p.book));
        page.items.push(pb::JournalItem {
            seq,
            prev_hash: record.prev_hash,
            hash: hash_hex(&hash_bytes(&bytes)),
            record: if in_scope { bytes } else { Vec::new() },
        });
        if page.items.len() == PAGE_ITEMS && !send(Ok(std::mem::take(&mut page))) {
            return;
        }
    }
    if !page.items.is_empty() {
        send(Ok(page));
    }
}
