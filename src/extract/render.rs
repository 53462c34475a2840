//! The formats of an extract bundle, in one place: the bundle writer renders
//! every derived file with these functions, and the checker renders them again
//! from the journal and the balances to compare byte for byte. The CSV files
//! and the statements are here; the hledger and beancount journals in
//! [`journal`].
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::files;
use crate::domain::money::format_fen;
use crate::ledger::record::EntryRecord;

pub mod journal;

/// One account's balance, as streamed and as written to the balance files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceRow {
    pub book_id: String,
    pub book_kind: String,
    pub code: String,
    pub sub: String,
    pub name: String,
    pub account_type: String,
    /// Debit-positive, yuan with two places.
    pub balance: String,
}

impl From<crate::pb::BalanceLine> for BalanceRow {
    fn from(l: crate::pb::BalanceLine) -> Self {
        Self {
            book_id: l.book_id,
            book_kind: l.book_kind,
            code: l.code,
            sub: l.sub,
            name: l.name,
            account_type: l.account_type,
            balance: l.balance,
        }
    }
}

impl BalanceRow {
    /// The balance in fen (debit-positive).
    pub fn fen(&self) -> Result<i128, String> {
        yuan_to_fen(&self.balance)
            .ok_or_else(|| format!("balance {:?} is not an amount", self.balance))
    }

    /// The account's name in the plain-text journal.
    pub fn ledger_account(&self) -> String {
        ledger_account(&self.book_id, &self.code, &self.sub)
    }

    fn debit_normal(&self) -> bool {
        matches!(
            self.account_type.as_str(),
            "asset" | "expense" | "memo_debit"
        )
    }
}

/// One loan of the loan ledger (台账) at the period end, as in loans.csv.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanRow {
    pub fund_id: String,
    pub loan_id: String,
    pub member_id: String,
    pub member_status: String,
    pub status: String,
    pub principal: String,
    pub disbursed_on: String,
    pub maturity: String,
    pub outstanding_principal: String,
    pub fee_receivable: String,
    pub days_past_due: i64,
    pub bucket: String,
    /// The loan replaced another (展期).
    pub restructured: bool,
}

impl From<crate::pb::LoanLedgerLine> for LoanRow {
    fn from(l: crate::pb::LoanLedgerLine) -> Self {
        Self {
            fund_id: l.fund_id,
            loan_id: l.loan_id,
            member_id: l.member_id,
            member_status: l.member_status,
            status: l.status,
            principal: l.principal,
            disbursed_on: l.disbursed_on,
            maturity: l.maturity,
            outstanding_principal: l.outstanding_principal,
            fee_receivable: l.fee_receivable,
            days_past_due: l.days_past_due,
            bucket: l.bucket,
            restructured: l.restructured,
        }
    }
}

/// One loan's line of a subsidy claim, as in subsidy_claims.csv.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub program_id: String,
    pub scheme_id: String,
    pub period: String,
    pub state: String,
    pub claimed_by: String,
    pub approved_by: String,
    pub loan_ref: String,
    pub payee: String,
    pub rate_annual: String,
    pub days_current: i64,
    pub days_overdue: i64,
    pub subsidy: String,
    pub fee_reduced: String,
    pub refund_to_borrower: String,
}

impl From<crate::pb::SubsidyClaimLine> for ClaimRow {
    fn from(c: crate::pb::SubsidyClaimLine) -> Self {
        let l = c.line.unwrap_or_default();
        Self {
            program_id: c.program_id,
            scheme_id: c.scheme_id,
            period: c.period,
            state: c.state,
            claimed_by: c.claimed_by,
            approved_by: c.approved_by,
            loan_ref: l.loan_ref,
            payee: l.payee,
            rate_annual: l.rate_annual,
            days_current: l.days_current,
            days_overdue: l.days_overdue,
            subsidy: l.subsidy,
            fee_reduced: l.fee_reduced,
            refund_to_borrower: l.refund_to_borrower,
        }
    }
}

