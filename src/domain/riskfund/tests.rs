//! Worked cases of the riskfund rules.
use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn rules(ratio: u32) -> ProgramRules {
    ProgramRules::new(ratio.into(), "rcc".into())
}

fn registration(id: &str, principal: &str, method: Method) -> Registration {
    Registration {
        flags: Vec::new(),
        cause: None,
        subsidy_only: false,
        purpose: None,
        loan_id: id.into(),
        household_id: format!("H-{id}"),
        borrower_name: "Li".into(),
        poverty_status: PovertyStatus::RegisteredPoor,
        birth_date: d("1980-05-01"),
        principal: dec(principal),
        term_months: 12,
        rate_annual: dec("0.0435"),
        method,
        date: d("2025-01-10"),
    }
}

fn standing(fund: &str, exposure: &str) -> Standing {
    Standing {
        fund_balance: dec(fund),
        exposure: dec(exposure),
        principal_in_default: Decimal::ZERO,
        portfolio: dec(exposure),
        business_exposure: Decimal::ZERO,
    }
}

/// A registration the ledger computes the schedule of.
fn register_computed(
    r: &ProgramRules,
    reg: Registration,
    s: Standing,
) -> Result<GuaranteedLoan, FundError> {
    register(r, reg, &[], s)
}

fn rule_of(e: FundError) -> &'static str {
    match e {
        FundError::Rule { rule, .. } => rule,
        FundError::Invalid { field, .. } => panic!("invalid {field}"),
    }
}

#[test]
fn ratio_is_7_to_10_to_two_places() {
    for ratio in ["7", "10", "8.5", "7.25"] {
        let r = ProgramRules::new(dec(ratio), "rcc".into());
        assert!(r.validate().is_ok(), "{ratio}");
    }
    for ratio in ["6", "11", "0", "6.99", "10.01", "8.555"] {
        let r = ProgramRules::new(dec(ratio), "rcc".into());
        assert!(
            matches!(
                r.validate(),
                Err(FundError::Invalid { field, .. }) if field == "rules.leverage_ratio"
            ),
            "{ratio}"
        );
    }
    // 1:8.5 on 100,000.01: 850,000.085, down to the fen 850,000.08.
    let r = ProgramRules::new(dec("8.5"), "rcc".into());
    assert_eq!(r.capacity(dec("100000.01")), dec("850000.08"));
    assert_eq!((r.whole_ratio(), rules(7).whole_ratio()), (0, 7));
}

