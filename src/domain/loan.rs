//! Member loans of a village fund, from application to disbursement
//! (DOMAIN.md §4): limits from the fund's rules, approval by someone other
//! than the applicant's clerk (and the board above a threshold), and the
//! schedule computed once at disbursement.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub mod recipe;

use super::fund::{FundError, FundRules, Member};
use super::schedule::{self, Installment, Method};

pub mod rule {
    pub const TERM_MAX: &str = "loan_term_at_most_fund_maximum";
    pub const LOAN_MAX: &str = "loan_at_most_fund_maximum";
    pub const FIRST_LOAN_MAX: &str = "first_loan_at_most_fund_maximum";
    pub const HOUSEHOLD_SHARE: &str = "loan_household_share_of_capital";
    pub const STATUS: &str = "loan_status_allows_it";
    pub const APPROVER: &str = "loan_approver_not_applicant";
    pub const BOARD: &str = "loan_board_approval_above_threshold";
    pub const DATE_ORDER: &str = "loan_dates_in_order";
    pub const NEEDS_GROUP: &str = "borrower_in_guarantee_group";
    pub const AT_MOST_OWED: &str = "repayment_at_most_owed";
    pub const RECOVERY_AT_MOST_WRITTEN_OFF: &str = "recovery_at_most_written_off";
    pub const RESCHEDULE_OUTSTANDING: &str = "reschedule_outstanding_principal";
    /// A written-off loan is not rescheduled (DOMAIN.md §4).
    pub const WRITTEN_OFF_NOT_RESCHEDULED: &str = "written_off_loan_not_rescheduled";
    pub const WRITE_OFF_REQUESTED: &str = "write_off_requested_first";
    pub const WRITE_OFF_PENDING: &str = "write_off_already_requested";
    pub const SELF_APPROVAL: &str = "self_approval";
    /// A member with an open loan past due on the day may not borrow, unless
    /// the fund's rules lend to members in arrears.
    pub const NO_LOAN_PAST_DUE: &str = "borrower_has_no_loan_past_due";
    /// A member with a written-off loan not fully recovered may not borrow,
    /// unless the fund's rules lend to members in arrears.
    pub const NO_UNRECOVERED_WRITE_OFF: &str = "borrower_has_no_unrecovered_write_off";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoanStatus {
    Applied,
    Approved,
    Disbursed,
    /// Repaid in full.
    Closed,
    /// Written off after a board decision; recoveries may still come in.
    WrittenOff,
    /// Replaced by a new loan for its outstanding principal (展期).
    Rescheduled,
}

/// What a loan is for, by industry (DOMAIN.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurposeCategory {
    /// Grain, vegetables, fruit, tea...
    Crops,
    /// Pigs, cattle, poultry, fish...
    Livestock,
    /// Processing farm produce.
    Processing,
    Trade,
    Services,
    /// Anything else; loans recorded before categories were kept read as this.
    #[default]
    Other,
}

