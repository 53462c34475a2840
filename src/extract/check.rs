//! Re-checks an extract bundle on its own, with nothing but its files: every
//! file against the manifest (SHA-256, rows), the hash chain link by link from
//! entry 1 to the head, every journal line against its link, every derived
//! file re-rendered from the journal and balances byte for byte, and every
//! closing balance as opening plus the period's postings. One pass over the
//! journal and the chain side by side; memory holds one line per account.
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::bundle::{Hashed, Manifest};
use super::files;
use super::render::{self, BalanceRow, EntryFiles, Spec};
use crate::domain::chart::code::fund::LOAN_PRINCIPAL;
use crate::domain::chart::{sub_id, SubKind};
use crate::domain::money::{fen_to_decimal, format_fen, round_ratio};
use crate::domain::posting::Side;
use crate::ledger::record::{hash_hex, EntryRecord, GENESIS_HASH};

/// Problems reported at most, so that a badly damaged bundle stays readable.
pub const MAX_PROBLEMS: usize = 50;

#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<String>,
    pub entries: u64,
    pub links: u64,
    pub head_seq: u64,
    pub head_hash: String,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, p: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        }
    }
}

/// Files every bundle has, in the manifest's order.
const EXPECTED: [&str; 12] = [
    files::CHAIN,
    files::JOURNAL,
    files::POSTINGS,
    files::OPENING,
    files::CLOSING,
    files::LOANS,
    files::SUBSIDY_CLAIMS,
    files::LEVERAGE,
    files::SUPERVISION,
    files::BALANCE_SHEET,
    files::INCOME,
    files::HLEDGER,
];

