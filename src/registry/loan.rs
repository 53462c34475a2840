//! A fund's loans: the loan's record (`loan/{fund}/{loan}`, with its
//! schedule and repayments), what day-end has accrued on it
//! (`accrued/{fund}/{loan}`, the only record the nightly run rewrites), and
//! the index by member (`loanof/`). Every loan is read here with the two
//! records laid one over the other, and written here as both, so that no
//! caller sees them apart. A store written before the split has no
//! `accrued/` records: its loans read as they were written.
use std::cmp::Ordering;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::fund::not_a_federation;
use super::{json, keys, load, load_all, read};
use crate::domain::loan::Loan;
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Result};

/// The fields of a loan that day-end accrual changes (`servicing::accrue`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accrued {
    pub fee_accrued: Decimal,
    pub penalty_exact: Decimal,
    pub penalty_accrued: Decimal,
    pub accrued_through: Option<NaiveDate>,
}

impl Accrued {
    fn of(l: &Loan) -> Self {
        Accrued {
            fee_accrued: l.fee_accrued,
            penalty_exact: l.penalty_exact,
            penalty_accrued: l.penalty_accrued,
            accrued_through: l.accrued_through,
        }
    }

    fn lay_over(self, l: &mut Loan) {
        l.fee_accrued = self.fee_accrued;
        l.penalty_exact = self.penalty_exact;
        l.penalty_accrued = self.penalty_accrued;
        l.accrued_through = self.accrued_through;
    }
}

/// A loan of the fund.
pub fn loan(state: &State, fund_id: &str, loan_id: &str) -> Result<Loan> {
    not_a_federation(state, fund_id)?;
    find_loan(state, fund_id, loan_id)?.ok_or_else(|| {
        LedgerError::not_found("loan_id", format!("loan {loan_id:?} of fund {fund_id:?}"))
    })
}

pub fn find_loan(state: &State, fund_id: &str, loan_id: &str) -> Result<Option<Loan>> {
    let Some(mut l) = load::<Loan>(state, &keys::loan(fund_id, loan_id))? else {
        return Ok(None);
    };
    if let Some(a) = load::<Accrued>(state, &keys::accrued(fund_id, loan_id))? {
        a.lay_over(&mut l);
    }
    Ok(Some(l))
}

/// Every loan of a fund, in loan id order.
pub fn loans(state: &State, fund_id: &str) -> Result<Vec<Loan>> {
    let mut all: Vec<Loan> = load_all(state, &keys::loans(fund_id))?;
    let prefix = keys::accrued_all(fund_id);
    let accrued = state
        .records_under(&prefix)
        .map(|(key, r)| Ok((&key[prefix.len()..], read::<Accrued>(key, r)?)))
        .collect::<Result<Vec<_>>>()?;
    lay_over_in_order(&mut all, accrued);
    Ok(all)
}

/// Every loan of a fund in loan id order, as its own record stands, shared
/// with the other readers of that record: without what day-end accrued on
/// it since it was last written (`accrued/`), so its accrual fields are
/// stale. For reads of its terms, schedule, repayments and status
/// (supervision: PAR, exposure, write-offs), never of what it has accrued.
pub fn loan_terms(state: &State, fund_id: &str) -> Result<Vec<Arc<Loan>>> {
    super::load_all_shared(state, &keys::loans(fund_id))
}

/// Every loan of a fund as of the last flush, as [`super::published`]
/// reads (for extracts: copied under the lock, decoded after).
pub fn published_loans(ledger: &Ledger, fund_id: &str) -> Result<Vec<Loan>> {
    let mut all: Vec<Loan> = super::published(ledger, &keys::loans(fund_id))?;
    let accrued = super::published_keyed(ledger, &keys::accrued_all(fund_id))?;
    lay_over_in_order(&mut all, accrued);
    Ok(all)
}

/// Lays each loan's accrued record over it: both lists in loan id order
/// (as their keys sort), walked side by side.
fn lay_over_in_order<K: AsRef<str>>(all: &mut [Loan], accrued: Vec<(K, Accrued)>) {
    let mut over = accrued.into_iter().peekable();
    for l in all {
        while let Some((id, _)) = over.peek() {
            match id.as_ref().cmp(l.loan_id.as_str()) {
                Ordering::Less => {}
                Ordering::Equal => {
                    let (_, a) = over.next().expect("the record just looked at");
                    a.lay_over(l);
                    break;
                }
                Ordering::Greater => break,
            }
            over.next();
        }
    }
}

/// The records a loan is written with: the loan and what is accrued on it.
pub fn loan_records(fund_id: &str, l: &Loan) -> [(String, String); 2] {
    [
        json(keys::loan(fund_id, &l.loan_id), l),
        accrued_record(fund_id, l),
    ]
}

