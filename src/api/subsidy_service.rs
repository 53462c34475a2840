//! SubsidyService: interest subsidy schemes of a program (`subsidy/{program}/{scheme}`),
//! their accrued periods (`subsidyperiod/{program}/{scheme}/{period}`), and
//! the claims on them. Planners read the linked loans (the program's
//! guaranteed loans, village funds' `loan/{fund}/{loan}` records), ask
//! `domain::subsidy` what each earned, and post it. Amounts are moved,
//! never computed, here.
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tonic::{Request, Response, Status};

use super::access::{allow_on, allow_program, On};
use super::convert as cv;
use super::fund_service::{self, loan_key, loan_sub, member, member_sub, refused};
use super::registry::{
    account, balance, ident, json, load, load_all, run, to_fen, transfer, Answer,
};
use super::riskfund_service::{guaranteed_loan, program, rate};
use super::status::to_status;
use crate::auth::{Act, Caller};
use crate::domain::loan::{require, LoanStatus};
use crate::domain::money::{fen_to_decimal, format_yuan};
use crate::domain::riskfund::eligible;
use crate::domain::subsidy::{
    self, accrue, fund_loan_track, rule, split_fund_subsidy, Kind, Line, Period, PeriodRecord,
    PeriodState,
};
use crate::ledger::record::Side;
use crate::ledger::state::State;
use crate::ledger::{
    Ledger, LedgerError, Plan, PlannedAccount, PlannedEntry, PostingInput, Result,
};
use crate::pb::{self, subsidy_service_server::SubsidyService};

/// A loan a scheme subsidizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum LoanRef {
    /// A guaranteed loan of the program.
    Bank(String),
    /// A village fund's loan: fund, loan.
    Fund(String, String),
}

impl LoanRef {
    fn label(&self) -> String {
        match self {
            Self::Bank(loan) => format!("bank:{loan}"),
            Self::Fund(fund, loan) => format!("fund:{fund}/{loan}"),
        }
    }
}

/// A scheme's registry record.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Scheme {
    scheme_id: String,
    kind: Kind,
    quarterly: bool,
    pay_borrower: bool,
    loans: Vec<LoanRef>,
    /// The last day of the last period accrued.
    accrued_through: Option<chrono::NaiveDate>,
}

fn scheme_key(program_id: &str, scheme_id: &str) -> String {
    format!("subsidy/{program_id}/{scheme_id}")
}

fn period_key(program_id: &str, scheme_id: &str, period: &str) -> String {
    format!("subsidyperiod/{program_id}/{scheme_id}/{period}")
}

fn scheme(state: &State, program_id: &str, scheme_id: &str) -> Result<Scheme> {
    load(state, &scheme_key(program_id, scheme_id))?.ok_or_else(|| {
        LedgerError::not_found(
            "scheme_id",
            format!("subsidy scheme {scheme_id:?} of program {program_id:?}"),
        )
    })
}

fn period_record(state: &State, key: &str, period: &str) -> Result<PeriodRecord> {
    load(state, key)?
        .ok_or_else(|| LedgerError::not_found("period", format!("accrued period {period:?}")))
}

fn posting(book: &str, code: &str, sub: &str, side: Side, amount: Decimal) -> Result<PostingInput> {
    Ok(PostingInput {
        account: account(book, code, sub),
        side,
        amount_fen: to_fen(amount)?,
    })
}

fn state_to(s: PeriodState) -> pb::SubsidyPeriodState {
    match s {
        PeriodState::Accrued => pb::SubsidyPeriodState::Accrued,
        PeriodState::Claimed => pb::SubsidyPeriodState::Claimed,
        PeriodState::Approved => pb::SubsidyPeriodState::Approved,
        PeriodState::Paid => pb::SubsidyPeriodState::Paid,
    }
}

/// The program, scheme and period a period operation names.
struct PeriodAt {
    program_id: String,
    scheme_id: String,
    period_text: String,
    period: Period,
}

impl PeriodAt {
    fn decode(r: &pb::SubsidyPeriodRequest) -> std::result::Result<Self, Status> {
        (|| {
            Ok(Self {
                program_id: cv::book_id("program_id", &r.program_id)?,
                scheme_id: ident("scheme_id", &r.scheme_id)?,
                period: Period::parse(&r.period).ok_or_else(|| {
                    LedgerError::invalid(
                        "period",
                        "must be a month \"YYYY-MM\" or a quarter \"YYYY-Qn\"",
                    )
                })?,
                period_text: r.period.clone(),
            })
        })()
        .map_err(to_status)
    }

