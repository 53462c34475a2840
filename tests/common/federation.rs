//! Federation set-up the tests share: a township federation, its seed
//! capital, and the funds it admits. The request literals are written once,
//! here (see `fund.rs` for how a test varies them).

use huzhu::pb::{self, federation_service_client::FederationServiceClient};

use super::{ok, Channel, TestServer};

pub type Federations = FederationServiceClient<Channel>;

impl TestServer {
    pub async fn federation_client(&self) -> Federations {
        FederationServiceClient::new(self.channel().await)
    }
}

/// A federation named after its id, with the default rules ("create-{fed}").
pub fn federation_request(fed: &str) -> pb::CreateFederationRequest {
    pb::CreateFederationRequest {
        request_id: format!("create-{fed}"),
        federation_id: fed.into(),
        name: format!("Federation {fed}"),
        rules: None,
    }
}

pub async fn create_federation(feds: &mut Federations, fed: &str) -> pb::FederationResponse {
    ok(
        feds.create_federation(federation_request(fed)).await,
        format!("the federation {fed}"),
    )
}

/// The federation's own capital from `source` ("fed-capital-{fed}").
pub async fn add_federation_capital(
    feds: &mut Federations,
    fed: &str,
    source: &str,
    amount: &str,
    date: &str,
) {
    ok(
        feds.add_federation_capital(pb::AddFederationCapitalRequest {
            request_id: format!("fed-capital-{fed}"),
            federation_id: fed.into(),
            source: source.into(),
            amount: amount.into(),
            value_date: date.into(),
        })
        .await,
        format!("{amount} of capital for {fed}"),
    );
}

/// `fund` admitted to `fed` on `date` ("admit-{fed}-{fund}").
pub fn admit_request(fed: &str, fund: &str, date: &str) -> pb::FundMembershipRequest {
    pb::FundMembershipRequest {
        request_id: format!("admit-{fed}-{fund}"),
        federation_id: fed.into(),
        fund_id: fund.into(),
        date: date.into(),
    }
}

pub async fn admit_fund(
    feds: &mut Federations,
    fed: &str,
    fund: &str,
    date: &str,
) -> pb::FederationResponse {
    ok(
        feds.admit_fund(admit_request(fed, fund, date)).await,
        format!("{fund} admitted to {fed}"),
    )
}

/// A federation `fed` with member fund `fund` (fiscal 100,000 on
/// 2024-11-01) whose loan L1 (2,000.00 to M1, 五保, disbursed 2025-01-10)
/// was written off on 2025-06-01, and 3,000.00 the fund put in the relief
/// pool on 2025-02-01: relief of up to 2,000.00 may be asked for L1, and
/// the pool holds 3,000.00.
pub async fn written_off_member(s: &TestServer, fed: &str, fund: &str) {
    use super::fund::*;
    let (mut f, mut funds) = (s.federation_client().await, s.fund_client().await);
    let mut checker = s.checker_fund_client().await;
    create_federation(&mut f, fed).await;
    fund_with_capital(
        &mut funds,
        fund,
        None,
        &[Capital::fiscal("100000")],
        "2024-11-01",
    )
    .await;
    admit_fund(&mut f, fed, fund, "2024-11-02").await;
    let loan = LoanTerms::new(fund, "L1", "M1", "2000").on("2025-01-10");
    let household = join_request(fund, "M1", pb::PovertyStatus::Wubao, "2024-11-01");
    join(&mut funds, household).await;
    disbursed_loan(&mut funds, &mut checker, &loan).await;
    let contribution = pb::ContributeReliefRequest {
        request_id: format!("contribute-{fund}"),
        federation_id: fed.into(),
        contribution_id: format!("C-{fund}"),
        fund_id: fund.into(),
        basis: pb::ContributionBasis::Fixed as i32,
        amount: "3000".into(),
        share: String::new(),
        value_date: "2025-02-01".into(),
    };
    ok(f.contribute_relief(contribution).await, "the contribution");
    let asked = pb::RequestWriteOffRequest {
        request_id: format!("request-write-off-{fund}"),
        fund_id: fund.into(),
        loan_id: "L1".into(),
        board_decision: "board 2025-06 no. 3".into(),
    };
    ok(
        funds.request_write_off(asked).await,
        "the write-off asked for",
    );
    let written_off = pb::WriteOffLoanRequest {
        request_id: format!("write-off-{fund}"),
        fund_id: fund.into(),
        loan_id: "L1".into(),
        date: "2025-06-01".into(),
    };
    ok(checker.write_off_loan(written_off).await, "the write-off");
}
