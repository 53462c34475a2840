//! The federation's relief pool and the county program's risk fund on the
//! web client: a grant asked for on the page (refused above the loss,
//! posted once when submitted twice), refused to its own asker's approval
//! in Chinese and approved by another treasurer, the pool read back over
//! gRPC; the bank's page of its program with lending suspended, the
//! leverage gauge and its loans (ListGuaranteedLoans), worked by hand.
mod common;

use common::federation::written_off_member;
use common::program::{county_program, Programs};
use common::web::*;
use common::*;
use fantoccini::Locator;
use huzhu::pb::{self, Role};

const FED: &str = "fed-zhuyang";

async fn relief_pool(s: &TestServer) -> pb::ReliefResponse {
    let mut f = s.federation_client().await;
    let request = pb::GetReliefPoolRequest {
        federation_id: FED.into(),
    };
    ok(f.get_relief_pool(request).await, "the relief pool")
}

fn kinds(r: &pb::ReliefResponse) -> Vec<pb::ReliefKind> {
    r.history
        .iter()
        .map(|l| pb::ReliefKind::try_from(l.kind).unwrap())
        .collect()
}

/// Fund A wrote off L1 (2,000.00) and put 3,000.00 in the pool. Asking
/// 2,000.01 is refused (more than the loss); 1,800.00 is asked, twice with
/// the same form, and recorded once. Its asker may not approve it; another
/// federation treasurer does: the pool holds 3,000 − 1,800 = ¥1,200.00,
/// and fund A's relief income (4003) is 1,800.00.
#[tokio::test]
async fn a_grant_asked_for_on_the_page_is_approved_by_another_treasurer() {
    let s = TestServer::start();
    written_off_member(&s, FED, "fund-a").await;
    let scope = format!("federation:{FED}");
    let asker = sign_in(&s.web, &s.issue(Role::FederationTreasurer, &scope).await);
    let path = format!("/federation/{FED}/relief");
    let page = get(&s.web, &path, Some(&asker));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("¥3,000.00") && page.body.contains("没有待批准的救助申请"));
    let (csrf, rid) = (
        page.field("csrf").unwrap(),
        page.field("request_id").unwrap(),
    );
    let ask = |amount: &str| {
        let fields = [
            ("csrf", csrf.as_str()),
            ("request_id", rid.as_str()),
            ("fund_id", "fund-a"),
            ("loan_id", "L1"),
            ("amount", amount),
            ("reason", "洪水冲走了猪"),
        ];
        post_form(&s.web, &path, Some(&asker), &fields)
    };
    let refused = ask("2000.01");
    assert_eq!(refused.status, 409);
    assert!(
        refused.body.contains("救助只针对已核销且尚未收回的贷款"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("洪水冲走了猪"),
        "the form keeps what was typed"
    );
    assert_eq!(kinds(&relief_pool(&s).await).len(), 1, "nothing recorded");
    for _ in 0..2 {
        let asked = ask("1800");
        assert_eq!(asked.status, 303, "{}", asked.body);
    }
    let pool = relief_pool(&s).await;
    assert_eq!(
        kinds(&pool),
        [pb::ReliefKind::Contribution, pb::ReliefKind::GrantRequested],
        "the grant asked for once"
    );
    let grant = pool.history[1].id.clone();
    assert_eq!(
        (
            pool.history[1].amount.as_str(),
            pool.history[1].detail.as_str()
        ),
        ("1800.00", "loan L1: 洪水冲走了猪")
    );

    let waiting = get(&s.web, &path, Some(&asker));
    assert!(waiting.body.contains("¥1,800.00") && waiting.body.contains(&grant));
    let approve = |cookie: &str| {
        let page = get(&s.web, &path, Some(cookie));
        let fields = [
            ("csrf", page.field("csrf").unwrap()),
            ("request_id", page.field("request_id").unwrap()),
        ];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post_form(&s.web, &format!("{path}/{grant}"), Some(cookie), &fields)
    };
    let own = approve(&asker);
    assert_eq!(own.status, 409);
    assert!(own.body.contains("须由另一位经办人批准"), "{}", own.body);
    assert_eq!(relief_pool(&s).await.pool, "3000.00", "nothing paid");

    let chair = sign_in(&s.web, &s.issue(Role::FederationTreasurer, &scope).await);
    assert_eq!(approve(&chair).status, 303);
    let pool = relief_pool(&s).await;
    assert_eq!(pool.pool, "1200.00");
    assert_eq!(*kinds(&pool).last().unwrap(), pb::ReliefKind::GrantApproved);
    assert_eq!(
        balance(&mut s.client().await, "fund-a", "4003").await,
        "1800.00"
    );
    let after = get(&s.web, &path, Some(&chair));
    assert!(after.body.contains("¥1,200.00") && after.body.contains("批准救助"));
    assert!(after.body.contains("没有待批准的救助申请"));
}

