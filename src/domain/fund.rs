//! A village mutual-aid fund's rules and its members (DOMAIN.md §1, §4).
//!
//! Products are data: every rule a fund may set lives in [`FundRules`], with
//! the field defaults of DOMAIN.md (marked "field") or design choices
//! (marked "assumed"). The functions here decide; they never store.
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::daycount::DayCount;
use super::household::{eligible_label, Flag, RiskCause, Status, ALLOCATION_ELIGIBLE};

pub mod recipe;

/// Names of the fund rules, as they appear in error details.
pub mod rule {
    pub const MEMBER_AGE: &str = "member_adult";
    pub const MEMBER_RESIDENT: &str = "member_resident";
    pub const ONE_PER_HOUSEHOLD: &str = "one_member_per_household";
    pub const MEMBER_ACTIVE: &str = "member_active";
    pub const SHARE_MULTIPLE: &str = "shares_in_whole_units";
    pub const SHARE_MINIMUM: &str = "shares_minimum_holding";
    pub const ALLOCATED_FOR_POOR: &str = "allocated_shares_for_registered_poor";
    pub const ALLOCATED_NOT_REFUNDABLE: &str = "allocated_shares_not_refundable";
    pub const LEAVE_NOTICE: &str = "leave_after_notice";
    pub const LEAVE_WITHOUT_DEBT: &str = "leave_without_debt";
    pub const GROUP_SIZE: &str = "guarantee_group_size";
    pub const ONE_GROUP: &str = "one_guarantee_group_per_member";
    pub use crate::domain::household::MONITORED_CAUSE;
    pub const STATUS_DATE_ORDER: &str = "status_changes_in_date_order";
}

pub use super::household::PovertyStatus;
pub use super::refusal::FundError;

fn broken(rule: &'static str, detail: impl Into<String>) -> FundError {
    FundError::Rule {
        rule,
        detail: detail.into(),
    }
}

fn invalid(field: &str, reason: impl Into<String>) -> FundError {
    FundError::Invalid {
        field: field.into(),
        reason: reason.into(),
    }
}

/// How the year's surplus is shared out; set by the members' meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    pub welfare: Decimal,
    pub accumulation: Decimal,
    pub risk: Decimal,
    /// 0 where a province forbids dividends.
    pub dividends: Decimal,
}

/// The parts of what a borrower owes, in the order a fund's repayments pay them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Component {
    Penalty,
    Fee,
    Principal,
}

/// Everything a fund decides for itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundRules {
    /// Price of one share, yuan (assumed 100.00).
    pub share_price: Decimal,
    /// Shares a member must hold (assumed 1).
    pub min_shares: u32,
    /// Largest first loan (field: 10,000). Records written before keep theirs.
    pub first_loan_max: Decimal,
    /// Largest loan (field: 20,000; the Zhuyang federation's average loan was 12,365).
    pub loan_max: Decimal,
    /// Longest term (field: 12 months).
    pub term_max_months: u32,
    /// Largest share of the fund's capital one household may owe (assumed 10%).
    pub household_share_max: Decimal,
    /// Occupancy fee, a year (assumed 7.2%).
    pub fee_rate_annual: Decimal,
    /// Charged at disbursement instead of accrued day by day.
    pub fee_upfront: bool,
    /// Penalty on overdue principal, a year (assumed 3.6%).
    pub penalty_rate_annual: Decimal,
    /// Loans above this need the board's approval (assumed 5,000).
    pub board_approval_above: Decimal,
    /// Least share of loans to poor households (assumed 30%).
    pub min_poor_loan_share: Decimal,
    /// Notice before leaving (field: 2 months).
    pub leave_notice_months: u32,
    /// Least age of a member (field: 18).
    pub min_age_years: u32,
    pub distribution: Distribution,
    /// The order repayments pay what has fallen due (default: penalty, fee, principal).
    pub waterfall: [Component; 3],
    /// Households in a joint-liability guarantee group (联保小组; assumed 3 to 7, about 5).
    pub group_min: u32,
    pub group_max: u32,
    /// A borrower must belong to a guarantee group (assumed: the fund chooses; off by default).
    pub loans_need_group: bool,
    /// Households that may receive allocated shares (配股); empty: registered
    /// poor ([`household::ALLOCATION_ELIGIBLE`]). Absent in records written
    /// before the setting existed.
    #[serde(default)]
    pub allocation_eligible: Vec<Flag>,
    /// How the fund counts days (DOMAIN.md §2): its schedules, early payoffs
    /// and penalties. Absent in records written before: months and days.
    #[serde(default)]
    pub day_count: DayCount,
    /// A member with a loan past due or a write-off not fully recovered may
    /// borrow all the same (assumed off: such a member is refused). Absent
    /// in records written before: off.
    #[serde(default)]
    pub lend_to_members_in_arrears: bool,
}

