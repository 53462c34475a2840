//! FederationService: a township federation's members and board, balancing
//! between member funds, the risk-relief pool and supervision. Each operation
//! is a planner over the federation's registry records, asking
//! `domain::federation` for the rules and amounts; a movement of money is one
//! entry whose postings span the federation's book and the fund's, balanced
//! in each. The federation's book has no household or loan account at all
//! (`domain::chart`), and `fund_service::profile` refuses its id, so no path
//! through this API or FundService lends to a household from it.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tonic::{Request, Response, Status};

use super::access::{allow, allow_federation, allow_fund, allow_on, On};
use super::convert as cv;
use super::fund_service::{loan, loans, member, profile};
use super::registry::{
    account, amount, balance, entry, equity, ident, json, load, load_all, run, to_fen, Answer,
};
use super::status::to_status;
use crate::auth::{Act, Caller};
use crate::domain::chart::BookKind;
use crate::domain::dates::business_today;
use crate::domain::federation::{
    self as fed, rule, Board, Direction, FederationRules, Grant, Officer, Placement, Refusal,
};
use crate::domain::loan::LoanStatus;
use crate::domain::money::{fen_to_decimal, format_fen, format_yuan};
use crate::domain::servicing;
use crate::ledger::record::Side;
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, PlannedAccount, PlannedBook, Result};
use crate::pb::{self, federation_service_server::FederationService};

/// A federation's registry record, `federation/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Profile {
    federation_id: String,
    name: String,
    rules: FederationRules,
    board: Option<Board>,
}

/// A fund's membership, `memberof/{fund}`: the one federation it belongs to.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Membership {
    federation_id: String,
    admitted_on: NaiveDate,
    removed_on: Option<NaiveDate>,
}

/// A contribution to the relief pool, `contribution/{federation}/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Contribution {
    contribution_id: String,
    fund_id: String,
    amount: Decimal,
    date: NaiveDate,
    actor: String,
    basis: String,
}

/// How a contribution is set: a fixed amount in fen, or a share of the
/// fund's fee income, computed when the operation runs.
enum Basis {
    Fixed(i64),
    FeeShare(Decimal),
}

fn federation_key(id: &str) -> String {
    format!("federation/{id}")
}

fn membership_key(fund_id: &str) -> String {
    format!("memberof/{fund_id}")
}

fn placement_key(fed_id: &str, id: &str) -> String {
    format!("placement/{fed_id}/{id}")
}

fn grant_key(fed_id: &str, id: &str) -> String {
    format!("grant/{fed_id}/{id}")
}

fn fund_sub(fund_id: &str) -> String {
    format!("fund:{fund_id}")
}

fn refused(e: Refusal, subject: &str) -> LedgerError {
    LedgerError::rule(e.rule, subject, e.detail)
}

fn federation(state: &State, id: &str) -> Result<Profile> {
    load(state, &federation_key(id))?
        .ok_or_else(|| LedgerError::not_found("federation_id", format!("federation {id:?}")))
}

/// The funds that belong to the federation now, in id order.
fn member_funds(state: &State, fed_id: &str) -> Result<Vec<String>> {
    Ok(state
        .records_under("memberof/")
        .filter_map(|(key, r)| {
            let m: Membership = serde_json::from_slice(&r.value).ok()?;
            (m.federation_id == fed_id && m.removed_on.is_none())
                .then(|| key["memberof/".len()..].to_string())
        })
        .collect())
}

/// The federation a fund belongs to now, if any.
pub fn federation_of(state: &State, fund_id: &str) -> Option<String> {
    let m: Membership = load(state, &membership_key(fund_id)).ok()??;
    m.removed_on.is_none().then_some(m.federation_id)
}

/// Refuses a fund that is not (or no longer) a member of the federation.
fn require_member(state: &State, fed_id: &str, fund_id: &str) -> Result<()> {
    profile(state, fund_id)?;
    let m: Option<Membership> = load(state, &membership_key(fund_id))?;
    if m.is_some_and(|m| m.federation_id == fed_id && m.removed_on.is_none()) {
        Ok(())
    } else {
        Err(LedgerError::rule(
            rule::MEMBER_FUND,
            "fund_id",
            format!("fund {fund_id:?} is not a member of federation {fed_id:?}"),
        ))
    }
}

fn placements(state: &State, fed_id: &str) -> Result<Vec<Placement>> {
    load_all(state, &format!("placement/{fed_id}/"))
}

fn placement(state: &State, fed_id: &str, id: &str) -> Result<Placement> {
    load(state, &placement_key(fed_id, id))?.ok_or_else(|| {
        LedgerError::not_found(
            "placement_id",
            format!("placement {id:?} of federation {fed_id:?}"),
        )
    })
}

/// Outstanding principal of the fund's placements in one direction.
fn outstanding(all: &[Placement], fund_id: &str, direction: Direction) -> Decimal {
    all.iter()
        .filter(|p| p.fund_id == fund_id && p.direction == direction)
        .map(Placement::outstanding)
        .sum()
}

