//! Requests into inputs: identifiers, names, dates, amounts and rates, enums,
//! rules and entries, each checked for form against `domain::limits` and
//! refused with INVALID_ARGUMENT naming the field.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::chart::BookKind;
use crate::domain::dates::{parse_date, parse_period_end};
use crate::domain::daycount::DayCount;
use crate::domain::federation::{Direction, Officer};
use crate::domain::fund::recipe::{Capital, SeedSource, Till};
use crate::domain::fund::{Component, PovertyStatus, StatusChange};
use crate::domain::household::{Flag, RiskCause};
use crate::domain::limits::{
    MAX_BOOK_ID_CHARS, MAX_ENTRIES_PER_BATCH, MAX_MEMO_CHARS, MAX_NAME_CHARS,
    MAX_POSTINGS_PER_ENTRY, MAX_REQUEST_ID_CHARS, MAX_SUB_CHARS, MIN_POSTINGS_PER_ENTRY,
};
use crate::domain::loan::PurposeCategory;
use crate::domain::money::{
    fen_to_decimal, parse_posting_amount, parse_ratio, parse_yuan, RateCeiling,
};
use crate::domain::posting::Side;
use crate::domain::schedule::{Method, MAX_TERM_MONTHS};
use crate::ledger::{AccountName, LedgerError, NewEntry, PostingInput, Result};
use crate::pb;

pub mod bank;
mod rules;
pub use rules::{federation_rates, federation_rules, fund_rates, fund_rules, program_rules};

fn text(field: &str, value: &str, max: usize, required: bool) -> Result<String> {
    let n = value.chars().count();
    if required && value.trim().is_empty() {
        return Err(LedgerError::invalid(field, "is required"));
    }
    if n > max {
        return Err(LedgerError::invalid(
            field,
            format!("is {n} characters long; at most {max} are accepted"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(LedgerError::invalid(field, "contains control characters"));
    }
    Ok(value.to_string())
}

pub fn request_id(value: &str) -> Result<String> {
    text("request_id", value, MAX_REQUEST_ID_CHARS, true)
}

pub fn memo(value: &str) -> Result<String> {
    text("memo", value, MAX_MEMO_CHARS, false)
}

/// A loan's purpose in the applicant's words.
pub fn purpose(value: &str) -> Result<String> {
    text("purpose", value, MAX_MEMO_CHARS, false)
}

pub fn name(field: &str, value: &str, required: bool) -> Result<String> {
    text(field, value, MAX_NAME_CHARS, required)
}

/// A book's id (a fund's, a federation's, a program's).
pub fn book_id(field: &str, value: &str) -> Result<String> {
    let ok = !value.is_empty()
        && value.len() <= MAX_BOOK_ID_CHARS
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(value.to_string())
    } else {
        Err(LedgerError::invalid(
            field,
            format!("must be 1-{MAX_BOOK_ID_CHARS} lower-case letters, digits, '-' or '_'"),
        ))
    }
}

/// An identifier (member, loan, household, group...): 1-40 of `[A-Za-z0-9._-]`.
pub fn ident(field: &str, value: &str) -> Result<String> {
    let ok = !value.is_empty()
        && value.len() <= 40
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(value.to_string())
    } else {
        Err(LedgerError::invalid(
            field,
            "must be 1-40 letters, digits, '-', '_' or '.'",
        ))
    }
}

/// Identifiers listed in a request, each named by its index.
pub fn idents(field: &str, values: &[String]) -> Result<Vec<String>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| ident(&format!("{field}[{i}]"), v))
        .collect()
}

/// A business date: a value date in the ledger's range.
pub fn date(field: &str, value: &str) -> Result<NaiveDate> {
    parse_date(value).map_err(|e| LedgerError::invalid(field, e))
}

/// A calendar date with no business bound (a birth date).
pub fn calendar_date(field: &str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .filter(|_| value.len() == 10)
        .ok_or_else(|| LedgerError::invalid(field, "is not a date of the form YYYY-MM-DD"))
}

