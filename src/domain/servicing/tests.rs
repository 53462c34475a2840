//! Worked cases of servicing; `disbursed` is shared with the subsidy tests.
use super::*;
use crate::domain::daycount::DayCount;
use crate::domain::fund::{PovertyStatus, StatusChange};
use crate::domain::loan::{apply, approve, disburse, Application, Standing};
use crate::domain::schedule::Method;
use std::str::FromStr;

pub(crate) fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A disbursed loan of `principal` at 7.2% a year (penalty 3.6%).
pub(crate) fn disbursed(method: Method, principal: &str, months: u32, on: &str) -> Loan {
    disbursed_under(&FundRules::default(), method, principal, months, on)
}

/// A loan disbursed under `rules`.
fn disbursed_under(
    rules: &FundRules,
    method: Method,
    principal: &str,
    months: u32,
    on: &str,
) -> Loan {
    let member = crate::domain::fund::Member {
        member_id: "M1".into(),
        household_id: "H1".into(),
        name: "Wang".into(),
        birth_date: date("1980-01-01"),
        joined: date("2025-01-01"),
        status_history: vec![StatusChange::from_status(
            date("2025-01-01"),
            PovertyStatus::None,
            None,
            String::new(),
        )],
        left: None,
    };
    let a = Application {
        loan_id: "L1".into(),
        principal: d(principal),
        term_months: months,
        method,
        purpose: String::new(),
        purpose_category: crate::domain::loan::PurposeCategory::Other,
        business: None,
        date: date(on),
        actor: "clerk-a".into(),
    };
    let rich = Standing {
        earlier_loans: 1,
        outstanding: Decimal::ZERO,
        pending: Decimal::ZERO,
        fund_capital: Decimal::from(1_000_000),
        in_group: false,
        past_due: None,
        unrecovered: None,
    };
    let l = apply(rules, &member, a, &rich).unwrap();
    let l = approve(rules, &l, "clerk-b", true, date(on), &rich).unwrap();
    disburse(rules, &l, date(on), &rich).unwrap()
}

/// Fee monthly on 3,000 at 7.2%: 18.00 a month. March 1 to April 1 has 31
/// days: 18 / 31 = 0.5806 → 0.58 a day; 30 days give 17.40 and April 1
/// takes the remainder, 0.60. Accruing in two runs gives the same total.
#[test]
fn the_fee_accrues_straight_line_and_the_due_date_takes_the_remainder() {
    let rules = FundRules::default();
    let l = disbursed(
        Method::FeeMonthlyPrincipalAtMaturity,
        "3000",
        3,
        "2025-03-01",
    );
    assert_eq!(l.schedule[0].fee, d("18.00"));
    let (l1, a1) = accrue(&rules, &l, date("2025-03-31"));
    assert_eq!(a1.fee, d("17.40"));
    let (l2, a2) = accrue(&rules, &l1, date("2025-04-01"));
    assert_eq!(a2.fee, d("0.60"));
    assert_eq!(l2.fee_accrued, d("18.00"));
    let (whole, a) = accrue(&rules, &l, date("2025-06-01"));
    assert_eq!(
        a.fee,
        d("54.00"),
        "three periods accrue exactly the scheduled fees"
    );
    assert_eq!(a.penalty, Decimal::ZERO);
    // Nothing accrues after maturity; the unpaid principal draws penalty.
    let (_, after) = accrue(&rules, &whole, date("2025-06-11"));
    assert_eq!(after.fee, Decimal::ZERO);
    // 3,000 overdue from June 2 to June 11: 10 days x 3,000 x 0.036 / 360 = 3.00.
    assert_eq!(after.penalty, d("3.00"));
}

