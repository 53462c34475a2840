//! Writes an extract bundle from a server's streams: one pass over the journal,
//! each file hashed as it is written, the manifest last. Memory holds the
//! balance lines (one per account), never the journal.
use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tonic::transport::Channel;

use super::files;
use super::render::{self, BalanceRow, Spec};
use crate::ledger::record::EntryRecord;
use crate::pb::{self, extract_service_client::ExtractServiceClient};

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

/// Writes the bundle into `dir` (created if missing; its bundle files are
/// replaced). `progress(entries_read, head_seq)` is called after each page.
pub async fn write(
    client: &mut ExtractServiceClient<Channel>,
    request: &Request,
    dir: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Manifest, String> {
    if request.from > request.to {
        return Err(format!(
            "--from {} is after --to {}",
            request.from, request.to
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let head = client
        .get_chain_head(pb::GetChainHeadRequest {})
        .await
        .map_err(|s| describe(&s))?
        .into_inner();
    let spec = Spec {
        from: request.from,
        to: request.to,
        books: request.books.clone(),
        head_seq: head.seq,
        head_hash: head.hash,
    };
    let day_before = request.from.pred_opt().unwrap_or(request.from);
    let opening = balances(client, &request.books, day_before, spec.head_seq).await?;
    let closing = balances(client, &request.books, request.to, spec.head_seq).await?;
    let loans = loan_ledger(client, &request.books, request.to, spec.head_seq).await?;
    let scope: BTreeSet<String> = closing.iter().map(|r| r.book_id.clone()).collect();

    let mut chain = csv::Writer::from_writer(create(dir, files::CHAIN).map_err(io(files::CHAIN))?);
    render::chain_header(&mut chain).map_err(csv_err(files::CHAIN))?;
    let mut journal = create(dir, files::JOURNAL).map_err(io(files::JOURNAL))?;
    let mut postings =
        csv::Writer::from_writer(create(dir, files::POSTINGS).map_err(io(files::POSTINGS))?);
    postings
        .write_record(render::POSTINGS_HEADER)
        .map_err(csv_err(files::POSTINGS))?;
    let mut hledger = create(dir, files::HLEDGER).map_err(io(files::HLEDGER))?;
    render::hledger_head(&mut hledger, &spec, &opening).map_err(io(files::HLEDGER))?;

    let mut stream = client
        .stream_journal(pb::StreamJournalRequest {
            from_date: request.from.to_string(),
            to_date: request.to.to_string(),
            book_ids: request.books.clone(),
            through_seq: spec.head_seq,
        })
        .await
        .map_err(|s| describe(&s))?
        .into_inner();
    let (mut read, mut entries) = (0u64, 0u64);
    while let Some(page) = stream.message().await.map_err(|s| describe(&s))? {
        for item in page.items {
            read = item.seq;
            render::chain_row(&mut chain, item.seq, &item.prev_hash, &item.hash)
                .map_err(csv_err(files::CHAIN))?;
            if item.record.is_empty() {
                continue;
            }
            let entry = EntryRecord::decode(&item.record)
                .map_err(|e| format!("entry {} from the server does not decode: {e}", item.seq))?;
            journal
                .write_all(&item.record)
                .and_then(|()| journal.write_all(b"\n"))
                .map_err(io(files::JOURNAL))?;
            render::postings_rows(&mut postings, &entry, &scope)
                .map_err(csv_err(files::POSTINGS))?;
            render::hledger_entry(&mut hledger, &entry, &scope).map_err(io(files::HLEDGER))?;
            entries += 1;
        }
        progress(read, spec.head_seq);
    }
    render::hledger_tail(&mut hledger, &spec, &closing).map_err(io(files::HLEDGER))?;

    let mut digests = vec![
        finish_csv(files::CHAIN, chain)?,
        digest(files::JOURNAL, journal, false).map_err(io(files::JOURNAL))?,
        finish_csv(files::POSTINGS, postings)?,
    ];
    for (name, rows) in [(files::OPENING, &opening), (files::CLOSING, &closing)] {
        let mut w = csv::Writer::from_writer(create(dir, name).map_err(io(name))?);
        render::rows(&mut w, &render::BALANCE_HEADER, rows).map_err(csv_err(name))?;
        digests.push(finish_csv(name, w)?);
    }
    let mut w = csv::Writer::from_writer(create(dir, files::LOANS).map_err(io(files::LOANS))?);
    render::rows(&mut w, &render::LOAN_HEADER, &loans).map_err(csv_err(files::LOANS))?;
    digests.push(finish_csv(files::LOANS, w)?);
    let mut w = csv::Writer::from_writer(
        create(dir, files::BALANCE_SHEET).map_err(io(files::BALANCE_SHEET))?,
    );
    render::balance_sheet(&mut w, &closing)?;
    digests.push(finish_csv(files::BALANCE_SHEET, w)?);
    let mut w = csv::Writer::from_writer(create(dir, files::INCOME).map_err(io(files::INCOME))?);
    render::income_statement(&mut w, &opening, &closing)?;
    digests.push(finish_csv(files::INCOME, w)?);
    digests.push(digest(files::HLEDGER, hledger, false).map_err(io(files::HLEDGER))?);

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