/// An optional date: empty means "not given".
pub fn optional_date(field: &str, value: &str) -> Result<Option<NaiveDate>> {
    if value.is_empty() {
        Ok(None)
    } else {
        date(field, value).map(Some)
    }
}

pub fn period_end(value: &str) -> Result<NaiveDate> {
    parse_period_end(value).map_err(|e| LedgerError::invalid("period", e))
}

/// A posting amount from the request's `field`, in fen: the amount
/// grammar of `domain::money`, > 0, at most two places, at most the limit.
pub fn amount(field: &str, text: &str) -> Result<i64> {
    parse_posting_amount(text).map_err(|e| LedgerError::invalid(field, e))
}

/// A posting amount in yuan.
pub fn yuan(field: &str, text: &str) -> Result<Decimal> {
    amount(field, text).map(|fen| fen_to_decimal(fen.into()))
}

/// An optional amount in yuan: empty is nothing.
pub fn optional_yuan(field: &str, text: &str) -> Result<Decimal> {
    if text.is_empty() {
        Ok(Decimal::ZERO)
    } else {
        yuan(field, text)
    }
}

/// An amount in yuan of at least zero (a rule's, a bank's schedule part):
/// the amount grammar, at most the posting limit.
pub fn yuan_or_zero(field: &str, text: &str) -> Result<Decimal> {
    parse_yuan(text).map_err(|e| LedgerError::invalid(field, e))
}

/// A rate, a ratio or a share in the grammar of `domain::money`; its range
/// is the caller's.
pub fn ratio(field: &str, text: &str) -> Result<Decimal> {
    parse_ratio(text).map_err(|e| LedgerError::invalid(field, e))
}

/// A ratio from the request's `field` (empty: `default`).
pub fn ratio_or(field: &str, text: &str, default: Decimal) -> Result<Decimal> {
    if text.is_empty() {
        return Ok(default);
    }
    ratio(field, text)
}

/// An annual rate from 0 to 1; the deployment's ceiling is checked apart
/// ([`rates_within`]), once the operation is decoded.
pub fn rate(field: &str, text: &str) -> Result<Decimal> {
    let r = ratio(field, text)?;
    if r > Decimal::ONE {
        return Err(LedgerError::invalid(
            field,
            "must be from 0 to 1 (0% to 100% a year)",
        ));
    }
    Ok(r)
}

/// Annual rates, each named by its field, against the deployment's ceiling.
pub fn rates_within(ceiling: RateCeiling, rates: &[(&str, Decimal)]) -> Result<()> {
    rates.iter().try_for_each(|(field, rate)| {
        ceiling
            .check(*rate)
            .map_err(|e| LedgerError::invalid(*field, e))
    })
}

/// A share in (0, 1] (of fee income).
pub fn share(field: &str, text: &str) -> Result<Decimal> {
    Some(ratio(field, text)?)
        .filter(|s| *s > Decimal::ZERO && *s <= Decimal::ONE)
        .ok_or_else(|| LedgerError::invalid(field, "must be above 0 and at most 1"))
}

/// A loan's term: from 1 month to the longest schedule computed (a fund's
/// or a program's own maximum is its rule).
pub fn term_months(value: u32) -> Result<u32> {
    if !(1..=MAX_TERM_MONTHS).contains(&value) {
        return Err(LedgerError::invalid(
            "term_months",
            format!("must be from 1 to {MAX_TERM_MONTHS} months, not {value}"),
        ));
    }
    Ok(value)
}

/// A year-end's year.
pub fn year(value: u32) -> Result<i32> {
    i32::try_from(value)
        .ok()
        .filter(|y| (2000..=2200).contains(y))
        .ok_or_else(|| LedgerError::invalid("year", "must be a year from 2000"))
}

pub fn book_kind(value: i32) -> Result<BookKind> {
    match pb::BookKind::try_from(value) {
        Ok(pb::BookKind::Fund) => Ok(BookKind::Fund),
        Ok(pb::BookKind::Federation) => Ok(BookKind::Federation),
        Ok(pb::BookKind::Program) => Ok(BookKind::Program),
        _ => Err(LedgerError::invalid(
            "kind",
            "must be FUND, FEDERATION or PROGRAM",
        )),
    }
}

