//! A repayment recorded late, through the real server (DOMAIN.md §4): the
//! member paid an installment on its due date, the clerk recorded it five
//! days later, after five day-ends had accrued penalty on its principal.
//! It is taken with its true date and the penalty is taken back by a
//! correction dated the last day accrued; days past due and the loan
//! ledger come out as if it had been recorded on time. Every number by hand.
//!
//! Fund: 100,000.00 of fiscal capital in the bank; M1 and M2 hold 100.00 of
//! shares. Default rules: fee 7.2% a year (r = 0.006), penalty 3.6%, days
//! in months and days. Disbursed from the bank on 2025-03-01:
//! - L1 (M1) 3,600 equal principal over 3 months: 1,200 a month; fees
//!   3,600 × 0.006 = 21.60, 14.40, 7.20; April 1 asks 1,221.60.
//! - L2 (M2) 1,000 fee monthly: 6.00 due April 1.
mod common;

use common::fund::*;
use common::*;
use huzhu::pb::{self, RepaymentMethod, Till};
use tonic::Code;

const FUND: &str = "fund-buji";

/// The fee and penalty the day-end of `date` accrued.
async fn accrued(f: &mut FundClient, date: &str) -> (String, String) {
    let run = day_end_through(f, FUND, date).await;
    (run.fee_accrued, run.penalty_accrued)
}

fn repayment(id: &str, loan: &str, amount: &str, date: &str) -> pb::RepayLoanRequest {
    pb::RepayLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        amount: amount.into(),
        till: Till::Cash as i32,
        date: date.into(),
    }
}

/// L1's line of the loan ledger on `as_of`: days past due, bucket,
/// outstanding, fee due, penalty due.
async fn l1_line(f: &mut FundClient, as_of: &str) -> (i64, String, String, String, String) {
    let lines = f
        .list_loans(pb::ListLoansRequest {
            fund_id: FUND.into(),
            as_of: as_of.into(),
        })
        .await
        .unwrap()
        .into_inner()
        .loans;
    let l = lines.into_iter().find(|l| l.loan_id == "L1").unwrap();
    (
        l.days_past_due,
        l.bucket,
        l.outstanding_principal,
        l.fee_due,
        l.penalty_due,
    )
}

fn line(
    dpd: i64,
    bucket: &str,
    out: &str,
    fee: &str,
    penalty: &str,
) -> (i64, String, String, String, String) {
    (dpd, bucket.into(), out.into(), fee.into(), penalty.into())
}

