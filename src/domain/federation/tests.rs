//! Worked cases of the federation rules.
use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::from_str(s).unwrap()
}

#[test]
fn limit_is_a_share_of_capital() {
    let r = FederationRules::default();
    // 30% of 100,000.00 = 30,000.00: 20,000 placed, 10,000 more fits, 10,000.01 does not.
    assert!(check_limit(&r, Direction::FromFund, d("100000"), d("20000"), d("10000")).is_ok());
    let e = check_limit(
        &r,
        Direction::ToFund,
        d("100000"),
        d("20000"),
        d("10000.01"),
    );
    assert_eq!(e.unwrap_err().rule, rule::PLACEMENT_LIMIT);
}

#[test]
fn fee_counts_days_as_the_federation_says_rounded_once() {
    let (ma, a360) = (DayCount::MonthsAndDays, DayCount::Actual360);
    let fee_on = |c, amount, rate, from, to| fee(d(amount), d(rate), c, date(from), date(to));
    // 100,000 at 3.6% from January 10 to March 25, 2025: two months (600.00)
    // and 15 days (150.00) in months and days; 21 + 28 + 25 = 74 days, 740.00.
    assert_eq!(
        fee_on(ma, "100000", "0.036", "2025-01-10", "2025-03-25"),
        d("750.00")
    );
    assert_eq!(
        fee_on(a360, "100000", "0.036", "2025-01-10", "2025-03-25"),
        d("740.00")
    );
    // 10,000 × 0.048 × 45 / 360 = 60.00 exactly (January 1 to February 15).
    assert_eq!(
        fee_on(a360, "10000", "0.048", "2025-01-01", "2025-02-15"),
        d("60.00")
    );
    // January: 3,333.33 × 0.036 × 31 / 360 = 10.333323 → 10.33 in actual
    // days; a whole month, 3,333.33 × 0.036 / 12 = 9.99999 → 10.00.
    assert_eq!(
        fee_on(a360, "3333.33", "0.036", "2025-01-01", "2025-02-01"),
        d("10.33")
    );
    assert_eq!(
        fee_on(ma, "3333.33", "0.036", "2025-01-01", "2025-02-01"),
        d("10.00")
    );
    // 125 × 0.036 × 1 / 360 = 0.0125 → 0.01; half-up: 50 × 0.036 × 5 / 360 = 0.025 → 0.03.
    assert_eq!(
        fee_on(ma, "125", "0.036", "2025-01-01", "2025-01-02"),
        d("0.01")
    );
    assert_eq!(
        fee_on(ma, "50", "0.036", "2025-01-01", "2025-01-06"),
        d("0.03")
    );
    // Repaid on the day it was placed: no fee.
    assert_eq!(
        fee_on(ma, "50", "0.036", "2025-01-01", "2025-01-01"),
        Decimal::ZERO
    );
}

fn placed(principal: &str, on: &str) -> Placement {
    Placement {
        placement_id: "P1".into(),
        fund_id: "fund-a".into(),
        direction: Direction::ToFund,
        principal: d(principal),
        rate_annual: d("0.048"),
        placed_on: date(on),
        principal_repaid: Decimal::ZERO,
        fees_paid: Decimal::ZERO,
        repayments: Vec::new(),
        fee_accrued: Decimal::ZERO,
    }
}

#[test]
fn repayment_in_parts_pays_each_part_its_days() {
    let p = placed("20000", "2025-04-01");
    // 8,000 on May 1, a month: 8,000 × 0.048 / 12 = 32.00 (30 days in
    // actual/360 too).
    let ma = repay(&p, d("8000"), date("2025-05-01"), DayCount::MonthsAndDays).unwrap();
    let a360 = repay(&p, d("8000"), date("2025-05-01"), DayCount::Actual360).unwrap();
    assert_eq!((ma.fee, a360.fee), (d("32.00"), d("32.00")));
    // 12,000 on June 30: two months and 29 days, 96.00 + 12,000 × 0.048 × 29
    // / 360 = 46.40, 142.40; 90 actual days, 144.00.
    let ma = repay(
        &ma.placement,
        d("12000"),
        date("2025-06-30"),
        DayCount::MonthsAndDays,
    );
    let a360 = repay(
        &a360.placement,
        d("12000"),
        date("2025-06-30"),
        DayCount::Actual360,
    );
    let (ma, a360) = (ma.unwrap().placement, a360.unwrap().placement);
    assert_eq!(
        (ma.outstanding(), ma.fees_paid),
        (Decimal::ZERO, d("174.40"))
    );
    assert_eq!(a360.fees_paid, d("176.00"));
    let e = repay(&ma, d("0.01"), date("2025-07-01"), DayCount::MonthsAndDays).unwrap_err();
    assert_eq!(e.rule, rule::REPAY_WITHIN_OUTSTANDING);
}

