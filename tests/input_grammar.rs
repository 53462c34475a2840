//! One input grammar (issue 14): every amount field of every RPC, and every
//! rate, ratio and share, refuses the same malformed text with
//! INVALID_ARGUMENT naming the field; rates above the deployment's ceiling,
//! a term of 0 months and an overflowing principal too; refusals of rules
//! name the field a user would change. Nothing a refusal answers changes
//! what can be read back: the chain head, the records, the balances.

mod common;

use common::federation::{admit_fund, create_federation, federation_request, Federations};
use common::fund::{
    allocate_request, buy_request, capital_request, create_fund_request, fund_with_loans,
    join_request, Capital, LoanTerms,
};
use common::program::{
    program_request, program_with_deposit, register, register_request, repayment_request,
    risk_fund_move, Programs,
};
use common::subsidy::{scheme_request, Subsidies};
use common::{bad_field, credit, debit, entry, ok, Channel, Client, FundClient, TestServer};
use huzhu::pb::{self, extract_service_client::ExtractServiceClient, PovertyStatus, Till};
use tonic::{Code, Status};
use tonic_types::StatusExt;

const FUND: &str = "fund-grammar";
const FED: &str = "fed-grammar";
const PROGRAM: &str = "prog-grammar";
/// After every set-up date.
const DATE: &str = "2025-03-10";

/// Amounts no amount field accepts: spaces, a sign, an exponent, a
/// separator, three places, a leading zero, an overflow, nothing (where the
/// field is required) and full-width digits.
const BAD_AMOUNTS: &[&str] = &[
    " 12.00",
    "12.00 ",
    "+12.00",
    "1e3",
    "-1",
    "1,000.00",
    "12.345",
    "007.00",
    "99999999999999999999999999",
    "",
    "１２",
];

/// Rates, ratios and shares no such field accepts.
const BAD_RATIOS: &[&str] = &[
    " 0.1",
    "0.1 ",
    "+0.1",
    "1e-2",
    "-0.1",
    "0,1",
    "00.1",
    "0.1234567",
    "99999999999999999999999999",
    "",
    "０.１",
];

/// One call of an RPC that takes an amount, a rate or a term.
enum Call {
    PostEntry(pb::PostEntryRequest),
    CreateFund(pb::CreateFundRequest),
    AddCapital(pb::AddCapitalRequest),
    RecordExpense(pb::RecordExpenseRequest),
    BuyShares(pb::BuySharesRequest),
    AllocateShares(pb::AllocateSharesRequest),
    RefundShares(pb::RefundSharesRequest),
    ApplyLoan(pb::ApplyLoanRequest),
    RepayLoan(pb::RepayLoanRequest),
    RecoverLoan(pb::RecoverLoanRequest),
    Reschedule(pb::RescheduleLoanRequest),
    JoinMember(pb::JoinMemberRequest),
    CreateFederation(pb::CreateFederationRequest),
    FederationCapital(pb::AddFederationCapitalRequest),
    Place(pb::PlaceRequest),
    Lend(pb::PlaceRequest),
    RepayPlacement(pb::RepayPlacementRequest),
    Contribute(pb::ContributeReliefRequest),
    RequestRelief(pb::RequestReliefRequest),
    CreateProgram(pb::CreateProgramRequest),
    Deposit(pb::RiskFundMoveRequest),
    Withdraw(pb::RiskFundMoveRequest),
    Register(pb::RegisterGuaranteedLoanRequest),
    ReportRepayment(pb::ReportRepaymentRequest),
    ReportRecovery(pb::ReportRecoveryRequest),
    CreateScheme(pb::CreateSubsidySchemeRequest),
}

struct Clients {
    ledger: Client,
    fund: FundClient,
    feds: Federations,
    programs: Programs,
    subsidies: Subsidies,
    extract: ExtractServiceClient<Channel>,
}

impl Clients {
    async fn new(server: &TestServer) -> Self {
        Self {
            ledger: server.client().await,
            fund: server.fund_client().await,
            feds: server.federation_client().await,
            programs: server.program_client().await,
            subsidies: server.subsidy_client().await,
            extract: ExtractServiceClient::new(server.channel().await),
        }
    }

