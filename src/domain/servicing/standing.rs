//! A borrower's standing in the fund on the day a loan is decided, from the
//! member's other loans: how many were ever disbursed (a returning borrower
//! has at least one, whatever became of it), what is still owed, what is
//! applied for and not yet disbursed, and whether any is in arrears.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::days_past_due;
use crate::domain::loan::{Loan, LoanStatus, Standing};

/// The standing of `member_id` on `date` for a decision on loan `deciding`
/// (left out: a loan is not its own history), from every loan of the fund,
/// with the fund's capital and whether the member is in a guarantee group.
/// Past due means an open loan with days past due on `date`; unrecovered, a
/// written-off loan with some of its principal not recovered.
pub fn standing(
    loans: &[Loan],
    member_id: &str,
    deciding: &str,
    date: NaiveDate,
    fund_capital: Decimal,
    in_group: bool,
) -> Standing {
    let mut s = Standing {
        earlier_loans: 0,
        outstanding: Decimal::ZERO,
        pending: Decimal::ZERO,
        fund_capital,
        in_group,
        past_due: None,
        unrecovered: None,
    };
    let own = loans
        .iter()
        .filter(|l| l.member_id == member_id && l.loan_id != deciding);
    for l in own {
        if l.disbursed_on.is_some() {
            s.earlier_loans += 1;
        }
        match l.status {
            LoanStatus::Applied | LoanStatus::Approved => s.pending += l.principal,
            LoanStatus::Disbursed => {
                s.outstanding += l.principal - l.principal_paid;
                let days = days_past_due(l, date);
                if days > 0 && s.past_due.is_none() {
                    s.past_due = Some((l.loan_id.clone(), days));
                }
            }
            LoanStatus::WrittenOff => {
                let open = l.written_off - l.recovered;
                if open > Decimal::ZERO && s.unrecovered.is_none() {
                    s.unrecovered = Some((l.loan_id.clone(), open));
                }
            }
            LoanStatus::Closed | LoanStatus::Rescheduled => {}
        }
    }
    s
}
