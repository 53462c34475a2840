//! Business operations as plans: books, accounts, entries and registry
//! records stored together or not at all; retries replayed; records kept.
use chrono::NaiveDate;
use huzhu::domain::chart::BookKind;
use huzhu::ledger::record::Side;
use huzhu::ledger::{
    payload_hash, AccountName, Ledger, LedgerError, Options, Plan, PlannedAccount, PlannedBook,
    PlannedEntry, PostingInput,
};

fn acct(book: &str, code: &str, sub: &str) -> AccountName {
    AccountName {
        book_id: book.into(),
        code: code.into(),
        sub: sub.into(),
    }
}

fn leg(book: &str, code: &str, sub: &str, side: Side, fen: i64) -> PostingInput {
    PostingInput {
        account: acct(book, code, sub),
        side,
        amount_fen: fen,
    }
}

/// A fund book, a member's share account, 500.00 of seed and 100.00 of
/// shares paid in cash, and a member record.
fn founding(cash_fen: i64) -> Plan {
    let date = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    Plan {
        books: vec![PlannedBook {
            book_id: "fund-p".into(),
            kind: BookKind::Fund,
            name: "P".into(),
        }],
        accounts: vec![PlannedAccount {
            account: acct("fund-p", "3002", "member:M1"),
            name: "M1".into(),
            non_negative: true,
        }],
        entries: vec![
            PlannedEntry {
                value_date: date,
                memo: "seed".into(),
                postings: vec![
                    leg("fund-p", "1001", "", Side::Debit, 50_000),
                    leg("fund-p", "3004", "", Side::Credit, 50_000),
                ],
            },
            PlannedEntry {
                value_date: date,
                memo: "spend".into(),
                postings: vec![
                    leg("fund-p", "5001", "", Side::Debit, cash_fen),
                    leg("fund-p", "1001", "", Side::Credit, cash_fen),
                ],
            },
        ],
        records: vec![("member/fund-p/M1".into(), r#"{"name":"M1"}"#.into())],
        ..Plan::default()
    }
}

async fn apply(
    l: &Ledger,
    id: &str,
    fingerprint: &str,
    plan: Plan,
) -> Result<(bool, Vec<u64>), LedgerError> {
    l.apply(
        id.into(),
        "clerk".into(),
        payload_hash("test", &fingerprint),
        Box::new(move |_, _| Ok(plan)),
        false,
    )
    .await
}

#[tokio::test]
async fn a_plan_is_stored_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let l = Ledger::open(dir.path(), &Options::default()).unwrap();

    // Spending 500.01 of 500.00 cash breaks the rule: no book, account, entry or record.
    let err = apply(&l, "op-1", "a", founding(50_001)).await.unwrap_err();
    assert!(
        matches!(
            err,
            LedgerError::Rule {
                rule: "account_non_negative",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(l.book("fund-p").is_err());
    assert_eq!(l.head_seq(), 0);
    assert!(l.record("member/fund-p/M1").is_none());

    // A planner's own refusal changes nothing either.
    let err = l
        .apply(
            "op-2".into(),
            "clerk".into(),
            payload_hash("test", &"b"),
            Box::new(|_, _| Err(LedgerError::invalid("member_id", "is taken"))),
            false,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, LedgerError::InvalidArgument { .. }));

    let (replayed, seqs) = apply(&l, "op-3", "c", founding(20_000)).await.unwrap();
    assert!(!replayed);
    assert_eq!(seqs, vec![1, 2]);
    let (book, accounts) = l.book("fund-p").unwrap();
    assert_eq!(book.kind, BookKind::Fund);
    let cash = accounts.iter().find(|(a, _)| a.code == "1001").unwrap().1;
    assert_eq!(cash, 30_000);
    assert!(accounts
        .iter()
        .any(|(a, _)| a.sub == "member:M1" && a.non_negative));
    let record = l.record("member/fund-p/M1").unwrap();
    assert_eq!(
        (record.version, record.value.as_slice()),
        (1, br#"{"name":"M1"}"#.as_slice())
    );
    let entry = l.entry(2).unwrap();
    assert_eq!(entry.record.0.request_id, "op-3#2");
    assert_eq!(entry.record.0.actor, "clerk");
    // Several entries read back in one pass, in order; none past the head.
    let memos = |seqs: &[u64]| -> Vec<String> {
        let records = l.entry_records(seqs).unwrap();
        records.into_iter().map(|r| r.memo).collect()
    };
    assert_eq!(memos(&[1, 2]), ["seed", "spend"]);
    assert_eq!(memos(&[2]), ["spend"]);
    assert!(memos(&[]).is_empty());
    assert!(matches!(
        l.entry_records(&[2, 3]).unwrap_err(),
        LedgerError::NotFound { .. }
    ));

    // A retry is answered from the record; the same id for another request is refused.
    assert_eq!(
        apply(&l, "op-3", "c", founding(20_000)).await.unwrap(),
        (true, vec![])
    );
    assert!(matches!(
        apply(&l, "op-3", "d", founding(1)).await.unwrap_err(),
        LedgerError::AlreadyExists { .. }
    ));
    assert_eq!(l.head_seq(), 2);

    // The next write of a record raises its version; all of it survives a reopen.
    let update = Plan {
        records: vec![(
            "member/fund-p/M1".into(),
            r#"{"name":"M1","left":true}"#.into(),
        )],
        ..Plan::default()
    };
    apply(&l, "op-4", "e", update).await.unwrap();
    assert_eq!(l.record("member/fund-p/M1").unwrap().version, 2);
    l.shutdown().await.unwrap();
    drop(l);
    let l = Ledger::open(dir.path(), &Options::default()).unwrap();
    assert_eq!(l.record("member/fund-p/M1").unwrap().version, 2);
    assert_eq!(l.records_under("member/fund-p/").len(), 1);
    assert!(l.verify(&|_, _| {}).unwrap().ok());
    assert_eq!(
        apply(&l, "op-3", "c", founding(20_000)).await.unwrap(),
        (true, vec![])
    );
}
