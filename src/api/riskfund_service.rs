//! RiskFundService: decodes a program operation and hands the writer a
//! planner that reads the program's registry (`program/{program}`,
//! `gloan/{program}/{loan}`) and balances, asks `domain::riskfund`, and
//! returns the entries and records to store. Amounts are moved, never
//! computed, here.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tonic::{Request, Response, Status};

use super::access::{allow_on, allow_program, On};
use super::convert as cv;
use super::fund_service::{loan_sub, method_from, method_to, refused, status_from, status_to};
use super::registry::{
    account, amount, balance, ident, json, load, load_all, run, to_fen, transfer, Answer,
};
use super::status::to_status;
use crate::auth::{Act, Caller};
use crate::domain::chart::BookKind;
use crate::domain::dates::business_today;
use crate::domain::fund::FundError;
use crate::domain::money::{fen_to_decimal, format_fen, format_yuan, round_ratio};
use crate::domain::riskfund::{self, GuaranteeState, GuaranteedLoan, ProgramRules, Standing};
use crate::ledger::state::State;
use crate::ledger::{Ledger, LedgerError, Plan, PlannedAccount, PlannedBook, PlannedEntry, Result};
use crate::pb::{self, risk_fund_service_server::RiskFundService};

/// A program's registry record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ProgramProfile {
    pub program_id: String,
    pub name: String,
    pub rules: ProgramRules,
}

pub(crate) fn program_key(program_id: &str) -> String {
    format!("program/{program_id}")
}

pub(crate) fn guaranteed_loan_key(program_id: &str, loan_id: &str) -> String {
    format!("gloan/{program_id}/{loan_id}")
}

pub(crate) fn program(state: &State, program_id: &str) -> Result<ProgramProfile> {
    load(state, &program_key(program_id))?
        .ok_or_else(|| LedgerError::not_found("program_id", format!("program {program_id:?}")))
}

pub(crate) fn guaranteed_loan(
    state: &State,
    program_id: &str,
    loan_id: &str,
) -> Result<GuaranteedLoan> {
    load(state, &guaranteed_loan_key(program_id, loan_id))?.ok_or_else(|| {
        LedgerError::not_found(
            "loan_id",
            format!("guaranteed loan {loan_id:?} of program {program_id:?}"),
        )
    })
}

/// The risk-fund deposit (1002) of a program.
fn fund_balance(state: &State, program_id: &str) -> Decimal {
    fen_to_decimal(balance(state, program_id, "1002", ""))
}

/// Guaranteed exposure from the books: 7001 with its sub-accounts.
fn exposure(state: &State, program_id: &str) -> Decimal {
    let fen = state.book(program_id).map_or(0, |b| {
        state
            .accounts_under(b.no, "7001")
            .map(|a| a.normal_balance(state.balances[a.no as usize]))
            .sum()
    });
    fen_to_decimal(fen)
}

/// The program's portfolio on `date`, with its loans.
fn standing(
    state: &State,
    p: &ProgramProfile,
    date: NaiveDate,
) -> Result<(Standing, Vec<GuaranteedLoan>)> {
    let loans: Vec<GuaranteedLoan> = load_all(state, &format!("gloan/{}/", p.program_id))?;
    let s = Standing::of(
        &p.rules,
        &loans,
        fund_balance(state, &p.program_id),
        exposure(state, &p.program_id),
        date,
    );
    Ok((s, loans))
}

/// An optional amount: empty is nothing.
fn optional_amount(field: &str, text: &str) -> Result<Decimal> {
    if text.is_empty() {
        Ok(Decimal::ZERO)
    } else {
        amount(field, text).map(|fen| fen_to_decimal(fen.into()))
    }
}

/// A decimal from the request's `field` (empty: `default`).
fn decimal(field: &str, text: &str, default: Decimal) -> Result<Decimal> {
    if text.is_empty() {
        return Ok(default);
    }
    text.parse()
        .map_err(|_| LedgerError::invalid(field, "is not a decimal number"))
}

