//! What the ledger refuses, and why, in terms the API maps once to gRPC codes.

/// Names of the business rules the ledger enforces; they appear in error details.
pub mod rule {
    pub const UNBALANCED: &str = "entry_balanced_per_book";
    pub const NON_NEGATIVE: &str = "account_non_negative";
    pub const PERIOD_CLOSED: &str = "period_closed";
    pub const PERIOD_NOT_ENDED: &str = "period_not_ended";
    pub const PERIOD_ALREADY_CLOSED: &str = "period_already_closed";
    pub const VALUE_DATE_IN_FUTURE: &str = "value_date_not_in_future";
    pub const ALREADY_REVERSED: &str = "entry_reversed_once";
    pub const REVERSAL_OF_REVERSAL: &str = "reversal_not_reversible";
    pub const REVERSAL_BEFORE_ORIGINAL: &str = "reversal_not_before_original";
    pub const NO_HOUSEHOLD_IN_FEDERATION: &str = "federation_never_lends_to_households";
    pub const REQUEST_ID_REUSED: &str = "request_id_same_payload";
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// Malformed input: which field, what is wrong with it.
    #[error("{field} {reason}")]
    InvalidArgument { field: String, reason: String },
    /// A named thing does not exist.
    #[error("{field}: {what} does not exist")]
    NotFound { field: String, what: String },
    /// A thing with that name exists already, or a request id was reused for another payload.
    #[error("{field}: {what}")]
    AlreadyExists { field: String, what: String },
    /// A business rule is broken; `rule` is one of [`rule`].
    #[error("{detail} (rule {rule})")]
    Rule {
        rule: &'static str,
        subject: String,
        detail: String,
    },
    /// The writer has stopped (shutdown or a storage fault); retry on another instance.
    #[error("ledger unavailable: {0}")]
    Unavailable(String),
    /// Storage failure or a broken invariant: never the caller's fault.
    #[error("internal ledger error: {0}")]
    Internal(String),
}

impl LedgerError {
    pub fn invalid(field: impl Into<String>, reason: impl std::fmt::Display) -> Self {
        Self::InvalidArgument {
            field: field.into(),
            reason: reason.to_string(),
        }
    }

    pub fn rule(rule: &'static str, subject: impl Into<String>, detail: impl Into<String>) -> Self {
        Self::Rule {
            rule,
            subject: subject.into(),
            detail: detail.into(),
        }
    }

    pub fn not_found(field: impl Into<String>, what: impl Into<String>) -> Self {
        Self::NotFound {
            field: field.into(),
            what: what.into(),
        }
    }

    /// Prefixes the field (or subject) with the path of the item in a batch,
    /// e.g. `postings[1].amount` becomes `entries[3].postings[1].amount`.
    pub fn within(self, path: &str) -> Self {
        let join = |f: String| {
            if f.is_empty() {
                path.to_string()
            } else {
                format!("{path}.{f}")
            }
        };
        match self {
            Self::InvalidArgument { field, reason } => Self::InvalidArgument {
                field: join(field),
                reason,
            },
            Self::NotFound { field, what } => Self::NotFound {
                field: join(field),
                what,
            },
            Self::AlreadyExists { field, what } => Self::AlreadyExists {
                field: join(field),
                what,
            },
            Self::Rule {
                rule,
                subject,
                detail,
            } => Self::Rule {
                rule,
                subject: join(subject),
                detail,
            },
            other => other,
        }
    }
}

/// A computed amount that cannot be posted is a broken rule of the code,
/// never the caller's: an internal error, and nothing is written.
impl From<crate::domain::posting::Unpostable> for LedgerError {
    fn from(e: crate::domain::posting::Unpostable) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<sled::Error> for LedgerError {
    fn from(e: sled::Error) -> Self {
        Self::Internal(format!("storage: {e}"))
    }
}

pub type Result<T, E = LedgerError> = std::result::Result<T, E>;
