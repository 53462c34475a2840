//! A fund's loans: application, approval, disbursement, repayment, day-end,
//! write-off and recovery, rescheduling, the loan ledger. Each command's
//! arguments build its request.
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use super::tables::{print_day_end, DayEndRun};
use crate::auth::client::AuthChannel;
use crate::cli::output::{method, refused, show, till, MethodArg, Output, TillArg};
use crate::cli::CliResult;
use crate::pb::{self, fund_service_client::FundServiceClient};

/// What a loan is for, by industry.
#[derive(Clone, Copy, ValueEnum)]
pub enum PurposeArg {
    /// Grain, vegetables, fruit, tea...
    Crops,
    /// Pigs, cattle, poultry, fish...
    Livestock,
    /// Processing farm produce.
    Processing,
    Trade,
    Services,
    Other,
}

fn purpose(p: PurposeArg) -> i32 {
    use pb::PurposeCategory as P;
    (match p {
        PurposeArg::Crops => P::Crops,
        PurposeArg::Livestock => P::Livestock,
        PurposeArg::Processing => P::Processing,
        PurposeArg::Trade => P::Trade,
        PurposeArg::Services => P::Services,
        PurposeArg::Other => P::Other,
    }) as i32
}

#[derive(Args)]
pub struct ApplyArgs {
    fund_id: String,
    loan_id: String,
    #[arg(long)]
    member: String,
    #[arg(long)]
    principal: String,
    #[arg(long)]
    term_months: u32,
    #[arg(long, value_enum)]
    method: MethodArg,
    /// The purpose's industry.
    #[arg(long, value_enum)]
    purpose_category: PurposeArg,
    /// The purpose in the applicant's words.
    #[arg(long, default_value = "")]
    purpose: String,
    /// The business that uses the money, when not the household (户贷企用).
    #[arg(long, default_value = "")]
    business: String,
    #[arg(long)]
    date: String,
}

