//! The Zhuyang federation as data, from the seed alone: its funds, their
//! households and loans, which funds balance with the federation, and how
//! many calls loading it takes. No I/O.
use chrono::{Days, NaiveDate};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::pb::PovertyStatus;

pub const FEDERATION: &str = "fed-zhuyang";
pub const VILLAGES: [&str; 10] = [
    "dongcun",
    "xicun",
    "nanshan",
    "beipo",
    "hetou",
    "shangyang",
    "xiayang",
    "lijia",
    "wangjia",
    "zhangwan",
];
const HOUSEHOLDS: usize = 905;
const DIBAO: usize = 50;
const WUBAO: usize = 50;
const LOW_INCOME: usize = 300;
/// Member shares: 934,000 in units of 100: every household 10 units, 290 of them 11.
const SHARE_UNITS_EXTRA: usize = 290;
pub const FISCAL_PER_FUND: &str = "100000";
pub const SPECIAL_PER_FUND: &str = "110000";

pub struct House {
    pub member: String,
    pub status: PovertyStatus,
    pub shares: u32,
}

pub struct LoanPlan {
    pub id: String,
    pub member: String,
    pub principal: u32,
    pub months: u32,
    pub date: NaiveDate,
    /// Repaid at maturity with its bullet fee (6% a year).
    pub repaid: bool,
}

impl LoanPlan {
    /// The bullet fee at 6% a year: principal × 0.005 a month (exact: whole thousands).
    pub fn fee(&self) -> u32 {
        self.principal / 200 * self.months
    }
}

pub struct FundPlan {
    pub id: String,
    pub houses: Vec<House>,
    pub loans: Vec<LoanPlan>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a calendar date")
}

/// Amounts that keep their sum: random pairs move `step` from one to another
/// within [min, max].
fn shuffle_amounts(rng: &mut SmallRng, amounts: &mut [u32], step: u32, min: u32, max: u32) {
    for _ in 0..amounts.len() * 2 {
        let (i, j) = (
            rng.random_range(0..amounts.len()),
            rng.random_range(0..amounts.len()),
        );
        if i != j && amounts[i] >= min + step && amounts[j] + step <= max {
            amounts[i] -= step;
            amounts[j] += step;
        }
    }
}

/// The whole scenario, from the seed alone.
pub fn scenario(seed: u64) -> Vec<FundPlan> {
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut funds = households(&mut rng);
    let mut troubled = 0;
    for (k, (principal, months, repaid)) in loan_terms(&mut rng).into_iter().enumerate() {
        let f = k % funds.len();
        let n = funds[f].loans.len();
        let member = funds[f].houses[n * 4 % funds[f].houses.len()]
            .member
            .clone();
        // Repaid loans went out in early 2025; nine open ones in June 2025
        // are now overdue; the rest went out in 2026 and are not yet due.
        let date = if repaid {
            day(2025, 2, 3) + Days::new(rng.random_range(0..40))
        } else if troubled < 9 && f.is_multiple_of(3) {
            troubled += 1;
            day(2025, 6, 2)
        } else {
            day(2026, 3, 2) + Days::new(rng.random_range(0..150))
        };
        funds[f].loans.push(LoanPlan {
            id: format!("L{:03}", n + 1),
            member,
            principal,
            months,
            date,
            repaid,
        });
    }
    funds
}