/// Checks the bundle in `dir`. `Err` only when there is no readable manifest.
pub fn check(dir: &Path) -> Result<Report, String> {
    let path = dir.join(files::MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a Huzhu manifest: {e}", files::MANIFEST))?;
    let mut report = Report {
        head_seq: manifest.spec.head_seq,
        head_hash: manifest.spec.head_hash.clone(),
        ..Report::default()
    };
    if manifest.format != super::FORMAT {
        report.problem(format!(
            "{}: format {:?}, this huzhu reads {:?}",
            files::MANIFEST,
            manifest.format,
            super::FORMAT
        ));
        return Ok(report);
    }
    let mut intact = true;
    let beancount = manifest.files.iter().any(|f| f.name == files::BEANCOUNT);
    for name in EXPECTED
        .iter()
        .chain(beancount.then_some(&files::BEANCOUNT))
    {
        if !check_digest(dir, &manifest, name, &mut report) {
            intact = false;
        }
    }
    let balances = (|| {
        Ok::<_, String>((
            read_rows(dir, files::OPENING)?,
            read_rows(dir, files::CLOSING)?,
        ))
    })();
    let (opening, closing) = match balances {
        Ok(b) => b,
        Err(e) => {
            report.problem(e);
            return Ok(report);
        }
    };
    if !intact {
        // Re-deriving from files that are missing says nothing more.
        if EXPECTED.iter().any(|n| !dir.join(n).exists()) {
            return Ok(report);
        }
    }
    let restructured = check_journal(
        dir,
        &manifest.spec,
        &opening,
        &closing,
        beancount,
        &mut report,
    );
    check_statements(dir, &opening, &closing, &mut report);
    check_loans(dir, &closing, &restructured, &mut report);
    check_leverage(dir, &closing, &mut report);
    if report.entries != manifest.entries {
        report.problem(format!(
            "{}: {} entries, the manifest says {}",
            files::JOURNAL,
            report.entries,
            manifest.entries
        ));
    }
    Ok(report)
}

/// The file's SHA-256 and rows against the manifest; false if it differs.
fn check_digest(dir: &Path, manifest: &Manifest, name: &str, report: &mut Report) -> bool {
    let Some(listed) = manifest.files.iter().find(|f| f.name == name) else {
        report.problem(format!("{}: does not list {name}", files::MANIFEST));
        return false;
    };
    let mut file = match File::open(dir.join(name)) {
        Ok(f) => f,
        Err(e) => {
            report.problem(format!("{name}: cannot be read ({e})"));
            return false;
        }
    };
    let mut hashed = Hashed::new(io::sink());
    if let Err(e) = io::copy(&mut file, &mut hashed) {
        report.problem(format!("{name}: cannot be read ({e})"));
        return false;
    }
    let (bytes, lines, sha256) = hashed.finish().expect("a sink does not fail");
    let rows = if name.ends_with(".csv") {
        lines.saturating_sub(1)
    } else {
        lines
    };
    let mut ok = true;
    if sha256 != listed.sha256 {
        report.problem(format!(
            "{name}: SHA-256 is {sha256}, the manifest says {} ({bytes} bytes, {} in the manifest): the file was changed after the extract",
            listed.sha256, listed.bytes
        ));
        ok = false;
    }
    if rows != listed.rows {
        report.problem(format!(
            "{name}: {rows} rows, the manifest says {}",
            listed.rows
        ));
        ok = false;
    }
    ok
}

fn read_rows(dir: &Path, name: &str) -> Result<Vec<BalanceRow>, String> {
    let mut reader = csv::Reader::from_path(dir.join(name))
        .map_err(|e| format!("{name}: cannot be read ({e})"))?;
    let mut rows = Vec::new();
    for (i, row) in reader.deserialize::<BalanceRow>().enumerate() {
        let row = row.map_err(|e| format!("{name}: row {} does not parse ({e})", i + 1))?;
        row.fen()
            .map_err(|e| format!("{name}: row {}: {e}", i + 1))?;
        rows.push(row);
    }
    Ok(rows)
}

/// A writer that compares what is written with a file, and remembers the
/// first line where they differ.
struct Compare {
    file: Option<BufReader<File>>,
    line: u64,
    differs_at: Option<u64>,
}

impl Compare {
    fn open(dir: &Path, name: &str) -> Self {
        Self {
            file: File::open(dir.join(name)).ok().map(BufReader::new),
            line: 1,
            differs_at: None,
        }
    }

    /// The first differing line, if any (a file longer than its rendering
    /// differs where the rendering ends).
    fn finish(mut self) -> Option<u64> {
        if self.differs_at.is_none() {
            let mut rest = [0u8; 1];
            if let Some(f) = self.file.as_mut() {
                if f.read(&mut rest).map_or(true, |n| n > 0) {
                    self.differs_at = Some(self.line);
                }
            }
        }
        self.differs_at
    }
}

impl Write for Compare {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.differs_at.is_some() {
            return Ok(data.len());
        }
        let Some(file) = self.file.as_mut() else {
            self.differs_at = Some(self.line);
            return Ok(data.len());
        };
        let mut got = Vec::with_capacity(data.len());
        file.by_ref()
            .take(data.len() as u64)
            .read_to_end(&mut got)?;
        let same = got.iter().zip(data).take_while(|(a, b)| a == b).count();
        let newlines = data[..same].iter().filter(|b| **b == b'\n').count() as u64;
        if same < data.len() {
            self.differs_at = Some(self.line + newlines);
        } else {
            self.line += newlines;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn compared(report: &mut Report, name: &str, what: &str, differs_at: Option<u64>) {
    if let Some(line) = differs_at {
        report.problem(format!(
            "{name}: line {line} differs from what {what} gives: the file was altered"
        ));
    }
}

/// Walks chain.csv link by link, from entry 1.
struct Chain {
    rows: csv::StringRecordsIntoIter<File>,
    next_seq: u64,
    last_hash: String,
    done: bool,
}

impl Chain {
    fn open(dir: &Path) -> Result<Self, String> {
        let reader = csv::Reader::from_path(dir.join(files::CHAIN))
            .map_err(|e| format!("{}: cannot be read ({e})", files::CHAIN))?;
        Ok(Self {
            rows: reader.into_records(),
            next_seq: 1,
            last_hash: hash_hex(&GENESIS_HASH),
            done: false,
        })
    }

    /// The next link (seq, prev_hash, hash), its problems reported.
    fn next(&mut self, report: &mut Report) -> Option<(u64, String, String)> {
        if self.done {
            return None;
        }
        let row = match self.rows.next() {
            None => {
                self.done = true;
                return None;
            }
            Some(Err(e)) => {
                report.problem(format!("{}: does not parse ({e})", files::CHAIN));
                self.done = true;
                return None;
            }
            Some(Ok(r)) => r,
        };
        let seq = row.get(0).and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
        let (prev, hash) = (
            row.get(1).unwrap_or_default().to_string(),
            row.get(2).unwrap_or_default().to_string(),
        );
        if seq != self.next_seq {
            report.problem(format!(
                "{}: entry {seq} comes where entry {} should: the chain has a gap or is out of order",
                files::CHAIN,
                self.next_seq
            ));
        } else if prev != self.last_hash {
            report.problem(format!(
                "{}: entry {seq} records its predecessor's hash as {prev}, but entry {} hashes to {}: entry {} was altered or removed",
                files::CHAIN,
                seq.saturating_sub(1),
                self.last_hash,
                seq.saturating_sub(1)
            ));
        }
        report.links += 1;
        self.next_seq = seq + 1;
        self.last_hash.clone_from(&hash);
        Some((seq, prev, hash))
    }
}

/// Each file rendered from the journal against the bundle's.
fn compare_rendered(rendered: EntryFiles<Compare>, report: &mut Report) {
    let (postings, hledger, beancount) = rendered.into_inner();
    if let Some(b) = beancount {
        compared(
            report,
            files::BEANCOUNT,
            "the journal and balances",
            b.finish(),
        );
    }
    let postings = postings.into_inner().ok().and_then(Compare::finish);
    compared(report, files::POSTINGS, files::JOURNAL, postings);
    compared(
        report,
        files::HLEDGER,
        "the journal and balances",
        hledger.finish(),
    );
}

/// The journal line `at` against its chain link (the same seq, its bytes
/// hashing to the link's hash, its predecessor's hash the link's) and the
/// period.
fn check_entry(
    report: &mut Report,
    at: usize,
    entry: &EntryRecord,
    bytes: &[u8],
    link: Option<&(u64, String, String)>,
    spec: &Spec,
) {
    match link {
        Some((seq, prev, hash)) if *seq == entry.seq => {
            let actual = hash_hex(&Sha256::digest(bytes).into());
            if actual != *hash {
                report.problem(format!(
                    "{} line {at}: entry {} hashes to {actual}, but the chain says {hash}: the entry was altered",
                    files::JOURNAL,
                    entry.seq
                ));
            }
            if entry.prev_hash != *prev {
                report.problem(format!(
                    "{} line {at}: entry {} names predecessor hash {}, the chain says {prev}",
                    files::JOURNAL,
                    entry.seq,
                    entry.prev_hash
                ));
            }
        }
        _ => report.problem(format!(
            "{} line {at}: entry {} is not in {} (or is out of order)",
            files::JOURNAL,
            entry.seq,
            files::CHAIN
        )),
    }
    if !(spec.from..=spec.to).contains(&entry.value_date) {
        report.problem(format!(
            "{} line {at}: entry {} is dated {}, outside the period {} to {}",
            files::JOURNAL,
            entry.seq,
            entry.value_date,
            spec.from,
            spec.to
        ));
    }
}

/// The chain read to its end ends at the manifest's head.
fn check_head(chain: &mut Chain, spec: &Spec, report: &mut Report) {
    while chain.next(report).is_some() {}
    if chain.next_seq.saturating_sub(1) != spec.head_seq || chain.last_hash != spec.head_hash {
        report.problem(format!(
            "{}: ends at entry {} with hash {}, but the manifest's head is entry {} with hash {}",
            files::CHAIN,
            chain.next_seq.saturating_sub(1),
            chain.last_hash,
            spec.head_seq,
            spec.head_hash
        ));
    }
}

/// A loan a rescheduling made, named by its book and loan id.
type LoanKey = (String, String);

/// The loans an entry reschedules another into: in one book, principal
/// moved from one loan's 1201 to another's (Dr 1201/loan:new, Cr
/// 1201/loan:old). A reversal reschedules nothing.
fn rescheduled_into(entry: &EntryRecord) -> Vec<LoanKey> {
    let loans = |side: Side| {
        entry
            .postings
            .iter()
            .filter(move |p| entry.reverses == 0 && p.code == LOAN_PRINCIPAL && p.side == side)
            .filter_map(|p| Some((p.book.clone(), sub_id(SubKind::Loan, &p.sub)?.to_string())))
    };
    let from: Vec<LoanKey> = loans(Side::Credit).collect();
    loans(Side::Debit)
        .filter(|(book, id)| from.iter().any(|(b, old)| b == book && old != id))
        .collect()
}

/// Adds an entry's postings in the bundle's scope to the movements.
fn add_movements(
    moved: &mut BTreeMap<String, i128>,
    entry: &EntryRecord,
    scope: &BTreeSet<String>,
) {
    for p in entry.postings.iter().filter(|p| scope.contains(&p.book)) {
        *moved
            .entry(render::ledger_account(&p.book, &p.code, &p.sub))
            .or_default() += p.side.signed(p.amount_fen);
    }
}

/// Walks journal.jsonl and chain.csv side by side: each entry against its
/// link and the period, its postings re-rendered into the derived files and
/// added to the movements that closing balances must show. Answers the
/// loans the period's entries rescheduled others into.
fn check_journal(
    dir: &Path,
    spec: &Spec,
    opening: &[BalanceRow],
    closing: &[BalanceRow],
    beancount: bool,
    report: &mut Report,
) -> BTreeSet<LoanKey> {
    let mut restructured = BTreeSet::new();
    let mut chain = match Chain::open(dir) {
        Ok(c) => c,
        Err(e) => {
            report.problem(e);
            return restructured;
        }
    };
    let journal = match File::open(dir.join(files::JOURNAL)) {
        Ok(f) => BufReader::new(f),
        Err(e) => {
            report.problem(format!("{}: cannot be read ({e})", files::JOURNAL));
            return restructured;
        }
    };
    let mut rendered = EntryFiles::new(
        Compare::open(dir, files::POSTINGS),
        Compare::open(dir, files::HLEDGER),
        beancount.then(|| Compare::open(dir, files::BEANCOUNT)),
        closing,
    );
    let _ = rendered.head(spec, opening);
    let mut moved: BTreeMap<String, i128> = BTreeMap::new();
    let mut link: Option<(u64, String, String)> = None;
    for (i, line) in journal.split(b'\n').enumerate() {
        let at = i + 1;
        let bytes = match line {
            Ok(b) => b,
            Err(e) => {
                report.problem(format!("{}: cannot be read ({e})", files::JOURNAL));
                return restructured;
            }
        };
        let entry = match EntryRecord::decode(&bytes) {
            Ok(e) => e,
            Err(e) => {
                report.problem(format!(
                    "{} line {at}: not an entry record ({e})",
                    files::JOURNAL
                ));
                continue;
            }
        };
        report.entries += 1;
        while link.as_ref().is_none_or(|(seq, _, _)| *seq < entry.seq) {
            link = chain.next(report);
            if link.is_none() {
                break;
            }
        }
        check_entry(report, at, &entry, &bytes, link.as_ref(), spec);
        add_movements(&mut moved, &entry, rendered.scope());
        restructured.extend(rescheduled_into(&entry));
        let _ = rendered.entry(&entry);
    }
    check_head(&mut chain, spec, report);
    let _ = rendered.tail(spec, closing);
    compare_rendered(rendered, report);
    check_movements(opening, closing, &moved, report);
    restructured
}

/// Closing = opening + the period's postings, for every account; every book's
/// closing balances sum to zero.
fn check_movements(
    opening: &[BalanceRow],
    closing: &[BalanceRow],
    moved: &BTreeMap<String, i128>,
    report: &mut Report,
) {
    let before: BTreeMap<String, i128> = opening
        .iter()
        .map(|r| (r.ledger_account(), r.fen().unwrap_or(0)))
        .collect();
    let mut known = BTreeSet::new();
    let mut books: BTreeMap<&str, i128> = BTreeMap::new();
    for r in closing {
        let account = r.ledger_account();
        let (open, change, close) = (
            before.get(&account).copied().unwrap_or(0),
            moved.get(&account).copied().unwrap_or(0),
            r.fen().unwrap_or(0),
        );
        if open + change != close {
            report.problem(format!(
                "{}: {account} closes at {}, but opening {} plus the period's postings {} makes {}",
                files::CLOSING,
                format_fen(close),
                format_fen(open),
                format_fen(change),
                format_fen(open + change)
            ));
        }
        *books.entry(&r.book_id).or_default() += close;
        known.insert(account);
    }
    for account in moved.keys().filter(|a| !known.contains(*a)) {
        report.problem(format!(
            "{}: postings to {account}, which {} does not list",
            files::JOURNAL,
            files::CLOSING
        ));
    }
    for (book, sum) in books.into_iter().filter(|(_, s)| *s != 0) {
        report.problem(format!(
            "{}: book {book} does not balance (debits less credits {})",
            files::CLOSING,
            format_fen(sum)
        ));
    }
}

/// The loan ledger cross-foots to the books: per fund, outstanding principal
/// sums to 1201 and fee receivable to 1202 in the closing balances; and a
/// loan the period's journal rescheduled another into is flagged restructured.
fn check_loans(
    dir: &Path,
    closing: &[BalanceRow],
    restructured: &BTreeSet<LoanKey>,
    report: &mut Report,
) {
    let mut reader = match csv::Reader::from_path(dir.join(files::LOANS)) {
        Ok(r) => r,
        Err(e) => return report.problem(format!("{}: cannot be read ({e})", files::LOANS)),
    };
    let mut ledger: BTreeMap<(String, &str), i128> = BTreeMap::new();
    for (i, row) in reader.deserialize::<render::LoanRow>().enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                return report.problem(format!(
                    "{}: row {} does not parse ({e})",
                    files::LOANS,
                    i + 1
                ))
            }
        };
        check_restructured(&row, i + 1, restructured, report);
        for (code, amount) in [
            ("1201", &row.outstanding_principal),
            ("1202", &row.fee_receivable),
        ] {
            match render::yuan_to_fen(amount) {
                Some(fen) => *ledger.entry((row.fund_id.clone(), code)).or_default() += fen,
                None => report.problem(format!(
                    "{}: row {}: {amount:?} is not an amount",
                    files::LOANS,
                    i + 1
                )),
            }
        }
    }
    let mut books: BTreeMap<(String, &str), i128> = BTreeMap::new();
    for r in closing.iter().filter(|r| r.book_kind == "fund") {
        for code in ["1201", "1202"] {
            if r.code == code {
                *books.entry((r.book_id.clone(), code)).or_default() += r.fen().unwrap_or(0);
            }
        }
    }
    for key in books.keys().chain(ledger.keys()).collect::<BTreeSet<_>>() {
        let (in_books, in_ledger) = (
            books.get(key).copied().unwrap_or(0),
            ledger.get(key).copied().unwrap_or(0),
        );
        if in_books != in_ledger {
            report.problem(format!(
                "{}: the loans of {} add up to {} on {}, but {} says {}",
                files::LOANS,
                key.0,
                format_fen(in_ledger),
                key.1,
                files::CLOSING,
                format_fen(in_books)
            ));
        }
    }
}

