//! Who may call what, RPC by RPC: every method of every huzhu.v1 service is
//! called by every role, in its scope ("-a": the fund, federation and
//! program the calls touch) and out of it ("-b": their neighbours), and by an
//! unknown token. The expected callers of each RPC are written here, from
//! the issue's roles, independently of the server's policy.
//!
//! Each refused call must answer PERMISSION_DENIED (UNAUTHENTICATED for the
//! unknown token) and change nothing: the chain head stays, and the admin
//! then sends the very same request (same request id) and it succeeds, which
//! it could not if a refused caller had recorded it. Every other allowed
//! caller then makes the call on a request prepared for it, and it succeeds.
mod common;

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::federation::*;
use common::fund::*;
use common::program::*;
use common::*;
use huzhu::pb::{
    self, extract_service_client::ExtractServiceClient,
    federation_service_client::FederationServiceClient, fund_service_client::FundServiceClient,
    ledger_service_client::LedgerServiceClient, risk_fund_service_client::RiskFundServiceClient,
    subsidy_service_client::SubsidyServiceClient, token_service_client::TokenServiceClient,
    CapitalSource, PovertyStatus, RepaymentMethod, Till,
};
use prost::Message;
use tonic::{Code, Status};

const FUND_A: &str = "fund-a";
const FUND_B: &str = "fund-b";
const FED_A: &str = "fed-a";
const FED_B: &str = "fed-b";
const PROG_A: &str = "prog-a";
const PROG_B: &str = "prog-b";
const SCHEME_A: &str = "scheme-a";

/// Every caller but "unknown" holds a token issued by the admin.
const CALLERS: [(&str, pb::Role, &str); 13] = [
    ("clerk-a", pb::Role::FundClerk, "fund:fund-a"),
    ("treasurer-a", pb::Role::FundTreasurer, "fund:fund-a"),
    ("fedtr-a", pb::Role::FederationTreasurer, "federation:fed-a"),
    ("bank-a", pb::Role::Bank, "program:prog-a"),
    ("reg-all", pb::Role::Regulator, "all"),
    ("reg-fed-a", pb::Role::Regulator, "federation:fed-a"),
    ("reg-prog-a", pb::Role::Regulator, "program:prog-a"),
    ("clerk-b", pb::Role::FundClerk, "fund:fund-b"),
    ("treasurer-b", pb::Role::FundTreasurer, "fund:fund-b"),
    ("fedtr-b", pb::Role::FederationTreasurer, "federation:fed-b"),
    ("bank-b", pb::Role::Bank, "program:prog-b"),
    ("reg-fed-b", pb::Role::Regulator, "federation:fed-b"),
    ("reg-prog-b", pb::Role::Regulator, "program:prog-b"),
];

// Who may call, by what the call does.
const READ_FUND: &[&str] = &[
    "admin",
    "clerk-a",
    "treasurer-a",
    "fedtr-a",
    "reg-all",
    "reg-fed-a",
];
const READ_FEDERATION: &[&str] = &["admin", "fedtr-a", "reg-all", "reg-fed-a"];
const READ_PROGRAM: &[&str] = &["admin", "bank-a", "reg-all", "reg-prog-a"];
const READ_EVERY_BOOK: &[&str] = &["admin", "reg-all"];
const VERIFY: &[&str] = &["admin", "reg-all"];
const READ_STORE: &[&str] = &["admin", "reg-all"];
const FUND_DAILY: &[&str] = &["admin", "clerk-a", "treasurer-a"];
const FUND_TREASURER: &[&str] = &["admin", "treasurer-a"];
const FEDERATION: &[&str] = &["admin", "fedtr-a"];
const FUND_OR_FEDERATION: &[&str] = &["admin", "treasurer-a", "fedtr-a"];
const BANK: &[&str] = &["admin", "bank-a"];
const ADMIN: &[&str] = &["admin"];
const ANY: &[&str] = &[
    "admin",
    "clerk-a",
    "treasurer-a",
    "fedtr-a",
    "bank-a",
    "reg-all",
    "reg-fed-a",
    "reg-prog-a",
    "clerk-b",
    "treasurer-b",
    "fedtr-b",
    "bank-b",
    "reg-fed-b",
    "reg-prog-b",
];