    fn key(&self) -> String {
        period_key(&self.program_id, &self.scheme_id, &self.period_text)
    }
}

/// Accrues every loan of a scheme for a period (see `AccrueSubsidy`).
fn plan_accrual(state: &State, at: &PeriodAt) -> Result<Plan> {
    let (id, period) = (&at.program_id, at.period);
    let p = program(state, id)?;
    let mut s = scheme(state, id, &at.scheme_id)?;
    let key = at.key();
    let accrued = load::<PeriodRecord>(state, &key)?.is_some();
    subsidy::check_next_period(s.quarterly, s.accrued_through, period, accrued)
        .map_err(|e| refused(e, "period"))?;
    let earlier: Vec<PeriodRecord> =
        load_all(state, &format!("subsidyperiod/{id}/{}/", s.scheme_id))?;
    let (date, from, to) = (period.last_day(), period.first, period.end_exclusive);
    let mut plan = Plan::default();
    let mut lines = Vec::new();
    for loan in &s.loans {
        let line = match loan {
            LoanRef::Bank(loan_id) => {
                let l = guaranteed_loan(state, id, loan_id)?;
                let rate = s.kind.rate(l.terms.rate_annual);
                let accrued = accrue(&l.track(), rate, from, to);
                let payee = format!("bank:{}", p.rules.bank_id);
                if accrued.subsidy > Decimal::ZERO {
                    plan.entries.push(transfer(
                        date,
                        format!("subsidy {} on {}", at.period_text, loan.label()),
                        account(id, "5002", ""),
                        account(id, "2201", &payee),
                        to_fen(accrued.subsidy)?,
                    ));
                }
                Line {
                    loan: loan.label(),
                    payee,
                    rate_annual: rate,
                    accrued,
                    fee_reduced: Decimal::ZERO,
                    refund: Decimal::ZERO,
                }
            }
            LoanRef::Fund(fund_id, loan_id) => {
                fund_loan_line(state, at, &s, fund_id, loan_id, &earlier, &mut plan)?
            }
        };
        lines.push(line);
    }
    s.accrued_through = Some(date);
    plan.records.push(json(scheme_key(id, &s.scheme_id), &s));
    plan.records.push(json(
        key,
        &PeriodRecord {
            period: at.period_text.clone(),
            last_day: date,
            lines,
            state: PeriodState::Accrued,
            claimed_by: None,
            approved_by: None,
        },
    ));
    Ok(plan)
}

/// A village-fund loan's line for the period, with its entry across the
/// fund's and the program's books and the loan's record (see `AccrueSubsidy`).
fn fund_loan_line(
    state: &State,
    at: &PeriodAt,
    s: &Scheme,
    fund_id: &str,
    loan_id: &str,
    earlier: &[PeriodRecord],
    plan: &mut Plan,
) -> Result<Line> {
    let (id, period) = (&at.program_id, at.period);
    let label = LoanRef::Fund(fund_id.to_string(), loan_id.to_string()).label();
    let mut l = fund_service::loan(state, fund_id, loan_id)?;
    // What earlier periods took off the fee counts as paid on their last day.
    let credits: Vec<_> = earlier
        .iter()
        .flat_map(|e| {
            e.lines
                .iter()
                .filter(|x| x.loan == label)
                .map(|x| (e.last_day, x.fee_reduced))
        })
        .collect();
    let rate = s.kind.rate(l.rate_annual);
    let accrued = accrue(
        &fund_loan_track(&l, &credits),
        rate,
        period.first,
        period.end_exclusive,
    );
    let sub = loan_sub(loan_id);
    let receivable = fen_to_decimal(balance(state, fund_id, "1202", &sub));
    let (fee_reduced, refund) = split_fund_subsidy(accrued.subsidy, receivable);
    let payee = format!("fund:{fund_id}");
    if accrued.subsidy > Decimal::ZERO {
        let subsidy = accrued.subsidy;
        let program_sub = format!("program:{id}");
        let mut postings = vec![posting(
            fund_id,
            "1203",
            &program_sub,
            Side::Debit,
            subsidy,
        )?];
        if fee_reduced > Decimal::ZERO {
            postings.push(posting(fund_id, "1202", &sub, Side::Credit, fee_reduced)?);
        }
        if refund > Decimal::ZERO {
            let member = member_sub(&l.member_id);
            postings.push(posting(fund_id, "2201", &member, Side::Credit, refund)?);
        }
        postings.push(posting(id, "5002", "", Side::Debit, subsidy)?);
        postings.push(posting(id, "2201", &payee, Side::Credit, subsidy)?);
        plan.entries.push(PlannedEntry {
            value_date: period.last_day(),
            memo: format!(
                "subsidy {} on {label}: the program pays the occupancy fee",
                at.period_text
            ),
            postings,
        });
        // The fee the subsidy pays is paid on the borrower's behalf: the
        // loan's record counts it as fee paid, so the borrower owes less and
        // 1202 stays equal to the record's fee accrued less fee paid.
        l.fee_paid += fee_reduced;
        plan.records.push(json(loan_key(fund_id, loan_id), &l));
    }
    Ok(Line {
        loan: label,
        payee,
        rate_annual: rate,
        accrued,
        fee_reduced,
        refund,
    })
}

