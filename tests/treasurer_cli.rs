//! The federation's treasurer and the cooperating bank's operator drive
//! their work through the thin client against the real server, reading its
//! own `--output json` answers.
//!
//! Federation (limit 30% of a fund's capital each way, placements paid 3.6%
//! a year, the spread 1.2%, so a borrowing fund pays 4.8%; liquidity alert
//! set below 0.8): fund-east (capital 200,000, limit 60,000) places 50,000
//! on 2025-03-01; the federation lends 30,000 of it to fund-west (capital
//! 100,000, limit 30,000) on 2025-03-02. On 2025-04-01 (30 days) west
//! repays 12,000 with a fee of 12,000 × 0.048 × 30 / 360 = 48.00: 18,000
//! outstanding. As of 2025-04-01: east's bank 150,000 / capital 200,000 =
//! liquidity 0.75, below 0.8 (one alert); west's 100,000 + 30,000 − 12,048
//! = 117,952 / 100,000 = 1.17952 → 1.1795; the federation's bank 50,000 −
//! 30,000 + 12,048 = 32,048.00, fee income 48.00. A further 10,000.01 from
//! east would take it to 60,000.01, over its limit: refused.
//!
//! Program 1:7 on a fund of 1,000,000: capacity 7,000,000. G1, 48,000 in 12
//! equal principal installments at 4.35% from 2025-01-10: the first is
//! 4,000 + 48,000 × 0.0435 / 12 = 174.00 of interest. Reported paid on
//! 2025-02-10: exposure 44,000.00, headroom 6,956,000.00, leverage 44,000 /
//! 1,000,000 = 0.044; G1 is used by a tea cooperative, so the business share
//! is 44,000 / 44,000 = 1. A 1:11 program is refused on its ratio. Its
//! interest subsidy for January (current from the 10th to February 1, 22
//! days under months and days) is 48,000 × 22 × 0.0435 / 360 = 127.60,
//! claimed, refused to the claimant's own approval, approved by the finance
//! bureau and paid.
//!
//! Each person calls with a token of their own: the administrator (the
//! server's admin token file) creates the federation, the funds and the
//! program and admits the funds; it issues, with `huzhu token issue`, a
//! federation-treasurer token for the federation's treasurer (fund-east's
//! placements are its own treasurer's, with a fund-treasurer token), a bank token
//! for the bank's operator and a second admin token for the finance bureau.
//! The county's work is the administrator's.
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

