//! What a bank's registration carries besides its terms: its own schedule
//! and the loan's purpose, each part refused naming its field.
use rust_decimal::Decimal;

use super::{date, name, yuan_or_zero};
use crate::domain::limits::MAX_INSTALLMENTS_PER_SCHEDULE;
use crate::domain::riskfund::{BankInstallment, Purpose};
use crate::ledger::{LedgerError, Result};
use crate::pb;

/// An amount of yuan of at least 0 with at most two places (empty is 0).
fn at_least_zero(field: &str, text: &str) -> Result<Decimal> {
    if text.is_empty() {
        return Ok(Decimal::ZERO);
    }
    yuan_or_zero(field, text)
}

/// The bank's schedule, each installment's parts named `schedule[i].due_date`,
/// `.principal` and `.interest`; empty when the bank sent none.
pub fn schedule(given: &[pb::BankInstallment]) -> Result<Vec<BankInstallment>> {
    if given.len() > MAX_INSTALLMENTS_PER_SCHEDULE {
        return Err(LedgerError::invalid(
            "schedule",
            format!(
                "holds {} installments; at most {MAX_INSTALLMENTS_PER_SCHEDULE} are accepted",
                given.len()
            ),
        ));
    }
    given
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let field = |part: &str| format!("schedule[{i}].{part}");
            Ok(BankInstallment {
                due_date: date(&field("due_date"), &b.due_date)?,
                principal: at_least_zero(&field("principal"), &b.principal)?,
                interest: at_least_zero(&field("interest"), &b.interest)?,
            })
        })
        .collect()
}

/// The loan's purpose, and the business that uses the money when one does.
pub fn purpose(category: i32, business: &str) -> Result<Purpose> {
    let business = name("business", business, false)?;
    Ok(Purpose {
        category: super::purpose_category("purpose", category)?,
        business: Some(business).filter(|b| !b.trim().is_empty()),
    })
}
