//! Test harness: the real `huzhu serve` binary on 127.0.0.1 with an ephemeral
//! port and a temporary data directory, and real gRPC clients that call with
//! the admin token the server wrote on its first start (or another token);
//! and the set-up the tests share: funds, members and loans (`fund`),
//! programs and guaranteed loans (`program`), subsidy schemes (`subsidy`),
//! federations (`federation`); the web client over HTTP and in a real
//! browser (`web`).
#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod collection;
pub mod extract;
pub mod federation;
pub mod fund;
pub mod program;
pub mod subsidy;
pub mod web;
pub mod yearend;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use huzhu::auth::client::AuthChannel as Channel;
use huzhu::auth::client::Target;
use huzhu::pb::{
    self, fund_service_client::FundServiceClient, ledger_service_client::LedgerServiceClient,
    token_service_client::TokenServiceClient,
};
use tonic_types::StatusExt;

pub type Client = LedgerServiceClient<Channel>;
pub type FundClient = FundServiceClient<Channel>;

pub struct TestServer {
    child: Option<Child>,
    pub addr: String,
    /// The web client's address, `http://127.0.0.1:<port>` (empty under TLS).
    pub web: String,
    pub data_dir: PathBuf,
    /// Extra `serve` arguments (rate limit, TLS...).
    args: Vec<String>,
    log: PathBuf,
    /// A second admin token, for the checker's side of maker-checker.
    checker: parking_lot::Mutex<Option<String>>,
    _tmp: tempfile::TempDir,
}

impl TestServer {
    /// A server without a rate limit (tests call fast), on a new store.
    pub fn start() -> Self {
        Self::start_with(&["--rate-limit", "0"])
    }

