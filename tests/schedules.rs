//! Repayment schedules. Equal installments are checked against numpy-financial (installed by
//! ./scripts/test): the payment equals `pmt` rounded half-up to the fen; every
//! fee and principal equals the schedule recomputed in Python's decimal from
//! that payment, and stays within a fen of `ipmt` / `ppmt`.
use std::io::Write;
use std::process::{Command, Stdio};
use std::str::FromStr;

use chrono::NaiveDate;
use huzhu::domain::schedule::{build, Method};
use rust_decimal::Decimal;
use serde_json::{json, Value};

const CASES: &[(&str, &str, u32)] = &[
    ("10000", "0.12", 12),
    ("5000", "0.072", 12),
    ("10000", "0.0864", 10),
    ("50000", "0.0435", 36),
    ("3000", "0.06", 6),
    ("8888.88", "0.096", 24),
    ("1234.56", "0.15", 7),
    ("20000", "0.0475", 18),
    ("999.99", "0.18", 3),
];

fn numpy(cases: &Value) -> Vec<Value> {
    let mut child = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/tools/annuity.py"
        ))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (./scripts/test installs it with numpy-financial)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(cases.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the numpy-financial check failed; run ./scripts/test, which installs numpy-financial:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap()).unwrap()
}

#[test]
fn equal_installments_match_numpy_financial_to_the_fen() {
    let cases: Vec<Value> = CASES
        .iter()
        .map(|(p, r, n)| json!({"principal": p, "rate_annual": r, "months": n}))
        .collect();
    let expected = numpy(&Value::Array(cases));
    let start = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    let one_fen = Decimal::new(1, 2);
    for ((p, r, n), want) in CASES.iter().zip(&expected) {
        let principal = Decimal::from_str(p).unwrap();
        let got = build(
            Method::EqualInstallments,
            principal,
            Decimal::from_str(r).unwrap(),
            *n,
            start,
        )
        .unwrap();
        let label = format!("{p} at {r} over {n}");
        assert_eq!(got.len(), *n as usize, "{label}");
        let payment = dec(&want["payment"]);
        for (k, inst) in got.iter().enumerate() {
            let row = &want["schedule"][k];
            assert_eq!(
                inst.fee,
                dec(&row["fee"]),
                "{label}: fee of installment {}",
                k + 1
            );
            assert_eq!(
                inst.principal,
                dec(&row["principal"]),
                "{label}: principal of installment {}",
                k + 1
            );
            if k + 1 < *n as usize {
                assert_eq!(
                    inst.payment,
                    payment,
                    "{label}: payment of installment {}",
                    k + 1
                );
                let ipmt = Decimal::from_f64_retain(want["ipmt"][k].as_f64().unwrap()).unwrap();
                let ppmt = Decimal::from_f64_retain(want["ppmt"][k].as_f64().unwrap()).unwrap();
                assert!(
                    (inst.fee - ipmt).abs() <= one_fen,
                    "{label}: fee {} vs ipmt {ipmt}",
                    inst.fee
                );
                assert!(
                    (inst.principal - ppmt).abs() <= one_fen,
                    "{label}: principal {} vs ppmt {ppmt}",
                    inst.principal
                );
            }
        }
        assert_eq!(
            got.iter().map(|i| i.principal).sum::<Decimal>(),
            principal,
            "{label}"
        );
    }
}

/// The treasurer's preview through the real binary, read as JSON: 10,000 at
/// 7.2% over 12 months in equal principal is 833.33 a month (833.37 last) with
/// fees 60.00, 55.00, ... 5.00 (worked in src/domain/schedule.rs).
#[test]
fn the_schedule_command_prints_the_stored_schedule() {
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args([
            "schedule",
            "--principal",
            "10000",
            "--rate",
            "0.072",
            "--months",
            "12",
        ])
        .args([
            "--method",
            "equal-principal",
            "--start",
            "2025-01-31",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[0]["dueDate"], "2025-02-28");
    assert_eq!(rows[1]["dueDate"], "2025-03-31");
    assert_eq!(
        (dec(&rows[0]["principal"]), dec(&rows[0]["fee"])),
        (Decimal::from_str("833.33").unwrap(), Decimal::from(60))
    );
    assert_eq!(
        dec(&rows[11]["principal"]),
        Decimal::from_str("833.37").unwrap()
    );
    assert_eq!(dec(&rows[11]["fee"]), Decimal::from(5));

    let bad = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args([
            "schedule",
            "--principal",
            "100",
            "--rate",
            "0.1",
            "--months",
            "0",
        ])
        .args(["--method", "bullet", "--start", "2025-01-31"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("the term must be from 1 to 120 months"));
}

/// Actual/360 through the real binary: 10,000 at 7.2% over 3 months in
/// equal installments from 2025-01-15 keeps the annuity payment at r =
/// 0.006, 3,373.41, but a period's fee counts its actual days (31, 28, 31):
/// 10,000 × 0.072 × 31 / 360 = 62.00, principal 3,311.41, leaving 6,688.59;
/// 6,688.59 × 0.072 × 28 / 360 = 37.456104 → 37.46, principal 3,335.95,
/// leaving 3,352.64; 3,352.64 × 0.072 × 31 / 360 = 20.786368 → 20.79, and
/// the last payment is 3,352.64 + 20.79 = 3,373.43. In months and days the
/// fees are 60.00, 40.12 (6,686.59 × 0.006 = 40.11954) and 20.12.
#[test]
fn an_actual_360_schedule_counts_each_periods_days() {
    let preview = |day_count: &str| -> Vec<(Decimal, Decimal, Decimal)> {
        let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
            .args(["schedule", "--principal", "10000", "--rate", "0.072"])
            .args(["--months", "3", "--method", "equal-installments"])
            .args(["--start", "2025-01-15", "--day-count", day_count])
            .args(["--output", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        rows.iter()
            .map(|r| (dec(&r["fee"]), dec(&r["principal"]), dec(&r["payment"])))
            .collect()
    };
    let d = |s: &str| Decimal::from_str(s).unwrap();
    assert_eq!(
        preview("actual-360"),
        [
            (d("62.00"), d("3311.41"), d("3373.41")),
            (d("37.46"), d("3335.95"), d("3373.41")),
            (d("20.79"), d("3352.64"), d("3373.43")),
        ]
    );
    let fees: Vec<Decimal> = preview("months-and-days").iter().map(|r| r.0).collect();
    assert_eq!(fees, [d("60.00"), d("40.12"), d("20.12")]);
}
