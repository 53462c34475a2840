//! Disbursement: the fund's approved loans, each with the till it is paid
//! from and a button for DisburseLoan dated today, with the request id
//! rendered into its form (a form submitted twice disburses once). The
//! schedule is computed by the server at disbursement and shown on the
//! member's page; a refusal (the fund's limits checked again, the cash
//! short) is shown in the page's language.
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

/// Whether the token's role may disburse (the server decides; this only
/// hides a button that would always be refused).
fn may_disburse(user: &SignedIn) -> bool {
    matches!(user.role, pb::Role::FundTreasurer | pb::Role::Admin)
}

fn disburse_form(ctx: &Ctx, fund: &str, loan: &pb::Loan) -> Markup {
    let lang = ctx.lang;
    html! {
        form.inline method="post" action={ "/fund/" (fund) "/disburse/" (loan.loan_id) } {
            input type="hidden" name="csrf" value=(ctx.session.csrf);
            input type="hidden" name="request_id" value={ "web-" (random_id()) };
            select name="till" aria-label=(lang.t("till")) {
                option value="bank" { (lang.t("till-bank")) }
                option value="cash" { (lang.t("till-cash")) }
            }
            " "
            button type="submit" { (lang.t("disburse")) }
        }
    }
}

fn render(ctx: &Ctx, user: &SignedIn, fund: &str, loans: &[Waiting], note: Note) -> Markup {
    let lang = ctx.lang;
    page(
        ctx,
        &lang.t("disburse-title"),
        html! {
            @if let Some((class, text)) = &note {
                p class=(class) role="alert" { (text) }
            }
            @if loans.is_empty() {
                p.notice { (lang.t("disburse-none")) }
            } @else {
                p.hint { (lang.t_args("disburse-hint", &[("date", super::format::date_of(business_today(), lang).into())])) }
                div.wrap { table {
                    tr {
                        th { (lang.t("loan-id")) } th { (lang.t("borrower")) } th.num { (lang.t("principal")) }
                        th { (lang.t("term")) } th { (lang.t("approved-on")) } th { (lang.t("approved-by")) }
                        @if may_disburse(user) { th {} }
                    }
                    @for w in loans {
                        @let l = &w.loan;
                        tr {
                            td { (l.loan_id) }
                            td { (borrower(fund, w)) }
                            td.num { (yuan(&l.principal)) }
                            td { (lang.t_args("term-months", &[("months", l.term_months.into())])) }
                            td { (date(&l.approved_on, lang)) } td { (actor(&l.approved_by, lang)) }
                            @if may_disburse(user) { td.action { (disburse_form(ctx, fund, l)) } }
                        }
                    }
                } }
            }
        },
    )
}

/// The loans approved and not yet disbursed.
const QUEUE: Queue = Queue {
    status: pb::LoanStatus::Approved,
    path: "disburse",
    done_key: "disbursed",
    render,
};

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    disbursed: String,
}

/// GET `/fund/{fund}/disburse` (`?disbursed=L` after a disbursement).
pub async fn queue(
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let note = (!done.disbursed.is_empty()).then(|| {
        let args = [("loan", done.disbursed.clone().into())];
        ("notice", ctx.lang.t_args("disbursed", &args))
    });
    QUEUE.show(&ctx, &user, &fund, note).await
}

#[derive(Deserialize)]
pub struct Disburse {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    till: String,
}

/// POST `/fund/{fund}/disburse/{loan}`: DisburseLoan, dated today.
pub async fn disburse(
    Signed(ctx, user): Signed,
    Path((fund, loan)): Path<(String, String)>,
    Form(form): Form<Disburse>,
) -> Response {
    if let Err(halt) = ctx.check_csrf(&form.csrf) {
        return *halt;
    }
    let till = if form.till == "cash" {
        pb::Till::Cash
    } else {
        pb::Till::Bank
    };
    let request = pb::DisburseLoanRequest {
        request_id: form.request_id,
        fund_id: fund.clone(),
        loan_id: loan.clone(),
        till: till as i32,
        date: business_today().to_string(),
    };
    let mut f = match ctx.web.backend().funds(&user.bearer) {
        Ok(f) => f,
        Err(refusal) => return ctx.refused(refusal),
    };
    let done = taken(f.disburse_loan(request), ctx.lang).await;
    QUEUE.answer(&ctx, &user, &fund, &loan, done).await
}
