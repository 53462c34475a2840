//! The year-end (年终决算), previewed before it runs: the year's surplus and
//! its split into the welfare fund, the accumulation and risk reserves and
//! dividends, with each member's dividend (FundService.PreviewYearEnd, the
//! very plan RunYearEnd commits), by shares held or fees paid. A refusal
//! (the day-end not through December 31, the year closed) is shown in place
//! of the split. The treasurer then runs it: RunYearEnd with the form's
//! request id, so a form submitted twice closes the year once.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use chrono::Datelike;
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::{Ctx, Signed};
use super::format::yuan;
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::{random_id, SignedIn};
use super::state::Web;
use crate::domain::dates::business_today;
use crate::i18n::Lang;
use crate::pb;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Choice {
    csrf: String,
    request_id: String,
    year: String,
    /// "fees" for dividends by fees paid; shares otherwise.
    basis: String,
}

impl Choice {
    /// The year asked, else last year.
    fn year(&self) -> u32 {
        let last = business_today().year() - 1;
        self.year.trim().parse().unwrap_or(last as u32)
    }

    fn basis(&self) -> pb::DividendBasis {
        if self.basis == "fees" {
            pb::DividendBasis::FeesPaid
        } else {
            pb::DividendBasis::Shares
        }
    }

    fn request(&self, fund: &str) -> pb::RunYearEndRequest {
        pb::RunYearEndRequest {
            request_id: self.request_id.clone(),
            fund_id: fund.to_string(),
            year: self.year(),
            basis: self.basis() as i32,
        }
    }
}

/// The year-end answered (previewed or run), or why not; the members' names.
struct Outcome {
    result: Result<pb::YearEndResponse, String>,
    names: std::collections::HashMap<String, String>,
}

async fn call(
    web: &Web,
    user: &SignedIn,
    fund: &str,
    c: &Choice,
    run: bool,
    lang: Lang,
) -> Result<Outcome, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let names = super::fund::member_names(&mut f, fund)
        .await
        .map_err(|s| explain(&s, lang))?;
    let answered = if run {
        f.run_year_end(c.request(fund)).await
    } else {
        f.preview_year_end(c.request(fund)).await
    };
    let result = match answered
        .map(|r| r.into_inner())
        .map_err(|s| explain(&s, lang))
    {
        Ok(r) => Ok(r),
        Err(Refusal::Said(text)) => Err(text),
        Err(other) => return Err(other),
    };
    Ok(Outcome { result, names })
}

fn split(
    lang: Lang,
    r: &pb::YearEndResponse,
    names: &std::collections::HashMap<String, String>,
) -> Markup {
    let parts = [
        ("welfare-fund", &r.welfare),
        ("accumulation-reserve", &r.accumulation),
        ("risk-reserve", &r.risk),
        ("dividends", &r.dividends),
    ];
    html! {
        div.cards { (super::fund::card(&lang.t("surplus"), yuan(&r.surplus))) }
        h2 { (lang.t("split")) }
        div.wrap { table {
            @for (label, amount) in parts {
                tr { td { (lang.t(label)) } td.num { (yuan(amount)) } }
            }
            tr.total { th { (lang.t("sheet-total")) } th.num { (yuan(&r.surplus)) } }
        } }
        @if !r.member_dividends.is_empty() {
            h2 { (lang.t("member-dividends")) }
            div.wrap { table {
                tr { th { (lang.t("member-name")) } th { (lang.t("member-id")) } th.num { (lang.t("dividend")) } }
                @for d in &r.member_dividends {
                    tr {
                        td { (names.get(&d.member_id).map_or("", String::as_str)) } td { (d.member_id) }
                        td.num { (yuan(&d.amount)) }
                    }
                }
            } }
        }
    }
}

fn chooser(ctx: &Ctx, fund: &str, c: &Choice) -> Markup {
    let lang = ctx.lang;
    html! {
        form.search method="get" action={ "/fund/" (fund) "/year-end" } {
            input type="text" inputmode="numeric" size="5" name="year" value=(c.year()) aria-label=(lang.t("notice-year"));
            select name="basis" aria-label=(lang.t("dividend-basis")) {
                option value="shares" selected[c.basis() == pb::DividendBasis::Shares] { (lang.t("basis-shares")) }
                option value="fees" selected[c.basis() == pb::DividendBasis::FeesPaid] { (lang.t("basis-fees")) }
            }
            button.secondary type="submit" { (lang.t("preview-button-short")) }
        }
    }
}

fn run_form(ctx: &Ctx, fund: &str, c: &Choice) -> Markup {
    let lang = ctx.lang;
    html! {
        form.inline method="post" action={ "/fund/" (fund) "/year-end" } {
            input type="hidden" name="csrf" value=(ctx.session.csrf);
            input type="hidden" name="request_id" value={ "web-" (random_id()) };
            input type="hidden" name="year" value=(c.year());
            input type="hidden" name="basis" value=(if c.basis() == pb::DividendBasis::FeesPaid { "fees" } else { "shares" });
            button type="submit" { (lang.t("year-end-run")) }
        }
        p.hint { (lang.t("year-end-hint")) }
    }
}

fn render(ctx: &Ctx, user: &SignedIn, fund: &str, c: &Choice, o: &Outcome, ran: bool) -> Markup {
    let lang = ctx.lang;
    let title = lang.t_args("year-end-title", &[("year", c.year().to_string().into())]);
    let may_run = matches!(user.role, pb::Role::FundTreasurer | pb::Role::Admin);
    page(
        ctx,
        &title,
        html! {
            (chooser(ctx, fund, c))
            @match &o.result {
                Ok(r) => {
                    p class=(if ran { "notice" } else { "hint" }) {
                        (lang.t(if ran { "year-end-done" } else { "year-end-preview" }))
                    }
                    (split(lang, r, &o.names))
                    @if !ran && may_run { (run_form(ctx, fund, c)) }
                }
                Err(text) => { p.refusal role="alert" { (text) } }
            }
        },
    )
}

/// GET `/fund/{fund}/year-end?year=Y&basis=shares|fees`: the preview.
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(c): Query<Choice>,
) -> Response {
    let read = call(&web, &user, &fund, &c, false, ctx.lang).await;
    ctx.shown(read, |o| render(&ctx, &user, &fund, &c, o, false))
}

/// POST `/fund/{fund}/year-end`: RunYearEnd; the split it booked, or the
/// refusal.
pub async fn run(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Form(c): Form<Choice>,
) -> Response {
    if let Err(halt) = ctx.check_csrf(&c.csrf) {
        return *halt;
    }
    match call(&web, &user, &fund, &c, true, ctx.lang).await {
        Ok(o) => {
            let status = if o.result.is_ok() {
                StatusCode::OK
            } else {
                StatusCode::CONFLICT
            };
            ctx.answer(status, render(&ctx, &user, &fund, &c, &o, true))
        }
        Err(refusal) => ctx.refused(refusal),
    }
}
