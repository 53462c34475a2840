//! A household's poverty status as a set of flags (DOMAIN.md §4), through
//! the real server: 低保 and 五保 are low-income too, a monitored household
//! names one of the eight causes, and which flags are eligible is a setting
//! of the fund (allocated shares) and of the program (guaranteed loans and
//! subsidies), defaulting to what was eligible before the flags.
mod common;

use common::fund::*;
use common::program::*;
use common::*;
use huzhu::pb::{self, HouseholdFlag as F, PovertyStatus, RiskCause};
use tonic::Code;

const FUND: &str = "fund-hexi";
const PROGRAM: &str = "prog-hexi";

fn flags(v: &[F]) -> Vec<i32> {
    v.iter().map(|f| *f as i32).collect()
}

fn with_flags(member: &str, v: &[F], cause: RiskCause) -> pb::JoinMemberRequest {
    pb::JoinMemberRequest {
        status: 0,
        flags: flags(v),
        cause: cause as i32,
        ..join_request(FUND, member, PovertyStatus::None, "2025-01-10")
    }
}

fn member_flags(m: &pb::MemberResponse) -> Vec<i32> {
    m.member.as_ref().expect("a member").flags.clone()
}

#[tokio::test]
async fn flags_imply_what_they_mean_and_a_monitored_household_names_its_cause() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    fund_with_capital(
        &mut f,
        FUND,
        None,
        &[Capital::fiscal("10000")],
        "2025-01-02",
    )
    .await;

    // 低保: the household is low-income too; its one value is DIBAO.
    let dibao = join(
        &mut f,
        with_flags("M1", &[F::Dibao], RiskCause::Unspecified),
    )
    .await;
    assert_eq!(member_flags(&dibao), flags(&[F::LowIncome, F::Dibao]));
    let m = dibao.member.unwrap();
    assert_eq!(m.status, PovertyStatus::Dibao as i32);

    // Monitored without a cause: refused by its rule, nothing recorded.
    let e = f
        .join_member(with_flags("M2", &[F::Monitored], RiskCause::Unspecified))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition, "{}", e.message());
    assert_eq!(
        broken_rule(&e).as_deref(),
        Some("monitored_status_has_risk_cause")
    );
    let missing = f
        .get_member(pb::GetMemberRequest {
            fund_id: FUND.into(),
            member_id: "M2".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);

    // Unstable after exit, for illness: monitored too, with its cause.
    let unstable = join(
        &mut f,
        with_flags(
            "M2",
            &[F::UnstableAfterExit],
            RiskCause::IllnessOrDisability,
        ),
    )
    .await;
    assert_eq!(
        member_flags(&unstable),
        flags(&[F::Monitored, F::UnstableAfterExit])
    );
    let m = unstable.member.unwrap();
    assert_eq!(m.cause, RiskCause::IllnessOrDisability as i32);
    assert_eq!(m.status, PovertyStatus::MonitoredUnstable as i32);

    // The flags or the one value, not both.
    let both = pb::JoinMemberRequest {
        status: PovertyStatus::RegisteredPoor as i32,
        ..with_flags("M3", &[F::Wubao], RiskCause::Unspecified)
    };
    let e = f.join_member(both).await.unwrap_err();
    assert_eq!(
        (e.code(), bad_field(&e).as_deref()),
        (Code::InvalidArgument, Some("status"))
    );

    // A status change keeps the history: M1 leaves 低保 and is registered poor.
    let changed = f
        .set_poverty_status(pb::SetPovertyStatusRequest {
            request_id: "status-m1".into(),
            fund_id: FUND.into(),
            member_id: "M1".into(),
            flags: flags(&[F::RegisteredPoor]),
            date: "2025-03-01".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let m = changed.member.unwrap();
    assert_eq!(m.flags, flags(&[F::RegisteredPoor]));
    let history: Vec<Vec<i32>> = m.status_history.iter().map(|s| s.flags.clone()).collect();
    assert_eq!(
        history,
        vec![
            flags(&[F::LowIncome, F::Dibao]),
            flags(&[F::RegisteredPoor])
        ]
    );
}

#[tokio::test]
async fn allocated_shares_go_to_the_households_the_fund_names() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    // The default fund allocates to registered poor households only.
    fund_with_capital(
        &mut f,
        FUND,
        None,
        &[Capital::fiscal("10000")],
        "2025-01-02",
    )
    .await;
    join(
        &mut f,
        with_flags("M1", &[F::Wubao], RiskCause::Unspecified),
    )
    .await;
    let e = f
        .allocate_shares(allocate_request(FUND, "M1", "200", "2025-01-15"))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rule(&e).as_deref(),
        Some("allocated_shares_for_registered_poor"),
        "{}",
        e.message()
    );

    // A fund whose members' meeting includes low-income households: a 五保
    // household (low-income too) receives 200.00 from fiscal support.
    let rules = pb::FundRules {
        allocation_eligible: flags(&[F::RegisteredPoor, F::LowIncome]),
        ..Default::default()
    };
    let other = "fund-hedong";
    fund_with_capital(
        &mut f,
        other,
        Some(rules),
        &[Capital::fiscal("10000")],
        "2025-01-02",
    )
    .await;
    let wubao = pb::JoinMemberRequest {
        fund_id: other.into(),
        request_id: "join-hedong-M1".into(),
        ..with_flags("M1", &[F::Wubao], RiskCause::Unspecified)
    };
    join(&mut f, wubao).await;
    let m = allocate_shares(&mut f, other, "M1", "200", "2025-01-15").await;
    assert_eq!(m.allocated_shares, "200.00");
    let shown = f
        .get_fund(pb::GetFundRequest {
            fund_id: other.into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        shown.rules.unwrap().allocation_eligible,
        flags(&[F::RegisteredPoor, F::LowIncome])
    );
}

#[tokio::test]
async fn a_program_lends_to_the_households_its_rules_name() {
    let server = TestServer::start();
    let mut p = server.program_client().await;
    program_with_deposit(&mut p, PROGRAM, 8, "100000").await;
    let wubao = |loan: &str, program: &str| pb::RegisterGuaranteedLoanRequest {
        poverty_status: 0,
        flags: flags(&[F::Wubao]),
        ..register_request(program, loan, "20000", "2025-02-01")
    };
    // By default a 五保 household is neither registered poor nor monitored.
    let e = p
        .register_guaranteed_loan(wubao("B1", PROGRAM))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rule(&e).as_deref(),
        Some("borrower_eligible"),
        "{}",
        e.message()
    );
    assert!(e.message().contains("wubao"), "{}", e.message());

    // A program that lends to low-income households too.
    let open = "prog-open";
    let mut request = program_request(open, 8);
    request.rules.as_mut().unwrap().eligible = flags(&[F::RegisteredPoor, F::LowIncome]);
    create_program(&mut p, request).await;
    deposit(&mut p, open, "100000").await;
    let l = p
        .register_guaranteed_loan(wubao("B1", open))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(l.flags, flags(&[F::LowIncome, F::Wubao]));
    assert_eq!(l.poverty_status, PovertyStatus::Wubao as i32);
    assert_eq!(l.exposure, "20000.00");
}
