//! The refusal a fund's, a member's or a household's rule answers with: the
//! rule broken (or the field at fault) and why. Its own module, so that the
//! household rules and the fund rules both use it without importing each
//! other.

/// A refusal: the rule broken (or the field at fault) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FundError {
    #[error("{detail}")]
    Rule { rule: &'static str, detail: String },
    #[error("{field} {reason}")]
    Invalid { field: String, reason: String },
}
