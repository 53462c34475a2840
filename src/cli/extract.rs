//! `huzhu extract` and `huzhu verify-extract`: a regulator's bundle written
//! from a running server, and checked later with nothing but its files.
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::CliResult;
use crate::extract::{bundle, check};

#[derive(Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    conn: super::client::Conn,
    /// First value date of the period (YYYY-MM-DD).
    #[arg(long)]
    from: NaiveDate,
    /// Last value date of the period (YYYY-MM-DD), inclusive.
    #[arg(long)]
    to: NaiveDate,
    /// A book to include (repeat for several); with neither --book nor
    /// --federation, every book.
    #[arg(long = "book", value_name = "BOOK_ID")]
    books: Vec<String>,
    /// A federation: its book and every member fund's book (repeatable).
    #[arg(long = "federation", value_name = "FEDERATION_ID")]
    federations: Vec<String>,
    /// Directory to write the bundle into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Also write journal.beancount: the same entries and closing balance
    /// assertions in beancount syntax (check it with bean-check).
    #[arg(long)]
    beancount: bool,
    /// No progress bar (for scripts and logs).
    #[arg(long)]
    quiet: bool,
}

pub async fn run(args: ExtractArgs) -> CliResult {
    let channel = args.conn.channel().await?;
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} reading the chain {wide_bar} {pos}/{len} entries ({per_sec}, {eta} left)",
        )
        .expect("the template is valid"),
    );
    let request = bundle::Request {
        from: args.from,
        to: args.to,
        books: args.books,
        federations: args.federations,
        beancount: args.beancount,
    };
    let manifest = bundle::write(channel, &request, &args.out, &mut |read, head| {
        bar.set_length(head);
        bar.set_position(read);
    })
    .await?;
    bar.finish_and_clear();
    println!(
        "wrote {} {} of {} to {} (chain head: entry {} hash {})",
        manifest.entries,
        if manifest.entries == 1 {
            "entry"
        } else {
            "entries"
        },
        if manifest.spec.books.is_empty() {
            "every book".to_string()
        } else {
            manifest.spec.books.join(", ")
        },
        args.out.display(),
        manifest.spec.head_seq,
        manifest.spec.head_hash
    );
    for f in &manifest.files {
        println!("  {:<22} {:>9} rows  {}", f.name, f.rows, f.sha256);
    }
    println!(
        "check it with: huzhu verify-extract {}   (or: hledger -f {} check)",
        args.out.display(),
        args.out.join(crate::extract::files::HLEDGER).display()
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct VerifyExtractArgs {
    /// The bundle's directory (with manifest.json).
    dir: PathBuf,
}

pub fn verify(args: VerifyExtractArgs) -> CliResult {
    let report = check::check(&args.dir)?;
    if report.ok() {
        println!(
            "ok: {} entries and {} chain links check out; head entry {} hash {}",
            report.entries, report.links, report.head_seq, report.head_hash
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "FAILED: {} problem(s) in {}",
            report.problems.len(),
            args.dir.display()
        );
        for p in &report.problems {
            println!("  {p}");
        }
        Ok(ExitCode::FAILURE)
    }
}
