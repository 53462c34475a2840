//! The web client's calls: the server's own gRPC services over loopback,
//! with the signed-in token, so authorization, maker-checker and
//! idempotency are exactly a gRPC caller's; and what a refusal says to the
//! person, in their language, naming the field or the rule.
use tonic::transport::Channel;
use tonic::{Code, Status};

use crate::auth::client::{lazy_channel, with_token, AuthChannel, Target};
use crate::i18n::{refusal, Lang};
use crate::pb::extract_service_client::ExtractServiceClient;
use crate::pb::federation_service_client::FederationServiceClient;
use crate::pb::fund_service_client::FundServiceClient;
use crate::pb::ledger_service_client::LedgerServiceClient;
use crate::pb::risk_fund_service_client::RiskFundServiceClient;
use crate::pb::token_service_client::TokenServiceClient;

/// Why a call did not answer, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The token is no longer valid (revoked): the session ends.
    SignedOut,
    /// Outside the token's role or scope: nothing of the resource is shown.
    Forbidden,
    /// A field or rule refused, or the server unreachable: the text to show.
    Said(String),
}

/// The gRPC server the web client calls, one channel for every session.
#[derive(Clone)]
pub struct Backend {
    channel: Channel,
}

impl Backend {
    pub fn new(target: &Target) -> Result<Self, String> {
        Ok(Backend {
            channel: lazy_channel(target)?,
        })
    }

    /// The channel with the session's token (for a client library that
    /// takes one, such as the extract bundle's writer).
    pub fn channel(&self, bearer: &str) -> Result<AuthChannel, Refusal> {
        with_token(self.channel.clone(), bearer).map_err(|_| Refusal::SignedOut)
    }

    pub fn tokens(&self, bearer: &str) -> Result<TokenServiceClient<AuthChannel>, Refusal> {
        Ok(TokenServiceClient::new(self.channel(bearer)?))
    }

    pub fn funds(&self, bearer: &str) -> Result<FundServiceClient<AuthChannel>, Refusal> {
        Ok(FundServiceClient::new(self.channel(bearer)?))
    }

    pub fn extracts(&self, bearer: &str) -> Result<ExtractServiceClient<AuthChannel>, Refusal> {
        Ok(ExtractServiceClient::new(self.channel(bearer)?))
    }

    pub fn ledger(&self, bearer: &str) -> Result<LedgerServiceClient<AuthChannel>, Refusal> {
        Ok(LedgerServiceClient::new(self.channel(bearer)?))
    }

    pub fn programs(&self, bearer: &str) -> Result<RiskFundServiceClient<AuthChannel>, Refusal> {
        Ok(RiskFundServiceClient::new(self.channel(bearer)?))
    }

    pub fn federations(
        &self,
        bearer: &str,
    ) -> Result<FederationServiceClient<AuthChannel>, Refusal> {
        Ok(FederationServiceClient::new(self.channel(bearer)?))
    }
}

/// Whether a call was taken: nothing of its answer, or its refusal
/// explained in the page's language (the pages' actions redirect on OK).
pub async fn taken<T>(
    call: impl std::future::Future<Output = Result<tonic::Response<T>, Status>>,
    lang: Lang,
) -> Result<(), Refusal> {
    call.await.map(|_| ()).map_err(|s| explain(&s, lang))
}

/// What a refused call says to the person: the rule's message
/// (PreconditionFailure) or the field's name with the server's reason
/// (BadRequest) from the catalog; the server's own text when the catalog
/// has no message for it.
pub fn explain(status: &Status, lang: Lang) -> Refusal {
    match status.code() {
        Code::Unauthenticated => return Refusal::SignedOut,
        Code::PermissionDenied => return Refusal::Forbidden,
        Code::Unavailable | Code::Unknown | Code::Internal => {
            return Refusal::Said(lang.t("server-unreachable"))
        }
        _ => {}
    }
    Refusal::Said(refusal(status, lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic_types::{ErrorDetails, StatusExt};

    #[test]
    fn a_rule_is_said_from_the_catalog() {
        let s = Status::with_error_details(
            Code::FailedPrecondition,
            "loan L1 was applied for by t1/fund_treasurer",
            ErrorDetails::with_precondition_failure_violation(
                "loan_approver_not_applicant",
                "L1",
                "the applicant may not approve",
            ),
        );
        let Refusal::Said(zh) = explain(&s, Lang::Zh) else {
            panic!("said")
        };
        assert!(zh.starts_with("申请人不能审批自己的贷款"), "{zh}");
    }

    #[test]
    fn an_unknown_rule_falls_back_to_the_servers_text() {
        let s = Status::with_error_details(
            Code::FailedPrecondition,
            "the server's own words",
            ErrorDetails::with_precondition_failure_violation("rule_not_in_catalog", "x", "y"),
        );
        assert_eq!(
            explain(&s, Lang::Zh),
            Refusal::Said("the server's own words".into())
        );
    }

    #[test]
    fn a_field_is_named_in_the_language_of_the_page() {
        let s = Status::with_error_details(
            Code::InvalidArgument,
            "principal: must be > 0",
            ErrorDetails::with_bad_request_violation("principal", "must be > 0"),
        );
        assert_eq!(
            explain(&s, Lang::Zh),
            Refusal::Said("金额：must be > 0".into())
        );
        assert_eq!(
            explain(&s, Lang::En),
            Refusal::Said("Amount: must be > 0".into())
        );
    }

    #[test]
    fn permission_and_authentication_are_not_said_but_acted_on() {
        assert_eq!(
            explain(&Status::permission_denied("no"), Lang::Zh),
            Refusal::Forbidden
        );
        assert_eq!(
            explain(&Status::unauthenticated("revoked"), Lang::Zh),
            Refusal::SignedOut
        );
    }
}
