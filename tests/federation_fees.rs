//! Balancing fees through the real server, worked by hand: a federation's
//! day count (DOMAIN.md §2) and the fees a fund's year-end books when they
//! are due and unpaid at December 31 (DOMAIN.md §4, §6).
//!
//! Default federation rules: a fund that places earns 3.6% a year, a fund
//! that borrows pays 4.8%; limit 30% of a fund's capital each way.
mod common;

use common::federation::*;
use common::fund::*;
use common::*;
use huzhu::pb;

const FED: &str = "fed-zhuyang";

fn place(fed: &str, id: &str, fund: &str, amount: &str, date: &str) -> pb::PlaceRequest {
    pb::PlaceRequest {
        request_id: format!("place-{id}"),
        federation_id: fed.into(),
        placement_id: id.into(),
        fund_id: fund.into(),
        amount: amount.into(),
        value_date: date.into(),
    }
}

fn repay(fed: &str, id: &str, principal: &str, date: &str) -> pb::RepayPlacementRequest {
    pb::RepayPlacementRequest {
        request_id: format!("repay-{id}-{date}"),
        federation_id: fed.into(),
        placement_id: id.into(),
        principal: principal.into(),
        value_date: date.into(),
    }
}

/// A fund with `capital` of fiscal support, admitted to `fed`.
async fn member_fund(
    feds: &mut Federations,
    funds: &mut FundClient,
    fed: &str,
    id: &str,
    capital: &str,
) {
    fund_with_capital(funds, id, None, &[Capital::fiscal(capital)], "2024-11-01").await;
    admit_fund(feds, fed, id, "2024-11-02").await;
}

fn year_end(fund: &str, year: u32) -> pb::RunYearEndRequest {
    pb::RunYearEndRequest {
        request_id: format!("ye-{fund}-{year}"),
        fund_id: fund.into(),
        year,
        basis: pb::DividendBasis::Shares as i32,
    }
}

/// 100,000 placed on January 10, 2025 and repaid on March 25 at 3.6%: in
/// months and days (the default) two months, 100,000 × 0.036 × 2 / 12 =
/// 600.00, and 15 days, 100,000 × 0.036 × 15 / 360 = 150.00: 750.00; in
/// actual days, 21 + 28 + 25 = 74, 100,000 × 0.036 × 74 / 360 = 740.00.
#[tokio::test]
async fn a_federation_counts_fee_days_as_its_rules_say() {
    let s = TestServer::start();
    let (mut feds, mut funds) = (s.federation_client().await, s.fund_client().await);
    create_federation(&mut feds, "fed-md").await;
    let mut actual = federation_request("fed-360");
    actual.rules = Some(pb::FederationRules {
        day_count: pb::DayCount::Actual360 as i32,
        ..Default::default()
    });
    let created = ok(
        feds.create_federation(actual).await,
        "the actual/360 federation",
    );
    let rules = created.rules.unwrap();
    assert_eq!(rules.day_count, pb::DayCount::Actual360 as i32);
    assert_eq!(rules.placement_rate_annual, "0.036");
    let mut c = s.client().await;
    for (fed, fund, fee) in [
        ("fed-md", "fund-x", "750.00"),
        ("fed-360", "fund-y", "740.00"),
    ] {
        add_federation_capital(&mut feds, fed, "county", "5000", "2025-01-02").await;
        member_fund(&mut feds, &mut funds, fed, fund, "400000").await;
        let id = format!("P-{fund}");
        ok(
            feds.place_with_federation(place(fed, &id, fund, "100000", "2025-01-10"))
                .await,
            "the placement",
        );
        let back = ok(
            feds.repay_placement(repay(fed, &id, "100000", "2025-03-25"))
                .await,
            "the repayment",
        );
        assert_eq!(back.placement.unwrap().fees_paid, fee, "{fed}");
        assert_eq!(
            balance(&mut c, fund, "4002").await,
            fee,
            "{fund}'s deposit interest"
        );
    }
    let default = ok(
        feds.get_federation(pb::GetFederationRequest {
            federation_id: "fed-md".into(),
        })
        .await,
        "the default federation",
    );
    assert_eq!(
        default.rules.unwrap().day_count,
        pb::DayCount::MonthsAndDays as i32
    );
}

