//! Authentication through the real server (issue 7): the admin token the
//! first start writes, every way a call without a valid token is refused,
//! tokens issued, listed and revoked with `huzhu token`, maker-checker between
//! real tokens, the per-token rate limit and the request size limit. Every
//! refusal is also checked to change nothing.
mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use common::fund::*;
use common::*;
use huzhu::pb::{
    self, extract_service_client::ExtractServiceClient, fund_service_client::FundServiceClient,
    ledger_service_client::LedgerServiceClient, token_service_client::TokenServiceClient,
    PovertyStatus, RepaymentMethod, Till,
};
use tonic::metadata::{Ascii, MetadataValue};
use tonic::{Code, Request, Status};
use tonic_types::StatusExt;

/// Whether `s` is a bearer token: `tk-<12 hex>.<64 hex>`.
fn is_bearer(s: &str) -> bool {
    let hex = |t: &str| {
        t.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    s.len() == 80 && s.starts_with("tk-") && hex(&s[3..15]) && &s[15..16] == "." && hex(&s[16..])
}

/// Every bearer token written anywhere in `text`.
fn bearers_in(text: &str) -> Vec<String> {
    text.match_indices("tk-")
        .filter_map(|(i, _)| text.get(i..i + 80))
        .filter(|t| is_bearer(t))
        .map(str::to_string)
        .collect()
}

/// The token id of a bearer token.
fn id_of(bearer: &str) -> String {
    bearer
        .split_once('.')
        .expect("a bearer token")
        .0
        .to_string()
}

async fn tokens(s: &TestServer, token: &str) -> TokenServiceClient<Channel> {
    TokenServiceClient::new(s.channel_as(token).await)
}

async fn whoami(s: &TestServer, token: &str) -> Result<pb::Token, Status> {
    Ok(tokens(s, token)
        .await
        .who_am_i(pb::WhoAmIRequest {})
        .await?
        .into_inner()
        .token
        .expect("a token"))
}

async fn list_tokens(s: &TestServer) -> Vec<pb::Token> {
    tokens(s, &s.admin_token())
        .await
        .list_tokens(pb::ListTokensRequest {})
        .await
        .expect("list tokens")
        .into_inner()
        .tokens
}

async fn revoke(s: &TestServer, id: &str) -> Result<pb::Token, Status> {
    Ok(tokens(s, &s.admin_token())
        .await
        .revoke_token(pb::RevokeTokenRequest {
            request_id: format!("revoke-{id}"),
            token_id: id.into(),
        })
        .await?
        .into_inner()
        .token
        .expect("a token"))
}

/// The chain head, read as admin.
async fn head(s: &TestServer) -> pb::ChainHead {
    ExtractServiceClient::new(s.channel().await)
        .get_chain_head(pb::GetChainHeadRequest {})
        .await
        .expect("chain head")
        .into_inner()
}

/// A channel without the token interceptor.
async fn raw_channel(s: &TestServer) -> tonic::transport::Channel {
    tonic::transport::Channel::from_shared(s.addr.clone())
        .unwrap()
        .connect()
        .await
        .expect("connect")
}

/// CreateBook sent with this `authorization` metadata (none when `None`).
async fn create_book_with(
    s: &TestServer,
    authorization: Option<&str>,
    book: &str,
) -> Result<pb::CreateBookResponse, Status> {
    let value: Option<MetadataValue<Ascii>> = authorization.map(|a| a.parse().unwrap());
    let mut c =
        LedgerServiceClient::with_interceptor(raw_channel(s).await, move |mut r: Request<()>| {
            if let Some(v) = &value {
                r.metadata_mut().insert("authorization", v.clone());
            }
            Ok(r)
        });
    c.create_book(pb::CreateBookRequest {
        request_id: format!("create-{book}"),
        book_id: book.into(),
        kind: pb::BookKind::Fund as i32,
        name: format!("Book {book}"),
    })
    .await
    .map(|r| r.into_inner())
}

async fn get_book(c: &mut Client, book: &str) -> Result<pb::GetBookResponse, Status> {
    c.get_book(pb::GetBookRequest {
        book_id: book.into(),
    })
    .await
    .map(|r| r.into_inner())
}

/// Every file of the data directory but the admin token file, as bytes.
fn store_files(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            store_files(&path, out);
        } else if path.file_name() != Some(huzhu::auth::ADMIN_TOKEN_FILE.as_ref()) {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
}

#[tokio::test]
async fn the_first_start_writes_an_admin_token_that_a_restart_keeps() {
    let mut s = TestServer::start();
    let file = s.admin_token_file();
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "admin.token is readable by its owner only");
    let text = std::fs::read_to_string(&file).unwrap();
    let bearer = text.trim().to_string();
    assert!(
        is_bearer(&bearer),
        "admin.token holds a bearer token: {text:?}"
    );
    let id = id_of(&bearer);
    let secret = bearer[16..].to_string();

    let me = whoami(&s, &bearer).await.unwrap();
    assert_eq!(
        (me.token_id.as_str(), me.role, me.scope.as_str()),
        (id.as_str(), pb::Role::Admin as i32, "all")
    );
    assert_eq!(me.actor, format!("{id}/admin"));
    assert!(me.revoked_at.is_empty());

    let logs = s.logs();
    assert!(
        logs.contains(&file.display().to_string()),
        "the log says where the admin token is:\n{logs}"
    );
    assert!(!logs.contains(&secret), "the log shows the secret:\n{logs}");

    s.terminate().await;
    // The store keeps the secret's hash only: a copy of it cannot call.
    let mut files = Vec::new();
    store_files(&s.data_dir, &mut files);
    assert!(!files.is_empty());
    for (path, bytes) in &files {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{path} holds the secret"
        );
    }

    s.restart();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "a restart does not write another admin token"
    );
    assert_eq!(whoami(&s, &bearer).await.unwrap().token_id, id);
    let all = list_tokens(&s).await;
    assert_eq!(
        all.iter().map(|t| t.token_id.as_str()).collect::<Vec<_>>(),
        [id.as_str()],
        "one token after two starts"
    );
    let logs = s.logs();
    assert!(!logs.contains(&secret), "the log shows the secret:\n{logs}");
}

