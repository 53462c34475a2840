//! Charts of accounts for the three kinds of book (DOMAIN.md §3, §5, §6).
//!
//! Products are data: a chart is a table. Codes are stable once chosen. A code
//! lists which kinds of sub-account (台账) it accepts; a federation chart accepts
//! no household (member) or loan sub-accounts at all, so the ledger itself
//! refuses any attempt to lend to a household from a federation book.

/// The five account types plus the memorandum pair used for off-balance exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AccountType {
    Asset,
    Liability,
    Equity,
    Income,
    Expense,
    MemoDebit,
    MemoCredit,
}

impl AccountType {
    /// True when a positive balance sits on the debit side.
    pub fn debit_normal(self) -> bool {
        matches!(self, Self::Asset | Self::Expense | Self::MemoDebit)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum BookKind {
    Fund,
    Federation,
    Program,
}

impl BookKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fund => "fund",
            Self::Federation => "federation",
            Self::Program => "program",
        }
    }
}

/// Kinds of sub-account, written as the prefix of a sub-account name ("member:M01").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubKind {
    /// A member household.
    Member,
    /// One loan.
    Loan,
    /// A member fund of a federation, or the fund a program pays.
    Fund,
    /// A source of capital (fiscal, special support, ...).
    Source,
    /// A subsidy or risk-fund program.
    Program,
    /// A cooperating bank.
    Bank,
    /// The federation a fund belongs to.
    Federation,
    /// A category of a fund's management expenses ("expense:office").
    Expense,
    /// A borrower's household outside any fund (a program's subsidy payable
    /// to the borrower of a bank loan).
    Household,
}

impl SubKind {
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Loan => "loan",
            Self::Fund => "fund",
            Self::Source => "source",
            Self::Program => "program",
            Self::Bank => "bank",
            Self::Federation => "federation",
            Self::Expense => "expense",
            Self::Household => "household",
        }
    }

    pub fn from_prefix(prefix: &str) -> Option<Self> {
        [
            Self::Member,
            Self::Loan,
            Self::Fund,
            Self::Source,
            Self::Program,
            Self::Bank,
            Self::Federation,
            Self::Expense,
            Self::Household,
        ]
        .into_iter()
        .find(|k| k.prefix() == prefix)
    }

    /// Sub-accounts that belong to a household or its loan.
    pub fn is_household(self) -> bool {
        matches!(self, Self::Member | Self::Loan | Self::Household)
    }
}

/// Chart codes by name: a code is written as a literal only here, and every
/// recipe names the account it posts to. Codes are stable once chosen.
pub mod code {
    /// A village fund's chart (DOMAIN.md §3).
    pub mod fund {
        pub const CASH: &str = "1001";
        pub const BANK: &str = "1002";
        pub const LOAN_PRINCIPAL: &str = "1201";
        pub const FEE_RECEIVABLE: &str = "1202";
        pub const SUBSIDY_RECEIVABLE: &str = "1203";
        pub const PLACED_WITH_FEDERATION: &str = "1301";
        pub const FEES_RECEIVABLE_FROM_FEDERATION: &str = "1302";
        pub const BORROWED_FROM_FEDERATION: &str = "2101";
        pub const FEES_PAYABLE_TO_FEDERATION: &str = "2102";
        pub const PAYABLES: &str = "2201";
        pub const SEED_CAPITAL: &str = "3001";
        pub const MEMBER_SHARES: &str = "3002";
        pub const ALLOCATED_SHARES: &str = "3003";
        pub const DONATIONS: &str = "3004";
        pub const WELFARE_FUND: &str = "3101";
        pub const ACCUMULATION_RESERVE: &str = "3102";
        pub const RISK_RESERVE: &str = "3103";
        pub const UNDISTRIBUTED_SURPLUS: &str = "3201";
        pub const FEE_INCOME: &str = "4001";
        pub const DEPOSIT_INTEREST: &str = "4002";
        pub const OTHER_INCOME: &str = "4003";
        pub const MANAGEMENT_EXPENSES: &str = "5001";
        pub const LOAN_LOSSES: &str = "5002";
        pub const BALANCING_FEES: &str = "5003";
    }

    /// A township federation's chart (DOMAIN.md §6).
    pub mod federation {
        pub const BANK: &str = "1002";
        pub const PLACEMENTS: &str = "1301";
        pub const FEES_RECEIVABLE: &str = "1302";
        pub const BORROWINGS: &str = "2101";
        pub const FEES_PAYABLE: &str = "2102";
        pub const SEED_CAPITAL: &str = "3001";
        pub const RELIEF_POOL: &str = "3101";
        pub const FEE_INCOME: &str = "4001";
        pub const RELIEF_GRANTS: &str = "5001";
        pub const MANAGEMENT_EXPENSES: &str = "5002";
        pub const PLACEMENT_FEES: &str = "5003";
    }

