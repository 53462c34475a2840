//! What the thin client says when something is off, as a person reads it:
//! a bare host:port works, an unreachable server and a store held by another
//! process are said once and plainly with what to do, a read never claims
//! that nothing was recorded, and a refused self-approval says another token
//! must approve; under a Chinese locale, or with --lang zh, the refusal and
//! the tables are said in Chinese.
mod common;

use std::process::Command;

use common::fund::{apply_loan, fund_with_capital, member_with_shares, Capital, LoanTerms};
use common::TestServer;
use huzhu::pb::PovertyStatus;

/// `huzhu ARGS` as the server's admin (its token file): success and stderr.
fn huzhu(server: &TestServer, args: &[&str]) -> (bool, String, String) {
    huzhu_in(server, &[], args)
}

/// `huzhu ARGS` with the environment `env` added (a locale); a variable
/// given as empty is removed.
fn huzhu_in(server: &TestServer, env: &[(&str, &str)], args: &[&str]) -> (bool, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_huzhu"));
    c.envs(server.cli_env()).env_remove("HUZHU_TOKEN");
    for (k, v) in env {
        if v.is_empty() {
            c.env_remove(k);
        } else {
            c.env(k, v);
        }
    }
    let out = c.args(args).output().unwrap();
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

/// Fund A (10,000.00) and its member M1 of `status`, who applied for L1
/// (1,000.00) with the admin token.
async fn applied_loan(server: &TestServer, status: PovertyStatus) {
    let mut f = server.fund_client().await;
    let capital = [Capital::fiscal("10000.00")];
    fund_with_capital(&mut f, "fund-a", None, &capital, "2025-02-01").await;
    member_with_shares(&mut f, "fund-a", "M1", status, "100.00", "2025-02-01").await;
    apply_loan(&mut f, &LoanTerms::new("fund-a", "L1", "M1", "1000.00")).await;
}

#[tokio::test]
async fn a_refused_self_approval_says_another_token_must_approve() {
    let server = TestServer::start();
    applied_loan(&server, PovertyStatus::None).await;

    let approve = ["fund", "approve", "fund-a", "L1", "--date", "2025-02-26"];
    let (ok, _, err) = huzhu(&server, &approve);
    assert!(!ok, "the token that applied approves");
    assert!(err.contains("loan_approver_not_applicant"), "{err}");
    assert!(err.contains("another token must"), "{err}");
    assert!(!err.contains("correct the input"), "{err}");
}

/// A Chinese locale (HUZHU_LANG unset) reads the same refusal in Chinese:
/// the rule's words first, the server's technical line kept, what to do
/// next; `--lang zh` draws the loan ledger with Chinese headers, aligned
/// by display width, and `--lang en` keeps English under that locale; the
/// schedule preview follows the locale too, with its totals.
#[tokio::test]
async fn a_chinese_locale_reads_refusals_and_tables_in_chinese() {
    let server = TestServer::start();
    applied_loan(&server, PovertyStatus::Wubao).await;

    let zh = [("HUZHU_LANG", ""), ("LANG", "zh_CN.UTF-8"), ("LC_ALL", "")];
    let approve = ["fund", "approve", "fund-a", "L1", "--date", "2025-02-26"];
    let (ok, _, err) = huzhu_in(&server, &zh, &approve);
    assert!(!ok, "the token that applied approves");
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0]
            .ends_with("操作被拒绝：申请人不能审批自己的贷款（审贷分离）：须由另一位经办人批准。"),
        "{err}"
    );
    assert!(err.contains("rule: loan_approver_not_applicant"), "{err}");
    assert!(
        err.contains("没有记下任何内容：提出申请的令牌不能自己批准"),
        "{err}"
    );

    let (ok, out, err) = huzhu_in(&server, &zh, &["fund", "loans", "fund-a", "--lang", "zh"]);
    assert!(ok, "{err}");
    let header = out.lines().find(|l| l.contains("贷款编号")).expect(&out);
    for column in ["社员编号", "户类别", "金额", "逾期天数"] {
        assert!(header.contains(column), "{column} in {header}");
    }
    let row = out.lines().find(|l| l.contains("L1")).expect(&out);
    assert!(row.contains("五保") && row.contains("1,000.00"), "{row}");
    // Aligned by display width (a Chinese character takes two columns):
    // the amount ends in the column where its right-aligned header ends.
    let ends_at = |line: &str, text: &str| -> usize {
        let before = &line[..line.find(text).expect(text) + text.len()];
        before
            .chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum()
    };
    assert_eq!(
        ends_at(header, "金额"),
        ends_at(row, "1,000.00"),
        "\n{header}\n{row}"
    );
    let (_, out, _) = huzhu_in(&server, &zh, &["fund", "loans", "fund-a", "--lang", "en"]);
    assert!(out.contains("Loan") && !out.contains("贷款编号"), "{out}");

    // 10,000 at 7.2% in three equal installments from 2025-01-15, months
    // and days: fees 60.00 + 40.12 + 20.12 = 120.24 (tests/schedules.rs),
    // so 10,120.24 paid in all.
    let preview = [
        "schedule",
        "--principal",
        "10000",
        "--rate",
        "0.072",
        "--months",
        "3",
        "--method",
        "equal-installments",
        "--start",
        "2025-01-15",
    ];
    let (ok, out, err) = huzhu_in(&server, &zh, &preview);
    assert!(ok, "{err}");
    assert!(out.contains("期数") && out.contains("剩余本金"), "{out}");
    let total = out
        .lines()
        .last()
        .and(out.lines().rev().nth(1))
        .expect(&out);
    assert!(
        total.contains("合计"),
        "the row before the border is the total: {out}"
    );
    assert!(
        total.contains("10,000.00") && total.contains("120.24") && total.contains("10,120.24"),
        "{total}"
    );
}
