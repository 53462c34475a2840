//! The year-end distribution of a fund's surplus (DOMAIN.md §4): the year's
//! income less its expenses goes to the public welfare fund, the accumulation
//! reserve, the risk reserve and dividends (or rebates) to members, in the
//! shares the members' meeting set (dividends may be 0%).
//!
//! Each share is rounded half-up to the fen; what rounding leaves over goes
//! to the accumulation reserve, so the parts add up to the surplus exactly.
//! Dividends are split in proportion to each member's weight (shares held, or
//! fees paid in the year) by the largest-remainder method: everyone gets the
//! fen below their exact share, and the fens left go to the largest
//! remainders (the earlier member on a tie), so they add up to the fen.
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::fund::Distribution;
use super::money::round_to_fen;

pub mod recipe;

/// The rule a second year-end for a year breaks.
pub const YEAR_END_ONCE: &str = "year_end_once_per_year";

/// A fund's year-end runs once per year: `done` when it has run for `year`.
pub fn check_once(fund_id: &str, year: i32, done: bool) -> Result<(), super::fund::FundError> {
    if done {
        return Err(super::fund::FundError::Rule {
            rule: YEAR_END_ONCE,
            detail: format!("the year-end of {year} has run for fund {fund_id:?}"),
        });
    }
    Ok(())
}

/// The rule a year-end before the year's last day-end breaks.
pub const AFTER_DAY_END: &str = "year_end_after_day_end";

/// A year-end comes after the year (its December 31 is past `today`) and
/// after the fund's day-end has run through December 31, so that every fee
/// and penalty of the year is accrued before the surplus is split.
pub fn check_day_end(
    fund_id: &str,
    end: chrono::NaiveDate,
    last_day_end: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> Result<(), super::fund::FundError> {
    if end >= today {
        return Err(super::fund::FundError::Rule {
            rule: AFTER_DAY_END,
            detail: format!("the year ends on {end}; its year-end comes after (today is {today})"),
        });
    }
    if last_day_end.is_some_and(|d| d >= end) {
        return Ok(());
    }
    let ran = last_day_end.map_or("has not run yet".to_string(), |d| {
        format!("has run through {d}")
    });
    Err(super::fund::FundError::Rule {
        rule: AFTER_DAY_END,
        detail: format!(
            "the day-end of fund {fund_id:?} {ran}; run it through {end} before the year-end"
        ),
    })
}

/// What a year-end did, kept as the fund's record of that year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearEnd {
    pub surplus: Decimal,
    pub split: Split,
    /// Each member's dividend (member id, amount).
    pub dividends: Vec<(String, Decimal)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    pub welfare: Decimal,
    pub accumulation: Decimal,
    pub risk: Decimal,
    pub dividends: Decimal,
}

/// Splits a positive surplus by the distribution shares.
pub fn split(d: &Distribution, surplus: Decimal) -> Split {
    let welfare = round_to_fen(surplus * d.welfare);
    let risk = round_to_fen(surplus * d.risk);
    let dividends = round_to_fen(surplus * d.dividends);
    Split {
        welfare,
        risk,
        dividends,
        accumulation: surplus - welfare - risk - dividends,
    }
}

/// The year-end of a surplus: the split, with the dividends actually paid
/// out by `weights`; what nobody can be paid (no weight at all) stays in the
/// fund as accumulation, so the parts still add up to the surplus. Nothing
/// is split out of a deficit.
pub fn distribute(d: &Distribution, surplus: Decimal, weights: &[(String, Decimal)]) -> YearEnd {
    if surplus <= Decimal::ZERO {
        let zero = Decimal::ZERO;
        return YearEnd {
            surplus,
            split: Split {
                welfare: zero,
                accumulation: zero,
                risk: zero,
                dividends: zero,
            },
            dividends: Vec::new(),
        };
    }
    let mut split = split(d, surplus);
    let paid = dividends(split.dividends, weights);
    let paid_total: Decimal = paid.iter().map(|(_, a)| *a).sum();
    split.accumulation += split.dividends - paid_total;
    split.dividends = paid_total;
    assert_eq!(
        split.welfare + split.accumulation + split.risk + split.dividends,
        surplus,
        "the year-end's parts add up to the surplus"
    );
    YearEnd {
        surplus,
        split,
        dividends: paid,
    }
}

/// Splits `total` in proportion to `weights` (member, weight), to the fen.
/// All weights zero: nobody gets anything (the caller keeps the total).
pub fn dividends(total: Decimal, weights: &[(String, Decimal)]) -> Vec<(String, Decimal)> {
    let sum: Decimal = weights.iter().map(|(_, w)| *w).sum();
    if sum <= Decimal::ZERO || total <= Decimal::ZERO {
        return Vec::new();
    }
    let fen = Decimal::new(1, 2);
    let mut parts: Vec<(usize, Decimal, Decimal)> = weights
        .iter()
        .enumerate()
        .map(|(i, (_, w))| {
            let exact = total * *w / sum;
            let floor = (exact / fen).floor() * fen;
            (i, floor, exact - floor)
        })
        .collect();
    let mut left = total - parts.iter().map(|p| p.1).sum::<Decimal>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| parts[*b].2.cmp(&parts[*a].2).then(a.cmp(b)));
    for i in order {
        if left < fen {
            break;
        }
        parts[i].1 += fen;
        left -= fen;
    }
    parts
        .into_iter()
        .filter(|p| p.1 > Decimal::ZERO)
        .map(|(i, amount, _)| (weights[i].0.clone(), amount))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn shares(w: &str, a: &str, r: &str, v: &str) -> Distribution {
        Distribution {
            welfare: d(w),
            accumulation: d(a),
            risk: d(r),
            dividends: d(v),
        }
    }

    /// 1,000.01 at 10/20/30/40: 100.001 → 100.00, 300.003 → 300.00,
    /// 400.004 → 400.00, and accumulation takes the rest, 200.01.
    #[test]
    fn the_split_adds_up_to_the_surplus() {
        let s = split(&shares("0.10", "0.20", "0.30", "0.40"), d("1000.01"));
        assert_eq!(
            (s.welfare, s.accumulation, s.risk, s.dividends),
            (d("100.00"), d("200.01"), d("300.00"), d("400.00"))
        );
        let none = split(&shares("0.10", "0.20", "0.70", "0"), d("1000.00"));
        assert_eq!((none.risk, none.dividends), (d("700.00"), Decimal::ZERO));
    }

    /// 400.00 over weights 300, 200, 100: 200.00, 133.333..., 66.666...:
    /// floors 200.00, 133.33, 66.66 leave one fen, which goes to the largest
    /// remainder (66.666: 0.0066) rather than 133.333 (0.0033).
    #[test]
    fn dividends_go_by_largest_remainder() {
        let w = vec![
            ("M1".to_string(), d("300")),
            ("M2".to_string(), d("200")),
            ("M3".to_string(), d("100")),
        ];
        let got = dividends(d("400.00"), &w);
        assert_eq!(
            got,
            vec![
                ("M1".to_string(), d("200.00")),
                ("M2".to_string(), d("133.33")),
                ("M3".to_string(), d("66.67"))
            ]
        );
        // Three equal weights and 0.02: the first two get a fen each.
        let eq = vec![
            ("A".to_string(), d("1")),
            ("B".to_string(), d("1")),
            ("C".to_string(), d("1")),
        ];
        assert_eq!(
            dividends(d("0.02"), &eq),
            vec![("A".to_string(), d("0.01")), ("B".to_string(), d("0.01"))]
        );
        assert!(dividends(d("10"), &[("A".to_string(), Decimal::ZERO)]).is_empty());
    }
}
