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
fn fee_is_days_over_360_rounded_once() {
    // 10,000 × 0.048 × 45 / 360 = 60.00 exactly.
    assert_eq!(fee(d("10000"), d("0.048"), 45), d("60.00"));
    // 3,333.33 × 0.036 × 31 / 360 = 10.333323 → 10.33.
    assert_eq!(fee(d("3333.33"), d("0.036"), 31), d("10.33"));
    // 1,250 × 0.036 × 10 / 360 = 1.25 exactly; 125 × 0.036 × 1 / 360 = 0.0125 → 0.01.
    assert_eq!(fee(d("125"), d("0.036"), 1), d("0.01"));
    // Half-up: 50 × 0.036 × 5 / 360 = 0.025 → 0.03.
    assert_eq!(fee(d("50"), d("0.036"), 5), d("0.03"));
}

#[test]
fn repayment_in_parts_pays_each_part_its_days() {
    let p = Placement {
        placement_id: "P1".into(),
        fund_id: "fund-a".into(),
        direction: Direction::ToFund,
        principal: d("20000"),
        rate_annual: d("0.048"),
        placed_on: date("2025-04-01"),
        principal_repaid: Decimal::ZERO,
        fees_paid: Decimal::ZERO,
        repayments: Vec::new(),
    };
    // 8,000 on May 1 (30 days): 8,000 × 0.048 × 30 / 360 = 32.00.
    let p = repay(&p, d("8000"), date("2025-05-01")).unwrap();
    assert_eq!(p.fees_paid, d("32.00"));
    // 12,000 on Jun 30 (90 days): 12,000 × 0.048 × 90 / 360 = 144.00.
    let p = repay(&p, d("12000"), date("2025-06-30")).unwrap();
    assert_eq!((p.outstanding(), p.fees_paid), (Decimal::ZERO, d("176.00")));
    let e = repay(&p, d("0.01"), date("2025-07-01")).unwrap_err();
    assert_eq!(e.rule, rule::REPAY_WITHIN_OUTSTANDING);
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
        written_off: d("500"),
        disbursed: d("20000"),
        cash_and_bank: d("1500"),
        capital: d("20000"),
        risk_reserve: d("250"),
    };
    let i = indicators(&FederationRules::default(), &books);
    assert_eq!(i.gross_portfolio, d("10000"));
    // PAR30: 6,000 + 1,000 (45 and 120 days) = 7,000 / 10,000.
    assert_eq!(i.par30, Some(d("0.7")));
    assert_eq!(i.par90, Some(d("0.1")));
    assert_eq!(i.write_off_ratio, Some(d("0.025")));
    assert_eq!(i.liquidity, Some(d("0.075")));
    assert_eq!(i.utilization, Some(d("0.5")));
    assert_eq!(i.largest_borrower_share, Some(d("0.6")));
    assert_eq!(i.poor_share, Some(d("0.7")));
    assert_eq!(i.reserve_cover, Some(d("0.25")));
    assert_eq!(i.alerts.len(), 2);
    let empty = FundBooks {
        loans: vec![],
        written_off: Decimal::ZERO,
        disbursed: Decimal::ZERO,
        cash_and_bank: d("100"),
        capital: d("100"),
        risk_reserve: Decimal::ZERO,
    };
    let i = indicators(&FederationRules::default(), &empty);
    assert_eq!(
        (i.par30, i.reserve_cover, i.liquidity),
        (None, None, Some(d("1")))
    );
    assert!(i.alerts.is_empty());
}
