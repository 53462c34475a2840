//! `huzhu bench --workload raw` (the default): durable entries per second
//! and latency, unary and batched.
//!
//! Creates a book with N sub-accounts, then C concurrent clients post
//! two-posting entries between random accounts for T seconds, first one entry
//! per call, then `--batch-size` entries per call. Numbers are printed, never
//! asserted.
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::measure::dir_bytes;
use super::{BenchArgs, Mode, Switch};
use crate::auth::client::{resolve_token, AuthChannel as Channel, Target};
use crate::cli::client::describe;
use crate::cli::{CliError, CliResult};
use crate::pb::{self, ledger_service_client::LedgerServiceClient};

struct Run {
    entries: u64,
    calls: u64,
    elapsed: Duration,
    latency_us: Histogram<u64>,
}

/// A server this process started on a temporary store.
type Embedded = (
    tempfile::TempDir,
    tokio::task::JoinHandle<Result<(), CliError>>,
);

/// The server to measure and the token to call it with: --server, or one
/// started here on a temporary store.
async fn server(args: &BenchArgs) -> Result<(String, String, Option<Embedded>), CliError> {
    if let Some(s) = &args.server {
        return Ok((
            s.clone(),
            resolve_token(args.token_file.as_deref(), s)?,
            None,
        ));
    }
    let dir = tempfile::Builder::new().prefix("huzhu-bench-").tempdir()?;
    let store = crate::ledger::Options {
        compress_new: args.compression == Switch::On,
        ..crate::ledger::Options::default()
    };
    let (addr, token, handle) = crate::api::start_local(
        dir.path().to_path_buf(),
        &store,
        crate::api::ServeOptions::default(),
        std::future::pending(),
    )
    .await?;
    Ok((format!("http://{addr}"), token, Some((dir, handle))))
}

pub async fn run(args: BenchArgs) -> CliResult {
    let (server, token, embedded) = server(&args).await?;
    let mut channels = Vec::new();
    for _ in 0..args.connections.max(1) {
        let channel = Target::plain(server.clone()).connect(&token).await?;
        channels.push(
            LedgerServiceClient::new(channel)
                .max_decoding_message_size(crate::api::MAX_REQUEST_BYTES),
        );
    }
    let run_id = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis();
    let book = format!("bench-{run_id}");
    let accounts = setup(&channels[0], &book, args.accounts, run_id).await?;
    println!(
        "bench: book {book}, {} accounts, server {server}{}",
        accounts.len(),
        if embedded.is_some() {
            " (embedded, same process)"
        } else {
            ""
        }
    );
    let accounts = Arc::new(accounts);
    let mut total_entries = 0;
    if matches!(args.mode, Mode::Unary | Mode::Both) {
        let r = load(
            &channels,
            &accounts,
            &book,
            run_id,
            args.clients,
            1,
            args.seconds,
        )
        .await?;
        report("unary", args.clients, 1, &r);
        total_entries += r.entries;
    }
    if matches!(args.mode, Mode::Batch | Mode::Both) {
        let r = load(
            &channels,
            &accounts,
            &book,
            run_id,
            args.batch_clients,
            args.batch_size,
            args.seconds,
        )
        .await?;
        report("batch", args.batch_clients, args.batch_size, &r);
        total_entries += r.entries;
    }
    if let Some(embedded) = embedded {
        drop(channels);
        disk(embedded, total_entries, args.compression).await;
    }
    Ok(ExitCode::SUCCESS)
}

/// Stops the embedded server and reports the store's bytes per entry.
async fn disk((dir, handle): Embedded, entries: u64, compression: Switch) {
    handle.abort();
    let _ = handle.await;
    let bytes = dir_bytes(dir.path());
    println!(
        "disk: {bytes} bytes in the store for {entries} entries = {} bytes/entry (sled, compression {}, before compaction)",
        bytes / entries.max(1),
        compression.label()
    );
}