/// A program's leverage at the period end, as in leverage.csv; the ratio as
/// a decimal ("8.5"), and the exposure businesses use (户贷企用) with its
/// share of the exposure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeverageRow {
    pub program_id: String,
    pub as_of: String,
    pub leverage_ratio: String,
    pub fund_balance: String,
    pub exposure: String,
    pub capacity: String,
    pub headroom: String,
    pub leverage: String,
    pub principal_in_default: String,
    pub default_ratio: String,
    pub lending_suspended: bool,
    pub active_loans: u32,
    pub compensation_paid: String,
    pub recoveries: String,
    pub business_exposure: String,
    pub business_share: String,
}

impl From<crate::pb::LeverageReport> for LeverageRow {
    fn from(r: crate::pb::LeverageReport) -> Self {
        Self {
            program_id: r.program_id,
            as_of: r.as_of,
            leverage_ratio: r.leverage_ratio_decimal,
            fund_balance: r.fund_balance,
            exposure: r.exposure,
            capacity: r.capacity,
            headroom: r.headroom,
            leverage: r.leverage,
            principal_in_default: r.principal_in_default,
            default_ratio: r.default_ratio,
            lending_suspended: r.lending_suspended,
            active_loans: r.active_loans,
            compensation_paid: r.compensation_paid,
            recoveries: r.recoveries,
            business_exposure: r.business_exposure,
            business_share: r.business_share,
        }
    }
}

/// A member fund's supervision indicators at the period end with the
/// period's ratios, as in supervision.csv; alerts joined by "; ".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionRow {
    pub federation_id: String,
    pub fund_id: String,
    pub period_from: String,
    pub as_of: String,
    pub gross_portfolio: String,
    pub par30_balance: String,
    pub par90_balance: String,
    pub par30: String,
    pub par90: String,
    pub write_off_ratio: String,
    pub liquidity: String,
    pub utilization: String,
    pub largest_borrower_share: String,
    pub poor_share: String,
    pub reserve_cover: String,
    pub capital: String,
    pub placed: String,
    pub borrowed: String,
    pub average_gross_portfolio: String,
    pub portfolio_yield: String,
    pub operational_self_sufficiency: String,
    pub min_poor_share: String,
    pub alerts: String,
}

impl SupervisionRow {
    pub fn new(federation_id: &str, as_of: &str, i: crate::pb::FundIndicators) -> Self {
        Self {
            federation_id: federation_id.into(),
            fund_id: i.fund_id,
            period_from: i.period_from,
            as_of: as_of.into(),
            gross_portfolio: i.gross_portfolio,
            par30_balance: i.par30_balance,
            par90_balance: i.par90_balance,
            par30: i.par30,
            par90: i.par90,
            write_off_ratio: i.write_off_ratio,
            liquidity: i.liquidity,
            utilization: i.utilization,
            largest_borrower_share: i.largest_borrower_share,
            poor_share: i.poor_share,
            reserve_cover: i.reserve_cover,
            capital: i.capital,
            placed: i.placed,
            borrowed: i.borrowed,
            average_gross_portfolio: i.average_gross_portfolio,
            portfolio_yield: i.portfolio_yield,
            operational_self_sufficiency: i.operational_self_sufficiency,
            min_poor_share: i.min_poor_share,
            alerts: i.alerts.join("; "),
        }
    }
}

pub const CLAIM_HEADER: [&str; 14] = [
    "program_id",
    "scheme_id",
    "period",
    "state",
    "claimed_by",
    "approved_by",
    "loan_ref",
    "payee",
    "rate_annual",
    "days_current",
    "days_overdue",
    "subsidy",
    "fee_reduced",
    "refund_to_borrower",
];

pub const LEVERAGE_HEADER: [&str; 16] = [
    "program_id",
    "as_of",
    "leverage_ratio",
    "fund_balance",
    "exposure",
    "capacity",
    "headroom",
    "leverage",
    "principal_in_default",
    "default_ratio",
    "lending_suspended",
    "active_loans",
    "compensation_paid",
    "recoveries",
    "business_exposure",
    "business_share",
];

pub const SUPERVISION_HEADER: [&str; 23] = [
    "federation_id",
    "fund_id",
    "period_from",
    "as_of",
    "gross_portfolio",
    "par30_balance",
    "par90_balance",
    "par30",
    "par90",
    "write_off_ratio",
    "liquidity",
    "utilization",
    "largest_borrower_share",
    "poor_share",
    "reserve_cover",
    "capital",
    "placed",
    "borrowed",
    "average_gross_portfolio",
    "portfolio_yield",
    "operational_self_sufficiency",
    "min_poor_share",
    "alerts",
];

