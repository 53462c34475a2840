//! LedgerService: decode and validate, call the ledger, encode. No money is
//! computed here.
use tonic::{Request, Response, Status};

use super::access::{allow_book, allow_on, On};
use super::convert::{self as cv, fmt_date};
use super::status::to_status;
use crate::auth::Act;
use crate::domain::money::format_fen;
use crate::ledger::reads::EntryQuery;
use crate::ledger::{
    self, ClosePeriod, CreateBook, Ledger, LedgerError, OpenAccount, Outcome, ReverseEntry,
};
use crate::pb::{self, ledger_service_server::LedgerService};

pub struct LedgerApi {
    ledger: Ledger,
}

impl LedgerApi {
    pub fn new(ledger: Ledger) -> Self {
        Self { ledger }
    }

    /// Runs a read that may scan the store off the async workers.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(Ledger) -> ledger::Result<T> + Send + 'static,
    ) -> Result<T, Status> {
        let ledger = self.ledger.clone();
        tokio::task::spawn_blocking(move || f(ledger))
            .await
            .map_err(|e| Status::internal(format!("read task failed: {e}")))?
            .map_err(to_status)
    }

    fn book_response(&self, book_id: &str) -> Result<(pb::Book, Vec<pb::Account>), Status> {
        let (book, accounts) = self.ledger.book(book_id).map_err(to_status)?;
        let accounts = accounts
            .iter()
            .map(|(a, bal)| cv::account_msg(&book.book_id, a, *bal))
            .collect();
        Ok((cv::book_msg(&book), accounts))
    }

    fn book_no_to_id(&self, no: u32) -> String {
        self.ledger.shared().state.read().books[no as usize]
            .book_id
            .clone()
    }
}

type Answer<T> = Result<Response<T>, Status>;