/// Every RPC and who may call it. Day-end and year-end come last: they
/// move the fund's accrual date past the dates the other calls use.
const MATRIX: &[(&str, &[&str])] = &[
    ("LedgerService/CreateBook", ADMIN),
    ("LedgerService/GetBook", READ_FUND),
    ("LedgerService/ListBooks", READ_STORE),
    ("LedgerService/OpenAccount", ADMIN),
    ("LedgerService/PostEntry", ADMIN),
    ("LedgerService/PostEntries", ADMIN),
    ("LedgerService/ReverseEntry", ADMIN),
    ("LedgerService/GetBalance", READ_FUND),
    ("LedgerService/ListEntries", READ_FUND),
    ("LedgerService/GetTrialBalance", READ_FUND),
    ("LedgerService/ClosePeriod", FUND_TREASURER),
    ("LedgerService/VerifyChain", VERIFY),
    ("FundService/CreateFund", ADMIN),
    ("FundService/GetFund", READ_FUND),
    ("FundService/AddCapital", FUND_TREASURER),
    ("FundService/RecordExpense", FUND_TREASURER),
    ("FundService/JoinMember", FUND_DAILY),
    ("FundService/SetPovertyStatus", FUND_DAILY),
    ("FundService/BuyShares", FUND_DAILY),
    ("FundService/AllocateShares", FUND_TREASURER),
    ("FundService/RefundShares", FUND_TREASURER),
    ("FundService/GetMember", READ_FUND),
    ("FundService/ApplyLoan", FUND_DAILY),
    ("FundService/ApproveLoan", FUND_TREASURER),
    ("FundService/DisburseLoan", FUND_TREASURER),
    ("FundService/GetLoan", READ_FUND),
    ("FundService/RepayLoan", FUND_DAILY),
    ("FundService/RequestWriteOff", FUND_DAILY),
    ("FundService/WriteOffLoan", FUND_TREASURER),
    ("FundService/RescheduleLoan", FUND_TREASURER),
    ("FundService/RecoverLoan", FUND_DAILY),
    ("FundService/LeaveFund", FUND_TREASURER),
    ("FundService/FormGuaranteeGroup", FUND_DAILY),
    ("FundService/ListLoans", READ_FUND),
    ("FundService/ListMembers", READ_FUND),
    ("FundService/GetCollectionSheet", READ_FUND),
    ("FederationService/CreateFederation", ADMIN),
    ("FederationService/GetFederation", READ_FEDERATION),
    ("FederationService/AddFederationCapital", FEDERATION),
    ("FederationService/AdmitFund", ADMIN),
    ("FederationService/RemoveFund", ADMIN),
    ("FederationService/ElectBoard", ADMIN),
    ("FederationService/PlaceWithFederation", FUND_TREASURER),
    ("FederationService/LendToFund", FEDERATION),
    ("FederationService/RepayPlacement", FEDERATION),
    ("FederationService/GetBalancingPosition", READ_FUND),
    ("FederationService/ContributeRelief", FUND_TREASURER),
    ("FederationService/RequestRelief", FUND_OR_FEDERATION),
    ("FederationService/ApproveRelief", FEDERATION),
    ("FederationService/GetReliefPool", READ_FEDERATION),
    ("FederationService/GetDashboard", READ_FEDERATION),
    ("RiskFundService/CreateProgram", ADMIN),
    ("RiskFundService/DepositRiskFund", ADMIN),
    ("RiskFundService/WithdrawRiskFund", ADMIN),
    ("RiskFundService/RegisterGuaranteedLoan", BANK),
    ("RiskFundService/ReportRepayment", BANK),
    ("RiskFundService/GetGuaranteedLoan", READ_PROGRAM),
    ("RiskFundService/GetLeverageReport", READ_PROGRAM),
    ("RiskFundService/ListGuaranteedLoans", READ_PROGRAM),
    ("SubsidyService/CreateSubsidyScheme", ADMIN),
    ("SubsidyService/LinkSubsidyLoan", ADMIN),
    ("SubsidyService/AccrueSubsidy", BANK),
    ("SubsidyService/ClaimSubsidy", BANK),
    ("SubsidyService/ApproveSubsidy", ADMIN),
    ("SubsidyService/PaySubsidy", ADMIN),
    ("SubsidyService/GetSubsidyStatement", READ_PROGRAM),
    ("RiskFundService/ClaimCompensation", BANK),
    ("RiskFundService/ReportRecovery", BANK),
    ("ExtractService/GetChainHead", ANY),
    ("ExtractService/StreamBalances", READ_FUND),
    ("ExtractService/StreamJournal", READ_FUND),
    ("ExtractService/StreamLoans", READ_FUND),
    ("ExtractService/StreamSubsidyClaims", READ_PROGRAM),
    ("ExtractService/GetQuarterlyReport", READ_FUND),
    ("TokenService/IssueToken", ADMIN),
    ("TokenService/ListTokens", ADMIN),
    ("TokenService/RevokeToken", ADMIN),
    ("TokenService/WhoAmI", ANY),
    ("FundService/RunDayEnd", FUND_DAILY),
    ("FundService/PreviewYearEnd", READ_FUND),
    ("FundService/RunYearEnd", FUND_TREASURER),
];

