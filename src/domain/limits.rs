//! Explicit limits on everything the ledger accepts, as named constants.
//!
//! A request outside these limits is refused before it reaches the writer.

/// Largest single posting amount in fen (1,000,000,000.00 yuan). No fund,
/// federation or county program handles a larger single movement.
pub const MAX_POSTING_FEN: i64 = 100_000_000_000;
/// Decimal places and digits before the point of a rate, a ratio or a
/// share in a request ("0.043500", "8.5"): more places than any rate is
/// quoted in, more digits than any ratio has (a leverage is at most 10).
pub const MAX_RATIO_PLACES: usize = 6;
pub const MAX_RATIO_INTEGER_DIGITS: usize = 3;
/// The highest annual rate a deployment accepts by default (24% a year,
/// `huzhu serve --max-rate-annual`): fee, penalty, subsidy, placement and
/// spread, and a guaranteed loan's rate, each on its own.
pub const DEFAULT_MAX_RATE_ANNUAL_PERCENT: i64 = 24;
/// Postings per entry.
pub const MIN_POSTINGS_PER_ENTRY: usize = 2;
pub const MAX_POSTINGS_PER_ENTRY: usize = 64;
/// Entries per `PostEntries` call.
pub const MAX_ENTRIES_PER_BATCH: usize = 1_000;
/// Commands the single writer folds into one sled batch and one flush.
pub const MAX_COMMANDS_PER_GROUP: usize = 4_096;
/// Entries between two balance checkpoints; bounds the tail replayed at start-up.
pub const CHECKPOINT_EVERY_ENTRIES: u64 = 20_000;
/// String lengths, in characters.
pub const MAX_REQUEST_ID_CHARS: usize = 128;
pub const MAX_MEMO_CHARS: usize = 500;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_BOOK_ID_CHARS: usize = 40;
pub const MAX_SUB_CHARS: usize = 64;
/// Installments of a schedule a bank sends (ten years of monthly ones,
/// three of them weekly).
pub const MAX_INSTALLMENTS_PER_SCHEDULE: usize = 156;
/// Page sizes for listings.
pub const DEFAULT_PAGE_SIZE: usize = 100;
pub const MAX_PAGE_SIZE: usize = 1_000;
/// Earliest value date the ledger accepts.
pub const MIN_VALUE_DATE: &str = "2000-01-01";