fn rules_from(r: Option<&pb::FederationRules>) -> Result<FederationRules> {
    let mut rules = FederationRules::default();
    if let Some(r) = r {
        for (field, text, into) in [
            ("limit_share", &r.limit_share, &mut rules.limit_share),
            (
                "placement_rate_annual",
                &r.placement_rate_annual,
                &mut rules.placement_rate_annual,
            ),
            ("spread_annual", &r.spread_annual, &mut rules.spread_annual),
            ("par30_alert", &r.par30_alert, &mut rules.par30_alert),
            (
                "liquidity_alert",
                &r.liquidity_alert,
                &mut rules.liquidity_alert,
            ),
        ] {
            if !text.is_empty() {
                *into = text.parse().map_err(|_| {
                    LedgerError::invalid(format!("rules.{field}"), "is not a decimal number")
                })?;
            }
        }
    }
    rules
        .validate()
        .map_err(|(field, reason)| LedgerError::invalid(field, reason))?;
    Ok(rules)
}

fn officer_from(field: &str, o: Option<&pb::Officer>) -> Result<Officer> {
    let o = o.ok_or_else(|| LedgerError::invalid(field, "is required"))?;
    Ok(Officer {
        name: cv::name(&format!("{field}.name"), &o.name, true)?,
        fund_id: cv::book_id(&format!("{field}.fund_id"), &o.fund_id)?,
        township_official: o.township_official,
    })
}

fn officer_to(o: &Officer) -> pb::Officer {
    pb::Officer {
        name: o.name.clone(),
        fund_id: o.fund_id.clone(),
        township_official: o.township_official,
    }
}

fn placement_to(p: &Placement) -> pb::Placement {
    pb::Placement {
        placement_id: p.placement_id.clone(),
        fund_id: p.fund_id.clone(),
        direction: match p.direction {
            Direction::FromFund => pb::PlacementDirection::FromFund,
            Direction::ToFund => pb::PlacementDirection::ToFund,
        } as i32,
        principal: format_yuan(p.principal),
        rate_annual: p.rate_annual.to_string(),
        placed_on: cv::fmt_date(p.placed_on),
        outstanding: format_yuan(p.outstanding()),
        fees_paid: format_yuan(p.fees_paid),
        repayments: p
            .repayments
            .iter()
            .map(|r| pb::PlacementRepayment {
                date: cv::fmt_date(r.date),
                principal: format_yuan(r.principal),
                fee: format_yuan(r.fee),
            })
            .collect(),
    }
}

fn ratio_text(r: Option<Decimal>) -> String {
    r.map(|r| r.to_string()).unwrap_or_default()
}

pub struct FederationApi {
    ledger: Ledger,
}

impl FederationApi {
    pub fn new(ledger: Ledger) -> Self {
        Self { ledger }
    }

    fn federation_response(&self, id: &str, replayed: bool) -> Answer<pb::FederationResponse> {
        let state = self.ledger.shared().state.read();
        let p = federation(&state, id).map_err(to_status)?;
        let board = p.board.as_ref();
        Ok(Response::new(pb::FederationResponse {
            member_funds: member_funds(&state, id).map_err(to_status)?,
            chair: board.map(|b| officer_to(&b.chair)),
            directors: board
                .map(|b| b.directors.iter().map(officer_to).collect())
                .unwrap_or_default(),
            supervisors: board
                .map(|b| b.supervisors.iter().map(officer_to).collect())
                .unwrap_or_default(),
            board_elected_on: board
                .map(|b| cv::fmt_date(b.elected_on))
                .unwrap_or_default(),
            bank: format_fen(balance(&state, id, "1002", "")),
            rules: Some(pb::FederationRules {
                limit_share: p.rules.limit_share.to_string(),
                placement_rate_annual: p.rules.placement_rate_annual.to_string(),
                spread_annual: p.rules.spread_annual.to_string(),
                par30_alert: p.rules.par30_alert.to_string(),
                liquidity_alert: p.rules.liquidity_alert.to_string(),
            }),
            federation_id: p.federation_id,
            name: p.name,
            replayed,
        }))
    }

    fn placement_response(
        &self,
        fed_id: &str,
        id: &str,
        entry_seqs: Vec<u64>,
        replayed: bool,
    ) -> Answer<pb::PlacementResponse> {
        let state = self.ledger.shared().state.read();
        let p = placement(&state, fed_id, id).map_err(to_status)?;
        Ok(Response::new(pb::PlacementResponse {
            placement: Some(placement_to(&p)),
            entry_seqs,
            replayed,
        }))
    }