    async fn send(&mut self, call: Call) -> Result<(), Status> {
        let (f, feds, p) = (&mut self.fund, &mut self.feds, &mut self.programs);
        match call {
            Call::PostEntry(r) => self.ledger.post_entry(r).await.map(drop),
            Call::CreateFund(r) => f.create_fund(r).await.map(drop),
            Call::AddCapital(r) => f.add_capital(r).await.map(drop),
            Call::RecordExpense(r) => f.record_expense(r).await.map(drop),
            Call::BuyShares(r) => f.buy_shares(r).await.map(drop),
            Call::AllocateShares(r) => f.allocate_shares(r).await.map(drop),
            Call::RefundShares(r) => f.refund_shares(r).await.map(drop),
            Call::ApplyLoan(r) => f.apply_loan(r).await.map(drop),
            Call::RepayLoan(r) => f.repay_loan(r).await.map(drop),
            Call::RecoverLoan(r) => f.recover_loan(r).await.map(drop),
            Call::Reschedule(r) => f.reschedule_loan(r).await.map(drop),
            Call::JoinMember(r) => f.join_member(r).await.map(drop),
            Call::CreateFederation(r) => feds.create_federation(r).await.map(drop),
            Call::FederationCapital(r) => feds.add_federation_capital(r).await.map(drop),
            Call::Place(r) => feds.place_with_federation(r).await.map(drop),
            Call::Lend(r) => feds.lend_to_fund(r).await.map(drop),
            Call::RepayPlacement(r) => feds.repay_placement(r).await.map(drop),
            Call::Contribute(r) => feds.contribute_relief(r).await.map(drop),
            Call::RequestRelief(r) => feds.request_relief(r).await.map(drop),
            Call::CreateProgram(r) => p.create_program(r).await.map(drop),
            Call::Deposit(r) => p.deposit_risk_fund(r).await.map(drop),
            Call::Withdraw(r) => p.withdraw_risk_fund(r).await.map(drop),
            Call::Register(r) => p.register_guaranteed_loan(r).await.map(drop),
            Call::ReportRepayment(r) => p.report_repayment(r).await.map(drop),
            Call::ReportRecovery(r) => p.report_recovery(r).await.map(drop),
            Call::CreateScheme(r) => self.subsidies.create_subsidy_scheme(r).await.map(drop),
        }
    }
}

