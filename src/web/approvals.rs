//! The approval queue: the fund's loans applied for and not yet approved,
//! with an approve button for a token that may approve. The button posts
//! ApproveLoan with the request id rendered into the form, so a form
//! submitted twice approves once; maker-checker (the applicant may not
//! approve) is the server's, and its refusal is shown in the page's language.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::{Ctx, Signed};
use super::format::{date, yuan};
use super::grpc::{explain, Refusal};
use super::i18n::Lang;
use super::page::page;
use super::session::{random_id, SignedIn};
use super::state::Web;
use crate::domain::dates::business_today;
use crate::pb;

/// Whether the token's role may approve loans (the server decides; this
/// only hides a button that would always be refused).
fn may_approve(user: &SignedIn) -> bool {
    matches!(user.role, pb::Role::FundTreasurer | pb::Role::Admin)
}

/// The loans awaiting approval, with their applications.
async fn waiting(
    web: &Web,
    user: &SignedIn,
    fund: &str,
    lang: Lang,
) -> Result<Vec<pb::Loan>, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let read = async {
        let request = pb::ListLoansRequest {
            fund_id: fund.to_string(),
            as_of: String::new(),
        };
        let lines = f.list_loans(request).await?.into_inner().loans;
        let mut loans = Vec::new();
        for line in lines
            .iter()
            .filter(|l| l.status == pb::LoanStatus::Applied as i32)
        {
            let request = pb::GetLoanRequest {
                fund_id: fund.to_string(),
                loan_id: line.loan_id.clone(),
            };
            loans.extend(f.get_loan(request).await?.into_inner().loan);
        }
        Ok::<_, tonic::Status>(loans)
    };
    read.await.map_err(|s| explain(&s, lang))
}

/// An actor ("<token id>/<role>") as a person reads it: the role's name,
/// then the token id.
fn actor(actor: &str, lang: Lang) -> Markup {
    let (token, role) = actor.split_once('/').unwrap_or((actor, ""));
    let role = lang
        .lookup(&format!("role-{role}"), &[])
        .unwrap_or_else(|| role.to_string());
    html! { (role) br; small { (token) } }
}

fn approve_form(ctx: &Ctx, fund: &str, loan: &pb::Loan) -> Markup {
    let lang = ctx.lang;
    html! {
        form.inline method="post" action={ "/fund/" (fund) "/approvals/" (loan.loan_id) } {
            input type="hidden" name="csrf" value=(ctx.session.csrf);
            input type="hidden" name="request_id" value={ "web-" (random_id()) };
            label { input type="checkbox" name="board_approved" value="1"; " " (lang.t("board-approved")) }
            br;
            button type="submit" { (lang.t("approve")) }
        }
    }
}

fn render(
    ctx: &Ctx,
    user: &SignedIn,
    fund: &str,
    loans: &[pb::Loan],
    note: Option<(&str, String)>,
) -> Markup {
    let lang = ctx.lang;
    page(
        ctx,
        &lang.t("approvals-title"),
        html! {
            @if let Some((class, text)) = &note {
                p class=(class) role="alert" { (text) }
            }
            @if loans.is_empty() {
                p.notice { (lang.t("approvals-none")) }
            } @else {
                div.wrap { table {
                    tr {
                        th { (lang.t("loan-id")) } th { (lang.t("borrower")) } th.num { (lang.t("principal")) }
                        th { (lang.t("term")) } th { (lang.t("purpose")) } th { (lang.t("applied-on")) }
                        th { (lang.t("applied-by")) }
                        @if may_approve(user) { th {} }
                    }
                    @for l in loans {
                        tr {
                            td { (l.loan_id) } td { (l.member_id) } td.num { (yuan(&l.principal)) }
                            td { (lang.t_args("term-months", &[("months", l.term_months.into())])) }
                            td { (l.purpose) } td { (date(&l.applied_on, lang)) } td { (actor(&l.applied_by, lang)) }
                            @if may_approve(user) { td.action { (approve_form(ctx, fund, l)) } }
                        }
                    }
                } }
            }
        },
    )
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    approved: String,
}

/// GET `/fund/{fund}/approvals` (`?approved=L` after an approval).
pub async fn queue(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let note = (!done.approved.is_empty()).then(|| {
        (
            "notice",
            ctx.lang
                .t_args("approved", &[("loan", done.approved.clone().into())]),
        )
    });
    match waiting(&web, &user, &fund, ctx.lang).await {
        Ok(loans) => ctx.answer(StatusCode::OK, render(&ctx, &user, &fund, &loans, note)),
        Err(refusal) => ctx.refused(refusal),
    }
}

#[derive(Deserialize)]
pub struct Approve {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    board_approved: Option<String>,
}

/// POST `/fund/{fund}/approvals/{loan}`: ApproveLoan, dated today.
pub async fn approve(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path((fund, loan)): Path<(String, String)>,
    Form(form): Form<Approve>,
) -> Response {
    if let Err(halt) = ctx.check_csrf(&form.csrf) {
        return *halt;
    }
    let request = pb::ApproveLoanRequest {
        request_id: form.request_id,
        fund_id: fund.clone(),
        loan_id: loan.clone(),
        board_approved: form.board_approved.is_some(),
        date: business_today().to_string(),
    };
    let approved = match web.backend().funds(&user.bearer) {
        Ok(mut f) => f
            .approve_loan(request)
            .await
            .map_err(|s| explain(&s, ctx.lang)),
        Err(refusal) => Err(refusal),
    };
    let text = match approved {
        Ok(_) => return ctx.redirect(&format!("/fund/{fund}/approvals?approved={loan}")),
        Err(Refusal::Said(text)) => text,
        Err(other) => return ctx.refused(other),
    };
    tracing::info!(fund = %fund, loan = %loan, "web approval refused");
    match waiting(&web, &user, &fund, ctx.lang).await {
        Ok(loans) => ctx.answer(
            StatusCode::CONFLICT,
            render(&ctx, &user, &fund, &loans, Some(("refusal", text))),
        ),
        Err(refusal) => ctx.refused(refusal),
    }
}
