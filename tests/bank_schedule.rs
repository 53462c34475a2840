//! The bank's own schedule through the real server (DOMAIN.md §5: the
//! bank's core system is the authority on its loan), every number worked by
//! hand. A bank charging actual/360 sends its schedule; its borrower paying
//! exactly what it said is never past due and earns the whole subsidy. A
//! schedule the ledger computes follows the program's day count. A schedule
//! that does not describe its loan is refused naming the field.
//!
//! The loan of every case: 50,000 at 4.35% from 2025-01-01 for 12 months,
//! interest monthly on the 1st, principal at maturity. On actual days
//! (50,000 × 0.0435 / 360 = 6.041666... a day) a 31-day month is 187.2916...
//! = 187.29, a 30-day month 181.25, February's 28 days 169.1666... = 169.17;
//! the year 7 × 187.29 + 4 × 181.25 + 169.17 = 2,205.20. Under months and
//! days every month is 50,000 × 0.0435 / 12 = 181.25.
mod common;

use common::program::*;
use common::subsidy::*;
use common::*;
use huzhu::pb::{self, RepaymentMethod};
use tonic::Code;

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

/// Days in each month of 2025, January first.
const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// What the bank charges for a month of `days` days: 187.29, 181.25 or 169.17.
fn actual_interest(days: u32) -> &'static str {
    match days {
        31 => "187.29",
        30 => "181.25",
        28 => "169.17",
        _ => unreachable!("2025 has no {days}-day month"),
    }
}

/// The due date of month `k` (0 for January): the first of the next month.
fn due(k: usize) -> String {
    match k {
        11 => "2026-01-01".into(),
        _ => format!("2025-{:02}-01", k + 2),
    }
}

/// The bank's schedule of the loan, interest on actual days.
fn bank_schedule() -> Vec<pb::BankInstallment> {
    DAYS.iter()
        .enumerate()
        .map(|(k, days)| pb::BankInstallment {
            due_date: due(k),
            principal: if k == 11 { "50000" } else { "0" }.into(),
            interest: actual_interest(*days).into(),
        })
        .collect()
}

/// The loan, registered with the bank's `schedule` (empty: none).
fn loan(
    program: &str,
    id: &str,
    schedule: Vec<pb::BankInstallment>,
) -> pb::RegisterGuaranteedLoanRequest {
    pb::RegisterGuaranteedLoanRequest {
        method: RepaymentMethod::FeeMonthly as i32,
        schedule,
        ..register_request(program, id, "50000", "2025-01-01")
    }
}

/// The borrower pays the bank's interest of month `k` on its due date (and
/// the principal with December's).
async fn pay_month(p: &mut Programs, program: &str, id: &str, k: usize) {
    let principal = if k == 11 { "50000" } else { "" };
    let paid = repayment_request(program, id, principal, actual_interest(DAYS[k]), &due(k));
    report_repayment(p, paid).await;
}

async fn accrue(
    sub: &mut Subsidies,
    program: &str,
    scheme: &str,
    quarter: &str,
) -> pb::SubsidyStatement {
    let request = period_request(
        &format!("{program}-{scheme}-{quarter}"),
        program,
        scheme,
        quarter,
        "",
    );
    ok(
        sub.accrue_subsidy(request).await,
        format!("{scheme} {quarter}"),
    )
}

/// A program that pays the loan's full rate on its bank loans, quarterly.
async fn full_rate_scheme(sub: &mut Subsidies, program: &str) {
    let scheme = scheme_request(
        program,
        "full",
        pb::SubsidyKind::Full,
        "",
        pb::Settlement::Quarterly,
    );
    ok(
        sub.create_subsidy_scheme(scheme).await,
        "the full-rate scheme",
    );
}