impl Default for FundRules {
    fn default() -> Self {
        let d = |n: i64, scale: u32| Decimal::new(n, scale);
        Self {
            share_price: d(10_000, 2),
            min_shares: 1,
            first_loan_max: d(10_000, 0),
            loan_max: d(20_000, 0),
            term_max_months: 12,
            household_share_max: d(10, 2),
            fee_rate_annual: d(72, 3),
            fee_upfront: false,
            penalty_rate_annual: d(36, 3),
            board_approval_above: d(5_000, 0),
            min_poor_loan_share: d(30, 2),
            leave_notice_months: 2,
            min_age_years: 18,
            distribution: Distribution {
                welfare: d(10, 2),
                accumulation: d(20, 2),
                risk: d(30, 2),
                dividends: d(40, 2),
            },
            waterfall: [Component::Penalty, Component::Fee, Component::Principal],
            group_min: 3,
            group_max: 7,
            loans_need_group: false,
            allocation_eligible: Vec::new(),
            day_count: DayCount::MonthsAndDays,
            lend_to_members_in_arrears: false,
        }
    }
}

fn fraction(field: &str, v: Decimal) -> Result<(), FundError> {
    if v < Decimal::ZERO || v > Decimal::ONE {
        return Err(invalid(field, "must be a fraction from 0 to 1"));
    }
    Ok(())
}

fn yuan(field: &str, v: Decimal) -> Result<(), FundError> {
    if v <= Decimal::ZERO || v.normalize().scale() > 2 {
        return Err(invalid(
            field,
            "must be an amount of yuan above zero with at most two decimal places",
        ));
    }
    Ok(())
}

impl FundRules {
    /// Checks that the rules make sense together; names the field at fault.
    pub fn validate(&self) -> Result<(), FundError> {
        yuan("rules.share_price", self.share_price)?;
        yuan("rules.first_loan_max", self.first_loan_max)?;
        yuan("rules.loan_max", self.loan_max)?;
        yuan("rules.board_approval_above", self.board_approval_above)?;
        if self.first_loan_max > self.loan_max {
            return Err(invalid(
                "rules.first_loan_max",
                "must not exceed rules.loan_max",
            ));
        }
        if !(1..=super::schedule::MAX_TERM_MONTHS).contains(&self.term_max_months) {
            return Err(invalid("rules.term_max_months", "must be from 1 to 120"));
        }
        if self.min_shares == 0 {
            return Err(invalid("rules.min_shares", "must be at least 1"));
        }
        if !(16..=30).contains(&self.min_age_years) {
            return Err(invalid("rules.min_age_years", "must be from 16 to 30"));
        }
        if self.leave_notice_months > 24 {
            return Err(invalid("rules.leave_notice_months", "must be at most 24"));
        }
        fraction("rules.household_share_max", self.household_share_max)?;
        fraction("rules.fee_rate_annual", self.fee_rate_annual)?;
        fraction("rules.penalty_rate_annual", self.penalty_rate_annual)?;
        fraction("rules.min_poor_loan_share", self.min_poor_loan_share)?;
        let d = &self.distribution;
        for (field, v) in [
            ("rules.welfare_share", d.welfare),
            ("rules.accumulation_share", d.accumulation),
            ("rules.risk_share", d.risk),
            ("rules.dividend_share", d.dividends),
        ] {
            fraction(field, v)?;
        }
        if self.group_min < 2 || self.group_min > self.group_max || self.group_max > 15 {
            return Err(invalid(
                "rules.group_min",
                "guarantee groups are from 2 to 15 households, min at most max",
            ));
        }
        let w = &self.waterfall;
        if w[0] == w[1] || w[1] == w[2] || w[0] == w[2] {
            return Err(invalid(
                "rules.waterfall",
                "must name penalty, fee and principal once each",
            ));
        }
        if d.welfare + d.accumulation + d.risk + d.dividends != Decimal::ONE {
            return Err(invalid(
                "rules.distribution",
                "welfare, accumulation, risk and dividend shares must add up to 1",
            ));
        }
        Ok(())
    }
}

/// One change of a household's status, dated. Changes recorded before the
/// flags existed hold only `status` and a free-text `risk_cause`, and read as
/// the flags that status meant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub date: NaiveDate,
    /// The one value closest to the flags.
    pub status: PovertyStatus,
    /// A note on the cause (before the flags: the cause itself, free text).
    pub risk_cause: String,
    #[serde(default)]
    pub flags: Vec<Flag>,
    #[serde(default)]
    pub cause: Option<RiskCause>,
}

