//! `huzhu bench`: how fast the ledger records, measured from outside.
//!
//! Two workloads. `raw` (raw.rs) posts two-posting entries between random
//! accounts, one per call and in batches: the engine's durable entries per
//! second. `county` (county.rs) builds a county of village funds through the
//! business API (members, shares, loans, day-ends, repayments, the
//! federation's dashboard) on a server it starts for each size, and says what
//! each kind of operation costs the server (measure.rs) in one table with the
//! sizes side by side (report.rs). Numbers are printed, never asserted.
mod county;
mod measure;
mod raw;
mod report;

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::serve::Switch;
use super::CliResult;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    Unary,
    Batch,
    Both,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Workload {
    /// Two-posting entries between random accounts (unary and batched).
    Raw,
    /// A county's funds, members and loans through the business API.
    County,
}

#[derive(Args)]
pub struct BenchArgs {
    /// What to run: raw entries, or a county's business.
    #[arg(long, value_enum, default_value = "raw")]
    workload: Workload,
    /// A running server; without it the bench starts one on a temporary store
    /// (without a rate limit). Raw workload only: the county starts a fresh
    /// server for each size.
    #[arg(long)]
    server: Option<String>,
    /// Token file for --server (else $HUZHU_TOKEN, else ./data/admin.token for a local server).
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Accounts to post between (raw).
    #[arg(long, default_value_t = 1_000)]
    accounts: usize,
    /// Concurrent clients (raw, unary mode); calls in flight (county).
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Seconds per mode (raw).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Raw only.
    #[arg(long, value_enum, default_value = "both")]
    mode: Mode,
    /// Entries per call in batch mode (raw).
    #[arg(long, default_value_t = 500)]
    batch_size: usize,
    /// Concurrent clients in batch mode (raw).
    #[arg(long, default_value_t = 8)]
    batch_clients: usize,
    /// HTTP/2 connections the clients share (raw).
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// County sizes, FxN: F funds of N members each, one loan per member.
    #[arg(long, value_delimiter = ',', default_value = "5x500,20x2000")]
    sizes: Vec<county::Size>,
    /// Day-ends every fund runs, one date after another (county).
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=county::MAX_DAYS))]
    days: u32,
    /// Whether the bench's stores compress their log (`huzhu serve
    /// --compression`); run both to read what it costs and saves.
    #[arg(long, value_enum, default_value = "on")]
    compression: Switch,
    /// Times the federation's dashboard is read (county).
    #[arg(long, default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..))]
    dashboard_runs: u32,
}

pub async fn run(args: BenchArgs) -> CliResult {
    match args.workload {
        Workload::Raw => raw::run(args).await,
        Workload::County => {
            if args.server.is_some() {
                return Err("the county workload starts a fresh server for each size; \
                            leave out --server"
                    .into());
            }
            report::county(&county::run(&args).await?, &args);
            Ok(std::process::ExitCode::SUCCESS)
        }
    }
}
