//! The web client in a real headless Chromium (chromedriver, fantoccini):
//! a fund treasurer signs in and reads the overview in Chinese; the
//! applicant tries to approve their own loan and is refused in Chinese; the
//! federation treasurer reads the Zhuyang demo's dashboard with its PAR30
//! alert as a percentage, each fund's balancing against its limit and the
//! relief pool; signing out leaves the old cookie refused. Each page is
//! saved to target/screenshots/.
mod common;

use common::fund::{apply_loan, LoanTerms};
use common::web::*;
use common::*;
use fantoccini::Locator;
use huzhu::pb::{self, Role};
use rust_decimal::Decimal;

#[tokio::test]
async fn a_fund_treasurer_signs_in_and_reads_the_overview_in_chinese() {
    let s = TestServer::start();
    village_fund(&s).await;
    let token = s.issue(Role::FundTreasurer, &format!("fund:{FUND}")).await;
    let b = Browser::start().await;
    b.goto(&s.web).await;
    assert!(
        b.text().await.contains("粘贴管理员发给您的令牌"),
        "the sign-in page"
    );
    b.screenshot("signin", 1024).await;
    let landed = b.sign_in(&s.web, &token).await;
    assert_eq!(
        landed,
        format!("/fund/{FUND}"),
        "the treasurer lands on the overview"
    );
    let text = b.text().await;
    for shown in [
        "东村互助社 概览",
        "库存现金",
        "¥2,034.56",
        "银行存款",
        "¥245,000.00",
        "贷款余额",
        "¥5,000.00",
        "风险贷款率(PAR30)",
        "100.00%",
        "财政扶持资金",
        "¥200,000.00",
        "捐赠资金",
        "¥1,234.56",
        "资金合计",
        "¥252,034.56",
        "风险准备金",
        "本月应收",
        "互助社会计",
    ] {
        assert!(text.contains(shown), "the overview shows {shown}:\n{text}");
    }
    b.screenshot("overview", 1024).await;
    b.screenshot("overview-phone", 390).await;
    b.click(Locator::LinkText("社员")).await;
    let search = b.driver.find(Locator::Css("input[name=q]")).await.unwrap();
    search.send_keys("王").await.unwrap();
    b.click(Locator::Css("form.search button")).await;
    let members = b.text().await;
    assert!(
        members.contains("王军") && members.contains("建档立卡") && !members.contains("李梅"),
        "{members}"
    );
    b.screenshot("members", 1024).await;
    b.click(Locator::LinkText("English")).await;
    assert!(
        b.text().await.contains("Registered poor"),
        "switched to English"
    );
    b.close().await;
}

#[tokio::test]
async fn the_applicant_approving_their_own_loan_is_refused_in_chinese() {
    let s = TestServer::start();
    village_fund(&s).await;
    let treasurer = s.issue(Role::FundTreasurer, &format!("fund:{FUND}")).await;
    let clerk = s.issue(Role::FundClerk, &format!("fund:{FUND}")).await;
    let today = huzhu::domain::dates::business_today().to_string();
    let terms = LoanTerms::new(FUND, "L2", "M2", "2000").on(&today);
    apply_loan(&mut FundClient::new(s.channel_as(&treasurer).await), &terms).await;

    let b = Browser::start().await;
    b.sign_in(&s.web, &clerk).await;
    b.goto(&format!("{}/fund/{FUND}/approvals", s.web)).await;
    let queue = b.text().await;
    assert!(
        queue.contains("待审批贷款") && queue.contains("L2") && queue.contains("¥2,000.00"),
        "{queue}"
    );
    assert_eq!(
        b.driver
            .find_all(Locator::Css("main form"))
            .await
            .unwrap()
            .len(),
        0,
        "the clerk may not approve"
    );
    b.sign_out().await;

    b.sign_in(&s.web, &treasurer).await;
    b.goto(&format!("{}/fund/{FUND}/approvals", s.web)).await;
    b.click(Locator::Css("main form button")).await;
    let refused = b.text().await;
    assert!(
        refused.contains("申请人不能审批自己的贷款（审贷分离）：须由另一位经办人批准。"),
        "the maker-checker refusal in Chinese:\n{refused}"
    );
    b.screenshot("approval-refused", 1024).await;
    let mut f = s.fund_client().await;
    let request = pb::GetLoanRequest {
        fund_id: FUND.into(),
        loan_id: "L2".into(),
    };
    let loan = ok(f.get_loan(request).await, "L2").loan.unwrap();
    assert_eq!(
        loan.status,
        pb::LoanStatus::Applied as i32,
        "still waiting for another approver"
    );
    b.close().await;
}

