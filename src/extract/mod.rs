//! Regulator extracts: what a county office or an auditor takes away and
//! checks on their own.
//!
//! The server side ([`source`]) streams balances and the journal page by page
//! from the store, bounded to one pinned chain head, so memory stays flat
//! however long the journal is. The client side ([`bundle`]) writes a bundle of
//! plain files (CSV, JSON lines, an hledger journal with balance assertions)
//! and a `manifest.json` with row counts, SHA-256 of every file and the chain
//! head; [`check`] re-checks a bundle alone. Every derived file is rendered by
//! [`render`], the one place that knows the formats, so the checker re-derives
//! them byte for byte.
pub mod bundle;
pub mod check;
pub mod render;
pub mod source;

/// The manifest's format tag; bump it when a file's layout changes.
pub const FORMAT: &str = "huzhu-extract/2";

/// Entries or balance lines per streamed page.
pub const PAGE_ITEMS: usize = 512;

/// Pages buffered between the store reader and the network: the bound that
/// keeps a server's memory flat when a client reads slowly.
pub const PAGES_IN_FLIGHT: usize = 4;

/// The bundle's files, in the order the manifest lists them.
pub mod files {
    pub const CHAIN: &str = "chain.csv";
    pub const JOURNAL: &str = "journal.jsonl";
    pub const POSTINGS: &str = "postings.csv";
    pub const OPENING: &str = "opening_balances.csv";
    pub const CLOSING: &str = "closing_balances.csv";
    pub const BALANCE_SHEET: &str = "balance_sheet.csv";
    pub const INCOME: &str = "income_statement.csv";
    pub const LOANS: &str = "loans.csv";
    pub const SUBSIDY_CLAIMS: &str = "subsidy_claims.csv";
    pub const LEVERAGE: &str = "leverage.csv";
    pub const SUPERVISION: &str = "supervision.csv";
    pub const HLEDGER: &str = "journal.hledger";
    /// Written when asked for (`--beancount`).
    pub const BEANCOUNT: &str = "journal.beancount";
    pub const MANIFEST: &str = "manifest.json";
}