/// 20,000 at 4.8% placed on October 1, 2025. The year-end books October 1
/// → January 1, three months: 240.00. 5,000 repaid on January 31, four
/// months, pays 80.00, of which its quarter of the booked fee, 60.00, was
/// the closed year's; the last 15,000 on March 1, five months, pays 300.00,
/// 180.00 of it booked.
#[test]
fn a_year_end_books_the_fee_and_the_repayment_settles_it() {
    let mad = DayCount::MonthsAndDays;
    let a = accrue_fee(&placed("20000", "2025-10-01"), date("2025-12-31"), mad);
    assert_eq!(
        (a.booked, a.moved, a.moved_on),
        (d("240.00"), Decimal::ZERO, None)
    );
    let part = repay(&a.placement, d("5000"), date("2026-01-31"), mad).unwrap();
    assert_eq!((part.fee, part.settled), (d("80.00"), d("60.00")));
    let rest = repay(&part.placement, d("15000"), date("2026-03-01"), mad).unwrap();
    assert_eq!((rest.fee, rest.settled), (d("300.00"), d("180.00")));
    assert_eq!(rest.placement.fee_accrued, Decimal::ZERO);
    // Accrued again, nothing more: the year-end that runs twice books once.
    let again = accrue_fee(&a.placement, date("2025-12-31"), mad);
    assert_eq!(again.booked, Decimal::ZERO);
}

/// The same placement, 5,000 repaid on January 31 before the year-end ran:
/// that repayment took its 80.00 as the new year's. The year-end books the
/// 15,000 still out, 180.00, and the 5,000's three months, 60.00, which
/// goes back on January 31.
#[test]
fn a_repayment_before_the_year_end_gives_back_the_closed_years_part() {
    let mad = DayCount::MonthsAndDays;
    let early = repay(
        &placed("20000", "2025-10-01"),
        d("5000"),
        date("2026-01-31"),
        mad,
    )
    .unwrap();
    assert_eq!((early.fee, early.settled), (d("80.00"), Decimal::ZERO));
    let a = accrue_fee(&early.placement, date("2025-12-31"), mad);
    assert_eq!((a.booked, a.moved), (d("180.00"), d("60.00")));
    assert_eq!(a.moved_on, Some(date("2026-01-31")));
    let rest = repay(&a.placement, d("15000"), date("2026-03-01"), mad).unwrap();
    assert_eq!((rest.fee, rest.settled), (d("300.00"), d("180.00")));
}

/// A federation stored before the day count, and placements before the
/// accrual, read with the old defaults: months and days, nothing accrued.
#[test]
fn records_stored_before_read_with_the_old_defaults() {
    let mut rules = serde_json::to_value(FederationRules::default()).unwrap();
    rules.as_object_mut().unwrap().remove("day_count");
    let rules: FederationRules = serde_json::from_value(rules).unwrap();
    assert_eq!(rules.day_count, DayCount::MonthsAndDays);
    let paid = repay(
        &placed("100", "2025-01-01"),
        d("100"),
        date("2025-02-01"),
        rules.day_count,
    );
    let mut stored = serde_json::to_value(paid.unwrap().placement).unwrap();
    stored.as_object_mut().unwrap().remove("fee_accrued");
    stored["repayments"][0]
        .as_object_mut()
        .unwrap()
        .remove("settled");
    let p: Placement = serde_json::from_value(stored).unwrap();
    assert_eq!(
        (p.fee_accrued, p.repayments[0].settled),
        (Decimal::ZERO, Decimal::ZERO)
    );
}

fn officer(name: &str, fund: &str, official: bool) -> Officer {
    Officer {
        name: name.into(),
        fund_id: fund.into(),
        township_official: official,
    }
}

#[test]
fn board_rules() {
    let funds = vec!["fund-a".to_string(), "fund-b".to_string()];
    let mut b = Board {
        chair: officer("Li", "fund-a", false),
        directors: vec![officer("Wang", "fund-b", false)],
        supervisors: vec![officer("Zhao", "fund-a", false)],
        elected_on: date("2025-01-10"),
    };
    assert!(check_board(&b, &funds).is_ok());
    b.chair.township_official = true;
    let e = check_board(&b, &funds).unwrap_err();
    assert_eq!(
        (e.0.as_str(), e.1.rule),
        ("chair", rule::OFFICIAL_MAY_NOT_CHAIR)
    );
    b.chair.township_official = false;
    b.directors[0].fund_id = "fund-x".into();
    let e = check_board(&b, &funds).unwrap_err();
    assert_eq!(
        (e.0.as_str(), e.1.rule),
        ("directors[0]", rule::OFFICERS_ARE_DELEGATES)
    );
    b.directors[0].fund_id = "fund-b".into();
    b.supervisors[0].name = "Wang".into();
    let e = check_board(&b, &funds).unwrap_err();
    assert_eq!(
        (e.0.as_str(), e.1.rule),
        ("supervisors[0]", rule::SUPERVISORS_INDEPENDENT)
    );
}

