//! A repayment recorded late and the interest subsidy (DOMAIN.md §4, §5)
//! through the real server: the subsidy's current days come out as if it
//! had been recorded on time, and a repayment dated in a period the
//! subsidy has already accrued is refused, since that subsidy was computed
//! without it.
//!
//! Fund (100,000.00 of fiscal capital): M1, registered poor, borrows L1,
//! 3,600 over 3 months at equal principal from 2025-03-01 (1,200 a month,
//! fees 21.60, 14.40, 7.20; April 1 asks 1,221.60). The program's fixed
//! 2.4% scheme, settled monthly, subsidizes L1. Days in months and days:
//! from March 1 every day weighs 1 but March 31 (the 31st day of a
//! month-long stretch), so March weighs 30 and April 30.
//!
//! M1 pays April 1's 1,221.60 on April 1; the clerk records it on April 6,
//! after the day-ends of April 1 to 5.
//! - March: 3,600 × 30 × 0.024 / 360 = 7.20, 30 days current.
//! - April, as if recorded on time: 2,400 outstanding every day, 30 days
//!   current, 2,400 × 30 × 0.024 / 360 = 4.80. Taken on the day it was
//!   recorded it would have been April 1 on 3,600, April 2-5 overdue (4
//!   days) and April 6-30 on 2,400: 26 days, (3,600 + 25 × 2,400) × 0.024
//!   / 360 = 4.24.
mod common;

use common::fund::*;
use common::program::*;
use common::subsidy::*;
use common::*;
use huzhu::pb::{self, PovertyStatus, RepaymentMethod, Till};

const PROGRAM: &str = "county-late";
const FUND: &str = "fund-late";

fn repayment(id: &str, amount: &str, date: &str) -> pb::RepayLoanRequest {
    pb::RepayLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        amount: amount.into(),
        till: Till::Cash as i32,
        date: date.into(),
    }
}

#[tokio::test]
async fn a_late_recorded_repayment_keeps_the_subsidys_current_days() {
    let s = TestServer::start();
    let (mut f, mut sub, mut c) = (
        s.fund_client().await,
        s.subsidy_client().await,
        s.client().await,
    );
    create_program(&mut s.program_client().await, program_request(PROGRAM, 10)).await;
    fund_with_capital(
        &mut f,
        FUND,
        None,
        &[Capital::fiscal("100000")],
        "2025-02-20",
    )
    .await;
    member_with_shares(
        &mut f,
        FUND,
        "M1",
        PovertyStatus::RegisteredPoor,
        "100",
        "2025-02-20",
    )
    .await;
    let terms = LoanTerms {
        method: RepaymentMethod::EqualPrincipal,
        ..LoanTerms::new(FUND, "L1", "M1", "3600")
    };
    disbursed_loan(&mut f, &mut s.checker_fund_client().await, &terms).await;
    let scheme = scheme_request(
        PROGRAM,
        "fee-m",
        pb::SubsidyKind::Fixed,
        "0.024",
        pb::Settlement::Monthly,
    );
    ok(sub.create_subsidy_scheme(scheme).await, "the scheme");
    ok(
        sub.link_subsidy_loan(link_request(PROGRAM, "fee-m", FUND, "L1"))
            .await,
        "the link",
    );

    for date in [
        "2025-03-31",
        "2025-04-01",
        "2025-04-02",
        "2025-04-03",
        "2025-04-04",
        "2025-04-05",
    ] {
        day_end_through(&mut f, FUND, date).await;
    }
    let paid = ok(
        f.repay_loan(repayment("pay-apr", "1221.60", "2025-04-01"))
            .await,
        "the late record",
    );
    assert_eq!(paid.loan.unwrap().outstanding_principal, "2400.00");
    day_end_through(&mut f, FUND, "2025-04-30").await;

    let accrue = |id: &str, period: &str| period_request(id, PROGRAM, "fee-m", period, "");
    let march = ok(
        sub.accrue_subsidy(accrue("acc-03", "2025-03")).await,
        "March",
    );
    let april = ok(
        sub.accrue_subsidy(accrue("acc-04", "2025-04")).await,
        "April",
    );
    let days = |st: &pb::SubsidyStatement| -> Vec<(String, i64, i64)> {
        lines(st)
            .into_iter()
            .map(|(amount, current, overdue, _, _)| (amount, current, overdue))
            .collect()
    };
    assert_eq!(days(&march), [("7.20".to_string(), 30, 0)]);
    assert_eq!(days(&april), [("4.80".to_string(), 30, 0)]);

    // April is accrued: a repayment dated in it would change a subsidy
    // already computed. Refused, nothing changes.
    let before = snapshot(&mut c, FUND).await;
    let e = f
        .repay_loan(repayment("pay-0430", "100.00", "2025-04-30"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), broken_rule(&e).as_deref()),
        (
            tonic::Code::FailedPrecondition,
            Some("repayment_not_in_accrued_subsidy_period")
        ),
        "{e:?}"
    );
    assert_eq!(snapshot(&mut c, FUND).await, before);
    // Both subsidies came off L1's fee receivable (April's fee, 14.40, was
    // accrued by then): May 1 asks 1,200 + 14.40 − 7.20 − 4.80 = 1,202.40.
    // Dated after the accrued period, it is taken.
    let reduced: Vec<String> = [&march, &april]
        .iter()
        .flat_map(|st| lines(st))
        .map(|l| l.3)
        .collect();
    assert_eq!(reduced, ["7.20", "4.80"]);
    let may = ok(
        f.repay_loan(repayment("pay-may", "1202.40", "2025-05-01"))
            .await,
        "May 1",
    );
    assert_eq!(may.loan.unwrap().outstanding_principal, "1200.00");
}