impl PurposeCategory {
    /// The category's name in extracts.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Crops => "crops",
            Self::Livestock => "livestock",
            Self::Processing => "processing",
            Self::Trade => "trade",
            Self::Services => "services",
            Self::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loan {
    pub loan_id: String,
    pub member_id: String,
    pub principal: Decimal,
    pub term_months: u32,
    pub method: Method,
    /// The fund's fee rate on the day of application.
    pub rate_annual: Decimal,
    /// The purpose in the applicant's words.
    pub purpose: String,
    /// The purpose's industry (`Other` in records written before).
    #[serde(default)]
    pub purpose_category: PurposeCategory,
    /// The business that uses the money, when it is not the household's own
    /// use (户贷企用, a risk the field reports name).
    #[serde(default)]
    pub business: Option<String>,
    pub status: LoanStatus,
    pub applied_on: NaiveDate,
    pub applied_by: String,
    pub approved_by: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub board_approved: bool,
    pub disbursed_on: Option<NaiveDate>,
    /// Computed at disbursement and never recomputed.
    pub schedule: Vec<Installment>,
    /// The whole scheduled fee, when the fund charges it at disbursement.
    pub upfront_fee: Decimal,
    /// What servicing has booked and collected (see `servicing`).
    pub principal_paid: Decimal,
    /// Fee booked as receivable by day-end accrual (1202).
    pub fee_accrued: Decimal,
    pub fee_paid: Decimal,
    /// Penalty accrued day by day, unrounded; what is booked is its rounding.
    pub penalty_exact: Decimal,
    pub penalty_accrued: Decimal,
    pub penalty_paid: Decimal,
    /// Last day accrued; the disbursement date before the first accrual.
    pub accrued_through: Option<NaiveDate>,
    pub repayments: Vec<Repayment>,
    pub closed_on: Option<NaiveDate>,
    /// Principal written off, the board decision behind it, and what was recovered since.
    pub written_off: Decimal,
    pub write_off_decision: Option<String>,
    /// A write-off asked for (maker) and who approved it (checker).
    #[serde(default)]
    pub write_off_requested_by: Option<String>,
    #[serde(default)]
    pub write_off_requested_decision: Option<String>,
    #[serde(default)]
    pub written_off_by: Option<String>,
    pub recovered: Decimal,
    /// Unpaid fee carried over from the loan this one reschedules; due at once.
    pub carried_fee: Decimal,
    pub rescheduled_from: Option<String>,
    pub rescheduled_to: Option<String>,
}

/// One repayment and how the waterfall split it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repayment {
    pub date: NaiveDate,
    pub amount: Decimal,
    pub penalty: Decimal,
    pub fee: Decimal,
    pub principal: Decimal,
}

pub(crate) fn broken(rule: &'static str, detail: String) -> FundError {
    FundError::Rule { rule, detail }
}

/// What a member asks for.
#[derive(Debug, Clone)]
pub struct Application {
    pub loan_id: String,
    pub principal: Decimal,
    pub term_months: u32,
    pub method: Method,
    pub purpose: String,
    pub purpose_category: PurposeCategory,
    pub business: Option<String>,
    pub date: NaiveDate,
    pub actor: String,
}

/// The borrower's standing on the day a loan is decided (applied for,
/// approved or disbursed), from the member's other loans in the fund
/// (`servicing::standing`) and the fund's books.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The member's other loans ever disbursed, whatever their status now
    /// (repaid, written off, rescheduled, still running): 0 for a first loan.
    pub earlier_loans: usize,
    /// Principal the member still owes on loans disbursed.
    pub outstanding: Decimal,
    /// Principal of the member's other loans applied for or approved and not
    /// yet disbursed.
    pub pending: Decimal,
    /// The fund's capital: every equity account's balance.
    pub fund_capital: Decimal,
    /// The borrower belongs to a guarantee group.
    pub in_group: bool,
    /// An open loan of the member's past due on the day, and its days past due.
    pub past_due: Option<(String, i64)>,
    /// A written-off loan of the member's not fully recovered, and what of it is open.
    pub unrecovered: Option<(String, Decimal)>,
}

/// An application: an active member asks for an amount of whole fen within
/// the fund's limits; the loan is recorded as applied for.
pub fn apply(
    rules: &FundRules,
    member: &Member,
    a: Application,
    standing: &Standing,
) -> Result<Loan, FundError> {
    member.require_active()?;
    if a.principal <= Decimal::ZERO || a.principal.normalize().scale() > 2 {
        return Err(FundError::Invalid {
            field: "principal".into(),
            reason: "must be an amount of yuan above zero with at most two decimal places".into(),
        });
    }
    check_limits(
        rules,
        &member.member_id,
        a.principal,
        a.term_months,
        standing,
    )?;
    Ok(Loan::applied(rules, &member.member_id, a))
}

