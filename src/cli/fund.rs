//! `huzhu fund ...`: a village fund treasurer's day-to-day work over gRPC:
//! capital, members, shares, loans from application to repayment, day-end,
//! write-offs, the year-end, and the loan ledger. Tables for people,
//! `--output json` (proto3 JSON, every field present) for scripts.

use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use super::client::Idem;
use super::output::{
    call, get, label, method, poverty, print_schedule, refused, seqs, show, status, till, yuan,
    ClientArgs, StatusArg, TillArg,
};
use super::schedule::{MethodArg, Output};
use super::CliResult;
use crate::auth::client::AuthChannel;
use crate::pb::{self, fund_service_client::FundServiceClient};

#[derive(Clone, Copy, ValueEnum)]
pub enum SourceArg {
    /// Provincial or county fiscal support (seed capital).
    Fiscal,
    /// Special poverty-alleviation support (seed capital).
    Special,
    /// A donation.
    Donation,
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
    /// Largest first loan, yuan (default 5,000).
    #[arg(long)]
    first_loan_max: Option<String>,
    /// Largest loan, yuan (default 10,000).
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
}

#[derive(Subcommand)]
pub enum FundCommand {
    /// Create a fund: its book, chart of accounts and rules.
    Create {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// A fund's rules, members, cash and bank.
    Show { fund_id: String },
    /// Seed capital from a government source, or a donation.
    Capital {
        #[command(flatten)]
        idem: Idem,
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
    },
    /// Admit a household (18+, resident, one member per household).
    Join {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        member_id: String,
        #[arg(long)]
        household: String,
        #[arg(long)]
        name: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        birth_date: String,
        #[arg(long, value_enum)]
        status: StatusArg,
        /// Why a monitored household is at risk (illness, disability, disaster...).
        #[arg(long, default_value = "")]
        risk_cause: String,
        /// The household does not live in the village (it will be refused).
        #[arg(long)]
        non_resident: bool,
        #[arg(long)]
        date: String,
    },
    /// Record a change of a household's poverty status (history is kept).
    Status {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        member_id: String,
        #[arg(long, value_enum)]
        status: StatusArg,
        #[arg(long, default_value = "")]
        risk_cause: String,
        #[arg(long)]
        date: String,
    },
    /// A member buys own shares, in whole units of the share price.
    BuyShares {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        member_id: String,
        #[arg(long)]
        amount: String,
        #[arg(long, value_enum, default_value = "cash")]
        till: TillArg,
        #[arg(long)]
        date: String,
    },
    /// Shares for a registered poor household, paid from seed capital (配股).
    AllocateShares {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        member_id: String,
        #[arg(long)]
        amount: String,
        #[arg(long, value_enum, default_value = "fiscal")]
        source: SourceArg,
        #[arg(long)]
        date: String,
    },
    /// Refund part of a member's own shares (allocated shares are never refunded).
    RefundShares {
        #[command(flatten)]
        idem: Idem,
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
    },
    /// A member's position: shares, loans with days past due, next installment, group.
    Member { fund_id: String, member_id: String },
    /// A member leaves after notice and without debt; own shares are refunded.
    Leave {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        member_id: String,
        #[arg(long)]
        notice_date: String,
        #[arg(long, value_enum, default_value = "cash")]
        till: TillArg,
        #[arg(long)]
        date: String,
    },
    /// Form a joint-liability guarantee group (联保小组).
    Group {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        group_id: String,
        /// Member ids, comma-separated: M001,M002,M003.
        #[arg(long, value_delimiter = ',', required = true)]
        members: Vec<String>,
        #[arg(long)]
        date: String,
    },
    /// A member applies for a loan.
    Apply {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        loan_id: String,
        #[arg(long)]
        member: String,
        #[arg(long)]
        principal: String,
        #[arg(long)]
        term_months: u32,
        #[arg(long, value_enum)]
        method: MethodArg,
        #[arg(long, default_value = "")]
        purpose: String,
        #[arg(long)]
        date: String,
    },
    /// Approve a loan (not by the actor who took the application).
    Approve {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        loan_id: String,
        /// The board approved it (needed above the fund's threshold).
        #[arg(long)]
        board: bool,
        #[arg(long)]
        date: String,
    },
    /// Pay an approved loan out; its schedule is computed and stored.
    Disburse {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        loan_id: String,
        #[arg(long, value_enum, default_value = "bank")]
        till: TillArg,
        #[arg(long)]
        date: String,
    },
    /// A loan with its schedule and repayments.
    Loan { fund_id: String, loan_id: String },
    /// A repayment: penalty, fee, principal in the fund's order; more than owed is refused.
    Repay {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        loan_id: String,
        #[arg(long)]
        amount: String,
        #[arg(long, value_enum, default_value = "cash")]
        till: TillArg,
        #[arg(long)]
        date: String,
    },
    /// Day-end for one or many funds, for a date or every date of a range.
    ///
    /// Request ids are derived from the fund and date (dayend-FUND-DATE), so the
    /// same command run again after an interruption is answered from the record.
    DayEnd {
        /// Funds to run (one or more).
        #[arg(required = true)]
        fund_ids: Vec<String>,
        /// Last date to run.
        #[arg(long)]
        date: String,
        /// First date to run (default: --date only).
        #[arg(long)]
        from: Option<String>,
    },
    /// Ask for a loan to be written off after the board's decision; another
    /// token approves it with `write-off`.
    RequestWriteOff {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        loan_id: String,
        /// The board decision's reference, e.g. "board 2025-07 no. 3".
        #[arg(long)]
        decision: String,
    },
    /// Approve a requested write-off (not by the token that asked) and post it.
    WriteOff {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        loan_id: String,
        #[arg(long)]
        date: String,
    },
    /// Money recovered on a written-off loan.
    Recover {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        loan_id: String,
        #[arg(long)]
        amount: String,
        #[arg(long, value_enum, default_value = "cash")]
        till: TillArg,
        #[arg(long)]
        date: String,
    },
    /// Reschedule (展期) a loan as a new loan that keeps the old one's history.
    Reschedule {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        loan_id: String,
        #[arg(long)]
        new_loan_id: String,
        #[arg(long)]
        term_months: u32,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        date: String,
    },
    /// Year-end: close the year and share the surplus out (once per year).
    YearEnd {
        #[command(flatten)]
        idem: Idem,
        fund_id: String,
        #[arg(long)]
        year: u32,
        #[arg(long, value_enum, default_value = "shares")]
        basis: BasisArg,
    },
    /// The loan ledger (台账): every loan, outstanding, days past due, bucket.
    Loans {
        fund_id: String,
        /// Days past due as of this date (default: today).
        #[arg(long, default_value = "")]
        as_of: String,
    },
}

fn source(s: SourceArg) -> i32 {
    (match s {
        SourceArg::Fiscal => pb::CapitalSource::Fiscal,
        SourceArg::Special => pb::CapitalSource::SpecialSupport,
        SourceArg::Donation => pb::CapitalSource::Donation,
    }) as i32
}

fn rules(r: RuleArgs) -> pb::FundRules {
    pb::FundRules {
        share_price: r.share_price.unwrap_or_default(),
        first_loan_max: r.first_loan_max.unwrap_or_default(),
        loan_max: r.loan_max.unwrap_or_default(),
        term_max_months: r.term_max_months.unwrap_or_default(),
        fee_rate_annual: r.fee_rate.unwrap_or_default(),
        fee_upfront: r.fee_upfront,
        penalty_rate_annual: r.penalty_rate.unwrap_or_default(),
        board_approval_above: r.board_approval_above.unwrap_or_default(),
        welfare_share: r.welfare_share.unwrap_or_default(),
        accumulation_share: r.accumulation_share.unwrap_or_default(),
        risk_share: r.risk_share.unwrap_or_default(),
        dividend_share: r.dividend_share.unwrap_or_default(),
        ..pb::FundRules::default()
    }
}

fn loan_status(v: i32) -> String {
    label(v, pb::LoanStatus::as_str_name, "LOAN_STATUS_")
}

fn print_fund(f: &pb::FundResponse) {
    let r = f.rules.clone().unwrap_or_default();
    println!("{} ({})", f.fund_id, f.name);
    println!(
        "  members {}   cash {}   bank {}",
        f.active_members,
        yuan(&f.cash),
        yuan(&f.bank)
    );
    println!(
        "  share {}  first loan <= {}  loan <= {}  term <= {} months  fee {} a year{}  penalty {}",
        yuan(&r.share_price),
        yuan(&r.first_loan_max),
        yuan(&r.loan_max),
        r.term_max_months,
        r.fee_rate_annual,
        if r.fee_upfront { " (upfront)" } else { "" },
        r.penalty_rate_annual
    );
    println!(
        "  surplus: welfare {}  accumulation {}  risk {}  dividends {}",
        r.welfare_share, r.accumulation_share, r.risk_share, r.dividend_share
    );
}

fn print_loan_lines(lines: &[pb::LoanLine]) {
    println!(
        "{:<12} {:<10} {:<18} {:<12} {:>12} {:>12} {:>9} {:>9} {:>5} {:<6} {:<10}",
        "loan",
        "member",
        "household status",
        "status",
        "principal",
        "outstanding",
        "fee due",
        "penalty",
        "dpd",
        "bucket",
        "maturity"
    );
    for l in lines {
        println!(
            "{:<12} {:<10} {:<18} {:<12} {:>12} {:>12} {:>9} {:>9} {:>5} {:<6} {:<10}",
            l.loan_id,
            l.member_id,
            poverty(l.member_status),
            loan_status(l.status),
            yuan(&l.principal),
            yuan(&l.outstanding_principal),
            yuan(&l.fee_due),
            yuan(&l.penalty_due),
            l.days_past_due,
            l.bucket,
            l.maturity
        );
    }
}

fn print_member(m: &pb::MemberResponse) {
    let p = m.member.clone().unwrap_or_default();
    let left = if p.left.is_empty() {
        String::new()
    } else {
        format!(", left {}", p.left)
    };
    println!(
        "{} {} (household {}), {}, joined {}{left}",
        p.member_id,
        p.name,
        p.household_id,
        poverty(p.status),
        p.joined
    );
    println!(
        "  own shares {}   allocated shares {}   group {}",
        yuan(&m.own_shares),
        yuan(&m.allocated_shares),
        if m.guarantee_group.is_empty() {
            "-"
        } else {
            &m.guarantee_group
        }
    );
    if !m.next_due_date.is_empty() {
        println!(
            "  next installment {} on {}",
            yuan(&m.next_due_amount),
            m.next_due_date
        );
    }
    if !m.loans.is_empty() {
        print_loan_lines(&m.loans);
    }
    seqs(&m.entry_seqs, m.replayed);
}

fn print_loan(r: &pb::LoanResponse) {
    let l = r.loan.clone().unwrap_or_default();
    let method = label(
        l.method,
        pb::RepaymentMethod::as_str_name,
        "REPAYMENT_METHOD_",
    );
    println!(
        "loan {} of {}: {} over {} months, {method}, {} a year: {}",
        l.loan_id,
        l.member_id,
        yuan(&l.principal),
        l.term_months,
        l.rate_annual,
        loan_status(l.status)
    );
    let mut trail = format!("  applied {} by {}", l.applied_on, l.applied_by);
    if !l.approved_on.is_empty() {
        trail.push_str(&format!(
            "; approved {} by {}{}",
            l.approved_on,
            l.approved_by,
            if l.board_approved {
                " and the board"
            } else {
                ""
            }
        ));
    }
    if !l.disbursed_on.is_empty() {
        trail.push_str(&format!("; disbursed {}", l.disbursed_on));
    }
    if !l.write_off_requested_by.is_empty() {
        trail.push_str(&format!(
            "; write-off asked by {} ({})",
            l.write_off_requested_by, l.write_off_requested_decision
        ));
    }
    if !l.written_off_by.is_empty() {
        trail.push_str(&format!(
            "; written off {} by {}",
            yuan(&l.written_off),
            l.written_off_by
        ));
    }
    if !l.closed_on.is_empty() {
        trail.push_str(&format!("; closed {}", l.closed_on));
    }
    println!("{trail}");
    println!("  outstanding principal {}", yuan(&l.outstanding_principal));
    print_schedule(&l.schedule, "fee");
    for p in &l.repayments {
        println!(
            "  paid {} on {}: penalty {}, fee {}, principal {}",
            yuan(&p.amount),
            p.date,
            yuan(&p.penalty),
            yuan(&p.fee),
            yuan(&p.principal)
        );
    }
    seqs(&r.entry_seqs, r.replayed);
}

fn print_year_end(y: &pb::YearEndResponse) {
    println!("year-end {}: surplus {}", y.year, yuan(&y.surplus));
    println!(
        "  welfare {}  accumulation {}  risk {}  dividends {}",
        yuan(&y.welfare),
        yuan(&y.accumulation),
        yuan(&y.risk),
        yuan(&y.dividends)
    );
    for d in &y.member_dividends {
        println!("  {:<12} {:>12}", d.member_id, yuan(&d.amount));
    }
    seqs(&y.entry_seqs, y.replayed);
}

pub async fn run(args: ClientArgs<FundCommand>) -> CliResult {
    let (mut c, output, command) = args.open(FundServiceClient::new).await?;
    use FundCommand as F;
    match command {
        F::Create {
            idem,
            fund_id,
            name,
            rules: r,
        } => {
            let r = call!(c, create_fund, idem.id(), |request_id| {
                pb::CreateFundRequest {
                    request_id,
                    fund_id,
                    name,
                    rules: Some(rules(r)),
                }
            });
            show(output, &r, print_fund)
        }
        F::Show { fund_id } => {
            let r = get!(c, get_fund, pb::GetFundRequest { fund_id });
            show(output, &r, print_fund)
        }
        F::Capital {
            idem,
            fund_id,
            source: s,
            amount,
            till: t,
            date,
        } => {
            let r = call!(c, add_capital, idem.id(), |request_id| {
                pb::AddCapitalRequest {
                    request_id,
                    fund_id,
                    source: source(s),
                    amount,
                    till: till(t),
                    value_date: date,
                }
            });
            show(output, &r, |r| seqs(&r.entry_seqs, r.replayed))
        }
        F::Join {
            idem,
            fund_id,
            member_id,
            household,
            name,
            birth_date,
            status: s,
            risk_cause,
            non_resident,
            date,
        } => {
            let r = call!(c, join_member, idem.id(), |request_id| {
                pb::JoinMemberRequest {
                    request_id,
                    fund_id,
                    member_id,
                    household_id: household,
                    name,
                    birth_date,
                    resident: !non_resident,
                    status: status(s),
                    risk_cause,
                    date,
                }
            });
            show(output, &r, print_member)
        }
        F::Status {
            idem,
            fund_id,
            member_id,
            status: s,
            risk_cause,
            date,
        } => {
            let r = call!(c, set_poverty_status, idem.id(), |request_id| {
                pb::SetPovertyStatusRequest {
                    request_id,
                    fund_id,
                    member_id,
                    status: status(s),
                    risk_cause,
                    date,
                }
            });
            show(output, &r, print_member)
        }
        F::BuyShares {
            idem,
            fund_id,
            member_id,
            amount,
            till: t,
            date,
        } => {
            let r = call!(c, buy_shares, idem.id(), |request_id| {
                pb::BuySharesRequest {
                    request_id,
                    fund_id,
                    member_id,
                    amount,
                    till: till(t),
                    value_date: date,
                }
            });
            show(output, &r, print_member)
        }
        F::AllocateShares {
            idem,
            fund_id,
            member_id,
            amount,
            source: s,
            date,
        } => {
            let r = call!(c, allocate_shares, idem.id(), |request_id| {
                pb::AllocateSharesRequest {
                    request_id,
                    fund_id,
                    member_id,
                    amount,
                    source: source(s),
                    value_date: date,
                }
            });
            show(output, &r, print_member)
        }
        F::RefundShares {
            idem,
            fund_id,
            member_id,
            amount,
            class,
            till: t,
            date,
        } => {
            let class = match class {
                ClassArg::Own => pb::ShareClass::Own,
                ClassArg::Allocated => pb::ShareClass::Allocated,
            } as i32;
            let r = call!(c, refund_shares, idem.id(), |request_id| {
                pb::RefundSharesRequest {
                    request_id,
                    fund_id,
                    member_id,
                    amount,
                    class,
                    till: till(t),
                    value_date: date,
                }
            });
            show(output, &r, print_member)
        }
        F::Member { fund_id, member_id } => {
            let r = get!(c, get_member, pb::GetMemberRequest { fund_id, member_id });
            show(output, &r, print_member)
        }
        F::Leave {
            idem,
            fund_id,
            member_id,
            notice_date,
            till: t,
            date,
        } => {
            let r = call!(c, leave_fund, idem.id(), |request_id| {
                pb::LeaveFundRequest {
                    request_id,
                    fund_id,
                    member_id,
                    notice_date,
                    date,
                    till: till(t),
                }
            });
            show(output, &r, print_member)
        }
        F::Group {
            idem,
            fund_id,
            group_id,
            members,
            date,
        } => {
            let r = call!(c, form_guarantee_group, idem.id(), |request_id| {
                pb::FormGuaranteeGroupRequest {
                    request_id,
                    fund_id,
                    group_id,
                    member_ids: members,
                    date,
                }
            });
            show(output, &r, |g| {
                println!(
                    "group {} formed {}: {}",
                    g.group_id,
                    g.formed,
                    g.member_ids.join(", ")
                )
            })
        }
        F::Apply {
            idem,
            fund_id,
            loan_id,
            member,
            principal,
            term_months,
            method: m,
            purpose,
            date,
        } => {
            let r = call!(c, apply_loan, idem.id(), |request_id| {
                pb::ApplyLoanRequest {
                    request_id,
                    fund_id,
                    loan_id,
                    member_id: member,
                    principal,
                    term_months,
                    method: method(m),
                    purpose,
                    date,
                }
            });
            show(output, &r, print_loan)
        }
        F::Approve {
            idem,
            fund_id,
            loan_id,
            board,
            date,
        } => {
            let r = call!(c, approve_loan, idem.id(), |request_id| {
                pb::ApproveLoanRequest {
                    request_id,
                    fund_id,
                    loan_id,
                    board_approved: board,
                    date,
                }
            });
            show(output, &r, print_loan)
        }
        F::Disburse {
            idem,
            fund_id,
            loan_id,
            till: t,
            date,
        } => {
            let r = call!(c, disburse_loan, idem.id(), |request_id| {
                pb::DisburseLoanRequest {
                    request_id,
                    fund_id,
                    loan_id,
                    till: till(t),
                    date,
                }
            });
            show(output, &r, print_loan)
        }
        F::Loan { fund_id, loan_id } => {
            let r = get!(c, get_loan, pb::GetLoanRequest { fund_id, loan_id });
            show(output, &r, print_loan)
        }
        F::Repay {
            idem,
            fund_id,
            loan_id,
            amount,
            till: t,
            date,
        } => {
            let r = call!(c, repay_loan, idem.id(), |request_id| {
                pb::RepayLoanRequest {
                    request_id,
                    fund_id,
                    loan_id,
                    amount,
                    till: till(t),
                    date,
                }
            });
            show(output, &r, print_loan)
        }
        F::DayEnd {
            fund_ids,
            date,
            from,
        } => day_end(&mut c, output, fund_ids, from, date).await,
        F::RequestWriteOff {
            idem,
            fund_id,
            loan_id,
            decision,
        } => {
            let r = call!(c, request_write_off, idem.id(), |request_id| {
                pb::RequestWriteOffRequest {
                    request_id,
                    fund_id,
                    loan_id,
                    board_decision: decision,
                }
            });
            show(output, &r, print_loan)
        }
        F::WriteOff {
            idem,
            fund_id,
            loan_id,
            date,
        } => {
            let r = call!(c, write_off_loan, idem.id(), |request_id| {
                pb::WriteOffLoanRequest {
                    request_id,
                    fund_id,
                    loan_id,
                    date,
                }
            });
            show(output, &r, print_loan)
        }
        F::Recover {
            idem,
            fund_id,
            loan_id,
            amount,
            till: t,
            date,
        } => {
            let r = call!(c, recover_loan, idem.id(), |request_id| {
                pb::RecoverLoanRequest {
                    request_id,
                    fund_id,
                    loan_id,
                    amount,
                    till: till(t),
                    date,
                }
            });
            show(output, &r, print_loan)
        }
        F::Reschedule {
            idem,
            fund_id,
            loan_id,
            new_loan_id,
            term_months,
            reason,
            date,
        } => {
            let r = call!(c, reschedule_loan, idem.id(), |request_id| {
                pb::RescheduleLoanRequest {
                    request_id,
                    fund_id,
                    loan_id,
                    new_loan_id,
                    term_months,
                    reason,
                    date,
                }
            });
            show(output, &r, print_loan)
        }
        F::YearEnd {
            idem,
            fund_id,
            year,
            basis,
        } => {
            let basis = match basis {
                BasisArg::Shares => pb::DividendBasis::Shares,
                BasisArg::Fees => pb::DividendBasis::FeesPaid,
            } as i32;
            let r = call!(c, run_year_end, idem.id(), |request_id| {
                pb::RunYearEndRequest {
                    request_id,
                    fund_id,
                    year,
                    basis,
                }
            });
            show(output, &r, print_year_end)
        }
        F::Loans { fund_id, as_of } => {
            let r = get!(c, list_loans, pb::ListLoansRequest { fund_id, as_of });
            show(output, &r, |r| {
                println!("loan ledger as of {}", r.as_of);
                print_loan_lines(&r.loans);
            })
        }
    }
}

/// One fund's day-end for one date, as printed in JSON.
#[derive(Serialize)]
struct DayEndRun {
    fund_id: String,
    #[serde(flatten)]
    result: pb::DayEndResponse,
}

async fn day_end(
    c: &mut FundServiceClient<AuthChannel>,
    output: Output,
    fund_ids: Vec<String>,
    from: Option<String>,
    to: String,
) -> CliResult {
    let parse = |flag: &str, d: &str| {
        crate::domain::dates::parse_date(d).map_err(|e| format!("--{flag} {d:?}: {e}"))
    };
    let last = parse("date", &to)?;
    let first = from.as_deref().map(|d| parse("from", d)).transpose()?;
    let first = first.unwrap_or(last);
    if first > last {
        return Err(format!("--from {first} is after --date {last}").into());
    }
    let dates: Vec<chrono::NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
    let total = (dates.len() * fund_ids.len()) as u64;
    let bar = if total > 1 && output == Output::Table {
        ProgressBar::new(total)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} day-end {wide_bar} {pos}/{len} {msg}")
            .expect("the template is valid"),
    );
    let mut runs = Vec::new();
    for fund_id in &fund_ids {
        for date in &dates {
            bar.set_message(format!("{fund_id} {date}"));
            let request_id = format!("dayend-{fund_id}-{date}");
            let result = c
                .run_day_end(pb::RunDayEndRequest {
                    request_id: request_id.clone(),
                    fund_id: fund_id.clone(),
                    date: date.to_string(),
                })
                .await
                .map_err(|s| {
                    bar.abandon();
                    refused(&s, Some(&request_id))
                })?
                .into_inner();
            runs.push(DayEndRun {
                fund_id: fund_id.clone(),
                result,
            });
            bar.inc(1);
        }
    }
    bar.finish_and_clear();
    show(output, &runs, |runs| {
        println!(
            "{:<16} {:<10} {:>6} {:>12} {:>12}",
            "fund", "date", "loans", "fee", "penalty"
        );
        for r in runs {
            println!(
                "{:<16} {:<10} {:>6} {:>12} {:>12}{}",
                r.fund_id,
                r.result.date,
                r.result.loans_accrued,
                yuan(&r.result.fee_accrued),
                yuan(&r.result.penalty_accrued),
                if r.result.replayed {
                    "  (already run)"
                } else {
                    ""
                }
            );
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_names_read_plainly() {
        assert_eq!(loan_status(pb::LoanStatus::Disbursed as i32), "disbursed");
        assert_eq!(
            poverty(pb::PovertyStatus::RegisteredPoor as i32),
            "registered poor"
        );
    }
}
