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