/// The record day-end writes for a loan it accrued: the accrued fields
/// only, the loan's own record unchanged.
pub fn accrued_record(fund_id: &str, l: &Loan) -> (String, String) {
    json(keys::accrued(fund_id, &l.loan_id), &Accrued::of(l))
}

/// A member's loans, in loan id order, read through the index by member;
/// a store not yet migrated to it is scanned instead.
pub fn member_loans(state: &State, fund_id: &str, member_id: &str) -> Result<Vec<Loan>> {
    if !state.records.contains_key(keys::LOANS_INDEXED) {
        let mut all = loans(state, fund_id)?;
        all.retain(|l| l.member_id == member_id);
        return Ok(all);
    }
    state
        .records_under(&keys::loans_of(fund_id, member_id))
        .map(|(key, r)| {
            let loan_id: String = read(key, r)?;
            loan(state, fund_id, &loan_id)
        })
        .collect()
}

/// The records a new loan is written with: the loan and its place in the
/// index by member (and the index's mark, in a store that has no loan yet).
pub fn new_loan(state: &State, fund_id: &str, l: &Loan) -> Vec<(String, String)> {
    let mut records = loan_records(fund_id, l).to_vec();
    records.push(json(
        keys::loan_of(fund_id, &l.member_id, &l.loan_id),
        &l.loan_id,
    ));
    if state.records_under(keys::ALL_LOANS).next().is_none() {
        records.push(json(keys::LOANS_INDEXED.to_string(), &true));
    }
    records
}

/// The index records a store written before the index lacks: one per loan,
/// and the mark; empty when the store is up to date.
pub fn loan_index_missing(state: &State) -> Result<Vec<(String, String)>> {
    if state.records.contains_key(keys::LOANS_INDEXED) {
        return Ok(Vec::new());
    }
    let mut records = Vec::new();
    for (key, r) in state.records_under(keys::ALL_LOANS) {
        let l: Loan = read(key, r)?;
        let fund_id = &key[keys::ALL_LOANS.len()..key.len() - l.loan_id.len() - 1];
        let index = keys::loan_of(fund_id, &l.member_id, &l.loan_id);
        if !state.records.contains_key(&index) {
            records.push(json(index, &l.loan_id));
        }
    }
    records.push(json(keys::LOANS_INDEXED.to_string(), &true));
    Ok(records)
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::domain::schedule::Method;
    use crate::domain::servicing::tests::{d, date, disbursed};
    use crate::ledger::state::Record;

    fn put(state: &mut State, (key, value): (String, String)) {
        state
            .records
            .insert(key, Record::new(1, value.into_bytes()));
    }

    fn loan_named(id: &str) -> Loan {
        let mut l = disbursed(Method::EqualInstallments, "1000", 12, "2025-02-03");
        l.loan_id = id.into();
        l
    }

    /// Three loans written whole; day-end then rewrites the accrued part of
    /// L2 only (as `RunDayEnd` does), and a store from before the split
    /// holds L3 with its accrual in the loan's own record.
    /// (`published_loans` walks the lists the same way: `lay_over_in_order`.)
    #[test]
    fn a_loan_reads_with_what_day_end_accrued_over_its_record() {
        let mut state = State::default();
        let (l1, mut l2, mut l3) = (loan_named("L1"), loan_named("L2"), loan_named("L3"));
        for l in [&l1, &l2] {
            for r in loan_records("f", l) {
                put(&mut state, r);
            }
        }
        l3.fee_accrued = d("0.17");
        l3.accrued_through = Some(date("2025-02-04"));
        put(&mut state, json(keys::loan("f", "L3"), &l3));
        l2.fee_accrued = d("0.33");
        l2.penalty_exact = d("0.004");
        l2.accrued_through = Some(date("2025-02-05"));
        put(&mut state, accrued_record("f", &l2));
        // An accrued record with no loan beside it is passed over.
        let mut orphan = loan_named("L15");
        orphan.fee_accrued = d("9.99");
        put(&mut state, accrued_record("f", &orphan));

        let all = loans(&state, "f").unwrap();
        let got: Vec<_> = all
            .iter()
            .map(|l| (l.fee_accrued, l.accrued_through))
            .collect();
        let want = vec![
            (d("0"), Some(date("2025-02-03"))),
            (d("0.33"), Some(date("2025-02-05"))),
            (d("0.17"), Some(date("2025-02-04"))),
        ];
        assert_eq!(got, want);
        assert_eq!(all[1].penalty_exact, d("0.004"));
        // The loan's own record still holds what it was written with.
        let stored: Loan = load(&state, &keys::loan("f", "L2")).unwrap().unwrap();
        assert_eq!(stored.fee_accrued, d("0"));
        for l in &all {
            let one = find_loan(&state, "f", &l.loan_id).unwrap().unwrap();
            assert_eq!(Accrued::of(&one), Accrued::of(l), "{}", l.loan_id);
        }
    }
}
