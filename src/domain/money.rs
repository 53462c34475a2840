//! Money: exact decimals in yuan at the edges, exact integer fen inside the ledger.
//!
//! This module is the one place where amounts are parsed, formatted and rounded.
//! Rounding is half-up (四舍五入) at the fen, applied only where a rule says so.
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

use super::limits::{
    DEFAULT_MAX_RATE_ANNUAL_PERCENT, MAX_POSTING_FEN, MAX_RATIO_INTEGER_DIGITS, MAX_RATIO_PLACES,
};

/// Digits before the point of the largest amount, 1000000000.00.
const AMOUNT_INTEGER_DIGITS: usize = 10;

/// Why an amount string was refused; the text names the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("is empty; give an amount of yuan like \"1234.50\"")]
    Empty,
    #[error(
        "is not an amount of yuan like \"1234.50\": ASCII digits, at most two after the point, \
         no sign, exponent, space or separator"
    )]
    NotANumber,
    #[error("has a leading zero; write \"7.00\", not \"007.00\" (a single 0 before the point, as in \"0.50\", is fine)")]
    LeadingZero,
    #[error("must be greater than zero")]
    NotPositive,
    #[error("has more than two decimal places (the smallest unit is the fen, 0.01)")]
    TooManyDecimals,
    #[error("exceeds the largest accepted amount of 1000000000.00")]
    TooLarge,
}

/// Why a rate, ratio or share string was refused; the text names the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatioError {
    #[error("is empty; give a decimal like \"0.0435\"")]
    Empty,
    #[error(
        "is not a decimal like \"0.0435\": ASCII digits, at most {MAX_RATIO_PLACES} after the point, \
         no sign, exponent, space or percent sign"
    )]
    NotANumber,
    #[error("has a leading zero; write \"0.5\" or \"8.5\", not \"00.5\" or \"08.5\"")]
    LeadingZero,
    #[error("has more than {MAX_RATIO_PLACES} decimal places")]
    TooManyDecimals,
    #[error("has more than {MAX_RATIO_INTEGER_DIGITS} digits before the point")]
    TooLarge,
}

/// What is wrong with a decimal's form, before any rule about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Empty,
    NotANumber,
    LeadingZero,
    TooManyDecimals,
    TooLarge,
}

/// The one grammar of a decimal in a request: ASCII digits, then optionally
/// a point and 1 to `places` digits. No sign, exponent, space or separator;
/// no leading zero but a single 0 before the point ("0.50"; not "00.50",
/// "007" or ".5"). At most `integer_digits` before the point, so that the
/// value always fits a `Decimal`.
fn scan(text: &str, places: usize, integer_digits: usize) -> Result<Decimal, Form> {
    if text.is_empty() {
        return Err(Form::Empty);
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !fraction.is_none_or(digits) {
        return Err(Form::NotANumber);
    }
    if whole.len() > 1 && whole.starts_with('0') {
        return Err(Form::LeadingZero);
    }
    if fraction.is_some_and(|f| f.len() > places) {
        return Err(Form::TooManyDecimals);
    }
    if whole.len() > integer_digits {
        return Err(Form::TooLarge);
    }
    Ok(Decimal::from_str(text).expect("the grammar admits only decimals that fit"))
}

/// Parses an amount of yuan of at least zero: the amount grammar, at most 2
/// places, at most the posting limit. Rules' amounts and a bank's schedule
/// parts come through here; a posting's through [`parse_posting_amount`].
pub fn parse_yuan(text: &str) -> Result<Decimal, AmountError> {
    let value = scan(text, 2, AMOUNT_INTEGER_DIGITS).map_err(|form| match form {
        Form::Empty => AmountError::Empty,
        Form::NotANumber => AmountError::NotANumber,
        Form::LeadingZero => AmountError::LeadingZero,
        Form::TooManyDecimals => AmountError::TooManyDecimals,
        Form::TooLarge => AmountError::TooLarge,
    })?;
    if value > fen_to_decimal(MAX_POSTING_FEN.into()) {
        return Err(AmountError::TooLarge);
    }
    Ok(value)
}

/// Parses a posting amount: the amount grammar, > 0, at most 2 places, at
/// most the posting limit. Returns the amount in fen.
pub fn parse_posting_amount(text: &str) -> Result<i64, AmountError> {
    to_fen(parse_yuan(text)?)
}

/// Parses a rate, a ratio or a share: the same grammar with at most
/// [`MAX_RATIO_PLACES`] places. Its range is the rule's that reads it.
pub fn parse_ratio(text: &str) -> Result<Decimal, RatioError> {
    scan(text, MAX_RATIO_PLACES, MAX_RATIO_INTEGER_DIGITS).map_err(|form| match form {
        Form::Empty => RatioError::Empty,
        Form::NotANumber => RatioError::NotANumber,
        Form::LeadingZero => RatioError::LeadingZero,
        Form::TooManyDecimals => RatioError::TooManyDecimals,
        Form::TooLarge => RatioError::TooLarge,
    })
}

/// The highest annual rate a deployment accepts for a fund's fee and
/// penalty, a federation's placement rate and spread, a subsidy scheme's
/// fixed rate and a guaranteed loan's rate (`huzhu serve --max-rate-annual`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateCeiling(Decimal);

impl Default for RateCeiling {
    fn default() -> Self {
        Self(Decimal::new(DEFAULT_MAX_RATE_ANNUAL_PERCENT, 2))
    }
}

/// A rate above the deployment's ceiling; the text says which limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be at most {percent}% a year (the deployment's --max-rate-annual)")]
pub struct AboveCeiling {
    percent: Decimal,
}

impl RateCeiling {
    /// A ceiling in the rate grammar, above 0 and at most 1 (100% a year).
    pub fn parse(text: &str) -> Result<Self, String> {
        let annual = parse_ratio(text).map_err(|e| format!("{text:?} {e}"))?;
        if annual <= Decimal::ZERO || annual > Decimal::ONE {
            return Err(format!(
                "{text:?} must be above 0 and at most 1 (100% a year)"
            ));
        }
        Ok(Self(annual))
    }

    pub fn annual(self) -> Decimal {
        self.0
    }

    /// Refuses an annual rate above the ceiling.
    pub fn check(self, rate_annual: Decimal) -> Result<(), AboveCeiling> {
        if rate_annual > self.0 {
            return Err(AboveCeiling {
                percent: (self.0 * Decimal::ONE_HUNDRED).normalize(),
            });
        }
        Ok(())
    }
}

/// An amount of yuan as a posting in fen: > 0, whole fen, at most the
/// posting limit. Computed amounts are rounded before they get here.
pub fn to_fen(value: Decimal) -> Result<i64, AmountError> {
    if value <= Decimal::ZERO {
        return Err(AmountError::NotPositive);
    }
    if value.normalize().scale() > 2 {
        return Err(AmountError::TooManyDecimals);
    }
    let fen = value
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|f| f.to_i64())
        .ok_or(AmountError::TooLarge)?;
    if fen > MAX_POSTING_FEN {
        return Err(AmountError::TooLarge);
    }
    Ok(fen)
}

