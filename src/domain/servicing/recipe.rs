//! Posting recipes of a loan's servicing (DOMAIN.md §4): the day-end accrual,
//! a repayment through the waterfall, an early payoff's fee correction, a
//! write-off against the risk reserve, a recovery, and a rescheduling. The
//! amounts come from the rules in [`super`]; these say which accounts move.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Accrual, Correction, Rescheduling, Settlement, WriteOff};
use crate::domain::chart::code::fund::{
    FEE_INCOME, FEE_RECEIVABLE, LOAN_LOSSES, LOAN_PRINCIPAL, OTHER_INCOME, RISK_RESERVE,
};
use crate::domain::fund::recipe::Till;
use crate::domain::loan::recipe::{loan_accounts, loan_sub};
use crate::domain::posting::{
    account, entry, fen, leg_yuan, transfer, Leg, PlannedAccount, PlannedEntry, Side, Unpostable,
};

/// A part of an accrual on its normal side, or on the other when it is
/// negative (a period's last day taking back what the rounded daily shares
/// ran ahead: 2.00 over 30 days is 29 x 0.07 = 2.03, so the last day is -0.03).
fn signed_leg(
    code: &str,
    fund_id: &str,
    sub: &str,
    normal: Side,
    part: Decimal,
) -> Result<Option<Leg>, Unpostable> {
    if part.is_zero() {
        return Ok(None);
    }
    let side = if part > Decimal::ZERO {
        normal
    } else {
        normal.opposite()
    };
    Ok(Some((account(fund_id, code, sub), side, fen(part.abs())?)))
}

/// The entry booking a loan's accrual: Dr 1202/loan, Cr 4001 fee, Cr 4003
/// penalty; `None` when nothing accrued.
pub fn accrual(
    fund_id: &str,
    loan_id: &str,
    date: NaiveDate,
    a: Accrual,
) -> Result<Option<PlannedEntry>, Unpostable> {
    let memo = format!(
        "accrual of loan {loan_id} through {date}: fee {}, penalty {}",
        a.fee, a.penalty
    );
    accrual_entry(fund_id, loan_id, date, a, memo)
}

/// A repayment recorded late corrects what day-end accrued after its date,
/// dated the last day accrued: the accrual's legs, a negative part on the
/// other side (Dr 4003, Cr 1202 for penalty taken back); `None` when it
/// changes nothing.
pub fn correction(
    fund_id: &str,
    loan_id: &str,
    paid_on: NaiveDate,
    c: &Correction,
) -> Result<Option<PlannedEntry>, Unpostable> {
    let a = c.accrual;
    let memo = format!(
        "accrual of loan {loan_id} through {} corrected for its repayment of {paid_on}, recorded late: fee {}, penalty {}",
        c.through, a.fee, a.penalty
    );
    accrual_entry(fund_id, loan_id, c.through, a, memo)
}

/// Dr 1202/loan, Cr 4001 fee, Cr 4003 penalty, each part on the other side
/// when negative; `None` when nothing moves.
fn accrual_entry(
    fund_id: &str,
    loan_id: &str,
    date: NaiveDate,
    a: Accrual,
    memo: String,
) -> Result<Option<PlannedEntry>, Unpostable> {
    let sub = loan_sub(loan_id);
    let legs: Vec<Leg> = [
        signed_leg(
            FEE_RECEIVABLE,
            fund_id,
            &sub,
            Side::Debit,
            a.fee + a.penalty,
        )?,
        signed_leg(FEE_INCOME, fund_id, "", Side::Credit, a.fee)?,
        signed_leg(OTHER_INCOME, fund_id, "", Side::Credit, a.penalty)?,
    ]
    .into_iter()
    .flatten()
    .collect();
    if legs.len() < 2 {
        return Ok(None);
    }
    Ok(Some(entry(date, memo, legs)))
}