/// A loan the period's journal rescheduled another into is flagged restructured.
fn check_restructured(
    row: &render::LoanRow,
    at: usize,
    restructured: &BTreeSet<LoanKey>,
    report: &mut Report,
) {
    let key = (row.fund_id.clone(), row.loan_id.clone());
    if !row.restructured && restructured.contains(&key) {
        report.problem(format!(
            "{}: row {at}: loan {} of {} replaced another in the period's journal (a rescheduling), but is not flagged restructured",
            files::LOANS,
            row.loan_id,
            row.fund_id
        ));
    }
}

/// Each program's leverage row agrees with its books at the period end: the
/// fund balance is 1002, the exposure the memorandum 7001 of every loan, and
/// the exposure businesses use is within it, its share re-derived.
fn check_leverage(dir: &Path, closing: &[BalanceRow], report: &mut Report) {
    let mut reader = match csv::Reader::from_path(dir.join(files::LEVERAGE)) {
        Ok(r) => r,
        Err(e) => return report.problem(format!("{}: cannot be read ({e})", files::LEVERAGE)),
    };
    for (i, row) in reader.deserialize::<render::LeverageRow>().enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                return report.problem(format!(
                    "{}: row {} does not parse ({e})",
                    files::LEVERAGE,
                    i + 1
                ))
            }
        };
        for (what, code, stated) in [
            ("fund_balance", "1002", &row.fund_balance),
            ("exposure", "7001", &row.exposure),
        ] {
            let books: i128 = closing
                .iter()
                .filter(|r| r.book_id == row.program_id && r.code == code)
                .map(|r| r.fen().unwrap_or(0))
                .sum();
            if render::yuan_to_fen(stated) != Some(books) {
                report.problem(format!(
                    "{}: {} of {} is {stated}, but {code} in {} is {}",
                    files::LEVERAGE,
                    what,
                    row.program_id,
                    files::CLOSING,
                    format_fen(books)
                ));
            }
        }
        if let Some(p) = business_problem(&row) {
            report.problem(format!("{}: {p}", files::LEVERAGE));
        }
    }
}

