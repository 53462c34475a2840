//! A restructured loan through the real server (DOMAIN.md §4, §7): a loan
//! rescheduled (展期) is replaced by a new loan flagged restructured, which
//! the loan ledger, the loan and the regulators' loans.csv show (and
//! `verify-extract` re-derives from the period's journal); a written-off
//! loan is not rescheduled.
//!
//! Fund: 100,000.00 of fiscal capital; M1 and M2 hold 100.00 of shares.
//! Both borrow on 2025-03-01, fee monthly over 3 months at 7.2% (18.00 a
//! month on 3,000, 6.00 on 1,000), for crops; M1's loan used by a business.
mod common;

use common::extract::*;
use common::fund::*;
use common::*;
use huzhu::pb::{self, RepaymentMethod};

const FUND: &str = "fund-zhanqi";

fn loan_ledger_line<'a>(lines: &'a [pb::LoanLine], loan: &str) -> &'a pb::LoanLine {
    lines
        .iter()
        .find(|l| l.loan_id == loan)
        .expect("the loan's line")
}

/// L1 misses April 1's 18.00 and is rescheduled on April 11 as L1-R over 6
/// months: its 3,000 of principal and the fee accrued to the day (18.00 +
/// 10 × 0.60 = 24.00, due at once) move to L1-R, due 18.00 on May 11 and
/// monthly to 3,018.00 on October 11. L1-R is restructured and keeps L1's
/// purpose; L1 keeps its history and is not. L2, written off on April 11,
/// cannot be rescheduled. The April extract flags L1-R restructured; a
/// bundle altered to say it is not, and re-sealed, is refused.
#[tokio::test]
async fn a_rescheduled_loan_is_restructured_and_a_written_off_one_is_not_rescheduled() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut checker = server.checker_fund_client().await;
    let mut c = server.client().await;
    let loans = [
        ("L1", "M1", "3000", "Zhanqi mill"),
        ("L2", "M2", "1000", ""),
    ]
    .map(|(loan, member, principal, business)| LoanTerms {
        method: RepaymentMethod::FeeMonthly,
        business,
        ..LoanTerms::new(FUND, loan, member, principal)
    });
    fund_with_loans(&mut f, &mut checker, FUND, "100000", &loans).await;
    let reschedule = |id: &str, loan: &str, new: &str| pb::RescheduleLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        new_loan_id: new.into(),
        term_months: 6,
        reason: "drought".into(),
        date: "2025-04-11".into(),
    };
    let new = ok(
        f.reschedule_loan(reschedule("r-1", "L1", "L1-R")).await,
        "L1 rescheduled",
    )
    .loan
    .unwrap();
    assert!(new.restructured);
    assert_eq!(
        (
            new.rescheduled_from.as_str(),
            new.outstanding_principal.as_str()
        ),
        ("L1", "3000.00")
    );
    assert_eq!(
        (new.purpose_category, new.business.as_str()),
        (pb::PurposeCategory::Crops as i32, "Zhanqi mill")
    );
    assert_eq!(
        (
            new.schedule[0].due_date.as_str(),
            new.schedule[0].fee.as_str()
        ),
        ("2025-05-11", "18.00")
    );
    assert_eq!(balance(&mut c, FUND, "1202/loan:L1-R").await, "24.00");

    let ledger = f
        .list_loans(pb::ListLoansRequest {
            fund_id: FUND.into(),
            as_of: "2025-04-15".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .loans;
    let (old, replaced) = (
        loan_ledger_line(&ledger, "L1"),
        loan_ledger_line(&ledger, "L1-R"),
    );
    assert_eq!(
        (old.status, old.restructured),
        (pb::LoanStatus::Rescheduled as i32, false)
    );
    // The arrears were due at once on April 11: 4 days past due on April 15.
    assert_eq!(
        (
            replaced.restructured,
            replaced.days_past_due,
            replaced.outstanding_principal.as_str()
        ),
        (true, 4, "3000.00")
    );

    let ask = pb::RequestWriteOffRequest {
        request_id: "ask-wo-L2".into(),
        fund_id: FUND.into(),
        loan_id: "L2".into(),
        board_decision: "board 2025-4".into(),
    };
    ok(f.request_write_off(ask).await, "L2's write-off asked for");
    let write_off = pb::WriteOffLoanRequest {
        request_id: "wo-L2".into(),
        fund_id: FUND.into(),
        loan_id: "L2".into(),
        date: "2025-04-11".into(),
    };
    ok(checker.write_off_loan(write_off).await, "L2 written off");
    let before = snapshot(&mut c, FUND).await;
    let err = f
        .reschedule_loan(reschedule("r-2", "L2", "L2-R"))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        tonic::Code::FailedPrecondition,
        "{}",
        err.message()
    );
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("written_off_loan_not_rescheduled")
    );
    assert_eq!(
        snapshot(&mut c, FUND).await,
        before,
        "the refusal changed nothing"
    );

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("april");
    let regulator = server.issue(pb::Role::Regulator, "all").await;
    let args = [
        "extract",
        "--quiet",
        "--from",
        "2025-04-01",
        "--to",
        "2025-04-30",
        "--out",
    ];
    let (done, out) = huzhu_as(
        &server,
        &regulator,
        &[&args[..], &[dir.to_str().unwrap()]].concat(),
    );
    assert!(done, "{out}");
    let loans = std::fs::read_to_string(dir.join("loans.csv")).unwrap();
    let row = loans
        .lines()
        .find(|l| l.contains(",L1-R,"))
        .expect("L1-R's row");
    assert!(row.ends_with(",true"), "{row}");
    let (checked, out) = verify_extract(&dir);
    assert!(checked, "{out}");
    replace_in(&dir.join("loans.csv"), row, &row.replace(",true", ",false"));
    reseal(&dir, "loans.csv");
    let (checked, out) = verify_extract(&dir);
    assert!(!checked);
    assert!(
        out.contains("loan L1-R of fund-zhanqi replaced another in the period's journal (a rescheduling), but is not flagged restructured"),
        "{out}"
    );
}
