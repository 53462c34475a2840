//! Interest subsidies (贴息, DOMAIN.md §5): what a loan earns in a period.
//!
//! - **Day count 30E/360**: a month counts 30 days and a year 360, so the
//!   PBoC convention (daily rate = annual / 360) gives a whole year exactly
//!   the annual rate: the field vector, 100,000 for a year at 2.4%, is
//!   2,400.00 (with actual days it would be 365/360 of that, 2,433.33). Day
//!   `d` weighs `days_360(d, d + 1)`: 1, except the 30th of a 31-day month
//!   (0) and the last day of February (3, or 2 in a leap year); a period's
//!   weights add up to its 30E/360 length (a quarter is 90).
//! - Day `d` accrues on the principal outstanding that day (principal
//!   repaid on `d` no longer counts), from the disbursement day up to, not
//!   including, the day the loan ends (paid off or claimed).
//! - **Current days only**: a day on which an installment is past due earns
//!   nothing; penalty interest is never subsidized.
//! - subsidy = round(Σ outstanding × weight × rate / 360) for a loan and a
//!   period: rounded half-up at the fen once, at the end.
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::fund::FundError;
use super::loan::{broken, Loan, LoanStatus};
use super::money::round_to_fen;

pub mod recipe;

/// Days in a year under the day count.
pub const DAYS_PER_YEAR: i64 = 360;

pub mod rule {
    pub const ELIGIBLE: &str = "subsidy_borrower_eligible";
    pub const LINK_ONCE: &str = "subsidy_loan_linked_once";
    pub const PERIOD_ONCE: &str = "subsidy_period_accrued_once";
    pub const PERIODS_IN_ORDER: &str = "subsidy_periods_in_order";
    pub const PERIOD_KIND: &str = "subsidy_period_matches_settlement";
    pub const CLAIM_STATE: &str = "subsidy_claim_state_allows_it";
    pub const APPROVER: &str = "subsidy_approver_not_claimant";
    pub const AFTER_PERIOD: &str = "subsidy_settled_after_period";
}

/// Days from `from` to `to` under 30E/360: a day 31 counts as 30.
pub fn days_360(from: NaiveDate, to: NaiveDate) -> i64 {
    let day = |d: NaiveDate| i64::from(d.day().min(30));
    i64::from(to.year() - from.year()) * DAYS_PER_YEAR
        + (i64::from(to.month()) - i64::from(from.month())) * 30
        + day(to)
        - day(from)
}

/// A loan as the subsidy sees it: what fell due when and what was paid when.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Track {
    pub start: NaiveDate,
    pub principal: Decimal,
    /// (due date, principal, interest), in date order.
    pub due: Vec<(NaiveDate, Decimal, Decimal)>,
    /// (date, principal, interest) paid, in date order.
    pub paid: Vec<(NaiveDate, Decimal, Decimal)>,
    /// The day the loan ended (paid off, claimed): nothing accrues from it on.
    pub end: Option<NaiveDate>,
}

impl Track {
    /// Principal and interest paid on or before `date`.
    fn paid_by(&self, date: NaiveDate) -> (Decimal, Decimal) {
        self.paid
            .iter()
            .filter(|(d, _, _)| *d <= date)
            .fold((Decimal::ZERO, Decimal::ZERO), |(p, i), (_, dp, di)| {
                (p + dp, i + di)
            })
    }

    /// Principal still owed during `date`.
    pub fn outstanding_on(&self, date: NaiveDate) -> Decimal {
        self.principal - self.paid_by(date).0
    }

    /// Days past due on `date`: since the due date of the first installment
    /// not covered by what was paid by then, once that date has passed.
    pub fn days_past_due(&self, date: NaiveDate) -> i64 {
        let (principal_paid, interest_paid) = self.paid_by(date);
        let (mut principal, mut interest) = (Decimal::ZERO, Decimal::ZERO);
        for (due, p, i) in &self.due {
            principal += p;
            interest += i;
            if principal_paid < principal || interest_paid < interest {
                return if *due < date {
                    (date - *due).num_days()
                } else {
                    0
                };
            }
        }
        0
    }
}

