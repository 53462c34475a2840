//! The day-end (日终): where the fund's day-end stands (GetFund's
//! `day_end_through`), the dates a run to the chosen day takes (every
//! month's end in between, `domain::servicing::day_end_steps`, so that each
//! month's fee is booked in its month), and the run itself: one RunDayEnd
//! per date, each with the form's request id and its date, so a run
//! submitted twice replays what was done and goes on from there. The answer
//! is streamed, a row per date as it is booked, so the treasurer sees the
//! progress on any browser, with no script.
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use tokio::sync::mpsc;

use super::ctx::{Ctx, Signed};
use super::format::{date_of, yuan};
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::{random_id, SignedIn};
use super::state::Web;
use crate::domain::dates::{business_today, parse_date};
use crate::domain::servicing::day_end_steps;
use crate::i18n::Lang;
use crate::pb;

/// Where the rows of a run go in the streamed page.
const ROWS: &str = "<!--rows-->";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Run {
    csrf: String,
    request_id: String,
    through: String,
}

/// The fund's day-end and the first day a run starts from: the day it has
/// run through, or before the first run the earliest disbursement.
struct Standing {
    name: String,
    through: Option<NaiveDate>,
    from: Option<NaiveDate>,
}

async fn standing(web: &Web, user: &SignedIn, fund: &str, lang: Lang) -> Result<Standing, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let read = async {
        let id = fund.to_string();
        let info = f
            .get_fund(pb::GetFundRequest {
                fund_id: id.clone(),
            })
            .await?
            .into_inner();
        let through = parse_date(&info.day_end_through).ok();
        let request = pb::ListLoansRequest {
            fund_id: id,
            as_of: String::new(),
        };
        let loans = f.list_loans(request).await?.into_inner().loans;
        let first = loans
            .iter()
            .filter_map(|l| parse_date(&l.disbursed_on).ok())
            .min();
        Ok::<_, tonic::Status>(Standing {
            name: info.name,
            through,
            from: through.or(first),
        })
    };
    read.await.map_err(|s| explain(&s, lang))
}

/// The dates a run through `through` takes; a fund that never ran it and
/// has lent nothing runs it once.
fn steps(s: &Standing, through: NaiveDate) -> Vec<NaiveDate> {
    match s.from {
        Some(from) => day_end_steps(from, through),
        None => vec![through],
    }
}

fn render_form(ctx: &Ctx, fund: &str, s: &Standing, through: NaiveDate) -> Markup {
    let lang = ctx.lang;
    let planned = steps(s, through);
    let last = s
        .through
        .map_or_else(|| lang.t("day-end-never"), |d| date_of(d, lang));
    page(
        ctx,
        &lang.t_args("day-end-title", &[("fund", s.name.clone().into())]),
        html! {
            div.cards {
                (super::fund::card(&lang.t("day-end-through"), last))
                (super::fund::card(&lang.t("day-end-steps"), planned.len().to_string()))
            }
            form.search method="get" action={ "/fund/" (fund) "/day-end" } {
                input type="date" name="through" value=(through) aria-label=(lang.t("day-end-to"));
                button.secondary type="submit" { (lang.t("collection-show")) }
            }
            @if planned.is_empty() {
                p.notice { (lang.t("day-end-nothing")) }
            } @else {
                p { (lang.t("day-end-plan")) " "
                    @for (k, d) in planned.iter().enumerate() {
                        @if k > 0 { "、" } (date_of(*d, lang))
                    }
                }
                form.inline method="post" action={ "/fund/" (fund) "/day-end" } {
                    input type="hidden" name="csrf" value=(ctx.session.csrf);
                    input type="hidden" name="request_id" value={ "web-" (random_id()) };
                    input type="hidden" name="through" value=(through);
                    button type="submit" { (lang.t("day-end-run")) }
                }
                p.hint { (lang.t("day-end-hint")) }
            }
        },
    )
}

#[derive(Deserialize, Default)]
pub struct Through {
    #[serde(default)]
    through: String,
}

fn through_or_today(text: &str) -> NaiveDate {
    parse_date(text.trim()).unwrap_or_else(|_| business_today())
}