/// What the extract covers, as its manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Books asked for; empty for every book.
    pub books: Vec<String>,
    /// Chain head the extract was pinned to.
    pub head_seq: u64,
    pub head_hash: String,
}

/// "1234.50" or "-3.00" to fen; `None` for anything else.
pub fn yuan_to_fen(text: &str) -> Option<i128> {
    let d: Decimal = text.parse().ok()?;
    (d.scale() <= 2).then(|| (d * Decimal::ONE_HUNDRED).mantissa() / 10i128.pow(d.scale()))
}

pub fn ledger_account(book: &str, code: &str, sub: &str) -> String {
    if sub.is_empty() {
        format!("{book}:{code}")
    } else {
        format!("{book}:{code}:{sub}")
    }
}

pub fn chain_header(w: &mut csv::Writer<impl Write>) -> csv::Result<()> {
    w.write_record(["seq", "prev_hash", "hash"])
}

pub fn chain_row(
    w: &mut csv::Writer<impl Write>,
    seq: u64,
    prev_hash: &str,
    hash: &str,
) -> csv::Result<()> {
    w.write_record([seq.to_string().as_str(), prev_hash, hash])
}

pub const POSTINGS_HEADER: [&str; 12] = [
    "seq",
    "value_date",
    "book_id",
    "code",
    "sub",
    "side",
    "amount",
    "memo",
    "request_id",
    "actor",
    "reverses",
    "recorded_at_us",
];

/// One row per posting of `entry` in a book in `scope`.
pub fn postings_rows(
    w: &mut csv::Writer<impl Write>,
    entry: &EntryRecord,
    scope: &BTreeSet<String>,
) -> csv::Result<u64> {
    let mut rows = 0;
    for p in entry.postings.iter().filter(|p| scope.contains(&p.book)) {
        let side = match p.side {
            crate::ledger::record::Side::Debit => "D",
            crate::ledger::record::Side::Credit => "C",
        };
        w.write_record([
            entry.seq.to_string().as_str(),
            &entry.value_date.to_string(),
            &p.book,
            &p.code,
            &p.sub,
            side,
            &format_fen(p.amount_fen.into()),
            &entry.memo,
            &entry.request_id,
            &entry.actor,
            &entry.reverses.to_string(),
            &entry.recorded_at_us.to_string(),
        ])?;
        rows += 1;
    }
    Ok(rows)
}

/// The files rendered entry by entry from the journal: postings.csv,
/// journal.hledger and, when asked for, journal.beancount, each with its
/// head and its closing part. The bundle writes them to disk; the checker
/// renders them again into comparisons with the bundle's files, so both
/// render the same bytes in the same order. Each step renders every file
/// even when one fails, and answers the first failure.
pub struct EntryFiles<W: Write> {
    postings: csv::Writer<W>,
    hledger: W,
    beancount: Option<W>,
    /// The books in scope: those with a closing balance.
    scope: BTreeSet<String>,
    /// Each account's type, for beancount's account names.
    types: BTreeMap<String, String>,
}

/// A file that could not be rendered, told with its name.
fn cannot<E: std::fmt::Display>(name: &'static str) -> impl Fn(E) -> String {
    move |e| format!("cannot write {name}: {e}")
}

impl<W: Write> EntryFiles<W> {
    pub fn new(postings: W, hledger: W, beancount: Option<W>, closing: &[BalanceRow]) -> Self {
        Self {
            postings: csv::Writer::from_writer(postings),
            hledger,
            beancount,
            scope: closing.iter().map(|r| r.book_id.clone()).collect(),
            types: journal::account_types(closing),
        }
    }

    /// The books in scope: those with a closing balance.
    pub fn scope(&self) -> &BTreeSet<String> {
        &self.scope
    }