/// An annual rate from 0 to 1.
pub(crate) fn rate(field: &str, text: &str) -> Result<Decimal> {
    let r: Decimal = text
        .parse()
        .map_err(|_| LedgerError::invalid(field, "is not a decimal rate like \"0.0435\""))?;
    if r < Decimal::ZERO || r > Decimal::ONE {
        return Err(LedgerError::invalid(
            field,
            "must be from 0 to 1 (0% to 100% a year)",
        ));
    }
    Ok(r)
}

/// The request field a refused registration is about.
fn registration_subject(e: &FundError) -> &'static str {
    match e {
        FundError::Rule { rule, .. } if *rule == riskfund::rule::ELIGIBLE => "poverty_status",
        FundError::Rule { rule, .. } if *rule == riskfund::rule::AGE_LIMIT => "birth_date",
        FundError::Rule { rule, .. } if *rule == riskfund::rule::TERM_MAX => "term_months",
        _ => "principal",
    }
}

/// Rules from the request, every empty field taking its default.
fn rules_from(r: Option<&pb::ProgramRules>) -> Result<ProgramRules> {
    let r = r.ok_or_else(|| LedgerError::invalid("rules", "is required"))?;
    let bank_id = ident("rules.bank_id", &r.bank_id)?;
    let mut rules = ProgramRules::new(r.leverage_ratio, bank_id);
    rules.fund_share = decimal("rules.fund_share", &r.fund_share, rules.fund_share)?;
    rules.suspend_above_default_ratio = decimal(
        "rules.suspend_above_default_ratio",
        &r.suspend_above_default_ratio,
        rules.suspend_above_default_ratio,
    )?;
    if r.claim_after_days != 0 {
        rules.claim_after_days = r.claim_after_days;
    }
    if r.borrower_age_max != 0 {
        rules.borrower_age_max = r.borrower_age_max;
    }
    rules.compensate_interest = r.compensate_interest;
    rules.validate().map_err(|e| refused(e, "rules"))?;
    Ok(rules)
}

fn rules_to(r: &ProgramRules) -> pb::ProgramRules {
    pb::ProgramRules {
        leverage_ratio: r.leverage_ratio,
        fund_share: r.fund_share.to_string(),
        claim_after_days: r.claim_after_days,
        suspend_above_default_ratio: r.suspend_above_default_ratio.to_string(),
        borrower_age_max: r.borrower_age_max,
        compensate_interest: r.compensate_interest,
        bank_id: r.bank_id.clone(),
    }
}

fn state_to(s: GuaranteeState) -> pb::GuaranteeState {
    match s {
        GuaranteeState::Active => pb::GuaranteeState::Active,
        GuaranteeState::Closed => pb::GuaranteeState::Closed,
        GuaranteeState::Claimed => pb::GuaranteeState::Claimed,
    }
}

/// The memorandum pair of a loan moved by `amount`: Dr `debit` (7001 when
/// a guarantee starts, 7002 when it shrinks), Cr the other.
fn memorandum(
    program_id: &str,
    l: &GuaranteedLoan,
    date: NaiveDate,
    memo: String,
    debit: &str,
    amount: Decimal,
) -> Result<PlannedEntry> {
    let credit = if debit == "7001" { "7002" } else { "7001" };
    let sub = loan_sub(&l.terms.loan_id);
    Ok(transfer(
        date,
        format!("loan {}: {memo}", l.terms.loan_id),
        account(program_id, debit, &sub),
        account(program_id, credit, &sub),
        to_fen(amount)?,
    ))
}

/// The program, loan and date every operation on a guaranteed loan names.
struct LoanAt {
    program_id: String,
    loan_id: String,
    date: NaiveDate,
}

impl LoanAt {
    fn decode(program_id: &str, loan_id: &str, date: &str) -> std::result::Result<Self, Status> {
        (|| {
            Ok(Self {
                program_id: cv::book_id("program_id", program_id)?,
                loan_id: ident("loan_id", loan_id)?,
                date: cv::date("date", date)?,
            })
        })()
        .map_err(to_status)
    }
}

pub struct RiskFundApi {
    ledger: Ledger,
}

