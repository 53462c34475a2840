//! Worked cases of the subsidy rules.
use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A bullet loan: everything due at maturity, nothing paid.
fn bullet(principal: &str, start: &str, maturity: &str) -> Track {
    Track {
        start: d(start),
        principal: dec(principal),
        due: vec![(d(maturity), dec(principal), Decimal::ZERO)],
        ..Track::default()
    }
}

const MONTHS: DayCount = DayCount::MonthsAndDays;

#[test]
fn a_days_weight_is_its_share_of_the_loans_months() {
    // From January 10, months and days: a month from each 10th weighs 30.
    // January 10 to February 8 are 30 days of 1; February 9 completes the
    // month from January 10 (31 days) and weighs 0; March 9 completes the
    // 28 days from February 10 and weighs 3.
    let t = bullet("1000", "2025-01-10", "2026-01-10");
    let days =
        |from: &str, to: &str| accrue(&t, dec("0.01"), MONTHS, (d(from), d(to))).days_current;
    assert_eq!(days("2025-01-10", "2025-02-09"), 30);
    assert_eq!(days("2025-02-09", "2025-02-10"), 0);
    assert_eq!(days("2025-03-09", "2025-03-10"), 3);
    // Q1 from January 10: 2 months to March 10, then 22 days: 82. Q2: 91
    // calendar days less April 9 and June 9 (after 31-day months, 0 each): 89.
    assert_eq!(days("2025-01-01", "2025-04-01"), 82);
    assert_eq!(days("2025-04-01", "2025-07-01"), 89);
    // Actual/360: every day weighs 1; Q2 has 91.
    let actual = accrue(
        &t,
        dec("0.01"),
        DayCount::Actual360,
        (d("2025-04-01"), d("2025-07-01")),
    );
    assert_eq!(actual.days_current, 91);
}

#[test]
fn field_vector_a_year_at_2_4_percent_is_2400() {
    // 100,000 x 0.024 x 360 / 360 = 2,400.00: twelve whole months of 30.
    let t = bullet("100000", "2025-01-01", "2026-01-01");
    let year = accrue(&t, dec("0.024"), MONTHS, (d("2025-01-01"), d("2026-01-01")));
    assert_eq!(year.subsidy, dec("2400.00"));
    assert_eq!((year.days_current, year.days_overdue), (360, 0));
    // By quarters, three whole months each: 100,000 x 0.024 x 90 / 360 = 600.00.
    for (from, to) in [
        ("2025-01-01", "2025-04-01"),
        ("2025-04-01", "2025-07-01"),
        ("2025-07-01", "2025-10-01"),
        ("2025-10-01", "2026-01-01"),
    ] {
        assert_eq!(
            accrue(&t, dec("0.024"), MONTHS, (d(from), d(to))).subsidy,
            dec("600.00")
        );
    }
    // Actual/360 counts the year's 365 days: 100,000 x 0.024 x 365 / 360 =
    // 2,433.333... = 2,433.33.
    let actual = accrue(
        &t,
        dec("0.024"),
        DayCount::Actual360,
        (d("2025-01-01"), d("2026-01-01")),
    );
    assert_eq!((actual.subsidy, actual.days_current), (dec("2433.33"), 365));
}

#[test]
fn overdue_days_earn_nothing() {
    // 40,000, interest monthly on the 10th, principal at maturity. The
    // April 10 interest is paid on April 28: past due April 11 to 27,
    // 17 days, each weighing 1. Q2 weighs 89 (see above), 72 of them
    // current: 40,000 x 0.03 x 72 / 360 = 240.00, where the whole quarter
    // would give 40,000 x 0.03 x 89 / 360 = 296.666... = 296.67.
    let mut t = Track {
        start: d("2025-01-10"),
        principal: dec("40000"),
        ..Track::default()
    };
    for m in 2..=12 {
        let due = NaiveDate::from_ymd_opt(2025, m, 10).unwrap();
        t.due.push((due, Decimal::ZERO, dec("145")));
        let paid = if m == 4 { d("2025-04-28") } else { due };
        t.paid.push((paid, Decimal::ZERO, dec("145")));
    }
    assert_eq!(t.days_past_due(d("2025-04-10")), 0);
    assert_eq!(t.days_past_due(d("2025-04-27")), 17);
    assert_eq!(t.days_past_due(d("2025-04-28")), 0);
    // What was paid by April 27 covers February and March: April's is the oldest unpaid.
    assert_eq!(t.oldest_unpaid(d("2025-04-27")), Some((2, d("2025-04-10"))));
    let q2 = (d("2025-04-01"), d("2025-07-01"));
    let late = accrue(&t, dec("0.03"), MONTHS, q2);
    assert_eq!(late.subsidy, dec("240.00"));
    assert_eq!((late.days_current, late.days_overdue), (72, 17));
    t.paid[2].0 = d("2025-04-10");
    let on_time = accrue(&t, dec("0.03"), MONTHS, q2);
    assert_eq!(on_time.subsidy, dec("296.67"));
}

