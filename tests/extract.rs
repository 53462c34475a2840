//! Regulator extracts through the real server and the real `huzhu` binary:
//! a bundle for a period is accepted by hledger (Debian's, installed by
//! ./scripts/test) with its balance assertions, hledger's balances equal
//! Huzhu's trial balance, `verify-extract` passes it, and any alteration of a
//! file, or of an entry in the store, is found and named. The extracts are
//! made by a regulator's token; each entry in a bundle names the token that
//! posted it ("<token id>/<role>") and its request id; a regulator of another
//! federation is refused and writes nothing.
//!
//! The ledger, by hand (all amounts in yuan):
//! - 2025-02-10 fund-a: seed 50,000 (Dr 1002, Cr 3001/source:fiscal)    before the period
//! - 2025-02-15 fund-b: donation 8,000 (Dr 1002, Cr 3004)               before the period
//! - 2025-03-05 fund-a: M1 buys shares 500 (Dr 1001, Cr 3002/member:M1)
//! - 2025-03-20 fund-a: expenses 120.50 (Dr 5001, Cr 1001)
//! - 2025-04-02 fund-a places 10,000 with fund-b, one entry in both books:
//!   fund-a Dr 1301, Cr 1002; fund-b Dr 1002, Cr 2101
//! - 2025-05-10 fund-b: fee income 300 (Dr 1002, Cr 4001)
//! - 2025-05-11 fund-b: expenses 45 (Dr 5001, Cr 1002), memo with ';' and ','
//! - 2025-05-12 reversal of the 2025-03-20 expense (dated 2025-05-12)
//! - 2025-08-01 fund-b: expenses 99 (Dr 5001, Cr 1002)                    after the period
//!
//! Period 2025-03-01 to 2025-06-30: six entries in it. At 2025-06-30:
//! fund-a: 1001 500.00 (500 - 120.50 + 120.50), 1002 40,000.00, 1301 10,000.00,
//!         3001/source:fiscal -50,000.00, 3002/member:M1 -500.00, 5001 0.00;
//! fund-b: 1002 18,255.00 (8,000 + 10,000 + 300 - 45), 2101 -10,000.00,
//!         3004 -8,000.00, 4001 -300.00, 5001 45.00.
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::extract::*;
use common::federation::*;
use common::fund::*;
use common::program::*;
use common::*;
use huzhu::pb::{self, BookKind};

const A: &str = "fund-a";
const B: &str = "fund-b";

async fn ledger(server: &TestServer) {
    let mut c = server.client().await;
    create_book(&mut c, A, BookKind::Fund).await;
    create_book(&mut c, B, BookKind::Fund).await;
    open_sub(&mut c, A, "3001", "source:fiscal").await;
    open_sub(&mut c, A, "3002", "member:M1").await;
    let mut seed = entry(
        "seed",
        "2025-02-10",
        vec![
            debit(A, "1002", "50000.00"),
            posting(A, "3001", pb::Side::Credit, "50000.00"),
        ],
    );
    seed.postings[1].account = Some(account(A, "3001", "source:fiscal"));
    post(&mut c, seed).await;
    post(
        &mut c,
        transfer("donation", "2025-02-15", B, "1002", "3004", "8000.00"),
    )
    .await;
    let mut shares = transfer("shares", "2025-03-05", A, "1001", "3002", "500.00");
    shares.postings[1].account = Some(account(A, "3002", "member:M1"));
    post(&mut c, shares).await;
    let expense = post(
        &mut c,
        transfer("exp-a", "2025-03-20", A, "5001", "1001", "120.50"),
    )
    .await;
    post(
        &mut c,
        entry(
            "placement",
            "2025-04-02",
            vec![
                debit(A, "1301", "10000.00"),
                credit(A, "1002", "10000.00"),
                debit(B, "1002", "10000.00"),
                credit(B, "2101", "10000.00"),
            ],
        ),
    )
    .await;
    post(
        &mut c,
        transfer("fees-b", "2025-05-10", B, "1002", "4001", "300.00"),
    )
    .await;
    let mut odd = transfer("exp-b", "2025-05-11", B, "5001", "1002", "45.00");
    odd.memo = "stationery; ledgers, ink | pens".into();
    post(&mut c, odd).await;
    c.reverse_entry(pb::ReverseEntryRequest {
        request_id: "reverse-exp-a".into(),
        seq: expense.seq,
        value_date: "2025-05-12".into(),
        memo: "expense recorded in error".into(),
    })
    .await
    .unwrap();
    post(
        &mut c,
        transfer("late-b", "2025-08-01", B, "5001", "1002", "99.00"),
    )
    .await;
}