/// The program's subsidy (months and days) on the outstanding principal of
/// each day: 50,000 all year (the principal is repaid on 2026-01-01, the day
/// the loan ends), and from January 1 every quarter is three whole months,
/// 90 days: 50,000 × 0.0435 × 90 / 360 = 543.75 each, 2,175.00 for the
/// year, 50,000 × 4.35% exactly (the bank charged 2,205.20 on actual days:
/// the subsidy follows the program's convention, not the bank's).
#[tokio::test]
async fn a_bank_on_actual_360_sends_its_schedule_and_its_borrower_paying_it_is_never_past_due() {
    let s = TestServer::start();
    let (mut c, mut p, mut sub) = (
        s.client().await,
        s.program_client().await,
        s.subsidy_client().await,
    );
    let program = "hongan";
    program_with_deposit(&mut p, program, 10, "1000000").await;
    let registered = register(&mut p, loan(program, "A1", bank_schedule())).await;
    assert!(registered.schedule_from_bank);
    let interest: Vec<&str> = registered.schedule.iter().map(|i| i.fee.as_str()).collect();
    assert_eq!(interest[..3], ["187.29", "169.17", "187.29"]);
    assert_eq!(registered.schedule[11].payment, "50187.29");
    full_rate_scheme(&mut sub, program).await;
    ok(
        sub.link_subsidy_loan(link_request(program, "full", "", "A1"))
            .await,
        "A1 linked",
    );

    // Eleven months of interest, each on its due date.
    for k in 0..11 {
        pay_month(&mut p, program, "A1", k).await;
    }
    // Every day of the year, the loan still running: current.
    let (mut day, end) = (date("2025-01-01"), date("2026-01-01"));
    while day < end {
        let l = loan_on(&mut p, program, "A1", &day.to_string()).await;
        assert_eq!(l.days_past_due, 0, "{day}");
        day = day.succ_opt().unwrap();
    }
    let march = loan_on(&mut p, program, "A1", "2025-03-02").await;
    assert_eq!(
        march.oldest_unpaid_installment, 3,
        "February's 169.17 settles installment 2"
    );
    let r = leverage_report(&mut p, program, "2025-12-31").await;
    assert_eq!(
        (
            r.exposure.as_str(),
            r.default_ratio.as_str(),
            r.lending_suspended
        ),
        ("50000.00", "0", false)
    );
    // December's interest and the principal on 2026-01-01 close the loan.
    pay_month(&mut p, program, "A1", 11).await;
    let closed = loan_on(&mut p, program, "A1", "2026-01-01").await;
    assert_eq!(closed.state, pb::GuaranteeState::Closed as i32);
    assert_eq!(closed.interest_repaid, "2205.20");

    for q in ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"] {
        let st = accrue(&mut sub, program, "full", q).await;
        assert_eq!(
            lines(&st),
            vec![("543.75".into(), 90, 0, "0.00".into(), "0.00".into())],
            "{q}"
        );
    }
    assert_eq!(balance(&mut c, program, "5002").await, "2175.00");
}

/// Without the bank's schedule the ledger computes one under the program's
/// day count. Under actual/360 it is the bank's own (A3): paying it keeps
/// the borrower current, and the subsidy counts calendar days (Q1 90:
/// 543.75; Q2 91: 50,000 × 0.0435 × 91 / 360 = 549.7916... = 549.79).
/// Under months and days (A2) the ledger expects 181.25 a month: the bank's
/// 187.29 on February 1 and 169.17 on March 1 make 356.46 of the 362.50
/// due, so A2 is past due from March 2 until April 1's 187.29 makes 543.75,
/// three months' 181.25. Its Q1 loses March 2 to 30 (29 days of 1; March 31
/// completes the third month and weighs 0): 90 - 29 = 61 current days,
/// 50,000 × 0.0435 × 61 / 360 = 368.5416... = 368.54.
#[tokio::test]
async fn without_the_banks_schedule_the_ledger_computes_one_under_the_programs_day_count() {
    let s = TestServer::start();
    let (mut p, mut sub) = (s.program_client().await, s.subsidy_client().await);
    let mut actual = program_request("macheng", 10);
    actual.rules.as_mut().unwrap().day_count = pb::DayCount::Actual360 as i32;
    create_program(&mut p, actual).await;
    deposit(&mut p, "macheng", "1000000").await;
    program_with_deposit(&mut p, "hongan", 10, "1000000").await;
    let a3 = register(&mut p, loan("macheng", "A3", Vec::new())).await;
    assert!(!a3.schedule_from_bank);
    let bank: Vec<String> = bank_schedule().into_iter().map(|i| i.interest).collect();
    let computed: Vec<String> = a3.schedule.iter().map(|i| i.fee.clone()).collect();
    assert_eq!(
        computed, bank,
        "the ledger's actual/360 schedule is the bank's"
    );
    let a2 = register(&mut p, loan("hongan", "A2", Vec::new())).await;
    assert!(a2.schedule.iter().all(|i| i.fee == "181.25"));
    for (program, id) in [("macheng", "A3"), ("hongan", "A2")] {
        for k in 0..6 {
            pay_month(&mut p, program, id, k).await;
        }
        full_rate_scheme(&mut sub, program).await;
        ok(
            sub.link_subsidy_loan(link_request(program, "full", "", id))
                .await,
            id,
        );
    }
    for date in ["2025-03-02", "2025-03-31"] {
        assert_eq!(
            loan_on(&mut p, "macheng", "A3", date).await.days_past_due,
            0
        );
    }
    assert_eq!(
        loan_on(&mut p, "hongan", "A2", "2025-03-02")
            .await
            .days_past_due,
        1
    );
    assert_eq!(
        loan_on(&mut p, "hongan", "A2", "2025-03-31")
            .await
            .days_past_due,
        30
    );
    assert_eq!(
        loan_on(&mut p, "hongan", "A2", "2025-04-01")
            .await
            .days_past_due,
        0
    );
    let q1 = accrue(&mut sub, "macheng", "full", "2025-Q1").await;
    assert_eq!(
        lines(&q1),
        vec![("543.75".into(), 90, 0, "0.00".into(), "0.00".into())]
    );
    let q2 = accrue(&mut sub, "macheng", "full", "2025-Q2").await;
    assert_eq!(
        lines(&q2),
        vec![("549.79".into(), 91, 0, "0.00".into(), "0.00".into())]
    );
    let q1 = accrue(&mut sub, "hongan", "full", "2025-Q1").await;
    assert_eq!(
        lines(&q1),
        vec![("368.54".into(), 61, 29, "0.00".into(), "0.00".into())]
    );
}

