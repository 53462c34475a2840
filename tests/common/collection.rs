//! The fund the collection-sheet tests open (西村互助社), worked by hand:
//! - fiscal capital of 200,000.00 in the bank on 2025-02-20, when 王军,
//!   李梅, 张华 and 赵丽 (M1..M4) join and each buys 100.00 of shares in
//!   cash (cash 400.00);
//! - M1..M3 form guarantee group G1 on 2025-02-22; M4 is in no group;
//! - on 2025-03-01 each takes an equal-principal loan over 3 months at the
//!   default 7.2% a year (0.6% a month) from the bank: L1..L3 of 1,200.00
//!   (400.00 a month; fee 7.20, 4.80, 2.40) and L4 of 2,400.00 (800.00 a
//!   month; fee 14.40, 9.60, 4.80).
//!
//! On 2025-04-11 nothing has been paid, so each first installment (due
//! April 1) is 10 days overdue with a penalty of principal × 3.6% × 10 /
//! 360: L1..L3 owe 407.20 + 0.40 = 407.60 each (group G1: 1,222.80), L4
//! 814.40 + 0.80 = 815.20; the sheet's total is 2,038.00.
use super::fund::*;
use super::{ok, FundClient, TestServer};
use huzhu::pb::{self, PovertyStatus, RepaymentMethod};

pub const FUND: &str = "fund-xicun";
pub const FUND_NAME: &str = "西村互助社";
pub const DATE: &str = "2025-04-11";
pub const MEMBERS: [(&str, &str, &str); 4] = [
    ("M1", "王军", "L1"),
    ("M2", "李梅", "L2"),
    ("M3", "张华", "L3"),
    ("M4", "赵丽", "L4"),
];

pub async fn collection_fund(s: &TestServer) {
    let (mut f, mut checker) = (s.fund_client().await, s.checker_fund_client().await);
    let mut create = create_fund_request(FUND, None);
    create.name = FUND_NAME.into();
    ok(f.create_fund(create).await, "the fund");
    add_capital(
        &mut f,
        "capital-xicun",
        FUND,
        Capital::fiscal("200000"),
        "2025-02-20",
    )
    .await;
    for (member, name, _) in MEMBERS {
        let mut join_req = join_request(FUND, member, PovertyStatus::None, "2025-02-20");
        join_req.name = name.into();
        join(&mut f, join_req).await;
        buy_shares(&mut f, FUND, member, "100", "2025-02-20").await;
    }
    group(&mut f).await;
    for (member, _, loan) in MEMBERS {
        let principal = if loan == "L4" { "2400" } else { "1200" };
        let mut terms = LoanTerms::new(FUND, loan, member, principal);
        terms.method = RepaymentMethod::EqualPrincipal;
        disbursed_loan(&mut f, &mut checker, &terms).await;
    }
}

async fn group(f: &mut FundClient) {
    let request = pb::FormGuaranteeGroupRequest {
        request_id: "group-xicun-G1".into(),
        fund_id: FUND.into(),
        group_id: "G1".into(),
        member_ids: vec!["M1".into(), "M2".into(), "M3".into()],
        date: "2025-02-22".into(),
    };
    ok(f.form_guarantee_group(request).await, "guarantee group G1");
}

/// L1 pays its first line of `DATE` in full in cash: 407.20 due and 0.40
/// of penalty, 407.60.
pub async fn repay_first_installment(f: &mut FundClient) {
    let repay = pb::RepayLoanRequest {
        request_id: "repay-L1".into(),
        fund_id: FUND.into(),
        loan_id: "L1".into(),
        amount: "407.60".into(),
        till: pb::Till::Cash as i32,
        date: DATE.into(),
    };
    ok(f.repay_loan(repay).await, "L1's first installment");
}

/// The sheet of `date` over gRPC.
pub async fn sheet(f: &mut FundClient, date: &str) -> pb::CollectionSheetResponse {
    let request = pb::GetCollectionSheetRequest {
        fund_id: FUND.into(),
        date: date.into(),
    };
    ok(
        f.get_collection_sheet(request).await,
        "the collection sheet",
    )
}