/// Fund A places 50,000 on October 1, 2025 (3.6%); the federation lends
/// 40,000 to fund C on November 15 (4.8%), which C repays on January 15,
/// 2026 (two months, 40,000 × 0.048 × 2 / 12 = 320.00), before its
/// year-end has run.
///
/// A's year-end 2025 books October 1 → January 1, three months: 50,000 ×
/// 0.036 × 3 / 12 = 450.00, receivable from the federation (1302) and its
/// surplus: welfare 45.00, risk 135.00, the 40% of dividends (no member
/// holds shares) to accumulation with its own 20%: 270.00. The federation
/// owes it (2102) as an expense of 2025 (5003). Repaid on February 10
/// (four months and 9 days, 50,000 × 0.036 × 129 / 360 = 645.00), the fee
/// settles the 450.00 and 195.00 is the new year's income.
///
/// C's year-end 2025 books what the January repayment paid for 2025:
/// November 15 → January 1, one month and 17 days, 40,000 × 0.048 × 47 /
/// 360 = 250.666… → 250.67, its deficit; on January 15 that part goes back,
/// so 2026 carries 320.00 − 250.67 = 69.33.
#[tokio::test]
async fn a_year_end_books_the_fees_due_and_unpaid() {
    let s = TestServer::start();
    let (mut feds, mut funds, mut c) = (
        s.federation_client().await,
        s.fund_client().await,
        s.client().await,
    );
    create_federation(&mut feds, FED).await;
    add_federation_capital(&mut feds, FED, "county", "5000", "2025-01-02").await;
    for fund in ["fund-a", "fund-c"] {
        member_fund(&mut feds, &mut funds, FED, fund, "200000").await;
    }
    ok(
        feds.place_with_federation(place(FED, "P-A", "fund-a", "50000", "2025-10-01"))
            .await,
        "A's placement",
    );
    ok(
        feds.lend_to_fund(place(FED, "L-C", "fund-c", "40000", "2025-11-15"))
            .await,
        "C's borrowing",
    );
    let c_back = ok(
        feds.repay_placement(repay(FED, "L-C", "40000", "2026-01-15"))
            .await,
        "C repays",
    );
    assert_eq!(c_back.placement.unwrap().fees_paid, "320.00");

    for fund in ["fund-a", "fund-c"] {
        day_end_through(&mut funds, fund, "2025-12-31").await;
    }
    let a = ok(
        funds.run_year_end(year_end("fund-a", 2025)).await,
        "A's year-end",
    );
    assert_eq!(
        (
            a.surplus.as_str(),
            a.welfare.as_str(),
            a.risk.as_str(),
            a.accumulation.as_str(),
            a.dividends.as_str()
        ),
        ("450.00", "45.00", "135.00", "270.00", "0.00")
    );
    assert_eq!(
        balance(&mut c, "fund-a", "1302/federation:fed-zhuyang").await,
        "450.00"
    );
    assert_eq!(balance(&mut c, FED, "2102/fund:fund-a").await, "450.00");
    assert_eq!(
        balance_as_of(&mut c, FED, "5003", "2025-12-31").await,
        "450.00"
    );
    let replayed = ok(
        funds.run_year_end(year_end("fund-a", 2025)).await,
        "the retry",
    );
    assert!(replayed.replayed);
    assert_eq!(balance(&mut c, FED, "2102/fund:fund-a").await, "450.00");

    let cy = ok(
        funds.run_year_end(year_end("fund-c", 2025)).await,
        "C's year-end",
    );
    assert_eq!(
        (cy.surplus.as_str(), cy.welfare.as_str()),
        ("-250.67", "0.00")
    );
    assert_eq!(
        balance_as_of(&mut c, "fund-c", "5003", "2026-01-31").await,
        "69.33"
    );
    assert_eq!(
        balance(&mut c, "fund-c", "2102/federation:fed-zhuyang").await,
        "0.00"
    );
    assert_eq!(
        balance_as_of(&mut c, FED, "4001", "2025-12-31").await,
        "250.67"
    );
    assert_eq!(balance(&mut c, FED, "4001").await, "320.00");
    assert_eq!(balance(&mut c, FED, "1302/fund:fund-c").await, "0.00");

    let a_back = ok(
        feds.repay_placement(repay(FED, "P-A", "50000", "2026-02-10"))
            .await,
        "A is repaid",
    );
    assert_eq!(a_back.placement.unwrap().fees_paid, "645.00");
    assert_eq!(
        balance(&mut c, "fund-a", "1302/federation:fed-zhuyang").await,
        "0.00"
    );
    assert_eq!(
        balance_as_of(&mut c, "fund-a", "4002", "2026-02-28").await,
        "195.00"
    );
    // 200,000 − 50,000 + 50,645.00.
    assert_eq!(balance(&mut c, "fund-a", "1002").await, "200645.00");
    assert_eq!(balance(&mut c, FED, "2102/fund:fund-a").await, "0.00");
    assert_eq!(balance(&mut c, FED, "5003").await, "645.00");
    // The federation's bank: 5,000 + 50,000 − 40,000 + 40,320 − 50,645.
    assert_eq!(balance(&mut c, FED, "1002").await, "4675.00");
    for book in [FED, "fund-a", "fund-c"] {
        let tb = trial_balance(&mut c, book, "").await;
        assert_eq!(tb.total_debit, tb.total_credit, "trial balance of {book}");
    }
}
