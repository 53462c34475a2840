//! The server side of an extract: balances and the journal read from the store
//! page by page, bounded to a pinned chain head. Runs on the blocking pool and
//! hands each page to `send`, which returns false when the client has gone
//! (the read then stops). Nothing here holds more than one page.
use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::PAGE_ITEMS;
use crate::domain::chart::code::fund::{FEE_RECEIVABLE, LOAN_PRINCIPAL};
use crate::domain::chart::BookKind;
use crate::domain::fund::Member;
use crate::domain::loan::recipe::loan_sub;
use crate::domain::loan::Loan;
use crate::domain::money::{format_fen, format_yuan};
use crate::domain::servicing;
use crate::ledger::record::{hash_bytes, hash_hex, EntryRecord};
use crate::ledger::{journal, Ledger, LedgerError, Result};
use crate::pb;
use crate::registry::{self, keys};
use crate::wire::encode;

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
                account_type: encode::account_type_name(meta.account_type).into(),
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

/// The loan ledger of the fund books among `books` at the end of `as_of`.
/// Balances count entries through `head`; loan records are read as they are
/// now and seen as of the date (`servicing::as_of`).
pub fn loans(
    ledger: &Ledger,
    books: &[String],
    as_of: NaiveDate,
    head: u64,
    send: &mut dyn FnMut(Result<pb::LoanPage>) -> bool,
) {
    let mut page = pb::LoanPage::default();
    for fund_id in books {
        let lines = match fund_loan_lines(ledger, fund_id, as_of, head) {
            Ok(lines) => lines,
            Err(e) => {
                send(Err(e));
                return;
            }
        };
        for line in lines {
            page.loans.push(line);
            if page.loans.len() == PAGE_ITEMS && !send(Ok(std::mem::take(&mut page))) {
                return;
            }
        }
    }
    if !page.loans.is_empty() {
        send(Ok(page));
    }
}

/// One fund's loan ledger lines at the end of `as_of` (none for a book that
/// is not a fund's).
fn fund_loan_lines(
    ledger: &Ledger,
    fund_id: &str,
    as_of: NaiveDate,
    head: u64,
) -> Result<Vec<pb::LoanLedgerLine>> {
    let (book, accounts) = ledger.book(fund_id)?;
    if book.kind != BookKind::Fund {
        return Ok(Vec::new());
    }
    let balance = |code: &str, sub: &str| -> Result<i128> {
        accounts
            .iter()
            .find(|(a, _)| a.code == code && a.sub == sub)
            .map_or(Ok(0), |(a, _)| ledger.balance_as_of(a.no, as_of, head))
    };
    let loans: Vec<Loan> = registry::published_loans(ledger, fund_id)?;
    let members: Vec<Member> = registry::published(ledger, &keys::members(fund_id))?;
    let mut lines = Vec::new();
    for l in loans
        .iter()
        .filter_map(|loan| servicing::as_of(loan, as_of))
    {
        let status = members
            .iter()
            .find(|m| m.member_id == l.member_id)
            .map(|m| m.status_on(as_of))
            .unwrap_or_default();
        let sub = loan_sub(&l.loan_id);
        let dpd = servicing::days_past_due(&l, as_of);
        lines.push(pb::LoanLedgerLine {
            fund_id: fund_id.to_string(),
            loan_id: l.loan_id.clone(),
            member_id: l.member_id.clone(),
            member_status: status.label(),
            status: encode::loan_status_name(l.status).into(),
            principal: format_yuan(l.principal),
            disbursed_on: l.disbursed_on.map(|d| d.to_string()).unwrap_or_default(),
            maturity: l
                .schedule
                .last()
                .map(|i| i.due_date.to_string())
                .unwrap_or_default(),
            outstanding_principal: format_fen(balance(LOAN_PRINCIPAL, &sub)?),
            fee_receivable: format_fen(balance(FEE_RECEIVABLE, &sub)?),
            days_past_due: dpd,
            bucket: servicing::bucket(dpd).into(),
            restructured: l.restructured(),
        });
    }
    Ok(lines)
}

/// Every subsidy claim line of the program books among `books` for the
/// periods whose last day is in `from..=to`, in key order.
pub fn subsidy_claims(
    ledger: &Ledger,
    books: &[String],
    from: NaiveDate,
    to: NaiveDate,
    send: &mut dyn FnMut(Result<pb::SubsidyClaimPage>) -> bool,
) {
    let mut page = pb::SubsidyClaimPage::default();
    for program_id in books {
        let periods = registry::program_periods(ledger, program_id);
        let periods = match periods {
            Ok(p) => p,
            Err(e) => {
                send(Err(e));
                return;
            }
        };
        for (scheme_id, p) in periods
            .iter()
            .filter(|(_, p)| (from..=to).contains(&p.last_day))
        {
            for l in &p.lines {
                page.claims.push(pb::SubsidyClaimLine {
                    program_id: program_id.clone(),
                    scheme_id: scheme_id.clone(),
                    period: p.period.clone(),
                    state: encode::period_state_name(p.state).into(),
                    claimed_by: p.claimed_by.clone().unwrap_or_default(),
                    approved_by: p.approved_by.clone().unwrap_or_default(),
                    line: Some(encode::subsidy_line(&p.period, l)),
                });
                if page.claims.len() == PAGE_ITEMS && !send(Ok(std::mem::take(&mut page))) {
                    return;
                }
            }
        }
    }
    if !page.claims.is_empty() {
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
