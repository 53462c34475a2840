//! SubsidyService: each RPC of interest subsidies is its operation in
//! `ops::subsidy`.
use super::run::{service, Do, Op};
use crate::ops::subsidy::*;
use crate::pb::subsidy_service_server::SubsidyService;

service!(SubsidyApi: SubsidyService {
    create_subsidy_scheme = Op<create::CreateSubsidyScheme>;
    link_subsidy_loan = Op<link::LinkSubsidyLoan>;
    accrue_subsidy = Op<accrue::AccrueSubsidy>;
    claim_subsidy = Op<period::ClaimSubsidy>;
    approve_subsidy = Op<period::ApproveSubsidy>;
    pay_subsidy = Op<period::PaySubsidy>;
    get_subsidy_statement = Do<statement::GetSubsidyStatement>;
});
