//! A fund's management expenses kept by category (DOMAIN.md §4), through
//! the real server and the `huzhu fund record-expense` command: each is Dr
//! 5001/expense:{category}, Cr the till, the category's sub-account opened
//! by its first expense.
//!
//! Fund: 50,000.00 of fiscal capital in the bank, 1,000.00 donated in cash.
mod common;

use common::extract::huzhu_as;
use common::fund::*;
use common::*;
use huzhu::pb::{self, Till};
use tonic::Code;

const FUND: &str = "fund-kaizhi";

fn expense(id: &str, category: &str, amount: &str, till: Till) -> pb::RecordExpenseRequest {
    pb::RecordExpenseRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        category: category.into(),
        amount: amount.into(),
        till: till as i32,
        value_date: "2025-03-05".into(),
        memo: "paper and ink".into(),
    }
}

/// Office: 120.50 and 79.50 in cash, 200.00; training: 300.00 from the bank
/// (the command line's); 5001 with its categories 500.00. Cash 1,000 −
/// 200 = 800.00, bank 50,000 − 300 = 49,700.00. A retry posts nothing; a
/// category that is no identifier, a zero amount, and more than the cash
/// box holds (800.01) are refused and change nothing.
#[tokio::test]
async fn expenses_are_kept_by_category() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;
    let capital = [Capital::fiscal("50000"), Capital::donation("1000")];
    fund_with_capital(&mut f, FUND, None, &capital, "2025-03-01").await;
    let first = ok(
        f.record_expense(expense("exp-1", "office", "120.50", Till::Cash))
            .await,
        "the first office expense",
    );
    assert_eq!((first.entry_seqs.len(), first.replayed), (1, false));
    ok(
        f.record_expense(expense("exp-2", "office", "79.50", Till::Cash))
            .await,
        "more office",
    );
    let token = server.admin_token();
    let args = [
        "fund",
        "record-expense",
        FUND,
        "--category",
        "training",
        "--amount",
        "300",
    ];
    let rest = [
        "--till",
        "bank",
        "--date",
        "2025-03-06",
        "--memo",
        "bookkeeping course",
    ];
    let (done, out) = huzhu_as(&server, &token, &[&args[..], &rest[..]].concat());
    assert!(done, "{out}");

    assert_eq!(balance(&mut c, FUND, "5001/expense:office").await, "200.00");
    assert_eq!(
        balance(&mut c, FUND, "5001/expense:training").await,
        "300.00"
    );
    let all = c
        .get_balance(pb::GetBalanceRequest {
            account: Some(account(FUND, "5001", "")),
            as_of: String::new(),
            include_sub_accounts: true,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(all.balance, "500.00");
    assert_eq!(balance(&mut c, FUND, "1001").await, "800.00");
    assert_eq!(balance(&mut c, FUND, "1002").await, "49700.00");

    let before = snapshot(&mut c, FUND).await;
    let again = ok(
        f.record_expense(expense("exp-1", "office", "120.50", Till::Cash))
            .await,
        "a retry",
    );
    assert!(again.replayed && again.entry_seqs.is_empty());
    for (what, request, code, named) in [
        (
            "a category with a space",
            expense("exp-3", "office supplies", "1", Till::Cash),
            Code::InvalidArgument,
            "category",
        ),
        (
            "no amount",
            expense("exp-4", "office", "0", Till::Cash),
            Code::InvalidArgument,
            "amount",
        ),
        (
            "more than the cash box",
            expense("exp-5", "office", "800.01", Till::Cash),
            Code::FailedPrecondition,
            "account_non_negative",
        ),
    ] {
        let err = f.record_expense(request).await.expect_err(what);
        assert_eq!(err.code(), code, "{what}: {}", err.message());
        let got = if code == Code::FailedPrecondition {
            broken_rule(&err)
        } else {
            bad_field(&err)
        };
        assert_eq!(got.as_deref(), Some(named), "{what}: {}", err.message());
    }
    assert_eq!(
        snapshot(&mut c, FUND).await,
        before,
        "retry and refusals changed nothing"
    );
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(
        (tb.total_debit.as_str(), tb.total_credit.as_str()),
        ("51000.00", "51000.00")
    );
}
