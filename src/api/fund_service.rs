//! FundService: decodes a fund operation, and hands the ledger's writer a
//! planner that reads the fund's registry, asks `domain::fund` and returns the
//! entries and records to store. Amounts are moved, never computed, here.
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tonic::{Request, Response, Status};

use super::access::{allow_fund, allow_on, On};
use super::convert as cv;
use super::registry::{
    account, amount, balance, equity, fen_of, ident, json, load, load_all, run, run_isolated,
    to_fen, transfer, Answer,
};
use super::status::to_status;
use crate::auth::Act;
use crate::domain::chart::{AccountType, BookKind};
use crate::domain::fund::{
    self, Component, FundError, FundRules, Member, PovertyStatus, StatusChange,
};
use crate::domain::loan::{self, Loan, LoanStatus};
use crate::domain::money::{fen_to_decimal, format_fen, format_yuan};
use crate::domain::schedule::Method;
use crate::domain::servicing;
use crate::domain::yearend;
use crate::ledger::record::Side;
use crate::ledger::state::State;
use crate::ledger::{
    Ledger, LedgerError, Plan, PlannedAccount, PlannedBook, PlannedEntry, PostingInput, Result,
    Store,
};
use crate::pb::{self, fund_service_server::FundService};

/// A fund's registry record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FundProfile {
    pub fund_id: String,
    pub name: String,
    pub rules: FundRules,
}

/// Which member stands for a household.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Household {
    pub member_id: String,
}

pub(crate) fn fund_key(fund_id: &str) -> String {
    format!("fund/{fund_id}")
}

pub(crate) fn member_key(fund_id: &str, member_id: &str) -> String {
    format!("member/{fund_id}/{member_id}")
}

pub(crate) fn household_key(fund_id: &str, household_id: &str) -> String {
    format!("household/{fund_id}/{household_id}")
}

pub(crate) const FISCAL: &str = "source:fiscal";
pub(crate) const SPECIAL: &str = "source:special";

/// The fund's record. Every fund operation starts here (or from a member or
/// a loan, which check the same), so a federation's book id is refused for
/// all of them: a federation never takes members, loans or anything else of
/// a household (DOMAIN.md §6).
pub(crate) fn profile(state: &State, fund_id: &str) -> Result<FundProfile> {
    not_a_federation(state, fund_id)?;
    load(state, &fund_key(fund_id))?
        .ok_or_else(|| LedgerError::not_found("fund_id", format!("fund {fund_id:?}")))
}

fn not_a_federation(state: &State, fund_id: &str) -> Result<()> {
    if state
        .book(fund_id)
        .is_some_and(|b| b.kind == BookKind::Federation)
    {
        return Err(LedgerError::rule(
            crate::ledger::error::rule::NO_HOUSEHOLD_IN_FEDERATION,
            "fund_id",
            format!(
                "{fund_id:?} is a federation: a federation never lends to or takes in households"
            ),
        ));
    }
    Ok(())
}

pub(crate) fn member(state: &State, fund_id: &str, member_id: &str) -> Result<Member> {
    not_a_federation(state, fund_id)?;
    load(state, &member_key(fund_id, member_id))?.ok_or_else(|| {
        LedgerError::not_found(
            "member_id",
            format!("member {member_id:?} of fund {fund_id:?}"),
        )
    })
}

pub(crate) fn refused(e: FundError, subject: &str) -> LedgerError {
    match e {
        FundError::Rule { rule, detail } => LedgerError::rule(rule, subject, detail),
        FundError::Invalid { field, reason } => LedgerError::invalid(field, reason),
    }
}

pub(crate) fn member_sub(member_id: &str) -> String {
    format!("member:{member_id}")
}

pub(crate) fn till_code(till: i32) -> Result<&'static str> {
    match pb::Till::try_from(till) {
        Ok(pb::Till::Cash) => Ok("1001"),
        Ok(pb::Till::Bank) => Ok("1002"),
        _ => Err(LedgerError::invalid("till", "must be CASH or BANK")),
    }
}

pub(crate) fn status_from(value: i32, field: &str) -> Result<PovertyStatus> {
    use pb::PovertyStatus as P;
    Ok(match P::try_from(value) {
        Ok(P::RegisteredPoor) => PovertyStatus::RegisteredPoor,
        Ok(P::LowIncome) => PovertyStatus::LowIncome,
        Ok(P::Dibao) => PovertyStatus::Dibao,
        Ok(P::Wubao) => PovertyStatus::Wubao,
        Ok(P::MonitoredEdge) => PovertyStatus::MonitoredEdge,
        Ok(P::MonitoredUnstable) => PovertyStatus::MonitoredUnstable,
        Ok(P::None) => PovertyStatus::None,
        _ => {
            return Err(LedgerError::invalid(
                field,
                "must name a poverty status (NONE when the household has none)",
            ))
        }
    })
}

