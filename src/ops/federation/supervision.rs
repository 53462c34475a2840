//! What supervision reads of a fund's books (运行安全监管), for the dashboard
//! and the quarterly report alike: balances at a date, a period's income
//! and expenses without the year-end's closing entries, the portfolio at
//! the period's sample dates, and each loan as it stood. All at one head.
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::chart::code::fund as fund_code;
use crate::domain::chart::{sub_id, AccountType, SubKind};
use crate::domain::dates::{business_today, day_number};
use crate::domain::federation::{self as fed, FederationRules};
use crate::domain::loan::{Loan, LoanStatus};
use crate::domain::money::{fen_to_decimal, format_yuan, round_to_fen};
use crate::domain::report::{self, Flows, Period, Quarter};
use crate::domain::servicing;
use crate::ledger::months::MonthSums;
use crate::ledger::state::AccountMeta;
use crate::ledger::{Ledger, Result};
use crate::pb;
use crate::registry;
use crate::wire::encode;

/// A book read at one head: its accounts, their balances and month sums
/// then, and that head.
pub struct Reader<'a> {
    ledger: &'a Ledger,
    pub accounts: Vec<Arc<AccountMeta>>,
    /// The places in `accounts` of each code's accounts (its sub-accounts).
    by_code: HashMap<String, Vec<usize>>,
    /// Debit-positive, by the place of the account in `accounts`.
    current: Vec<i128>,
    months: Vec<Arc<MonthSums>>,
    pub head: u64,
    book_id: String,
    /// The business day when the book was read (no entry up to the head is
    /// dated after it).
    today: NaiveDate,
}

impl<'a> Reader<'a> {
    pub fn new(ledger: &'a Ledger, book_id: &str) -> Result<Self> {
        let at = ledger.book_at_head(book_id)?;
        let (accounts, current) = at.accounts.into_iter().unzip();
        Ok(Self {
            ledger,
            accounts,
            by_code: at.by_code,
            current,
            months: at.months,
            head: at.head,
            book_id: book_id.to_string(),
            today: business_today(),
        })
    }

    /// Debit-positive balance of `accounts[i]` at the end of `as_of`. On or
    /// after the account's latest posting day, or today (the ledger refuses
    /// value dates after today), it is the balance at the head, read from
    /// memory: no posting up to the head is dated later. Before, it is the
    /// month sums before `as_of`'s month and that month's postings through
    /// `as_of` (none to read on a month's last day). Debug builds check it
    /// against every posting.
    fn balance_of(&self, i: usize, as_of: NaiveDate) -> Result<i128> {
        let (no, sums) = (self.accounts[i].no, &self.months[i]);
        let latest = sums.last_day();
        if as_of >= self.today || latest.is_none_or(|d| d <= day_number(as_of)) {
            debug_assert_eq!(
                Ok(self.current[i]),
                self.ledger.balance_from_months(no, sums, as_of, self.head),
                "account {no} at the head as of {as_of}"
            );
            return Ok(self.current[i]);
        }
        self.ledger.balance_from_months(no, sums, as_of, self.head)
    }

    /// Every account's balance at the end of `as_of`, on its normal side,
    /// beside its account.
    pub fn at(&self, as_of: NaiveDate) -> Result<BookBalances<'_>> {
        let normal = self
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| Ok(fen_to_decimal(a.normal_balance(self.balance_of(i, as_of)?))))
            .collect::<Result<_>>()?;
        Ok(BookBalances {
            accounts: &self.accounts,
            by_code: &self.by_code,
            normal,
        })
    }

    /// A code with all its sub-accounts at the end of `as_of`, on its normal side.
    pub fn total(&self, code: &str, as_of: NaiveDate) -> Result<Decimal> {
        let mut fen = 0i128;
        for &i in self.by_code.get(code).into_iter().flatten() {
            fen += self.accounts[i].normal_balance(self.balance_of(i, as_of)?);
        }
        Ok(fen_to_decimal(fen))
    }

    /// Each income and expense account's flow over `period`, on its normal
    /// side, leaving out the entries that close them to undistributed
    /// surplus (the year-end's): they move the year's result, they do not
    /// earn or spend it.
    ///
    /// A flow is the balance at the period's end less the balance the day
    /// before it starts (month sums: no posting read when the period is
    /// whole months), less what the closing entries dated in it posted.
    pub fn flows(&self, period: Period) -> Result<Vec<(&AccountMeta, Decimal)>> {
        let closing = self.closing_postings(period)?;
        let before = period
            .from
            .pred_opt()
            .expect("dates within the ledger's range");
        let mut flows = Vec::new();
        for (i, a) in self.accounts.iter().enumerate() {
            if !matches!(a.account_type, AccountType::Income | AccountType::Expense) {
                continue;
            }
            let fen = self.balance_of(i, period.to)?
                - self.balance_of(i, before)?
                - closing.get(&a.no).copied().unwrap_or(0);
            flows.push((&**a, fen_to_decimal(a.normal_balance(fen))));
        }
        Ok(flows)
    }

    /// What the entries dated in `period` that post to undistributed surplus
    /// (the year-end's closing entries) posted to each account of the book,
    /// debit-positive, by account number.
    fn closing_postings(&self, period: Period) -> Result<HashMap<u32, i128>> {
        let mut seqs = HashSet::new();
        for a in self
            .accounts
            .iter()
            .filter(|a| a.code == fund_code::UNDISTRIBUTED_SURPLUS)
        {
            let postings = self
                .ledger
                .postings_between(a.no, period.from, period.to, self.head)?;
            seqs.extend(postings.into_iter().map(|(seq, _)| seq));
        }
        let mut closing = HashMap::new();
        if seqs.is_empty() {
            return Ok(closing);
        }
        let by_name: HashMap<(&str, &str), u32> = self
            .accounts
            .iter()
            .map(|a| ((a.code.as_str(), a.sub.as_str()), a.no))
            .collect();
        for seq in seqs {
            let entry = self.ledger.entry(seq)?;
            for p in entry
                .record
                .0
                .postings
                .iter()
                .filter(|p| p.book == self.book_id)
            {
                if let Some(no) = by_name.get(&(p.code.as_str(), p.sub.as_str())) {
                    *closing.entry(*no).or_insert(0) += p.side.signed(p.amount_fen);
                }
            }
        }
        Ok(closing)
    }
}

