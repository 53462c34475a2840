//! Records and results into messages: dates, amounts (always two places),
//! enums by name, rules, loans, members, placements and entries. Reads
//! nothing: callers hand in the balances a message shows.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::chart::{AccountType, BookKind};
use crate::domain::daycount::DayCount;
use crate::domain::federation::{Direction, FederationRules, Officer, Placement};
use crate::domain::fund::{Component, FundRules, Member, PovertyStatus};
use crate::domain::household::{Flag, RiskCause, Status};
use crate::domain::loan::{Loan, LoanStatus, PurposeCategory};
use crate::domain::money::{format_fen, format_yuan};
use crate::domain::posting::Side;
use crate::domain::riskfund::{GuaranteeState, GuaranteedLoan, ProgramRules, Registration};
use crate::domain::schedule::{Installment, Method};
use crate::domain::servicing;
use crate::domain::subsidy::{Line, PeriodState};
use crate::ledger::reads::EntryView;
use crate::ledger::record::hash_hex;
use crate::ledger::state::{AccountMeta, BookMeta};
use crate::pb;

pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// An optional date: empty when there is none.
pub fn optional_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

/// A ratio as text; empty when it is undefined (nothing to divide by).
pub fn ratio(r: Option<Decimal>) -> String {
    r.map(|r| r.to_string()).unwrap_or_default()
}

pub fn installment(i: &Installment) -> pb::Installment {
    pb::Installment {
        no: i.no,
        due_date: date(i.due_date),
        principal: format_yuan(i.principal),
        fee: format_yuan(i.fee),
        payment: format_yuan(i.payment),
        outstanding_after: format_yuan(i.outstanding_after),
    }
}

pub fn book(b: &BookMeta) -> pb::Book {
    pb::Book {
        book_id: b.book_id.clone(),
        kind: match b.kind {
            BookKind::Fund => pb::BookKind::Fund,
            BookKind::Federation => pb::BookKind::Federation,
            BookKind::Program => pb::BookKind::Program,
        } as i32,
        name: b.name.clone(),
        closed_through: optional_date(b.closed_through),
    }
}

pub fn account_type(t: AccountType) -> pb::AccountType {
    match t {
        AccountType::Asset => pb::AccountType::Asset,
        AccountType::Liability => pb::AccountType::Liability,
        AccountType::Equity => pb::AccountType::Equity,
        AccountType::Income => pb::AccountType::Income,
        AccountType::Expense => pb::AccountType::Expense,
        AccountType::MemoDebit => pb::AccountType::MemoDebit,
        AccountType::MemoCredit => pb::AccountType::MemoCredit,
    }
}

/// An account type's name in extracts.
pub fn account_type_name(t: AccountType) -> &'static str {
    match t {
        AccountType::Asset => "asset",
        AccountType::Liability => "liability",
        AccountType::Equity => "equity",
        AccountType::Income => "income",
        AccountType::Expense => "expense",
        AccountType::MemoDebit => "memo_debit",
        AccountType::MemoCredit => "memo_credit",
    }
}

pub fn account_ref(book_id: &str, a: &AccountMeta) -> pb::AccountRef {
    pb::AccountRef {
        book_id: book_id.to_string(),
        code: a.code.clone(),
        sub: a.sub.clone(),
    }
}

pub fn account(book_id: &str, a: &AccountMeta, debit_positive_fen: i128) -> pb::Account {
    pb::Account {
        r#ref: Some(account_ref(book_id, a)),
        name: a.name.clone(),
        r#type: account_type(a.account_type) as i32,
        non_negative: a.non_negative,
        balance: format_fen(a.normal_balance(debit_positive_fen)),
    }
}

pub fn entry(view: &EntryView) -> pb::Entry {
    let (r, hash) = view.record.as_ref();
    pb::Entry {
        seq: r.seq,
        request_id: r.request_id.clone(),
        value_date: date(r.value_date),
        recorded_at: chrono::DateTime::from_timestamp_micros(r.recorded_at_us)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
            .unwrap_or_default(),
        actor: r.actor.clone(),
        memo: r.memo.clone(),
        postings: r
            .postings
            .iter()
            .map(|p| pb::Posting {
                account: Some(pb::AccountRef {
                    book_id: p.book.clone(),
                    code: p.code.clone(),
                    sub: p.sub.clone(),
                }),
                side: match p.side {
                    Side::Debit => pb::Side::Debit,
                    Side::Credit => pb::Side::Credit,
                } as i32,
                amount: format_fen(i128::from(p.amount_fen)),
            })
            .collect(),
        reverses: r.reverses,
        reversed_by: view.reversed_by,
        prev_hash: r.prev_hash.clone(),
        hash: hash_hex(hash),
    }
}

