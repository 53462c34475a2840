//! Posting recipes of interest subsidies (DOMAIN.md §5): a bank loan's
//! subsidy payable to the bank or to the borrower's household, a
//! village-fund loan's subsidy as one entry across the fund's book and the
//! program's, the finance bureau's approval, and the payment of each payee.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{LoanRef, PeriodRecord};
use crate::domain::chart::code::{fund, program};
use crate::domain::chart::{self, SubKind};
use crate::domain::fund::recipe::member_sub;
use crate::domain::loan::recipe::loan_sub;
use crate::domain::posting::{
    account, entry, fen, leg_yuan, open, transfer_yuan, Leg, PlannedAccount, PlannedEntry, Side,
    Unpostable,
};

/// The payee sub-account of a bank: "bank:{bank}".
pub fn bank_payee(bank_id: &str) -> String {
    chart::sub(SubKind::Bank, bank_id)
}

/// The payee sub-account of a fund: "fund:{fund}".
pub fn fund_payee(fund_id: &str) -> String {
    chart::sub(SubKind::Fund, fund_id)
}

/// The payee sub-account of a bank loan's borrower: "household:{household}".
pub fn household_payee(household_id: &str) -> String {
    chart::sub(SubKind::Household, household_id)
}

/// The program's subsidy payable to `payee` (a payee sub-account).
pub fn payable(program_id: &str, payee: &str) -> PlannedAccount {
    open(
        account(program_id, program::SUBSIDY_PAYABLE, payee),
        format!("Subsidy payable to {payee}"),
        false,
    )
}

/// The accounts a linked loan needs: the program's payable to `payee` (the
/// bank, the borrower's household, the fund), and for a fund's loan the
/// fund's receivable from the program.
pub fn link_accounts(program_id: &str, loan: &LoanRef, payee: &str) -> Vec<PlannedAccount> {
    match loan {
        LoanRef::Bank(_) => vec![payable(program_id, payee)],
        LoanRef::Fund(fund_id, _) => vec![
            payable(program_id, payee),
            open(
                account(
                    fund_id,
                    fund::SUBSIDY_RECEIVABLE,
                    &chart::sub(SubKind::Program, program_id),
                ),
                format!("Subsidy receivable from program {program_id}"),
                false,
            ),
        ],
    }
}

/// A bank loan's subsidy for a period: Dr 5002, Cr 2201/bank or
/// 2201/household.
pub fn bank_subsidy(
    program_id: &str,
    payee: &str,
    period: &str,
    label: &str,
    date: NaiveDate,
    subsidy: Decimal,
) -> Result<Option<PlannedEntry>, Unpostable> {
    if subsidy <= Decimal::ZERO {
        return Ok(None);
    }
    let (expense, payable) = (
        account(program_id, program::SUBSIDIES, ""),
        account(program_id, program::SUBSIDY_PAYABLE, payee),
    );
    let memo = format!("subsidy {period} on {label}");
    transfer_yuan(date, memo, expense, payable, subsidy).map(Some)
}

/// What a village-fund loan's subsidy for a period does.
pub struct FundSubsidy<'a> {
    pub program_id: &'a str,
    pub fund_id: &'a str,
    pub loan_id: &'a str,
    pub member_id: &'a str,
    pub period: &'a str,
    pub date: NaiveDate,
    pub subsidy: Decimal,
    /// Taken off the fee the borrower owes (1202).
    pub fee_reduced: Decimal,
    /// Refunded to the borrower (2201/member) for fee already paid.
    pub refund: Decimal,
}

/// A village-fund loan's subsidy, one entry in two books: the fund's Dr
/// 1203/program, Cr 1202/loan (the borrower owes less) and Cr 2201/member
/// (a refund); the program's Dr 5002, Cr 2201/fund.
pub fn fund_subsidy(s: &FundSubsidy<'_>) -> Result<Option<PlannedEntry>, Unpostable> {
    if s.subsidy <= Decimal::ZERO {
        return Ok(None);
    }
    let label = LoanRef::Fund(s.fund_id.into(), s.loan_id.into()).label();
    let program_sub = chart::sub(SubKind::Program, s.program_id);
    let amount = fen(s.subsidy)?;
    let legs: Vec<Leg> = [
        Some((
            account(s.fund_id, fund::SUBSIDY_RECEIVABLE, &program_sub),
            Side::Debit,
            amount,
        )),
        leg_yuan(
            account(s.fund_id, fund::FEE_RECEIVABLE, &loan_sub(s.loan_id)),
            Side::Credit,
            s.fee_reduced,
        )?,
        leg_yuan(
            account(s.fund_id, fund::PAYABLES, &member_sub(s.member_id)),
            Side::Credit,
            s.refund,
        )?,
        Some((
            account(s.program_id, program::SUBSIDIES, ""),
            Side::Debit,
            amount,
        )),
        Some((
            account(
                s.program_id,
                program::SUBSIDY_PAYABLE,
                &fund_payee(s.fund_id),
            ),
            Side::Credit,
            amount,
        )),
    ]
    .into_iter()
    .flatten()
    .collect();
    let memo = format!(
        "subsidy {} on {label}: the program pays the occupancy fee",
        s.period
    );
    Ok(Some(entry(s.date, memo, legs)))
}

/// The finance bureau approves a period's total: Dr 1203, Cr 3002.
pub fn approval(
    program_id: &str,
    period: &str,
    date: NaiveDate,
    total: Decimal,
) -> Result<Option<PlannedEntry>, Unpostable> {
    if total <= Decimal::ZERO {
        return Ok(None);
    }
    let memo = format!("subsidy {period} approved by the finance bureau");
    let (receivable, received) = (
        account(program_id, program::SUBSIDY_RECEIVABLE, ""),
        account(program_id, program::SUBSIDY_FUNDS, ""),
    );
    transfer_yuan(date, memo, receivable, received, total).map(Some)
}

