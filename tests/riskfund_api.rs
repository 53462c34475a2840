//! The risk-compensation fund through the real server, every number worked
//! by hand: the leverage cap at 1:7, 1:10 and 1:8.5 to the fen, withdrawals
//! against it, a program's own lower caps, a default from first missed
//! installment to claim (exactly 90 days past due is not past due more than
//! 90), compensation, recovery and the suspension of lending, the share of
//! guaranteed principal businesses use, and every refusal changing nothing.
mod common;

use common::program::*;
use common::*;
use huzhu::pb::{self, PovertyStatus, RepaymentMethod};
use tonic::Code;
use tonic_types::StatusExt;

fn claim(id: &str, program: &str, loan: &str, date: &str) -> pb::ClaimCompensationRequest {
    pb::ClaimCompensationRequest {
        request_id: id.into(),
        program_id: program.into(),
        loan_id: loan.into(),
        date: date.into(),
    }
}

/// Fund balance, exposure, capacity, headroom.
fn figures(r: &pb::LeverageReport) -> (&str, &str, &str, &str) {
    (&r.fund_balance, &r.exposure, &r.capacity, &r.headroom)
}

/// A refusal by rule; the program's book is unchanged.
async fn refused_by<T: std::fmt::Debug>(
    c: &mut Client,
    program: &str,
    rule: &str,
    call: impl std::future::Future<Output = Result<T, tonic::Status>>,
) {
    let before = snapshot(c, program).await;
    let e = call.await.expect_err("refused");
    assert_eq!(e.code(), Code::FailedPrecondition, "{e:?}");
    assert_eq!(broken_rule(&e).as_deref(), Some(rule), "{e:?}");
    assert_eq!(
        snapshot(c, program).await,
        before,
        "a refusal changes nothing"
    );
}

/// Every book balances and each loan's 7001 equals its 7002.
async fn books_balance(c: &mut Client, program: &str, loans: &[String]) {
    let tb = trial_balance(c, program, "").await;
    assert_eq!(tb.total_debit, tb.total_credit);
    for l in loans {
        let exposure = balance(c, program, &format!("7001/loan:{l}")).await;
        let obligation = balance(c, program, &format!("7002/loan:{l}")).await;
        assert_eq!(exposure, obligation, "loan {l}");
    }
}