async fn loans_on(p: &mut Programs, as_of: &str) -> Vec<pb::GuaranteedLoanLine> {
    let request = pb::ListGuaranteedLoansRequest {
        program_id: "prog-x".into(),
        as_of: as_of.into(),
    };
    ok(p.list_guaranteed_loans(request).await, "the loans").loans
}

/// See [`county_program`]: today L-A is closed (exposure 0.00), L-B past
/// due since its one installment and in default for its 10,000.00, L-C
/// current; the exposures add up to the report's 40,000.00. A date before
/// L-C was registered lists L-A (40,000.00 out) and L-B only.
#[tokio::test]
async fn the_program_lists_its_loans_as_of_a_date() {
    let s = TestServer::start();
    let mut p = s.program_client().await;
    let days = county_program(&mut p, "prog-x").await;
    let today = loans_on(&mut p, "").await;
    let row = |l: &pb::GuaranteedLoanLine| {
        (
            l.loan_id.clone(),
            pb::GuaranteeState::try_from(l.state).unwrap(),
            l.exposure.clone(),
            l.days_past_due,
            l.principal_in_default.clone(),
        )
    };
    use pb::GuaranteeState::{Active, Closed};
    let late = (days.today - days.l_b_due).num_days();
    assert!(late > 90, "L-B is past the 90-day line: {late}");
    assert_eq!(
        today.iter().map(row).collect::<Vec<_>>(),
        [
            ("L-A".into(), Closed, "0.00".into(), 0, "0.00".into()),
            (
                "L-B".into(),
                Active,
                "10000.00".into(),
                late,
                "10000.00".into()
            ),
            ("L-C".into(), Active, "30000.00".into(), 0, "0.00".into()),
        ]
    );
    let report = common::program::leverage_report(&mut p, "prog-x", "").await;
    assert_eq!(report.exposure, "40000.00");
    let earlier = days.today - chrono::Duration::days(150);
    let before = loans_on(&mut p, &earlier.to_string()).await;
    assert_eq!(
        before.iter().map(row).collect::<Vec<_>>(),
        [
            ("L-A".into(), Active, "40000.00".into(), 0, "0.00".into()),
            (
                "L-B".into(),
                Active,
                "10000.00".into(),
                (earlier - days.l_b_due).num_days(),
                "0.00".into()
            ),
        ]
    );
}

/// The bank signs in to its program's page: lending suspended said first
/// (25.00% above 5.00%), the gauge's figures (fund 10,000, 1:8, capacity
/// 80,000, exposure and headroom 40,000, 1:4 used), the default ratio's
/// bar today, and the three loans; a bank of another program sees nothing.
#[tokio::test]
async fn the_bank_sees_its_program_suspended_with_its_gauge_and_loans() {
    let s = TestServer::start();
    let mut p = s.program_client().await;
    county_program(&mut p, "prog-x").await;
    county_program(&mut p, "prog-y").await;
    let b = Browser::start().await;
    let landed = b
        .sign_in(&s.web, &s.issue(Role::Bank, "program:prog-x").await)
        .await;
    assert_eq!(landed, "/program/prog-x", "the bank lands on its program");
    let text = b.text().await;
    let first = text
        .find("已暂停放贷：不良率 25.00% 高于暂停线 5.00%")
        .expect(&text);
    assert!(
        first < text.find("风险补偿金余额").unwrap(),
        "the suspension comes first"
    );
    for shown in [
        "风险补偿金余额\n¥10,000.00",
        "放大倍数\n1:8",
        "担保贷款上限\n¥80,000.00",
        "担保贷款余额\n¥40,000.00",
        "剩余额度\n¥40,000.00",
        "实际放大倍数\n1:4",
        "不良率\n25.00%",
        "担保贷款（3 笔）",
        "已结清",
        "逾期",
        "建档立卡",
    ] {
        assert!(
            text.contains(shown),
            "the program page shows {shown:?}:\n{text}"
        );
    }
    let charts = b.driver.find_all(Locator::Css("svg.chart")).await.unwrap();
    assert_eq!(charts.len(), 2, "the gauge and the default ratio by month");
    let gauge = charts[0].html(false).await.unwrap();
    assert!(
        gauge.contains("50.00%") && gauge.contains("上限 ¥80,000.00"),
        "{gauge}"
    );
    let months = charts[1].html(false).await.unwrap();
    assert!(
        months.contains("近12个月不良率") && months.contains("25.00%"),
        "{months}"
    );
    b.screenshot("program", 1024).await;
    b.screenshot("program-phone", 390).await;
    b.close().await;
    let other = sign_in(&s.web, &s.issue(Role::Bank, "program:prog-y").await);
    assert_eq!(get(&s.web, "/program/prog-x", Some(&other)).status, 403);
}