/// What paying an approved period posts: per payee, Dr 2201/payee, Cr 1203 in
/// the program, and for a fund, Dr 1002, Cr 1203/program in its book.
fn payment_entries(
    program_id: &str,
    p: &PeriodRecord,
    date: chrono::NaiveDate,
) -> Result<Vec<PlannedEntry>> {
    let mut payees: Vec<(String, Decimal)> = Vec::new();
    for l in &p.lines {
        match payees.iter_mut().find(|(payee, _)| *payee == l.payee) {
            Some((_, total)) => *total += l.accrued.subsidy,
            None => payees.push((l.payee.clone(), l.accrued.subsidy)),
        }
    }
    let mut entries = Vec::new();
    for (payee, total) in payees.into_iter().filter(|(_, t)| *t > Decimal::ZERO) {
        let mut postings = vec![
            posting(program_id, "2201", &payee, Side::Debit, total)?,
            posting(program_id, "1203", "", Side::Credit, total)?,
        ];
        if let Some(fund_id) = payee.strip_prefix("fund:") {
            postings.push(posting(fund_id, "1002", "", Side::Debit, total)?);
            postings.push(posting(
                fund_id,
                "1203",
                &format!("program:{program_id}"),
                Side::Credit,
                total,
            )?);
        }
        entries.push(PlannedEntry {
            value_date: date,
            memo: format!("subsidy {} paid to {payee} by the finance bureau", p.period),
            postings,
        });
    }
    Ok(entries)
}

pub struct SubsidyApi {
    ledger: Ledger,
}

impl SubsidyApi {
    pub fn new(ledger: Ledger) -> Self {
        Self { ledger }
    }

    fn scheme_response(
        &self,
        program_id: &str,
        scheme_id: &str,
        replayed: bool,
    ) -> Answer<pb::SubsidySchemeResponse> {
        let state = self.ledger.shared().state.read();
        let s = scheme(&state, program_id, scheme_id).map_err(to_status)?;
        let (kind, rate) = match s.kind {
            Kind::Full => (pb::SubsidyKind::Full, String::new()),
            Kind::Fixed(r) => (pb::SubsidyKind::Fixed, r.to_string()),
        };
        Ok(Response::new(pb::SubsidySchemeResponse {
            program_id: program_id.to_string(),
            scheme_id: s.scheme_id,
            kind: kind as i32,
            rate_annual: rate,
            settlement: if s.quarterly {
                pb::Settlement::Quarterly
            } else {
                pb::Settlement::Monthly
            } as i32,
            payee: if s.pay_borrower {
                pb::Payee::Borrower
            } else {
                pb::Payee::Bank
            } as i32,
            loans: s.loans.iter().map(LoanRef::label).collect(),
            accrued_through: s.accrued_through.map(cv::fmt_date).unwrap_or_default(),
            replayed,
        }))
    }