impl StatusChange {
    /// A change to these flags (the implied ones added) and cause.
    pub fn new(date: NaiveDate, flags: &[Flag], cause: Option<RiskCause>, note: String) -> Self {
        let status = Status::normalized(flags, cause);
        Self {
            date,
            status: status.primary(),
            risk_cause: note,
            flags: status.flags().collect(),
            cause,
        }
    }

    /// A change given as one value, the way changes were made before the
    /// flags: a note on a monitored status reads as the cause `Other`.
    pub fn from_status(
        date: NaiveDate,
        status: PovertyStatus,
        cause: Option<RiskCause>,
        note: String,
    ) -> Self {
        let cause = cause
            .or((status.is_monitored() && !note.trim().is_empty()).then_some(RiskCause::Other));
        let flags: Vec<Flag> = Status::from_legacy(status, None).flags().collect();
        Self::new(date, &flags, cause, note)
    }

    /// The household's status this change records.
    pub fn household(&self) -> Status {
        if self.flags.is_empty() && self.status != PovertyStatus::None {
            Status::from_legacy(self.status, self.cause)
        } else {
            Status::normalized(&self.flags, self.cause)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub member_id: String,
    pub household_id: String,
    pub name: String,
    pub birth_date: NaiveDate,
    pub joined: NaiveDate,
    /// Oldest first; the last is the current status.
    pub status_history: Vec<StatusChange>,
    pub left: Option<NaiveDate>,
}

impl Member {
    /// The household's status now.
    pub fn status(&self) -> Status {
        self.status_history
            .last()
            .map(StatusChange::household)
            .unwrap_or_default()
    }

    /// The status in force at the end of `date` (the first one recorded if
    /// the date is earlier).
    pub fn status_on(&self, date: NaiveDate) -> Status {
        self.status_history
            .iter()
            .rev()
            .find(|s| s.date <= date)
            .or(self.status_history.first())
            .map(StatusChange::household)
            .unwrap_or_default()
    }

    pub fn active(&self) -> bool {
        self.left.is_none()
    }

    pub fn require_active(&self) -> Result<(), FundError> {
        match self.left {
            None => Ok(()),
            Some(d) => Err(broken(
                rule::MEMBER_ACTIVE,
                format!("member {} left the fund on {d}", self.member_id),
            )),
        }
    }
}

/// Full years of age on `date`.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> i32 {
    let mut years = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// What a household asks when it joins.
#[derive(Debug, Clone)]
pub struct Joining {
    pub member_id: String,
    pub household_id: String,
    pub name: String,
    pub birth_date: NaiveDate,
    pub resident: bool,
    pub status: StatusChange,
}

/// Admits a household; `household_member` is the active member already
/// standing for the same household, if any.
pub fn join(
    rules: &FundRules,
    j: Joining,
    household_member: Option<&Member>,
) -> Result<Member, FundError> {
    let age = age_on(j.birth_date, j.status.date);
    if age < rules.min_age_years as i32 {
        return Err(broken(
            rule::MEMBER_AGE,
            format!(
                "a member must be at least {} years old; {} is {age}",
                rules.min_age_years, j.name
            ),
        ));
    }
    if !j.resident {
        return Err(broken(
            rule::MEMBER_RESIDENT,
            "a member must be resident in the village",
        ));
    }
    if let Some(m) = household_member {
        return Err(broken(
            rule::ONE_PER_HOUSEHOLD,
            format!(
                "household {} is already a member, as {}",
                j.household_id, m.member_id
            ),
        ));
    }
    check_status(&j.status)?;
    Ok(Member {
        member_id: j.member_id,
        household_id: j.household_id,
        name: j.name,
        birth_date: j.birth_date,
        joined: j.status.date,
        status_history: vec![j.status],
        left: None,
    })
}

/// A monitored household names its cause, and only a monitored one does.
fn check_status(s: &StatusChange) -> Result<(), FundError> {
    Status::new(&s.flags, s.cause).map(|_| ())
}

/// Records a change of poverty status, keeping the history.
pub fn change_status(member: &Member, change: StatusChange) -> Result<Member, FundError> {
    member.require_active()?;
    check_status(&change)?;
    if let Some(last) = member.status_history.last() {
        if change.date < last.date {
            return Err(broken(
                rule::STATUS_DATE_ORDER,
                format!(
                    "the last status change is dated {}; a new one cannot be earlier",
                    last.date
                ),
            ));
        }
    }
    let mut m = member.clone();
    m.status_history.push(change);
    Ok(m)
}

/// Checks a purchase of `amount` yuan of own shares by a member holding `held`.
pub fn buy_shares(
    rules: &FundRules,
    member: &Member,
    held: Decimal,
    amount: Decimal,
) -> Result<(), FundError> {
    member.require_active()?;
    if amount <= Decimal::ZERO || !(amount % rules.share_price).is_zero() {
        return Err(broken(
            rule::SHARE_MULTIPLE,
            format!("shares are bought in whole units of {}", rules.share_price),
        ));
    }
    let minimum = rules.share_price * Decimal::from(rules.min_shares);
    if held + amount < minimum {
        return Err(broken(
            rule::SHARE_MINIMUM,
            format!("a member holds at least {minimum} of shares"),
        ));
    }
    Ok(())
}

/// Checks an allocation of shares paid from seed capital to a member: only a
/// registered poor household receives them.
pub fn allocate_shares(
    rules: &FundRules,
    member: &Member,
    amount: Decimal,
) -> Result<(), FundError> {
    member.require_active()?;
    let status = member.status();
    if !status.eligible(&rules.allocation_eligible, ALLOCATION_ELIGIBLE) {
        return Err(broken(
            rule::ALLOCATED_FOR_POOR,
            format!(
                "allocated shares go to {} households; {} is {}",
                eligible_label(&rules.allocation_eligible, ALLOCATION_ELIGIBLE),
                member.member_id,
                status.label()
            ),
        ));
    }
    if amount <= Decimal::ZERO || !(amount % rules.share_price).is_zero() {
        return Err(broken(
            rule::SHARE_MULTIPLE,
            format!(
                "shares are allocated in whole units of {}",
                rules.share_price
            ),
        ));
    }
    Ok(())
}

/// Checks a refund of `amount` of own shares to a member holding `held`: what
/// is left may not fall below the fund's minimum holding. (More than is held
/// is the ledger's refusal: the share account never goes below zero.)
pub fn refund_shares(rules: &FundRules, held: Decimal, amount: Decimal) -> Result<(), FundError> {
    let left = held - amount;
    let minimum = rules.share_price * Decimal::from(rules.min_shares);
    if held >= amount && left < minimum {
        return Err(broken(
            rule::SHARE_MINIMUM,
            format!("a member holds at least {minimum} of shares; this refund would leave {left}"),
        ));
    }
    Ok(())
}

/// Allocated shares stay with the fund: they are never refunded or transferred.
pub fn refund_allocated_shares(member: &Member) -> FundError {
    broken(
        rule::ALLOCATED_NOT_REFUNDABLE,
        format!(
            "allocated shares of {} cannot be refunded or transferred",
            member.member_id
        ),
    )
}

/// A joint-liability guarantee group of member households.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteeGroup {
    pub group_id: String,
    pub members: Vec<String>,
    pub formed: NaiveDate,
}

/// Forms a group of `members` (each with the group it already belongs to, if any).
pub fn form_group(
    rules: &FundRules,
    group_id: &str,
    members: &[(Member, Option<String>)],
    date: NaiveDate,
) -> Result<GuaranteeGroup, FundError> {
    let n = members.len() as u32;
    if n < rules.group_min || n > rules.group_max {
        return Err(broken(
            rule::GROUP_SIZE,
            format!(
                "a guarantee group has {} to {} households, not {n}",
                rules.group_min, rules.group_max
            ),
        ));
    }
    let mut ids: Vec<String> = Vec::with_capacity(members.len());
    for (m, group) in members {
        m.require_active()?;
        if let Some(g) = group {
            return Err(broken(
                rule::ONE_GROUP,
                format!("{} already belongs to guarantee group {g}", m.member_id),
            ));
        }
        if ids.contains(&m.member_id) {
            return Err(invalid(
                "member_ids",
                format!("names {} twice", m.member_id),
            ));
        }
        ids.push(m.member_id.clone());
    }
    Ok(GuaranteeGroup {
        group_id: group_id.to_string(),
        members: ids,
        formed: date,
    })
}

/// Checks that a member may leave on `date` having given notice on
/// `notice_date`, owing `owed` (loans, fees and penalties outstanding).
pub fn leave(
    rules: &FundRules,
    member: &Member,
    notice_date: NaiveDate,
    date: NaiveDate,
    owed: Decimal,
) -> Result<Member, FundError> {
    member.require_active()?;
    if owed > Decimal::ZERO {
        return Err(broken(
            rule::LEAVE_WITHOUT_DEBT,
            format!(
                "{} still owes {owed}; a member leaves only without loans or fees outstanding",
                member.member_id
            ),
        ));
    }
    let earliest = notice_date
        .checked_add_months(Months::new(rules.leave_notice_months))
        .ok_or_else(|| invalid("notice_date", "is out of range"))?;
    if notice_date < member.joined || date < earliest {
        return Err(broken(
            rule::LEAVE_NOTICE,
            format!(
                "with notice given on {notice_date}, {} may leave on {earliest} at the earliest ({} months' notice)",
                member.member_id, rules.leave_notice_months
            ),
        ));
    }
    let mut m = member.clone();
    m.left = Some(date);
    Ok(m)
}

#[cfg(test)]
mod tests;
