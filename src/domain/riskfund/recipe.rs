//! Posting recipes of a program's risk fund (DOMAIN.md §5): deposits and
//! withdrawals, the memorandum pair that holds each guaranteed loan's
//! exposure (Dr 7001 exposure, Cr 7002 obligation, always equal per loan),
//! compensation paid on a claim and the fund's share of recoveries.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::GuaranteedLoan;
use crate::domain::chart::code::program::{
    COMPENSATION, EXPOSURE, OBLIGATION, RECOVERIES, RISK_FUND, RISK_FUND_CAPITAL,
};
use crate::domain::chart::{self, SubKind};
use crate::domain::loan::recipe::loan_sub;
use crate::domain::money::{fen_to_decimal, round_to_fen};
use crate::domain::posting::{
    account, fen, open, transfer, transfer_yuan, PlannedAccount, PlannedEntry, Unpostable,
};

/// A deposit of `amount_fen` from `source`, or (`deposit` false) a
/// withdrawal back to it: Dr 1002, Cr 3001/source, or the reverse; with the
/// source's capital account, never below zero.
pub fn risk_fund_move(
    program_id: &str,
    source: &str,
    amount_fen: i64,
    date: NaiveDate,
    deposit: bool,
) -> (PlannedAccount, PlannedEntry) {
    let capital = account(
        program_id,
        RISK_FUND_CAPITAL,
        &chart::sub(SubKind::Source, source),
    );
    let fund = account(program_id, RISK_FUND, "");
    let entry = if deposit {
        let memo = format!("risk fund deposited by {source}");
        transfer(date, memo, fund, capital.clone(), amount_fen)
    } else {
        let memo = format!("risk fund withdrawn to {source}");
        transfer(date, memo, capital.clone(), fund, amount_fen)
    };
    let name = format!("Risk-fund capital from {source}");
    (open(capital, name, true), entry)
}

/// A guaranteed loan's memorandum pair, opened at registration, never below zero.
pub fn guarantee_accounts(program_id: &str, l: &GuaranteedLoan) -> Vec<PlannedAccount> {
    let sub = loan_sub(&l.terms.loan_id);
    let name = format!(
        "guarantee of loan {} to {}",
        l.terms.loan_id, l.terms.household_id
    );
    [EXPOSURE, OBLIGATION]
        .into_iter()
        .map(|code| open(account(program_id, code, &sub), name.clone(), true))
        .collect()
}

/// What the books hold for one loan: its 7001 and 7002 balances, in fen on
/// their normal sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub exposure_fen: i128,
    pub obligation_fen: i128,
}

/// The memorandum entry moving a loan's exposure from what its record said
/// (`before`, none for a registration) to `after`: Dr 7001, Cr 7002 when it
/// grows, the reverse when it shrinks, nothing when it stays.
///
/// Asserts the invariant where it is kept: the books hold 7001 = 7002 for
/// the loan, and both equal the exposure its record gives.
pub fn exposure_change(
    program_id: &str,
    before: Option<&GuaranteedLoan>,
    held: Held,
    after: &GuaranteedLoan,
    date: NaiveDate,
    memo: &str,
) -> Result<Option<PlannedEntry>, Unpostable> {
    let was = before.map_or(Decimal::ZERO, GuaranteedLoan::exposure);
    assert!(
        held.exposure_fen == held.obligation_fen && fen_to_decimal(held.exposure_fen) == was,
        "loan {}: 7001 and 7002 hold {:?}, its record {was}",
        after.terms.loan_id,
        held
    );
    let change = after.exposure() - was;
    if change.is_zero() {
        return Ok(None);
    }
    let (grows, shrinks) = (
        account(program_id, EXPOSURE, &loan_sub(&after.terms.loan_id)),
        account(program_id, OBLIGATION, &loan_sub(&after.terms.loan_id)),
    );
    let (debit, credit) = if change > Decimal::ZERO {
        (grows, shrinks)
    } else {
        (shrinks, grows)
    };
    let memo = format!("loan {}: {memo}", after.terms.loan_id);
    Ok(Some(transfer(
        date,
        memo,
        debit,
        credit,
        fen(change.abs())?,
    )))
}

/// Compensation paid to the bank on a claim: Dr 5001, Cr 1002.
pub fn compensation(
    program_id: &str,
    l: &GuaranteedLoan,
    fund_share: Decimal,
    date: NaiveDate,
) -> Result<Option<PlannedEntry>, Unpostable> {
    let Some(c) = l.claim.as_ref().filter(|c| c.compensation > Decimal::ZERO) else {
        return Ok(None);
    };
    let memo = format!(
        "compensation on loan {}: {fund_share} of {} unpaid",
        l.terms.loan_id,
        c.loss()
    );
    let (expense, fund) = (
        account(program_id, COMPENSATION, ""),
        account(program_id, RISK_FUND, ""),
    );
    transfer_yuan(date, memo, expense, fund, c.compensation).map(Some)
}

/// The fund's share of a recovery comes back: Dr 1002, Cr 4001.
pub fn recovery(
    program_id: &str,
    loan_id: &str,
    recovered: Decimal,
    share: Decimal,
    date: NaiveDate,
) -> Result<Option<PlannedEntry>, Unpostable> {
    if share <= Decimal::ZERO {
        return Ok(None);
    }
    debug_assert_eq!(share, round_to_fen(share), "shares are rounded to the fen");
    let memo = format!("recovery on loan {loan_id}: the fund's share of {recovered}");
    let (fund, income) = (
        account(program_id, RISK_FUND, ""),
        account(program_id, RECOVERIES, ""),
    );
    transfer_yuan(date, memo, fund, income, share).map(Some)
}