/// The fund's limits on a loan of `principal` over `term_months` to a
/// member of this standing, checked at application, approval and
/// disbursement: its guarantee group, no loan past due nor write-off
/// unrecovered (unless the fund lends to members in arrears), the term, the
/// largest loan, the first loan (with the member's other loans not yet
/// disbursed: two first loans together are one first loan), and one
/// household's share of the fund's capital (counting those too).
pub fn check_limits(
    rules: &FundRules,
    member_id: &str,
    principal: Decimal,
    term_months: u32,
    standing: &Standing,
) -> Result<(), FundError> {
    if rules.loans_need_group && !standing.in_group {
        return Err(broken(
            rule::NEEDS_GROUP,
            format!("{member_id} borrows only as a member of a guarantee group (联保小组)"),
        ));
    }
    check_arrears(rules, member_id, standing)?;
    if term_months == 0 || term_months > rules.term_max_months {
        return Err(broken(
            rule::TERM_MAX,
            format!(
                "the term must be from 1 to {} months, not {term_months}",
                rules.term_max_months
            ),
        ));
    }
    if principal > rules.loan_max {
        return Err(broken(
            rule::LOAN_MAX,
            format!("a loan is at most {}; asked {principal}", rules.loan_max),
        ));
    }
    let asked = standing.pending + principal;
    if standing.earlier_loans == 0 && asked > rules.first_loan_max {
        return Err(broken(
            rule::FIRST_LOAN_MAX,
            format!(
                "a first loan is at most {}; {member_id} asks {principal}{}",
                rules.first_loan_max,
                pending_note(standing.pending)
            ),
        ));
    }
    let cap = standing.fund_capital * rules.household_share_max;
    if standing.outstanding + asked > cap {
        return Err(broken(
            rule::HOUSEHOLD_SHARE,
            format!(
                "one household may owe at most {} of the fund's capital of {} ({cap}); it owes {} and asks {principal}{}",
                rules.household_share_max,
                standing.fund_capital,
                standing.outstanding,
                pending_note(standing.pending)
            ),
        ));
    }
    Ok(())
}

/// What a refusal says of loans not yet disbursed, when there are any.
fn pending_note(pending: Decimal) -> String {
    if pending.is_zero() {
        String::new()
    } else {
        format!(" with {pending} more applied for and not yet disbursed")
    }
}

/// A member in arrears (a loan past due, a write-off not recovered) may not
/// borrow, unless the fund's rules say otherwise.
fn check_arrears(rules: &FundRules, member_id: &str, standing: &Standing) -> Result<(), FundError> {
    if rules.lend_to_members_in_arrears {
        return Ok(());
    }
    let allow = "(a fund may allow it: rules.lend_to_members_in_arrears)";
    if let Some((loan_id, days)) = &standing.past_due {
        return Err(broken(
            rule::NO_LOAN_PAST_DUE,
            format!("{member_id}'s loan {loan_id} is {days} days past due; a member in arrears may not borrow {allow}"),
        ));
    }
    if let Some((loan_id, open)) = &standing.unrecovered {
        return Err(broken(
            rule::NO_UNRECOVERED_WRITE_OFF,
            format!("{member_id}'s loan {loan_id} was written off and {open} of it is not recovered; such a member may not borrow {allow}"),
        ));
    }
    Ok(())
}

impl Loan {
    /// A loan that replaced another (展期) is restructured: PAR counts it at
    /// risk until it has made three consecutive installments on time
    /// (`servicing::counts_at_risk`). Loans rescheduled before the flag was
    /// shown read as restructured too: it is where they came from.
    pub fn restructured(&self) -> bool {
        self.rescheduled_from.is_some()
    }

    /// A loan as applied for, at the fund's fee rate of the day, with
    /// nothing disbursed, accrued or paid yet.
    fn applied(rules: &FundRules, member_id: &str, a: Application) -> Self {
        let zero = Decimal::ZERO;
        Loan {
            loan_id: a.loan_id,
            member_id: member_id.to_string(),
            principal: a.principal,
            term_months: a.term_months,
            method: a.method,
            rate_annual: rules.fee_rate_annual,
            purpose: a.purpose,
            purpose_category: a.purpose_category,
            business: a.business,
            status: LoanStatus::Applied,
            applied_on: a.date,
            applied_by: a.actor,
            approved_by: None,
            approved_on: None,
            board_approved: false,
            disbursed_on: None,
            schedule: Vec::new(),
            upfront_fee: zero,
            principal_paid: zero,
            fee_accrued: zero,
            fee_paid: zero,
            penalty_exact: zero,
            penalty_accrued: zero,
            penalty_paid: zero,
            accrued_through: None,
            repayments: Vec::new(),
            closed_on: None,
            written_off: zero,
            write_off_decision: None,
            write_off_requested_by: None,
            write_off_requested_decision: None,
            written_off_by: None,
            recovered: zero,
            carried_fee: zero,
            rescheduled_from: None,
            rescheduled_to: None,
        }
    }
}

