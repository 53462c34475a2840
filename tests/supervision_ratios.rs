//! The ratios a regulator recognises (DOMAIN.md §7) through the real server,
//! worked by hand: portfolio yield, operational self-sufficiency and the
//! write-off ratio of a quarter and of a period on the dashboard and in the
//! extract; the quarterly report of a fund and of its federation, its due
//! date and the dashboard's flag for a quarter left open; the fund's
//! minimum share to poor households as an alert.
//!
//! Fund Q (100,000 of fiscal capital, 2024-05-01; minimum share to poor
//! households 70%; loans to 10,000 without the board), in federation FED from 2024-05-02. Three members with
//! 100.00 of shares each; M1 registered poor. Bullet loans, no day-end run:
//! - L3, M3, 2,000, 3 months from 2024-06-01: due 2024-09-01, never paid,
//!   written off on 2025-03-15 (no risk reserve: 2,000.00 to 5002);
//! - L1, M1, 8,000, 12 months from 2024-12-01;
//! - L2, M2, 4,000, 6 months from 2025-01-15.
//!
//! In the first quarter of 2025: fees collected 300.00 (4001, Feb 10),
//! deposit interest 100.00 (4002, Mar 21), office costs 200.00 (5001, Mar
//! 5), and 10,000 borrowed from the federation on January 10 and repaid on
//! March 10, two months at 4.8%: 80.00 (5003).
//!
//! Gross portfolio: December 31 10,000 (L3 + L1), January 31 and February 28
//! 14,000, March 31 12,000 (L3 written off); average 50,000 / 4 = 12,500.
//! Portfolio yield 300 / 12,500 = 0.024; self-sufficiency (300 + 100) /
//! (80 + 2,000 + 200) = 0.175438… → 0.1754; write-off ratio 2,000 / 12,500
//! = 0.16. Poor households: 8,000 / 12,000 = 0.6667, below 70%.
mod common;

use std::process::Command;

use common::federation::*;
use common::fund::*;
use common::*;
use huzhu::pb::{self, extract_service_client::ExtractServiceClient, PovertyStatus};

const FUND: &str = "fund-q";
const FED: &str = "fed-q";

async fn setup(s: &TestServer) {
    let (mut f, mut feds, mut c) = (
        s.fund_client().await,
        s.federation_client().await,
        s.client().await,
    );
    let mut checker = s.checker_fund_client().await;
    let rules = pb::FundRules {
        min_poor_loan_share: "0.70".into(),
        board_approval_above: "10000".into(),
        ..Default::default()
    };
    fund_with_capital(
        &mut f,
        FUND,
        Some(rules),
        &[Capital::fiscal("100000")],
        "2024-05-01",
    )
    .await;
    create_federation(&mut feds, FED).await;
    add_federation_capital(&mut feds, FED, "county", "20000", "2024-05-01").await;
    admit_fund(&mut feds, FED, FUND, "2024-05-02").await;
    for (m, status) in [
        ("M1", PovertyStatus::RegisteredPoor),
        ("M2", PovertyStatus::None),
        ("M3", PovertyStatus::None),
    ] {
        member_with_shares(&mut f, FUND, m, status, "100", "2024-05-01").await;
    }
    for (loan, member, principal, months, date) in [
        ("L3", "M3", "2000", 3, "2024-06-01"),
        ("L1", "M1", "8000", 12, "2024-12-01"),
        ("L2", "M2", "4000", 6, "2025-01-15"),
    ] {
        let terms = LoanTerms {
            term_months: months,
            ..LoanTerms::new(FUND, loan, member, principal).on(date)
        };
        disbursed_loan(&mut f, &mut checker, &terms).await;
    }
    for (id, date, debit, credit, amount) in [
        ("fees", "2025-02-10", "1002", "4001", "300.00"),
        ("office", "2025-03-05", "5001", "1002", "200.00"),
        ("interest", "2025-03-21", "1002", "4002", "100.00"),
    ] {
        post(&mut c, transfer(id, date, FUND, debit, credit, amount)).await;
    }
    let lend = pb::PlaceRequest {
        request_id: "lend-q".into(),
        federation_id: FED.into(),
        placement_id: "B-Q".into(),
        fund_id: FUND.into(),
        amount: "10000".into(),
        value_date: "2025-01-10".into(),
    };
    ok(feds.lend_to_fund(lend).await, "the federation lends to Q");
    let back = pb::RepayPlacementRequest {
        request_id: "repay-q".into(),
        federation_id: FED.into(),
        placement_id: "B-Q".into(),
        principal: "10000".into(),
        value_date: "2025-03-10".into(),
    };
    let paid = ok(feds.repay_placement(back).await, "Q repays");
    assert_eq!(paid.placement.unwrap().fees_paid, "80.00");
    write_off_l3(s, &mut f).await;
}

