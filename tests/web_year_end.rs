//! The day-end and the year-end in the web client.
//! - In a real Chromium, on the fund of `common::yearend`: the treasurer
//!   runs the day-end through 2025-12-31 (one date: the fund has lent
//!   nothing), previews the year-end of 2025 (surplus ¥1,000.01: welfare
//!   ¥100.00, accumulation ¥200.01, risk ¥300.00, dividends ¥400.00,
//!   M3's ¥66.67; worked in `common::yearend`), which records nothing, then
//!   runs it, and the reserves read back over gRPC are the ones previewed.
//! - Over HTTP, on the fund of `common::collection` (loans disbursed on
//!   2025-03-01, no day-end run): a run through 2025-06-10 takes the ends of
//!   March, April and May, then June 10, streamed a row per date. A day
//!   within a period earns the period's fee over its days, rounded to the
//!   fen: through March 31 (30 of the 31 days to April 1) L1..L3 earn
//!   round(7.20 / 31) = 0.23 × 30 = 6.90 each and L4 round(14.40 / 31) =
//!   0.46 × 30 = 13.80: 34.50.
mod common;

use common::web::*;
use common::*;
use fantoccini::Locator;
use huzhu::pb::{self, Role};

#[tokio::test]
async fn the_year_end_is_previewed_then_run_after_the_day_end() {
    let s = TestServer::start();
    let (mut f, mut c) = (s.fund_client().await, s.client().await);
    let id = "fund-nianzhong";
    common::yearend::fund(&mut f, &mut c, id, None).await;
    let token = s.issue(Role::FundTreasurer, &format!("fund:{id}")).await;
    let b = Browser::start().await;
    b.sign_in(&s.web, &token).await;
    b.click(Locator::LinkText("日终")).await;
    assert!(b.text().await.contains("尚未运行"));
    b.goto(&format!("{}/fund/{id}/day-end?through=2025-12-31", s.web))
        .await;
    b.click(Locator::Css("main form[method=post] button")).await;
    let ran = b.wait_for_text("返回日终").await;
    b.screenshot("day-end-run", 1024).await;
    assert!(
        ran.contains("1 / 1") && ran.contains("2025年12月31日") && ran.contains("已记账"),
        "{ran}"
    );

    b.goto(&format!("{}/fund/{id}/year-end?year=2025", s.web))
        .await;
    let before = snapshot(&mut c, id).await;
    let preview = b.text().await;
    for shown in [
        "以下为预览，尚未记账。",
        "¥1,000.01",
        "¥100.00",
        "¥200.01",
        "¥300.00",
        "¥400.00",
        "¥66.67",
    ] {
        assert!(
            preview.contains(shown),
            "the preview shows {shown}:\n{preview}"
        );
    }
    b.screenshot("year-end-preview", 1024).await;
    assert_eq!(
        snapshot(&mut c, id).await,
        before,
        "a preview records nothing"
    );
    b.click(Locator::Css("main form[method=post] button")).await;
    let done = b.text().await;
    assert!(
        done.contains("年终决算已完成并记账。") && done.contains("¥200.01"),
        "{done}"
    );
    for (account, want) in [
        ("3101", "100.00"),
        ("3102", "200.01"),
        ("3103", "300.00"),
        ("2201/member:M3", "66.67"),
    ] {
        assert_eq!(balance(&mut c, id, account).await, want, "{account}");
    }
    b.goto(&format!("{}/fund/{id}/year-end?year=2025", s.web))
        .await;
    let closed = b.text().await;
    assert!(
        closed.contains("本年度已做过年终决算，每年只做一次。"),
        "{closed}"
    );
    b.close().await;
}

#[tokio::test]
async fn a_day_end_run_takes_each_month_end_and_shows_its_progress() {
    let s = TestServer::start();
    common::collection::collection_fund(&s).await;
    let fund = common::collection::FUND;
    let cookie = sign_in(
        &s.web,
        &s.issue(Role::FundClerk, &format!("fund:{fund}")).await,
    );
    let path = format!("/fund/{fund}/day-end");
    let plan = get(&s.web, &format!("{path}?through=2025-06-10"), Some(&cookie));
    assert!(
        plan.body
            .contains("2025年3月31日、2025年4月30日、2025年5月31日、2025年6月10日"),
        "{}",
        plan.body
    );
    let (csrf, rid) = (
        plan.field("csrf").unwrap(),
        plan.field("request_id").unwrap(),
    );
    let run = post_form(
        &s.web,
        &path,
        Some(&cookie),
        &[
            ("csrf", &csrf),
            ("request_id", &rid),
            ("through", "2025-06-10"),
        ],
    );
    assert_eq!(run.status, 200, "{}", run.body);
    for step in ["1 / 4", "2 / 4", "3 / 4", "4 / 4", "¥34.50"] {
        assert!(
            run.body.contains(step),
            "the run shows {step}: {}",
            run.body
        );
    }
    let mut f = s.fund_client().await;
    let info = ok(
        f.get_fund(pb::GetFundRequest {
            fund_id: fund.into(),
        })
        .await,
        "fund",
    );
    assert_eq!(info.day_end_through, "2025-06-10");
    let again = get(&s.web, &format!("{path}?through=2025-06-10"), Some(&cookie));
    assert!(again.body.contains("没有需要运行的日期"), "{}", again.body);
}
