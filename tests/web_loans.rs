//! A loan from application to disbursement in the web client, in a real
//! Chromium, on the fund of `common::collection` with a fifth member, 刘强
//! (M5, no loan yet), joined on 2025-02-20 with 100.00 of shares:
//! - the clerk opens 赵丽's page (L4 of 2,400.00 unpaid since 2025-04-01)
//!   and applies for her: refused in Chinese, she has a loan past due;
//! - the clerk applies for 刘强: 1,200.00, 3 months, equal principal. The
//!   schedule shows live as the form is filled: at 7.2% a year (0.6% a
//!   month) the fees are 1,200 × 0.6% = 7.20, 800 × 0.6% = 4.80 and
//!   400 × 0.6% = 2.40, the payments 407.20, 404.80 and 402.40 (1,214.40);
//! - the treasurer approves and disburses it from the bank; read back over
//!   gRPC the loan's schedule is the one previewed, and the bank is
//!   194,000.00 − 1,200.00 = 192,800.00.
mod common;

use common::collection::{collection_fund, FUND};
use common::fund::{buy_shares, join, join_request};
use common::web::*;
use common::*;
use fantoccini::Locator;
use huzhu::pb::{self, PovertyStatus, Role};

async fn fifth_member(s: &TestServer) {
    let mut f = s.fund_client().await;
    let mut request = join_request(FUND, "M5", PovertyStatus::None, "2025-02-20");
    request.name = "刘强".into();
    join(&mut f, request).await;
    buy_shares(&mut f, FUND, "M5", "100", "2025-02-20").await;
}

async fn type_into(b: &Browser, name: &str, text: &str) {
    let field = b
        .driver
        .find(Locator::Css(&format!("[name={name}]")))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn loan(s: &TestServer, id: &str) -> pb::Loan {
    let mut f = s.fund_client().await;
    let request = pb::GetLoanRequest {
        fund_id: FUND.into(),
        loan_id: id.into(),
    };
    ok(f.get_loan(request).await, id).loan.unwrap()
}

/// The clerk: 赵丽's page, her application refused, 刘强's taken.
async fn apply_as_clerk(s: &TestServer, b: &Browser) {
    let token = s.issue(Role::FundClerk, &format!("fund:{FUND}")).await;
    b.sign_in(&s.web, &token).await;
    b.click(Locator::LinkText("社员")).await;
    b.click(Locator::LinkText("赵丽")).await;
    let page = b.text().await;
    for shown in [
        "社员 赵丽",
        "未参加联保小组",
        "L4",
        "在贷",
        "¥2,400.00",
        "逾期90天以上",
    ] {
        assert!(page.contains(shown), "赵丽's page shows {shown}:\n{page}");
    }
    b.screenshot("member-page", 1024).await;
    b.click(Locator::LinkText("为该社员申请贷款")).await;
    type_into(b, "principal", "1000").await;
    type_into(b, "term_months", "2").await;
    type_into(b, "purpose", "买化肥").await;
    b.click(Locator::Css("button[value=apply]")).await;
    let refused = b.text().await;
    assert!(refused.contains("借款人有逾期未还的贷款。"), "{refused}");
    assert_eq!(
        b.driver
            .find(Locator::Css("[name=purpose]"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("买化肥"),
        "the refused form keeps what was typed"
    );

    b.goto(&format!("{}/fund/{FUND}/apply?member=M5", s.web))
        .await;
    type_into(b, "principal", "1200").await;
    type_into(b, "term_months", "3").await;
    type_into(b, "purpose", "买猪崽").await;
    let preview = b.wait_for_text("¥1,214.40").await;
    for shown in ["¥407.20", "¥404.80", "¥402.40", "¥14.40", "7.20%"] {
        assert!(
            preview.contains(shown),
            "the preview shows {shown}:\n{preview}"
        );
    }
    b.screenshot("loan-application", 1024).await;
    let landed = b.click(Locator::Css("button[value=apply]")).await;
    assert_eq!(landed, format!("/fund/{FUND}/approvals"));
    let queue = b.text().await;
    assert!(
        queue.contains("贷款 L5 的申请已提交，等待审批。"),
        "{queue}"
    );
    assert!(!queue.contains("批准\n"), "a clerk has no approve button");
    b.sign_out().await;
}

#[tokio::test]
async fn a_loan_is_applied_for_with_its_schedule_previewed_then_approved_and_disbursed() {
    let s = TestServer::start();
    collection_fund(&s).await;
    fifth_member(&s).await;
    let b = Browser::start().await;
    apply_as_clerk(&s, &b).await;
    let applied = loan(&s, "L5").await;
    assert_eq!(applied.status, pb::LoanStatus::Applied as i32);
    assert_eq!(
        (applied.member_id.as_str(), applied.principal.as_str()),
        ("M5", "1200.00")
    );
    assert!(
        applied.applied_by.ends_with("/fund_clerk"),
        "{}",
        applied.applied_by
    );

    let token = s.issue(Role::FundTreasurer, &format!("fund:{FUND}")).await;
    b.sign_in(&s.web, &token).await;
    b.goto(&format!("{}/fund/{FUND}/approvals", s.web)).await;
    b.click(Locator::Css("td.action button")).await;
    b.click(Locator::LinkText("放款")).await;
    let queue = b.text().await;
    assert!(
        queue.contains("L5") && queue.contains("刘强") && queue.contains("¥1,200.00"),
        "{queue}"
    );
    b.screenshot("disbursement", 1024).await;
    b.click(Locator::Css("td.action button")).await;
    assert!(b.text().await.contains("贷款 L5 已放款。"));

    let disbursed = loan(&s, "L5").await;
    assert_eq!(disbursed.status, pb::LoanStatus::Disbursed as i32);
    let payments: Vec<_> = disbursed
        .schedule
        .iter()
        .map(|i| i.payment.as_str())
        .collect();
    assert_eq!(
        payments,
        ["407.20", "404.80", "402.40"],
        "the schedule previewed"
    );
    let mut f = s.fund_client().await;
    let fund = ok(
        f.get_fund(pb::GetFundRequest {
            fund_id: FUND.into(),
        })
        .await,
        "fund",
    );
    assert_eq!(fund.bank, "192800.00");
    b.close().await;
}
