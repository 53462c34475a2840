//! `verify` finds an entry or an index altered directly in the sled files, and
//! says which.
mod common;

use std::process::Command;

use common::*;
use huzhu::pb::{self, BookKind};

const FUND: &str = "fund-tamper";

/// Ten entries of 1.00, 2.00, ... 10.00 from bank to expenses; then stopped.
async fn ten_entries() -> TestServer {
    let mut server = TestServer::start();
    let mut c = server.client().await;
    create_book(&mut c, FUND, BookKind::Fund).await;
    post(
        &mut c,
        transfer("seed", "2025-03-01", FUND, "1002", "3004", "1000.00"),
    )
    .await;
    for i in 2..=10 {
        let amount = format!("{i}.00");
        post(
            &mut c,
            transfer(
                &format!("e{i}"),
                "2025-03-02",
                FUND,
                "5001",
                "1002",
                &amount,
            ),
        )
        .await;
    }
    drop(c);
    server.terminate().await;
    server
}

/// Rewrites every occurrence of `from` with `to` (same length) in values under `prefix`.
fn alter(server: &TestServer, prefix: u8, from: &[u8], to: &[u8]) {
    assert_eq!(from.len(), to.len());
    let db = huzhu::ledger::open_raw(server.data_dir()).unwrap();
    let mut changed = 0;
    for item in db.scan_prefix([prefix]) {
        let (k, v) = item.unwrap();
        let mut bytes = v.to_vec();
        let mut at = 0;
        while let Some(i) = bytes[at..].windows(from.len()).position(|w| w == from) {
            bytes[at + i..at + i + from.len()].copy_from_slice(to);
            at += i + from.len();
            changed += 1;
        }
        if bytes != v.as_ref() {
            db.insert(k, bytes).unwrap();
        }
    }
    assert!(changed > 0, "the pattern was found");
    db.flush().unwrap();
}

fn offline_verify(server: &TestServer) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args(["verify", "--data-dir"])
        .arg(server.data_dir())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
async fn an_untouched_store_verifies() {
    let server = ten_entries().await;
    let (ok, out) = offline_verify(&server);
    assert!(ok, "{out}");
    assert!(out.contains("ok: 10 entries verified"), "{out}");
}

#[tokio::test]
async fn an_altered_amount_breaks_the_chain_at_that_entry() {
    let mut server = ten_entries().await;
    // Entry 5 moves 5.00 = 500 fen; make it 9.00 on both sides so it still
    // balances (one open of the store: sled releases its lock lazily).
    alter(
        &server,
        b'E',
        b"\"amount_fen\":500}",
        b"\"amount_fen\":900}",
    );
    let (ok, out) = offline_verify(&server);
    assert!(!ok, "{out}");
    assert!(out.contains("entry 6 does not chain to entry 5"), "{out}");
    assert!(
        out.contains("fund-tamper/1002"),
        "the balances disagree too: {out}"
    );

    // The server still starts (the damage is before its checkpoint) and its
    // VerifyChain reports the same.
    server.restart();
    let mut c = server.client().await;
    let v = c
        .verify_chain(pb::VerifyChainRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(!v.ok);
    assert!(
        v.problems
            .iter()
            .any(|p| p.contains("entry 6 does not chain to entry 5")),
        "{:?}",
        v.problems
    );
}

#[tokio::test]
async fn an_altered_head_entry_stops_the_server_from_starting() {
    let server = ten_entries().await;
    alter(
        &server,
        b'E',
        b"\"request_id\":\"e10\"",
        b"\"request_id\":\"x10\"",
    );
    let (ok, out) = offline_verify(&server);
    assert!(!ok, "{out}");
    assert!(
        out.contains("entry 10 does not hash to the value recorded at the checkpoint"),
        "{out}"
    );
    let status = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--web-listen",
            "off",
            "--data-dir",
        ])
        .arg(server.data_dir())
        .output()
        .unwrap();
    assert!(!status.status.success());
    assert!(String::from_utf8_lossy(&status.stderr).contains("the store is damaged"));
}

#[tokio::test]
async fn an_altered_posting_index_is_found() {
    let server = ten_entries().await;
    // The expense account's index chunk for entry 7 (-> +700 fen) says 800.
    let item_from = [
        7u64.to_be_bytes().as_slice(),
        &[0, 0],
        &700i64.to_be_bytes(),
    ]
    .concat();
    let item_to = [
        7u64.to_be_bytes().as_slice(),
        &[0, 0],
        &800i64.to_be_bytes(),
    ]
    .concat();
    alter(&server, b'P', &item_from, &item_to);
    let (ok, out) = offline_verify(&server);
    assert!(!ok, "{out}");
    assert!(out.contains("account fund-tamper/5001: the posting index holds 9 postings summing to 55.00, the journal 9 summing to 54.00"), "{out}");
}