    /// A county program's chart (DOMAIN.md §5).
    pub mod program {
        pub const RISK_FUND: &str = "1002";
        pub const SUBSIDY_RECEIVABLE: &str = "1203";
        pub const SUBSIDY_PAYABLE: &str = "2201";
        pub const RISK_FUND_CAPITAL: &str = "3001";
        pub const SUBSIDY_FUNDS: &str = "3002";
        pub const RECOVERIES: &str = "4001";
        pub const DEPOSIT_INTEREST: &str = "4002";
        pub const COMPENSATION: &str = "5001";
        pub const SUBSIDIES: &str = "5002";
        pub const EXPOSURE: &str = "7001";
        pub const OBLIGATION: &str = "7002";
    }
}

/// A sub-account name: "member:M01", "loan:L1", "source:fiscal"...
pub fn sub(kind: SubKind, id: &str) -> String {
    format!("{}:{id}", kind.prefix())
}

/// The id a sub-account of `kind` names: `sub_id(SubKind::Fund, "fund:a")` is `Some("a")`.
pub fn sub_id(kind: SubKind, sub: &str) -> Option<&str> {
    sub.strip_prefix(kind.prefix())?.strip_prefix(':')
}

/// The seed-capital sub-accounts every fund opens with.
pub const FISCAL: &str = "source:fiscal";
pub const SPECIAL: &str = "source:special";

/// One line of a chart.
#[derive(Debug, Clone, Copy)]
pub struct ChartLine {
    pub code: &'static str,
    pub name: &'static str,
    pub account_type: AccountType,
    /// The balance may never go below zero on its normal side (cash, bank, loans).
    pub non_negative: bool,
    pub sub_kinds: &'static [SubKind],
}

const fn line(
    code: &'static str,
    name: &'static str,
    account_type: AccountType,
    non_negative: bool,
    sub_kinds: &'static [SubKind],
) -> ChartLine {
    ChartLine {
        code,
        name,
        account_type,
        non_negative,
        sub_kinds,
    }
}

use code::{federation as G, fund as F, program as P};
use AccountType::*;
use SubKind as S;

/// Village mutual-aid fund (DOMAIN.md §3).
pub const FUND_CHART: &[ChartLine] = &[
    line(F::CASH, "Cash on hand", Asset, true, &[]),
    line(F::BANK, "Bank deposit", Asset, true, &[]),
    line(
        F::LOAN_PRINCIPAL,
        "Loans to members (principal)",
        Asset,
        true,
        &[S::Loan],
    ),
    line(
        F::FEE_RECEIVABLE,
        "Occupancy fee receivable",
        Asset,
        true,
        &[S::Loan],
    ),
    line(
        F::SUBSIDY_RECEIVABLE,
        "Subsidy receivable",
        Asset,
        false,
        &[S::Program],
    ),
    line(
        F::PLACED_WITH_FEDERATION,
        "Placed with federation",
        Asset,
        true,
        &[],
    ),
    line(
        F::FEES_RECEIVABLE_FROM_FEDERATION,
        "Balancing fees receivable from the federation",
        Asset,
        false,
        &[S::Federation],
    ),
    line(
        F::BORROWED_FROM_FEDERATION,
        "Borrowed from federation",
        Liability,
        false,
        &[],
    ),
    line(
        F::FEES_PAYABLE_TO_FEDERATION,
        "Balancing fees payable to the federation",
        Liability,
        false,
        &[S::Federation],
    ),
    line(
        F::PAYABLES,
        "Payables (dividends, refunds due)",
        Liability,
        false,
        &[S::Member],
    ),
    line(
        F::SEED_CAPITAL,
        "Government seed capital",
        Equity,
        false,
        &[S::Source],
    ),
    line(
        F::MEMBER_SHARES,
        "Member shares",
        Equity,
        false,
        &[S::Member],
    ),
    line(
        F::ALLOCATED_SHARES,
        "Allocated shares for poor households",
        Equity,
        false,
        &[S::Member],
    ),
    line(F::DONATIONS, "Donations", Equity, false, &[]),
    line(F::WELFARE_FUND, "Public welfare fund", Equity, false, &[]),
    line(
        F::ACCUMULATION_RESERVE,
        "Accumulation reserve",
        Equity,
        false,
        &[],
    ),
    line(F::RISK_RESERVE, "Risk reserve", Equity, false, &[]),
    line(
        F::UNDISTRIBUTED_SURPLUS,
        "Undistributed surplus",
        Equity,
        false,
        &[],
    ),
    line(F::FEE_INCOME, "Occupancy fee income", Income, false, &[]),
    line(
        F::DEPOSIT_INTEREST,
        "Deposit interest income",
        Income,
        false,
        &[],
    ),
    line(
        F::OTHER_INCOME,
        "Subsidy income and other income",
        Income,
        false,
        &[],
    ),
    line(
        F::MANAGEMENT_EXPENSES,
        "Management expenses",
        Expense,
        false,
        &[S::Expense],
    ),
    line(
        F::LOAN_LOSSES,
        "Loan losses written off",
        Expense,
        false,
        &[],
    ),
    line(
        F::BALANCING_FEES,
        "Federation balancing fees paid",
        Expense,
        false,
        &[],
    ),
];