    fn relief_response(
        &self,
        fed_id: &str,
        entry_seqs: Vec<u64>,
        replayed: bool,
    ) -> Answer<pb::ReliefResponse> {
        let state = self.ledger.shared().state.read();
        federation(&state, fed_id).map_err(to_status)?;
        let contributions: Vec<Contribution> =
            load_all(&state, &format!("contribution/{fed_id}/")).map_err(to_status)?;
        let grants: Vec<Grant> =
            load_all(&state, &format!("grant/{fed_id}/")).map_err(to_status)?;
        let mut history: Vec<pb::ReliefLine> = contributions
            .iter()
            .map(|c| pb::ReliefLine {
                id: c.contribution_id.clone(),
                kind: pb::ReliefKind::Contribution as i32,
                fund_id: c.fund_id.clone(),
                amount: format_yuan(c.amount),
                date: cv::fmt_date(c.date),
                actor: c.actor.clone(),
                detail: c.basis.clone(),
            })
            .collect();
        for g in &grants {
            let line = |kind: pb::ReliefKind, date: NaiveDate, actor: &str| pb::ReliefLine {
                id: g.grant_id.clone(),
                kind: kind as i32,
                fund_id: g.fund_id.clone(),
                amount: format_yuan(g.amount),
                date: cv::fmt_date(date),
                actor: actor.to_string(),
                detail: format!("loan {}: {}", g.loan_id, g.reason),
            };
            history.push(line(
                pb::ReliefKind::GrantRequested,
                g.requested_on,
                &g.requested_by,
            ));
            if let (Some(by), Some(on)) = (&g.approved_by, g.approved_on) {
                history.push(line(pb::ReliefKind::GrantApproved, on, by));
            }
        }
        history.sort_by(|a, b| a.date.cmp(&b.date));
        Ok(Response::new(pb::ReliefResponse {
            pool: format_fen(balance(&state, fed_id, "3101", "")),
            history,
            entry_seqs,
            replayed,
        }))
    }

