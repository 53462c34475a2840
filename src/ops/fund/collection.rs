//! The collection sheet (收款单) of a day: every loan with something fallen
//! due by then (`domain::servicing::collection`), grouped by the borrower's
//! guarantee group, the members in no group last.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::{Caller, Needs};
use crate::domain::dates::business_today;
use crate::domain::money::format_yuan;
use crate::domain::servicing::{self, Collection};
use crate::ledger::state::State;
use crate::ledger::{Ledger, Result};
use crate::ops::Call;
use crate::pb;
use crate::registry;
use crate::wire::{decode, encode};

pub struct GetCollectionSheet {
    fund_id: String,
    date: NaiveDate,
}

impl Call for GetCollectionSheet {
    type Request = pb::GetCollectionSheetRequest;
    type Response = pb::CollectionSheetResponse;

    fn needs(r: &Self::Request) -> Needs<'_> {
        super::reads::reads_fund(&r.fund_id)
    }

    fn decode(r: Self::Request, _: &Caller) -> Result<Self> {
        Ok(Self {
            fund_id: decode::book_id("fund_id", &r.fund_id)?,
            date: decode::optional_date("date", &r.date)?.unwrap_or_else(business_today),
        })
    }

    async fn run(self, ledger: Ledger) -> Result<Self::Response> {
        let state = ledger.state();
        let rules = registry::profile(&state, &self.fund_id)?.rules;
        let mut lines = Lines::new();
        for loan in registry::loans(&state, &self.fund_id)? {
            let Some(c) = servicing::collection(&rules, &loan, self.date) else {
                continue;
            };
            let group = registry::group_of(&state, &self.fund_id, &loan.member_id)?;
            let line = self.line(&state, &loan, &c)?;
            let key = (
                group.is_none(),
                group.unwrap_or_default(),
                loan.member_id,
                loan.loan_id,
            );
            lines.insert(key, (line, c.total()));
        }
        Ok(sheet(self.date, lines))
    }
}

impl GetCollectionSheet {
    fn line(
        &self,
        state: &State,
        loan: &crate::domain::loan::Loan,
        c: &Collection,
    ) -> Result<pb::CollectionLine> {
        let member = registry::member(state, &self.fund_id, &loan.member_id)?;
        Ok(pb::CollectionLine {
            loan_id: loan.loan_id.clone(),
            member_id: loan.member_id.clone(),
            member_name: member.name,
            installment_no: c.installment_no,
            due_date: encode::date(c.due_date),
            overdue: format_yuan(c.overdue),
            due: format_yuan(c.due),
            penalty: format_yuan(c.penalty),
            total: format_yuan(c.total()),
            days_past_due: c.days_past_due,
            outstanding_principal: format_yuan(loan.principal - loan.principal_paid),
        })
    }
}

/// The sheet's lines with their totals, keyed (in no group, group id,
/// member id, loan id): the groups in order, the members in no group last.
type Lines = BTreeMap<(bool, String, String, String), (pb::CollectionLine, Decimal)>;

/// The lines in their groups, with the totals.
fn sheet(date: NaiveDate, lines: Lines) -> pb::CollectionSheetResponse {
    let mut groups: Vec<(pb::CollectionGroup, Decimal)> = Vec::new();
    for ((_, group_id, _, _), (line, amount)) in lines {
        if groups.last().is_none_or(|(g, _)| g.group_id != group_id) {
            let group = pb::CollectionGroup {
                group_id,
                ..Default::default()
            };
            groups.push((group, Decimal::ZERO));
        }
        let (group, total) = groups.last_mut().expect("a group was just pushed");
        *total += amount;
        group.lines.push(line);
    }
    let total: Decimal = groups.iter().map(|(_, t)| *t).sum();
    pb::CollectionSheetResponse {
        date: encode::date(date),
        groups: groups
            .into_iter()
            .map(|(g, t)| pb::CollectionGroup {
                total: format_yuan(t),
                ..g
            })
            .collect(),
        total: format_yuan(total),
    }
}
