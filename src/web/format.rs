//! How the web client writes numbers and dates for people: amounts as
//! ¥1,234.56, large sums on dashboards in 万元, ratios as percentages
//! (0.2076 → 20.76%), dates through the catalog (2025年3月31日). The one
//! place pages format; the wire's decimal strings come in, text goes out.
use chrono::{Datelike, NaiveDate};
use fluent_bundle::FluentValue;
use rust_decimal::Decimal;

use crate::domain::money::{grouped, percent_text};

use crate::i18n::Lang;

/// What a missing value (an empty ratio, an unparsable amount) shows.
pub const MISSING: &str = "—";

/// An amount of yuan from the wire ("1234.5") as ¥1,234.50; a negative one
/// as -¥1,234.50.
pub fn yuan(amount: &str) -> String {
    match amount.trim().parse::<Decimal>() {
        Ok(d) => yuan_decimal(d),
        Err(_) => MISSING.to_string(),
    }
}

/// An amount as ¥1,234.56, rounded half-up to the fen.
pub fn yuan_decimal(amount: Decimal) -> String {
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}¥{}", grouped(amount.abs(), 2))
}

/// A large sum for a dashboard: in Chinese ¥12.35万元 (10,000 yuan, two
/// places, half-up) from 10,000 yuan on, below that ¥1,234.56; in English
/// always ¥123,456.78.
pub fn dashboard_yuan(amount: &str, lang: Lang) -> String {
    let Ok(d) = amount.trim().parse::<Decimal>() else {
        return MISSING.to_string();
    };
    if lang == Lang::Zh && d.abs() >= Decimal::from(10_000) {
        let sign = if d.is_sign_negative() { "-" } else { "" };
        let wan = d.abs() / Decimal::from(10_000);
        format!("{sign}¥{}{}", grouped(wan, 2), lang.t("wan"))
    } else {
        yuan_decimal(d)
    }
}

/// A ratio from the wire ("0.2076") as a percentage with two places
/// (20.76%); an empty ratio (no denominator) as —.
pub fn percent(ratio: &str) -> String {
    match ratio.trim().parse::<Decimal>() {
        Ok(r) => percent_text(r),
        Err(_) => MISSING.to_string(),
    }
}

/// An ISO date from the wire in the language's long form; an empty or
/// malformed one as —.
pub fn date(iso: &str, lang: Lang) -> String {
    match NaiveDate::parse_from_str(iso.trim(), "%Y-%m-%d") {
        Ok(d) => date_of(d, lang),
        Err(_) => MISSING.to_string(),
    }
}

pub fn date_of(d: NaiveDate, lang: Lang) -> String {
    lang.t_args(
        "date",
        &[
            ("year", FluentValue::from(d.year().to_string())),
            ("month", FluentValue::from(d.month())),
            ("day", FluentValue::from(d.day().to_string())),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_yuan_with_thousands_and_two_places() {
        assert_eq!(yuan("1234.56"), "¥1,234.56");
        assert_eq!(yuan("1234.5"), "¥1,234.50");
        assert_eq!(yuan("0"), "¥0.00");
        assert_eq!(yuan("999"), "¥999.00");
        assert_eq!(yuan("1000"), "¥1,000.00");
        assert_eq!(yuan("1234567.891"), "¥1,234,567.89");
        assert_eq!(yuan("0.005"), "¥0.01", "half-up to the fen");
        assert_eq!(yuan("-250.00"), "-¥250.00");
        assert_eq!(yuan(""), MISSING);
        assert_eq!(yuan("abc"), MISSING);
    }

    #[test]
    fn large_sums_on_dashboards_in_wan_yuan() {
        // 1,234,567.89 / 10,000 = 123.456789 → 123.46
        assert_eq!(dashboard_yuan("1234567.89", Lang::Zh), "¥123.46万元");
        assert_eq!(dashboard_yuan("10000", Lang::Zh), "¥1.00万元");
        // 12,345,000 / 10,000 = 1,234.5
        assert_eq!(dashboard_yuan("12345000", Lang::Zh), "¥1,234.50万元");
        assert_eq!(dashboard_yuan("9999.99", Lang::Zh), "¥9,999.99");
        assert_eq!(dashboard_yuan("1234567.89", Lang::En), "¥1,234,567.89");
    }

    #[test]
    fn ratios_as_percentages() {
        assert_eq!(percent("0.2076"), "20.76%");
        assert_eq!(percent("0.05"), "5.00%");
        assert_eq!(percent("1"), "100.00%");
        assert_eq!(percent("12.5"), "1,250.00%");
        assert_eq!(percent("0.00005"), "0.01%", "half-up");
        assert_eq!(percent(""), MISSING, "no denominator");
    }

    #[test]
    fn dates_in_the_language_of_the_page() {
        assert_eq!(date("2025-03-31", Lang::Zh), "2025年3月31日");
        assert_eq!(date("2025-03-31", Lang::En), "31 Mar 2025");
        assert_eq!(date("2024-12-01", Lang::En), "1 Dec 2024");
        assert_eq!(date("", Lang::Zh), MISSING);
    }
}
