//! Servicing loans through the real server, every number worked by hand:
//! day-end accrual across months, a repayment on time, one late (with
//! penalty), an early payoff, days past due and buckets, and the books.
//!
//! Fund: 100,000.00 of fiscal capital in the bank; M1, M2, M3 hold 100.00 of
//! shares each (cash). Default rules: fee 7.2% a year (r = 0.006 a month),
//! penalty 3.6%. Disbursed from the bank on 2025-03-01:
//! - L1 (M1) 3,000, fee monthly, 3 months: 18.00 on Apr 1, May 1, Jun 1; 3,000 on Jun 1.
//! - L2 (M2) 1,200, equal principal, 3 months: 400 + 7.20, 400 + 4.80, 400 + 2.40.
//! - L3 (M3) 2,000, bullet, 3 months: 2,000 + 2,000 x 0.072 x 3 / 12 = 36.00 on Jun 1.
//!
//! Days are counted in months and days (the default): a whole month is 30.
mod common;

use common::fund::*;
use common::*;
use huzhu::pb::{
    self, token_service_client::TokenServiceClient, PovertyStatus, RepaymentMethod, Till,
};
use tonic::Code;

const FUND: &str = "fund-hexi";

/// The actor the calling token is recorded as ("<token id>/<role>").
async fn actor_of(channel: Channel) -> String {
    TokenServiceClient::new(channel)
        .who_am_i(pb::WhoAmIRequest {})
        .await
        .expect("who am i")
        .into_inner()
        .token
        .expect("the calling token")
        .actor
}

async fn get_loan(f: &mut FundClient, loan: &str) -> pb::Loan {
    f.get_loan(pb::GetLoanRequest {
        fund_id: FUND.into(),
        loan_id: loan.into(),
    })
    .await
    .unwrap()
    .into_inner()
    .loan
    .unwrap()
}

/// The fund and its three loans: applied for with `f`'s token (admin) and
/// approved with the server's second admin token (the checker).
async fn setup(server: &TestServer, f: &mut FundClient) {
    let mut checker = server.checker_fund_client().await;
    fund_with_capital(f, FUND, None, &[Capital::fiscal("100000")], "2025-02-20").await;
    for (m, loan, principal, method) in [
        ("M1", "L1", "3000", RepaymentMethod::FeeMonthly),
        ("M2", "L2", "1200", RepaymentMethod::EqualPrincipal),
        ("M3", "L3", "2000", RepaymentMethod::Bullet),
    ] {
        let status = PovertyStatus::LowIncome;
        member_with_shares(f, FUND, m, status, "100", "2025-02-20").await;
        let terms = LoanTerms {
            method,
            ..LoanTerms::new(FUND, loan, m, principal)
        };
        disbursed_loan(f, &mut checker, &terms).await;
    }
}

fn day_end(id: &str, date: &str) -> pb::RunDayEndRequest {
    pb::RunDayEndRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        date: date.into(),
    }
}

fn repay(id: &str, loan: &str, amount: &str, date: &str) -> pb::RepayLoanRequest {
    pb::RepayLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        amount: amount.into(),
        till: Till::Cash as i32,
        date: date.into(),
    }
}

async fn ledger(f: &mut FundClient, as_of: &str) -> Vec<(String, i64, String, String)> {
    f.list_loans(pb::ListLoansRequest {
        fund_id: FUND.into(),
        as_of: as_of.into(),
    })
    .await
    .unwrap()
    .into_inner()
    .loans
    .into_iter()
    .map(|l| {
        (
            l.loan_id,
            l.days_past_due,
            l.bucket,
            l.outstanding_principal,
        )
    })
    .collect()
}

