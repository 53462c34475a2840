//! The one mapping from ledger errors to gRPC statuses with rich details
//! (google.rpc BadRequest / PreconditionFailure via tonic-types).
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use crate::ledger::LedgerError;

impl From<LedgerError> for Status {
    fn from(e: LedgerError) -> Self {
        let message = e.to_string();
        match e {
            LedgerError::InvalidArgument { field, reason } => Status::with_error_details(
                Code::InvalidArgument,
                message,
                ErrorDetails::with_bad_request_violation(field, reason),
            ),
            LedgerError::NotFound { field, what } => Status::with_error_details(
                Code::NotFound,
                message,
                ErrorDetails::with_bad_request_violation(field, format!("{what} does not exist")),
            ),
            LedgerError::AlreadyExists { field, what } => Status::with_error_details(
                Code::AlreadyExists,
                message,
                ErrorDetails::with_bad_request_violation(field, what),
            ),
            LedgerError::Rule {
                rule,
                subject,
                detail,
            } => Status::with_error_details(
                Code::FailedPrecondition,
                message,
                ErrorDetails::with_precondition_failure_violation(rule, subject, detail),
            ),
            LedgerError::Unavailable(why) => Status::unavailable(why),
            LedgerError::Internal(why) => {
                tracing::error!(error = %why, "internal error");
                Status::internal(why)
            }
        }
    }
}
