//! The ledger's own commands on the writer: create a book, open a
//! sub-account, post entries (one or an atomic batch), reverse an entry,
//! close a period. Each answers a retry of its request id from the record,
//! checks everything first, and only then stages what it writes.
use std::collections::HashMap;

use super::check::{check_entry, new_book, new_sub_account, View};
use super::command::{
    AccountName, Booked, ClosePeriod, CreateBook, EntryOutcome, NewEntry, OpenAccount, Opened,
    PostingInput, ReverseEntry,
};
use super::error::{rule, LedgerError, Result};
use super::group::Group;
use super::idempotency::{reused_for_other_kind, Produced};
use super::keys;
use super::record::{EntryRecord, Hash};
use super::state::Effect;
use super::writer::{Staged, Writer};
use crate::domain::dates::business_today;

fn replayed_entry(seq: u64) -> EntryOutcome {
    EntryOutcome {
        seq,
        replayed: true,
        record: None,
    }
}

impl Writer {
    pub(super) fn book_no(&self, book_id: &str, field: &str) -> Result<u32> {
        self.state
            .book_index
            .get(book_id)
            .copied()
            .ok_or_else(|| LedgerError::not_found(field, format!("book {book_id:?}")))
    }

    pub(super) fn create_book(
        &mut self,
        c: CreateBook,
        payload: Hash,
        group: &mut Group,
    ) -> Result<Booked> {
        if let Some(o) = self.replay(&c.request_id, &payload, group, |p| match p {
            Produced::Book(no) => Some(Booked { no, replayed: true }),
            _ => None,
        })? {
            return Ok(o);
        }
        let (book, accounts) = new_book(
            &View::of(&self.state),
            &c.book_id,
            c.kind,
            &c.name,
            "book_id",
        )?;
        let no = book.no;
        self.stage_metas(group, vec![book], accounts);
        self.remember(group, &c.request_id, payload, Produced::Book(no));
        tracing::info!(book = %c.book_id, kind = c.kind.as_str(), request_id = %c.request_id, actor = %c.actor, "book created");
        Ok(Booked {
            no,
            replayed: false,
        })
    }

    pub(super) fn open_account(
        &mut self,
        c: OpenAccount,
        payload: Hash,
        group: &mut Group,
    ) -> Result<Opened> {
        if let Some(o) = self.replay(&c.request_id, &payload, group, |p| match p {
            Produced::Account(no) => Some(Opened { no, replayed: true }),
            _ => None,
        })? {
            return Ok(o);
        }
        let meta = new_sub_account(
            &View::of(&self.state),
            &c.account,
            &c.name,
            c.non_negative,
            "account",
        )?
        .ok_or_else(|| LedgerError::AlreadyExists {
            field: "account".into(),
            what: format!("account {} already exists", c.account.display()),
        })?;
        let no = meta.no;
        self.stage_metas(group, Vec::new(), vec![meta]);
        self.remember(group, &c.request_id, payload, Produced::Account(no));
        Ok(Opened {
            no,
            replayed: false,
        })
    }

    /// Posts entries: each is replayed, or checked as if the accepted ones
    /// before it in the command were already posted; a batch is all or nothing.
    pub(super) fn post(
        &mut self,
        entries: Vec<NewEntry>,
        batch: bool,
        payloads: &[Hash],
        group: &mut Group,
    ) -> Result<Vec<EntryOutcome>> {
        let mut slots: Vec<std::result::Result<u64, usize>> = Vec::with_capacity(entries.len());
        let mut staged = Vec::with_capacity(entries.len());
        // Balances as the accepted entries of this command leave them, so that a
        // batch is checked as if its entries were posted one after the other.
        let mut scratch: HashMap<u32, i128> = HashMap::new();
        for (i, (entry, payload)) in entries.into_iter().zip(payloads).enumerate() {
            let within = |e: LedgerError| {
                if batch {
                    e.within(&format!("entries[{i}]"))
                } else {
                    e
                }
            };
            match self
                .seen(&entry.request_id, payload, group)
                .map_err(within)?
            {
                Some(Produced::Entry(seq)) => {
                    slots.push(Ok(seq));
                    continue;
                }
                Some(_) => return Err(within(reused_for_other_kind())),
                None => {}
            }
            let view = View::of(&self.state);
            let accounts = check_entry(&view, &entry, &mut scratch).map_err(within)?;
            slots.push(Err(staged.len()));
            staged.push(Staged {
                entry,
                accounts,
                reverses: 0,
                payload: *payload,
            });
        }
        let records: Vec<_> = staged
            .into_iter()
            .map(|s| self.stage_entry(s, group))
            .collect();
        Ok(slots
            .into_iter()
            .map(|slot| match slot {
                Ok(seq) => replayed_entry(seq),
                Err(k) => EntryOutcome {
                    seq: records[k].0.seq,
                    replayed: false,
                    record: Some(records[k].clone()),
                },
            })
            .collect())
    }