pub fn poverty_status(s: PovertyStatus) -> pb::PovertyStatus {
    use pb::PovertyStatus as P;
    match s {
        PovertyStatus::RegisteredPoor => P::RegisteredPoor,
        PovertyStatus::LowIncome => P::LowIncome,
        PovertyStatus::Dibao => P::Dibao,
        PovertyStatus::Wubao => P::Wubao,
        PovertyStatus::MonitoredEdge => P::MonitoredEdge,
        PovertyStatus::MonitoredUnstable => P::MonitoredUnstable,
        PovertyStatus::None => P::None,
    }
}

pub fn household_flag(f: Flag) -> pb::HouseholdFlag {
    use pb::HouseholdFlag as H;
    match f {
        Flag::RegisteredPoor => H::RegisteredPoor,
        Flag::LowIncome => H::LowIncome,
        Flag::Dibao => H::Dibao,
        Flag::Wubao => H::Wubao,
        Flag::Monitored => H::Monitored,
        Flag::UnstableAfterExit => H::UnstableAfterExit,
    }
}

/// Flags as the messages list them.
pub fn household_flags(flags: impl Iterator<Item = Flag>) -> Vec<i32> {
    flags.map(|f| household_flag(f) as i32).collect()
}

pub fn risk_cause(c: Option<RiskCause>) -> i32 {
    use pb::RiskCause as R;
    (match c {
        None => R::Unspecified,
        Some(RiskCause::IllnessOrDisability) => R::IllnessOrDisability,
        Some(RiskCause::UnstableEmployment) => R::UnstableEmployment,
        Some(RiskCause::BusinessFailure) => R::BusinessFailure,
        Some(RiskCause::Emergency) => R::Emergency,
        Some(RiskCause::Education) => R::Education,
        Some(RiskCause::Epidemic) => R::Epidemic,
        Some(RiskCause::Disaster) => R::Disaster,
        Some(RiskCause::Other) => R::Other,
    }) as i32
}

pub fn loan_status(s: LoanStatus) -> pb::LoanStatus {
    match s {
        LoanStatus::Applied => pb::LoanStatus::Applied,
        LoanStatus::Approved => pb::LoanStatus::Approved,
        LoanStatus::Disbursed => pb::LoanStatus::Disbursed,
        LoanStatus::Closed => pb::LoanStatus::Closed,
        LoanStatus::WrittenOff => pb::LoanStatus::WrittenOff,
        LoanStatus::Rescheduled => pb::LoanStatus::Rescheduled,
    }
}

/// A loan status's name in extracts.
pub fn loan_status_name(s: LoanStatus) -> &'static str {
    match s {
        LoanStatus::Applied => "applied",
        LoanStatus::Approved => "approved",
        LoanStatus::Disbursed => "disbursed",
        LoanStatus::Closed => "closed",
        LoanStatus::WrittenOff => "written_off",
        LoanStatus::Rescheduled => "rescheduled",
    }
}

pub fn purpose_category(c: PurposeCategory) -> pb::PurposeCategory {
    use pb::PurposeCategory as P;
    match c {
        PurposeCategory::Crops => P::Crops,
        PurposeCategory::Livestock => P::Livestock,
        PurposeCategory::Processing => P::Processing,
        PurposeCategory::Trade => P::Trade,
        PurposeCategory::Services => P::Services,
        PurposeCategory::Other => P::Other,
    }
}

pub fn method(m: Method) -> pb::RepaymentMethod {
    match m {
        Method::Bullet => pb::RepaymentMethod::Bullet,
        Method::FeeMonthlyPrincipalAtMaturity => pb::RepaymentMethod::FeeMonthly,
        Method::EqualInstallments => pb::RepaymentMethod::EqualInstallments,
        Method::EqualPrincipal => pb::RepaymentMethod::EqualPrincipal,
    }
}

pub fn day_count(c: DayCount) -> pb::DayCount {
    match c {
        DayCount::MonthsAndDays => pb::DayCount::MonthsAndDays,
        DayCount::Actual360 => pb::DayCount::Actual360,
    }
}