/// Exact conversion of a fen count to yuan.
pub fn fen_to_decimal(fen: i128) -> Decimal {
    Decimal::from_i128_with_scale(fen, 2)
}

/// Formats fen as yuan with exactly two places ("-12.30").
pub fn format_fen(fen: i128) -> String {
    let mut d = fen_to_decimal(fen);
    d.rescale(2);
    d.to_string()
}

/// Formats an amount of yuan with exactly two places; rounds half-up first if
/// it has more (it never should: amounts are kept to the fen).
pub fn format_yuan(amount: Decimal) -> String {
    let mut d = round_to_fen(amount);
    d.rescale(2);
    d.to_string()
}

/// Rounds a yuan amount half-up to the fen (四舍五入). The only rounding rule.
pub fn round_to_fen(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The whole fen of a cap (ratio × fund balance), cut down, never rounded:
/// an amount kept to the fen is within a cap exactly when it is within this.
pub fn floor_to_fen(cap: Decimal) -> Decimal {
    cap.round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity)
}

/// `value` for people: rounded half-up to `places`, thousands separated by
/// commas ("1234567.891", 2 → "1,234,567.89"; -1000 → "-1,000.00"). Pages
/// and tables write amounts and percentages only through this.
pub fn grouped(value: Decimal, places: u32) -> String {
    let mut v = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(places);
    let sign = if v.is_sign_negative() && !v.is_zero() {
        "-"
    } else {
        ""
    };
    let text = v.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A ratio (a fraction: 0.2076) as a percentage with two places, "20.76%".
pub fn percent_text(ratio: Decimal) -> String {
    format!("{}%", grouped(ratio * Decimal::ONE_HUNDRED, 2))
}

/// Places a ratio (a leverage, a default ratio, PAR30) is kept to (0.0001 = 0.01%).
pub const RATIO_PLACES: u32 = 4;

/// Rounds a ratio half-up to [`RATIO_PLACES`] places, without trailing zeros;
/// rules compare the exact ratio.
pub fn round_ratio(ratio: Decimal) -> Decimal {
    ratio
        .round_dp_with_strategy(RATIO_PLACES, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_for_people_half_up_with_thousands() {
        let d = |t: &str| t.parse::<Decimal>().unwrap();
        assert_eq!(grouped(d("1234567.891"), 2), "1,234,567.89");
        assert_eq!(grouped(d("-1000"), 2), "-1,000.00");
        assert_eq!(grouped(d("999.995"), 2), "1,000.00");
        assert_eq!(grouped(d("-0.001"), 2), "0.00", "no sign on a zero");
        assert_eq!(grouped(d("123456"), 0), "123,456");
        assert_eq!(percent_text(d("0.2076")), "20.76%");
        assert_eq!(percent_text(d("12.5")), "1,250.00%");
    }

    #[test]
    fn parses_yuan_to_fen() {
        assert_eq!(parse_posting_amount("1234.5"), Ok(123_450));
        assert_eq!(parse_posting_amount("0.01"), Ok(1));
        assert_eq!(parse_posting_amount("0.50"), Ok(50));
        assert_eq!(parse_posting_amount("7"), Ok(700));
        assert_eq!(parse_posting_amount("1000000000.00"), Ok(100_000_000_000));
        assert_eq!(parse_yuan("0"), Ok(Decimal::ZERO));
    }

    #[test]
    fn refuses_bad_amounts_by_rule() {
        use AmountError::*;
        for (text, why) in [
            ("", Empty),
            (" 12.00", NotANumber),
            ("12.00 ", NotANumber),
            ("+12.00", NotANumber),
            ("-5.00", NotANumber),
            ("1e5", NotANumber),
            ("1,000.00", NotANumber),
            ("１２", NotANumber),
            ("abc", NotANumber),
            (".5", NotANumber),
            ("12.", NotANumber),
            ("1.2.3", NotANumber),
            ("007.00", LeadingZero),
            ("00", LeadingZero),
            ("0", NotPositive),
            ("0.00", NotPositive),
            ("1.005", TooManyDecimals),
            ("12.300", TooManyDecimals),
            ("1000000000.01", TooLarge),
            ("9999999999", TooLarge),
            ("99999999999999999999999999", TooLarge),
        ] {
            assert_eq!(parse_posting_amount(text), Err(why), "{text:?}");
        }
    }

    #[test]
    fn the_largest_amount_fits_the_digits_scanned() {
        let largest = format_fen(MAX_POSTING_FEN.into());
        assert_eq!(
            largest.split_once('.').unwrap().0.len(),
            AMOUNT_INTEGER_DIGITS
        );
    }

    #[test]
    fn ratios_share_the_grammar() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(parse_ratio("0.0435"), Ok(d("0.0435")));
        assert_eq!(parse_ratio("8.5"), Ok(d("8.5")));
        assert_eq!(parse_ratio("0"), Ok(Decimal::ZERO));
        assert_eq!(parse_ratio("0.123456"), Ok(d("0.123456")));
        use RatioError::*;
        for (text, why) in [
            ("", Empty),
            ("1e-2", NotANumber),
            ("+0.1", NotANumber),
            ("-0.1", NotANumber),
            (" 0.1", NotANumber),
            ("0.1 ", NotANumber),
            ("5%", NotANumber),
            ("０.１", NotANumber),
            ("00.5", LeadingZero),
            ("08.5", LeadingZero),
            ("0.1234567", TooManyDecimals),
            ("1000", TooLarge),
            ("99999999999999999999999999", TooLarge),
        ] {
            assert_eq!(parse_ratio(text), Err(why), "{text:?}");
        }
    }

    #[test]
    fn a_rate_ceiling_refuses_above_it() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let ceiling = RateCeiling::default();
        assert_eq!(ceiling.annual(), d("0.24"));
        assert_eq!(ceiling.check(d("0.24")), Ok(()));
        let refused = ceiling.check(d("0.2401")).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "must be at most 24% a year (the deployment's --max-rate-annual)"
        );
        let lower = RateCeiling::parse("0.185").unwrap();
        assert!(lower
            .check(d("0.19"))
            .unwrap_err()
            .to_string()
            .contains("18.5%"));
        assert!(RateCeiling::parse("0").is_err());
        assert!(RateCeiling::parse("1.5").is_err());
        assert!(RateCeiling::parse("24%").is_err());
        assert_eq!(RateCeiling::parse("1").unwrap().annual(), Decimal::ONE);
    }

    #[test]
    fn formats_with_two_places() {
        assert_eq!(format_fen(0), "0.00");
        assert_eq!(format_fen(123_450), "1234.50");
        assert_eq!(format_fen(-1), "-0.01");
    }

    #[test]
    fn yuan_show_two_places() {
        assert_eq!(format_yuan(Decimal::from(3000)), "3000.00");
        assert_eq!(format_yuan(Decimal::new(5, 1)), "0.50");
    }

    #[test]
    fn rounds_half_up_at_the_fen() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(round_to_fen(d("2.345")), d("2.35"));
        assert_eq!(round_to_fen(d("2.344999")), d("2.34"));
        assert_eq!(round_to_fen(d("-2.345")), d("-2.35"));
        assert_eq!(round_to_fen(d("0.005")), d("0.01"));
        assert_eq!(round_ratio(d("0.08163265")), d("0.0816"));
        assert_eq!(round_ratio(d("0.00005")), d("0.0001"));
    }

    #[test]
    fn caps_are_cut_down_to_the_fen() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // 1:8.55 on 1,000,000.01 is 8,550,000.0855: 8,550,000.08 fits, .09 not.
        assert_eq!(floor_to_fen(d("8550000.0855")), d("8550000.08"));
        assert_eq!(floor_to_fen(d("8500000")), d("8500000"));
    }
}
