//! A township federation through the real server, every number worked by
//! hand: balancing among three funds with fees, supervision ratios by
//! balance, every direct-lending path refused, relief after a write-off, and
//! refusals that name their field or rule and change nothing.
//!
//! Default federation rules: limit 30% of a fund's capital each way,
//! placement rate 3.6% a year (paid to a fund that places), spread 1.2%
//! (a borrowing fund pays 4.8%); fees are principal × rate over the days
//! since the placement in months and days (whole months at rate / 12, odd
//! days at rate / 360), rounded half-up once per repayment.
mod common;

use common::federation::*;
use common::fund::*;
use common::*;
use huzhu::pb::{
    self, federation_service_client::FederationServiceClient, ContributionBasis, PovertyStatus,
    Till,
};
use tonic::Code;
use tonic_types::StatusExt;

const FED: &str = "fed-zhuyang";

async fn clients(s: &TestServer) -> (Federations, FundClient, Client) {
    (
        s.federation_client().await,
        s.fund_client().await,
        s.client().await,
    )
}

/// A fund with `capital` of fiscal support in the bank, admitted to the federation.
async fn member_fund(f: &mut Federations, funds: &mut FundClient, id: &str, capital: &str) {
    fund_with_capital(funds, id, None, &[Capital::fiscal(capital)], "2024-11-01").await;
    admit_fund(f, FED, id, "2024-11-02").await;
}

fn place(id: &str, fund: &str, amount: &str, date: &str) -> pb::PlaceRequest {
    pb::PlaceRequest {
        request_id: format!("place-{id}"),
        federation_id: FED.into(),
        placement_id: id.into(),
        fund_id: fund.into(),
        amount: amount.into(),
        value_date: date.into(),
    }
}

fn repay(rid: &str, id: &str, principal: &str, date: &str) -> pb::RepayPlacementRequest {
    pb::RepayPlacementRequest {
        request_id: rid.into(),
        federation_id: FED.into(),
        placement_id: id.into(),
        principal: principal.into(),
        value_date: date.into(),
    }
}

/// A refusal for a broken business rule: FAILED_PRECONDITION naming `rule`.
fn assert_refused(e: &tonic::Status, rule: &str) {
    assert_eq!(
        (e.code(), broken_rule(e).as_deref()),
        (Code::FailedPrecondition, Some(rule)),
        "{e:?}"
    );
}

async fn assert_balanced(c: &mut Client, book: &str) {
    let tb = trial_balance(c, book, "").await;
    assert_eq!(tb.total_debit, tb.total_credit, "trial balance of {book}");
}

/// A household of `status` joining on 2024-11-01 and its loan, disbursed;
/// `checker` (another token than the one `funds` calls with) approves it.
async fn member_with_loan(
    funds: &mut FundClient,
    checker: &mut FundClient,
    status: PovertyStatus,
    loan: &LoanTerms<'_>,
) {
    let household = join_request(loan.fund, loan.member, status, "2024-11-01");
    join(funds, household).await;
    disbursed_loan(funds, checker, loan).await;
}