#[tokio::test]
async fn leverage_cap_at_1_7_and_1_10_is_exact_to_the_fen() {
    let s = TestServer::start();
    let (mut c, mut p) = (s.client().await, s.program_client().await);
    for ratio in [6, 11] {
        let e = p
            .create_program(program_request("county-bad", ratio))
            .await
            .unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument);
        assert_eq!(bad_field(&e).as_deref(), Some("rules.leverage_ratio"));
    }
    let mut all = Vec::new();
    // Qichun 1:7 and Xishui 1:10, each on a fund of 1,000,000.00: loans of
    // 50,000 up to 7,000,000 (140 loans) and 10,000,000 (200 loans).
    for (program, ratio, count) in [("qichun", 7, 140), ("xishui", 10, 200)] {
        program_with_deposit(&mut p, program, ratio, "1000000").await;
        let mut loans = Vec::new();
        for k in 1..=count {
            let loan = format!("{program}-{k}");
            let request = register_request(program, &loan, "50000", "2025-01-10");
            register(&mut p, request).await;
            loans.push(loan);
        }
        let r = leverage_report(&mut p, program, "2025-02-01").await;
        let cap = format!("{ratio}000000.00");
        assert_eq!(
            figures(&r),
            ("1000000.00", cap.as_str(), cap.as_str(), "0.00")
        );
        assert_eq!(r.leverage, format!("{ratio}"));
        // The next fen, or the next yuan, is refused.
        for extra in ["0.01", "1.00"] {
            let next = register_request(program, "next", extra, "2025-01-11");
            refused_by(
                &mut c,
                program,
                "leverage_cap",
                p.register_guaranteed_loan(next),
            )
            .await;
        }
        // Nothing may leave the fund.
        let out = risk_fund_move(&format!("{program}-out"), program, "0.01");
        refused_by(&mut c, program, "leverage_cap", p.withdraw_risk_fund(out)).await;
        // A payoff restores 50,000 of headroom.
        let paid = p
            .report_repayment(repayment_request(
                program,
                &loans[0],
                "50000",
                "2175.00",
                "2025-03-01",
            ))
            .await
            .unwrap()
            .into_inner()
            .loan
            .unwrap();
        assert_eq!(paid.state, pb::GuaranteeState::Closed as i32);
        assert_eq!(paid.exposure, "0.00");
        let r = leverage_report(&mut p, program, "2025-03-01").await;
        assert_eq!(r.headroom, "50000.00");
        all.extend(loans);
    }
    // Qichun: 6,950,000 needs 6,950,000 / 7 = 992,857.142857... of fund, so
    // 7,142.85 may leave (7 x 992,857.15 = 6,950,000.05) and 7,142.86 may
    // not (7 x 992,857.14 = 6,949,999.98).
    let out = risk_fund_move("qichun-out-2", "qichun", "7142.86");
    refused_by(&mut c, "qichun", "leverage_cap", p.withdraw_risk_fund(out)).await;
    let left = p
        .withdraw_risk_fund(risk_fund_move("qichun-out-3", "qichun", "7142.85"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(left.fund_balance, "992857.15");
    let r = leverage_report(&mut p, "qichun", "2025-03-02").await;
    assert_eq!(
        figures(&r),
        ("992857.15", "6950000.00", "6950000.05", "0.05")
    );
    p.register_guaranteed_loan(register_request("qichun", "q-last", "0.05", "2025-03-02"))
        .await
        .unwrap();
    let next = register_request("qichun", "q-next", "0.01", "2025-03-02");
    refused_by(
        &mut c,
        "qichun",
        "leverage_cap",
        p.register_guaranteed_loan(next),
    )
    .await;
    // Xishui: the repaid 50,000 lends again, exactly.
    p.register_guaranteed_loan(register_request("xishui", "x-again", "50000", "2025-03-02"))
        .await
        .unwrap();
    let next = register_request("xishui", "x-next", "0.01", "2025-03-02");
    refused_by(
        &mut c,
        "xishui",
        "leverage_cap",
        p.register_guaranteed_loan(next),
    )
    .await;
    let r = leverage_report(&mut p, "xishui", "2025-03-02").await;
    assert_eq!(
        figures(&r),
        ("1000000.00", "10000000.00", "10000000.00", "0.00")
    );
    all.extend(["q-last".to_string(), "x-again".to_string()]);
    let (q, x): (Vec<String>, Vec<String>) = all.into_iter().partition(|l| l.starts_with('q'));
    books_balance(&mut c, "qichun", &q).await;
    books_balance(&mut c, "xishui", &x).await;
}

#[tokio::test]
async fn a_default_from_missed_installment_to_recovery() {
    // Xishui-like 1:10 on 1,000,000, 70/30, claims past due more than 90
    // days, lending suspended above a 5% default ratio.
    // D1: 48,000 in 12 equal principal installments of 4,000 from Feb 10;
    // the bank reports two, then nothing: the Apr 10 installment is 90 days
    // past due on Jul 9 (20 + 31 + 30 + 9), 91 on Jul 10. H1..H9: 50,000
    // bullet, current.
    let s = TestServer::start();
    let (mut c, mut p) = (s.client().await, s.program_client().await);
    let program = "huangmei";
    program_with_deposit(&mut p, program, 10, "1000000").await;
    let mut d1 = register_request(program, "D1", "48000", "2025-01-10");
    d1.method = RepaymentMethod::EqualPrincipal as i32;
    let schedule = p
        .register_guaranteed_loan(d1)
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap()
        .schedule;
    // Interest 48,000 x 0.0435 / 12 = 174.00, then 44,000 x 0.003625 = 159.50.
    assert_eq!(
        (schedule[0].fee.as_str(), schedule[1].fee.as_str()),
        ("174.00", "159.50")
    );
    let mut loans = vec!["D1".to_string()];
    for k in 1..=9 {
        let loan = format!("H{k}");
        let request = register_request(program, &loan, "50000", "2025-01-10");
        register(&mut p, request).await;
        loans.push(loan);
    }
    for (interest, date) in [("174.00", "2025-02-10"), ("159.50", "2025-03-10")] {
        let paid = repayment_request(program, "D1", "4000", interest, date);
        report_repayment(&mut p, paid).await;
    }
    // Day 90, exactly 90 days past due: not past due more than 90 days, so
    // not in default, no suspension and no claim.
    let loan = loan_on(&mut p, program, "D1", "2025-07-09").await;
    assert_eq!(
        (loan.days_past_due, loan.oldest_unpaid_installment),
        (90, 3)
    );
    let r = leverage_report(&mut p, program, "2025-07-09").await;
    assert_eq!(
        (
            r.principal_in_default.as_str(),
            r.default_ratio.as_str(),
            r.lending_suspended
        ),
        ("0.00", "0", false)
    );
    assert_eq!(r.exposure, "490000.00");
    let early = claim("claim-early", program, "D1", "2025-07-09");
    refused_by(
        &mut c,
        program,
        "claim_threshold",
        p.claim_compensation(early),
    )
    .await;
    // Day 91: 40,000 in default of 490,000 = 0.081632... > 0.05: suspended.
    let r = leverage_report(&mut p, program, "2025-07-10").await;
    assert_eq!(r.principal_in_default, "40000.00");
    assert_eq!(
        (r.default_ratio.as_str(), r.lending_suspended),
        ("0.0816", true)
    );
    let claimed = p
        .claim_compensation(claim("claim", program, "D1", "2025-07-10"))
        .await
        .unwrap()
        .into_inner();
    let cl = claimed.loan.unwrap().claim.unwrap();
    // The fund pays 70% of the 40,000 unpaid principal (interest not covered).
    assert_eq!(
        (
            cl.days_past_due,
            cl.unpaid_principal.as_str(),
            cl.compensation.as_str()
        ),
        (91, "40000.00", "28000.00")
    );
    assert_eq!(balance(&mut c, program, "5001").await, "28000.00");
    // Capacity falls with the fund: 972,000 x 10 = 9,720,000, exposure 450,000.
    let r = leverage_report(&mut p, program, "2025-07-10").await;
    assert_eq!(
        figures(&r),
        ("972000.00", "450000.00", "9720000.00", "9270000.00")
    );
    assert_eq!(
        (r.default_ratio.as_str(), r.lending_suspended),
        ("0.0816", true)
    );
    // A retry answers the first result; a second claim is refused.
    let again = p
        .claim_compensation(claim("claim", program, "D1", "2025-07-10"))
        .await
        .unwrap()
        .into_inner();
    assert!(again.replayed && again.entry_seqs.is_empty());
    let twice = claim("claim-2", program, "D1", "2025-07-11");
    refused_by(&mut c, program, "claim_once", p.claim_compensation(twice)).await;
    let new_loan = register_request(program, "N1", "10000", "2025-07-11");
    refused_by(
        &mut c,
        program,
        "lending_suspended",
        p.register_guaranteed_loan(new_loan),
    )
    .await;
    // The bank recovers 20,000: the fund gets 28,000 x 20,000 / 40,000 =
    // 14,000 back as recoveries (4001). 20,000 in default of 470,000 =
    // 0.042553... <= 0.05: lending resumes.
    let recovered = p
        .report_recovery(pb::ReportRecoveryRequest {
            request_id: "recovery-1".into(),
            program_id: program.into(),
            loan_id: "D1".into(),
            amount: "20000".into(),
            date: "2025-08-01".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let cl = recovered.loan.unwrap().claim.unwrap();
    assert_eq!(
        (cl.recovered.as_str(), cl.recovered_to_fund.as_str()),
        ("20000.00", "14000.00")
    );
    let r = leverage_report(&mut p, program, "2025-08-01").await;
    assert_eq!(
        (
            r.fund_balance.as_str(),
            r.recoveries.as_str(),
            r.compensation_paid.as_str()
        ),
        ("986000.00", "14000.00", "28000.00")
    );
    assert_eq!(
        (r.default_ratio.as_str(), r.lending_suspended),
        ("0.0426", false)
    );
    p.register_guaranteed_loan(register_request(program, "N1", "10000", "2025-08-02"))
        .await
        .unwrap();
    loans.push("N1".into());
    // Program book: 1002 986,000 + 5001 28,000 = 3001 1,000,000 + 4001
    // 14,000; 7001 = 7002 = 450,000 + 10,000 (N1). 1,014,000 + 460,000.
    books_balance(&mut c, program, &loans).await;
    let tb = trial_balance(&mut c, program, "").await;
    assert_eq!(tb.total_debit, "1474000.00");
    assert_eq!(balance_under(&mut c, program, "7001").await, "460000.00");
    // A report of a past date reads the books and the loans as they stood
    // then, whatever came after: day 90 is as it was before the claim, the
    // recovery and N1; before the first registration nothing is exposed.
    let r = leverage_report(&mut p, program, "2025-07-09").await;
    assert_eq!(
        figures(&r),
        ("1000000.00", "490000.00", "10000000.00", "9510000.00")
    );
    assert_eq!(
        (
            r.principal_in_default.as_str(),
            r.compensation_paid.as_str(),
            r.active_loans,
            r.lending_suspended
        ),
        ("0.00", "0.00", 10, false)
    );
    let r = leverage_report(&mut p, program, "2025-01-09").await;
    assert_eq!((r.exposure.as_str(), r.active_loans), ("0.00", 0));
}

#[tokio::test]
async fn bad_inputs_are_refused_precisely_and_change_nothing() {
    let s = TestServer::start();
    let (mut c, mut p) = (s.client().await, s.program_client().await);
    let program = "tuanfeng";
    program_with_deposit(&mut p, program, 8, "100000").await;
    let g1 = register_request(program, "G1", "30000", "2025-01-10");
    register(&mut p, g1).await;
    let with = |f: &dyn Fn(&mut pb::RegisterGuaranteedLoanRequest)| {
        let mut r = register_request(program, "G2", "30000", "2025-01-10");
        f(&mut r);
        r
    };
    let ineligible = with(&|r| r.poverty_status = PovertyStatus::LowIncome as i32);
    refused_by(
        &mut c,
        program,
        "borrower_eligible",
        p.register_guaranteed_loan(ineligible),
    )
    .await;
    // 61 on the day; the program's limit is 60.
    let old = with(&|r| r.birth_date = "1964-01-09".into());
    refused_by(
        &mut c,
        program,
        "borrower_age_limit",
        p.register_guaranteed_loan(old),
    )
    .await;
    let e = p
        .register_guaranteed_loan(with(&|r| r.birth_date = "1964-01-09".into()))
        .await
        .unwrap_err();
    let violation = &e.get_details_precondition_failure().unwrap().violations[0];
    assert_eq!(violation.subject, "birth_date", "the rule names its field");
    let big = with(&|r| r.principal = "50000.01".into());
    refused_by(
        &mut c,
        program,
        "guaranteed_principal_max",
        p.register_guaranteed_loan(big),
    )
    .await;
    let long = with(&|r| r.term_months = 37);
    refused_by(
        &mut c,
        program,
        "guaranteed_term_max",
        p.register_guaranteed_loan(long),
    )
    .await;
    let owed = repayment_request(program, "G1", "30000.01", "", "2025-02-01");
    refused_by(
        &mut c,
        program,
        "repayment_at_most_owed",
        p.report_repayment(owed),
    )
    .await;
    let current = claim("claim-current", program, "G1", "2025-03-01");
    refused_by(
        &mut c,
        program,
        "claim_threshold",
        p.claim_compensation(current),
    )
    .await;
    let recovery = pb::ReportRecoveryRequest {
        request_id: "recovery".into(),
        program_id: program.into(),
        loan_id: "G1".into(),
        amount: "100".into(),
        date: "2025-03-01".into(),
    };
    refused_by(
        &mut c,
        program,
        "recovery_after_claim",
        p.report_recovery(recovery),
    )
    .await;
    // Malformed input names its field.
    let before = snapshot(&mut c, program).await;
    let cases: Vec<(&str, pb::RegisterGuaranteedLoanRequest)> = vec![
        ("poverty_status", with(&|r| r.poverty_status = 0)),
        ("rate_annual", with(&|r| r.rate_annual = "1.5".into())),
        ("principal", with(&|r| r.principal = "1000.001".into())),
        ("birth_date", with(&|r| r.birth_date = "1980-13-01".into())),
        ("loan_id", with(&|r| r.loan_id = "a b".into())),
        ("request_id", with(&|r| r.request_id = String::new())),
        ("method", with(&|r| r.method = 0)),
        ("purpose", with(&|r| r.purpose = 0)),
        ("business", with(&|r| r.business = "x".repeat(201))),
    ];
    for (field, req) in cases {
        let e = p.register_guaranteed_loan(req).await.unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument, "{field}: {e:?}");
        assert_eq!(bad_field(&e).as_deref(), Some(field), "{e:?}");
    }
    let e = p
        .report_repayment(repayment_request(program, "G1", "", "", "2025-02-01"))
        .await
        .unwrap_err();
    assert_eq!(bad_field(&e).as_deref(), Some("principal"));
    let e = p
        .report_repayment(repayment_request(program, "G9", "1", "", "2025-02-01"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    let e = p
        .register_guaranteed_loan(register_request(program, "G1", "30000", "2025-01-10"))
        .await
        .unwrap();
    assert!(e.into_inner().replayed, "a retry answers the first result");
    let mut reused = register_request(program, "G1", "20000", "2025-01-10");
    reused.request_id = format!("register-{program}-G1");
    assert_eq!(
        p.register_guaranteed_loan(reused).await.unwrap_err().code(),
        Code::AlreadyExists
    );
    assert_eq!(snapshot(&mut c, program).await, before);
    books_balance(&mut c, program, &["G1".to_string()]).await;
}

#[tokio::test]
async fn a_program_sets_a_decimal_ratio_and_lower_caps() {
    let s = TestServer::start();
    let (mut c, mut p) = (s.client().await, s.program_client().await);
    let program = "luotian";
    let with = |f: &dyn Fn(&mut pb::ProgramRules)| {
        let mut r = program_request(program, 0);
        let rules = r.rules.as_mut().unwrap();
        rules.leverage_ratio_decimal = "8.5".into();
        f(rules);
        r
    };
    // Caps above the national maxima, ratios outside 7 to 10 or past two
    // places, and two ratios that disagree are refused by field.
    for (field, request) in [
        (
            "rules.principal_max",
            with(&|r| r.principal_max = "50000.01".into()),
        ),
        ("rules.term_max_months", with(&|r| r.term_max_months = 37)),
        (
            "rules.leverage_ratio_decimal",
            with(&|r| r.leverage_ratio_decimal = "6.99".into()),
        ),
        (
            "rules.leverage_ratio_decimal",
            with(&|r| r.leverage_ratio_decimal = "10.01".into()),
        ),
        (
            "rules.leverage_ratio_decimal",
            with(&|r| r.leverage_ratio_decimal = "8.555".into()),
        ),
        (
            "rules.leverage_ratio_decimal",
            with(&|r| r.leverage_ratio = 8),
        ),
        ("rules.day_count", with(&|r| r.day_count = 9)),
    ] {
        let e = p.create_program(request).await.unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument, "{field}: {e:?}");
        assert_eq!(bad_field(&e).as_deref(), Some(field), "{e:?}");
    }
    // 罗田: 1:8.5, guaranteed loans up to 30,000 over up to 24 months.
    let created = p
        .create_program(with(&|r| {
            r.principal_max = "30000".into();
            r.term_max_months = 24;
        }))
        .await
        .unwrap()
        .into_inner()
        .rules
        .unwrap();
    assert_eq!(
        (
            created.leverage_ratio,
            created.leverage_ratio_decimal.as_str(),
            created.principal_max.as_str(),
            created.term_max_months,
            created.day_count
        ),
        (0, "8.5", "30000.00", 24, pb::DayCount::MonthsAndDays as i32)
    );
    deposit(&mut p, program, "10000").await;
    let big = register_request(program, "big", "30000.01", "2025-01-10");
    refused_by(
        &mut c,
        program,
        "guaranteed_principal_max",
        p.register_guaranteed_loan(big),
    )
    .await;
    let long = pb::RegisterGuaranteedLoanRequest {
        term_months: 25,
        ..register_request(program, "long", "30000", "2025-01-10")
    };
    refused_by(
        &mut c,
        program,
        "guaranteed_term_max",
        p.register_guaranteed_loan(long),
    )
    .await;
    // 10,000 x 8.5 = 85,000.00: 30,000 + 30,000 + 25,000 fill it to the fen.
    for (loan, principal) in [("L1", "30000"), ("L2", "30000"), ("L3", "25000")] {
        register(
            &mut p,
            register_request(program, loan, principal, "2025-01-10"),
        )
        .await;
    }
    let next = register_request(program, "L4", "0.01", "2025-01-10");
    refused_by(
        &mut c,
        program,
        "leverage_cap",
        p.register_guaranteed_loan(next),
    )
    .await;
    let r = leverage_report(&mut p, program, "2025-01-10").await;
    assert_eq!(figures(&r), ("10000.00", "85000.00", "85000.00", "0.00"));
    assert_eq!(
        (
            r.leverage_ratio,
            r.leverage_ratio_decimal.as_str(),
            r.leverage.as_str()
        ),
        (0, "8.5", "8.5")
    );
    // 85,000 needs the whole 10,000 at 1:8.5: not a fen may leave.
    let out = risk_fund_move("luotian-out", program, "0.01");
    refused_by(&mut c, program, "leverage_cap", p.withdraw_risk_fund(out)).await;
}

/// Businesses use B1 (30,000, a tea cooperative processing its members'
/// leaves) and B3 (20,000, a village shop); B2 (50,000) is the household's
/// own: 50,000 of 100,000, a share of 0.5. B3 repaid: 30,000 of 80,000 =
/// 0.375.
#[tokio::test]
async fn the_share_of_guaranteed_principal_businesses_use() {
    let s = TestServer::start();
    let mut p = s.program_client().await;
    let program = "huangmei";
    program_with_deposit(&mut p, program, 10, "1000000").await;
    for (loan, principal, purpose, business) in [
        (
            "B1",
            "30000",
            pb::PurposeCategory::Processing,
            "Sanhe tea cooperative",
        ),
        ("B2", "50000", pb::PurposeCategory::Livestock, ""),
        (
            "B3",
            "20000",
            pb::PurposeCategory::Trade,
            "Xinmin village shop",
        ),
    ] {
        let request = pb::RegisterGuaranteedLoanRequest {
            purpose: purpose as i32,
            business: business.into(),
            ..register_request(program, loan, principal, "2025-01-10")
        };
        let l = register(&mut p, request).await;
        assert_eq!((l.purpose, l.business.as_str()), (purpose as i32, business));
    }
    let r = leverage_report(&mut p, program, "2025-01-10").await;
    assert_eq!(
        (
            r.exposure.as_str(),
            r.business_exposure.as_str(),
            r.business_share.as_str()
        ),
        ("100000.00", "50000.00", "0.5")
    );
    let paid = repayment_request(program, "B3", "20000", "870.00", "2026-01-10");
    report_repayment(&mut p, paid).await;
    let r = leverage_report(&mut p, program, "2026-01-10").await;
    assert_eq!(
        (
            r.exposure.as_str(),
            r.business_exposure.as_str(),
            r.business_share.as_str()
        ),
        ("80000.00", "30000.00", "0.375")
    );
}