pub fn till(value: i32) -> Result<Till> {
    match pb::Till::try_from(value) {
        Ok(pb::Till::Cash) => Ok(Till::Cash),
        Ok(pb::Till::Bank) => Ok(Till::Bank),
        _ => Err(LedgerError::invalid("till", "must be CASH or BANK")),
    }
}

pub fn capital(value: i32) -> Result<Capital> {
    match pb::CapitalSource::try_from(value) {
        Ok(pb::CapitalSource::Fiscal) => Ok(Capital::Fiscal),
        Ok(pb::CapitalSource::SpecialSupport) => Ok(Capital::Special),
        Ok(pb::CapitalSource::Donation) => Ok(Capital::Donation),
        _ => Err(LedgerError::invalid(
            "source",
            "must be FISCAL, SPECIAL_SUPPORT or DONATION",
        )),
    }
}

pub fn seed_source(value: i32) -> Result<SeedSource> {
    match pb::CapitalSource::try_from(value) {
        Ok(pb::CapitalSource::Fiscal) => Ok(SeedSource::Fiscal),
        Ok(pb::CapitalSource::SpecialSupport) => Ok(SeedSource::Special),
        _ => Err(LedgerError::invalid(
            "source",
            "must be FISCAL or SPECIAL_SUPPORT: allocated shares are paid from seed capital",
        )),
    }
}

/// True for allocated shares, false for own shares.
pub fn allocated_class(value: i32) -> Result<bool> {
    match pb::ShareClass::try_from(value) {
        Ok(pb::ShareClass::Own) => Ok(false),
        Ok(pb::ShareClass::Allocated) => Ok(true),
        _ => Err(LedgerError::invalid("class", "must be OWN or ALLOCATED")),
    }
}

/// True for dividends by fees paid, false by shares held.
pub fn by_fees(value: i32) -> Result<bool> {
    match pb::DividendBasis::try_from(value) {
        Ok(pb::DividendBasis::Shares) => Ok(false),
        Ok(pb::DividendBasis::FeesPaid) => Ok(true),
        _ => Err(LedgerError::invalid("basis", "must be SHARES or FEES_PAID")),
    }
}

pub fn poverty_status(value: i32, field: &str) -> Result<PovertyStatus> {
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

/// Household flags listed in a request, each named by its index.
pub fn household_flags(field: &str, values: &[i32]) -> Result<Vec<Flag>> {
    use pb::HouseholdFlag as H;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| match H::try_from(*v) {
            Ok(H::RegisteredPoor) => Ok(Flag::RegisteredPoor),
            Ok(H::LowIncome) => Ok(Flag::LowIncome),
            Ok(H::Dibao) => Ok(Flag::Dibao),
            Ok(H::Wubao) => Ok(Flag::Wubao),
            Ok(H::Monitored) => Ok(Flag::Monitored),
            Ok(H::UnstableAfterExit) => Ok(Flag::UnstableAfterExit),
            _ => Err(LedgerError::invalid(
                format!("{field}[{i}]"),
                "must name a household flag (REGISTERED_POOR, LOW_INCOME, DIBAO, WUBAO, MONITORED or UNSTABLE_AFTER_EXIT)",
            )),
        })
        .collect()
}

/// A monitored household's risk cause; none when unspecified.
pub fn risk_cause(value: i32) -> Result<Option<RiskCause>> {
    use pb::RiskCause as R;
    Ok(Some(match R::try_from(value) {
        Ok(R::Unspecified) => return Ok(None),
        Ok(R::IllnessOrDisability) => RiskCause::IllnessOrDisability,
        Ok(R::UnstableEmployment) => RiskCause::UnstableEmployment,
        Ok(R::BusinessFailure) => RiskCause::BusinessFailure,
        Ok(R::Emergency) => RiskCause::Emergency,
        Ok(R::Education) => RiskCause::Education,
        Ok(R::Epidemic) => RiskCause::Epidemic,
        Ok(R::Disaster) => RiskCause::Disaster,
        Ok(R::Other) => RiskCause::Other,
        Err(_) => {
            return Err(LedgerError::invalid(
                "cause",
                "must name one of the eight risk causes",
            ))
        }
    }))
}

