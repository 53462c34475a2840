//! Loans of a village fund through the real server: application limits from
//! the rules, approval by another token (and the board above the threshold),
//! disbursement with its stored schedule; each refusal names its rule and
//! changes nothing.
mod common;

use common::fund::*;
use common::*;
use huzhu::pb::{
    self, token_service_client::TokenServiceClient, PovertyStatus, RepaymentMethod, Till,
};
use tonic::Code;

const FUND: &str = "fund-shanxia";

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

fn apply(id: &str, loan: &str, member: &str, principal: &str, months: u32) -> pb::ApplyLoanRequest {
    pb::ApplyLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        member_id: member.into(),
        principal: principal.into(),
        term_months: months,
        method: RepaymentMethod::EqualInstallments as i32,
        purpose: "two piglets".into(),
        purpose_category: pb::PurposeCategory::Livestock as i32,
        business: String::new(),
        date: "2025-03-10".into(),
    }
}

fn approve(id: &str, loan: &str, board: bool) -> pb::ApproveLoanRequest {
    pb::ApproveLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        board_approved: board,
        date: "2025-03-12".into(),
    }
}

fn disburse(id: &str, loan: &str, till: Till) -> pb::DisburseLoanRequest {
    pb::DisburseLoanRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        loan_id: loan.into(),
        till: till as i32,
        date: "2025-03-15".into(),
    }
}

/// A fund with 100,000.00 of fiscal capital in the bank, 3,000.00 donated in
/// cash, and members M1 (200.00 of shares) and M2 (100.00): capital 103,300.00,
/// so one household may owe 10% of it, 10,330.00; cash 3,300.00.
async fn fund(f: &mut FundClient, fund_id: &str, rules: Option<pb::FundRules>) {
    let capital = [Capital::fiscal("100000.00"), Capital::donation("3000.00")];
    fund_with_capital(f, fund_id, rules, &capital, "2025-03-01").await;
    for (m, shares) in [("M1", "200"), ("M2", "100")] {
        let poor = PovertyStatus::RegisteredPoor;
        member_with_shares(f, fund_id, m, poor, shares, "2025-03-01").await;
    }
}

