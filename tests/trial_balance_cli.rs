//! `huzhu ledger trial-balance` for people: the accounts at zero are left
//! out unless --all, amounts carry thousands separators, and the rows line
//! up; `--output json` keeps every account.
mod common;

use std::process::Command;

use common::fund::{fund_with_capital, Capital};
use common::TestServer;

fn trial_balance(s: &TestServer, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .envs(s.cli_env())
        .args(["ledger", "trial-balance", "fund-tb"])
        .args(extra)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// Fiscal capital of 123,456.78 into the bank: only 1002 and
/// 3001/source:fiscal are not zero; every other account of the chart is.
#[tokio::test]
async fn zero_accounts_are_hidden_unless_asked_for() {
    let s = TestServer::start();
    let mut f = s.fund_client().await;
    fund_with_capital(
        &mut f,
        "fund-tb",
        None,
        &[Capital::fiscal("123456.78")],
        "2025-02-20",
    )
    .await;
    let json = trial_balance(&s, &["--output", "json"]);
    let every: serde_json::Value = serde_json::from_str(&json).unwrap();
    let accounts = every["lines"].as_array().unwrap().len();
    assert!(accounts > 10, "the whole chart in JSON: {json}");

    let short = trial_balance(&s, &[]);
    let rows: Vec<&str> = short.lines().filter(|l| l.starts_with("| ")).collect();
    // The header, 1002, 3001/source:fiscal and the total.
    assert_eq!(rows.len(), 4, "{short}");
    assert!(
        rows[1].contains("1002") && rows[1].contains("123,456.78"),
        "{short}"
    );
    assert!(rows[2].contains("3001/source:fiscal"), "{short}");
    assert!(
        rows[3].contains("total") && rows[3].matches("123,456.78").count() == 2,
        "{short}"
    );
    assert!(
        rows.iter().all(|r| r.len() == rows[0].len()),
        "aligned:\n{short}"
    );
    assert!(
        short.contains(&format!(
            "{} accounts at zero not shown (--all shows them)",
            accounts - 2
        )),
        "{short}"
    );

    let all = trial_balance(&s, &["--all"]);
    let rows = all.lines().filter(|l| l.starts_with("| ")).count();
    assert_eq!(
        rows,
        accounts + 2,
        "every account, the header and the total:\n{all}"
    );
    assert!(all.contains("1001") && !all.contains("not shown"), "{all}");
}
