//! Interest subsidies (贴息) of a program (DOMAIN.md §5): schemes, the loans
//! they subsidize, and each period's accrual, claim, approval and payment.
use rust_decimal::Decimal;

use crate::domain::money::format_yuan;
use crate::domain::riskfund::GuaranteedLoan;
use crate::domain::subsidy::{recipe, Kind, Line, LoanRef, Period, PeriodRecord, Scheme};
use crate::ledger::{Ledger, LedgerError, Result};
use crate::ops::Done;
use crate::pb;
use crate::registry::{self, ProgramProfile};
use crate::wire::{decode, encode};

pub mod accrue;
pub mod create;
pub mod link;
pub mod period;
pub mod statement;

/// The program, scheme and period a period operation names.
#[derive(Debug, Clone)]
pub struct PeriodAt {
    pub program_id: String,
    pub scheme_id: String,
    pub period_text: String,
    pub period: Period,
}

impl PeriodAt {
    pub fn decode(r: &pb::SubsidyPeriodRequest) -> Result<Self> {
        Ok(Self {
            program_id: decode::book_id("program_id", &r.program_id)?,
            scheme_id: decode::ident("scheme_id", &r.scheme_id)?,
            period: Period::parse(&r.period).ok_or_else(|| {
                LedgerError::invalid(
                    "period",
                    "must be a month \"YYYY-MM\" or a quarter \"YYYY-Qn\"",
                )
            })?,
            period_text: r.period.clone(),
        })
    }

    /// The period's statement after the operation.
    pub fn respond(&self, ledger: &Ledger, done: Done) -> Result<pb::SubsidyStatement> {
        let period = Some(self.period_text.as_str());
        statement(
            ledger,
            &self.program_id,
            &self.scheme_id,
            (period, None),
            done,
        )
    }
}

/// Whom a bank loan's subsidy under scheme `s` is payable to: the
/// borrower's household when the scheme pays borrowers, else the bank.
pub fn bank_loan_payee(p: &ProgramProfile, s: &Scheme, l: &GuaranteedLoan) -> String {
    if s.pay_borrower {
        recipe::household_payee(&l.terms.household_id)
    } else {
        recipe::bank_payee(&p.rules.bank_id)
    }
}

pub fn scheme_response(
    ledger: &Ledger,
    program_id: &str,
    scheme_id: &str,
    replayed: bool,
) -> Result<pb::SubsidySchemeResponse> {
    let s = registry::scheme(&ledger.state(), program_id, scheme_id)?;
    let (kind, rate) = match s.kind {
        Kind::Full => (pb::SubsidyKind::Full, String::new()),
        Kind::Fixed(r) => (pb::SubsidyKind::Fixed, r.to_string()),
    };
    let settlement = if s.quarterly {
        pb::Settlement::Quarterly
    } else {
        pb::Settlement::Monthly
    };
    let payee = if s.pay_borrower {
        pb::Payee::Borrower
    } else {
        pb::Payee::Bank
    };
    Ok(pb::SubsidySchemeResponse {
        program_id: program_id.to_string(),
        scheme_id: s.scheme_id,
        kind: kind as i32,
        rate_annual: rate,
        settlement: settlement as i32,
        payee: payee as i32,
        loans: s.loans.iter().map(LoanRef::label).collect(),
        accrued_through: encode::optional_date(s.accrued_through),
        replayed,
        principal_max: format_yuan(s.principal_max),
        term_max_months: s.term_max_months,
    })
}

/// The statement of one period, or of one loan across periods.
pub fn statement(
    ledger: &Ledger,
    program_id: &str,
    scheme_id: &str,
    (period, loan_ref): (Option<&str>, Option<&str>),
    done: Done,
) -> Result<pb::SubsidyStatement> {
    let state = &*ledger.state();
    registry::scheme(state, program_id, scheme_id)?;
    let mut periods: Vec<PeriodRecord> = match period {
        Some(p) => vec![registry::period(state, program_id, scheme_id, p)?],
        None => registry::periods(state, program_id, scheme_id)?,
    };
    periods.sort_by_key(|p| p.last_day);
    let lines: Vec<(&PeriodRecord, &Line)> = periods
        .iter()
        .flat_map(|p| p.lines.iter().map(move |l| (p, l)))
        .filter(|(_, l)| loan_ref.is_none_or(|r| l.loan == r))
        .collect();
    let total: Decimal = lines.iter().map(|(_, l)| l.accrued.subsidy).sum();
    let one = period.and(periods.first());
    Ok(pb::SubsidyStatement {
        program_id: program_id.to_string(),
        scheme_id: scheme_id.to_string(),
        lines: lines
            .iter()
            .map(|(p, l)| encode::subsidy_line(&p.period, l))
            .collect(),
        total: format_yuan(total),
        state: one.map_or(pb::SubsidyPeriodState::Unspecified, |p| {
            encode::period_state(p.state)
        }) as i32,
        claimed_by: one.and_then(|p| p.claimed_by.clone()).unwrap_or_default(),
        approved_by: one.and_then(|p| p.approved_by.clone()).unwrap_or_default(),
        entry_seqs: done.seqs,
        replayed: done.replayed,
    })
}
