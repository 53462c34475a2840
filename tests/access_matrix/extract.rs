//! Prepared requests of the access matrix: ExtractService, TokenService.
use super::*;

pub fn extract(rpc: &str) -> Call {
    match rpc {
        "ExtractService/GetQuarterlyReport" => unary!(
            ExtractServiceClient,
            get_quarterly_report,
            pb::GetQuarterlyReportRequest {
                book_id: FUND_A.into(),
                year: 2025,
                quarter: 1,
            }
        ),
        "ExtractService/GetChainHead" => chain_head_call(),
        "ExtractService/StreamBalances" => stream!(
            stream_balances,
            pb::StreamBalancesRequest {
                book_ids: vec![FUND_A.into()],
                as_of: "2025-12-31".into(),
                through_seq: 0,
            }
        ),
        "ExtractService/StreamJournal" => stream!(
            stream_journal,
            pb::StreamJournalRequest {
                from_date: "2025-01-01".into(),
                to_date: "2025-12-31".into(),
                book_ids: vec![FUND_A.into()],
                through_seq: 0,
            }
        ),
        EVERY_BOOK_JOURNAL => stream!(
            stream_journal,
            pb::StreamJournalRequest {
                from_date: "2025-01-01".into(),
                to_date: "2025-12-31".into(),
                book_ids: Vec::new(),
                through_seq: 0,
            }
        ),
        "ExtractService/StreamLoans" => stream!(
            stream_loans,
            pb::StreamLoansRequest {
                book_ids: vec![FUND_A.into()],
                as_of: "2025-12-31".into(),
                through_seq: 0,
            }
        ),
        "ExtractService/StreamSubsidyClaims" => stream!(
            stream_subsidy_claims,
            pb::StreamSubsidyClaimsRequest {
                book_ids: vec![PROG_A.into()],
                from_date: "2025-01-01".into(),
                to_date: "2025-12-31".into(),
            }
        ),
        other => panic!("no request prepared for {other}"),
    }
}

pub async fn token(w: &World, rpc: &str, _who: &str, rid: String) -> Call {
    match rpc {
        "TokenService/IssueToken" => unary!(
            TokenServiceClient,
            issue_token,
            pb::IssueTokenRequest {
                request_id: rid,
                role: pb::Role::Regulator as i32,
                scope: format!("federation:{FED_A}"),
                label: "new regulator".into(),
            }
        ),
        "TokenService/ListTokens" => {
            unary!(TokenServiceClient, list_tokens, pb::ListTokensRequest {})
        }
        "TokenService/RevokeToken" => unary!(
            TokenServiceClient,
            revoke_token,
            pb::RevokeTokenRequest {
                request_id: rid,
                token_id: w.spare_token().await,
            }
        ),
        "TokenService/WhoAmI" => unary!(TokenServiceClient, who_am_i, pb::WhoAmIRequest {}),
        other => panic!("no request prepared for {other}"),
    }
}