/// A fresh server and a client for it (the server stops when dropped).
fn start() -> (TestServer, Cli) {
    let server = TestServer::start();
    let cli = Cli {
        env: server.cli_env(),
    };
    (server, cli)
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

    /// `huzhu GROUP --output json ARGS` as `who`: exit code, stdout, stderr.
    fn run(&self, group: &str, who: Who, args: &[&str]) -> (Option<i32>, String, String) {
        let out = self
            .command(who, &[group, "--output", "json"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn json(&self, group: &str, who: Who, args: &[&str]) -> Value {
        let (code, out, err) = self.run(group, who, args);
        assert_eq!(code, Some(0), "huzhu {group} {args:?} failed: {err}");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// `huzhu GROUP ARGS` as a person reads it: the table.
    fn table(&self, group: &str, who: Who, args: &[&str]) -> String {
        let out = self.command(who, &[group]).args(args).output().unwrap();
        assert!(out.status.success(), "huzhu {group} {args:?} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `huzhu token issue` as admin: the token's actor and the bearer token.
    fn issue(&self, role: &str, scope: &str, label: &str) -> (String, String) {
        let issued = self.json(
            "token",
            Who::Admin,
            &["issue", "--role", role, "--scope", scope, "--label", label],
        );
        let bearer = issued["bearer"].as_str().unwrap().to_string();
        // What records name as the actor: "<token id>/<role>".
        let token_id = bearer.split_once('.').unwrap().0;
        let actor = format!("{token_id}/{}", role.replace('-', "_"));
        assert_eq!(issued["token"]["actor"], actor, "{issued}");
        (actor, bearer)
    }

    /// A refused command: exit code 1, nothing on stdout, and the message.
    fn refused(&self, group: &str, who: Who, args: &[&str]) -> String {
        let (code, out, err) = self.run(group, who, args);
        assert_eq!(
            code,
            Some(1),
            "huzhu {group} {args:?} should be refused: {out}"
        );
        assert!(out.is_empty(), "a refusal prints no answer: {out}");
        assert!(err.contains("nothing was recorded"), "{err}");
        err
    }
}

const FED: &str = "fed-cli";

#[tokio::test]
async fn a_federation_balances_two_funds_from_the_command_line() {
    let (_server, cli) = start();
    let admin = Who::Admin;
    let fed = cli.json(
        "federation",
        admin,
        &[
            "create",
            FED,
            "--name",
            "Shiqiao township federation",
            "--liquidity-alert",
            "0.8",
        ],
    );
    assert_eq!(fed["rules"]["limitShare"], "0.30");
    // The federation's treasurer: a token for this federation only.
    let (_, treasurer) = cli.issue(
        "federation-treasurer",
        &format!("federation:{FED}"),
        "treasurer of the federation",
    );
    let t = Who::Bearer(&treasurer);
    for (fund, capital) in [("fund-east", "200000"), ("fund-west", "100000")] {
        cli.json(
            "fund",
            admin,
            &["create", fund, "--name", &format!("Fund {fund}")],
        );
        cli.json(
            "fund",
            admin,
            &[
                "capital",
                fund,
                "--source",
                "fiscal",
                "--amount",
                capital,
                "--date",
                "2025-02-01",
            ],
        );
        cli.json(
            "federation",
            admin,
            &["admit", FED, fund, "--date", "2025-02-02"],
        );
    }
    // Money leaves a fund for the federation on its own treasurer's call.
    let (_, east) = cli.issue("fund-treasurer", "fund:fund-east", "treasurer of fund-east");
    let e = Who::Bearer(&east);
    let shown = cli.json("federation", t, &["show", FED]);
    assert_eq!(
        shown["memberFunds"],
        serde_json::json!(["fund-east", "fund-west"])
    );

    let placed = cli.json(
        "federation",
        e,
        &[
            "place",
            FED,
            "P1",
            "--fund",
            "fund-east",
            "--amount",
            "50000",
            "--date",
            "2025-03-01",
        ],
    );
    assert_eq!(
        placed["placement"]["direction"],
        "PLACEMENT_DIRECTION_FROM_FUND"
    );
    assert_eq!(placed["placement"]["rateAnnual"], "0.036");
    // One entry across the fund's book and the federation's; uint64 is a string.
    assert_eq!(placed["entrySeqs"].as_array().unwrap().len(), 1);
    assert!(placed["entrySeqs"][0].is_string(), "{placed}");
    let lent = cli.json(
        "federation",
        t,
        &[
            "lend",
            FED,
            "L1",
            "--fund",
            "fund-west",
            "--amount",
            "30000",
            "--date",
            "2025-03-02",
        ],
    );
    assert_eq!(
        lent["placement"]["direction"],
        "PLACEMENT_DIRECTION_TO_FUND"
    );
    assert_eq!(lent["placement"]["rateAnnual"], "0.048");

    let repay = || {
        cli.json(
            "federation",
            t,
            &[
                "repay",
                FED,
                "L1",
                "--principal",
                "12000",
                "--date",
                "2025-04-01",
                "--request-id",
                "repay-L1-1",
            ],
        )
    };
    let repaid = repay();
    let p = &repaid["placement"];
    assert_eq!(p["outstanding"], "18000.00");
    assert_eq!(p["feesPaid"], "48.00", "12,000 × 0.048 × 30 / 360");
    assert_eq!(p["repayments"][0]["fee"], "48.00");
    let again = repay();
    assert_eq!(again["replayed"], true, "a retry records nothing");
    assert_eq!(again["placement"]["outstanding"], "18000.00");

    let west = cli.json("federation", t, &["position", FED, "fund-west"]);
    assert_eq!(west["capital"], "100000.00");
    assert_eq!(west["limit"], "30000.00");
    assert_eq!(west["borrowed"], "18000.00");
    assert_eq!(west["placed"], "0.00");
    assert_eq!(west["feesPaid"], "48.00");
    let east = cli.json("federation", t, &["position", FED, "fund-east"]);
    assert_eq!(east["limit"], "60000.00");
    assert_eq!(east["placed"], "50000.00");

    let dash = cli.json(
        "federation",
        t,
        &["dashboard", FED, "--as-of", "2025-04-01"],
    );
    assert_eq!(dash["bank"], "32048.00");
    assert_eq!(dash["placements"], "18000.00");
    assert_eq!(dash["borrowings"], "50000.00");
    assert_eq!(dash["feeIncome"], "48.00");
    assert_eq!(dash["alerts"], 1);
    let funds = dash["funds"].as_array().unwrap();
    assert_eq!(funds[0]["fundId"], "fund-east");
    assert_eq!(funds[0]["liquidity"], "0.75");
    assert_eq!(funds[0]["alerts"][0], "liquidity 0.75 is below 0.8");
    assert_eq!(funds[1]["fundId"], "fund-west");
    assert_eq!(funds[1]["liquidity"], "1.1795");
    assert_eq!(funds[1]["borrowed"], "18000.00");
    // No loans: PAR30 has no denominator, and is present but empty.
    assert_eq!(funds[1]["par30"], "");
    assert_eq!(funds[1]["utilization"], "0");

    // 50,000 + 10,000.01 passes east's limit of 60,000.
    let err = cli.refused(
        "federation",
        e,
        &[
            "place",
            FED,
            "P2",
            "--fund",
            "fund-east",
            "--amount",
            "10000.01",
            "--date",
            "2025-04-02",
        ],
    );
    assert!(err.contains("placement_limit"), "{err}");
    let east = cli.json("federation", t, &["position", FED, "fund-east"]);
    assert_eq!(east["placed"], "50000.00", "the refusal changed nothing");

    // The table reads as a supervisor would expect.
    let table = cli.table(
        "federation",
        t,
        &["dashboard", FED, "--as-of", "2025-04-01"],
    );
    assert!(table.contains("bank 32,048.00"), "{table}");
    assert!(table.contains("PAR30"), "{table}");
    // Ratios as percentages: east's liquidity 0.75 against the line of 0.8.
    assert!(
        table.contains("Liquidity 75.00% is below 80.00%"),
        "{table}"
    );
    assert!(
        table.contains("117.95%"),
        "west's liquidity 1.1795: {table}"
    );
}

#[tokio::test]
async fn the_bank_registers_and_services_a_guaranteed_loan_from_the_command_line() {
    let (_server, cli) = start();
    let county = Who::Admin;
    let p = "county-cli";
    let err = cli.refused(
        "program",
        county,
        &[
            "create",
            "county-bad",
            "--name",
            "Too thin",
            "--ratio",
            "11",
            "--bank",
            "rcc-huanggang",
        ],
    );
    assert!(err.contains("rules.leverage_ratio"), "{err}");
    let created = cli.json(
        "program",
        county,
        &[
            "create",
            p,
            "--name",
            "Huanggang microcredit",
            "--ratio",
            "7",
            "--bank",
            "rcc-huanggang",
        ],
    );
    assert_eq!(created["rules"]["leverageRatio"], 7);
    assert_eq!(created["rules"]["claimAfterDays"], 90);
    // The bank's operator: a token for this program only.
    let (_, operator) = cli.issue("bank", &format!("program:{p}"), "rcc-huanggang operator");
    let bank = Who::Bearer(&operator);
    let funded = cli.json(
        "program",
        county,
        &[
            "deposit",
            p,
            "--source",
            "county",
            "--amount",
            "1000000",
            "--date",
            "2025-01-02",
        ],
    );
    assert_eq!(funded["fundBalance"], "1000000.00");

    let registered = cli.json(
        "program",
        bank,
        &[
            "register",
            p,
            "G1",
            "--household",
            "H-G1",
            "--borrower",
            "Household G1",
            "--status",
            "registered-poor",
            "--birth-date",
            "1980-05-01",
            "--principal",
            "48000",
            "--term-months",
            "12",
            "--rate",
            "0.0435",
            "--method",
            "equal-principal",
            "--date",
            "2025-01-10",
            "--purpose-category",
            "processing",
            "--business",
            "Sanhe tea cooperative",
        ],
    );
    let loan = &registered["loan"];
    assert_eq!(loan["povertyStatus"], "POVERTY_STATUS_REGISTERED_POOR");
    assert_eq!(loan["exposure"], "48000.00");
    assert_eq!(loan["schedule"][0]["principal"], "4000.00");
    assert_eq!(loan["schedule"][0]["fee"], "174.00", "48,000 × 0.0435 / 12");
    assert_eq!(loan["schedule"][0]["payment"], "4174.00");
    assert_eq!(loan["purpose"], "PURPOSE_CATEGORY_PROCESSING");
    assert_eq!(loan["business"], "Sanhe tea cooperative");

    let paid = cli.json(
        "program",
        bank,
        &[
            "repay",
            p,
            "G1",
            "--principal",
            "4000",
            "--interest",
            "174.00",
            "--date",
            "2025-02-10",
        ],
    );
    assert_eq!(paid["loan"]["state"], "GUARANTEE_STATE_ACTIVE");
    assert_eq!(paid["loan"]["exposure"], "44000.00");
    assert_eq!(paid["loan"]["interestRepaid"], "174.00");

    let r = cli.json("program", county, &["leverage", p, "--as-of", "2025-02-10"]);
    assert_eq!(r["fundBalance"], "1000000.00");
    assert_eq!(r["exposure"], "44000.00");
    assert_eq!(r["capacity"], "7000000.00");
    assert_eq!(r["headroom"], "6956000.00");
    assert_eq!(r["leverage"], "0.044");
    assert_eq!(r["defaultRatio"], "0");
    assert_eq!(r["lendingSuspended"], false);
    assert_eq!(r["activeLoans"], 1);
    assert_eq!(r["businessExposure"], "44000.00");
    assert_eq!(r["businessShare"], "1");

    let table = cli.table("program", county, &["leverage", p, "--as-of", "2025-02-10"]);
    assert!(table.contains("6,956,000.00"), "{table}");

    // The county's interest subsidy at the loan's own rate, monthly: in
    // January G1 was current from the 10th to February 1, 22 days under
    // months and days, so 48,000 × 22 × 0.0435 / 360 = 127.60, payable to
    // the bank.
    let scheme = cli.json(
        "subsidy",
        county,
        &[
            "create",
            p,
            "S1",
            "--kind",
            "full",
            "--settlement",
            "monthly",
        ],
    );
    assert_eq!(scheme["kind"], "SUBSIDY_KIND_FULL");
    let linked = cli.json("subsidy", county, &["link", p, "S1", "G1"]);
    assert_eq!(linked["loans"], serde_json::json!(["bank:G1"]));
    let accrued = cli.json("subsidy", county, &["accrue", p, "S1", "2025-01"]);
    assert_eq!(accrued["total"], "127.60");
    assert_eq!(accrued["lines"][0]["daysCurrent"], "22");
    assert_eq!(accrued["lines"][0]["payee"], "bank:rcc-huanggang");
    cli.json("subsidy", county, &["claim", p, "S1", "2025-01"]);
    let err = cli.refused(
        "subsidy",
        county,
        &["approve", p, "S1", "2025-01", "--date", "2025-02-05"],
    );
    assert!(err.contains("subsidy_approver_not_claimant"), "{err}");
    // The finance bureau: another token than the county's.
    let (bureau_actor, bureau) = cli.issue("admin", "all", "county finance bureau");
    for step in ["approve", "pay"] {
        cli.json(
            "subsidy",
            Who::Bearer(&bureau),
            &[step, p, "S1", "2025-01", "--date", "2025-02-05"],
        );
    }
    let statement = cli.json(
        "subsidy",
        county,
        &["statement", p, "S1", "--period", "2025-01"],
    );
    assert_eq!(statement["state"], "SUBSIDY_PERIOD_STATE_PAID");
    let me = cli.json("token", county, &["whoami"]);
    assert_eq!(statement["claimedBy"], me["token"]["actor"]);
    assert_eq!(
        statement["claimedBy"],
        format!("{}/admin", me["token"]["tokenId"].as_str().unwrap())
    );
    assert_eq!(statement["approvedBy"], bureau_actor);
}

/// The bank's own schedule and a loan for a subsidy only, from the command
/// line. Program 1:8.5 with actual/360, guaranteed loans up to 30,000 over
/// up to 24 months, 10,000 in the fund: capacity 85,000.00. T1, 30,000 at
/// 4.35% from 2025-01-01 over two months, its schedule read from a file
/// (interest on actual days: 30,000 × 0.0435 × 31 / 360 = 112.375 = 112.38
/// for January, × 28 / 360 = 101.50 for February): headroom 55,000.00. T2,
/// 100,000 for a tea garden over 12 months, bullet, for a subsidy only: no
/// exposure.
/// A scheme at 2.4% for loans up to 100,000 over 12 months, paid to the
/// borrower: Q1 is 90 actual days, 100,000 × 0.024 × 90 / 360 = 600.00
/// payable to household H-T2.
#[tokio::test]
async fn the_bank_sends_its_schedule_and_a_loan_for_a_subsidy_only_from_the_command_line() {
    let (_server, cli) = start();
    let county = Who::Admin;
    let p = "county-luotian";
    let created = cli.json(
        "program",
        county,
        &[
            "create",
            p,
            "--name",
            "Luotian",
            "--ratio",
            "8.5",
            "--bank",
            "rcc-luotian",
            "--day-count",
            "actual-360",
            "--principal-max",
            "30000",
            "--term-max-months",
            "24",
        ],
    );
    let rules = &created["rules"];
    assert_eq!(rules["leverageRatioDecimal"], "8.5");
    assert_eq!(rules["dayCount"], "DAY_COUNT_ACTUAL_360");
    assert_eq!(rules["principalMax"], "30000.00");
    assert_eq!(rules["termMaxMonths"], 24);
    cli.json(
        "program",
        county,
        &[
            "deposit",
            p,
            "--source",
            "county",
            "--amount",
            "10000",
            "--date",
            "2025-01-01",
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t1.csv");
    std::fs::write(
        &file,
        "due_date,principal,interest\n2025-02-01,0,112.38\n2025-03-01,30000,101.50\n",
    )
    .unwrap();
    let loan = |id: &str, (principal, months, method): (&str, &str, &str), extra: &[&str]| {
        let mut args = vec![
            "register",
            p,
            id,
            "--household",
            "",
            "--borrower",
            "Li",
            "--status",
            "registered-poor",
            "--birth-date",
            "1980-05-01",
            "--principal",
            principal,
            "--term-months",
            months,
            "--rate",
            "0.0435",
            "--method",
            method,
            "--date",
            "2025-01-01",
            "--purpose-category",
            "crops",
        ];
        let household = format!("H-{id}");
        args[4] = &household;
        args.extend_from_slice(extra);
        cli.json("program", county, &args)["loan"].clone()
    };
    let t1 = loan(
        "T1",
        ("30000", "2", "fee-monthly"),
        &["--schedule", file.to_str().unwrap()],
    );
    assert_eq!(t1["scheduleFromBank"], true);
    assert_eq!(t1["schedule"][0]["fee"], "112.38");
    assert_eq!(t1["schedule"][1]["payment"], "30101.50");
    assert_eq!(t1["exposure"], "30000.00");
    let t2 = loan("T2", ("100000", "12", "bullet"), &["--subsidy-only"]);
    assert_eq!(
        (&t2["subsidyOnly"], &t2["exposure"]),
        (&Value::Bool(true), &Value::from("0.00"))
    );
    let r = cli.json("program", county, &["leverage", p, "--as-of", "2025-01-02"]);
    assert_eq!(
        (&r["capacity"], &r["headroom"]),
        (&Value::from("85000.00"), &Value::from("55000.00"))
    );
    let missing = dir.path().join("none.csv");
    let (code, _, err) = cli.run(
        "program",
        county,
        &[
            "register",
            p,
            "T3",
            "--household",
            "H-T3",
            "--borrower",
            "Li",
            "--status",
            "registered-poor",
            "--birth-date",
            "1980-05-01",
            "--principal",
            "1000",
            "--term-months",
            "2",
            "--rate",
            "0.0435",
            "--method",
            "bullet",
            "--date",
            "2025-01-01",
            "--purpose-category",
            "crops",
            "--schedule",
            missing.to_str().unwrap(),
        ],
    );
    assert_ne!(code, Some(0));
    assert!(err.contains("--schedule"), "{err}");

    let scheme = cli.json(
        "subsidy",
        county,
        &[
            "create",
            p,
            "tea",
            "--kind",
            "fixed",
            "--rate",
            "0.024",
            "--settlement",
            "quarterly",
            "--payee",
            "borrower",
            "--principal-max",
            "100000",
            "--term-max-months",
            "12",
        ],
    );
    assert_eq!(
        (&scheme["principalMax"], &scheme["termMaxMonths"]),
        (&Value::from("100000.00"), &Value::from(12))
    );
    cli.json("subsidy", county, &["link", p, "tea", "T2"]);
    let q1 = cli.json("subsidy", county, &["accrue", p, "tea", "2025-Q1"]);
    assert_eq!(q1["total"], "600.00");
    assert_eq!(q1["lines"][0]["payee"], "household:H-T2");
    assert_eq!(q1["lines"][0]["daysCurrent"], "90");
}
