//! Posting recipe of a disbursement (DOMAIN.md §4): the principal leaves the
//! till for the loan's own receivable, and an upfront fee comes back in.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Loan;
use crate::domain::chart::code::fund::{FEE_INCOME, FEE_RECEIVABLE, LOAN_PRINCIPAL};
use crate::domain::chart::{self, SubKind};
use crate::domain::fund::recipe::Till;
use crate::domain::posting::{
    account, open, transfer_yuan, PlannedAccount, PlannedEntry, Unpostable,
};

/// A loan's sub-account name, "loan:L1".
pub fn loan_sub(loan_id: &str) -> String {
    chart::sub(SubKind::Loan, loan_id)
}

/// A loan's principal and fee receivable, opened at disbursement and never
/// below zero: a loan can never be repaid beyond what is owed.
pub fn loan_accounts(fund_id: &str, loan_id: &str, member_id: &str) -> Vec<PlannedAccount> {
    let sub = loan_sub(loan_id);
    let name = format!("loan {loan_id} of {member_id}");
    [LOAN_PRINCIPAL, FEE_RECEIVABLE]
        .into_iter()
        .map(|code| open(account(fund_id, code, &sub), name.clone(), true))
        .collect()
}

/// Disbursement of `loan` (as it stands after `disburse`): Dr 1201/loan,
/// Cr the till; with an upfront fee, Dr the till, Cr 4001.
pub fn disbursement(
    fund_id: &str,
    loan: &Loan,
    till: Till,
    date: NaiveDate,
) -> Result<Vec<PlannedEntry>, Unpostable> {
    let (id, sub) = (&loan.loan_id, loan_sub(&loan.loan_id));
    let mut entries = vec![transfer_yuan(
        date,
        format!("loan {id} disbursed to {}", loan.member_id),
        account(fund_id, LOAN_PRINCIPAL, &sub),
        account(fund_id, till.code(), ""),
        loan.principal,
    )?];
    if loan.upfront_fee > Decimal::ZERO {
        entries.push(transfer_yuan(
            date,
            format!("occupancy fee of loan {id}, charged upfront"),
            account(fund_id, till.code(), ""),
            account(fund_id, FEE_INCOME, ""),
            loan.upfront_fee,
        )?);
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::posting::Side;
    use crate::domain::schedule::Method;
    use crate::domain::servicing::tests::disbursed;

    fn legs(e: &PlannedEntry) -> Vec<(String, String, Side, i64)> {
        e.postings
            .iter()
            .map(|p| {
                (
                    p.account.code.clone(),
                    p.account.sub.clone(),
                    p.side,
                    p.amount_fen,
                )
            })
            .collect()
    }

    /// 5,000.00 paid out of the bank; with the fee charged upfront, a bullet
    /// loan's 5,000 × 7.2% × 12 / 12 = 360.00 comes back in as fee income.
    #[test]
    fn a_disbursement_moves_the_principal_to_the_loan() {
        let mut l = disbursed(Method::Bullet, "5000", 12, "2025-03-01");
        let day = l.disbursed_on.unwrap();
        let entries = disbursement("f", &l, Till::Bank, day).unwrap();
        assert_eq!(
            entries.iter().map(legs).collect::<Vec<_>>(),
            vec![vec![
                ("1201".into(), "loan:L1".into(), Side::Debit, 500_000),
                ("1002".into(), "".into(), Side::Credit, 500_000),
            ]]
        );
        l.upfront_fee = l.schedule.iter().map(|i| i.fee).sum();
        assert_eq!(l.upfront_fee, "360.00".parse().unwrap());
        let entries = disbursement("f", &l, Till::Cash, day).unwrap();
        assert_eq!(
            legs(&entries[1]),
            vec![
                ("1001".into(), "".into(), Side::Debit, 36_000),
                ("4001".into(), "".into(), Side::Credit, 36_000),
            ]
        );
        let opened = loan_accounts("f", "L1", "M1");
        assert!(opened
            .iter()
            .all(|a| a.non_negative && a.account.sub == "loan:L1"));
    }
}
