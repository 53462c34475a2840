//! A store written before loans were indexed by member (simulated by
//! removing the index from a store of this build) still opens and decides
//! the same; `huzhu migrate` writes the index once, and again writes nothing.
mod common;

use std::process::Command;

use common::fund::*;
use common::*;
use huzhu::pb::{self, PovertyStatus};

const FUNDS: [&str; 2] = ["fund-east", "fund-west"];

/// The loan ids a member's answer lists.
async fn loans_of(f: &mut FundClient, fund: &str, member: &str) -> Vec<String> {
    let m = ok(
        f.get_member(pb::GetMemberRequest {
            fund_id: fund.into(),
            member_id: member.into(),
        })
        .await,
        format!("member {member} of {fund}"),
    );
    m.loans.into_iter().map(|l| l.loan_id).collect()
}

/// What the member index decides: each member's loans, and a first loan of
/// M1 refused because M1's pending 5,000.00 and 5,000.01 more pass the
/// first-loan maximum of 10,000.00 (M2's loan does not count).
async fn decides_by_member(server: &TestServer) {
    let mut f = server.fund_client().await;
    assert_eq!(loans_of(&mut f, FUNDS[0], "M1").await, ["L1"]);
    assert_eq!(loans_of(&mut f, FUNDS[0], "M2").await, ["L2"]);
    assert_eq!(loans_of(&mut f, FUNDS[1], "M1").await, ["L3"]);
    let more = LoanTerms::new(FUNDS[0], "L9", "M1", "5000.01");
    let err = f.apply_loan(more.apply_request()).await.unwrap_err();
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("first_loan_at_most_fund_maximum"),
        "{}",
        err.message()
    );
}

/// Index keys (`loanof/…` and the mark) in the stopped server's store.
fn index_keys(server: &TestServer) -> Vec<String> {
    index_keys_in(&huzhu::ledger::open_raw(server.data_dir()).expect("open the stopped store"))
}

fn strip_index(server: &TestServer) {
    let db = huzhu::ledger::open_raw(server.data_dir()).expect("open the stopped store");
    for key in index_keys_in(&db) {
        db.remove([b"R".as_slice(), key.as_bytes()].concat())
            .unwrap();
    }
    db.flush().unwrap();
}

fn index_keys_in(db: &sled::Db) -> Vec<String> {
    db.scan_prefix(b"R")
        .keys()
        .map(|k| String::from_utf8(k.unwrap()[1..].to_vec()).unwrap())
        .filter(|k| k.starts_with("loanof/") || k.starts_with("format/"))
        .collect()
}

fn migrate(server: &TestServer) -> String {
    server.wait_unlocked();
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args(["migrate", "--data-dir"])
        .arg(server.data_dir())
        .output()
        .expect("run huzhu migrate");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn a_store_without_the_member_index_opens_decides_the_same_and_migrates_once() {
    let mut server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut checker = server.checker_fund_client().await;
    for fund in FUNDS {
        fund_with_capital(
            &mut f,
            fund,
            None,
            &[Capital::fiscal("200000")],
            "2025-02-20",
        )
        .await;
        for m in ["M1", "M2"] {
            member_with_shares(&mut f, fund, m, PovertyStatus::None, "100", "2025-02-20").await;
        }
    }
    apply_loan(&mut f, &LoanTerms::new(FUNDS[0], "L1", "M1", "5000")).await;
    disbursed_loan(
        &mut f,
        &mut checker,
        &LoanTerms::new(FUNDS[0], "L2", "M2", "3000"),
    )
    .await;
    apply_loan(&mut f, &LoanTerms::new(FUNDS[1], "L3", "M1", "2000")).await;
    decides_by_member(&server).await;
    drop((f, checker));
    server.terminate().await;
    server.wait_unlocked();
    assert_eq!(
        index_keys(&server),
        [
            "format/loans-indexed",
            "loanof/fund-east/M1/L1",
            "loanof/fund-east/M2/L2",
            "loanof/fund-west/M1/L3",
        ],
        "a new store indexes its loans by member"
    );

    strip_index(&server);
    server.wait_unlocked();
    server.restart();
    decides_by_member(&server).await;
    server.terminate().await;

    let dir = server.data_dir().display().to_string();
    assert_eq!(
        migrate(&server),
        format!("{dir}: 4 records written (loans indexed by member)\n")
    );
    assert_eq!(index_keys(&server).len(), 4, "the index and its mark");
    server.wait_unlocked();
    assert_eq!(
        migrate(&server),
        format!("{dir}: already up to date, nothing written\n")
    );
    server.restart();
    decides_by_member(&server).await;
}
