//! `huzhu ledger ...`: the thin client over gRPC for the ledger's operations.
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};

use super::client::{connect, describe, Conn, Idem};
use super::CliResult;
use crate::pb;

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Fund,
    Federation,
    Program,
}

#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Create a book with its chart of accounts.
    CreateBook {
        #[command(flatten)]
        conn: Conn,
        #[command(flatten)]
        idem: Idem,
        /// Book id: lower-case letters, digits, '-' and '_'.
        book_id: String,
        #[arg(long, value_enum)]
        kind: Kind,
        #[arg(long)]
        name: String,
    },
    /// Show a book and its accounts with their balances.
    Book {
        #[command(flatten)]
        conn: Conn,
        book_id: String,
    },
    /// Open a sub-account, e.g. fund-dongcun/3002/member:M001.
    OpenAccount {
        #[command(flatten)]
        conn: Conn,
        #[command(flatten)]
        idem: Idem,
        /// BOOK/CODE/KIND:ID
        account: String,
        #[arg(long, default_value = "")]
        name: String,
        /// The balance may never go below zero.
        #[arg(long)]
        non_negative: bool,
    },
    /// Post a balanced entry: --debit and --credit take [BOOK/]CODE[/SUB]=AMOUNT.
    Post {
        #[command(flatten)]
        conn: Conn,
        #[command(flatten)]
        idem: Idem,
        /// Book of postings that do not name one.
        #[arg(long)]
        book: Option<String>,
        /// Value date, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// What the entry is for (at most 500 characters).
        #[arg(long, default_value = "")]
        memo: String,
        /// A debit posting, e.g. 1002=500.00 or fund-a/3002/member:M01=100; repeatable.
        #[arg(long = "debit", required = true)]
        debits: Vec<String>,
        /// A credit posting, same form as --debit; repeatable.
        #[arg(long = "credit", required = true)]
        credits: Vec<String>,
    },
    /// Reverse an entry by its sequence number.
    Reverse {
        #[command(flatten)]
        conn: Conn,
        #[command(flatten)]
        idem: Idem,
        seq: u64,
        /// Value date of the reversal, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Why the entry is reversed.
        #[arg(long, default_value = "")]
        memo: String,
    },
    /// Balance of BOOK/CODE[/SUB], now or as of a date.
    Balance {
        #[command(flatten)]
        conn: Conn,
        account: String,
        #[arg(long)]
        as_of: Option<String>,
        /// Add all sub-accounts of the code.
        #[arg(long)]
        with_subs: bool,
    },
    /// List the entries of a book (or of one account with --account), all pages.
    Entries {
        #[command(flatten)]
        conn: Conn,
        #[arg(long, required_unless_present = "account")]
        book: Option<String>,
        /// BOOK/CODE[/SUB]
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
    },
    /// Trial balance of a book, now or as of a date.
    TrialBalance {
        #[command(flatten)]
        conn: Conn,
        book_id: String,
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Close a month (YYYY-MM) and every month before it.
    ClosePeriod {
        #[command(flatten)]
        conn: Conn,
        #[command(flatten)]
        idem: Idem,
        book_id: String,
        period: String,
    },
}

/// Parses BOOK/CODE[/SUB]; `default_book` lets CODE[/SUB] stand alone.
fn account(spec: &str, default_book: Option<&str>) -> Result<pb::AccountRef, String> {
    let parts: Vec<&str> = spec.splitn(3, '/').collect();
    let first_is_code = parts[0].chars().all(|c| c.is_ascii_digit());
    let (book, code, sub) = match (first_is_code, parts.as_slice(), default_book) {
        (true, [code], Some(b)) => (b, *code, ""),
        (true, [code, sub], Some(b)) => (b, *code, *sub),
        (false, [book, code], _) => (*book, *code, ""),
        (false, [book, code, sub], _) => (*book, *code, *sub),
        _ => {
            return Err(format!(
                "{spec:?} is not BOOK/CODE[/SUB] (or CODE[/SUB] with --book)"
            ))
        }
    };
    Ok(pb::AccountRef {
        book_id: book.into(),
        code: code.into(),
        sub: sub.into(),
    })
}