/// 3,000 at 7.2% fee monthly: 18.00 a month; March has 31 days, so a day's
/// share is round(18 / 31) = 0.58, and through March 11 (10 days) the
/// straight-line rule gives 5.80; through April 1, the whole 18.00; through
/// maturity, the schedule's 54.00.
#[test]
fn the_schedule_gives_the_fee_accrued_through_any_day() {
    let l = disbursed(
        Method::FeeMonthlyPrincipalAtMaturity,
        "3000",
        3,
        "2025-03-01",
    );
    assert_eq!(scheduled_fee_through(&l, date("2025-03-01")), Decimal::ZERO);
    assert_eq!(scheduled_fee_through(&l, date("2025-03-11")), d("5.80"));
    assert_eq!(scheduled_fee_through(&l, date("2025-04-01")), d("18.00"));
    assert_eq!(scheduled_fee_through(&l, date("2025-07-01")), d("54.00"));
    let rules = FundRules::default();
    let (day_by_day, _) = (1..=122).fold((l.clone(), Accrual::default()), |(l, _), _| {
        let next = l.accrued_through.unwrap().succ_opt().unwrap();
        accrue(&rules, &l, next)
    });
    assert_eq!(
        day_by_day.fee_accrued,
        d("54.00"),
        "122 day-ends accrue the schedule"
    );
}

/// Fee monthly on 3,000: 18.00 due Apr 1 and May 1, 3,018.00 Jun 1. Paid
/// 18.00 on Apr 1 only, then paid off on Jun 20. On May 31 the loan owes
/// the May 1 installment: 30 days past due; on Mar 31 it was current, on
/// Feb 28 not yet disbursed, and on Jun 30 closed.
#[test]
fn a_loan_as_it_stood_on_a_past_date() {
    let rules = FundRules::default();
    let l = disbursed(
        Method::FeeMonthlyPrincipalAtMaturity,
        "3000",
        3,
        "2025-03-01",
    );
    let l = repay(&rules, &l, d("18.00"), date("2025-04-01"))
        .unwrap()
        .loan;
    let (l, _) = accrue(&rules, &l, date("2025-06-20"));
    let payoff = d("3000") + l.fee_accrued - l.fee_paid + l.penalty_accrued - l.penalty_paid;
    let closed = repay(&rules, &l, payoff, date("2025-06-20")).unwrap().loan;
    assert_eq!(closed.status, LoanStatus::Closed);

    assert!(as_of(&closed, date("2025-02-28")).is_none());
    let march = as_of(&closed, date("2025-03-31")).unwrap();
    assert_eq!(march.status, LoanStatus::Disbursed);
    assert_eq!(march.fee_paid, Decimal::ZERO);
    assert_eq!(days_past_due(&march, date("2025-03-31")), 0);
    let may = as_of(&closed, date("2025-05-31")).unwrap();
    assert_eq!(may.fee_paid, d("18.00"));
    assert_eq!(may.principal_paid, Decimal::ZERO);
    assert_eq!(days_past_due(&may, date("2025-05-31")), 30);
    assert_eq!(bucket(30), "1-30");
    let june = as_of(&closed, date("2025-06-30")).unwrap();
    assert_eq!(june.status, LoanStatus::Closed);
    assert_eq!(days_past_due(&june, date("2025-06-30")), 0);
    // Taken apart only when something happened after the date.
    assert!(matches!(may, std::borrow::Cow::Owned(_)));
    assert!(matches!(june, std::borrow::Cow::Borrowed(_)));
}

#[test]
fn days_past_due_and_buckets() {
    let rules = FundRules::default();
    let l = disbursed(
        Method::FeeMonthlyPrincipalAtMaturity,
        "3000",
        3,
        "2025-03-01",
    );
    assert_eq!(
        days_past_due(&l, date("2025-04-01")),
        0,
        "due today is not yet past due"
    );
    assert_eq!(days_past_due(&l, date("2025-04-02")), 1);
    assert_eq!(days_past_due(&l, date("2025-05-31")), 60);
    assert_eq!(
        [
            bucket(0),
            bucket(1),
            bucket(30),
            bucket(31),
            bucket(60),
            bucket(61),
            bucket(90),
            bucket(91)
        ],
        ["current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+"]
    );
    assert_eq!(next_due(&l), Some((date("2025-04-01"), d("18.00"))));
    // Paying April's 18.00 on time clears it; the loan is current until May 1 passes.
    let s = repay(&rules, &l, d("18.00"), date("2025-04-01")).unwrap();
    assert_eq!(next_due(&s.loan), Some((date("2025-05-01"), d("18.00"))));
    assert_eq!(
        (s.repayment.fee, s.repayment.principal),
        (d("18.00"), Decimal::ZERO)
    );
    assert_eq!(days_past_due(&s.loan, date("2025-05-01")), 0);
    assert_eq!(days_past_due(&s.loan, date("2025-05-11")), 10);
}

