//! What the thin client says when something is off, as a person reads it:
//! a bare host:port works, an unreachable server and a store held by another
//! process are said once and plainly with what to do, a read never claims
//! that nothing was recorded, and a refused self-approval says another token
//! must approve.
mod common;

use std::process::Command;

use common::fund::{apply_loan, fund_with_capital, member_with_shares, Capital, LoanTerms};
use common::TestServer;
use huzhu::pb::PovertyStatus;

/// `huzhu ARGS` as the server's admin (its token file): success and stderr.
fn huzhu(server: &TestServer, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .envs(server.cli_env())
        .env_remove("HUZHU_TOKEN")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_server_address_and_its_absence_are_said_plainly() {
    let server = TestServer::start();
    let bare = server.addr.trim_start_matches("http://");
    let (ok, out, err) = huzhu(&server, &["token", "whoami", "--server", bare]);
    assert!(ok, "a bare host:port is http://: {err}");
    assert!(out.contains("admin"), "{out}");

    let (ok, _, err) = huzhu(
        &server,
        &["token", "whoami", "--server", "http://127.0.0.1:1"],
    );
    assert!(!ok);
    assert!(
        err.contains("cannot reach the server at http://127.0.0.1:1"),
        "{err}"
    );
    assert_eq!(err.matches("tcp connect error").count(), 1, "{err}");
    assert!(err.contains("is `huzhu serve` running there?"), "{err}");
}

#[tokio::test]
async fn a_store_in_use_is_said_with_what_to_do() {
    let server = TestServer::start();
    let dir = server.data_dir.to_str().unwrap();
    for args in [
        vec!["verify", "--data-dir", dir],
        vec![
            "serve",
            "--data-dir",
            dir,
            "--listen",
            "127.0.0.1:0",
            "--web-listen",
            "off",
        ],
    ] {
        let (ok, _, err) = huzhu(&server, &args);
        assert!(!ok, "{args:?}");
        assert!(
            err.contains("another Huzhu process") && err.contains(dir),
            "{args:?}: {err}"
        );
        assert!(err.contains("stop it first"), "{err}");
        assert!(err.contains("huzhu verify --server URL"), "{err}");
        assert!(!err.contains("Os {"), "no raw OS error: {err}");
    }
    let (ok, out, err) = huzhu(&server, &["verify"]);
    assert!(ok, "the running server verifies its own store: {err}");
    assert!(out.starts_with("ok:"), "{out}");
}

#[tokio::test]
async fn only_a_change_says_nothing_was_recorded() {
    let server = TestServer::start();
    let (ok, _, err) = huzhu(&server, &["ledger", "book", "fund-nope"]);
    assert!(!ok);
    assert!(err.contains("book \"fund-nope\" does not exist"), "{err}");
    assert!(err.contains("correct the input"), "{err}");
    assert!(!err.contains("nothing was recorded"), "a read: {err}");

    let create = [
        "ledger",
        "create-book",
        "fund-a",
        "--kind",
        "fund",
        "--name",
        "A",
    ];
    assert!(huzhu(&server, &create).0);
    let (ok, _, err) = huzhu(&server, &create);
    assert!(!ok, "a second book fund-a");
    assert!(
        err.contains("nothing was recorded: it exists already"),
        "{err}"
    );
    assert!(!err.contains("request id was used"), "{err}");
}

#[tokio::test]
async fn a_refused_self_approval_says_another_token_must_approve() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let capital = [Capital::fiscal("10000.00")];
    fund_with_capital(&mut f, "fund-a", None, &capital, "2025-02-01").await;
    member_with_shares(
        &mut f,
        "fund-a",
        "M1",
        PovertyStatus::None,
        "100.00",
        "2025-02-01",
    )
    .await;
    apply_loan(&mut f, &LoanTerms::new("fund-a", "L1", "M1", "1000.00")).await;

    let approve = ["fund", "approve", "fund-a", "L1", "--date", "2025-02-26"];
    let (ok, _, err) = huzhu(&server, &approve);
    assert!(!ok, "the token that applied approves");
    assert!(err.contains("loan_approver_not_applicant"), "{err}");
    assert!(err.contains("another token must"), "{err}");
    assert!(!err.contains("correct the input"), "{err}");
}
