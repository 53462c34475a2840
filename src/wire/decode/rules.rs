//! A fund's, a federation's and a program's rules from a request: every
//! empty field takes its default, then the rules validate as a whole.
use rust_decimal::Decimal;

use super::{day_count, ident, owed_part, rates_within, ratio, ratio_or, yuan_or_zero};
use crate::domain::federation::FederationRules;
use crate::domain::fund::{Component, FundError, FundRules};
use crate::domain::money::RateCeiling;
use crate::domain::riskfund::{check_leverage_ratio, ProgramRules};
use crate::ledger::{LedgerError, Result};
use crate::pb;

/// A refused rule set, naming the rule or the field.
fn refused(e: FundError) -> LedgerError {
    match e {
        FundError::Rule { rule, detail } => LedgerError::rule(rule, "rules", detail),
        FundError::Invalid { field, reason } => LedgerError::invalid(field, reason),
    }
}

/// Sets `into` from the amount `text` unless it is empty.
fn set_yuan(field: &str, text: &str, into: &mut Decimal) -> Result<()> {
    if !text.is_empty() {
        *into = yuan_or_zero(&format!("rules.{field}"), text)?;
    }
    Ok(())
}

/// Sets `into` from the rate, ratio or share `text` unless it is empty.
fn set_ratio(field: &str, text: &str, into: &mut Decimal) -> Result<()> {
    if !text.is_empty() {
        *into = ratio(&format!("rules.{field}"), text)?;
    }
    Ok(())
}

/// Sets `into` from `v` unless it is 0.
fn count(v: u32, into: &mut u32) {
    if v != 0 {
        *into = v;
    }
}

pub fn fund_rules(r: Option<&pb::FundRules>) -> Result<FundRules> {
    let mut rules = FundRules::default();
    let Some(r) = r else { return Ok(rules) };
    set_yuan("share_price", &r.share_price, &mut rules.share_price)?;
    count(r.min_shares, &mut rules.min_shares);
    set_yuan(
        "first_loan_max",
        &r.first_loan_max,
        &mut rules.first_loan_max,
    )?;
    set_yuan("loan_max", &r.loan_max, &mut rules.loan_max)?;
    count(r.term_max_months, &mut rules.term_max_months);
    set_ratio(
        "household_share_max",
        &r.household_share_max,
        &mut rules.household_share_max,
    )?;
    set_ratio(
        "fee_rate_annual",
        &r.fee_rate_annual,
        &mut rules.fee_rate_annual,
    )?;
    rules.fee_upfront = r.fee_upfront;
    set_ratio(
        "penalty_rate_annual",
        &r.penalty_rate_annual,
        &mut rules.penalty_rate_annual,
    )?;
    set_yuan(
        "board_approval_above",
        &r.board_approval_above,
        &mut rules.board_approval_above,
    )?;
    set_ratio(
        "min_poor_loan_share",
        &r.min_poor_loan_share,
        &mut rules.min_poor_loan_share,
    )?;
    count(r.leave_notice_months, &mut rules.leave_notice_months);
    count(r.min_age_years, &mut rules.min_age_years);
    let d = &mut rules.distribution;
    set_ratio("welfare_share", &r.welfare_share, &mut d.welfare)?;
    set_ratio(
        "accumulation_share",
        &r.accumulation_share,
        &mut d.accumulation,
    )?;
    set_ratio("risk_share", &r.risk_share, &mut d.risk)?;
    set_ratio("dividend_share", &r.dividend_share, &mut d.dividends)?;
    count(r.group_min, &mut rules.group_min);
    count(r.group_max, &mut rules.group_max);
    rules.loans_need_group = r.loans_need_group;
    rules.allocation_eligible =
        super::household_flags("rules.allocation_eligible", &r.allocation_eligible)?;
    rules.day_count = day_count("rules.day_count", r.day_count)?;
    rules.lend_to_members_in_arrears = r.lend_to_members_in_arrears;
    if !r.waterfall.is_empty() {
        rules.waterfall = waterfall(&r.waterfall)?;
    }
    rules.validate().map_err(refused)?;
    Ok(rules)
}

/// A fund's fee and penalty rates against the deployment's ceiling.
pub fn fund_rates(rules: &FundRules, ceiling: RateCeiling) -> Result<()> {
    rates_within(
        ceiling,
        &[
            ("rules.fee_rate_annual", rules.fee_rate_annual),
            ("rules.penalty_rate_annual", rules.penalty_rate_annual),
        ],
    )
}