/// Paid late: April 1's 18.00 is paid on April 21 with 20.00. Accrued by
/// then: 18.00 + 20 days of May's fee (18 / 30 = 0.60 a day → 12.00); no
/// principal was overdue (it falls due at maturity), so no penalty. The
/// waterfall pays the 18.00 due, then 2.00 of principal early; May's 12.00
/// keeps accruing toward its due date.
#[test]
fn the_waterfall_pays_penalty_then_fee_then_principal() {
    let rules = FundRules::default();
    let l = disbursed(
        Method::FeeMonthlyPrincipalAtMaturity,
        "3000",
        3,
        "2025-03-01",
    );
    let s = repay(&rules, &l, d("20.00"), date("2025-04-21")).unwrap();
    assert_eq!(s.accrual.fee, d("30.00"));
    assert_eq!(
        (s.repayment.penalty, s.repayment.fee, s.repayment.principal),
        (Decimal::ZERO, d("18.00"), d("2.00"))
    );
    assert_eq!(s.loan.fee_accrued - s.loan.fee_paid, d("12.00"));
    // Equal principal 1,200 over 3 months: 400 a month, fee 1,200 x 0.006 = 7.20.
    // Unpaid on April 1, then 10 days later 400 is overdue: penalty
    // 400 x 0.036 x 10 / 360 = 0.40, paid first.
    let l = disbursed(Method::EqualPrincipal, "1200", 3, "2025-03-01");
    let s = repay(&rules, &l, d("407.60"), date("2025-04-11")).unwrap();
    assert_eq!(s.accrual.penalty, d("0.40"));
    // Fee accrued: March's 7.20, plus 10 days of April's 4.80 / 30 = 0.16 → 1.60.
    assert_eq!(s.accrual.fee, d("8.80"));
    assert_eq!(
        (s.repayment.penalty, s.repayment.fee, s.repayment.principal),
        (d("0.40"), d("7.20"), d("400.00"))
    );
    assert_eq!(s.loan.fee_accrued - s.loan.fee_paid, d("1.60"));
}

/// A fund paying principal first: 407.60 on April 11 for the equal-principal
/// loan of the waterfall test pays 400.00 of principal, then 7.20 of fee,
/// then 0.40 of penalty; 400.00 alone pays no fee or penalty.
#[test]
fn the_repayment_order_is_the_funds_to_choose() {
    let mut rules = FundRules {
        waterfall: [Component::Principal, Component::Fee, Component::Penalty],
        ..FundRules::default()
    };
    let l = disbursed(Method::EqualPrincipal, "1200", 3, "2025-03-01");
    let s = repay(&rules, &l, d("400.00"), date("2025-04-11")).unwrap();
    assert_eq!(
        (s.repayment.penalty, s.repayment.fee, s.repayment.principal),
        (Decimal::ZERO, Decimal::ZERO, d("400.00"))
    );
    let s = repay(&rules, &l, d("407.60"), date("2025-04-11")).unwrap();
    assert_eq!(
        (s.repayment.penalty, s.repayment.fee, s.repayment.principal),
        (d("0.40"), d("7.20"), d("400.00"))
    );
    rules.waterfall = [Component::Fee, Component::Fee, Component::Principal];
    assert!(rules.validate().is_err());
}