/// GET `/fund/{fund}/day-end?through=D`: where the day-end stands and what
/// a run through `D` (today when absent) takes.
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(q): Query<Through>,
) -> Response {
    match standing(&web, &user, &fund, ctx.lang).await {
        Ok(s) => {
            let page = render_form(&ctx, &fund, &s, through_or_today(&q.through));
            ctx.answer(StatusCode::OK, page)
        }
        Err(refusal) => ctx.refused(refusal),
    }
}

fn step_row(
    lang: Lang,
    k: usize,
    n: usize,
    on: NaiveDate,
    done: &Result<pb::DayEndResponse, String>,
) -> Markup {
    html! {
        tr class=[done.is_err().then_some("refused")] {
            td { (k) " / " (n) } td { (date_of(on, lang)) }
            @match done {
                Ok(r) => {
                    td.num { (r.loans_accrued) } td.num { (yuan(&r.fee_accrued)) } td.num { (yuan(&r.penalty_accrued)) }
                    td { (lang.t(if r.replayed { "outcome-replayed" } else { "outcome-posted" })) }
                }
                Err(text) => { td colspan="4" { (lang.t("outcome-refused")) " " (text) } }
            }
        }
    }
}

/// The page of a run, split where its rows go.
fn run_page(ctx: &Ctx, fund: &str, s: &Standing, n: usize) -> (String, String) {
    let lang = ctx.lang;
    let page = page(
        ctx,
        &lang.t_args("day-end-title", &[("fund", s.name.clone().into())]),
        html! {
            p.hint { (lang.t_args("day-end-running", &[("count", n.into())])) }
            div.wrap { table {
                tr {
                    th { (lang.t("day-end-step")) } th { (lang.t("date-label")) } th.num { (lang.t("day-end-loans")) }
                    th.num { (lang.t("fee-part")) } th.num { (lang.t("penalty")) } th { (lang.t("result")) }
                }
                (PreEscaped(ROWS))
            } }
            p { a href={ "/fund/" (fund) "/day-end" } { (lang.t("day-end-back")) } }
        },
    )
    .into_string();
    let (head, tail) = page.split_once(ROWS).unwrap_or((&page, ""));
    (head.to_string(), tail.to_string())
}

/// POST `/fund/{fund}/day-end`: the run, streamed a row per date. A
/// refused date stops the run there (the dates after it depend on it).
pub async fn run(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Form(form): Form<Run>,
) -> Response {
    if let Err(halt) = ctx.check_csrf(&form.csrf) {
        return *halt;
    }
    let s = match standing(&web, &user, &fund, ctx.lang).await {
        Ok(s) => s,
        Err(refusal) => return ctx.refused(refusal),
    };
    let planned = steps(&s, through_or_today(&form.through));
    let mut f = match web.backend().funds(&user.bearer) {
        Ok(f) => f,
        Err(refusal) => return ctx.refused(refusal),
    };
    let (head, tail) = run_page(&ctx, &fund, &s, planned.len());
    let (tx, rx) = mpsc::channel::<Result<String, std::convert::Infallible>>(4);
    let lang = ctx.lang;
    tokio::spawn(async move {
        let _ = tx.send(Ok(head)).await;
        let n = planned.len();
        for (k, on) in planned.into_iter().enumerate() {
            let request = pb::RunDayEndRequest {
                request_id: format!("{}-{on}", form.request_id),
                fund_id: fund.clone(),
                date: on.to_string(),
            };
            let done = f.run_day_end(request).await.map(|r| r.into_inner());
            let done = done.map_err(|status| match explain(&status, lang) {
                Refusal::Said(text) => text,
                _ => lang.t("forbidden"),
            });
            let stop = done.is_err();
            let _ = tx
                .send(Ok(step_row(lang, k + 1, n, on, &done).into_string()))
                .await;
            if stop {
                break;
            }
        }
        let _ = tx.send(Ok(tail)).await;
    });
    ctx.stream(Body::from_stream(
        tokio_stream::wrappers::ReceiverStream::new(rx),
    ))
}