/// The funds with their households, dealt round the villages: who is poor
/// and who holds 11 share units instead of 10 drawn from `rng`.
fn households(rng: &mut SmallRng) -> Vec<FundPlan> {
    let mut statuses: Vec<PovertyStatus> = std::iter::repeat_n(PovertyStatus::Dibao, DIBAO)
        .chain(std::iter::repeat_n(PovertyStatus::Wubao, WUBAO))
        .chain(std::iter::repeat_n(PovertyStatus::LowIncome, LOW_INCOME))
        .chain(std::iter::repeat_n(
            PovertyStatus::None,
            HOUSEHOLDS - DIBAO - WUBAO - LOW_INCOME,
        ))
        .collect();
    statuses.shuffle(rng);
    let mut extra: Vec<bool> = (0..HOUSEHOLDS).map(|i| i < SHARE_UNITS_EXTRA).collect();
    extra.shuffle(rng);
    let mut funds: Vec<FundPlan> = VILLAGES
        .iter()
        .map(|v| FundPlan {
            id: format!("fund-{v}"),
            houses: Vec::new(),
            loans: Vec::new(),
        })
        .collect();
    for (i, (status, extra)) in statuses.into_iter().zip(extra).enumerate() {
        let f = i % funds.len();
        let member = format!("M{:03}", funds[f].houses.len() + 1);
        funds[f].houses.push(House {
            member,
            status,
            shares: if extra { 11 } else { 10 },
        });
    }
    funds
}

/// Every loan's (principal, months, repaid), in the order they are dealt.
fn loan_terms(rng: &mut SmallRng) -> Vec<(u32, u32, bool)> {
    // 56 repaid: 24 × 7,000 and 12 × 6,000 over 3 months (fee 1.5%: 3,600),
    // 20 × 7,000 over 4 months (fee 2%: 2,800); 380,000 and 6,400 of fees.
    let mut three: Vec<u32> = [vec![7_000; 24], vec![6_000; 12]].concat();
    let mut four = vec![7_000; 20];
    shuffle_amounts(rng, &mut three, 1_000, 3_000, 10_000);
    shuffle_amounts(rng, &mut four, 1_000, 3_000, 10_000);
    // 155 open: 2,229,000 = 155 × 14,000 + 59 × 1,000; 12 months bullet.
    let mut open: Vec<u32> = (0..155)
        .map(|i| if i < 59 { 15_000 } else { 14_000 })
        .collect();
    shuffle_amounts(rng, &mut open, 1_000, 8_000, 20_000);
    let mut plans: Vec<(u32, u32, bool)> = three
        .into_iter()
        .map(|p| (p, 3, true))
        .chain(four.into_iter().map(|p| (p, 4, true)))
        .chain(open.into_iter().map(|p| (p, 12, false)))
        .collect();
    plans.shuffle(rng);
    plans
}

/// Yuan in a fund's bank once its loans are out: capital and shares, less
/// the loans still open, plus the fees of those repaid.
pub fn cash_left(p: &FundPlan) -> i64 {
    let capital: i64 = [FISCAL_PER_FUND, SPECIAL_PER_FUND]
        .iter()
        .map(|a| a.parse::<i64>().expect("a whole amount"))
        .sum();
    let shares: i64 = p.houses.iter().map(|h| i64::from(h.shares) * 100).sum();
    let loans: i64 = p
        .loans
        .iter()
        .map(|l| {
            if l.repaid {
                i64::from(l.fee())
            } else {
                -i64::from(l.principal)
            }
        })
        .sum();
    capital + shares + loans
}

/// Balancing: the two funds with the most cash left place with the
/// federation, which places with the fund with the least.
pub fn balancing(plans: &[FundPlan]) -> [String; 3] {
    let mut by_cash: Vec<(i64, String)> =
        plans.iter().map(|p| (cash_left(p), p.id.clone())).collect();
    by_cash.sort();
    [
        by_cash[by_cash.len() - 1].1.clone(),
        by_cash[by_cash.len() - 2].1.clone(),
        by_cash[0].1.clone(),
    ]
}

/// Every call the load makes: per fund its creation, capital and each
/// household's two, each loan's three or four; then the federation's.
pub fn calls(plans: &[FundPlan]) -> usize {
    plans
        .iter()
        .map(|p| {
            3 + 2 * p.houses.len()
                + p.loans
                    .iter()
                    .map(|l| 3 + usize::from(l.repaid))
                    .sum::<usize>()
        })
        .sum::<usize>()
        + 1
        + 3 * plans.len()
        + 5
}