pub(crate) fn status_to(s: PovertyStatus) -> pb::PovertyStatus {
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

/// Rules from the request, every empty field taking its default.
fn rules_from(r: Option<&pb::FundRules>) -> Result<FundRules> {
    let mut rules = FundRules::default();
    let Some(r) = r else { return Ok(rules) };
    let dec = |field: &str, text: &str, into: &mut Decimal| -> Result<()> {
        if !text.is_empty() {
            *into = text.parse::<Decimal>().map_err(|_| {
                LedgerError::invalid(format!("rules.{field}"), "is not a decimal number")
            })?;
        }
        Ok(())
    };
    let num = |v: u32, into: &mut u32| {
        if v != 0 {
            *into = v;
        }
    };
    dec("share_price", &r.share_price, &mut rules.share_price)?;
    num(r.min_shares, &mut rules.min_shares);
    dec(
        "first_loan_max",
        &r.first_loan_max,
        &mut rules.first_loan_max,
    )?;
    dec("loan_max", &r.loan_max, &mut rules.loan_max)?;
    num(r.term_max_months, &mut rules.term_max_months);
    dec(
        "household_share_max",
        &r.household_share_max,
        &mut rules.household_share_max,
    )?;
    dec(
        "fee_rate_annual",
        &r.fee_rate_annual,
        &mut rules.fee_rate_annual,
    )?;
    rules.fee_upfront = r.fee_upfront;
    dec(
        "penalty_rate_annual",
        &r.penalty_rate_annual,
        &mut rules.penalty_rate_annual,
    )?;
    dec(
        "board_approval_above",
        &r.board_approval_above,
        &mut rules.board_approval_above,
    )?;
    dec(
        "min_poor_loan_share",
        &r.min_poor_loan_share,
        &mut rules.min_poor_loan_share,
    )?;
    num(r.leave_notice_months, &mut rules.leave_notice_months);
    num(r.min_age_years, &mut rules.min_age_years);
    dec(
        "welfare_share",
        &r.welfare_share,
        &mut rules.distribution.welfare,
    )?;
    dec(
        "accumulation_share",
        &r.accumulation_share,
        &mut rules.distribution.accumulation,
    )?;
    dec("risk_share", &r.risk_share, &mut rules.distribution.risk)?;
    dec(
        "dividend_share",
        &r.dividend_share,
        &mut rules.distribution.dividends,
    )?;
    num(r.group_min, &mut rules.group_min);
    num(r.group_max, &mut rules.group_max);
    rules.loans_need_group = r.loans_need_group;
    if !r.waterfall.is_empty() {
        let parts: Vec<Component> = r
            .waterfall
            .iter()
            .map(|p| match pb::OwedPart::try_from(*p) {
                Ok(pb::OwedPart::Penalty) => Ok(Component::Penalty),
                Ok(pb::OwedPart::Fee) => Ok(Component::Fee),
                Ok(pb::OwedPart::Principal) => Ok(Component::Principal),
                _ => Err(LedgerError::invalid(
                    "rules.waterfall",
                    "names PENALTY, FEE or PRINCIPAL",
                )),
            })
            .collect::<Result<_>>()?;
        rules.waterfall = parts.try_into().map_err(|_| {
            LedgerError::invalid(
                "rules.waterfall",
                "must name penalty, fee and principal once each",
            )
        })?;
    }
    rules.validate().map_err(|e| refused(e, "rules"))?;
    Ok(rules)
}

fn rules_to(r: &FundRules) -> pb::FundRules {
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

pub(crate) fn loan_key(fund_id: &str, loan_id: &str) -> String {
    format!("loan/{fund_id}/{loan_id}")
}

pub(crate) fn loan(state: &State, fund_id: &str, loan_id: &str) -> Result<Loan> {
    not_a_federation(state, fund_id)?;
    load(state, &loan_key(fund_id, loan_id))?.ok_or_else(|| {
        LedgerError::not_found("loan_id", format!("loan {loan_id:?} of fund {fund_id:?}"))
    })
}

pub(crate) fn group_of_key(fund_id: &str, member_id: &str) -> String {
    format!("groupof/{fund_id}/{member_id}")
}

/// A loan's line in the loan ledger, with days past due on `as_of`. Only an
/// open loan owes anything: a written-off or rescheduled one owes nothing more.
pub(crate) fn loan_line(state: &State, fund_id: &str, l: &Loan, as_of: NaiveDate) -> pb::LoanLine {
    let open = |amount: Decimal| {
        if l.status == LoanStatus::Disbursed {
            amount
        } else {
            Decimal::ZERO
        }
    };
    let dpd = servicing::days_past_due(l, as_of);
    let status = member(state, fund_id, &l.member_id)
        .map(|m| m.status())
        .unwrap_or(PovertyStatus::None);
    pb::LoanLine {
        loan_id: l.loan_id.clone(),
        member_id: l.member_id.clone(),
        member_status: status_to(status) as i32,
        status: loan_status_to(l.status) as i32,
        principal: format_yuan(l.principal),
        outstanding_principal: format_yuan(open(l.principal - l.principal_paid)),
        fee_due: format_yuan(open(l.fee_accrued - l.fee_paid)),
        penalty_due: format_yuan(open(l.penalty_accrued - l.penalty_paid)),
        days_past_due: dpd,
        bucket: servicing::bucket(dpd).into(),
        disbursed_on: l.disbursed_on.map(cv::fmt_date).unwrap_or_default(),
        maturity: l
            .schedule
            .last()
            .map(|i| cv::fmt_date(i.due_date))
            .unwrap_or_default(),
    }
}

/// The rule a second year-end for a year breaks.
const YEAR_END_ONCE: &str = "year_end_once_per_year";
/// Member payables per dividend entry (an entry holds at most 64 postings).
const DIVIDENDS_PER_ENTRY: usize = 60;

/// What a year-end did, kept as the fund's `yearend/{fund}/{year}` record.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct YearEnd {
    surplus: Decimal,
    split: yearend::Split,
    dividends: Vec<(String, Decimal)>,
}

/// Each member's weight for dividends at the year's end: own and allocated
/// shares held on `end` for members then in the fund, or fees paid in the year.
fn dividend_weights(
    state: &State,
    store: &Store<'_>,
    fund_id: &str,
    end: NaiveDate,
    by_fees: bool,
) -> Result<Vec<(String, Decimal)>> {
    let book = state
        .book(fund_id)
        .ok_or_else(|| LedgerError::not_found("fund_id", format!("fund {fund_id:?}")))?;
    let mut weights = Vec::new();
    for (key, record) in state.records_under(&format!("member/{fund_id}/")) {
        let m: Member = serde_json::from_slice(&record.value).map_err(|e| {
            LedgerError::Internal(format!("registry record {key} does not decode: {e}"))
        })?;
        if m.joined > end || m.left.is_some_and(|d| d <= end) {
            continue;
        }
        let weight = if by_fees {
            loans(state, fund_id)?
                .iter()
                .filter(|l| l.member_id == m.member_id)
                .flat_map(|l| l.repayments.iter())
                .filter(|r| r.date.year() == end.year())
                .map(|r| r.fee)
                .sum()
        } else {
            let sub = member_sub(&m.member_id);
            let mut held = 0i128;
            for code in ["3002", "3003"] {
                if let Some(no) = state.account_no(book.no, code, &sub) {
                    held -= store.balance_as_of(no, end)?;
                }
            }
            fen_to_decimal(held)
        };
        weights.push((m.member_id, weight));
    }
    Ok(weights)
}

/// The rule a second day-end run for a date breaks.
pub(crate) const DAY_END_ONCE: &str = "day_end_once_per_date";

/// Every loan of a fund, in loan id order.
pub(crate) fn loans(state: &State, fund_id: &str) -> Result<Vec<Loan>> {
    load_all(state, &format!("loan/{fund_id}/"))
}

/// The entry booking a loan's accrual: Dr 1202/loan, Cr 4001 fee, Cr 4003 penalty.
pub(crate) fn accrual_entry(
    fund_id: &str,
    loan_id: &str,
    date: NaiveDate,
    a: servicing::Accrual,
) -> Result<Option<PlannedEntry>> {
    // A part may be negative: a period's last day takes the remainder of its
    // fee, which is below zero when the rounded daily share ran ahead of the
    // schedule (2.00 over 30 days: 29 x 0.07 = 2.03, so the last day is -0.03).
    // A negative part posts on the other side, so the entry still balances.
    let sub = loan_sub(loan_id);
    let mut postings = Vec::new();
    for (code, sub, normal, part) in [
        ("1202", sub.as_str(), Side::Debit, a.fee + a.penalty),
        ("4001", "", Side::Credit, a.fee),
        ("4003", "", Side::Credit, a.penalty),
    ] {
        if part.is_zero() {
            continue;
        }
        let side = match (normal, part > Decimal::ZERO) {
            (side, true) => side,
            (Side::Debit, false) => Side::Credit,
            (Side::Credit, false) => Side::Debit,
        };
        postings.push(PostingInput {
            account: account(fund_id, code, sub),
            side,
            amount_fen: to_fen(part.abs())?,
        });
    }
    if postings.len() < 2 {
        return Ok(None);
    }
    Ok(Some(PlannedEntry {
        value_date: date,
        memo: format!(
            "accrual of loan {loan_id} through {date}: fee {}, penalty {}",
            a.fee, a.penalty
        ),
        postings,
    }))
}

pub(crate) fn loan_status_to(s: LoanStatus) -> pb::LoanStatus {
    match s {
        LoanStatus::Applied => pb::LoanStatus::Applied,
        LoanStatus::Approved => pb::LoanStatus::Approved,
        LoanStatus::Disbursed => pb::LoanStatus::Disbursed,
        LoanStatus::Closed => pb::LoanStatus::Closed,
        LoanStatus::WrittenOff => pb::LoanStatus::WrittenOff,
        LoanStatus::Rescheduled => pb::LoanStatus::Rescheduled,
    }
}

pub(crate) fn loan_sub(loan_id: &str) -> String {
    format!("loan:{loan_id}")
}

/// The member's loans, their count after disbursement and principal still owed.
fn standing(state: &State, fund_id: &str, member_id: &str) -> Result<loan::Standing> {
    let mut earlier_loans = 0;
    let mut outstanding = 0i128;
    for (key, record) in state.records_under(&format!("loan/{fund_id}/")) {
        let l: Loan = serde_json::from_slice(&record.value).map_err(|e| {
            LedgerError::Internal(format!("registry record {key} does not decode: {e}"))
        })?;
        if l.member_id == member_id && l.status == LoanStatus::Disbursed {
            earlier_loans += 1;
            outstanding += balance(state, fund_id, "1201", &loan_sub(&l.loan_id));
        }
    }
    let capital = equity(state, fund_id);
    let in_group = load::<String>(state, &group_of_key(fund_id, member_id))?.is_some();
    Ok(loan::Standing {
        in_group,
        earlier_loans,
        outstanding: fen_to_decimal(outstanding),
        fund_capital: fen_to_decimal(capital),
    })
}

pub(crate) fn method_from(value: i32) -> Result<Method> {
    use pb::RepaymentMethod as R;
    match R::try_from(value) {
        Ok(R::Bullet) => Ok(Method::Bullet),
        Ok(R::FeeMonthly) => Ok(Method::FeeMonthlyPrincipalAtMaturity),
        Ok(R::EqualInstallments) => Ok(Method::EqualInstallments),
        Ok(R::EqualPrincipal) => Ok(Method::EqualPrincipal),
        _ => Err(LedgerError::invalid(
            "method",
            "must be BULLET, FEE_MONTHLY, EQUAL_INSTALLMENTS or EQUAL_PRINCIPAL",
        )),
    }
}

pub(crate) fn method_to(m: Method) -> pb::RepaymentMethod {
    match m {
        Method::Bullet => pb::RepaymentMethod::Bullet,
        Method::FeeMonthlyPrincipalAtMaturity => pb::RepaymentMethod::FeeMonthly,
        Method::EqualInstallments => pb::RepaymentMethod::EqualInstallments,
        Method::EqualPrincipal => pb::RepaymentMethod::EqualPrincipal,
    }
}

/// The fields every money operation on a member carries, decoded.
struct MemberMoney {
    fund_id: String,
    member_id: String,
    amount_fen: i64,
    date: NaiveDate,
}

impl MemberMoney {
    fn decode(
        fund_id: &str,
        member: &str,
        amount_text: &str,
        value_date: &str,
    ) -> std::result::Result<Self, Status> {
        (|| {
            Ok(Self {
                fund_id: cv::book_id("fund_id", fund_id)?,
                member_id: ident("member_id", member)?,
                amount_fen: amount("amount", amount_text)?,
                date: cv::date("value_date", value_date)?,
            })
        })()
        .map_err(to_status)
    }
}

pub struct FundApi {
    ledger: Ledger,
}

impl FundApi {
    pub fn new(ledger: Ledger) -> Self {
        Self { ledger }
    }

    fn fund_response(&self, fund_id: &str, replayed: bool) -> Answer<pb::FundResponse> {
        let state = self.ledger.shared().state.read();
        let p = profile(&state, fund_id).map_err(to_status)?;
        let active = state
            .records_under(&format!("member/{fund_id}/"))
            .filter_map(|(_, r)| serde_json::from_slice::<Member>(&r.value).ok())
            .filter(Member::active)
            .count();
        Ok(Response::new(pb::FundResponse {
            fund_id: p.fund_id,
            name: p.name,
            rules: Some(rules_to(&p.rules)),
            active_members: active as u32,
            cash: format_fen(balance(&state, fund_id, "1001", "")),
            bank: format_fen(balance(&state, fund_id, "1002", "")),
            replayed,
        }))
    }

    fn loan_response(
        &self,
        fund_id: &str,
        loan_id: &str,
        seqs: Vec<u64>,
        replayed: bool,
    ) -> Answer<pb::LoanResponse> {
        let state = self.ledger.shared().state.read();
        let l = loan(&state, fund_id, loan_id).map_err(to_status)?;
        let date = |d: Option<NaiveDate>| d.map(cv::fmt_date).unwrap_or_default();
        Ok(Response::new(pb::LoanResponse {
            loan: Some(pb::Loan {
                outstanding_principal: format_fen(balance(
                    &state,
                    fund_id,
                    "1201",
                    &loan_sub(loan_id),
                )),
                loan_id: l.loan_id,
                member_id: l.member_id,
                principal: format_yuan(l.principal),
                term_months: l.term_months,
                method: method_to(l.method) as i32,
                rate_annual: l.rate_annual.to_string(),
                purpose: l.purpose,
                status: loan_status_to(l.status) as i32,
                applied_on: cv::fmt_date(l.applied_on),
                applied_by: l.applied_by,
                approved_by: l.approved_by.unwrap_or_default(),
                write_off_requested_by: l.write_off_requested_by.unwrap_or_default(),
                write_off_requested_decision: l.write_off_requested_decision.unwrap_or_default(),
                written_off_by: l.written_off_by.unwrap_or_default(),
                approved_on: date(l.approved_on),
                board_approved: l.board_approved,
                disbursed_on: date(l.disbursed_on),
                schedule: l.schedule.iter().map(cv::installment_msg).collect(),
                upfront_fee: format_yuan(l.upfront_fee),
                rescheduled_from: l.rescheduled_from.clone().unwrap_or_default(),
                rescheduled_to: l.rescheduled_to.clone().unwrap_or_default(),
                repayments: l
                    .repayments
                    .iter()
                    .map(|p| pb::RepaymentLine {
                        date: cv::fmt_date(p.date),
                        amount: format_yuan(p.amount),
                        penalty: format_yuan(p.penalty),
                        fee: format_yuan(p.fee),
                        principal: format_yuan(p.principal),
                    })
                    .collect(),
                written_off: format_yuan(l.written_off),
                write_off_decision: l.write_off_decision.clone().unwrap_or_default(),
                recovered: format_yuan(l.recovered),
                closed_on: date(l.closed_on),
            }),
            entry_seqs: seqs,
            replayed,
        }))
    }

    fn member_response(
        &self,
        fund_id: &str,
        member_id: &str,
        seqs: Vec<u64>,
        replayed: bool,
    ) -> Answer<pb::MemberResponse> {
        let state = self.ledger.shared().state.read();
        let m = member(&state, fund_id, member_id).map_err(to_status)?;
        let sub = member_sub(member_id);
        let today = crate::domain::dates::business_today();
        let own_loans: Vec<Loan> = loans(&state, fund_id)
            .map_err(to_status)?
            .into_iter()
            .filter(|l| l.member_id == member_id)
            .collect();
        let next = own_loans
            .iter()
            .filter_map(servicing::next_due)
            .min_by_key(|(date, _)| *date);
        let group = load::<String>(&state, &group_of_key(fund_id, member_id)).map_err(to_status)?;
        Ok(Response::new(pb::MemberResponse {
            loans: own_loans
                .iter()
                .map(|l| loan_line(&state, fund_id, l, today))
                .collect(),
            next_due_date: next.map(|(d, _)| cv::fmt_date(d)).unwrap_or_default(),
            next_due_amount: next.map(|(_, a)| format_yuan(a)).unwrap_or_default(),
            guarantee_group: group.unwrap_or_default(),
            own_shares: format_fen(balance(&state, fund_id, "3002", &sub)),
            allocated_shares: format_fen(balance(&state, fund_id, "3003", &sub)),
            member: Some(pb::Member {
                member_id: m.member_id.clone(),
                household_id: m.household_id.clone(),
                name: m.name.clone(),
                birth_date: cv::fmt_date(m.birth_date),
                joined: cv::fmt_date(m.joined),
                status: status_to(m.status()) as i32,
                status_history: m
                    .status_history
                    .iter()
                    .map(|s| pb::StatusChange {
                        date: cv::fmt_date(s.date),
                        status: status_to(s.status) as i32,
                        risk_cause: s.risk_cause.clone(),
                    })
                    .collect(),
                left: m.left.map(cv::fmt_date).unwrap_or_default(),
            }),
            entry_seqs: seqs,
            replayed,
        }))
    }
}

#[tonic::async_trait]
impl FundService for FundApi {
    async fn create_fund(
        &self,
        request: Request<pb::CreateFundRequest>,
    ) -> Answer<pb::FundResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let name = cv::name("name", &r.name, true).map_err(to_status)?;
        let rules = rules_from(r.rules.as_ref()).map_err(to_status)?;
        let id = fund_id.clone();
        let (replayed, _) = run(
            &self.ledger,
            "fund.create",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                if state.book(&id).is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "fund_id".into(),
                        what: format!("book {id:?} already exists"),
                    });
                }
                let seed = |sub: &str, name: &str| PlannedAccount {
                    account: account(&id, "3001", sub),
                    name: name.into(),
                    non_negative: true,
                };
                Ok(Plan {
                    books: vec![PlannedBook {
                        book_id: id.clone(),
                        kind: BookKind::Fund,
                        name: name.clone(),
                    }],
                    accounts: vec![
                        seed(FISCAL, "Fiscal support"),
                        seed(SPECIAL, "Special poverty-alleviation support"),
                    ],
                    records: vec![json(
                        fund_key(&id),
                        &FundProfile {
                            fund_id: id.clone(),
                            name,
                            rules,
                        },
                    )],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.fund_response(&fund_id, replayed)
    }

    async fn get_fund(&self, request: Request<pb::GetFundRequest>) -> Answer<pb::FundResponse> {
        allow_fund(&self.ledger, &request, Act::Read)?;
        let fund_id = cv::book_id("fund_id", &request.get_ref().fund_id).map_err(to_status)?;
        self.fund_response(&fund_id, false)
    }

    async fn add_capital(
        &self,
        request: Request<pb::AddCapitalRequest>,
    ) -> Answer<pb::OperationResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let (credit_code, credit_sub, memo) = match pb::CapitalSource::try_from(r.source) {
            Ok(pb::CapitalSource::Fiscal) => ("3001", FISCAL, "seed capital, fiscal support"),
            Ok(pb::CapitalSource::SpecialSupport) => {
                ("3001", SPECIAL, "seed capital, special support")
            }
            Ok(pb::CapitalSource::Donation) => ("3004", "", "donation"),
            _ => {
                return Err(to_status(LedgerError::invalid(
                    "source",
                    "must be FISCAL, SPECIAL_SUPPORT or DONATION",
                )))
            }
        };
        let fen = amount("amount", &r.amount).map_err(to_status)?;
        let till = till_code(r.till).map_err(to_status)?;
        let date = cv::date("value_date", &r.value_date).map_err(to_status)?;
        let (replayed, entry_seqs) = run(
            &self.ledger,
            "fund.capital",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                profile(state, &fund_id)?;
                Ok(Plan {
                    entries: vec![transfer(
                        date,
                        memo.into(),
                        account(&fund_id, till, ""),
                        account(&fund_id, credit_code, credit_sub),
                        fen,
                    )],
                    ..Plan::default()
                })
            },
        )
        .await?;
        Ok(Response::new(pb::OperationResponse {
            entry_seqs,
            replayed,
        }))
    }

    async fn join_member(
        &self,
        request: Request<pb::JoinMemberRequest>,
    ) -> Answer<pb::MemberResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundDaily)?;
        let r = request.into_inner();
        let (fund_id, joining) = (|| {
            let date = cv::date("date", &r.date)?;
            Ok::<_, LedgerError>((
                cv::book_id("fund_id", &r.fund_id)?,
                fund::Joining {
                    member_id: ident("member_id", &r.member_id)?,
                    household_id: ident("household_id", &r.household_id)?,
                    name: cv::name("name", &r.name, true)?,
                    birth_date: cv::calendar_date("birth_date", &r.birth_date)?,
                    resident: r.resident,
                    status: StatusChange {
                        date,
                        status: status_from(r.status, "status")?,
                        risk_cause: cv::name("risk_cause", &r.risk_cause, false)?,
                    },
                },
            ))
        })()
        .map_err(to_status)?;
        let (id, mid) = (fund_id.clone(), joining.member_id.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.join",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                if load::<Member>(state, &member_key(&id, &joining.member_id))?.is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "member_id".into(),
                        what: format!(
                            "member {:?} already exists in fund {id:?}",
                            joining.member_id
                        ),
                    });
                }
                let hh = household_key(&id, &joining.household_id);
                let standing = match load::<Household>(state, &hh)? {
                    Some(h) => Some(member(state, &id, &h.member_id)?).filter(Member::active),
                    None => None,
                };
                let m = fund::join(&p.rules, joining, standing.as_ref())
                    .map_err(|e| refused(e, "household_id"))?;
                let sub = member_sub(&m.member_id);
                let open = |code: &str, non_negative: bool| PlannedAccount {
                    account: account(&id, code, &sub),
                    name: m.name.clone(),
                    non_negative,
                };
                Ok(Plan {
                    accounts: vec![open("3002", true), open("3003", true), open("2201", false)],
                    records: vec![
                        json(member_key(&id, &m.member_id), &m),
                        json(
                            hh,
                            &Household {
                                member_id: m.member_id.clone(),
                            },
                        ),
                    ],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.member_response(&fund_id, &mid, seqs, replayed)
    }

    async fn set_poverty_status(
        &self,
        request: Request<pb::SetPovertyStatusRequest>,
    ) -> Answer<pb::MemberResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundDaily)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let mid = ident("member_id", &r.member_id).map_err(to_status)?;
        let change = (|| {
            Ok::<_, LedgerError>(StatusChange {
                date: cv::date("date", &r.date)?,
                status: status_from(r.status, "status")?,
                risk_cause: cv::name("risk_cause", &r.risk_cause, false)?,
            })
        })()
        .map_err(to_status)?;
        let (id, m_id) = (fund_id.clone(), mid.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.status",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let m = member(state, &id, &m_id)?;
                let changed = fund::change_status(&m, change).map_err(|e| refused(e, "status"))?;
                Ok(Plan {
                    records: vec![json(member_key(&id, &m_id), &changed)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.member_response(&fund_id, &mid, seqs, replayed)
    }

    async fn buy_shares(
        &self,
        request: Request<pb::BuySharesRequest>,
    ) -> Answer<pb::MemberResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundDaily)?;
        let r = request.into_inner();
        let MemberMoney {
            fund_id,
            member_id: mid,
            amount_fen: fen,
            date,
        } = MemberMoney::decode(&r.fund_id, &r.member_id, &r.amount, &r.value_date)?;
        let till = till_code(r.till).map_err(to_status)?;
        let (id, m_id) = (fund_id.clone(), mid.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.buy_shares",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                let m = member(state, &id, &m_id)?;
                let sub = member_sub(&m_id);
                let held = fen_to_decimal(balance(state, &id, "3002", &sub));
                fund::buy_shares(&p.rules, &m, held, fen_to_decimal(fen.into()))
                    .map_err(|e| refused(e, "amount"))?;
                Ok(Plan {
                    entries: vec![transfer(
                        date,
                        format!("shares bought by {m_id}"),
                        account(&id, till, ""),
                        account(&id, "3002", &sub),
                        fen,
                    )],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.member_response(&fund_id, &mid, seqs, replayed)
    }

    async fn allocate_shares(
        &self,
        request: Request<pb::AllocateSharesRequest>,
    ) -> Answer<pb::MemberResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let MemberMoney {
            fund_id,
            member_id: mid,
            amount_fen: fen,
            date,
        } = MemberMoney::decode(&r.fund_id, &r.member_id, &r.amount, &r.value_date)?;
        let source = match pb::CapitalSource::try_from(r.source) {
            Ok(pb::CapitalSource::Fiscal) => FISCAL,
            Ok(pb::CapitalSource::SpecialSupport) => SPECIAL,
            _ => return Err(to_status(LedgerError::invalid(
                "source",
                "must be FISCAL or SPECIAL_SUPPORT: allocated shares are paid from seed capital",
            ))),
        };
        let (id, m_id) = (fund_id.clone(), mid.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.allocate_shares",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                let m = member(state, &id, &m_id)?;
                fund::allocate_shares(&p.rules, &m, fen_to_decimal(fen.into()))
                    .map_err(|e| refused(e, "member_id"))?;
                Ok(Plan {
                    entries: vec![transfer(
                        date,
                        format!("shares allocated to {m_id}"),
                        account(&id, "3001", source),
                        account(&id, "3003", &member_sub(&m_id)),
                        fen,
                    )],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.member_response(&fund_id, &mid, seqs, replayed)
    }

    async fn refund_shares(
        &self,
        request: Request<pb::RefundSharesRequest>,
    ) -> Answer<pb::MemberResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let MemberMoney {
            fund_id,
            member_id: mid,
            amount_fen: fen,
            date,
        } = MemberMoney::decode(&r.fund_id, &r.member_id, &r.amount, &r.value_date)?;
        let till = till_code(r.till).map_err(to_status)?;
        let allocated = match pb::ShareClass::try_from(r.class) {
            Ok(pb::ShareClass::Own) => false,
            Ok(pb::ShareClass::Allocated) => true,
            _ => {
                return Err(to_status(LedgerError::invalid(
                    "class",
                    "must be OWN or ALLOCATED",
                )))
            }
        };
        let (id, m_id) = (fund_id.clone(), mid.clone());
        let (replayed, seqs) = run(&self.ledger, "fund.refund_shares", &r, &r.request_id, &who.actor(), move |state| {
                let p = profile(state, &id)?;
                let m = member(state, &id, &m_id)?;
                if allocated {
                    return Err(refused(fund::refund_allocated_shares(&m), "class"));
                }
                m.require_active().map_err(|e| refused(e, "member_id"))?;
                let sub = member_sub(&m_id);
                let held = balance(state, &id, "3002", &sub);
                let left = fen_to_decimal(held - i128::from(fen));
                let minimum = p.rules.share_price * Decimal::from(p.rules.min_shares);
                if held >= i128::from(fen) && left < minimum {
                    return Err(LedgerError::rule(
                        fund::rule::SHARE_MINIMUM,
                        "amount",
                        format!("a member holds at least {minimum} of shares; this refund would leave {left}"),
                    ));
                }
                Ok(Plan {
                    entries: vec![transfer(
                        date,
                        format!("shares refunded to {m_id}"),
                        account(&id, "3002", &sub),
                        account(&id, till, ""),
                        fen,
                    )],
                    ..Plan::default()
                })
            })
            .await?;
        self.member_response(&fund_id, &mid, seqs, replayed)
    }

    async fn apply_loan(&self, request: Request<pb::ApplyLoanRequest>) -> Answer<pb::LoanResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundDaily)?;
        let r = request.into_inner();
        let (fund_id, mid, application) = (|| {
            let principal: Decimal = r.principal.parse().map_err(|_| {
                LedgerError::invalid("principal", "is not a decimal number of yuan")
            })?;
            Ok::<_, LedgerError>((
                cv::book_id("fund_id", &r.fund_id)?,
                ident("member_id", &r.member_id)?,
                loan::Application {
                    loan_id: ident("loan_id", &r.loan_id)?,
                    principal,
                    term_months: r.term_months,
                    method: method_from(r.method)?,
                    purpose: cv::memo(&r.purpose)?,
                    date: cv::date("date", &r.date)?,
                    actor: who.actor(),
                },
            ))
        })()
        .map_err(to_status)?;
        let (id, lid) = (fund_id.clone(), application.loan_id.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.apply_loan",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                let m = member(state, &id, &mid)?;
                if load::<Loan>(state, &loan_key(&id, &application.loan_id))?.is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "loan_id".into(),
                        what: format!(
                            "loan {:?} already exists in fund {id:?}",
                            application.loan_id
                        ),
                    });
                }
                let standing = standing(state, &id, &mid)?;
                let l = loan::apply(&p.rules, &m, application, standing)
                    .map_err(|e| refused(e, "principal"))?;
                Ok(Plan {
                    records: vec![json(loan_key(&id, &l.loan_id), &l)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&fund_id, &lid, seqs, replayed)
    }

    async fn approve_loan(
        &self,
        request: Request<pb::ApproveLoanRequest>,
    ) -> Answer<pb::LoanResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let lid = ident("loan_id", &r.loan_id).map_err(to_status)?;
        let date = cv::date("date", &r.date).map_err(to_status)?;
        let (id, l_id, approver, board) =
            (fund_id.clone(), lid.clone(), who.actor(), r.board_approved);
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.approve_loan",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                let l = loan(state, &id, &l_id)?;
                let approved = loan::approve(&p.rules, &l, &approver, board, date)
                    .map_err(|e| refused(e, "loan_id"))?;
                Ok(Plan {
                    records: vec![json(loan_key(&id, &l_id), &approved)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&fund_id, &lid, seqs, replayed)
    }

    async fn disburse_loan(
        &self,
        request: Request<pb::DisburseLoanRequest>,
    ) -> Answer<pb::LoanResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let lid = ident("loan_id", &r.loan_id).map_err(to_status)?;
        let till = till_code(r.till).map_err(to_status)?;
        let date = cv::date("date", &r.date).map_err(to_status)?;
        let (id, l_id) = (fund_id.clone(), lid.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.disburse_loan",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                let l = loan::disburse(&p.rules, &loan(state, &id, &l_id)?, date)
                    .map_err(|e| refused(e, "loan_id"))?;
                let sub = loan_sub(&l_id);
                let open = |code: &str| PlannedAccount {
                    account: account(&id, code, &sub),
                    name: format!("loan {l_id} of {}", l.member_id),
                    non_negative: true,
                };
                let mut entries = vec![transfer(
                    date,
                    format!("loan {l_id} disbursed to {}", l.member_id),
                    account(&id, "1201", &sub),
                    account(&id, till, ""),
                    to_fen(l.principal)?,
                )];
                if l.upfront_fee > Decimal::ZERO {
                    entries.push(transfer(
                        date,
                        format!("occupancy fee of loan {l_id}, charged upfront"),
                        account(&id, till, ""),
                        account(&id, "4001", ""),
                        to_fen(l.upfront_fee)?,
                    ));
                }
                Ok(Plan {
                    accounts: vec![open("1201"), open("1202")],
                    entries,
                    records: vec![json(loan_key(&id, &l_id), &l)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&fund_id, &lid, seqs, replayed)
    }

    async fn get_loan(&self, request: Request<pb::GetLoanRequest>) -> Answer<pb::LoanResponse> {
        allow_fund(&self.ledger, &request, Act::Read)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let lid = ident("loan_id", &r.loan_id).map_err(to_status)?;
        self.loan_response(&fund_id, &lid, Vec::new(), false)
    }

    async fn repay_loan(&self, request: Request<pb::RepayLoanRequest>) -> Answer<pb::LoanResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundDaily)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let lid = ident("loan_id", &r.loan_id).map_err(to_status)?;
        let fen = amount("amount", &r.amount).map_err(to_status)?;
        let till = till_code(r.till).map_err(to_status)?;
        let date = cv::date("date", &r.date).map_err(to_status)?;
        let (id, l_id) = (fund_id.clone(), lid.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.repay_loan",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                let l = loan(state, &id, &l_id)?;
                let s = servicing::repay(&p.rules, &l, fen_to_decimal(fen.into()), date)
                    .map_err(|e| refused(e, "amount"))?;
                let sub = loan_sub(&l_id);
                let mut entries: Vec<PlannedEntry> = accrual_entry(&id, &l_id, date, s.accrual)?
                    .into_iter()
                    .collect();
                if !s.fee_correction.is_zero() {
                    let (debit, credit) = if s.fee_correction > Decimal::ZERO {
                        (account(&id, "1202", &sub), account(&id, "4001", ""))
                    } else {
                        (account(&id, "4001", ""), account(&id, "1202", &sub))
                    };
                    let memo = format!("fee of loan {l_id} to the day of its early payoff");
                    entries.push(transfer(
                        date,
                        memo,
                        debit,
                        credit,
                        to_fen(s.fee_correction.abs())?,
                    ));
                }
                let rp = &s.repayment;
                let mut postings = vec![PostingInput {
                    account: account(&id, till, ""),
                    side: Side::Debit,
                    amount_fen: fen,
                }];
                for (code, part) in [("1202", rp.penalty + rp.fee), ("1201", rp.principal)] {
                    if part > Decimal::ZERO {
                        postings.push(PostingInput {
                            account: account(&id, code, &sub),
                            side: Side::Credit,
                            amount_fen: to_fen(part)?,
                        });
                    }
                }
                entries.push(PlannedEntry {
                    value_date: date,
                    memo: format!(
                        "repayment of loan {l_id}: penalty {}, fee {}, principal {}",
                        rp.penalty, rp.fee, rp.principal
                    ),
                    postings,
                });
                Ok(Plan {
                    entries,
                    records: vec![json(loan_key(&id, &l_id), &s.loan)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&fund_id, &lid, seqs, replayed)
    }

    async fn run_day_end(
        &self,
        request: Request<pb::RunDayEndRequest>,
    ) -> Answer<pb::DayEndResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundDaily)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let date = cv::date("date", &r.date).map_err(to_status)?;
        let id = fund_id.clone();
        let (replayed, seqs) = run(&self.ledger, "fund.day_end", &r, &r.request_id, &who.actor(), move |state| {
                let p = profile(state, &id)?;
                let key = format!("dayend/{id}");
                if let Some(last) = load::<NaiveDate>(state, &key)? {
                    if date <= last {
                        return Err(LedgerError::rule(
                            DAY_END_ONCE,
                            "date",
                            format!("day-end of fund {id:?} has run through {last}; the next run is for a later date"),
                        ));
                    }
                }
                let mut plan = Plan::default();
                for l in loans(state, &id)? {
                    let (after, accrual) = servicing::accrue(&p.rules, &l, date);
                    if let Some(e) = accrual_entry(&id, &l.loan_id, date, accrual)? {
                        plan.entries.push(e);
                        plan.records.push(json(loan_key(&id, &l.loan_id), &after));
                    }
                }
                plan.records.push(json(key, &date));
                Ok(plan)
            })
            .await?;
        // Totals are read back from the entries the run posted.
        let (mut fee, mut penalty) = (0i128, 0i128);
        for seq in &seqs {
            let view = self.ledger.entry(*seq).map_err(to_status)?;
            for posting in &view.record.0.postings {
                match (posting.code.as_str(), posting.side) {
                    ("4001", Side::Credit) => fee += i128::from(posting.amount_fen),
                    ("4003", Side::Credit) => penalty += i128::from(posting.amount_fen),
                    _ => {}
                }
            }
        }
        Ok(Response::new(pb::DayEndResponse {
            date: cv::fmt_date(date),
            loans_accrued: seqs.len() as u32,
            fee_accrued: format_fen(fee),
            penalty_accrued: format_fen(penalty),
            entry_seqs: seqs,
            replayed,
        }))
    }

    async fn list_loans(
        &self,
        request: Request<pb::ListLoansRequest>,
    ) -> Answer<pb::ListLoansResponse> {
        allow_fund(&self.ledger, &request, Act::Read)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let as_of = cv::optional_date("as_of", &r.as_of)
            .map_err(to_status)?
            .unwrap_or_else(crate::domain::dates::business_today);
        let state = self.ledger.shared().state.read();
        profile(&state, &fund_id).map_err(to_status)?;
        let lines = loans(&state, &fund_id)
            .map_err(to_status)?
            .iter()
            .map(|l| loan_line(&state, &fund_id, l, as_of))
            .collect();
        Ok(Response::new(pb::ListLoansResponse {
            as_of: cv::fmt_date(as_of),
            loans: lines,
        }))
    }

    async fn request_write_off(
        &self,
        request: Request<pb::RequestWriteOffRequest>,
    ) -> Answer<pb::LoanResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundDaily)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let lid = ident("loan_id", &r.loan_id).map_err(to_status)?;
        let decision = cv::name("board_decision", &r.board_decision, true).map_err(to_status)?;
        let (id, l_id, asker) = (fund_id.clone(), lid.clone(), who.actor());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.request_write_off",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                profile(state, &id)?;
                let l = loan(state, &id, &l_id)?;
                let asked = servicing::request_write_off(&l, &asker, &decision)
                    .map_err(|e| refused(e, "loan_id"))?;
                Ok(Plan {
                    records: vec![json(loan_key(&id, &l_id), &asked)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&fund_id, &lid, seqs, replayed)
    }

    async fn write_off_loan(
        &self,
        request: Request<pb::WriteOffLoanRequest>,
    ) -> Answer<pb::LoanResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let lid = ident("loan_id", &r.loan_id).map_err(to_status)?;
        let date = cv::date("date", &r.date).map_err(to_status)?;
        let (id, l_id, approver) = (fund_id.clone(), lid.clone(), who.actor());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.write_off",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                let l = loan(state, &id, &l_id)?;
                let reserve = fen_to_decimal(balance(state, &id, "3103", ""));
                let w = servicing::write_off(&p.rules, &l, date, reserve, &approver)
                    .map_err(|e| refused(e, "loan_id"))?;
                let sub = loan_sub(&l_id);
                let mut entries: Vec<PlannedEntry> = accrual_entry(&id, &l_id, date, w.accrual)?
                    .into_iter()
                    .collect();
                let mut postings = Vec::new();
                let leg = |code: &str,
                           s: &str,
                           side: Side,
                           part: Decimal|
                 -> Result<Option<PostingInput>> {
                    if part <= Decimal::ZERO {
                        return Ok(None);
                    }
                    Ok(Some(PostingInput {
                        account: account(&id, code, s),
                        side,
                        amount_fen: to_fen(part)?,
                    }))
                };
                for p in [
                    leg("3103", "", Side::Debit, w.from_reserve)?,
                    leg("5002", "", Side::Debit, w.to_losses)?,
                    leg("4001", "", Side::Debit, w.fee_reversed)?,
                    leg("4003", "", Side::Debit, w.penalty_reversed)?,
                    leg("1201", &sub, Side::Credit, w.from_reserve + w.to_losses)?,
                    leg(
                        "1202",
                        &sub,
                        Side::Credit,
                        w.fee_reversed + w.penalty_reversed,
                    )?,
                ]
                .into_iter()
                .flatten()
                {
                    postings.push(p);
                }
                if postings.len() >= 2 {
                    entries.push(PlannedEntry {
                        value_date: date,
                        memo: format!(
                            "loan {l_id} written off ({})",
                            w.loan.write_off_decision.as_deref().unwrap_or_default()
                        ),
                        postings,
                    });
                }
                Ok(Plan {
                    entries,
                    records: vec![json(loan_key(&id, &l_id), &w.loan)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&fund_id, &lid, seqs, replayed)
    }

    async fn recover_loan(
        &self,
        request: Request<pb::RecoverLoanRequest>,
    ) -> Answer<pb::LoanResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundDaily)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let lid = ident("loan_id", &r.loan_id).map_err(to_status)?;
        let fen = amount("amount", &r.amount).map_err(to_status)?;
        let till = till_code(r.till).map_err(to_status)?;
        let date = cv::date("date", &r.date).map_err(to_status)?;
        let (id, l_id) = (fund_id.clone(), lid.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.recover",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let l = servicing::recover(&loan(state, &id, &l_id)?, fen_to_decimal(fen.into()))
                    .map_err(|e| refused(e, "amount"))?;
                Ok(Plan {
                    entries: vec![transfer(
                        date,
                        format!("recovery on written-off loan {l_id}"),
                        account(&id, till, ""),
                        account(&id, "4003", ""),
                        fen,
                    )],
                    records: vec![json(loan_key(&id, &l_id), &l)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&fund_id, &lid, seqs, replayed)
    }

    async fn leave_fund(
        &self,
        request: Request<pb::LeaveFundRequest>,
    ) -> Answer<pb::MemberResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let mid = ident("member_id", &r.member_id).map_err(to_status)?;
        let notice = cv::date("notice_date", &r.notice_date).map_err(to_status)?;
        let date = cv::date("date", &r.date).map_err(to_status)?;
        let till = till_code(r.till).map_err(to_status)?;
        let (id, m_id) = (fund_id.clone(), mid.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.leave",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                let m = member(state, &id, &m_id)?;
                let owed: Decimal = loans(state, &id)?
                    .iter()
                    .filter(|l| l.member_id == m_id)
                    .map(|l| servicing::owed(&p.rules, l, date))
                    .sum();
                let gone = fund::leave(&p.rules, &m, notice, date, owed)
                    .map_err(|e| refused(e, "member_id"))?;
                let sub = member_sub(&m_id);
                let own = balance(state, &id, "3002", &sub);
                let entries = if own > 0 {
                    let refund = i64::try_from(own)
                        .map_err(|_| LedgerError::Internal("share balance out of range".into()))?;
                    vec![transfer(
                        date,
                        format!("own shares refunded to {m_id}, who leaves the fund"),
                        account(&id, "3002", &sub),
                        account(&id, till, ""),
                        refund,
                    )]
                } else {
                    Vec::new()
                };
                Ok(Plan {
                    entries,
                    records: vec![json(member_key(&id, &m_id), &gone)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.member_response(&fund_id, &mid, seqs, replayed)
    }

    async fn form_guarantee_group(
        &self,
        request: Request<pb::FormGuaranteeGroupRequest>,
    ) -> Answer<pb::GuaranteeGroupResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundDaily)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let group_id = ident("group_id", &r.group_id).map_err(to_status)?;
        let date = cv::date("date", &r.date).map_err(to_status)?;
        let ids = r
            .member_ids
            .iter()
            .enumerate()
            .map(|(i, m)| ident(&format!("member_ids[{i}]"), m))
            .collect::<Result<Vec<_>>>()
            .map_err(to_status)?;
        let (id, gid) = (fund_id.clone(), group_id.clone());
        let (replayed, _) = run(
            &self.ledger,
            "fund.form_group",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                let key = format!("group/{id}/{gid}");
                if load::<fund::GuaranteeGroup>(state, &key)?.is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "group_id".into(),
                        what: format!("guarantee group {gid:?} already exists"),
                    });
                }
                let members = ids
                    .iter()
                    .map(|m| {
                        Ok((
                            member(state, &id, m)?,
                            load::<String>(state, &group_of_key(&id, m))?,
                        ))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let g = fund::form_group(&p.rules, &gid, &members, date)
                    .map_err(|e| refused(e, "member_ids"))?;
                let mut records: Vec<(String, String)> = g
                    .members
                    .iter()
                    .map(|m| json(group_of_key(&id, m), &gid))
                    .collect();
                records.push(json(key, &g));
                Ok(Plan {
                    records,
                    ..Plan::default()
                })
            },
        )
        .await?;
        let state = self.ledger.shared().state.read();
        let g: fund::GuaranteeGroup = load(&state, &format!("group/{fund_id}/{group_id}"))
            .map_err(to_status)?
            .ok_or_else(|| Status::internal("the group just formed is missing"))?;
        Ok(Response::new(pb::GuaranteeGroupResponse {
            group_id: g.group_id,
            member_ids: g.members,
            formed: cv::fmt_date(g.formed),
            replayed,
        }))
    }

    async fn run_year_end(
        &self,
        request: Request<pb::RunYearEndRequest>,
    ) -> Answer<pb::YearEndResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let year = i32::try_from(r.year)
            .ok()
            .filter(|y| (2000..=2200).contains(y))
            .ok_or_else(|| to_status(LedgerError::invalid("year", "must be a year from 2000")))?;
        let by_fees = match pb::DividendBasis::try_from(r.basis) {
            Ok(pb::DividendBasis::Shares) => false,
            Ok(pb::DividendBasis::FeesPaid) => true,
            _ => {
                return Err(to_status(LedgerError::invalid(
                    "basis",
                    "must be SHARES or FEES_PAID",
                )))
            }
        };
        let end = NaiveDate::from_ymd_opt(year, 12, 31).expect("December 31 exists");
        let id = fund_id.clone();
        let key = format!("yearend/{fund_id}/{year}");
        let record_key = key.clone();
        let (replayed, seqs) = run_isolated(
            &self.ledger,
            "fund.year_end",
            &r,
            &r.request_id,
            &who.actor(),
            move |state, store| {
                let p = profile(state, &id)?;
                if load::<YearEnd>(state, &key)?.is_some() {
                    return Err(LedgerError::rule(
                        YEAR_END_ONCE,
                        "year",
                        format!("the year-end of {year} has run for fund {id:?}"),
                    ));
                }
                let book = state
                    .book(&id)
                    .ok_or_else(|| LedgerError::not_found("fund_id", format!("fund {id:?}")))?;
                // Close every income and expense account as of December 31.
                let mut closing = Vec::new();
                let mut net = 0i128;
                for no in &state.book_accounts[book.no as usize] {
                    let a = &state.accounts[*no as usize];
                    if !matches!(a.account_type, AccountType::Income | AccountType::Expense) {
                        continue;
                    }
                    let b = store.balance_as_of(a.no, end)?;
                    if b == 0 {
                        continue;
                    }
                    net += b;
                    let side = if b > 0 { Side::Credit } else { Side::Debit };
                    closing.push(PostingInput {
                        account: account(&id, &a.code, &a.sub),
                        side,
                        amount_fen: fen_of(b.abs())?,
                    });
                }
                let surplus = fen_to_decimal(-net);
                let mut plan = Plan::default();
                if net != 0 {
                    let side = if net < 0 { Side::Credit } else { Side::Debit };
                    closing.push(PostingInput {
                        account: account(&id, "3201", ""),
                        side,
                        amount_fen: fen_of(net.abs())?,
                    });
                    plan.entries.push(PlannedEntry {
                        value_date: end,
                        memo: format!(
                            "year-end {year}: income and expenses closed to undistributed surplus"
                        ),
                        postings: closing,
                    });
                }
                let mut result = YearEnd {
                    surplus,
                    split: yearend::Split {
                        welfare: Decimal::ZERO,
                        accumulation: Decimal::ZERO,
                        risk: Decimal::ZERO,
                        dividends: Decimal::ZERO,
                    },
                    dividends: Vec::new(),
                };
                if surplus > Decimal::ZERO {
                    let mut split = yearend::split(&p.rules.distribution, surplus);
                    let weights = dividend_weights(state, store, &id, end, by_fees)?;
                    let paid = yearend::dividends(split.dividends, &weights);
                    let paid_total: Decimal = paid.iter().map(|(_, a)| *a).sum();
                    // Nobody to pay (no weight): the dividends stay as accumulation.
                    split.accumulation += split.dividends - paid_total;
                    split.dividends = paid_total;
                    let mut reserves = vec![PostingInput {
                        account: account(&id, "3201", ""),
                        side: Side::Debit,
                        amount_fen: to_fen(split.welfare + split.accumulation + split.risk)?,
                    }];
                    for (code, part) in [
                        ("3101", split.welfare),
                        ("3102", split.accumulation),
                        ("3103", split.risk),
                    ] {
                        if part > Decimal::ZERO {
                            reserves.push(PostingInput {
                                account: account(&id, code, ""),
                                side: Side::Credit,
                                amount_fen: to_fen(part)?,
                            });
                        }
                    }
                    if reserves.len() > 1 {
                        plan.entries.push(PlannedEntry {
                            value_date: end,
                            memo: format!(
                                "year-end {year}: surplus to the welfare fund and reserves"
                            ),
                            postings: reserves,
                        });
                    }
                    for chunk in paid.chunks(DIVIDENDS_PER_ENTRY) {
                        let total: Decimal = chunk.iter().map(|(_, a)| *a).sum();
                        let mut postings = vec![PostingInput {
                            account: account(&id, "3201", ""),
                            side: Side::Debit,
                            amount_fen: to_fen(total)?,
                        }];
                        for (m, amount) in chunk {
                            postings.push(PostingInput {
                                account: account(&id, "2201", &member_sub(m)),
                                side: Side::Credit,
                                amount_fen: to_fen(*amount)?,
                            });
                        }
                        plan.entries.push(PlannedEntry {
                            value_date: end,
                            memo: format!("year-end {year}: dividends payable to members"),
                            postings,
                        });
                    }
                    result.split = split;
                    result.dividends = paid;
                }
                plan.records.push(json(key, &result));
                Ok(plan)
            },
        )
        .await?;
        let state = self.ledger.shared().state.read();
        let y: YearEnd = load(&state, &record_key)
            .map_err(to_status)?
            .ok_or_else(|| Status::internal("the year-end record is missing"))?;
        Ok(Response::new(pb::YearEndResponse {
            year: r.year,
            surplus: format_yuan(y.surplus),
            welfare: format_yuan(y.split.welfare),
            accumulation: format_yuan(y.split.accumulation),
            risk: format_yuan(y.split.risk),
            dividends: format_yuan(y.split.dividends),
            member_dividends: y
                .dividends
                .iter()
                .map(|(m, a)| pb::MemberDividend {
                    member_id: m.clone(),
                    amount: format_yuan(*a),
                })
                .collect(),
            entry_seqs: seqs,
            replayed,
        }))
    }

    async fn reschedule_loan(
        &self,
        request: Request<pb::RescheduleLoanRequest>,
    ) -> Answer<pb::LoanResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let lid = ident("loan_id", &r.loan_id).map_err(to_status)?;
        let new_id = ident("new_loan_id", &r.new_loan_id).map_err(to_status)?;
        let reason = cv::name("reason", &r.reason, true).map_err(to_status)?;
        let date = cv::date("date", &r.date).map_err(to_status)?;
        let months = r.term_months;
        let (id, l_id, n_id) = (fund_id.clone(), lid.clone(), new_id.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "fund.reschedule",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = profile(state, &id)?;
                if load::<Loan>(state, &loan_key(&id, &n_id))?.is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "new_loan_id".into(),
                        what: format!("loan {n_id:?} already exists in fund {id:?}"),
                    });
                }
                let old = loan(state, &id, &l_id)?;
                let rs = servicing::reschedule(&p.rules, &old, date, months, &n_id, &reason)
                    .map_err(|e| refused(e, "loan_id"))?;
                let (from, to) = (loan_sub(&l_id), loan_sub(&n_id));
                let mut entries: Vec<PlannedEntry> = accrual_entry(&id, &l_id, date, rs.accrual)?
                    .into_iter()
                    .collect();
                let mut postings = vec![
                    PostingInput {
                        account: account(&id, "1201", &to),
                        side: Side::Debit,
                        amount_fen: to_fen(rs.principal)?,
                    },
                    PostingInput {
                        account: account(&id, "1201", &from),
                        side: Side::Credit,
                        amount_fen: to_fen(rs.principal)?,
                    },
                ];
                if rs.arrears > Decimal::ZERO {
                    postings.push(PostingInput {
                        account: account(&id, "1202", &to),
                        side: Side::Debit,
                        amount_fen: to_fen(rs.arrears)?,
                    });
                    postings.push(PostingInput {
                        account: account(&id, "1202", &from),
                        side: Side::Credit,
                        amount_fen: to_fen(rs.arrears)?,
                    });
                }
                entries.push(PlannedEntry {
                    value_date: date,
                    memo: format!("loan {l_id} rescheduled as {n_id}: {reason}"),
                    postings,
                });
                let open = |code: &str| PlannedAccount {
                    account: account(&id, code, &to),
                    name: format!("loan {n_id} of {}", rs.new.member_id),
                    non_negative: true,
                };
                Ok(Plan {
                    accounts: vec![open("1201"), open("1202")],
                    entries,
                    records: vec![
                        json(loan_key(&id, &l_id), &rs.old),
                        json(loan_key(&id, &n_id), &rs.new),
                    ],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&fund_id, &new_id, seqs, replayed)
    }

    async fn get_member(
        &self,
        request: Request<pb::GetMemberRequest>,
    ) -> Answer<pb::MemberResponse> {
        allow_fund(&self.ledger, &request, Act::Read)?;
        let r = request.into_inner();
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let mid = ident("member_id", &r.member_id).map_err(to_status)?;
        self.member_response(&fund_id, &mid, Vec::new(), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(e: &PlannedEntry) -> Vec<(String, Side, i64)> {
        e.postings
            .iter()
            .map(|p| (p.account.code.clone(), p.side, p.amount_fen))
            .collect()
    }

    /// A period fee of 2.00 over 30 days: 29 days of 0.07 run 0.03 ahead,
    /// so the last day's fee is -0.03. With 0.07 of penalty that day the
    /// receivable grows by 0.04; fee income gives 0.03 back.
    #[test]
    fn a_negative_fee_remainder_posts_on_the_other_side() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let date = NaiveDate::from_ymd_opt(2025, 7, 3).unwrap();
        let accrual = servicing::Accrual {
            fee: d("-0.03"),
            penalty: d("0.07"),
        };
        let e = accrual_entry("f", "L1", date, accrual).unwrap().unwrap();
        assert_eq!(
            sides(&e),
            vec![
                ("1202".into(), Side::Debit, 4),
                ("4001".into(), Side::Debit, 3),
                ("4003".into(), Side::Credit, 7),
            ]
        );
        let only_fee = servicing::Accrual {
            fee: d("-0.03"),
            penalty: Decimal::ZERO,
        };
        let e = accrual_entry("f", "L1", date, only_fee).unwrap().unwrap();
        assert_eq!(
            sides(&e),
            vec![
                ("1202".into(), Side::Credit, 3),
                ("4001".into(), Side::Debit, 3)
            ]
        );
        assert!(
            accrual_entry("f", "L1", date, servicing::Accrual::default())
                .unwrap()
                .is_none()
        );
    }
}