/// A repayment of `amount_fen` into the till: the accrual to the day, the
/// early payoff's fee correction, then Dr the till, Cr 1202 (penalty and
/// fee) and Cr 1201 (principal), all dated the day paid; recorded late, the
/// correction of what day-end accrued since, dated the last day accrued.
pub fn repayment(
    fund_id: &str,
    loan_id: &str,
    till: Till,
    amount_fen: i64,
    date: NaiveDate,
    s: &Settlement,
) -> Result<Vec<PlannedEntry>, Unpostable> {
    let sub = loan_sub(loan_id);
    let mut entries: Vec<PlannedEntry> = accrual(fund_id, loan_id, date, s.accrual)?
        .into_iter()
        .collect();
    if !s.fee_correction.is_zero() {
        let (receivable, income) = (
            account(fund_id, FEE_RECEIVABLE, &sub),
            account(fund_id, FEE_INCOME, ""),
        );
        let (debit, credit) = if s.fee_correction > Decimal::ZERO {
            (receivable, income)
        } else {
            (income, receivable)
        };
        let memo = format!("fee of loan {loan_id} to the day of its early payoff");
        entries.push(transfer(
            date,
            memo,
            debit,
            credit,
            fen(s.fee_correction.abs())?,
        ));
    }
    let rp = &s.repayment;
    let legs: Vec<Leg> = [
        Some((account(fund_id, till.code(), ""), Side::Debit, amount_fen)),
        leg_yuan(
            account(fund_id, FEE_RECEIVABLE, &sub),
            Side::Credit,
            rp.penalty + rp.fee,
        )?,
        leg_yuan(
            account(fund_id, LOAN_PRINCIPAL, &sub),
            Side::Credit,
            rp.principal,
        )?,
    ]
    .into_iter()
    .flatten()
    .collect();
    let memo = format!(
        "repayment of loan {loan_id}: penalty {}, fee {}, principal {}",
        rp.penalty, rp.fee, rp.principal
    );
    entries.push(entry(date, memo, legs));
    if let Some(c) = &s.correction {
        entries.extend(correction(fund_id, loan_id, date, c)?);
    }
    Ok(entries)
}

/// A write-off: the accrual to the day, then Dr 3103 (up to the reserve) and
/// 5002 for the principal, Dr 4001/4003 for fee and penalty taken back out
/// of income, Cr the loan's 1201 and 1202.
pub fn write_off(
    fund_id: &str,
    loan_id: &str,
    date: NaiveDate,
    w: &WriteOff,
) -> Result<Vec<PlannedEntry>, Unpostable> {
    let sub = loan_sub(loan_id);
    let mut entries: Vec<PlannedEntry> = accrual(fund_id, loan_id, date, w.accrual)?
        .into_iter()
        .collect();
    let at = |code: &str, sub: &str| account(fund_id, code, sub);
    let legs: Vec<Leg> = [
        leg_yuan(at(RISK_RESERVE, ""), Side::Debit, w.from_reserve)?,
        leg_yuan(at(LOAN_LOSSES, ""), Side::Debit, w.to_losses)?,
        leg_yuan(at(FEE_INCOME, ""), Side::Debit, w.fee_reversed)?,
        leg_yuan(at(OTHER_INCOME, ""), Side::Debit, w.penalty_reversed)?,
        leg_yuan(
            at(LOAN_PRINCIPAL, &sub),
            Side::Credit,
            w.from_reserve + w.to_losses,
        )?,
        leg_yuan(
            at(FEE_RECEIVABLE, &sub),
            Side::Credit,
            w.fee_reversed + w.penalty_reversed,
        )?,
    ]
    .into_iter()
    .flatten()
    .collect();
    if legs.len() >= 2 {
        let decision = w.loan.write_off_decision.as_deref().unwrap_or_default();
        entries.push(entry(
            date,
            format!("loan {loan_id} written off ({decision})"),
            legs,
        ));
    }
    Ok(entries)
}

/// Money recovered on a written-off loan: Dr the till, Cr 4003 other income.
pub fn recovery(
    fund_id: &str,
    loan_id: &str,
    till: Till,
    amount_fen: i64,
    date: NaiveDate,
) -> PlannedEntry {
    transfer(
        date,
        format!("recovery on written-off loan {loan_id}"),
        account(fund_id, till.code(), ""),
        account(fund_id, OTHER_INCOME, ""),
        amount_fen,
    )
}

