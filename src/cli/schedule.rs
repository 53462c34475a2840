//! `huzhu schedule`: preview a loan's repayment schedule, computed exactly as
//! it will be at disbursement (no server needed).
use std::process::ExitCode;

use clap::Args;
use rust_decimal::Decimal;

use super::output::{DayCountArg, MethodArg, Output};
use super::CliResult;
use crate::domain::dates::parse_date;
use crate::domain::schedule::{build_in, Method};

#[derive(Args)]
pub struct ScheduleArgs {
    /// Amount lent, in yuan, e.g. 10000 or 3333.33.
    #[arg(long)]
    principal: Decimal,
    /// Annual rate as a fraction: 0.072 for 7.2% a year.
    #[arg(long)]
    rate: Decimal,
    /// Term in months.
    #[arg(long)]
    months: u32,
    #[arg(long, value_enum)]
    method: MethodArg,
    /// Disbursement date, YYYY-MM-DD; installments fall due on the same day of later months.
    #[arg(long)]
    start: String,
    /// How the fund counts days: the fees of actual-360 follow each period's actual days.
    #[arg(long, value_enum, default_value = "months-and-days")]
    day_count: DayCountArg,
    #[arg(long, value_enum, default_value = "table")]
    output: Output,
}

pub fn run(args: ScheduleArgs) -> CliResult {
    let start = parse_date(&args.start).map_err(|e| format!("--start {e}"))?;
    let method = match args.method {
        MethodArg::Bullet => Method::Bullet,
        MethodArg::FeeMonthly => Method::FeeMonthlyPrincipalAtMaturity,
        MethodArg::EqualInstallments => Method::EqualInstallments,
        MethodArg::EqualPrincipal => Method::EqualPrincipal,
    };
    let (principal, rate, count) = (args.principal, args.rate, args.day_count.domain());
    let schedule =
        build_in(count, method, principal, rate, args.months, start).map_err(|e| e.to_string())?;
    if args.output == Output::Json {
        // The same installments as a loan's answer carries, in proto3 JSON.
        let rows: Vec<_> = schedule
            .iter()
            .map(crate::wire::encode::installment)
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:>3}  {:<10}  {:>14}  {:>12}  {:>14}  {:>14}",
        "no", "due", "principal", "fee", "payment", "outstanding"
    );
    for i in &schedule {
        println!(
            "{:>3}  {}  {:>14}  {:>12}  {:>14}  {:>14}",
            i.no, i.due_date, i.principal, i.fee, i.payment, i.outstanding_after
        );
    }
    let total = |f: fn(&crate::domain::schedule::Installment) -> Decimal| {
        schedule.iter().map(f).sum::<Decimal>()
    };
    println!(
        "     {:<10}  {:>14}  {:>12}  {:>14}",
        "total",
        total(|i| i.principal),
        total(|i| i.fee),
        total(|i| i.payment)
    );
    Ok(ExitCode::SUCCESS)
}
