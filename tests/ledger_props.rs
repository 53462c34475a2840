//! Property tests of the engine: random sequences of valid and invalid
//! entries and reversals, checked against an independent model after every
//! step: refusals change nothing, every book's trial balance is zero, and
//! replaying the journal (verify, reopen from checkpoints) reproduces every balance.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use huzhu::domain::chart::BookKind;
use huzhu::ledger::record::Side;
use huzhu::ledger::{
    AccountName, CreateBook, Ledger, NewEntry, OpenAccount, Options, PostingInput, ReverseEntry,
};
use proptest::prelude::*;

const BOOKS: [&str; 2] = ["fund-a", "fund-b"];
/// Cash and bank may not go negative; the others may.
const ACCOUNTS: [(&str, &str); 6] = [
    ("1001", ""),
    ("1002", ""),
    ("3004", ""),
    ("5001", ""),
    ("2201", "member:a"),
    ("2201", "member:b"),
];

#[derive(Debug, Clone)]
enum Op {
    /// Dr (book, x) / Cr (book2, y); `skew` adds a fen to the credit.
    Transfer {
        book: usize,
        x: usize,
        book2: usize,
        y: usize,
        fen: i64,
        skew: bool,
        day: u32,
    },
    /// A balanced entry across both books (four postings).
    Across {
        x: usize,
        y: usize,
        fen: i64,
        day: u32,
    },
    /// Reverse the k-th accepted entry (modulo their count).
    Reverse { k: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..2usize, 0..6usize, 0..2usize, 0..6usize, 1..50_000i64, prop::bool::weighted(0.1), 0..120u32)
            .prop_map(|(book, x, b2, y, fen, skew, day)| Op::Transfer { book, x, book2: if b2 == 0 { book } else { b2 }, y, fen, skew, day }),
        1 => (0..6usize, 0..6usize, 1..50_000i64, 0..120u32).prop_map(|(x, y, fen, day)| Op::Across { x, y, fen, day }),
        2 => (0..1000usize).prop_map(|k| Op::Reverse { k }),
    ]
}

fn name(book: usize, a: usize) -> AccountName {
    AccountName {
        book_id: BOOKS[book].into(),
        code: ACCOUNTS[a].0.into(),
        sub: ACCOUNTS[a].1.into(),
    }
}

fn p(book: usize, a: usize, side: Side, fen: i64) -> PostingInput {
    PostingInput {
        account: name(book, a),
        side,
        amount_fen: fen,
    }
}

/// The model: debit-positive balances per (book, account index).
type Model = HashMap<(usize, usize), i128>;
/// (book, account index, side, amount in fen)
type Leg = (usize, usize, Side, i64);

fn debit_normal(a: usize) -> bool {
    matches!(ACCOUNTS[a].0, "1001" | "1002" | "5001")
}

/// Whether the model accepts these postings, and the balances after them.
fn model_apply(model: &Model, postings: &[Leg]) -> Option<Model> {
    let mut per_book = [0i128; 2];
    let mut next = model.clone();
    for (b, a, side, fen) in postings {
        let signed = if *side == Side::Debit {
            i128::from(*fen)
        } else {
            -i128::from(*fen)
        };
        per_book[*b] += signed;
        *next.entry((*b, *a)).or_insert(0) += signed;
    }
    if per_book.iter().any(|s| *s != 0) {
        return None;
    }
    for ((_, a), bal) in &next {
        if matches!(ACCOUNTS[*a].0, "1001" | "1002") && *bal < 0 {
            return None;
        }
    }
    Some(next)
}

struct World {
    rt: tokio::runtime::Runtime,
    ledger: Ledger,
    dir: tempfile::TempDir,
    options: Options,
}

impl World {
    fn new() -> Self {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        // Checkpoints every few entries, so reopening replays a tail after one.
        let options = Options {
            cache_bytes: 8 << 20,
            checkpoint_every: 7,
            ..Options::default()
        };
        let ledger = Ledger::open(dir.path(), &options).unwrap();
        let w = Self {
            rt,
            ledger,
            dir,
            options,
        };
        for (i, book) in BOOKS.iter().enumerate() {
            w.rt.block_on(w.ledger.create_book(CreateBook {
                request_id: format!("book-{i}"),
                actor: "prop".into(),
                book_id: (*book).into(),
                kind: BookKind::Fund,
                name: (*book).into(),
            }))
            .unwrap();
            for sub in ["member:a", "member:b"] {
                w.rt.block_on(w.ledger.open_account(OpenAccount {
                    request_id: format!("open-{i}-{sub}"),
                    actor: "prop".into(),
                    account: AccountName {
                        book_id: (*book).into(),
                        code: "2201".into(),
                        sub: sub.into(),
                    },
                    name: sub.into(),
                    non_negative: false,
                }))
                .unwrap();
            }
        }
        w
    }