/// `amount` as the page must show it: ¥, thousands separated, two places.
fn as_yuan(amount: &str) -> String {
    let a: Decimal = amount.parse().unwrap();
    let text = format!("{:.2}", a.abs());
    let (whole, fen) = text.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if a < Decimal::ZERO { "-" } else { "" };
    format!("{sign}¥{grouped}.{fen}")
}

/// `ratio` as the page must show it: × 100, two places, half-up.
fn as_percent(ratio: &str) -> String {
    let r: Decimal = ratio.parse().unwrap();
    let p = (r * Decimal::from(100))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("{p:.2}%")
}

#[tokio::test]
async fn the_federation_dashboard_shows_the_zhuyang_par30_alert_as_a_percentage() {
    let s = TestServer::start();
    s.load_demo();
    let mut fed = pb::federation_service_client::FederationServiceClient::new(s.channel().await);
    let request = pb::GetDashboardRequest {
        federation_id: "fed-zhuyang".into(),
        ..Default::default()
    };
    let dashboard = ok(fed.get_dashboard(request).await, "the dashboard");
    let alerted = dashboard
        .funds
        .iter()
        .find(|f| f.alerts.iter().any(|a| a.starts_with("PAR30")))
        .expect("a fund of the demo over the PAR30 line");

    let b = Browser::start().await;
    b.sign_in(
        &s.web,
        &s.issue(Role::FederationTreasurer, "federation:fed-zhuyang")
            .await,
    )
    .await;
    assert_eq!(
        b.driver.current_url().await.unwrap().path(),
        "/federation/fed-zhuyang"
    );
    let text = b.text().await;
    let alert = format!("风险贷款率 {} 高于 5.00%", as_percent(&alerted.par30));
    assert!(text.contains(&alert), "{alert} on the dashboard:\n{text}");
    assert!(
        text.contains("成员互助社监测")
            && text.contains("流动性比率")
            && text.contains("风险准备覆盖率")
    );
    let red = b.driver.find_all(Locator::Css("td.alert")).await.unwrap();
    assert!(!red.is_empty(), "alerts are coloured");
    let chart = b.driver.find(Locator::Css("svg.chart")).await.unwrap();
    let bars = chart.find_all(Locator::Css("rect")).await.unwrap();
    assert_eq!(
        bars.len(),
        dashboard
            .funds
            .iter()
            .filter(|f| !f.liquidity.is_empty())
            .count(),
        "a bar per fund"
    );
    // The PAR30 of the funds together today, as the 12th month's bar:
    // what is at risk over the gross portfolios, from the dashboard.
    let sum = |f: fn(&pb::FundIndicators) -> &String| -> rust_decimal::Decimal {
        dashboard
            .funds
            .iter()
            .map(|i| f(i).parse::<rust_decimal::Decimal>().unwrap())
            .sum()
    };
    let pooled = (sum(|i| &i.par30_balance) / sum(|i| &i.gross_portfolio))
        .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let page = b.driver.source().await.unwrap();
    assert!(page.len() < 200_000, "a light page: {} bytes", page.len());
    b.screenshot("federation-dashboard", 1024).await;
    b.click(Locator::LinkText("查看近12个月风险贷款率趋势"))
        .await;
    let chart = b.driver.find(Locator::Css("svg.chart")).await.unwrap();
    let history = chart.html(false).await.unwrap();
    assert!(history.contains("近12个月"), "{history}");
    let today = huzhu::domain::dates::business_today();
    let label = format!(">{}</text>", today.format("%Y年%-m月"));
    let bar = &history[history.find(&label).expect("today's bar")..];
    let bar: String = bar.split("</text>").take(3).collect();
    let shown = format!(">{}", as_percent(&pooled.to_string()));
    assert!(bar.contains(&shown), "today's bar shows {shown}: {bar}");
    b.screenshot("federation-par30-trend", 1024).await;
    balancing_against_limits(&s, &b).await;
    b.click(Locator::LinkText("互助救济")).await;
    let relief = b.text().await;
    let pool = format!("互助救济金\n{}", as_yuan(&dashboard.relief_pool));
    assert!(
        relief.contains(&pool) && relief.contains("成员社缴纳"),
        "{pool}:\n{relief}"
    );
    b.screenshot("federation-relief", 1024).await;
    b.close().await;
}

