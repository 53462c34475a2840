//! Returning borrowers and members in arrears through the real server
//! (DOMAIN.md §4): a loan history counts every loan ever disbursed, loans
//! not yet disbursed count against the limits, and the limits are checked
//! at application, approval and disbursement; each refusal names its rule
//! and changes nothing.
//!
//! Fund: 200,000.00 of fiscal capital in the bank, so one household may owe
//! 10% of about 200,000 (20,000 and a little); default rules: a first loan
//! up to 10,000, a loan up to 20,000, the board above 5,000. Households buy
//! 100.00 of shares in cash. Loans are bullets over one month at 7.2%
//! (a month's fee is principal × 0.072 / 12), disbursed from the bank.
mod common;

use common::fund::*;
use common::*;
use huzhu::pb::{self, PovertyStatus};

const FUND: &str = "fund-huilai";
const LENIENT: &str = "fund-kuanrong";

async fn fund(f: &mut FundClient, fund: &str, rules: Option<pb::FundRules>) {
    fund_with_capital(f, fund, rules, &[Capital::fiscal("200000")], "2025-02-20").await;
    for m in ["M1", "M2", "M3", "M4", "M5"] {
        member_with_shares(f, fund, m, PovertyStatus::None, "100", "2025-02-20").await;
    }
}

/// A one-month bullet loan disbursed on 2025-03-01, due 2025-04-01.
fn march(
    fund: &'static str,
    loan: &'static str,
    member: &'static str,
    p: &'static str,
) -> LoanTerms<'static> {
    LoanTerms {
        term_months: 1,
        ..LoanTerms::new(fund, loan, member, p).on("2025-03-01")
    }
}

/// The approval, with the board's where the loan is above 5,000.
fn approval(t: &LoanTerms<'_>, board: bool) -> pb::ApproveLoanRequest {
    pb::ApproveLoanRequest {
        board_approved: board,
        ..t.approve_request()
    }
}

fn repayment(fund: &str, loan: &str, amount: &str, date: &str) -> pb::RepayLoanRequest {
    pb::RepayLoanRequest {
        request_id: format!("pay-{fund}-{loan}-{date}"),
        fund_id: fund.into(),
        loan_id: loan.into(),
        amount: amount.into(),
        till: pb::Till::Cash as i32,
        date: date.into(),
    }
}

#[track_caller]
fn refused<T: std::fmt::Debug>(r: Result<tonic::Response<T>, tonic::Status>, rule: &str) {
    let err = r.expect_err(rule);
    assert_eq!(
        err.code(),
        tonic::Code::FailedPrecondition,
        "{}",
        err.message()
    );
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some(rule),
        "{}",
        err.message()
    );
}

/// M1 repaid a 5,000 loan (5,000 + 30.00 of fee on April 1); on April 2 it
/// asks for 12,365, the Zhuyang federation's average loan (2,609,000 / 211):
/// above the 10,000 first-loan cap, but M1 is a returning borrower, so it
/// passes. M2, with no history, asks for two loans at once: 6,000, then
/// 4,000.01 is refused (10,000.01 of first loans), and 4,000 passes.
#[tokio::test]
async fn a_returning_borrower_borrows_beyond_the_first_loan_cap() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut checker = server.checker_fund_client().await;
    let mut c = server.client().await;
    fund(&mut f, FUND, None).await;
    disbursed_loan(&mut f, &mut checker, &march(FUND, "L1", "M1", "5000")).await;
    let repaid = ok(
        f.repay_loan(repayment(FUND, "L1", "5030.00", "2025-04-01"))
            .await,
        "L1 repaid",
    );
    assert_eq!(repaid.loan.unwrap().status, pb::LoanStatus::Closed as i32);

    let again = LoanTerms {
        term_months: 12,
        ..LoanTerms::new(FUND, "L2", "M1", "12365").on("2025-04-02")
    };
    apply_loan(&mut f, &again).await;
    ok(
        checker.approve_loan(approval(&again, true)).await,
        "L2 approved",
    );
    let l2 = disburse_loan(&mut f, &again).await.loan.unwrap();
    assert_eq!(
        (l2.status, l2.outstanding_principal.as_str()),
        (pb::LoanStatus::Disbursed as i32, "12365.00")
    );

    let first =
        |loan: &'static str, p: &'static str| LoanTerms::new(FUND, loan, "M2", p).on("2025-04-02");
    apply_loan(&mut f, &first("L3", "6000")).await;
    let before = snapshot(&mut c, FUND).await;
    let over = first("L4", "4000.01").apply_request();
    refused(f.apply_loan(over).await, "first_loan_at_most_fund_maximum");
    assert_eq!(
        snapshot(&mut c, FUND).await,
        before,
        "the refusal changed nothing"
    );
    let l4 = apply_loan(&mut f, &first("L4", "4000")).await.loan.unwrap();
    assert_eq!(l4.status, pb::LoanStatus::Applied as i32);
}

