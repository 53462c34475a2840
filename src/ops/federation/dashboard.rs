//! GetDashboard: the federation's own position and each member fund's
//! supervision line (运行安全监管) as of a date, with the period's ratios
//! (`supervision`). Sums a period's postings, so it runs on the blocking pool.
use crate::auth::{Act, Caller, Needs, On};
use crate::domain::chart::code::federation as fc;
use crate::domain::dates::business_today;
use crate::domain::federation::FederationRules;
use crate::domain::money::format_yuan;
use crate::domain::report::Period;
use crate::ledger::{Ledger, LedgerError, Result};
use crate::ops::{blocking, Call};
use crate::pb;
use crate::registry;
use crate::wire::{decode, encode};

use super::supervision::{fund_line, Reader};

/// The federation's dashboard at the end of `period`, its ratios over it.
pub fn dashboard(ledger: &Ledger, fed_id: &str, period: Period) -> Result<pb::Dashboard> {
    let (rules, funds) = {
        let state = ledger.state();
        (
            registry::federation(&state, fed_id)?.rules,
            registry::member_funds(&state, fed_id)?,
        )
    };
    let as_of = period.to;
    let reader = Reader::new(ledger, fed_id)?;
    let own = reader.at(as_of)?;
    let lines = fund_lines(ledger, &rules, &funds, period)?;
    Ok(pb::Dashboard {
        federation_id: fed_id.to_string(),
        as_of: encode::date(as_of),
        bank: format_yuan(own.sum(fc::BANK)),
        placements: format_yuan(own.sum(fc::PLACEMENTS)),
        borrowings: format_yuan(own.sum(fc::BORROWINGS)),
        seed_capital: format_yuan(own.sum(fc::SEED_CAPITAL)),
        relief_pool: format_yuan(own.sum(fc::RELIEF_POOL)),
        fee_income: format_yuan(own.sum(fc::FEE_INCOME)),
        alerts: lines.iter().map(|l| l.alerts.len() as u32).sum(),
        funds: lines,
    })
}

/// Each member fund's line, in the order of `funds`, the funds shared out
/// over the machine's cores: a line reads only what is published (each at
/// the head it finds), so lines are independent of each other.
fn fund_lines(
    ledger: &Ledger,
    rules: &FederationRules,
    funds: &[String],
    period: Period,
) -> Result<Vec<pb::FundIndicators>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = funds.len().div_ceil(cores).max(1);
    std::thread::scope(|s| {
        let parts: Vec<_> = funds
            .chunks(per_thread)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|fund_id| fund_line(ledger, rules, fund_id, period))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        let mut lines = Vec::with_capacity(funds.len());
        for part in parts {
            lines.extend(
                part.join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))?,
            );
        }
        Ok(lines)
    })
}

pub struct GetDashboard {
    federation_id: String,
    period: Period,
}

impl Call for GetDashboard {
    type Request = pb::GetDashboardRequest;
    type Response = pb::Dashboard;

    fn needs(r: &Self::Request) -> Needs<'_> {
        Needs::one(Act::Read, On::Federation(&r.federation_id))
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        let as_of = decode::optional_date("as_of", &r.as_of)?.unwrap_or_else(business_today);
        let from = decode::optional_date("period_from", &r.period_from)?;
        Ok(Self {
            federation_id: decode::book_id("federation_id", &r.federation_id)?,
            period: match from {
                Some(from) if from > as_of => {
                    return Err(LedgerError::invalid(
                        "period_from",
                        format!("{from} is after as_of {as_of}"),
                    ))
                }
                Some(from) => Period { from, to: as_of },
                None => Period::year_to_date(as_of),
            },
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        blocking(ledger, move |l| {
            dashboard(l, &self.federation_id, self.period)
        })
        .await
    }
}