/// What one loan earned in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accrued {
    pub subsidy: Decimal,
    /// Weighted (30E/360) days the loan was current, and past due, in the period.
    pub days_current: i64,
    pub days_overdue: i64,
}

/// The subsidy of `track` at `rate_annual` for the days `from..to` (`to` excluded).
pub fn accrue(track: &Track, rate_annual: Decimal, from: NaiveDate, to: NaiveDate) -> Accrued {
    let (mut base, mut current, mut overdue) = (Decimal::ZERO, 0, 0);
    let last = track.end.map_or(to, |end| end.min(to));
    let mut day = from.max(track.start);
    while day < last {
        let next = day.succ_opt().expect("dates stay in range");
        let weight = days_360(day, next);
        if track.days_past_due(day) > 0 {
            overdue += weight;
        } else {
            current += weight;
            base += track.outstanding_on(day) * Decimal::from(weight);
        }
        day = next;
    }
    Accrued {
        subsidy: round_to_fen(base * rate_annual / Decimal::from(DAYS_PER_YEAR)),
        days_current: current,
        days_overdue: overdue,
    }
}

/// A settlement period: its first day and the day after its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub end_exclusive: NaiveDate,
    pub quarterly: bool,
}

impl Period {
    /// "YYYY-MM" (a month) or "YYYY-Qn" (a quarter).
    pub fn parse(text: &str) -> Option<Self> {
        let (year, rest) = text.split_once('-')?;
        let year: i32 = year.parse().ok().filter(|_| year.len() == 4)?;
        let (month, months, quarterly) = match rest.strip_prefix('Q') {
            Some(q) => {
                let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                (3 * q - 2, 3, true)
            }
            None if rest.len() == 2 => (rest.parse().ok()?, 1, false),
            None => return None,
        };
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let end_exclusive = first.checked_add_months(chrono::Months::new(months))?;
        Some(Self {
            first,
            end_exclusive,
            quarterly,
        })
    }

    pub fn last_day(&self) -> NaiveDate {
        self.end_exclusive.pred_opt().expect("dates stay in range")
    }
}

/// A period may accrue when it is of the scheme's kind (a quarter or a
/// month), was not accrued before, and follows the last period accrued.
pub fn check_next_period(
    quarterly: bool,
    accrued_through: Option<NaiveDate>,
    period: Period,
    accrued: bool,
) -> Result<(), FundError> {
    if period.quarterly != quarterly {
        let expected = if quarterly {
            "a quarter \"YYYY-Qn\""
        } else {
            "a month \"YYYY-MM\""
        };
        return Err(broken(
            rule::PERIOD_KIND,
            format!("the scheme settles by {expected}"),
        ));
    }
    if accrued {
        return Err(broken(
            rule::PERIOD_ONCE,
            format!("the period from {} is accrued", period.first),
        ));
    }
    match accrued_through {
        Some(last) if last.succ_opt() != Some(period.first) => Err(broken(
            rule::PERIODS_IN_ORDER,
            format!(
                "the scheme is accrued through {last}; the next period starts the day after, not on {}",
                period.first
            ),
        )),
        _ => Ok(()),
    }
}

/// How a scheme sets the subsidy rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// The loan's own rate.
    Full,
    /// A fixed annual rate, at most the loan's rate.
    Fixed(Decimal),
}

impl Kind {
    pub fn rate(self, loan_rate: Decimal) -> Decimal {
        match self {
            Self::Full => loan_rate,
            Self::Fixed(rate) => rate.min(loan_rate),
        }
    }
}

/// A loan a scheme subsidizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoanRef {
    /// A guaranteed loan of the program.
    Bank(String),
    /// A village fund's loan: fund, loan.
    Fund(String, String),
}

impl LoanRef {
    /// How lines and statements name the loan: "bank:{loan}", "fund:{fund}/{loan}".
    pub fn label(&self) -> String {
        match self {
            Self::Bank(loan) => format!("bank:{loan}"),
            Self::Fund(fund, loan) => format!("fund:{fund}/{loan}"),
        }
    }
}

