//! GetDashboard: the federation's own position and each member fund's
//! supervision indicators (运行安全监管) as of a date, from the balances
//! then and each loan as it stood that day. Scans history, so it runs on
//! the blocking pool.
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::{federation as fc, fund as fund_code};
use crate::domain::dates::business_today;
use crate::domain::federation::{self as fed, FederationRules};
use crate::domain::loan::recipe::loan_sub;
use crate::domain::loan::LoanStatus;
use crate::domain::money::{fen_to_decimal, format_yuan};
use crate::domain::servicing;
use crate::ledger::{Ledger, Result};
use crate::ops::{blocking, Call};
use crate::pb;
use crate::registry;
use crate::wire::{decode, encode};

/// A book's balances as of a date, on their normal side, by (code, sub).
type Balances = HashMap<(String, String), Decimal>;

fn balances_as_of(ledger: &Ledger, book_id: &str, as_of: NaiveDate) -> Result<Balances> {
    let tb = ledger.trial_balance(book_id, Some(as_of))?;
    Ok(tb
        .lines
        .into_iter()
        .map(|(a, fen)| {
            (
                (a.code.clone(), a.sub.clone()),
                fen_to_decimal(a.normal_balance(fen)),
            )
        })
        .collect())
}

/// A code with all its sub-accounts.
fn sum(b: &Balances, code: &str) -> Decimal {
    b.iter()
        .filter(|((c, _), _)| c == code)
        .map(|(_, v)| *v)
        .sum()
}

/// What supervision reads of a fund's books on `as_of`.
fn fund_books(
    ledger: &Ledger,
    fund_id: &str,
    b: &Balances,
    as_of: NaiveDate,
) -> Result<fed::FundBooks> {
    let capital: Decimal = b
        .iter()
        .filter(|((c, _), _)| c.starts_with('3'))
        .map(|(_, v)| *v)
        .sum();
    let state = ledger.state();
    let mut books = fed::FundBooks {
        loans: Vec::new(),
        written_off: Decimal::ZERO,
        disbursed: Decimal::ZERO,
        cash_and_bank: sum(b, fund_code::CASH) + sum(b, fund_code::BANK),
        capital,
        risk_reserve: sum(b, fund_code::RISK_RESERVE),
    };
    for l in registry::loans(&state, fund_id)? {
        let key = (fund_code::LOAN_PRINCIPAL.to_string(), loan_sub(&l.loan_id));
        let outstanding = b.get(&key).copied().unwrap_or_default();
        if l.disbursed_on.is_some_and(|d| d <= as_of) && l.rescheduled_from.is_none() {
            books.disbursed += l.principal;
        }
        if l.status == LoanStatus::WrittenOff && l.closed_on.is_some_and(|d| d <= as_of) {
            books.written_off += l.written_off - l.recovered;
        }
        if outstanding > Decimal::ZERO {
            books.loans.push(fed::LoanExposure {
                poor: registry::member(&state, fund_id, &l.member_id)
                    .is_ok_and(|m| m.status_on(as_of).is_poor()),
                days_past_due: servicing::as_of(&l, as_of)
                    .map_or(0, |then| servicing::days_past_due(&then, as_of)),
                member_id: l.member_id,
                outstanding,
            });
        }
    }
    Ok(books)
}

/// One member fund's line of the dashboard.
fn fund_line(
    ledger: &Ledger,
    rules: &FederationRules,
    fund_id: &str,
    as_of: NaiveDate,
) -> Result<pb::FundIndicators> {
    let b = balances_as_of(ledger, fund_id, as_of)?;
    let books = fund_books(ledger, fund_id, &b, as_of)?;
    let i = fed::indicators(rules, &books);
    Ok(pb::FundIndicators {
        fund_id: fund_id.to_string(),
        gross_portfolio: format_yuan(i.gross_portfolio),
        par30_balance: format_yuan(i.par30_balance),
        par90_balance: format_yuan(i.par90_balance),
        par30: encode::ratio(i.par30),
        par90: encode::ratio(i.par90),
        write_off_ratio: encode::ratio(i.write_off_ratio),
        liquidity: encode::ratio(i.liquidity),
        utilization: encode::ratio(i.utilization),
        largest_borrower_share: encode::ratio(i.largest_borrower_share),
        poor_share: encode::ratio(i.poor_share),
        reserve_cover: encode::ratio(i.reserve_cover),
        alerts: i.alerts,
        capital: format_yuan(books.capital),
        placed: format_yuan(sum(&b, fund_code::PLACED_WITH_FEDERATION)),
        borrowed: format_yuan(sum(&b, fund_code::BORROWED_FROM_FEDERATION)),
    })
}

/// The federation's dashboard as of `as_of`.
pub fn dashboard(ledger: &Ledger, fed_id: &str, as_of: NaiveDate) -> Result<pb::Dashboard> {
    let (rules, funds) = {
        let state = ledger.state();
        (
            registry::federation(&state, fed_id)?.rules,
            registry::member_funds(&state, fed_id)?,
        )
    };
    let own = balances_as_of(ledger, fed_id, as_of)?;
    let lines = funds
        .iter()
        .map(|fund_id| fund_line(ledger, &rules, fund_id, as_of))
        .collect::<Result<Vec<_>>>()?;
    Ok(pb::Dashboard {
        federation_id: fed_id.to_string(),
        as_of: encode::date(as_of),
        bank: format_yuan(sum(&own, fc::BANK)),
        placements: format_yuan(sum(&own, fc::PLACEMENTS)),
        borrowings: format_yuan(sum(&own, fc::BORROWINGS)),
        seed_capital: format_yuan(sum(&own, fc::SEED_CAPITAL)),
        relief_pool: format_yuan(sum(&own, fc::RELIEF_POOL)),
        fee_income: format_yuan(sum(&own, fc::FEE_INCOME)),
        alerts: lines.iter().map(|l| l.alerts.len() as u32).sum(),
        funds: lines,
    })
}

pub struct GetDashboard {
    federation_id: String,
    as_of: NaiveDate,
}

impl Call for GetDashboard {
    type Request = pb::GetDashboardRequest;
    type Response = pb::Dashboard;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Federation(&r.federation_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            as_of: decode::optional_date("as_of", &r.as_of)?.unwrap_or_else(business_today),
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        blocking(ledger, move |l| {
            dashboard(l, &self.federation_id, self.as_of)
        })
        .await
    }
}
