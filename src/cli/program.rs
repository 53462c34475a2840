//! `huzhu program ...`: the risk-compensation fund of a county's subsidized
//! microcredit program (扶贫小额信贷), as the county and the cooperating
//! bank's operators use it over gRPC: the fund's deposits and withdrawals,
//! the guaranteed loans the bank registers and services, claims and
//! recoveries, and the leverage report.
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};

use super::lang::lang;
use super::output::{
    call, cause, flags, get, label, method, poverty, print_schedule, repayment_method, seqs, show,
    status, table, yuan, CauseArg, Change, ClientArgs, DayCountArg, FlagArg, MethodArg, StatusArg,
};
use super::CliResult;
use crate::pb::{self, risk_fund_service_client::RiskFundServiceClient};
use crate::web::program::{figures, standing_text};

/// A program's rules at creation; anything not given takes DOMAIN.md's default.
#[derive(Args)]
pub struct ProgramRuleArgs {
    /// Loans guaranteed per yuan of fund: 7 to 10 (1:7 to 1:10), to two
    /// places, e.g. 8.5.
    #[arg(long)]
    ratio: String,
    /// The fund's share of a loss; the bank bears the rest (default 0.70).
    #[arg(long)]
    fund_share: Option<String>,
    /// The bank may claim on a loan past due more than this many days (default 90).
    #[arg(long)]
    claim_after_days: Option<u32>,
    /// Lending is suspended while the default ratio is above this (default 0.05).
    #[arg(long)]
    suspend_above: Option<String>,
    /// Oldest age a borrower may have at registration, in full years (default 60).
    #[arg(long)]
    age_max: Option<u32>,
    /// Compensation covers the interest due as well as the principal.
    #[arg(long)]
    compensate_interest: bool,
    /// The cooperating bank, e.g. rcc-huanggang.
    #[arg(long)]
    bank: String,
    /// Households that may borrow and receive subsidies; repeat for several
    /// (default: registered poor, monitored, unstable after exit).
    #[arg(long, value_enum)]
    eligible: Vec<FlagArg>,
    /// The program's day count: the schedules it computes and its
    /// subsidies (default months-and-days).
    #[arg(long, value_enum)]
    day_count: Option<DayCountArg>,
    /// The largest guaranteed loan, in yuan, at most the national 50000
    /// (default 50000; 罗田 sets 30000).
    #[arg(long)]
    principal_max: Option<String>,
    /// The longest guaranteed loan, in months, at most the national 36 (default 36).
    #[arg(long)]
    term_max_months: Option<u32>,
}

impl ProgramRuleArgs {
    fn rules(self) -> pb::ProgramRules {
        pb::ProgramRules {
            leverage_ratio: 0,
            leverage_ratio_decimal: self.ratio,
            fund_share: self.fund_share.unwrap_or_default(),
            claim_after_days: self.claim_after_days.unwrap_or_default(),
            suspend_above_default_ratio: self.suspend_above.unwrap_or_default(),
            borrower_age_max: self.age_max.unwrap_or_default(),
            compensate_interest: self.compensate_interest,
            bank_id: self.bank,
            eligible: flags(&self.eligible),
            day_count: self.day_count.map_or(0, DayCountArg::wire),
            principal_max: self.principal_max.unwrap_or_default(),
            term_max_months: self.term_max_months.unwrap_or_default(),
        }
    }
}

/// What a bank loan is for.
#[derive(Clone, Copy, ValueEnum)]
pub enum PurposeArg {
    Crops,
    Livestock,
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

/// One row of a schedule file.
#[derive(serde::Deserialize)]
struct ScheduleRow {
    due_date: String,
    principal: String,
    interest: String,
}

/// The bank's schedule from a CSV file with the header
/// `due_date,principal,interest` (the server checks the amounts and dates).
fn read_schedule(path: &Path) -> Result<Vec<pb::BankInstallment>, String> {
    let shown = path.display();
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("--schedule {shown}: {e}"))?;
    reader
        .deserialize::<ScheduleRow>()
        .enumerate()
        .map(|(i, row)| {
            let row = row.map_err(|e| {
                format!(
                    "--schedule {shown}: installment {} is not due_date,principal,interest ({e})",
                    i + 1
                )
            })?;
            Ok(pb::BankInstallment {
                due_date: row.due_date,
                principal: row.principal,
                interest: row.interest,
            })
        })
        .collect()
}

