//! GetQuarterlyReport: a fund's or a federation's quarter (DOMAIN.md §7):
//! balance sheet at its last day, income statement of its days (without
//! the year-end's closing entries), and the supervision line of the fund or
//! of each member fund, all read at one head. Scans the quarter's postings,
//! so it runs on the blocking pool.
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::{AccountType, BookKind};
use crate::domain::money::format_yuan;
use crate::domain::report::{Period, Quarter};
use crate::ledger::state::AccountMeta;
use crate::ledger::{Ledger, LedgerError, Result};
use crate::ops::federation::supervision::{fund_line, rules_of, Reader};
use crate::ops::{blocking, Call};
use crate::pb;
use crate::registry;
use crate::wire::{decode, encode};

pub struct GetQuarterlyReport {
    book_id: String,
    quarter: Quarter,
}

impl Call for GetQuarterlyReport {
    type Request = pb::GetQuarterlyReportRequest;
    type Response = pb::QuarterlyReport;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Book(&r.book_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        let year = decode::year(r.year)?;
        Ok(Self {
            book_id: decode::book_id("book_id", &r.book_id)?,
            quarter: Quarter::new(year, r.quarter)
                .ok_or_else(|| LedgerError::invalid("quarter", "must be 1, 2, 3 or 4"))?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        blocking(ledger, move |l| report(l, &self.book_id, self.quarter)).await
    }
}

fn line(a: &AccountMeta, amount: Decimal) -> pb::StatementLine {
    pb::StatementLine {
        code: a.code.clone(),
        sub: a.sub.clone(),
        name: a.name.clone(),
        account_type: encode::account_type_name(a.account_type).into(),
        amount: format_yuan(amount),
    }
}

/// Sums `lines` of `kind`; the lines with an amount join `into`.
fn total_of(
    lines: &[(&AccountMeta, Decimal)],
    kinds: &[AccountType],
    into: &mut Vec<pb::StatementLine>,
) -> Decimal {
    let mut total = Decimal::ZERO;
    for (a, amount) in lines
        .iter()
        .filter(|(a, _)| kinds.contains(&a.account_type))
    {
        total += amount;
        if !amount.is_zero() {
            into.push(line(a, *amount));
        }
    }
    total
}

/// The balance sheet at `period.to` and the income statement of `period`.
fn statements(r: &Reader<'_>, period: Period, out: &mut pb::QuarterlyReport) -> Result<()> {
    use AccountType::*;
    let at_end: Vec<(&AccountMeta, Decimal)> = r.at(period.to)?.iter().collect();
    let mut sheet = Vec::new();
    let assets = total_of(&at_end, &[Asset], &mut sheet);
    let liabilities = total_of(&at_end, &[Liability], &mut sheet);
    let equity = total_of(&at_end, &[Equity], &mut sheet);
    let result = total_of(&at_end, &[Income], &mut Vec::new())
        - total_of(&at_end, &[Expense], &mut Vec::new());
    assert_eq!(
        assets,
        liabilities + equity + result,
        "a balanced book's assets are its liabilities, equity and result"
    );
    let flows = r.flows(period)?;
    let mut income_statement = Vec::new();
    let income = total_of(&flows, &[Income], &mut income_statement);
    let expense = total_of(&flows, &[Expense], &mut income_statement);
    out.balance_sheet = sheet;
    out.total_assets = format_yuan(assets);
    out.total_liabilities = format_yuan(liabilities);
    out.total_equity = format_yuan(equity + result);
    out.result_to_date = format_yuan(result);
    out.income_statement = income_statement;
    out.total_income = format_yuan(income);
    out.total_expense = format_yuan(expense);
    out.net_result = format_yuan(income - expense);
    Ok(())
}

/// The report of `book_id`'s quarter `q`.
fn report(ledger: &Ledger, book_id: &str, q: Quarter) -> Result<pb::QuarterlyReport> {
    let period = q.period();
    let (book, kind) = {
        let state = ledger.state();
        let book = state
            .book(book_id)
            .cloned()
            .ok_or_else(|| LedgerError::not_found("book_id", format!("book {book_id:?}")))?;
        let kind = book.kind;
        (book, kind)
    };
    let (rules, funds) = match kind {
        BookKind::Fund => (rules_of(ledger, book_id)?, vec![book_id.to_string()]),
        BookKind::Federation => {
            let state = ledger.state();
            let rules = registry::federation(&state, book_id)?.rules;
            (rules, registry::member_funds(&state, book_id)?)
        }
        BookKind::Program => {
            return Err(LedgerError::invalid(
                "book_id",
                format!(
                "{book_id} is a program's book; a quarterly report is a fund's or a federation's"
            ),
            ))
        }
    };
    let reader = Reader::new(ledger, book_id)?;
    let mut out = pb::QuarterlyReport {
        book_id: book_id.to_string(),
        book_kind: kind.as_str().into(),
        name: book.name.clone(),
        quarter: q.label(),
        from_date: encode::date(period.from),
        to_date: encode::date(period.to),
        due_on: encode::date(q.due_on(rules.report_due_days)),
        closed: book.closed_through.is_some_and(|c| c >= period.to),
        closed_through: book.closed_through.map(encode::date).unwrap_or_default(),
        head_seq: reader.head,
        ..Default::default()
    };
    statements(&reader, period, &mut out)?;
    out.funds = funds
        .iter()
        .map(|f| fund_line(ledger, &rules, f, period))
        .collect::<Result<_>>()?;
    Ok(out)
}