async fn setup(
    c: &LedgerServiceClient<Channel>,
    book: &str,
    n: usize,
    run_id: u128,
) -> Result<Vec<pb::AccountRef>, String> {
    let mut c = c.clone();
    c.create_book(pb::CreateBookRequest {
        request_id: format!("bench-{run_id}-book"),
        book_id: book.into(),
        kind: pb::BookKind::Fund as i32,
        name: "benchmark".into(),
    })
    .await
    .map_err(|s| describe(&s))?;
    let mut accounts = Vec::with_capacity(n);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let account = pb::AccountRef {
            book_id: book.into(),
            code: "2201".into(),
            sub: format!("member:b{i:06}"),
        };
        accounts.push(account.clone());
        let mut c = c.clone();
        tasks.spawn(async move {
            c.open_account(pb::OpenAccountRequest {
                request_id: format!("bench-{run_id}-acct-{i}"),
                account: Some(account),
                name: String::new(),
                non_negative: false,
            })
            .await
            .map(|_| ())
            .map_err(|s| describe(&s))
        });
        if tasks.len() >= 64 {
            tasks
                .join_next()
                .await
                .expect("a task is running")
                .map_err(|e| e.to_string())??;
        }
    }
    while let Some(r) = tasks.join_next().await {
        r.map_err(|e| e.to_string())??;
    }
    Ok(accounts)
}

fn entry(
    accounts: &[pb::AccountRef],
    rng: &mut SmallRng,
    request_id: String,
) -> pb::PostEntryRequest {
    let a = rng.random_range(0..accounts.len());
    let mut b = rng.random_range(0..accounts.len() - 1);
    if b >= a {
        b += 1;
    }
    let amount = format!(
        "{}.{:02}",
        rng.random_range(1..1000),
        rng.random_range(0..100)
    );
    pb::PostEntryRequest {
        request_id,
        value_date: crate::domain::dates::business_today()
            .format("%Y-%m-%d")
            .to_string(),
        memo: String::new(),
        postings: vec![
            pb::Posting {
                account: Some(accounts[a].clone()),
                side: pb::Side::Debit as i32,
                amount: amount.clone(),
            },
            pb::Posting {
                account: Some(accounts[b].clone()),
                side: pb::Side::Credit as i32,
                amount,
            },
        ],
    }
}

async fn load(
    channels: &[LedgerServiceClient<Channel>],
    accounts: &Arc<Vec<pb::AccountRef>>,
    book: &str,
    run_id: u128,
    clients: usize,
    per_call: usize,
    seconds: u64,
) -> Result<Run, String> {
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for t in 0..clients {
        let mut c = channels[t % channels.len()].clone();
        let accounts = accounts.clone();
        let prefix = format!("{book}-{run_id}-{per_call}-{t}");
        tasks.spawn(async move {
            let mut rng = SmallRng::seed_from_u64(t as u64 + 1);
            let mut hist = Histogram::<u64>::new(3).expect("histogram");
            let (mut entries, mut calls, mut i) = (0u64, 0u64, 0u64);
            while Instant::now() < deadline {
                let began = Instant::now();
                if per_call == 1 {
                    i += 1;
                    let req = entry(&accounts, &mut rng, format!("{prefix}-{i}"));
                    c.post_entry(req).await.map_err(|s| describe(&s))?;
                } else {
                    let batch = (0..per_call)
                        .map(|_| {
                            i += 1;
                            entry(&accounts, &mut rng, format!("{prefix}-{i}"))
                        })
                        .collect();
                    c.post_entries(pb::PostEntriesRequest { entries: batch })
                        .await
                        .map_err(|s| describe(&s))?;
                }
                let _ = hist.record(began.elapsed().as_micros() as u64);
                entries += per_call as u64;
                calls += 1;
            }
            Ok::<_, String>((entries, calls, hist))
        });
    }
    let mut run = Run {
        entries: 0,
        calls: 0,
        elapsed: Duration::ZERO,
        latency_us: Histogram::new(3).expect("histogram"),
    };
    while let Some(r) = tasks.join_next().await {
        let (e, c, h) = r.map_err(|e| e.to_string())??;
        run.entries += e;
        run.calls += c;
        run.latency_us.add(h).map_err(|e| e.to_string())?;
    }
    run.elapsed = start.elapsed();
    Ok(run)
}

fn report(mode: &str, clients: usize, per_call: usize, r: &Run) {
    let secs = r.elapsed.as_secs_f64();
    let ms = |q: f64| r.latency_us.value_at_quantile(q) as f64 / 1000.0;
    println!(
        "{mode:>5}: {clients} clients x {per_call} entries/call: {} entries in {secs:.1} s = {:.0} durable entries/s; \
         call latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        r.entries,
        r.entries as f64 / secs,
        ms(0.5),
        ms(0.99),
        r.latency_us.max() as f64 / 1000.0
    );
}
