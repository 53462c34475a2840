//! LedgerService: each RPC of the ledger's own books and entries is its
//! call in `ops::ledger`.
use super::run::{service, Do};
use crate::ops::ledger::*;
use crate::pb::ledger_service_server::LedgerService;

service!(LedgerApi: LedgerService {
    create_book = Do<books::CreateBook>;
    get_book = Do<books::GetBook>;
    list_books = Do<books::ListBooks>;
    open_account = Do<books::OpenAccount>;
    post_entry = Do<entries::PostEntry>;
    post_entries = Do<entries::PostEntries>;
    reverse_entry = Do<entries::ReverseEntry>;
    get_balance = Do<reads::GetBalance>;
    list_entries = Do<reads::ListEntries>;
    get_trial_balance = Do<reads::GetTrialBalance>;
    close_period = Do<close_period::ClosePeriod>;
    verify_chain = Do<verify::VerifyChain>;
});
