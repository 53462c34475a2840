//! The one `huzhu` binary: `serve`, the offline `verify`, `bench`, and the thin
//! client commands for treasurers (`huzhu ledger`, `fund`, `federation`,
//! `program`, `subsidy`).
mod bench;
mod bench_web;
mod client;
mod demo;
mod extract;
mod federation;
mod fund;
mod lang;
mod ledger;
mod migrate;
mod output;
mod program;
mod quarterly;
mod schedule;
mod serve;
mod subsidy;
mod token;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const ABOUT: &str = "Huzhu (互助): double-entry books for village mutual-aid funds, \
subsidized microcredit and township federations, served over gRPC.";

const AFTER_HELP: &str = "\
Start a server on ./data and talk to it:
  huzhu serve
  huzhu ledger create-book fund-dongcun --kind fund --name \"Dongcun mutual-aid fund\"
  huzhu ledger post --book fund-dongcun --date 2025-03-01 --memo \"seed capital\" \\
        --debit 1002=100000.00 --credit 3001=100000.00
  huzhu ledger balance fund-dongcun/1002

The first `huzhu serve` on a new store writes an admin token to
./data/admin.token (mode 0600); clients run in the same directory use it.
Give others their own: huzhu token issue --role fund-treasurer --scope fund:fund-dongcun

Environment: HUZHU_LISTEN, HUZHU_DATA_DIR, HUZHU_RATE_LIMIT, HUZHU_RATE_BURST,
HUZHU_MAX_REQUEST_KIB, HUZHU_TLS_CERT, HUZHU_TLS_KEY, HUZHU_TLS_CLIENT_CA (serve); HUZHU_SERVER, HUZHU_TOKEN (the token itself), HUZHU_TOKEN_FILE,
HUZHU_CA, HUZHU_CERT, HUZHU_KEY (client); RUST_LOG sets the log filter (default: info).";

#[derive(Parser)]
#[command(name = "huzhu", version, about = ABOUT, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the gRPC server (ledger, funds, programs, subsidies, federations,
    /// extracts, health, reflection) on an embedded store.
    Serve(serve::ServeArgs),
    /// Replay the whole journal and check every hash, balance and index.
    ///
    /// With --data-dir it opens a store directly: stop the server first.
    /// Without, it asks the server (--server) to verify its own store.
    Verify(VerifyArgs),
    /// Bring a store written by an earlier build up to this one (today: the
    /// index of loans by member, which makes a member's loans a range read).
    ///
    /// Opens the store directly: stop the server first. Running it again, or
    /// on a store that is up to date, writes nothing.
    Migrate(migrate::MigrateArgs),
    /// Measure durable entries per second and latency, unary and in batches;
    /// or, with --workload county, what a county's business costs the server.
    ///
    /// Without --server it starts its own server on a temporary store in this
    /// process (client and server share the machine), and reports disk bytes per entry.
    /// The county workload starts a `huzhu serve` process of its own for each
    /// of --sizes, and prints calls/s and server CPU per kind of call, day-end,
    /// dashboard latency, bytes per entry and the server's memory.
    Bench(bench::BenchArgs),
    /// Time the web client's main pages on the server (median, p95, worst of
    /// --runs), signed in with the token; prints numbers, asserts none.
    BenchWeb(bench_web::BenchWebArgs),
    /// Preview a loan's repayment schedule (bullet, fee monthly, equal installments, equal principal).
    Schedule(schedule::ScheduleArgs),
    /// Load a realistic township federation (10 funds, 905 households, 211
    /// loans, balancing and relief) through the gRPC API, in seconds.
    ///
    /// With --server it loads a running server; with --data-dir it starts
    /// its own on a fresh store there. Deterministic: run twice with the same
    /// seed, it answers from the first run and posts nothing.
    Demo(demo::DemoArgs),
    /// Books, accounts, entries, balances and periods on a running server.
    Ledger(output::ClientArgs<ledger::LedgerCommand>),
    /// A village fund treasurer's work: capital, expenses, members, shares,
    /// loans, repayments, day-end, write-offs, year-end, the loan ledger.
    ///
    /// Every change carries a request id (--request-id, or one is made up): the
    /// same command with the same id never records twice. --output json prints
    /// the server's answer as proto3 JSON for scripts.
    Fund(output::ClientArgs<fund::FundCommand>),
    /// A township federation treasurer's work: member funds, the board,
    /// balancing between funds with placements and fees, the relief pool,
    /// the supervision dashboard.
    ///
    /// Changes carry a request id as in `huzhu fund`; --output json prints
    /// proto3 JSON.
    Federation(output::ClientArgs<federation::FederationCommand>),
    /// A subsidized-microcredit program's risk-compensation fund, as the
    /// county and the cooperating bank use it: deposits and withdrawals,
    /// guaranteed loans, repayments, claims, recoveries, the leverage report.
    ///
    /// Changes carry a request id as in `huzhu fund`; --output json prints
    /// proto3 JSON.
    Program(output::ClientArgs<program::ProgramCommand>),
    /// Interest subsidies (贴息) of a program: schemes, linked loans, and each
    /// period's accrual, claim, approval, payment and statement.
    ///
    /// Changes carry a request id as in `huzhu fund`; --output json prints
    /// proto3 JSON.
    Subsidy(output::ClientArgs<subsidy::SubsidyCommand>),
    /// Bearer tokens: issue, list and revoke them (admin), or see which
    /// token this client calls with (whoami).
    ///
    /// Roles: admin; fund-clerk and fund-treasurer (scope fund:<id>);
    /// federation-treasurer (federation:<id>); bank (program:<id>); regulator
    /// (all, federation:<id> or program:<id>; reads only).
    Token(output::ClientArgs<token::TokenCommand>),
    /// Write a regulator's extract bundle for a period from a running server.
    ///
    /// The bundle holds the hash chain from entry 1 (chain.csv), the period's
    /// entries exactly as stored (journal.jsonl) and as postings (postings.csv),
    /// balances at the start and end, balance sheet and income statement, the
    /// loan ledger, subsidy claims, leverage and supervision indicators at the
    /// end, an hledger journal with balance assertions, and manifest.json with
    /// the row count and SHA-256 of every file and the chain head it was pinned to.
    Extract(extract::ExtractArgs),
    /// Check an extract bundle with nothing but its files: hashes, rows, every
    /// chain link, every entry, every derived file and every closing balance.
    ///
    /// Exits 1 and names each problem (file, line, entry) when anything does not match.
    VerifyExtract(extract::VerifyExtractArgs),
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// The store to check (the server must not be running on it). Without
    /// it, the server at --server verifies its own store (an admin's or a
    /// regulator's token).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    #[command(flatten)]
    conn: client::Conn,
}