/// Early payoff of 3,000 fee-monthly on March 20, 19 days after
/// disbursement: the fee to that day is 3,000 x 0.072 x 19 / 360 = 11.40,
/// against the straight-line 19 x 0.58 = 11.02 accrued (March has 31
/// days): a correction of 0.38, and 3,011.40 pays it off.
#[test]
fn an_early_payoff_pays_the_fee_to_the_day_and_closes_the_loan() {
    let rules = FundRules::default();
    let l = disbursed(
        Method::FeeMonthlyPrincipalAtMaturity,
        "3000",
        3,
        "2025-03-01",
    );
    let (l19, _) = accrue(&rules, &l, date("2025-03-20"));
    assert_eq!(l19.fee_accrued, d("11.02"));
    let (amount, correction) = payoff(rules.day_count, &l19, date("2025-03-20"));
    assert_eq!((amount, correction), (d("3011.40"), d("0.38")));
    let too_much = repay(&rules, &l, d("3011.41"), date("2025-03-20"));
    assert!(matches!(
        too_much,
        Err(FundError::Rule {
            rule: rule::AT_MOST_OWED,
            ..
        })
    ));
    let s = repay(&rules, &l, d("3011.40"), date("2025-03-20")).unwrap();
    assert_eq!(s.fee_correction, d("0.38"));
    assert_eq!(
        (s.repayment.fee, s.repayment.principal),
        (d("11.40"), d("3000"))
    );
    assert_eq!(
        (s.loan.status, s.loan.closed_on),
        (LoanStatus::Closed, Some(date("2025-03-20")))
    );
    assert!(repay(&rules, &s.loan, d("1"), date("2025-03-21")).is_err());
    // A partial repayment before anything is due goes to principal, paid
    // early; the loan stays open.
    let s = repay(&rules, &l, d("1000"), date("2025-03-20")).unwrap();
    assert_eq!(
        (s.repayment.fee, s.repayment.principal, s.loan.status),
        (Decimal::ZERO, d("1000"), LoanStatus::Disbursed)
    );
}

/// 3,000 fee monthly, written off on April 11 with nothing paid: principal
/// 3,000; fee accrued 18.00 + 10 x 0.60 = 24.00 and no penalty (principal
/// is due at maturity) are reversed. With 1,000 of risk reserve, 1,000
/// comes from the reserve and 2,000 is a loss. 500 recovered later is fine,
/// 2,501 more is not.
#[test]
fn a_write_off_uses_the_risk_reserve_first() {
    let rules = FundRules::default();
    let l = disbursed(
        Method::FeeMonthlyPrincipalAtMaturity,
        "3000",
        3,
        "2025-03-01",
    );
    assert_eq!(owed(&rules, &l, date("2025-04-11")), d("3024.00"));
    let no_request = write_off(&rules, &l, date("2025-04-11"), d("1000"), "checker");
    assert!(matches!(
        no_request,
        Err(FundError::Rule {
            rule: rule::WRITE_OFF_REQUESTED,
            ..
        })
    ));
    let l = request_write_off(&l, "maker", "board 2025-7").unwrap();
    assert!(matches!(
        request_write_off(&l, "maker", "board 2025-7"),
        Err(FundError::Rule {
            rule: rule::WRITE_OFF_PENDING,
            ..
        })
    ));
    assert!(matches!(
        write_off(&rules, &l, date("2025-04-11"), d("1000"), "maker"),
        Err(FundError::Rule {
            rule: rule::SELF_APPROVAL,
            ..
        })
    ));
    let w = write_off(&rules, &l, date("2025-04-11"), d("1000"), "checker").unwrap();
    assert_eq!(w.loan.write_off_decision.as_deref(), Some("board 2025-7"));
    assert_eq!(w.loan.written_off_by.as_deref(), Some("checker"));
    assert_eq!((w.from_reserve, w.to_losses), (d("1000"), d("2000")));
    assert_eq!(
        (w.accrual.fee, w.fee_reversed, w.penalty_reversed),
        (d("24.00"), d("24.00"), Decimal::ZERO)
    );
    assert_eq!(w.loan.status, LoanStatus::WrittenOff);
    assert_eq!(owed(&rules, &w.loan, date("2025-05-01")), Decimal::ZERO);
    let r = recover(&w.loan, d("500")).unwrap();
    assert!(matches!(
        recover(&r, d("2501")),
        Err(FundError::Rule {
            rule: rule::RECOVERY_AT_MOST_WRITTEN_OFF,
            ..
        })
    ));
    assert!(recover(&r, d("2500")).is_ok());
    // A reserve larger than the loss covers all of it.
    let w = write_off(&rules, &l, date("2025-04-11"), d("5000"), "checker").unwrap();
    assert_eq!((w.from_reserve, w.to_losses), (d("3000"), Decimal::ZERO));
}

