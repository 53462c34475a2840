//! Prepared requests of the access matrix: FundService.
use super::*;

pub async fn fund(w: &World, rpc: &str, who: &str, rid: String) -> Call {
    match rpc {
        "FundService/CreateFund" => unary!(
            FundServiceClient,
            create_fund,
            pb::CreateFundRequest {
                request_id: rid,
                fund_id: w.id("fund-new"),
                name: "A new fund".into(),
                rules: None,
            }
        ),
        "FundService/GetFund" => unary!(
            FundServiceClient,
            get_fund,
            pb::GetFundRequest {
                fund_id: FUND_A.into(),
            }
        ),
        "FundService/AddCapital" => unary!(
            FundServiceClient,
            add_capital,
            pb::AddCapitalRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                source: CapitalSource::Donation as i32,
                amount: "100".into(),
                till: Till::Cash as i32,
                value_date: "2025-02-01".into(),
            }
        ),
        "FundService/RecordExpense" => unary!(
            FundServiceClient,
            record_expense,
            pb::RecordExpenseRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                category: "office".into(),
                amount: "1.00".into(),
                till: Till::Cash as i32,
                value_date: "2025-02-01".into(),
                memo: "ink".into(),
            }
        ),
        "FundService/JoinMember" => {
            let id = w.id("m");
            unary!(
                FundServiceClient,
                join_member,
                pb::JoinMemberRequest {
                    request_id: rid,
                    fund_id: FUND_A.into(),
                    member_id: id.clone(),
                    household_id: format!("h{id}"),
                    name: "New household".into(),
                    birth_date: "1985-03-03".into(),
                    resident: true,
                    status: PovertyStatus::LowIncome as i32,
                    risk_cause: String::new(),
                    date: "2025-02-01".into(),
                    ..Default::default()
                }
            )
        }
        "FundService/SetPovertyStatus" => unary!(
            FundServiceClient,
            set_poverty_status,
            pb::SetPovertyStatusRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                member_id: w.member().await,
                status: PovertyStatus::None as i32,
                risk_cause: String::new(),
                date: "2025-02-01".into(),
                ..Default::default()
            }
        ),
        "FundService/BuyShares" => unary!(
            FundServiceClient,
            buy_shares,
            pb::BuySharesRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                member_id: w.member().await,
                amount: "100".into(),
                till: Till::Cash as i32,
                value_date: "2025-02-01".into(),
            }
        ),
        "FundService/AllocateShares" => unary!(
            FundServiceClient,
            allocate_shares,
            pb::AllocateSharesRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                member_id: w.member().await,
                amount: "100".into(),
                source: CapitalSource::Fiscal as i32,
                value_date: "2025-02-01".into(),
            }
        ),
        "FundService/RefundShares" => unary!(
            FundServiceClient,
            refund_shares,
            pb::RefundSharesRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                member_id: w.member().await,
                amount: "100".into(),
                class: pb::ShareClass::Own as i32,
                till: Till::Cash as i32,
                value_date: "2025-02-01".into(),
            }
        ),
        "FundService/GetMember" => unary!(
            FundServiceClient,
            get_member,
            pb::GetMemberRequest {
                fund_id: FUND_A.into(),
                member_id: "m-standing".into(),
            }
        ),
        "FundService/ApplyLoan" => unary!(
            FundServiceClient,
            apply_loan,
            pb::ApplyLoanRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                loan_id: w.id("loan"),
                member_id: w.member().await,
                principal: "1000".into(),
                term_months: 6,
                method: RepaymentMethod::EqualPrincipal as i32,
                purpose: "seed".into(),
                purpose_category: pb::PurposeCategory::Crops as i32,
                business: String::new(),
                date: "2025-02-01".into(),
            }
        ),
        "FundService/ApproveLoan" => unary!(
            FundServiceClient,
            approve_loan,
            pb::ApproveLoanRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                loan_id: w.loan(Stage::Applied).await,
                board_approved: false,
                date: "2025-02-02".into(),
            }
        ),
        "FundService/DisburseLoan" => unary!(
            FundServiceClient,
            disburse_loan,
            pb::DisburseLoanRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                loan_id: w.loan(Stage::Approved).await,
                till: Till::Bank as i32,
                date: "2025-02-03".into(),
            }
        ),
        "FundService/GetLoan" => unary!(
            FundServiceClient,
            get_loan,
            pb::GetLoanRequest {
                fund_id: FUND_A.into(),
                loan_id: "loan-standing".into(),
            }
        ),
        "FundService/RepayLoan" => unary!(
            FundServiceClient,
            repay_loan,
            pb::RepayLoanRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                loan_id: w.loan(Stage::Disbursed).await,
                amount: "100".into(),
                till: Till::Cash as i32,
                date: "2025-03-01".into(),
            }
        ),
        "FundService/RequestWriteOff" => unary!(
            FundServiceClient,
            request_write_off,
            pb::RequestWriteOffRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                loan_id: w.loan(Stage::Disbursed).await,
                board_decision: "board 2025-4".into(),
            }
        ),
        "FundService/WriteOffLoan" => unary!(
            FundServiceClient,
            write_off_loan,
            pb::WriteOffLoanRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                loan_id: w.loan(Stage::WriteOffAsked).await,
                date: "2025-04-01".into(),
            }
        ),
        "FundService/RescheduleLoan" => unary!(
            FundServiceClient,
            reschedule_loan,
            pb::RescheduleLoanRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                loan_id: w.loan(Stage::Disbursed).await,
                new_loan_id: w.id("loan-r"),
                term_months: 6,
                reason: "drought".into(),
                date: "2025-03-01".into(),
            }
        ),
        "FundService/RecoverLoan" => unary!(
            FundServiceClient,
            recover_loan,
            pb::RecoverLoanRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                loan_id: w.loan(Stage::WrittenOff).await,
                amount: "10".into(),
                till: Till::Cash as i32,
                date: "2025-05-01".into(),
            }
        ),
        "FundService/LeaveFund" => unary!(
            FundServiceClient,
            leave_fund,
            pb::LeaveFundRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                member_id: w.member().await,
                notice_date: "2025-01-06".into(),
                date: "2025-03-10".into(),
                till: Till::Cash as i32,
            }
        ),
        "FundService/FormGuaranteeGroup" => unary!(
            FundServiceClient,
            form_guarantee_group,
            pb::FormGuaranteeGroupRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                group_id: w.id("group"),
                member_ids: vec![w.member().await, w.member().await, w.member().await],
                date: "2025-02-01".into(),
            }
        ),
        "FundService/ListLoans" => unary!(
            FundServiceClient,
            list_loans,
            pb::ListLoansRequest {
                fund_id: FUND_A.into(),
                as_of: String::new(),
            }
        ),
        "FundService/ListMembers" => unary!(
            FundServiceClient,
            list_members,
            pb::ListMembersRequest {
                fund_id: FUND_A.into(),
            }
        ),
        "FundService/GetCollectionSheet" => unary!(
            FundServiceClient,
            get_collection_sheet,
            pb::GetCollectionSheetRequest {
                fund_id: FUND_A.into(),
                date: String::new(),
            }
        ),
        "FundService/RunDayEnd" => unary!(
            FundServiceClient,
            run_day_end,
            pb::RunDayEndRequest {
                request_id: rid,
                fund_id: FUND_A.into(),
                date: match who {
                    "admin" => "2025-07-01",
                    "clerk-a" => "2025-07-02",
                    _ => "2025-07-03",
                }
                .into(),
            }
        ),
        "FundService/PreviewYearEnd" => {
            // The preview asks what RunYearEnd asks (the year-end below then
            // runs on the same day-end).
            day_end_through_2025(w).await;
            unary!(
                FundServiceClient,
                preview_year_end,
                pb::RunYearEndRequest {
                    request_id: rid,
                    fund_id: FUND_A.into(),
                    year: 2025,
                    basis: pb::DividendBasis::Shares as i32,
                }
            )
        }
        "FundService/RunYearEnd" => {
            // Admin closes 2025, the fund's treasurer then 2024, a year with
            // no income.
            day_end_through_2025(w).await;
            unary!(
                FundServiceClient,
                run_year_end,
                pb::RunYearEndRequest {
                    request_id: rid,
                    fund_id: FUND_A.into(),
                    year: if who == "admin" { 2025 } else { 2024 },
                    basis: pb::DividendBasis::Shares as i32,
                }
            )
        }
        other => panic!("no request prepared for {other}"),
    }
}

/// The day-end through December 31, 2025, that a year-end needs (once: the
/// same request id replays).
async fn day_end_through_2025(w: &World) {
    let through_2025 = pb::RunDayEndRequest {
        request_id: "matrix-dayend-2025-12-31".into(),
        fund_id: FUND_A.into(),
        date: "2025-12-31".into(),
    };
    ok(
        w.funds("admin").run_day_end(through_2025).await,
        "the day-end through 2025",
    );
}