/// A subsidy scheme of a program: how it sets the rate, when it settles,
/// whom it pays, the loans it subsidizes and how far it has accrued.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scheme {
    pub scheme_id: String,
    pub kind: Kind,
    pub quarterly: bool,
    pub pay_borrower: bool,
    pub loans: Vec<LoanRef>,
    /// The last day of the last period accrued.
    pub accrued_through: Option<NaiveDate>,
}

/// A loan is subsidized by one scheme at most.
pub fn check_link(schemes: &[Scheme], loan: &LoanRef) -> Result<(), FundError> {
    match schemes.iter().find(|o| o.loans.contains(loan)) {
        Some(other) => Err(broken(
            rule::LINK_ONCE,
            format!(
                "{} is subsidized by scheme {} already",
                loan.label(),
                other.scheme_id
            ),
        )),
        None => Ok(()),
    }
}

/// A village-fund loan is subsidized for a registered poor or monitored
/// member, once it is disbursed.
pub fn check_fund_loan(member: &super::fund::Member, loan: &Loan) -> Result<(), FundError> {
    if !member.status().program_eligible() {
        return Err(broken(
            rule::ELIGIBLE,
            format!(
                "member {} is {:?}; subsidies go to registered poor or monitored households",
                member.member_id,
                member.status()
            ),
        ));
    }
    super::loan::require(loan, LoanStatus::Disbursed, "subsidized")
}

/// The track of a village-fund loan: its schedule (fee counted unless it was
/// charged upfront; a rescheduled loan's carried fee due at once), what the
/// borrower repaid, and what earlier subsidies took off the fee, dated the
/// last day of their period. It ends when the loan closes, or on the day it
/// was written off or rescheduled (both accrue the loan to that day).
pub fn fund_loan_track(loan: &Loan, credits: &[(NaiveDate, Decimal)]) -> Track {
    let start = loan.disbursed_on.unwrap_or(loan.applied_on);
    let fee_counts = loan.upfront_fee.is_zero();
    let mut due = Vec::with_capacity(loan.schedule.len() + 1);
    if loan.carried_fee > Decimal::ZERO {
        due.push((start, Decimal::ZERO, loan.carried_fee));
    }
    due.extend(loan.schedule.iter().map(|i| {
        let fee = if fee_counts { i.fee } else { Decimal::ZERO };
        (i.due_date, i.principal, fee)
    }));
    let mut paid: Vec<(NaiveDate, Decimal, Decimal)> = loan
        .repayments
        .iter()
        .map(|r| (r.date, r.principal, r.fee))
        .collect();
    paid.extend(credits.iter().map(|(d, a)| (*d, Decimal::ZERO, *a)));
    Track {
        start,
        principal: loan.principal,
        due,
        paid,
        end: match loan.status {
            LoanStatus::Closed => loan.closed_on,
            LoanStatus::WrittenOff | LoanStatus::Rescheduled => loan.accrued_through,
            LoanStatus::Applied | LoanStatus::Approved | LoanStatus::Disbursed => None,
        },
    }
}

/// A village-fund loan's subsidy reduces the fee receivable up to its
/// balance; the rest refunds fee the borrower already paid. Returns
/// (fee reduced, refund).
pub fn split_fund_subsidy(subsidy: Decimal, fee_receivable: Decimal) -> (Decimal, Decimal) {
    let reduced = subsidy.min(fee_receivable.max(Decimal::ZERO));
    (reduced, subsidy - reduced)
}

/// One loan's line in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// "bank:{loan}" or "fund:{fund}/{loan}".
    pub loan: String,
    /// The payable's sub-account in the program: "bank:{bank}" or "fund:{fund}".
    pub payee: String,
    pub rate_annual: Decimal,
    pub accrued: Accrued,
    pub fee_reduced: Decimal,
    pub refund: Decimal,
}

/// Where a period's claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodState {
    Accrued,
    Claimed,
    Approved,
    Paid,
}

/// An accrued period of a scheme and its claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRecord {
    pub period: String,
    pub last_day: NaiveDate,
    pub lines: Vec<Line>,
    pub state: PeriodState,
    pub claimed_by: Option<String>,
    pub approved_by: Option<String>,
}