/// Extra rows: the same RPC on another resource.
const EVERY_BOOK_JOURNAL: &str = "ExtractService/StreamJournal (every book)";

type Answer = Pin<Box<dyn Future<Output = Result<(), Status>> + Send>>;
/// One prepared request, callable with any caller's channel.
type Call = Arc<dyn Fn(Channel) -> Answer + Send + Sync>;

macro_rules! unary {
    ($client:ident, $method:ident, $req:expr) => {{
        let req = $req;
        let call: Call = Arc::new(move |ch: Channel| {
            let req = req.clone();
            Box::pin(async move { $client::new(ch).$method(req).await.map(drop) })
        });
        call
    }};
}

macro_rules! stream {
    ($method:ident, $req:expr) => {{
        let req = $req;
        let call: Call = Arc::new(move |ch: Channel| {
            let req = req.clone();
            Box::pin(async move {
                let mut pages = ExtractServiceClient::new(ch)
                    .$method(req)
                    .await?
                    .into_inner();
                while pages.message().await?.is_some() {}
                Ok(())
            })
        });
        call
    }};
}

#[path = "access_matrix/extract.rs"]
mod extract;
#[path = "access_matrix/federation.rs"]
mod federation;
#[path = "access_matrix/fund.rs"]
mod fund;
#[path = "access_matrix/ledger.rs"]
mod ledger;
#[path = "access_matrix/program.rs"]
mod program;

/// Which stage a prepared fund loan is at.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Applied,
    Approved,
    Disbursed,
    WriteOffAsked,
    WrittenOff,
}

struct World {
    s: TestServer,
    channels: HashMap<&'static str, Channel>,
    n: AtomicU64,
}

impl World {
    fn ch(&self, who: &str) -> Channel {
        self.channels[who].clone()
    }

    fn funds(&self, who: &str) -> FundServiceClient<Channel> {
        FundServiceClient::new(self.ch(who))
    }

    fn feds(&self, who: &str) -> FederationServiceClient<Channel> {
        FederationServiceClient::new(self.ch(who))
    }

    fn programs(&self, who: &str) -> RiskFundServiceClient<Channel> {
        RiskFundServiceClient::new(self.ch(who))
    }

    fn subsidies(&self, who: &str) -> SubsidyServiceClient<Channel> {
        SubsidyServiceClient::new(self.ch(who))
    }

    /// A new identifier, unique in this run.
    fn id(&self, prefix: &str) -> String {
        format!("{prefix}-{}", self.n.fetch_add(1, Ordering::Relaxed))
    }

    async fn head(&self) -> (u64, String) {
        let h = ok(
            ExtractServiceClient::new(self.ch("admin"))
                .get_chain_head(pb::GetChainHeadRequest {})
                .await,
            "the chain head",
        );
        (h.seq, h.hash)
    }

    async fn new_fund(&self, id: &str) {
        let capital = [
            Capital::fiscal("1000000.00"),
            Capital::donation("100000.00"),
        ];
        fund_with_capital(&mut self.funds("admin"), id, None, &capital, "2025-01-02").await;
    }

    async fn admit(&self, fed: &str, fund: &str) {
        admit_fund(&mut self.feds("admin"), fed, fund, "2025-01-03").await;
    }

