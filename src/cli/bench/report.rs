//! The county workload's table: one row per measure, one column per size,
//! so that the growth from one size to the next reads across a row.
use std::time::Duration;

use super::county::{Kind, Outcome};
use super::measure::quantile;
use super::BenchArgs;
use crate::cli::output::table;

/// A row: its label and the value for each size.
type Row = Vec<String>;

fn row(label: &str, outcomes: &[Outcome], value: impl Fn(&Outcome) -> String) -> Row {
    std::iter::once(label.to_string())
        .chain(outcomes.iter().map(value))
        .collect()
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

/// Calls per second and the server's CPU per call of each kind.
fn call_rows(outcomes: &[Outcome]) -> Vec<Row> {
    let kinds: Vec<Kind> = outcomes
        .first()
        .map(|o| o.calls.iter().map(|(k, _)| *k).collect())
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let label = kind.label();
        rows.push(row(&format!("{label} calls/s"), outcomes, |o| {
            let p = o.calls[i].1;
            format!("{:.0}", p.per_second(p.calls))
        }));
        rows.push(row(
            &format!("{label} server CPU µs/call"),
            outcomes,
            |o| {
                let p = o.calls[i].1;
                format!("{:.0}", p.cpu_us_each(p.calls))
            },
        ));
    }
    rows
}

fn day_end_rows(outcomes: &[Outcome]) -> Vec<Row> {
    vec![
        row("day-end runs (fund-days)", outcomes, |o| {
            o.day_ends.phase.calls.to_string()
        }),
        row("day-end s per fund-day (mean call)", outcomes, |o| {
            format!("{:.4}", o.day_ends.mean_call.as_secs_f64())
        }),
        row("day-end accruals", outcomes, |o| {
            o.day_ends.accruals.to_string()
        }),
        row("day-end accruals/s", outcomes, |o| {
            format!("{:.0}", o.day_ends.phase.per_second(o.day_ends.accruals))
        }),
        row("day-end server CPU µs/accrual", outcomes, |o| {
            format!("{:.0}", o.day_ends.phase.cpu_us_each(o.day_ends.accruals))
        }),
    ]
}

fn store_rows(outcomes: &[Outcome]) -> Vec<Row> {
    vec![
        row("dashboard median ms", outcomes, |o| {
            ms(quantile(&o.dashboard, 0.5))
        }),
        row("dashboard p95 ms", outcomes, |o| {
            ms(quantile(&o.dashboard, 0.95))
        }),
        row("journal entries", outcomes, |o| o.entries.to_string()),
        row("store bytes after shutdown", outcomes, |o| {
            o.store_bytes.to_string()
        }),
        row("bytes/entry", outcomes, |o| {
            format!("{:.0}", o.store_bytes as f64 / o.entries.max(1) as f64)
        }),
        row("server VmRSS MiB at the end", outcomes, |o| mib(o.rss_kib)),
        row("server VmHWM MiB (peak)", outcomes, |o| mib(o.hwm_kib)),
        row("wall s (start to stop)", outcomes, |o| {
            format!("{:.1}", o.wall.as_secs_f64())
        }),
    ]
}

/// Prints what the sizes measured, side by side.
pub fn county(outcomes: &[Outcome], args: &BenchArgs) {
    println!(
        "county benchmark: {} day-ends per fund, {} dashboard runs, {} calls in flight; \
         each size on its own `huzhu serve` (127.0.0.1, temporary store, fsync on, \
         compression {}), this process the client",
        args.days,
        args.dashboard_runs,
        args.clients.max(1),
        args.compression.label()
    );
    let sizes: Vec<String> = outcomes.iter().map(|o| o.size.to_string()).collect();
    let header: Vec<&str> = std::iter::once("funds x members")
        .chain(sizes.iter().map(String::as_str))
        .collect();
    let mut rows = vec![row("members (one loan each)", outcomes, |o| {
        (o.size.funds * o.size.members).to_string()
    })];
    rows.extend(call_rows(outcomes));
    rows.extend(day_end_rows(outcomes));
    rows.extend(store_rows(outcomes));
    let right: Vec<usize> = (1..header.len()).collect();
    println!("{}", table(&header, &right, rows));
}
