//! The rules every entry must pass before the writer stages it, and the
//! numbering of the books and accounts a command opens. The checks read a
//! [`View`]: the writer's working state plus what the command itself opens,
//! so a plan's entries are checked against the accounts it creates.
use std::collections::{BTreeMap, HashMap};

use super::command::{AccountName, NewEntry};
use super::error::{rule, LedgerError, Result};
use super::state::{AccountMeta, BookMeta, State};
use crate::domain::chart::{self, BookKind, SubAccountError};
use crate::domain::dates::business_today;
use crate::domain::limits::{MAX_POSTINGS_PER_ENTRY, MAX_POSTING_FEN, MIN_POSTINGS_PER_ENTRY};
use crate::domain::money::format_fen;
use crate::domain::posting::Side;

/// The books as a plan will leave them for checking its entries: the state
/// plus the books and accounts the plan opens (numbered after the existing
/// ones, with zero balances), before anything is staged.
pub(super) struct View<'a> {
    pub state: &'a State,
    pub new_books: &'a [BookMeta],
    pub new_accounts: &'a [AccountMeta],
}

impl<'a> View<'a> {
    pub fn of(state: &'a State) -> Self {
        Self {
            state,
            new_books: &[],
            new_accounts: &[],
        }
    }

    fn book_no(&self, book_id: &str) -> Option<u32> {
        self.state.book_index.get(book_id).copied().or_else(|| {
            self.new_books
                .iter()
                .find(|b| b.book_id == book_id)
                .map(|b| b.no)
        })
    }

    fn account_no(&self, book_no: u32, code: &str, sub: &str) -> Option<u32> {
        self.state.account_no(book_no, code, sub).or_else(|| {
            self.new_accounts
                .iter()
                .find(|a| a.book_no == book_no && a.code == code && a.sub == sub)
                .map(|a| a.no)
        })
    }

    fn book(&self, no: u32) -> &BookMeta {
        let known = self.state.books.len();
        self.state
            .books
            .get(no as usize)
            .unwrap_or_else(|| &self.new_books[no as usize - known])
    }

    fn account(&self, no: u32) -> &AccountMeta {
        let known = self.state.accounts.len();
        self.state
            .accounts
            .get(no as usize)
            .map(|a| &**a)
            .unwrap_or_else(|| &self.new_accounts[no as usize - known])
    }

    fn next_book_no(&self) -> Result<u32> {
        u32::try_from(self.state.books.len() + self.new_books.len())
            .map_err(|_| LedgerError::Internal("too many books".into()))
    }

    fn next_account_no(&self) -> Result<u32> {
        u32::try_from(self.state.accounts.len() + self.new_accounts.len())
            .map_err(|_| LedgerError::Internal("too many accounts".into()))
    }

    fn balance(&self, no: u32) -> i128 {
        self.state.balances.get(no as usize).copied().unwrap_or(0)
    }

    fn label(&self, no: u32) -> String {
        let a = self.account(no);
        AccountName {
            book_id: self.book(a.book_no).book_id.clone(),
            code: a.code.clone(),
            sub: a.sub.clone(),
        }
        .display()
    }
}

/// What one entry does to the books: debits and credits per book, and the
/// change of each account with the index of its first posting.
struct Effects {
    accounts: Vec<u32>,
    books: BTreeMap<u32, (i128, i128)>,
    deltas: BTreeMap<u32, (i128, usize)>,
}

/// Checks an entry against the books as they stand (plus `scratch`), and on
/// success adds its effect to `scratch`. Returns the account of each posting.
pub(super) fn check_entry(
    view: &View<'_>,
    entry: &NewEntry,
    scratch: &mut HashMap<u32, i128>,
) -> Result<Vec<u32>> {
    let n = entry.postings.len();
    if !(MIN_POSTINGS_PER_ENTRY..=MAX_POSTINGS_PER_ENTRY).contains(&n) {
        return Err(LedgerError::invalid(
            "postings",
            format!(
                "must hold {MIN_POSTINGS_PER_ENTRY} to {MAX_POSTINGS_PER_ENTRY} postings, not {n}"
            ),
        ));
    }
    let effects = resolve(view, entry)?;
    check_books(view, entry, &effects.books)?;
    let today = business_today();
    if entry.value_date > today {
        return Err(LedgerError::rule(
            rule::VALUE_DATE_IN_FUTURE,
            "value_date",
            format!("value date {} is after today, {today}", entry.value_date),
        ));
    }
    check_non_negative(view, &effects.deltas, scratch)?;
    for (no, (delta, _)) in effects.deltas {
        *scratch.entry(no).or_insert(0) += delta;
    }
    Ok(effects.accounts)
}