pub fn fund_rules(r: &FundRules) -> pb::FundRules {
    pb::FundRules {
        share_price: r.share_price.to_string(),
        min_shares: r.min_shares,
        first_loan_max: r.first_loan_max.to_string(),
        loan_max: r.loan_max.to_string(),
        term_max_months: r.term_max_months,
        household_share_max: r.household_share_max.to_string(),
        fee_rate_annual: r.fee_rate_annual.to_string(),
        fee_upfront: r.fee_upfront,
        penalty_rate_annual: r.penalty_rate_annual.to_string(),
        board_approval_above: r.board_approval_above.to_string(),
        min_poor_loan_share: r.min_poor_loan_share.to_string(),
        leave_notice_months: r.leave_notice_months,
        min_age_years: r.min_age_years,
        welfare_share: r.distribution.welfare.to_string(),
        accumulation_share: r.distribution.accumulation.to_string(),
        risk_share: r.distribution.risk.to_string(),
        dividend_share: r.distribution.dividends.to_string(),
        group_min: r.group_min,
        group_max: r.group_max,
        loans_need_group: r.loans_need_group,
        allocation_eligible: household_flags(r.allocation_eligible.iter().copied()),
        day_count: day_count(r.day_count) as i32,
        lend_to_members_in_arrears: r.lend_to_members_in_arrears,
        waterfall: r
            .waterfall
            .iter()
            .map(|c| match c {
                Component::Penalty => pb::OwedPart::Penalty,
                Component::Fee => pb::OwedPart::Fee,
                Component::Principal => pb::OwedPart::Principal,
            } as i32)
            .collect(),
    }
}

/// A fund loan with its outstanding principal (1201) in fen.
pub fn loan(l: &Loan, outstanding_fen: i128) -> pb::Loan {
    pb::Loan {
        outstanding_principal: format_fen(outstanding_fen),
        loan_id: l.loan_id.clone(),
        member_id: l.member_id.clone(),
        principal: format_yuan(l.principal),
        term_months: l.term_months,
        method: method(l.method) as i32,
        rate_annual: l.rate_annual.to_string(),
        purpose: l.purpose.clone(),
        purpose_category: purpose_category(l.purpose_category) as i32,
        business: l.business.clone().unwrap_or_default(),
        restructured: l.restructured(),
        status: loan_status(l.status) as i32,
        applied_on: date(l.applied_on),
        applied_by: l.applied_by.clone(),
        approved_by: l.approved_by.clone().unwrap_or_default(),
        write_off_requested_by: l.write_off_requested_by.clone().unwrap_or_default(),
        write_off_requested_decision: l.write_off_requested_decision.clone().unwrap_or_default(),
        written_off_by: l.written_off_by.clone().unwrap_or_default(),
        approved_on: optional_date(l.approved_on),
        board_approved: l.board_approved,
        disbursed_on: optional_date(l.disbursed_on),
        schedule: l.schedule.iter().map(installment).collect(),
        upfront_fee: format_yuan(l.upfront_fee),
        rescheduled_from: l.rescheduled_from.clone().unwrap_or_default(),
        rescheduled_to: l.rescheduled_to.clone().unwrap_or_default(),
        repayments: l
            .repayments
            .iter()
            .map(|p| pb::RepaymentLine {
                date: date(p.date),
                amount: format_yuan(p.amount),
                penalty: format_yuan(p.penalty),
                fee: format_yuan(p.fee),
                principal: format_yuan(p.principal),
            })
            .collect(),
        written_off: format_yuan(l.written_off),
        write_off_decision: l.write_off_decision.clone().unwrap_or_default(),
        recovered: format_yuan(l.recovered),
        closed_on: optional_date(l.closed_on),
    }
}

/// A loan's line in the loan ledger, with days past due on `as_of` and the
/// borrower's status. Only an open loan owes anything: a written-off or
/// rescheduled one owes nothing more.
pub fn loan_line(l: &Loan, member_status: &Status, as_of: NaiveDate) -> pb::LoanLine {
    let open = |amount: Decimal| {
        if l.status == LoanStatus::Disbursed {
            amount
        } else {
            Decimal::ZERO
        }
    };
    let dpd = servicing::days_past_due(l, as_of);
    pb::LoanLine {
        loan_id: l.loan_id.clone(),
        member_id: l.member_id.clone(),
        member_status: poverty_status(member_status.primary()) as i32,
        member_flags: household_flags(member_status.flags()),
        status: loan_status(l.status) as i32,
        principal: format_yuan(l.principal),
        outstanding_principal: format_yuan(open(l.principal - l.principal_paid)),
        fee_due: format_yuan(open(l.fee_accrued - l.fee_paid)),
        penalty_due: format_yuan(open(l.penalty_accrued - l.penalty_paid)),
        days_past_due: dpd,
        bucket: servicing::bucket(dpd).into(),
        disbursed_on: optional_date(l.disbursed_on),
        maturity: optional_date(l.schedule.last().map(|i| i.due_date)),
        restructured: l.restructured(),
    }
}