/// Paying an approved period: per payee, Dr 2201/payee, Cr 1203 in the
/// program, and for a fund, Dr 1002, Cr 1203/program in its book.
pub fn payments(
    program_id: &str,
    p: &PeriodRecord,
    date: NaiveDate,
) -> Result<Vec<PlannedEntry>, Unpostable> {
    let mut payees: Vec<(String, Decimal)> = Vec::new();
    for l in &p.lines {
        match payees.iter_mut().find(|(payee, _)| *payee == l.payee) {
            Some((_, total)) => *total += l.accrued.subsidy,
            None => payees.push((l.payee.clone(), l.accrued.subsidy)),
        }
    }
    let mut entries = Vec::new();
    for (payee, total) in payees.into_iter().filter(|(_, t)| *t > Decimal::ZERO) {
        let amount = fen(total)?;
        let mut legs = vec![
            (
                account(program_id, program::SUBSIDY_PAYABLE, &payee),
                Side::Debit,
                amount,
            ),
            (
                account(program_id, program::SUBSIDY_RECEIVABLE, ""),
                Side::Credit,
                amount,
            ),
        ];
        if let Some(fund_id) = chart::sub_id(SubKind::Fund, &payee) {
            let program_sub = chart::sub(SubKind::Program, program_id);
            legs.push((account(fund_id, fund::BANK, ""), Side::Debit, amount));
            legs.push((
                account(fund_id, fund::SUBSIDY_RECEIVABLE, &program_sub),
                Side::Credit,
                amount,
            ));
        }
        let memo = format!("subsidy {} paid to {payee} by the finance bureau", p.period);
        entries.push(entry(date, memo, legs));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::subsidy::{Accrued, Line, PeriodState};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn legs(e: &PlannedEntry) -> Vec<(String, String, String, Side, i64)> {
        e.postings
            .iter()
            .map(|p| {
                (
                    p.account.book_id.clone(),
                    p.account.code.clone(),
                    p.account.sub.clone(),
                    p.side,
                    p.amount_fen,
                )
            })
            .collect()
    }

    /// 200.00 of subsidy on a fund loan owing 150.00 of fee: 150.00 off the
    /// fee, 50.00 refunded to the member; the program owes the fund 200.00.
    #[test]
    fn a_fund_loans_subsidy_is_one_entry_in_two_books() {
        let s = FundSubsidy {
            program_id: "p",
            fund_id: "f",
            loan_id: "L1",
            member_id: "M1",
            period: "2025-03",
            date: day(),
            subsidy: d("200.00"),
            fee_reduced: d("150.00"),
            refund: d("50.00"),
        };
        let e = fund_subsidy(&s).unwrap().unwrap();
        assert_eq!(
            legs(&e),
            vec![
                (
                    "f".into(),
                    "1203".into(),
                    "program:p".into(),
                    Side::Debit,
                    20_000
                ),
                (
                    "f".into(),
                    "1202".into(),
                    "loan:L1".into(),
                    Side::Credit,
                    15_000
                ),
                (
                    "f".into(),
                    "2201".into(),
                    "member:M1".into(),
                    Side::Credit,
                    5_000
                ),
                ("p".into(), "5002".into(), "".into(), Side::Debit, 20_000),
                (
                    "p".into(),
                    "2201".into(),
                    "fund:f".into(),
                    Side::Credit,
                    20_000
                ),
            ]
        );
        let nothing = FundSubsidy {
            subsidy: Decimal::ZERO,
            ..s
        };
        assert!(fund_subsidy(&nothing).unwrap().is_none());
    }

    /// A period of 2,400.00 to the bank, 200.00 to a fund and 100.00 to a
    /// bank loan's borrower: one payment each; the fund's arrives in its bank
    /// account, the household's settles the program's payable to it.
    #[test]
    fn a_paid_period_pays_each_payee_once() {
        let line = |loan: &str, payee: &str, subsidy: &str| Line {
            loan: loan.into(),
            payee: payee.into(),
            rate_annual: d("0.024"),
            accrued: Accrued {
                subsidy: d(subsidy),
                days_current: 30,
                days_overdue: 0,
            },
            fee_reduced: Decimal::ZERO,
            refund: Decimal::ZERO,
        };
        let p = PeriodRecord {
            period: "2025-Q1".into(),
            last_day: day(),
            lines: vec![
                line("bank:B1", "bank:rcc", "1200.00"),
                line("bank:B2", "bank:rcc", "1200.00"),
                line("fund:f/L1", "fund:f", "200.00"),
                line("bank:B3", "household:H3", "100.00"),
            ],
            state: PeriodState::Approved,
            claimed_by: None,
            approved_by: None,
        };
        let paid = payments("p", &p, day()).unwrap();
        assert_eq!(paid.len(), 3);
        assert_eq!(
            legs(&paid[2]),
            vec![
                (
                    "p".into(),
                    "2201".into(),
                    "household:H3".into(),
                    Side::Debit,
                    10_000
                ),
                ("p".into(), "1203".into(), "".into(), Side::Credit, 10_000),
            ]
        );
        assert_eq!(paid[0].postings[0].amount_fen, 240_000);
        assert_eq!(
            legs(&paid[1])[2..].to_vec(),
            vec![
                ("f".into(), "1002".into(), "".into(), Side::Debit, 20_000),
                (
                    "f".into(),
                    "1203".into(),
                    "program:p".into(),
                    Side::Credit,
                    20_000
                ),
            ]
        );
        let approved = approval("p", "2025-Q1", day(), p.total()).unwrap().unwrap();
        assert_eq!(approved.postings[0].amount_fen, 270_000);
    }
}
