//! `huzhu extract` and `huzhu verify-extract`: a regulator's bundle written
//! from a running server, and checked later with nothing but its files.
use std::path::{Path, PathBuf};
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
    /// Directory to write the bundle into: a new or empty one (created if
    /// missing), or an existing bundle with --force.
    #[arg(long)]
    out: PathBuf,
    /// Replace the bundle already in --out (a directory with manifest.json).
    #[arg(long)]
    force: bool,
    /// Also write journal.beancount: the same entries and closing balance
    /// assertions in beancount syntax (check it with bean-check).
    #[arg(long)]
    beancount: bool,
    /// No progress bar (for scripts and logs).
    #[arg(long)]
    quiet: bool,
}

/// Whether `--out` may be written: missing or empty, or a bundle that
/// `force` replaces. Refused before the server is called.
fn check_out(out: &Path, force: bool) -> Result<(), String> {
    let shown = out.display();
    if out.file_name().is_none() {
        return Err(format!(
            "--out {shown} names no directory of its own; give one, e.g. --out bundle-2025q2"
        ));
    }
    let mut inside = match std::fs::read_dir(out) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot read --out {shown}: {e}")),
    };
    if inside.next().is_none() {
        return Ok(());
    }
    let bundle = out.join(crate::extract::files::MANIFEST).is_file();
    match (bundle, force) {
        (true, true) => Ok(()),
        (true, false) => Err(format!(
            "{shown} already holds an extract bundle; nothing was written. \
             Give --force to replace it, or another --out"
        )),
        (false, _) => Err(format!(
            "{shown} is not empty and holds no extract bundle; nothing was written. \
             Give a new or empty directory as --out (--force replaces only a bundle)"
        )),
    }
}

/// Where the bundle is written before it takes the place of `--out`, beside
/// it: an old bundle stays whole until the new one is complete.
fn staging(out: &Path) -> PathBuf {
    let name = out.file_name().expect("check_out").to_string_lossy();
    out.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// Puts the finished bundle in `staged` at `out`, replacing what `check_out`
/// let through (nothing, an empty directory, or a bundle with --force).
fn put_in_place(staged: &Path, out: &Path) -> Result<(), String> {
    if out.exists() {
        std::fs::remove_dir_all(out)
            .map_err(|e| format!("cannot replace {}: {e}", out.display()))?;
    }
    std::fs::rename(staged, out).map_err(|e| {
        format!(
            "the bundle is complete in {} but cannot be moved to {}: {e}",
            staged.display(),
            out.display()
        )
    })
}

pub async fn run(args: ExtractArgs) -> CliResult {
    check_out(&args.out, args.force)?;
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
    let staged = staging(&args.out);
    let written = bundle::write(channel, &request, &staged, &mut |read, head| {
        bar.set_length(head);
        bar.set_position(read);
    })
    .await;
    bar.finish_and_clear();
    let manifest = written.inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&staged);
    })?;
    put_in_place(&staged, &args.out)?;
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