impl ApplyArgs {
    pub fn request(self, request_id: String) -> pb::ApplyLoanRequest {
        pb::ApplyLoanRequest {
            request_id,
            fund_id: self.fund_id,
            loan_id: self.loan_id,
            member_id: self.member,
            principal: self.principal,
            term_months: self.term_months,
            method: method(self.method),
            purpose: self.purpose,
            purpose_category: purpose(self.purpose_category),
            business: self.business,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct ApproveArgs {
    fund_id: String,
    loan_id: String,
    /// The board approved it (needed above the fund's threshold).
    #[arg(long)]
    board: bool,
    #[arg(long)]
    date: String,
}

impl ApproveArgs {
    pub fn request(self, request_id: String) -> pb::ApproveLoanRequest {
        pb::ApproveLoanRequest {
            request_id,
            fund_id: self.fund_id,
            loan_id: self.loan_id,
            board_approved: self.board,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct DisburseArgs {
    fund_id: String,
    loan_id: String,
    #[arg(long, value_enum, default_value = "bank")]
    till: TillArg,
    #[arg(long)]
    date: String,
}

impl DisburseArgs {
    pub fn request(self, request_id: String) -> pb::DisburseLoanRequest {
        pb::DisburseLoanRequest {
            request_id,
            fund_id: self.fund_id,
            loan_id: self.loan_id,
            till: till(self.till),
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct LoanArgs {
    fund_id: String,
    loan_id: String,
}

impl LoanArgs {
    pub fn request(self) -> pb::GetLoanRequest {
        pb::GetLoanRequest {
            fund_id: self.fund_id,
            loan_id: self.loan_id,
        }
    }
}

/// Money paid on a loan: a repayment, or a recovery after a write-off.
#[derive(Args)]
pub struct PaymentArgs {
    fund_id: String,
    loan_id: String,
    /// Yuan, e.g. 1221.60.
    #[arg(long)]
    amount: String,
    #[arg(long, value_enum, default_value = "cash")]
    till: TillArg,
    /// The day the money was paid, YYYY-MM-DD (not the day it is recorded).
    #[arg(long)]
    date: String,
}

#[derive(Args)]
pub struct RepayArgs {
    #[command(flatten)]
    payment: PaymentArgs,
}

impl RepayArgs {
    pub fn request(self, request_id: String) -> pb::RepayLoanRequest {
        let p = self.payment;
        pb::RepayLoanRequest {
            request_id,
            fund_id: p.fund_id,
            loan_id: p.loan_id,
            amount: p.amount,
            till: till(p.till),
            date: p.date,
        }
    }
}

#[derive(Args)]
pub struct RecoverArgs {
    #[command(flatten)]
    payment: PaymentArgs,
}

impl RecoverArgs {
    pub fn request(self, request_id: String) -> pb::RecoverLoanRequest {
        let p = self.payment;
        pb::RecoverLoanRequest {
            request_id,
            fund_id: p.fund_id,
            loan_id: p.loan_id,
            amount: p.amount,
            till: till(p.till),
            date: p.date,
        }
    }
}

#[derive(Args)]
pub struct RequestWriteOffArgs {
    fund_id: String,
    loan_id: String,
    /// The board decision's reference, e.g. "board 2025-07 no. 3".
    #[arg(long)]
    decision: String,
}

impl RequestWriteOffArgs {
    pub fn request(self, request_id: String) -> pb::RequestWriteOffRequest {
        pb::RequestWriteOffRequest {
            request_id,
            fund_id: self.fund_id,
            loan_id: self.loan_id,
            board_decision: self.decision,
        }
    }
}

#[derive(Args)]
pub struct WriteOffArgs {
    fund_id: String,
    loan_id: String,
    #[arg(long)]
    date: String,
}

impl WriteOffArgs {
    pub fn request(self, request_id: String) -> pb::WriteOffLoanRequest {
        pb::WriteOffLoanRequest {
            request_id,
            fund_id: self.fund_id,
            loan_id: self.loan_id,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct RescheduleArgs {
    fund_id: String,
    loan_id: String,
    #[arg(long)]
    new_loan_id: String,
    #[arg(long)]
    term_months: u32,
    #[arg(long)]
    reason: String,
    #[arg(long)]
    date: String,
}

impl RescheduleArgs {
    pub fn request(self, request_id: String) -> pb::RescheduleLoanRequest {
        pb::RescheduleLoanRequest {
            request_id,
            fund_id: self.fund_id,
            loan_id: self.loan_id,
            new_loan_id: self.new_loan_id,
            term_months: self.term_months,
            reason: self.reason,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct LoansArgs {
    fund_id: String,
    /// Days past due as of this date (default: today).
    #[arg(long, default_value = "")]
    as_of: String,
}

impl LoansArgs {
    pub fn request(self) -> pb::ListLoansRequest {
        pb::ListLoansRequest {
            fund_id: self.fund_id,
            as_of: self.as_of,
        }
    }
}

#[derive(Args)]
pub struct CollectionSheetArgs {
    fund_id: String,
    /// The collection day (default: today).
    #[arg(long, default_value = "")]
    date: String,
}

impl CollectionSheetArgs {
    pub fn request(self) -> pb::GetCollectionSheetRequest {
        pb::GetCollectionSheetRequest {
            fund_id: self.fund_id,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct DayEndArgs {
    /// Funds to run (one or more).
    #[arg(required = true)]
    fund_ids: Vec<String>,
    /// Last date to run.
    #[arg(long)]
    date: String,
    /// First date to run (default: --date only).
    #[arg(long)]
    from: Option<String>,
}

impl DayEndArgs {
    /// Every date to run, from --from (or --date) through --date.
    fn dates(&self) -> Result<Vec<NaiveDate>, String> {
        let parse = |flag: &str, d: &str| {
            crate::domain::dates::parse_date(d).map_err(|e| format!("--{flag} {d:?}: {e}"))
        };
        let last = parse("date", &self.date)?;
        let first = self.from.as_deref().map(|d| parse("from", d)).transpose()?;
        let first = first.unwrap_or(last);
        if first > last {
            return Err(format!("--from {first} is after --date {last}"));
        }
        Ok(first.iter_days().take_while(|d| *d <= last).collect())
    }
}

/// A bar over `total` runs, for a person watching more than one.
fn progress(total: usize, output: Output) -> ProgressBar {
    let bar = if total > 1 && output == Output::Table {
        ProgressBar::new(total as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} day-end {wide_bar} {pos}/{len} {msg}")
            .expect("the template is valid"),
    );
    bar
}

/// Runs the day-end of every fund for every date, each under the request id
/// dayend-FUND-DATE.
pub async fn day_end(
    c: &mut FundServiceClient<AuthChannel>,
    output: Output,
    args: DayEndArgs,
) -> CliResult {
    let dates = args.dates()?;
    let bar = progress(dates.len() * args.fund_ids.len(), output);
    let mut runs = Vec::new();
    for fund_id in &args.fund_ids {
        for date in &dates {
            bar.set_message(format!("{fund_id} {date}"));
            let request_id = format!("dayend-{fund_id}-{date}");
            let result = c
                .run_day_end(pb::RunDayEndRequest {
                    request_id: request_id.clone(),
                    fund_id: fund_id.clone(),
                    date: date.to_string(),
                })
                .await
                .map_err(|s| {
                    bar.abandon();
                    refused(&s, Some(&request_id))
                })?
                .into_inner();
            runs.push(DayEndRun {
                fund_id: fund_id.clone(),
                result,
            });
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    show(output, &runs, |runs| print_day_end(runs))
}
