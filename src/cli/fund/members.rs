//! The fund and its members: creating a fund, its capital, households
//! joining, their status and shares, leaving, guarantee groups, and the
//! year-end. Each command's arguments build its request.
use clap::{Args, ValueEnum};

use crate::cli::output::{flags, till, DayCountArg, FlagArg, HouseholdArgs, TillArg};
use crate::pb;

#[derive(Clone, Copy, ValueEnum)]
pub enum SourceArg {
    /// Provincial or county fiscal support (seed capital).
    Fiscal,
    /// Special poverty-alleviation support (seed capital).
    Special,
    /// A donation.
    Donation,
}

fn source(s: SourceArg) -> i32 {
    (match s {
        SourceArg::Fiscal => pb::CapitalSource::Fiscal,
        SourceArg::Special => pb::CapitalSource::SpecialSupport,
        SourceArg::Donation => pb::CapitalSource::Donation,
    }) as i32
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ClassArg {
    Own,
    Allocated,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum BasisArg {
    /// In proportion to shares held at the year's end.
    Shares,
    /// In proportion to occupancy fees paid in the year.
    Fees,
}

/// A fund's rules at creation; anything not given takes DOMAIN.md's default.
#[derive(Args, Default)]
pub struct RuleArgs {
    /// Price of one share, yuan (default 100).
    #[arg(long)]
    share_price: Option<String>,
    /// Largest first loan, yuan (default 10,000).
    #[arg(long)]
    first_loan_max: Option<String>,
    /// Largest loan, yuan (default 20,000).
    #[arg(long)]
    loan_max: Option<String>,
    /// Longest term, months (default 12).
    #[arg(long)]
    term_max_months: Option<u32>,
    /// Occupancy fee, annual fraction (default 0.072).
    #[arg(long)]
    fee_rate: Option<String>,
    /// Charge the whole fee at disbursement instead of accruing it daily.
    #[arg(long)]
    fee_upfront: bool,
    /// Penalty on overdue principal, annual fraction (default 0.036).
    #[arg(long)]
    penalty_rate: Option<String>,
    /// Loans above this need the board's approval, yuan (default 5,000).
    #[arg(long)]
    board_approval_above: Option<String>,
    /// How the fund counts days for schedules, early payoff and penalty
    /// (default months-and-days).
    #[arg(long, value_enum)]
    day_count: Option<DayCountArg>,
    /// Lend to members with a loan past due or a write-off not recovered
    /// (refused by default).
    #[arg(long)]
    lend_to_members_in_arrears: bool,
    /// Surplus shares at the year-end (fractions; default 0.10/0.20/0.30/0.40).
    #[arg(long)]
    welfare_share: Option<String>,
    #[arg(long)]
    accumulation_share: Option<String>,
    #[arg(long)]
    risk_share: Option<String>,
    /// 0 where the province forbids dividends.
    #[arg(long)]
    dividend_share: Option<String>,
    /// Households that may receive allocated shares (配股); repeat for
    /// several (default: registered poor).
    #[arg(long, value_enum)]
    allocation_eligible: Vec<FlagArg>,
}

impl RuleArgs {
    fn rules(self) -> pb::FundRules {
        pb::FundRules {
            share_price: self.share_price.unwrap_or_default(),
            first_loan_max: self.first_loan_max.unwrap_or_default(),
            loan_max: self.loan_max.unwrap_or_default(),
            term_max_months: self.term_max_months.unwrap_or_default(),
            fee_rate_annual: self.fee_rate.unwrap_or_default(),
            fee_upfront: self.fee_upfront,
            penalty_rate_annual: self.penalty_rate.unwrap_or_default(),
            board_approval_above: self.board_approval_above.unwrap_or_default(),
            day_count: self.day_count.map_or(0, DayCountArg::wire),
            lend_to_members_in_arrears: self.lend_to_members_in_arrears,
            welfare_share: self.welfare_share.unwrap_or_default(),
            accumulation_share: self.accumulation_share.unwrap_or_default(),
            risk_share: self.risk_share.unwrap_or_default(),
            dividend_share: self.dividend_share.unwrap_or_default(),
            allocation_eligible: flags(&self.allocation_eligible),
            ..pb::FundRules::default()
        }
    }
}

#[derive(Args)]
pub struct CreateArgs {
    fund_id: String,
    #[arg(long)]
    name: String,
    #[command(flatten)]
    rules: RuleArgs,
}

impl CreateArgs {
    pub fn request(self, request_id: String) -> pb::CreateFundRequest {
        pb::CreateFundRequest {
            request_id,
            fund_id: self.fund_id,
            name: self.name,
            rules: Some(self.rules.rules()),
        }
    }
}

#[derive(Args)]
pub struct ShowArgs {
    fund_id: String,
}

impl ShowArgs {
    pub fn request(self) -> pb::GetFundRequest {
        pb::GetFundRequest {
            fund_id: self.fund_id,
        }
    }
}

#[derive(Args)]
pub struct ExpenseArgs {
    fund_id: String,
    /// The expense's category, its sub-account of 5001: office, training...
    #[arg(long)]
    category: String,
    /// Yuan, e.g. 120.50.
    #[arg(long)]
    amount: String,
    #[arg(long, value_enum, default_value = "cash")]
    till: TillArg,
    /// Value date, YYYY-MM-DD.
    #[arg(long)]
    date: String,
    /// What was bought or paid for.
    #[arg(long, default_value = "")]
    memo: String,
}

impl ExpenseArgs {
    pub fn request(self, request_id: String) -> pb::RecordExpenseRequest {
        pb::RecordExpenseRequest {
            request_id,
            fund_id: self.fund_id,
            category: self.category,
            amount: self.amount,
            till: till(self.till),
            value_date: self.date,
            memo: self.memo,
        }
    }
}

#[derive(Args)]
pub struct CapitalArgs {
    fund_id: String,
    #[arg(long, value_enum)]
    source: SourceArg,
    /// Yuan, e.g. 100000 or 2500.50.
    #[arg(long)]
    amount: String,
    #[arg(long, value_enum, default_value = "bank")]
    till: TillArg,
    /// Value date, YYYY-MM-DD.
    #[arg(long)]
    date: String,
}

impl CapitalArgs {
    pub fn request(self, request_id: String) -> pb::AddCapitalRequest {
        pb::AddCapitalRequest {
            request_id,
            fund_id: self.fund_id,
            source: source(self.source),
            amount: self.amount,
            till: till(self.till),
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct JoinArgs {
    fund_id: String,
    member_id: String,
    #[arg(long)]
    household: String,
    #[arg(long)]
    name: String,
    /// YYYY-MM-DD.
    #[arg(long)]
    birth_date: String,
    #[command(flatten)]
    household_status: HouseholdArgs,
    /// The household does not live in the village (it will be refused).
    #[arg(long)]
    non_resident: bool,
    #[arg(long)]
    date: String,
}

impl JoinArgs {
    pub fn request(self, request_id: String) -> pb::JoinMemberRequest {
        let (status, flags, cause, risk_cause) = self.household_status.fields();
        pb::JoinMemberRequest {
            request_id,
            fund_id: self.fund_id,
            member_id: self.member_id,
            household_id: self.household,
            name: self.name,
            birth_date: self.birth_date,
            resident: !self.non_resident,
            status,
            risk_cause,
            date: self.date,
            flags,
            cause,
        }
    }
}

#[derive(Args)]
pub struct SetStatusArgs {
    fund_id: String,
    member_id: String,
    #[command(flatten)]
    household_status: HouseholdArgs,
    #[arg(long)]
    date: String,
}

impl SetStatusArgs {
    pub fn request(self, request_id: String) -> pb::SetPovertyStatusRequest {
        let (status, flags, cause, risk_cause) = self.household_status.fields();
        pb::SetPovertyStatusRequest {
            request_id,
            fund_id: self.fund_id,
            member_id: self.member_id,
            status,
            risk_cause,
            date: self.date,
            flags,
            cause,
        }
    }
}

#[derive(Args)]
pub struct BuySharesArgs {
    fund_id: String,
    member_id: String,
    #[arg(long)]
    amount: String,
    #[arg(long, value_enum, default_value = "cash")]
    till: TillArg,
    #[arg(long)]
    date: String,
}

impl BuySharesArgs {
    pub fn request(self, request_id: String) -> pb::BuySharesRequest {
        pb::BuySharesRequest {
            request_id,
            fund_id: self.fund_id,
            member_id: self.member_id,
            amount: self.amount,
            till: till(self.till),
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct AllocateSharesArgs {
    fund_id: String,
    member_id: String,
    #[arg(long)]
    amount: String,
    #[arg(long, value_enum, default_value = "fiscal")]
    source: SourceArg,
    #[arg(long)]
    date: String,
}

impl AllocateSharesArgs {
    pub fn request(self, request_id: String) -> pb::AllocateSharesRequest {
        pb::AllocateSharesRequest {
            request_id,
            fund_id: self.fund_id,
            member_id: self.member_id,
            amount: self.amount,
            source: source(self.source),
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct RefundSharesArgs {
    fund_id: String,
    member_id: String,
    #[arg(long)]
    amount: String,
    #[arg(long, value_enum, default_value = "own")]
    class: ClassArg,
    #[arg(long, value_enum, default_value = "cash")]
    till: TillArg,
    #[arg(long)]
    date: String,
}

impl RefundSharesArgs {
    pub fn request(self, request_id: String) -> pb::RefundSharesRequest {
        let class = match self.class {
            ClassArg::Own => pb::ShareClass::Own,
            ClassArg::Allocated => pb::ShareClass::Allocated,
        };
        pb::RefundSharesRequest {
            request_id,
            fund_id: self.fund_id,
            member_id: self.member_id,
            amount: self.amount,
            class: class as i32,
            till: till(self.till),
            value_date: self.date,
        }
    }
}

#[derive(Args)]
pub struct MemberArgs {
    fund_id: String,
    member_id: String,
}

impl MemberArgs {
    pub fn request(self) -> pb::GetMemberRequest {
        pb::GetMemberRequest {
            fund_id: self.fund_id,
            member_id: self.member_id,
        }
    }
}

#[derive(Args)]
pub struct LeaveArgs {
    fund_id: String,
    member_id: String,
    #[arg(long)]
    notice_date: String,
    #[arg(long, value_enum, default_value = "cash")]
    till: TillArg,
    #[arg(long)]
    date: String,
}

impl LeaveArgs {
    pub fn request(self, request_id: String) -> pb::LeaveFundRequest {
        pb::LeaveFundRequest {
            request_id,
            fund_id: self.fund_id,
            member_id: self.member_id,
            notice_date: self.notice_date,
            date: self.date,
            till: till(self.till),
        }
    }
}

#[derive(Args)]
pub struct GroupArgs {
    fund_id: String,
    group_id: String,
    /// Member ids, comma-separated: M001,M002,M003.
    #[arg(long, value_delimiter = ',', required = true)]
    members: Vec<String>,
    #[arg(long)]
    date: String,
}

impl GroupArgs {
    pub fn request(self, request_id: String) -> pb::FormGuaranteeGroupRequest {
        pb::FormGuaranteeGroupRequest {
            request_id,
            fund_id: self.fund_id,
            group_id: self.group_id,
            member_ids: self.members,
            date: self.date,
        }
    }
}

#[derive(Args)]
pub struct YearEndArgs {
    fund_id: String,
    #[arg(long)]
    year: u32,
    #[arg(long, value_enum, default_value = "shares")]
    basis: BasisArg,
}

impl YearEndArgs {
    pub fn request(self, request_id: String) -> pb::RunYearEndRequest {
        let basis = match self.basis {
            BasisArg::Shares => pb::DividendBasis::Shares,
            BasisArg::Fees => pb::DividendBasis::FeesPaid,
        };
        pb::RunYearEndRequest {
            request_id,
            fund_id: self.fund_id,
            year: self.year,
            basis: basis as i32,
        }
    }
}