/// A late installment of the bank's schedule: February's 169.17 paid on
/// March 5 leaves installment 2 unpaid March 2 to 4 (3 days past due on
/// March 4); what was paid then goes to it first. Every malformed schedule
/// is refused naming its field, and nothing changes.
#[tokio::test]
async fn the_banks_schedule_is_checked_and_a_late_installment_is_past_due_from_its_due_date() {
    let s = TestServer::start();
    let (mut c, mut p) = (s.client().await, s.program_client().await);
    let program = "tuanfeng";
    program_with_deposit(&mut p, program, 10, "1000000").await;
    let before = snapshot(&mut c, program).await;
    let with = |f: &dyn Fn(&mut Vec<pb::BankInstallment>)| {
        let mut schedule = bank_schedule();
        f(&mut schedule);
        loan(program, "A4", schedule)
    };
    let cases: Vec<(&str, pb::RegisterGuaranteedLoanRequest)> = vec![
        (
            "schedule[0].due_date",
            with(&|s| s[0].due_date = "2025-01-01".into()),
        ),
        (
            "schedule[0].due_date",
            with(&|s| s[0].due_date = "2025-02-30".into()),
        ),
        (
            "schedule[3].due_date",
            with(&|s| s[3].due_date = "2025-04-01".into()),
        ),
        (
            "schedule[11].due_date",
            with(&|s| s[11].due_date = "2026-01-02".into()),
        ),
        (
            "schedule[2].principal",
            with(&|s| s[2].principal = "-1".into()),
        ),
        (
            "schedule[2].principal",
            with(&|s| s[2].principal = "0.001".into()),
        ),
        (
            "schedule[5].interest",
            with(&|s| s[5].interest = "abc".into()),
        ),
        ("schedule", with(&|s| s[11].principal = "49999.99".into())),
        ("schedule", with(&|s| s.extend(vec![s[0].clone(); 145]))),
    ];
    for (field, request) in cases {
        let e = p.register_guaranteed_loan(request).await.unwrap_err();
        assert_eq!(e.code(), Code::InvalidArgument, "{field}: {e:?}");
        assert_eq!(bad_field(&e).as_deref(), Some(field), "{e:?}");
    }
    assert_eq!(
        snapshot(&mut c, program).await,
        before,
        "a refusal changes nothing"
    );

    register(&mut p, loan(program, "A4", bank_schedule())).await;
    pay_month(&mut p, program, "A4", 0).await;
    let late = repayment_request(program, "A4", "", "169.17", "2025-03-05");
    report_repayment(&mut p, late).await;
    let march_4 = loan_on(&mut p, program, "A4", "2025-03-04").await;
    assert_eq!(
        (march_4.days_past_due, march_4.oldest_unpaid_installment),
        (3, 2)
    );
    let march_5 = loan_on(&mut p, program, "A4", "2025-03-05").await;
    assert_eq!(
        (march_5.days_past_due, march_5.oldest_unpaid_installment),
        (0, 3)
    );
}