#[tokio::test]
async fn calls_without_a_valid_token_are_refused_and_change_nothing() {
    let s = TestServer::start();
    let admin = s.admin_token();
    let admin_id = id_of(&admin);
    let mut c = s.client().await;
    create_book(&mut c, "fund-a", pb::BookKind::Fund).await;
    post(
        &mut c,
        transfer("gift", "2025-03-01", "fund-a", "1002", "3004", "500.00"),
    )
    .await;

    let revoked = s.issue(pb::Role::Admin, "all").await;
    revoke(&s, &id_of(&revoked)).await.unwrap();
    let before = (head(&s).await, snapshot(&mut c, "fund-a").await);
    let tokens_before = list_tokens(&s).await;

    let zeros = "0".repeat(64);
    let cases = [
        (None, "no token"),
        (Some("Bearer garbage".to_string()), "malformed token"),
        (Some(format!("Basic {admin}")), "must be `Bearer <token>`"),
        (
            Some(format!("Bearer tk-000000000000.{zeros}")),
            "unknown token tk-000000000000",
        ),
        (
            Some(format!("Bearer {admin_id}.{zeros}")),
            &format!("unknown token {admin_id} (or wrong secret)"),
        ),
        (
            Some(format!("Bearer {revoked}")),
            &format!("token {} was revoked", id_of(&revoked)),
        ),
    ];
    for (i, (header, says)) in cases.iter().enumerate() {
        let book = format!("intruder-{i}");
        let err = create_book_with(&s, header.as_deref(), &book)
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::Unauthenticated, "{header:?}: {err:?}");
        assert!(
            err.message().contains(says),
            "{header:?}: {:?} does not say {says:?}",
            err.message()
        );
        assert_eq!(
            get_book(&mut c, &book).await.unwrap_err().code(),
            Code::NotFound,
            "{header:?} created a book"
        );
    }
    // A fund operation too, and a raw posting, with the revoked token.
    let mut f = FundServiceClient::new(s.channel_as(&revoked).await);
    let err = f
        .create_fund(pb::CreateFundRequest {
            request_id: "fund-by-revoked".into(),
            fund_id: "fund-b".into(),
            name: "B".into(),
            rules: None,
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated, "{err:?}");
    let mut by_revoked = LedgerServiceClient::new(s.channel_as(&revoked).await);
    let err = by_revoked
        .post_entry(transfer(
            "gift-2",
            "2025-03-01",
            "fund-a",
            "1002",
            "3004",
            "1.00",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated, "{err:?}");
    // A revoked token cannot even read.
    let err = by_revoked
        .get_book(pb::GetBookRequest {
            book_id: "fund-a".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated, "{err:?}");

    assert_eq!(
        get_book(&mut c, "fund-b").await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        (head(&s).await, snapshot(&mut c, "fund-a").await),
        before,
        "refused calls changed the books"
    );
    assert_eq!(list_tokens(&s).await, tokens_before);

    // Health needs no token.
    let mut health = tonic_health::pb::health_client::HealthClient::new(raw_channel(&s).await);
    for service in ["", "huzhu.v1.LedgerService", "huzhu.v1.TokenService"] {
        let r = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap_or_else(|e| panic!("health of {service:?}: {e:?}"))
            .into_inner();
        assert_eq!(
            r.status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32,
            "{service:?}"
        );
    }
}

/// `huzhu ARGS` as a thin client of `s`: the admin token, or `token` given
/// in $HUZHU_TOKEN. Answers success, stdout and stderr.
fn huzhu(s: &TestServer, token: Option<&str>, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_huzhu"));
    cmd.args(args)
        .envs(s.cli_env())
        .env_remove("HUZHU_TOKEN")
        .current_dir(s.data_dir.parent().unwrap());
    if let Some(t) = token {
        cmd.env("HUZHU_TOKEN", t);
    }
    let out = cmd.output().expect("run huzhu");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn get_fund(s: &TestServer, token: &str, fund_id: &str) -> Result<pb::FundResponse, Status> {
    FundServiceClient::new(s.channel_as(token).await)
        .get_fund(pb::GetFundRequest {
            fund_id: fund_id.into(),
        })
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn tokens_are_issued_listed_and_revoked_with_the_cli() {
    let s = TestServer::start();
    let mut f = s.fund_client().await;
    create_fund(&mut f, "fund-dongcun", None).await;
    create_fund(&mut f, "fund-xicun", None).await;
    let admin_id = id_of(&s.admin_token());

    let (ok, out, err) = huzhu(
        &s,
        None,
        &[
            "token",
            "issue",
            "--role",
            "fund-clerk",
            "--scope",
            "fund:fund-dongcun",
            "--label",
            "Li Wei, clerk of Dongcun",
        ],
    );
    assert!(ok, "token issue failed: {err}");
    let printed = bearers_in(&out);
    assert_eq!(printed.len(), 1, "one bearer token printed:\n{out}");
    let clerk = printed[0].clone();
    let clerk_id = id_of(&clerk);
    assert!(out.contains("fund:fund-dongcun"), "{out}");

    // The clerk reads its fund, and no other.
    assert_eq!(
        get_fund(&s, &clerk, "fund-dongcun").await.unwrap().fund_id,
        "fund-dongcun"
    );
    let denied = get_fund(&s, &clerk, "fund-xicun").await.unwrap_err();
    assert_eq!(denied.code(), Code::PermissionDenied, "{denied:?}");
    assert!(denied.message().contains(&clerk_id), "{}", denied.message());
    let (ok, out, err) = huzhu(&s, Some(&clerk), &["fund", "show", "fund-dongcun"]);
    assert!(ok, "fund show as the clerk: {err}");
    assert!(out.contains("fund-dongcun"), "{out}");
    let (ok, out, err) = huzhu(&s, Some(&clerk), &["token", "whoami"]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&clerk_id) && out.contains("fund_clerk") && out.contains("valid"),
        "{out}"
    );
    // A clerk does not issue tokens.
    let (ok, _, err) = huzhu(
        &s,
        Some(&clerk),
        &["token", "issue", "--role", "admin", "--scope", "all"],
    );
    assert!(!ok);
    assert!(err.contains("PermissionDenied"), "{err}");

    let (ok, out, err) = huzhu(&s, None, &["token", "list"]);
    assert!(ok, "{err}");
    let line = out
        .lines()
        .find(|l| l.contains(&clerk_id))
        .unwrap_or_else(|| panic!("the clerk's token is not listed:\n{out}"));
    assert!(
        line.contains("fund_clerk")
            && line.contains("fund:fund-dongcun")
            && line.contains("valid")
            && line.contains("Li Wei, clerk of Dongcun"),
        "{line}"
    );
    assert!(out.contains(&admin_id), "{out}");
    assert!(bearers_in(&out).is_empty(), "list shows a secret:\n{out}");

    let (ok, out, err) = huzhu(&s, None, &["token", "revoke", &clerk_id]);
    assert!(ok, "token revoke failed: {err}");
    assert!(out.contains("revoked"), "{out}");
    let refused = get_fund(&s, &clerk, "fund-dongcun").await.unwrap_err();
    assert_eq!(refused.code(), Code::Unauthenticated, "{refused:?}");
    assert!(
        refused.message().contains("revoked"),
        "{}",
        refused.message()
    );
    let (ok, _, err) = huzhu(&s, Some(&clerk), &["fund", "show", "fund-dongcun"]);
    assert!(!ok);
    assert!(
        err.contains("Unauthenticated") && err.contains("revoked"),
        "{err}"
    );
    let (_, out, _) = huzhu(&s, None, &["token", "list"]);
    let line = out.lines().find(|l| l.contains(&clerk_id)).unwrap();
    assert!(line.contains(&format!("by {admin_id}/admin")), "{line}");
    // Revoking twice is refused.
    let (ok, _, err) = huzhu(&s, None, &["token", "revoke", &clerk_id]);
    assert!(!ok);
    assert!(err.contains("already_revoked"), "{err}");

    // --out: a 0600 file, and the bearer printed nowhere.
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("treasurer.token");
    let out_path = out_file.display().to_string();
    let (ok, out, err) = huzhu(
        &s,
        None,
        &[
            "token",
            "issue",
            "--role",
            "fund-treasurer",
            "--scope",
            "fund:fund-dongcun",
            "--out",
            &out_path,
        ],
    );
    assert!(ok, "{err}");
    assert!(bearers_in(&out).is_empty(), "printed a bearer:\n{out}");
    assert!(bearers_in(&err).is_empty(), "printed a bearer:\n{err}");
    assert!(err.contains(&out_path), "{err}");
    let mode = std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let treasurer = std::fs::read_to_string(&out_file)
        .unwrap()
        .trim()
        .to_string();
    assert!(is_bearer(&treasurer), "{treasurer:?}");
    assert!(out.contains(&id_of(&treasurer)), "{out}");
    let (ok, out, err) = huzhu(&s, None, &["token", "whoami", "--token-file", &out_path]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&id_of(&treasurer)) && out.contains("fund_treasurer"),
        "{out}"
    );

    // A retry of the same request id answers the same token, never its secret again.
    let issue_once = [
        "token",
        "issue",
        "--role",
        "fund-treasurer",
        "--scope",
        "fund:fund-dongcun",
        "--request-id",
        "issue-wang-fang",
    ];
    let (ok, first, err) = huzhu(&s, None, &issue_once);
    assert!(ok, "{err}");
    let wang = bearers_in(&first);
    assert_eq!(wang.len(), 1, "{first}");
    let (ok, again, err) = huzhu(&s, None, &issue_once);
    assert!(ok, "{err}");
    assert!(
        bearers_in(&again).is_empty(),
        "a replay shows the secret:\n{again}"
    );
    assert!(again.contains(&id_of(&wang[0])), "{again}");
    assert!(err.contains("issued the token before"), "{err}");
    assert!(whoami(&s, &wang[0]).await.is_ok());

    // JSON for scripts carries the bearer.
    let (ok, out, err) = huzhu(
        &s,
        None,
        &[
            "token",
            "issue",
            "--role",
            "regulator",
            "--scope",
            "all",
            "--output",
            "json",
        ],
    );
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let regulator = v["bearer"].as_str().unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        whoami(&s, regulator).await.unwrap().role,
        pb::Role::Regulator as i32
    );

    // Refusals name the field and issue nothing.
    let before = list_tokens(&s).await;
    for (role, scope, code, says) in [
        (
            "fund-clerk",
            "fund:fund-nowhere",
            "NotFound",
            "fund-nowhere",
        ),
        ("bank", "fund:fund-dongcun", "InvalidArgument", "program:"),
        ("admin", "fund:fund-dongcun", "InvalidArgument", "all"),
        ("fund-treasurer", "all", "InvalidArgument", "fund:"),
    ] {
        let (ok, out, err) = huzhu(
            &s,
            None,
            &["token", "issue", "--role", role, "--scope", scope],
        );
        assert!(!ok, "{role} {scope} was issued:\n{out}");
        assert!(
            err.contains(code) && err.contains("field: scope") && err.contains(says),
            "{role} {scope}: {err}"
        );
        assert!(bearers_in(&out).is_empty());
    }
    assert_eq!(list_tokens(&s).await, before);

    // An admin cannot revoke the token it calls with; the token still works.
    let (ok, _, err) = huzhu(&s, None, &["token", "revoke", &admin_id]);
    assert!(!ok);
    assert!(err.contains("own_token"), "{err}");
    assert_eq!(list_tokens(&s).await, before);
    assert!(whoami(&s, &s.admin_token()).await.is_ok());
}

const FUND: &str = "fund-shanxia";

fn apply(id: &str, loan: &str, member: &str) -> pb::ApplyLoanRequest {
    pb::ApplyLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        member_id: member.into(),
        principal: "5000".into(),
        term_months: 12,
        method: RepaymentMethod::EqualInstallments as i32,
        purpose: "two piglets".into(),
        purpose_category: pb::PurposeCategory::Livestock as i32,
        business: String::new(),
        date: "2025-03-10".into(),
    }
}

