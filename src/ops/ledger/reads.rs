//! A balance now or at a past date, a page of the journal by book or
//! account, and a book's trial balance, which always sums to zero.
use chrono::NaiveDate;

use crate::auth::{Act, Caller, Needs, On};
use crate::domain::money::format_fen;
use crate::ledger::reads::EntryQuery;
use crate::ledger::{AccountName, Ledger, LedgerError, Result};
use crate::ops::{blocking, Call};
use crate::pb;
use crate::wire::{decode, encode};

pub struct GetBalance {
    echo: Option<pb::AccountRef>,
    account: AccountName,
    as_of: Option<NaiveDate>,
    include_subs: bool,
}

impl Call for GetBalance {
    type Request = pb::GetBalanceRequest;
    type Response = pb::GetBalanceResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        let book = r.account.as_ref().map(|a| a.book_id.as_str());
        Needs::one(Act::Read, book.map_or(On::Store, On::Book))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            account: decode::account_ref("account", r.account.as_ref())?,
            as_of: decode::optional_date("as_of", &r.as_of)?,
            include_subs: r.include_sub_accounts,
            echo: r.account,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let (query, as_of, include) = (self.account.clone(), self.as_of, self.include_subs);
        let b = blocking(ledger, move |l| l.balance(&query, as_of, include)).await?;
        Ok(pb::GetBalanceResponse {
            account: self.echo,
            r#type: encode::account_type(b.account_type) as i32,
            balance: format_fen(b.normal_fen),
            as_of: encode::optional_date(as_of),
            head_seq: b.head_seq,
        })
    }
}

pub struct ListEntries(EntryQuery);

impl Call for ListEntries {
    type Request = pb::ListEntriesRequest;
    type Response = pb::ListEntriesResponse;

    /// The account, when given, is what is listed: authorized on its book.
    fn needs(r: &Self::Request) -> Needs<'_> {
        let on = match (&r.account, r.book_id.as_str()) {
            (Some(a), _) => On::Book(&a.book_id),
            (None, b) if !b.is_empty() => On::Book(b),
            (None, _) => On::Store,
        };
        Needs::one(Act::Read, on)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        if let Some(a) = r
            .account
            .as_ref()
            .filter(|a| !r.book_id.is_empty() && a.book_id != r.book_id)
        {
            return Err(LedgerError::invalid(
                "book_id",
                format!(
                    "names book {}, but the account is in book {}",
                    r.book_id, a.book_id
                ),
            ));
        }
        Ok(Self(EntryQuery {
            book_id: if r.book_id.is_empty() {
                None
            } else {
                Some(decode::book_id("book_id", &r.book_id)?)
            },
            account: r
                .account
                .as_ref()
                .map(|a| decode::account_ref("account", Some(a)))
                .transpose()?,
            from: decode::optional_date("from_date", &r.from_date)?,
            to: decode::optional_date("to_date", &r.to_date)?,
            page_size: r.page_size as usize,
            page_token: (!r.page_token.is_empty()).then(|| r.page_token.clone()),
        }))
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let (entries, next) = blocking(ledger, move |l| l.list_entries(&self.0)).await?;
        Ok(pb::ListEntriesResponse {
            entries: entries.iter().map(encode::entry).collect(),
            next_page_token: next.unwrap_or_default(),
        })
    }
}

pub struct GetTrialBalance {
    book_id: String,
    as_of: Option<NaiveDate>,
}

impl Call for GetTrialBalance {
    type Request = pb::GetTrialBalanceRequest;
    type Response = pb::GetTrialBalanceResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Book(&r.book_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            book_id: decode::book_id("book_id", &r.book_id)?,
            as_of: decode::optional_date("as_of", &r.as_of)?,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let (book_id, as_of) = (self.book_id, self.as_of);
        let tb = blocking(ledger, move |l| l.trial_balance(&book_id, as_of)).await?;
        let (mut debit, mut credit) = (0i128, 0i128);
        let lines = tb
            .lines
            .iter()
            .map(|(meta, bal)| {
                let (d, c) = if *bal >= 0 { (*bal, 0) } else { (0, -*bal) };
                debit += d;
                credit += c;
                pb::TrialBalanceLine {
                    account: Some(encode::account_ref(&tb.book.book_id, meta)),
                    name: meta.name.clone(),
                    r#type: encode::account_type(meta.account_type) as i32,
                    debit: format_fen(d),
                    credit: format_fen(c),
                }
            })
            .collect();
        assert_eq!(
            debit, credit,
            "the trial balance of book {} sums to zero",
            tb.book.book_id
        );
        Ok(pb::GetTrialBalanceResponse {
            book_id: tb.book.book_id.clone(),
            as_of: encode::optional_date(as_of),
            lines,
            total_debit: format_fen(debit),
            total_credit: format_fen(credit),
            head_seq: tb.head_seq,
        })
    }
}
