//! Pure business rules: money, dates, limits and charts of accounts.
//!
//! Nothing here does I/O or knows about sled or tonic. The ledger and the API
//! call into these functions so that every rule lives in exactly one place.
pub mod chart;
pub mod dates;
pub mod daycount;
pub mod federation;
pub mod fund;
pub mod household;
pub mod limits;
pub mod loan;
pub mod money;
pub mod posting;
pub mod refusal;
pub mod report;
pub mod riskfund;
pub mod schedule;
pub mod servicing;
pub mod subsidy;
pub mod yearend;
