//! `huzhu ledger ...`: the thin client over gRPC for the ledger's operations.
//! Tables for people, `--output json` (the server's answer as proto3 JSON)
//! for scripts. Each command's arguments build its request.
use clap::{Args, Subcommand, ValueEnum};

use super::client::{connect, Conn};
use super::output::{refused, show, table, yuan, Change, ClientArgs, Output};
use super::CliResult;
use crate::pb;

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Fund,
    Federation,
    Program,
}

// Each command's own options are listed in --help after the connection's
// and --output, as they were when each command flattened the connection
// itself (next_display_order). No doc comment: clap would take it for
// `huzhu ledger`'s help.
#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Create a book with its chart of accounts.
    #[command(next_display_order = 6)]
    CreateBook(Change<CreateBookArgs>),
    /// Show a book and its accounts with their balances.
    #[command(next_display_order = 6)]
    Book(BookArgs),
    /// Open a sub-account, e.g. fund-dongcun/3002/member:M001.
    #[command(next_display_order = 6)]
    OpenAccount(Change<OpenAccountArgs>),
    /// Post a balanced entry: --debit and --credit take [BOOK/]CODE[/SUB]=AMOUNT.
    #[command(next_display_order = 6)]
    Post(Change<PostArgs>),
    /// Reverse an entry by its sequence number.
    #[command(next_display_order = 6)]
    Reverse(Change<ReverseArgs>),
    /// Balance of BOOK/CODE[/SUB], now or as of a date.
    #[command(next_display_order = 6)]
    Balance(BalanceArgs),
    /// List the entries of a book (or of one account with --account), all pages.
    #[command(next_display_order = 6)]
    Entries(EntriesArgs),
    /// Trial balance of a book, now or as of a date.
    #[command(next_display_order = 6)]
    TrialBalance(TrialBalanceArgs),
    /// Close a month (YYYY-MM) and every month before it.
    #[command(next_display_order = 6)]
    ClosePeriod(Change<ClosePeriodArgs>),
    /// A fund's or a federation's quarterly report: balance sheet, income
    /// statement, portfolio and PAR, yield, self-sufficiency, write-offs.
    #[command(next_display_order = 6)]
    Quarterly(super::quarterly::QuarterlyArgs),
}

#[derive(Args)]
pub struct CreateBookArgs {
    /// Book id: lower-case letters, digits, '-' and '_'.
    book_id: String,
    #[arg(long, value_enum)]
    kind: Kind,
    #[arg(long)]
    name: String,
}

impl CreateBookArgs {
    fn request(self, request_id: String) -> pb::CreateBookRequest {
        let kind = match self.kind {
            Kind::Fund => pb::BookKind::Fund,
            Kind::Federation => pb::BookKind::Federation,
            Kind::Program => pb::BookKind::Program,
        };
        pb::CreateBookRequest {
            request_id,
            book_id: self.book_id,
            kind: kind as i32,
            name: self.name,
        }
    }
}

#[derive(Args)]
pub struct BookArgs {
    book_id: String,
}

impl BookArgs {
    fn request(self) -> pb::GetBookRequest {
        pb::GetBookRequest {
            book_id: self.book_id,
        }
    }
}

#[derive(Args)]
pub struct OpenAccountArgs {
    /// BOOK/CODE/KIND:ID
    account: String,
    #[arg(long, default_value = "")]
    name: String,
    /// The balance may never go below zero.
    #[arg(long)]
    non_negative: bool,
}

impl OpenAccountArgs {
    fn request(self, request_id: String) -> Result<pb::OpenAccountRequest, String> {
        Ok(pb::OpenAccountRequest {
            request_id,
            account: Some(account(&self.account, None)?),
            name: self.name,
            non_negative: self.non_negative,
        })
    }
}

#[derive(Args)]
pub struct PostArgs {
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
}

impl PostArgs {
    fn request(self, request_id: String) -> Result<pb::PostEntryRequest, String> {
        let b = self.book.as_deref();
        let mut postings = Vec::new();
        for d in &self.debits {
            postings.push(posting(d, pb::Side::Debit, b)?);
        }
        for c in &self.credits {
            postings.push(posting(c, pb::Side::Credit, b)?);
        }
        Ok(pb::PostEntryRequest {
            request_id,
            value_date: self.date,
            memo: self.memo,
            postings,
        })
    }
}

#[derive(Args)]
pub struct ReverseArgs {
    seq: u64,
    /// Value date of the reversal, YYYY-MM-DD.
    #[arg(long)]
    date: String,
    /// Why the entry is reversed.
    #[arg(long, default_value = "")]
    memo: String,
}

