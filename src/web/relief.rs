//! The federation's relief pool (风险防范救助): its balance, the grants
//! asked for and waiting, with an approve button, a form to ask for one,
//! and the pool's history (GetReliefPool). Asking (RequestRelief) and
//! approving (ApproveRelief) carry the request id rendered into the form,
//! so a form submitted twice posts once; that the one who asked may not
//! approve (rule self_approval) is the server's, shown in the page's
//! language.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::{Ctx, Signed};
use super::format::{date, percent, yuan, MISSING};
use super::grpc::{explain, taken, Refusal};
use super::page::{field, page};
use super::queue::{actor, Note};
use super::session::{random_id, SignedIn};
use super::state::Web;
use crate::domain::dates::business_today;
use crate::i18n::Lang;
use crate::pb;

struct Pool {
    federation: pb::FederationResponse,
    relief: pb::ReliefResponse,
}

async fn read(web: &Web, user: &SignedIn, id: &str, lang: Lang) -> Result<Pool, Refusal> {
    let mut fed = web.backend().federations(&user.bearer)?;
    let read = async {
        let request = pb::GetFederationRequest {
            federation_id: id.to_string(),
        };
        let federation = fed.get_federation(request).await?.into_inner();
        let request = pb::GetReliefPoolRequest {
            federation_id: id.to_string(),
        };
        let relief = fed.get_relief_pool(request).await?.into_inner();
        Ok::<_, tonic::Status>(Pool { federation, relief })
    };
    read.await.map_err(|s| explain(&s, lang))
}

/// Whether the token may ask for and approve grants (the server decides;
/// this only hides forms that would always be refused).
fn may_act(user: &SignedIn) -> bool {
    matches!(user.role, pb::Role::FederationTreasurer | pb::Role::Admin)
}

/// The grants asked for and not yet approved.
fn waiting(r: &pb::ReliefResponse) -> Vec<&pb::ReliefLine> {
    let approved = |id: &str| {
        r.history
            .iter()
            .any(|l| l.id == id && l.kind == pb::ReliefKind::GrantApproved as i32)
    };
    r.history
        .iter()
        .filter(|l| l.kind == pb::ReliefKind::GrantRequested as i32 && !approved(&l.id))
        .collect()
}

pub fn kind(line: &pb::ReliefLine, lang: Lang) -> String {
    match pb::ReliefKind::try_from(line.kind) {
        Ok(pb::ReliefKind::Contribution) => lang.t("relief-contribution"),
        Ok(pb::ReliefKind::GrantRequested) => lang.t("relief-requested"),
        Ok(pb::ReliefKind::GrantApproved) => lang.t("relief-approved"),
        _ => MISSING.to_string(),
    }
}

/// A line's detail (the server's words) in the page's language: how a
/// contribution was counted, or the loan and the reason of a grant.
pub fn detail(line: &pb::ReliefLine, lang: Lang) -> String {
    let d = line.detail.as_str();
    if d == "fixed" {
        return lang.t("relief-fixed");
    }
    if let Some((share, income)) = d.split_once(" of fee income ") {
        let args = [
            ("share", percent(share).into()),
            ("income", yuan(income).into()),
        ];
        return lang.t_args("relief-fee-share", &args);
    }
    if let Some((loan, reason)) = d.strip_prefix("loan ").and_then(|r| r.split_once(": ")) {
        let args = [
            ("loan", loan.to_string().into()),
            ("reason", reason.to_string().into()),
        ];
        return lang.t_args("relief-grant-detail", &args);
    }
    d.to_string()
}

fn approve_form(ctx: &Ctx, fed: &str, grant: &str) -> Markup {
    html! {
        form.inline method="post" action={ "/federation/" (fed) "/relief/" (grant) } {
            input type="hidden" name="csrf" value=(ctx.session.csrf);
            input type="hidden" name="request_id" value={ "web-" (random_id()) };
            button type="submit" { (ctx.lang.t("approve")) }
        }
    }
}

