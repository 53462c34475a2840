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
    /// The language of the table; default: $HUZHU_LANG, else the locale's.
    #[arg(long, value_enum, env = "HUZHU_LANG")]
    lang: Option<super::lang::LangArg>,
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
    // The same installments as a loan's answer carries.
    let rows: Vec<_> = schedule
        .iter()
        .map(crate::wire::encode::installment)
        .collect();
    if args.output == Output::Json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        super::lang::choose(args.lang);
        super::output::print_schedule(&rows, "col-fee");
    }
    Ok(ExitCode::SUCCESS)
}
