//! Interest subsidies through the real server, every number worked by hand
//! (the program's day count, months and days: a whole month from the
//! disbursement is 30 days, a year 360): the field vector on a village-fund
//! loan, across the fund's and the program's books, to the borrower's
//! payoff; overdue days on a bank loan; a full and a fixed rate; a subsidy
//! payable to the borrower; a loan registered for a subsidy only (茶园);
//! claims approved by another token than the claimant's and paid; and
//! refusals.
mod common;

use common::fund::*;
use common::program::*;
use common::subsidy::*;
use common::*;
use huzhu::pb::{
    self, subsidy_service_client::SubsidyServiceClient, token_service_client::TokenServiceClient,
    PovertyStatus, RepaymentMethod, Till,
};
use tonic::Code;

const PROGRAM: &str = "county-sub";
const FUND: &str = "fund-dongcun";
const BANK: &str = PROGRAM_BANK;

/// The ledger, the program's subsidies as the county (the admin token: it
/// accrues and claims) and as the finance bureau (another admin token: it
/// approves and pays).
async fn clients(s: &TestServer) -> (Client, Subsidies, Subsidies) {
    create_program(&mut s.program_client().await, program_request(PROGRAM, 10)).await;
    let county = SubsidyServiceClient::new(s.channel().await);
    let bureau = SubsidyServiceClient::new(s.checker().await);
    (s.client().await, county, bureau)
}

/// The actor a token's records name: "<token id>/<role>".
async fn actor(channel: Channel) -> String {
    TokenServiceClient::new(channel)
        .who_am_i(pb::WhoAmIRequest {})
        .await
        .unwrap()
        .into_inner()
        .token
        .unwrap()
        .actor
}

fn scheme(
    id: &str,
    kind: pb::SubsidyKind,
    rate: &str,
    settlement: pb::Settlement,
) -> pb::CreateSubsidySchemeRequest {
    scheme_request(PROGRAM, id, kind, rate, settlement)
}

fn link(scheme: &str, fund: &str, loan: &str) -> pb::LinkSubsidyLoanRequest {
    link_request(PROGRAM, scheme, fund, loan)
}

fn period(id: &str, scheme: &str, period: &str, date: &str) -> pb::SubsidyPeriodRequest {
    period_request(id, PROGRAM, scheme, period, date)
}

/// A refusal by rule; the books are unchanged.
async fn refused_by<T: std::fmt::Debug>(
    c: &mut Client,
    books: &[&str],
    rule: &str,
    call: impl std::future::Future<Output = Result<T, tonic::Status>>,
) {
    let mut before = Vec::new();
    for b in books {
        before.push(snapshot(c, b).await);
    }
    let e = call.await.expect_err("refused");
    assert_eq!(e.code(), Code::FailedPrecondition, "{e:?}");
    assert_eq!(broken_rule(&e).as_deref(), Some(rule), "{e:?}");
    for (b, was) in books.iter().zip(before) {
        assert_eq!(snapshot(c, b).await, was, "a refusal changes nothing");
    }
}

/// A fund that may lend 100,000: M1 registered poor with L1, 100,000 for 12
/// months, bullet, fee 7.2% (7,200.00 at maturity), disbursed 2025-01-01;
/// M2 low-income, with L2 applied for.
async fn village_fund(s: &TestServer) -> FundClient {
    let mut f = s.fund_client().await;
    let rules = pb::FundRules {
        loan_max: "100000".into(),
        first_loan_max: "100000".into(),
        household_share_max: "1".into(),
        board_approval_above: "100000".into(),
        ..Default::default()
    };
    let capital = [Capital::fiscal("200000")];
    fund_with_capital(&mut f, FUND, Some(rules), &capital, "2024-12-20").await;
    let terms = |loan, member, principal| LoanTerms {
        term_months: 12,
        purpose: "tea garden",
        applied: "2024-12-28",
        approved: "2024-12-29",
        disbursed: "2025-01-01",
        ..LoanTerms::new(FUND, loan, member, principal)
    };
    for (m, loan, principal, status) in [
        ("M1", "L1", "100000", PovertyStatus::RegisteredPoor),
        ("M2", "L2", "1000", PovertyStatus::LowIncome),
    ] {
        join(&mut f, join_request(FUND, m, status, "2024-12-20")).await;
        apply_loan(&mut f, &terms(loan, m, principal)).await;
    }
    // Approved by another token than the one that took the applications.
    let l1 = terms("L1", "M1", "100000");
    approve_loan(&mut s.checker_fund_client().await, &l1).await;
    disburse_loan(&mut f, &l1).await;
    f
}