#[test]
fn grants_need_a_loss_another_approver_and_the_pool() {
    assert_eq!(
        check_request(d("100"), Decimal::ZERO).unwrap_err().rule,
        rule::RELIEF_AFTER_WRITE_OFF
    );
    assert!(check_request(d("100"), d("100")).is_ok());
    let g = Grant {
        grant_id: "G1".into(),
        fund_id: "fund-a".into(),
        loan_id: "L1".into(),
        amount: d("500"),
        reason: "flood".into(),
        requested_by: "clerk".into(),
        requested_on: date("2025-05-01"),
        approved_by: None,
        approved_on: None,
    };
    let on = date("2025-05-02");
    assert_eq!(
        approve(&g, "clerk", on, d("1000")).unwrap_err().rule,
        rule::SELF_APPROVAL
    );
    assert_eq!(
        approve(&g, "chair", on, d("499.99")).unwrap_err().rule,
        rule::RELIEF_WITHIN_POOL
    );
    let ok = approve(&g, "chair", on, d("500")).unwrap();
    assert_eq!(
        approve(&ok, "chair", on, d("500")).unwrap_err().rule,
        rule::GRANT_PENDING
    );
}

#[test]
fn par_is_by_balance_not_by_count() {
    let loan = |m: &str, out: &str, dpd: i64, poor: bool| LoanExposure {
        member_id: m.into(),
        outstanding: d(out),
        days_past_due: dpd,
        poor,
        restructured: false,
    };
    // Four loans, one of them (1 in 4 = 25% by count) 45 days late but
    // holding 6,000 of 10,000 outstanding: PAR30 is 60% by balance.
    let books = FundBooks {
        loans: vec![
            loan("M1", "6000", 45, true),
            loan("M2", "2000", 0, false),
            loan("M2", "1000", 10, false),
            loan("M3", "1000", 120, true),
        ],
        cash_and_bank: d("1500"),
        capital: d("20000"),
        risk_reserve: d("250"),
        min_poor_share: d("0.8"),
    };
    let i = indicators(&FederationRules::default(), &books);
    assert_eq!(i.gross_portfolio, d("10000"));
    // PAR30: 6,000 + 1,000 (45 and 120 days) = 7,000 / 10,000.
    assert_eq!(i.par30, Some(d("0.7")));
    assert_eq!(i.par90, Some(d("0.1")));
    assert_eq!(i.liquidity, Some(d("0.075")));
    assert_eq!(i.utilization, Some(d("0.5")));
    assert_eq!(i.largest_borrower_share, Some(d("0.6")));
    assert_eq!(i.poor_share, Some(d("0.7")));
    assert_eq!(i.reserve_cover, Some(d("0.25")));
    // PAR30 above 5%, liquidity below 10%, and 70% to poor households
    // below the fund's 80%.
    assert_eq!(
        i.alerts,
        [
            "PAR30 0.7 is above 0.05",
            "liquidity 0.075 is below 0.10",
            "poor households' share 0.7 is below the fund's minimum 0.8"
        ]
    );
    let empty = FundBooks {
        loans: vec![],
        cash_and_bank: d("100"),
        capital: d("100"),
        risk_reserve: Decimal::ZERO,
        min_poor_share: d("0.3"),
    };
    let i = indicators(&FederationRules::default(), &empty);
    assert_eq!(
        (i.par30, i.reserve_cover, i.liquidity),
        (None, None, Some(d("1")))
    );
    assert!(i.alerts.is_empty());
    // M2's 2,000 restructured and not yet cured, though current: at risk.
    let mut restructured = books.clone();
    restructured.loans[1].restructured = true;
    let i = indicators(&FederationRules::default(), &restructured);
    assert_eq!((i.par30, i.par90), (Some(d("0.9")), Some(d("0.3"))));
}

/// One boundary for "past due more than N days" (DOMAIN.md §2): a loan
/// exactly 90 days past due is in PAR30 and the 61-90 bucket, not in PAR90;
/// on day 91 it is in PAR90 and 90+, as a bank claim after 90 days is.
#[test]
fn ninety_days_is_not_more_than_ninety() {
    let books = |dpd| FundBooks {
        loans: vec![LoanExposure {
            member_id: "M1".into(),
            outstanding: d("1000"),
            days_past_due: dpd,
            poor: false,
            restructured: false,
        }],
        cash_and_bank: d("100"),
        capital: d("1000"),
        risk_reserve: Decimal::ZERO,
        min_poor_share: Decimal::ZERO,
    };
    let rules = FederationRules::default();
    let at_90 = indicators(&rules, &books(90));
    assert_eq!((at_90.par30, at_90.par90), (Some(d("1")), Some(d("0"))));
    assert_eq!(crate::domain::servicing::bucket(90), "61-90");
    let at_91 = indicators(&rules, &books(91));
    assert_eq!(at_91.par90, Some(d("1")));
    assert_eq!(crate::domain::servicing::bucket(91), "90+");
}