/// L1: 3,000 fee monthly from March 1; April 1's 18.00 unpaid. On April 11
/// it is rescheduled to L1-R over 6 months: the fee accrued to the day,
/// 18.00 + 10 x 0.60 = 24.00, moves as arrears due at once; 3,000 is
/// re-spread from April 11 (fee 18.00 a month, due May 11 ...). Paying
/// 24.00 clears the arrears; the next installment is May 11's 18.00.
#[test]
fn rescheduling_moves_principal_and_arrears_to_a_new_loan() {
    let rules = FundRules::default();
    let l = disbursed(
        Method::FeeMonthlyPrincipalAtMaturity,
        "3000",
        3,
        "2025-03-01",
    );
    let r = reschedule(&rules, &l, date("2025-04-11"), 6, "L1-R", "drought").unwrap();
    assert_eq!((r.principal, r.arrears), (d("3000"), d("24.00")));
    assert_eq!(
        (r.old.status, r.old.rescheduled_to.as_deref()),
        (LoanStatus::Rescheduled, Some("L1-R"))
    );
    assert_eq!(r.new.schedule.len(), 6);
    assert_eq!(
        (r.new.schedule[0].due_date, r.new.schedule[0].fee),
        (date("2025-05-11"), d("18.00"))
    );
    assert_eq!(
        days_past_due(&r.new, date("2025-04-15")),
        4,
        "carried arrears are due at once"
    );
    assert_eq!(next_due(&r.new), Some((date("2025-04-11"), d("24.00"))));
    let s = repay(&rules, &r.new, d("24.00"), date("2025-04-15")).unwrap();
    assert_eq!(
        (s.repayment.fee, s.repayment.principal),
        (d("24.00"), Decimal::ZERO)
    );
    assert_eq!(days_past_due(&s.loan, date("2025-04-15")), 0);
    assert_eq!(next_due(&s.loan), Some((date("2025-05-11"), d("18.00"))));
    assert!(matches!(
        reschedule(&rules, &l, date("2025-04-11"), 13, "X", "").unwrap_err(),
        FundError::Rule {
            rule: rule::TERM_MAX,
            ..
        }
    ));
    assert!(reschedule(&rules, &r.old, date("2025-04-12"), 6, "X", "").is_err());
}

/// 3,000 fee monthly from March 1, its principal due June 1 and unpaid.
/// Under months and days the penalty's days run from the loan's monthly
/// anniversaries: June 1 to July 1 is 30 days, and July 1 to August 1,
/// 31 days long, weighs 30 too (August 1 adds nothing). Through July 31:
/// 3,000 × 0.036 × 60 / 360 = 18.00, and still 18.00 through August 1.
/// Under actual/360 August 1 counts: 61 days, 3,000 × 0.036 × 61 / 360 = 18.30.
#[test]
fn the_penalty_counts_days_in_the_funds_convention() {
    let monthly = Method::FeeMonthlyPrincipalAtMaturity;
    let md = FundRules::default();
    let l = disbursed_under(&md, monthly, "3000", 3, "2025-03-01");
    let (jun1, _) = accrue(&md, &l, date("2025-06-01"));
    assert_eq!(jun1.penalty_accrued, Decimal::ZERO);
    let (jul31, a) = accrue(&md, &jun1, date("2025-07-31"));
    assert_eq!(a.penalty, d("18.00"));
    let (_, a) = accrue(&md, &jul31, date("2025-08-01"));
    assert_eq!(
        a.penalty,
        Decimal::ZERO,
        "the 31st day of the stretch weighs 0"
    );
    let actual = FundRules {
        day_count: DayCount::Actual360,
        ..FundRules::default()
    };
    let l = disbursed_under(&actual, monthly, "3000", 3, "2025-03-01");
    let (aug1, _) = accrue(&actual, &l, date("2025-08-01"));
    assert_eq!(aug1.penalty_accrued, d("18.30"));
}