impl Command {
    /// Commands that only talk to a server or read files: no server runs in
    /// this process.
    fn is_client(&self) -> bool {
        !matches!(
            self,
            Self::Serve(_) | Self::Bench(_) | Self::Demo(_) | Self::Migrate(_)
        )
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_client() {
        // A client's output piped into `head` ends quietly, as Unix tools do,
        // instead of panicking on a broken pipe. Servers keep ignoring SIGPIPE
        // (Rust's default), so a peer that goes away cannot kill them.
        // SAFETY: restoring the default disposition before any thread starts.
        unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Verify(args) => verify(args).await,
            Command::Migrate(args) => migrate::run(args).await,
            Command::Bench(args) => bench::run(args).await,
            Command::BenchWeb(args) => bench_web::run(args).await,
            Command::Schedule(args) => schedule::run(args),
            Command::Demo(args) => demo::run(args).await,
            Command::Ledger(cmd) => ledger::run(cmd).await,
            Command::Fund(args) => fund::run(args).await,
            Command::Federation(args) => federation::run(args).await,
            Command::Program(args) => program::run(args).await,
            Command::Subsidy(args) => subsidy::run(args).await,
            Command::Token(args) => token::run(args).await,
            Command::Extract(args) => extract::run(args).await,
            Command::VerifyExtract(args) => extract::verify(args),
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type CliError = Box<dyn std::error::Error + Send + Sync>;
pub type CliResult = Result<ExitCode, CliError>;

async fn verify(args: VerifyArgs) -> CliResult {
    let (ok, checked, head, hash, problems) = match args.data_dir {
        Some(dir) => {
            if !dir.exists() {
                return Err(format!("{} does not exist", dir.display()).into());
            }
            let report = tokio::task::spawn_blocking(move || {
                crate::ledger::verify_store(&dir, &|done, total| {
                    eprintln!("verified {done} of {total} entries");
                })
            })
            .await??;
            (
                report.ok(),
                report.entries_checked,
                report.head_seq,
                crate::ledger::record::hash_hex(&report.head_hash),
                report.problems,
            )
        }
        None => {
            let mut c = client::connect(&args.conn).await?;
            let r = c
                .verify_chain(crate::pb::VerifyChainRequest {})
                .await
                .map_err(|s| output::refused(&s, None))?
                .into_inner();
            (r.ok, r.entries_checked, r.head_seq, r.head_hash, r.problems)
        }
    };
    if ok {
        println!("ok: {checked} entries verified; head entry {head}, hash {hash}");
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "FAILED: {} problem(s) in {checked} entries checked",
            problems.len()
        );
        for p in problems {
            println!("  {p}");
        }
        Ok(ExitCode::FAILURE)
    }
}
