//! `huzhu ledger quarterly BOOK --year Y --quarter Q`: a fund's or a
//! federation's quarterly report (DOMAIN.md §7) from the server's
//! ExtractService: balance sheet, income statement, and each fund's
//! portfolio, PAR and the quarter's ratios. `--output json` for scripts.
use clap::Args;

use super::client::Conn;
use super::output::{percent, show, table, yuan, Output};
use super::CliResult;
use crate::pb::{self, extract_service_client::ExtractServiceClient};

#[derive(Args)]
pub struct QuarterlyArgs {
    /// A fund's or a federation's book id.
    book_id: String,
    #[arg(long)]
    year: u32,
    /// 1 to 4.
    #[arg(long)]
    quarter: u32,
}

/// An account as the books name it: its code, then its sub-account.
fn account_of(code: &str, sub: &str) -> String {
    if sub.is_empty() {
        code.to_string()
    } else {
        format!("{code}/{sub}")
    }
}

fn print_lines(title: &str, lines: &[pb::StatementLine]) {
    println!("  {title}");
    let rows = lines
        .iter()
        .map(|l| vec![account_of(&l.code, &l.sub), l.name.clone(), yuan(&l.amount)])
        .collect();
    println!("{}", table(&["", "", ""], &[2], rows));
}

fn print_fund(i: &pb::FundIndicators) {
    let pct = |r: &str| percent(r);
    println!(
        "  fund {}: portfolio {}, PAR30 {} ({}), PAR90 {} ({}), poor households {} (minimum {})",
        i.fund_id,
        yuan(&i.gross_portfolio),
        yuan(&i.par30_balance),
        pct(&i.par30),
        yuan(&i.par90_balance),
        pct(&i.par90),
        pct(&i.poor_share),
        pct(&i.min_poor_share)
    );
    println!(
        "    average portfolio {}: yield {}, self-sufficiency {}, write-offs {}",
        yuan(&i.average_gross_portfolio),
        pct(&i.portfolio_yield),
        pct(&i.operational_self_sufficiency),
        pct(&i.write_off_ratio)
    );
    for a in &i.alerts {
        println!("    alert: {a}");
    }
}

fn print_report(r: &pb::QuarterlyReport) {
    let closed = if r.closed {
        format!("closed through {}", r.closed_through)
    } else {
        "not closed".to_string()
    };
    println!(
        "{} {} ({}), {} to {}, due {}, {closed}",
        r.quarter, r.book_id, r.name, r.from_date, r.to_date, r.due_on
    );
    print_lines("balance sheet", &r.balance_sheet);
    println!(
        "    assets {}  liabilities {}  equity {} (of which the result not yet closed {})",
        yuan(&r.total_assets),
        yuan(&r.total_liabilities),
        yuan(&r.total_equity),
        yuan(&r.result_to_date)
    );
    print_lines("income statement", &r.income_statement);
    println!(
        "    income {}  expenses {}  result {}",
        yuan(&r.total_income),
        yuan(&r.total_expense),
        yuan(&r.net_result)
    );
    r.funds.iter().for_each(print_fund);
}

pub async fn run(conn: &Conn, output: Output, a: QuarterlyArgs) -> CliResult {
    let mut client = ExtractServiceClient::new(conn.channel().await?);
    let request = pb::GetQuarterlyReportRequest {
        book_id: a.book_id,
        year: a.year,
        quarter: a.quarter,
    };
    let r = client
        .get_quarterly_report(request)
        .await
        .map_err(|s| super::output::refused(&s, None))?
        .into_inner();
    show(output, &r, print_report)
}
