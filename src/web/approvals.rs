//! The approval queue: the fund's loans applied for and not yet approved,
//! with an approve button for a token that may approve. The button posts
//! ApproveLoan with the request id rendered into the form, so a form
//! submitted twice approves once; maker-checker (the applicant may not
//! approve) is the server's, and its refusal is shown in the page's language.
use axum::extract::{Path, Query};
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::{Ctx, Signed};
use super::format::{date, yuan};
use super::grpc::taken;
use super::page::page;
use super::queue::{actor, borrower, Note, Queue, Waiting};
use super::session::{random_id, SignedIn};
use crate::domain::dates::business_today;
use crate::pb;

/// Whether the token's role may approve loans (the server decides; this
/// only hides a button that would always be refused).
fn may_approve(user: &SignedIn) -> bool {
    matches!(user.role, pb::Role::FundTreasurer | pb::Role::Admin)
}

/// The loans applied for and not yet approved.
const QUEUE: Queue = Queue {
    status: pb::LoanStatus::Applied,
    path: "approvals",
    done_key: "approved",
    render,
};

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

fn render(ctx: &Ctx, user: &SignedIn, fund: &str, loans: &[Waiting], note: Note) -> Markup {
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
                    @for w in loans {
                        @let l = &w.loan;
                        tr {
                            td { (l.loan_id) } td { (borrower(fund, w)) } td.num { (yuan(&l.principal)) }
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
    #[serde(default)]
    applied: String,
}

/// GET `/fund/{fund}/approvals` (`?approved=L` after an approval).
pub async fn queue(
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let note = if !done.approved.is_empty() {
        Some(("approved", &done.approved))
    } else {
        (!done.applied.is_empty()).then_some(("applied", &done.applied))
    }
    .map(|(id, loan)| {
        (
            "notice",
            ctx.lang.t_args(id, &[("loan", loan.clone().into())]),
        )
    });
    QUEUE.show(&ctx, &user, &fund, note).await
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
    let mut f = match ctx.web.backend().funds(&user.bearer) {
        Ok(f) => f,
        Err(refusal) => return ctx.refused(refusal),
    };
    let approved = taken(f.approve_loan(request), ctx.lang).await;
    QUEUE.answer(&ctx, &user, &fund, &loan, approved).await
}
