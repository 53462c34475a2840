//! `huzhu bench --workload county` on a small county (2 funds of 20
//! members, 3 day-ends): the real binary starts its own server, builds the
//! county through the API and prints one table. Speeds are printed (run
//! with --nocapture to see them), never asserted; what is checked is that
//! every row is there with a number, and the counts the business fixes.
use std::process::Command;

const FUNDS: u64 = 2;
const MEMBERS: u64 = 20;
const DAYS: u64 = 3;

/// The value of the row `label` (one size: one number).
fn value(table: &str, label: &str) -> f64 {
    let line = table
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '|' || c.is_whitespace()))
        .find(|l| {
            l.strip_prefix(label)
                .is_some_and(|rest| rest.starts_with("  "))
        })
        .unwrap_or_else(|| panic!("no row {label:?} in:\n{table}"));
    let numbers: Vec<f64> = line[label.len()..]
        .split_whitespace()
        .map(|n| {
            n.parse()
                .unwrap_or_else(|_| panic!("{label}: {n:?} is not a number"))
        })
        .collect();
    assert_eq!(numbers.len(), 1, "one size, one value: {line}");
    numbers[0]
}

#[test]
fn county_workload_prints_every_measure_of_a_small_county() {
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args(["bench", "--workload", "county", "--sizes", "2x20"])
        .args(["--days", "3", "--dashboard-runs", "3", "--clients", "16"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    assert!(text.contains("2x20"), "the size heads its column:\n{text}");
    assert_eq!(
        value(&text, "members (one loan each)"),
        (FUNDS * MEMBERS) as f64
    );
    for kind in [
        "join",
        "buy shares",
        "apply",
        "approve",
        "disburse",
        "repay",
    ] {
        assert!(value(&text, &format!("{kind} calls/s")) > 0.0, "{kind}");
        value(&text, &format!("{kind} server CPU µs/call"));
    }
    assert_eq!(
        value(&text, "day-end runs (fund-days)"),
        (FUNDS * DAYS) as f64
    );
    // Every loan went out the day before the first day-end, and its fee
    // (1,000 at 6% a year, about 0.17 a day) accrues each day: one accrual
    // per loan per day-end.
    let accruals = FUNDS * MEMBERS * DAYS;
    assert_eq!(value(&text, "day-end accruals"), accruals as f64);
    assert!(value(&text, "day-end accruals/s") > 0.0);
    assert!(value(&text, "day-end s per fund-day (mean call)") > 0.0);
    value(&text, "day-end server CPU µs/accrual");
    let (median, p95) = (
        value(&text, "dashboard median ms"),
        value(&text, "dashboard p95 ms"),
    );
    assert!(median > 0.0 && p95 >= median, "{median} {p95}");
    // Entries: per fund its two seed capital entries, and per member the
    // shares bought, the disbursement and the repayment, besides the
    // accruals; joining, applying and approving post nothing.
    let entries = FUNDS * (2 + 3 * MEMBERS) + accruals;
    assert_eq!(value(&text, "journal entries"), entries as f64);
    let bytes = value(&text, "store bytes after shutdown");
    let per_entry = value(&text, "bytes/entry");
    assert!(per_entry > 0.0);
    assert!(
        (per_entry - bytes / entries as f64).abs() <= 1.0,
        "{per_entry}"
    );
    let (rss, hwm) = (
        value(&text, "server VmRSS MiB at the end"),
        value(&text, "server VmHWM MiB (peak)"),
    );
    assert!(rss > 0.0 && hwm >= rss, "{rss} {hwm}");
    assert!(value(&text, "wall s (start to stop)") > 0.0);
}
