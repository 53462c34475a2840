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
        ]
        .into_iter()
        .find(|k| k.prefix() == prefix)
    }

    /// Sub-accounts that belong to a household or its loan.
    pub fn is_household(self) -> bool {
        matches!(self, Self::Member | Self::Loan)
    }
}

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

use AccountType::*;
use SubKind as S;

/// Village mutual-aid fund (DOMAIN.md §3).
pub const FUND_CHART: &[ChartLine] = &[
    line("1001", "Cash on hand", Asset, true, &[]),
    line("1002", "Bank deposit", Asset, true, &[]),
    line(
        "1201",
        "Loans to members (principal)",
        Asset,
        true,
        &[S::Loan],
    ),
    line("1202", "Occupancy fee receivable", Asset, true, &[S::Loan]),
    line("1203", "Subsidy receivable", Asset, false, &[S::Program]),
    line("1301", "Placed with federation", Asset, true, &[]),
    line("2101", "Borrowed from federation", Liability, false, &[]),
    line(
        "2201",
        "Payables (dividends, refunds due)",
        Liability,
        false,
        &[S::Member],
    ),
    line(
        "3001",
        "Government seed capital",
        Equity,
        false,
        &[S::Source],
    ),
    line("3002", "Member shares", Equity, false, &[S::Member]),
    line(
        "3003",
        "Allocated shares for poor households",
        Equity,
        false,
        &[S::Member],
    ),
    line("3004", "Donations", Equity, false, &[]),
    line("3101", "Public welfare fund", Equity, false, &[]),
    line("3102", "Accumulation reserve", Equity, false, &[]),
    line("3103", "Risk reserve", Equity, false, &[]),
    line("3201", "Undistributed surplus", Equity, false, &[]),
    line("4001", "Occupancy fee income", Income, false, &[]),
    line("4002", "Deposit interest income", Income, false, &[]),
    line(
        "4003",
        "Subsidy income and other income",
        Income,
        false,
        &[],
    ),
    line("5001", "Management expenses", Expense, false, &[]),
    line("5002", "Loan losses written off", Expense, false, &[]),
    line(
        "5003",
        "Federation balancing fees paid",
        Expense,
        false,
        &[],
    ),
];

/// Township federation (DOMAIN.md §6). No member or loan accounts of any kind.
pub const FEDERATION_CHART: &[ChartLine] = &[
    line("1002", "Bank deposit", Asset, true, &[]),
    line(
        "1301",
        "Placements with member funds",
        Asset,
        true,
        &[S::Fund],
    ),
    line(
        "2101",
        "Funds borrowed from member funds",
        Liability,
        false,
        &[S::Fund],
    ),
    line(
        "3001",
        "Federation seed capital",
        Equity,
        false,
        &[S::Source],
    ),
    line("3101", "Risk-relief pool", Equity, false, &[]),
    line("4001", "Balancing fee income", Income, false, &[]),
    line("5001", "Relief grants paid", Expense, false, &[S::Fund]),
    line("5002", "Management expenses", Expense, false, &[]),
    line(
        "5003",
        "Placement fees paid to member funds",
        Expense,
        false,
        &[],
    ),
];

/// County risk-compensation fund and subsidy program (DOMAIN.md §5).
pub const PROGRAM_CHART: &[ChartLine] = &[
    line(
        "1002",
        "Risk-fund deposit at the cooperating bank",
        Asset,
        true,
        &[],
    ),
    line(
        "1203",
        "Subsidy funds receivable from the finance bureau",
        Asset,
        false,
        &[],
    ),
    line(
        "2201",
        "Subsidy payable",
        Liability,
        false,
        &[S::Bank, S::Fund],
    ),
    line("3001", "Risk-fund capital", Equity, false, &[S::Source]),
    line("3002", "Subsidy funds received", Equity, false, &[]),
    line("4001", "Recoveries", Income, false, &[]),
    line("4002", "Deposit interest", Income, false, &[]),
    line("5001", "Compensation paid", Expense, false, &[]),
    line("5002", "Subsidies", Expense, false, &[]),
    line(
        "7001",
        "Guaranteed exposure (memorandum)",
        MemoDebit,
        true,
        &[S::Loan],
    ),
    line(
        "7002",
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
    #[error("must be \"kind:id\" with kind one of member, loan, fund, source, program, bank and an id of letters, digits, '-', '_' or '.'")]
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
mod tests {
    use super::*;

    #[test]
    fn charts_have_unique_codes() {
        for kind in [BookKind::Fund, BookKind::Federation, BookKind::Program] {
            let chart = chart_of(kind);
            for (i, a) in chart.iter().enumerate() {
                assert!(
                    chart[i + 1..].iter().all(|b| b.code != a.code),
                    "{kind:?} {}",
                    a.code
                );
            }
        }
    }

    #[test]
    fn federation_chart_has_no_household_accounts() {
        for l in FEDERATION_CHART {
            assert!(l.sub_kinds.iter().all(|k| !k.is_household()), "{}", l.code);
        }
        let placements = chart_line(BookKind::Federation, "1301").unwrap();
        assert_eq!(
            check_sub_account(BookKind::Federation, placements, "member:M1"),
            Err(SubAccountError::HouseholdInFederation)
        );
        assert_eq!(
            check_sub_account(BookKind::Federation, placements, "fund:xiaocun"),
            Ok(SubKind::Fund)
        );
        assert!(household_in_federation(BookKind::Federation, "loan:L1"));
        assert!(!household_in_federation(BookKind::Federation, "fund:a"));
        assert!(!household_in_federation(BookKind::Fund, "loan:L1"));
    }

    #[test]
    fn sub_accounts_follow_the_chart() {
        let loans = chart_line(BookKind::Fund, "1201").unwrap();
        assert_eq!(
            check_sub_account(BookKind::Fund, loans, "loan:L-1"),
            Ok(SubKind::Loan)
        );
        assert!(matches!(
            check_sub_account(BookKind::Fund, loans, "member:M1"),
            Err(SubAccountError::KindNotAllowed { .. })
        ));
        assert_eq!(
            check_sub_account(BookKind::Fund, loans, "loan:"),
            Err(SubAccountError::Malformed)
        );
        assert_eq!(
            check_sub_account(BookKind::Fund, loans, "loan:a b"),
            Err(SubAccountError::Malformed)
        );
        let cash = chart_line(BookKind::Fund, "1001").unwrap();
        assert!(cash.non_negative);
        assert!(check_sub_account(BookKind::Fund, cash, "member:M1").is_err());
    }
}