#[derive(Subcommand)]
pub enum ProgramCommand {
    /// Create a program: its book, chart and rules.
    Create(Change<CreateArgs>),
    /// Money into the risk fund from a source.
    Deposit(Change<MoveArgs>),
    /// Money out of the risk fund back to its source; refused when the
    /// exposure would pass ratio × the balance left (leverage_cap).
    Withdraw(Change<MoveArgs>),
    /// The bank registers a guaranteed loan it disbursed on --date.
    ///
    /// Refused for a borrower not registered poor or monitored, or too old;
    /// for a guaranteed loan also a principal or term above the program's
    /// maxima (50,000 and 36 months at most); while lending is suspended; or
    /// past ratio × the fund balance (leverage_cap). With --subsidy-only the
    /// loan is registered for an interest subsidy alone, without guarantee.
    Register(Change<RegisterArgs>),
    /// The bank reports a repayment of principal and/or interest.
    Repay(Change<RepayArgs>),
    /// The bank claims compensation on a guaranteed loan past due more than
    /// the claim threshold, once.
    Claim(Change<ClaimArgs>),
    /// The bank reports money recovered on a claimed loan; the fund gets its share back.
    Recover(Change<RecoverArgs>),
    /// A guaranteed loan: schedule, repayments, exposure, days past due, claim.
    Loan(LoanArgs),
    /// The leverage report: fund balance, exposure, capacity, headroom,
    /// default ratio, lending suspended or not.
    Leverage(LeverageArgs),
}

#[derive(Args)]
pub struct CreateArgs {
    /// Lower-case letters, digits, '-' and '_'.
    program_id: String,
    #[arg(long)]
    name: String,
    #[command(flatten)]
    rules: ProgramRuleArgs,
}

impl CreateArgs {
    fn request(self, request_id: String) -> pb::CreateProgramRequest {
        pb::CreateProgramRequest {
            request_id,
            program_id: self.program_id,
            name: self.name,
            rules: Some(self.rules.rules()),
        }
    }
}

#[derive(Args)]
pub struct MoveArgs {
    program_id: String,
    /// Where the money comes from, or goes back to: county, province, ...
    #[arg(long)]
    source: String,
    /// Yuan, e.g. 1000000.
    #[arg(long)]
    amount: String,
    /// Value date, YYYY-MM-DD.
    #[arg(long)]
    date: String,
}