    /// A registered poor household of fund-a with 200.00 of its own shares.
    async fn member(&self) -> String {
        let id = self.id("m");
        let (mut admin, poor) = (self.funds("admin"), PovertyStatus::RegisteredPoor);
        member_with_shares(&mut admin, FUND_A, &id, poor, "200", "2025-01-05").await;
        id
    }

    /// A loan of 1,000.00 over 6 months in fund-a at `stage`: applied for
    /// by the clerk, approved and paid out by the admin; a write-off asked
    /// by the clerk and approved by the admin.
    async fn loan(&self, stage: Stage) -> String {
        let member = self.member().await;
        let id = self.id("loan");
        let (mut clerk, mut admin) = (self.funds("clerk-a"), self.funds("admin"));
        let terms = loan_terms(&id, &member);
        apply_loan(&mut clerk, &terms).await;
        if stage >= Stage::Approved {
            approve_loan(&mut admin, &terms).await;
        }
        if stage >= Stage::Disbursed {
            disburse_loan(&mut admin, &terms).await;
        }
        if stage >= Stage::WriteOffAsked {
            ok(
                clerk
                    .request_write_off(pb::RequestWriteOffRequest {
                        request_id: self.id("ask-write-off"),
                        fund_id: FUND_A.into(),
                        loan_id: id.clone(),
                        board_decision: "board 2025-3".into(),
                    })
                    .await,
                "a write-off request",
            );
        }
        if stage >= Stage::WrittenOff {
            ok(
                admin
                    .write_off_loan(pb::WriteOffLoanRequest {
                        request_id: self.id("write-off"),
                        fund_id: FUND_A.into(),
                        loan_id: id.clone(),
                        date: "2025-04-01".into(),
                    })
                    .await,
                "a write-off",
            );
        }
        id
    }

    /// A guaranteed loan of prog-a registered by the admin: 12 months, or
    /// one month when it is to fall due and be claimed.
    async fn guaranteed(&self, months: u32) -> String {
        let id = self.id("g");
        let request = guaranteed_request(PROG_A, &id, "1000", months);
        register(&mut self.programs("admin"), request).await;
        id
    }

    /// A loan due 2025-02-10 and unpaid, claimed on 2025-06-01.
    async fn claimed(&self) -> String {
        let id = self.guaranteed(1).await;
        ok(
            self.programs("admin")
                .claim_compensation(claim_request(self.id("claim"), &id))
                .await,
            "a claim",
        );
        id
    }

    /// A monthly fixed-rate scheme of prog-a with one 12-month guaranteed loan linked.
    async fn scheme(&self) -> String {
        let id = self.id("scheme");
        let mut s = self.subsidies("admin");
        ok(
            s.create_subsidy_scheme(scheme_request(self.id("create-scheme"), &id))
                .await,
            "a scheme",
        );
        let loan = self.guaranteed(12).await;
        ok(
            s.link_subsidy_loan(link_request(self.id("link"), &id, &loan))
                .await,
            "a linked loan",
        );
        id
    }

    /// A scheme whose 2025-02 period is accrued, then claimed by the bank,
    /// then approved by the admin, as far as `steps` says (1 to 3).
    async fn period(&self, steps: u32) -> String {
        let scheme = self.scheme().await;
        let mut admin = self.subsidies("admin");
        ok(
            admin
                .accrue_subsidy(period_request(self.id("accrue"), &scheme))
                .await,
            "an accrual",
        );
        if steps >= 2 {
            ok(
                self.subsidies("bank-a")
                    .claim_subsidy(period_request(self.id("claim-sub"), &scheme))
                    .await,
                "a subsidy claim",
            );
        }
        if steps >= 3 {
            ok(
                admin
                    .approve_subsidy(period_request(self.id("approve-sub"), &scheme))
                    .await,
                "a subsidy approval",
            );
        }
        scheme
    }

    /// A relief grant asked for fund-a by its treasurer on a written-off loan.
    async fn grant(&self) -> String {
        let loan = self.loan(Stage::WrittenOff).await;
        let id = self.id("grant");
        ok(
            self.feds("treasurer-a")
                .request_relief(relief_request(self.id("ask-relief"), &id, &loan))
                .await,
            "a relief request",
        );
        id
    }

