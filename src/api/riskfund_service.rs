//! RiskFundService: each RPC of a program's risk fund is its operation in
//! `ops::riskfund`.
use super::run::{service, Do, Op};
use crate::ops::riskfund::*;
use crate::pb::risk_fund_service_server::RiskFundService;

service!(RiskFundApi: RiskFundService {
    create_program = Op<create::CreateProgram>;
    deposit_risk_fund = Op<fund_move::DepositRiskFund>;
    withdraw_risk_fund = Op<fund_move::WithdrawRiskFund>;
    register_guaranteed_loan = Op<register::RegisterGuaranteedLoan>;
    report_repayment = Op<repay::ReportRepayment>;
    claim_compensation = Op<claim::ClaimCompensation>;
    report_recovery = Op<recover::ReportRecovery>;
    get_guaranteed_loan = Do<reads::GetGuaranteedLoan>;
    get_leverage_report = Do<reads::GetLeverageReport>;
    list_guaranteed_loans = Do<reads::ListGuaranteedLoans>;
});