    /// Admits a fund (`admit`), once and to one federation, or removes it
    /// when nothing is open between it and the federation.
    async fn membership(
        &self,
        r: pb::FundMembershipRequest,
        who: Caller,
        admit: bool,
    ) -> Answer<pb::FederationResponse> {
        let (id, fund_id, date) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("federation_id", &r.federation_id)?,
                cv::book_id("fund_id", &r.fund_id)?,
                cv::date("date", &r.date)?,
            ))
        })()
        .map_err(to_status)?;
        let f = id.clone();
        let kind = if admit {
            "federation.admit"
        } else {
            "federation.remove"
        };
        let (replayed, _) = run(
            &self.ledger,
            kind,
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                federation(state, &f)?;
                let key = membership_key(&fund_id);
                let m = if admit {
                    profile(state, &fund_id)?;
                    if let Some(m) =
                        load::<Membership>(state, &key)?.filter(|m| m.removed_on.is_none())
                    {
                        return Err(LedgerError::rule(
                            rule::ONE_FEDERATION_PER_FUND,
                            "fund_id",
                            format!(
                                "fund {fund_id:?} belongs to federation {:?} already",
                                m.federation_id
                            ),
                        ));
                    }
                    Membership {
                        federation_id: f.clone(),
                        admitted_on: date,
                        removed_on: None,
                    }
                } else {
                    require_member(state, &f, &fund_id)?;
                    let open: Vec<String> = placements(state, &f)?
                        .into_iter()
                        .filter(|p| p.fund_id == fund_id && p.outstanding() > Decimal::ZERO)
                        .map(|p| p.placement_id)
                        .collect();
                    if !open.is_empty() {
                        return Err(LedgerError::rule(
                            rule::NO_OPEN_PLACEMENTS,
                            "fund_id",
                            format!("fund {fund_id:?} has open placements: {}", open.join(", ")),
                        ));
                    }
                    let mut m: Membership = load(state, &key)?
                        .ok_or_else(|| LedgerError::Internal(format!("{key} vanished")))?;
                    m.removed_on = Some(date);
                    m
                };
                Ok(Plan {
                    records: vec![json(key, &m)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.federation_response(&id, replayed)
    }

    /// The shared path of both balancing legs: the limit, then one entry
    /// across the two books and the placement's record.
    async fn place(
        &self,
        r: pb::PlaceRequest,
        who: Caller,
        direction: Direction,
    ) -> Answer<pb::PlacementResponse> {
        let (fed_id, pid, fund_id, fen, date) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("federation_id", &r.federation_id)?,
                ident("placement_id", &r.placement_id)?,
                cv::book_id("fund_id", &r.fund_id)?,
                amount("amount", &r.amount)?,
                cv::date("value_date", &r.value_date)?,
            ))
        })()
        .map_err(to_status)?;
        let (f, p_id) = (fed_id.clone(), pid.clone());
        let kind = match direction {
            Direction::FromFund => "federation.place",
            Direction::ToFund => "federation.lend",
        };
        let (replayed, seqs) = run(
            &self.ledger,
            kind,
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = federation(state, &f)?;
                require_member(state, &f, &fund_id)?;
                if load::<Placement>(state, &placement_key(&f, &p_id))?.is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "placement_id".into(),
                        what: format!("placement {p_id:?} already exists in federation {f:?}"),
                    });
                }
                let value = fen_to_decimal(fen.into());
                let capital = fen_to_decimal(equity(state, &fund_id));
                let already = outstanding(&placements(state, &f)?, &fund_id, direction);
                fed::check_limit(&p.rules, direction, capital, already, value)
                    .map_err(|e| refused(e, "amount"))?;
                let sub = fund_sub(&fund_id);
                let (fed_code, rate, memo, legs) = match direction {
                    Direction::FromFund => (
                        "2101",
                        p.rules.placement_rate_annual,
                        format!(
                            "balancing: fund {fund_id} places {value} with federation {f} ({p_id})"
                        ),
                        [
                            (account(&fund_id, "1301", ""), Side::Debit, fen),
                            (account(&fund_id, "1002", ""), Side::Credit, fen),
                            (account(&f, "1002", ""), Side::Debit, fen),
                            (account(&f, "2101", &sub), Side::Credit, fen),
                        ],
                    ),
                    Direction::ToFund => (
                        "1301",
                        p.rules.lending_rate_annual(),
                        format!(
                            "balancing: federation {f} places {value} with fund {fund_id} ({p_id})"
                        ),
                        [
                            (account(&f, "1301", &sub), Side::Debit, fen),
                            (account(&f, "1002", ""), Side::Credit, fen),
                            (account(&fund_id, "1002", ""), Side::Debit, fen),
                            (account(&fund_id, "2101", ""), Side::Credit, fen),
                        ],
                    ),
                };
                let placed = Placement {
                    placement_id: p_id.clone(),
                    fund_id: fund_id.clone(),
                    direction,
                    principal: value,
                    rate_annual: rate,
                    placed_on: date,
                    principal_repaid: Decimal::ZERO,
                    fees_paid: Decimal::ZERO,
                    repayments: Vec::new(),
                };
                Ok(Plan {
                    accounts: vec![PlannedAccount {
                        account: account(&f, fed_code, &sub),
                        name: format!("fund {fund_id}"),
                        non_negative: false,
                    }],
                    entries: vec![entry(date, memo, legs)],
                    records: vec![json(placement_key(&f, &p_id), &placed)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.placement_response(&fed_id, &pid, seqs, replayed)
    }
}

#[tonic::async_trait]
impl FederationService for FederationApi {
    async fn create_federation(
        &self,
        request: Request<pb::CreateFederationRequest>,
    ) -> Answer<pb::FederationResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let id = cv::book_id("federation_id", &r.federation_id).map_err(to_status)?;
        let name = cv::name("name", &r.name, true).map_err(to_status)?;
        let rules = rules_from(r.rules.as_ref()).map_err(to_status)?;
        let f = id.clone();
        let (replayed, _) = run(
            &self.ledger,
            "federation.create",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                if state.book(&f).is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "federation_id".into(),
                        what: format!("book {f:?} already exists"),
                    });
                }
                Ok(Plan {
                    books: vec![PlannedBook {
                        book_id: f.clone(),
                        kind: BookKind::Federation,
                        name: name.clone(),
                    }],
                    records: vec![json(
                        federation_key(&f),
                        &Profile {
                            federation_id: f.clone(),
                            name,
                            rules,
                            board: None,
                        },
                    )],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.federation_response(&id, replayed)
    }

    async fn get_federation(
        &self,
        request: Request<pb::GetFederationRequest>,
    ) -> Answer<pb::FederationResponse> {
        allow_federation(&self.ledger, &request, Act::Read)?;
        let id =
            cv::book_id("federation_id", &request.get_ref().federation_id).map_err(to_status)?;
        self.federation_response(&id, false)
    }

    async fn add_federation_capital(
        &self,
        request: Request<pb::AddFederationCapitalRequest>,
    ) -> Answer<pb::OperationResponse> {
        let who = allow_federation(&self.ledger, &request, Act::Federation)?;
        let r = request.into_inner();
        let (id, source, fen, date) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("federation_id", &r.federation_id)?,
                format!("source:{}", ident("source", &r.source)?),
                amount("amount", &r.amount)?,
                cv::date("value_date", &r.value_date)?,
            ))
        })()
        .map_err(to_status)?;
        let (replayed, entry_seqs) = run(
            &self.ledger,
            "federation.capital",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                federation(state, &id)?;
                Ok(Plan {
                    accounts: vec![PlannedAccount {
                        account: account(&id, "3001", &source),
                        name: format!("seed capital, {source}"),
                        non_negative: true,
                    }],
                    entries: vec![entry(
                        date,
                        format!("federation seed capital, {source}"),
                        [
                            (account(&id, "1002", ""), Side::Debit, fen),
                            (account(&id, "3001", &source), Side::Credit, fen),
                        ],
                    )],
                    ..Plan::default()
                })
            },
        )
        .await?;
        Ok(Response::new(pb::OperationResponse {
            entry_seqs,
            replayed,
        }))
    }

    async fn admit_fund(
        &self,
        request: Request<pb::FundMembershipRequest>,
    ) -> Answer<pb::FederationResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        self.membership(request.into_inner(), who, true).await
    }

    async fn remove_fund(
        &self,
        request: Request<pb::FundMembershipRequest>,
    ) -> Answer<pb::FederationResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        self.membership(request.into_inner(), who, false).await
    }

    async fn elect_board(
        &self,
        request: Request<pb::ElectBoardRequest>,
    ) -> Answer<pb::FederationResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let (id, board) = (|| {
            let list = |field: &str, os: &[pb::Officer]| {
                os.iter()
                    .enumerate()
                    .map(|(i, o)| officer_from(&format!("{field}[{i}]"), Some(o)))
                    .collect::<Result<Vec<_>>>()
            };
            Ok::<_, LedgerError>((
                cv::book_id("federation_id", &r.federation_id)?,
                Board {
                    chair: officer_from("chair", r.chair.as_ref())?,
                    directors: list("directors", &r.directors)?,
                    supervisors: list("supervisors", &r.supervisors)?,
                    elected_on: cv::date("date", &r.date)?,
                },
            ))
        })()
        .map_err(to_status)?;
        let f = id.clone();
        let (replayed, _) = run(
            &self.ledger,
            "federation.elect",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let mut p = federation(state, &f)?;
                fed::check_board(&board, &member_funds(state, &f)?)
                    .map_err(|(at, e)| refused(e, &at))?;
                p.board = Some(board);
                Ok(Plan {
                    records: vec![json(federation_key(&f), &p)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.federation_response(&id, replayed)
    }

    async fn place_with_federation(
        &self,
        request: Request<pb::PlaceRequest>,
    ) -> Answer<pb::PlacementResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        self.place(request.into_inner(), who, Direction::FromFund)
            .await
    }

    async fn lend_to_fund(
        &self,
        request: Request<pb::PlaceRequest>,
    ) -> Answer<pb::PlacementResponse> {
        let who = allow_federation(&self.ledger, &request, Act::Federation)?;
        self.place(request.into_inner(), who, Direction::ToFund)
            .await
    }

    async fn repay_placement(
        &self,
        request: Request<pb::RepayPlacementRequest>,
    ) -> Answer<pb::PlacementResponse> {
        let who = allow_federation(&self.ledger, &request, Act::Federation)?;
        let r = request.into_inner();
        let (fed_id, pid, fen, date) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("federation_id", &r.federation_id)?,
                ident("placement_id", &r.placement_id)?,
                amount("principal", &r.principal)?,
                cv::date("value_date", &r.value_date)?,
            ))
        })()
        .map_err(to_status)?;
        let (f, p_id) = (fed_id.clone(), pid.clone());
        let (replayed, seqs) = run(
            &self.ledger,
            "federation.repay",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                federation(state, &f)?;
                let p = placement(state, &f, &p_id)?;
                let after = fed::repay(&p, fen_to_decimal(fen.into()), date)
                    .map_err(|e| refused(e, "principal"))?;
                let fee = to_fen(after.fees_paid - p.fees_paid)?;
                let (fund, sub) = (p.fund_id.as_str(), fund_sub(&p.fund_id));
                let total = fen + fee;
                // The fee is the lender's income and the borrower's expense.
                let legs = match p.direction {
                    Direction::FromFund => [
                        (account(&f, "2101", &sub), Side::Debit, fen),
                        (account(&f, "5003", ""), Side::Debit, fee),
                        (account(&f, "1002", ""), Side::Credit, total),
                        (account(fund, "1002", ""), Side::Debit, total),
                        (account(fund, "1301", ""), Side::Credit, fen),
                        (account(fund, "4002", ""), Side::Credit, fee),
                    ],
                    Direction::ToFund => [
                        (account(fund, "2101", ""), Side::Debit, fen),
                        (account(fund, "5003", ""), Side::Debit, fee),
                        (account(fund, "1002", ""), Side::Credit, total),
                        (account(&f, "1002", ""), Side::Debit, total),
                        (account(&f, "1301", &sub), Side::Credit, fen),
                        (account(&f, "4001", ""), Side::Credit, fee),
                    ],
                };
                let memo = format!(
                    "balancing: placement {p_id} repaid, principal {}, fee {}",
                    format_fen(fen.into()),
                    format_fen(fee.into())
                );
                Ok(Plan {
                    entries: vec![entry(date, memo, legs)],
                    records: vec![json(placement_key(&f, &p_id), &after)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.placement_response(&fed_id, &pid, seqs, replayed)
    }

    async fn get_balancing_position(
        &self,
        request: Request<pb::GetBalancingPositionRequest>,
    ) -> Answer<pb::BalancingPosition> {
        // The federation's readers, or the fund's own (a member fund's position).
        allow(
            &self.ledger,
            &request,
            &[
                (Act::Read, On::Federation(&request.get_ref().federation_id)),
                (Act::Read, On::Fund(&request.get_ref().fund_id)),
            ],
        )?;
        let r = request.into_inner();
        let fed_id = cv::book_id("federation_id", &r.federation_id).map_err(to_status)?;
        let fund_id = cv::book_id("fund_id", &r.fund_id).map_err(to_status)?;
        let state = self.ledger.shared().state.read();
        let p = federation(&state, &fed_id).map_err(to_status)?;
        profile(&state, &fund_id).map_err(to_status)?;
        require_member(&state, &fed_id, &fund_id).map_err(to_status)?;
        let own: Vec<Placement> = placements(&state, &fed_id)
            .map_err(to_status)?
            .into_iter()
            .filter(|p| p.fund_id == fund_id)
            .collect();
        let capital = fen_to_decimal(equity(&state, &fund_id));
        let fees = |d: Direction| -> Decimal {
            own.iter()
                .filter(|p| p.direction == d)
                .map(|p| p.fees_paid)
                .sum()
        };
        Ok(Response::new(pb::BalancingPosition {
            capital: format_yuan(capital),
            limit: format_yuan(p.rules.limit_share * capital),
            placed: format_yuan(outstanding(&own, &fund_id, Direction::FromFund)),
            borrowed: format_yuan(outstanding(&own, &fund_id, Direction::ToFund)),
            fees_received: format_yuan(fees(Direction::FromFund)),
            fees_paid: format_yuan(fees(Direction::ToFund)),
            placements: own.iter().map(placement_to).collect(),
            fund_id,
        }))
    }

    async fn contribute_relief(
        &self,
        request: Request<pb::ContributeReliefRequest>,
    ) -> Answer<pb::ReliefResponse> {
        let who = allow_fund(&self.ledger, &request, Act::FundTreasurer)?;
        let r = request.into_inner();
        let (fed_id, cid, fund_id, date) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("federation_id", &r.federation_id)?,
                ident("contribution_id", &r.contribution_id)?,
                cv::book_id("fund_id", &r.fund_id)?,
                cv::date("value_date", &r.value_date)?,
            ))
        })()
        .map_err(to_status)?;
        // Fixed: the amount, in fen. A share: of the fee income when planned.
        let basis = match pb::ContributionBasis::try_from(r.basis) {
            Ok(pb::ContributionBasis::Fixed) => {
                Basis::Fixed(amount("amount", &r.amount).map_err(to_status)?)
            }
            Ok(pb::ContributionBasis::FeeShare) => Basis::FeeShare(
                r.share
                    .parse::<Decimal>()
                    .ok()
                    .filter(|s| *s > Decimal::ZERO && *s <= Decimal::ONE)
                    .ok_or_else(|| {
                        to_status(LedgerError::invalid("share", "must be a decimal in (0, 1]"))
                    })?,
            ),
            _ => {
                return Err(to_status(LedgerError::invalid(
                    "basis",
                    "must be FIXED or FEE_SHARE",
                )))
            }
        };
        let (f, actor) = (fed_id.clone(), who.actor());
        let (replayed, seqs) = run(
            &self.ledger,
            "federation.contribute",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                federation(state, &f)?;
                require_member(state, &f, &fund_id)?;
                let key = format!("contribution/{f}/{cid}");
                if load::<Contribution>(state, &key)?.is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "contribution_id".into(),
                        what: format!("contribution {cid:?} already exists"),
                    });
                }
                let (fen, described) = match basis {
                    Basis::Fixed(fen) => (fen, "fixed".to_string()),
                    Basis::FeeShare(share) => {
                        let income = fen_to_decimal(balance(state, &fund_id, "4001", ""));
                        let due = fed::fee_share_contribution(share, income)
                            .map_err(|e| refused(e, "share"))?;
                        (to_fen(due)?, format!("{share} of fee income {income}"))
                    }
                };
                let value = fen_to_decimal(fen.into());
                Ok(Plan {
                    entries: vec![entry(
                        date,
                        format!("relief pool contribution {cid} of fund {fund_id} ({described})"),
                        [
                            (account(&fund_id, "5001", ""), Side::Debit, fen),
                            (account(&fund_id, "1002", ""), Side::Credit, fen),
                            (account(&f, "1002", ""), Side::Debit, fen),
                            (account(&f, "3101", ""), Side::Credit, fen),
                        ],
                    )],
                    records: vec![json(
                        key,
                        &Contribution {
                            contribution_id: cid,
                            fund_id,
                            amount: value,
                            date,
                            actor,
                            basis: described,
                        },
                    )],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.relief_response(&fed_id, seqs, replayed)
    }

    async fn request_relief(
        &self,
        request: Request<pb::RequestReliefRequest>,
    ) -> Answer<pb::ReliefResponse> {
        let who = allow(
            &self.ledger,
            &request,
            &[
                (Act::FundTreasurer, On::Fund(&request.get_ref().fund_id)),
                (
                    Act::Federation,
                    On::Federation(&request.get_ref().federation_id),
                ),
            ],
        )?;
        let r = request.into_inner();
        let (fed_id, gid, fund_id, loan_id, fen, reason, date, actor) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("federation_id", &r.federation_id)?,
                ident("grant_id", &r.grant_id)?,
                cv::book_id("fund_id", &r.fund_id)?,
                ident("loan_id", &r.loan_id)?,
                amount("amount", &r.amount)?,
                cv::name("reason", &r.reason, true)?,
                cv::date("date", &r.date)?,
                who.actor(),
            ))
        })()
        .map_err(to_status)?;
        let f = fed_id.clone();
        let (replayed, seqs) = run(
            &self.ledger,
            "federation.request_relief",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                federation(state, &f)?;
                require_member(state, &f, &fund_id)?;
                let key = grant_key(&f, &gid);
                if load::<Grant>(state, &key)?.is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "grant_id".into(),
                        what: format!("grant {gid:?} already exists"),
                    });
                }
                let l = loan(state, &fund_id, &loan_id)?;
                let granted: Decimal = load_all::<Grant>(state, &format!("grant/{f}/"))?
                    .iter()
                    .filter(|g| g.fund_id == fund_id && g.loan_id == loan_id)
                    .map(|g| g.amount)
                    .sum();
                let loss = if l.status == LoanStatus::WrittenOff {
                    l.written_off - l.recovered - granted
                } else {
                    Decimal::ZERO
                };
                let value = fen_to_decimal(fen.into());
                fed::check_request(value, loss).map_err(|e| refused(e, "loan_id"))?;
                let g = Grant {
                    grant_id: gid.clone(),
                    fund_id,
                    loan_id,
                    amount: value,
                    reason,
                    requested_by: actor,
                    requested_on: date,
                    approved_by: None,
                    approved_on: None,
                };
                Ok(Plan {
                    records: vec![json(key, &g)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.relief_response(&fed_id, seqs, replayed)
    }

    async fn approve_relief(
        &self,
        request: Request<pb::ApproveReliefRequest>,
    ) -> Answer<pb::ReliefResponse> {
        let who = allow_federation(&self.ledger, &request, Act::Federation)?;
        let r = request.into_inner();
        let (fed_id, gid, date, approver) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("federation_id", &r.federation_id)?,
                ident("grant_id", &r.grant_id)?,
                cv::date("value_date", &r.value_date)?,
                who.actor(),
            ))
        })()
        .map_err(to_status)?;
        let f = fed_id.clone();
        let (replayed, seqs) = run(
            &self.ledger,
            "federation.approve_relief",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                federation(state, &f)?;
                let key = grant_key(&f, &gid);
                let g: Grant = load(state, &key)?.ok_or_else(|| {
                    LedgerError::not_found("grant_id", format!("grant {gid:?} of {f:?}"))
                })?;
                let pool = fen_to_decimal(balance(state, &f, "3101", ""));
                let approved =
                    fed::approve(&g, &approver, date, pool).map_err(|e| refused(e, "grant_id"))?;
                let fen = to_fen(g.amount)?;
                let fund = g.fund_id.as_str();
                Ok(Plan {
                    entries: vec![entry(
                        date,
                        format!(
                            "relief grant {gid} to fund {fund} after loan {} was written off",
                            g.loan_id
                        ),
                        [
                            (account(&f, "3101", ""), Side::Debit, fen),
                            (account(&f, "1002", ""), Side::Credit, fen),
                            (account(fund, "1002", ""), Side::Debit, fen),
                            (account(fund, "4003", ""), Side::Credit, fen),
                        ],
                    )],
                    records: vec![json(key, &approved)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.relief_response(&fed_id, seqs, replayed)
    }

    async fn get_relief_pool(
        &self,
        request: Request<pb::GetReliefPoolRequest>,
    ) -> Answer<pb::ReliefResponse> {
        allow_federation(&self.ledger, &request, Act::Read)?;
        let id =
            cv::book_id("federation_id", &request.get_ref().federation_id).map_err(to_status)?;
        self.relief_response(&id, Vec::new(), false)
    }

    async fn get_dashboard(
        &self,
        request: Request<pb::GetDashboardRequest>,
    ) -> Answer<pb::Dashboard> {
        allow_federation(&self.ledger, &request, Act::Read)?;
        let r = request.into_inner();
        let fed_id = cv::book_id("federation_id", &r.federation_id).map_err(to_status)?;
        let as_of = cv::optional_date("as_of", &r.as_of)
            .map_err(to_status)?
            .unwrap_or_else(business_today);
        let ledger = self.ledger.clone();
        tokio::task::spawn_blocking(move || dashboard(&ledger, &fed_id, as_of))
            .await
            .map_err(|e| Status::internal(format!("read task failed: {e}")))?
            .map_err(to_status)
            .map(Response::new)
    }
}

/// Balances of a book as of a date, on their normal side, by (code, sub).
fn balances_as_of(
    ledger: &Ledger,
    book_id: &str,
    as_of: NaiveDate,
) -> Result<std::collections::HashMap<(String, String), Decimal>> {
    let tb = ledger.trial_balance(book_id, Some(as_of))?;
    Ok(tb
        .lines
        .into_iter()
        .map(|(a, fen)| {
            (
                (a.code.clone(), a.sub.clone()),
                fen_to_decimal(a.normal_balance(fen)),
            )
        })
        .collect())
}

/// The federation's dashboard: its own position and each member fund's
/// supervision indicators, from balances as of `as_of` (days past due from
/// each loan's schedule and repayments on that date).
fn dashboard(ledger: &Ledger, fed_id: &str, as_of: NaiveDate) -> Result<pb::Dashboard> {
    let (rules, funds) = {
        let state = ledger.shared().state.read();
        (
            federation(&state, fed_id)?.rules,
            member_funds(&state, fed_id)?,
        )
    };
    let own = balances_as_of(ledger, fed_id, as_of)?;
    let sum = |b: &std::collections::HashMap<(String, String), Decimal>, code: &str| -> Decimal {
        b.iter()
            .filter(|((c, _), _)| c == code)
            .map(|(_, v)| *v)
            .sum()
    };
    let mut lines = Vec::new();
    for fund_id in &funds {
        let b = balances_as_of(ledger, fund_id, as_of)?;
        let capital: Decimal = b
            .iter()
            .filter(|((c, _), _)| c.starts_with('3'))
            .map(|(_, v)| *v)
            .sum();
        let state = ledger.shared().state.read();
        let mut books = fed::FundBooks {
            loans: Vec::new(),
            written_off: Decimal::ZERO,
            disbursed: Decimal::ZERO,
            cash_and_bank: sum(&b, "1001") + sum(&b, "1002"),
            capital,
            risk_reserve: sum(&b, "3103"),
        };
        for l in loans(&state, fund_id)? {
            let outstanding = b
                .get(&("1201".to_string(), format!("loan:{}", l.loan_id)))
                .copied()
                .unwrap_or_default();
            if l.disbursed_on.is_some_and(|d| d <= as_of) && l.rescheduled_from.is_none() {
                books.disbursed += l.principal;
            }
            if l.status == LoanStatus::WrittenOff && l.closed_on.is_some_and(|d| d <= as_of) {
                books.written_off += l.written_off - l.recovered;
            }
            if outstanding > Decimal::ZERO {
                books.loans.push(fed::LoanExposure {
                    poor: member(&state, fund_id, &l.member_id)
                        .is_ok_and(|m| m.status_on(as_of).is_poor()),
                    days_past_due: servicing::as_of(&l, as_of)
                        .map_or(0, |then| servicing::days_past_due(&then, as_of)),
                    member_id: l.member_id,
                    outstanding,
                });
            }
        }
        drop(state);
        let i = fed::indicators(&rules, &books);
        lines.push(pb::FundIndicators {
            fund_id: fund_id.clone(),
            gross_portfolio: format_yuan(i.gross_portfolio),
            par30_balance: format_yuan(i.par30_balance),
            par90_balance: format_yuan(i.par90_balance),
            par30: ratio_text(i.par30),
            par90: ratio_text(i.par90),
            write_off_ratio: ratio_text(i.write_off_ratio),
            liquidity: ratio_text(i.liquidity),
            utilization: ratio_text(i.utilization),
            largest_borrower_share: ratio_text(i.largest_borrower_share),
            poor_share: ratio_text(i.poor_share),
            reserve_cover: ratio_text(i.reserve_cover),
            alerts: i.alerts,
            capital: format_yuan(capital),
            placed: format_yuan(sum(&b, "1301")),
            borrowed: format_yuan(sum(&b, "2101")),
        });
    }
    Ok(pb::Dashboard {
        federation_id: fed_id.to_string(),
        as_of: cv::fmt_date(as_of),
        bank: format_yuan(sum(&own, "1002")),
        placements: format_yuan(sum(&own, "1301")),
        borrowings: format_yuan(sum(&own, "2101")),
        seed_capital: format_yuan(sum(&own, "3001")),
        relief_pool: format_yuan(sum(&own, "3101")),
        fee_income: format_yuan(sum(&own, "4001")),
        alerts: lines.iter().map(|l| l.alerts.len() as u32).sum(),
        funds: lines,
    })
}