fn posting(spec: &str, side: pb::Side, book: Option<&str>) -> Result<pb::Posting, String> {
    let (acct, amount) = spec
        .rsplit_once('=')
        .ok_or_else(|| format!("{spec:?} is not ACCOUNT=AMOUNT, e.g. 1002=500.00"))?;
    Ok(pb::Posting {
        account: Some(account(acct, book)?),
        side: side as i32,
        amount: amount.into(),
    })
}

fn print_entry(e: &pb::Entry) {
    let rev = match (e.reverses, e.reversed_by) {
        (0, 0) => String::new(),
        (r, 0) => format!("  reverses #{r}"),
        (_, by) => format!("  reversed by #{by}"),
    };
    println!(
        "#{} {} {} [{}] by {}{rev}",
        e.seq, e.value_date, e.memo, e.request_id, e.actor
    );
    for p in &e.postings {
        let a = p.account.clone().unwrap_or_default();
        let name = if a.sub.is_empty() {
            format!("{}/{}", a.book_id, a.code)
        } else {
            format!("{}/{}/{}", a.book_id, a.code, a.sub)
        };
        let (dr, cr) = if p.side == pb::Side::Debit as i32 {
            (p.amount.as_str(), "")
        } else {
            ("", p.amount.as_str())
        };
        println!("    {name:<44} {dr:>16} {cr:>16}");
    }
    println!("    hash {}", e.hash);
}

fn print_accounts(book: &pb::Book, accounts: &[pb::Account]) {
    let closed = if book.closed_through.is_empty() {
        "no period closed".to_string()
    } else {
        format!("closed through {}", book.closed_through)
    };
    println!("{} ({}) {closed}", book.book_id, book.name);
    for a in accounts {
        let r = a.r#ref.clone().unwrap_or_default();
        let code = if r.sub.is_empty() {
            r.code
        } else {
            format!("{}/{}", r.code, r.sub)
        };
        println!("  {code:<28} {:<44} {:>16}", a.name, a.balance);
    }
}

