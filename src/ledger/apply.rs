//! A business operation on the writer: replay a retry, or run its planner
//! against the working state, check every book, account and entry of the
//! plan against a view that includes what the plan opens, and only then
//! stage the whole plan. A plan is stored whole or not at all.
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::check::{check_entry, new_book, new_sub_account, View};
use super::command::{Applied, Apply, NewEntry, Plan, PlannedClose, Planner};
use super::error::{LedgerError, Result};
use super::group::Group;
use super::idempotency::Produced;
use super::keys;
use super::record::{hash_bytes, Hash};
use super::state::{AccountMeta, BookMeta, Effect, Record};
use super::store::Store;
use super::writer::{Staged, Writer};

impl Writer {
    /// Runs a business operation: replays a retry, else computes the plan from
    /// the working state, checks all of it, and only then stages it whole.
    pub(super) fn apply(&mut self, a: Apply, payload: Hash, group: &mut Group) -> Result<Applied> {
        let Apply {
            request_id,
            actor,
            planner,
            ..
        } = a;
        if let Some(o) = self.replay(&request_id, &payload, group, |p| match p {
            Produced::Applied(_) => Some(Applied {
                replayed: true,
                seqs: Vec::new(),
            }),
            _ => None,
        })? {
            return Ok(o);
        }
        let plan = self.plan(planner, &request_id)?;
        for close in &plan.closes {
            self.book_no(&close.book_id, "book_id")?;
        }
        let (books, accounts) = self.opened(&plan)?;
        let named = (request_id.as_str(), actor.as_str());
        let staged = self.checked_entries(&plan, &books, &accounts, named, group)?;
        self.stage_metas(group, books, accounts);
        let seqs = staged
            .into_iter()
            .map(|s| self.stage_entry(s, group).0.seq)
            .collect();
        for (key, json) in plan.records {
            self.stage_record(group, key, json);
        }
        for close in &plan.closes {
            self.stage_close(group, close)?;
        }
        self.remember(
            group,
            &request_id,
            payload,
            Produced::Applied(self.state.head_seq),
        );
        Ok(Applied {
            replayed: false,
            seqs,
        })
    }

    /// Runs the planner. A planner that panics has broken an invariant the
    /// domain asserts: the operation is refused as an internal error and
    /// nothing of it is written (the planner only reads the state).
    fn plan(&self, planner: Planner, request_id: &str) -> Result<Plan> {
        let store = Store::new(&self.db, self.state.head_seq);
        let state = &self.state;
        catch_unwind(AssertUnwindSafe(|| planner(state, &store))).unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a broken invariant");
            tracing::error!(request_id, why, "a business operation broke an invariant");
            Err(LedgerError::Internal(format!(
                "the operation broke an invariant and was not recorded: {why}"
            )))
        })
    }

    /// The books and sub-accounts a plan opens, numbered after the state's.
    fn opened(&self, plan: &Plan) -> Result<(Vec<BookMeta>, Vec<AccountMeta>)> {
        let (mut books, mut accounts) = (Vec::new(), Vec::new());
        for (i, b) in plan.books.iter().enumerate() {
            let view = View {
                state: &self.state,
                new_books: &books,
                new_accounts: &accounts,
            };
            let field = format!("books[{i}].book_id");
            let (book, chart) = new_book(&view, &b.book_id, b.kind, &b.name, &field)?;
            books.push(book);
            accounts.extend(chart);
        }
        for (i, a) in plan.accounts.iter().enumerate() {
            let view = View {
                state: &self.state,
                new_books: &books,
                new_accounts: &accounts,
            };
            let field = format!("accounts[{i}]");
            if let Some(meta) = new_sub_account(&view, &a.account, &a.name, a.non_negative, &field)?
            {
                accounts.push(meta);
            }
        }
        Ok((books, accounts))
    }

    /// The plan's entries, each checked as if those before it were posted,
    /// with the request ids `{request_id}#1`, `#2`, ... and the actor.
    fn checked_entries(
        &self,
        plan: &Plan,
        books: &[BookMeta],
        accounts: &[AccountMeta],
        (request_id, actor): (&str, &str),
        group: &Group,
    ) -> Result<Vec<Staged>> {
        let view = View {
            state: &self.state,
            new_books: books,
            new_accounts: accounts,
        };
        let mut scratch = HashMap::new();
        let mut staged = Vec::with_capacity(plan.entries.len());
        for (k, e) in plan.entries.iter().enumerate() {
            let entry = NewEntry {
                request_id: format!("{request_id}#{}", k + 1),
                actor: actor.to_string(),
                value_date: e.value_date,
                memo: e.memo.clone(),
                postings: e.postings.clone(),
            };
            if group.ids.contains_key(&entry.request_id)
                || self.db.get(keys::idempotency(&entry.request_id))?.is_some()
            {
                return Err(LedgerError::AlreadyExists {
                    field: "request_id".into(),
                    what: format!(
                        "the entry request id {:?} derived from this request id is taken",
                        entry.request_id
                    ),
                });
            }
            let accounts_of = check_entry(&view, &entry, &mut scratch)?;
            let payload = hash_bytes(&serde_json::to_vec(&entry).expect("entries serialize"));
            staged.push(Staged {
                entry,
                accounts: accounts_of,
                reverses: 0,
                payload,
            });
        }
        Ok(staged)
    }

    /// A book closed through a date, unless it is closed through it already.
    fn stage_close(&mut self, group: &mut Group, close: &PlannedClose) -> Result<()> {
        let no = self.book_no(&close.book_id, "book_id")?;
        let mut book = self.state.books[no as usize].clone();
        if book.closed_through.is_some_and(|d| d >= close.through) {
            return Ok(());
        }
        book.closed_through = Some(close.through);
        group.batch.insert(
            &keys::book(no),
            serde_json::to_vec(&book).expect("book serializes"),
        );
        group.effect(
            &mut self.state,
            Effect::ClosedThrough {
                book: no,
                date: close.through,
            },
        );
        Ok(())
    }

    /// A registry record, one version after the one it replaces.
    fn stage_record(&mut self, group: &mut Group, key: String, json: String) {
        let record = Record::new(self.state.version(&key) + 1, json.into_bytes());
        let mut value = record.version.to_be_bytes().to_vec();
        value.extend_from_slice(&record.value);
        group.batch.insert(keys::registry(&key), value);
        group.effect(&mut self.state, Effect::Record { key, record });
    }
}
