//! Value dates and accounting periods (months).
use chrono::{Datelike, Duration, FixedOffset, NaiveDate, Utc};

use super::limits::MIN_VALUE_DATE;

/// Business dates are those of China Standard Time (UTC+8), whatever the server's zone.
pub fn business_today() -> NaiveDate {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    Utc::now().with_timezone(&cst).date_naive()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("is not a date of the form YYYY-MM-DD")]
    Malformed,
    #[error("is before {MIN_VALUE_DATE}, the earliest date the ledger accepts")]
    TooEarly,
    #[error("is not a month of the form YYYY-MM")]
    MalformedPeriod,
}

/// Parses an ISO date and applies the ledger's lower bound.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let date =
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| DateError::Malformed)?;
    if text.trim().len() != 10 {
        return Err(DateError::Malformed);
    }
    let min = NaiveDate::parse_from_str(MIN_VALUE_DATE, "%Y-%m-%d").expect("constant is a date");
    if date < min {
        return Err(DateError::TooEarly);
    }
    Ok(date)
}

/// Parses a month "YYYY-MM" and returns its last day.
pub fn parse_period_end(text: &str) -> Result<NaiveDate, DateError> {
    let t = text.trim();
    if t.len() != 7 {
        return Err(DateError::MalformedPeriod);
    }
    let first = NaiveDate::parse_from_str(&format!("{t}-01"), "%Y-%m-%d")
        .map_err(|_| DateError::MalformedPeriod)?;
    Ok(month_end(first))
}

/// Last day of the month containing `date`.
pub fn month_end(date: NaiveDate) -> NaiveDate {
    let (y, m) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("first of a month exists") - Duration::days(1)
}

/// Days from `from` to `to` (negative when `to` is earlier).
pub fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// "Past due more than `days` days" (DOMAIN.md §2), the one comparison
/// behind the 90+ bucket, PAR30 and PAR90, a bank's claim after its
/// threshold and the default ratio: a loan whose oldest unpaid installment
/// is `days_past_due` days past due is past due more than 90 days from day
/// 91 on, never on day 90.
pub fn past_due_more_than(days_past_due: i64, days: i64) -> bool {
    days_past_due > days
}

/// Compact, order-preserving day number used in storage keys.
pub fn day_number(date: NaiveDate) -> u32 {
    u32::try_from(date.num_days_from_ce()).expect("dates after year 1 have positive day numbers")
}

pub fn from_day_number(day: u32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day as i32).expect("stored day numbers are valid dates")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ends() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(month_end(d("2024-02-10")), d("2024-02-29"));
        assert_eq!(month_end(d("2025-02-01")), d("2025-02-28"));
        assert_eq!(month_end(d("2025-12-31")), d("2025-12-31"));
        assert_eq!(parse_period_end("2025-04"), Ok(d("2025-04-30")));
        assert_eq!(parse_period_end("2025-4"), Err(DateError::MalformedPeriod));
        assert_eq!(parse_period_end("2025-13"), Err(DateError::MalformedPeriod));
    }

    #[test]
    fn parses_dates_strictly() {
        assert!(parse_date("2025-03-31").is_ok());
        assert_eq!(parse_date("2025-02-30"), Err(DateError::Malformed));
        assert_eq!(parse_date("2025-3-1"), Err(DateError::Malformed));
        assert_eq!(parse_date("1999-12-31"), Err(DateError::TooEarly));
    }

    #[test]
    fn past_due_more_than_90_days_starts_on_day_91() {
        assert!(!past_due_more_than(90, 90));
        assert!(past_due_more_than(91, 90));
        assert!(!past_due_more_than(0, 0));
        assert!(past_due_more_than(1, 0));
    }

    #[test]
    fn day_numbers_round_trip_and_order() {
        let a = parse_date("2025-01-31").unwrap();
        let b = parse_date("2025-02-01").unwrap();
        assert_eq!(day_number(b), day_number(a) + 1);
        assert_eq!(from_day_number(day_number(a)), a);
    }
}