/// A bullet of 2,000 at 7.2% for 3 months from March 1, paid off on April 20.
/// Under months and days its fee is 2,000 × 0.072 × 3 / 12 = 36.00 on June 1,
/// 36 / 92 = 0.39 a day, 19.50 accrued over 50 days; the fee to the day is a
/// whole month (30) and 19 days, 2,000 × 0.072 × 49 / 360 = 19.60: a
/// correction of 0.10, and 2,019.60 pays it off. Under actual/360 the fee is
/// 2,000 × 0.072 × 92 / 360 = 36.80, 0.40 a day, 20.00 accrued, and the fee
/// to the day, 50 days, is 20.00: no correction, 2,020.00.
#[test]
fn an_early_payoff_counts_whole_months_under_months_and_days() {
    let payoff_on = date("2025-04-20");
    let actual = FundRules {
        day_count: DayCount::Actual360,
        ..FundRules::default()
    };
    for (rules, fee, accrued, amount, correction) in [
        (FundRules::default(), "36.00", "19.50", "2019.60", "0.10"),
        (actual, "36.80", "20.00", "2020.00", "0"),
    ] {
        let l = disbursed_under(&rules, Method::Bullet, "2000", 3, "2025-03-01");
        assert_eq!(l.schedule[0].fee, d(fee));
        let (through, _) = accrue(&rules, &l, payoff_on);
        assert_eq!(through.fee_accrued, d(accrued));
        let got = payoff(rules.day_count, &through, payoff_on);
        assert_eq!(got, (d(amount), d(correction)), "{:?}", rules.day_count);
        let s = repay(&rules, &l, d(amount), payoff_on).unwrap();
        assert_eq!(s.loan.status, LoanStatus::Closed);
    }
}

/// M1's loans in the fund: L1 (3,000 fee monthly from March 1) repaid in
/// full; L2 (1,000) disbursed and unpaid, its 6.00 fee due April 1; L3
/// written off with 700 of 1,000 recovered; L4 (2,500) applied for; L5
/// (1,500) approved; L6, the loan being decided; L7, another member's. On
/// April 5 three of M1's other loans were disbursed (L1, L2, L3), 1,000 is
/// owed, 4,000 pending, L2 is 4 days past due, 300 of L3 unrecovered. On
/// April 1 L2 is due but not past due.
#[test]
fn a_borrowers_standing_counts_every_loan_ever_disbursed() {
    let rules = FundRules::default();
    let monthly = Method::FeeMonthlyPrincipalAtMaturity;
    let mut repaid = disbursed(monthly, "3000", 1, "2025-03-01");
    repaid = repay(&rules, &repaid, d("3018.00"), date("2025-04-01"))
        .unwrap()
        .loan;
    assert_eq!(repaid.status, LoanStatus::Closed);
    let named = |mut l: Loan, id: &str| {
        l.loan_id = id.into();
        l
    };
    let unpaid = named(disbursed(monthly, "1000", 3, "2025-03-01"), "L2");
    let mut lost = named(disbursed(monthly, "1000", 3, "2025-03-01"), "L3");
    (lost.status, lost.written_off, lost.recovered) = (LoanStatus::WrittenOff, d("1000"), d("700"));
    let mut applied = named(disbursed(monthly, "2500", 3, "2025-03-01"), "L4");
    (applied.status, applied.disbursed_on) = (LoanStatus::Applied, None);
    let mut approved = named(applied.clone(), "L5");
    (approved.status, approved.principal) = (LoanStatus::Approved, d("1500"));
    let deciding = named(disbursed(monthly, "500", 3, "2025-03-01"), "L6");
    let mut someone_else = named(unpaid.clone(), "L7");
    someone_else.member_id = "M2".into();
    let loans = [
        repaid,
        unpaid,
        lost,
        applied,
        approved,
        deciding,
        someone_else,
    ];
    let s = standing(&loans, "M1", "L6", date("2025-04-05"), d("90000"), true);
    assert_eq!(
        (s.earlier_loans, s.outstanding, s.pending),
        (3, d("1000"), d("4000"))
    );
    assert_eq!(s.past_due, Some(("L2".into(), 4)));
    assert_eq!(s.unrecovered, Some(("L3".into(), d("300"))));
    assert_eq!((s.fund_capital, s.in_group), (d("90000"), true));
    let due_today = standing(&loans, "M1", "L6", date("2025-04-01"), d("90000"), true);
    assert_eq!(due_today.past_due, None);
}

