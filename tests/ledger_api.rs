//! LedgerService against the real server: posting and reading back, retries,
//! every bad input refused with its code and field or rule and no change,
//! batches, reversals, period close, paging, restart, health and reflection.
mod common;

use common::*;
use huzhu::pb::{
    self, ledger_service_client::LedgerServiceClient, token_service_client::TokenServiceClient,
    BookKind,
};
use tonic::Code;

const FUND: &str = "fund-dongcun";

/// The actor the calling token is recorded as ("<token id>/<role>").
async fn actor_of(channel: Channel) -> String {
    TokenServiceClient::new(channel)
        .who_am_i(pb::WhoAmIRequest {})
        .await
        .expect("who am i")
        .into_inner()
        .token
        .expect("the calling token")
        .actor
}

/// A fund with seed capital, a cash withdrawal, a member's shares and an
/// expense. Hand-computed: bank 95,000.00; cash 5,000 + 300 - 120.50 = 5,179.50.
async fn seeded_fund(c: &mut Client) {
    create_book(c, FUND, BookKind::Fund).await;
    open_sub(c, FUND, "3001", "source:fiscal").await;
    open_sub(c, FUND, "3002", "member:M01").await;
    post(
        c,
        transfer(
            "seed",
            "2025-01-02",
            FUND,
            "1002",
            "3001/source:fiscal",
            "100000.00",
        ),
    )
    .await;
    post(
        c,
        transfer("to-cash", "2025-01-10", FUND, "1001", "1002", "5000.00"),
    )
    .await;
    post(
        c,
        entry(
            "shares",
            "2025-02-03",
            vec![
                debit(FUND, "1001", "300"),
                credit(FUND, "3002/member:M01", "300.00"),
            ],
        ),
    )
    .await;
    post(
        c,
        transfer("expense", "2025-02-15", FUND, "5001", "1001", "120.50"),
    )
    .await;
}