fn waiting_table(ctx: &Ctx, user: &SignedIn, p: &Pool) -> Markup {
    let lang = ctx.lang;
    let fed = &p.federation.federation_id;
    let lines = waiting(&p.relief);
    html! {
        h2 { (lang.t("relief-waiting")) }
        @if lines.is_empty() {
            p.notice { (lang.t("relief-none-waiting")) }
        } @else {
            div.wrap { table {
                tr {
                    th { (lang.t("grant-id")) } th { (lang.t("fund")) } th.num { (lang.t("amount")) }
                    th { (lang.t("relief-reason")) } th { (lang.t("applied-on")) } th { (lang.t("applied-by")) }
                    @if may_act(user) { th {} }
                }
                @for l in lines {
                    tr {
                        td { (l.id) } td { (l.fund_id) } td.num { (yuan(&l.amount)) } td { (detail(l, lang)) }
                        td { (date(&l.date, lang)) } td { (actor(&l.actor, lang)) }
                        @if may_act(user) { td.action { (approve_form(ctx, fed, &l.id)) } }
                    }
                }
            } }
        }
    }
}

/// What the request form was filled with (kept when it is refused).
#[derive(Deserialize, Default)]
pub struct Ask {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    fund_id: String,
    #[serde(default)]
    loan_id: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

fn ask_form(ctx: &Ctx, p: &Pool, a: &Ask) -> Markup {
    let lang = ctx.lang;
    let request_id = if a.request_id.is_empty() {
        format!("web-{}", random_id())
    } else {
        a.request_id.clone()
    };
    html! {
        h2 { (lang.t("relief-ask")) }
        form.stack method="post" action={ "/federation/" (p.federation.federation_id) "/relief" } {
            input type="hidden" name="csrf" value=(ctx.session.csrf);
            input type="hidden" name="request_id" value=(request_id);
            (field(&lang.t("fund"), html! {
                select name="fund_id" required {
                    @for f in &p.federation.member_funds { option value=(f) selected[*f == a.fund_id] { (f) } }
                }
            }))
            (field(&lang.t("relief-loan"), html! { input type="text" name="loan_id" value=(a.loan_id) required; }))
            (field(&lang.t("amount"), html! {
                input type="text" inputmode="decimal" name="amount" value=(a.amount) placeholder="2000.00" required;
            }))
            (field(&lang.t("relief-reason"), html! { input type="text" name="reason" value=(a.reason) required; }))
            div { button type="submit" { (lang.t("relief-ask-submit")) } }
        }
    }
}

fn history(p: &Pool, lang: Lang) -> Markup {
    html! {
        h2 { (lang.t("relief-history")) }
        div.wrap { table {
            tr {
                th { (lang.t("date-column")) } th { (lang.t("relief-kind")) } th { (lang.t("fund")) }
                th.num { (lang.t("amount")) } th { (lang.t("relief-detail")) } th { (lang.t("relief-by")) }
            }
            @for l in &p.relief.history {
                tr {
                    td { (date(&l.date, lang)) } td { (kind(l, lang)) } td { (l.fund_id) }
                    td.num { (yuan(&l.amount)) } td { (detail(l, lang)) } td { (actor(&l.actor, lang)) }
                }
            }
        } }
    }
}

fn render(ctx: &Ctx, user: &SignedIn, p: &Pool, a: &Ask, note: Note) -> Markup {
    let lang = ctx.lang;
    let title = lang.t_args(
        "relief-title",
        &[("federation", p.federation.name.clone().into())],
    );
    page(
        ctx,
        &title,
        html! {
            @if let Some((class, text)) = &note {
                p class=(class) role="alert" { (text) }
            }
            div.cards {
                div.card { div.label { (lang.t("relief-pool")) } div.value { (yuan(&p.relief.pool)) } }
            }
            (waiting_table(ctx, user, p))
            @if may_act(user) { (ask_form(ctx, p, a)) }
            (history(p, lang))
        },
    )
}

#[derive(Deserialize, Default)]
pub struct Done {
    #[serde(default)]
    requested: String,
    #[serde(default)]
    approved: String,
}

/// GET `/federation/{federation}/relief` (`?requested=G`, `?approved=G`
/// after an action).
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(federation): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let note = [
        ("relief-done-requested", &done.requested),
        ("relief-done-approved", &done.approved),
    ]
    .into_iter()
    .find(|(_, grant)| !grant.is_empty())
    .map(|(id, grant)| {
        (
            "notice",
            ctx.lang.t_args(id, &[("grant", grant.clone().into())]),
        )
    });
    answer(&web, &ctx, &user, &federation, &Ask::default(), note).await
}

