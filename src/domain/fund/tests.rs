//! Worked cases of the fund rules.
use super::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn joining(birth: &str, on: &str, status: PovertyStatus) -> Joining {
    Joining {
        member_id: "M1".into(),
        household_id: "H1".into(),
        name: "Li Hua".into(),
        birth_date: date(birth),
        resident: true,
        status: StatusChange::from_status(date(on), status, None, String::new()),
    }
}

#[test]
fn the_default_rules_are_the_field_defaults_and_valid() {
    let r = FundRules::default();
    assert_eq!(
        (r.first_loan_max, r.loan_max, r.term_max_months),
        (Decimal::from(10_000), Decimal::from(20_000), 12)
    );
    assert_eq!(r.leave_notice_months, 2);
    r.validate().unwrap();
    let mut no_dividends = r.clone();
    no_dividends.distribution.dividends = Decimal::ZERO;
    no_dividends.distribution.risk = Decimal::new(70, 2);
    no_dividends.validate().unwrap();
    let mut bad = r.clone();
    bad.distribution.dividends = Decimal::new(50, 2);
    assert!(
        matches!(bad.validate(), Err(FundError::Invalid { field, .. }) if field == "rules.distribution")
    );
    let mut bad = r;
    bad.first_loan_max = Decimal::from(20_001);
    assert!(
        matches!(bad.validate(), Err(FundError::Invalid { field, .. }) if field == "rules.first_loan_max")
    );
}

#[test]
fn age_counts_full_years() {
    assert_eq!(age_on(date("2007-03-02"), date("2025-03-01")), 17);
    assert_eq!(age_on(date("2007-03-01"), date("2025-03-01")), 18);
    assert_eq!(age_on(date("2008-02-29"), date("2026-02-28")), 17);
}

#[test]
fn joining_checks_age_residence_household_and_status() {
    let rules = FundRules::default();
    let under = join(
        &rules,
        joining("2007-03-02", "2025-03-01", PovertyStatus::None),
        None,
    );
    assert!(matches!(
        under,
        Err(FundError::Rule {
            rule: rule::MEMBER_AGE,
            ..
        })
    ));
    let m = join(
        &rules,
        joining("2007-03-01", "2025-03-01", PovertyStatus::None),
        None,
    )
    .unwrap();
    assert_eq!(m.joined, date("2025-03-01"));
    let twice = join(
        &rules,
        joining("1980-01-01", "2025-03-01", PovertyStatus::None),
        Some(&m),
    );
    assert!(matches!(
        twice,
        Err(FundError::Rule {
            rule: rule::ONE_PER_HOUSEHOLD,
            ..
        })
    ));
    let mut away = joining("1980-01-01", "2025-03-01", PovertyStatus::None);
    away.resident = false;
    assert!(matches!(
        join(&rules, away, None),
        Err(FundError::Rule {
            rule: rule::MEMBER_RESIDENT,
            ..
        })
    ));
    let monitored = join(
        &rules,
        joining("1980-01-01", "2025-03-01", PovertyStatus::MonitoredEdge),
        None,
    );
    assert!(matches!(
        monitored,
        Err(FundError::Rule {
            rule: rule::MONITORED_CAUSE,
            ..
        })
    ));
}

#[test]
fn shares_come_in_whole_units_and_allocations_only_to_registered_poor() {
    let rules = FundRules::default();
    let poor = join(
        &rules,
        joining("1970-05-05", "2025-03-01", PovertyStatus::RegisteredPoor),
        None,
    )
    .unwrap();
    assert!(buy_shares(&rules, &poor, Decimal::ZERO, Decimal::from(300)).is_ok());
    assert!(matches!(
        buy_shares(&rules, &poor, Decimal::ZERO, Decimal::from(150)),
        Err(FundError::Rule {
            rule: rule::SHARE_MULTIPLE,
            ..
        })
    ));
    assert!(allocate_shares(&rules, &poor, Decimal::from(500)).is_ok());
    let later = change_status(
        &poor,
        StatusChange::from_status(date("2025-06-01"), PovertyStatus::None, None, String::new()),
    )
    .unwrap();
    assert_eq!(later.status_history.len(), 2);
    assert!(matches!(
        allocate_shares(&rules, &later, Decimal::from(500)),
        Err(FundError::Rule {
            rule: rule::ALLOCATED_FOR_POOR,
            ..
        })
    ));
    let earlier = StatusChange::from_status(
        date("2025-05-01"),
        PovertyStatus::LowIncome,
        None,
        String::new(),
    );
    assert!(matches!(
        change_status(&later, earlier),
        Err(FundError::Rule {
            rule: rule::STATUS_DATE_ORDER,
            ..
        })
    ));
}