#[tokio::test]
async fn post_and_read_back_balances_now_and_as_of() {
    let server = TestServer::start();
    let mut c = server.client().await;
    seeded_fund(&mut c).await;

    assert_eq!(balance(&mut c, FUND, "1002").await, "95000.00");
    assert_eq!(balance(&mut c, FUND, "1001").await, "5179.50");
    assert_eq!(balance(&mut c, FUND, "5001").await, "120.50");
    assert_eq!(balance(&mut c, FUND, "3002/member:M01").await, "300.00");
    // The header of 3001 holds nothing; with its sub-accounts it holds the seed.
    assert_eq!(balance(&mut c, FUND, "3001").await, "0.00");
    let with_subs = c
        .get_balance(pb::GetBalanceRequest {
            account: Some(account(FUND, "3001", "")),
            as_of: String::new(),
            include_sub_accounts: true,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(with_subs.balance, "100000.00");
    assert_eq!(with_subs.r#type, pb::AccountType::Equity as i32);

    // Point in time: the end of each date counts.
    assert_eq!(
        balance_as_of(&mut c, FUND, "1002", "2024-12-31").await,
        "0.00"
    );
    assert_eq!(
        balance_as_of(&mut c, FUND, "1002", "2025-01-02").await,
        "100000.00"
    );
    assert_eq!(
        balance_as_of(&mut c, FUND, "1002", "2025-01-31").await,
        "95000.00"
    );
    assert_eq!(
        balance_as_of(&mut c, FUND, "1001", "2025-02-03").await,
        "5300.00"
    );
    assert_eq!(
        balance_as_of(&mut c, FUND, "1001", "2025-02-28").await,
        "5179.50"
    );

    // Trial balance: debits 5,179.50 + 95,000.00 + 120.50 = 100,300.00 = credits.
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(
        (tb.total_debit.as_str(), tb.total_credit.as_str()),
        ("100300.00", "100300.00")
    );
    assert_eq!(tb.head_seq, 4);
    let tb_jan = trial_balance(&mut c, FUND, "2025-01-31").await;
    assert_eq!(
        (tb_jan.total_debit.as_str(), tb_jan.total_credit.as_str()),
        ("100000.00", "100000.00")
    );

    // The entry reads back as posted, chained to its predecessor.
    let page = c
        .list_entries(pb::ListEntriesRequest {
            book_id: FUND.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(page.entries.len(), 4);
    assert!(page.next_page_token.is_empty());
    let seqs: Vec<u64> = page.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4]);
    assert_eq!(page.entries[0].prev_hash, "0".repeat(64));
    for pair in page.entries.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    let shares = &page.entries[2];
    assert_eq!(shares.request_id, "shares");
    assert_eq!(shares.value_date, "2025-02-03");
    assert_eq!(shares.actor, actor_of(server.channel().await).await);
    assert_eq!(shares.postings[0].amount, "300.00");
    assert_eq!(
        shares.postings[1].account.as_ref().unwrap().sub,
        "member:M01"
    );
    assert!(shares.recorded_at.ends_with('Z'), "{}", shares.recorded_at);

    let verify = c
        .verify_chain(pb::VerifyChainRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(verify.ok, "{:?}", verify.problems);
    assert_eq!(verify.entries_checked, 4);
    assert_eq!(verify.head_hash, page.entries[3].hash);
}

#[tokio::test]
async fn a_retry_returns_the_first_result_and_a_reused_id_is_refused() {
    let server = TestServer::start();
    let mut c = server.client().await;
    seeded_fund(&mut c).await;
    let e = transfer("pay-1", "2025-03-01", FUND, "5001", "1001", "10.00");
    let first = c.post_entry(e.clone()).await.unwrap().into_inner();
    assert!(!first.replayed);
    let before = snapshot(&mut c, FUND).await;
    let retry = c.post_entry(e.clone()).await.unwrap().into_inner();
    assert!(retry.replayed);
    assert_eq!(
        retry.entry, first.entry,
        "a retry answers with the first entry, hash and all"
    );
    assert_eq!(
        snapshot(&mut c, FUND).await,
        before,
        "a retry posts nothing"
    );
    assert_eq!(balance(&mut c, FUND, "1001").await, "5169.50");

    let mut other = e.clone();
    other.postings[0].amount = "11.00".into();
    other.postings[1].amount = "11.00".into();
    let err = c.post_entry(other).await.unwrap_err();
    assert_eq!(err.code(), Code::AlreadyExists);
    assert_eq!(bad_field(&err).as_deref(), Some("request_id"));
    assert_eq!(snapshot(&mut c, FUND).await, before);

    // A request id belongs to one request of any kind.
    let err = c
        .create_book(pb::CreateBookRequest {
            request_id: "pay-1".into(),
            book_id: "fund-other".into(),
            kind: BookKind::Fund as i32,
            name: "Other".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::AlreadyExists);

    // Create-book retries too.
    let again = create_book(&mut c, FUND, BookKind::Fund).await;
    assert!(again.replayed);
}

/// The caller is the actor: each entry names the token that posted it, and a
/// request id one token used is not another token's to replay.
#[tokio::test]
async fn every_entry_records_the_token_that_posted_it() {
    let server = TestServer::start();
    let mut admin = server.client().await;
    let mut checker = LedgerServiceClient::new(server.checker().await);
    let admin_actor = actor_of(server.channel().await).await;
    let checker_actor = actor_of(server.checker().await).await;
    assert_ne!(admin_actor, checker_actor, "two tokens, two actors");
    assert!(admin_actor.ends_with("/admin"), "{admin_actor}");
    assert!(checker_actor.ends_with("/admin"), "{checker_actor}");
    seeded_fund(&mut admin).await;

    let by_admin = transfer("by-admin", "2025-03-01", FUND, "5001", "1001", "10.00");
    let first = post(&mut admin, by_admin.clone()).await;
    assert_eq!(first.actor, admin_actor);
    let second = post(
        &mut checker,
        transfer("by-checker", "2025-03-02", FUND, "5001", "1001", "20.00"),
    )
    .await;
    assert_eq!(second.actor, checker_actor);
    // As stored, too: the entries read back with their own actors.
    let page = admin
        .list_entries(pb::ListEntriesRequest {
            book_id: FUND.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let actors: Vec<(&str, &str)> = page
        .entries
        .iter()
        .skip(4)
        .map(|e| (e.request_id.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        actors,
        vec![
            ("by-admin", admin_actor.as_str()),
            ("by-checker", checker_actor.as_str())
        ]
    );

    // The first request again, the same in every field, from the other token:
    // refused, not replayed, and nothing changes.
    let before = snapshot(&mut admin, FUND).await;
    assert_eq!(before.0, 6);
    let err = checker.post_entry(by_admin.clone()).await.unwrap_err();
    assert_eq!(err.code(), Code::AlreadyExists, "{}", err.message());
    assert_eq!(bad_field(&err).as_deref(), Some("request_id"));
    assert_eq!(snapshot(&mut admin, FUND).await, before);
    assert_eq!(balance(&mut admin, FUND, "1001").await, "5149.50");
    // The token that posted it still gets its replay.
    let retry = admin.post_entry(by_admin).await.unwrap().into_inner();
    assert!(retry.replayed);
    assert_eq!(retry.entry.as_ref(), Some(&first));
    assert_eq!(snapshot(&mut admin, FUND).await, before);
}

/// Each bad input gets its code and names its field or rule, and changes nothing.
#[tokio::test]
async fn every_bad_entry_is_refused_precisely_and_changes_nothing() {
    let server = TestServer::start();
    let mut c = server.client().await;
    seeded_fund(&mut c).await;
    c.close_period(pb::ClosePeriodRequest {
        request_id: "close-jan".into(),
        book_id: FUND.into(),
        period: "2025-01".into(),
    })
    .await
    .unwrap();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let ok = |id: &str| transfer(id, "2025-03-01", FUND, "5001", "1001", "10.00");
    let with = |id: &str, postings: Vec<pb::Posting>| entry(id, "2025-03-01", postings);

    let mut missing_side = ok("b-side");
    missing_side.postings[0].side = pb::Side::Unspecified as i32;
    let mut no_request_id = ok("");
    no_request_id.request_id.clear();
    let mut long_memo = ok("b-memo");
    long_memo.memo = "x".repeat(501);
    let mut bad_date = ok("b-date");
    bad_date.value_date = "2025-02-30".into();

    let cases: Vec<(&str, pb::PostEntryRequest, Code, &str)> = vec![
        (
            "zero",
            with(
                "b-zero",
                vec![debit(FUND, "5001", "0.00"), credit(FUND, "1001", "0.00")],
            ),
            Code::InvalidArgument,
            "postings[0].amount",
        ),
        (
            "negative",
            with(
                "b-neg",
                vec![debit(FUND, "5001", "-5.00"), credit(FUND, "1001", "-5.00")],
            ),
            Code::InvalidArgument,
            "postings[0].amount",
        ),
        (
            "three decimals",
            with(
                "b-3dp",
                vec![debit(FUND, "5001", "1.00"), credit(FUND, "1001", "1.005")],
            ),
            Code::InvalidArgument,
            "postings[1].amount",
        ),
        (
            "too large",
            with(
                "b-big",
                vec![
                    debit(FUND, "5001", "1000000000.01"),
                    credit(FUND, "1001", "1000000000.01"),
                ],
            ),
            Code::InvalidArgument,
            "postings[0].amount",
        ),
        (
            "not a number",
            with(
                "b-nan",
                vec![debit(FUND, "5001", "ten"), credit(FUND, "1001", "10")],
            ),
            Code::InvalidArgument,
            "postings[0].amount",
        ),
        (
            "unbalanced",
            with(
                "b-unbal",
                vec![debit(FUND, "5001", "100.00"), credit(FUND, "1001", "90.00")],
            ),
            Code::FailedPrecondition,
            "entry_balanced_per_book",
        ),
        (
            "unknown account",
            with(
                "b-acct",
                vec![debit(FUND, "1999", "10.00"), credit(FUND, "1001", "10.00")],
            ),
            Code::NotFound,
            "postings[0].account",
        ),
        (
            "unknown sub-account",
            with(
                "b-sub",
                vec![
                    debit(FUND, "3002/member:NOPE", "10.00"),
                    credit(FUND, "1001", "10.00"),
                ],
            ),
            Code::NotFound,
            "postings[0].account",
        ),
        (
            "unknown book",
            with(
                "b-book",
                vec![
                    debit("fund-nowhere", "5001", "10.00"),
                    credit(FUND, "1001", "10.00"),
                ],
            ),
            Code::NotFound,
            "postings[0].account.book_id",
        ),
        (
            "closed period",
            transfer("b-closed", "2025-01-20", FUND, "5001", "1001", "10.00"),
            Code::FailedPrecondition,
            "period_closed",
        ),
        (
            "overdrawn cash",
            with(
                "b-overdraw",
                vec![
                    debit(FUND, "5001", "5179.51"),
                    credit(FUND, "1001", "5179.51"),
                ],
            ),
            Code::FailedPrecondition,
            "account_non_negative",
        ),
        (
            "future value date",
            transfer("b-future", &tomorrow, FUND, "5001", "1001", "10.00"),
            Code::FailedPrecondition,
            "value_date_not_in_future",
        ),
        (
            "one posting",
            with("b-one", vec![debit(FUND, "5001", "10.00")]),
            Code::InvalidArgument,
            "postings",
        ),
        (
            "missing side",
            missing_side,
            Code::InvalidArgument,
            "postings[0].side",
        ),
        (
            "missing request id",
            no_request_id,
            Code::InvalidArgument,
            "request_id",
        ),
        ("memo too long", long_memo, Code::InvalidArgument, "memo"),
        (
            "impossible date",
            bad_date,
            Code::InvalidArgument,
            "value_date",
        ),
    ];
    let before = snapshot(&mut c, FUND).await;
    for (what, request, code, field_or_rule) in cases {
        let err = c.post_entry(request).await.expect_err(what);
        assert_eq!(err.code(), code, "{what}: {}", err.message());
        let named = if code == Code::FailedPrecondition {
            broken_rule(&err)
        } else {
            bad_field(&err)
        };
        assert_eq!(
            named.as_deref(),
            Some(field_or_rule),
            "{what}: {}",
            err.message()
        );
        assert_eq!(
            snapshot(&mut c, FUND).await,
            before,
            "{what} changed the books"
        );
    }
    // Exactly the cash there is may be spent: the boundary is allowed.
    post(
        &mut c,
        with(
            "spend-all",
            vec![
                debit(FUND, "5001", "5179.50"),
                credit(FUND, "1001", "5179.50"),
            ],
        ),
    )
    .await;
    assert_eq!(balance(&mut c, FUND, "1001").await, "0.00");
}

#[tokio::test]
async fn a_batch_is_atomic_and_sees_its_own_entries() {
    let server = TestServer::start();
    let mut c = server.client().await;
    seeded_fund(&mut c).await;
    let spend = |id: &str, amount: &str| transfer(id, "2025-03-01", FUND, "5001", "1001", amount);
    let before = snapshot(&mut c, FUND).await;

    // 3,000 + 3,000 exceeds the 5,179.50 of cash: the second breaks the rule, neither is posted.
    let err = c
        .post_entries(pb::PostEntriesRequest {
            entries: vec![spend("b1", "3000.00"), spend("b2", "3000.00")],
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition);
    assert_eq!(broken_rule(&err).as_deref(), Some("account_non_negative"));
    let subject = err.get_details_precondition_failure_subject();
    assert!(subject.starts_with("entries[1]."), "{subject}");
    assert_eq!(snapshot(&mut c, FUND).await, before);

    // A batch of bad form names the entry and field.
    let err = c
        .post_entries(pb::PostEntriesRequest {
            entries: vec![spend("b1", "1.00"), spend("b2", "1.001")],
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(
        bad_field(&err).as_deref(),
        Some("entries[1].postings[0].amount")
    );

    // Oversized batch.
    let too_many: Vec<_> = (0..1001).map(|i| spend(&format!("o{i}"), "0.01")).collect();
    let err = c
        .post_entries(pb::PostEntriesRequest { entries: too_many })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert_eq!(bad_field(&err).as_deref(), Some("entries"));
    // A repeated request id inside one batch.
    let err = c
        .post_entries(pb::PostEntriesRequest {
            entries: vec![spend("dup", "1.00"), spend("dup", "1.00")],
        })
        .await
        .unwrap_err();
    assert_eq!(bad_field(&err).as_deref(), Some("entries[1].request_id"));
    assert_eq!(snapshot(&mut c, FUND).await, before);

    // The first entry alone is fine (it was never recorded), then a batch that
    // repeats it answers it from the record and posts the new one.
    let first = c
        .post_entry(spend("b1", "3000.00"))
        .await
        .unwrap()
        .into_inner();
    assert!(!first.replayed);
    let r = c
        .post_entries(pb::PostEntriesRequest {
            entries: vec![spend("b1", "3000.00"), spend("b3", "2179.50")],
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        r.results.iter().map(|x| x.replayed).collect::<Vec<_>>(),
        vec![true, false]
    );
    assert_eq!(r.results[0].entry, first.entry);
    assert_eq!(
        r.results[1].entry.as_ref().unwrap().seq,
        first.entry.unwrap().seq + 1
    );
    assert_eq!(balance(&mut c, FUND, "1001").await, "0.00");
    assert_eq!(balance(&mut c, FUND, "5001").await, "5300.00");
}

trait PreconditionSubject {
    fn get_details_precondition_failure_subject(&self) -> String;
}

impl PreconditionSubject for tonic::Status {
    fn get_details_precondition_failure_subject(&self) -> String {
        use tonic_types::StatusExt;
        self.get_details_precondition_failure()
            .and_then(|p| p.violations.first().map(|v| v.subject.clone()))
            .unwrap_or_default()
    }
}

#[tokio::test]
async fn reversals_point_at_the_original_which_never_changes() {
    let server = TestServer::start();
    let mut c = server.client().await;
    seeded_fund(&mut c).await;
    let original = c
        .list_entries(pb::ListEntriesRequest {
            book_id: FUND.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .entries
        .remove(3);
    assert_eq!(original.request_id, "expense");
    let reverse = |id: &str, seq: u64, date: &str| pb::ReverseEntryRequest {
        request_id: id.into(),
        seq,
        value_date: date.into(),
        memo: "posted to the wrong account".into(),
    };
    let rev = c
        .reverse_entry(reverse("rev-4", 4, "2025-02-20"))
        .await
        .unwrap()
        .into_inner()
        .entry
        .unwrap();
    assert_eq!((rev.seq, rev.reverses), (5, 4));
    assert_eq!(rev.postings[0].side, pb::Side::Credit as i32);
    assert_eq!(rev.postings[0].amount, "120.50");
    assert_eq!(balance(&mut c, FUND, "1001").await, "5300.00");
    assert_eq!(balance(&mut c, FUND, "5001").await, "0.00");
    // The original reads back unchanged but for the link to its reversal.
    let entries = c
        .list_entries(pb::ListEntriesRequest {
            book_id: FUND.into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner()
        .entries;
    let again = entries.iter().find(|e| e.seq == 4).unwrap();
    assert_eq!(again.reversed_by, 5);
    assert_eq!(
        (again.hash.as_str(), again.postings.clone()),
        (original.hash.as_str(), original.postings.clone())
    );

    let before = snapshot(&mut c, FUND).await;
    let cases = [
        (
            reverse("rev-4-again", 4, "2025-02-20"),
            Code::FailedPrecondition,
            "entry_reversed_once",
        ),
        (
            reverse("rev-5", 5, "2025-02-20"),
            Code::FailedPrecondition,
            "reversal_not_reversible",
        ),
        (
            reverse("rev-3-early", 3, "2025-02-01"),
            Code::FailedPrecondition,
            "reversal_not_before_original",
        ),
        (reverse("rev-99", 99, "2025-02-20"), Code::NotFound, "seq"),
    ];
    for (req, code, named) in cases {
        let err = c.reverse_entry(req).await.unwrap_err();
        assert_eq!(err.code(), code, "{}", err.message());
        let got = if code == Code::FailedPrecondition {
            broken_rule(&err)
        } else {
            bad_field(&err)
        };
        assert_eq!(got.as_deref(), Some(named), "{}", err.message());
        assert_eq!(snapshot(&mut c, FUND).await, before);
    }

    // Reversing a deposit whose money is spent would overdraw the bank: refused.
    post(
        &mut c,
        transfer("spend-bank", "2025-03-01", FUND, "5001", "1002", "95000.00"),
    )
    .await;
    let err = c
        .reverse_entry(reverse("rev-seed", 1, "2025-03-02"))
        .await
        .unwrap_err();
    assert_eq!(broken_rule(&err).as_deref(), Some("account_non_negative"));
}

#[tokio::test]
async fn closing_a_period_freezes_it() {
    let server = TestServer::start();
    let mut c = server.client().await;
    seeded_fund(&mut c).await;
    let close = |id: &str, period: &str| pb::ClosePeriodRequest {
        request_id: id.into(),
        book_id: FUND.into(),
        period: period.into(),
    };
    let r = c
        .close_period(close("close-jan", "2025-01"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.book.unwrap().closed_through, "2025-01-31");
    assert!(
        c.close_period(close("close-jan", "2025-01"))
            .await
            .unwrap()
            .into_inner()
            .replayed
    );

    let before = snapshot(&mut c, FUND).await;
    let this_month = chrono::Utc::now().format("%Y-%m").to_string();
    for (req, code, named) in [
        (
            close("close-jan-2", "2025-01"),
            Code::FailedPrecondition,
            "period_already_closed",
        ),
        (
            close("close-now", &this_month),
            Code::FailedPrecondition,
            "period_not_ended",
        ),
        (
            close("close-bad", "2025-13"),
            Code::InvalidArgument,
            "period",
        ),
    ] {
        let err = c.close_period(req).await.unwrap_err();
        assert_eq!(err.code(), code, "{}", err.message());
        let got = if code == Code::FailedPrecondition {
            broken_rule(&err)
        } else {
            bad_field(&err)
        };
        assert_eq!(got.as_deref(), Some(named));
    }
    // Reversing a January entry into January is refused; into February it is fine.
    let rev = |id: &str, date: &str| pb::ReverseEntryRequest {
        request_id: id.into(),
        seq: 2,
        value_date: date.into(),
        memo: String::new(),
    };
    let err = c
        .reverse_entry(rev("rev-jan", "2025-01-31"))
        .await
        .unwrap_err();
    assert_eq!(broken_rule(&err).as_deref(), Some("period_closed"));
    assert_eq!(snapshot(&mut c, FUND).await, before);
    c.reverse_entry(rev("rev-feb", "2025-02-01")).await.unwrap();
    // January's balances stand as they were closed.
    assert_eq!(
        balance_as_of(&mut c, FUND, "1002", "2025-01-31").await,
        "95000.00"
    );
    assert_eq!(balance(&mut c, FUND, "1002").await, "100000.00");
}

#[tokio::test]
async fn a_federation_book_refuses_household_accounts() {
    let server = TestServer::start();
    let mut c = server.client().await;
    let fed = "fed-zhuyang";
    let r = create_book(&mut c, fed, BookKind::Federation).await;
    let codes: Vec<String> = r
        .accounts
        .iter()
        .map(|a| a.r#ref.clone().unwrap().code)
        .collect();
    assert!(
        !codes.contains(&"1201".to_string()),
        "no loan account in a federation chart: {codes:?}"
    );
    let open = |sub: &str| pb::OpenAccountRequest {
        request_id: format!("open-{sub}"),
        account: Some(account(fed, "1301", sub)),
        name: String::new(),
        non_negative: false,
    };
    let err = c.open_account(open("member:M01")).await.unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition);
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("federation_never_lends_to_households")
    );
    let err = c.open_account(open("loan:L1")).await.unwrap_err();
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("federation_never_lends_to_households")
    );
    let opened = c
        .open_account(open("fund:dongcun"))
        .await
        .unwrap()
        .into_inner();
    assert!(
        opened.account.unwrap().non_negative,
        "placements cannot go negative"
    );
    // A raw posting to a loan account in a federation finds no such account.
    let err = c
        .post_entry(transfer(
            "fed-loan",
            "2025-03-01",
            fed,
            "1201",
            "1002",
            "100.00",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
    // Sub-accounts follow the chart in any book.
    let err = c
        .open_account(pb::OpenAccountRequest {
            request_id: "open-cash-sub".into(),
            account: Some(account(FUND, "1001", "member:M01")),
            name: String::new(),
            non_negative: false,
        })
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Code::NotFound,
        "no such book yet: {}",
        err.message()
    );
    create_book(&mut c, FUND, BookKind::Fund).await;
    let err = c
        .open_account(pb::OpenAccountRequest {
            request_id: "open-cash-sub-2".into(),
            account: Some(account(FUND, "1001", "member:M01")),
            name: String::new(),
            non_negative: false,
        })
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), bad_field(&err).as_deref()),
        (Code::InvalidArgument, Some("account.sub"))
    );
}

#[tokio::test]
async fn listings_page_by_book_account_and_date() {
    let server = TestServer::start();
    let mut c = server.client().await;
    seeded_fund(&mut c).await;
    // 25 expenses over March: 1.00 each on days 1..=25.
    for d in 1..=25 {
        let date = format!("2025-03-{d:02}");
        post(
            &mut c,
            transfer(&format!("e{d}"), &date, FUND, "5001", "1001", "1.00"),
        )
        .await;
    }
    let mut seen = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let r = c
            .list_entries(pb::ListEntriesRequest {
                book_id: FUND.into(),
                from_date: "2025-03-01".into(),
                to_date: "2025-03-31".into(),
                page_size: 10,
                page_token: token,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner();
        pages += 1;
        seen.extend(r.entries.iter().map(|e| e.request_id.clone()));
        if r.next_page_token.is_empty() {
            break;
        }
        token = r.next_page_token;
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, (1..=25).map(|d| format!("e{d}")).collect::<Vec<_>>());

    // By account: cash has 3 seed-fund entries plus the 25.
    let r = c
        .list_entries(pb::ListEntriesRequest {
            account: Some(account(FUND, "1001", "")),
            page_size: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.entries.len(), 28);
    let r = c
        .list_entries(pb::ListEntriesRequest {
            account: Some(account(FUND, "1001", "")),
            to_date: "2025-02-28".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        r.entries
            .iter()
            .map(|e| e.request_id.as_str())
            .collect::<Vec<_>>(),
        vec!["to-cash", "shares", "expense"]
    );

    for (req, field) in [
        (
            pb::ListEntriesRequest {
                ..Default::default()
            },
            "book_id",
        ),
        (
            pb::ListEntriesRequest {
                book_id: FUND.into(),
                page_token: "zz".into(),
                ..Default::default()
            },
            "page_token",
        ),
        (
            pb::ListEntriesRequest {
                book_id: FUND.into(),
                page_size: 1001,
                ..Default::default()
            },
            "page_size",
        ),
        (
            pb::ListEntriesRequest {
                book_id: FUND.into(),
                from_date: "2025-04-01".into(),
                to_date: "2025-03-01".into(),
                ..Default::default()
            },
            "from_date",
        ),
    ] {
        let err = c.list_entries(req).await.unwrap_err();
        assert_eq!(
            (err.code(), bad_field(&err).as_deref()),
            (Code::InvalidArgument, Some(field))
        );
    }
}

#[tokio::test]
async fn a_restart_keeps_everything_and_the_sequence_goes_on() {
    let mut server = TestServer::start();
    let mut c = server.client().await;
    seeded_fund(&mut c).await;
    let before = snapshot(&mut c, FUND).await;
    drop(c);
    server.terminate().await;
    server.restart();
    let mut c = server.client().await;
    assert_eq!(snapshot(&mut c, FUND).await, before);
    let retry = c
        .post_entry(entry(
            "shares",
            "2025-02-03",
            vec![
                debit(FUND, "1001", "300"),
                credit(FUND, "3002/member:M01", "300.00"),
            ],
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(retry.replayed, "idempotency survives a restart");
    assert_eq!(retry.entry.unwrap().seq, 3);
    let next = post(
        &mut c,
        transfer("after", "2025-03-01", FUND, "5001", "1001", "1.00"),
    )
    .await;
    assert_eq!(next.seq, 5);
    let v = c
        .verify_chain(pb::VerifyChainRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(v.ok, "{:?}", v.problems);
    assert!(server.logs().contains("ledger opened"), "{}", server.logs());
}

#[tokio::test]
async fn health_and_reflection_answer() {
    let server = TestServer::start();
    let channel = tonic::transport::Channel::from_shared(server.addr.clone())
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    let r = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "huzhu.v1.LedgerService".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        r.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    use tonic_reflection::pb::v1::{
        server_reflection_client::ServerReflectionClient,
        server_reflection_request::MessageRequest, server_reflection_response::MessageResponse,
        ServerReflectionRequest,
    };
    let mut reflection = ServerReflectionClient::new(channel);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = reflection
        .server_reflection_info(tokio_stream::once(request))
        .await
        .unwrap()
        .into_inner();
    let response = stream.message().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("unexpected reflection answer");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    assert!(
        names.contains(&"huzhu.v1.LedgerService".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"grpc.health.v1.Health".to_string()),
        "{names:?}"
    );
}

#[tokio::test]
async fn an_idle_client_does_not_hold_up_shutdown() {
    let mut server = TestServer::start();
    let mut c = server.client().await;
    create_book(&mut c, FUND, BookKind::Fund).await;
    // `c` keeps its connection open through the shutdown: the server tells it
    // to go away and, gone or not after SHUTDOWN_GRACE, flushes and exits.
    let began = std::time::Instant::now();
    server.terminate().await;
    assert!(
        began.elapsed() < huzhu::api::SHUTDOWN_GRACE * 3,
        "{:?}",
        began.elapsed()
    );
    assert!(
        server.logs().contains("huzhu server stopped cleanly"),
        "{}",
        server.logs()
    );
    server.restart();
    let mut c2 = server.client().await;
    assert_eq!(snapshot(&mut c2, FUND).await.0, 0);
    drop(c);
}