/// What a request says of a household's status: its flags (and cause), or
/// one status value as before the flags (`status_field` names it).
pub struct StatusGiven<'a> {
    pub status: i32,
    pub status_field: &'a str,
    pub flags: &'a [i32],
    pub cause: i32,
    pub note: &'a str,
}

/// A status change on `date` from what a request gives.
pub fn status_change(date: NaiveDate, g: StatusGiven<'_>) -> Result<StatusChange> {
    if g.flags.is_empty() {
        let status = poverty_status(g.status, g.status_field)?;
        let note = name("risk_cause", g.note, false)?;
        return Ok(StatusChange::from_status(
            date,
            status,
            risk_cause(g.cause)?,
            note,
        ));
    }
    if g.status != 0 {
        return Err(LedgerError::invalid(
            g.status_field,
            "is left unspecified when flags are given: give the flags or the status, not both",
        ));
    }
    let flags = household_flags("flags", g.flags)?;
    let cause = risk_cause(g.cause)?;
    let note = name("risk_cause", g.note, false)?;
    Ok(StatusChange::new(date, &flags, cause, note))
}

pub fn method(value: i32) -> Result<Method> {
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

/// A day-count convention; UNSPECIFIED takes the default, months and days.
pub fn day_count(field: &str, value: i32) -> Result<DayCount> {
    match pb::DayCount::try_from(value) {
        Ok(pb::DayCount::Unspecified | pb::DayCount::MonthsAndDays) => Ok(DayCount::MonthsAndDays),
        Ok(pb::DayCount::Actual360) => Ok(DayCount::Actual360),
        Err(_) => Err(LedgerError::invalid(
            field,
            "must be MONTHS_AND_DAYS or ACTUAL_360 (UNSPECIFIED: MONTHS_AND_DAYS)",
        )),
    }
}

/// A loan's purpose category; UNSPECIFIED is refused: every loan names one.
pub fn purpose_category(field: &str, value: i32) -> Result<PurposeCategory> {
    use pb::PurposeCategory as P;
    match P::try_from(value) {
        Ok(P::Crops) => Ok(PurposeCategory::Crops),
        Ok(P::Livestock) => Ok(PurposeCategory::Livestock),
        Ok(P::Processing) => Ok(PurposeCategory::Processing),
        Ok(P::Trade) => Ok(PurposeCategory::Trade),
        Ok(P::Services) => Ok(PurposeCategory::Services),
        Ok(P::Other) => Ok(PurposeCategory::Other),
        Ok(P::Unspecified) | Err(_) => Err(LedgerError::invalid(
            field,
            "must name the loan's industry: CROPS, LIVESTOCK, PROCESSING, TRADE, SERVICES or OTHER",
        )),
    }
}

/// The business that uses a loan's money (户贷企用); none when empty.
pub fn business(value: &str) -> Result<Option<String>> {
    let name = text("business", value.trim(), MAX_NAME_CHARS, false)?;
    Ok(Some(name).filter(|n| !n.is_empty()))
}

pub fn owed_part(value: i32) -> Result<Component> {
    match pb::OwedPart::try_from(value) {
        Ok(pb::OwedPart::Penalty) => Ok(Component::Penalty),
        Ok(pb::OwedPart::Fee) => Ok(Component::Fee),
        Ok(pb::OwedPart::Principal) => Ok(Component::Principal),
        _ => Err(LedgerError::invalid(
            "rules.waterfall",
            "names PENALTY, FEE or PRINCIPAL",
        )),
    }
}

pub fn officer(field: &str, o: Option<&pb::Officer>) -> Result<Officer> {
    let o = o.ok_or_else(|| LedgerError::invalid(field, "is required"))?;
    Ok(Officer {
        name: name(&format!("{field}.name"), &o.name, true)?,
        fund_id: book_id(&format!("{field}.fund_id"), &o.fund_id)?,
        township_official: o.township_official,
    })
}

/// Officers listed in a request, each named by its index.
pub fn officers(field: &str, os: &[pb::Officer]) -> Result<Vec<Officer>> {
    os.iter()
        .enumerate()
        .map(|(i, o)| officer(&format!("{field}[{i}]"), Some(o)))
        .collect()
}

/// Which way a placement goes, by the RPC that makes it.
pub fn direction(from_fund: bool) -> Direction {
    if from_fund {
        Direction::FromFund
    } else {
        Direction::ToFund
    }
}

pub fn account_ref(field: &str, value: Option<&pb::AccountRef>) -> Result<AccountName> {
    let r = value.ok_or_else(|| LedgerError::invalid(field, "is required"))?;
    let book_id = book_id(&format!("{field}.book_id"), &r.book_id)?;
    if r.code.is_empty() || r.code.len() > 8 || !r.code.chars().all(|c| c.is_ascii_digit()) {
        return Err(LedgerError::invalid(
            format!("{field}.code"),
            "must be a chart code of digits, e.g. \"1002\"",
        ));
    }
    if r.sub.len() > MAX_SUB_CHARS || r.sub.chars().any(|c| c.is_control() || c == '/') {
        return Err(LedgerError::invalid(
            format!("{field}.sub"),
            format!("must be \"kind:id\" of at most {MAX_SUB_CHARS} characters"),
        ));
    }
    Ok(AccountName {
        book_id,
        code: r.code.clone(),
        sub: r.sub.clone(),
    })
}

fn posting(j: usize, p: &pb::Posting) -> Result<PostingInput> {
    let side = match pb::Side::try_from(p.side) {
        Ok(pb::Side::Debit) => Side::Debit,
        Ok(pb::Side::Credit) => Side::Credit,
        _ => {
            return Err(LedgerError::invalid(
                format!("postings[{j}].side"),
                "must be DEBIT or CREDIT",
            ))
        }
    };
    Ok(PostingInput {
        account: account_ref(&format!("postings[{j}].account"), p.account.as_ref())?,
        side,
        amount_fen: amount(&format!("postings[{j}].amount"), &p.amount)?,
    })
}

pub fn new_entry(req: &pb::PostEntryRequest, actor: &str) -> Result<NewEntry> {
    let n = req.postings.len();
    if !(MIN_POSTINGS_PER_ENTRY..=MAX_POSTINGS_PER_ENTRY).contains(&n) {
        return Err(LedgerError::invalid(
            "postings",
            format!(
                "must hold {MIN_POSTINGS_PER_ENTRY} to {MAX_POSTINGS_PER_ENTRY} postings, not {n}"
            ),
        ));
    }
    let postings = req
        .postings
        .iter()
        .enumerate()
        .map(|(j, p)| posting(j, p))
        .collect::<Result<_>>()?;
    Ok(NewEntry {
        request_id: request_id(&req.request_id)?,
        actor: actor.to_string(),
        value_date: date("value_date", &req.value_date)?,
        memo: memo(&req.memo)?,
        postings,
    })
}

pub fn new_entries(req: &pb::PostEntriesRequest, actor: &str) -> Result<Vec<NewEntry>> {
    let n = req.entries.len();
    if n == 0 || n > MAX_ENTRIES_PER_BATCH {
        return Err(LedgerError::invalid(
            "entries",
            format!("must hold 1 to {MAX_ENTRIES_PER_BATCH} entries, not {n}"),
        ));
    }
    let entries: Vec<NewEntry> = req
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| new_entry(e, actor).map_err(|err| err.within(&format!("entries[{i}]"))))
        .collect::<Result<_>>()?;
    let mut seen = std::collections::HashMap::with_capacity(n);
    for (i, e) in entries.iter().enumerate() {
        if let Some(first) = seen.insert(e.request_id.as_str(), i) {
            return Err(LedgerError::invalid(
                format!("entries[{i}].request_id"),
                format!("repeats the request id of entries[{first}]"),
            ));
        }
    }
    Ok(entries)
}