#[tokio::test]
async fn day_end_and_repayments_on_time_late_and_early() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;
    setup(&server, &mut f).await;

    // March 2..31, 30 days of each period's straight-line share:
    // L1 18 / 31 = 0.58 -> 17.40; L2 7.20 / 31 = 0.23 -> 6.90;
    // L3 36 / 92 (Mar 1 -> Jun 1) = 0.39 -> 11.70. Fee 36.00 in all.
    let run = f
        .run_day_end(day_end("eod-0331", "2025-03-31"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            run.loans_accrued,
            run.fee_accrued.as_str(),
            run.penalty_accrued.as_str()
        ),
        (3, "36.00", "0.00")
    );
    let before = snapshot(&mut c, FUND).await;
    let err = f
        .run_day_end(day_end("eod-0331-again", "2025-03-31"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), broken_rule(&err).as_deref()),
        (Code::FailedPrecondition, Some("day_end_once_per_date"))
    );
    assert!(
        f.run_day_end(day_end("eod-0331", "2025-03-31"))
            .await
            .unwrap()
            .into_inner()
            .replayed
    );
    assert_eq!(
        snapshot(&mut c, FUND).await,
        before,
        "a second run for a date changes nothing"
    );

    // L1 on time, April 1: March's remainder 18.00 - 17.40 = 0.60 accrues; 18.00 pays the fee.
    let l1 = f
        .repay_loan(repay("pay-l1-apr", "L1", "18.00", "2025-04-01"))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(l1.outstanding_principal, "3000.00");

    // L2 ten days late, April 11: penalty on 400 overdue for Apr 2..11 is
    // 10 x 400 x 0.036 / 360 = 0.40; fee accrued 0.30 (March's remainder) +
    // 10 x 4.80 / 30 = 1.60; 407.60 pays 0.40 + 7.20 + 400.00.
    f.repay_loan(repay("pay-l2-apr", "L2", "407.60", "2025-04-11"))
        .await
        .unwrap();

    // L3 paid off early on April 20, a whole month (30) and 19 days after its
    // disbursement: the fee to the day is 2,000 x 0.072 x 49 / 360 = 19.60
    // against 50 x 0.39 = 19.50 accrued over the 50 actual days, so 2,019.60
    // pays it off and 0.10 more fee is booked. A fen more is refused.
    let before = snapshot(&mut c, FUND).await;
    let err = f
        .repay_loan(repay("pay-l3-over", "L3", "2019.61", "2025-04-20"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), broken_rule(&err).as_deref()),
        (Code::FailedPrecondition, Some("repayment_at_most_owed"))
    );
    assert_eq!(snapshot(&mut c, FUND).await, before);
    let paid = f
        .repay_loan(repay("pay-l3-off", "L3", "2019.60", "2025-04-20"))
        .await
        .unwrap()
        .into_inner();
    let l3 = paid.loan.unwrap();
    assert_eq!(
        (l3.status, l3.outstanding_principal.as_str()),
        (pb::LoanStatus::Closed as i32, "0.00")
    );
    assert_eq!(
        paid.entry_seqs.len(),
        3,
        "accrual, fee correction, repayment"
    );
    let err = f
        .repay_loan(repay("pay-l3-again", "L3", "1.00", "2025-04-21"))
        .await
        .unwrap_err();
    assert_eq!(broken_rule(&err).as_deref(), Some("loan_status_allows_it"));

    // April 30: L1 accrues Apr 2..30 at 18 / 30 = 0.60 -> 17.40; L2 Apr 12..30
    // at 0.16 -> 3.04; nothing overdue (L2's April principal is paid).
    let run = f
        .run_day_end(day_end("eod-0430", "2025-04-30"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            run.loans_accrued,
            run.fee_accrued.as_str(),
            run.penalty_accrued.as_str()
        ),
        (2, "20.44", "0.00")
    );

    // Nothing paid on May 1: on May 11 L1 and L2 are 10 days past due; on
    // June 5, L1's May 1 installment is 35 days past due.
    assert_eq!(
        ledger(&mut f, "2025-05-11").await,
        vec![
            (
                "L1".to_string(),
                10,
                "1-30".to_string(),
                "3000.00".to_string()
            ),
            (
                "L2".to_string(),
                10,
                "1-30".to_string(),
                "800.00".to_string()
            ),
            (
                "L3".to_string(),
                0,
                "current".to_string(),
                "0.00".to_string()
            ),
        ]
    );
    assert_eq!(ledger(&mut f, "2025-06-05").await[0].1, 35);
    assert_eq!(ledger(&mut f, "2025-06-05").await[0].2, "31-60");

    // The books. Bank 100,000 - 3,000 - 1,200 - 2,000 = 93,800.00; cash
    // 300 + 18.00 + 407.60 + 2,019.60 = 2,745.20; loans 3,000 + 800 = 3,800.00;
    // fee receivable L1 35.40 - 18 + L2 (6.90 + 1.90 + 3.04) - 7.20 = 22.04;
    // fee income 35.40 + 11.84 + 19.60 = 66.84; penalty income 0.40.
    assert_eq!(balance(&mut c, FUND, "1002").await, "93800.00");
    assert_eq!(balance(&mut c, FUND, "1001").await, "2745.20");
    for (code, want) in [("1201", "3800.00"), ("1202", "22.04")] {
        let b = c
            .get_balance(pb::GetBalanceRequest {
                account: Some(account(FUND, code, "")),
                as_of: String::new(),
                include_sub_accounts: true,
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(b.balance, want, "{code}");
    }
    assert_eq!(balance(&mut c, FUND, "4001").await, "66.84");
    assert_eq!(balance(&mut c, FUND, "4003").await, "0.40");
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(
        (tb.total_debit.as_str(), tb.total_credit.as_str()),
        ("100367.24", "100367.24")
    );
    let v = c
        .verify_chain(pb::VerifyChainRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(v.ok, "{:?}", v.problems);

    // Year-end 2025, rebates by fees paid, after the day-end through December
    // 31 (a year-end needs it). That day-end accrues what is left of L1's
    // and L2's schedules: L1 0.60 (April's remainder) + 18.00 (June) and L2
    // 4.80 - 29 x 0.16 = 0.16 + 2.40, fee 21.16; and the penalty on what
    // stayed unpaid, in months and days from the disbursement (March 1):
    // L1 3,000 from June 2 to December 31, six whole months (180) and
    // December 2..31 (30, January 1 would weigh 0), 210 x 3,000 x 0.036 /
    // 360 = 63.00; L2 400 for May 2..June 1 (one month, 30) and 800 for the
    // 210 after, (12,000 + 168,000) x 0.0001 = 18.00; penalty 81.00.
    // Surplus: fee 66.84 + 21.16 = 88.00, penalty 0.40 + 81.00 = 81.40,
    // 169.40; welfare 16.94, risk 50.82, dividends 67.76, accumulation the
    // rest, 33.88. Fees paid in 2025: M1 18.00, M2 7.20, M3 19.60 (44.80),
    // 1.5125 a yuan: 27.225, 10.89, 29.645 → floors 27.22, 10.89, 29.64 and
    // the fen left to the largest remainder, M1 and M3 tied at 0.005: the
    // earlier member, M1: 27.23.
    day_end_through(&mut f, FUND, "2025-12-31").await;
    let y = f
        .run_year_end(pb::RunYearEndRequest {
            request_id: "ye-2025".into(),
            fund_id: FUND.into(),
            year: 2025,
            basis: pb::DividendBasis::FeesPaid as i32,
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
        ("169.40", "16.94", "33.88", "50.82", "67.76")
    );
    let paid: Vec<(String, String)> = y
        .member_dividends
        .iter()
        .map(|d| (d.member_id.clone(), d.amount.clone()))
        .collect();
    assert_eq!(
        paid,
        vec![
            ("M1".into(), "27.23".into()),
            ("M2".into(), "10.89".into()),
            ("M3".into(), "29.64".into())
        ]
    );
    assert_eq!(balance(&mut c, FUND, "4001").await, "0.00");
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(tb.total_debit, tb.total_credit);
}

/// 1,000.00 donated in cash is set aside by the members' meeting as risk
/// reserve (Dr 3004, Cr 3103, a raw ledger entry). L1 (3,000 fee monthly,
/// nothing paid) is written off on April 11, asked for by one token and
/// approved by another: fee accrued 18.00 + 10 x 0.60 =
/// 24.00 is taken back out of income; 1,000 comes from the reserve, 2,000 is
/// a loss. 500 is recovered later as income. M2, still owing L2, cannot
/// leave; M3, after paying L3 off (2,019.60), leaves with 100.00 of shares back.
#[tokio::test]
async fn write_off_recovery_and_leaving() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;
    setup(&server, &mut f).await;
    let gift = Capital::donation("1000");
    add_capital(&mut f, "gift", FUND, gift, "2025-03-01").await;
    post(
        &mut c,
        transfer("reserve", "2025-03-31", FUND, "3004", "3103", "1000.00"),
    )
    .await;

    // Maker-checker: one token asks (RequestWriteOff), another approves
    // (WriteOffLoan); the approval posts, the request does not.
    let mut checker = server.checker_fund_client().await;
    let maker = actor_of(server.channel().await).await;
    let approver = actor_of(server.checker().await).await;
    let ask = |id: &str, decision: &str| pb::RequestWriteOffRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        board_decision: decision.into(),
    };
    let write_off = |id: &str| pb::WriteOffLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        date: "2025-04-11".into(),
    };
    let before = (snapshot(&mut c, FUND).await, get_loan(&mut f, "L1").await);
    let err = f.request_write_off(ask("wo-ask-0", "")).await.unwrap_err();
    assert_eq!(
        (err.code(), bad_field(&err).as_deref()),
        (Code::InvalidArgument, Some("board_decision"))
    );
    assert_eq!(
        (snapshot(&mut c, FUND).await, get_loan(&mut f, "L1").await),
        before
    );
    // No write-off without a request for it, whoever approves.
    let err = checker
        .write_off_loan(write_off("wo-unasked"))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), broken_rule(&err).as_deref()),
        (Code::FailedPrecondition, Some("write_off_requested_first")),
        "{}",
        err.message()
    );
    assert_eq!(
        (snapshot(&mut c, FUND).await, get_loan(&mut f, "L1").await),
        before,
        "a write-off nobody asked for changes nothing"
    );

    let asked = f
        .request_write_off(ask("wo-ask", "board resolution 2025-04"))
        .await
        .unwrap()
        .into_inner();
    assert!(asked.entry_seqs.is_empty(), "asking posts nothing");
    let pending = asked.loan.unwrap();
    assert_eq!(
        (
            pending.status,
            pending.write_off_requested_by.as_str(),
            pending.write_off_requested_decision.as_str()
        ),
        (
            pb::LoanStatus::Disbursed as i32,
            maker.as_str(),
            "board resolution 2025-04"
        )
    );
    assert_eq!(snapshot(&mut c, FUND).await, before.0);
    // The token that asked may not approve.
    let before = (snapshot(&mut c, FUND).await, get_loan(&mut f, "L1").await);
    let err = f.write_off_loan(write_off("wo-self")).await.unwrap_err();
    assert_eq!(
        (err.code(), broken_rule(&err).as_deref()),
        (Code::FailedPrecondition, Some("self_approval")),
        "{}",
        err.message()
    );
    assert_eq!(
        (snapshot(&mut c, FUND).await, get_loan(&mut f, "L1").await),
        before,
        "a self-approved write-off changes nothing"
    );

    let wo = checker
        .write_off_loan(write_off("wo-1"))
        .await
        .unwrap()
        .into_inner();
    let written_off = wo.loan.as_ref().unwrap();
    assert_eq!(
        (
            written_off.written_off_by.as_str(),
            written_off.write_off_decision.as_str(),
            written_off.written_off.as_str()
        ),
        (approver.as_str(), "board resolution 2025-04", "3000.00")
    );
    assert_eq!(
        (wo.loan.unwrap().status, wo.entry_seqs.len()),
        (pb::LoanStatus::WrittenOff as i32, 2)
    );
    assert_eq!(balance(&mut c, FUND, "3103").await, "0.00");
    assert_eq!(balance(&mut c, FUND, "5002").await, "2000.00");
    assert_eq!(balance(&mut c, FUND, "1201/loan:L1").await, "0.00");
    assert_eq!(balance(&mut c, FUND, "1202/loan:L1").await, "0.00");
    assert_eq!(
        balance(&mut c, FUND, "4001").await,
        "0.00",
        "L1's accrued fee went back out of income"
    );
    let err = f
        .repay_loan(repay("pay-wo", "L1", "10", "2025-04-12"))
        .await
        .unwrap_err();
    assert_eq!(broken_rule(&err).as_deref(), Some("loan_status_allows_it"));

    let recover = |id: &str, amount: &str| pb::RecoverLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        amount: amount.into(),
        till: Till::Cash as i32,
        date: "2025-05-10".into(),
    };
    f.recover_loan(recover("rec-1", "500")).await.unwrap();
    let err = f
        .recover_loan(recover("rec-2", "2500.01"))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("recovery_at_most_written_off")
    );
    assert_eq!(balance(&mut c, FUND, "4003").await, "500.00");

    let leave = |id: &str, m: &str, notice: &str| pb::LeaveFundRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        member_id: m.into(),
        notice_date: notice.into(),
        date: "2025-04-21".into(),
        till: Till::Cash as i32,
    };
    let before = snapshot(&mut c, FUND).await;
    let err = f
        .leave_fund(leave("leave-m2", "M2", "2025-02-20"))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("leave_without_debt"),
        "{}",
        err.message()
    );
    f.repay_loan(repay("pay-l3-off", "L3", "2019.60", "2025-04-20"))
        .await
        .unwrap();
    let after_payoff = snapshot(&mut c, FUND).await;
    assert_ne!(after_payoff, before);
    // Notice on March 1 allows leaving from May 1 only.
    let err = f
        .leave_fund(leave("leave-m3-early", "M3", "2025-03-01"))
        .await
        .unwrap_err();
    assert_eq!(broken_rule(&err).as_deref(), Some("leave_after_notice"));
    assert_eq!(snapshot(&mut c, FUND).await, after_payoff);
    let gone = f
        .leave_fund(leave("leave-m3", "M3", "2025-02-20"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (gone.member.unwrap().left.as_str(), gone.own_shares.as_str()),
        ("2025-04-21", "0.00")
    );
    let fund = f
        .get_fund(pb::GetFundRequest {
            fund_id: FUND.into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(fund.active_members, 2);
    // Cash: 300 of shares + 1,000 donated + 2,019.60 + 500 recovered - 100 refunded.
    assert_eq!(balance(&mut c, FUND, "1001").await, "3719.60");
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(tb.total_debit, tb.total_credit);
}

/// L1 (3,000 fee monthly) misses April 1's 18.00 and is rescheduled on April
/// 11 as L1-R over 6 months: the fee accrued to the day (17.40 at the March
/// day-end + 0.60 + 10 x 0.60 = 24.00) moves to L1-R, due at once, with the
/// 3,000 of principal; L1 keeps its history and points at L1-R.
#[tokio::test]
async fn a_rescheduled_loan_keeps_its_history() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;
    setup(&server, &mut f).await;
    f.run_day_end(day_end("eod-0331", "2025-03-31"))
        .await
        .unwrap();
    let resched = |id: &str, months: u32| pb::RescheduleLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        new_loan_id: "L1-R".into(),
        term_months: months,
        reason: "drought".into(),
        date: "2025-04-11".into(),
    };
    let before = snapshot(&mut c, FUND).await;
    let err = f.reschedule_loan(resched("rs-long", 13)).await.unwrap_err();
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("loan_term_at_most_fund_maximum")
    );
    assert_eq!(snapshot(&mut c, FUND).await, before);
    let new = f
        .reschedule_loan(resched("rs", 6))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(
        (
            new.loan_id.as_str(),
            new.rescheduled_from.as_str(),
            new.principal.as_str()
        ),
        ("L1-R", "L1", "3000.00")
    );
    assert_eq!(
        (
            new.schedule.len(),
            new.schedule[0].due_date.as_str(),
            new.schedule[0].fee.as_str()
        ),
        (6, "2025-05-11", "18.00")
    );
    let old = f
        .get_loan(pb::GetLoanRequest {
            fund_id: FUND.into(),
            loan_id: "L1".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(
        (old.status, old.rescheduled_to.as_str(), old.schedule.len()),
        (pb::LoanStatus::Rescheduled as i32, "L1-R", 3)
    );
    for (account, want) in [
        ("1201/loan:L1", "0.00"),
        ("1202/loan:L1", "0.00"),
        ("1201/loan:L1-R", "3000.00"),
        ("1202/loan:L1-R", "24.00"),
    ] {
        assert_eq!(balance(&mut c, FUND, account).await, want, "{account}");
    }
    let lines = ledger(&mut f, "2025-04-15").await;
    assert_eq!(
        lines[0],
        (
            "L1".to_string(),
            0,
            "current".to_string(),
            "0.00".to_string()
        )
    );
    assert_eq!(
        lines[1],
        (
            "L1-R".to_string(),
            4,
            "1-30".to_string(),
            "3000.00".to_string()
        )
    );
    f.repay_loan(repay("pay-arrears", "L1-R", "24.00", "2025-04-15"))
        .await
        .unwrap();
    assert_eq!(ledger(&mut f, "2025-04-15").await[1].1, 0);
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(tb.total_debit, tb.total_credit);
}