    /// A placement of 100.00 by fed-a with fund-a, made by the admin.
    async fn placement(&self) -> String {
        let id = self.id("pl");
        ok(
            self.feds("admin")
                .lend_to_fund(place_request(self.id("lend"), &id))
                .await,
            "a placement",
        );
        id
    }

    /// A token to revoke.
    async fn spare_token(&self) -> String {
        let issued = ok(
            TokenServiceClient::new(self.ch("admin"))
                .issue_token(pb::IssueTokenRequest {
                    request_id: self.id("spare-token"),
                    role: pb::Role::FundClerk as i32,
                    scope: format!("fund:{FUND_A}"),
                    label: "to revoke".into(),
                })
                .await,
            "a token",
        );
        issued.token.unwrap().token_id
    }
}

fn claim_request(request_id: String, loan: &str) -> pb::ClaimCompensationRequest {
    pb::ClaimCompensationRequest {
        request_id,
        program_id: PROG_A.into(),
        loan_id: loan.into(),
        date: "2025-06-01".into(),
    }
}

fn scheme_request(request_id: String, scheme: &str) -> pb::CreateSubsidySchemeRequest {
    pb::CreateSubsidySchemeRequest {
        request_id,
        program_id: PROG_A.into(),
        scheme_id: scheme.into(),
        kind: pb::SubsidyKind::Fixed as i32,
        rate_annual: "0.03".into(),
        settlement: pb::Settlement::Monthly as i32,
        payee: pb::Payee::Bank as i32,
        ..Default::default()
    }
}

fn link_request(request_id: String, scheme: &str, loan: &str) -> pb::LinkSubsidyLoanRequest {
    pb::LinkSubsidyLoanRequest {
        request_id,
        program_id: PROG_A.into(),
        scheme_id: scheme.into(),
        loan_id: loan.into(),
        fund_id: String::new(),
    }
}

fn period_request(request_id: String, scheme: &str) -> pb::SubsidyPeriodRequest {
    pb::SubsidyPeriodRequest {
        request_id,
        program_id: PROG_A.into(),
        scheme_id: scheme.into(),
        period: "2025-02".into(),
        date: "2025-03-05".into(),
    }
}

fn relief_request(request_id: String, grant: &str, loan: &str) -> pb::RequestReliefRequest {
    pb::RequestReliefRequest {
        request_id,
        federation_id: FED_A.into(),
        grant_id: grant.into(),
        fund_id: FUND_A.into(),
        loan_id: loan.into(),
        amount: "100".into(),
        reason: "flood".into(),
        date: "2025-04-02".into(),
    }
}

fn place_request(request_id: String, placement: &str) -> pb::PlaceRequest {
    pb::PlaceRequest {
        request_id,
        federation_id: FED_A.into(),
        placement_id: placement.into(),
        fund_id: FUND_A.into(),
        amount: "100".into(),
        value_date: "2025-02-01".into(),
    }
}

fn officer(name: &str) -> pb::Officer {
    pb::Officer {
        name: name.into(),
        fund_id: FUND_A.into(),
        township_official: false,
    }
}

/// The prepared request of `rpc` for `who` (its own fresh resources where
/// the call consumes them).
async fn prepare(w: &World, rpc: &str, who: &str) -> Call {
    let rid = w.id("matrix");
    match rpc.split('/').next().unwrap_or_default() {
        "LedgerService" => ledger::ledger(w, rpc, who, rid).await,
        "FundService" => fund::fund(w, rpc, who, rid).await,
        "FederationService" => federation::federation(w, rpc, who, rid).await,
        "RiskFundService" => program::riskfund(w, rpc, who, rid).await,
        "SubsidyService" => program::subsidy(w, rpc, who, rid).await,
        "ExtractService" => extract::extract(rpc),
        "TokenService" => extract::token(w, rpc, who, rid).await,
        other => panic!("no requests prepared for {other}"),
    }
}

fn chain_head_call() -> Call {
    unary!(
        ExtractServiceClient,
        get_chain_head,
        pb::GetChainHeadRequest {}
    )
}

fn move_request(request_id: String, amount: &str) -> pb::RiskFundMoveRequest {
    pb::RiskFundMoveRequest {
        value_date: "2025-01-09".into(),
        ..risk_fund_move(&request_id, PROG_A, amount)
    }
}