pub fn member(m: &Member) -> pb::Member {
    let status = m.status();
    pb::Member {
        member_id: m.member_id.clone(),
        household_id: m.household_id.clone(),
        name: m.name.clone(),
        birth_date: date(m.birth_date),
        joined: date(m.joined),
        status: poverty_status(status.primary()) as i32,
        status_history: m
            .status_history
            .iter()
            .map(|s| pb::StatusChange {
                date: date(s.date),
                status: poverty_status(s.status) as i32,
                risk_cause: s.risk_cause.clone(),
                flags: household_flags(s.household().flags()),
                cause: risk_cause(s.household().cause()),
            })
            .collect(),
        left: optional_date(m.left),
        flags: household_flags(status.flags()),
        cause: risk_cause(status.cause()),
    }
}

pub fn program_rules(r: &ProgramRules) -> pb::ProgramRules {
    pb::ProgramRules {
        leverage_ratio: r.whole_ratio(),
        leverage_ratio_decimal: r.leverage_ratio.normalize().to_string(),
        fund_share: r.fund_share.to_string(),
        claim_after_days: r.claim_after_days,
        suspend_above_default_ratio: r.suspend_above_default_ratio.to_string(),
        borrower_age_max: r.borrower_age_max,
        compensate_interest: r.compensate_interest,
        bank_id: r.bank_id.clone(),
        eligible: household_flags(r.eligible.iter().copied()),
        day_count: day_count(r.day_count) as i32,
        principal_max: format_yuan(r.principal_max),
        term_max_months: r.term_max_months,
    }
}

pub fn guarantee_state(s: GuaranteeState) -> pb::GuaranteeState {
    match s {
        GuaranteeState::Active => pb::GuaranteeState::Active,
        GuaranteeState::Closed => pb::GuaranteeState::Closed,
        GuaranteeState::Claimed => pb::GuaranteeState::Claimed,
    }
}

/// A guaranteed loan with its exposure (7001) in fen and days past due on `as_of`.
pub fn guaranteed_loan(
    l: &GuaranteedLoan,
    exposure_fen: i128,
    as_of: NaiveDate,
) -> pb::GuaranteedLoan {
    let t = &l.terms;
    pb::GuaranteedLoan {
        exposure: format_fen(exposure_fen),
        days_past_due: l.days_past_due(as_of),
        principal_repaid: format_yuan(l.principal_repaid()),
        interest_repaid: format_yuan(l.interest_repaid()),
        loan_id: t.loan_id.clone(),
        household_id: t.household_id.clone(),
        borrower_name: t.borrower_name.clone(),
        poverty_status: poverty_status(t.poverty_status) as i32,
        birth_date: date(t.birth_date),
        principal: format_yuan(t.principal),
        term_months: t.term_months,
        rate_annual: t.rate_annual.to_string(),
        method: method(t.method) as i32,
        disbursed_on: date(t.date),
        schedule: l.schedule.iter().map(installment).collect(),
        state: guarantee_state(l.state) as i32,
        claim: l.claim.as_ref().map(|c| pb::Claim {
            date: date(c.date),
            days_past_due: c.days_past_due,
            unpaid_principal: format_yuan(c.unpaid_principal),
            unpaid_interest: format_yuan(c.unpaid_interest),
            compensation: format_yuan(c.compensation),
            recovered: format_yuan(c.recovered),
            recovered_to_fund: format_yuan(c.recovered_to_fund),
        }),
        closed_on: optional_date(l.closed_on),
        flags: household_flags(t.household().flags()),
        purpose: t
            .purpose
            .as_ref()
            .map_or(pb::PurposeCategory::Unspecified, |p| {
                purpose_category(p.category)
            }) as i32,
        business: business(t),
        subsidy_only: t.subsidy_only,
        schedule_from_bank: l.schedule_from_bank,
        oldest_unpaid_installment: l.oldest_unpaid(as_of),
    }
}

