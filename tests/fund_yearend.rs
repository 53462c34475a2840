//! Year-end distribution through the real server, worked by hand.
//!
//! In 2025 the fund earns 1,234.56 of deposit interest and spends 234.55 on
//! management: surplus 1,000.01. At 10/20/30/40: welfare 100.001 → 100.00,
//! risk 300.003 → 300.00, dividends 400.004 → 400.00, and the accumulation
//! reserve takes the rest, 200.01. Dividends by shares held on December 31
//! (M1 100 own + 200 allocated = 300, M2 200, M3 100): 200.00, 133.333... and
//! 66.666...; floors 200.00, 133.33, 66.66 leave a fen for the largest
//! remainder, M3: 66.67.
mod common;

use common::fund::*;
use common::yearend::fund;
use common::*;
use huzhu::pb::{self, DividendBasis};
use tonic::Code;

fn year_end(id: &str, fund: &str, year: u32, basis: DividendBasis) -> pb::RunYearEndRequest {
    pb::RunYearEndRequest {
        request_id: id.into(),
        fund_id: fund.into(),
        year,
        basis: basis as i32,
    }
}

#[tokio::test]
async fn the_surplus_goes_to_reserves_and_dividends() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;
    let id = "fund-nianzhong";
    fund(&mut f, &mut c, id, None).await;

    day_end_through(&mut f, id, "2025-12-31").await;
    let y = f
        .run_year_end(year_end("ye-2025", id, 2025, DividendBasis::Shares))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            y.surplus.as_str(),
            y.welfare.as_str(),
            y.accumulation.as_str(),
            y.risk.as_str(),
            y.dividends.as_str()
        ),
        ("1000.01", "100.00", "200.01", "300.00", "400.00")
    );
    let paid: Vec<(String, String)> = y
        .member_dividends
        .iter()
        .map(|d| (d.member_id.clone(), d.amount.clone()))
        .collect();
    assert_eq!(
        paid,
        vec![
            ("M1".into(), "200.00".into()),
            ("M2".into(), "133.33".into()),
            ("M3".into(), "66.67".into())
        ]
    );
    for (account, want) in [
        ("3101", "100.00"),
        ("3102", "200.01"),
        ("3103", "300.00"),
        ("3201", "0.00"),
        ("2201/member:M1", "200.00"),
        ("2201/member:M2", "133.33"),
        ("2201/member:M3", "66.67"),
        ("5001", "0.00"),
        ("4002", "50.00"),
    ] {
        assert_eq!(balance(&mut c, id, account).await, want, "{account}");
    }
    assert_eq!(
        balance_as_of(&mut c, id, "4002", "2025-12-31").await,
        "0.00",
        "2025's income is closed"
    );
    let before = snapshot(&mut c, id).await;
    let err = f
        .run_year_end(year_end("ye-2025-again", id, 2025, DividendBasis::Shares))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), broken_rule(&err).as_deref()),
        (Code::FailedPrecondition, Some("year_end_once_per_year"))
    );
    assert!(
        f.run_year_end(year_end("ye-2025", id, 2025, DividendBasis::Shares))
            .await
            .unwrap()
            .into_inner()
            .replayed
    );
    let err = f
        .run_year_end(year_end("ye-x", id, 2025, DividendBasis::Unspecified))
        .await
        .unwrap_err();
    assert_eq!(bad_field(&err).as_deref(), Some("basis"));
    assert_eq!(snapshot(&mut c, id).await, before);
    let tb = trial_balance(&mut c, id, "").await;
    assert_eq!(tb.total_debit, tb.total_credit);
}

/// Where dividends are forbidden (0%, risk 70%): 1,000.01 x 0.7 = 700.007 →
/// 700.01 to risk, 100.00 to welfare, and the accumulation reserve takes
/// 1,000.01 - 100.00 - 700.01 = 200.00. A loss year closes and distributes nothing.
#[tokio::test]
async fn zero_dividends_and_a_loss_year() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;
    let id = "fund-nodiv";
    let rules = pb::FundRules {
        dividend_share: "0".into(),
        risk_share: "0.70".into(),
        ..Default::default()
    };
    fund(&mut f, &mut c, id, Some(rules)).await;
    day_end_through(&mut f, id, "2025-12-31").await;
    let y = f
        .run_year_end(year_end("ye", id, 2025, DividendBasis::Shares))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            y.welfare.as_str(),
            y.accumulation.as_str(),
            y.risk.as_str(),
            y.dividends.as_str()
        ),
        ("100.00", "200.00", "700.01", "0.00")
    );
    assert!(y.member_dividends.is_empty());
    assert_eq!(balance(&mut c, id, "2201/member:M1").await, "0.00");

    let loss = "fund-loss";
    let gift = [Capital::donation("500")];
    fund_with_capital(&mut f, loss, None, &gift, "2024-03-01").await;
    post(
        &mut c,
        transfer("loss-expense", "2024-05-01", loss, "5001", "1001", "100.00"),
    )
    .await;
    day_end_through(&mut f, loss, "2024-12-31").await;
    let y = f
        .run_year_end(year_end("ye-loss", loss, 2024, DividendBasis::Shares))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (y.surplus.as_str(), y.welfare.as_str(), y.dividends.as_str()),
        ("-100.00", "0.00", "0.00")
    );
    assert_eq!(balance(&mut c, loss, "5001").await, "0.00");
    assert_eq!(
        balance(&mut c, loss, "3201").await,
        "-100.00",
        "the loss stays undistributed"
    );
}