/// A regulator's token over every book: who extracts.
async fn regulator(server: &TestServer) -> String {
    server.issue(pb::Role::Regulator, "all").await
}

/// The actor a bearer token's records name: "<token id>/<role>".
fn actor_of(bearer: &str, role: &str) -> String {
    format!("{}/{role}", bearer.split_once('.').unwrap().0)
}

/// The lines of a bundle's journal.jsonl.
fn journal_lines(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("journal.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// (request_id, actor) of each row of a bundle's postings.csv.
fn posting_callers(dir: &Path) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(dir.join("postings.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (request_id, actor) = (at("request_id"), at("actor"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[request_id].to_string(), r[actor].to_string())
        })
        .collect()
}

fn extract(server: &TestServer, token: &str, dir: &Path, books: &[&str]) {
    let mut args = vec![
        "extract",
        "--quiet",
        "--beancount",
        "--from",
        "2025-03-01",
        "--to",
        "2025-06-30",
        "--out",
        dir.to_str().unwrap(),
    ];
    for b in books {
        args.extend(["--book", b]);
    }
    let (ok, out) = huzhu_as(server, token, &args);
    assert!(ok, "extract failed: {out}");
}

fn hledger(args: &[&str]) -> (bool, String) {
    let out = Command::new("hledger")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("hledger cannot be run ({e}); run ./scripts/test, which installs it")
        });
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// bean-check's verdict on a beancount journal (its balance assertions
/// included), run as a module of the python3 that ./scripts/test installs
/// beancount into.
fn bean_check(journal: &Path) -> (bool, String) {
    let out = Command::new("python3")
        .args(["-m", "beancount.scripts.check"])
        .arg(journal)
        .output()
        .unwrap_or_else(|e| panic!("python3 cannot be run ({e})"));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        !text.contains("No module named"),
        "beancount is not installed; run ./scripts/test, which installs it: {text}"
    );
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// hledger's balance of every account with a non-zero balance, in fen.
fn hledger_balances(journal: &Path) -> BTreeMap<String, i64> {
    let (ok, out) = hledger(&[
        "-f",
        journal.to_str().unwrap(),
        "balance",
        "--flat",
        "--no-total",
        "-O",
        "csv",
    ]);
    assert!(ok, "hledger balance failed: {out}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let amount = r[1].trim_end_matches(" CNY").replace(',', "");
            (r[0].to_string(), fen(&amount))
        })
        .collect()
}

/// Two account -> balance maps are equal; on failure, names the accounts that differ.
fn assert_same_balances(hledger: &BTreeMap<String, i64>, huzhu: &BTreeMap<String, i64>) {
    let differ: Vec<String> = hledger
        .keys()
        .chain(huzhu.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|a| hledger.get(*a) != huzhu.get(*a))
        .map(|a| {
            format!(
                "{a}: hledger {:?}, huzhu {:?}",
                hledger.get(a),
                huzhu.get(a)
            )
        })
        .collect();
    assert!(differ.is_empty(), "balances differ:\n{}", differ.join("\n"));
}

fn fen(text: &str) -> i64 {
    let d: rust_decimal::Decimal = text.parse().unwrap();
    i64::try_from((d * rust_decimal::Decimal::ONE_HUNDRED).trunc().mantissa()).unwrap()
}

/// Huzhu's trial balance at the period end, debit-positive in fen, non-zero only.
async fn huzhu_balances(server: &TestServer, books: &[&str]) -> BTreeMap<String, i64> {
    huzhu_balances_at(server, books, "2025-06-30").await
}

async fn huzhu_balances_at(
    server: &TestServer,
    books: &[&str],
    as_of: &str,
) -> BTreeMap<String, i64> {
    let mut c = server.client().await;
    let mut out = BTreeMap::new();
    for book in books {
        for line in trial_balance(&mut c, book, as_of).await.lines {
            let a = line.account.unwrap();
            let name = if a.sub.is_empty() {
                format!("{}:{}", a.book_id, a.code)
            } else {
                format!("{}:{}:{}", a.book_id, a.code, a.sub)
            };
            let balance = fen(&line.debit) - fen(&line.credit);
            if balance != 0 {
                out.insert(name, balance);
            }
        }
    }
    out
}