/// A rescheduling: the old loan's accrual to the day, then its principal and
/// arrears moved to the new loan's 1201 and 1202; with the new loan's accounts.
pub fn rescheduling(
    fund_id: &str,
    old_id: &str,
    date: NaiveDate,
    reason: &str,
    rs: &Rescheduling,
) -> Result<(Vec<PlannedAccount>, Vec<PlannedEntry>), Unpostable> {
    let new_id = &rs.new.loan_id;
    let (from, to) = (loan_sub(old_id), loan_sub(new_id));
    let mut entries: Vec<PlannedEntry> = accrual(fund_id, old_id, date, rs.accrual)?
        .into_iter()
        .collect();
    let at = |code: &str, sub: &str| account(fund_id, code, sub);
    let principal = fen(rs.principal)?;
    let mut legs = vec![
        (at(LOAN_PRINCIPAL, &to), Side::Debit, principal),
        (at(LOAN_PRINCIPAL, &from), Side::Credit, principal),
    ];
    if rs.arrears > Decimal::ZERO {
        let arrears = fen(rs.arrears)?;
        legs.push((at(FEE_RECEIVABLE, &to), Side::Debit, arrears));
        legs.push((at(FEE_RECEIVABLE, &from), Side::Credit, arrears));
    }
    entries.push(entry(
        date,
        format!("loan {old_id} rescheduled as {new_id}: {reason}"),
        legs,
    ));
    Ok((loan_accounts(fund_id, new_id, &rs.new.member_id), entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 7, 3).unwrap()
    }

    fn sides(e: &PlannedEntry) -> Vec<(String, Side, i64)> {
        e.postings
            .iter()
            .map(|p| (p.account.code.clone(), p.side, p.amount_fen))
            .collect()
    }

    /// A period fee of 2.00 over 30 days: 29 days of 0.07 run 0.03 ahead,
    /// so the last day's fee is -0.03. With 0.07 of penalty that day the
    /// receivable grows by 0.04; fee income gives 0.03 back.
    #[test]
    fn a_negative_fee_remainder_posts_on_the_other_side() {
        let accrued = Accrual {
            fee: d("-0.03"),
            penalty: d("0.07"),
        };
        let e = accrual("f", "L1", day(), accrued).unwrap().unwrap();
        assert_eq!(
            sides(&e),
            vec![
                ("1202".into(), Side::Debit, 4),
                ("4001".into(), Side::Debit, 3),
                ("4003".into(), Side::Credit, 7),
            ]
        );
        let only_fee = Accrual {
            fee: d("-0.03"),
            penalty: Decimal::ZERO,
        };
        let e = accrual("f", "L1", day(), only_fee).unwrap().unwrap();
        assert_eq!(
            sides(&e),
            vec![
                ("1202".into(), Side::Credit, 3),
                ("4001".into(), Side::Debit, 3)
            ]
        );
        assert!(accrual("f", "L1", day(), Accrual::default())
            .unwrap()
            .is_none());
    }

    /// An installment paid on July 3 and recorded after day-end ran through
    /// July 8: the 0.60 of penalty day-end booked on its principal is taken
    /// back, dated July 8: Dr 4003 0.60, Cr 1202/loan 0.60.
    #[test]
    fn a_late_recorded_repayment_takes_back_the_penalty_booked_since() {
        let c = Correction {
            through: NaiveDate::from_ymd_opt(2025, 7, 8).unwrap(),
            accrual: Accrual {
                fee: Decimal::ZERO,
                penalty: d("-0.60"),
            },
        };
        let e = correction("f", "L1", day(), &c).unwrap().unwrap();
        assert_eq!(
            sides(&e),
            vec![
                ("1202".into(), Side::Credit, 60),
                ("4003".into(), Side::Debit, 60)
            ]
        );
        assert_eq!(
            (e.value_date, e.postings[0].account.sub.as_str()),
            (c.through, "loan:L1")
        );
        assert!(
            e.memo.contains("repayment of 2025-07-03, recorded late"),
            "{}",
            e.memo
        );
    }

    /// 1,000.00 at 7.2% a year: a day's fee is 1,000 x 0.072 / 360 = 0.20 and
    /// 0.05 of penalty: Dr 1202 0.25, Cr 4001 0.20, Cr 4003 0.05.
    #[test]
    fn an_accrual_books_fee_and_penalty_receivable() {
        let a = Accrual {
            fee: d("0.20"),
            penalty: d("0.05"),
        };
        let e = accrual("f", "L1", day(), a).unwrap().unwrap();
        assert_eq!(
            sides(&e),
            vec![
                ("1202".into(), Side::Debit, 25),
                ("4001".into(), Side::Credit, 20),
                ("4003".into(), Side::Credit, 5),
            ]
        );
        assert_eq!(e.postings[0].account.sub, "loan:L1");
    }
}
