//! AccrueSubsidy: every loan of a scheme accrued for its next period, once
//! and in order: current days only, weighed under the program's day count,
//! at the scheme's rate; a bank loan's subsidy payable to the bank or its
//! borrower, a village-fund loan's taken off its fee.
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::fund::FEE_RECEIVABLE;
use crate::domain::loan::recipe::loan_sub;
use crate::domain::money::fen_to_decimal;
use crate::domain::subsidy::{self, recipe, Line, LoanRef, PeriodRecord, PeriodState, Scheme};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Plan, Result, Store};
use crate::ops::{operation_io, refused, Done, Operation};
use crate::pb;
use crate::registry::{self, json, keys, ProgramProfile};

use super::PeriodAt;

pub struct AccrueSubsidy {
    at: PeriodAt,
}

impl AccrueSubsidy {
    /// A bank loan's line, and its subsidy payable to the bank or, when the
    /// scheme pays borrowers, to the borrower's household (its payable opens
    /// here for loans linked before the household payables existed).
    fn bank_line(
        &self,
        state: &State,
        p: &ProgramProfile,
        s: &Scheme,
        loan_id: &str,
        plan: &mut Plan,
    ) -> Result<Line> {
        let (at, label) = (&self.at, LoanRef::Bank(loan_id.into()).label());
        let l = registry::guaranteed_loan(state, &at.program_id, loan_id)?;
        let rate = s.kind.rate(l.terms.rate_annual);
        let accrued = subsidy::accrue(&l.track(), rate, p.rules.day_count, at.period.span());
        let payee = super::bank_loan_payee(p, s, &l);
        plan.accounts.push(recipe::payable(&at.program_id, &payee));
        let date = at.period.last_day();
        plan.entries.extend(recipe::bank_subsidy(
            &at.program_id,
            &payee,
            &at.period_text,
            &label,
            date,
            accrued.subsidy,
        )?);
        Ok(Line {
            loan: label,
            payee,
            rate_annual: rate,
            accrued,
            fee_reduced: Decimal::ZERO,
            refund: Decimal::ZERO,
        })
    }

    /// A village-fund loan's line, its entry across the fund's and the
    /// program's books, and the loan's record.
    fn fund_line(
        &self,
        state: &State,
        (p, s): (&ProgramProfile, &Scheme),
        (fund_id, loan_id): (&str, &str),
        earlier: &[PeriodRecord],
        plan: &mut Plan,
    ) -> Result<Line> {
        let at = &self.at;
        let label = LoanRef::Fund(fund_id.into(), loan_id.into()).label();
        let mut l = registry::loan(state, fund_id, loan_id)?;
        // What earlier periods took off the fee counts as paid on their last day.
        let credits: Vec<_> = earlier
            .iter()
            .flat_map(|e| {
                e.lines
                    .iter()
                    .filter(|x| x.loan == label)
                    .map(|x| (e.last_day, x.fee_reduced))
            })
            .collect();
        let rate = s.kind.rate(l.rate_annual);
        let track = subsidy::fund_loan_track(&l, &credits);
        let accrued = subsidy::accrue(&track, rate, p.rules.day_count, at.period.span());
        let receivable = fen_to_decimal(state.balance(fund_id, FEE_RECEIVABLE, &loan_sub(loan_id)));
        let (fee_reduced, refund) = subsidy::split_fund_subsidy(accrued.subsidy, receivable);
        let entry = recipe::fund_subsidy(&recipe::FundSubsidy {
            program_id: &at.program_id,
            fund_id,
            loan_id,
            member_id: &l.member_id,
            period: &at.period_text,
            date: at.period.last_day(),
            subsidy: accrued.subsidy,
            fee_reduced,
            refund,
        })?;
        if let Some(entry) = entry {
            plan.entries.push(entry);
            // The fee the subsidy pays is paid on the borrower's behalf: the
            // loan's record counts it as fee paid, so the borrower owes less and
            // 1202 stays equal to the record's fee accrued less fee paid.
            l.fee_paid += fee_reduced;
            plan.records.extend(registry::loan_records(fund_id, &l));
        }
        Ok(Line {
            loan: label,
            payee: recipe::fund_payee(fund_id),
            rate_annual: rate,
            accrued,
            fee_reduced,
            refund,
        })
    }
}

impl Operation for AccrueSubsidy {
    operation_io!(pb::SubsidyPeriodRequest => pb::SubsidyStatement, "subsidy.accrue");

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Bank, On::Program(&r.program_id))
    }

    fn decode(r: &Self::Request, _: &Caller) -> Result<Self> {
        PeriodAt::decode(r).map(|at| Self { at })
    }

    fn plan(&self, state: &State, _: &Store<'_>) -> Result<Plan> {
        let at = &self.at;
        let (id, period) = (&at.program_id, at.period);
        let p = registry::program(state, id)?;
        let mut s = registry::scheme(state, id, &at.scheme_id)?;
        let accrued = registry::find_period(state, id, &s.scheme_id, &at.period_text)?.is_some();
        subsidy::check_next_period(s.quarterly, s.accrued_through, period, accrued)
            .map_err(|e| refused(e, "period"))?;
        let earlier = registry::periods(state, id, &s.scheme_id)?;
        let mut plan = Plan::default();
        let mut lines = Vec::new();
        for loan in &s.loans {
            lines.push(match loan {
                LoanRef::Bank(loan_id) => self.bank_line(state, &p, &s, loan_id, &mut plan)?,
                LoanRef::Fund(f, l) => {
                    self.fund_line(state, (&p, &s), (f, l), &earlier, &mut plan)?
                }
            });
        }
        let date = period.last_day();
        s.accrued_through = Some(date);
        plan.records.push(json(keys::scheme(id, &s.scheme_id), &s));
        let record = PeriodRecord {
            period: at.period_text.clone(),
            last_day: date,
            lines,
            state: PeriodState::Accrued,
            claimed_by: None,
            approved_by: None,
        };
        plan.records.push(json(
            keys::period(id, &s.scheme_id, &at.period_text),
            &record,
        ));
        Ok(plan)
    }

    fn respond(&self, ledger: &Ledger, done: Done) -> Result<Self::Response> {
        self.at.respond(ledger, done)
    }
}
