//! Prepared requests of the access matrix: RiskFundService, SubsidyService.
use super::*;

pub async fn riskfund(w: &World, rpc: &str, _who: &str, rid: String) -> Call {
    match rpc {
        "RiskFundService/CreateProgram" => unary!(
            RiskFundServiceClient,
            create_program,
            pb::CreateProgramRequest {
                request_id: rid,
                ..program_request(&w.id("prog-new"), 10)
            }
        ),
        "RiskFundService/DepositRiskFund" => unary!(
            RiskFundServiceClient,
            deposit_risk_fund,
            move_request(rid, "1000")
        ),
        "RiskFundService/WithdrawRiskFund" => unary!(
            RiskFundServiceClient,
            withdraw_risk_fund,
            move_request(rid, "100")
        ),
        "RiskFundService/RegisterGuaranteedLoan" => {
            let mut r = guaranteed_request(PROG_A, &w.id("g"), "1000", 12);
            r.request_id = rid;
            unary!(RiskFundServiceClient, register_guaranteed_loan, r)
        }
        "RiskFundService/ReportRepayment" => unary!(
            RiskFundServiceClient,
            report_repayment,
            pb::ReportRepaymentRequest {
                request_id: rid,
                program_id: PROG_A.into(),
                loan_id: w.guaranteed(12).await,
                principal: "100".into(),
                interest: "3".into(),
                date: "2025-03-01".into(),
            }
        ),
        "RiskFundService/ClaimCompensation" => unary!(
            RiskFundServiceClient,
            claim_compensation,
            claim_request(rid, &w.guaranteed(1).await)
        ),
        "RiskFundService/ReportRecovery" => unary!(
            RiskFundServiceClient,
            report_recovery,
            pb::ReportRecoveryRequest {
                request_id: rid,
                program_id: PROG_A.into(),
                loan_id: w.claimed().await,
                amount: "10".into(),
                date: "2025-07-01".into(),
            }
        ),
        "RiskFundService/GetGuaranteedLoan" => unary!(
            RiskFundServiceClient,
            get_guaranteed_loan,
            pb::GetGuaranteedLoanRequest {
                program_id: PROG_A.into(),
                loan_id: "g-standing".into(),
                as_of: String::new(),
            }
        ),
        "RiskFundService/GetLeverageReport" => unary!(
            RiskFundServiceClient,
            get_leverage_report,
            pb::GetLeverageReportRequest {
                program_id: PROG_A.into(),
                as_of: String::new(),
            }
        ),
        "RiskFundService/ListGuaranteedLoans" => unary!(
            RiskFundServiceClient,
            list_guaranteed_loans,
            pb::ListGuaranteedLoansRequest {
                program_id: PROG_A.into(),
                as_of: String::new(),
            }
        ),
        other => panic!("no request prepared for {other}"),
    }
}

pub async fn subsidy(w: &World, rpc: &str, _who: &str, rid: String) -> Call {
    match rpc {
        "SubsidyService/CreateSubsidyScheme" => unary!(
            SubsidyServiceClient,
            create_subsidy_scheme,
            scheme_request(rid, &w.id("scheme"))
        ),
        "SubsidyService/LinkSubsidyLoan" => unary!(
            SubsidyServiceClient,
            link_subsidy_loan,
            link_request(rid, SCHEME_A, &w.guaranteed(12).await)
        ),
        "SubsidyService/AccrueSubsidy" => unary!(
            SubsidyServiceClient,
            accrue_subsidy,
            period_request(rid, &w.scheme().await)
        ),
        "SubsidyService/ClaimSubsidy" => unary!(
            SubsidyServiceClient,
            claim_subsidy,
            period_request(rid, &w.period(1).await)
        ),
        "SubsidyService/ApproveSubsidy" => unary!(
            SubsidyServiceClient,
            approve_subsidy,
            period_request(rid, &w.period(2).await)
        ),
        "SubsidyService/PaySubsidy" => unary!(
            SubsidyServiceClient,
            pay_subsidy,
            period_request(rid, &w.period(3).await)
        ),
        "SubsidyService/GetSubsidyStatement" => unary!(
            SubsidyServiceClient,
            get_subsidy_statement,
            pb::GetSubsidyStatementRequest {
                program_id: PROG_A.into(),
                scheme_id: SCHEME_A.into(),
                period: "2025-02".into(),
                loan_ref: String::new(),
            }
        ),
        other => panic!("no request prepared for {other}"),
    }
}
