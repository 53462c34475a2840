//! PostEntry, PostEntries and ReverseEntry: raw entries posted by an
//! administrator, one or an atomic batch, and the reversal of an entry.
use crate::auth::{Act, Caller, Needs, On};
use crate::ledger::{self, Ledger, LedgerError, NewEntry, Result, ReverseEntry as Reverse};
use crate::ops::Call;
use crate::pb;
use crate::wire::{decode, encode};

pub struct PostEntry(NewEntry);

impl Call for PostEntry {
    type Request = pb::PostEntryRequest;
    type Response = pb::PostEntryResponse;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: Self::Request, caller: &Caller) -> Result<Self> {
        decode::new_entry(&r, &caller.actor()).map(Self)
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let outcome = ledger
            .post(vec![self.0], false)
            .await?
            .pop()
            .ok_or_else(|| LedgerError::Internal("no outcome".into()))?;
        let view = ledger.entry_view(&outcome)?;
        Ok(pb::PostEntryResponse {
            entry: Some(encode::entry(&view)),
            replayed: outcome.replayed,
        })
    }
}

pub struct PostEntries(Vec<NewEntry>);

impl Call for PostEntries {
    type Request = pb::PostEntriesRequest;
    type Response = pb::PostEntriesResponse;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: Self::Request, caller: &Caller) -> Result<Self> {
        decode::new_entries(&r, &caller.actor()).map(Self)
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let outcomes = ledger.post(self.0, true).await?;
        let results = outcomes
            .iter()
            .map(|o| {
                Ok(pb::PostEntryResponse {
                    entry: Some(encode::entry(&ledger.entry_view(o)?)),
                    replayed: o.replayed,
                })
            })
            .collect::<ledger::Result<_>>()?;
        Ok(pb::PostEntriesResponse { results })
    }
}

pub struct ReverseEntry(Reverse);

impl Call for ReverseEntry {
    type Request = pb::ReverseEntryRequest;
    type Response = pb::ReverseEntryResponse;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Admin, On::Store)
    }

    fn decode(r: Self::Request, caller: &Caller) -> Result<Self> {
        if r.seq == 0 {
            return Err(LedgerError::invalid(
                "seq",
                "is required (the entry to reverse)",
            ));
        }
        Ok(Self(Reverse {
            request_id: decode::request_id(&r.request_id)?,
            actor: caller.actor(),
            seq: r.seq,
            value_date: decode::date("value_date", &r.value_date)?,
            memo: decode::memo(&r.memo)?,
        }))
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let outcome = ledger.reverse(self.0).await?;
        let view = ledger.entry_view(&outcome)?;
        Ok(pb::ReverseEntryResponse {
            entry: Some(encode::entry(&view)),
            replayed: outcome.replayed,
        })
    }
}
