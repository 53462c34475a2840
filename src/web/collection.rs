//! The collection sheet (收款单): for a date, every installment due or
//! overdue, by guarantee group and member (FundService.GetCollectionSheet).
//! The treasurer enters what each member paid and submits once; each line
//! is its own RepayLoan with the request id rendered into the form, so a
//! sheet submitted twice posts each line once, and a refused line says why
//! while the others stand.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::{Ctx, Signed};
use super::format::{date, yuan};
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::{random_id, SignedIn};
use super::state::Web;
use crate::domain::dates::business_today;
use crate::i18n::Lang;
use crate::pb;

/// What became of one line of a submitted sheet.
struct Outcome {
    loan_id: String,
    member: String,
    amount: String,
    result: Result<bool, String>,
}

/// A submitted sheet: the lines' amounts and request ids by loan.
struct Submitted {
    csrf: String,
    date: String,
    till: pb::Till,
    /// (loan id, amount, request id), in the form's order.
    lines: Vec<(String, String, String)>,
}

impl Submitted {
    fn read(fields: Vec<(String, String)>) -> Submitted {
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        let lines = fields
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("paid-")?, v.trim())))
            .filter(|(_, amount)| !amount.is_empty())
            .map(|(loan, amount)| {
                (
                    loan.to_string(),
                    amount.to_string(),
                    field(&format!("rid-{loan}")),
                )
            })
            .collect();
        Submitted {
            csrf: field("csrf"),
            till: if field("till") == "bank" {
                pb::Till::Bank
            } else {
                pb::Till::Cash
            },
            date: field("date"),
            lines,
        }
    }
}

async fn sheet(
    web: &Web,
    user: &SignedIn,
    fund: &str,
    on: &str,
    lang: Lang,
) -> Result<pb::CollectionSheetResponse, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let request = pb::GetCollectionSheetRequest {
        fund_id: fund.to_string(),
        date: on.to_string(),
    };
    f.get_collection_sheet(request)
        .await
        .map(|r| r.into_inner())
        .map_err(|s| explain(&s, lang))
}

fn line_row(ctx: &Ctx, l: &pb::CollectionLine, entered: Option<&str>) -> Markup {
    let lang = ctx.lang;
    html! {
        tr {
            td { (l.member_name) br; small { (l.member_id) } }
            td { (l.loan_id) }
            td { (lang.t_args("installment-no", &[("no", l.installment_no.into())])) br; small { (date(&l.due_date, lang)) } }
            td.num { (yuan(&l.overdue)) }
            td.num { (yuan(&l.due)) }
            td.num { (yuan(&l.penalty)) }
            td.num { strong { (yuan(&l.total)) } }
            td.num { (l.days_past_due) }
            td {
                input type="text" inputmode="decimal" size="9" name={ "paid-" (l.loan_id) }
                    value=(entered.unwrap_or("")) aria-label={ (lang.t("paid")) " " (l.member_name) };
                input type="hidden" name={ "rid-" (l.loan_id) } value={ "web-" (random_id()) };
            }
        }
    }
}

fn sheet_table(ctx: &Ctx, s: &pb::CollectionSheetResponse, entered: &[Outcome]) -> Markup {
    let lang = ctx.lang;
    let kept = |loan: &str| {
        entered
            .iter()
            .find(|o| o.loan_id == loan && o.result.is_err())
            .map(|o| o.amount.as_str())
    };
    html! {
        div.wrap { table.sheet {
            tr {
                th { (lang.t("borrower")) } th { (lang.t("loan-id")) } th { (lang.t("installment")) }
                th.num { (lang.t("overdue")) } th.num { (lang.t("due")) } th.num { (lang.t("penalty")) }
                th.num { (lang.t("collect")) } th.num { (lang.t("days-past-due")) } th { (lang.t("paid")) }
            }
            @for g in &s.groups {
                tr.group { th colspan="9" {
                    @if g.group_id.is_empty() { (lang.t("no-group")) }
                    @else { (lang.t_args("group-name", &[("group", g.group_id.clone().into())])) }
                } }
                @for l in &g.lines { (line_row(ctx, l, kept(&l.loan_id))) }
                tr.subtotal { td colspan="6" { (lang.t("subtotal")) } td.num { strong { (yuan(&g.total)) } } td colspan="2" {} }
            }
            tr.total { td colspan="6" { (lang.t("sheet-total")) } td.num { strong { (yuan(&s.total)) } } td colspan="2" {} }
        } }
    }
}

fn outcomes(lang: Lang, done: &[Outcome]) -> Markup {
    let posted = done.iter().filter(|o| o.result.is_ok()).count();
    let summary = lang.t_args(
        "collection-summary",
        &[
            ("posted", posted.into()),
            ("refused", (done.len() - posted).into()),
        ],
    );
    html! {
        section.outcomes {
            p class=(if posted == done.len() { "notice" } else { "refusal" }) role="alert" { (summary) }
            div.wrap { table {
                tr { th { (lang.t("borrower")) } th { (lang.t("loan-id")) } th.num { (lang.t("paid")) } th { (lang.t("result")) } }
                @for o in done {
                    tr class=(if o.result.is_ok() { "ok" } else { "refused" }) {
                        td { (o.member) } td { (o.loan_id) } td.num { (entered_amount(&o.amount)) }
                        td { @match &o.result {
                            Ok(false) => (lang.t("outcome-posted")),
                            Ok(true) => (lang.t("outcome-replayed")),
                            Err(why) => { (lang.t("outcome-refused")) (why) },
                        } }
                    }
                }
            } }
        }
    }
}

