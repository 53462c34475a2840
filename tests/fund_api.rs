//! FundService against the real server: a fund with seed capital, 20 member
//! households of mixed poverty status, own and allocated shares, a status
//! change with its history; every bad input refused with its rule and no
//! change; the books balance and match hand-computed totals.
mod common;

use common::fund::*;
use common::*;
use huzhu::pb::{self, PovertyStatus, ShareClass, Till};
use tonic::Code;

const FUND: &str = "fund-xiaocun";
const DATE: &str = "2025-03-01";

/// Members M01..M20: M01-M06 registered poor, M07-M09 low income, M10-M11
/// 低保, M12 五保, M13-M14 monitored on the edge, M15 monitored unstable,
/// M16-M20 none.
fn status_of(k: u32) -> (PovertyStatus, &'static str) {
    match k {
        1..=6 => (PovertyStatus::RegisteredPoor, ""),
        7..=9 => (PovertyStatus::LowIncome, ""),
        10..=11 => (PovertyStatus::Dibao, ""),
        12 => (PovertyStatus::Wubao, ""),
        13..=14 => (PovertyStatus::MonitoredEdge, "serious illness"),
        15 => (PovertyStatus::MonitoredUnstable, "flood damage"),
        _ => (PovertyStatus::None, ""),
    }
}

fn join(k: u32, household: &str) -> pb::JoinMemberRequest {
    let (status, cause) = status_of(k);
    pb::JoinMemberRequest {
        household_id: household.into(),
        risk_cause: cause.into(),
        ..join_request(FUND, &format!("M{k:02}"), status, DATE)
    }
}

fn buy(id: &str, member: &str, amount: &str) -> pb::BuySharesRequest {
    pb::BuySharesRequest {
        request_id: id.into(),
        ..buy_request(FUND, member, amount, DATE)
    }
}

fn allocate(id: &str, member: &str, amount: &str) -> pb::AllocateSharesRequest {
    pb::AllocateSharesRequest {
        request_id: id.into(),
        ..allocate_request(FUND, member, amount, DATE)
    }
}

fn refund(id: &str, member: &str, amount: &str, class: ShareClass) -> pb::RefundSharesRequest {
    pb::RefundSharesRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        member_id: member.into(),
        amount: amount.into(),
        class: class as i32,
        till: Till::Cash as i32,
        value_date: "2025-04-01".into(),
    }
}

fn capital(id: &str, capital: Capital) -> pb::AddCapitalRequest {
    capital_request(id, FUND, capital, DATE)
}

async fn sub_total(c: &mut Client, code: &str) -> String {
    c.get_balance(pb::GetBalanceRequest {
        account: Some(account(FUND, code, "")),
        as_of: String::new(),
        include_sub_accounts: true,
    })
    .await
    .unwrap()
    .into_inner()
    .balance
}

/// What a member and the fund's books look like: to show a refusal changed nothing.
async fn state(
    f: &mut FundClient,
    c: &mut Client,
) -> (pb::MemberResponse, (u64, Vec<pb::TrialBalanceLine>, String)) {
    let m = f
        .get_member(pb::GetMemberRequest {
            fund_id: FUND.into(),
            member_id: "M02".into(),
        })
        .await
        .unwrap()
        .into_inner();
    (m, snapshot(c, FUND).await)
}

