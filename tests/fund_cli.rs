//! The treasurer's thin client drives a whole fund cycle against the real
//! server, reading its own `--output json` answers.
//!
//! By hand (default rules: fee 7.2% a year, r = 0.006 a month; surplus
//! 10/20/30/40): seed 100,000.00 in the bank; M1, M2, M3 buy 100.00 of shares
//! each in cash. Disbursed from the bank on 2025-03-01:
//! - L1 (M1) 3,000.00 fee monthly, 3 months: 18.00 on Apr 1 and May 1, 3,018.00 on Jun 1;
//! - L2 (M2) 1,200.00 equal principal, 3 months: 407.20, 404.80, 402.40.
//!
//! Day-end every day from Mar 1 to Jun 1 accrues the fees: 54.00 + 14.40 =
//! 68.40 of income. Repaid on the due dates, so the year's surplus is 68.40:
//! welfare 6.84, accumulation 13.68, risk 20.52, dividends 27.36, which is
//! 9.12 to each member (equal shares). Repayments come in cash (the
//! client's default till for them), so at the end: bank 100,000 - 4,200 =
//! 95,800.00; cash 300 + 4,268.40 = 4,568.40.
//!
//! The treasurer calls with the server's admin token (its file); the two
//! clerks with fund-treasurer tokens of the fund the treasurer issues them
//! with `huzhu token issue`, so that one may take an application and the
//! other approve it.
mod common;

use std::process::Command;

use common::TestServer;
use serde_json::Value;

/// Who runs a command: the server's admin token (its file), or a person
/// with a bearer token of their own.
#[derive(Clone, Copy)]
enum Who<'a> {
    Admin,
    Bearer(&'a str),
}