impl ReverseArgs {
    fn request(self, request_id: String) -> pb::ReverseEntryRequest {
        pb::ReverseEntryRequest {
            request_id,
            seq: self.seq,
            value_date: self.date,
            memo: self.memo,
        }
    }
}

#[derive(Args)]
pub struct BalanceArgs {
    account: String,
    #[arg(long)]
    as_of: Option<String>,
    /// Add all sub-accounts of the code.
    #[arg(long)]
    with_subs: bool,
}

impl BalanceArgs {
    fn request(self) -> Result<pb::GetBalanceRequest, String> {
        Ok(pb::GetBalanceRequest {
            account: Some(account(&self.account, None)?),
            as_of: self.as_of.unwrap_or_default(),
            include_sub_accounts: self.with_subs,
        })
    }

    /// The balance's line in a table: "fund-a/1002 as of 2025-03-01".
    fn title(&self) -> String {
        let when = self
            .as_of
            .as_ref()
            .map_or_else(|| "now".to_string(), |d| format!("as of {d}"));
        format!("{} {when}", self.account)
    }
}

#[derive(Args)]
pub struct EntriesArgs {
    #[arg(long, required_unless_present = "account")]
    book: Option<String>,
    /// BOOK/CODE[/SUB]
    #[arg(long)]
    account: Option<String>,
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
}

impl EntriesArgs {
    /// The first page's request.
    fn request(self) -> Result<pb::ListEntriesRequest, String> {
        Ok(pb::ListEntriesRequest {
            book_id: self.book.unwrap_or_default(),
            account: self.account.map(|s| account(&s, None)).transpose()?,
            from_date: self.from.unwrap_or_default(),
            to_date: self.to.unwrap_or_default(),
            page_size: ENTRIES_PAGE,
            page_token: String::new(),
        })
    }
}

/// Entries asked for in one page.
const ENTRIES_PAGE: u32 = 500;

#[derive(Args)]
pub struct TrialBalanceArgs {
    book_id: String,
    #[arg(long)]
    as_of: Option<String>,
    /// Show the accounts whose balance is zero too (hidden by default;
    /// --output json always has every account).
    #[arg(long)]
    all: bool,
}

impl TrialBalanceArgs {
    fn request(self) -> pb::GetTrialBalanceRequest {
        pb::GetTrialBalanceRequest {
            book_id: self.book_id,
            as_of: self.as_of.unwrap_or_default(),
        }
    }
}

#[derive(Args)]
pub struct ClosePeriodArgs {
    book_id: String,
    period: String,
}

impl ClosePeriodArgs {
    fn request(self, request_id: String) -> pb::ClosePeriodRequest {
        pb::ClosePeriodRequest {
            request_id,
            book_id: self.book_id,
            period: self.period,
        }
    }
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

/// An account's code, with its sub-account when it has one: "3002/member:M001".
fn code(a: &pb::AccountRef) -> String {
    if a.sub.is_empty() {
        a.code.clone()
    } else {
        format!("{}/{}", a.code, a.sub)
    }
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
        let name = format!("{}/{}", a.book_id, code(&a));
        let (dr, cr) = if p.side == pb::Side::Debit as i32 {
            (p.amount.as_str(), "")
        } else {
            ("", p.amount.as_str())
        };
        println!("    {name:<44} {dr:>16} {cr:>16}");
    }
    println!("    hash {}", e.hash);
}

fn print_posted(r: &pb::PostEntryResponse) {
    if r.replayed {
        println!("(already recorded: this is the first result of that request id)");
    }
    print_entry(&r.entry.clone().unwrap_or_default());
}

fn print_reversed(r: &pb::ReverseEntryResponse) {
    print_entry(&r.entry.clone().unwrap_or_default());
}

fn print_opened(spec: &str, r: &pb::OpenAccountResponse) {
    let a = r.account.clone().unwrap_or_default();
    println!(
        "opened {spec} ({}), non-negative: {}",
        a.name, a.non_negative
    );
}

fn print_closed(r: &pb::ClosePeriodResponse) {
    let b = r.book.clone().unwrap_or_default();
    println!("{} is closed through {}", b.book_id, b.closed_through);
}