impl MoveArgs {
    fn request(self, request_id: String) -> pb::RiskFundMoveRequest {
        pb::RiskFundMoveRequest {
            request_id,
            program_id: self.program_id,
            source: self.source,
            amount: self.amount,
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct RegisterArgs {
    program_id: String,
    /// The bank's loan id.
    loan_id: String,
    #[arg(long)]
    household: String,
    #[arg(long)]
    borrower: String,
    /// The household's status as one value (or give --flag, once for each flag).
    #[arg(long, value_enum, required_unless_present = "flag")]
    status: Option<StatusArg>,
    /// A status flag; repeat for several.
    #[arg(long, value_enum, conflicts_with = "status")]
    flag: Vec<FlagArg>,
    /// The risk cause of a monitored household.
    #[arg(long, value_enum)]
    cause: Option<CauseArg>,
    /// YYYY-MM-DD.
    #[arg(long)]
    birth_date: String,
    /// Yuan; a guaranteed loan at most the program's maximum (50000 at most).
    #[arg(long)]
    principal: String,
    /// A guaranteed loan 1 to the program's maximum (36 at most); a loan
    /// for a subsidy only 1 to 120.
    #[arg(long)]
    term_months: u32,
    /// The loan's annual rate, e.g. 0.0435.
    #[arg(long)]
    rate: String,
    #[arg(long, value_enum)]
    method: MethodArg,
    /// The disbursement date.
    #[arg(long)]
    date: String,
    /// What the loan is for.
    #[arg(long, value_enum)]
    purpose_category: PurposeArg,
    /// The business that uses the money, when it is not the household's own (户贷企用).
    #[arg(long, default_value = "")]
    business: String,
    /// The bank's own schedule: a CSV file with the header
    /// due_date,principal,interest (default: the ledger computes one under
    /// the program's day count).
    #[arg(long)]
    schedule: Option<PathBuf>,
    /// For an interest subsidy only: no guarantee of the risk fund, none of
    /// its limits.
    #[arg(long)]
    subsidy_only: bool,
}

impl RegisterArgs {
    /// The registration; refused when the schedule file cannot be read.
    fn request(self, request_id: String) -> Result<pb::RegisterGuaranteedLoanRequest, String> {
        let schedule = match &self.schedule {
            Some(path) => read_schedule(path)?,
            None => Vec::new(),
        };
        Ok(pb::RegisterGuaranteedLoanRequest {
            request_id,
            program_id: self.program_id,
            loan_id: self.loan_id,
            household_id: self.household,
            borrower_name: self.borrower,
            poverty_status: self.status.map_or(0, status),
            birth_date: self.birth_date,
            principal: self.principal,
            term_months: self.term_months,
            rate_annual: self.rate,
            method: method(self.method),
            date: self.date,
            flags: flags(&self.flag),
            cause: cause(self.cause),
            schedule,
            subsidy_only: self.subsidy_only,
            purpose: purpose(self.purpose_category),
            business: self.business,
        })
    }
}

#[derive(Args)]
pub struct RepayArgs {
    program_id: String,
    loan_id: String,
    #[arg(long, default_value = "")]
    principal: String,
    #[arg(long, default_value = "")]
    interest: String,
    #[arg(long)]
    date: String,
}

impl RepayArgs {
    fn request(self, request_id: String) -> pb::ReportRepaymentRequest {
        pb::ReportRepaymentRequest {
            request_id,
            program_id: self.program_id,
            loan_id: self.loan_id,
            principal: self.principal,
            interest: self.interest,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct ClaimArgs {
    program_id: String,
    loan_id: String,
    #[arg(long)]
    date: String,
}

impl ClaimArgs {
    fn request(self, request_id: String) -> pb::ClaimCompensationRequest {
        pb::ClaimCompensationRequest {
            request_id,
            program_id: self.program_id,
            loan_id: self.loan_id,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct RecoverArgs {
    program_id: String,
    loan_id: String,
    /// The whole amount the bank recovered this time.
    #[arg(long)]
    amount: String,
    #[arg(long)]
    date: String,
}

impl RecoverArgs {
    fn request(self, request_id: String) -> pb::ReportRecoveryRequest {
        pb::ReportRecoveryRequest {
            request_id,
            program_id: self.program_id,
            loan_id: self.loan_id,
            amount: self.amount,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct LoanArgs {
    program_id: String,
    loan_id: String,
    /// Days past due as of this date (default: today).
    #[arg(long, default_value = "")]
    as_of: String,
}

impl LoanArgs {
    fn request(self) -> pb::GetGuaranteedLoanRequest {
        pb::GetGuaranteedLoanRequest {
            program_id: self.program_id,
            loan_id: self.loan_id,
            as_of: self.as_of,
        }
    }
}

#[derive(Args)]
pub struct LeverageArgs {
    program_id: String,
    /// Days past due (and so the default ratio) as of this date (default: today).
    #[arg(long, default_value = "")]
    as_of: String,
}

impl LeverageArgs {
    fn request(self) -> pb::GetLeverageReportRequest {
        pb::GetLeverageReportRequest {
            program_id: self.program_id,
            as_of: self.as_of,
        }
    }
}

fn print_program(p: &pb::ProgramResponse) {
    let r = p.rules.clone().unwrap_or_default();
    println!(
        "{} ({}) with {}: fund balance {}",
        p.program_id,
        p.name,
        r.bank_id,
        yuan(&p.fund_balance)
    );
    println!(
        "  1:{}  fund share {}  claim after more than {} days  suspend above {}  borrowers up to {}{}",
        r.leverage_ratio_decimal,
        r.fund_share,
        r.claim_after_days,
        r.suspend_above_default_ratio,
        r.borrower_age_max,
        if r.compensate_interest {
            "  interest covered"
        } else {
            ""
        }
    );
    println!(
        "  guaranteed loans up to {} over up to {} months  day count {}",
        yuan(&r.principal_max),
        r.term_max_months,
        label(r.day_count, pb::DayCount::as_str_name, "DAY_COUNT_")
    );
    seqs(&p.entry_seqs, p.replayed);
}

fn print_loan(r: &pb::GuaranteedLoanResponse) {
    let l = r.loan.clone().unwrap_or_default();
    let state = label(l.state, pb::GuaranteeState::as_str_name, "GUARANTEE_STATE_");
    let method = repayment_method(l.method);
    println!(
        "loan {} of {} (household {}, {}): {} over {} months, {method}, {} a year: {state}",
        l.loan_id,
        l.borrower_name,
        l.household_id,
        poverty(l.poverty_status),
        yuan(&l.principal),
        l.term_months,
        l.rate_annual
    );
    println!(
        "  disbursed {}  principal repaid {}  interest repaid {}  exposure {}  days past due {}",
        l.disbursed_on,
        yuan(&l.principal_repaid),
        yuan(&l.interest_repaid),
        yuan(&l.exposure),
        l.days_past_due
    );
    let purpose = label(
        l.purpose,
        pb::PurposeCategory::as_str_name,
        "PURPOSE_CATEGORY_",
    );
    match l.business.as_str() {
        "" => println!("  for {purpose}"),
        business => println!("  for {purpose}, used by {business}"),
    }
    if l.subsidy_only {
        println!("  registered for an interest subsidy only: not guaranteed");
    }
    let from = if l.schedule_from_bank {
        "the bank's"
    } else {
        "computed"
    };
    println!(
        "  schedule {from}  oldest unpaid installment {}",
        l.oldest_unpaid_installment
    );
    print_schedule(&l.schedule, "col-interest");
    if let Some(c) = &l.claim {
        println!(
            "  claimed {} at {} days: unpaid principal {}, interest {}; compensation {}; recovered {}, {} back to the fund",
            c.date,
            c.days_past_due,
            yuan(&c.unpaid_principal),
            yuan(&c.unpaid_interest),
            yuan(&c.compensation),
            yuan(&c.recovered),
            yuan(&c.recovered_to_fund)
        );
    }
    seqs(&r.entry_seqs, r.replayed);
}

/// The leverage report: lending suspended or not said first (as on the
/// program's web page), then its figures, ratios as percentages.
fn print_leverage(r: &pb::LeverageReport) {
    let lang = lang();
    let as_of = lang.t_args("as-of", &[("date", r.as_of.clone().into())]);
    println!("{} ({}) · {as_of}", r.name, r.program_id);
    println!("{}", standing_text(r, lang));
    let rows = figures(r, yuan)
        .map(|(id, value)| vec![lang.t(id), value])
        .to_vec();
    println!("{}", table(&["", ""], &[1], rows));
}

pub async fn run(args: ClientArgs<ProgramCommand>) -> CliResult {
    let (mut c, output, command) = args.open(RiskFundServiceClient::new).await?;
    use ProgramCommand as P;
    match command {
        P::Create(a) => show(output, &call!(c, create_program, a), print_program),
        P::Deposit(a) => show(output, &call!(c, deposit_risk_fund, a), print_program),
        P::Withdraw(a) => show(output, &call!(c, withdraw_risk_fund, a), print_program),
        P::Register(a) => show(output, &call!(c, register_guaranteed_loan, a?), print_loan),
        P::Repay(a) => show(output, &call!(c, report_repayment, a), print_loan),
        P::Claim(a) => show(output, &call!(c, claim_compensation, a), print_loan),
        P::Recover(a) => show(output, &call!(c, report_recovery, a), print_loan),
        P::Loan(a) => show(
            output,
            &get!(c, get_guaranteed_loan, a.request()),
            print_loan,
        ),
        P::Leverage(a) => {
            let r = get!(c, get_leverage_report, a.request());
            show(output, &r, print_leverage)
        }
    }
}
