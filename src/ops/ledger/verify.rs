//! VerifyChain: the whole journal replayed and every hash, link, balance
//! and index checked, on the server's own store.
use crate::auth::{Act, Caller, Needs, On};
use crate::ledger::record::hash_hex;
use crate::ledger::{Ledger, Result};
use crate::ops::{blocking, Call};
use crate::pb;

pub struct VerifyChain;

impl Call for VerifyChain {
    type Request = pb::VerifyChainRequest;
    type Response = pb::VerifyChainResponse;

    fn needs(_: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Verify, On::Store)
    }

    fn decode(_: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self)
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let report = blocking(ledger, |l| {
            l.verify(&|done, total| tracing::info!(done, total, "verifying the journal"))
        })
        .await?;
        if !report.ok() {
            tracing::error!(problems = report.problems.len(), first = %report.problems[0], "journal verification failed");
        }
        Ok(pb::VerifyChainResponse {
            ok: report.ok(),
            entries_checked: report.entries_checked,
            accounts_checked: report.accounts_checked,
            head_seq: report.head_seq,
            head_hash: hash_hex(&report.head_hash),
            problems: report.problems,
        })
    }
}
