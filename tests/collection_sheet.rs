//! The collection sheet (收款单) of a day, over gRPC and on the command line,
//! on the fund of `common::collection` (its numbers are worked there).
mod common;

use std::process::Command;

use common::collection::{collection_fund, repay_first_installment, sheet, DATE, FUND};
use common::{bad_field, TestServer};
use huzhu::pb;

fn line<'a>(s: &'a pb::CollectionSheetResponse, loan: &str) -> Option<&'a pb::CollectionLine> {
    s.groups
        .iter()
        .flat_map(|g| &g.lines)
        .find(|l| l.loan_id == loan)
}

/// Each group's id, its loans and its total.
fn groups(s: &pb::CollectionSheetResponse) -> Vec<(String, Vec<String>, String)> {
    s.groups
        .iter()
        .map(|g| {
            let loans = g.lines.iter().map(|l| l.loan_id.clone()).collect();
            (g.group_id.clone(), loans, g.total.clone())
        })
        .collect()
}

fn owned(group: &str, loans: &[&str], total: &str) -> (String, Vec<String>, String) {
    (
        group.into(),
        loans.iter().map(|l| l.to_string()).collect(),
        total.into(),
    )
}

#[tokio::test]
async fn the_sheet_lists_what_has_fallen_due_by_group_and_member() {
    let s = TestServer::start();
    collection_fund(&s).await;
    let mut f = s.fund_client().await;
    let on = sheet(&mut f, DATE).await;
    assert_eq!(
        groups(&on),
        vec![
            owned("G1", &["L1", "L2", "L3"], "1222.80"),
            owned("", &["L4"], "815.20")
        ]
    );
    assert_eq!(on.total, "2038.00");
    let l1 = line(&on, "L1").unwrap();
    assert_eq!(
        (
            l1.member_name.as_str(),
            l1.installment_no,
            l1.due_date.as_str()
        ),
        ("王军", 1, "2025-04-01")
    );
    assert_eq!(
        (
            l1.overdue.as_str(),
            l1.due.as_str(),
            l1.penalty.as_str(),
            l1.total.as_str()
        ),
        ("407.20", "0.00", "0.40", "407.60")
    );
    assert_eq!(
        (l1.days_past_due, l1.outstanding_principal.as_str()),
        (10, "1200.00")
    );
    let l4 = line(&on, "L4").unwrap();
    assert_eq!(
        (l4.overdue.as_str(), l4.penalty.as_str()),
        ("814.40", "0.80")
    );

    // On the due date itself the installment is due, not overdue.
    let due_day = sheet(&mut f, "2025-04-01").await;
    let l1 = line(&due_day, "L1").unwrap();
    assert_eq!(
        (l1.overdue.as_str(), l1.due.as_str(), l1.days_past_due),
        ("0.00", "407.20", 0)
    );
    // 407.20 x 3 + 814.40.
    assert_eq!(due_day.total, "2036.00");
    assert!(sheet(&mut f, "2025-03-31").await.groups.is_empty());
}

/// Paying a line's total on the day settles it: the loan leaves that day's
/// sheet and its group's total falls by it; May 1 then shows only its
/// second installment (400.00 + 4.80).
#[tokio::test]
async fn a_line_paid_in_full_leaves_the_sheet() {
    let s = TestServer::start();
    collection_fund(&s).await;
    let mut f = s.fund_client().await;
    repay_first_installment(&mut f).await;
    let on = sheet(&mut f, DATE).await;
    assert_eq!(
        groups(&on),
        vec![
            owned("G1", &["L2", "L3"], "815.20"),
            owned("", &["L4"], "815.20")
        ]
    );
    let may = sheet(&mut f, "2025-05-01").await;
    let l1 = line(&may, "L1").unwrap();
    assert_eq!((l1.installment_no, l1.total.as_str()), (2, "404.80"));
}

#[tokio::test]
async fn a_bad_date_or_an_unknown_fund_is_refused_by_name() {
    let s = TestServer::start();
    collection_fund(&s).await;
    let mut f = s.fund_client().await;
    let bad = pb::GetCollectionSheetRequest {
        fund_id: FUND.into(),
        date: "2025-13-01".into(),
    };
    let status = f.get_collection_sheet(bad).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert_eq!(bad_field(&status).as_deref(), Some("date"));
    let unknown = pb::GetCollectionSheetRequest {
        fund_id: "fund-nowhere".into(),
        date: DATE.into(),
    };
    let status = f.get_collection_sheet(unknown).await.unwrap_err();
    assert_eq!(status.code(), tonic::Code::NotFound, "{status:?}");
}

/// Columns on screen: a CJK character takes two.
fn display_width(line: &str) -> usize {
    line.chars()
        .map(|c| if c >= '\u{2e80}' { 2 } else { 1 })
        .sum()
}

/// `huzhu fund collection-sheet` prints the same sheet as a table whose
/// rows line up on screen with Chinese names in them.
#[tokio::test]
async fn the_command_line_prints_the_sheet_aligned() {
    let s = TestServer::start();
    collection_fund(&s).await;
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .envs(s.cli_env())
        .args(["fund", "collection-sheet", FUND, "--date", DATE])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(['|', '+', '-']))
        .collect();
    assert!(rows.len() >= 6, "{text}");
    let widths: Vec<usize> = rows.iter().map(|l| display_width(l)).collect();
    assert!(widths.iter().all(|w| *w == widths[0]), "{text}");
    let l1 = text.lines().find(|l| l.contains("L1")).unwrap();
    assert!(
        l1.contains("王军") && l1.contains("407.60") && l1.contains("G1"),
        "{l1}"
    );
    let l4 = text.lines().find(|l| l.contains("L4")).unwrap();
    assert!(l4.contains("no group") && l4.contains("815.20"), "{l4}");
    assert!(text.contains("total 2,038.00"), "{text}");
}