fn approve(id: &str, loan: &str) -> pb::ApproveLoanRequest {
    pb::ApproveLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        board_approved: false,
        date: "2025-03-12".into(),
    }
}

async fn loan(f: &mut FundClient, id: &str) -> pb::Loan {
    f.get_loan(pb::GetLoanRequest {
        fund_id: FUND.into(),
        loan_id: id.into(),
    })
    .await
    .unwrap()
    .into_inner()
    .loan
    .unwrap()
}

/// The actor of each entry of the fund's book, by seq.
async fn actors(c: &mut Client) -> std::collections::BTreeMap<u64, String> {
    c.list_entries(pb::ListEntriesRequest {
        book_id: FUND.into(),
        page_size: 1000,
        ..Default::default()
    })
    .await
    .unwrap()
    .into_inner()
    .entries
    .into_iter()
    .map(|e| (e.seq, e.actor))
    .collect()
}

#[tokio::test]
async fn maker_checker_compares_tokens() {
    let s = TestServer::start();
    let scope = format!("fund:{FUND}");
    let mut admin_funds = s.fund_client().await;
    create_fund(&mut admin_funds, "fund-other", None).await;
    // Tokens are issued for a fund that exists; it is created first.
    let clerk_fund_missing = TokenServiceClient::new(s.channel().await)
        .issue_token(pb::IssueTokenRequest {
            request_id: "clerk-early".into(),
            role: pb::Role::FundClerk as i32,
            scope: scope.clone(),
            label: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(clerk_fund_missing.code(), Code::NotFound);
    assert_eq!(bad_field(&clerk_fund_missing).as_deref(), Some("scope"));

    let mut f = s.fund_client().await;
    create_fund(&mut f, FUND, None).await;
    let clerk = s.issue(pb::Role::FundClerk, &scope).await;
    let t1 = s.issue(pb::Role::FundTreasurer, &scope).await;
    let t2 = s.issue(pb::Role::FundTreasurer, &scope).await;
    let actor = |bearer: &str, role: &str| format!("{}/{role}", id_of(bearer));
    for (bearer, role) in [
        (&clerk, "fund_clerk"),
        (&t1, "fund_treasurer"),
        (&t2, "fund_treasurer"),
    ] {
        assert_eq!(whoami(&s, bearer).await.unwrap().actor, actor(bearer, role));
    }
    // Capital by admin, members and their shares by the clerk.
    let capital = Capital::fiscal("100000.00");
    add_capital(&mut f, "cap-fiscal", FUND, capital, "2025-03-01").await;
    let mut by_clerk = FundServiceClient::new(s.channel_as(&clerk).await);
    let mut by_t1 = FundServiceClient::new(s.channel_as(&t1).await);
    let mut by_t2 = FundServiceClient::new(s.channel_as(&t2).await);
    let mut shares_seqs = Vec::new();
    for m in ["M1", "M2"] {
        let poor = PovertyStatus::RegisteredPoor;
        let r = member_with_shares(&mut by_clerk, FUND, m, poor, "200", "2025-03-01").await;
        shares_seqs.extend(r.entry_seqs);
    }
    let mut c = s.client().await;

    // The clerk's scope is its fund: nothing in another.
    let err = by_clerk
        .apply_loan(pb::ApplyLoanRequest {
            fund_id: "fund-other".into(),
            ..apply("apply-other", "L9", "M1")
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");

    // The clerk applies; approving is a treasurer's act.
    let l1 = by_clerk
        .apply_loan(apply("apply-l1", "L1", "M1"))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(l1.applied_by, actor(&clerk, "fund_clerk"));
    let before = (head(&s).await, snapshot(&mut c, FUND).await);
    let err = by_clerk
        .approve_loan(approve("clerk-approves-l1", "L1"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    assert!(
        err.message().contains("a fund treasurer's work") && err.message().contains(&id_of(&clerk)),
        "{}",
        err.message()
    );
    let l1 = loan(&mut by_clerk, "L1").await;
    assert_eq!(
        (l1.status, l1.approved_by.as_str()),
        (pb::LoanStatus::Applied as i32, "")
    );

    // A treasurer who applied cannot approve its own application; another can.
    by_t1
        .apply_loan(apply("apply-l2", "L2", "M2"))
        .await
        .unwrap();
    let err = by_t1
        .approve_loan(approve("t1-approves-l2", "L2"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition, "{err:?}");
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("loan_approver_not_applicant"),
        "{}",
        err.message()
    );
    let l2 = loan(&mut by_t1, "L2").await;
    assert_eq!(
        (l2.status, l2.approved_by.as_str()),
        (pb::LoanStatus::Applied as i32, "")
    );
    assert_eq!(
        (head(&s).await, snapshot(&mut c, FUND).await),
        before,
        "refused approvals changed the books"
    );
    let l2 = by_t2
        .approve_loan(approve("t2-approves-l2", "L2"))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(
        (l2.status, l2.applied_by.as_str(), l2.approved_by.as_str()),
        (
            pb::LoanStatus::Approved as i32,
            actor(&t1, "fund_treasurer").as_str(),
            actor(&t2, "fund_treasurer").as_str()
        )
    );
    // The clerk's application, approved by a treasurer, disbursed by it.
    let l1 = by_t1
        .approve_loan(approve("t1-approves-l1", "L1"))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(l1.approved_by, actor(&t1, "fund_treasurer"));
    let disbursed = by_t1
        .disburse_loan(pb::DisburseLoanRequest {
            request_id: "disburse-l1".into(),
            fund_id: FUND.into(),
            loan_id: "L1".into(),
            till: Till::Bank as i32,
            date: "2025-03-15".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(balance(&mut c, FUND, "1201/loan:L1").await, "5000.00");

    // Write-off: a treasurer asks; neither the clerk (a treasurer's act) nor
    // the one who asked may approve it.
    by_t1
        .request_write_off(pb::RequestWriteOffRequest {
            request_id: "t1-asks-write-off".into(),
            fund_id: FUND.into(),
            loan_id: "L1".into(),
            board_decision: "board 2025-07".into(),
        })
        .await
        .unwrap();
    let write_off = |id: &str| pb::WriteOffLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        date: "2025-07-20".into(),
    };
    let before = (head(&s).await, snapshot(&mut c, FUND).await);
    let err = by_clerk
        .write_off_loan(write_off("clerk-writes-off"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    let err = by_t1
        .write_off_loan(write_off("t1-writes-off"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition, "{err:?}");
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("self_approval"),
        "{}",
        err.message()
    );
    assert_eq!(
        (head(&s).await, snapshot(&mut c, FUND).await),
        before,
        "refused write-offs changed the books"
    );
    let pending = loan(&mut by_t1, "L1").await;
    assert_eq!(
        (
            pending.status,
            pending.write_off_requested_by.as_str(),
            pending.written_off_by.as_str()
        ),
        (
            pb::LoanStatus::Disbursed as i32,
            actor(&t1, "fund_treasurer").as_str(),
            ""
        )
    );
    let written_off = by_t2
        .write_off_loan(write_off("t2-writes-off"))
        .await
        .unwrap()
        .into_inner();
    let l1 = written_off.loan.unwrap();
    assert_eq!(l1.written_off_by, actor(&t2, "fund_treasurer"));
    assert_eq!(l1.write_off_requested_by, actor(&t1, "fund_treasurer"));
    assert_eq!(l1.written_off, "5000.00");
    assert_eq!(balance(&mut c, FUND, "1201/loan:L1").await, "0.00");

    // The entries name the tokens that made them.
    let by_seq = actors(&mut c).await;
    assert!(!shares_seqs.is_empty() && !disbursed.entry_seqs.is_empty());
    assert!(!written_off.entry_seqs.is_empty());
    for (seqs, who) in [
        (&shares_seqs, actor(&clerk, "fund_clerk")),
        (&disbursed.entry_seqs, actor(&t1, "fund_treasurer")),
        (&written_off.entry_seqs, actor(&t2, "fund_treasurer")),
    ] {
        for seq in seqs {
            assert_eq!(by_seq.get(seq), Some(&who), "entry #{seq}");
        }
    }
}

#[tokio::test]
async fn the_rate_limit_is_per_token() {
    let s = TestServer::start_with(&["--rate-limit", "2", "--rate-burst", "3"]);
    let a = s.issue(pb::Role::Admin, "all").await;
    let b = s.issue(pb::Role::Admin, "all").await;
    let mut by_a = LedgerServiceClient::new(s.channel_as(&a).await);
    let mut by_b = LedgerServiceClient::new(s.channel_as(&b).await);

    let mut created = Vec::new();
    let mut refusal = None;
    for i in 0..200 {
        let book = format!("rl-{i}");
        match create_book_as(&mut by_a, &book).await {
            Ok(_) => created.push(book),
            Err(e) => {
                refusal = Some((book, e));
                break;
            }
        }
    }
    let (refused_book, err) = refusal.expect("200 calls at once were never limited");
    assert!(
        created.len() >= 3,
        "a burst of 3 is allowed; refused after {created:?}"
    );
    assert_eq!(err.code(), Code::ResourceExhausted, "{err:?}");
    let says = format!(
        "rate limit: token {} may make 2 calls a second (bursts of 3); retry in ",
        id_of(&a)
    );
    assert!(err.message().starts_with(&says), "{}", err.message());
    let delay = err
        .get_details_retry_info()
        .and_then(|r| r.retry_delay)
        .expect("a RetryInfo detail");
    assert!(delay > Duration::ZERO);
    assert_eq!(
        err.message(),
        format!("{says}{} ms", delay.as_millis().max(1)),
        "the message and the RetryInfo agree"
    );

    // The other token is not limited by the first's use (its own burst is 3
    // calls: these are 3); the refused call made nothing.
    assert_eq!(
        get_book(&mut by_b, &refused_book).await.unwrap_err().code(),
        Code::NotFound
    );
    for book in [created.first().unwrap(), created.last().unwrap()] {
        assert!(get_book(&mut by_b, book).await.is_ok(), "{book}");
    }

    tokio::time::sleep(delay + Duration::from_millis(50)).await;
    create_book_as(&mut by_a, &refused_book)
        .await
        .expect("after the advertised delay the call passes");
}

async fn create_book_as(c: &mut Client, book: &str) -> Result<pb::CreateBookResponse, Status> {
    c.create_book(pb::CreateBookRequest {
        request_id: format!("create-{book}"),
        book_id: book.into(),
        kind: pb::BookKind::Fund as i32,
        name: format!("Book {book}"),
    })
    .await
    .map(|r| r.into_inner())
}

#[tokio::test]
async fn a_request_over_the_size_limit_is_refused_whole() {
    let s = TestServer::start_with(&["--rate-limit", "0", "--max-request-kib", "64"]);
    let mut c = s.client().await;
    create_book(&mut c, "fund-big", pb::BookKind::Fund).await;
    let batch = |prefix: &str, n: usize| pb::PostEntriesRequest {
        entries: (0..n)
            .map(|i| pb::PostEntryRequest {
                memo: "x".repeat(400),
                ..transfer(
                    &format!("{prefix}-{i}"),
                    "2025-03-01",
                    "fund-big",
                    "1002",
                    "3004",
                    "1.00",
                )
            })
            .collect(),
    };
    let big = batch("big", 300);
    let size = prost::Message::encoded_len(&big);
    assert!(size > 64 * 1024, "the batch is {size} bytes");
    let before = (head(&s).await, snapshot(&mut c, "fund-big").await);
    let err = c.post_entries(big).await.unwrap_err();
    assert_eq!(err.code(), Code::OutOfRange, "{err:?}");
    assert!(
        err.message().contains(&(64 * 1024).to_string()),
        "the refusal names the limit: {}",
        err.message()
    );
    assert_eq!(
        (head(&s).await, snapshot(&mut c, "fund-big").await),
        before,
        "nothing of the refused batch is posted"
    );

    let small = batch("small", 10);
    assert!(prost::Message::encoded_len(&small) < 64 * 1024);
    let r = c.post_entries(small).await.unwrap().into_inner();
    assert_eq!(r.results.len(), 10);
    assert_eq!(head(&s).await.seq, before.0.seq + 10);
    assert_eq!(balance(&mut c, "fund-big", "1002").await, "10.00");
}

/// Locked out: the first admin token is revoked by a second admin whose
/// token is then lost. `huzhu token rescue` on the stopped store writes a new
/// admin token into admin.token; it refuses while the server holds the store.
#[tokio::test]
async fn a_locked_out_store_is_rescued_offline() {
    let mut s = TestServer::start();
    let first = s.admin_token();
    let second = s.issue(pb::Role::Admin, "all").await;
    let mut t = tokens(&s, &second).await;
    t.revoke_token(pb::RevokeTokenRequest {
        request_id: "revoke-first".into(),
        token_id: id_of(&first),
    })
    .await
    .unwrap();
    assert_eq!(
        whoami(&s, &first).await.unwrap_err().code(),
        Code::Unauthenticated
    );
    let rescue = |s: &TestServer| {
        Command::new(env!("CARGO_BIN_EXE_huzhu"))
            .args(["token", "rescue", "--data-dir"])
            .arg(&s.data_dir)
            .output()
            .expect("run huzhu token rescue")
    };
    let busy = rescue(&s);
    assert!(!busy.status.success());
    assert!(
        String::from_utf8_lossy(&busy.stderr).contains("another Huzhu process"),
        "{}",
        String::from_utf8_lossy(&busy.stderr)
    );

    s.terminate().await;
    s.wait_unlocked();
    let out = rescue(&s);
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = s.admin_token_file();
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let rescued = s.admin_token();
    assert_ne!(rescued, first);
    assert!(printed.contains(&id_of(&rescued)), "{printed}");
    assert!(
        !printed.contains(&rescued),
        "the bearer is printed: {printed}"
    );

    s.restart();
    let me = whoami(&s, &rescued).await.unwrap();
    assert_eq!(
        (me.role, me.scope.as_str()),
        (pb::Role::Admin as i32, "all")
    );
    assert_eq!(
        whoami(&s, &first).await.unwrap_err().code(),
        Code::Unauthenticated,
        "the revoked token stays revoked"
    );
    assert_eq!(list_tokens(&s).await.len(), 3);
}