#[test]
fn leaving_needs_notice_and_no_debt() {
    let rules = FundRules::default();
    let m = join(
        &rules,
        joining("1970-05-05", "2025-01-10", PovertyStatus::None),
        None,
    )
    .unwrap();
    // Notice on March 31: two months later is May 31.
    let early = leave(
        &rules,
        &m,
        date("2025-03-31"),
        date("2025-05-30"),
        Decimal::ZERO,
    );
    assert!(matches!(
        early,
        Err(FundError::Rule {
            rule: rule::LEAVE_NOTICE,
            ..
        })
    ));
    let owing = leave(
        &rules,
        &m,
        date("2025-03-31"),
        date("2025-05-31"),
        Decimal::new(1, 2),
    );
    assert!(matches!(
        owing,
        Err(FundError::Rule {
            rule: rule::LEAVE_WITHOUT_DEBT,
            ..
        })
    ));
    let gone = leave(
        &rules,
        &m,
        date("2025-03-31"),
        date("2025-05-31"),
        Decimal::ZERO,
    )
    .unwrap();
    assert_eq!(gone.left, Some(date("2025-05-31")));
    assert!(matches!(
        buy_shares(&rules, &gone, Decimal::ZERO, Decimal::from(100)),
        Err(FundError::Rule {
            rule: rule::MEMBER_ACTIVE,
            ..
        })
    ));
}

#[test]
fn guarantee_groups_have_about_five_households_each_in_one_group() {
    let rules = FundRules::default();
    let m = |id: &str| {
        let mut j = joining("1970-05-05", "2025-01-10", PovertyStatus::None);
        j.member_id = id.into();
        join(&rules, j, None).unwrap()
    };
    let five: Vec<(Member, Option<String>)> = ["A", "B", "C", "D", "E"]
        .iter()
        .map(|id| (m(id), None))
        .collect();
    let g = form_group(&rules, "G1", &five, date("2025-02-01")).unwrap();
    assert_eq!(g.members, ["A", "B", "C", "D", "E"]);
    assert!(matches!(
        form_group(&rules, "G2", &five[..2], date("2025-02-01")),
        Err(FundError::Rule {
            rule: rule::GROUP_SIZE,
            ..
        })
    ));
    let mut taken = five.clone();
    taken[4].1 = Some("G0".into());
    assert!(matches!(
        form_group(&rules, "G2", &taken, date("2025-02-01")),
        Err(FundError::Rule {
            rule: rule::ONE_GROUP,
            ..
        })
    ));
    let mut twice = five.clone();
    twice[4] = twice[0].clone();
    assert!(matches!(
        form_group(&rules, "G2", &twice, date("2025-02-01")),
        Err(FundError::Invalid { .. })
    ));
}

/// A store written before the flags holds one status and a free-text cause:
/// it reads as the flags it meant, and rules without the setting as before.
#[test]
fn records_written_before_the_flags_read_as_they_meant() {
    use crate::domain::household::{Flag, RiskCause};
    let old = r#"{"date":"2025-01-10","status":"Dibao","risk_cause":""}"#;
    let c: StatusChange = serde_json::from_str(old).unwrap();
    assert_eq!(c.household().label(), "dibao");
    assert!(c.household().has(Flag::LowIncome));
    let monitored = r#"{"date":"2025-01-10","status":"MonitoredEdge","risk_cause":"flood"}"#;
    let c: StatusChange = serde_json::from_str(monitored).unwrap();
    assert!(c.household().has(Flag::Monitored));
    assert_eq!(c.household().cause(), Some(RiskCause::Other));
    let mut rules = serde_json::to_value(FundRules::default()).unwrap();
    rules.as_object_mut().unwrap().remove("allocation_eligible");
    let rules: FundRules = serde_json::from_value(rules).unwrap();
    assert!(rules.allocation_eligible.is_empty());
}

/// A fund stored before the day count existed has no `day_count`: it reads
/// as months and days, today's arithmetic.
#[test]
fn rules_stored_before_read_with_the_old_defaults() {
    let mut stored = serde_json::to_value(FundRules::default()).unwrap();
    let fields = stored.as_object_mut().unwrap();
    fields
        .remove("day_count")
        .expect("the rules carry their day count");
    let read: FundRules = serde_json::from_value(stored).unwrap();
    assert_eq!(read.day_count, DayCount::MonthsAndDays);
    assert_eq!(read, FundRules::default());
}
