//! FederationService: each RPC of a township federation is its operation
//! in `ops::federation`.
use super::run::{service, Do, Op};
use crate::ops::federation::*;
use crate::pb::federation_service_server::FederationService;

service!(FederationApi: FederationService {
    create_federation = Op<create::CreateFederation>;
    get_federation = Do<reads::GetFederation>;
    add_federation_capital = Op<add_capital::AddFederationCapital>;
    admit_fund = Op<membership::AdmitFund>;
    remove_fund = Op<membership::RemoveFund>;
    elect_board = Op<elect_board::ElectBoard>;
    place_with_federation = Op<place::PlaceWithFederation>;
    lend_to_fund = Op<place::LendToFund>;
    repay_placement = Op<repay_placement::RepayPlacement>;
    get_balancing_position = Do<reads::GetBalancingPosition>;
    contribute_relief = Op<contribute::ContributeRelief>;
    request_relief = Op<request_relief::RequestRelief>;
    approve_relief = Op<approve_relief::ApproveRelief>;
    get_relief_pool = Do<reads::GetReliefPool>;
    get_dashboard = Do<dashboard::GetDashboard>;
});