fn copy_bundle(from: &Path, to: &Path) -> PathBuf {
    std::fs::create_dir_all(to).unwrap();
    for f in std::fs::read_dir(from).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
    }
    to.to_path_buf()
}

#[tokio::test]
async fn a_period_extract_is_what_hledger_and_huzhu_both_say() {
    let server = TestServer::start();
    ledger(&server).await;
    let reader = regulator(&server).await;
    let tmp = tempfile::tempdir().unwrap();
    let all = tmp.path().join("all");
    extract(&server, &reader, &all, &[]);

    let m = manifest(&all);
    assert_eq!(m["entries"], 6, "six entries are dated in the period");
    assert_eq!(
        m["spec"]["head_seq"], 9,
        "the chain covers all nine entries"
    );
    let rows = |name: &str| {
        m["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap()["rows"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(rows("chain.csv"), 9);
    assert_eq!(rows("journal.jsonl"), 6);
    // 2 postings each, the placement 4: 5 x 2 + 4.
    assert_eq!(rows("postings.csv"), 14);
    // Each entry names its request id and the token that posted it (the
    // admin's), in the journal and on each of its postings.
    let admin = actor_of(&server.admin_token(), "admin");
    let lines = journal_lines(&all);
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["request_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "shares",
            "exp-a",
            "placement",
            "fees-b",
            "exp-b",
            "reverse-exp-a"
        ]
    );
    for l in &lines {
        assert_eq!(l["actor"], admin.as_str(), "{l}");
    }
    let callers = posting_callers(&all);
    assert_eq!(callers.len(), 14);
    for (request_id, actor) in &callers {
        assert!(ids.contains(&request_id.as_str()), "{request_id}");
        assert_eq!(actor, &admin, "{request_id}");
    }

    let journal = all.join("journal.hledger");
    let (ok, out) = hledger(&["-f", journal.to_str().unwrap(), "check"]);
    assert!(ok, "hledger check refused the journal: {out}");
    let expected: BTreeMap<String, i64> = [
        ("fund-a:1001", 50_000),
        ("fund-a:1002", 4_000_000),
        ("fund-a:1301", 1_000_000),
        ("fund-a:3001:source:fiscal", -5_000_000),
        ("fund-a:3002:member:M1", -50_000),
        ("fund-b:1002", 1_825_500),
        ("fund-b:2101", -1_000_000),
        ("fund-b:3004", -800_000),
        ("fund-b:4001", -30_000),
        ("fund-b:5001", 4_500),
    ]
    .into_iter()
    .map(|(a, f)| (a.to_string(), f))
    .collect();
    assert_eq!(hledger_balances(&journal), expected, "hledger's balances");
    assert_eq!(
        huzhu_balances(&server, &[A, B]).await,
        expected,
        "Huzhu's trial balance"
    );
    let (ok, out) = bean_check(&all.join("journal.beancount"));
    assert!(ok, "bean-check refused the journal: {out}");
    let beancount = std::fs::read_to_string(all.join("journal.beancount")).unwrap();
    assert!(
        beancount.contains("2025-07-01 balance Assets:Fund-b:1002  18255.000 CNY"),
        "{beancount}"
    );
    // A closing balance off by one fen is refused by bean-check.
    let off = all.join("off.beancount");
    std::fs::write(&off, beancount.replace("18255.000 CNY", "18255.010 CNY")).unwrap();
    assert!(
        !bean_check(&off).0,
        "bean-check must refuse a balance off by 0.01"
    );
    std::fs::remove_file(&off).unwrap();
    let (ok, out) = verify_extract(&all);
    assert!(ok, "verify-extract refused an untouched bundle: {out}");
    assert!(out.contains("ok: 6 entries and 9 chain links"), "{out}");

    let statements = std::fs::read_to_string(all.join("income_statement.csv")).unwrap();
    assert!(statements.contains("fund-b,income,4001,,Occupancy fee income,300.00"));
    assert!(statements.contains("fund-b,surplus,,,Income less expenses,255.00"));
    assert!(statements.contains("fund-a,surplus,,,Income less expenses,0.00"));
    let sheet = std::fs::read_to_string(all.join("balance_sheet.csv")).unwrap();
    assert!(sheet.contains("fund-b,total_assets,,,,18255.00"));
    assert!(sheet.contains("fund-b,total_liabilities_and_equity,,,,18255.00"));

    // One book: the placement shows only fund-b's side; hledger agrees again.
    let only_b = tmp.path().join("b");
    extract(&server, &reader, &only_b, &[B]);
    assert_eq!(manifest(&only_b)["entries"], 3);
    let journal = only_b.join("journal.hledger");
    let (ok, out) = hledger(&["-f", journal.to_str().unwrap(), "check"]);
    assert!(ok, "hledger check refused fund-b's journal: {out}");
    assert_eq!(
        hledger_balances(&journal),
        huzhu_balances(&server, &[B]).await
    );
    let (ok, out) = verify_extract(&only_b);
    assert!(ok, "{out}");
}

#[tokio::test]
async fn every_alteration_is_found_and_named() {
    let server = TestServer::start();
    ledger(&server).await;
    let reader = regulator(&server).await;
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("clean");
    extract(&server, &reader, &clean, &[]);

    // A derived file edited after the extract: its hash no longer matches.
    let dir = copy_bundle(&clean, &tmp.path().join("postings"));
    replace_in(&dir.join("postings.csv"), "120.50", "102.50");
    let (ok, out) = verify_extract(&dir);
    assert!(!ok);
    assert!(out.contains("postings.csv: SHA-256 is"), "{out}");

    // A forger who also re-seals the manifest is still caught: the postings
    // are re-derived from the journal.
    reseal(&dir, "postings.csv");
    let (ok, out) = verify_extract(&dir);
    assert!(!ok);
    assert!(out.contains("postings.csv: line 4 differs"), "{out}");

    // An entry's amount changed in journal.jsonl, manifest re-sealed: the
    // line no longer hashes to its link in the chain.
    let dir = copy_bundle(&clean, &tmp.path().join("journal"));
    replace_in(
        &dir.join("journal.jsonl"),
        "\"amount_fen\":30000",
        "\"amount_fen\":3000",
    );
    reseal(&dir, "journal.jsonl");
    let (ok, out) = verify_extract(&dir);
    assert!(!ok);
    assert!(
        out.contains("journal.jsonl line 4: entry 6 hashes to"),
        "{out}"
    );

    // A link removed from the chain.
    let dir = copy_bundle(&clean, &tmp.path().join("chain"));
    let chain = std::fs::read_to_string(dir.join("chain.csv")).unwrap();
    let without_5: String = chain
        .lines()
        .filter(|l| !l.starts_with("5,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("chain.csv"), without_5).unwrap();
    reseal(&dir, "chain.csv");
    let (ok, out) = verify_extract(&dir);
    assert!(!ok);
    assert!(
        out.contains("chain.csv: entry 6 comes where entry 5 should"),
        "{out}"
    );

    // A closing balance changed: it no longer follows from the postings.
    let dir = copy_bundle(&clean, &tmp.path().join("closing"));
    replace_in(&dir.join("closing_balances.csv"), "18255.00", "18355.00");
    reseal(&dir, "closing_balances.csv");
    let (ok, out) = verify_extract(&dir);
    assert!(!ok);
    assert!(
        out.contains("closing_balances.csv: fund-b:1002 closes at 18355.00"),
        "{out}"
    );

    // A file missing altogether.
    let dir = copy_bundle(&clean, &tmp.path().join("missing"));
    std::fs::remove_file(dir.join("journal.hledger")).unwrap();
    let (ok, out) = verify_extract(&dir);
    assert!(!ok);
    assert!(out.contains("journal.hledger: cannot be read"), "{out}");
}

#[tokio::test]
async fn an_entry_altered_in_the_store_breaks_the_extracted_chain() {
    let mut server = TestServer::start();
    ledger(&server).await;
    server.terminate().await;
    // Entry 6 (fees-b, 300.00) becomes 900.00 in the sled files (same length,
    // so the journal block still parses; only the chain can tell).
    {
        let db = huzhu::ledger::open_raw(server.data_dir()).unwrap();
        let mut changed = 0;
        for item in db.scan_prefix([b'E']) {
            let (k, v) = item.unwrap();
            let from = b"\"request_id\":\"fees-b\"";
            if v.windows(from.len()).any(|w| w == from) {
                // Byte by byte: the block's length prefixes are binary (a
                // lossy UTF-8 round trip would mangle any byte above 0x7f).
                let (was, now) = (b"\"amount_fen\":30000}", b"\"amount_fen\":90000}");
                let mut altered = v.to_vec();
                let mut replaced = 0;
                for at in 0..=altered.len() - was.len() {
                    if replaced < 2 && altered[at..].starts_with(was) {
                        altered[at..at + was.len()].copy_from_slice(now);
                        replaced += 1;
                    }
                }
                assert_ne!(replaced, 0);
                db.insert(k, altered).unwrap();
                changed += 1;
            }
        }
        assert_eq!(changed, 1);
        db.flush().unwrap();
    }
    server.wait_unlocked();
    server.restart();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("after");
    extract(&server, &regulator(&server).await, &dir, &[]);
    let (ok, out) = verify_extract(&dir);
    assert!(!ok, "a bundle of a tampered store must not verify: {out}");
    assert!(
        out.contains("entry 6 was altered or removed"),
        "the problem names the entry: {out}"
    );
}

/// The loan ledger in a bundle, by hand. Fund "fund-l": 100,000 seed in the
/// bank; M1 (low income) and M2 (registered poor) buy 100 of shares. Disbursed
/// 2025-03-01 at 7.2%: L1 (M1) 3,000 fee monthly, 3 months (18.00 a month);
/// L2 (M2) 1,200 equal principal, 3 months (407.20, 404.80, 402.40). Day-end
/// runs every day through 2025-05-15; L1 pays 18.00 on Apr 1 and nothing on
/// May 1; L2 pays on time. On 2025-05-15:
/// - L1: 3,000.00 outstanding; fee accrued 18.00 (March) + 30 x 0.60 (April)
///   + 14 x round(18 / 31) = 14 x 0.58 = 8.12, less 18.00 paid: 26.12; the
///   May 1 installment unpaid: 14 days past due, bucket 1-30;
/// - L2: 400.00 outstanding; fee 7.20 + 4.80 + 14 x round(2.40 / 31) =
///   14 x 0.08 = 1.12, less 12.00 paid: 1.12; current.
///
/// The fund's clerk (a FUND_CLERK token) takes the members, their shares and
/// the applications, runs the day-ends and takes the repayments; the admin
/// token creates the fund, approves and disburses. The period's entries are
/// the clerk's: the bundle names the clerk's token on each of them.
#[tokio::test]
async fn the_loan_ledger_at_the_period_end_adds_up_to_the_books() {
    use huzhu::pb::{PovertyStatus, RepaymentMethod, Till};
    const L: &str = "fund-l";
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let id = |s: &str| s.to_string();
    fund_with_capital(&mut f, L, None, &[Capital::fiscal("100000")], "2025-02-20").await;
    let clerk_token = server
        .issue(pb::Role::FundClerk, &format!("fund:{L}"))
        .await;
    let mut clerk = FundClient::new(server.channel_as(&clerk_token).await);
    for (m, status, loan, principal, method) in [
        (
            "M1",
            PovertyStatus::LowIncome,
            "L1",
            "3000",
            RepaymentMethod::FeeMonthly,
        ),
        (
            "M2",
            PovertyStatus::RegisteredPoor,
            "L2",
            "1200",
            RepaymentMethod::EqualPrincipal,
        ),
    ] {
        member_with_shares(&mut clerk, L, m, status, "100", "2025-02-20").await;
        let terms = LoanTerms {
            method,
            ..LoanTerms::new(L, loan, m, principal)
        };
        apply_loan(&mut clerk, &terms).await;
        approve_loan(&mut f, &terms).await;
        disburse_loan(&mut f, &terms).await;
    }
    let start = chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    for date in start
        .iter_days()
        .take_while(|d| *d <= chrono::NaiveDate::from_ymd_opt(2025, 5, 15).unwrap())
    {
        let date = date.to_string();
        clerk
            .run_day_end(pb::RunDayEndRequest {
                request_id: format!("dayend-{date}"),
                fund_id: id(L),
                date: date.clone(),
            })
            .await
            .unwrap();
        for (loan, amount) in match date.as_str() {
            "2025-04-01" => vec![("L1", "18.00"), ("L2", "407.20")],
            "2025-05-01" => vec![("L2", "404.80")],
            _ => vec![],
        } {
            clerk
                .repay_loan(pb::RepayLoanRequest {
                    request_id: format!("repay-{loan}-{date}"),
                    fund_id: id(L),
                    loan_id: id(loan),
                    amount: id(amount),
                    till: Till::Cash as i32,
                    date: date.clone(),
                })
                .await
                .unwrap();
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("loans");
    let reader = regulator(&server).await;
    let (ok, out) = huzhu_as(
        &server,
        &reader,
        &[
            "extract",
            "--quiet",
            "--from",
            "2025-05-01",
            "--to",
            "2025-05-15",
            "--out",
            dir.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");
    // Each of the period's entries names the clerk's token and role, and its
    // request id: an operation's entries are "<its request id>#<n>", and the
    // operations are the day-ends of May 1 to 15 and L2's repayment of May 1.
    let clerk_actor = actor_of(&clerk_token, "fund_clerk");
    let mut operations: Vec<String> = (1..=15).map(|d| format!("dayend-2025-05-{d:02}")).collect();
    operations.push("repay-L2-2025-05-01".into());
    let operation = |request_id: &str| {
        let (op, n) = request_id
            .rsplit_once('#')
            .unwrap_or_else(|| panic!("{request_id} is an operation's entry"));
        assert!(n.parse::<u32>().is_ok_and(|n| n >= 1), "{request_id}");
        op.to_string()
    };
    let entries = journal_lines(&dir);
    let mut seen: Vec<String> = entries
        .iter()
        .map(|e| operation(e["request_id"].as_str().unwrap()))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, operations);
    let repayment = entries
        .iter()
        .find(|e| e["request_id"] == "repay-L2-2025-05-01#1")
        .expect("the repayment's entry");
    assert_eq!(repayment["actor"], clerk_actor.as_str(), "{repayment}");
    for e in &entries {
        assert_eq!(e["actor"], clerk_actor.as_str(), "{e}");
    }
    let callers = posting_callers(&dir);
    assert!(
        callers
            .iter()
            .any(|(request_id, actor)| request_id == "repay-L2-2025-05-01#1"
                && actor == &clerk_actor),
        "the repayment's postings: {callers:?}"
    );
    for (request_id, actor) in &callers {
        assert!(operations.contains(&operation(request_id)), "{request_id}");
        assert_eq!(actor, &clerk_actor, "{request_id}");
    }
    let loans = std::fs::read_to_string(dir.join("loans.csv")).unwrap();
    let lines: Vec<&str> = loans.lines().collect();
    assert_eq!(
        lines,
        [
            "fund_id,loan_id,member_id,member_status,status,principal,disbursed_on,maturity,outstanding_principal,fee_receivable,days_past_due,bucket,restructured",
            "fund-l,L1,M1,low_income,disbursed,3000.00,2025-03-01,2025-06-01,3000.00,26.12,14,1-30,false",
            "fund-l,L2,M2,registered_poor,disbursed,1200.00,2025-03-01,2025-06-01,400.00,1.12,0,current,false",
        ]
    );
    let (ok, out) = verify_extract(&dir);
    assert!(ok, "{out}");
    let journal = dir.join("journal.hledger");
    let (ok, out) = hledger(&["-f", journal.to_str().unwrap(), "check"]);
    assert!(ok, "{out}");

    // A loan's outstanding changed and the manifest re-sealed: the ledger no
    // longer adds up to 1201.
    replace_in(&dir.join("loans.csv"), ",400.00,", ",300.00,");
    reseal(&dir, "loans.csv");
    let (ok, out) = verify_extract(&dir);
    assert!(!ok);
    assert!(
        out.contains("loans.csv: the loans of fund-l add up to 3300.00 on 1201, but closing_balances.csv says 3400.00"),
        "{out}"
    );
}

/// The Zhuyang demo (a federation, ten funds, 905 households, 211 loans)
/// extracted by federation over its whole span (loans from February 2025 to
/// July 2026): hledger accepts the journal with every balance assertion,
/// hledger's balance of every account equals Huzhu's trial balance at the
/// period end, the supervision file has a line per member fund,
/// the loan ledger adds up to the books, and the bundle verifies. The
/// extract is made by a regulator of the federation; a regulator of another
/// federation is refused and writes nothing.
#[tokio::test]
async fn a_demo_sized_extract_agrees_with_hledger_account_by_account() {
    let server = TestServer::start();
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args(["demo", "--server", &server.addr])
        .envs(server.cli_env())
        .env_remove("HUZHU_TOKEN")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tmp = tempfile::tempdir().unwrap();
    let extract_to = |dir: &Path| {
        [
            "extract",
            "--quiet",
            "--beancount",
            "--federation",
            "fed-zhuyang",
            "--from",
            "2025-01-01",
            "--to",
            "2026-10-31",
            "--out",
        ]
        .into_iter()
        .map(String::from)
        .chain([dir.to_str().unwrap().to_string()])
        .collect::<Vec<String>>()
    };

    // A regulator of another federation may not read this one: refused, and
    // no bundle written.
    create_federation(&mut server.federation_client().await, "fed-other").await;
    let outsider = server
        .issue(pb::Role::Regulator, "federation:fed-other")
        .await;
    let refused = tmp.path().join("refused");
    let (ok, out) = huzhu_as(&server, &outsider, &extract_to(&refused));
    assert!(!ok, "a regulator of fed-other extracted fed-zhuyang: {out}");
    assert!(out.contains("PermissionDenied"), "{out}");
    assert!(
        !refused.exists(),
        "a refused extract left {} behind",
        refused.display()
    );

    let dir = tmp.path().join("zhuyang");
    let reader = server
        .issue(pb::Role::Regulator, "federation:fed-zhuyang")
        .await;
    let (ok, out) = huzhu_as(&server, &reader, &extract_to(&dir));
    assert!(ok, "{out}");
    let m = manifest(&dir);
    let books: Vec<String> = m["spec"]["books"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        books.len(),
        11,
        "the federation and its ten funds: {books:?}"
    );
    assert!(m["entries"].as_u64().unwrap() > 1000, "{}", m["entries"]);

    let journal = dir.join("journal.hledger");
    let (ok, out) = hledger(&["-f", journal.to_str().unwrap(), "check"]);
    assert!(ok, "hledger check refused the demo's journal: {out}");
    let book_refs: Vec<&str> = books.iter().map(String::as_str).collect();
    let ours = huzhu_balances_at(&server, &book_refs, "2026-10-31").await;
    assert!(
        ours.len() > 905,
        "a share account for each of the 905 households, open loans and more: {}",
        ours.len()
    );
    assert_same_balances(&hledger_balances(&journal), &ours);
    let (ok, out) = bean_check(&dir.join("journal.beancount"));
    assert!(ok, "bean-check refused the demo's journal: {out}");

    let supervision = std::fs::read_to_string(dir.join("supervision.csv")).unwrap();
    assert_eq!(supervision.lines().count(), 1 + 10, "{supervision}");
    assert!(supervision
        .lines()
        .skip(1)
        .all(|l| l.starts_with("fed-zhuyang,fund-")));
    let loans = std::fs::read_to_string(dir.join("loans.csv")).unwrap();
    assert_eq!(loans.lines().count(), 1 + 211, "every demo loan");
    let (ok, out) = verify_extract(&dir);
    assert!(ok, "{out}");
}

/// A program's leverage and subsidy claims in a bundle, by hand. Program
/// "county-x", 1:7: 1,000,000 deposited on 2025-01-02; the bank registers
/// B1, 40,000 at 4.35% (interest monthly, principal at maturity, 12 months)
/// on 2025-01-10, used by a tea cooperative (户贷企用), and reports the
/// interest of Feb 10 and Mar 10; and B2, 10,000 bullet, the household's
/// own. At March 31: fund balance 1,000,000.00, exposure 50,000.00,
/// capacity 7,000,000.00, headroom 6,950,000.00; businesses use 40,000.00 of
/// it, 40,000 / 50,000 = 0.8. A fixed 3% scheme settled quarterly: Q1 from
/// January 10 is 82 days under months and days (two whole months to March
/// 10, then 22 days), all current: 40,000 x 0.03 x 82 / 360 = 273.333... =
/// 273.33, claimed by the county and approved by the finance bureau on
/// April 5 (the claim is in the bundle by its period).
#[tokio::test]
async fn leverage_and_subsidy_claims_are_in_the_bundle_and_agree_with_the_books() {
    use huzhu::pb::subsidy_service_client::SubsidyServiceClient;
    use huzhu::pb::token_service_client::TokenServiceClient;
    use huzhu::pb::RepaymentMethod;
    const P: &str = "county-x";
    let server = TestServer::start();
    let mut p = server.program_client().await;
    let mut s = SubsidyServiceClient::new(server.channel().await);
    program_with_deposit(&mut p, P, 7, "1000000").await;
    let b1 = pb::RegisterGuaranteedLoanRequest {
        method: RepaymentMethod::FeeMonthly as i32,
        purpose: pb::PurposeCategory::Processing as i32,
        business: "Sanhe tea cooperative".into(),
        ..register_request(P, "B1", "40000", "2025-01-10")
    };
    register(&mut p, b1).await;
    register(&mut p, register_request(P, "B2", "10000", "2025-01-10")).await;
    for date in ["2025-02-10", "2025-03-10"] {
        let interest = repayment_request(P, "B1", "", "145.00", date);
        report_repayment(&mut p, interest).await;
    }
    s.create_subsidy_scheme(pb::CreateSubsidySchemeRequest {
        request_id: "scheme".into(),
        program_id: P.into(),
        scheme_id: "fixed-3".into(),
        kind: pb::SubsidyKind::Fixed as i32,
        rate_annual: "0.03".into(),
        settlement: pb::Settlement::Quarterly as i32,
        payee: pb::Payee::Bank as i32,
        ..Default::default()
    })
    .await
    .unwrap();
    s.link_subsidy_loan(pb::LinkSubsidyLoanRequest {
        request_id: "link".into(),
        program_id: P.into(),
        scheme_id: "fixed-3".into(),
        loan_id: "B1".into(),
        fund_id: String::new(),
    })
    .await
    .unwrap();
    let step = |id: &str| pb::SubsidyPeriodRequest {
        request_id: id.into(),
        program_id: P.into(),
        scheme_id: "fixed-3".into(),
        period: "2025-Q1".into(),
        date: String::new(),
    };
    // The county (the admin token) accrues and claims; the finance bureau
    // (another admin token) approves.
    s.accrue_subsidy(step("accrue")).await.unwrap();
    s.claim_subsidy(step("claim")).await.unwrap();
    let mut approve = step("approve");
    approve.date = "2025-04-05".into();
    SubsidyServiceClient::new(server.checker().await)
        .approve_subsidy(approve)
        .await
        .unwrap();
    let county = actor_of(&server.admin_token(), "admin");
    let bureau = TokenServiceClient::new(server.checker().await)
        .who_am_i(pb::WhoAmIRequest {})
        .await
        .unwrap()
        .into_inner()
        .token
        .unwrap()
        .actor;

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("program");
    let reader = regulator(&server).await;
    let (ok, out) = huzhu_as(
        &server,
        &reader,
        &[
            "extract",
            "--quiet",
            "--book",
            P,
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--out",
            dir.to_str().unwrap(),
        ],
    );
    assert!(ok, "{out}");
    let mut leverage = csv::Reader::from_path(dir.join("leverage.csv")).unwrap();
    let headers = leverage.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = leverage.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let col = |name: &str| {
        let at = headers.iter().position(|h| h == name).unwrap();
        rows[0][at].to_string()
    };
    assert_eq!(col("program_id"), P);
    assert_eq!(col("fund_balance"), "1000000.00");
    assert_eq!(col("leverage_ratio"), "7");
    assert_eq!(col("exposure"), "50000.00");
    assert_eq!(col("capacity"), "7000000.00");
    assert_eq!(col("headroom"), "6950000.00");
    assert_eq!(col("business_exposure"), "40000.00");
    assert_eq!(col("business_share"), "0.8");
    let claims = std::fs::read_to_string(dir.join("subsidy_claims.csv")).unwrap();
    let claim: Vec<&str> = claims.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(
        claim[..7],
        [P, "fixed-3", "2025-Q1", "approved", &county, &bureau, "bank:B1"]
    );
    assert_eq!(claim[11], "273.33", "{claims}");
    let journal = dir.join("journal.hledger");
    let (ok, out) = hledger(&["-f", journal.to_str().unwrap(), "check"]);
    assert!(ok, "{out}");
    let (ok, out) = verify_extract(&dir);
    assert!(ok, "{out}");

    // A business share re-sealed into the file is not business exposure /
    // exposure.
    let path = dir.join("leverage.csv");
    let sound = std::fs::read_to_string(&path).unwrap();
    replace_in(&path, ",40000.00,0.8", ",40000.00,0.9");
    reseal(&dir, "leverage.csv");
    let (ok, out) = verify_extract(&dir);
    assert!(!ok);
    assert!(
        out.contains(
            r#"leverage.csv: business_share of county-x is "0.9", but 40000.00 / 50000.00 is "0.8""#
        ),
        "{out}"
    );
    // Exposure re-sealed into the file no longer agrees with 7001.
    std::fs::write(&path, sound).unwrap();
    replace_in(&path, ",50000.00,", ",30000.00,");
    reseal(&dir, "leverage.csv");
    let (ok, out) = verify_extract(&dir);
    assert!(!ok);
    assert!(
        out.contains("leverage.csv: exposure of county-x is 30000.00, but 7001 in closing_balances.csv is 50000.00"),
        "{out}"
    );
}
