//! A restructured loan in PAR30 and PAR90 through the real server (DOMAIN.md
//! §7, CGAP practice): the loan that replaced a rescheduled one (展期) counts
//! at risk, however current, until it has made three consecutive
//! installments on time.
//!
//! Fund R (100,000.00 of fiscal capital) in federation FED. M1 borrows L1,
//! 3,000 on 2025-03-01, fee monthly over 3 months at 7.2% (18.00 a month);
//! M2 borrows L2, 1,000 on 2025-04-01, bullet over 12 months (not due in
//! 2025). L1 misses April 1's 18.00 and is rescheduled on April 11 as L1-R
//! over 6 months: its 3,000 and the fee accrued to the day (18.00 + 10 x
//! 0.60 = 24.00, due at once) move to L1-R, due 18.00 on the 11th of each
//! month from May. M1 pays the 24.00 on April 11, then 18.00 on May 11,
//! June 11 and July 11: each installment on time.
//!
//! Gross portfolio 4,000. Until July 11 L1-R is at risk though 0 days past
//! due: PAR30 = PAR90 = 3,000 / 4,000 = 0.75. From July 11 (three
//! installments on time) it is cured: 0.
mod common;

use common::federation::*;
use common::fund::*;
use common::*;
use huzhu::pb::{self, PovertyStatus, RepaymentMethod};

const FUND: &str = "fund-r";
const FED: &str = "fed-r";

fn repay(id: &str, loan: &str, amount: &str, date: &str) -> pb::RepayLoanRequest {
    pb::RepayLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        amount: amount.into(),
        date: date.into(),
        till: pb::Till::Bank as i32,
    }
}

async fn par(s: &TestServer, as_of: &str) -> (String, String, String) {
    let mut feds = s.federation_client().await;
    let request = pb::GetDashboardRequest {
        federation_id: FED.into(),
        as_of: as_of.into(),
        period_from: String::new(),
    };
    let d = ok(feds.get_dashboard(request).await, "the dashboard");
    let i = &d.funds[0];
    (i.gross_portfolio.clone(), i.par30.clone(), i.par90.clone())
}

#[tokio::test]
async fn a_restructured_loan_is_at_risk_until_three_installments_on_time() {
    let s = TestServer::start();
    let (mut f, mut feds) = (s.fund_client().await, s.federation_client().await);
    let mut checker = s.checker_fund_client().await;
    fund_with_capital(
        &mut f,
        FUND,
        None,
        &[Capital::fiscal("100000")],
        "2025-02-20",
    )
    .await;
    create_federation(&mut feds, FED).await;
    admit_fund(&mut feds, FED, FUND, "2025-02-21").await;
    for (m, loan, principal, method, months, date) in [
        (
            "M1",
            "L1",
            "3000",
            RepaymentMethod::FeeMonthly,
            3,
            "2025-03-01",
        ),
        (
            "M2",
            "L2",
            "1000",
            RepaymentMethod::Bullet,
            12,
            "2025-04-01",
        ),
    ] {
        member_with_shares(&mut f, FUND, m, PovertyStatus::None, "100", "2025-02-20").await;
        let terms = LoanTerms {
            method,
            term_months: months,
            ..LoanTerms::new(FUND, loan, m, principal).on(date)
        };
        disbursed_loan(&mut f, &mut checker, &terms).await;
    }
    // Before the rescheduling, L1 is 9 days late on April 10: not in PAR30.
    let before = par(&s, "2025-04-10").await;
    assert_eq!(before, ("4000.00".into(), "0".into(), "0".into()));
    let rescheduled = pb::RescheduleLoanRequest {
        request_id: "r-l1".into(),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        new_loan_id: "L1-R".into(),
        term_months: 6,
        reason: "drought".into(),
        date: "2025-04-11".into(),
    };
    let new = ok(f.reschedule_loan(rescheduled).await, "L1 rescheduled");
    assert!(new.loan.unwrap().restructured);
    ok(
        f.repay_loan(repay("p-0411", "L1-R", "24.00", "2025-04-11"))
            .await,
        "the carried fee",
    );
    let at_risk = (
        "4000.00".to_string(),
        "0.75".to_string(),
        "0.75".to_string(),
    );
    assert_eq!(par(&s, "2025-04-30").await, at_risk);
    for (id, date) in [("p-0511", "2025-05-11"), ("p-0611", "2025-06-11")] {
        ok(
            f.repay_loan(repay(id, "L1-R", "18.00", date)).await,
            "an installment",
        );
    }
    // Two on time: still at risk on July 10.
    assert_eq!(par(&s, "2025-07-10").await, at_risk);
    ok(
        f.repay_loan(repay("p-0711", "L1-R", "18.00", "2025-07-11"))
            .await,
        "the third",
    );
    assert_eq!(
        par(&s, "2025-07-11").await,
        ("4000.00".into(), "0".into(), "0".into())
    );
}