/// A field that takes a value: its name, whether empty takes a default
/// (so "" is not refused there), and the call with `text` in it.
type Field = (&'static str, bool, fn(&str) -> Call);

fn fund_rules(set: impl FnOnce(&mut pb::FundRules)) -> Call {
    let mut rules = pb::FundRules::default();
    set(&mut rules);
    Call::CreateFund(create_fund_request("fund-bad", Some(rules)))
}

fn federation_rules(set: impl FnOnce(&mut pb::FederationRules)) -> Call {
    let mut rules = pb::FederationRules::default();
    set(&mut rules);
    let request = federation_request("fed-bad");
    Call::CreateFederation(pb::CreateFederationRequest {
        rules: Some(rules),
        ..request
    })
}

fn program_rules(set: impl FnOnce(&mut pb::ProgramRules)) -> Call {
    let mut request = program_request("prog-bad", 8);
    set(request.rules.as_mut().expect("the fixture has rules"));
    Call::CreateProgram(request)
}

fn scheme(rate: &str, principal_max: &str) -> Call {
    let (fixed, monthly) = (pb::SubsidyKind::Fixed, pb::Settlement::Monthly);
    Call::CreateScheme(pb::CreateSubsidySchemeRequest {
        principal_max: principal_max.into(),
        ..scheme_request(PROGRAM, "s-bad", fixed, rate, monthly)
    })
}

fn place(t: &str) -> pb::PlaceRequest {
    pb::PlaceRequest {
        request_id: "bad-place".into(),
        federation_id: FED.into(),
        placement_id: "P-bad".into(),
        fund_id: FUND.into(),
        amount: t.into(),
        value_date: DATE.into(),
    }
}

fn contribute(basis: pb::ContributionBasis, amount: &str, share: &str) -> Call {
    Call::Contribute(pb::ContributeReliefRequest {
        request_id: "bad-contribution".into(),
        federation_id: FED.into(),
        contribution_id: "C-bad".into(),
        fund_id: FUND.into(),
        basis: basis as i32,
        amount: amount.into(),
        share: share.into(),
        value_date: DATE.into(),
    })
}

fn register_with(set: impl FnOnce(&mut pb::RegisterGuaranteedLoanRequest)) -> Call {
    let mut request = register_request(PROGRAM, "G-bad", "10000", DATE);
    set(&mut request);
    Call::Register(request)
}

fn repay_loan(amount: &str, date: &str) -> Call {
    Call::RepayLoan(pb::RepayLoanRequest {
        request_id: "bad-repay".into(),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        amount: amount.into(),
        till: Till::Cash as i32,
        date: date.into(),
    })
}

fn apply_loan(set: impl FnOnce(&mut pb::ApplyLoanRequest)) -> Call {
    let mut request = LoanTerms::new(FUND, "L-bad", "M1", "1000")
        .on(DATE)
        .apply_request();
    set(&mut request);
    Call::ApplyLoan(request)
}

/// Every amount field of the fund's and the ledger's RPCs.
fn fund_amounts() -> Vec<Field> {
    vec![
        ("postings[0].amount", false, |t| {
            let postings = vec![debit(FUND, "1002", t), credit(FUND, "3004", "1.00")];
            Call::PostEntry(entry("bad-entry", DATE, postings))
        }),
        ("amount", false, |t| {
            Call::AddCapital(capital_request("bad", FUND, Capital::fiscal(t), DATE))
        }),
        ("amount", false, |t| {
            Call::RecordExpense(pb::RecordExpenseRequest {
                request_id: "bad-expense".into(),
                fund_id: FUND.into(),
                category: "office".into(),
                amount: t.into(),
                till: Till::Cash as i32,
                value_date: DATE.into(),
                memo: String::new(),
            })
        }),
        ("amount", false, |t| {
            Call::BuyShares(buy_request(FUND, "M1", t, DATE))
        }),
        ("amount", false, |t| {
            Call::AllocateShares(allocate_request(FUND, "M1", t, DATE))
        }),
        ("amount", false, |t| {
            Call::RefundShares(pb::RefundSharesRequest {
                request_id: "bad-refund".into(),
                fund_id: FUND.into(),
                member_id: "M1".into(),
                amount: t.into(),
                class: pb::ShareClass::Own as i32,
                till: Till::Cash as i32,
                value_date: DATE.into(),
            })
        }),
        ("principal", false, |t| {
            apply_loan(|r| r.principal = t.into())
        }),
        ("amount", false, |t| repay_loan(t, DATE)),
        ("amount", false, |t| {
            Call::RecoverLoan(pb::RecoverLoanRequest {
                request_id: "bad-recovery".into(),
                fund_id: FUND.into(),
                loan_id: "L1".into(),
                amount: t.into(),
                till: Till::Cash as i32,
                date: DATE.into(),
            })
        }),
        ("rules.share_price", true, |t| {
            fund_rules(|r| r.share_price = t.into())
        }),
        ("rules.loan_max", true, |t| {
            fund_rules(|r| r.loan_max = t.into())
        }),
        ("rules.board_approval_above", true, |t| {
            fund_rules(|r| r.board_approval_above = t.into())
        }),
    ]
}

/// Every amount field of the federation's RPCs.
fn federation_amounts() -> Vec<Field> {
    vec![
        ("amount", false, |t| {
            Call::FederationCapital(pb::AddFederationCapitalRequest {
                request_id: "bad-fed-capital".into(),
                federation_id: FED.into(),
                source: "county".into(),
                amount: t.into(),
                value_date: DATE.into(),
            })
        }),
        ("amount", false, |t| Call::Place(place(t))),
        ("amount", false, |t| Call::Lend(place(t))),
        ("principal", false, |t| {
            Call::RepayPlacement(pb::RepayPlacementRequest {
                request_id: "bad-repay-placement".into(),
                federation_id: FED.into(),
                placement_id: "P-bad".into(),
                principal: t.into(),
                value_date: DATE.into(),
            })
        }),
        ("amount", false, |t| {
            contribute(pb::ContributionBasis::Fixed, t, "")
        }),
        ("amount", false, |t| {
            Call::RequestRelief(pb::RequestReliefRequest {
                request_id: "bad-relief".into(),
                federation_id: FED.into(),
                grant_id: "R-bad".into(),
                fund_id: FUND.into(),
                loan_id: "L1".into(),
                amount: t.into(),
                reason: "flood".into(),
                date: DATE.into(),
            })
        }),
    ]
}

/// Every amount field of the program's and the subsidy's RPCs.
fn program_amounts() -> Vec<Field> {
    vec![
        ("amount", false, |t| {
            Call::Deposit(risk_fund_move("bad", PROGRAM, t))
        }),
        ("amount", false, |t| {
            Call::Withdraw(risk_fund_move("bad", PROGRAM, t))
        }),
        ("principal", false, |t| {
            register_with(|r| r.principal = t.into())
        }),
        ("schedule[0].principal", true, |t| {
            register_with(|r| {
                r.schedule = vec![pb::BankInstallment {
                    due_date: "2026-03-10".into(),
                    principal: t.into(),
                    interest: "435.00".into(),
                }]
            })
        }),
        ("principal", true, |t| {
            Call::ReportRepayment(repayment_request(PROGRAM, "G1", t, "10.00", DATE))
        }),
        ("interest", true, |t| {
            Call::ReportRepayment(repayment_request(PROGRAM, "G1", "10.00", t, DATE))
        }),
        ("amount", false, |t| {
            Call::ReportRecovery(pb::ReportRecoveryRequest {
                request_id: "bad-recovery".into(),
                program_id: PROGRAM.into(),
                loan_id: "G1".into(),
                amount: t.into(),
                date: DATE.into(),
            })
        }),
        ("principal_max", true, |t| scheme("0.02", t)),
        ("rules.principal_max", true, |t| {
            program_rules(|r| r.principal_max = t.into())
        }),
    ]
}

/// Every rate, ratio and share field.
fn ratios() -> Vec<Field> {
    vec![
        ("rules.fee_rate_annual", true, |t| {
            fund_rules(|r| r.fee_rate_annual = t.into())
        }),
        ("rules.penalty_rate_annual", true, |t| {
            fund_rules(|r| r.penalty_rate_annual = t.into())
        }),
        ("rules.household_share_max", true, |t| {
            fund_rules(|r| r.household_share_max = t.into())
        }),
        ("rules.welfare_share", true, |t| {
            fund_rules(|r| r.welfare_share = t.into())
        }),
        ("rules.placement_rate_annual", true, |t| {
            federation_rules(|r| r.placement_rate_annual = t.into())
        }),
        ("rules.spread_annual", true, |t| {
            federation_rules(|r| r.spread_annual = t.into())
        }),
        ("rules.limit_share", true, |t| {
            federation_rules(|r| r.limit_share = t.into())
        }),
        ("rules.fund_share", true, |t| {
            program_rules(|r| r.fund_share = t.into())
        }),
        ("rules.suspend_above_default_ratio", true, |t| {
            program_rules(|r| r.suspend_above_default_ratio = t.into())
        }),
        ("rules.leverage_ratio_decimal", true, |t| {
            program_rules(|r| r.leverage_ratio_decimal = t.into())
        }),
        ("rate_annual", false, |t| {
            register_with(|r| r.rate_annual = t.into())
        }),
        ("rate_annual", false, |t| scheme(t, "")),
        ("share", false, |t| {
            contribute(pb::ContributionBasis::FeeShare, "", t)
        }),
    ]
}

/// Everything a user can read back of the books and records the refused
/// calls would have touched.
#[derive(Debug, PartialEq)]
struct World {
    head: pb::ChainHead,
    loans: pb::ListLoansResponse,
    member: pb::MemberResponse,
    relief: pb::ReliefResponse,
    leverage: pb::LeverageReport,
    /// What asking for each record a refused call would have created answers.
    absent: Vec<Code>,
}

fn book(id: &str) -> pb::GetBookRequest {
    pb::GetBookRequest { book_id: id.into() }
}

/// The code of a read that must find nothing.
fn absent<T>(r: Result<tonic::Response<T>, Status>, what: &str) -> Code {
    match r {
        Ok(_) => panic!("{what} exists: a refused call created it"),
        Err(e) => e.code(),
    }
}

async fn absent_records(c: &mut Clients) -> Vec<Code> {
    let mut codes = Vec::new();
    for id in ["fund-bad", "fed-bad", "prog-bad"] {
        codes.push(absent(c.ledger.get_book(book(id)).await, id));
    }
    let loan = pb::GetGuaranteedLoanRequest {
        program_id: PROGRAM.into(),
        loan_id: "G-bad".into(),
        as_of: DATE.into(),
    };
    let got = c.programs.get_guaranteed_loan(loan).await;
    codes.push(absent(got, "loan G-bad"));
    let statement = pb::GetSubsidyStatementRequest {
        program_id: PROGRAM.into(),
        scheme_id: "s-bad".into(),
        period: "2025-03".into(),
        loan_ref: String::new(),
    };
    let got = c.subsidies.get_subsidy_statement(statement).await;
    codes.push(absent(got, "scheme s-bad"));
    codes
}

async fn world(c: &mut Clients) -> World {
    let (fund_id, as_of) = (FUND.to_string(), DATE.to_string());
    let loans = pb::ListLoansRequest { fund_id, as_of };
    let member = pb::GetMemberRequest {
        fund_id: FUND.into(),
        member_id: "M1".into(),
    };
    let relief = pb::GetReliefPoolRequest {
        federation_id: FED.into(),
    };
    let leverage = pb::GetLeverageReportRequest {
        program_id: PROGRAM.into(),
        as_of: DATE.into(),
    };
    World {
        head: ok(
            c.extract.get_chain_head(pb::GetChainHeadRequest {}).await,
            "the head",
        ),
        loans: ok(c.fund.list_loans(loans).await, "the loans"),
        member: ok(c.fund.get_member(member).await, "M1"),
        relief: ok(c.feds.get_relief_pool(relief).await, "the relief pool"),
        leverage: ok(
            c.programs.get_leverage_report(leverage).await,
            "the leverage",
        ),
        absent: absent_records(c).await,
    }
}

/// A fund with a disbursed loan L1 of member M1, in a federation; a program
/// with a guaranteed loan G1.
async fn set_up(server: &TestServer) -> Clients {
    let mut c = Clients::new(server).await;
    let mut checker = server.checker_fund_client().await;
    let loan = LoanTerms::new(FUND, "L1", "M1", "1000");
    fund_with_loans(&mut c.fund, &mut checker, FUND, "100000", &[loan]).await;
    create_federation(&mut c.feds, FED).await;
    admit_fund(&mut c.feds, FED, FUND, "2025-03-02").await;
    program_with_deposit(&mut c.programs, PROGRAM, 8, "100000").await;
    register(
        &mut c.programs,
        register_request(PROGRAM, "G1", "10000", "2025-02-01"),
    )
    .await;
    c
}

/// The call is refused as malformed, naming `field`; the message says why.
async fn refused(c: &mut Clients, call: Call, field: &str, what: &str) -> String {
    let e = c.send(call).await.expect_err(what);
    assert_eq!(e.code(), Code::InvalidArgument, "{what}: {}", e.message());
    assert_eq!(
        bad_field(&e).as_deref(),
        Some(field),
        "{what}: {}",
        e.message()
    );
    e.message().to_string()
}

/// Sends each bad text to each field (but "" where empty takes a default).
async fn refuse_each(c: &mut Clients, fields: Vec<Field>, bad: &[&str]) {
    for (field, empty_is_default, call) in fields {
        for text in bad.iter().filter(|t| !(t.is_empty() && empty_is_default)) {
            let what = format!("{field} = {text:?}");
            refused(c, call(text), field, &what).await;
        }
    }
}

#[tokio::test]
async fn every_malformed_amount_rate_and_share_is_refused_naming_its_field() {
    let server = TestServer::start();
    let mut c = set_up(&server).await;
    let before = world(&mut c).await;
    refuse_each(&mut c, fund_amounts(), BAD_AMOUNTS).await;
    refuse_each(&mut c, federation_amounts(), BAD_AMOUNTS).await;
    refuse_each(&mut c, program_amounts(), BAD_AMOUNTS).await;
    refuse_each(&mut c, ratios(), BAD_RATIOS).await;
    assert_eq!(world(&mut c).await, before);
    let overflow = apply_loan(|r| r.principal = "99999999999999999999999999".into());
    let message = refused(&mut c, overflow, "principal", "an overflow").await;
    assert!(message.contains("1000000000.00"), "{message}");
}

/// Rates above the default ceiling (24% a year), each on its own field.
fn above_ceiling() -> Vec<(&'static str, Call)> {
    vec![
        (
            "rules.fee_rate_annual",
            fund_rules(|r| r.fee_rate_annual = "0.25".into()),
        ),
        (
            "rules.penalty_rate_annual",
            fund_rules(|r| r.penalty_rate_annual = "1".into()),
        ),
        (
            "rules.placement_rate_annual",
            federation_rules(|r| r.placement_rate_annual = "0.30".into()),
        ),
        (
            "rules.spread_annual",
            federation_rules(|r| r.spread_annual = "0.2401".into()),
        ),
        ("rate_annual", scheme("0.36", "")),
        (
            "rate_annual",
            register_with(|r| r.rate_annual = "0.5".into()),
        ),
    ]
}

#[tokio::test]
async fn rates_above_the_ceiling_and_terms_of_zero_months_are_malformed() {
    let server = TestServer::start();
    let mut c = set_up(&server).await;
    let before = world(&mut c).await;
    for (field, call) in above_ceiling() {
        let message = refused(&mut c, call, field, field).await;
        let limit = "must be at most 24% a year (the deployment's --max-rate-annual)";
        assert_eq!(message, format!("{field} {limit}"));
    }
    let terms = [
        apply_loan(|r| r.term_months = 0),
        register_with(|r| r.term_months = 0),
        Call::Reschedule(pb::RescheduleLoanRequest {
            request_id: "bad-reschedule".into(),
            fund_id: FUND.into(),
            loan_id: "L1".into(),
            new_loan_id: "L1-R".into(),
            term_months: 0,
            reason: "drought".into(),
            date: DATE.into(),
        }),
    ];
    for call in terms {
        refused(&mut c, call, "term_months", "a term of 0 months").await;
    }
    let long = "x".repeat(501);
    refused(
        &mut c,
        apply_loan(|r| r.purpose = long),
        "purpose",
        "a long purpose",
    )
    .await;
    assert_eq!(world(&mut c).await, before);
    let at_ceiling = fund_rules(|r| r.fee_rate_annual = "0.24".into());
    c.send(at_ceiling).await.expect("a fee at the ceiling");
}

/// The rule broken and the request field it names.
fn rule_and_subject(e: &Status) -> (String, String) {
    let p = e.get_details_precondition_failure().expect("a broken rule");
    let v = p.violations.first().expect("one violation");
    (v.r#type.clone(), v.subject.clone())
}

#[tokio::test]
async fn broken_rules_name_the_field_a_user_would_fix() {
    let server = TestServer::start();
    let mut c = set_up(&server).await;
    let before = world(&mut c).await;
    let under_age = pb::JoinMemberRequest {
        birth_date: "2010-01-01".into(),
        ..join_request(FUND, "M9", PovertyStatus::None, DATE)
    };
    let cases = [
        (
            repay_loan("10.00", "2025-02-27"),
            "loan_dates_in_order",
            "date",
        ),
        (Call::JoinMember(under_age), "member_adult", "birth_date"),
        (
            apply_loan(|r| r.term_months = 13),
            "loan_term_at_most_fund_maximum",
            "term_months",
        ),
    ];
    for (call, rule, field) in cases {
        let e = c.send(call).await.expect_err(rule);
        assert_eq!(
            e.code(),
            Code::FailedPrecondition,
            "{rule}: {}",
            e.message()
        );
        assert_eq!(rule_and_subject(&e), (rule.to_string(), field.to_string()));
    }
    assert_eq!(world(&mut c).await, before);
}

#[tokio::test]
async fn a_deployment_sets_its_own_ceiling() {
    let server = TestServer::start_with(&["--rate-limit", "0", "--max-rate-annual", "0.10"]);
    let mut f = server.fund_client().await;
    let fee = |rate: &str| pb::FundRules {
        fee_rate_annual: rate.into(),
        ..Default::default()
    };
    let e = f
        .create_fund(create_fund_request("fund-dear", Some(fee("0.12"))))
        .await
        .expect_err("a fee above the deployment's ceiling");
    assert_eq!(e.code(), Code::InvalidArgument);
    assert_eq!(
        e.message(),
        "rules.fee_rate_annual must be at most 10% a year (the deployment's --max-rate-annual)"
    );
    let ok_fee = create_fund_request("fund-fair", Some(fee("0.10")));
    f.create_fund(ok_fee).await.expect("a fee at the ceiling");
}