    /// The postings' header; each journal's accounts and opening balances.
    pub fn head(&mut self, spec: &Spec, opening: &[BalanceRow]) -> Result<(), String> {
        let postings = self
            .postings
            .write_record(POSTINGS_HEADER)
            .map_err(cannot(files::POSTINGS));
        let hledger =
            journal::hledger_head(&mut self.hledger, spec, opening).map_err(cannot(files::HLEDGER));
        let beancount = self.beancount.as_mut().map_or(Ok(()), |b| {
            journal::beancount_head(b, spec, opening).map_err(cannot(files::BEANCOUNT))
        });
        postings.and(hledger).and(beancount)
    }

    /// One journal entry: its postings in scope, its transactions.
    pub fn entry(&mut self, entry: &EntryRecord) -> Result<(), String> {
        let postings = postings_rows(&mut self.postings, entry, &self.scope)
            .map(drop)
            .map_err(cannot(files::POSTINGS));
        let hledger = journal::hledger_entry(&mut self.hledger, entry, &self.scope)
            .map_err(cannot(files::HLEDGER));
        let beancount = self.beancount.as_mut().map_or(Ok(()), |b| {
            journal::beancount_entry(b, entry, &self.types).map_err(cannot(files::BEANCOUNT))
        });
        postings.and(hledger).and(beancount)
    }

    /// Each journal's closing balance assertions.
    pub fn tail(&mut self, spec: &Spec, closing: &[BalanceRow]) -> Result<(), String> {
        let hledger =
            journal::hledger_tail(&mut self.hledger, spec, closing).map_err(cannot(files::HLEDGER));
        let beancount = self.beancount.as_mut().map_or(Ok(()), |b| {
            journal::beancount_tail(b, spec, closing).map_err(cannot(files::BEANCOUNT))
        });
        hledger.and(beancount)
    }

    /// The writers, to finish: postings, hledger, beancount.
    pub fn into_inner(self) -> (csv::Writer<W>, W, Option<W>) {
        (self.postings, self.hledger, self.beancount)
    }
}

pub const BALANCE_HEADER: [&str; 7] = [
    "book_id",
    "book_kind",
    "code",
    "sub",
    "name",
    "account_type",
    "balance",
];

pub const LOAN_HEADER: [&str; 13] = [
    "fund_id",
    "loan_id",
    "member_id",
    "member_status",
    "status",
    "principal",
    "disbursed_on",
    "maturity",
    "outstanding_principal",
    "fee_receivable",
    "days_past_due",
    "bucket",
    "restructured",
];

/// Rows with a header, the header alone when there are none.
pub fn rows<T: Serialize>(
    w: &mut csv::Writer<impl Write>,
    header: &[&str],
    rows: &[T],
) -> csv::Result<()> {
    if rows.is_empty() {
        w.write_record(header)?;
    }
    rows.iter().try_for_each(|r| w.serialize(r))
}

/// A balance on the account's normal side.
fn normal(r: &BalanceRow, fen: i128) -> i128 {
    if r.debit_normal() {
        fen
    } else {
        -fen
    }
}

/// The balance sheet per book at the period end: assets, liabilities, equity
/// (with the surplus not yet closed into it) and the two totals, which are equal.
pub fn balance_sheet(
    w: &mut csv::Writer<impl Write>,
    closing: &[BalanceRow],
) -> Result<(), String> {
    w.write_record(["book_id", "section", "code", "sub", "name", "amount"])
        .map_err(|e| e.to_string())?;
    for (book, rows) in by_book(closing) {
        let mut totals: BTreeMap<&str, i128> = BTreeMap::new();
        let mut surplus = 0i128;
        for r in &rows {
            let amount = normal(r, r.fen()?);
            match r.account_type.as_str() {
                t @ ("asset" | "liability" | "equity") => {
                    *totals.entry(t).or_default() += amount;
                    if amount != 0 {
                        write(w, [&book, t, &r.code, &r.sub, &r.name, &format_fen(amount)])?;
                    }
                }
                "income" => surplus += amount,
                "expense" => surplus -= amount,
                _ => {}
            }
        }
        let total = |t: &str| totals.get(t).copied().unwrap_or(0);
        write(
            w,
            [
                &book,
                "equity",
                "",
                "",
                "Surplus of the year not yet closed",
                &format_fen(surplus),
            ],
        )?;
        write(
            w,
            [
                &book,
                "total_assets",
                "",
                "",
                "",
                &format_fen(total("asset")),
            ],
        )?;
        write(
            w,
            [
                &book,
                "total_liabilities_and_equity",
                "",
                "",
                "",
                &format_fen(total("liability") + total("equity") + surplus),
            ],
        )?;
    }
    Ok(())
}

