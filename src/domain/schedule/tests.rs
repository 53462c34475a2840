//! Worked cases of the schedule rules.
use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn due_dates_keep_the_day_or_take_the_month_end() {
    let start = date("2024-01-31");
    let dues: Vec<String> = (1..=4).map(|k| due_date(start, k).to_string()).collect();
    assert_eq!(
        dues,
        ["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]
    );
    assert_eq!(due_date(date("2025-01-31"), 1), date("2025-02-28"));
    assert_eq!(due_date(date("2025-03-15"), 12), date("2026-03-15"));
}

/// 10,000 at 7.2% over 12 months: r = 0.006.
/// Principal 10,000 / 12 = 833.333... → 833.33 eleven times; the last takes
/// 10,000 − 11 × 833.33 = 833.37. Fee k = round((10,000 − 833.33 (k−1)) × 0.006)
/// = round(60 − 4.99998 (k−1)): 60.00, 55.00, ..., 5.00; 390.00 in all.
#[test]
fn equal_principal_worked_example() {
    let s = build(
        Method::EqualPrincipal,
        d("10000"),
        d("0.072"),
        12,
        date("2025-03-15"),
    )
    .unwrap();
    assert_eq!(s.len(), 12);
    assert!(s[..11].iter().all(|i| i.principal == d("833.33")));
    assert_eq!(s[11].principal, d("833.37"));
    let fees: Vec<Decimal> = s.iter().map(|i| i.fee).collect();
    let expected: Vec<Decimal> = (0..12).map(|k| d("60") - Decimal::from(5 * k)).collect();
    assert_eq!(fees, expected);
    assert_eq!(fees.iter().sum::<Decimal>(), d("390.00"));
    assert_eq!(s[0].payment, d("893.33"));
    assert_eq!(s[1].outstanding_after, d("8333.34"));
    assert_eq!(s[11].outstanding_after, Decimal::ZERO);
    assert_eq!(s[11].due_date, date("2026-03-15"));
}

/// 5,000 at 6% for 12 months: fee 5,000 × 0.06 × 12 / 12 = 300.00 at maturity;
/// for 6 months 150.00. 3,333.33 at 7.2% for 9 months: 179.99982 → 180.00.
#[test]
fn bullet_worked_examples() {
    let s = build(Method::Bullet, d("5000"), d("0.06"), 12, date("2025-01-10")).unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(
        (s[0].principal, s[0].fee, s[0].payment),
        (d("5000"), d("300.00"), d("5300.00"))
    );
    assert_eq!(s[0].due_date, date("2026-01-10"));
    let s = build(Method::Bullet, d("5000"), d("0.06"), 6, date("2025-01-10")).unwrap();
    assert_eq!(s[0].fee, d("150.00"));
    let s = build(
        Method::Bullet,
        d("3333.33"),
        d("0.072"),
        9,
        date("2025-01-10"),
    )
    .unwrap();
    assert_eq!(s[0].fee, d("180.00"));
}

/// 8,000 at 9%: r = 0.0075, fee 60.00 a month; the 12th pays 8,060.00.
/// 3,333.33 at 7.2%: 3,333.33 × 0.006 = 19.99998 → 20.00.
#[test]
fn fee_monthly_principal_at_maturity_worked_examples() {
    let s = build(
        Method::FeeMonthlyPrincipalAtMaturity,
        d("8000"),
        d("0.09"),
        12,
        date("2025-05-31"),
    )
    .unwrap();
    assert!(s.iter().all(|i| i.fee == d("60.00")));
    assert!(s[..11]
        .iter()
        .all(|i| i.principal.is_zero() && i.outstanding_after == d("8000")));
    assert_eq!(s[11].payment, d("8060.00"));
    assert_eq!(s[0].due_date, date("2025-06-30"));
    let s = build(
        Method::FeeMonthlyPrincipalAtMaturity,
        d("3333.33"),
        d("0.072"),
        3,
        date("2025-05-01"),
    )
    .unwrap();
    assert_eq!(s[0].fee, d("20.00"));
}

/// 10,000 at 12% over 12 months, r = 0.01: payment = 100 / (1 − 1.01^−12)
/// = 888.4878867... → 888.49. Fee 1 = 100.00, principal 788.49, leaving
/// 9,211.51; fee 2 = 92.1151 → 92.12, principal 796.37.
#[test]
fn equal_installments_worked_example() {
    let s = build(
        Method::EqualInstallments,
        d("10000"),
        d("0.12"),
        12,
        date("2025-01-15"),
    )
    .unwrap();
    assert_eq!(s[0].payment, d("888.49"));
    assert_eq!(
        (s[0].fee, s[0].principal, s[0].outstanding_after),
        (d("100.00"), d("788.49"), d("9211.51"))
    );
    assert_eq!((s[1].fee, s[1].principal), (d("92.12"), d("796.37")));
    assert!(s[..11].iter().all(|i| i.payment == d("888.49")));
    assert_eq!(s.iter().map(|i| i.principal).sum::<Decimal>(), d("10000"));
    assert_eq!(s[11].outstanding_after, Decimal::ZERO);
}

#[test]
fn a_zero_rate_spreads_the_principal() {
    let s = build(
        Method::EqualInstallments,
        d("1000"),
        Decimal::ZERO,
        3,
        date("2025-01-15"),
    )
    .unwrap();
    let principals: Vec<Decimal> = s.iter().map(|i| i.principal).collect();
    assert_eq!(principals, vec![d("333.33"), d("333.33"), d("333.34")]);
    assert!(s.iter().all(|i| i.fee.is_zero()));
}

#[test]
fn refuses_bad_terms() {
    let start = date("2025-01-15");
    assert_eq!(
        build(Method::Bullet, d("0"), d("0.1"), 12, start),
        Err(ScheduleError::Principal)
    );
    assert_eq!(
        build(Method::Bullet, d("1.005"), d("0.1"), 12, start),
        Err(ScheduleError::Principal)
    );
    assert_eq!(
        build(Method::Bullet, d("100"), d("-0.1"), 12, start),
        Err(ScheduleError::Rate)
    );
    assert_eq!(
        build(Method::Bullet, d("100"), d("1.5"), 12, start),
        Err(ScheduleError::Rate)
    );
    assert_eq!(
        build(Method::Bullet, d("100"), d("0.1"), 0, start),
        Err(ScheduleError::Term)
    );
    assert_eq!(
        build(Method::Bullet, d("100"), d("0.1"), 121, start),
        Err(ScheduleError::Term)
    );
}

/// Actual/360 from 2025-01-15: periods of 31, 28 and 31 days.
/// - Fee monthly on 10,000 at 7.2%: 10,000 × 0.072 × 31 / 360 = 62.00, then
///   × 28 / 360 = 56.00, then 62.00 (months and days: 60.00 each).
/// - Equal installments, 10,000 at 7.2% over 3: the payment stays the
///   annuity's at r = 0.006, 60 × 1.006³ / (1.006³ − 1) = 3,373.4131 →
///   3,373.41. Fee 1 = 62.00, principal 3,311.41, leaving 6,688.59; fee 2 =
///   6,688.59 × 0.072 × 28 / 360 = 37.456104 → 37.46, principal 3,335.95,
///   leaving 3,352.64; fee 3 = 3,352.64 × 0.0062 = 20.786368 → 20.79, and the
///   last installment takes the 3,352.64 left: 3,373.43.
/// - Bullet, 5,000 at 6% for 12 months from 2025-01-10: 365 days, 5,000 ×
///   0.06 × 365 / 360 = 304.1666... → 304.17 (months and days: 300.00).
#[test]
fn actual_360_fees_follow_each_periods_days() {
    let actual = DayCount::Actual360;
    let start = date("2025-01-15");
    let fees = |s: &[Installment]| s.iter().map(|i| i.fee).collect::<Vec<_>>();
    let monthly = Method::FeeMonthlyPrincipalAtMaturity;
    let s = build_in(actual, monthly, d("10000"), d("0.072"), 3, start).unwrap();
    assert_eq!(fees(&s), [d("62.00"), d("56.00"), d("62.00")]);
    let s = build_in(
        actual,
        Method::EqualInstallments,
        d("10000"),
        d("0.072"),
        3,
        start,
    )
    .unwrap();
    assert_eq!(fees(&s), [d("62.00"), d("37.46"), d("20.79")]);
    let rows: Vec<_> = s
        .iter()
        .map(|i| (i.principal, i.payment, i.outstanding_after))
        .collect();
    assert_eq!(
        rows,
        [
            (d("3311.41"), d("3373.41"), d("6688.59")),
            (d("3335.95"), d("3373.41"), d("3352.64")),
            (d("3352.64"), d("3373.43"), Decimal::ZERO),
        ]
    );
    let bullet = build_in(
        actual,
        Method::Bullet,
        d("5000"),
        d("0.06"),
        12,
        date("2025-01-10"),
    );
    assert_eq!(bullet.unwrap()[0].fee, d("304.17"));
    // Months and days is what `build` gives.
    let md = build_in(
        DayCount::MonthsAndDays,
        monthly,
        d("10000"),
        d("0.072"),
        3,
        start,
    );
    assert_eq!(md, build(monthly, d("10000"), d("0.072"), 3, start));
    assert_eq!(fees(&md.unwrap()), [d("60.00"); 3]);
}
