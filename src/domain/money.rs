//! Money: exact decimals in yuan at the edges, exact integer fen inside the ledger.
//!
//! This module is the one place where amounts are parsed, formatted and rounded.
//! Rounding is half-up (四舍五入) at the fen, applied only where a rule says so.
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

use super::limits::MAX_POSTING_FEN;

/// Why an amount string was refused; the text names the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("is not a decimal number of yuan like \"1234.50\"")]
    NotANumber,
    #[error("must be greater than zero")]
    NotPositive,
    #[error("has more than two decimal places (the smallest unit is the fen, 0.01)")]
    TooManyDecimals,
    #[error("exceeds the largest accepted amount of 1000000000.00")]
    TooLarge,
}

/// Parses a posting amount: a decimal string, > 0, at most 2 places, at most the
/// posting limit. Returns the amount in fen.
pub fn parse_posting_amount(text: &str) -> Result<i64, AmountError> {
    let trimmed = text.trim();
    if trimmed.is_empty()
        || !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
    {
        return Err(AmountError::NotANumber);
    }
    let value = Decimal::from_str(trimmed).map_err(|_| AmountError::NotANumber)?;
    to_fen(value)
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
    fn parses_yuan_to_fen() {
        assert_eq!(parse_posting_amount("1234.5"), Ok(123_450));
        assert_eq!(parse_posting_amount("0.01"), Ok(1));
        assert_eq!(parse_posting_amount("7"), Ok(700));
        assert_eq!(parse_posting_amount("1000000000.00"), Ok(100_000_000_000));
        assert_eq!(parse_posting_amount("12.300"), Ok(1_230));
    }

    #[test]
    fn refuses_bad_amounts_by_rule() {
        assert_eq!(parse_posting_amount("0"), Err(AmountError::NotPositive));
        assert_eq!(parse_posting_amount("0.00"), Err(AmountError::NotPositive));
        assert_eq!(parse_posting_amount("-5.00"), Err(AmountError::NotPositive));
        assert_eq!(
            parse_posting_amount("1.005"),
            Err(AmountError::TooManyDecimals)
        );
        assert_eq!(
            parse_posting_amount("1000000000.01"),
            Err(AmountError::TooLarge)
        );
        assert_eq!(parse_posting_amount("1e5"), Err(AmountError::NotANumber));
        assert_eq!(parse_posting_amount(""), Err(AmountError::NotANumber));
        assert_eq!(parse_posting_amount("abc"), Err(AmountError::NotANumber));
        assert_eq!(
            parse_posting_amount("99999999999999999999999999"),
            Err(AmountError::TooLarge)
        );
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
