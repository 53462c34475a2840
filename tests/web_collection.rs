//! The collection sheet (收款单) in the web client, on the fund of
//! `common::collection`: in a real Chromium the treasurer enters what four
//! members paid and submits once; one line asks more than is owed and is
//! refused in Chinese while the other three stand, and the balances read
//! back over gRPC are the ones worked by hand. Over plain HTTP, the same
//! sheet submitted twice posts each line once.
mod common;

use common::collection::{collection_fund, sheet, DATE, FUND};
use common::web::*;
use common::*;
use fantoccini::Locator;
use huzhu::pb::{self, Role};

async fn outstanding(f: &mut FundClient, loan: &str) -> String {
    let request = pb::GetLoanRequest {
        fund_id: FUND.into(),
        loan_id: loan.into(),
    };
    let loan = ok(f.get_loan(request).await, loan).loan.unwrap();
    loan.outstanding_principal
}

async fn cash(f: &mut FundClient) -> String {
    let request = pb::GetFundRequest {
        fund_id: FUND.into(),
    };
    ok(f.get_fund(request).await, "the fund").cash
}

/// Paid in cash on 2025-04-11: L1 407.60 (its whole first installment with
/// the penalty: 400.00 of principal); L2 200.00 (penalty 0.40, fee 7.20,
/// then 192.40 of principal: 1,007.60 left); L3 5,000.00, more than the
/// 1,200.40 its payoff would be, refused; L4 815.20 (800.00 of principal).
/// Cash: 400.00 of shares + 407.60 + 200.00 + 815.20 = 1,822.80. The sheet
/// that follows still asks L2 for 407.20 - 199.60 = 207.60 and L3 for its
/// 407.60: 615.20.
#[tokio::test]
async fn a_collection_sheet_is_posted_line_by_line_and_a_refused_line_says_why() {
    let s = TestServer::start();
    collection_fund(&s).await;
    let token = s.issue(Role::FundTreasurer, &format!("fund:{FUND}")).await;
    let b = Browser::start().await;
    b.sign_in(&s.web, &token).await;
    b.click(Locator::LinkText("收款单")).await;
    b.goto(&format!("{}/fund/{FUND}/collection?date={DATE}", s.web))
        .await;
    let text = b.text().await;
    for shown in [
        "收款单",
        "联保小组 G1",
        "未参加联保小组",
        "王军",
        "赵丽",
        "¥407.60",
        "¥815.20",
        "¥1,222.80",
        "¥2,038.00",
    ] {
        assert!(text.contains(shown), "the sheet shows {shown}:\n{text}");
    }
    b.screenshot("collection-sheet", 1024).await;
    for (loan, paid) in [
        ("L1", "407.60"),
        ("L2", "200"),
        ("L3", "5000"),
        ("L4", "815.20"),
    ] {
        let input = b
            .driver
            .find(Locator::Css(&format!("input[name=paid-{loan}]")))
            .await
            .unwrap();
        input.send_keys(paid).await.unwrap();
    }
    b.click(Locator::Css("main form[method=post] button")).await;
    let after = b.text().await;
    assert!(after.contains("已记账 3 笔，被拒绝 1 笔。"), "{after}");
    assert!(after.contains("被拒绝：还款金额超过应还总额。"), "{after}");
    assert!(after.contains("¥615.20"), "the sheet after: {after}");
    let kept = b
        .driver
        .find(Locator::Css("input[name=paid-L3]"))
        .await
        .unwrap();
    assert_eq!(
        kept.prop("value").await.unwrap().as_deref(),
        Some("5000"),
        "the refused amount stays to correct"
    );
    b.screenshot("collection-posted", 1024).await;
    b.screenshot("collection-posted-phone", 390).await;

    let mut f = s.fund_client().await;
    for (loan, left) in [
        ("L1", "800.00"),
        ("L2", "1007.60"),
        ("L3", "1200.00"),
        ("L4", "1600.00"),
    ] {
        assert_eq!(outstanding(&mut f, loan).await, left, "{loan}");
    }
    assert_eq!(cash(&mut f).await, "1822.80");
    assert_eq!(sheet(&mut f, DATE).await.total, "615.20");
    b.close().await;
}

/// The sheet's form posted twice (a double click, a reload) posts each line
/// once: the second answer says the lines were recorded before.
#[tokio::test]
async fn a_sheet_submitted_twice_posts_each_line_once() {
    let s = TestServer::start();
    collection_fund(&s).await;
    let cookie = sign_in(
        &s.web,
        &s.issue(Role::FundClerk, &format!("fund:{FUND}")).await,
    );
    let path = format!("/fund/{FUND}/collection");
    let page = get(&s.web, &format!("{path}?date={DATE}"), Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    let (csrf, l1, l4) = (
        page.field("csrf").unwrap(),
        page.field("rid-L1").unwrap(),
        page.field("rid-L4").unwrap(),
    );
    let form = [
        ("csrf", csrf.as_str()),
        ("date", DATE),
        ("till", "cash"),
        ("paid-L1", "407.60"),
        ("rid-L1", l1.as_str()),
        ("paid-L4", "100"),
        ("rid-L4", l4.as_str()),
    ];
    let first = post_form(&s.web, &path, Some(&cookie), &form);
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(
        first.body.contains("已记账 2 笔，被拒绝 0 笔。"),
        "{}",
        first.body
    );
    let second = post_form(&s.web, &path, Some(&cookie), &form);
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(
        second.body.matches("重复提交，没有重复记账").count(),
        2,
        "{}",
        second.body
    );
    let mut f = s.fund_client().await;
    assert_eq!(outstanding(&mut f, "L1").await, "800.00");
    // 100.00 to L4: penalty 0.80, fee 14.40, principal 84.80.
    assert_eq!(outstanding(&mut f, "L4").await, "2315.20");
    assert_eq!(cash(&mut f).await, "907.60");
}

/// A sheet posted without the session's CSRF token records nothing.
#[tokio::test]
async fn a_sheet_without_its_csrf_token_records_nothing() {
    let s = TestServer::start();
    collection_fund(&s).await;
    let cookie = sign_in(
        &s.web,
        &s.issue(Role::FundClerk, &format!("fund:{FUND}")).await,
    );
    let path = format!("/fund/{FUND}/collection");
    let form = [("date", DATE), ("paid-L1", "407.60"), ("rid-L1", "web-x")];
    assert_eq!(post_form(&s.web, &path, Some(&cookie), &form).status, 403);
    let mut f = s.fund_client().await;
    assert_eq!(outstanding(&mut f, "L1").await, "1200.00");
}
