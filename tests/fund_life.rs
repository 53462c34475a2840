//! A village fund's year end to end over the gRPC API, every balance worked
//! by hand.
//!
//! Capital: 200,000 fiscal and 50,000 special support into the bank, 5,000
//! donated in cash, of which the members' meeting sets 1,000 aside as risk
//! reserve. 20 households of mixed status each buy 100.00 of shares (cash);
//! the six registered poor get 200.00 of allocated shares each. Five loans
//! from the bank on 2025-03-01 over 3 months at 7.2% (r = 0.006):
//! - L1 (M07) 3,000 fee monthly, paid on time: 18 + 18 + 3,018 = 3,054.00, fees 54.00;
//! - L2 (M08) 1,200 equal principal, April paid 10 days late: 407.60 (penalty
//!   0.40), then 404.80 and 402.40 on time; fees 7.20 + 4.80 + 2.40 = 14.40;
//! - L3 (M09) 2,000 bullet, paid off early on April 20: the fee to the day in
//!   months and days is a whole month and 19 days, 2,000 x 0.072 x 49 / 360 =
//!   19.60: 2,019.60;
//! - L4 (M10) 5,000 equal installments: payment 5,000 x 0.006 / (1 - 1.006^-3)
//!   = 1,686.71; fees 30.00, 20.06 (3,343.29 x 0.006), 10.06 (1,676.64 x 0.006),
//!   the last payment 1,686.70; fees 60.12;
//! - L5 (M11) 1,000 fee monthly, never paid, written off on June 15 (asked
//!   for by one token, approved by another): the reserve's 1,000 covers it;
//!   its 18.00 fee and 1.40 penalty (14 days x 1,000 x 0.036 / 360) go back
//!   out of income.
//!
//! Day-end runs at each month's end, March to June. Year-end 2025: surplus
//! 54 + 14.40 + 0.40 + 19.60 + 60.12 = 148.52 → welfare 14.852 → 14.85, risk
//! 44.556 → 44.56, dividends 59.408 → 59.41, accumulation the rest, 29.70;
//! dividends by shares (300 for each registered poor household, 100 for the
//! others, 3,200 in all): 5.5696875 and 1.8565625 → floors 5.56 and 1.85
//! (59.26) leave 15 fens: one for each of the six poor (remainder 0.97 of a
//! fen), then nine for M07-M15 (0.66), the earlier member on a tie.
mod common;

use common::fund::*;
use common::*;
use huzhu::pb::{self, DividendBasis, PovertyStatus, RepaymentMethod, Till};

const FUND: &str = "fund-quannian";

fn status_of(k: u32) -> (PovertyStatus, &'static str) {
    match k {
        1..=6 => (PovertyStatus::RegisteredPoor, ""),
        7..=9 => (PovertyStatus::LowIncome, ""),
        10..=11 => (PovertyStatus::Dibao, ""),
        12 => (PovertyStatus::Wubao, ""),
        13..=14 => (PovertyStatus::MonitoredEdge, "chronic illness"),
        15 => (PovertyStatus::MonitoredUnstable, "hail damage"),
        _ => (PovertyStatus::None, ""),
    }
}

async fn repay(f: &mut FundClient, loan: &str, amount: &str, date: &str) -> pb::Loan {
    f.repay_loan(pb::RepayLoanRequest {
        request_id: format!("pay-{loan}-{date}"),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        amount: amount.into(),
        till: Till::Cash as i32,
        date: date.into(),
    })
    .await
    .unwrap()
    .into_inner()
    .loan
    .unwrap()
}