fn print_book(book: Option<&pb::Book>, accounts: &[pb::Account]) {
    let book = book.cloned().unwrap_or_default();
    let closed = if book.closed_through.is_empty() {
        "no period closed".to_string()
    } else {
        format!("closed through {}", book.closed_through)
    };
    println!("{} ({}) {closed}", book.book_id, book.name);
    let rows = accounts
        .iter()
        .map(|a| {
            let code = code(&a.r#ref.clone().unwrap_or_default());
            vec![code, a.name.clone(), yuan(&a.balance)]
        })
        .collect();
    println!("{}", table(&["", "", ""], &[2], rows));
}

/// The trial balance as a table, amounts with separators; accounts at zero
/// are left out unless `all`, and how many were is said.
fn print_trial_balance(r: &pb::GetTrialBalanceResponse, all: bool) {
    let when = if r.as_of.is_empty() {
        "now".to_string()
    } else {
        format!("as of {}", r.as_of)
    };
    println!(
        "trial balance of {} {when} (through entry {})",
        r.book_id, r.head_seq
    );
    let zero = |a: &str| {
        a.parse::<rust_decimal::Decimal>()
            .is_ok_and(|d| d.is_zero())
    };
    let (shown, hidden): (Vec<_>, Vec<_>) = r
        .lines
        .iter()
        .partition(|l| all || !(zero(&l.debit) && zero(&l.credit)));
    let mut rows: Vec<Vec<String>> = shown
        .iter()
        .map(|l| {
            let code = code(&l.account.clone().unwrap_or_default());
            vec![code, l.name.clone(), yuan(&l.debit), yuan(&l.credit)]
        })
        .collect();
    rows.push(vec![
        "total".into(),
        String::new(),
        yuan(&r.total_debit),
        yuan(&r.total_credit),
    ]);
    println!(
        "{}",
        table(&["account", "name", "debit", "credit"], &[2, 3], rows)
    );
    if !hidden.is_empty() {
        println!(
            "{} accounts at zero not shown (--all shows them)",
            hidden.len()
        );
    }
}

/// Connects to the ledger at `conn`, then builds the request (which may
/// parse an account and fail) and calls; a refusal is told with its field or
/// rule and what to do next: `ask!(conn, method, request)` for a read,
/// `ask!(conn, method, request, request_id)` for a change.
macro_rules! ask {
    ($conn:expr, $method:ident, $request:expr $(, $id:expr)?) => {{
        let mut client = connect($conn).await?;
        let request_id: Option<&str> = None $(.or(Some($id.as_str())))?;
        client
            .$method($request)
            .await
            .map_err(|s| refused(&s, request_id))?
            .into_inner()
    }};
}

/// Every page of the entries: printed as each page comes for a table, as
/// one answer with all of them in JSON.
async fn entries(conn: &Conn, output: Output, args: EntriesArgs) -> CliResult {
    let mut c = connect(conn).await?;
    let mut request = args.request()?;
    let mut all = pb::ListEntriesResponse::default();
    loop {
        let page = c
            .list_entries(request.clone())
            .await
            .map_err(|s| refused(&s, None))?
            .into_inner();
        match output {
            Output::Table => page.entries.iter().for_each(print_entry),
            Output::Json => all.entries.extend(page.entries),
        }
        if page.next_page_token.is_empty() {
            break;
        }
        request.page_token = page.next_page_token;
    }
    show(output, &all, |_| {})
}

pub async fn run(args: ClientArgs<LedgerCommand>) -> CliResult {
    let ClientArgs {
        conn,
        output,
        lang,
        command,
    } = args;
    super::lang::choose(lang);
    use LedgerCommand as L;
    match command {
        L::CreateBook(a) => {
            let (id, a) = a.split();
            let r = ask!(&conn, create_book, a.request(id.clone()), id);
            show(output, &r, |r| print_book(r.book.as_ref(), &r.accounts))
        }
        L::Book(a) => {
            let r = ask!(&conn, get_book, a.request());
            show(output, &r, |r| print_book(r.book.as_ref(), &r.accounts))
        }
        L::OpenAccount(a) => {
            let (id, a) = a.split();
            let spec = a.account.clone();
            let r = ask!(&conn, open_account, a.request(id.clone())?, id);
            show(output, &r, |r| print_opened(&spec, r))
        }
        L::Post(a) => {
            // The postings are parsed before connecting.
            let (id, a) = a.split();
            let request = a.request(id.clone())?;
            show(output, &ask!(&conn, post_entry, request, id), print_posted)
        }
        L::Reverse(a) => {
            let (id, a) = a.split();
            show(
                output,
                &ask!(&conn, reverse_entry, a.request(id.clone()), id),
                print_reversed,
            )
        }
        L::Balance(a) => {
            let title = a.title();
            let r = ask!(&conn, get_balance, a.request()?);
            show(output, &r, |r| println!("{title}: {}", r.balance))
        }
        L::Entries(a) => entries(&conn, output, a).await,
        L::Quarterly(a) => super::quarterly::run(&conn, output, a).await,
        L::TrialBalance(a) => {
            let all = a.all;
            let r = ask!(&conn, get_trial_balance, a.request());
            show(output, &r, |r| print_trial_balance(r, all))
        }
        L::ClosePeriod(a) => {
            let (id, a) = a.split();
            show(
                output,
                &ask!(&conn, close_period, a.request(id.clone()), id),
                print_closed,
            )
        }
    }
}
