//! Writes an extract bundle from a server's streams: one pass over the journal,
//! each file hashed as it is written, the manifest last. Memory holds the
//! balance lines (one per account), never the journal.
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::auth::client::AuthChannel as Channel;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::files;
use super::render::{self, BalanceRow, EntryFiles, Spec};
use crate::ledger::record::EntryRecord;
use crate::pb::{
    self, extract_service_client::ExtractServiceClient,
    federation_service_client::FederationServiceClient,
    risk_fund_service_client::RiskFundServiceClient,
};

/// `manifest.json`: what the bundle covers and what each file must hash to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub generated_at: String,
    pub spec: Spec,
    /// Entries in the period and scope (lines of journal.jsonl).
    pub entries: u64,
    pub files: Vec<FileDigest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    pub name: String,
    /// Data rows of a CSV file (header excluded); lines of any other file.
    pub rows: u64,
    pub bytes: u64,
    pub sha256: String,
}

/// A writer that hashes and counts what passes through it.
pub struct Hashed<W: Write> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
    lines: u64,
}

impl<W: Write> Hashed<W> {
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
            lines: 0,
        }
    }

    /// Flushes and returns (bytes, lines, hex SHA-256).
    pub fn finish(mut self) -> io::Result<(u64, u64, String)> {
        self.inner.flush()?;
        Ok((self.bytes, self.lines, hex::encode(self.hasher.finalize())))
    }
}

impl<W: Write> Write for Hashed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        self.lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

type Out = Hashed<BufWriter<File>>;

fn create(dir: &Path, name: &str) -> io::Result<Out> {
    Ok(Hashed::new(BufWriter::new(File::create(dir.join(name))?)))
}

fn digest(name: &str, out: Out, csv_header: bool) -> io::Result<FileDigest> {
    let (bytes, lines, sha256) = out.finish()?;
    Ok(FileDigest {
        name: name.into(),
        rows: if csv_header {
            lines.saturating_sub(1)
        } else {
            lines
        },
        bytes,
        sha256,
    })
}

fn io(name: &'static str) -> impl Fn(io::Error) -> String {
    move |e| format!("cannot write {name}: {e}")
}

fn csv_err(name: &'static str) -> impl Fn(csv::Error) -> String {
    move |e| format!("cannot write {name}: {e}")
}

fn finish_csv(name: &str, w: csv::Writer<Out>) -> Result<FileDigest, String> {
    let out = w
        .into_inner()
        .map_err(|e| format!("cannot write {name}: {e}"))?;
    digest(name, out, true).map_err(|e| format!("cannot write {name}: {e}"))
}

/// What to extract.
#[derive(Debug, Clone)]
pub struct Request {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub books: Vec<String>,
    /// Federations whose book and member funds' books join `books`.
    pub federations: Vec<String>,
    /// Also write the journal in beancount syntax.
    pub beancount: bool,
}

fn describe(s: &tonic::Status) -> String {
    format!(
        "the server refused the extract: {:?}: {}",
        s.code(),
        s.message()
    )
}

/// Every row of a page stream the server answered with.
async fn collect<P, T>(
    answer: Result<tonic::Response<tonic::Streaming<P>>, tonic::Status>,
    rows_of: impl Fn(P) -> Vec<T>,
) -> Result<Vec<T>, String> {
    let mut stream = answer.map_err(|s| describe(&s))?.into_inner();
    let mut rows = Vec::new();
    while let Some(page) = stream.message().await.map_err(|s| describe(&s))? {
        rows.extend(rows_of(page));
    }
    Ok(rows)
}

async fn balances(
    client: &mut ExtractServiceClient<Channel>,
    books: &[String],
    as_of: NaiveDate,
    head: u64,
) -> Result<Vec<BalanceRow>, String> {
    let request = pb::StreamBalancesRequest {
        book_ids: books.to_vec(),
        as_of: as_of.to_string(),
        through_seq: head,
    };
    collect(client.stream_balances(request).await, |page| {
        page.lines.into_iter().map(BalanceRow::from).collect()
    })
    .await
}