    /// The statement of one period, or of one loan across periods.
    fn statement(
        &self,
        program_id: &str,
        scheme_id: &str,
        period: Option<&str>,
        loan_ref: Option<&str>,
        seqs: Vec<u64>,
        replayed: bool,
    ) -> Answer<pb::SubsidyStatement> {
        let state = self.ledger.shared().state.read();
        scheme(&state, program_id, scheme_id).map_err(to_status)?;
        let periods: Vec<PeriodRecord> = match period {
            Some(p) => vec![
                period_record(&state, &period_key(program_id, scheme_id, p), p)
                    .map_err(to_status)?,
            ],
            None => load_all(&state, &format!("subsidyperiod/{program_id}/{scheme_id}/"))
                .map_err(to_status)?,
        };
        let mut periods = periods;
        periods.sort_by_key(|p| p.last_day);
        let lines: Vec<(&PeriodRecord, &Line)> = periods
            .iter()
            .flat_map(|p| p.lines.iter().map(move |l| (p, l)))
            .filter(|(_, l)| loan_ref.is_none_or(|r| l.loan == r))
            .collect();
        let total: Decimal = lines.iter().map(|(_, l)| l.accrued.subsidy).sum();
        let one = period.and(periods.first());
        Ok(Response::new(pb::SubsidyStatement {
            program_id: program_id.to_string(),
            scheme_id: scheme_id.to_string(),
            lines: lines
                .iter()
                .map(|(p, l)| crate::extract::source::subsidy_line(&p.period, l))
                .collect(),
            total: format_yuan(total),
            state: one.map_or(pb::SubsidyPeriodState::Unspecified, |p| state_to(p.state)) as i32,
            claimed_by: one.and_then(|p| p.claimed_by.clone()).unwrap_or_default(),
            approved_by: one.and_then(|p| p.approved_by.clone()).unwrap_or_default(),
            entry_seqs: seqs,
            replayed,
        }))
    }

