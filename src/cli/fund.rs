//! `huzhu fund ...`: a village fund treasurer's day-to-day work over gRPC:
//! capital and expenses, members, shares, loans from application to repayment, day-end,
//! write-offs, the year-end, and the loan ledger. Tables for people,
//! `--output json` (proto3 JSON, every field present) for scripts.
//!
//! Each command is an Args struct that builds its request (members.rs: the
//! fund, its members and their shares, the year-end; loans.rs: loans and
//! day-end); tables.rs prints the answers.
mod loans;
mod members;
mod tables;

use clap::Subcommand;

use super::output::{call, get, show, Change, ClientArgs};
use super::CliResult;
use crate::pb::fund_service_client::FundServiceClient;
use loans::{
    day_end, ApplyArgs, ApproveArgs, CollectionSheetArgs, DayEndArgs, DisburseArgs, LoanArgs,
    LoansArgs, RecoverArgs, RepayArgs, RequestWriteOffArgs, RescheduleArgs, WriteOffArgs,
};
use members::{
    AllocateSharesArgs, BuySharesArgs, CapitalArgs, CreateArgs, ExpenseArgs, GroupArgs, JoinArgs,
    LeaveArgs, MemberArgs, RefundSharesArgs, SetStatusArgs, ShowArgs, YearEndArgs,
};
use tables::{
    print_collection_sheet, print_fund, print_group, print_loan, print_loans, print_member,
    print_operation, print_year_end,
};

#[derive(Subcommand)]
pub enum FundCommand {
    /// Create a fund: its book, chart of accounts and rules.
    Create(Change<CreateArgs>),
    /// A fund's rules, members, cash and bank.
    Show(ShowArgs),
    /// Seed capital from a government source, or a donation.
    Capital(Change<CapitalArgs>),
    /// A management expense paid from cash or bank, kept by category (5001/expense:CATEGORY).
    RecordExpense(Change<ExpenseArgs>),
    /// Admit a household (18+, resident, one member per household).
    Join(Change<JoinArgs>),
    /// Record a change of a household's poverty status (history is kept).
    Status(Change<SetStatusArgs>),
    /// A member buys own shares, in whole units of the share price.
    BuyShares(Change<BuySharesArgs>),
    /// Shares for a registered poor household, paid from seed capital (配股).
    AllocateShares(Change<AllocateSharesArgs>),
    /// Refund part of a member's own shares (allocated shares are never refunded).
    RefundShares(Change<RefundSharesArgs>),
    /// A member's position: shares, loans with days past due, next installment, group.
    Member(MemberArgs),
    /// A member leaves after notice and without debt; own shares are refunded.
    Leave(Change<LeaveArgs>),
    /// Form a joint-liability guarantee group (联保小组).
    Group(Change<GroupArgs>),
    /// A member applies for a loan.
    Apply(Change<ApplyArgs>),
    /// Approve a loan (not by the actor who took the application).
    Approve(Change<ApproveArgs>),
    /// Pay an approved loan out; its schedule is computed and stored.
    Disburse(Change<DisburseArgs>),
    /// A loan with its schedule and repayments.
    Loan(LoanArgs),
    /// A repayment: penalty, fee, principal in the fund's order; more than owed is refused.
    ///
    /// --date is the day the member paid: a repayment recorded after day-end
    /// ran past it is taken as of that day, and what day-end accrued since is
    /// corrected.
    Repay(Change<RepayArgs>),
    /// Day-end for one or many funds, for a date or every date of a range.
    ///
    /// Request ids are derived from the fund and date (dayend-FUND-DATE), so the
    /// same command run again after an interruption is answered from the record.
    DayEnd(DayEndArgs),
    /// Ask for a loan to be written off after the board's decision; another
    /// token approves it with `write-off`.
    RequestWriteOff(Change<RequestWriteOffArgs>),
    /// Approve a requested write-off (not by the token that asked) and post it.
    WriteOff(Change<WriteOffArgs>),
    /// Money recovered on a written-off loan.
    Recover(Change<RecoverArgs>),
    /// Reschedule (展期) a loan as a new loan that keeps the old one's history.
    Reschedule(Change<RescheduleArgs>),
    /// Year-end: close the year and share the surplus out (once per year).
    YearEnd(Change<YearEndArgs>),
    /// The loan ledger (台账): every loan, outstanding, days past due, bucket.
    Loans(LoansArgs),
    /// The collection sheet (收款单) of a day: every loan with an installment
    /// due then or overdue, by guarantee group, with what to collect.
    ///
    /// Each member's payment is then its own `huzhu fund repay`.
    CollectionSheet(CollectionSheetArgs),
}

pub async fn run(args: ClientArgs<FundCommand>) -> CliResult {
    let (mut c, output, command) = args.open(FundServiceClient::new).await?;
    use FundCommand as F;
    match command {
        F::Create(a) => show(output, &call!(c, create_fund, a), print_fund),
        F::Show(a) => show(output, &get!(c, get_fund, a.request()), print_fund),
        F::Capital(a) => show(output, &call!(c, add_capital, a), print_operation),
        F::RecordExpense(a) => show(output, &call!(c, record_expense, a), print_operation),
        F::Join(a) => show(output, &call!(c, join_member, a), print_member),
        F::Status(a) => show(output, &call!(c, set_poverty_status, a), print_member),
        F::BuyShares(a) => show(output, &call!(c, buy_shares, a), print_member),
        F::AllocateShares(a) => show(output, &call!(c, allocate_shares, a), print_member),
        F::RefundShares(a) => show(output, &call!(c, refund_shares, a), print_member),
        F::Member(a) => show(output, &get!(c, get_member, a.request()), print_member),
        F::Leave(a) => show(output, &call!(c, leave_fund, a), print_member),
        F::Group(a) => show(output, &call!(c, form_guarantee_group, a), print_group),
        F::Apply(a) => show(output, &call!(c, apply_loan, a), print_loan),
        F::Approve(a) => show(output, &call!(c, approve_loan, a), print_loan),
        F::Disburse(a) => show(output, &call!(c, disburse_loan, a), print_loan),
        F::Loan(a) => show(output, &get!(c, get_loan, a.request()), print_loan),
        F::Repay(a) => show(output, &call!(c, repay_loan, a), print_loan),
        F::DayEnd(a) => day_end(&mut c, output, a).await,
        F::RequestWriteOff(a) => show(output, &call!(c, request_write_off, a), print_loan),
        F::WriteOff(a) => show(output, &call!(c, write_off_loan, a), print_loan),
        F::Recover(a) => show(output, &call!(c, recover_loan, a), print_loan),
        F::Reschedule(a) => show(output, &call!(c, reschedule_loan, a), print_loan),
        F::YearEnd(a) => show(output, &call!(c, run_year_end, a), print_year_end),
        F::Loans(a) => show(output, &get!(c, list_loans, a.request()), print_loans),
        F::CollectionSheet(a) => show(
            output,
            &get!(c, get_collection_sheet, a.request()),
            print_collection_sheet,
        ),
    }
}