async fn loan_ledger(
    client: &mut ExtractServiceClient<Channel>,
    books: &[String],
    as_of: NaiveDate,
    head: u64,
) -> Result<Vec<render::LoanRow>, String> {
    let request = pb::StreamLoansRequest {
        book_ids: books.to_vec(),
        as_of: as_of.to_string(),
        through_seq: head,
    };
    collect(client.stream_loans(request).await, |page| {
        page.loans.into_iter().map(render::LoanRow::from).collect()
    })
    .await
}

/// The books a request names: its books, then each federation's book and its
/// member funds' books, without repeats; empty for every book.
async fn scope_books(channel: &Channel, request: &Request) -> Result<Vec<String>, String> {
    let mut books = request.books.clone();
    let mut federations = FederationServiceClient::new(channel.clone());
    for id in &request.federations {
        let f = federations
            .get_federation(pb::GetFederationRequest {
                federation_id: id.clone(),
            })
            .await
            .map_err(|s| describe(&s))?
            .into_inner();
        books.push(f.federation_id);
        books.extend(f.member_funds);
    }
    let mut seen = BTreeSet::new();
    books.retain(|b| seen.insert(b.clone()));
    Ok(books)
}

/// The period-end reports of the programs and federations in scope: each
/// program's leverage, each federation's supervision indicators with the
/// period's ratios.
async fn reports(
    channel: &Channel,
    closing: &[BalanceRow],
    from: NaiveDate,
    as_of: NaiveDate,
) -> Result<(Vec<render::LeverageRow>, Vec<render::SupervisionRow>), String> {
    let of_kind = |kind: &str| -> BTreeSet<String> {
        closing
            .iter()
            .filter(|r| r.book_kind == kind)
            .map(|r| r.book_id.clone())
            .collect()
    };
    let mut programs = RiskFundServiceClient::new(channel.clone());
    let mut leverage = Vec::new();
    for program_id in of_kind("program") {
        let report = programs
            .get_leverage_report(pb::GetLeverageReportRequest {
                program_id,
                as_of: as_of.to_string(),
            })
            .await
            .map_err(|s| describe(&s))?
            .into_inner();
        leverage.push(render::LeverageRow::from(report));
    }
    let mut federations = FederationServiceClient::new(channel.clone());
    let mut supervision = Vec::new();
    for federation_id in of_kind("federation") {
        let d = federations
            .get_dashboard(pb::GetDashboardRequest {
                federation_id: federation_id.clone(),
                as_of: as_of.to_string(),
                period_from: from.to_string(),
            })
            .await
            .map_err(|s| describe(&s))?
            .into_inner();
        supervision.extend(
            d.funds
                .into_iter()
                .map(|i| render::SupervisionRow::new(&federation_id, &d.as_of, i)),
        );
    }
    Ok((leverage, supervision))
}

/// Writes `rows` as the CSV file `name` and returns its digest.
fn csv_file<T: Serialize>(
    dir: &Path,
    name: &'static str,
    header: &[&str],
    rows: &[T],
) -> Result<FileDigest, String> {
    let mut w = csv::Writer::from_writer(create(dir, name).map_err(io(name))?);
    render::rows(&mut w, header, rows).map_err(csv_err(name))?;
    finish_csv(name, w)
}

/// What the bundle holds beside the journal, read before any file is
/// written: balances at the start and the end, the loan ledger, subsidy
/// claims and the period-end reports.
struct Period {
    opening: Vec<BalanceRow>,
    closing: Vec<BalanceRow>,
    loans: Vec<render::LoanRow>,
    claims: Vec<render::ClaimRow>,
    leverage: Vec<render::LeverageRow>,
    supervision: Vec<render::SupervisionRow>,
}

