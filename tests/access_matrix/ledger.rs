//! Prepared requests of the access matrix: LedgerService.
use super::*;

pub async fn ledger(w: &World, rpc: &str, who: &str, rid: String) -> Call {
    match rpc {
        "LedgerService/CreateBook" => unary!(
            LedgerServiceClient,
            create_book,
            pb::CreateBookRequest {
                request_id: rid,
                book_id: w.id("book"),
                kind: pb::BookKind::Fund as i32,
                name: "raw book".into(),
            }
        ),
        "LedgerService/ListBooks" => {
            unary!(LedgerServiceClient, list_books, pb::ListBooksRequest {})
        }
        "LedgerService/GetBook" => unary!(
            LedgerServiceClient,
            get_book,
            pb::GetBookRequest {
                book_id: FUND_A.into(),
            }
        ),
        "LedgerService/OpenAccount" => unary!(
            LedgerServiceClient,
            open_account,
            pb::OpenAccountRequest {
                request_id: rid,
                account: Some(account(FUND_A, "2201", &format!("member:{}", w.id("x")))),
                name: String::new(),
                non_negative: false,
            }
        ),
        "LedgerService/PostEntry" => unary!(
            LedgerServiceClient,
            post_entry,
            transfer(&rid, "2025-02-01", FUND_A, "1002", "3004", "1.00")
        ),
        "LedgerService/PostEntries" => unary!(
            LedgerServiceClient,
            post_entries,
            pb::PostEntriesRequest {
                entries: vec![
                    transfer(
                        &format!("{rid}-1"),
                        "2025-02-01",
                        FUND_A,
                        "1002",
                        "3004",
                        "1.00"
                    ),
                    transfer(
                        &format!("{rid}-2"),
                        "2025-02-01",
                        FUND_A,
                        "1001",
                        "3004",
                        "1.00"
                    ),
                ],
            }
        ),
        "LedgerService/ReverseEntry" => {
            let posted = ok(
                LedgerServiceClient::new(w.ch("admin"))
                    .post_entry(transfer(
                        &w.id("to-reverse"),
                        "2025-02-01",
                        FUND_A,
                        "1002",
                        "3004",
                        "1.00",
                    ))
                    .await,
                "an entry to reverse",
            );
            unary!(
                LedgerServiceClient,
                reverse_entry,
                pb::ReverseEntryRequest {
                    request_id: rid,
                    seq: posted.entry.unwrap().seq,
                    value_date: "2025-02-02".into(),
                    memo: "posted in error".into(),
                }
            )
        }
        "LedgerService/GetBalance" => unary!(
            LedgerServiceClient,
            get_balance,
            pb::GetBalanceRequest {
                account: Some(account(FUND_A, "1002", "")),
                as_of: String::new(),
                include_sub_accounts: false,
            }
        ),
        "LedgerService/ListEntries" => unary!(
            LedgerServiceClient,
            list_entries,
            pb::ListEntriesRequest {
                book_id: FUND_A.into(),
                page_size: 10,
                ..Default::default()
            }
        ),
        "LedgerService/GetTrialBalance" => unary!(
            LedgerServiceClient,
            get_trial_balance,
            pb::GetTrialBalanceRequest {
                book_id: FUND_A.into(),
                as_of: String::new(),
            }
        ),
        "LedgerService/ClosePeriod" => unary!(
            LedgerServiceClient,
            close_period,
            pb::ClosePeriodRequest {
                request_id: rid,
                book_id: FUND_A.into(),
                // Before any of fund-a's entries; later months for later callers.
                period: if who == "admin" { "2024-10" } else { "2024-11" }.into(),
            }
        ),
        "LedgerService/VerifyChain" => {
            unary!(LedgerServiceClient, verify_chain, pb::VerifyChainRequest {})
        }
        other => panic!("no request prepared for {other}"),
    }
}