#[test]
fn principal_repaid_stops_earning_and_the_end_stops_everything() {
    // 12,000, 1,000 principal due monthly from Feb 1, paid on time.
    // January: 12,000 x 30 (January 31 completes the month and weighs 0);
    // February: 11,000 x 30 (February 28 weighs 3). At 3.6%: (360,000 +
    // 330,000) x 0.036 / 360 = 69.00.
    let mut t = Track {
        start: d("2025-01-01"),
        principal: dec("12000"),
        ..Track::default()
    };
    for m in 2..=12 {
        let due = NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
        t.due.push((due, dec("1000"), Decimal::ZERO));
        t.paid.push((due, dec("1000"), Decimal::ZERO));
    }
    let two = (d("2025-01-01"), d("2025-03-01"));
    assert_eq!(accrue(&t, dec("0.036"), MONTHS, two).subsidy, dec("69.00"));
    // Ended on Feb 1: January only, 12,000 x 30 x 0.036 / 360 = 36.00.
    t.end = Some(d("2025-02-01"));
    let ended = accrue(&t, dec("0.036"), MONTHS, two);
    assert_eq!((ended.subsidy, ended.days_current), (dec("36.00"), 30));
}

#[test]
fn rounds_once_half_up() {
    // 1,000 x 0.015 x 1 / 360 = 0.041666... a day; the month of January
    // (30) = 1.25 exactly, January 1 alone rounds to 0.04.
    let t = bullet("1000", "2025-01-01", "2025-12-01");
    assert_eq!(
        accrue(&t, dec("0.015"), MONTHS, (d("2025-01-01"), d("2025-02-01"))).subsidy,
        dec("1.25")
    );
    assert_eq!(
        accrue(&t, dec("0.015"), MONTHS, (d("2025-01-01"), d("2025-01-02"))).subsidy,
        dec("0.04")
    );
}

#[test]
fn a_scheme_subsidizes_loans_within_its_limits() {
    // By default the national maxima of a guaranteed loan; the 茶园 scheme
    // subsidizes 100,000 collateralised loans for a year.
    let kind = (Kind::Fixed(dec("0.024")), true, true);
    let default = Scheme::new("s".into(), kind, (None, None));
    assert_eq!(
        (default.principal_max, default.term_max_months),
        (dec("50000"), 36)
    );
    let tea = Scheme::new("tea".into(), kind, (Some(dec("100000")), Some(12)));
    let loan = LoanRef::Bank("T1".into());
    assert!(tea.check_limits(&loan, dec("100000"), 12).is_ok());
    let rule_of = |r: Result<(), FundError>| match r.unwrap_err() {
        FundError::Rule { rule, .. } => rule,
        FundError::Invalid { field, .. } => panic!("{field}"),
    };
    assert_eq!(
        rule_of(tea.check_limits(&loan, dec("100000.01"), 12)),
        rule::PRINCIPAL_MAX
    );
    assert_eq!(
        rule_of(tea.check_limits(&loan, dec("100000"), 13)),
        rule::TERM_MAX
    );
}

#[test]
fn a_claim_is_approved_by_another_actor_then_paid() {
    let p = PeriodRecord {
        period: "2025-Q1".into(),
        last_day: d("2025-03-31"),
        lines: Vec::new(),
        state: PeriodState::Accrued,
        claimed_by: None,
        approved_by: None,
    };
    let rule_of = |e: FundError| match e {
        FundError::Rule { rule, .. } => rule,
        FundError::Invalid { field, .. } => panic!("{field}"),
    };
    assert_eq!(rule_of(p.approve("b").unwrap_err()), rule::CLAIM_STATE);
    let claimed = p.claim("a").unwrap();
    assert_eq!(rule_of(claimed.pay().unwrap_err()), rule::CLAIM_STATE);
    assert_eq!(rule_of(claimed.approve("a").unwrap_err()), rule::APPROVER);
    let approved = claimed.approve("b").unwrap();
    assert!(approved.settlement_date(None).is_err());
    let on_last_day = approved.settlement_date(Some(d("2025-03-31")));
    assert_eq!(rule_of(on_last_day.unwrap_err()), rule::AFTER_PERIOD);
    assert_eq!(
        approved.settlement_date(Some(d("2025-04-01"))),
        Ok(d("2025-04-01"))
    );
    let paid = approved.pay().unwrap();
    assert_eq!(paid.state, PeriodState::Paid);
    assert_eq!(rule_of(paid.claim("a").unwrap_err()), rule::CLAIM_STATE);
}