/// The income statement per book for the period: each income and expense
/// account's movement (closing less opening) and the surplus.
pub fn income_statement(
    w: &mut csv::Writer<impl Write>,
    opening: &[BalanceRow],
    closing: &[BalanceRow],
) -> Result<(), String> {
    w.write_record(["book_id", "section", "code", "sub", "name", "amount"])
        .map_err(|e| e.to_string())?;
    let before: BTreeMap<String, i128> = opening
        .iter()
        .map(|r| Ok((r.ledger_account(), r.fen()?)))
        .collect::<Result<_, String>>()?;
    for (book, rows) in by_book(closing) {
        let mut surplus = 0i128;
        for r in &rows {
            let section = r.account_type.as_str();
            if !matches!(section, "income" | "expense") {
                continue;
            }
            let moved = r.fen()? - before.get(&r.ledger_account()).copied().unwrap_or(0);
            let amount = normal(r, moved);
            surplus += if section == "income" { amount } else { -amount };
            if amount != 0 {
                write(
                    w,
                    [
                        &book,
                        section,
                        &r.code,
                        &r.sub,
                        &r.name,
                        &format_fen(amount),
                    ],
                )?;
            }
        }
        write(
            w,
            [
                &book,
                "surplus",
                "",
                "",
                "Income less expenses",
                &format_fen(surplus),
            ],
        )?;
    }
    Ok(())
}

fn write<const N: usize>(w: &mut csv::Writer<impl Write>, row: [&str; N]) -> Result<(), String> {
    w.write_record(row).map_err(|e| e.to_string())
}

fn by_book(rows: &[BalanceRow]) -> Vec<(String, Vec<&BalanceRow>)> {
    let mut out: Vec<(String, Vec<&BalanceRow>)> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some((book, list)) if *book == r.book_id => list.push(r),
            _ => out.push((r.book_id.clone(), vec![r])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(book: &str, code: &str, kind: &str, balance: &str) -> BalanceRow {
        BalanceRow {
            book_id: book.into(),
            book_kind: "fund".into(),
            code: code.into(),
            sub: String::new(),
            name: format!("account {code}"),
            account_type: kind.into(),
            balance: balance.into(),
        }
    }

    #[test]
    fn amounts_parse_to_fen() {
        assert_eq!(yuan_to_fen("1234.50"), Some(123_450));
        assert_eq!(yuan_to_fen("-3"), Some(-300));
        assert_eq!(yuan_to_fen("0.07"), Some(7));
        assert_eq!(yuan_to_fen("0.001"), None);
        assert_eq!(yuan_to_fen("x"), None);
    }

    #[test]
    fn the_balance_sheet_balances_with_the_open_surplus() {
        // Bank 1,000 = seed 900 + fee income 150 - expenses 50.
        let closing = vec![
            row("f", "1002", "asset", "1000.00"),
            row("f", "3001", "equity", "-900.00"),
            row("f", "4001", "income", "-150.00"),
            row("f", "5001", "expense", "50.00"),
        ];
        let mut w = csv::Writer::from_writer(Vec::new());
        balance_sheet(&mut w, &closing).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert!(text.contains("f,equity,,,Surplus of the year not yet closed,100.00"));
        assert!(text.contains("f,total_assets,,,,1000.00"));
        assert!(text.contains("f,total_liabilities_and_equity,,,,1000.00"));
    }

    #[test]
    fn the_income_statement_shows_the_period_movement() {
        let opening = vec![row("f", "4001", "income", "-40.00")];
        let closing = vec![
            row("f", "4001", "income", "-150.00"),
            row("f", "5001", "expense", "50.00"),
        ];
        let mut w = csv::Writer::from_writer(Vec::new());
        income_statement(&mut w, &opening, &closing).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert!(text.contains("f,income,4001,,account 4001,110.00"));
        assert!(text.contains("f,expense,5001,,account 5001,50.00"));
        assert!(text.contains("f,surplus,,,Income less expenses,60.00"));
    }
}
