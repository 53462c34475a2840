//! Prepared requests of the access matrix: FederationService.
use super::*;

pub async fn federation(w: &World, rpc: &str, _who: &str, rid: String) -> Call {
    match rpc {
        "FederationService/CreateFederation" => unary!(
            FederationServiceClient,
            create_federation,
            pb::CreateFederationRequest {
                request_id: rid,
                federation_id: w.id("fed-new"),
                name: "A new federation".into(),
                rules: None,
            }
        ),
        "FederationService/GetFederation" => unary!(
            FederationServiceClient,
            get_federation,
            pb::GetFederationRequest {
                federation_id: FED_A.into(),
            }
        ),
        "FederationService/AddFederationCapital" => unary!(
            FederationServiceClient,
            add_federation_capital,
            pb::AddFederationCapitalRequest {
                request_id: rid,
                federation_id: FED_A.into(),
                source: "county".into(),
                amount: "100".into(),
                value_date: "2025-02-01".into(),
            }
        ),
        "FederationService/AdmitFund" => {
            let fund = w.id("fund-joins");
            w.new_fund(&fund).await;
            unary!(
                FederationServiceClient,
                admit_fund,
                pb::FundMembershipRequest {
                    request_id: rid,
                    federation_id: FED_A.into(),
                    fund_id: fund,
                    date: "2025-02-01".into(),
                }
            )
        }
        "FederationService/RemoveFund" => {
            let fund = w.id("fund-leaves");
            w.new_fund(&fund).await;
            w.admit(FED_A, &fund).await;
            unary!(
                FederationServiceClient,
                remove_fund,
                pb::FundMembershipRequest {
                    request_id: rid,
                    federation_id: FED_A.into(),
                    fund_id: fund,
                    date: "2025-02-01".into(),
                }
            )
        }
        "FederationService/ElectBoard" => unary!(
            FederationServiceClient,
            elect_board,
            pb::ElectBoardRequest {
                request_id: rid,
                federation_id: FED_A.into(),
                chair: Some(officer("Li Ming")),
                directors: vec![officer("Wang Fang")],
                supervisors: vec![officer("Zhao Lei")],
                date: "2025-02-01".into(),
            }
        ),
        "FederationService/PlaceWithFederation" => unary!(
            FederationServiceClient,
            place_with_federation,
            place_request(rid, &w.id("pl"))
        ),
        "FederationService/LendToFund" => unary!(
            FederationServiceClient,
            lend_to_fund,
            place_request(rid, &w.id("pl"))
        ),
        "FederationService/RepayPlacement" => unary!(
            FederationServiceClient,
            repay_placement,
            pb::RepayPlacementRequest {
                request_id: rid,
                federation_id: FED_A.into(),
                placement_id: w.placement().await,
                principal: "100".into(),
                value_date: "2025-03-01".into(),
            }
        ),
        "FederationService/GetBalancingPosition" => unary!(
            FederationServiceClient,
            get_balancing_position,
            pb::GetBalancingPositionRequest {
                federation_id: FED_A.into(),
                fund_id: FUND_A.into(),
            }
        ),
        "FederationService/ContributeRelief" => unary!(
            FederationServiceClient,
            contribute_relief,
            pb::ContributeReliefRequest {
                request_id: rid,
                federation_id: FED_A.into(),
                contribution_id: w.id("contribution"),
                fund_id: FUND_A.into(),
                basis: pb::ContributionBasis::Fixed as i32,
                amount: "100".into(),
                share: String::new(),
                value_date: "2025-02-01".into(),
            }
        ),
        "FederationService/RequestRelief" => unary!(
            FederationServiceClient,
            request_relief,
            relief_request(rid, &w.id("grant"), &w.loan(Stage::WrittenOff).await)
        ),
        "FederationService/ApproveRelief" => unary!(
            FederationServiceClient,
            approve_relief,
            pb::ApproveReliefRequest {
                request_id: rid,
                federation_id: FED_A.into(),
                grant_id: w.grant().await,
                value_date: "2025-04-03".into(),
            }
        ),
        "FederationService/GetReliefPool" => unary!(
            FederationServiceClient,
            get_relief_pool,
            pb::GetReliefPoolRequest {
                federation_id: FED_A.into(),
            }
        ),
        "FederationService/GetDashboard" => unary!(
            FederationServiceClient,
            get_dashboard,
            pb::GetDashboardRequest {
                federation_id: FED_A.into(),
                as_of: "2025-03-31".into(),
                period_from: String::new(),
            }
        ),
        other => panic!("no request prepared for {other}"),
    }
}
