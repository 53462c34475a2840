//! GetSubsidyStatement: one period's lines, or one loan's across periods.
use crate::auth::{Act, Caller, Needs, On};
use crate::ledger::{Ledger, LedgerError, Result};
use crate::ops::{Call, Done};
use crate::pb;
use crate::wire::decode;

pub struct GetSubsidyStatement {
    program_id: String,
    scheme_id: String,
    period: Option<String>,
    loan_ref: Option<String>,
}

impl Call for GetSubsidyStatement {
    type Request = pb::GetSubsidyStatementRequest;
    type Response = pb::SubsidyStatement;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Program(&r.program_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        let program_id = decode::book_id("program_id", &r.program_id)?;
        let scheme_id = decode::ident("scheme_id", &r.scheme_id)?;
        let period = Some(r.period).filter(|p| !p.is_empty());
        let loan_ref = Some(r.loan_ref).filter(|l| !l.is_empty());
        if period.is_none() && loan_ref.is_none() {
            return Err(LedgerError::invalid("period", "or loan_ref is required"));
        }
        Ok(Self {
            program_id,
            scheme_id,
            period,
            loan_ref,
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let which = (self.period.as_deref(), self.loan_ref.as_deref());
        super::statement(
            &ledger,
            &self.program_id,
            &self.scheme_id,
            which,
            Done::default(),
        )
    }
}
