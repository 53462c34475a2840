//! Each account's postings summed by calendar month, kept in the state by
//! the writer with every balance change (and built from the posting index
//! at start-up), so that a balance as of a past date is the months before
//! its month plus at most that month's postings, not every posting since
//! the account opened. A month-end's balance reads no posting at all, and
//! neither does a day of the account's latest month, which is also kept by
//! day (the dashboard's and the day-end's month).
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::error::Result;
use super::keys;
use super::store::damaged_chunk;
use crate::domain::dates::{day_number, from_day_number};

/// A calendar month as one number, in order: year × 12 + month − 1.
pub fn month_of(date: NaiveDate) -> u32 {
    u32::try_from(date.year() * 12).expect("dates after year 1") + date.month0()
}

/// One account's sums: (month, debit-positive fen posted in it), months in
/// order, only months that had postings; and the days of the latest of
/// them: (day number, fen), in order.
#[derive(Debug, Clone, Default)]
pub struct MonthSums {
    months: Vec<(u32, i128)>,
    days: Vec<(u32, i128)>,
    /// The latest day in `days`, beside the vectors so that a reader who
    /// asks only this touches no more memory than the sums' own.
    last: Option<u32>,
}

impl MonthSums {
    fn add(&mut self, day: u32, fen: i128) {
        let month = month_of(from_day_number(day));
        let latest = self.months.last().map(|(m, _)| *m);
        match self.months.binary_search_by_key(&month, |(m, _)| *m) {
            Ok(i) => self.months[i].1 += fen,
            Err(i) => self.months.insert(i, (month, fen)),
        }
        if latest.is_some_and(|l| month < l) {
            return;
        }
        if latest.is_some_and(|l| month > l) {
            self.days.clear();
        }
        match self.days.binary_search_by_key(&day, |(d, _)| *d) {
            Ok(i) => self.days[i].1 += fen,
            Err(i) => self.days.insert(i, (day, fen)),
        }
        self.last = self.days.last().map(|(d, _)| *d);
    }

    /// The day number of the account's latest posting, if it has one.
    pub fn last_day(&self) -> Option<u32> {
        self.last
    }

    fn total(&self) -> i128 {
        self.months.iter().map(|(_, fen)| fen).sum()
    }

    /// The postings of `date`'s month through `date`, when that month is
    /// the latest (kept by day) or had none.
    fn days_through(&self, date: NaiveDate) -> Option<i128> {
        let month = month_of(date);
        if !self.months.iter().any(|(m, _)| *m == month) {
            return Some(0);
        }
        let latest = self.months.last()?.0;
        (latest == month).then(|| {
            let through = day_number(date);
            self.days
                .iter()
                .take_while(|(d, _)| *d <= through)
                .map(|(_, fen)| fen)
                .sum()
        })
    }
}

/// The sums of every account, by account number; shared with readers
/// who copied them (a write then copies that account's sums alone).
#[derive(Debug, Clone, Default)]
pub struct Months(Vec<Arc<MonthSums>>);

impl Months {
    pub fn open_account(&mut self) {
        self.0.push(Arc::default());
    }

    /// Adds a posting of `fen` dated `day` (a day number) to `account`.
    pub fn add(&mut self, account: u32, day: u32, fen: i128) {
        Arc::make_mut(&mut self.0[account as usize]).add(day, fen);
    }

    pub fn of(&self, account: u32) -> &Arc<MonthSums> {
        &self.0[account as usize]
    }

    /// The account's sums summed: its balance, when they are whole.
    pub fn total(&self, account: u32) -> i128 {
        self.0[account as usize].total()
    }

    /// Every account's sums from the posting index, counting the postings
    /// of entries up to `head`, for `accounts` accounts.
    pub fn scan(db: &sled::Db, accounts: usize, head: u64) -> Result<Self> {
        let mut months = Months(vec![Arc::default(); accounts]);
        for item in db.scan_prefix([keys::POSTING]) {
            let (k, v) = item?;
            let (account, day, _) = keys::decode_chunk(&k);
            let items =
                keys::chunk_items(&v, keys::POSTING_ITEM_BYTES).ok_or_else(damaged_chunk)?;
            let fen: i128 = items
                .map(keys::decode_posting_item)
                .filter(|(seq, _)| *seq <= head)
                .map(|(_, fen)| i128::from(fen))
                .sum();
            if (account as usize) < accounts {
                months.add(account, day, fen);
            }
        }
        Ok(months)
    }
}