/// The collection sheet's line for the equal-principal loan of 1,200 over 3
/// months from March 1 (400 a month; fee 7.20, 4.80, 2.40): on April 1 the
/// first installment is due, 407.20; on April 11, unpaid, it is overdue with
/// 400 x 0.036 x 10 / 360 = 0.40 of penalty: 407.60, what the waterfall test
/// pays. On May 1, still unpaid: 407.20 overdue, 404.80 due and a penalty of
/// 400 x 0.036 x 30 / 360 = 1.20, 813.20; after the 407.60 of April 11 only
/// May's 404.80. Nothing is on the sheet of March 31.
#[test]
fn a_collection_line_is_what_has_fallen_due_by_the_day() {
    let rules = FundRules::default();
    let l = disbursed(Method::EqualPrincipal, "1200", 3, "2025-03-01");
    assert_eq!(collection(&rules, &l, date("2025-03-31")), None);
    let on = |l: &Loan, day: &str| collection(&rules, l, date(day)).unwrap();
    let apr1 = on(&l, "2025-04-01");
    assert_eq!(
        (apr1.overdue, apr1.due, apr1.penalty),
        (d("0"), d("407.20"), d("0"))
    );
    assert_eq!((apr1.installment_no, apr1.days_past_due), (1, 0));
    let apr11 = on(&l, "2025-04-11");
    assert_eq!(
        (apr11.overdue, apr11.due, apr11.penalty),
        (d("407.20"), d("0"), d("0.40"))
    );
    assert_eq!((apr11.total(), apr11.days_past_due), (d("407.60"), 10));
    let may1 = on(&l, "2025-05-01");
    assert_eq!(
        (may1.overdue, may1.due, may1.penalty),
        (d("407.20"), d("404.80"), d("1.20"))
    );
    assert_eq!(may1.total(), d("813.20"));
    let paid = repay(&rules, &l, apr11.total(), date("2025-04-11"))
        .unwrap()
        .loan;
    let may1 = on(&paid, "2025-05-01");
    assert_eq!(
        (may1.installment_no, may1.due_date),
        (2, date("2025-05-01"))
    );
    assert_eq!(
        (may1.overdue, may1.due, may1.total()),
        (d("0"), d("404.80"), d("404.80"))
    );
}

#[test]
fn day_end_steps_stop_at_every_month_end() {
    let d = |s: &str| NaiveDate::from_str(s).unwrap();
    let steps = |a: &str, b: &str| day_end_steps(d(a), d(b));
    // From Mar 1 to Jun 10: the ends of March, April and May, then Jun 10.
    assert_eq!(
        steps("2025-03-01", "2025-06-10"),
        [
            d("2025-03-31"),
            d("2025-04-30"),
            d("2025-05-31"),
            d("2025-06-10")
        ]
    );
    // From a month's end the next step is the next month's end.
    assert_eq!(
        steps("2025-01-31", "2025-03-31"),
        [d("2025-02-28"), d("2025-03-31")]
    );
    // Within a month, one step; run through already, none.
    assert_eq!(steps("2025-04-02", "2025-04-11"), [d("2025-04-11")]);
    assert!(steps("2025-04-11", "2025-04-11").is_empty());
    assert!(steps("2025-04-12", "2025-04-11").is_empty());
    // Across a year and a leap February.
    assert_eq!(
        steps("2023-12-15", "2024-03-01"),
        [
            d("2023-12-31"),
            d("2024-01-31"),
            d("2024-02-29"),
            d("2024-03-01")
        ]
    );
}