    /// A server started with these extra `serve` arguments.
    pub fn start_with(args: &[&str]) -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let data_dir = tmp.path().join("data");
        let log = tmp.path().join("server.log");
        let mut s = Self {
            child: None,
            addr: String::new(),
            web: String::new(),
            data_dir,
            args: args.iter().map(|a| a.to_string()).collect(),
            log,
            checker: parking_lot::Mutex::new(None),
            _tmp: tmp,
        };
        s.spawn();
        s
    }

    /// The admin token `serve` wrote into the data directory.
    pub fn admin_token(&self) -> String {
        std::fs::read_to_string(self.admin_token_file())
            .expect("the admin token file")
            .trim()
            .to_string()
    }

    pub fn admin_token_file(&self) -> PathBuf {
        self.data_dir.join(huzhu::auth::ADMIN_TOKEN_FILE)
    }

    /// Loads the Zhuyang demo (`huzhu demo --server`) as admin.
    pub fn load_demo(&self) {
        let demo = Command::new(env!("CARGO_BIN_EXE_huzhu"))
            .args(["demo", "--server", &self.addr])
            .envs(self.cli_env())
            .output()
            .unwrap();
        assert!(
            demo.status.success(),
            "{}",
            String::from_utf8_lossy(&demo.stderr)
        );
    }

    /// What a thin-client command needs to reach this server as admin, in
    /// English whatever this machine's locale (a test of Chinese says so).
    pub fn cli_env(&self) -> [(&'static str, String); 3] {
        [
            ("HUZHU_LANG", "en".into()),
            ("HUZHU_SERVER", self.addr.clone()),
            (
                "HUZHU_TOKEN_FILE",
                self.admin_token_file().display().to_string(),
            ),
        ]
    }

    fn spawn(&mut self) {
        let addr_file = self._tmp.path().join("addr");
        let web_addr_file = self._tmp.path().join("web-addr");
        let _ = std::fs::remove_file(&addr_file);
        let _ = std::fs::remove_file(&web_addr_file);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_huzhu"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--cache-mb",
                "64",
                "--data-dir",
            ])
            .arg(&self.data_dir)
            .arg("--addr-file")
            .arg(&addr_file)
            .args(["--web-listen", "127.0.0.1:0", "--web-addr-file"])
            .arg(&web_addr_file)
            .args(&self.args)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start huzhu serve");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(a) = std::fs::read_to_string(&addr_file) {
                // Written before the gRPC address; none under TLS.
                self.web = std::fs::read_to_string(&web_addr_file)
                    .map(|web| format!("http://{web}"))
                    .unwrap_or_default();
                let tls = self.args.iter().any(|a| a == "--tls-cert");
                self.addr = if tls {
                    format!("https://localhost:{}", a.rsplit(':').next().unwrap())
                } else {
                    format!("http://{a}")
                };
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!(
                    "server exited with {status} before listening:\n{}",
                    self.logs()
                );
            }
            assert!(
                Instant::now() < deadline,
                "server did not start:\n{}",
                self.logs()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A channel that calls as admin.
    pub async fn channel(&self) -> Channel {
        self.channel_as(&self.admin_token()).await
    }

    /// A channel that calls with `token`.
    pub async fn channel_as(&self, token: &str) -> Channel {
        Target::plain(self.addr.clone())
            .connect(token)
            .await
            .expect("connect to the test server")
    }

    pub async fn client(&self) -> Client {
        LedgerServiceClient::new(self.channel().await)
    }

    pub async fn fund_client(&self) -> FundClient {
        FundServiceClient::new(self.channel().await)
    }

    /// Issues a token as admin; answers the bearer token.
    pub async fn issue(&self, role: pb::Role, scope: &str) -> String {
        let mut t = TokenServiceClient::new(self.channel().await);
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        t.issue_token(pb::IssueTokenRequest {
            request_id: format!("test-token-{n}"),
            role: role as i32,
            scope: scope.into(),
            label: format!("test {} {scope}", role.as_str_name()),
        })
        .await
        .expect("issue a token")
        .into_inner()
        .bearer
    }

    /// A channel as a second admin: the checker of maker-checker (approving
    /// what the first admin token asked for). The same token every call.
    pub async fn checker(&self) -> Channel {
        let known = self.checker.lock().clone();
        let token = match known {
            Some(t) => t,
            None => {
                let t = self.issue(pb::Role::Admin, "all").await;
                self.checker.lock().get_or_insert(t).clone()
            }
        };
        self.channel_as(&token).await
    }

    pub async fn checker_fund_client(&self) -> FundClient {
        FundServiceClient::new(self.checker().await)
    }

    /// SIGKILL: the process dies at once, mid-write if it is writing.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM and wait: the graceful path; asserts a clean exit. Async, so
    /// that the test's runtime goes on running (and closing dropped clients).
    pub async fn terminate(&mut self) {
        if let Some(mut c) = self.child.take() {
            // SAFETY: sending a signal to our own child process.
            unsafe { libc::kill(c.id() as i32, libc::SIGTERM) };
            let status = loop {
                if let Some(status) = c.try_wait().expect("wait for the server") {
                    break status;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            };
            assert!(
                status.success(),
                "server exited with {status}:\n{}",
                self.logs()
            );
        }
    }

    pub fn restart(&mut self) {
        self.spawn();
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Waits until no process or handle holds the store's lock. A `sled::Db`
    /// opened by a test releases its lock from a background thread after it
    /// is dropped, so a restart right after may find the store still locked.
    pub fn wait_unlocked(&self) {
        use std::os::fd::AsRawFd;
        let file = std::fs::File::open(self.data_dir.join("db")).expect("the store's db file");
        for _ in 0..500 {
            // SAFETY: flock on a file descriptor we own; released at once.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_UN) };
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the store is still locked after 5 s");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn account(book: &str, code: &str, sub: &str) -> pb::AccountRef {
    pb::AccountRef {
        book_id: book.into(),
        code: code.into(),
        sub: sub.into(),
    }
}

pub fn debit(book: &str, code: &str, amount: &str) -> pb::Posting {
    posting(book, code, pb::Side::Debit, amount)
}

pub fn credit(book: &str, code: &str, amount: &str) -> pb::Posting {
    posting(book, code, pb::Side::Credit, amount)
}

/// `code` may carry a sub-account: "3002/member:M01".
pub fn posting(book: &str, code: &str, side: pb::Side, amount: &str) -> pb::Posting {
    let (code, sub) = code.split_once('/').unwrap_or((code, ""));
    pb::Posting {
        account: Some(account(book, code, sub)),
        side: side as i32,
        amount: amount.into(),
    }
}

pub fn entry(request_id: &str, date: &str, postings: Vec<pb::Posting>) -> pb::PostEntryRequest {
    pb::PostEntryRequest {
        request_id: request_id.into(),
        value_date: date.into(),
        memo: format!("test {request_id}"),
        postings,
    }
}

/// An entry of one debit and one credit of the same amount in one book.
pub fn transfer(
    request_id: &str,
    date: &str,
    book: &str,
    debit_code: &str,
    credit_code: &str,
    amount: &str,
) -> pb::PostEntryRequest {
    entry(
        request_id,
        date,
        vec![
            debit(book, debit_code, amount),
            credit(book, credit_code, amount),
        ],
    )
}

pub async fn create_book(c: &mut Client, book: &str, kind: pb::BookKind) -> pb::CreateBookResponse {
    c.create_book(pb::CreateBookRequest {
        request_id: format!("create-{book}"),
        book_id: book.into(),
        kind: kind as i32,
        name: format!("Book {book}"),
    })
    .await
    .expect("create book")
    .into_inner()
}

pub async fn open_sub(c: &mut Client, book: &str, code: &str, sub: &str) {
    c.open_account(pb::OpenAccountRequest {
        request_id: format!("open-{book}-{code}-{sub}"),
        account: Some(account(book, code, sub)),
        name: String::new(),
        non_negative: false,
    })
    .await
    .expect("open account");
}

pub async fn post(c: &mut Client, e: pb::PostEntryRequest) -> pb::Entry {
    c.post_entry(e)
        .await
        .expect("post entry")
        .into_inner()
        .entry
        .unwrap()
}

/// Current balance of BOOK/CODE[/SUB] on its normal side.
pub async fn balance(c: &mut Client, book: &str, code: &str) -> String {
    balance_as_of(c, book, code, "").await
}

pub async fn balance_as_of(c: &mut Client, book: &str, code: &str, as_of: &str) -> String {
    let (code, sub) = code.split_once('/').unwrap_or((code, ""));
    read_balance(c, account(book, code, sub), as_of, false).await
}

/// Current balance of BOOK/CODE with all its sub-accounts.
pub async fn balance_under(c: &mut Client, book: &str, code: &str) -> String {
    read_balance(c, account(book, code, ""), "", true).await
}

async fn read_balance(c: &mut Client, a: pb::AccountRef, as_of: &str, subs: bool) -> String {
    c.get_balance(pb::GetBalanceRequest {
        account: Some(a),
        as_of: as_of.into(),
        include_sub_accounts: subs,
    })
    .await
    .expect("get balance")
    .into_inner()
    .balance
}

pub async fn trial_balance(c: &mut Client, book: &str, as_of: &str) -> pb::GetTrialBalanceResponse {
    c.get_trial_balance(pb::GetTrialBalanceRequest {
        book_id: book.into(),
        as_of: as_of.into(),
    })
    .await
    .expect("trial balance")
    .into_inner()
}

/// Everything a user can see of a book now: head, balances, closed period.
pub async fn snapshot(c: &mut Client, book: &str) -> (u64, Vec<pb::TrialBalanceLine>, String) {
    let tb = trial_balance(c, book, "").await;
    let closed = c
        .get_book(pb::GetBookRequest {
            book_id: book.into(),
        })
        .await
        .expect("get book")
        .into_inner()
        .book
        .unwrap()
        .closed_through;
    (tb.head_seq, tb.lines, closed)
}

/// The answer to a set-up call, or a panic that names the step that failed
/// (at the caller's line) and the server's refusal.
#[track_caller]
pub fn ok<T>(r: Result<tonic::Response<T>, tonic::Status>, what: impl std::fmt::Display) -> T {
    match r {
        Ok(answer) => answer.into_inner(),
        Err(e) => panic!("setting up {what}: {:?} {}", e.code(), e.message()),
    }
}

/// The field a refusal names (BadRequest detail).
pub fn bad_field(s: &tonic::Status) -> Option<String> {
    s.get_details_bad_request()
        .and_then(|b| b.field_violations.first().map(|v| v.field.clone()))
}

/// The rule a refusal names (PreconditionFailure detail).
pub fn broken_rule(s: &tonic::Status) -> Option<String> {
    s.get_details_precondition_failure()
        .and_then(|p| p.violations.first().map(|v| v.r#type.clone()))
}