async fn day_end(f: &mut FundClient, date: &str) {
    f.run_day_end(pb::RunDayEndRequest {
        request_id: format!("day-end-{date}"),
        fund_id: FUND.into(),
        date: date.into(),
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_field_vector_on_a_village_fund_loan_across_two_books() {
    let s = TestServer::start();
    let (mut c, mut sub, mut bureau) = clients(&s).await;
    let mut f = village_fund(&s).await;
    sub.create_subsidy_scheme(scheme(
        "poor-fee",
        pb::SubsidyKind::Fixed,
        "0.024",
        pb::Settlement::Quarterly,
    ))
    .await
    .unwrap();
    let linked = sub
        .link_subsidy_loan(link("poor-fee", FUND, "L1"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(linked.loans, vec![format!("fund:{FUND}/L1")]);
    // M2 is low-income: neither registered poor nor monitored.
    refused_by(
        &mut c,
        &[PROGRAM, FUND],
        "subsidy_borrower_eligible",
        sub.link_subsidy_loan(link("poor-fee", FUND, "L2")),
    )
    .await;
    // The fund's day-end accrues the fee at round(7,200 / 365) = 19.73 a day:
    // January 2 to March 31, 89 days, 1,755.97.
    day_end(&mut f, "2025-03-31").await;
    assert_eq!(balance(&mut c, FUND, "1202/loan:L1").await, "1755.97");
    // Q1: 100,000 x 0.024 x 90 / 360 = 600.00, all off the fee receivable.
    let q1 = sub
        .accrue_subsidy(period("q1", "poor-fee", "2025-Q1", ""))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        lines(&q1),
        vec![("600.00".into(), 90, 0, "600.00".into(), "0.00".into())]
    );
    assert_eq!(q1.state, pb::SubsidyPeriodState::Accrued as i32);
    assert_eq!(balance(&mut c, FUND, "1202/loan:L1").await, "1155.97");
    assert_eq!(
        balance(&mut c, FUND, &format!("1203/program:{PROGRAM}")).await,
        "600.00"
    );
    assert_eq!(balance(&mut c, PROGRAM, "5002").await, "600.00");
    assert_eq!(
        balance(&mut c, PROGRAM, &format!("2201/fund:{FUND}")).await,
        "600.00"
    );
    // Once per period, in order, of the scheme's kind.
    let again = period("q1-again", "poor-fee", "2025-Q1", "");
    refused_by(
        &mut c,
        &[PROGRAM, FUND],
        "subsidy_period_accrued_once",
        sub.accrue_subsidy(again),
    )
    .await;
    let q3 = period("q3-early", "poor-fee", "2025-Q3", "");
    refused_by(
        &mut c,
        &[PROGRAM, FUND],
        "subsidy_periods_in_order",
        sub.accrue_subsidy(q3),
    )
    .await;
    let month = period("april", "poor-fee", "2025-04", "");
    refused_by(
        &mut c,
        &[PROGRAM, FUND],
        "subsidy_period_matches_settlement",
        sub.accrue_subsidy(month),
    )
    .await;
    let e = sub
        .accrue_subsidy(period("q5", "poor-fee", "2025-Q5", ""))
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), bad_field(&e).as_deref()),
        (Code::InvalidArgument, Some("period"))
    );
    // Claimed by the county's clerk, approved by the finance bureau, paid.
    sub.claim_subsidy(period("claim-q1", "poor-fee", "2025-Q1", ""))
        .await
        .unwrap();
    let same = period("approve-q1-self", "poor-fee", "2025-Q1", "2025-04-15");
    refused_by(
        &mut c,
        &[PROGRAM, FUND],
        "subsidy_approver_not_claimant",
        sub.approve_subsidy(same),
    )
    .await;
    let approved = bureau
        .approve_subsidy(period("approve-q1", "poor-fee", "2025-Q1", "2025-04-15"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            approved.state,
            approved.claimed_by.as_str(),
            approved.approved_by.as_str()
        ),
        (
            pb::SubsidyPeriodState::Approved as i32,
            actor(s.channel().await).await.as_str(),
            actor(s.checker().await).await.as_str()
        )
    );
    bureau
        .pay_subsidy(period("pay-q1", "poor-fee", "2025-Q1", "2025-04-20"))
        .await
        .unwrap();
    // The fund's bank: 200,000 - 100,000 lent + 600 of subsidy.
    assert_eq!(balance(&mut c, FUND, "1002").await, "100600.00");
    for (date, q) in [
        ("2025-06-30", "2025-Q2"),
        ("2025-09-30", "2025-Q3"),
        ("2025-12-31", "2025-Q4"),
    ] {
        day_end(&mut f, date).await;
        let st = sub
            .accrue_subsidy(period(q, "poor-fee", q, ""))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(st.total, "600.00", "{q}");
    }
    // The field vector: a year of 100,000 at 2.4% is 2,400.00 (360 / 360).
    let year = sub
        .get_subsidy_statement(pb::GetSubsidyStatementRequest {
            program_id: PROGRAM.into(),
            scheme_id: "poor-fee".into(),
            period: String::new(),
            loan_ref: format!("fund:{FUND}/L1"),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(year.total, "2400.00");
    let periods: Vec<&str> = year.lines.iter().map(|l| l.period.as_str()).collect();
    assert_eq!(periods, ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
    sub.claim_subsidy(period("claim-q2", "poor-fee", "2025-Q2", ""))
        .await
        .unwrap();
    let unapproved = period("pay-q2", "poor-fee", "2025-Q2", "2025-07-20");
    refused_by(
        &mut c,
        &[PROGRAM, FUND],
        "subsidy_claim_state_allows_it",
        bureau.pay_subsidy(unapproved),
    )
    .await;
    // Fee accrued through December 31: 364 days x 19.73 = 7,181.72, less
    // 2,400.00 of subsidy: 4,781.72. At maturity the last day takes the
    // remainder (18.28): the borrower owes 100,000 + 7,200 - 2,400 = 104,800.00.
    assert_eq!(balance(&mut c, FUND, "1202/loan:L1").await, "4781.72");
    let repay = |amount: &str| pb::RepayLoanRequest {
        request_id: format!("payoff-{amount}"),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        amount: amount.into(),
        till: Till::Bank as i32,
        date: "2026-01-01".into(),
    };
    refused_by(
        &mut c,
        &[PROGRAM, FUND],
        "repayment_at_most_owed",
        f.repay_loan(repay("104800.01")),
    )
    .await;
    let paid = f
        .repay_loan(repay("104800.00"))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(paid.status, pb::LoanStatus::Closed as i32);
    assert_eq!(balance(&mut c, FUND, "1202/loan:L1").await, "0.00");
    // Program: 5002 2,400 = 2201/fund 1,800 (Q1 paid) + 3002 600 (Q1 approved).
    assert_eq!(
        balance(&mut c, PROGRAM, &format!("2201/fund:{FUND}")).await,
        "1800.00"
    );
    assert_eq!(balance(&mut c, PROGRAM, "3002").await, "600.00");
    assert_eq!(
        balance(&mut c, FUND, &format!("1203/program:{PROGRAM}")).await,
        "1800.00"
    );
    for book in [PROGRAM, FUND] {
        let tb = trial_balance(&mut c, book, "").await;
        assert_eq!(tb.total_debit, tb.total_credit, "{book}");
    }
}

#[tokio::test]
async fn overdue_days_on_a_bank_loan_lose_their_subsidy() {
    let s = TestServer::start();
    let (mut c, mut sub, mut bureau) = clients(&s).await;
    let mut p = s.program_client().await;
    deposit(&mut p, PROGRAM, "1000000").await;
    // B1: 40,000, interest monthly (40,000 x 0.0435 / 12 = 145.00 on the
    // 10th), principal at maturity. B2: 30,000 bullet. Both 2025-01-10.
    for (loan, principal, method) in [
        ("B1", "40000", RepaymentMethod::FeeMonthly),
        ("B2", "30000", RepaymentMethod::Bullet),
    ] {
        let request = pb::RegisterGuaranteedLoanRequest {
            poverty_status: PovertyStatus::MonitoredUnstable as i32,
            method: method as i32,
            ..register_request(PROGRAM, loan, principal, "2025-01-10")
        };
        register(&mut p, request).await;
    }
    // The April 10 interest comes on April 28: 17 days past due (11 to 27).
    for date in [
        "2025-02-10",
        "2025-03-10",
        "2025-04-28",
        "2025-05-10",
        "2025-06-10",
    ] {
        let interest = repayment_request(PROGRAM, "B1", "", "145.00", date);
        report_repayment(&mut p, interest).await;
    }
    let e = sub
        .create_subsidy_scheme(scheme(
            "bad",
            pb::SubsidyKind::Full,
            "0.03",
            pb::Settlement::Monthly,
        ))
        .await
        .unwrap_err();
    assert_eq!(bad_field(&e).as_deref(), Some("rate_annual"));
    let e = sub
        .create_subsidy_scheme(scheme(
            "bad",
            pb::SubsidyKind::Fixed,
            "",
            pb::Settlement::Monthly,
        ))
        .await
        .unwrap_err();
    assert_eq!(bad_field(&e).as_deref(), Some("rate_annual"));
    let mut fixed = scheme(
        "fixed-3",
        pb::SubsidyKind::Fixed,
        "0.03",
        pb::Settlement::Quarterly,
    );
    fixed.payee = pb::Payee::Borrower as i32;
    sub.create_subsidy_scheme(fixed).await.unwrap();
    sub.create_subsidy_scheme(scheme(
        "full",
        pb::SubsidyKind::Full,
        "",
        pb::Settlement::Monthly,
    ))
    .await
    .unwrap();
    sub.link_subsidy_loan(link("fixed-3", "", "B1"))
        .await
        .unwrap();
    sub.link_subsidy_loan(link("full", "", "B2")).await.unwrap();
    refused_by(
        &mut c,
        &[PROGRAM],
        "subsidy_loan_linked_once",
        sub.link_subsidy_loan(link("full", "", "B1")),
    )
    .await;
    // Q1 from January 10, months and days: two whole months to March 10
    // (60) and 22 days to April 1: 82, all current: 40,000 x 0.03 x 82 /
    // 360 = 273.333... = 273.33.
    let q1 = sub
        .accrue_subsidy(period("q1", "fixed-3", "2025-Q1", ""))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        lines(&q1),
        vec![("273.33".into(), 82, 0, "0.00".into(), "0.00".into())]
    );
    // Q2: from April 1 to July 1 the loan grows from 82 to 171 days (five
    // whole months to June 10, 21 days to July 1): 89 (April 9 and June 9
    // each complete a 31-day month and weigh 0). April 11 to 27 are past
    // due, 17 days of 1; 72 current: 40,000 x 0.03 x 72 / 360 = 240.00,
    // where on time it would be 40,000 x 0.03 x 89 / 360 = 296.67; the 17
    // days' 56.67 are lost.
    let q2 = sub
        .accrue_subsidy(period("q2", "fixed-3", "2025-Q2", ""))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        lines(&q2),
        vec![("240.00".into(), 72, 17, "0.00".into(), "0.00".into())]
    );
    // The scheme pays borrowers: B1's subsidy is payable to its household.
    assert_eq!(q2.lines[0].payee, "household:H-B1");
    // Full rate on B2, monthly, payable to the bank: January from the 10th
    // to February 1, 22 days: 30,000 x 0.0435 x 22 / 360 = 79.75; February
    // 27 (February 9 completes the 31 days from January 10 and weighs 0):
    // 30,000 x 0.0435 x 27 / 360 = 97.875 = 97.88 (half-up).
    let jan = sub
        .accrue_subsidy(period("jan", "full", "2025-01", ""))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        lines(&jan),
        vec![("79.75".into(), 22, 0, "0.00".into(), "0.00".into())]
    );
    assert_eq!(jan.lines[0].rate_annual, "0.0435");
    assert_eq!(jan.lines[0].payee, format!("bank:{BANK}"));
    let feb = sub
        .accrue_subsidy(period("feb", "full", "2025-02", ""))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(feb.total, "97.88");
    // 273.33 + 240.00 + 79.75 + 97.88 = 690.96 of subsidies.
    assert_eq!(balance(&mut c, PROGRAM, "5002").await, "690.96");
    sub.claim_subsidy(period("claim-q1", "fixed-3", "2025-Q1", ""))
        .await
        .unwrap();
    let on_last_day = period("approve-early", "fixed-3", "2025-Q1", "2025-03-31");
    refused_by(
        &mut c,
        &[PROGRAM],
        "subsidy_settled_after_period",
        bureau.approve_subsidy(on_last_day),
    )
    .await;
    bureau
        .approve_subsidy(period("approve-q1", "fixed-3", "2025-Q1", "2025-04-15"))
        .await
        .unwrap();
    let paid = bureau
        .pay_subsidy(period("pay-q1", "fixed-3", "2025-Q1", "2025-04-20"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(paid.state, pb::SubsidyPeriodState::Paid as i32);
    // Q1's 273.33 paid to B1's borrower: Q2's 240.00 is still owed to them,
    // and B2's 79.75 + 97.88 = 177.63 to the bank.
    assert_eq!(
        balance(&mut c, PROGRAM, "2201/household:H-B1").await,
        "240.00"
    );
    assert_eq!(
        balance(&mut c, PROGRAM, &format!("2201/bank:{BANK}")).await,
        "177.63"
    );
    assert_eq!(balance(&mut c, PROGRAM, "1203").await, "0.00");
    let tb = trial_balance(&mut c, PROGRAM, "").await;
    assert_eq!(tb.total_debit, tb.total_credit);
    for loan in ["B1", "B2"] {
        assert_eq!(
            balance(&mut c, PROGRAM, &format!("7001/loan:{loan}")).await,
            balance(&mut c, PROGRAM, &format!("7002/loan:{loan}")).await
        );
    }
}

/// 茶园 (field): a 100,000 collateralised bank loan for a year, 4.35%, bullet
/// from 2025-01-01, registered for an interest subsidy only, subsidized at
/// a fixed 2.4% by a scheme for loans up to 100,000 over up to 12 months,
/// paid to the borrower. Each quarter is three whole months from January 1,
/// 90 days: 100,000 × 0.024 × 90 / 360 = 600.00; the year 2,400.00, all
/// payable to household H-TEA (2201/household:H-TEA). The finance bureau
/// pays Q1: 1,800.00 is still owed. The loan has no guarantee: the risk
/// fund's 10,000 carries 100,000 at 1:10 and G1 (50,000, guaranteed, two
/// years) holds half of it, the tea loan none; a claim on it is refused.
/// TEA2, 80,000 for a subsidy only and never repaid, is 109 days past due on
/// 2026-04-20 yet no default: the default ratio stays 0.
#[tokio::test]
async fn a_loan_for_a_subsidy_only_earns_2400_a_year_for_its_borrower() {
    let s = TestServer::start();
    let (mut c, mut sub, mut bureau) = clients(&s).await;
    let mut p = s.program_client().await;
    deposit(&mut p, PROGRAM, "10000").await;
    let g1 = pb::RegisterGuaranteedLoanRequest {
        term_months: 24,
        ..register_request(PROGRAM, "G1", "50000", "2025-01-01")
    };
    register(&mut p, g1).await;
    let tea = |loan: &str, principal: &str, months: u32| pb::RegisterGuaranteedLoanRequest {
        term_months: months,
        subsidy_only: true,
        ..register_request(PROGRAM, loan, principal, "2025-01-01")
    };
    // As a guaranteed loan it is above the national maximum.
    let guaranteed = pb::RegisterGuaranteedLoanRequest {
        subsidy_only: false,
        ..tea("TEA", "100000", 12)
    };
    refused_by(
        &mut c,
        &[PROGRAM],
        "guaranteed_principal_max",
        p.register_guaranteed_loan(guaranteed),
    )
    .await;
    let l = register(&mut p, tea("TEA", "100000", 12)).await;
    assert_eq!((l.subsidy_only, l.exposure.as_str()), (true, "0.00"));
    assert_eq!(l.schedule[0].fee, "4350.00", "100,000 x 0.0435");
    for (loan, principal, months) in [
        ("TEA2", "80000", 12),
        ("BIG", "150000", 12),
        ("LONG", "100000", 24),
    ] {
        register(&mut p, tea(loan, principal, months)).await;
    }
    // As of the deposit (2025-01-02): a report reads the books of its date.
    let r = leverage_report(&mut p, PROGRAM, "2025-01-02").await;
    assert_eq!(
        (r.exposure.as_str(), r.headroom.as_str(), r.active_loans),
        ("50000.00", "50000.00", 1)
    );
    assert_eq!(balance_under(&mut c, PROGRAM, "7001").await, "50000.00");

    let mut scheme = scheme(
        "tea",
        pb::SubsidyKind::Fixed,
        "0.024",
        pb::Settlement::Quarterly,
    );
    scheme.payee = pb::Payee::Borrower as i32;
    scheme.principal_max = "100000".into();
    scheme.term_max_months = 12;
    let created = sub
        .create_subsidy_scheme(scheme)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (created.principal_max.as_str(), created.term_max_months),
        ("100000.00", 12)
    );
    sub.link_subsidy_loan(link("tea", "", "TEA")).await.unwrap();
    for (loan, rule) in [
        ("BIG", "subsidy_principal_max"),
        ("LONG", "subsidy_term_max"),
    ] {
        refused_by(
            &mut c,
            &[PROGRAM],
            rule,
            sub.link_subsidy_loan(link("tea", "", loan)),
        )
        .await;
    }
    let claim = pb::ClaimCompensationRequest {
        request_id: "claim-tea".into(),
        program_id: PROGRAM.into(),
        loan_id: "TEA".into(),
        date: "2025-06-01".into(),
    };
    refused_by(
        &mut c,
        &[PROGRAM],
        "claim_needs_guarantee",
        p.claim_compensation(claim),
    )
    .await;

    let payoff = repayment_request(PROGRAM, "TEA", "100000", "4350.00", "2026-01-01");
    report_repayment(&mut p, payoff).await;
    for q in ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"] {
        let st = sub
            .accrue_subsidy(period(q, "tea", q, ""))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            lines(&st),
            vec![("600.00".into(), 90, 0, "0.00".into(), "0.00".into())],
            "{q}"
        );
        assert_eq!(st.lines[0].payee, "household:H-TEA");
    }
    let year = sub
        .get_subsidy_statement(pb::GetSubsidyStatementRequest {
            program_id: PROGRAM.into(),
            scheme_id: "tea".into(),
            period: String::new(),
            loan_ref: "bank:TEA".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(year.total, "2400.00");
    assert_eq!(
        balance(&mut c, PROGRAM, "2201/household:H-TEA").await,
        "2400.00"
    );
    sub.claim_subsidy(period("claim-q1", "tea", "2025-Q1", ""))
        .await
        .unwrap();
    let approve = period("approve-q1", "tea", "2025-Q1", "2025-04-10");
    bureau.approve_subsidy(approve).await.unwrap();
    let pay = period("pay-q1", "tea", "2025-Q1", "2025-04-15");
    bureau.pay_subsidy(pay).await.unwrap();
    // Paid: Dr 2201/household:H-TEA 600.00, Cr 1203 (approved Dr 1203, Cr 3002).
    assert_eq!(
        balance(&mut c, PROGRAM, "2201/household:H-TEA").await,
        "1800.00"
    );
    assert_eq!(balance(&mut c, PROGRAM, "1203").await, "0.00");
    assert_eq!(balance(&mut c, PROGRAM, "3002").await, "600.00");
    assert_eq!(balance(&mut c, PROGRAM, "5002").await, "2400.00");
    let tb = trial_balance(&mut c, PROGRAM, "").await;
    assert_eq!(tb.total_debit, tb.total_credit);

    // TEA2's bullet fell due 2026-01-01: on 2026-04-20 it is 31 + 28 + 31
    // + 19 = 109 days past due, yet no default; G1 is current.
    let tea2 = loan_on(&mut p, PROGRAM, "TEA2", "2026-04-20").await;
    assert_eq!(tea2.days_past_due, 109);
    let r = leverage_report(&mut p, PROGRAM, "2026-04-20").await;
    assert_eq!(
        (
            r.exposure.as_str(),
            r.principal_in_default.as_str(),
            r.default_ratio.as_str()
        ),
        ("50000.00", "0.00", "0")
    );
}
