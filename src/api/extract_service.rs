//! ExtractService: read-only streams for regulators, each its call in
//! `ops::extract`, its pages streamed through a bounded channel.
use tonic::Request;

use super::run::{call, stream, Answer, PageStream};
use crate::ledger::Ledger;
use crate::ops::extract::*;
use crate::ops::Call;
use crate::pb::{self, extract_service_server::ExtractService};

pub struct ExtractApi {
    ledger: Ledger,
}

impl ExtractApi {
    pub fn new(ledger: Ledger) -> Self {
        Self { ledger }
    }
}

type In<C> = Request<<C as Call>::Request>;

#[tonic::async_trait]
impl ExtractService for ExtractApi {
    async fn get_chain_head(&self, r: In<GetChainHead>) -> Answer<pb::ChainHead> {
        call::<GetChainHead>(&self.ledger, r).await
    }

    async fn get_quarterly_report(&self, r: In<GetQuarterlyReport>) -> Answer<pb::QuarterlyReport> {
        call::<GetQuarterlyReport>(&self.ledger, r).await
    }

    type StreamBalancesStream = PageStream<pb::BalancePage>;

    async fn stream_balances(&self, r: In<StreamBalances>) -> Answer<Self::StreamBalancesStream> {
        stream::<StreamBalances, _>(&self.ledger, r).await
    }

    type StreamLoansStream = PageStream<pb::LoanPage>;

    async fn stream_loans(&self, r: In<StreamLoans>) -> Answer<Self::StreamLoansStream> {
        stream::<StreamLoans, _>(&self.ledger, r).await
    }

    type StreamSubsidyClaimsStream = PageStream<pb::SubsidyClaimPage>;

    async fn stream_subsidy_claims(
        &self,
        r: In<StreamSubsidyClaims>,
    ) -> Answer<Self::StreamSubsidyClaimsStream> {
        stream::<StreamSubsidyClaims, _>(&self.ledger, r).await
    }

    type StreamJournalStream = PageStream<pb::JournalPage>;

    async fn stream_journal(&self, r: In<StreamJournal>) -> Answer<Self::StreamJournalStream> {
        stream::<StreamJournal, _>(&self.ledger, r).await
    }
}