/// Township federation (DOMAIN.md §6). No member or loan accounts of any kind.
pub const FEDERATION_CHART: &[ChartLine] = &[
    line(G::BANK, "Bank deposit", Asset, true, &[]),
    line(
        G::PLACEMENTS,
        "Placements with member funds",
        Asset,
        true,
        &[S::Fund],
    ),
    line(
        G::FEES_RECEIVABLE,
        "Balancing fees receivable from member funds",
        Asset,
        false,
        &[S::Fund],
    ),
    line(
        G::BORROWINGS,
        "Funds borrowed from member funds",
        Liability,
        false,
        &[S::Fund],
    ),
    line(
        G::FEES_PAYABLE,
        "Placement fees payable to member funds",
        Liability,
        false,
        &[S::Fund],
    ),
    line(
        G::SEED_CAPITAL,
        "Federation seed capital",
        Equity,
        false,
        &[S::Source],
    ),
    line(G::RELIEF_POOL, "Risk-relief pool", Equity, false, &[]),
    line(G::FEE_INCOME, "Balancing fee income", Income, false, &[]),
    line(
        G::RELIEF_GRANTS,
        "Relief grants paid",
        Expense,
        false,
        &[S::Fund],
    ),
    line(
        G::MANAGEMENT_EXPENSES,
        "Management expenses",
        Expense,
        false,
        &[],
    ),
    line(
        G::PLACEMENT_FEES,
        "Placement fees paid to member funds",
        Expense,
        false,
        &[],
    ),
];

/// County risk-compensation fund and subsidy program (DOMAIN.md §5).
pub const PROGRAM_CHART: &[ChartLine] = &[
    line(
        P::RISK_FUND,
        "Risk-fund deposit at the cooperating bank",
        Asset,
        true,
        &[],
    ),
    line(
        P::SUBSIDY_RECEIVABLE,
        "Subsidy funds receivable from the finance bureau",
        Asset,
        false,
        &[],
    ),
    line(
        P::SUBSIDY_PAYABLE,
        "Subsidy payable",
        Liability,
        false,
        &[S::Bank, S::Fund, S::Household],
    ),
    line(
        P::RISK_FUND_CAPITAL,
        "Risk-fund capital",
        Equity,
        false,
        &[S::Source],
    ),
    line(
        P::SUBSIDY_FUNDS,
        "Subsidy funds received",
        Equity,
        false,
        &[],
    ),
    line(P::RECOVERIES, "Recoveries", Income, false, &[]),
    line(P::DEPOSIT_INTEREST, "Deposit interest", Income, false, &[]),
    line(P::COMPENSATION, "Compensation paid", Expense, false, &[]),
    line(P::SUBSIDIES, "Subsidies", Expense, false, &[]),
    line(
        P::EXPOSURE,
        "Guaranteed exposure (memorandum)",
        MemoDebit,
        true,
        &[S::Loan],
    ),
    line(
        P::OBLIGATION,
        "Guarantee obligation (memorandum)",
        MemoCredit,
        true,
        &[S::Loan],
    ),
];

pub fn chart_of(kind: BookKind) -> &'static [ChartLine] {
    match kind {
        BookKind::Fund => FUND_CHART,
        BookKind::Federation => FEDERATION_CHART,
        BookKind::Program => PROGRAM_CHART,
    }
}

pub fn chart_line(kind: BookKind, code: &str) -> Option<&'static ChartLine> {
    chart_of(kind).iter().find(|l| l.code == code)
}

/// Why a sub-account name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubAccountError {
    #[error("must be \"kind:id\" with kind one of member, loan, fund, source, program, bank, federation, expense, household and an id of letters, digits, '-', '_' or '.'")]
    Malformed,
    #[error("a federation book never holds household or loan accounts: federations do not lend to households")]
    HouseholdInFederation,
    #[error("chart code {code} does not take {kind} sub-accounts")]
    KindNotAllowed { code: String, kind: &'static str },
}

/// True when `sub` names a household or a loan and the book is a
/// federation's: whatever the code, such an account can never exist there.
pub fn household_in_federation(book: BookKind, sub: &str) -> bool {
    book == BookKind::Federation
        && sub
            .split_once(':')
            .and_then(|(prefix, _)| SubKind::from_prefix(prefix))
            .is_some_and(SubKind::is_household)
}

/// Checks that `sub` ("kind:id") may be opened under `line` in a book of `kind`.
pub fn check_sub_account(
    book: BookKind,
    line: &ChartLine,
    sub: &str,
) -> Result<SubKind, SubAccountError> {
    let (prefix, id) = sub.split_once(':').ok_or(SubAccountError::Malformed)?;
    let sub_kind = SubKind::from_prefix(prefix).ok_or(SubAccountError::Malformed)?;
    let id_ok = !id.is_empty()
        && sub.chars().count() <= super::limits::MAX_SUB_CHARS
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !id_ok {
        return Err(SubAccountError::Malformed);
    }
    if book == BookKind::Federation && sub_kind.is_household() {
        return Err(SubAccountError::HouseholdInFederation);
    }
    if !line.sub_kinds.contains(&sub_kind) {
        return Err(SubAccountError::KindNotAllowed {
            code: line.code.to_string(),
            kind: sub_kind.prefix(),
        });
    }
    Ok(sub_kind)
}

#[cfg(test)]
mod tests;