#[test]
fn a_fund_loan_counts_subsidies_as_fee_paid_and_ends_when_written_off() {
    use crate::domain::loan::Repayment;
    use crate::domain::schedule::Method;
    // 3,000 at 7.2%, fee monthly: 18.00 due on Apr 1, May 1 and Jun 1.
    let mut l = crate::domain::servicing::tests::disbursed(
        Method::FeeMonthlyPrincipalAtMaturity,
        "3000",
        3,
        "2025-03-01",
    );
    let fee = |date: &str, fee: &str| Repayment {
        date: d(date),
        amount: dec(fee),
        penalty: Decimal::ZERO,
        fee: dec(fee),
        principal: Decimal::ZERO,
    };
    l.repayments = vec![fee("2025-04-01", "18"), fee("2025-05-01", "8")];
    // The borrower paid 26 of the 36 due by May 1; a subsidy of 10 on
    // April 30 paid the rest.
    let without = fund_loan_track(&l, &[]);
    assert_eq!(without.days_past_due(d("2025-05-02")), 1);
    let with = fund_loan_track(&l, &[(d("2025-04-30"), dec("10"))]);
    assert_eq!(with.days_past_due(d("2025-05-02")), 0);
    assert_eq!(with.end, None);
    l.status = LoanStatus::WrittenOff;
    l.accrued_through = Some(d("2025-05-15"));
    assert_eq!(fund_loan_track(&l, &[]).end, Some(d("2025-05-15")));
}

#[test]
fn periods_accrue_once_in_order_and_of_their_kind() {
    let q2 = Period::parse("2025-Q2").unwrap();
    let rule_of = |r: Result<(), FundError>| match r.unwrap_err() {
        FundError::Rule { rule, .. } => rule,
        FundError::Invalid { field, .. } => panic!("{field}"),
    };
    assert!(check_next_period(true, None, q2, false).is_ok());
    assert!(check_next_period(true, Some(d("2025-03-31")), q2, false).is_ok());
    let skipped = check_next_period(true, Some(d("2024-12-31")), q2, false);
    assert_eq!(rule_of(skipped), rule::PERIODS_IN_ORDER);
    assert_eq!(
        rule_of(check_next_period(true, None, q2, true)),
        rule::PERIOD_ONCE
    );
    let month = Period::parse("2025-04").unwrap();
    assert_eq!(
        rule_of(check_next_period(true, None, month, false)),
        rule::PERIOD_KIND
    );
}

#[test]
fn rates_and_splits() {
    assert_eq!(Kind::Full.rate(dec("0.0435")), dec("0.0435"));
    assert_eq!(Kind::Fixed(dec("0.03")).rate(dec("0.0435")), dec("0.03"));
    assert_eq!(Kind::Fixed(dec("0.05")).rate(dec("0.0435")), dec("0.0435"));
    assert_eq!(
        split_fund_subsidy(dec("75"), dec("60")),
        (dec("60"), dec("15"))
    );
    assert_eq!(
        split_fund_subsidy(dec("75"), dec("600")),
        (dec("75"), dec("0"))
    );
}

#[test]
fn periods_parse() {
    let q = Period::parse("2025-Q2").unwrap();
    assert_eq!(
        (q.first, q.last_day(), q.quarterly),
        (d("2025-04-01"), d("2025-06-30"), true)
    );
    let m = Period::parse("2025-02").unwrap();
    assert_eq!(
        (m.first, m.end_exclusive, m.quarterly),
        (d("2025-02-01"), d("2025-03-01"), false)
    );
    for bad in ["2025-Q5", "2025-13", "2025-2", "25-01", "2025", "2025-Q0"] {
        assert!(Period::parse(bad).is_none(), "{bad}");
    }
}