impl RiskFundApi {
    pub fn new(ledger: Ledger) -> Self {
        Self { ledger }
    }

    fn program_response(
        &self,
        program_id: &str,
        seqs: Vec<u64>,
        replayed: bool,
    ) -> Answer<pb::ProgramResponse> {
        let state = self.ledger.shared().state.read();
        let p = program(&state, program_id).map_err(to_status)?;
        Ok(Response::new(pb::ProgramResponse {
            program_id: p.program_id,
            name: p.name,
            rules: Some(rules_to(&p.rules)),
            fund_balance: format_fen(balance(&state, program_id, "1002", "")),
            entry_seqs: seqs,
            replayed,
        }))
    }

    fn loan_response(
        &self,
        program_id: &str,
        loan_id: &str,
        as_of: NaiveDate,
        seqs: Vec<u64>,
        replayed: bool,
    ) -> Answer<pb::GuaranteedLoanResponse> {
        let state = self.ledger.shared().state.read();
        let l = guaranteed_loan(&state, program_id, loan_id).map_err(to_status)?;
        let date = |d: Option<NaiveDate>| d.map(cv::fmt_date).unwrap_or_default();
        let t = &l.terms;
        Ok(Response::new(pb::GuaranteedLoanResponse {
            loan: Some(pb::GuaranteedLoan {
                exposure: format_fen(balance(&state, program_id, "7001", &loan_sub(loan_id))),
                days_past_due: l.days_past_due(as_of),
                principal_repaid: format_yuan(l.principal_repaid()),
                interest_repaid: format_yuan(l.interest_repaid()),
                loan_id: t.loan_id.clone(),
                household_id: t.household_id.clone(),
                borrower_name: t.borrower_name.clone(),
                poverty_status: status_to(t.poverty_status) as i32,
                birth_date: cv::fmt_date(t.birth_date),
                principal: format_yuan(t.principal),
                term_months: t.term_months,
                rate_annual: t.rate_annual.to_string(),
                method: method_to(t.method) as i32,
                disbursed_on: cv::fmt_date(t.date),
                schedule: l.schedule.iter().map(cv::installment_msg).collect(),
                state: state_to(l.state) as i32,
                claim: l.claim.as_ref().map(|c| pb::Claim {
                    date: cv::fmt_date(c.date),
                    days_past_due: c.days_past_due,
                    unpaid_principal: format_yuan(c.unpaid_principal),
                    unpaid_interest: format_yuan(c.unpaid_interest),
                    compensation: format_yuan(c.compensation),
                    recovered: format_yuan(c.recovered),
                    recovered_to_fund: format_yuan(c.recovered_to_fund),
                }),
                closed_on: date(l.closed_on),
            }),
            entry_seqs: seqs,
            replayed,
        }))
    }