/// Each posting's amount and account, summed per book and per account.
fn resolve(view: &View<'_>, entry: &NewEntry) -> Result<Effects> {
    let mut e = Effects {
        accounts: Vec::with_capacity(entry.postings.len()),
        books: BTreeMap::new(),
        deltas: BTreeMap::new(),
    };
    for (j, p) in entry.postings.iter().enumerate() {
        if !(1..=MAX_POSTING_FEN).contains(&p.amount_fen) {
            return Err(LedgerError::invalid(
                format!("postings[{j}].amount"),
                "must be greater than zero and at most 1000000000.00",
            ));
        }
        let book_no = view.book_no(&p.account.book_id).ok_or_else(|| {
            LedgerError::not_found(
                format!("postings[{j}].account.book_id"),
                format!("book {:?}", p.account.book_id),
            )
        })?;
        let no = posting_account(view, book_no, &p.account, j)?;
        let totals = e.books.entry(book_no).or_default();
        match p.side {
            Side::Debit => totals.0 += i128::from(p.amount_fen),
            Side::Credit => totals.1 += i128::from(p.amount_fen),
        }
        e.deltas.entry(no).or_insert((0, j)).0 += p.side.signed(p.amount_fen);
        e.accounts.push(no);
    }
    Ok(e)
}

/// The account posting `j` names, or why there is none.
fn posting_account(view: &View<'_>, book_no: u32, a: &AccountName, j: usize) -> Result<u32> {
    view.account_no(book_no, &a.code, &a.sub).ok_or_else(|| {
        let kind = view.book(book_no).kind;
        if chart::household_in_federation(kind, &a.sub) {
            return no_household_in_federation(&format!("postings[{j}].account.sub"), &a.book_id);
        }
        LedgerError::not_found(
            format!("postings[{j}].account"),
            format!("account {}", a.display()),
        )
    })
}