/// Day-end for March 31, then April 2 to 6: the five day-ends after L1's
/// due date. March: L1's 21.60 over 31 days is 0.70 a day, 30 days 21.00,
/// and L2's 6.00 / 31 = 0.19 a day, 5.70. April 2 accrues April 1 (the
/// remainders, L1 21.60 − 21.00 = 0.60 and L2 0.30) and April 2 (L1 14.40 /
/// 30 = 0.48, L2 6.00 / 30 = 0.20): 1.58; each later day 0.68. Penalty on
/// L1's unpaid 1,200 (its days weigh 1 each from the March 1 anniversary):
/// 1,200 × 0.036 / 360 = 0.12 a day, 0.60 by April 6; L2's principal is not
/// due, so it draws none.
///
/// Recorded on April 6 with its date, April 1, 1,221.60 pays 21.60 of fee
/// and 1,200 of principal and no penalty (none was due on April 1); the
/// 0.60 is taken back by an entry dated April 6 (Dr 4003, Cr 1202/loan:L1).
/// L1 then owes 2,400 and April's accrued fee 5 × 0.48 = 2.40, is current
/// on April 6 (it was 5 days past due before), and was current on April 1.
#[tokio::test]
async fn an_installment_paid_on_its_due_date_and_recorded_five_days_later() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut checker = server.checker_fund_client().await;
    let mut c = server.client().await;
    let loans = [
        LoanTerms {
            method: RepaymentMethod::EqualPrincipal,
            ..LoanTerms::new(FUND, "L1", "M1", "3600")
        },
        LoanTerms {
            method: RepaymentMethod::FeeMonthly,
            ..LoanTerms::new(FUND, "L2", "M2", "1000")
        },
    ];
    fund_with_loans(&mut f, &mut checker, FUND, "100000", &loans).await;
    assert_eq!(
        accrued(&mut f, "2025-03-31").await,
        ("26.70".into(), "0.00".into())
    );
    assert_eq!(
        accrued(&mut f, "2025-04-02").await,
        ("1.58".into(), "0.12".into())
    );
    for day in ["2025-04-03", "2025-04-04", "2025-04-05", "2025-04-06"] {
        assert_eq!(
            accrued(&mut f, day).await,
            ("0.68".into(), "0.12".into()),
            "{day}"
        );
    }
    assert_eq!(
        l1_line(&mut f, "2025-04-06").await,
        line(5, "1-30", "3600.00", "24.00", "0.60")
    );
    assert_eq!(balance(&mut c, FUND, "4003").await, "0.60");

    let paid = ok(
        f.repay_loan(repayment("pay-l1-apr", "L1", "1221.60", "2025-04-01"))
            .await,
        "L1's April installment, recorded on April 6",
    );
    assert_eq!(paid.entry_seqs.len(), 2, "the repayment and the correction");
    let l1 = paid.loan.unwrap();
    let r = &l1.repayments[0];
    assert_eq!(
        (
            r.date.as_str(),
            r.penalty.as_str(),
            r.fee.as_str(),
            r.principal.as_str()
        ),
        ("2025-04-01", "0.00", "21.60", "1200.00")
    );
    assert_eq!(l1.outstanding_principal, "2400.00");
    for (seq, date, memo) in [
        (paid.entry_seqs[0], "2025-04-01", "repayment of loan L1"),
        (paid.entry_seqs[1], "2025-04-06", "recorded late"),
    ] {
        let e = c
            .list_entries(pb::ListEntriesRequest {
                book_id: FUND.into(),
                from_date: date.into(),
                to_date: date.into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
            .entries
            .into_iter()
            .find(|e| e.seq == seq)
            .expect("the entry, on its value date");
        assert!(e.memo.contains(memo), "{}", e.memo);
    }
    // The books: penalty income back to nothing from April 6 (still 0.48 as
    // booked through April 5); the cash came in on April 1.
    assert_eq!(balance(&mut c, FUND, "4003").await, "0.00");
    assert_eq!(
        balance_as_of(&mut c, FUND, "4003", "2025-04-05").await,
        "0.48"
    );
    assert_eq!(balance(&mut c, FUND, "1202/loan:L1").await, "2.40");
    assert_eq!(
        balance_as_of(&mut c, FUND, "1001", "2025-04-01").await,
        "1421.60"
    );
    assert_eq!(
        l1_line(&mut f, "2025-04-06").await,
        line(0, "current", "2400.00", "2.40", "0.00")
    );
    assert_eq!(l1_line(&mut f, "2025-04-01").await.0, 0);
    // The next day-end draws no penalty: nothing of L1 is overdue.
    assert_eq!(
        accrued(&mut f, "2025-04-07").await,
        ("0.68".into(), "0.00".into())
    );
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(tb.total_debit, tb.total_credit);
}

/// Before the loan's last repayment, and in a closed month, a late
/// repayment is refused and changes nothing. L2 (M2) pays its April fee,
/// 6.00, on April 3: one dated April 2 is out of order. L3 (M3, 1,000 fee
/// monthly too) has paid nothing; with March closed, one dated March 28 is
/// refused by the ledger: it falls in a closed period.
#[tokio::test]
async fn a_late_repayment_keeps_the_order_and_the_closed_months() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut checker = server.checker_fund_client().await;
    let mut c = server.client().await;
    let loans = [("L2", "M2"), ("L3", "M3")].map(|(loan, member)| LoanTerms {
        method: RepaymentMethod::FeeMonthly,
        ..LoanTerms::new(FUND, loan, member, "1000")
    });
    fund_with_loans(&mut f, &mut checker, FUND, "100000", &loans).await;
    accrued(&mut f, "2025-04-05").await;
    ok(
        f.repay_loan(repayment("pay-apr3", "L2", "6.00", "2025-04-03"))
            .await,
        "L2's April fee",
    );
    let close = pb::ClosePeriodRequest {
        request_id: "close-2025-03".into(),
        book_id: FUND.into(),
        period: "2025-03".into(),
    };
    ok(c.close_period(close).await, "March closed");
    let before = snapshot(&mut c, FUND).await;
    for (id, loan, date, rule) in [
        ("pay-apr2", "L2", "2025-04-02", "loan_dates_in_order"),
        ("pay-mar28", "L3", "2025-03-28", "period_closed"),
    ] {
        let err = f
            .repay_loan(repayment(id, loan, "1.00", date))
            .await
            .unwrap_err();
        assert_eq!(
            (err.code(), broken_rule(&err).as_deref()),
            (Code::FailedPrecondition, Some(rule)),
            "{}",
            err.message()
        );
    }
    assert_eq!(
        snapshot(&mut c, FUND).await,
        before,
        "the refusals changed nothing"
    );
}