/// M3 and M4 each owe 1,000 due April 1 (fee 6.00). On April 1, due but not
/// yet past due, each applies for 2,000, and M4's is approved that day. On
/// April 3 both are 2 days past due: M3's approval and M4's disbursement
/// are refused (borrower_has_no_loan_past_due) and change nothing. M4 pays
/// 1,000 + 6.00 + penalty 1,000 × 0.036 × 2 / 360 = 0.20 = 1,006.20; then
/// its loan goes out. M5's 1,000 was written off and 300 recovered: 700
/// unrecovered bars it (borrower_has_no_unrecovered_write_off). A fund whose
/// rules lend to members in arrears lends to a member past due.
#[tokio::test]
async fn members_in_arrears_are_refused_at_every_step() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut checker = server.checker_fund_client().await;
    let mut c = server.client().await;
    let lenient = pb::FundRules {
        lend_to_members_in_arrears: true,
        ..Default::default()
    };
    fund(&mut f, FUND, None).await;
    fund(&mut f, LENIENT, Some(lenient)).await;
    for (fund, loan, member) in [
        (FUND, "L3", "M3"),
        (FUND, "L4", "M4"),
        (FUND, "L5", "M5"),
        (LENIENT, "K1", "M1"),
    ] {
        disbursed_loan(&mut f, &mut checker, &march(fund, loan, member, "1000")).await;
    }
    let next = |fund: &'static str, loan: &'static str, member: &'static str| LoanTerms {
        approved: "2025-04-03",
        disbursed: "2025-04-03",
        ..LoanTerms::new(fund, loan, member, "2000").on("2025-04-01")
    };
    let (m3, m4) = (next(FUND, "N3", "M3"), next(FUND, "N4", "M4"));
    apply_loan(&mut f, &m3).await;
    apply_loan(&mut f, &m4).await;
    let m4_early = pb::ApproveLoanRequest {
        date: "2025-04-01".into(),
        ..m4.approve_request()
    };
    ok(
        checker.approve_loan(m4_early).await,
        "N4 approved on April 1",
    );
    let before = snapshot(&mut c, FUND).await;
    refused(
        checker.approve_loan(m3.approve_request()).await,
        "borrower_has_no_loan_past_due",
    );
    refused(
        f.disburse_loan(m4.disburse_request()).await,
        "borrower_has_no_loan_past_due",
    );
    assert_eq!(
        snapshot(&mut c, FUND).await,
        before,
        "the refusals changed nothing"
    );
    let paid = ok(
        f.repay_loan(repayment(FUND, "L4", "1006.20", "2025-04-03"))
            .await,
        "L4 paid",
    );
    assert_eq!(paid.loan.unwrap().status, pb::LoanStatus::Closed as i32);
    let out = disburse_loan(&mut f, &m4).await.loan.unwrap();
    assert_eq!(out.outstanding_principal, "2000.00");

    let ask = pb::RequestWriteOffRequest {
        request_id: "ask-wo-L5".into(),
        fund_id: FUND.into(),
        loan_id: "L5".into(),
        board_decision: "board 2025-4".into(),
    };
    ok(f.request_write_off(ask).await, "a write-off asked for");
    let write_off = pb::WriteOffLoanRequest {
        request_id: "wo-L5".into(),
        fund_id: FUND.into(),
        loan_id: "L5".into(),
        date: "2025-04-03".into(),
    };
    ok(checker.write_off_loan(write_off).await, "L5 written off");
    let recovery = pb::RecoverLoanRequest {
        request_id: "rec-L5".into(),
        fund_id: FUND.into(),
        loan_id: "L5".into(),
        amount: "300".into(),
        till: pb::Till::Cash as i32,
        date: "2025-04-03".into(),
    };
    ok(f.recover_loan(recovery).await, "300 recovered on L5");
    let m5 = next(FUND, "N5", "M5").on("2025-04-03").apply_request();
    refused(
        f.apply_loan(m5).await,
        "borrower_has_no_unrecovered_write_off",
    );

    let k2 = next(LENIENT, "K2", "M1").on("2025-04-03");
    apply_loan(&mut f, &k2).await;
    let approved = approve_loan(&mut checker, &k2).await.loan.unwrap();
    assert_eq!(
        approved.status,
        pb::LoanStatus::Approved as i32,
        "K1 is 2 days past due, and the fund lends"
    );
}