impl Period {
    /// Reads the period from the server; `dir` is created once the server
    /// has answered for the scope, so a refused extract leaves no directory.
    async fn read(
        channel: &Channel,
        client: &mut ExtractServiceClient<Channel>,
        request: &Request,
        spec: &Spec,
        dir: &Path,
    ) -> Result<Self, String> {
        let books = &spec.books;
        let day_before = request.from.pred_opt().unwrap_or(request.from);
        let opening = balances(client, books, day_before, spec.head_seq).await?;
        let closing = balances(client, books, request.to, spec.head_seq).await?;
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let loans = loan_ledger(client, books, request.to, spec.head_seq).await?;
        let claims = collect(
            client
                .stream_subsidy_claims(pb::StreamSubsidyClaimsRequest {
                    book_ids: books.clone(),
                    from_date: request.from.to_string(),
                    to_date: request.to.to_string(),
                })
                .await,
            |page| {
                page.claims
                    .into_iter()
                    .map(render::ClaimRow::from)
                    .collect()
            },
        )
        .await?;
        let (leverage, supervision) = reports(channel, &closing, request.from, request.to).await?;
        Ok(Self {
            opening,
            closing,
            loans,
            claims,
            leverage,
            supervision,
        })
    }

    /// The files derived from the period alone, in the manifest's order:
    /// balances, loans, claims, leverage, supervision and the statements.
    fn write(&self, dir: &Path) -> Result<Vec<FileDigest>, String> {
        let mut digests = Vec::new();
        for (name, rows) in [
            (files::OPENING, &self.opening),
            (files::CLOSING, &self.closing),
        ] {
            digests.push(csv_file(dir, name, &render::BALANCE_HEADER, rows)?);
        }
        digests.push(csv_file(
            dir,
            files::LOANS,
            &render::LOAN_HEADER,
            &self.loans,
        )?);
        digests.push(csv_file(
            dir,
            files::SUBSIDY_CLAIMS,
            &render::CLAIM_HEADER,
            &self.claims,
        )?);
        digests.push(csv_file(
            dir,
            files::LEVERAGE,
            &render::LEVERAGE_HEADER,
            &self.leverage,
        )?);
        digests.push(csv_file(
            dir,
            files::SUPERVISION,
            &render::SUPERVISION_HEADER,
            &self.supervision,
        )?);
        let mut w = csv::Writer::from_writer(
            create(dir, files::BALANCE_SHEET).map_err(io(files::BALANCE_SHEET))?,
        );
        render::balance_sheet(&mut w, &self.closing)?;
        digests.push(finish_csv(files::BALANCE_SHEET, w)?);
        let mut w =
            csv::Writer::from_writer(create(dir, files::INCOME).map_err(io(files::INCOME))?);
        render::income_statement(&mut w, &self.opening, &self.closing)?;
        digests.push(finish_csv(files::INCOME, w)?);
        Ok(digests)
    }
}

/// The files written as the journal streams in: chain.csv, journal.jsonl,
/// and those rendered from its entries.
struct Journals {
    chain: csv::Writer<Out>,
    journal: Out,
    entries: EntryFiles<Out>,
}

impl Journals {
    /// Creates the files and writes their heads.
    fn create(dir: &Path, spec: &Spec, period: &Period, beancount: bool) -> Result<Self, String> {
        let mut chain =
            csv::Writer::from_writer(create(dir, files::CHAIN).map_err(io(files::CHAIN))?);
        render::chain_header(&mut chain).map_err(csv_err(files::CHAIN))?;
        let journal = create(dir, files::JOURNAL).map_err(io(files::JOURNAL))?;
        let postings = create(dir, files::POSTINGS).map_err(io(files::POSTINGS))?;
        let hledger = create(dir, files::HLEDGER).map_err(io(files::HLEDGER))?;
        let beancount = match beancount {
            true => Some(create(dir, files::BEANCOUNT).map_err(io(files::BEANCOUNT))?),
            false => None,
        };
        let mut entries = EntryFiles::new(postings, hledger, beancount, &period.closing);
        entries.head(spec, &period.opening)?;
        Ok(Self {
            chain,
            journal,
            entries,
        })
    }

