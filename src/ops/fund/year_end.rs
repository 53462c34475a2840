//! RunYearEnd: the year closed once, after the day-end has run through
//! December 31: the balancing fees of the fund's placements earned by then
//! and unpaid booked in both books, income and expenses as of that day to
//! undistributed surplus, the surplus to the welfare fund, the reserves and
//! dividends payable to members (by shares held or fees paid), and every
//! month of the year closed in the fund's book, so that the split stays
//! true: a correction afterwards is an entry dated in the open year. Reads
//! balances at a past date, so it runs isolated on the writer.
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::fund::{ALLOCATED_SHARES, MEMBER_SHARES};
use crate::domain::chart::AccountType;
use crate::domain::dates::business_today;
use crate::domain::federation::{self as fed, recipe as fed_recipe};
use crate::domain::fund::recipe::member_sub;
use crate::domain::money::{fen_to_decimal, format_yuan};
use crate::domain::posting::fen;
use crate::domain::yearend::{self, recipe, YearEnd};
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, PlannedClose, Result, Store};
use crate::ops::{operation_io, refused, Call, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys};
use crate::wire::decode;

pub struct RunYearEnd {
    fund_id: String,
    year: i32,
    by_fees: bool,
}

impl RunYearEnd {
    fn end(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, 12, 31).expect("December 31 exists")
    }

    /// The year-end's plan and what it distributes: what `RunYearEnd`
    /// commits and `PreviewYearEnd` shows.
    fn planned(&self, state: &State, store: &Store<'_>) -> Result<(Plan, YearEnd)> {
        let (id, year, end) = (&self.fund_id, self.year, self.end());
        let p = registry::profile(state, id)?;
        let done = registry::year_end(state, id, year)?.is_some();
        yearend::check_once(id, year, done).map_err(|e| refused(e, "year"))?;
        yearend::check_day_end(id, end, registry::day_end(state, id)?, business_today())
            .map_err(|e| refused(e, "year"))?;
        let mut plan = Plan::default();
        self.placement_fees(state, &mut plan)?;
        let mut balances = self.closing(state, store)?;
        recipe::with_planned(&mut balances, id, end, &plan.entries);
        let (surplus, closing) = recipe::closing(id, year, end, &balances)?;
        let weights = if surplus > Decimal::ZERO {
            self.weights(state, store)?
        } else {
            Vec::new()
        };
        let result = yearend::distribute(&p.rules.distribution, surplus, &weights);
        plan.entries.extend(closing);
        plan.entries
            .extend(recipe::distribution(id, year, end, &result)?);
        plan.records.push(json(keys::year_end(id, year), &result));
        plan.closes.push(PlannedClose {
            book_id: id.clone(),
            through: end,
        });
        Ok((plan, result))
    }

    /// Each income and expense account's balance at the end of the year.
    fn closing(&self, state: &State, store: &Store<'_>) -> Result<Vec<recipe::Closing>> {
        let book = state
            .book(&self.fund_id)
            .ok_or_else(|| LedgerError::not_found("fund_id", format!("fund {:?}", self.fund_id)))?;
        let mut accounts = Vec::new();
        for no in &state.book_accounts[book.no as usize] {
            let a = &state.accounts[*no as usize];
            if matches!(a.account_type, AccountType::Income | AccountType::Expense) {
                let balance = store.balance_as_of(a.no, self.end())?;
                accounts.push((a.code.clone(), a.sub.clone(), balance));
            }
        }
        Ok(accounts)
    }

    /// The fees of the fund's placements with its federation earned by
    /// December 31 and not paid then (DOMAIN.md §6), booked in both books
    /// before the split so that the surplus holds them; the part a
    /// repayment after December 31 already took goes back on its day.
    fn placement_fees(&self, state: &State, plan: &mut Plan) -> Result<()> {
        let Some(fed_id) = registry::federation_of(state, &self.fund_id) else {
            return Ok(());
        };
        let day_count = registry::federation(state, &fed_id)?.rules.day_count;
        let (end, fed_id) = (self.end(), fed_id.as_str());
        for p in registry::placements(state, fed_id)? {
            if p.fund_id != self.fund_id || p.placed_on > end {
                continue;
            }
            let a = fed::accrue_fee(&p, end, day_count);
            if a.booked + a.moved == Decimal::ZERO {
                continue;
            }
            let (accounts, entry) =
                fed_recipe::fee_accrued(fed_id, &p, fen(a.booked + a.moved)?, end);
            plan.accounts.extend(accounts);
            plan.entries.push(entry);
            if let Some(date) = a.moved_on.filter(|_| a.moved > Decimal::ZERO) {
                plan.entries
                    .push(fed_recipe::fee_moved_back(fed_id, &p, fen(a.moved)?, date));
            }
            plan.records
                .push(json(keys::placement(fed_id, &p.placement_id), &a.placement));
        }
        Ok(())
    }

    /// Each member's weight for dividends at the year's end: own and
    /// allocated shares held on December 31 by members then in the fund,
    /// or fees paid in the year.
    fn weights(&self, state: &State, store: &Store<'_>) -> Result<Vec<(String, Decimal)>> {
        let (id, end) = (&self.fund_id, self.end());
        let book = state
            .book(id)
            .ok_or_else(|| LedgerError::not_found("fund_id", format!("fund {id:?}")))?;
        let loans = if self.by_fees {
            registry::loans(state, id)?
        } else {
            Vec::new()
        };
        let mut weights = Vec::new();
        for m in registry::members(state, id)? {
            if m.joined > end || m.left.is_some_and(|d| d <= end) {
                continue;
            }
            let weight = if self.by_fees {
                loans
                    .iter()
                    .filter(|l| l.member_id == m.member_id)
                    .flat_map(|l| l.repayments.iter())
                    .filter(|r| r.date.year() == end.year())
                    .map(|r| r.fee)
                    .sum()
            } else {
                let sub = member_sub(&m.member_id);
                let mut held = 0i128;
                for code in [MEMBER_SHARES, ALLOCATED_SHARES] {
                    if let Some(no) = state.account_no(book.no, code, &sub) {
                        held -= store.balance_as_of(no, end)?;
                    }
                }
                fen_to_decimal(held)
            };
            weights.push((m.member_id, weight));
        }
        Ok(weights)
    }
}