/// Asked by one token, approved by another, on March 15.
async fn write_off_l3(s: &TestServer, f: &mut FundClient) {
    let ask = pb::RequestWriteOffRequest {
        request_id: "wo-ask-l3".into(),
        fund_id: FUND.into(),
        loan_id: "L3".into(),
        board_decision: "board resolution 2025-03".into(),
    };
    ok(f.request_write_off(ask).await, "the write-off request");
    let approve = pb::WriteOffLoanRequest {
        request_id: "wo-l3".into(),
        fund_id: FUND.into(),
        loan_id: "L3".into(),
        date: "2025-03-15".into(),
    };
    let mut checker = s.checker_fund_client().await;
    ok(checker.write_off_loan(approve).await, "the write-off");
}

async fn dashboard(s: &TestServer, as_of: &str, from: &str) -> pb::Dashboard {
    let mut feds = s.federation_client().await;
    let request = pb::GetDashboardRequest {
        federation_id: FED.into(),
        as_of: as_of.into(),
        period_from: from.into(),
    };
    ok(feds.get_dashboard(request).await, "the dashboard")
}

async fn quarterly(s: &TestServer, book: &str) -> pb::QuarterlyReport {
    let mut x = ExtractServiceClient::new(s.channel().await);
    let request = pb::GetQuarterlyReportRequest {
        book_id: book.into(),
        year: 2025,
        quarter: 1,
    };
    ok(
        x.get_quarterly_report(request).await,
        "the quarterly report",
    )
}

fn ratios(i: &pb::FundIndicators) -> [&str; 4] {
    [
        i.average_gross_portfolio.as_str(),
        i.portfolio_yield.as_str(),
        i.operational_self_sufficiency.as_str(),
        i.write_off_ratio.as_str(),
    ]
}