/// The year-end locks its year (issue 13): it needs the day-end through
/// December 31 and a year that is over; it closes every month of the year,
/// so an entry dated in 2025 is refused afterwards and the distributed
/// surplus stays what the books say. A correction is an entry of the open
/// year.
#[tokio::test]
async fn the_year_end_locks_the_year() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;
    let id = "fund-suoding";
    fund(&mut f, &mut c, id, None).await;

    let e = f
        .run_year_end(year_end("ye-early", id, 2025, DividendBasis::Shares))
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), broken_rule(&e).as_deref()),
        (Code::FailedPrecondition, Some("year_end_after_day_end")),
        "{}",
        e.message()
    );
    day_end_through(&mut f, id, "2025-12-31").await;
    // The year 2026 is not over (today is in it or before it ends).
    let e = f
        .run_year_end(year_end("ye-2026", id, 2026, DividendBasis::Shares))
        .await
        .unwrap_err();
    assert_eq!(broken_rule(&e).as_deref(), Some("year_end_after_day_end"));

    let y = f
        .run_year_end(year_end("ye-2025", id, 2025, DividendBasis::Shares))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(y.surplus, "1000.01");
    let (_, _, closed) = snapshot(&mut c, id).await;
    assert_eq!(closed, "2025-12-31", "every month of 2025 is closed");

    // An entry dated in April 2025 is refused and changes nothing; the same
    // correction dated in the open year is booked.
    let before = snapshot(&mut c, id).await;
    let late = f
        .add_capital(capital_request(
            "late-gift",
            id,
            Capital::donation("100"),
            "2025-04-01",
        ))
        .await
        .unwrap_err();
    assert_eq!(
        (late.code(), broken_rule(&late).as_deref()),
        (Code::FailedPrecondition, Some("period_closed")),
        "{}",
        late.message()
    );
    assert_eq!(snapshot(&mut c, id).await, before);
    f.add_capital(capital_request(
        "late-gift-2026",
        id,
        Capital::donation("100"),
        "2026-01-10",
    ))
    .await
    .unwrap();
    assert_eq!(
        balance_as_of(&mut c, id, "3201", "2025-12-31").await,
        "0.00",
        "the surplus of 2025 is all distributed, and stays so"
    );
}

/// PreviewYearEnd answers the split RunYearEnd then books, and records
/// nothing: before the day-end through December 31 it is refused by the
/// same rule, after the year-end by the rule of one year-end a year.
#[tokio::test]
async fn the_preview_is_the_split_the_year_end_books() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;
    let id = "fund-yulan";
    fund(&mut f, &mut c, id, None).await;
    let early = f
        .preview_year_end(year_end("", id, 2025, DividendBasis::Shares))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rule(&early).as_deref(),
        Some("year_end_after_day_end")
    );
    day_end_through(&mut f, id, "2025-12-31").await;
    let before = snapshot(&mut c, id).await;
    let preview = f
        .preview_year_end(year_end("", id, 2025, DividendBasis::Shares))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        snapshot(&mut c, id).await,
        before,
        "a preview records nothing"
    );
    assert!(preview.entry_seqs.is_empty());
    assert_eq!(
        (
            preview.surplus.as_str(),
            preview.accumulation.as_str(),
            preview.dividends.as_str()
        ),
        ("1000.01", "200.01", "400.00")
    );
    let run = f
        .run_year_end(year_end("ye-yulan", id, 2025, DividendBasis::Shares))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        pb::YearEndResponse {
            entry_seqs: Vec::new(),
            ..run
        },
        preview,
        "the year-end books what the preview showed"
    );
    let after = f
        .preview_year_end(year_end("", id, 2025, DividendBasis::Shares))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rule(&after).as_deref(),
        Some("year_end_once_per_year")
    );
}