impl Operation for RunYearEnd {
    operation_io!(pb::RunYearEndRequest => pb::YearEndResponse, "fund.year_end");
    const ISOLATED: bool = true;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::FundTreasurer, On::Fund(&r.fund_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            year: decode::year(r.year)?,
            by_fees: decode::by_fees(r.basis)?,
        })
    }

    fn plan(&self, state: &State, store: &Store<'_>) -> Result<Plan> {
        self.planned(state, store).map(|(plan, _)| plan)
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        let y: YearEnd = registry::year_end(&ledger.state(), &self.fund_id, self.year)?
            .ok_or_else(|| LedgerError::Internal("the year-end record is missing".into()))?;
        Ok(answer(self.year, &y, done))
    }
}

/// The answer of a year-end (`done`: the entries it posted; none for a
/// preview).
fn answer(year: i32, y: &YearEnd, done: Done) -> pb::YearEndResponse {
    pb::YearEndResponse {
        year: year as u32,
        surplus: format_yuan(y.surplus),
        welfare: format_yuan(y.split.welfare),
        accumulation: format_yuan(y.split.accumulation),
        risk: format_yuan(y.split.risk),
        dividends: format_yuan(y.split.dividends),
        member_dividends: y
            .dividends
            .iter()
            .map(|(m, a)| pb::MemberDividend {
                member_id: m.clone(),
                amount: format_yuan(*a),
            })
            .collect(),
        entry_seqs: done.seqs,
        replayed: done.replayed,
    }
}

/// PreviewYearEnd: RunYearEnd's plan on the state as it stands, answered
/// and not committed.
pub struct PreviewYearEnd(RunYearEnd);

impl Call for PreviewYearEnd {
    type Request = pb::RunYearEndRequest;
    type Response = pb::YearEndResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        super::reads::reads_fund(&r.fund_id)
    }

    fn decode(r: Self::Request, caller: &Caller) -> Result<Self> {
        <RunYearEnd as Operation>::decode(&r, caller).map(PreviewYearEnd)
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let (_, y) = ledger.planning_view(|state, store| self.0.planned(state, store))?;
        Ok(answer(self.0.year, &y, Done::default()))
    }
}