/// A loan of 1,000.00 over 6 months, equal principal, in fund-a: applied
/// for on 2025-02-01, approved the day after, paid out the day after that.
fn loan_terms<'a>(loan: &'a str, member: &'a str) -> LoanTerms<'a> {
    LoanTerms {
        term_months: 6,
        method: RepaymentMethod::EqualPrincipal,
        applied: "2025-02-01",
        approved: "2025-02-02",
        disbursed: "2025-02-03",
        ..LoanTerms::new(FUND_A, loan, member, "1000")
    }
}

/// A registered poor household's bank loan of `program` from 2025-01-10
/// over `months` (one month: due 2025-02-10, to be claimed).
fn guaranteed_request(
    program: &str,
    loan: &str,
    principal: &str,
    months: u32,
) -> pb::RegisterGuaranteedLoanRequest {
    pb::RegisterGuaranteedLoanRequest {
        term_months: months,
        ..register_request(program, loan, principal, "2025-01-10")
    }
}

/// Two of everything, the standing records the reads look at, and a token
/// for every caller.
async fn world() -> World {
    let s = TestServer::start();
    let mut channels = HashMap::new();
    channels.insert("admin", s.channel().await);
    let mut w = World {
        s,
        channels,
        n: AtomicU64::new(1),
    };
    w.new_fund(FUND_A).await;
    w.new_fund(FUND_B).await;
    let mut feds = w.feds("admin");
    for fed in [FED_A, FED_B] {
        create_federation(&mut feds, fed).await;
        add_federation_capital(&mut feds, fed, "county", "100000", "2025-01-03").await;
    }
    w.admit(FED_A, FUND_A).await;
    w.admit(FED_B, FUND_B).await;
    ok(
        feds.contribute_relief(pb::ContributeReliefRequest {
            request_id: w.id("pool"),
            federation_id: FED_A.into(),
            contribution_id: "pool-seed".into(),
            fund_id: FUND_A.into(),
            basis: pb::ContributionBasis::Fixed as i32,
            amount: "20000".into(),
            share: String::new(),
            value_date: "2025-01-04".into(),
        })
        .await,
        "the relief pool",
    );
    let mut programs = w.programs("admin");
    for program in [PROG_A, PROG_B] {
        create_program(&mut programs, program_request(program, 10)).await;
    }
    deposit(&mut programs, PROG_A, "200000").await;
    // Healthy exposure, so that the few claims below never suspend lending.
    for i in 0..10 {
        let healthy = guaranteed_request(PROG_A, &format!("healthy-{i}"), "50000", 36);
        register(&mut programs, healthy).await;
    }
    let standing = guaranteed_request(PROG_A, "g-standing", "1000", 12);
    register(&mut programs, standing).await;
    let mut subsidies = w.subsidies("admin");
    ok(
        subsidies
            .create_subsidy_scheme(scheme_request(w.id("scheme"), SCHEME_A))
            .await,
        "the standing scheme",
    );
    ok(
        subsidies
            .link_subsidy_loan(link_request(w.id("link"), SCHEME_A, "g-standing"))
            .await,
        "the standing link",
    );
    ok(
        subsidies
            .accrue_subsidy(period_request(w.id("accrue"), SCHEME_A))
            .await,
        "the standing accrual",
    );
    for (name, role, scope) in CALLERS {
        let token = w.s.issue(role, scope).await;
        let channel = w.s.channel_as(&token).await;
        w.channels.insert(name, channel);
    }
    let unknown = format!("tk-000000000000.{}", "0".repeat(64));
    let channel = w.s.channel_as(&unknown).await;
    w.channels.insert("unknown", channel);
    // The standing member and loan the reads look at.
    let poor = PovertyStatus::RegisteredPoor;
    let standing = join_request(FUND_A, "m-standing", poor, "2025-01-05");
    join(&mut w.funds("admin"), standing).await;
    let member = w.member().await;
    let standing = loan_terms("loan-standing", &member);
    apply_loan(&mut w.funds("clerk-a"), &standing).await;
    w
}