impl PeriodRecord {
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.accrued.subsidy).sum()
    }

    fn advance(&self, from: PeriodState, to: PeriodState) -> Result<Self, FundError> {
        if self.state != from {
            return Err(broken(
                rule::CLAIM_STATE,
                format!(
                    "period {} is {:?}; only an {from:?} period can become {to:?}",
                    self.period, self.state
                ),
            ));
        }
        let mut p = self.clone();
        p.state = to;
        Ok(p)
    }

    /// The program claims the period's subsidies from the finance bureau.
    pub fn claim(&self, actor: &str) -> Result<Self, FundError> {
        let mut p = self.advance(PeriodState::Accrued, PeriodState::Claimed)?;
        p.claimed_by = Some(actor.to_string());
        Ok(p)
    }

    /// Approval, by someone other than the claimant.
    pub fn approve(&self, actor: &str) -> Result<Self, FundError> {
        if self.claimed_by.as_deref() == Some(actor) {
            return Err(broken(
                rule::APPROVER,
                format!(
                    "{actor} claimed period {}; another actor approves it",
                    self.period
                ),
            ));
        }
        let mut p = self.advance(PeriodState::Claimed, PeriodState::Approved)?;
        p.approved_by = Some(actor.to_string());
        Ok(p)
    }

    pub fn pay(&self) -> Result<Self, FundError> {
        self.advance(PeriodState::Approved, PeriodState::Paid)
    }

    /// The value date of an approval or payment: given, and after the period.
    pub fn settlement_date(&self, date: Option<NaiveDate>) -> Result<NaiveDate, FundError> {
        let date = date.ok_or_else(|| FundError::Invalid {
            field: "date".into(),
            reason: "is required: the value date of the approval or payment".into(),
        })?;
        if date <= self.last_day {
            return Err(broken(
                rule::AFTER_PERIOD,
                format!(
                    "period {} ends on {}; it is settled after, not on {date}",
                    self.period, self.last_day
                ),
            ));
        }
        Ok(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A bullet loan: everything due at maturity, nothing paid.
    fn bullet(principal: &str, start: &str, maturity: &str) -> Track {
        Track {
            start: d(start),
            principal: dec(principal),
            due: vec![(d(maturity), dec(principal), Decimal::ZERO)],
            ..Track::default()
        }
    }

    #[test]
    fn day_count_is_30e_360() {
        assert_eq!(days_360(d("2025-01-01"), d("2026-01-01")), 360);
        assert_eq!(days_360(d("2025-04-01"), d("2025-07-01")), 90);
        assert_eq!(days_360(d("2025-01-30"), d("2025-01-31")), 0);
        assert_eq!(days_360(d("2025-02-28"), d("2025-03-01")), 3);
        assert_eq!(days_360(d("2024-02-28"), d("2024-02-29")), 1);
        assert_eq!(days_360(d("2024-02-29"), d("2024-03-01")), 2);
    }

    #[test]
    fn field_vector_a_year_at_2_4_percent_is_2400() {
        // 100,000 x 0.024 x 360 / 360 = 2,400.00.
        let t = bullet("100000", "2025-01-01", "2026-01-01");
        let year = accrue(&t, dec("0.024"), d("2025-01-01"), d("2026-01-01"));
        assert_eq!(year.subsidy, dec("2400.00"));
        assert_eq!((year.days_current, year.days_overdue), (360, 0));
        // By quarters: 100,000 x 0.024 x 90 / 360 = 600.00 each.
        for (from, to) in [
            ("2025-01-01", "2025-04-01"),
            ("2025-04-01", "2025-07-01"),
            ("2025-07-01", "2025-10-01"),
            ("2025-10-01", "2026-01-01"),
        ] {
            assert_eq!(
                accrue(&t, dec("0.024"), d(from), d(to)).subsidy,
                dec("600.00")
            );
        }
    }

    #[test]
    fn overdue_days_earn_nothing() {
        // 40,000, interest monthly on the 10th, principal at maturity. The
        // April 10 interest is paid on April 28: past due April 11 to 27,
        // 17 days, all weighing 1. Q2 has 90 days, 73 of them current:
        // 40,000 x 0.03 x 73 / 360 = 243.333... -> 243.33, where the whole
        // quarter would give 300.00; the 17 days' 56.67 are lost.
        let mut t = Track {
            start: d("2025-01-10"),
            principal: dec("40000"),
            ..Track::default()
        };
        for m in 2..=12 {
            let due = NaiveDate::from_ymd_opt(2025, m, 10).unwrap();
            t.due.push((due, Decimal::ZERO, dec("145")));
            let paid = if m == 4 { d("2025-04-28") } else { due };
            t.paid.push((paid, Decimal::ZERO, dec("145")));
        }
        assert_eq!(t.days_past_due(d("2025-04-10")), 0);
        assert_eq!(t.days_past_due(d("2025-04-27")), 17);
        assert_eq!(t.days_past_due(d("2025-04-28")), 0);
        let q2 = accrue(&t, dec("0.03"), d("2025-04-01"), d("2025-07-01"));
        assert_eq!(q2.subsidy, dec("243.33"));
        assert_eq!((q2.days_current, q2.days_overdue), (73, 17));
        t.paid[2].0 = d("2025-04-10");
        let on_time = accrue(&t, dec("0.03"), d("2025-04-01"), d("2025-07-01"));
        assert_eq!(on_time.subsidy, dec("300.00"));
    }

    #[test]
    fn principal_repaid_stops_earning_and_the_end_stops_everything() {
        // 12,000, 1,000 principal due monthly from Feb 1, paid on time.
        // January: 12,000 x 30 days; February: 11,000 x 30 (Feb 1-27 weigh 1,
        // Feb 28 weighs 3). At 3.6%: (360,000 + 330,000) x 0.036 / 360 = 69.00.
        let mut t = Track {
            start: d("2025-01-01"),
            principal: dec("12000"),
            ..Track::default()
        };
        for m in 2..=12 {
            let due = NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
            t.due.push((due, dec("1000"), Decimal::ZERO));
            t.paid.push((due, dec("1000"), Decimal::ZERO));
        }
        let two = accrue(&t, dec("0.036"), d("2025-01-01"), d("2025-03-01"));
        assert_eq!(two.subsidy, dec("69.00"));
        // Ended on Feb 1: January only, 12,000 x 30 x 0.036 / 360 = 36.00.
        t.end = Some(d("2025-02-01"));
        let ended = accrue(&t, dec("0.036"), d("2025-01-01"), d("2025-03-01"));
        assert_eq!((ended.subsidy, ended.days_current), (dec("36.00"), 30));
    }

    #[test]
    fn rounds_once_half_up() {
        // 1,000 x 0.015 x 1 / 360 = 0.041666... a day; 30 days = 1.25 exactly,
        // 1 day alone rounds to 0.04.
        let t = bullet("1000", "2025-01-01", "2025-12-01");
        assert_eq!(
            accrue(&t, dec("0.015"), d("2025-01-01"), d("2025-02-01")).subsidy,
            dec("1.25")
        );
        assert_eq!(
            accrue(&t, dec("0.015"), d("2025-01-01"), d("2025-01-02")).subsidy,
            dec("0.04")
        );
    }

    #[test]
    fn a_claim_is_approved_by_another_actor_then_paid() {
        let p = PeriodRecord {
            period: "2025-Q1".into(),
            last_day: d("2025-03-31"),
            lines: Vec::new(),
            state: PeriodState::Accrued,
            claimed_by: None,
            approved_by: None,
        };
        let rule_of = |e: FundError| match e {
            FundError::Rule { rule, .. } => rule,
            FundError::Invalid { field, .. } => panic!("{field}"),
        };
        assert_eq!(rule_of(p.approve("b").unwrap_err()), rule::CLAIM_STATE);
        let claimed = p.claim("a").unwrap();
        assert_eq!(rule_of(claimed.pay().unwrap_err()), rule::CLAIM_STATE);
        assert_eq!(rule_of(claimed.approve("a").unwrap_err()), rule::APPROVER);
        let approved = claimed.approve("b").unwrap();
        assert!(approved.settlement_date(None).is_err());
        let on_last_day = approved.settlement_date(Some(d("2025-03-31")));
        assert_eq!(rule_of(on_last_day.unwrap_err()), rule::AFTER_PERIOD);
        assert_eq!(
            approved.settlement_date(Some(d("2025-04-01"))),
            Ok(d("2025-04-01"))
        );
        let paid = approved.pay().unwrap();
        assert_eq!(paid.state, PeriodState::Paid);
        assert_eq!(rule_of(paid.claim("a").unwrap_err()), rule::CLAIM_STATE);
    }

    #[test]
    fn a_fund_loan_counts_subsidies_as_fee_paid_and_ends_when_written_off() {
        use crate::domain::loan::Repayment;
        use crate::domain::schedule::Method;
        // 3,000 at 7.2%, fee monthly: 18.00 due on Apr 1, May 1 and Jun 1.
        let mut l = crate::domain::servicing::tests::disbursed(
            Method::FeeMonthlyPrincipalAtMaturity,
            "3000",
            3,
            "2025-03-01",
        );
        let fee = |date: &str, fee: &str| Repayment {
            date: d(date),
            amount: dec(fee),
            penalty: Decimal::ZERO,
            fee: dec(fee),
            principal: Decimal::ZERO,
        };
        l.repayments = vec![fee("2025-04-01", "18"), fee("2025-05-01", "8")];
        // The borrower paid 26 of the 36 due by May 1; a subsidy of 10 on
        // April 30 paid the rest.
        let without = fund_loan_track(&l, &[]);
        assert_eq!(without.days_past_due(d("2025-05-02")), 1);
        let with = fund_loan_track(&l, &[(d("2025-04-30"), dec("10"))]);
        assert_eq!(with.days_past_due(d("2025-05-02")), 0);
        assert_eq!(with.end, None);
        l.status = LoanStatus::WrittenOff;
        l.accrued_through = Some(d("2025-05-15"));
        assert_eq!(fund_loan_track(&l, &[]).end, Some(d("2025-05-15")));
    }

    #[test]
    fn periods_accrue_once_in_order_and_of_their_kind() {
        let q2 = Period::parse("2025-Q2").unwrap();
        let rule_of = |r: Result<(), FundError>| match r.unwrap_err() {
            FundError::Rule { rule, .. } => rule,
            FundError::Invalid { field, .. } => panic!("{field}"),
        };
        assert!(check_next_period(true, None, q2, false).is_ok());
        assert!(check_next_period(true, Some(d("2025-03-31")), q2, false).is_ok());
        let skipped = check_next_period(true, Some(d("2024-12-31")), q2, false);
        assert_eq!(rule_of(skipped), rule::PERIODS_IN_ORDER);
        assert_eq!(
            rule_of(check_next_period(true, None, q2, true)),
            rule::PERIOD_ONCE
        );
        let month = Period::parse("2025-04").unwrap();
        assert_eq!(
            rule_of(check_next_period(true, None, month, false)),
            rule::PERIOD_KIND
        );
    }

    #[test]
    fn rates_and_splits() {
        assert_eq!(Kind::Full.rate(dec("0.0435")), dec("0.0435"));
        assert_eq!(Kind::Fixed(dec("0.03")).rate(dec("0.0435")), dec("0.03"));
        assert_eq!(Kind::Fixed(dec("0.05")).rate(dec("0.0435")), dec("0.0435"));
        assert_eq!(
            split_fund_subsidy(dec("75"), dec("60")),
            (dec("60"), dec("15"))
        );
        assert_eq!(
            split_fund_subsidy(dec("75"), dec("600")),
            (dec("75"), dec("0"))
        );
    }

    #[test]
    fn periods_parse() {
        let q = Period::parse("2025-Q2").unwrap();
        assert_eq!(
            (q.first, q.last_day(), q.quarterly),
            (d("2025-04-01"), d("2025-06-30"), true)
        );
        let m = Period::parse("2025-02").unwrap();
        assert_eq!(
            (m.first, m.end_exclusive, m.quarterly),
            (d("2025-02-01"), d("2025-03-01"), false)
        );
        for bad in ["2025-Q5", "2025-13", "2025-2", "25-01", "2025", "2025-Q0"] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }
}
