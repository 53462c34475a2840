//! A fund's day count through the real server (DOMAIN.md §2): the same loans
//! in a fund counting months and days (the default) and in one counting
//! actual days over 360, every number worked by hand.
//!
//! Each fund: 100,000.00 of fiscal capital in the bank; households buy
//! 100.00 of shares in cash. Default rules otherwise: fee 7.2% a year,
//! penalty 3.6%.
mod common;

use common::fund::*;
use common::*;
use huzhu::pb::{self, PovertyStatus, RepaymentMethod};

const MD: &str = "fund-md";
const A360: &str = "fund-a360";

/// The two funds, one counting actual days.
async fn funds(f: &mut FundClient) {
    let actual = pb::FundRules {
        day_count: pb::DayCount::Actual360 as i32,
        ..Default::default()
    };
    for (fund, rules) in [(MD, None), (A360, Some(actual))] {
        fund_with_capital(f, fund, rules, &[Capital::fiscal("100000")], "2025-01-02").await;
    }
}

/// GetFund shows the convention; in the actual/360 fund 10,000 at 7.2% over
/// 3 months in equal installments from 2025-01-15 keeps the annuity payment
/// at r = 0.006, 3,373.41, while each fee counts its period's days (31, 28,
/// 31): 10,000 × 0.072 × 31 / 360 = 62.00; 6,688.59 × 0.072 × 28 / 360 =
/// 37.456104 → 37.46; 3,352.64 × 0.072 × 31 / 360 = 20.786368 → 20.79, the
/// last payment 3,352.64 + 20.79 = 3,373.43. The months-and-days fund's
/// fees are 60.00, 40.12, 20.12.
#[tokio::test]
async fn an_actual_360_fund_charges_each_periods_days() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut checker = server.checker_fund_client().await;
    funds(&mut f).await;
    let mut schedules = Vec::new();
    for (fund, want) in [
        (MD, pb::DayCount::MonthsAndDays),
        (A360, pb::DayCount::Actual360),
    ] {
        let shown = f
            .get_fund(pb::GetFundRequest {
                fund_id: fund.into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(shown.rules.unwrap().day_count, want as i32, "{fund}");
        member_with_shares(&mut f, fund, "M1", PovertyStatus::None, "100", "2025-01-02").await;
        let terms = LoanTerms {
            method: RepaymentMethod::EqualInstallments,
            ..LoanTerms::new(fund, "L1", "M1", "10000").on("2025-01-15")
        };
        apply_loan(&mut f, &terms).await;
        // Above 5,000: with the board's approval.
        let board = pb::ApproveLoanRequest {
            board_approved: true,
            ..terms.approve_request()
        };
        ok(checker.approve_loan(board).await, "the board's approval");
        let loan = disburse_loan(&mut f, &terms).await.loan.unwrap();
        let rows: Vec<(String, String, String, String)> = loan
            .schedule
            .into_iter()
            .map(|i| (i.due_date, i.fee, i.principal, i.payment))
            .collect();
        schedules.push(rows);
    }
    let row = |due: &str, fee: &str, principal: &str, payment: &str| {
        (
            due.to_string(),
            fee.to_string(),
            principal.to_string(),
            payment.to_string(),
        )
    };
    assert_eq!(
        schedules[1],
        [
            row("2025-02-15", "62.00", "3311.41", "3373.41"),
            row("2025-03-15", "37.46", "3335.95", "3373.41"),
            row("2025-04-15", "20.79", "3352.64", "3373.43"),
        ]
    );
    let md_fees: Vec<&str> = schedules[0].iter().map(|r| r.1.as_str()).collect();
    assert_eq!(md_fees, ["60.00", "40.12", "20.12"]);
}

/// 3,000 fee monthly over 3 months from March 1 in each fund, never paid:
/// its principal falls due on June 1. Day-end for July 31, then August 1.
/// - Months and days: fees 3,000 × 0.006 = 18.00 a month, 54.00; the
///   penalty's days run from the loan's monthly anniversaries, June 1 to
///   July 1 (30 days) and July 1 to July 31 (30): 3,000 × 0.036 × 60 / 360 =
///   18.00. August 1 ends the 31-day stretch from July 1 and weighs 0: no
///   penalty that day.
/// - Actual/360: fees 3,000 × 0.072 × 31 / 360 = 18.60 (March), 18.00 (30
///   April days), 18.60 (May), 55.20; penalty June 1 to July 31, 60 days,
///   18.00, and August 1 one more day: 3,000 × 0.036 / 360 = 0.30, 18.30.
#[tokio::test]
async fn the_penalty_counts_days_in_the_funds_convention() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut checker = server.checker_fund_client().await;
    let mut c = server.client().await;
    funds(&mut f).await;
    for (fund, jul31, aug1, penalty) in [
        (MD, ("54.00", "18.00"), "0.00", "18.00"),
        (A360, ("55.20", "18.00"), "0.30", "18.30"),
    ] {
        member_with_shares(&mut f, fund, "M1", PovertyStatus::None, "100", "2025-01-02").await;
        let terms = LoanTerms {
            method: RepaymentMethod::FeeMonthly,
            ..LoanTerms::new(fund, "L1", "M1", "3000")
        };
        disbursed_loan(&mut f, &mut checker, &terms).await;
        let run = day_end_through(&mut f, fund, "2025-07-31").await;
        assert_eq!(
            (run.fee_accrued.as_str(), run.penalty_accrued.as_str()),
            jul31,
            "{fund} through July 31"
        );
        let run = day_end_through(&mut f, fund, "2025-08-01").await;
        assert_eq!(
            (run.fee_accrued.as_str(), run.penalty_accrued.as_str()),
            ("0.00", aug1),
            "{fund} on August 1"
        );
        assert_eq!(balance(&mut c, fund, "4003").await, penalty, "{fund}");
    }
}
