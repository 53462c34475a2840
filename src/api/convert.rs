//! Decoding and validating protobuf requests into ledger inputs, and encoding
//! ledger results into protobuf messages. Every refusal names its field.
use chrono::NaiveDate;

use crate::domain::chart::{AccountType, BookKind};
use crate::domain::dates::{parse_date, parse_period_end};
use crate::domain::limits::{
    MAX_BOOK_ID_CHARS, MAX_ENTRIES_PER_BATCH, MAX_MEMO_CHARS, MAX_NAME_CHARS,
    MAX_POSTINGS_PER_ENTRY, MAX_REQUEST_ID_CHARS, MAX_SUB_CHARS, MIN_POSTINGS_PER_ENTRY,
};
use crate::domain::money::{format_fen, format_yuan, parse_posting_amount};
use crate::domain::schedule::Installment;
use crate::ledger::reads::EntryView;
use crate::ledger::record::{hash_hex, Side};
use crate::ledger::state::{AccountMeta, BookMeta};
use crate::ledger::{AccountName, LedgerError, NewEntry, PostingInput, Result};
use crate::pb;

fn text(field: &str, value: &str, max: usize, required: bool) -> Result<String> {
    let n = value.chars().count();
    if required && value.trim().is_empty() {
        return Err(LedgerError::invalid(field, "is required"));
    }
    if n > max {
        return Err(LedgerError::invalid(
            field,
            format!("is {n} characters long; at most {max} are accepted"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(LedgerError::invalid(field, "contains control characters"));
    }
    Ok(value.to_string())
}

pub fn request_id(value: &str) -> Result<String> {
    text("request_id", value, MAX_REQUEST_ID_CHARS, true)
}

pub fn book_id(field: &str, value: &str) -> Result<String> {
    let ok = !value.is_empty()
        && value.len() <= MAX_BOOK_ID_CHARS
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(value.to_string())
    } else {
        Err(LedgerError::invalid(
            field,
            format!("must be 1-{MAX_BOOK_ID_CHARS} lower-case letters, digits, '-' or '_'"),
        ))
    }
}

pub fn date(field: &str, value: &str) -> Result<NaiveDate> {
    parse_date(value).map_err(|e| LedgerError::invalid(field, e))
}

/// A calendar date with no business bound (a birth date).
pub fn calendar_date(field: &str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .ok_or_else(|| LedgerError::invalid(field, "is not a date of the form YYYY-MM-DD"))
}

/// An optional date: empty means "not given".
pub fn optional_date(field: &str, value: &str) -> Result<Option<NaiveDate>> {
    if value.is_empty() {
        Ok(None)
    } else {
        date(field, value).map(Some)
    }
}

pub fn period_end(value: &str) -> Result<NaiveDate> {
    parse_period_end(value).map_err(|e| LedgerError::invalid("period", e))
}

pub fn book_kind(value: i32) -> Result<BookKind> {
    match pb::BookKind::try_from(value) {
        Ok(pb::BookKind::Fund) => Ok(BookKind::Fund),
        Ok(pb::BookKind::Federation) => Ok(BookKind::Federation),
        Ok(pb::BookKind::Program) => Ok(BookKind::Program),
        _ => Err(LedgerError::invalid(
            "kind",
            "must be FUND, FEDERATION or PROGRAM",
        )),
    }
}

pub fn account_ref(field: &str, value: Option<&pb::AccountRef>) -> Result<AccountName> {
    let r = value.ok_or_else(|| LedgerError::invalid(field, "is required"))?;
    let book_id = book_id(&format!("{field}.book_id"), &r.book_id)?;
    if r.code.is_empty() || r.code.len() > 8 || !r.code.chars().all(|c| c.is_ascii_digit()) {
        return Err(LedgerError::invalid(
            format!("{field}.code"),
            "must be a chart code of digits, e.g. \"1002\"",
        ));
    }
    if r.sub.len() > MAX_SUB_CHARS || r.sub.chars().any(|c| c.is_control() || c == '/') {
        return Err(LedgerError::invalid(
            format!("{field}.sub"),
            format!("must be \"kind:id\" of at most {MAX_SUB_CHARS} characters"),
        ));
    }
    Ok(AccountName {
        book_id,
        code: r.code.clone(),
        sub: r.sub.clone(),
    })
}

pub fn new_entry(req: &pb::PostEntryRequest, actor: &str) -> Result<NewEntry> {
    let n = req.postings.len();
    if !(MIN_POSTINGS_PER_ENTRY..=MAX_POSTINGS_PER_ENTRY).contains(&n) {
        return Err(LedgerError::invalid(
            "postings",
            format!(
                "must hold {MIN_POSTINGS_PER_ENTRY} to {MAX_POSTINGS_PER_ENTRY} postings, not {n}"
            ),
        ));
    }
    let postings = req
        .postings
        .iter()
        .enumerate()
        .map(|(j, p)| {
            let side = match pb::Side::try_from(p.side) {
                Ok(pb::Side::Debit) => Side::Debit,
                Ok(pb::Side::Credit) => Side::Credit,
                _ => {
                    return Err(LedgerError::invalid(
                        format!("postings[{j}].side"),
                        "must be DEBIT or CREDIT",
                    ))
                }
            };
            Ok(PostingInput {
                account: account_ref(&format!("postings[{j}].account"), p.account.as_ref())?,
                side,
                amount_fen: parse_posting_amount(&p.amount)
                    .map_err(|e| LedgerError::invalid(format!("postings[{j}].amount"), e))?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(NewEntry {
        request_id: request_id(&req.request_id)?,
        actor: actor.to_string(),
        value_date: date("value_date", &req.value_date)?,
        memo: memo(&req.memo)?,
        postings,
    })
}

pub fn new_entries(req: &pb::PostEntriesRequest, actor: &str) -> Result<Vec<NewEntry>> {
    let n = req.entries.len();
    if n == 0 || n > MAX_ENTRIES_PER_BATCH {
        return Err(LedgerError::invalid(
            "entries",
            format!("must hold 1 to {MAX_ENTRIES_PER_BATCH} entries, not {n}"),
        ));
    }
    let entries: Vec<NewEntry> = req
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| new_entry(e, actor).map_err(|err| err.within(&format!("entries[{i}]"))))
        .collect::<Result<_>>()?;
    let mut seen = std::collections::HashMap::with_capacity(n);
    for (i, e) in entries.iter().enumerate() {
        if let Some(first) = seen.insert(e.request_id.as_str(), i) {
            return Err(LedgerError::invalid(
                format!("entries[{i}].request_id"),
                format!("repeats the request id of entries[{first}]"),
            ));
        }
    }
    Ok(entries)
}

pub fn memo(value: &str) -> Result<String> {
    text("memo", value, MAX_MEMO_CHARS, false)
}

pub fn name(field: &str, value: &str, required: bool) -> Result<String> {
    text(field, value, MAX_NAME_CHARS, required)
}

pub fn installment_msg(i: &Installment) -> pb::Installment {
    pb::Installment {
        no: i.no,
        due_date: fmt_date(i.due_date),
        principal: format_yuan(i.principal),
        fee: format_yuan(i.fee),
        payment: format_yuan(i.payment),
        outstanding_after: format_yuan(i.outstanding_after),
    }
}

pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn book_msg(b: &BookMeta) -> pb::Book {
    pb::Book {
        book_id: b.book_id.clone(),
        kind: match b.kind {
            BookKind::Fund => pb::BookKind::Fund,
            BookKind::Federation => pb::BookKind::Federation,
            BookKind::Program => pb::BookKind::Program,
        } as i32,
        name: b.name.clone(),
        closed_through: b.closed_through.map(fmt_date).unwrap_or_default(),
    }
}

pub fn account_type(t: AccountType) -> pb::AccountType {
    match t {
        AccountType::Asset => pb::AccountType::Asset,
        AccountType::Liability => pb::AccountType::Liability,
        AccountType::Equity => pb::AccountType::Equity,
        AccountType::Income => pb::AccountType::Income,
        AccountType::Expense => pb::AccountType::Expense,
        AccountType::MemoDebit => pb::AccountType::MemoDebit,
        AccountType::MemoCredit => pb::AccountType::MemoCredit,
    }
}

pub fn ref_msg(book_id: &str, a: &AccountMeta) -> pb::AccountRef {
    pb::AccountRef {
        book_id: book_id.to_string(),
        code: a.code.clone(),
        sub: a.sub.clone(),
    }
}

pub fn account_msg(book_id: &str, a: &AccountMeta, debit_positive_fen: i128) -> pb::Account {
    pb::Account {
        r#ref: Some(ref_msg(book_id, a)),
        name: a.name.clone(),
        r#type: account_type(a.account_type) as i32,
        non_negative: a.non_negative,
        balance: format_fen(a.normal_balance(debit_positive_fen)),
    }
}

pub fn entry_msg(view: &EntryView) -> pb::Entry {
    let (r, hash) = view.record.as_ref();
    pb::Entry {
        seq: r.seq,
        request_id: r.request_id.clone(),
        value_date: fmt_date(r.value_date),
        recorded_at: chrono::DateTime::from_timestamp_micros(r.recorded_at_us)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
            .unwrap_or_default(),
        actor: r.actor.clone(),
        memo: r.memo.clone(),
        postings: r
            .postings
            .iter()
            .map(|p| pb::Posting {
                account: Some(pb::AccountRef {
                    book_id: p.book.clone(),
                    code: p.code.clone(),
                    sub: p.sub.clone(),
                }),
                side: match p.side {
                    Side::Debit => pb::Side::Debit,
                    Side::Credit => pb::Side::Credit,
                } as i32,
                amount: format_fen(i128::from(p.amount_fen)),
            })
            .collect(),
        reverses: r.reverses,
        reversed_by: view.reversed_by,
        prev_hash: r.prev_hash.clone(),
        hash: hash_hex(hash),
    }
}