#[tokio::test]
async fn loans_are_applied_for_approved_and_disbursed_within_the_rules() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    // The second token approves what the first applied for.
    let mut checker = server.checker_fund_client().await;
    let mut c = server.client().await;
    let applicant = actor_of(server.channel().await).await;
    let approver = actor_of(server.checker().await).await;
    fund(&mut f, FUND, None).await;

    let l1 = f
        .apply_loan(apply("apply-l1", "L1", "M1", "5000", 12))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(
        (l1.status, l1.rate_annual.as_str(), l1.applied_by.as_str()),
        (pb::LoanStatus::Applied as i32, "0.072", applicant.as_str())
    );
    assert_eq!(
        (
            l1.purpose.as_str(),
            l1.purpose_category,
            l1.business.as_str()
        ),
        ("two piglets", pb::PurposeCategory::Livestock as i32, "")
    );
    let before = snapshot(&mut c, FUND).await;
    // The token that applied may not approve.
    let err = f
        .approve_loan(approve("approve-self", "L1", false))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("loan_approver_not_applicant"),
        "{}",
        err.message()
    );
    let err = f
        .disburse_loan(disburse("disburse-early", "L1", Till::Bank))
        .await
        .unwrap_err();
    assert_eq!(broken_rule(&err).as_deref(), Some("loan_status_allows_it"));
    let approved = checker
        .approve_loan(approve("approve-l1", "L1", false))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(
        (approved.applied_by.as_str(), approved.approved_by.as_str()),
        (applicant.as_str(), approver.as_str())
    );
    assert_eq!(
        snapshot(&mut c, FUND).await,
        before,
        "applying and approving post nothing"
    );

    let d = f
        .disburse_loan(disburse("disburse-l1", "L1", Till::Bank))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(d.entry_seqs.len(), 1);
    let l1 = d.loan.unwrap();
    assert_eq!(
        (l1.status, l1.outstanding_principal.as_str()),
        (pb::LoanStatus::Disbursed as i32, "5000.00")
    );
    // 5,000 at 7.2%: r = 0.006; the first fee is 5,000 x 0.006 = 30.00, due a month later.
    assert_eq!(l1.schedule.len(), 12);
    assert_eq!(
        (
            l1.schedule[0].due_date.as_str(),
            l1.schedule[0].fee.as_str()
        ),
        ("2025-04-15", "30.00")
    );
    assert_eq!(l1.schedule[11].due_date, "2026-03-15");
    assert_eq!(l1.schedule[11].outstanding_after, "0.00");
    let principal: rust_decimal::Decimal = l1
        .schedule
        .iter()
        .map(|i| i.principal.parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(principal, rust_decimal::Decimal::from(5000));
    assert_eq!(balance(&mut c, FUND, "1002").await, "95000.00");
    assert_eq!(balance(&mut c, FUND, "1201/loan:L1").await, "5000.00");
    assert!(
        f.disburse_loan(disburse("disburse-l1", "L1", Till::Bank))
            .await
            .unwrap()
            .into_inner()
            .replayed
    );

    // M2's loan is approved but the fund's cash (3,300.00) cannot pay 5,000.00 out.
    f.apply_loan(apply("apply-l2", "L2", "M2", "5000", 6))
        .await
        .unwrap();
    checker
        .approve_loan(approve("approve-l2", "L2", false))
        .await
        .unwrap();

    // A loan above 5,000 needs the board: M1's second loan of 5,300 (owing
    // 5,000 + 5,300 = 10,300 <= 10,330), its money used by a business (户贷企用).
    let l3 = f
        .apply_loan(pb::ApplyLoanRequest {
            purpose_category: pb::PurposeCategory::Processing as i32,
            business: "  Shanxia bamboo works ".into(),
            ..apply("apply-l3", "L3", "M1", "5300", 12)
        })
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(
        (l3.purpose_category, l3.business.as_str()),
        (
            pb::PurposeCategory::Processing as i32,
            "Shanxia bamboo works"
        )
    );

    let before = snapshot(&mut c, FUND).await;
    let mut bad_method = apply("apply-bad-method", "L9", "M2", "100", 6);
    bad_method.method = 0;
    let mut no_purpose = apply("apply-no-purpose", "L9", "M2", "100", 6);
    no_purpose.purpose_category = 0;
    let refusals: Vec<(&str, Result<(), tonic::Status>, Code, &str)> = vec![
        (
            "a loan to a non-member",
            f.apply_loan(apply("a-1", "L9", "M99", "1000", 6))
                .await
                .map(drop),
            Code::NotFound,
            "member_id",
        ),
        (
            "a first loan over the first-loan cap",
            f.apply_loan(apply("a-2", "L9", "M2", "10000.01", 6))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "first_loan_at_most_fund_maximum",
        ),
        (
            "over the fund's maximum",
            f.apply_loan(apply("a-3", "L9", "M1", "20000.01", 6))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "loan_at_most_fund_maximum",
        ),
        (
            "over the household's share",
            f.apply_loan(apply("a-4", "L9", "M1", "5330.01", 6))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "loan_household_share_of_capital",
        ),
        (
            "over the term",
            f.apply_loan(apply("a-5", "L9", "M2", "1000", 13))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "loan_term_at_most_fund_maximum",
        ),
        (
            "a loan id taken",
            f.apply_loan(apply("a-6", "L1", "M2", "1000", 6))
                .await
                .map(drop),
            Code::AlreadyExists,
            "loan_id",
        ),
        (
            "no method",
            f.apply_loan(bad_method).await.map(drop),
            Code::InvalidArgument,
            "method",
        ),
        (
            "no purpose category",
            f.apply_loan(no_purpose).await.map(drop),
            Code::InvalidArgument,
            "purpose_category",
        ),
        (
            "more than the fund's cash",
            f.disburse_loan(disburse("d-2", "L2", Till::Cash))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "account_non_negative",
        ),
        (
            "self-approval",
            f.approve_loan(approve("ap-3", "L3", true)).await.map(drop),
            Code::FailedPrecondition,
            "loan_approver_not_applicant",
        ),
        (
            "without the board",
            checker
                .approve_loan(approve("ap-4", "L3", false))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "loan_board_approval_above_threshold",
        ),
        (
            "disbursed twice",
            f.disburse_loan(disburse("d-again", "L1", Till::Bank))
                .await
                .map(drop),
            Code::FailedPrecondition,
            "loan_status_allows_it",
        ),
        (
            "an unknown loan",
            f.disburse_loan(disburse("d-9", "L99", Till::Bank))
                .await
                .map(drop),
            Code::NotFound,
            "loan_id",
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
        snapshot(&mut c, FUND).await,
        before,
        "refusals changed nothing"
    );
    let l2 = f
        .get_loan(pb::GetLoanRequest {
            fund_id: FUND.into(),
            loan_id: "L2".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert_eq!(l2.status, pb::LoanStatus::Approved as i32);

    // With the board's approval L3 goes out; L2 goes out from the bank.
    let l3 = checker
        .approve_loan(approve("ap-5", "L3", true))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    assert!(l3.board_approved);
    f.disburse_loan(disburse("d-3", "L3", Till::Bank))
        .await
        .unwrap();
    f.disburse_loan(disburse("d-4", "L2", Till::Bank))
        .await
        .unwrap();
    // Bank 100,000 - 5,000 - 5,300 - 5,000; loans 15,300; cash untouched.
    assert_eq!(balance(&mut c, FUND, "1002").await, "84700.00");
    assert_eq!(balance(&mut c, FUND, "1001").await, "3300.00");
    let loans = c
        .get_balance(pb::GetBalanceRequest {
            account: Some(account(FUND, "1201", "")),
            as_of: String::new(),
            include_sub_accounts: true,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(loans.balance, "15300.00");
    let tb = trial_balance(&mut c, FUND, "").await;
    assert_eq!(tb.total_debit, tb.total_credit);
}

/// A fund that charges the fee upfront: a bullet loan of 1,000.00 for 6
/// months at 7.2% carries 1,000 x 0.072 x 6 / 12 = 36.00, paid in at disbursement.
#[tokio::test]
async fn an_upfront_fee_is_income_at_disbursement() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    // The second token approves what the first applied for.
    let mut checker = server.checker_fund_client().await;
    let mut c = server.client().await;
    fund(
        &mut f,
        FUND,
        Some(pb::FundRules {
            fee_upfront: true,
            ..Default::default()
        }),
    )
    .await;
    let mut a = apply("apply-u", "U1", "M1", "1000", 6);
    a.method = RepaymentMethod::Bullet as i32;
    f.apply_loan(a).await.unwrap();
    checker
        .approve_loan(approve("approve-u", "U1", false))
        .await
        .unwrap();
    let d = f
        .disburse_loan(disburse("disburse-u", "U1", Till::Cash))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(d.entry_seqs.len(), 2);
    let l = d.loan.unwrap();
    assert_eq!((l.upfront_fee.as_str(), l.schedule.len()), ("36.00", 1));
    assert_eq!(l.schedule[0].due_date, "2025-09-15");
    assert_eq!(balance(&mut c, FUND, "4001").await, "36.00");
    // Cash 3,300 - 1,000 + 36.
    assert_eq!(balance(&mut c, FUND, "1001").await, "2336.00");
}

/// A fund lending only within guarantee groups of 3 to 7 households; a
/// member's position shows the loan, the next installment and the group.
#[tokio::test]
async fn guarantee_groups_and_the_member_position() {
    let server = TestServer::start();
    let mut f = server.fund_client().await;
    // The second token approves what the first applied for.
    let mut checker = server.checker_fund_client().await;
    let rules = pb::FundRules {
        loans_need_group: true,
        ..Default::default()
    };
    fund(&mut f, FUND, Some(rules)).await;
    for m in ["M3", "M4", "M5"] {
        let household = join_request(FUND, m, PovertyStatus::None, "2025-03-01");
        join(&mut f, household).await;
    }
    let form = |id: &str, group: &str, members: &[&str]| pb::FormGuaranteeGroupRequest {
        request_id: id.into(),
        fund_id: FUND.into(),
        group_id: group.into(),
        member_ids: members.iter().map(|m| m.to_string()).collect(),
        date: "2025-03-05".into(),
    };
    let err = f
        .apply_loan(apply("apply-nogroup", "L1", "M1", "5000", 12))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("borrower_in_guarantee_group")
    );
    let err = f
        .form_guarantee_group(form("g-small", "G1", &["M1", "M2"]))
        .await
        .unwrap_err();
    assert_eq!(broken_rule(&err).as_deref(), Some("guarantee_group_size"));
    let g = f
        .form_guarantee_group(form("g-1", "G1", &["M1", "M2", "M3", "M4", "M5"]))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(g.member_ids.len(), 5);
    let err = f
        .form_guarantee_group(form("g-2", "G2", &["M1", "M3", "M4"]))
        .await
        .unwrap_err();
    assert_eq!(
        broken_rule(&err).as_deref(),
        Some("one_guarantee_group_per_member")
    );

    f.apply_loan(apply("apply-l1", "L1", "M1", "5000", 12))
        .await
        .unwrap();
    checker
        .approve_loan(approve("approve-l1", "L1", false))
        .await
        .unwrap();
    let l1 = f
        .disburse_loan(disburse("disburse-l1", "L1", Till::Bank))
        .await
        .unwrap()
        .into_inner()
        .loan
        .unwrap();
    let position = f
        .get_member(pb::GetMemberRequest {
            fund_id: FUND.into(),
            member_id: "M1".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(position.guarantee_group, "G1");
    assert_eq!(
        (position.own_shares.as_str(), position.loans.len()),
        ("200.00", 1)
    );
    assert_eq!(position.loans[0].outstanding_principal, "5000.00");
    assert_eq!(position.next_due_date, "2025-04-15");
    assert_eq!(position.next_due_amount, l1.schedule[0].payment);
}
