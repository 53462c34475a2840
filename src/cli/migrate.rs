//! `huzhu migrate`: opens a stopped server's store and writes what this
//! build's registry needs and an earlier build did not write.
use std::path::PathBuf;

use super::CliResult;
use crate::ledger::{Ledger, Options};

#[derive(clap::Args)]
pub struct MigrateArgs {
    /// The store's directory (the server must be stopped).
    #[arg(long, env = "HUZHU_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
}

pub async fn run(args: MigrateArgs) -> CliResult {
    let dir = args.data_dir;
    if !dir.join("db").exists() {
        return Err(format!("{} holds no store", dir.display()).into());
    }
    let at = dir.clone();
    let ledger =
        tokio::task::spawn_blocking(move || Ledger::open(&at, &Options::default())).await??;
    let written = crate::ops::migrate::run(&ledger).await?;
    ledger.shutdown().await?;
    if written == 0 {
        println!("{}: already up to date, nothing written", dir.display());
    } else {
        println!(
            "{}: {written} records written (loans indexed by member)",
            dir.display()
        );
    }
    Ok(std::process::ExitCode::SUCCESS)
}