    fn balances(&self) -> Model {
        let mut m = Model::new();
        for b in 0..2 {
            for a in 0..ACCOUNTS.len() {
                let bal = self
                    .ledger
                    .balance(&name(b, a), None, false)
                    .unwrap()
                    .normal_fen;
                m.insert((b, a), if debit_normal(a) { bal } else { -bal });
            }
        }
        m
    }

    /// Stops the writer and opens the store again, as a restart does.
    fn reopen(&mut self) {
        self.rt.block_on(self.ledger.shutdown()).unwrap();
        // sled's file lock goes with the last handle: replace it with a
        // handle on another store first, then open this one again.
        let other = tempfile::tempdir().unwrap();
        let old = std::mem::replace(
            &mut self.ledger,
            Ledger::open(other.path(), &self.options).unwrap(),
        );
        drop(old);
        self.ledger = Ledger::open(self.dir.path(), &self.options).unwrap();
    }
}

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(i64::from(day))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn books_stay_balanced_and_refusals_change_nothing(ops in prop::collection::vec(op(), 1..60)) {
        let mut w = World::new();
        let mut model: Model = w.balances();
        // Accepted entries: (seq, postings, date, reversed?)
        let mut accepted: Vec<(u64, Vec<Leg>, NaiveDate)> = Vec::new();
        let mut reversed: HashSet<u64> = HashSet::new();
        for (i, op) in ops.iter().enumerate() {
            let head_before = w.ledger.head_seq();
            let (postings, day, reverse_of) = match op {
                Op::Transfer { book, x, book2, y, fen, skew, day } => (
                    vec![(*book, *x, Side::Debit, *fen), (*book2, *y, Side::Credit, fen + i64::from(*skew))],
                    date(*day),
                    None,
                ),
                Op::Across { x, y, fen, day } => (
                    vec![(0, *x, Side::Debit, *fen), (0, *y, Side::Credit, *fen), (1, *y, Side::Debit, *fen), (1, *x, Side::Credit, *fen)],
                    date(*day),
                    None,
                ),
                Op::Reverse { k } => {
                    if accepted.is_empty() { continue; }
                    let (seq, postings, d) = accepted[k % accepted.len()].clone();
                    let swapped = postings.iter().map(|(b, a, s, f)| (*b, *a, s.opposite(), *f)).collect();
                    (swapped, d, Some(seq))
                }
            };
            let already = reverse_of.is_some_and(|s| reversed.contains(&s));
            let expected = if already { None } else { model_apply(&model, &postings) };
            let result = match reverse_of {
                None => w.rt.block_on(w.ledger.post(vec![NewEntry {
                    request_id: format!("op-{i}"),
                    actor: "prop".into(),
                    value_date: day,
                    memo: String::new(),
                    postings: postings.iter().map(|(b, a, s, f)| p(*b, *a, *s, *f)).collect(),
                }], false)).map(|mut v| v.remove(0).seq),
                Some(seq) => w.rt.block_on(w.ledger.reverse(ReverseEntry {
                    request_id: format!("op-{i}"),
                    actor: "prop".into(),
                    seq,
                    value_date: day,
                    memo: String::new(),
                })).map(|o| o.seq),
            };
            match (expected, result) {
                (Some(next), Ok(seq)) => {
                    prop_assert_eq!(seq, head_before + 1, "gap-free sequence");
                    model = next;
                    if let Some(orig) = reverse_of { reversed.insert(orig); reversed.insert(seq); } else { accepted.push((seq, postings, day)); }
                }
                (None, Err(_)) => prop_assert_eq!(w.ledger.head_seq(), head_before, "a refusal records nothing"),
                (e, r) => prop_assert!(false, "model {:?} but ledger {:?} for {:?}", e.is_some(), r, op),
            }
            prop_assert_eq!(&w.balances(), &model, "balances after {:?}", op);
            for book in BOOKS {
                let tb = w.ledger.trial_balance(book, None).unwrap();
                prop_assert_eq!(tb.lines.iter().map(|(_, f)| *f).sum::<i128>(), 0, "trial balance of {}", book);
            }
        }
        let report = w.ledger.verify(&|_, _| {}).unwrap();
        prop_assert!(report.ok(), "{:?}", report.problems);
        prop_assert_eq!(report.entries_checked, w.ledger.head_seq());
        // Point in time: at the last possible date every balance is today's.
        for b in 0..2 {
            for a in 0..ACCOUNTS.len() {
                let no = w.ledger.book(BOOKS[b]).unwrap().1.iter().find(|(m, _)| m.code == ACCOUNTS[a].0 && m.sub == ACCOUNTS[a].1).unwrap().0.no;
                prop_assert_eq!(w.ledger.balance_as_of(no, date(400), w.ledger.head_seq()).unwrap(), model[&(b, a)]);
            }
        }
        // Reopening (checkpoint + tail replay) reproduces every balance.
        w.reopen();
        prop_assert_eq!(&w.balances(), &model);
        let report = w.ledger.verify(&|_, _| {}).unwrap();
        prop_assert!(report.ok(), "{:?}", report.problems);
    }
}