pub(crate) fn require(loan: &Loan, status: LoanStatus, action: &str) -> Result<(), FundError> {
    if loan.status == status {
        Ok(())
    } else {
        Err(broken(
            rule::STATUS,
            format!(
                "loan {} is {:?}; only a {status:?} loan can be {action}",
                loan.loan_id, loan.status
            ),
        ))
    }
}

pub(crate) fn not_before(date: NaiveDate, earlier: NaiveDate, what: &str) -> Result<(), FundError> {
    if date < earlier {
        return Err(broken(
            rule::DATE_ORDER,
            format!("{date} is before the {what}, {earlier}"),
        ));
    }
    Ok(())
}

/// The fund's limits on `loan` for a borrower of this standing.
fn check_loan_limits(rules: &FundRules, loan: &Loan, standing: &Standing) -> Result<(), FundError> {
    check_limits(
        rules,
        &loan.member_id,
        loan.principal,
        loan.term_months,
        standing,
    )
}

/// Approval by `approver`, who is not the clerk who took the application; a
/// loan above the fund's threshold also needs the board's approval. The
/// fund's limits are checked again, for the borrower's standing that day.
pub fn approve(
    rules: &FundRules,
    loan: &Loan,
    approver: &str,
    board_approved: bool,
    date: NaiveDate,
    standing: &Standing,
) -> Result<Loan, FundError> {
    require(loan, LoanStatus::Applied, "approved")?;
    not_before(date, loan.applied_on, "application")?;
    if approver == loan.applied_by {
        return Err(broken(
            rule::APPROVER,
            format!(
                "{approver} took the application of loan {}; someone else must approve it",
                loan.loan_id
            ),
        ));
    }
    if loan.principal > rules.board_approval_above && !board_approved {
        return Err(broken(
            rule::BOARD,
            format!(
                "a loan above {} needs the board's approval",
                rules.board_approval_above
            ),
        ));
    }
    check_loan_limits(rules, loan, standing)?;
    let mut l = loan.clone();
    l.status = LoanStatus::Approved;
    l.approved_by = Some(approver.to_string());
    l.approved_on = Some(date);
    l.board_approved = board_approved;
    Ok(l)
}

/// Disbursement on `date`, once more within the fund's limits for the
/// borrower's standing that day: the schedule is computed now and stored
/// with the loan.
pub fn disburse(
    rules: &FundRules,
    loan: &Loan,
    date: NaiveDate,
    standing: &Standing,
) -> Result<Loan, FundError> {
    require(loan, LoanStatus::Approved, "disbursed")?;
    not_before(
        date,
        loan.approved_on.unwrap_or(loan.applied_on),
        "approval",
    )?;
    check_loan_limits(rules, loan, standing)?;
    let schedule = schedule::build_in(
        rules.day_count,
        loan.method,
        loan.principal,
        loan.rate_annual,
        loan.term_months,
        date,
    )
    .map_err(|e| FundError::Invalid {
        field: "loan_id".into(),
        reason: e.to_string(),
    })?;
    let mut l = loan.clone();
    l.upfront_fee = if rules.fee_upfront {
        schedule.iter().map(|i| i.fee).sum()
    } else {
        Decimal::ZERO
    };
    l.schedule = schedule;
    l.status = LoanStatus::Disbursed;
    l.disbursed_on = Some(date);
    l.accrued_through = Some(date);
    Ok(l)
}

#[cfg(test)]
mod tests;
