//! Subsidy set-up the tests share: a program's schemes, the loans linked to
//! them and the period requests. The request literals are written once,
//! here (see `fund.rs` for how a test varies them).

use huzhu::pb::{self, subsidy_service_client::SubsidyServiceClient};

use super::{Channel, TestServer};

pub type Subsidies = SubsidyServiceClient<Channel>;

impl TestServer {
    /// The program's subsidies as the admin token (the county).
    pub async fn subsidy_client(&self) -> Subsidies {
        SubsidyServiceClient::new(self.channel().await)
    }
}

/// A scheme of `program` paying the bank, with the default limits
/// ("scheme-{program}-{id}").
pub fn scheme_request(
    program: &str,
    id: &str,
    kind: pb::SubsidyKind,
    rate: &str,
    settlement: pb::Settlement,
) -> pb::CreateSubsidySchemeRequest {
    pb::CreateSubsidySchemeRequest {
        request_id: format!("scheme-{program}-{id}"),
        program_id: program.into(),
        scheme_id: id.into(),
        kind: kind as i32,
        rate_annual: rate.into(),
        settlement: settlement as i32,
        payee: pb::Payee::Bank as i32,
        ..Default::default()
    }
}

/// A bank loan of the program (empty `fund`) or a fund's loan joins a
/// scheme ("link-{scheme}-{fund}-{loan}").
pub fn link_request(
    program: &str,
    scheme: &str,
    fund: &str,
    loan: &str,
) -> pb::LinkSubsidyLoanRequest {
    pb::LinkSubsidyLoanRequest {
        request_id: format!("link-{scheme}-{fund}-{loan}"),
        program_id: program.into(),
        scheme_id: scheme.into(),
        loan_id: loan.into(),
        fund_id: fund.into(),
    }
}

/// A step of a scheme's period; `date` for approvals and payments.
pub fn period_request(
    id: &str,
    program: &str,
    scheme: &str,
    period: &str,
    date: &str,
) -> pb::SubsidyPeriodRequest {
    pb::SubsidyPeriodRequest {
        request_id: id.into(),
        program_id: program.into(),
        scheme_id: scheme.into(),
        period: period.into(),
        date: date.into(),
    }
}

/// (subsidy, days current, days overdue, fee reduced, refund) of each line.
pub fn lines(st: &pb::SubsidyStatement) -> Vec<(String, i64, i64, String, String)> {
    st.lines
        .iter()
        .map(|l| {
            (
                l.subsidy.clone(),
                l.days_current,
                l.days_overdue,
                l.fee_reduced.clone(),
                l.refund_to_borrower.clone(),
            )
        })
        .collect()
}