/// Every book touched balances, and none is closed at the value date.
fn check_books(
    view: &View<'_>,
    entry: &NewEntry,
    books: &BTreeMap<u32, (i128, i128)>,
) -> Result<()> {
    for (book_no, (debit, credit)) in books {
        let book = view.book(*book_no);
        if debit != credit {
            return Err(LedgerError::rule(
                rule::UNBALANCED,
                "postings",
                format!(
                    "book {:?}: debits {} do not equal credits {}",
                    book.book_id,
                    format_fen(*debit),
                    format_fen(*credit)
                ),
            ));
        }
        if let Some(closed) = book.closed_through {
            if entry.value_date <= closed {
                return Err(LedgerError::rule(
                    rule::PERIOD_CLOSED,
                    "value_date",
                    format!(
                        "book {:?} is closed through {closed}; value date {} falls in a closed period",
                        book.book_id, entry.value_date
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// No non-negative account goes below zero on its normal side.
fn check_non_negative(
    view: &View<'_>,
    deltas: &BTreeMap<u32, (i128, usize)>,
    scratch: &HashMap<u32, i128>,
) -> Result<()> {
    for (no, (delta, j)) in deltas {
        let meta = view.account(*no);
        if !meta.non_negative {
            continue;
        }
        let before = view.balance(*no) + scratch.get(no).copied().unwrap_or(0);
        let after = meta.normal_balance(before + delta);
        if after < 0 {
            return Err(LedgerError::rule(
                rule::NON_NEGATIVE,
                format!("postings[{j}].account"),
                format!(
                    "account {} may not go below zero: balance {}, this entry would leave {}",
                    view.label(*no),
                    format_fen(meta.normal_balance(before)),
                    format_fen(after)
                ),
            ));
        }
    }
    Ok(())
}

/// A new book and its chart's header accounts, numbered after `view`'s.
pub(super) fn new_book(
    view: &View<'_>,
    book_id: &str,
    kind: BookKind,
    name: &str,
    field: &str,
) -> Result<(BookMeta, Vec<AccountMeta>)> {
    if view.book_no(book_id).is_some() {
        return Err(LedgerError::AlreadyExists {
            field: field.into(),
            what: format!("book {book_id:?} already exists"),
        });
    }
    let no = view.next_book_no()?;
    let first_account = view.next_account_no()?;
    let accounts = chart::chart_of(kind)
        .iter()
        .zip(first_account..)
        .map(|(line, account_no)| AccountMeta {
            no: account_no,
            book_no: no,
            code: line.code.to_string(),
            sub: String::new(),
            name: line.name.to_string(),
            account_type: line.account_type,
            non_negative: line.non_negative,
        })
        .collect();
    let book = BookMeta {
        no,
        book_id: book_id.to_string(),
        kind,
        name: name.to_string(),
        closed_through: None,
    };
    Ok((book, accounts))
}

/// The refusal of any household or loan account in a federation's book.
fn no_household_in_federation(field: &str, book_id: &str) -> LedgerError {
    LedgerError::rule(
        rule::NO_HOUSEHOLD_IN_FEDERATION,
        field,
        format!(
            "book {book_id:?} is a federation: {}",
            SubAccountError::HouseholdInFederation
        ),
    )
}

/// A new sub-account checked against its book's chart, numbered after
/// `view`'s; `None` when it exists already. `field` names the request's account.
pub(super) fn new_sub_account(
    view: &View<'_>,
    account: &AccountName,
    name: &str,
    non_negative: bool,
    field: &str,
) -> Result<Option<AccountMeta>> {
    let book_no = view.book_no(&account.book_id).ok_or_else(|| {
        LedgerError::not_found(
            format!("{field}.book_id"),
            format!("book {:?}", account.book_id),
        )
    })?;
    let kind = view.book(book_no).kind;
    // Before the chart: a loan code a federation's chart lacks is still a
    // household account, refused by the rule rather than as a bad code.
    if chart::household_in_federation(kind, &account.sub) {
        return Err(no_household_in_federation(
            &format!("{field}.sub"),
            &account.book_id,
        ));
    }
    let line = chart_line(kind, account, field)?;
    chart::check_sub_account(kind, line, &account.sub).map_err(|e| match e {
        SubAccountError::HouseholdInFederation => {
            no_household_in_federation(&format!("{field}.sub"), &account.book_id)
        }
        other => LedgerError::invalid(format!("{field}.sub"), other),
    })?;
    if view
        .account_no(book_no, &account.code, &account.sub)
        .is_some()
    {
        return Ok(None);
    }
    Ok(Some(AccountMeta {
        no: view.next_account_no()?,
        book_no,
        code: account.code.clone(),
        sub: account.sub.clone(),
        name: name.to_string(),
        account_type: line.account_type,
        non_negative: line.non_negative || non_negative,
    }))
}

/// The chart line of a sub-account to open: its code must be in the book's
/// chart, and a header account is opened with its book, never by name.
fn chart_line(
    kind: BookKind,
    account: &AccountName,
    field: &str,
) -> Result<&'static chart::ChartLine> {
    let line = chart::chart_line(kind, &account.code).ok_or_else(|| {
        LedgerError::invalid(
            format!("{field}.code"),
            format!(
                "{:?} is not a code of the {} chart of accounts",
                account.code,
                kind.as_str()
            ),
        )
    })?;
    if account.sub.is_empty() {
        return Err(LedgerError::AlreadyExists {
            field: format!("{field}.sub"),
            what: format!(
                "the header account {} is opened with its book; name a sub-account",
                line.code
            ),
        });
    }
    Ok(line)
}
