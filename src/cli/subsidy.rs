//! `huzhu subsidy ...`: interest subsidies (贴息) of a program over gRPC:
//! schemes, the loans linked to them, and each period's accrual, claim,
//! approval and payment, with the statement that shows every loan's days
//! and amount.
use clap::{Subcommand, ValueEnum};

use super::client::Idem;
use super::output::{call, get, label, seqs, show, yuan, ClientArgs};
use super::CliResult;
use crate::pb::{self, subsidy_service_client::SubsidyServiceClient};

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// The loan's own rate.
    Full,
    /// A fixed annual rate (--rate), at most the loan's.
    Fixed,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SettlementArg {
    /// Periods YYYY-MM.
    Monthly,
    /// Periods YYYY-Qn.
    Quarterly,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PayeeArg {
    Bank,
    /// Pay first, refund later: through the bank (or the fund) to the borrower.
    Borrower,
}

#[derive(Subcommand)]
pub enum SubsidyCommand {
    /// Create a subsidy scheme of a program.
    Create {
        #[command(flatten)]
        idem: Idem,
        program_id: String,
        scheme_id: String,
        #[arg(long, value_enum)]
        kind: KindArg,
        /// Annual rate for --kind fixed, e.g. 0.03.
        #[arg(long, default_value = "")]
        rate: String,
        #[arg(long, value_enum)]
        settlement: SettlementArg,
        #[arg(long, value_enum, default_value = "bank")]
        payee: PayeeArg,
    },
    /// Link a loan to a scheme: a guaranteed loan of the program, or with
    /// --fund a village-fund loan of a registered poor or monitored member.
    Link {
        #[command(flatten)]
        idem: Idem,
        program_id: String,
        scheme_id: String,
        loan_id: String,
        /// The village fund whose loan it is.
        #[arg(long, default_value = "")]
        fund: String,
    },
    /// Accrue one period (once, and in order), dated its last day.
    Accrue {
        #[command(flatten)]
        idem: Idem,
        #[command(flatten)]
        period: PeriodArgs,
    },
    /// Claim a period's subsidies from the finance bureau (posts nothing).
    Claim {
        #[command(flatten)]
        idem: Idem,
        #[command(flatten)]
        period: PeriodArgs,
    },
    /// Approve a period's claim, by an actor other than the claimant.
    Approve {
        #[command(flatten)]
        idem: Idem,
        #[command(flatten)]
        period: PeriodArgs,
    },
    /// The finance bureau pays a period's approved subsidies to the payees.
    Pay {
        #[command(flatten)]
        idem: Idem,
        #[command(flatten)]
        period: PeriodArgs,
    },
    /// A period's statement, or with --loan every period of one loan.
    Statement {
        program_id: String,
        scheme_id: String,
        /// YYYY-MM or YYYY-Qn.
        #[arg(long, required_unless_present = "loan")]
        period: Option<String>,
        /// bank:LOAN or fund:FUND/LOAN.
        #[arg(long, default_value = "")]
        loan: String,
    },
}

#[derive(clap::Args)]
pub struct PeriodArgs {
    program_id: String,
    scheme_id: String,
    /// YYYY-MM or YYYY-Qn.
    period: String,
    /// Value date of an approval or payment, after the period's last day.
    #[arg(long, default_value = "")]
    date: String,
}

fn print_scheme(s: &pb::SubsidySchemeResponse) {
    println!(
        "scheme {} of {}: {} rate{} settled {}, paid to the {}",
        s.scheme_id,
        s.program_id,
        label(s.kind, pb::SubsidyKind::as_str_name, "SUBSIDY_KIND_"),
        if s.rate_annual.is_empty() {
            String::new()
        } else {
            format!(" {}", s.rate_annual)
        },
        label(s.settlement, pb::Settlement::as_str_name, "SETTLEMENT_"),
        label(s.payee, pb::Payee::as_str_name, "PAYEE_")
    );
    println!("  loans: {}", s.loans.join(", "));
    if !s.accrued_through.is_empty() {
        println!("  accrued through {}", s.accrued_through);
    }
    seqs(&[], s.replayed);
}

fn print_statement(s: &pb::SubsidyStatement) {
    let state = label(
        s.state,
        pb::SubsidyPeriodState::as_str_name,
        "SUBSIDY_PERIOD_STATE_",
    );
    println!(
        "scheme {} of {}: total {} {state}",
        s.scheme_id,
        s.program_id,
        yuan(&s.total)
    );
    if !s.claimed_by.is_empty() {
        println!(
            "  claimed by {}  approved by {}",
            s.claimed_by, s.approved_by
        );
    }
    println!(
        "  {:<8} {:<24} {:<20} {:>7} {:>7} {:>7} {:>10} {:>10} {:>10}",
        "period", "loan", "payee", "rate", "current", "overdue", "subsidy", "fee less", "refund"
    );
    for l in &s.lines {
        println!(
            "  {:<8} {:<24} {:<20} {:>7} {:>7} {:>7} {:>10} {:>10} {:>10}",
            l.period,
            l.loan_ref,
            l.payee,
            l.rate_annual,
            l.days_current,
            l.days_overdue,
            yuan(&l.subsidy),
            yuan(&l.fee_reduced),
            yuan(&l.refund_to_borrower)
        );
    }
    seqs(&s.entry_seqs, s.replayed);
}

pub async fn run(args: ClientArgs<SubsidyCommand>) -> CliResult {
    let (mut c, output, command) = args.open(SubsidyServiceClient::new).await?;
    let period = |p: PeriodArgs| {
        move |request_id| pb::SubsidyPeriodRequest {
            request_id,
            program_id: p.program_id,
            scheme_id: p.scheme_id,
            period: p.period,
            date: p.date,
        }
    };
    use SubsidyCommand as S;
    let r = match command {
        S::Create {
            idem,
            program_id,
            scheme_id,
            kind,
            rate,
            settlement,
            payee,
        } => {
            let kind = match kind {
                KindArg::Full => pb::SubsidyKind::Full,
                KindArg::Fixed => pb::SubsidyKind::Fixed,
            } as i32;
            let settlement = match settlement {
                SettlementArg::Monthly => pb::Settlement::Monthly,
                SettlementArg::Quarterly => pb::Settlement::Quarterly,
            } as i32;
            let payee = match payee {
                PayeeArg::Bank => pb::Payee::Bank,
                PayeeArg::Borrower => pb::Payee::Borrower,
            } as i32;
            let r = call!(c, create_subsidy_scheme, idem.id(), |request_id| {
                pb::CreateSubsidySchemeRequest {
                    request_id,
                    program_id,
                    scheme_id,
                    kind,
                    rate_annual: rate,
                    settlement,
                    payee,
                }
            });
            return show(output, &r, print_scheme);
        }
        S::Link {
            idem,
            program_id,
            scheme_id,
            loan_id,
            fund,
        } => {
            let r = call!(c, link_subsidy_loan, idem.id(), |request_id| {
                pb::LinkSubsidyLoanRequest {
                    request_id,
                    program_id,
                    scheme_id,
                    loan_id,
                    fund_id: fund,
                }
            });
            return show(output, &r, print_scheme);
        }
        S::Accrue { idem, period: p } => call!(c, accrue_subsidy, idem.id(), period(p)),
        S::Claim { idem, period: p } => call!(c, claim_subsidy, idem.id(), period(p)),
        S::Approve { idem, period: p } => call!(c, approve_subsidy, idem.id(), period(p)),
        S::Pay { idem, period: p } => call!(c, pay_subsidy, idem.id(), period(p)),
        S::Statement {
            program_id,
            scheme_id,
            period,
            loan,
        } => get!(
            c,
            get_subsidy_statement,
            pb::GetSubsidyStatementRequest {
                program_id,
                scheme_id,
                period: period.unwrap_or_default(),
                loan_ref: loan
            }
        ),
    };
    show(output, &r, print_statement)
}
