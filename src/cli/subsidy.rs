//! `huzhu subsidy ...`: interest subsidies (贴息) of a program over gRPC:
//! schemes, the loans linked to them, and each period's accrual, claim,
//! approval and payment, with the statement that shows every loan's days
//! and amount.
use clap::{Args, Subcommand, ValueEnum};

use super::output::{call, get, headed, label, percent, seqs, show, yuan, Change, ClientArgs};
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
    /// Pay first, refund later: a bank loan's subsidy is payable to its
    /// borrower's household, paid by the finance bureau (a fund loan's goes
    /// through the fund either way).
    Borrower,
}

#[derive(Subcommand)]
pub enum SubsidyCommand {
    /// Create a subsidy scheme of a program.
    Create(Change<CreateArgs>),
    /// Link a loan to a scheme: a guaranteed loan of the program, a loan for
    /// a subsidy only within the scheme's principal and term limits, or with
    /// --fund a village-fund loan of an eligible member.
    Link(Change<LinkArgs>),
    /// Accrue one period (once, and in order), dated its last day.
    Accrue(Change<PeriodArgs>),
    /// Claim a period's subsidies from the finance bureau (posts nothing).
    Claim(Change<PeriodArgs>),
    /// Approve a period's claim, by an actor other than the claimant.
    Approve(Change<PeriodArgs>),
    /// The finance bureau pays a period's approved subsidies to the payees.
    Pay(Change<PeriodArgs>),
    /// A period's statement, or with --loan every period of one loan.
    Statement(StatementArgs),
}

#[derive(Args)]
pub struct CreateArgs {
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
    /// The largest principal of a loan registered for a subsidy only that
    /// the scheme subsidizes, in yuan (default 50000; e.g. 100000 for
    /// collateralised 茶园 loans).
    #[arg(long, default_value = "")]
    principal_max: String,
    /// The longest term of such a loan, 1 to 120 months (default 36).
    #[arg(long, default_value_t = 0)]
    term_max_months: u32,
}

impl CreateArgs {
    fn request(self, request_id: String) -> pb::CreateSubsidySchemeRequest {
        let kind = match self.kind {
            KindArg::Full => pb::SubsidyKind::Full,
            KindArg::Fixed => pb::SubsidyKind::Fixed,
        };
        let settlement = match self.settlement {
            SettlementArg::Monthly => pb::Settlement::Monthly,
            SettlementArg::Quarterly => pb::Settlement::Quarterly,
        };
        let payee = match self.payee {
            PayeeArg::Bank => pb::Payee::Bank,
            PayeeArg::Borrower => pb::Payee::Borrower,
        };
        pb::CreateSubsidySchemeRequest {
            request_id,
            program_id: self.program_id,
            scheme_id: self.scheme_id,
            kind: kind as i32,
            rate_annual: self.rate,
            settlement: settlement as i32,
            payee: payee as i32,
            principal_max: self.principal_max,
            term_max_months: self.term_max_months,
        }
    }
}

#[derive(Args)]
pub struct LinkArgs {
    program_id: String,
    scheme_id: String,
    loan_id: String,
    /// The village fund whose loan it is.
    #[arg(long, default_value = "")]
    fund: String,
}

impl LinkArgs {
    fn request(self, request_id: String) -> pb::LinkSubsidyLoanRequest {
        pb::LinkSubsidyLoanRequest {
            request_id,
            program_id: self.program_id,
            scheme_id: self.scheme_id,
            loan_id: self.loan_id,
            fund_id: self.fund,
        }
    }
}

#[derive(Args)]
pub struct PeriodArgs {
    program_id: String,
    scheme_id: String,
    /// YYYY-MM or YYYY-Qn.
    period: String,
    /// Value date of an approval or payment, after the period's last day.
    #[arg(long, default_value = "")]
    date: String,
}

impl PeriodArgs {
    fn request(self, request_id: String) -> pb::SubsidyPeriodRequest {
        pb::SubsidyPeriodRequest {
            request_id,
            program_id: self.program_id,
            scheme_id: self.scheme_id,
            period: self.period,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct StatementArgs {
    program_id: String,
    scheme_id: String,
    /// YYYY-MM or YYYY-Qn.
    #[arg(long, required_unless_present = "loan")]
    period: Option<String>,
    /// bank:LOAN or fund:FUND/LOAN.
    #[arg(long, default_value = "")]
    loan: String,
}

impl StatementArgs {
    fn request(self) -> pb::GetSubsidyStatementRequest {
        pb::GetSubsidyStatementRequest {
            program_id: self.program_id,
            scheme_id: self.scheme_id,
            period: self.period.unwrap_or_default(),
            loan_ref: self.loan,
        }
    }
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
    println!(
        "  loans up to {} over up to {} months: {}",
        yuan(&s.principal_max),
        s.term_max_months,
        s.loans.join(", ")
    );
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
    let rows = s
        .lines
        .iter()
        .map(|l| {
            vec![
                l.period.clone(),
                l.loan_ref.clone(),
                l.payee.clone(),
                percent(&l.rate_annual),
                l.days_current.to_string(),
                l.days_overdue.to_string(),
                yuan(&l.subsidy),
                yuan(&l.fee_reduced),
                yuan(&l.refund_to_borrower),
            ]
        })
        .collect();
    let header = [
        "col-period",
        "col-loan-ref",
        "col-payee",
        "rate-annual",
        "col-days-current",
        "col-days-overdue",
        "col-subsidy",
        "col-fee-reduced",
        "col-refund",
    ];
    println!("{}", headed(&header, &[3, 4, 5, 6, 7, 8], rows));
    seqs(&s.entry_seqs, s.replayed);
}

pub async fn run(args: ClientArgs<SubsidyCommand>) -> CliResult {
    let (mut c, output, command) = args.open(SubsidyServiceClient::new).await?;
    use SubsidyCommand as S;
    match command {
        S::Create(a) => show(output, &call!(c, create_subsidy_scheme, a), print_scheme),
        S::Link(a) => show(output, &call!(c, link_subsidy_loan, a), print_scheme),
        S::Accrue(a) => show(output, &call!(c, accrue_subsidy, a), print_statement),
        S::Claim(a) => show(output, &call!(c, claim_subsidy, a), print_statement),
        S::Approve(a) => show(output, &call!(c, approve_subsidy, a), print_statement),
        S::Pay(a) => show(output, &call!(c, pay_subsidy, a), print_statement),
        S::Statement(a) => {
            let r = get!(c, get_subsidy_statement, a.request());
            show(output, &r, print_statement)
        }
    }
}