    pub(super) fn reverse(
        &mut self,
        c: ReverseEntry,
        payload: Hash,
        group: &mut Group,
    ) -> Result<EntryOutcome> {
        if let Some(o) = self.replay(&c.request_id, &payload, group, |p| match p {
            Produced::Entry(seq) => Some(replayed_entry(seq)),
            _ => None,
        })? {
            return Ok(o);
        }
        let original = self.reversible(&c, group)?;
        let entry = NewEntry {
            request_id: c.request_id,
            actor: c.actor,
            value_date: c.value_date,
            memo: c.memo,
            postings: original
                .postings
                .into_iter()
                .map(|p| PostingInput {
                    account: AccountName {
                        book_id: p.book,
                        code: p.code,
                        sub: p.sub,
                    },
                    side: p.side.opposite(),
                    amount_fen: p.amount_fen,
                })
                .collect(),
        };
        let accounts = check_entry(&View::of(&self.state), &entry, &mut HashMap::new())?;
        group.reversed.insert(c.seq);
        let record = self.stage_entry(
            Staged {
                entry,
                accounts,
                reverses: c.seq,
                payload,
            },
            group,
        );
        Ok(EntryOutcome {
            seq: record.0.seq,
            replayed: false,
            record: Some(record),
        })
    }

    /// The original a reversal names, if it may be reversed: it exists, is
    /// not itself a reversal, was not reversed before, and is not dated
    /// after the reversal.
    fn reversible(&self, c: &ReverseEntry, group: &Group) -> Result<EntryRecord> {
        if c.seq == 0 || c.seq > self.state.head_seq {
            return Err(LedgerError::not_found("seq", format!("entry {}", c.seq)));
        }
        let original = self.read_entry(c.seq)?;
        if original.reverses != 0 {
            return Err(LedgerError::rule(
                rule::REVERSAL_OF_REVERSAL,
                "seq",
                format!(
                    "entry {} is itself the reversal of entry {}; post a new entry instead",
                    c.seq, original.reverses
                ),
            ));
        }
        let earlier = match self.db.get(keys::reversal(c.seq))? {
            Some(v) => Some(u64::from_be_bytes(v.as_ref().try_into().map_err(|_| {
                LedgerError::Internal(format!("reversal link of entry {} is damaged", c.seq))
            })?)),
            None => None,
        };
        if earlier.is_some() || group.reversed.contains(&c.seq) {
            let by = earlier.map_or_else(
                || "an entry of this batch".to_string(),
                |s| format!("entry {s}"),
            );
            return Err(LedgerError::rule(
                rule::ALREADY_REVERSED,
                "seq",
                format!("entry {} was already reversed by {by}", c.seq),
            ));
        }
        if c.value_date < original.value_date {
            return Err(LedgerError::rule(
                rule::REVERSAL_BEFORE_ORIGINAL,
                "value_date",
                format!(
                    "the reversal's value date {} is before the original's, {}",
                    c.value_date, original.value_date
                ),
            ));
        }
        Ok(original)
    }

    pub(super) fn close_period(
        &mut self,
        c: ClosePeriod,
        payload: Hash,
        group: &mut Group,
    ) -> Result<Booked> {
        if let Some(o) = self.replay(&c.request_id, &payload, group, |p| match p {
            Produced::Closed(no) => Some(Booked { no, replayed: true }),
            _ => None,
        })? {
            return Ok(o);
        }
        let no = self.book_no(&c.book_id, "book_id")?;
        let today = business_today();
        if c.period_end >= today {
            return Err(LedgerError::rule(
                rule::PERIOD_NOT_ENDED,
                "period",
                format!(
                    "the month ending {} has not ended yet (today is {today})",
                    c.period_end
                ),
            ));
        }
        let mut book = self.state.books[no as usize].clone();
        if let Some(closed) = book.closed_through {
            if closed >= c.period_end {
                return Err(LedgerError::rule(
                    rule::PERIOD_ALREADY_CLOSED,
                    "period",
                    format!("book {:?} is already closed through {closed}", c.book_id),
                ));
            }
        }
        book.closed_through = Some(c.period_end);
        group.batch.insert(
            &keys::book(no),
            serde_json::to_vec(&book).expect("book serializes"),
        );
        group.effect(
            &mut self.state,
            Effect::ClosedThrough {
                book: no,
                date: c.period_end,
            },
        );
        self.remember(group, &c.request_id, payload, Produced::Closed(no));
        tracing::info!(book = %c.book_id, closed_through = %c.period_end, request_id = %c.request_id, actor = %c.actor, "period closed");
        Ok(Booked {
            no,
            replayed: false,
        })
    }
}