    /// One link of the chain, with its entry when the server sent it (in the
    /// period and scope); true for an entry.
    fn item(&mut self, item: pb::JournalItem) -> Result<bool, String> {
        render::chain_row(&mut self.chain, item.seq, &item.prev_hash, &item.hash)
            .map_err(csv_err(files::CHAIN))?;
        if item.record.is_empty() {
            return Ok(false);
        }
        let entry = EntryRecord::decode(&item.record)
            .map_err(|e| format!("entry {} from the server does not decode: {e}", item.seq))?;
        self.journal
            .write_all(&item.record)
            .and_then(|()| self.journal.write_all(b"\n"))
            .map_err(io(files::JOURNAL))?;
        self.entries.entry(&entry)?;
        Ok(true)
    }

    /// Writes the closing balance assertions; answers the digests of the
    /// chain, the journal and the postings, then of the plain-text journals
    /// (which the manifest lists last).
    fn finish(
        mut self,
        spec: &Spec,
        closing: &[BalanceRow],
    ) -> Result<(Vec<FileDigest>, Vec<FileDigest>), String> {
        self.entries.tail(spec, closing)?;
        let (postings, hledger, beancount) = self.entries.into_inner();
        let first = vec![
            finish_csv(files::CHAIN, self.chain)?,
            digest(files::JOURNAL, self.journal, false).map_err(io(files::JOURNAL))?,
            finish_csv(files::POSTINGS, postings)?,
        ];
        let mut last = vec![digest(files::HLEDGER, hledger, false).map_err(io(files::HLEDGER))?];
        if let Some(b) = beancount {
            last.push(digest(files::BEANCOUNT, b, false).map_err(io(files::BEANCOUNT))?);
        }
        Ok((first, last))
    }
}

/// Streams the journal through the pinned head into `journals`; answers
/// the entries in the period and scope.
async fn stream_journal(
    client: &mut ExtractServiceClient<Channel>,
    request: &Request,
    spec: &Spec,
    journals: &mut Journals,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<u64, String> {
    let mut stream = client
        .stream_journal(pb::StreamJournalRequest {
            from_date: request.from.to_string(),
            to_date: request.to.to_string(),
            book_ids: spec.books.clone(),
            through_seq: spec.head_seq,
        })
        .await
        .map_err(|s| describe(&s))?
        .into_inner();
    let (mut read, mut entries) = (0u64, 0u64);
    while let Some(page) = stream.message().await.map_err(|s| describe(&s))? {
        for item in page.items {
            read = item.seq;
            if journals.item(item)? {
                entries += 1;
            }
        }
        progress(read, spec.head_seq);
    }
    Ok(entries)
}

/// Writes the bundle into `dir` (created if missing; its bundle files are
/// replaced). `progress(entries_read, head_seq)` is called after each page.
pub async fn write(
    channel: Channel,
    request: &Request,
    dir: &Path,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<Manifest, String> {
    if request.from > request.to {
        return Err(format!(
            "--from {} is after --to {}",
            request.from, request.to
        ));
    }
    let books = scope_books(&channel, request).await?;
    let client =
        &mut ExtractServiceClient::new(channel.clone()).max_decoding_message_size(64 << 20);
    let head = client
        .get_chain_head(pb::GetChainHeadRequest {})
        .await
        .map_err(|s| describe(&s))?
        .into_inner();
    let spec = Spec {
        from: request.from,
        to: request.to,
        books,
        head_seq: head.seq,
        head_hash: head.hash,
    };
    let period = Period::read(&channel, client, request, &spec, dir).await?;
    let mut journals = Journals::create(dir, &spec, &period, request.beancount)?;
    let entries = stream_journal(client, request, &spec, &mut journals, progress).await?;
    let (mut digests, plain_text) = journals.finish(&spec, &period.closing)?;
    digests.extend(period.write(dir)?);
    digests.extend(plain_text);
    let manifest = Manifest {
        format: super::FORMAT.into(),
        generated_at: chrono::Utc::now().to_rfc3339(),
        spec,
        entries,
        files: digests,
    };
    let text = serde_json::to_string_pretty(&manifest).expect("a manifest serializes");
    std::fs::write(dir.join(files::MANIFEST), text + "\n")
        .map_err(|e| format!("cannot write {}: {e}", files::MANIFEST))?;
    Ok(manifest)
}
