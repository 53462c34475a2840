//! FundService: each RPC of a village fund is its operation in `ops::fund`.
use super::run::{service, Do, Op};
use crate::ops::fund::*;
use crate::pb::fund_service_server::FundService;

service!(FundApi: FundService {
    create_fund = Op<create::CreateFund>;
    get_fund = Do<reads::GetFund>;
    add_capital = Op<add_capital::AddCapital>;
    record_expense = Op<record_expense::RecordExpense>;
    join_member = Op<join::JoinMember>;
    set_poverty_status = Op<set_status::SetPovertyStatus>;
    buy_shares = Op<buy_shares::BuyShares>;
    allocate_shares = Op<allocate_shares::AllocateShares>;
    refund_shares = Op<refund_shares::RefundShares>;
    apply_loan = Op<apply_loan::ApplyLoan>;
    approve_loan = Op<approve_loan::ApproveLoan>;
    disburse_loan = Op<disburse_loan::DisburseLoan>;
    get_loan = Do<reads::GetLoan>;
    repay_loan = Op<repay_loan::RepayLoan>;
    run_day_end = Op<day_end::RunDayEnd>;
    list_loans = Do<reads::ListLoans>;
    request_write_off = Op<request_write_off::RequestWriteOff>;
    write_off_loan = Op<write_off::WriteOffLoan>;
    recover_loan = Op<recover_loan::RecoverLoan>;
    leave_fund = Op<leave::LeaveFund>;
    form_guarantee_group = Op<form_group::FormGuaranteeGroup>;
    run_year_end = Op<year_end::RunYearEnd>;
    preview_year_end = Do<year_end::PreviewYearEnd>;
    reschedule_loan = Op<reschedule::RescheduleLoan>;
    get_member = Do<reads::GetMember>;
    list_members = Do<reads::ListMembers>;
    get_collection_sheet = Do<collection::GetCollectionSheet>;
});