pub async fn run(cmd: LedgerCommand) -> CliResult {
    let fail = |s: tonic::Status| describe(&s);
    match cmd {
        LedgerCommand::CreateBook {
            conn,
            idem,
            book_id,
            kind,
            name,
        } => {
            let kind = match kind {
                Kind::Fund => pb::BookKind::Fund,
                Kind::Federation => pb::BookKind::Federation,
                Kind::Program => pb::BookKind::Program,
            };
            let r = connect(&conn)
                .await?
                .create_book(pb::CreateBookRequest {
                    request_id: idem.id(),
                    book_id,
                    kind: kind as i32,
                    name,
                })
                .await
                .map_err(fail)?
                .into_inner();
            print_accounts(&r.book.unwrap_or_default(), &r.accounts);
        }
        LedgerCommand::Book { conn, book_id } => {
            let r = connect(&conn)
                .await?
                .get_book(pb::GetBookRequest { book_id })
                .await
                .map_err(fail)?
                .into_inner();
            print_accounts(&r.book.unwrap_or_default(), &r.accounts);
        }
        LedgerCommand::OpenAccount {
            conn,
            idem,
            account: spec,
            name,
            non_negative,
        } => {
            let r = connect(&conn)
                .await?
                .open_account(pb::OpenAccountRequest {
                    request_id: idem.id(),
                    account: Some(account(&spec, None)?),
                    name,
                    non_negative,
                })
                .await
                .map_err(fail)?
                .into_inner();
            let a = r.account.unwrap_or_default();
            println!(
                "opened {spec} ({}), non-negative: {}",
                a.name, a.non_negative
            );
        }
        LedgerCommand::Post {
            conn,
            idem,
            book,
            date,
            memo,
            debits,
            credits,
        } => {
            let b = book.as_deref();
            let mut postings = Vec::new();
            for d in &debits {
                postings.push(posting(d, pb::Side::Debit, b)?);
            }
            for c in &credits {
                postings.push(posting(c, pb::Side::Credit, b)?);
            }
            let r = connect(&conn)
                .await?
                .post_entry(pb::PostEntryRequest {
                    request_id: idem.id(),
                    value_date: date,
                    memo,
                    postings,
                })
                .await
                .map_err(fail)?
                .into_inner();
            if r.replayed {
                println!("(already recorded: this is the first result of that request id)");
            }
            print_entry(&r.entry.unwrap_or_default());
        }
        LedgerCommand::Reverse {
            conn,
            idem,
            seq,
            date,
            memo,
        } => {
            let r = connect(&conn)
                .await?
                .reverse_entry(pb::ReverseEntryRequest {
                    request_id: idem.id(),
                    seq,
                    value_date: date,
                    memo,
                })
                .await
                .map_err(fail)?
                .into_inner();
            print_entry(&r.entry.unwrap_or_default());
        }
        LedgerCommand::Balance {
            conn,
            account: spec,
            as_of,
            with_subs,
        } => {
            let r = connect(&conn)
                .await?
                .get_balance(pb::GetBalanceRequest {
                    account: Some(account(&spec, None)?),
                    as_of: as_of.clone().unwrap_or_default(),
                    include_sub_accounts: with_subs,
                })
                .await
                .map_err(fail)?
                .into_inner();
            let when = as_of.map_or_else(|| "now".to_string(), |d| format!("as of {d}"));
            println!("{spec} {when}: {}", r.balance);
        }
        LedgerCommand::Entries {
            conn,
            book,
            account: spec,
            from,
            to,
        } => {
            let mut c = connect(&conn).await?;
            let account = spec.as_deref().map(|s| account(s, None)).transpose()?;
            let mut token = String::new();
            loop {
                let r = c
                    .list_entries(pb::ListEntriesRequest {
                        book_id: book.clone().unwrap_or_default(),
                        account: account.clone(),
                        from_date: from.clone().unwrap_or_default(),
                        to_date: to.clone().unwrap_or_default(),
                        page_size: 500,
                        page_token: token,
                    })
                    .await
                    .map_err(fail)?
                    .into_inner();
                r.entries.iter().for_each(print_entry);
                if r.next_page_token.is_empty() {
                    break;
                }
                token = r.next_page_token;
            }
        }
        LedgerCommand::TrialBalance {
            conn,
            book_id,
            as_of,
        } => {
            let r = connect(&conn)
                .await?
                .get_trial_balance(pb::GetTrialBalanceRequest {
                    book_id,
                    as_of: as_of.unwrap_or_default(),
                })
                .await
                .map_err(fail)?
                .into_inner();
            let when = if r.as_of.is_empty() {
                "now".to_string()
            } else {
                format!("as of {}", r.as_of)
            };
            println!(
                "trial balance of {} {when} (through entry {})",
                r.book_id, r.head_seq
            );
            println!(
                "  {:<28} {:<44} {:>16} {:>16}",
                "account", "name", "debit", "credit"
            );
            for l in &r.lines {
                let a = l.account.clone().unwrap_or_default();
                let code = if a.sub.is_empty() {
                    a.code
                } else {
                    format!("{}/{}", a.code, a.sub)
                };
                println!(
                    "  {code:<28} {:<44} {:>16} {:>16}",
                    l.name, l.debit, l.credit
                );
            }
            println!(
                "  {:<28} {:<44} {:>16} {:>16}",
                "total", "", r.total_debit, r.total_credit
            );
        }
        LedgerCommand::ClosePeriod {
            conn,
            idem,
            book_id,
            period,
        } => {
            let r = connect(&conn)
                .await?
                .close_period(pb::ClosePeriodRequest {
                    request_id: idem.id(),
                    book_id,
                    period,
                })
                .await
                .map_err(fail)?
                .into_inner();
            let b = r.book.unwrap_or_default();
            println!("{} is closed through {}", b.book_id, b.closed_through);
        }
    }
    Ok(ExitCode::SUCCESS)
}