    /// Claim, approval or payment of an accrued period: `decide` gets the
    /// period record and the actor, and returns it after and its entries.
    async fn period_operation(
        &self,
        kind: &str,
        r: pb::SubsidyPeriodRequest,
        who: Caller,
        decide: impl FnOnce(
                &PeriodRecord,
                &str,
                &str,
                Option<chrono::NaiveDate>,
            ) -> Result<(PeriodRecord, Vec<PlannedEntry>)>
            + Send
            + 'static,
    ) -> Answer<pb::SubsidyStatement> {
        let at = PeriodAt::decode(&r)?;
        let date = cv::optional_date("date", &r.date).map_err(to_status)?;
        let (key, period, id, actor) = (
            at.key(),
            at.period_text.clone(),
            at.program_id.clone(),
            who.actor(),
        );
        let scheme_id = at.scheme_id.clone();
        let (replayed, seqs) = run(
            &self.ledger,
            kind,
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                scheme(state, &id, &scheme_id)?;
                let p = period_record(state, &key, &period)?;
                let (after, entries) = decide(&p, &actor, &id, date)?;
                Ok(Plan {
                    entries,
                    records: vec![json(key, &after)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.statement(
            &at.program_id,
            &at.scheme_id,
            Some(&at.period_text),
            None,
            seqs,
            replayed,
        )
    }
}

#[tonic::async_trait]
impl SubsidyService for SubsidyApi {
    async fn create_subsidy_scheme(
        &self,
        request: Request<pb::CreateSubsidySchemeRequest>,
    ) -> Answer<pb::SubsidySchemeResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let (program_id, s) = (|| {
            let kind = match pb::SubsidyKind::try_from(r.kind) {
                Ok(pb::SubsidyKind::Full) if r.rate_annual.is_empty() => Kind::Full,
                Ok(pb::SubsidyKind::Full) => {
                    return Err(LedgerError::invalid(
                        "rate_annual",
                        "must be empty for a FULL subsidy (the loan's rate)",
                    ))
                }
                Ok(pb::SubsidyKind::Fixed) => {
                    let r = rate("rate_annual", &r.rate_annual)?;
                    if r.is_zero() {
                        return Err(LedgerError::invalid("rate_annual", "must be above 0"));
                    }
                    Kind::Fixed(r)
                }
                _ => return Err(LedgerError::invalid("kind", "must be FULL or FIXED")),
            };
            let quarterly = match pb::Settlement::try_from(r.settlement) {
                Ok(pb::Settlement::Monthly) => false,
                Ok(pb::Settlement::Quarterly) => true,
                _ => {
                    return Err(LedgerError::invalid(
                        "settlement",
                        "must be MONTHLY or QUARTERLY",
                    ))
                }
            };
            let pay_borrower = match pb::Payee::try_from(r.payee) {
                Ok(pb::Payee::Bank) => false,
                Ok(pb::Payee::Borrower) => true,
                _ => return Err(LedgerError::invalid("payee", "must be BANK or BORROWER")),
            };
            Ok((
                cv::book_id("program_id", &r.program_id)?,
                Scheme {
                    scheme_id: ident("scheme_id", &r.scheme_id)?,
                    kind,
                    quarterly,
                    pay_borrower,
                    loans: Vec::new(),
                    accrued_through: None,
                },
            ))
        })()
        .map_err(to_status)?;
        let (id, sid) = (program_id.clone(), s.scheme_id.clone());
        let (replayed, _) = run(
            &self.ledger,
            "subsidy.create",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| {
                program(state, &id)?;
                let key = scheme_key(&id, &s.scheme_id);
                if load::<Scheme>(state, &key)?.is_some() {
                    return Err(LedgerError::AlreadyExists {
                        field: "scheme_id".into(),
                        what: format!(
                            "subsidy scheme {:?} already exists in program {id:?}",
                            s.scheme_id
                        ),
                    });
                }
                Ok(Plan {
                    records: vec![json(key, &s)],
                    ..Plan::default()
                })
            },
        )
        .await?;
        self.scheme_response(&program_id, &sid, replayed)
    }

    async fn link_subsidy_loan(
        &self,
        request: Request<pb::LinkSubsidyLoanRequest>,
    ) -> Answer<pb::SubsidySchemeResponse> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        let r = request.into_inner();
        let (program_id, scheme_id, loan) = (|| {
            let loan_id = ident("loan_id", &r.loan_id)?;
            let loan = if r.fund_id.is_empty() {
                LoanRef::Bank(loan_id)
            } else {
                LoanRef::Fund(cv::book_id("fund_id", &r.fund_id)?, loan_id)
            };
            Ok::<_, LedgerError>((
                cv::book_id("program_id", &r.program_id)?,
                ident("scheme_id", &r.scheme_id)?,
                loan,
            ))
        })()
        .map_err(to_status)?;
        let (id, sid) = (program_id.clone(), scheme_id.clone());
        let (replayed, _) = run(&self.ledger, "subsidy.link", &r, &r.request_id, &who.actor(), move |state| {
            let p = program(state, &id)?;
            let mut s = scheme(state, &id, &sid)?;
            let label = loan.label();
            let schemes: Vec<Scheme> = load_all(state, &format!("subsidy/{id}/"))?;
            if let Some(other) = schemes.iter().find(|o| o.loans.contains(&loan)) {
                return Err(LedgerError::rule(
                    rule::LINK_ONCE,
                    "loan_id",
                    format!("{label} is subsidized by scheme {} already", other.scheme_id),
                ));
            }
            let accounts = match &loan {
                LoanRef::Bank(loan_id) => {
                    guaranteed_loan(state, &id, loan_id)?;
                    vec![PlannedAccount {
                        account: account(&id, "2201", &format!("bank:{}", p.rules.bank_id)),
                        name: format!("Subsidy payable to bank {}", p.rules.bank_id),
                        non_negative: false,
                    }]
                }
                LoanRef::Fund(fund_id, loan_id) => {
                    let l = fund_service::loan(state, fund_id, loan_id)?;
                    let m = member(state, fund_id, &l.member_id)?;
                    if !eligible(m.status()) {
                        return Err(LedgerError::rule(
                            rule::ELIGIBLE,
                            "loan_id",
                            format!(
                                "member {} is {:?}; subsidies go to registered poor or monitored households",
                                m.member_id,
                                m.status()
                            ),
                        ));
                    }
                    require(&l, LoanStatus::Disbursed, "subsidized").map_err(|e| refused(e, "loan_id"))?;
                    vec![
                        PlannedAccount {
                            account: account(&id, "2201", &format!("fund:{fund_id}")),
                            name: format!("Subsidy payable to fund {fund_id}"),
                            non_negative: false,
                        },
                        PlannedAccount {
                            account: account(fund_id, "1203", &format!("program:{id}")),
                            name: format!("Subsidy receivable from program {id}"),
                            non_negative: false,
                        },
                    ]
                }
            };
            s.loans.push(loan);
            Ok(Plan { accounts, records: vec![json(scheme_key(&id, &sid), &s)], ..Plan::default() })
        })
        .await?;
        self.scheme_response(&program_id, &scheme_id, replayed)
    }

    async fn accrue_subsidy(
        &self,
        request: Request<pb::SubsidyPeriodRequest>,
    ) -> Answer<pb::SubsidyStatement> {
        let who = allow_program(&self.ledger, &request, Act::Bank)?;
        let r = request.into_inner();
        let at = PeriodAt::decode(&r)?;
        let (program_id, scheme_id, period) = (
            at.program_id.clone(),
            at.scheme_id.clone(),
            at.period_text.clone(),
        );
        let (replayed, seqs) = run(
            &self.ledger,
            "subsidy.accrue",
            &r,
            &r.request_id,
            &who.actor(),
            move |state| plan_accrual(state, &at),
        )
        .await?;
        self.statement(&program_id, &scheme_id, Some(&period), None, seqs, replayed)
    }

    async fn claim_subsidy(
        &self,
        request: Request<pb::SubsidyPeriodRequest>,
    ) -> Answer<pb::SubsidyStatement> {
        let who = allow_program(&self.ledger, &request, Act::Bank)?;
        self.period_operation(
            "subsidy.claim",
            request.into_inner(),
            who,
            |p, actor, _, _| {
                Ok((
                    p.claim(actor).map_err(|e| refused(e, "period"))?,
                    Vec::new(),
                ))
            },
        )
        .await
    }

    async fn approve_subsidy(
        &self,
        request: Request<pb::SubsidyPeriodRequest>,
    ) -> Answer<pb::SubsidyStatement> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        self.period_operation(
            "subsidy.approve",
            request.into_inner(),
            who,
            |p, actor, id, date| {
                let approved = p.approve(actor).map_err(|e| refused(e, "actor"))?;
                let date = p.settlement_date(date).map_err(|e| refused(e, "date"))?;
                let total = p.total();
                let entries = if total > Decimal::ZERO {
                    vec![transfer(
                        date,
                        format!("subsidy {} approved by the finance bureau", p.period),
                        account(id, "1203", ""),
                        account(id, "3002", ""),
                        to_fen(total)?,
                    )]
                } else {
                    Vec::new()
                };
                Ok((approved, entries))
            },
        )
        .await
    }

    async fn pay_subsidy(
        &self,
        request: Request<pb::SubsidyPeriodRequest>,
    ) -> Answer<pb::SubsidyStatement> {
        let who = allow_on(&self.ledger, &request, Act::Admin, On::Store)?;
        self.period_operation(
            "subsidy.pay",
            request.into_inner(),
            who,
            |p, _, id, date| {
                let paid = p.pay().map_err(|e| refused(e, "period"))?;
                let date = p.settlement_date(date).map_err(|e| refused(e, "date"))?;
                Ok((paid, payment_entries(id, p, date)?))
            },
        )
        .await
    }

    async fn get_subsidy_statement(
        &self,
        request: Request<pb::GetSubsidyStatementRequest>,
    ) -> Answer<pb::SubsidyStatement> {
        allow_program(&self.ledger, &request, Act::Read)?;
        let r = request.into_inner();
        let (program_id, scheme_id) = (|| {
            Ok::<_, LedgerError>((
                cv::book_id("program_id", &r.program_id)?,
                ident("scheme_id", &r.scheme_id)?,
            ))
        })()
        .map_err(to_status)?;
        let period = Some(r.period.as_str()).filter(|p| !p.is_empty());
        let loan_ref = Some(r.loan_ref.as_str()).filter(|l| !l.is_empty());
        if period.is_none() && loan_ref.is_none() {
            return Err(to_status(LedgerError::invalid(
                "period",
                "or loan_ref is required",
            )));
        }
        self.statement(&program_id, &scheme_id, period, loan_ref, Vec::new(), false)
    }
}