#[tonic::async_trait]
impl LedgerService for LedgerApi {
    async fn create_book(
        &self,
        request: Request<pb::CreateBookRequest>,
    ) -> Answer<pb::CreateBookResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let c = (|| {
            Ok::<_, LedgerError>(CreateBook {
                request_id: cv::request_id(&r.request_id)?,
                actor: who.actor(),
                book_id: cv::book_id("book_id", &r.book_id)?,
                kind: cv::book_kind(r.kind)?,
                name: cv::name("name", &r.name, true)?,
            })
        })()
        .map_err(to_status)?;
        let Outcome::Book { no, replayed } = self.ledger.create_book(c).await.map_err(to_status)?
        else {
            return Err(Status::internal("unexpected outcome"));
        };
        let (book, accounts) = self.book_response(&self.book_no_to_id(no))?;
        Ok(Response::new(pb::CreateBookResponse {
            book: Some(book),
            accounts,
            replayed,
        }))
    }

    async fn get_book(&self, request: Request<pb::GetBookRequest>) -> Answer<pb::GetBookResponse> {
        allow_book(&self.ledger, &request, Act::Read)?;
        let r = request.into_inner();
        let id = cv::book_id("book_id", &r.book_id).map_err(to_status)?;
        let (book, accounts) = self.book_response(&id)?;
        Ok(Response::new(pb::GetBookResponse {
            book: Some(book),
            accounts,
        }))
    }

    async fn open_account(
        &self,
        request: Request<pb::OpenAccountRequest>,
    ) -> Answer<pb::OpenAccountResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let c = (|| {
            let account = cv::account_ref("account", r.account.as_ref())?;
            let name = cv::name("name", &r.name, false)?;
            Ok::<_, LedgerError>(OpenAccount {
                request_id: cv::request_id(&r.request_id)?,
                actor: who.actor(),
                name: if name.is_empty() {
                    account.sub.clone()
                } else {
                    name
                },
                account,
                non_negative: r.non_negative,
            })
        })()
        .map_err(to_status)?;
        let book_id = c.account.book_id.clone();
        let Outcome::Account { no, replayed } =
            self.ledger.open_account(c).await.map_err(to_status)?
        else {
            return Err(Status::internal("unexpected outcome"));
        };
        let (meta, balance) = self.ledger.account(no);
        Ok(Response::new(pb::OpenAccountResponse {
            account: Some(cv::account_msg(&book_id, &meta, balance)),
            replayed,
        }))
    }

    async fn post_entry(
        &self,
        request: Request<pb::PostEntryRequest>,
    ) -> Answer<pb::PostEntryResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let entry = cv::new_entry(request.get_ref(), &who.actor()).map_err(to_status)?;
        let outcome = self
            .ledger
            .post(vec![entry], false)
            .await
            .map_err(to_status)?
            .pop()
            .ok_or_else(|| Status::internal("no outcome"))?;
        let view = self.ledger.entry_view(&outcome).map_err(to_status)?;
        Ok(Response::new(pb::PostEntryResponse {
            entry: Some(cv::entry_msg(&view)),
            replayed: outcome.replayed,
        }))
    }

    async fn post_entries(
        &self,
        request: Request<pb::PostEntriesRequest>,
    ) -> Answer<pb::PostEntriesResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let entries = cv::new_entries(request.get_ref(), &who.actor()).map_err(to_status)?;
        let outcomes = self.ledger.post(entries, true).await.map_err(to_status)?;
        let results = outcomes
            .iter()
            .map(|o| {
                Ok(pb::PostEntryResponse {
                    entry: Some(cv::entry_msg(&self.ledger.entry_view(o)?)),
                    replayed: o.replayed,
                })
            })
            .collect::<ledger::Result<_>>()
            .map_err(to_status)?;
        Ok(Response::new(pb::PostEntriesResponse { results }))
    }

    async fn reverse_entry(
        &self,
        request: Request<pb::ReverseEntryRequest>,
    ) -> Answer<pb::ReverseEntryResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let c = (|| {
            if r.seq == 0 {
                return Err(LedgerError::invalid(
                    "seq",
                    "is required (the entry to reverse)",
                ));
            }
            Ok(ReverseEntry {
                request_id: cv::request_id(&r.request_id)?,
                actor: who.actor(),
                seq: r.seq,
                value_date: cv::date("value_date", &r.value_date)?,
                memo: cv::memo(&r.memo)?,
            })
        })()
        .map_err(to_status)?;
        let outcome = self.ledger.reverse(c).await.map_err(to_status)?;
        let view = self.ledger.entry_view(&outcome).map_err(to_status)?;
        Ok(Response::new(pb::ReverseEntryResponse {
            entry: Some(cv::entry_msg(&view)),
            replayed: outcome.replayed,
        }))
    }

    async fn get_balance(
        &self,
        request: Request<pb::GetBalanceRequest>,
    ) -> Answer<pb::GetBalanceResponse> {
        let book = request
            .get_ref()
            .account
            .as_ref()
            .map(|a| a.book_id.as_str());
        allow_on(
            &self.ledger,
            &request,
            Act::Read,
            book.map_or(On::Store, On::Book),
        )?;
        let r = request.into_inner();
        let name = cv::account_ref("account", r.account.as_ref()).map_err(to_status)?;
        let as_of = cv::optional_date("as_of", &r.as_of).map_err(to_status)?;
        let include = r.include_sub_accounts;
        let query = name.clone();
        let b = self
            .blocking(move |l| l.balance(&query, as_of, include))
            .await?;
        Ok(Response::new(pb::GetBalanceResponse {
            account: r.account,
            r#type: cv::account_type(b.account_type) as i32,
            balance: format_fen(b.normal_fen),
            as_of: as_of.map(fmt_date).unwrap_or_default(),
            head_seq: b.head_seq,
        }))
    }

    async fn list_entries(
        &self,
        request: Request<pb::ListEntriesRequest>,
    ) -> Answer<pb::ListEntriesResponse> {
        let r = request.get_ref();
        // The account, when given, is what is listed: authorize on its book.
        let book = match (&r.account, r.book_id.as_str()) {
            (Some(a), _) => On::Book(&a.book_id),
            (None, b) if !b.is_empty() => On::Book(b),
            (None, _) => On::Store,
        };
        allow_on(&self.ledger, &request, Act::Read, book)?;
        if let Some(a) = r
            .account
            .as_ref()
            .filter(|a| !r.book_id.is_empty() && a.book_id != r.book_id)
        {
            return Err(to_status(LedgerError::invalid(
                "book_id",
                format!(
                    "names book {}, but the account is in book {}",
                    r.book_id, a.book_id
                ),
            )));
        }
        let r = request.into_inner();
        let q = (|| {
            Ok::<_, LedgerError>(EntryQuery {
                book_id: if r.book_id.is_empty() {
                    None
                } else {
                    Some(cv::book_id("book_id", &r.book_id)?)
                },
                account: r
                    .account
                    .as_ref()
                    .map(|a| cv::account_ref("account", Some(a)))
                    .transpose()?,
                from: cv::optional_date("from_date", &r.from_date)?,
                to: cv::optional_date("to_date", &r.to_date)?,
                page_size: r.page_size as usize,
                page_token: (!r.page_token.is_empty()).then(|| r.page_token.clone()),
            })
        })()
        .map_err(to_status)?;
        let (entries, next) = self.blocking(move |l| l.list_entries(&q)).await?;
        Ok(Response::new(pb::ListEntriesResponse {
            entries: entries.iter().map(cv::entry_msg).collect(),
            next_page_token: next.unwrap_or_default(),
        }))
    }

    async fn get_trial_balance(
        &self,
        request: Request<pb::GetTrialBalanceRequest>,
    ) -> Answer<pb::GetTrialBalanceResponse> {
        allow_book(&self.ledger, &request, Act::Read)?;
        let r = request.into_inner();
        let book_id = cv::book_id("book_id", &r.book_id).map_err(to_status)?;
        let as_of = cv::optional_date("as_of", &r.as_of).map_err(to_status)?;
        let tb = self
            .blocking(move |l| l.trial_balance(&book_id, as_of))
            .await?;
        let (mut debit, mut credit) = (0i128, 0i128);
        let lines = tb
            .lines
            .iter()
            .map(|(meta, bal)| {
                let (d, c) = if *bal >= 0 { (*bal, 0) } else { (0, -*bal) };
                debit += d;
                credit += c;
                pb::TrialBalanceLine {
                    account: Some(cv::ref_msg(&tb.book.book_id, meta)),
                    name: meta.name.clone(),
                    r#type: cv::account_type(meta.account_type) as i32,
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
        Ok(Response::new(pb::GetTrialBalanceResponse {
            book_id: tb.book.book_id.clone(),
            as_of: as_of.map(fmt_date).unwrap_or_default(),
            lines,
            total_debit: format_fen(debit),
            total_credit: format_fen(credit),
            head_seq: tb.head_seq,
        }))
    }

    async fn close_period(
        &self,
        request: Request<pb::ClosePeriodRequest>,
    ) -> Answer<pb::ClosePeriodResponse> {
        let who = allow_book(&self.ledger, &request, Act::Keep)?;
        let r = request.into_inner();
        let c = (|| {
            Ok::<_, LedgerError>(ClosePeriod {
                request_id: cv::request_id(&r.request_id)?,
                actor: who.actor(),
                book_id: cv::book_id("book_id", &r.book_id)?,
                period_end: cv::period_end(&r.period)?,
            })
        })()
        .map_err(to_status)?;
        let Outcome::Book { no, replayed } =
            self.ledger.close_period(c).await.map_err(to_status)?
        else {
            return Err(Status::internal("unexpected outcome"));
        };
        let (book, _) = self.book_response(&self.book_no_to_id(no))?;
        Ok(Response::new(pb::ClosePeriodResponse {
            book: Some(book),
            replayed,
        }))
    }

    async fn verify_chain(
        &self,
        request: Request<pb::VerifyChainRequest>,
    ) -> Answer<pb::VerifyChainResponse> {
        allow_on(&self.ledger, &request, Act::Verify, On::Store)?;
        let report = self
            .blocking(|l| {
                l.verify(&|done, total| tracing::info!(done, total, "verifying the journal"))
            })
            .await?;
        if !report.ok() {
            tracing::error!(problems = report.problems.len(), first = %report.problems[0], "journal verification failed");
        }
        Ok(Response::new(pb::VerifyChainResponse {
            ok: report.ok(),
            entries_checked: report.entries_checked,
            accounts_checked: report.accounts_checked,
            head_seq: report.head_seq,
            head_hash: crate::ledger::record::hash_hex(&report.head_hash),
            problems: report.problems,
        }))
    }
}