/// What is wrong with a row's business exposure and share, if anything:
/// the exposure is at most the row's, and the share is business exposure /
/// exposure to 4 places (empty for no exposure).
fn business_problem(row: &render::LeverageRow) -> Option<String> {
    let fen = |t: &str| render::yuan_to_fen(t).unwrap_or(-1);
    let (business, exposure) = (fen(&row.business_exposure), fen(&row.exposure));
    if business < 0 || business > exposure {
        return Some(format!(
            "business_exposure of {} is {}, not within its exposure {}",
            row.program_id, row.business_exposure, row.exposure
        ));
    }
    let share = (exposure > 0)
        .then(|| round_ratio(fen_to_decimal(business) / fen_to_decimal(exposure)).to_string());
    let expected = share.unwrap_or_default();
    (row.business_share != expected).then(|| {
        format!(
            "business_share of {} is {:?}, but {} / {} is {expected:?}",
            row.program_id, row.business_share, row.business_exposure, row.exposure
        )
    })
}

fn check_statements(
    dir: &Path,
    opening: &[BalanceRow],
    closing: &[BalanceRow],
    report: &mut Report,
) {
    let mut w = csv::Writer::from_writer(Compare::open(dir, files::BALANCE_SHEET));
    let _ = render::balance_sheet(&mut w, closing);
    let differs = w.into_inner().ok().and_then(Compare::finish);
    compared(report, files::BALANCE_SHEET, files::CLOSING, differs);
    let mut w = csv::Writer::from_writer(Compare::open(dir, files::INCOME));
    let _ = render::income_statement(&mut w, opening, closing);
    let differs = w.into_inner().ok().and_then(Compare::finish);
    compared(
        report,
        files::INCOME,
        "the opening and closing balances",
        differs,
    );
}
