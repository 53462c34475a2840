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
/// Asserts the invariant where it is kept: the loan is guaranteed (a loan
/// registered for a subsidy only never reaches here), the books hold 7001 =
/// 7002 for it, and both equal the exposure its record gives.
pub fn exposure_change(
    program_id: &str,
    before: Option<&GuaranteedLoan>,
    held: Held,
    after: &GuaranteedLoan,
    date: NaiveDate,
    memo: &str,
) -> Result<Option<PlannedEntry>, Unpostable> {
    assert!(
        after.guaranteed(),
        "loan {}: registered for a subsidy only, it has no guarantee to move",
        after.terms.loan_id
    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fund::PovertyStatus;
    use crate::domain::posting::Side;
    use crate::domain::riskfund::{claim, register, repay, ProgramRules, Registration, Standing};
    use crate::domain::schedule::Method;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// 30,000 at 4.35% for a year, to a registered poor household.
    fn registered() -> GuaranteedLoan {
        let r = Registration {
            flags: Vec::new(),
            cause: None,
            subsidy_only: false,
            purpose: None,
            loan_id: "B1".into(),
            household_id: "H1".into(),
            borrower_name: "Li".into(),
            poverty_status: PovertyStatus::RegisteredPoor,
            birth_date: day("1980-05-01"),
            principal: d("30000"),
            term_months: 12,
            rate_annual: d("0.0435"),
            method: Method::Bullet,
            date: day("2025-01-10"),
        };
        let room = Standing {
            fund_balance: d("1000000"),
            exposure: Decimal::ZERO,
            principal_in_default: Decimal::ZERO,
            portfolio: Decimal::ZERO,
            business_exposure: Decimal::ZERO,
        };
        register(&ProgramRules::new(8.into(), "rcc".into()), r, &[], room).unwrap()
    }

    fn legs(e: &PlannedEntry) -> Vec<(String, Side, i64)> {
        e.postings
            .iter()
            .map(|p| (p.account.code.clone(), p.side, p.amount_fen))
            .collect()
    }

    #[test]
    fn exposure_grows_at_registration_and_shrinks_with_repayments() {
        let l = registered();
        let none = Held {
            exposure_fen: 0,
            obligation_fen: 0,
        };
        let e = exposure_change("p", None, none, &l, day("2025-01-10"), "guaranteed")
            .unwrap()
            .unwrap();
        assert_eq!(
            legs(&e),
            vec![
                ("7001".into(), Side::Debit, 3_000_000),
                ("7002".into(), Side::Credit, 3_000_000)
            ]
        );
        // 5,000.00 of principal repaid: 25,000.00 stays guaranteed.
        let after = repay(&l, d("5000"), d("100"), day("2025-04-10")).unwrap();
        let held = Held {
            exposure_fen: 3_000_000,
            obligation_fen: 3_000_000,
        };
        let e = exposure_change("p", Some(&l), held, &after, day("2025-04-10"), "repaid")
            .unwrap()
            .unwrap();
        assert_eq!(
            legs(&e),
            vec![
                ("7002".into(), Side::Debit, 500_000),
                ("7001".into(), Side::Credit, 500_000)
            ]
        );
        // Interest alone moves no exposure.
        let interest = repay(&after, Decimal::ZERO, d("50"), day("2025-05-10")).unwrap();
        let held = Held {
            exposure_fen: 2_500_000,
            obligation_fen: 2_500_000,
        };
        assert!(
            exposure_change("p", Some(&after), held, &interest, day("2025-05-10"), "x")
                .unwrap()
                .is_none()
        );
    }

    #[test]
    #[should_panic(expected = "7001 and 7002 hold")]
    fn books_that_disagree_with_the_loan_are_a_broken_invariant() {
        let l = registered();
        let after = repay(&l, d("5000"), Decimal::ZERO, day("2025-04-10")).unwrap();
        let held = Held {
            exposure_fen: 3_000_000,
            obligation_fen: 2_999_999,
        };
        let _ = exposure_change("p", Some(&l), held, &after, day("2025-04-10"), "repaid");
    }

    #[test]
    #[should_panic(expected = "it has no guarantee to move")]
    fn a_loan_for_a_subsidy_only_never_moves_the_memorandum_pair() {
        let mut l = registered();
        l.terms.subsidy_only = true;
        assert_eq!(l.exposure(), Decimal::ZERO);
        let none = Held {
            exposure_fen: 0,
            obligation_fen: 0,
        };
        let _ = exposure_change("p", None, none, &l, day("2025-01-10"), "subsidy only");
    }

    /// Unpaid at the claim: the whole 30,000.00; the fund's 70% is 21,000.00.
    #[test]
    fn a_claim_calls_the_guarantee_and_the_fund_pays_its_share() {
        let l = registered();
        let rules = ProgramRules::new(8.into(), "rcc".into());
        let claimed = claim(&rules, &l, day("2026-04-20")).unwrap();
        let held = Held {
            exposure_fen: 3_000_000,
            obligation_fen: 3_000_000,
        };
        let called = exposure_change("p", Some(&l), held, &claimed, day("2026-04-20"), "called")
            .unwrap()
            .unwrap();
        assert_eq!(called.postings[0].account.code, "7002");
        assert_eq!(called.postings[0].amount_fen, 3_000_000);
        let paid = compensation("p", &claimed, rules.fund_share, day("2026-04-20"))
            .unwrap()
            .unwrap();
        assert_eq!(
            legs(&paid),
            vec![
                ("5001".into(), Side::Debit, 2_100_000),
                ("1002".into(), Side::Credit, 2_100_000)
            ]
        );
    }

    #[test]
    fn the_risk_fund_moves_between_its_deposit_and_its_source() {
        let (opened, e) = risk_fund_move("p", "county", 50_000_000, day("2025-01-02"), true);
        assert_eq!(opened.account.sub, "source:county");
        assert!(opened.non_negative);
        assert_eq!(e.postings[0].account.code, "1002");
        assert_eq!(e.postings[0].side, Side::Debit);
        let (_, back) = risk_fund_move("p", "county", 100, day("2025-01-03"), false);
        assert_eq!(back.postings[0].account.code, "3001");
        assert_eq!(back.postings[0].side, Side::Debit);
    }
}