#[test]
fn a_program_may_lower_the_national_caps_never_raise_them() {
    let field_of = |r: &ProgramRules| match r.validate() {
        Err(FundError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    let mut r = rules(8);
    assert_eq!((r.principal_max, r.term_max_months), (dec("50000"), 36));
    r.principal_max = dec("50000.01");
    assert_eq!(field_of(&r), "rules.principal_max");
    r.principal_max = dec("30000");
    r.term_max_months = 37;
    assert_eq!(field_of(&r), "rules.term_max_months");
    // 罗田: 30,000 for at most 24 months.
    r.term_max_months = 24;
    assert!(r.validate().is_ok());
    let s = standing("1000000", "0");
    let mut a = registration("A", "30000.01", Method::Bullet);
    assert_eq!(
        rule_of(register_computed(&r, a.clone(), s).unwrap_err()),
        rule::PRINCIPAL_MAX
    );
    a.principal = dec("30000");
    a.term_months = 25;
    assert_eq!(
        rule_of(register_computed(&r, a.clone(), s).unwrap_err()),
        rule::TERM_MAX
    );
    a.term_months = 24;
    assert!(register_computed(&r, a, s).is_ok());
}

#[test]
fn stored_programs_read_with_the_old_defaults() {
    // A record written before decimal ratios, caps and day counts.
    let stored = r#"{"leverage_ratio":8,"fund_share":"0.70","claim_after_days":90,
        "suspend_above_default_ratio":"0.05","borrower_age_max":60,
        "compensate_interest":false,"bank_id":"rcc"}"#;
    let r: ProgramRules = serde_json::from_str(stored).unwrap();
    assert_eq!(r, rules(8));
    assert_eq!(
        r.day_count,
        crate::domain::daycount::DayCount::MonthsAndDays
    );
    // Written now, the ratio is text and reads back.
    let mut decimal = rules(8);
    decimal.leverage_ratio = dec("8.5");
    let json = serde_json::to_string(&decimal).unwrap();
    assert!(json.contains(r#""leverage_ratio":"8.5""#), "{json}");
    assert_eq!(
        serde_json::from_str::<ProgramRules>(&json).unwrap(),
        decimal
    );
}

#[test]
fn a_loan_for_a_subsidy_only_is_outside_the_guarantee() {
    // 100,000 for a tea garden (茶园), above the guaranteed maximum, on a
    // fund with no headroom and lending suspended: none of it applies.
    let r = rules(10);
    let full = Standing {
        principal_in_default: dec("100000"),
        portfolio: dec("1000000"),
        ..standing("100000", "1000000")
    };
    assert!(full.suspended(&r));
    let mut tea = registration("T", "100000", Method::Bullet);
    tea.subsidy_only = true;
    let l = register_computed(&r, tea.clone(), full).unwrap();
    assert_eq!((l.exposure(), l.guaranteed()), (Decimal::ZERO, false));
    // Past due more than 90 days it is still no default, and no claim.
    let late = d("2026-04-20");
    assert!(l.past_threshold(&r, late));
    assert_eq!(l.principal_in_default(&r, late), Decimal::ZERO);
    let s = Standing::of(
        &r,
        std::slice::from_ref(&l),
        dec("100000"),
        Decimal::ZERO,
        late,
    );
    assert_eq!(
        (s.portfolio, s.default_ratio()),
        (Decimal::ZERO, Decimal::ZERO)
    );
    assert_eq!(
        rule_of(claim(&r, &l, late).unwrap_err()),
        rule::CLAIM_NEEDS_GUARANTEE
    );
    // The bank reports its repayments as on any loan: the payoff closes it.
    assert_eq!(l.outstanding(), dec("100000"));
    let paid = repay(&l, dec("100000"), dec("4350"), d("2026-01-10")).unwrap();
    assert_eq!(
        (paid.state, paid.outstanding()),
        (GuaranteeState::Closed, Decimal::ZERO)
    );
    // Its bounds are the ledger's: a term the ledger computes schedules for.
    tea.term_months = 121;
    let e = register_computed(&r, tea, full).unwrap_err();
    assert!(matches!(e, FundError::Invalid { field, .. } if field == "term_months"));
}

#[test]
fn the_share_of_exposure_businesses_use() {
    // 30,000 used by a cooperative (户贷企用) of 80,000 guaranteed: 0.375.
    let r = rules(10);
    let s = standing("1000000", "0");
    let mut coop = registration("A", "30000", Method::Bullet);
    coop.purpose = Some(Purpose {
        category: PurposeCategory::Processing,
        business: Some("Tea cooperative".into()),
    });
    let mut own = registration("B", "50000", Method::Bullet);
    own.purpose = Some(Purpose {
        category: PurposeCategory::Livestock,
        business: None,
    });
    let loans = [
        register_computed(&r, coop, s).unwrap(),
        register_computed(&r, own, s).unwrap(),
    ];
    let st = Standing::of(&r, &loans, dec("1000000"), dec("80000"), d("2025-02-01"));
    assert_eq!(st.business_exposure, dec("30000"));
    assert_eq!(st.business_share(), Some(dec("0.375")));
    assert_eq!(standing("1000000", "0").business_share(), None);
}

#[test]
fn the_cap_is_exact_to_the_fen() {
    // 1:7 on 1,000,000: 6,950,000 outstanding leaves 50,000.00 of headroom.
    let r = rules(7);
    let s = standing("1000000", "6950000");
    assert!(register_computed(&r, registration("A", "50000", Method::Bullet), s).is_ok());
    let s = standing("1000000", "6950000.01");
    let e = register_computed(&r, registration("A", "50000", Method::Bullet), s).unwrap_err();
    assert_eq!(rule_of(e), rule::LEVERAGE_CAP);
    // Withdrawals: 6,950,000 needs 992,857.142857... of fund, so at most
    // 7,142.85 may leave (7 x 992,857.15 = 6,950,000.05; 7 x 992,857.14 =
    // 6,949,999.98).
    let s = standing("1000000", "6950000");
    assert!(check_withdrawal(&r, s, dec("7142.85")).is_ok());
    assert_eq!(
        rule_of(check_withdrawal(&r, s, dec("7142.86")).unwrap_err()),
        rule::LEVERAGE_CAP
    );
}

#[test]
fn eligibility_and_limits() {
    let r = rules(10);
    let s = standing("1000000", "0");
    let mut a = registration("A", "50000.01", Method::Bullet);
    assert_eq!(
        rule_of(register_computed(&r, a.clone(), s).unwrap_err()),
        rule::PRINCIPAL_MAX
    );
    a.principal = dec("50000");
    a.term_months = 37;
    assert_eq!(
        rule_of(register_computed(&r, a.clone(), s).unwrap_err()),
        rule::TERM_MAX
    );
    a.term_months = 36;
    assert!(register_computed(&r, a.clone(), s).is_ok());
    a.poverty_status = PovertyStatus::LowIncome;
    assert_eq!(
        rule_of(register_computed(&r, a.clone(), s).unwrap_err()),
        rule::ELIGIBLE
    );
    a.poverty_status = PovertyStatus::MonitoredEdge;
    assert!(register_computed(&r, a.clone(), s).is_ok());
    // 60 on the day is allowed, 61 is not.
    a.birth_date = d("1965-01-10");
    assert!(register_computed(&r, a.clone(), s).is_ok());
    a.birth_date = d("1964-01-10");
    assert_eq!(
        rule_of(register_computed(&r, a.clone(), s).unwrap_err()),
        rule::AGE_LIMIT
    );
}

#[test]
fn claim_compensation_recovery_and_the_default_ratio() {
    // 48,000 in 12 equal principal installments of 4,000 from Feb 10;
    // two paid, the third (Apr 10) not: on Jul 9 it is 90 days past due
    // (20 + 31 + 30 + 9), on Jul 10 91: past due more than 90 days.
    let mut r = rules(10);
    let l = register_computed(
        &r,
        registration("A", "48000", Method::EqualPrincipal),
        standing("1000000", "0"),
    )
    .unwrap();
    let fee = |k: usize| l.schedule[k].fee;
    let l = repay(&l, dec("4000"), fee(0), d("2025-02-10")).unwrap();
    let l = repay(&l, dec("4000"), fee(1), d("2025-03-10")).unwrap();
    assert_eq!(l.exposure(), dec("40000"));
    assert_eq!(l.oldest_unpaid(d("2025-07-09")), 3);
    assert_eq!(l.days_past_due(d("2025-07-09")), 90);
    let e = claim(&r, &l, d("2025-07-09")).unwrap_err();
    assert_eq!(rule_of(e), rule::CLAIM_THRESHOLD);
    // In default from day 91, with its 40,000 of exposure.
    assert_eq!(l.principal_in_default(&r, d("2025-07-09")), Decimal::ZERO);
    assert_eq!(l.principal_in_default(&r, d("2025-07-10")), dec("40000"));
    let c = claim(&r, &l, d("2025-07-10")).unwrap();
    let cl = c.claim.clone().unwrap();
    // 70% of the 40,000 unpaid principal.
    assert_eq!((cl.compensation, cl.days_past_due), (dec("28000.00"), 91));
    assert_eq!(c.exposure(), Decimal::ZERO);
    assert_eq!(
        rule_of(claim(&r, &c, d("2025-07-11")).unwrap_err()),
        rule::CLAIM_ONCE
    );
    // Recoveries: 20,000 gives the fund 28,000 x 20,000 / 40,000 = 14,000;
    // 7,000.01 more: cumulative round(28,000 x 27,000.01 / 40,000) =
    // round(18,900.007) = 18,900.01, so 4,900.01; the last 12,999.99
    // completes the loss and takes the remainder, 9,099.99.
    let (c, back) = recover(&c, dec("20000")).unwrap();
    assert_eq!(back, dec("14000.00"));
    assert_eq!(c.principal_in_default(&r, d("2025-08-01")), dec("20000"));
    let (c, back) = recover(&c, dec("7000.01")).unwrap();
    assert_eq!(back, dec("4900.01"));
    let e = recover(&c, dec("13000")).unwrap_err();
    assert_eq!(rule_of(e), rule::RECOVERY_AT_MOST_LOSS);
    let (c, back) = recover(&c, dec("12999.99")).unwrap();
    assert_eq!(back, dec("9099.99"));
    assert_eq!(c.claim.unwrap().recovered_to_fund, dec("28000.00"));
    // Covering interest: the Apr 10 to Jul 10 installments' interest is
    // due by Jul 10 (Jul 10's too), none paid.
    r.compensate_interest = true;
    let c = claim(&r, &l, d("2025-07-10")).unwrap().claim.unwrap();
    let interest: Decimal = (2..6).map(fee).sum();
    assert_eq!(c.unpaid_interest, interest);
    assert_eq!(
        c.compensation,
        round_to_fen((dec("40000") + interest) * dec("0.7"))
    );
}

#[test]
fn default_ratio_suspends_and_resumes() {
    // 40,000 in default of 490,000: 8.16% > 5%; after 20,000 recovered,
    // 20,000 of 470,000: 4.26%.
    let r = rules(10);
    let s = Standing {
        fund_balance: dec("972000"),
        exposure: dec("450000"),
        principal_in_default: dec("40000"),
        portfolio: dec("490000"),
        business_exposure: Decimal::ZERO,
    };
    assert!(s.suspended(&r));
    let e = register_computed(&r, registration("B", "1000", Method::Bullet), s).unwrap_err();
    assert_eq!(rule_of(e), rule::SUSPENDED);
    let s = Standing {
        principal_in_default: dec("20000"),
        portfolio: dec("470000"),
        ..s
    };
    assert!(!s.suspended(&r));
    assert!(register_computed(&r, registration("B", "1000", Method::Bullet), s).is_ok());
}
