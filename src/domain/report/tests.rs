//! Worked cases of the period figures.
use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::from_str(s).unwrap()
}

#[test]
fn quarters_and_their_due_dates() {
    let q = Quarter::of(date("2025-05-11"));
    assert_eq!(q.label(), "2025Q2");
    let p = q.period();
    assert_eq!((p.from, p.to), (date("2025-04-01"), date("2025-06-30")));
    assert_eq!(q.due_on(DEFAULT_DUE_DAYS), date("2025-07-05"));
    assert_eq!(
        Quarter::new(2025, 4).unwrap().period().to,
        date("2025-12-31")
    );
    assert_eq!(Quarter::new(2025, 5), None);
    // On April 5 the first quarter is due that day, not overdue: the last
    // quarter due before it is the year before's fourth (due January 5).
    assert_eq!(
        Quarter::last_due_before(date("2025-04-05"), 5).label(),
        "2024Q4"
    );
    assert_eq!(
        Quarter::last_due_before(date("2025-04-06"), 5).label(),
        "2025Q1"
    );
    // With 15 days, on April 10 the first quarter is not due yet.
    assert_eq!(
        Quarter::last_due_before(date("2025-04-10"), 15).label(),
        "2024Q4"
    );
}

#[test]
fn the_portfolio_is_read_at_the_opening_and_each_month_end() {
    let q1 = Quarter::new(2025, 1).unwrap().period();
    let expected = ["2024-12-31", "2025-01-31", "2025-02-28", "2025-03-31"].map(date);
    assert_eq!(q1.sample_dates(), expected);
    let ytd = Period::year_to_date(date("2025-05-11"));
    let expected = [
        "2024-12-31",
        "2025-01-31",
        "2025-02-28",
        "2025-03-31",
        "2025-04-30",
        "2025-05-11",
    ]
    .map(date);
    assert_eq!(ytd.sample_dates(), expected);
    // A period that ends on a month's last day reads it once.
    assert_eq!(
        Period::year_to_date(date("2025-01-31"))
            .sample_dates()
            .len(),
        2
    );
}

/// Fees 300.00 (4001), deposit interest 100.00 (4002), penalty 50.00
/// (4003); management 200.00 (5001), a write-off of 100.00 (5002). The
/// portfolio at the four points: 10,000, 12,000, 14,000, 12,000, average
/// 12,000. Yield 300 / 12,000 = 0.025; self-sufficiency 450 / 300 = 1.5;
/// write-offs 100 / 12,000 = 0.008333… → 0.0083.
#[test]
fn ratios_of_a_quarter() {
    let mut flows = Flows::default();
    for (code, amount) in [
        ("4001", "300"),
        ("4002", "100"),
        ("4003", "50"),
        ("5001", "200"),
        ("5002", "100"),
    ] {
        flows.add(code, d(amount));
    }
    flows.write_offs = d("100");
    let r = ratios(&flows, &[d("10000"), d("12000"), d("14000"), d("12000")]);
    assert_eq!(r.average_gross, d("12000"));
    assert_eq!(r.portfolio_yield, Some(d("0.025")));
    assert_eq!(r.self_sufficiency, Some(d("1.5")));
    assert_eq!(r.write_off_ratio, Some(d("0.0083")));
    // Nothing lent and nothing spent: no ratio at all.
    let none = ratios(&Flows::default(), &[Decimal::ZERO, Decimal::ZERO]);
    assert_eq!((none.portfolio_yield, none.self_sufficiency), (None, None));
}