    /// An operation on a guaranteed loan: `decide` gets the program, the
    /// loan and the date, and returns the loan after and the entries to post.
    async fn loan_operation<M: prost::Message>(
        &self,
        kind: &str,
        request: &M,
        request_id: &str,
        actor: &str,
        at: LoanAt,
        decide: impl FnOnce(
                &ProgramProfile,
                &GuaranteedLoan,
                NaiveDate,
            ) -> Result<(GuaranteedLoan, Vec<PlannedEntry>)>
            + Send
            + 'static,
    ) -> Answer<pb::GuaranteedLoanResponse> {
        let (id, l_id, date) = (at.program_id.clone(), at.loan_id.clone(), at.date);
        let (replayed, seqs) = run(
            &self.ledger,
            kind,
            request,
            request_id,
            actor,
            move |state| {
                let p = program(state, &id)?;
                let l = guaranteed_loan(state, &id, &l_id)?;
                let (after, entries) = decide(&p, &l, date)?;
                Ok(Plan {
                    entries,
                    records: vec![json(guaranteed_loan_key(&id, &l_id), &after)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&at.program_id, &at.loan_id, date, seqs, replayed)
    }

    /// Deposit (Dr 1002, Cr 3001/source) or withdrawal (the reverse, within the cap).
    async fn move_fund(
        &self,
        r: pb::RiskFundMoveRequest,
        who: Caller,
        deposit: bool,
    ) -> Answer<pb::ProgramResponse> {
        let (program_id, source, fen, date) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("program_id", &r.program_id)?,
                ident("source", &r.source)?,
                amount("amount", &r.amount)?,
                cv::date("value_date", &r.value_date)?,
            ))
        })()
        .map_err(to_status)?;
        let id = program_id.clone();
        let kind = if deposit {
            "riskfund.deposit"
        } else {
            "riskfund.withdraw"
        };
        let (replayed, seqs) = run(
            &self.ledger,
            kind,
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = program(state, &id)?;
                let capital = account(&id, "3001", &format!("source:{source}"));
                let deposit_account = account(&id, "1002", "");
                let entry = if deposit {
                    transfer(
                        date,
                        format!("risk fund deposited by {source}"),
                        deposit_account,
                        capital.clone(),
                        fen,
                    )
                } else {
                    let (s, _) = standing(state, &p, date)?;
                    riskfund::check_withdrawal(&p.rules, s, fen_to_decimal(fen.into()))
                        .map_err(|e| refused(e, "amount"))?;
                    transfer(
                        date,
                        format!("risk fund withdrawn to {source}"),
                        capital.clone(),
                        deposit_account,
                        fen,
                    )
                };
                Ok(Plan {
                    accounts: vec![PlannedAccount {
                        account: capital,
                        name: format!("Risk-fund capital from {source}"),
                        non_negative: true,
                    }],
                    entries: vec![entry],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.program_response(&program_id, seqs, replayed)
    }
}

#[tonic::async_trait]
impl RiskFundService for RiskFundApi {
    async fn create_program(
        &self,
        request: Request<pb::CreateProgramRequest>,
    ) -> Answer<pb::ProgramResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let (program_id, name, rules) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("program_id", &r.program_id)?,
                cv::name("name", &r.name, true)?,
                rules_from(r.rules.as_ref())?,
            ))
        })()
        .map_err(to_status)?;
        let id = program_id.clone();
        let (replayed, seqs) = run(
            &self.ledger,
            "riskfund.create",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                if state.book(&id).is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "program_id".into(),
                        what: format!("book {id:?} already exists"),
                    });
                }
                Ok(Plan {
                    books: vec![PlannedBook {
                        book_id: id.clone(),
                        kind: BookKind::Program,
                        name: name.clone(),
                    }],
                    records: vec![json(
                        program_key(&id),
                        &ProgramProfile {
                            program_id: id.clone(),
                            name,
                            rules,
                        },
                    )],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.program_response(&program_id, seqs, replayed)
    }

    async fn deposit_risk_fund(
        &self,
        request: Request<pb::RiskFundMoveRequest>,
    ) -> Answer<pb::ProgramResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        self.move_fund(request.into_inner(), who, true).await
    }

    async fn withdraw_risk_fund(
        &self,
        request: Request<pb::RiskFundMoveRequest>,
    ) -> Answer<pb::ProgramResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        self.move_fund(request.into_inner(), who, false).await
    }

    async fn register_guaranteed_loan(
        &self,
        request: Request<pb::RegisterGuaranteedLoanRequest>,
    ) -> Answer<pb::GuaranteedLoanResponse> {
        let who = allow_program(&self.ledger, &request, Act::Bank)?;
        let r = request.into_inner();
        let (program_id, reg) = (|| {
            let principal: Decimal = r.principal.parse().map_err(|_| {
                LedgerError::invalid("principal", "is not a decimal number of yuan")
            })?;
            Ok::<_, LedgerError>((
                cv::book_id("program_id", &r.program_id)?,
                riskfund::Registration {
                    loan_id: ident("loan_id", &r.loan_id)?,
                    household_id: ident("household_id", &r.household_id)?,
                    borrower_name: cv::name("borrower_name", &r.borrower_name, true)?,
                    poverty_status: status_from(r.poverty_status, "poverty_status")?,
                    birth_date: cv::calendar_date("birth_date", &r.birth_date)?,
                    principal,
                    term_months: r.term_months,
                    rate_annual: rate("rate_annual", &r.rate_annual)?,
                    method: method_from(r.method)?,
                    date: cv::date("date", &r.date)?,
                },
            ))
        })()
        .map_err(to_status)?;
        let (id, lid, date) = (program_id.clone(), reg.loan_id.clone(), reg.date);
        let (replayed, seqs) = run(
            &self.ledger,
            "riskfund.register",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                let p = program(state, &id)?;
                let key = guaranteed_loan_key(&id, &reg.loan_id);
                if load::<GuaranteedLoan>(state, &key)?.is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "loan_id".into(),
                        what: format!("loan {:?} is registered in program {id:?}", reg.loan_id),
                    });
                }
                let (s, _) = standing(state, &p, reg.date)?;
                let l = riskfund::register(&p.rules, reg, s).map_err(|e| {
                    let subject = registration_subject(&e);
                    refused(e, subject)
                })?;
                let sub = loan_sub(&l.terms.loan_id);
                let open = |code: &str| PlannedAccount {
                    account: account(&id, code, &sub),
                    name: format!(
                        "guarantee of loan {} to {}",
                        l.terms.loan_id, l.terms.household_id
                    ),
                    non_negative: true,
                };
                Ok(Plan {
                    accounts: vec![open("7001"), open("7002")],
                    entries: vec![memorandum(
                        &id,
                        &l,
                        l.terms.date,
                        format!("guaranteed for {}", l.terms.household_id),
                        "7001",
                        l.terms.principal,
                    )?],
                    records: vec![json(key, &l)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.loan_response(&program_id, &lid, date, seqs, replayed)
    }

    async fn report_repayment(
        &self,
        request: Request<pb::ReportRepaymentRequest>,
    ) -> Answer<pb::GuaranteedLoanResponse> {
        let who = allow_program(&self.ledger, &request, Act::Bank)?;
        let r = request.into_inner();
        let (principal, interest) = (|| {
            Ok::<_, LedgerError>((
                optional_amount("principal", &r.principal)?,
                optional_amount("interest", &r.interest)?,
            ))
        })()
        .map_err(to_status)?;
        if principal.is_zero() && interest.is_zero() {
            return Err(to_status(LedgerError::invalid(
                "principal",
                "or interest is required: a repayment pays something",
            )));
        }
        let at = LoanAt::decode(&r.program_id, &r.loan_id, &r.date)?;
        self.loan_operation(
            "riskfund.repay",
            &r,
            &r.request_id,
            &who.actor(),
            at,
            move |p, l, date| {
                let after = riskfund::repay(l, principal, interest, date)
                    .map_err(|e| refused(e, "principal"))?;
                let mut entries = Vec::new();
                if principal > Decimal::ZERO {
                    entries.push(memorandum(
                        &p.program_id,
                        l,
                        date,
                        format!("repaid {principal} of principal"),
                        "7002",
                        principal,
                    )?);
                }
                Ok((after, entries))
            },
        )
        .await
    }

    async fn claim_compensation(
        &self,
        request: Request<pb::ClaimCompensationRequest>,
    ) -> Answer<pb::GuaranteedLoanResponse> {
        let who = allow_program(&self.ledger, &request, Act::Bank)?;
        let r = request.into_inner();
        let at = LoanAt::decode(&r.program_id, &r.loan_id, &r.date)?;
        self.loan_operation(
            "riskfund.claim",
            &r,
            &r.request_id,
            &who.actor(),
            at,
            |p, l, date| {
                let claimed =
                    riskfund::claim(&p.rules, l, date).map_err(|e| refused(e, "loan_id"))?;
                let c = claimed
                    .claim
                    .as_ref()
                    .expect("a claimed loan has its claim");
                let mut entries = Vec::new();
                if c.unpaid_principal > Decimal::ZERO {
                    entries.push(memorandum(
                        &p.program_id,
                        l,
                        date,
                        "guarantee called".into(),
                        "7002",
                        c.unpaid_principal,
                    )?);
                }
                if c.compensation > Decimal::ZERO {
                    entries.push(transfer(
                        date,
                        format!(
                            "compensation on loan {}: {} of {} unpaid",
                            l.terms.loan_id,
                            p.rules.fund_share,
                            c.loss()
                        ),
                        account(&p.program_id, "5001", ""),
                        account(&p.program_id, "1002", ""),
                        to_fen(c.compensation)?,
                    ));
                }
                Ok((claimed, entries))
            },
        )
        .await
    }

    async fn report_recovery(
        &self,
        request: Request<pb::ReportRecoveryRequest>,
    ) -> Answer<pb::GuaranteedLoanResponse> {
        let who = allow_program(&self.ledger, &request, Act::Bank)?;
        let r = request.into_inner();
        let recovered = amount("amount", &r.amount)
            .map(|fen| fen_to_decimal(fen.into()))
            .map_err(to_status)?;
        let at = LoanAt::decode(&r.program_id, &r.loan_id, &r.date)?;
        self.loan_operation(
            "riskfund.recover",
            &r,
            &r.request_id,
            &who.actor(),
            at,
            move |p, l, date| {
                let (after, share) =
                    riskfund::recover(l, recovered).map_err(|e| refused(e, "amount"))?;
                let mut entries = Vec::new();
                if share > Decimal::ZERO {
                    entries.push(transfer(
                        date,
                        format!(
                            "recovery on loan {}: the fund's share of {recovered}",
                            l.terms.loan_id
                        ),
                        account(&p.program_id, "1002", ""),
                        account(&p.program_id, "4001", ""),
                        to_fen(share)?,
                    ));
                }
                Ok((after, entries))
            },
        )
        .await
    }

    async fn get_guaranteed_loan(
        &self,
        request: Request<pb::GetGuaranteedLoanRequest>,
    ) -> Answer<pb::GuaranteedLoanResponse> {
        allow_program(&self.ledger, &request, Act::Read)?;
        let r = request.into_inner();
        let (program_id, lid, as_of) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("program_id", &r.program_id)?,
                ident("loan_id", &r.loan_id)?,
                cv::optional_date("as_of", &r.as_of)?.unwrap_or_else(business_today),
            ))
        })()
        .map_err(to_status)?;
        self.loan_response(&program_id, &lid, as_of, Vec::new(), false)
    }

    async fn get_leverage_report(
        &self,
        request: Request<pb::GetLeverageReportRequest>,
    ) -> Answer<pb::LeverageReport> {
        allow_program(&self.ledger, &request, Act::Read)?;
        let r = request.into_inner();
        let (program_id, as_of) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("program_id", &r.program_id)?,
                cv::optional_date("as_of", &r.as_of)?.unwrap_or_else(business_today),
            ))
        })()
        .map_err(to_status)?;
        let state = self.ledger.shared().state.read();
        let p = program(&state, &program_id).map_err(to_status)?;
        let (s, loans) = standing(&state, &p, as_of).map_err(to_status)?;
        let capacity = s.capacity(&p.rules);
        let leverage = if s.fund_balance > Decimal::ZERO {
            round_ratio(s.exposure / s.fund_balance).to_string()
        } else {
            String::new()
        };
        Ok(Response::new(pb::LeverageReport {
            program_id: program_id.clone(),
            as_of: cv::fmt_date(as_of),
            leverage_ratio: p.rules.leverage_ratio,
            fund_balance: format_yuan(s.fund_balance),
            exposure: format_yuan(s.exposure),
            capacity: format_yuan(capacity),
            headroom: format_yuan(capacity - s.exposure),
            leverage,
            principal_in_default: format_yuan(s.principal_in_default),
            default_ratio: round_ratio(s.default_ratio()).to_string(),
            suspend_above_default_ratio: p.rules.suspend_above_default_ratio.to_string(),
            lending_suspended: s.suspended(&p.rules),
            active_loans: loans
                .iter()
                .filter(|l| l.state == GuaranteeState::Active)
                .count() as u32,
            compensation_paid: format_fen(balance(&state, &program_id, "5001", "")),
            recoveries: format_fen(balance(&state, &program_id, "4001", "")),
        }))
    }
}
