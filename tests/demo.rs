//! `huzhu demo` against a real server: the Zhuyang federation's headline
//! totals (DOMAIN.md §1) read back through the API, and a second run that
//! finds the federation loaded already and changes nothing.
mod common;

use common::*;
use huzhu::pb;

const FUNDS: [&str; 10] = [
    "fund-dongcun",
    "fund-xicun",
    "fund-nanshan",
    "fund-beipo",
    "fund-hetou",
    "fund-shangyang",
    "fund-xiayang",
    "fund-lijia",
    "fund-wangjia",
    "fund-zhangwan",
];

fn run_demo(s: &TestServer) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args(["demo", "--server", &s.addr])
        // The admin token's file: the demo calls as admin.
        .envs(s.cli_env())
        .output()
        .expect("run huzhu demo");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "demo failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The ten funds' total of CODE[/SUB]; `with_subs` adds every sub-account of the code.
async fn sum_of(c: &mut Client, code: &str, with_subs: bool) -> String {
    let (code, sub) = code.split_once('/').unwrap_or((code, ""));
    let mut total = rust_decimal::Decimal::ZERO;
    for fund in FUNDS {
        total += c
            .get_balance(pb::GetBalanceRequest {
                account: Some(account(fund, code, sub)),
                as_of: String::new(),
                include_sub_accounts: with_subs,
            })
            .await
            .unwrap()
            .into_inner()
            .balance
            .parse::<rust_decimal::Decimal>()
            .unwrap();
    }
    total.to_string()
}

#[tokio::test]
async fn the_demo_loads_the_zhuyang_federation() {
    let s = TestServer::start();
    let printed = run_demo(&s);
    assert!(printed.contains("member households 905"), "{printed}");
    let (mut c, mut f) = (s.client().await, s.fund_client().await);
    let head = trial_balance(&mut c, "fed-zhuyang", "").await.head_seq;

    let mut members = 0;
    let (mut loans, mut closed, mut principal) = (0, 0, rust_decimal::Decimal::ZERO);
    for fund in FUNDS {
        members += f
            .get_fund(pb::GetFundRequest {
                fund_id: fund.into(),
            })
            .await
            .unwrap()
            .into_inner()
            .active_members;
        let ledger = f
            .list_loans(pb::ListLoansRequest {
                fund_id: fund.into(),
                as_of: String::new(),
            })
            .await
            .unwrap()
            .into_inner()
            .loans;
        loans += ledger.len();
        closed += ledger
            .iter()
            .filter(|l| l.status == pb::LoanStatus::Closed as i32)
            .count();
        for l in &ledger {
            principal += l.principal.parse::<rust_decimal::Decimal>().unwrap();
        }
        let tb = trial_balance(&mut c, fund, "").await;
        assert_eq!(tb.total_debit, tb.total_credit, "{fund}");
    }
    assert_eq!(members, 905);
    assert_eq!((loans, closed), (211, 56));
    assert_eq!(principal.to_string(), "2609000.00");
    // Capital by source, and 6,400 of fees on the 56 loans repaid.
    assert_eq!(
        sum_of(&mut c, "3001/source:fiscal", false).await,
        "1000000.00"
    );
    assert_eq!(
        sum_of(&mut c, "3001/source:special", false).await,
        "1100000.00"
    );
    assert_eq!(sum_of(&mut c, "3002", true).await, "934000.00");
    assert_eq!(sum_of(&mut c, "4001", false).await, "6400.00");
    // Principal out: 2,609,000 disbursed − 380,000 repaid.
    assert_eq!(sum_of(&mut c, "1201", true).await, "2229000.00");

    // A second run finds the federation there and posts nothing.
    let again = run_demo(&s);
    assert!(
        again.contains("fed-zhuyang is loaded already") && again.contains("nothing posted"),
        "{again}"
    );
    assert_eq!(
        trial_balance(&mut c, "fed-zhuyang", "").await.head_seq,
        head
    );
}
