//! Worked cases of the chart rules.
use super::*;

#[test]
fn charts_have_unique_codes() {
    for kind in [BookKind::Fund, BookKind::Federation, BookKind::Program] {
        let chart = chart_of(kind);
        for (i, a) in chart.iter().enumerate() {
            assert!(
                chart[i + 1..].iter().all(|b| b.code != a.code),
                "{kind:?} {}",
                a.code
            );
        }
    }
}

#[test]
fn federation_chart_has_no_household_accounts() {
    for l in FEDERATION_CHART {
        assert!(l.sub_kinds.iter().all(|k| !k.is_household()), "{}", l.code);
    }
    let placements = chart_line(BookKind::Federation, "1301").unwrap();
    assert_eq!(
        check_sub_account(BookKind::Federation, placements, "member:M1"),
        Err(SubAccountError::HouseholdInFederation)
    );
    assert_eq!(
        check_sub_account(BookKind::Federation, placements, "fund:xiaocun"),
        Ok(SubKind::Fund)
    );
    assert!(household_in_federation(BookKind::Federation, "loan:L1"));
    assert!(household_in_federation(
        BookKind::Federation,
        "household:H1"
    ));
    assert!(!household_in_federation(BookKind::Federation, "fund:a"));
    assert!(!household_in_federation(BookKind::Fund, "loan:L1"));
}

#[test]
fn sub_accounts_follow_the_chart() {
    let loans = chart_line(BookKind::Fund, "1201").unwrap();
    assert_eq!(
        check_sub_account(BookKind::Fund, loans, "loan:L-1"),
        Ok(SubKind::Loan)
    );
    assert!(matches!(
        check_sub_account(BookKind::Fund, loans, "member:M1"),
        Err(SubAccountError::KindNotAllowed { .. })
    ));
    assert_eq!(
        check_sub_account(BookKind::Fund, loans, "loan:"),
        Err(SubAccountError::Malformed)
    );
    assert_eq!(
        check_sub_account(BookKind::Fund, loans, "loan:a b"),
        Err(SubAccountError::Malformed)
    );
    // A program owes a bank loan's subsidy to the borrower's household.
    let payable = chart_line(BookKind::Program, "2201").unwrap();
    assert_eq!(
        check_sub_account(BookKind::Program, payable, "household:H-B1"),
        Ok(SubKind::Household)
    );
    let cash = chart_line(BookKind::Fund, "1001").unwrap();
    assert!(cash.non_negative);
    assert!(check_sub_account(BookKind::Fund, cash, "member:M1").is_err());
}