/// The page with `note`, 409 when the note is a refusal.
async fn answer(web: &Web, ctx: &Ctx, user: &SignedIn, fed: &str, a: &Ask, note: Note) -> Response {
    let status = match &note {
        Some(("refusal", _)) => StatusCode::CONFLICT,
        _ => StatusCode::OK,
    };
    match read(web, user, fed, ctx.lang).await {
        Ok(p) => ctx.answer(status, render(ctx, user, &p, a, note)),
        Err(refusal) => ctx.refused(refusal),
    }
}

/// To the page with a note when the call was taken; the page with the
/// refusal (and the form as it was filled) when it was not.
async fn after(
    web: &Web,
    ctx: &Ctx,
    user: &SignedIn,
    fed: &str,
    a: &Ask,
    done: (&str, &str),
    called: Result<(), Refusal>,
) -> Response {
    match called {
        Ok(()) => ctx.redirect(&format!("/federation/{fed}/relief?{}={}", done.0, done.1)),
        Err(Refusal::Said(text)) => {
            tracing::info!(federation = %fed, grant = %done.1, "web relief action refused");
            answer(web, ctx, user, fed, a, Some(("refusal", text))).await
        }
        Err(other) => ctx.refused(other),
    }
}

/// POST `/federation/{federation}/relief`: RequestRelief, dated today,
/// under a grant id made with the form.
pub async fn request(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(federation): Path<String>,
    Form(a): Form<Ask>,
) -> Response {
    if let Err(halt) = ctx.check_csrf(&a.csrf) {
        return *halt;
    }
    // The form's request id names the grant: the same form, the same grant.
    let id: String = a
        .request_id
        .trim_start_matches("web-")
        .chars()
        .take(12)
        .collect();
    let grant = format!("G-{id}");
    let request = pb::RequestReliefRequest {
        request_id: a.request_id.clone(),
        federation_id: federation.clone(),
        grant_id: grant.clone(),
        fund_id: a.fund_id.clone(),
        loan_id: a.loan_id.trim().to_string(),
        amount: a.amount.trim().to_string(),
        reason: a.reason.trim().to_string(),
        date: business_today().to_string(),
    };
    let mut f = match web.backend().federations(&user.bearer) {
        Ok(f) => f,
        Err(refusal) => return ctx.refused(refusal),
    };
    let called = taken(f.request_relief(request), ctx.lang).await;
    after(
        &web,
        &ctx,
        &user,
        &federation,
        &a,
        ("requested", &grant),
        called,
    )
    .await
}

#[derive(Deserialize)]
pub struct Approve {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request_id: String,
}

/// POST `/federation/{federation}/relief/{grant}`: ApproveRelief, dated today.
pub async fn approve(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path((federation, grant)): Path<(String, String)>,
    Form(form): Form<Approve>,
) -> Response {
    if let Err(halt) = ctx.check_csrf(&form.csrf) {
        return *halt;
    }
    let request = pb::ApproveReliefRequest {
        request_id: form.request_id,
        federation_id: federation.clone(),
        grant_id: grant.clone(),
        value_date: business_today().to_string(),
    };
    let mut f = match web.backend().federations(&user.bearer) {
        Ok(f) => f,
        Err(refusal) => return ctx.refused(refusal),
    };
    let called = taken(f.approve_relief(request), ctx.lang).await;
    after(
        &web,
        &ctx,
        &user,
        &federation,
        &Ask::default(),
        ("approved", &grant),
        called,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(detail: &str) -> pb::ReliefLine {
        pb::ReliefLine {
            detail: detail.into(),
            ..Default::default()
        }
    }

    #[test]
    fn details_are_said_in_the_page_language() {
        let zh = |d| detail(&line(d), Lang::Zh);
        assert_eq!(zh("fixed"), "固定金额");
        assert_eq!(
            zh("0.05 of fee income 600.00"),
            "手续费收入 ¥600.00 的 5.00%"
        );
        assert_eq!(zh("loan L1: 洪水冲走了猪"), "贷款 L1：洪水冲走了猪");
        assert_eq!(detail(&line("loan L1: flood"), Lang::En), "loan L1: flood");
        assert_eq!(zh("something new"), "something new");
    }
}