/// Every RPC of the huzhu.v1 services, from the server's own descriptors.
fn every_rpc() -> BTreeSet<String> {
    let set = prost_types::FileDescriptorSet::decode(pb::FILE_DESCRIPTOR_SET)
        .expect("the descriptor set decodes");
    set.file
        .iter()
        .filter(|f| f.package() == "huzhu.v1")
        .flat_map(|f| f.service.iter())
        .flat_map(|s| {
            s.method
                .iter()
                .map(move |m| format!("{}/{}", s.name(), m.name()))
        })
        .collect()
}

#[test]
fn the_matrix_names_every_rpc_once() {
    let listed: Vec<&str> = MATRIX.iter().map(|(rpc, _)| *rpc).collect();
    let unique: BTreeSet<String> = listed.iter().map(|s| s.to_string()).collect();
    assert_eq!(unique.len(), listed.len(), "an RPC is listed twice");
    assert_eq!(unique, every_rpc());
}

#[tokio::test]
async fn every_rpc_by_every_role_in_and_out_of_scope() {
    let w = world().await;
    let rows: Vec<(&str, &[&str])> = MATRIX
        .iter()
        .copied()
        .chain([(EVERY_BOOK_JOURNAL, READ_EVERY_BOOK)])
        .collect();
    let mut wrong = Vec::new();
    let (mut allowed_calls, mut refused_calls) = (0, 0);
    for (rpc, allowed) in rows {
        let first = prepare(&w, rpc, "admin").await;
        let head = w.head().await;
        for who in ANY.iter().chain(["unknown"].iter()) {
            if allowed.contains(who) {
                continue;
            }
            refused_calls += 1;
            let expected = if *who == "unknown" {
                Code::Unauthenticated
            } else {
                Code::PermissionDenied
            };
            match first(w.ch(who)).await {
                Ok(()) => wrong.push(format!("{rpc} by {who}: allowed, should be {expected:?}")),
                Err(e) if e.code() != expected => wrong.push(format!(
                    "{rpc} by {who}: {:?} {}, should be {expected:?}",
                    e.code(),
                    e.message()
                )),
                Err(_) => {}
            }
            if w.head().await != head {
                wrong.push(format!("{rpc} by {who}: refused, but the chain moved"));
            }
        }
        // The same request, request id and all, is still new to the server.
        for who in allowed {
            allowed_calls += 1;
            let call = if *who == "admin" {
                first.clone()
            } else {
                prepare(&w, rpc, who).await
            };
            if let Err(e) = call(w.ch(who)).await {
                wrong.push(format!(
                    "{rpc} by {who}: refused with {:?} {}, should succeed",
                    e.code(),
                    e.message()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} calls answered wrongly:\n{}",
        wrong.len(),
        allowed_calls + refused_calls,
        wrong.join("\n")
    );
    assert!(allowed_calls > 200 && refused_calls > 700);
}

/// A request that names two resources is authorized on the one it acts on:
/// listing an account of fund-b under fund-a's book id, and a federation's
/// position of a fund that is not its member.
#[tokio::test]
async fn a_second_id_in_the_request_opens_nothing() {
    let w = world().await;
    let mixed = pb::ListEntriesRequest {
        book_id: FUND_A.into(),
        account: Some(account(FUND_B, "1002", "")),
        page_size: 10,
        ..Default::default()
    };
    let e = LedgerServiceClient::new(w.ch("clerk-a"))
        .list_entries(mixed.clone())
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::PermissionDenied, "{}", e.message());
    let e = LedgerServiceClient::new(w.ch("admin"))
        .list_entries(mixed)
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), bad_field(&e).as_deref()),
        (Code::InvalidArgument, Some("book_id")),
        "{}",
        e.message()
    );
    for who in ["fedtr-b", "reg-fed-b"] {
        let e = FederationServiceClient::new(w.ch(who))
            .get_balancing_position(pb::GetBalancingPositionRequest {
                federation_id: FED_B.into(),
                fund_id: FUND_A.into(),
            })
            .await
            .unwrap_err();
        assert_eq!(
            (e.code(), broken_rule(&e).as_deref()),
            (Code::FailedPrecondition, Some("member_fund_of_federation")),
            "{who} read fund-a's position through fed-b: {e:?}"
        );
        assert!(e.message().contains(FUND_A), "{}", e.message());
        assert!(!e.message().contains("capital"), "{}", e.message());
    }
}