/// An amount as entered: as ¥ when it reads as one, else as typed.
fn entered_amount(text: &str) -> String {
    match text.parse::<rust_decimal::Decimal>() {
        Ok(_) => yuan(text),
        Err(_) => text.to_string(),
    }
}

fn render(ctx: &Ctx, fund: &str, s: &pb::CollectionSheetResponse, done: &[Outcome]) -> Markup {
    let lang = ctx.lang;
    page(
        ctx,
        &lang.t("collection-title"),
        html! {
            form.inline method="get" action={ "/fund/" (fund) "/collection" } {
                label { (lang.t("collection-date")) " " input type="date" name="date" value=(s.date); }
                " " button type="submit" { (lang.t("collection-show")) }
            }
            @if !done.is_empty() { (outcomes(lang, done)) }
            h2 { (lang.t_args("collection-of", &[("date", date(&s.date, lang).into())])) }
            @if s.groups.is_empty() {
                p.notice { (lang.t("collection-none")) }
            } @else {
                form method="post" action={ "/fund/" (fund) "/collection" } {
                    input type="hidden" name="csrf" value=(ctx.session.csrf);
                    input type="hidden" name="date" value=(s.date);
                    (sheet_table(ctx, s, done))
                    p {
                        label { (lang.t("till")) " "
                            select name="till" {
                                option value="cash" { (lang.t("till-cash")) }
                                option value="bank" { (lang.t("till-bank")) }
                            }
                        }
                        " " button type="submit" { (lang.t("collection-submit")) }
                    }
                    p.hint { (lang.t("collection-hint")) }
                }
            }
        },
    )
}

#[derive(Deserialize, Default)]
pub struct On {
    #[serde(default)]
    date: String,
}

/// GET `/fund/{fund}/collection?date=D` (today without one).
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(on): Query<On>,
) -> Response {
    let read = sheet(&web, &user, &fund, &on.date, ctx.lang).await;
    ctx.shown(read, |s| render(&ctx, &fund, s, &[]))
}

/// POST `/fund/{fund}/collection`: one RepayLoan per line with an amount,
/// dated the sheet's date, then the sheet again with what became of each.
pub async fn submit(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let form = Submitted::read(fields);
    if let Err(halt) = ctx.check_csrf(&form.csrf) {
        return *halt;
    }
    let before = match sheet(&web, &user, &fund, &form.date, ctx.lang).await {
        Ok(s) => s,
        Err(refusal) => return ctx.refused(refusal),
    };
    let done = match post_lines(&web, &user, &fund, &form, &before, ctx.lang).await {
        Ok(done) => done,
        Err(refusal) => return ctx.refused(refusal),
    };
    let status = if done.iter().all(|o| o.result.is_ok()) {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    match sheet(&web, &user, &fund, &form.date, ctx.lang).await {
        Ok(after) => ctx.answer(status, render(&ctx, &fund, &after, &done)),
        Err(refusal) => ctx.refused(refusal),
    }
}

/// Each line its own repayment, in the form's order. A refusal of the token
/// itself (signed out, outside its scope) stops the sheet; any other stays
/// the line's.
async fn post_lines(
    web: &Web,
    user: &SignedIn,
    fund: &str,
    form: &Submitted,
    before: &pb::CollectionSheetResponse,
    lang: Lang,
) -> Result<Vec<Outcome>, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let name_of = |loan: &str| {
        let lines = before.groups.iter().flat_map(|g| &g.lines);
        lines
            .clone()
            .find(|l| l.loan_id == loan)
            .map_or_else(|| loan.to_string(), |l| l.member_name.clone())
    };
    let mut done = Vec::new();
    for (loan, amount, request_id) in &form.lines {
        let request = pb::RepayLoanRequest {
            request_id: request_id.clone(),
            fund_id: fund.to_string(),
            loan_id: loan.clone(),
            amount: amount.clone(),
            till: form.till as i32,
            date: if form.date.is_empty() {
                business_today().to_string()
            } else {
                form.date.clone()
            },
        };
        let result = match f.repay_loan(request).await {
            Ok(r) => Ok(r.into_inner().replayed),
            Err(s) => match explain(&s, lang) {
                Refusal::Said(text) => Err(text),
                other => return Err(other),
            },
        };
        tracing::info!(fund = %fund, loan = %loan, posted = result.is_ok(), "web collection line");
        let member = name_of(loan);
        done.push(Outcome {
            loan_id: loan.clone(),
            member,
            amount: amount.clone(),
            result,
        });
    }
    Ok(done)
}