/// The balance at the end of `date` from an account's sums: the months
/// before `date`'s, and of its month either the whole (on its last day),
/// its days through `date` (the latest month), or what
/// `partial(first day of the month)` sums of its postings up to `date`.
pub fn balance_at(
    sums: &MonthSums,
    date: NaiveDate,
    partial: impl FnOnce(NaiveDate) -> Result<i128>,
) -> Result<i128> {
    let month = month_of(date);
    let before: i128 = sums
        .months
        .iter()
        .take_while(|(m, _)| *m < month)
        .map(|(_, fen)| fen)
        .sum();
    let last_day = date
        .succ_opt()
        .is_none_or(|next| next.month() != date.month());
    if last_day {
        let whole = sums
            .months
            .iter()
            .find(|(m, _)| *m == month)
            .map_or(0, |(_, f)| *f);
        return Ok(before + whole);
    }
    if let Some(days) = sums.days_through(date) {
        return Ok(before + days);
    }
    let first = date.with_day(1).expect("every month has a first day");
    Ok(before + partial(first)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Postings of 100 on 2025-01-15, 20 on 2025-02-03, −5 on 2025-02-28
    /// and 7 on 2025-04-01 (April the latest month, kept by day); a month
    /// not kept by day is summed by the closure, as the index would.
    #[test]
    fn a_balance_as_of_is_the_months_before_and_the_days_of_its_month() {
        let mut m = Months::default();
        m.open_account();
        let mut post = |d: &str, fen: i128| m.add(0, day_number(date(d)), fen);
        for (d, fen) in [
            ("2025-02-03", 20),
            ("2025-01-15", 100),
            ("2025-04-01", 7),
            ("2025-02-28", -5),
        ] {
            post(d, fen);
        }
        let none = |_| -> Result<i128> { panic!("no posting is read") };
        let at = |m: &Months, d: &str| balance_at(m.of(0), date(d), none).unwrap();
        assert_eq!(at(&m, "2025-01-31"), 100);
        assert_eq!(at(&m, "2025-02-28"), 115);
        assert_eq!(at(&m, "2025-03-31"), 115);
        assert_eq!(at(&m, "2024-12-31"), 0);
        assert_eq!(at(&m, "2025-04-01"), 122, "the latest month by day");
        assert_eq!(at(&m, "2025-04-15"), 122);
        assert_eq!(at(&m, "2025-03-10"), 115, "a month without postings");
        assert_eq!(at(&m, "2025-06-10"), 122, "after the latest month");
        assert_eq!(at(&m, "2024-11-10"), 0, "before the first");
        let mid_feb = balance_at(m.of(0), date("2025-02-10"), |first| {
            assert_eq!(first, date("2025-02-01"));
            Ok(20)
        });
        assert_eq!(mid_feb.unwrap(), 120);

        // May becomes the latest month; a posting back-dated into February
        // counts in its month only.
        m.add(0, day_number(date("2025-05-02")), 3);
        m.add(0, day_number(date("2025-02-10")), 1);
        assert_eq!(at(&m, "2025-05-01"), 123);
        assert_eq!(at(&m, "2025-05-02"), 126);
        assert_eq!(at(&m, "2025-02-28"), 116);
        assert_eq!(m.total(0), 126);
        let mid_april = balance_at(m.of(0), date("2025-04-15"), |first| {
            assert_eq!(first, date("2025-04-01"));
            Ok(7)
        });
        assert_eq!(mid_april.unwrap(), 123);
        assert_eq!(
            month_of(date("2025-12-31")) + 1,
            month_of(date("2026-01-01"))
        );
    }
}