#[tokio::test]
async fn a_quarters_ratios_on_the_dashboard_and_in_the_extract() {
    let s = TestServer::start();
    setup(&s).await;
    let d = dashboard(&s, "2025-03-31", "").await;
    let q = &d.funds[0];
    assert_eq!(q.period_from, "2025-01-01");
    assert_eq!(ratios(q), ["12500.00", "0.024", "0.1754", "0.16"]);
    assert_eq!(
        (q.gross_portfolio.as_str(), q.poor_share.as_str()),
        ("12000.00", "0.6667")
    );
    assert!(
        q.alerts.contains(
            &"poor households' share 0.6667 is below the fund's minimum 0.70".to_string()
        ),
        "{:?}",
        q.alerts
    );
    // From February 1: January 31, February 28, March 31, average 40,000 /
    // 3 = 13,333.33…; yield 300 / 13,333.33… = 0.0225, write-offs 0.15; the
    // same income and expenses, 0.1754.
    let feb = dashboard(&s, "2025-03-31", "2025-02-01").await;
    assert_eq!(
        ratios(&feb.funds[0]),
        ["13333.33", "0.0225", "0.1754", "0.15"]
    );

    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args([
            "extract",
            "--quiet",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--book",
            FED,
            "--out",
        ])
        .arg(dir.path())
        .envs(s.cli_env())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = std::fs::read_to_string(dir.path().join("supervision.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let row = rows.records().next().unwrap().unwrap();
    let col = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
    assert_eq!(
        [
            "period_from",
            "average_gross_portfolio",
            "portfolio_yield",
            "operational_self_sufficiency",
            "write_off_ratio"
        ]
        .map(col),
        ["2025-01-01", "12500.00", "0.024", "0.1754", "0.16"]
    );
}

/// Cash 300.00 (the shares, paid at the till); bank 100,000 − 14,000 lent +
/// 10,000 borrowed − 10,080 repaid + 300 + 100 − 200 = 86,120.00; loans
/// 12,000: assets 98,420.00.
/// Equity 100,300.00 and the quarter's result, 400 − 2,280 = −1,880.00.
#[tokio::test]
async fn the_quarterly_report_of_a_fund_and_of_its_federation() {
    let s = TestServer::start();
    setup(&s).await;
    let r = quarterly(&s, FUND).await;
    assert_eq!(
        (
            r.quarter.as_str(),
            r.from_date.as_str(),
            r.to_date.as_str(),
            r.due_on.as_str(),
            r.closed
        ),
        ("2025Q1", "2025-01-01", "2025-03-31", "2025-04-05", false)
    );
    let lines = |ls: &[pb::StatementLine]| -> Vec<(String, String)> {
        ls.iter()
            .map(|l| {
                (
                    format!(
                        "{}{}{}",
                        l.code,
                        if l.sub.is_empty() { "" } else { "/" },
                        l.sub
                    ),
                    l.amount.clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        lines(&r.income_statement),
        [
            ("4001", "300.00"),
            ("4002", "100.00"),
            ("5001", "200.00"),
            ("5002", "2000.00"),
            ("5003", "80.00")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        (
            r.total_income.as_str(),
            r.total_expense.as_str(),
            r.net_result.as_str()
        ),
        ("400.00", "2280.00", "-1880.00")
    );
    let sheet = lines(&r.balance_sheet);
    for line in [
        ("1001", "300.00"),
        ("1002", "86120.00"),
        ("1201/loan:L1", "8000.00"),
        ("1201/loan:L2", "4000.00"),
    ] {
        assert!(
            sheet.contains(&(line.0.into(), line.1.into())),
            "{line:?} in {sheet:?}"
        );
    }
    assert_eq!(
        (
            r.total_assets.as_str(),
            r.total_liabilities.as_str(),
            r.total_equity.as_str(),
            r.result_to_date.as_str()
        ),
        ("98420.00", "0.00", "98420.00", "-1880.00")
    );
    assert_eq!(ratios(&r.funds[0]), ["12500.00", "0.024", "0.1754", "0.16"]);

    // The treasurer's table: amounts in yuan with separators, ratios as percentages.
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args([
            "ledger",
            "quarterly",
            FUND,
            "--year",
            "2025",
            "--quarter",
            "1",
        ])
        .envs(s.cli_env())
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for shown in [
        "2025Q1 fund-q",
        "due 2025-04-05, not closed",
        "assets 98,420.00",
        "result -1,880.00",
        "average portfolio 12,500.00: yield 2.40%, self-sufficiency 17.54%, write-offs 16.00%",
        "poor households 66.67% (minimum 70.00%)",
    ] {
        assert!(table.contains(shown), "{shown:?} in:\n{table}");
    }

    let fed = quarterly(&s, FED).await;
    assert_eq!((fed.book_kind.as_str(), fed.funds.len()), ("federation", 1));
    // The federation's quarter: the fee Q paid is its income.
    assert_eq!(
        lines(&fed.income_statement),
        [("4001".to_string(), "80.00".to_string())]
    );
    assert_eq!(
        ratios(&fed.funds[0]),
        ["12500.00", "0.024", "0.1754", "0.16"]
    );
}

#[tokio::test]
async fn a_quarter_left_open_past_its_due_date_is_flagged() {
    let s = TestServer::start();
    setup(&s).await;
    // April 5 is the first quarter's due date: not late yet, but the last
    // quarter of 2024 (due January 5) was never closed.
    let on_due = dashboard(&s, "2025-04-05", "").await;
    assert_eq!(on_due.funds[0].quarter_not_closed, "2024Q4");
    let late = dashboard(&s, "2025-04-06", "").await;
    let q = &late.funds[0];
    assert_eq!(
        (q.quarter_not_closed.as_str(), q.quarter_due_on.as_str()),
        ("2025Q1", "2025-04-05")
    );
    assert!(
        q.alerts.contains(
            &"quarter 2025Q1 not closed by 2025-04-05 (closed through no month)".to_string()
        ),
        "{:?}",
        q.alerts
    );
    let mut c = s.client().await;
    let close = pb::ClosePeriodRequest {
        request_id: "close-q-2025-03".into(),
        book_id: FUND.into(),
        period: "2025-03".into(),
    };
    ok(c.close_period(close).await, "closing the quarter");
    let closed = dashboard(&s, "2025-04-06", "").await;
    assert_eq!(
        (
            closed.funds[0].quarter_not_closed.as_str(),
            closed.funds[0].closed_through.as_str()
        ),
        ("", "2025-03-31")
    );
    let r = quarterly(&s, FUND).await;
    assert_eq!((r.closed, r.closed_through.as_str()), (true, "2025-03-31"));
}