#[tokio::test]
async fn a_fund_with_twenty_households_and_their_shares() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let mut c = server.client().await;

    let created = create_fund(&mut f, FUND, None).await;
    let rules = created.rules.unwrap();
    assert_eq!(
        (
            rules.share_price.as_str(),
            rules.first_loan_max.as_str(),
            rules.loan_max.as_str()
        ),
        ("100.00", "10000", "20000")
    );
    assert_eq!(
        (
            rules.term_max_months,
            rules.leave_notice_months,
            rules.min_age_years
        ),
        (12, 2, 18)
    );

    // Capital: 100,000 fiscal and 50,000 special support into the bank, 2,000 donated in cash.
    f.add_capital(capital("cap-1", Capital::fiscal("100000.00")))
        .await
        .unwrap();
    f.add_capital(capital("cap-2", Capital::special("50000.00")))
        .await
        .unwrap();
    let donation = f
        .add_capital(capital("cap-3", Capital::donation("2000.00")))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(donation.entry_seqs, vec![3]);

    for k in 1..=20 {
        let m = f
            .join_member(join(k, &format!("H{k:02}")))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(m.member.unwrap().status, status_of(k).0 as i32);
    }
    // Own shares: 200 for k = 1 mod 3, 300 for 2 mod 3, 100 for 0 mod 3:
    // 7 x 200 + 7 x 300 + 6 x 100 = 4,100.00 in cash.
    for k in 1..=20u32 {
        let amount = match k % 3 {
            1 => "200",
            2 => "300",
            _ => "100",
        };
        f.buy_shares(buy(&format!("buy-{k}"), &format!("M{k:02}"), amount))
            .await
            .unwrap();
    }
    // 500.00 allocated to each of the six registered poor households, from fiscal seed capital.
    for k in 1..=6 {
        let m = f
            .allocate_shares(allocate(&format!("alloc-{k}"), &format!("M{k:02}"), "500"))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(m.allocated_shares, "500.00");
    }
    // M01 leaves poverty; the history keeps both statuses.
    let m = f
        .set_poverty_status(pb::SetPovertyStatusRequest {
            request_id: "status-m01".into(),
            fund_id: FUND.into(),
            member_id: "M01".into(),
            status: PovertyStatus::None as i32,
            risk_cause: String::new(),
            date: "2025-03-20".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let hist: Vec<i32> = m
        .member
        .as_ref()
        .unwrap()
        .status_history
        .iter()
        .map(|s| s.status)
        .collect();
    assert_eq!(
        hist,
        vec![
            PovertyStatus::RegisteredPoor as i32,
            PovertyStatus::None as i32
        ]
    );
    assert_eq!(
        m.allocated_shares, "500.00",
        "allocated shares stay after the status changes"
    );
    // M02 takes 100.00 of own shares back in cash: 300 - 100 = 200.
    let m = f
        .refund_shares(refund("refund-m02", "M02", "100", ShareClass::Own))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(m.own_shares, "200.00");

    // Retries post nothing twice.
    let again = f
        .buy_shares(buy("buy-1", "M01", "200"))
        .await
        .unwrap()
        .into_inner();
    assert!(again.replayed);
    assert!(
        f.join_member(join(3, "H03"))
            .await
            .unwrap()
            .into_inner()
            .replayed
    );

    // Every bad input is refused with its rule or field, and changes nothing.
    let mut under_age = join(21, "H21");
    under_age.birth_date = "2007-03-02".into();
    let mut away = join(22, "H22");
    away.resident = false;
    let mut no_cause = join(23, "H23");
    no_cause.status = PovertyStatus::MonitoredEdge as i32;
    no_cause.risk_cause.clear();
    let before = state(&mut f, &mut c).await;
    let refusals: Vec<(&str, Result<(), tonic::Status>, Code, &str)> = vec![
        (
            "second member of a household",
            f.join_member(join(24, "H05")).await.map(drop),
            Code::FailedPrecondition,
            "one_member_per_household",
        ),
        (
            "under 18",
            f.join_member(under_age).await.map(drop),
            Code::FailedPrecondition,
            "member_adult",
        ),
        (
            "not resident",
            f.join_member(away).await.map(drop),
            Code::FailedPrecondition,
            "member_resident",
        ),
        (
            "monitored without a cause",
            f.join_member(no_cause).await.map(drop),
            Code::FailedPrecondition,
            "monitored_status_has_risk_cause",
        ),
        (
            "member id taken",
            f.join_member(pb::JoinMemberRequest {
                request_id: "join-dup".into(),
                ..join(1, "H99")
            })
            .await
            .map(drop),
            Code::AlreadyExists,
            "member_id",
        ),
        (
            "part of a share",
            f.buy_shares(buy("buy-half", "M02", "150")).await.map(drop),
            Code::FailedPrecondition,
            "shares_in_whole_units",
        ),
        (
            "refund allocated shares",
            f.refund_shares(refund("refund-alloc", "M02", "100", ShareClass::Allocated))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "allocated_shares_not_refundable",
        ),
        (
            "refund below the minimum",
            f.refund_shares(refund("refund-min", "M02", "200", ShareClass::Own))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "shares_minimum_holding",
        ),
        (
            "refund more than held",
            f.refund_shares(refund("refund-more", "M02", "500", ShareClass::Own))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "account_non_negative",
        ),
        (
            "allocation to a household no longer poor",
            f.allocate_shares(allocate("alloc-m01", "M01", "500"))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "allocated_shares_for_registered_poor",
        ),
        (
            "allocation to a household never poor",
            f.allocate_shares(allocate("alloc-m16", "M16", "500"))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "allocated_shares_for_registered_poor",
        ),
        (
            "allocation beyond the seed capital",
            f.allocate_shares(allocate("alloc-big", "M02", "97100"))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "account_non_negative",
        ),
        (
            "unknown member",
            f.buy_shares(buy("buy-x", "M99", "100")).await.map(drop),
            Code::NotFound,
            "member_id",
        ),
        (
            "unknown fund",
            f.add_capital(pb::AddCapitalRequest {
                fund_id: "fund-nowhere".into(),
                ..capital("cap-x", Capital::fiscal("1"))
            })
            .await
            .map(drop),
            Code::NotFound,
            "fund_id",
        ),
        (
            "no till",
            f.buy_shares(pb::BuySharesRequest {
                till: 0,
                ..buy("buy-t", "M02", "100")
            })
            .await
            .map(drop),
            Code::InvalidArgument,
            "till",
        ),
        (
            "three decimals",
            f.add_capital(capital("cap-y", Capital::fiscal("1.001")))
                .await
                .map(drop),
            Code::InvalidArgument,
            "amount",
        ),
        (
            "a reused request id",
            f.buy_shares(buy("buy-1", "M01", "300")).await.map(drop),
            Code::AlreadyExists,
            "request_id",
        ),
    ];
    for (what, result, code, named) in refusals {
        let err = result.expect_err(what);
        assert_eq!(err.code(), code, "{what}: {}", err.message());
        let got = if code == Code::FailedPrecondition {
            broken_rule(&err)
        } else {
            bad_field(&err)
        };
        assert_eq!(got.as_deref(), Some(named), "{what}: {}", err.message());
    }
    assert_eq!(
        state(&mut f, &mut c).await,
        before,
        "refusals changed nothing"
    );

    // The books, worked by hand: bank 100,000 + 50,000; cash 2,000 + 4,100 - 100;
    // fiscal seed 100,000 - 6 x 500; allocated 3,000; own shares 4,100 - 100.
    assert_eq!(balance(&mut c, FUND, "1002").await, "150000.00");
    assert_eq!(balance(&mut c, FUND, "1001").await, "6000.00");
    assert_eq!(
        balance(&mut c, FUND, "3001/source:fiscal").await,
        "97000.00"
    );
    assert_eq!(
        balance(&mut c, FUND, "3001/source:special").await,
        "50000.00"
    );
    assert_eq!(balance(&mut c, FUND, "3004").await, "2000.00");
    assert_eq!(sub_total(&mut c, "3003").await, "3000.00");
    assert_eq!(sub_total(&mut c, "3002").await, "4000.00");
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(
        (tb.total_debit.as_str(), tb.total_credit.as_str()),
        ("156000.00", "156000.00")
    );
    let fund = f
        .get_fund(pb::GetFundRequest {
            fund_id: FUND.into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (fund.active_members, fund.cash.as_str(), fund.bank.as_str()),
        (20, "6000.00", "150000.00")
    );
    let v = c
        .verify_chain(pb::VerifyChainRequest {})
        .await
        .unwrap()
        .into_inner();
    assert!(v.ok, "{:?}", v.problems);
}

#[tokio::test]
async fn rules_are_checked_and_dividends_may_be_zero() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    let create = |id: &str, rules: pb::FundRules| create_fund_request(id, Some(rules));
    let no_dividends = pb::FundRules {
        dividend_share: "0".into(),
        risk_share: "0.70".into(),
        ..Default::default()
    };
    let r = f
        .create_fund(create("fund-a", no_dividends))
        .await
        .unwrap()
        .into_inner();
    let rules = r.rules.unwrap();
    assert_eq!(rules.dividend_share, "0");
    assert_eq!(
        rules.waterfall,
        vec![
            pb::OwedPart::Penalty as i32,
            pb::OwedPart::Fee as i32,
            pb::OwedPart::Principal as i32
        ]
    );
    for (rules, field) in [
        (
            pb::FundRules {
                dividend_share: "0.5".into(),
                ..Default::default()
            },
            "rules.distribution",
        ),
        (
            pb::FundRules {
                first_loan_max: "20000.01".into(),
                ..Default::default()
            },
            "rules.first_loan_max",
        ),
        (
            pb::FundRules {
                fee_rate_annual: "1.5".into(),
                ..Default::default()
            },
            "rules.fee_rate_annual",
        ),
        (
            pb::FundRules {
                share_price: "ten".into(),
                ..Default::default()
            },
            "rules.share_price",
        ),
        (
            pb::FundRules {
                waterfall: vec![
                    pb::OwedPart::Fee as i32,
                    pb::OwedPart::Fee as i32,
                    pb::OwedPart::Principal as i32,
                ],
                ..Default::default()
            },
            "rules.waterfall",
        ),
        (
            pb::FundRules {
                waterfall: vec![pb::OwedPart::Fee as i32],
                ..Default::default()
            },
            "rules.waterfall",
        ),
        (
            pb::FundRules {
                group_min: 9,
                group_max: 8,
                ..Default::default()
            },
            "rules.group_min",
        ),
    ] {
        let err = f.create_fund(create("fund-b", rules)).await.unwrap_err();
        assert_eq!(
            (err.code(), bad_field(&err).as_deref()),
            (Code::InvalidArgument, Some(field)),
            "{}",
            err.message()
        );
    }
    let principal_first = pb::FundRules {
        waterfall: vec![
            pb::OwedPart::Principal as i32,
            pb::OwedPart::Fee as i32,
            pb::OwedPart::Penalty as i32,
        ],
        ..Default::default()
    };
    let r = f
        .create_fund(create("fund-c", principal_first.clone()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.rules.unwrap().waterfall, principal_first.waterfall);
    let err = f
        .create_fund(pb::CreateFundRequest {
            request_id: "again".into(),
            ..create("fund-a", Default::default())
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::AlreadyExists);
    let err = f
        .get_fund(pb::GetFundRequest {
            fund_id: "fund-b".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
}
