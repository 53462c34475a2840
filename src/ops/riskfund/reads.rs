//! A program's reads: a guaranteed loan on a date, its loans on a date,
//! and the leverage report (exposure against ratio × fund, headroom,
//! default ratio, suspension).
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::program::{COMPENSATION, RECOVERIES};
use crate::domain::chart::code::program::{EXPOSURE, RISK_FUND};
use crate::domain::dates::business_today;
use crate::domain::money::{fen_to_decimal, format_yuan, round_ratio};
use crate::domain::riskfund::{GuaranteeState, GuaranteedLoan, Standing};
use crate::ledger::state::{AccountMeta, State};
use crate::ledger::{Ledger, Result};
use crate::ops::{blocking, Call, Done};
use crate::pb;
use crate::registry;
use crate::wire::{decode, encode};

pub struct GetGuaranteedLoan {
    program_id: String,
    loan_id: String,
    as_of: NaiveDate,
}

impl Call for GetGuaranteedLoan {
    type Request = pb::GetGuaranteedLoanRequest;
    type Response = pb::GuaranteedLoanResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Program(&r.program_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            program_id: decode::book_id("program_id", &r.program_id)?,
            loan_id: decode::ident("loan_id", &r.loan_id)?,
            as_of: decode::optional_date("as_of", &r.as_of)?.unwrap_or_else(business_today),
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        super::loan_response(
            &ledger,
            &self.program_id,
            &self.loan_id,
            self.as_of,
            Done::default(),
        )
    }
}

/// A program and the date a read is of (empty: today).
pub struct ProgramOn {
    program_id: String,
    as_of: NaiveDate,
}

impl ProgramOn {
    fn decode(program_id: &str, as_of: &str) -> Result<Self> {
        Ok(Self {
            program_id: decode::book_id("program_id", program_id)?,
            as_of: decode::optional_date("as_of", as_of)?.unwrap_or_else(business_today),
        })
    }
}

pub struct GetLeverageReport(ProgramOn);

impl Call for GetLeverageReport {
    type Request = pb::GetLeverageReportRequest;
    type Response = pb::LeverageReport;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Program(&r.program_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        ProgramOn::decode(&r.program_id, &r.as_of).map(Self)
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        blocking(ledger, move |l| self.report(l)).await
    }
}

impl GetLeverageReport {
    /// The report as the books and the loans stood at the end of `as_of`.
    fn report(&self, ledger: &Ledger) -> Result<pb::LeverageReport> {
        let ProgramOn {
            program_id: id,
            as_of,
        } = &self.0;
        let as_of = *as_of;
        let (p, loans, book) = {
            let state = ledger.state();
            let p = registry::program(&state, id)?;
            let loans: Vec<GuaranteedLoan> = registry::guaranteed_loans(&state, id)?
                .iter()
                .filter_map(|l| l.as_of(as_of))
                .collect();
            (p, loans, AsOf::new(&state, id, as_of))
        };
        let at = |code| book.total(ledger, code);
        let s = Standing::of(&p.rules, &loans, at(RISK_FUND)?, at(EXPOSURE)?, as_of);
        let capacity = s.capacity(&p.rules);
        let leverage = if s.fund_balance > Decimal::ZERO {
            round_ratio(s.exposure / s.fund_balance).to_string()
        } else {
            String::new()
        };
        let rules = encode::program_rules(&p.rules);
        Ok(pb::LeverageReport {
            program_id: id.clone(),
            name: p.name.clone(),
            as_of: encode::date(as_of),
            leverage_ratio: rules.leverage_ratio,
            leverage_ratio_decimal: rules.leverage_ratio_decimal,
            fund_balance: format_yuan(s.fund_balance),
            exposure: format_yuan(s.exposure),
            capacity: format_yuan(capacity),
            headroom: format_yuan(capacity - s.exposure),
            leverage,
            principal_in_default: format_yuan(s.principal_in_default),
            default_ratio: round_ratio(s.default_ratio()).to_string(),
            suspend_above_default_ratio: p.rules.suspend_above_default_ratio.to_string(),
            lending_suspended: s.suspended(&p.rules),
            active_loans: loans
                .iter()
                .filter(|l| l.guaranteed() && l.state == GuaranteeState::Active)
                .count() as u32,
            compensation_paid: format_yuan(at(COMPENSATION)?),
            recoveries: format_yuan(at(RECOVERIES)?),
            business_exposure: format_yuan(s.business_exposure),
            business_share: encode::ratio(s.business_share().map(round_ratio)),
        })
    }
}

/// The program's loans as they stood at the end of a date, in id order.
pub struct ListGuaranteedLoans(ProgramOn);

impl Call for ListGuaranteedLoans {
    type Request = pb::ListGuaranteedLoansRequest;
    type Response = pb::ListGuaranteedLoansResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Program(&r.program_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        ProgramOn::decode(&r.program_id, &r.as_of).map(Self)
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let ProgramOn { program_id, as_of } = self.0;
        let state = ledger.state();
        let p = registry::program(&state, &program_id)?;
        let loans = registry::guaranteed_loans(&state, &program_id)?
            .iter()
            .filter_map(|l| l.as_of(as_of))
            .map(|l| encode::guaranteed_loan_line(&l, &p.rules, as_of))
            .collect();
        Ok(pb::ListGuaranteedLoansResponse {
            program_id,
            as_of: encode::date(as_of),
            loans,
        })
    }
}

/// A book's accounts at one head, to read at the end of a date: the head
/// is the one the loans were loaded at, so books and loans agree.
struct AsOf {
    accounts: Vec<Arc<AccountMeta>>,
    head: u64,
    date: NaiveDate,
}

impl AsOf {
    fn new(state: &State, book_id: &str, date: NaiveDate) -> Self {
        let accounts = state.book(book_id).map_or_else(Vec::new, |b| {
            state
                .accounts
                .iter()
                .filter(|a| a.book_no == b.no)
                .cloned()
                .collect()
        });
        Self {
            accounts,
            head: state.head_seq,
            date,
        }
    }

    /// A code with all its sub-accounts, on its normal side.
    fn total(&self, ledger: &Ledger, code: &str) -> Result<Decimal> {
        let mut fen = 0i128;
        for a in self.accounts.iter().filter(|a| a.code == code) {
            fen += a.normal_balance(ledger.balance_as_of(a.no, self.date, self.head)?);
        }
        Ok(fen_to_decimal(fen))
    }
}