/// The order a repayment pays what is owed: penalty, fee and principal once each.
fn waterfall(parts: &[i32]) -> Result<[Component; 3]> {
    let parts: Vec<Component> = parts.iter().map(|p| owed_part(*p)).collect::<Result<_>>()?;
    parts.try_into().map_err(|_| {
        LedgerError::invalid(
            "rules.waterfall",
            "must name penalty, fee and principal once each",
        )
    })
}

pub fn federation_rules(r: Option<&pb::FederationRules>) -> Result<FederationRules> {
    let mut rules = FederationRules::default();
    if let Some(r) = r {
        set_ratio("limit_share", &r.limit_share, &mut rules.limit_share)?;
        set_ratio(
            "placement_rate_annual",
            &r.placement_rate_annual,
            &mut rules.placement_rate_annual,
        )?;
        set_ratio("spread_annual", &r.spread_annual, &mut rules.spread_annual)?;
        set_ratio("par30_alert", &r.par30_alert, &mut rules.par30_alert)?;
        set_ratio(
            "liquidity_alert",
            &r.liquidity_alert,
            &mut rules.liquidity_alert,
        )?;
        rules.day_count = day_count("rules.day_count", r.day_count)?;
        if r.report_due_days != 0 {
            rules.report_due_days = r.report_due_days;
        }
    }
    rules
        .validate()
        .map_err(|(field, reason)| LedgerError::invalid(field, reason))?;
    Ok(rules)
}

/// A federation's placement rate and spread against the deployment's ceiling.
pub fn federation_rates(rules: &FederationRules, ceiling: RateCeiling) -> Result<()> {
    rates_within(
        ceiling,
        &[
            ("rules.placement_rate_annual", rules.placement_rate_annual),
            ("rules.spread_annual", rules.spread_annual),
        ],
    )
}

/// The leverage ratio a request gives, and the field it came in:
/// `leverage_ratio` (a whole number) or `leverage_ratio_decimal` ("8.5");
/// both only when they agree.
fn leverage_ratio(r: &pb::ProgramRules) -> Result<(Decimal, &'static str)> {
    const WHOLE: &str = "rules.leverage_ratio";
    const DECIMAL: &str = "rules.leverage_ratio_decimal";
    if r.leverage_ratio_decimal.is_empty() {
        return Ok((Decimal::from(r.leverage_ratio), WHOLE));
    }
    let given = ratio(DECIMAL, &r.leverage_ratio_decimal)?.normalize();
    if r.leverage_ratio != 0 && Decimal::from(r.leverage_ratio) != given {
        return Err(LedgerError::invalid(
            DECIMAL,
            format!(
                "is {given} but leverage_ratio is {}: give one of them",
                r.leverage_ratio
            ),
        ));
    }
    Ok((given, DECIMAL))
}

pub fn program_rules(r: Option<&pb::ProgramRules>) -> Result<ProgramRules> {
    let r = r.ok_or_else(|| LedgerError::invalid("rules", "is required"))?;
    let bank_id = ident("rules.bank_id", &r.bank_id)?;
    let (ratio, ratio_field) = leverage_ratio(r)?;
    check_leverage_ratio(ratio, ratio_field).map_err(refused)?;
    let mut rules = ProgramRules::new(ratio, bank_id);
    rules.fund_share = ratio_or("rules.fund_share", &r.fund_share, rules.fund_share)?;
    rules.suspend_above_default_ratio = ratio_or(
        "rules.suspend_above_default_ratio",
        &r.suspend_above_default_ratio,
        rules.suspend_above_default_ratio,
    )?;
    count(r.claim_after_days, &mut rules.claim_after_days);
    count(r.borrower_age_max, &mut rules.borrower_age_max);
    rules.compensate_interest = r.compensate_interest;
    rules.eligible = super::household_flags("rules.eligible", &r.eligible)?;
    rules.day_count = super::day_count("rules.day_count", r.day_count)?;
    set_yuan("principal_max", &r.principal_max, &mut rules.principal_max)?;
    count(r.term_max_months, &mut rules.term_max_months);
    rules.validate().map_err(refused)?;
    Ok(rules)
}
