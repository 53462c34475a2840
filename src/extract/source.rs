//! The server side of an extract: balances and the journal read from the store
//! page by page, bounded to a pinned chain head. Runs on the blocking pool and
//! hands each page to `send`, which returns false when the client has gone
//! (the read then stops). Nothing here holds more than one page.
use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::PAGE_ITEMS;
use crate::domain::chart::{AccountType, BookKind};
use crate::domain::fund::{Member, PovertyStatus};
use crate::domain::loan::{Loan, LoanStatus};
use crate::domain::money::{format_fen, format_yuan};
use crate::domain::servicing;
use crate::domain::subsidy::{Line, PeriodRecord, PeriodState};
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

fn loan_status_name(s: LoanStatus) -> &'static str {
    match s {
        LoanStatus::Applied => "applied",
        LoanStatus::Approved => "approved",
        LoanStatus::Disbursed => "disbursed",
        LoanStatus::Closed => "closed",
        LoanStatus::WrittenOff => "written_off",
        LoanStatus::Rescheduled => "rescheduled",
    }
}

fn decode<T: serde::de::DeserializeOwned>(key: &str, value: &[u8]) -> Result<T> {
    serde_json::from_slice(value)
        .map_err(|e| LedgerError::Internal(format!("registry record {key} does not decode: {e}")))
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
        let lines = (|| -> Result<Vec<pb::LoanLedgerLine>> {
            let (book, accounts) = ledger.book(fund_id)?;
            if book.kind != BookKind::Fund {
                return Ok(Vec::new());
            }
            let account_of = |code: &str, sub: &str| {
                accounts
                    .iter()
                    .find(|(a, _)| a.code == code && a.sub == sub)
                    .map(|(a, _)| a.no)
            };
            let balance = |code: &str, sub: &str| -> Result<i128> {
                account_of(code, sub).map_or(Ok(0), |no| ledger.balance_as_of(no, as_of, head))
            };
            let mut lines = Vec::new();
            for (key, record) in ledger.records_under(&format!("loan/{fund_id}/")) {
                let loan: Loan = decode(&key, &record.value)?;
                let Some(l) = servicing::as_of(&loan, as_of) else {
                    continue;
                };
                let member_key = format!("member/{fund_id}/{}", l.member_id);
                let status = match ledger.record(&member_key) {
                    Some(r) => decode::<Member>(&member_key, &r.value)?.status_on(as_of),
                    None => PovertyStatus::None,
                };
                let sub = format!("loan:{}", l.loan_id);
                let dpd = servicing::days_past_due(&l, as_of);
                lines.push(pb::LoanLedgerLine {
                    fund_id: fund_id.clone(),
                    loan_id: l.loan_id.clone(),
                    member_id: l.member_id.clone(),
                    member_status: status.as_str().into(),
                    status: loan_status_name(l.status).into(),
                    principal: format_yuan(l.principal),
                    disbursed_on: l.disbursed_on.map(|d| d.to_string()).unwrap_or_default(),
                    maturity: l
                        .schedule
                        .last()
                        .map(|i| i.due_date.to_string())
                        .unwrap_or_default(),
                    outstanding_principal: format_fen(balance("1201", &sub)?),
                    fee_receivable: format_fen(balance("1202", &sub)?),
                    days_past_due: dpd,
                    bucket: servicing::bucket(dpd).into(),
                });
            }
            Ok(lines)
        })();
        match lines {
            Err(e) => {
                send(Err(e));
                return;
            }
            Ok(lines) => {
                for line in lines {
                    page.loans.push(line);
                    if page.loans.len() == PAGE_ITEMS && !send(Ok(std::mem::take(&mut page))) {
                        return;
                    }
                }
            }
        }
    }
    if !page.loans.is_empty() {
        send(Ok(page));
    }
}

/// One loan's line of a subsidy period, as statements and extracts show it.
pub fn subsidy_line(period: &str, l: &Line) -> pb::SubsidyLine {
    pb::SubsidyLine {
        period: period.to_string(),
        loan_ref: l.loan.clone(),
        payee: l.payee.clone(),
        rate_annual: l.rate_annual.to_string(),
        days_current: l.accrued.days_current,
        days_overdue: l.accrued.days_overdue,
        subsidy: format_yuan(l.accrued.subsidy),
        fee_reduced: format_yuan(l.fee_reduced),
        refund_to_borrower: format_yuan(l.refund),
    }
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
        for (key, record) in ledger.records_under(&format!("subsidyperiod/{program_id}/")) {
            let p: PeriodRecord = match decode(&key, &record.value) {
                Ok(p) => p,
                Err(e) => {
                    send(Err(e));
                    return;
                }
            };
            if !(from..=to).contains(&p.last_day) {
                continue;
            }
            let scheme_id = key
                .trim_start_matches(&format!("subsidyperiod/{program_id}/"))
                .split('/')
                .next()
                .unwrap_or_default()
                .to_string();
            let state = match p.state {
                PeriodState::Accrued => "accrued",
                PeriodState::Claimed => "claimed",
                PeriodState::Approved => "approved",
                PeriodState::Paid => "paid",
            };
            for l in &p.lines {
                page.claims.push(pb::SubsidyClaimLine {
                    program_id: program_id.clone(),
                    scheme_id: scheme_id.clone(),
                    period: p.period.clone(),
                    state: state.into(),
                    claimed_by: p.claimed_by.clone().unwrap_or_default(),
                    approved_by: p.approved_by.clone().unwrap_or_default(),
                    line: Some(subsidy_line(&p.period, l)),
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