/// A book's balances at a date, on their normal side, by the place of
/// their account in the reader's `accounts` (no key built per account).
pub struct BookBalances<'r> {
    accounts: &'r [Arc<AccountMeta>],
    by_code: &'r HashMap<String, Vec<usize>>,
    normal: Vec<Decimal>,
}

impl<'r> BookBalances<'r> {
    /// Each account with its balance, in the reader's order.
    pub fn iter(&self) -> impl Iterator<Item = (&'r AccountMeta, Decimal)> + '_ {
        self.accounts
            .iter()
            .map(|a| &**a)
            .zip(self.normal.iter().copied())
    }

    /// The accounts whose code `pick` takes, summed.
    fn sum_where(&self, pick: impl Fn(&str) -> bool) -> Decimal {
        self.by_code
            .iter()
            .filter(|(code, _)| pick(code))
            .flat_map(|(_, places)| places.iter().map(|&i| self.normal[i]))
            .sum()
    }

    /// A code with all its sub-accounts.
    pub fn sum(&self, code: &str) -> Decimal {
        let places = self.by_code.get(code).into_iter().flatten();
        places.map(|&i| self.normal[i]).sum()
    }

    /// Each loan's principal outstanding, by loan id, in id order.
    fn principal_by_loan(&self) -> Vec<(&'r str, Decimal)> {
        let places = self
            .by_code
            .get(fund_code::LOAN_PRINCIPAL)
            .into_iter()
            .flatten();
        let mut by_loan: Vec<_> = places
            .filter_map(|&i| {
                Some((
                    sub_id(SubKind::Loan, &self.accounts[i].sub)?,
                    self.normal[i],
                ))
            })
            .collect();
        by_loan.sort_unstable_by_key(|(id, _)| *id);
        by_loan
    }
}

/// What supervision reads of a fund's loans and balances on `as_of`.
fn fund_books(
    ledger: &Ledger,
    fund_id: &str,
    (b, loans): (&BookBalances<'_>, &[Arc<Loan>]),
    as_of: NaiveDate,
) -> Result<fed::FundBooks> {
    let state = ledger.state();
    let mut books = fed::FundBooks {
        loans: Vec::new(),
        cash_and_bank: b.sum(fund_code::CASH) + b.sum(fund_code::BANK),
        capital: b.sum_where(|code| code.starts_with('3')),
        risk_reserve: b.sum(fund_code::RISK_RESERVE),
        min_poor_share: registry::profile(&state, fund_id)?
            .rules
            .min_poor_loan_share,
    };
    let principal = b.principal_by_loan();
    let members = registry::shared_members(&state, fund_id)?;
    for l in loans {
        let outstanding = principal
            .binary_search_by_key(&l.loan_id.as_str(), |(id, _)| id)
            .map_or(Decimal::ZERO, |i| principal[i].1);
        if outstanding > Decimal::ZERO {
            let then = servicing::as_of(l, as_of);
            let member = members
                .binary_search_by(|m| m.member_id.as_str().cmp(&l.member_id))
                .ok()
                .map(|i| &members[i]);
            books.loans.push(fed::LoanExposure {
                poor: member.is_some_and(|m| m.status_on(as_of).is_poor()),
                days_past_due: then
                    .as_ref()
                    .map_or(0, |then| servicing::days_past_due(then, as_of)),
                restructured: then
                    .as_ref()
                    .is_some_and(|then| servicing::counts_at_risk(then, as_of)),
                member_id: l.member_id.clone(),
                outstanding,
            });
        }
    }
    Ok(books)
}

/// A fund's flows by kind over `period`, with the principal its loans
/// wrote off in it (before any recovery).
fn fund_flows(r: &Reader<'_>, loans: &[Arc<Loan>], period: Period) -> Result<Flows> {
    let mut flows = Flows::default();
    for (a, amount) in r.flows(period)? {
        flows.add(&a.code, amount);
    }
    flows.write_offs = loans
        .iter()
        .filter(|l| l.status == LoanStatus::WrittenOff)
        .filter(|l| {
            l.closed_on
                .is_some_and(|d| period.from <= d && d <= period.to)
        })
        .map(|l| l.written_off)
        .sum();
    Ok(flows)
}

/// The rules a fund is supervised by: its federation's, or the defaults.
pub fn rules_of(ledger: &Ledger, fund_id: &str) -> Result<FederationRules> {
    let state = ledger.state();
    match registry::federation_of(&state, fund_id) {
        Some(fed_id) => Ok(registry::federation(&state, &fed_id)?.rules),
        None => Ok(FederationRules::default()),
    }
}

/// The last quarter due before `as_of` that the fund has not closed, if it
/// was a member of its federation when that quarter ended.
fn quarter_not_closed(
    ledger: &Ledger,
    rules: &FederationRules,
    fund_id: &str,
    as_of: NaiveDate,
    closed_through: Option<NaiveDate>,
) -> Result<Option<Quarter>> {
    let q = Quarter::last_due_before(as_of, rules.report_due_days);
    let end = q.period().to;
    let member_then = registry::membership(&ledger.state(), fund_id)?
        .is_some_and(|m| m.admitted_on <= end && m.removed_on.is_none_or(|d| d > end));
    Ok((member_then && closed_through.is_none_or(|c| c < end)).then_some(q))
}

/// One fund's supervision line: balances and PAR at `period.to`, the
/// period's ratios, the quarter it has left open.
pub fn fund_line(
    ledger: &Ledger,
    rules: &FederationRules,
    fund_id: &str,
    period: Period,
) -> Result<pb::FundIndicators> {
    let as_of = period.to;
    let r = Reader::new(ledger, fund_id)?;
    let b = r.at(as_of)?;
    // Decoded once for both the portfolio at `as_of` and the write-offs;
    // neither reads what day-end accrued.
    let loans = registry::loan_terms(&ledger.state(), fund_id)?;
    let books = fund_books(ledger, fund_id, (&b, &loans), as_of)?;
    let mut i = fed::indicators(rules, &books);
    let flows = fund_flows(&r, &loans, period)?;
    let gross = period
        .sample_dates()
        .into_iter()
        .map(|d| r.total(fund_code::LOAN_PRINCIPAL, d))
        .collect::<Result<Vec<_>>>()?;
    let ratios = report::ratios(&flows, &gross);
    let closed_through = ledger.state().book(fund_id).and_then(|b| b.closed_through);
    let open = quarter_not_closed(ledger, rules, fund_id, as_of, closed_through)?;
    if let Some(q) = open {
        i.alerts.push(format!(
            "quarter {} not closed by {} (closed through {})",
            q.label(),
            q.due_on(rules.report_due_days),
            closed_through.map_or("no month".to_string(), |d| d.to_string())
        ));
    }
    Ok(pb::FundIndicators {
        fund_id: fund_id.to_string(),
        gross_portfolio: format_yuan(i.gross_portfolio),
        par30_balance: format_yuan(i.par30_balance),
        par90_balance: format_yuan(i.par90_balance),
        par30: encode::ratio(i.par30),
        par90: encode::ratio(i.par90),
        write_off_ratio: encode::ratio(ratios.write_off_ratio),
        liquidity: encode::ratio(i.liquidity),
        utilization: encode::ratio(i.utilization),
        largest_borrower_share: encode::ratio(i.largest_borrower_share),
        poor_share: encode::ratio(i.poor_share),
        reserve_cover: encode::ratio(i.reserve_cover),
        alerts: i.alerts,
        capital: format_yuan(books.capital),
        placed: format_yuan(b.sum(fund_code::PLACED_WITH_FEDERATION)),
        borrowed: format_yuan(b.sum(fund_code::BORROWED_FROM_FEDERATION)),
        period_from: encode::date(period.from),
        average_gross_portfolio: format_yuan(round_to_fen(ratios.average_gross)),
        portfolio_yield: encode::ratio(ratios.portfolio_yield),
        operational_self_sufficiency: encode::ratio(ratios.self_sufficiency),
        min_poor_share: books.min_poor_share.to_string(),
        quarter_not_closed: open.map(Quarter::label).unwrap_or_default(),
        quarter_due_on: open.map_or(String::new(), |q| {
            encode::date(q.due_on(rules.report_due_days))
        }),
        closed_through: closed_through.map(encode::date).unwrap_or_default(),
    })
}
