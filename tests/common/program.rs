//! Program set-up the tests share: a county program with its risk fund, and
//! the guaranteed loans a bank registers against it. The request literals
//! are written once, here (see `fund.rs` for how a test varies them).

use huzhu::pb::{
    self, risk_fund_service_client::RiskFundServiceClient, PovertyStatus, PurposeCategory,
    RepaymentMethod,
};

use super::{ok, Channel, TestServer};

pub type Programs = RiskFundServiceClient<Channel>;

/// The partner bank of the programs the fixtures create.
pub const PROGRAM_BANK: &str = "rcc-huanggang";

impl TestServer {
    pub async fn program_client(&self) -> Programs {
        RiskFundServiceClient::new(self.channel().await)
    }
}

/// A program named after its id, lending with [`PROGRAM_BANK`] at
/// 1:`ratio`, its other rules the defaults ("create-{program}-{ratio}").
pub fn program_request(program: &str, ratio: u32) -> pb::CreateProgramRequest {
    pb::CreateProgramRequest {
        request_id: format!("create-{program}-{ratio}"),
        program_id: program.into(),
        name: format!("Program {program}"),
        rules: Some(pb::ProgramRules {
            leverage_ratio: ratio,
            bank_id: PROGRAM_BANK.into(),
            ..Default::default()
        }),
    }
}

pub async fn create_program(p: &mut Programs, request: pb::CreateProgramRequest) {
    let what = format!("the program {}", request.program_id);
    ok(p.create_program(request).await, what);
}

/// Money from the county into (or out of) the risk fund on 2025-01-02.
pub fn risk_fund_move(request_id: &str, program: &str, amount: &str) -> pb::RiskFundMoveRequest {
    pb::RiskFundMoveRequest {
        request_id: request_id.into(),
        program_id: program.into(),
        source: "county".into(),
        amount: amount.into(),
        value_date: "2025-01-02".into(),
    }
}

/// The county's deposit into the program's risk fund on 2025-01-02, one
/// per program ("deposit-{program}").
pub async fn deposit(p: &mut Programs, program: &str, amount: &str) {
    let request = risk_fund_move(&format!("deposit-{program}"), program, amount);
    ok(
        p.deposit_risk_fund(request).await,
        format!("{amount} into the risk fund of {program}"),
    );
}

/// A program at 1:`ratio` whose risk fund holds `amount` from 2025-01-02.
pub async fn program_with_deposit(p: &mut Programs, program: &str, ratio: u32, amount: &str) {
    create_program(p, program_request(program, ratio)).await;
    deposit(p, program, amount).await;
}

/// A bank loan to registered poor household "H-{loan}" (born 1980-05-01):
/// 12 months at 4.35%, bullet, for crops, guaranteed, its schedule computed
/// ("register-{program}-{loan}").
pub fn register_request(
    program: &str,
    loan: &str,
    principal: &str,
    date: &str,
) -> pb::RegisterGuaranteedLoanRequest {
    pb::RegisterGuaranteedLoanRequest {
        request_id: format!("register-{program}-{loan}"),
        program_id: program.into(),
        loan_id: loan.into(),
        household_id: format!("H-{loan}"),
        borrower_name: format!("Household {loan}"),
        poverty_status: PovertyStatus::RegisteredPoor as i32,
        birth_date: "1980-05-01".into(),
        principal: principal.into(),
        term_months: 12,
        rate_annual: "0.0435".into(),
        method: RepaymentMethod::Bullet as i32,
        date: date.into(),
        purpose: PurposeCategory::Crops as i32,
        ..Default::default()
    }
}

pub async fn register(
    p: &mut Programs,
    request: pb::RegisterGuaranteedLoanRequest,
) -> pb::GuaranteedLoan {
    let what = format!(
        "the guaranteed loan {} of {}",
        request.loan_id, request.program_id
    );
    ok(p.register_guaranteed_loan(request).await, what)
        .loan
        .expect("a registered loan answers its record")
}

/// What the bank reports it received on a loan on `date`
/// ("repay-{program}-{loan}-{date}").
pub fn repayment_request(
    program: &str,
    loan: &str,
    principal: &str,
    interest: &str,
    date: &str,
) -> pb::ReportRepaymentRequest {
    pb::ReportRepaymentRequest {
        request_id: format!("repay-{program}-{loan}-{date}"),
        program_id: program.into(),
        loan_id: loan.into(),
        principal: principal.into(),
        interest: interest.into(),
        date: date.into(),
    }
}

pub async fn report_repayment(p: &mut Programs, request: pb::ReportRepaymentRequest) {
    let what = format!(
        "the repayment of {} on {} reported to {}",
        request.loan_id, request.date, request.program_id
    );
    ok(p.report_repayment(request).await, what);
}

/// A bank loan of `program` as it stands on `as_of`.
pub async fn loan_on(
    p: &mut Programs,
    program: &str,
    loan: &str,
    as_of: &str,
) -> pb::GuaranteedLoan {
    let request = pb::GetGuaranteedLoanRequest {
        program_id: program.into(),
        loan_id: loan.into(),
        as_of: as_of.into(),
    };
    let what = format!("the loan {loan} of {program} on {as_of}");
    ok(p.get_guaranteed_loan(request).await, what)
        .loan
        .expect("a loan answers its record")
}

/// The leverage report of `program` on `as_of`.
pub async fn leverage_report(p: &mut Programs, program: &str, as_of: &str) -> pb::LeverageReport {
    let request = pb::GetLeverageReportRequest {
        program_id: program.into(),
        as_of: as_of.into(),
    };
    ok(
        p.get_leverage_report(request).await,
        format!("the leverage of {program}"),
    )
}

/// The days of [`county_program`]'s loans, counted back from today.
pub struct CountyDays {
    pub today: chrono::NaiveDate,
    /// L-B's one installment, unpaid.
    pub l_b_due: chrono::NaiveDate,
}

/// Program `program` at 1:8 on a risk fund of 10,000.00 (capacity
/// 80,000.00), with three loans registered in date order, dated back from
/// today so the page that shows today sees them the same on any day:
/// - L-A: 40,000.00 for 12 months 400 days ago, repaid on its due date
///   with its interest as scheduled: closed;
/// - L-B: 10,000.00 for 1 month 200 days ago, never repaid: past due some
///   170 days, so in default (past 90);
/// - L-C: 30,000.00 for 12 months 100 days ago (before L-B passed 90 days,
///   while lending was open): current.
///
/// Exposure 10,000 + 30,000 = 40,000.00, headroom 40,000.00, leverage
/// 40,000 / 10,000 = 1:4; default ratio 10,000 / 40,000 = 25.00%, above
/// the 5% line: lending is suspended.
pub async fn county_program(p: &mut Programs, program: &str) -> CountyDays {
    let today = huzhu::domain::dates::business_today();
    let back = |days: i64| (today - chrono::Duration::days(days)).to_string();
    program_with_deposit(p, program, 8, "10000").await;
    let l_a = register(p, register_request(program, "L-A", "40000", &back(400))).await;
    let last = |l: &pb::GuaranteedLoan| l.schedule.last().expect("a schedule").clone();
    let a = last(&l_a);
    report_repayment(
        p,
        repayment_request(program, "L-A", "40000", &a.fee, &a.due_date),
    )
    .await;
    let mut b = register_request(program, "L-B", "10000", &back(200));
    b.term_months = 1;
    let l_b = register(p, b).await;
    register(p, register_request(program, "L-C", "30000", &back(100))).await;
    CountyDays {
        today,
        l_b_due: last(&l_b).due_date.parse().expect("an ISO date"),
    }
}