struct Cli {
    /// HUZHU_SERVER and HUZHU_TOKEN_FILE (the admin token) of the server.
    env: [(&'static str, String); 3],
}

impl Cli {
    /// `huzhu ARGS` as `who`.
    fn command(&self, who: Who, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_huzhu"));
        c.envs(self.env.clone())
            .env_remove("HUZHU_TOKEN")
            .args(args);
        if let Who::Bearer(token) = who {
            c.env("HUZHU_TOKEN", token);
        }
        c
    }

    fn run(&self, who: Who, args: &[&str]) -> (bool, String, String) {
        let out = self
            .command(who, &["fund", "--output", "json"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn json(&self, who: Who, args: &[&str]) -> Value {
        let (ok, out, err) = self.run(who, args);
        assert!(ok, "huzhu fund {args:?} failed: {err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// A refused command: exit code 1, nothing on stdout, and the message.
    fn refused(&self, who: Who, args: &[&str]) -> String {
        let (ok, out, err) = self.run(who, args);
        assert!(!ok, "huzhu fund {args:?} should be refused: {out}");
        assert!(out.is_empty(), "a refusal prints no answer: {out}");
        err
    }

    /// `huzhu token issue` as admin: the token (with its actor) and the bearer.
    fn issue(&self, role: &str, scope: &str, label: &str) -> (Value, String) {
        let out = self
            .command(Who::Admin, &["token", "--output", "json", "issue"])
            .args(["--role", role, "--scope", scope, "--label", label])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "huzhu token issue failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let issued: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
        let bearer = issued["bearer"].as_str().unwrap().to_string();
        // What records name as the actor: "<token id>/<role>".
        let token_id = bearer.split_once('.').unwrap().0;
        assert_eq!(
            issued["token"]["actor"],
            format!("{token_id}/{}", role.replace('-', "_")),
            "{issued}"
        );
        (issued["token"].clone(), bearer)
    }
}

const F: &str = "fund-cli";

#[tokio::test]
async fn a_treasurer_runs_a_funds_year_from_the_command_line() {
    let server = TestServer::start();
    let cli = Cli {
        env: server.cli_env(),
    };
    let t = Who::Admin;
    let fund = cli.json(
        t,
        &[
            "create",
            F,
            "--name",
            "Shiqiao fund",
            "--request-id",
            "create",
        ],
    );
    assert_eq!(fund["rules"]["feeRateAnnual"], "0.072");
    assert_eq!(fund["rules"]["dayCount"], "DAY_COUNT_MONTHS_AND_DAYS");
    assert_eq!(fund["rules"]["lendToMembersInArrears"], false);
    let bankish = cli.json(
        t,
        &[
            "create",
            "fund-shiqiao-b",
            "--name",
            "Shiqiao fund B",
            "--day-count",
            "actual-360",
            "--lend-to-members-in-arrears",
        ],
    );
    assert_eq!(bankish["rules"]["dayCount"], "DAY_COUNT_ACTUAL_360");
    assert_eq!(bankish["rules"]["lendToMembersInArrears"], true);
    let scope = format!("fund:{F}");
    let (clerk_a, bearer_a) = cli.issue("fund-treasurer", &scope, "clerk-a");
    let (clerk_b, bearer_b) = cli.issue("fund-treasurer", &scope, "clerk-b");
    let (a, b) = (Who::Bearer(&bearer_a), Who::Bearer(&bearer_b));
    cli.json(
        t,
        &[
            "capital",
            F,
            "--source",
            "fiscal",
            "--amount",
            "100000",
            "--date",
            "2025-02-20",
        ],
    );
    for m in ["M1", "M2", "M3"] {
        let joined = cli.json(
            a,
            &[
                "join",
                F,
                m,
                "--household",
                &format!("H-{m}"),
                "--name",
                &format!("Household {m}"),
                "--birth-date",
                "1975-06-01",
                "--status",
                "registered-poor",
                "--date",
                "2025-02-20",
            ],
        );
        assert_eq!(joined["member"]["status"], "POVERTY_STATUS_REGISTERED_POOR");
        let shares = cli.json(
            a,
            &[
                "buy-shares",
                F,
                m,
                "--amount",
                "100",
                "--date",
                "2025-02-20",
            ],
        );
        assert_eq!(shares["ownShares"], "100.00");
    }
    // L2's money goes to a business (户贷企用).
    for (loan, member, principal, method, category, business) in [
        ("L1", "M1", "3000", "fee-monthly", "crops", ""),
        (
            "L2",
            "M2",
            "1200",
            "equal-principal",
            "trade",
            "Hexi tea shop",
        ),
    ] {
        let applied = cli.json(
            a,
            &[
                "apply",
                F,
                loan,
                "--member",
                member,
                "--principal",
                principal,
                "--term-months",
                "3",
                "--method",
                method,
                "--purpose-category",
                category,
                "--business",
                business,
                "--date",
                "2025-02-25",
            ],
        );
        let want = format!("PURPOSE_CATEGORY_{}", category.to_uppercase());
        assert_eq!(applied["loan"]["purposeCategory"], want.as_str());
        assert_eq!(applied["loan"]["business"], business);
        let err = cli.refused(a, &["approve", F, loan, "--date", "2025-02-26"]);
        assert!(err.contains("loan_approver_not_applicant"), "{err}");
        assert!(err.contains("nothing was recorded"), "{err}");
        let approved = cli.json(b, &["approve", F, loan, "--date", "2025-02-26"]);
        // The loan names each clerk by the token they called with.
        assert_eq!(approved["loan"]["appliedBy"], clerk_a["actor"]);
        assert_eq!(approved["loan"]["approvedBy"], clerk_b["actor"]);
        let paid = cli.json(t, &["disburse", F, loan, "--date", "2025-03-01"]);
        assert_eq!(paid["loan"]["status"], "LOAN_STATUS_DISBURSED");
    }
    let l2 = cli.json(t, &["loan", F, "L2"]);
    let payments: Vec<&str> = l2["loan"]["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["payment"].as_str().unwrap())
        .collect();
    assert_eq!(payments, ["407.20", "404.80", "402.40"]);

    let runs = cli.json(
        t,
        &["day-end", F, "--from", "2025-03-01", "--date", "2025-04-01"],
    );
    assert_eq!(runs.as_array().unwrap().len(), 32);
    let fee_through_apr_1: rust_decimal::Decimal = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["feeAccrued"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    assert_eq!(
        fee_through_apr_1.to_string(),
        "25.20",
        "18.00 + 7.20 fall due on Apr 1"
    );
    // The same command again is answered from the record: nothing twice.
    let again = cli.json(t, &["day-end", F, "--date", "2025-04-01"]);
    assert_eq!(again[0]["replayed"], true);

    let repay = |loan: &str, amount: &str, date: &str| {
        cli.json(
            t,
            &[
                "repay",
                F,
                loan,
                "--amount",
                amount,
                "--date",
                date,
                "--request-id",
                &format!("repay-{loan}-{date}"),
            ],
        )
    };
    repay("L1", "18.00", "2025-04-01");
    repay("L2", "407.20", "2025-04-01");
    let retried = repay("L2", "407.20", "2025-04-01");
    assert_eq!(retried["replayed"], true, "a retry records nothing");
    cli.json(
        t,
        &["day-end", F, "--from", "2025-04-02", "--date", "2025-05-01"],
    );
    repay("L1", "18.00", "2025-05-01");
    repay("L2", "404.80", "2025-05-01");
    cli.json(
        t,
        &["day-end", F, "--from", "2025-05-02", "--date", "2025-06-01"],
    );
    let err = cli.refused(
        t,
        &[
            "repay",
            F,
            "L1",
            "--amount",
            "3018.01",
            "--date",
            "2025-06-01",
        ],
    );
    assert!(err.contains("repayment_at_most_owed"), "{err}");
    let closed = repay("L1", "3018.00", "2025-06-01");
    assert_eq!(closed["loan"]["status"], "LOAN_STATUS_CLOSED");
    repay("L2", "402.40", "2025-06-01");

    let ledger = cli.json(t, &["loans", F, "--as-of", "2025-06-30"]);
    for line in ledger["loans"].as_array().unwrap() {
        assert_eq!(line["status"], "LOAN_STATUS_CLOSED", "{line}");
        assert_eq!(line["outstandingPrincipal"], "0.00");
        assert_eq!(line["daysPastDue"], "0", "int64 is a string in proto3 JSON");
    }

    // A year-end needs the day-end through December 31 (all loans are closed:
    // it accrues nothing).
    cli.json(t, &["day-end", F, "--date", "2025-12-31"]);
    let year = cli.json(t, &["year-end", F, "--year", "2025"]);
    assert_eq!(year["surplus"], "68.40");
    assert_eq!(year["welfare"], "6.84");
    assert_eq!(year["accumulation"], "13.68");
    assert_eq!(year["risk"], "20.52");
    assert_eq!(year["dividends"], "27.36");
    for d in year["memberDividends"].as_array().unwrap() {
        assert_eq!(d["amount"], "9.12", "{d}");
    }
    let fund = cli.json(t, &["show", F]);
    assert_eq!(fund["bank"], "95800.00");
    assert_eq!(fund["cash"], "4568.40");
    assert_eq!(fund["activeMembers"], 3);
    let m1 = cli.json(t, &["member", F, "M1"]);
    assert_eq!(m1["ownShares"], "100.00");

    // The table form reads as a person would expect.
    let out = cli.command(t, &["fund", "show", F]).output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("cash 4,568.40   bank 95,800.00"), "{table}");
}