/// Each member fund's placements and borrowings on the balancing page:
/// its limit is 30% of its capital (the default rule), and the share of
/// it used is placed (or borrowed) over the limit, as a percentage.
async fn balancing_against_limits(s: &TestServer, b: &Browser) {
    use rust_decimal::{Decimal, RoundingStrategy::MidpointAwayFromZero};
    b.click(Locator::LinkText("余缺调剂")).await;
    let text = b.text().await;
    let mut fed = pb::federation_service_client::FederationServiceClient::new(s.channel().await);
    let request = pb::GetFederationRequest {
        federation_id: "fed-zhuyang".into(),
    };
    let funds = ok(fed.get_federation(request).await, "the federation").member_funds;
    let mut placed_somewhere = false;
    for fund in &funds {
        let request = pb::GetBalancingPositionRequest {
            federation_id: "fed-zhuyang".into(),
            fund_id: fund.clone(),
        };
        let p = ok(fed.get_balancing_position(request).await, "a position");
        let d = |v: &str| v.parse::<Decimal>().unwrap();
        let limit =
            (d(&p.capital) * Decimal::new(30, 2)).round_dp_with_strategy(2, MidpointAwayFromZero);
        assert_eq!(d(&p.limit), limit, "{fund}'s limit is 30% of its capital");
        for used in [&p.placed, &p.borrowed] {
            let share = (d(used) / limit).round_dp_with_strategy(4, MidpointAwayFromZero);
            let row = format!("{} {}", as_yuan(used), as_percent(&share.to_string()));
            assert!(text.contains(&row), "{fund}: {row:?} on the page:\n{text}");
            placed_somewhere |= d(used) > Decimal::ZERO;
        }
    }
    assert!(placed_somewhere, "the demo places and borrows");
    assert!(
        text.contains("未结清的调剂资金") && text.contains("联合会借给互助社"),
        "{text}"
    );
    b.screenshot("federation-balancing", 1024).await;
}

#[tokio::test]
async fn after_signing_out_the_old_cookie_is_refused() {
    let s = TestServer::start();
    village_fund(&s).await;
    let b = Browser::start().await;
    b.sign_in(
        &s.web,
        &s.issue(Role::FundTreasurer, &format!("fund:{FUND}")).await,
    )
    .await;
    let old = b
        .driver
        .get_named_cookie("huzhu_session")
        .await
        .unwrap()
        .value()
        .to_string();
    assert_eq!(
        get(&s.web, &format!("/fund/{FUND}"), Some(&old)).status,
        200,
        "the cookie works"
    );
    b.sign_out().await;
    assert!(b.text().await.contains("您已退出"), "signed out");
    b.screenshot("signed-out", 1024).await;
    let after = get(&s.web, &format!("/fund/{FUND}"), Some(&old));
    assert_eq!(
        (after.status, after.header("location")),
        (303, Some("/signin")),
        "the old cookie is refused"
    );
    b.goto(&format!("{}/fund/{FUND}", s.web)).await;
    assert_eq!(b.driver.current_url().await.unwrap().path(), "/signin");
    b.close().await;
}