/// The business a loan is used by (户贷企用), empty for none.
fn business(t: &Registration) -> String {
    t.purpose
        .as_ref()
        .and_then(|p| p.business.clone())
        .unwrap_or_default()
}

/// A line of the program's loan list: `l` as it stood at the end of
/// `as_of` (see [`GuaranteedLoan::as_of`]), with its principal in default then.
pub fn guaranteed_loan_line(
    l: &GuaranteedLoan,
    rules: &ProgramRules,
    as_of: NaiveDate,
) -> pb::GuaranteedLoanLine {
    let t = &l.terms;
    pb::GuaranteedLoanLine {
        loan_id: t.loan_id.clone(),
        household_id: t.household_id.clone(),
        borrower_name: t.borrower_name.clone(),
        poverty_status: poverty_status(t.poverty_status) as i32,
        flags: household_flags(t.household().flags()),
        principal: format_yuan(t.principal),
        disbursed_on: date(t.date),
        term_months: t.term_months,
        state: guarantee_state(l.state) as i32,
        exposure: format_yuan(l.exposure()),
        days_past_due: l.days_past_due(as_of),
        principal_in_default: format_yuan(l.principal_in_default(rules, as_of)),
        business: business(t),
        subsidy_only: t.subsidy_only,
        claimed_on: optional_date(l.claim.as_ref().map(|c| c.date)),
    }
}

pub fn federation_rules(r: &FederationRules) -> pb::FederationRules {
    pb::FederationRules {
        limit_share: r.limit_share.to_string(),
        placement_rate_annual: r.placement_rate_annual.to_string(),
        spread_annual: r.spread_annual.to_string(),
        par30_alert: r.par30_alert.to_string(),
        liquidity_alert: r.liquidity_alert.to_string(),
        day_count: day_count(r.day_count) as i32,
        report_due_days: r.report_due_days,
    }
}

pub fn officer(o: &Officer) -> pb::Officer {
    pb::Officer {
        name: o.name.clone(),
        fund_id: o.fund_id.clone(),
        township_official: o.township_official,
    }
}

pub fn placement(p: &Placement) -> pb::Placement {
    pb::Placement {
        placement_id: p.placement_id.clone(),
        fund_id: p.fund_id.clone(),
        direction: match p.direction {
            Direction::FromFund => pb::PlacementDirection::FromFund,
            Direction::ToFund => pb::PlacementDirection::ToFund,
        } as i32,
        principal: format_yuan(p.principal),
        rate_annual: p.rate_annual.to_string(),
        placed_on: date(p.placed_on),
        outstanding: format_yuan(p.outstanding()),
        fees_paid: format_yuan(p.fees_paid),
        repayments: p
            .repayments
            .iter()
            .map(|r| pb::PlacementRepayment {
                date: date(r.date),
                principal: format_yuan(r.principal),
                fee: format_yuan(r.fee),
            })
            .collect(),
    }
}

/// One loan's line of a subsidy period, as statements and extracts show it.
pub fn subsidy_line(period: &str, l: &Line) -> pb::SubsidyLine {
    pb::SubsidyLine {
        period: period.to_string(),
        loan_ref: l.loan.clone(),
        payee: l.payee.clone(),
        rate_annual: l.rate_annual.to_string(),
        days_current: l.accrued.days_current,
        days_overdue: l.accrued.days_overdue,
        subsidy: format_yuan(l.accrued.subsidy),
        fee_reduced: format_yuan(l.fee_reduced),
        refund_to_borrower: format_yuan(l.refund),
    }
}

pub fn period_state(s: PeriodState) -> pb::SubsidyPeriodState {
    match s {
        PeriodState::Accrued => pb::SubsidyPeriodState::Accrued,
        PeriodState::Claimed => pb::SubsidyPeriodState::Claimed,
        PeriodState::Approved => pb::SubsidyPeriodState::Approved,
        PeriodState::Paid => pb::SubsidyPeriodState::Paid,
    }
}

/// A period state's name in extracts.
pub fn period_state_name(s: PeriodState) -> &'static str {
    match s {
        PeriodState::Accrued => "accrued",
        PeriodState::Claimed => "claimed",
        PeriodState::Approved => "approved",
        PeriodState::Paid => "paid",
    }
}