async fn day_end(f: &mut FundClient, date: &str) {
    f.run_day_end(pb::RunDayEndRequest {
        request_id: format!("eod-{date}"),
        fund_id: FUND.into(),
        date: date.into(),
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_funds_year() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;
    // A second token approves what the first asks for (maker-checker).
    let mut checker = server.checker_fund_client().await;
    let capital = [
        Capital::fiscal("200000"),
        Capital::special("50000"),
        Capital::donation("5000"),
    ];
    fund_with_capital(&mut f, FUND, None, &capital, "2025-01-02").await;
    post(
        &mut c,
        transfer(
            "risk-reserve",
            "2025-01-02",
            FUND,
            "3004",
            "3103",
            "1000.00",
        ),
    )
    .await;
    for k in 1..=20u32 {
        let m = format!("M{k:02}");
        let (status, cause) = status_of(k);
        let household = pb::JoinMemberRequest {
            risk_cause: cause.into(),
            ..join_request(FUND, &m, status, "2025-01-05")
        };
        join(&mut f, household).await;
        buy_shares(&mut f, FUND, &m, "100", "2025-01-05").await;
        if k <= 6 {
            allocate_shares(&mut f, FUND, &m, "200", "2025-01-05").await;
        }
    }
    for (loan, m, principal, method) in [
        ("L1", "M07", "3000", RepaymentMethod::FeeMonthly),
        ("L2", "M08", "1200", RepaymentMethod::EqualPrincipal),
        ("L3", "M09", "2000", RepaymentMethod::Bullet),
        ("L4", "M10", "5000", RepaymentMethod::EqualInstallments),
        ("L5", "M11", "1000", RepaymentMethod::FeeMonthly),
    ] {
        let terms = LoanTerms {
            method,
            approved: "2025-02-27",
            ..LoanTerms::new(FUND, loan, m, principal)
        };
        disbursed_loan(&mut f, &mut checker, &terms).await;
    }

    day_end(&mut f, "2025-03-31").await;
    repay(&mut f, "L1", "18.00", "2025-04-01").await;
    repay(&mut f, "L4", "1686.71", "2025-04-01").await;
    repay(&mut f, "L2", "407.60", "2025-04-11").await;
    assert_eq!(
        repay(&mut f, "L3", "2019.60", "2025-04-20").await.status,
        pb::LoanStatus::Closed as i32
    );
    day_end(&mut f, "2025-04-30").await;
    repay(&mut f, "L1", "18.00", "2025-05-01").await;
    repay(&mut f, "L2", "404.80", "2025-05-01").await;
    repay(&mut f, "L4", "1686.71", "2025-05-01").await;
    day_end(&mut f, "2025-05-31").await;
    for (loan, amount) in [("L1", "3018.00"), ("L2", "402.40"), ("L4", "1686.70")] {
        let l = repay(&mut f, loan, amount, "2025-06-01").await;
        assert_eq!(
            l.status,
            pb::LoanStatus::Closed as i32,
            "{loan} is paid off on its last due date"
        );
    }
    f.request_write_off(pb::RequestWriteOffRequest {
        request_id: "wo-ask-L5".into(),
        fund_id: FUND.into(),
        loan_id: "L5".into(),
        board_decision: "board resolution 2025-06".into(),
    })
    .await
    .unwrap();
    let l5 = checker
        .write_off_loan(pb::WriteOffLoanRequest {
            request_id: "wo-L5".into(),
            fund_id: FUND.into(),
            loan_id: "L5".into(),
            date: "2025-06-15".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(l5.status, pb::LoanStatus::WrittenOff as i32);
    assert_eq!(
        (l5.written_off.as_str(), l5.closed_on.as_str()),
        ("1000.00", "2025-06-15")
    );
    // L2's history: the late April payment split penalty, fee, principal.
    let l2 = f
        .get_loan(pb::GetLoanRequest {
            fund_id: FUND.into(),
            loan_id: "L2".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    let history: Vec<(&str, &str, &str, &str)> = l2
        .repayments
        .iter()
        .map(|r| {
            (
                r.date.as_str(),
                r.penalty.as_str(),
                r.fee.as_str(),
                r.principal.as_str(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            ("2025-04-11", "0.40", "7.20", "400.00"),
            ("2025-05-01", "0.00", "4.80", "400.00"),
            ("2025-06-01", "0.00", "2.40", "400.00"),
        ]
    );
    day_end(&mut f, "2025-06-30").await;
    day_end(&mut f, "2025-12-31").await;

    let y = f
        .run_year_end(pb::RunYearEndRequest {
            request_id: "ye-2025".into(),
            fund_id: FUND.into(),
            year: 2025,
            basis: DividendBasis::Shares as i32,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            y.surplus.as_str(),
            y.welfare.as_str(),
            y.accumulation.as_str(),
            y.risk.as_str(),
            y.dividends.as_str()
        ),
        ("148.52", "14.85", "29.70", "44.56", "59.41")
    );
    let dividends: Vec<&str> = y
        .member_dividends
        .iter()
        .map(|d| d.amount.as_str())
        .collect();
    let mut expected = vec!["5.57"; 6];
    expected.extend(vec!["1.86"; 9]);
    expected.extend(vec!["1.85"; 5]);
    assert_eq!(dividends, expected);

    // Every balance, by hand. Bank 250,000 - 12,200 lent; cash 5,000 + 2,000
    // shares + 3,054 + 1,214.80 + 2,019.60 + 5,060.12 repaid.
    for (account, want) in [
        ("1002", "237800.00"),
        ("1001", "18348.52"),
        ("3001/source:fiscal", "198800.00"),
        ("3001/source:special", "50000.00"),
        ("3004", "4000.00"),
        ("3101", "14.85"),
        ("3102", "29.70"),
        ("3103", "44.56"),
        ("3201", "0.00"),
        ("4001", "0.00"),
        ("4003", "0.00"),
        ("5002", "0.00"),
        ("2201/member:M01", "5.57"),
        ("2201/member:M06", "5.57"),
        ("2201/member:M15", "1.86"),
        ("2201/member:M20", "1.85"),
    ] {
        assert_eq!(balance(&mut c, FUND, account).await, want, "{account}");
    }
    for (code, want) in [
        ("1201", "0.00"),
        ("1202", "0.00"),
        ("3002", "2000.00"),
        ("3003", "1200.00"),
        ("2201", "59.41"),
    ] {
        let b = c
            .get_balance(pb::GetBalanceRequest {
                account: Some(account(FUND, code, "")),
                as_of: String::new(),
                include_sub_accounts: true,
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(b.balance, want, "{code} with its sub-accounts");
    }
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(
        (tb.total_debit.as_str(), tb.total_credit.as_str()),
        ("256148.52", "256148.52")
    );
    let fund = f
        .get_fund(pb::GetFundRequest {
            fund_id: FUND.into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(fund.active_members, 20);
    let v = c
        .verify_chain(pb::VerifyChainRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(v.ok, "{:?}", v.problems);
}