/// Funds A (capital 200,000, limit 60,000) and B (100,000, limit 30,000)
/// place 50,000 and 30,000 with the federation on March 1; the federation,
/// with 20,000 of its own seed capital, places 95,000 with C (400,000,
/// limit 120,000) on March 2: 80,000 borrowed + 15,000 of its own.
/// C repays 33,333.33 on April 1 (30 days, short of a month): fee 33,333.33
/// × 0.048 × 30 / 360 = 133.33332 → 133.33; and 61,666.67 on June 30 (three
/// months to June 2, then 28 days): 61,666.67 × 0.048 × (90 + 28) / 360 =
/// 970.22227 → 970.22. The federation repays A on June 30 (three months to
/// June 1, then 29 days): 50,000 × 0.036 × 119 / 360 = 595.00, and B: 30,000
/// × 0.036 × 119 / 360 = 357.00.
#[tokio::test]
async fn balancing_among_three_funds_with_fees() {
    let s = TestServer::start();
    let (mut f, mut funds, mut c) = clients(&s).await;
    create_federation(&mut f, FED).await;
    add_federation_capital(&mut f, FED, "county", "20000", "2025-01-02").await;
    for (id, capital) in [
        ("fund-a", "200000"),
        ("fund-b", "100000"),
        ("fund-c", "400000"),
    ] {
        member_fund(&mut f, &mut funds, id, capital).await;
    }
    let a = f
        .place_with_federation(place("P-A", "fund-a", "50000", "2025-03-01"))
        .await
        .unwrap()
        .into_inner();
    // One entry, spanning the fund's book and the federation's.
    assert_eq!(a.entry_seqs.len(), 1);
    f.place_with_federation(place("P-B", "fund-b", "30000", "2025-03-01"))
        .await
        .unwrap();
    let to_c = f
        .lend_to_fund(place("L-C", "fund-c", "95000", "2025-03-02"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(to_c.placement.unwrap().rate_annual, "0.048");
    // Placements (95,000) = borrowings (50,000 + 30,000) + own capital used
    // (20,000 seed − 5,000 still in the bank).
    assert_eq!(balance(&mut c, FED, "1301/fund:fund-c").await, "95000.00");
    assert_eq!(balance(&mut c, FED, "2101/fund:fund-a").await, "50000.00");
    assert_eq!(balance(&mut c, FED, "2101/fund:fund-b").await, "30000.00");
    assert_eq!(balance(&mut c, FED, "1002").await, "5000.00");
    assert_eq!(balance(&mut c, "fund-a", "1301").await, "50000.00");
    assert_eq!(balance(&mut c, "fund-a", "1002").await, "150000.00");
    assert_eq!(balance(&mut c, "fund-c", "2101").await, "95000.00");
    assert_eq!(balance(&mut c, "fund-c", "1002").await, "495000.00");
    for book in [FED, "fund-a", "fund-b", "fund-c"] {
        assert_balanced(&mut c, book).await;
    }

    let part = f
        .repay_placement(repay("repay-c-1", "L-C", "33333.33", "2025-04-01"))
        .await
        .unwrap()
        .into_inner()
        .placement
        .unwrap();
    assert_eq!(part.outstanding, "61666.67");
    assert_eq!(part.fees_paid, "133.33");
    let pos = f
        .get_balancing_position(pb::GetBalancingPositionRequest {
            federation_id: FED.into(),
            fund_id: "fund-c".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (
            pos.capital.as_str(),
            pos.limit.as_str(),
            pos.borrowed.as_str(),
            pos.placed.as_str(),
            pos.fees_paid.as_str()
        ),
        ("400000.00", "120000.00", "61666.67", "0.00", "133.33")
    );
    let whole = f
        .repay_placement(repay("repay-c-2", "L-C", "61666.67", "2025-06-30"))
        .await
        .unwrap()
        .into_inner()
        .placement
        .unwrap();
    assert_eq!(
        (whole.outstanding.as_str(), whole.fees_paid.as_str()),
        ("0.00", "1103.55")
    );
    let back_a = f
        .repay_placement(repay("repay-a", "P-A", "50000", "2025-06-30"))
        .await
        .unwrap()
        .into_inner()
        .placement
        .unwrap();
    assert_eq!(back_a.fees_paid, "595.00");
    let back_b = f
        .repay_placement(repay("repay-b", "P-B", "30000", "2025-06-30"))
        .await
        .unwrap()
        .into_inner()
        .placement
        .unwrap();
    assert_eq!(back_b.fees_paid, "357.00");

    // Every fund's cash back to the fen:
    // A: 200,000 − 50,000 + 50,595 = 200,595.00, the fee in 4002;
    // B: 100,000 − 30,000 + 30,357 = 100,357.00;
    // C: 400,000 + 95,000 − 33,466.66 − 62,636.89 = 398,896.45, fees 1,103.55 in 5003;
    // federation: 5,000 + 96,103.55 − 50,595 − 30,357 = 20,151.55
    // = seed 20,000 + fee income 1,103.55 − fees paid 952.00.
    assert_eq!(balance(&mut c, "fund-a", "1002").await, "200595.00");
    assert_eq!(balance(&mut c, "fund-a", "4002").await, "595.00");
    assert_eq!(balance(&mut c, "fund-a", "1301").await, "0.00");
    assert_eq!(balance(&mut c, "fund-b", "1002").await, "100357.00");
    assert_eq!(balance(&mut c, "fund-b", "4002").await, "357.00");
    assert_eq!(balance(&mut c, "fund-c", "1002").await, "398896.45");
    assert_eq!(balance(&mut c, "fund-c", "5003").await, "1103.55");
    assert_eq!(balance(&mut c, "fund-c", "2101").await, "0.00");
    assert_eq!(balance(&mut c, FED, "1002").await, "20151.55");
    assert_eq!(balance(&mut c, FED, "4001").await, "1103.55");
    assert_eq!(balance(&mut c, FED, "5003").await, "952.00");
    assert_eq!(balance(&mut c, FED, "1301/fund:fund-c").await, "0.00");
    assert_eq!(balance(&mut c, FED, "2101/fund:fund-a").await, "0.00");
    for book in [FED, "fund-a", "fund-b", "fund-c"] {
        assert_balanced(&mut c, book).await;
    }
    // Nothing open: a fund may now leave.
    let left = f
        .remove_fund(pb::FundMembershipRequest {
            request_id: "remove-b".into(),
            federation_id: FED.into(),
            fund_id: "fund-b".into(),
            date: "2025-07-01".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(left.member_funds, ["fund-a", "fund-c"]);
}

/// Fund D: 99,750 of fiscal capital and 250 of risk reserve (capital
/// 100,000). Bullet loans, as of 2025-04-15:
/// - L1, M1 (poor), 5,000, 1 month from 2025-01-10: due Feb 10, 64 days late;
/// - L2, M2, 1,500, 1 month from 2025-03-01: due Apr 1, 14 days late;
/// - L3, M3, 500, 1 month from 2024-12-01: due Jan 1, 104 days late;
/// - L4, M4 (poor), 3,000, 12 months from 2025-03-01: not due.
///
/// Gross 10,000. PAR30 by balance = (5,000 + 500) / 10,000 = 0.55, though
/// by count it would be 2 / 4 = 0.5; PAR90 = 500 / 10,000 = 0.05; largest
/// borrower 5,000 / 10,000 = 0.5; poor 8,000 / 10,000 = 0.8; liquidity
/// (100,000 − 10,000) / 100,000 = 0.9; utilization 0.1; reserve cover 250 /
/// 500 = 0.5; nothing written off in 2025: 0. Alerts: PAR30 above 5%, and the
/// first quarter, due by April 5, not closed.
/// All as the books stood on April 15, though L1 is paid off on April 20.
/// As of 2025-02-15 only L1 (5 days) and L3 (45 days) were out: PAR30 =
/// 500 / 5,500 = 0.090909… → 0.0909; liquidity 94,500 / 100,000 = 0.945.
#[tokio::test]
async fn supervision_ratios_by_balance() {
    let s = TestServer::start();
    let (mut f, mut funds, mut c) = clients(&s).await;
    create_federation(&mut f, FED).await;
    member_fund(&mut f, &mut funds, "fund-d", "99750").await;
    let mut checker = s.checker_fund_client().await;
    post(
        &mut c,
        transfer("reserve", "2024-11-01", "fund-d", "1002", "3103", "250"),
    )
    .await;
    for (m, status, l, principal, months, date) in [
        (
            "M1",
            PovertyStatus::LowIncome,
            "L1",
            "5000",
            1,
            "2025-01-10",
        ),
        ("M2", PovertyStatus::None, "L2", "1500", 1, "2025-03-01"),
        ("M3", PovertyStatus::None, "L3", "500", 1, "2024-12-01"),
        ("M4", PovertyStatus::Dibao, "L4", "3000", 12, "2025-03-01"),
    ] {
        let terms = LoanTerms {
            term_months: months,
            ..LoanTerms::new("fund-d", l, m, principal).on(date)
        };
        member_with_loan(&mut funds, &mut checker, status, &terms).await;
    }
    // L1 is paid off on April 20, after the date read: 5,000 + its fee
    // 5,000 × 0.072 / 12 = 30.00 + penalty on 5,000 overdue from February 10,
    // counted in months and days: two whole months (60) and 10 days, 5,000
    // × 0.036 × 70 / 360 = 35.00 (69 actual days). On April 15 it was still
    // 64 days late and in PAR30.
    let paid = funds
        .repay_loan(pb::RepayLoanRequest {
            request_id: "payoff-L1".into(),
            fund_id: "fund-d".into(),
            loan_id: "L1".into(),
            amount: "5065.00".into(),
            till: Till::Bank as i32,
            date: "2025-04-20".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(paid.loan.unwrap().status, pb::LoanStatus::Closed as i32);
    let dash = |as_of: &str| pb::GetDashboardRequest {
        federation_id: FED.into(),
        as_of: as_of.into(),
        period_from: String::new(),
    };
    let d = f
        .get_dashboard(dash("2025-04-15"))
        .await
        .unwrap()
        .into_inner();
    let i = &d.funds[0];
    assert_eq!(i.fund_id, "fund-d");
    assert_eq!(i.gross_portfolio, "10000.00");
    assert_eq!(i.par30_balance, "5500.00");
    assert_eq!(i.par90_balance, "500.00");
    assert_eq!(i.par30, "0.55");
    assert_eq!(i.par90, "0.05");
    assert_eq!(i.write_off_ratio, "0");
    assert_eq!(i.liquidity, "0.9");
    assert_eq!(i.utilization, "0.1");
    assert_eq!(i.largest_borrower_share, "0.5");
    assert_eq!(i.poor_share, "0.8");
    assert_eq!(i.reserve_cover, "0.5");
    assert_eq!(i.capital, "100000.00");
    assert_eq!(
        i.alerts,
        [
            "PAR30 0.55 is above 0.05",
            "quarter 2025Q1 not closed by 2025-04-05 (closed through no month)"
        ]
    );
    assert_eq!(d.alerts, 2);

    let before = f
        .get_dashboard(dash("2025-02-15"))
        .await
        .unwrap()
        .into_inner();
    let i = &before.funds[0];
    assert_eq!(i.gross_portfolio, "5500.00");
    assert_eq!(i.par30, "0.0909");
    assert_eq!(i.par90, "0");
    assert_eq!(i.liquidity, "0.945");
    assert_eq!(i.reserve_cover, "");

    // As of today the balances are read from memory (nothing may be dated
    // later), before today from the posting index: with every entry in
    // 2025, the two agree on every figure of this year.
    let today = huzhu::domain::dates::business_today();
    let yesterday = today.pred_opt().unwrap().to_string();
    let since_2025 = |as_of: &str| pb::GetDashboardRequest {
        period_from: "2025-01-01".into(),
        ..dash(as_of)
    };
    let (now, then) = (
        f.get_dashboard(since_2025("")).await.unwrap().into_inner(),
        f.get_dashboard(since_2025(&yesterday))
            .await
            .unwrap()
            .into_inner(),
    );
    assert_eq!((now.as_of, then.as_of), (today.to_string(), yesterday));
    assert_eq!(now.funds, then.funds);
    assert_eq!(
        (now.bank.as_str(), now.funds[0].gross_portfolio.as_str()),
        (then.bank.as_str(), "5000.00")
    );
}

/// Every way to lend to a household from a federation's book is refused,
/// with its rule, and the federation's book is unchanged.
#[tokio::test]
async fn every_direct_lending_path_is_refused() {
    let s = TestServer::start();
    let (mut f, mut funds, mut c) = clients(&s).await;
    create_federation(&mut f, FED).await;
    let before = snapshot(&mut c, FED).await;
    let rule = "federation_never_lends_to_households";

    let e = funds
        .join_member(join_request(FED, "M1", PovertyStatus::Dibao, "2025-01-01"))
        .await
        .unwrap_err();
    assert_refused(&e, rule);
    let l1 = LoanTerms::new(FED, "L1", "M1", "1000").on("2025-01-01");
    let e = funds.apply_loan(l1.apply_request()).await.unwrap_err();
    assert_refused(&e, rule);
    let e = funds
        .disburse_loan(l1.disburse_request())
        .await
        .unwrap_err();
    assert_refused(&e, rule);
    let e = funds
        .repay_loan(pb::RepayLoanRequest {
            request_id: "repay-in-federation".into(),
            fund_id: FED.into(),
            loan_id: "L1".into(),
            amount: "100".into(),
            till: Till::Bank as i32,
            date: "2025-01-01".into(),
        })
        .await
        .unwrap_err();
    assert_refused(&e, rule);
    let e = funds
        .set_poverty_status(pb::SetPovertyStatusRequest {
            request_id: "status-in-federation".into(),
            fund_id: FED.into(),
            member_id: "M1".into(),
            status: PovertyStatus::Dibao as i32,
            risk_cause: String::new(),
            date: "2025-01-01".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_refused(&e, rule);
    for (code, sub) in [
        ("1201", "loan:L1"),
        ("1301", "member:M1"),
        ("2101", "loan:L1"),
    ] {
        let e = c
            .open_account(pb::OpenAccountRequest {
                request_id: format!("open-{code}-{sub}"),
                account: Some(account(FED, code, sub)),
                name: String::new(),
                non_negative: false,
            })
            .await
            .unwrap_err();
        assert_refused(&e, rule);
    }
    let e = c
        .post_entry(transfer(
            "raw-loan",
            "2025-01-01",
            FED,
            "1201/loan:L1",
            "1002",
            "100",
        ))
        .await
        .unwrap_err();
    assert_refused(&e, rule);
    assert_eq!(snapshot(&mut c, FED).await, before);
}

/// Fund A (100,000) writes off L1 (2,000, M1); it contributed 3,000 to the
/// pool, fund B 5% of its 600.00 fee income = 30.00: pool 3,030.00. A grant
/// of 1,800.00 requested by the clerk, refused to the clerk's own approval,
/// approved by the chair: pool 1,230.00; fund A's bank 100,000 − 2,000 −
/// 3,000 + 1,800 = 96,800.00, 4003 1,800.00. Only 200.00 of the loss is
/// left for more relief.
#[tokio::test]
async fn relief_after_a_write_off_lands_in_both_books() {
    let s = TestServer::start();
    let (mut f, mut funds, mut c) = clients(&s).await;
    create_federation(&mut f, FED).await;
    member_fund(&mut f, &mut funds, "fund-a", "100000").await;
    member_fund(&mut f, &mut funds, "fund-b", "50000").await;
    post(
        &mut c,
        transfer("fees-b", "2025-01-20", "fund-b", "1002", "4001", "600"),
    )
    .await;
    let mut checker = s.checker_fund_client().await;
    let l1 = LoanTerms::new("fund-a", "L1", "M1", "2000").on("2025-01-10");
    member_with_loan(&mut funds, &mut checker, PovertyStatus::Wubao, &l1).await;
    let contribute = |id: &str, fund: &str, basis: ContributionBasis, amount: &str, share: &str| {
        pb::ContributeReliefRequest {
            request_id: format!("contribute-{id}"),
            federation_id: FED.into(),
            contribution_id: id.into(),
            fund_id: fund.into(),
            basis: basis as i32,
            amount: amount.into(),
            share: share.into(),
            value_date: "2025-02-01".into(),
        }
    };
    f.contribute_relief(contribute(
        "C1",
        "fund-a",
        ContributionBasis::Fixed,
        "3000",
        "",
    ))
    .await
    .unwrap();
    let pool = f
        .contribute_relief(contribute(
            "C2",
            "fund-b",
            ContributionBasis::FeeShare,
            "",
            "0.05",
        ))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(pool.pool, "3030.00");
    assert_eq!(balance(&mut c, "fund-b", "5001").await, "30.00");

    let request = |id: &str, amount: &str| pb::RequestReliefRequest {
        request_id: format!("request-{id}-{amount}"),
        federation_id: FED.into(),
        grant_id: id.into(),
        fund_id: "fund-a".into(),
        loan_id: "L1".into(),
        amount: amount.into(),
        reason: "flood took the pigs".into(),
        date: "2025-06-05".into(),
    };
    // Before the write-off there is no loss to relieve.
    let e = f.request_relief(request("G0", "100")).await.unwrap_err();
    assert_refused(&e, "relief_after_write_off");
    // Asked for by one token, written off by another.
    funds
        .request_write_off(pb::RequestWriteOffRequest {
            request_id: "request-write-off".into(),
            fund_id: "fund-a".into(),
            loan_id: "L1".into(),
            board_decision: "board 2025-06 no. 3".into(),
        })
        .await
        .unwrap();
    checker
        .write_off_loan(pb::WriteOffLoanRequest {
            request_id: "write-off".into(),
            fund_id: "fund-a".into(),
            loan_id: "L1".into(),
            date: "2025-06-01".into(),
        })
        .await
        .unwrap();
    let e = f
        .request_relief(request("G1", "2000.01"))
        .await
        .unwrap_err();
    assert_refused(&e, "relief_after_write_off");
    f.request_relief(request("G1", "1800")).await.unwrap();
    let approve = |who: &str| pb::ApproveReliefRequest {
        request_id: format!("approve-{who}"),
        federation_id: FED.into(),
        grant_id: "G1".into(),
        value_date: "2025-06-10".into(),
    };
    // The token that requested the grant may not approve it; another may.
    let e = f.approve_relief(approve("requester")).await.unwrap_err();
    assert_refused(&e, "self_approval");
    assert_eq!(balance(&mut c, FED, "3101").await, "3030.00");
    let done = FederationServiceClient::new(s.checker().await)
        .approve_relief(approve("chair"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(done.pool, "1230.00");
    assert_eq!(done.entry_seqs.len(), 1);
    let kinds: Vec<i32> = done.history.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            pb::ReliefKind::Contribution as i32,
            pb::ReliefKind::Contribution as i32,
            pb::ReliefKind::GrantRequested as i32,
            pb::ReliefKind::GrantApproved as i32,
        ]
    );
    assert_eq!(balance(&mut c, FED, "1002").await, "1230.00");
    assert_eq!(balance(&mut c, "fund-a", "1002").await, "96800.00");
    assert_eq!(balance(&mut c, "fund-a", "4003").await, "1800.00");
    assert_eq!(balance(&mut c, "fund-a", "5001").await, "3000.00");
    assert_eq!(balance(&mut c, "fund-a", "5002").await, "2000.00");
    let e = f.request_relief(request("G2", "200.01")).await.unwrap_err();
    assert_refused(&e, "relief_after_write_off");
    f.request_relief(request("G2", "200")).await.unwrap();
    for book in [FED, "fund-a", "fund-b"] {
        assert_balanced(&mut c, book).await;
    }
}

/// Bad input names its field, a broken rule its name; neither changes
/// anything; a retry answers the first result and posts nothing.
#[tokio::test]
async fn refusals_name_the_field_or_rule_and_retries_post_once() {
    let s = TestServer::start();
    let (mut f, mut funds, mut c) = clients(&s).await;
    let e = f
        .create_federation(pb::CreateFederationRequest {
            request_id: "bad-rules".into(),
            rules: Some(pb::FederationRules {
                limit_share: "1.5".into(),
                ..Default::default()
            }),
            ..federation_request(FED)
        })
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), bad_field(&e).as_deref()),
        (Code::InvalidArgument, Some("rules.limit_share"))
    );
    create_federation(&mut f, FED).await;
    // Capital 100,000: limit 30,000 each way.
    member_fund(&mut f, &mut funds, "fund-a", "100000").await;

    // One federation per fund.
    create_federation(&mut f, "fed-other").await;
    let e = f
        .admit_fund(admit_request("fed-other", "fund-a", "2025-01-01"))
        .await
        .unwrap_err();
    assert_refused(&e, "one_federation_per_fund");

    // A township official may not chair.
    let officer = |name: &str, official: bool| pb::Officer {
        name: name.into(),
        fund_id: "fund-a".into(),
        township_official: official,
    };
    let elect = |chair: pb::Officer| pb::ElectBoardRequest {
        request_id: format!("elect-{}", chair.name),
        federation_id: FED.into(),
        chair: Some(chair),
        directors: vec![officer("Wang Fang", false)],
        supervisors: vec![officer("Zhao Lei", false)],
        date: "2025-01-05".into(),
    };
    let e = f
        .elect_board(elect(officer("Deputy Mayor Sun", true)))
        .await
        .unwrap_err();
    assert_refused(&e, "official_may_not_chair");
    // Every officer is the delegate of a member fund; the refusal names which.
    let mut outsider = elect(officer("Li Ming", false));
    outsider.request_id = "elect-outsider".into();
    outsider.directors[0].fund_id = "fund-elsewhere".into();
    let e = f.elect_board(outsider).await.unwrap_err();
    assert_refused(&e, "officers_are_delegates_of_member_funds");
    let subject = e
        .get_details_precondition_failure()
        .map(|p| p.violations[0].subject.clone());
    assert_eq!(subject.as_deref(), Some("directors[0]"));
    let none = f
        .get_federation(pb::GetFederationRequest {
            federation_id: FED.into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(none.chair.is_none());
    let elected = f
        .elect_board(elect(officer("Li Ming", false)))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(elected.chair.unwrap().name, "Li Ming");

    let before = (
        snapshot(&mut c, FED).await,
        snapshot(&mut c, "fund-a").await,
    );
    for (amount, field) in [("0", "amount"), ("12.345", "amount"), ("-5", "amount")] {
        let e = f
            .place_with_federation(place("P1", "fund-a", amount, "2025-03-01"))
            .await
            .unwrap_err();
        assert_eq!(
            (e.code(), bad_field(&e).as_deref()),
            (Code::InvalidArgument, Some(field))
        );
    }
    // The caller is the token: a call without one is not authenticated,
    // and the treasurer of another federation may not place with this one.
    let mut anonymous = FederationServiceClient::connect(s.addr.clone())
        .await
        .unwrap();
    let e = anonymous
        .place_with_federation(place("P1", "fund-a", "100", "2025-03-01"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::Unauthenticated, "{e:?}");
    let other = s
        .issue(pb::Role::FederationTreasurer, "federation:fed-other")
        .await;
    let e = FederationServiceClient::new(s.channel_as(&other).await)
        .place_with_federation(place("P1", "fund-a", "100", "2025-03-01"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::PermissionDenied, "{e:?}");
    let e = f
        .place_with_federation(place("P1", "fund-a", "30000.01", "2025-03-01"))
        .await
        .unwrap_err();
    assert_refused(&e, "placement_limit");
    let e = f
        .lend_to_fund(place("L1", "fund-zzz", "100", "2025-03-01"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
    assert_eq!(
        (
            snapshot(&mut c, FED).await,
            snapshot(&mut c, "fund-a").await
        ),
        before
    );

    // At the limit it goes; a retry answers the first result and posts nothing.
    let first = f
        .place_with_federation(place("P1", "fund-a", "30000", "2025-03-01"))
        .await
        .unwrap()
        .into_inner();
    assert!(!first.replayed);
    let again = f
        .place_with_federation(place("P1", "fund-a", "30000", "2025-03-01"))
        .await
        .unwrap()
        .into_inner();
    assert!(again.replayed);
    assert_eq!(balance(&mut c, "fund-a", "1301").await, "30000.00");
    // The same request id with another payload is refused.
    let e = f
        .place_with_federation(place("P1", "fund-a", "100", "2025-03-01"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::AlreadyExists);
    // So is the same request from another token: a retry is the same caller's.
    let e = FederationServiceClient::new(s.checker().await)
        .place_with_federation(place("P1", "fund-a", "30000", "2025-03-01"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::AlreadyExists);
    assert_eq!(balance(&mut c, "fund-a", "1301").await, "30000.00");
    let e = f
        .repay_placement(repay("too-much", "P1", "30000.01", "2025-04-01"))
        .await
        .unwrap_err();
    assert_refused(&e, "repay_within_outstanding");
    let e = f
        .remove_fund(pb::FundMembershipRequest {
            request_id: "remove-a".into(),
            federation_id: FED.into(),
            fund_id: "fund-a".into(),
            date: "2025-04-01".into(),
        })
        .await
        .unwrap_err();
    assert_refused(&e, "remove_without_open_placements");
    assert_eq!(balance(&mut c, "fund-a", "1301").await, "30000.00");
}
