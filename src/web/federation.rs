//! The federation treasurer's dashboard of member funds (GetDashboard):
//! PAR30, PAR90, liquidity, utilization and reserve cover as percentages,
//! the month its books are closed through (the quarterly report's status),
//! each fund's alerts in the page's language and its cells coloured, and a
//! chart of liquidity by fund drawn on the server; the PAR30 history is its
//! own page ([`super::trend`]).
use axum::extract::{Path, State};
use axum::response::Response;
use fluent_bundle::FluentValue;
use maud::{html, Markup};
use rust_decimal::Decimal;

use super::chart::{ratio_bars, Bar};
use super::ctx::{Ctx, Signed};
use super::format::{dashboard_yuan, date, percent};
use super::fund::fund_name;
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::SignedIn;
use super::state::Web;
use crate::i18n::Lang;
use crate::pb;

struct Board {
    federation: pb::FederationResponse,
    dashboard: pb::Dashboard,
    /// Each fund's name, in the dashboard's order.
    names: Vec<String>,
}

async fn read(web: &Web, user: &SignedIn, id: &str, lang: Lang) -> Result<Board, Refusal> {
    let mut fed = web.backend().federations(&user.bearer)?;
    let mut funds = web.backend().funds(&user.bearer)?;
    let read = async {
        let request = pb::GetFederationRequest {
            federation_id: id.to_string(),
        };
        let federation = fed.get_federation(request).await?.into_inner();
        let request = pb::GetDashboardRequest {
            federation_id: id.to_string(),
            ..Default::default()
        };
        let dashboard = fed.get_dashboard(request).await?.into_inner();
        let mut names = Vec::new();
        for f in &dashboard.funds {
            names.push(fund_name(&mut funds, &f.fund_id).await?);
        }
        Ok::<_, tonic::Status>(Board {
            federation,
            dashboard,
            names,
        })
    };
    read.await.map_err(|s| explain(&s, lang))
}

/// A dashboard alert (the server's words) in the page's language; the
/// server's text when it is of no kind the catalog knows.
pub fn alert_text(alert: &str, lang: Lang) -> String {
    let two = |rest: &str, between: &str| -> Option<(String, String)> {
        let (a, b) = rest.split_once(between)?;
        Some((percent(a), percent(b)))
    };
    let with = |id: &str, (value, limit): (String, String)| {
        lang.t_args(
            id,
            &[
                ("value", FluentValue::from(value)),
                ("limit", FluentValue::from(limit)),
            ],
        )
    };
    if let Some(v) = alert
        .strip_prefix("PAR30 ")
        .and_then(|r| two(r, " is above "))
    {
        return with("alert-par30", v);
    }
    if let Some(v) = alert
        .strip_prefix("liquidity ")
        .and_then(|r| two(r, " is below "))
    {
        return with("alert-liquidity", v);
    }
    if let Some(v) = alert
        .strip_prefix("poor households' share ")
        .and_then(|r| two(r, " is below the fund's minimum "))
    {
        return with("alert-poor-share", v);
    }
    if let Some(q) = alert
        .strip_prefix("quarter ")
        .and_then(|r| r.split(' ').next())
    {
        return lang.t_args(
            "alert-quarter",
            &[("quarter", FluentValue::from(q.to_string()))],
        );
    }
    alert.to_string()
}

fn has_alert(f: &pb::FundIndicators, prefix: &str) -> bool {
    f.alerts.iter().any(|a| a.starts_with(prefix))
}

/// A fund's indicators, and its alerts on a row of their own below.
fn fund_row(f: &pb::FundIndicators, name: &str, lang: Lang) -> Markup {
    let cell = |ratio: &str, alert: bool| html! { td.num.alert[alert] { (percent(ratio)) } };
    html! {
        tr {
            td.name { (name) br; small { (f.fund_id) } }
            td.num { (dashboard_yuan(&f.gross_portfolio, lang)) }
            (cell(&f.par30, has_alert(f, "PAR30")))
            (cell(&f.par90, false))
            (cell(&f.liquidity, has_alert(f, "liquidity")))
            (cell(&f.utilization, false))
            (cell(&f.reserve_cover, false))
            td.alert[!f.quarter_not_closed.is_empty()] {
                @if f.closed_through.is_empty() { (lang.t("not-closed")) } @else { (date(&f.closed_through, lang)) }
            }
        }
        @if !f.alerts.is_empty() {
            tr.alerts {
                td.alert colspan="8" {
                    ul.alerts { @for a in &f.alerts { li { (alert_text(a, lang)) } } }
                }
            }
        }
    }
}

/// Characters of a fund's name that fit the chart's label column.
const CHART_LABEL_CHARS: usize = 12;

/// The fund's name on a chart, or its id when the name is too long to fit.
fn short_label(name: &str, id: &str) -> String {
    if name.chars().count() <= CHART_LABEL_CHARS {
        name.to_string()
    } else {
        id.to_string()
    }
}

/// A chart's alert line at the rule's `limit`, with its caption.
pub fn alert_line(limit: Option<&str>, lang: Lang) -> Option<(Decimal, String)> {
    let l = limit?.parse::<Decimal>().ok()?;
    let args = [("limit", FluentValue::from(percent(&l.to_string())))];
    Some((l, lang.t_args("chart-alert-line", &args)))
}

fn liquidity_chart(b: &Board, lang: Lang) -> Markup {
    let bars: Vec<Bar> = b
        .dashboard
        .funds
        .iter()
        .zip(&b.names)
        .map(|(f, name)| Bar {
            label: short_label(name, &f.fund_id),
            ratio: f.liquidity.parse().ok(),
            alert: has_alert(f, "liquidity"),
        })
        .collect();
    let limit = b
        .federation
        .rules
        .as_ref()
        .map(|r| r.liquidity_alert.as_str());
    ratio_bars(
        &lang.t("chart-liquidity"),
        &bars,
        alert_line(limit, lang),
        Decimal::ONE,
    )
}

fn render(ctx: &Ctx, b: &Board) -> Markup {
    let lang = ctx.lang;
    let d = &b.dashboard;
    let title = lang.t_args(
        "dashboard-title",
        &[("federation", b.federation.name.clone().into())],
    );
    let cards = [
        ("federation-bank", &d.bank),
        ("placements", &d.placements),
        ("borrowings", &d.borrowings),
        ("relief-pool", &d.relief_pool),
    ];
    page(
        ctx,
        &title,
        html! {
            p.hint {
                (lang.t_args("as-of", &[("date", date(&d.as_of, lang).into())])) " · "
                span class=[(d.alerts > 0).then_some("alert")] { (lang.t_args("alerts-count", &[("count", d.alerts.into())])) }
            }
            div.cards {
                @for (label, value) in cards {
                    div.card { div.label { (lang.t(label)) } div.value { (dashboard_yuan(value, lang)) } }
                }
            }
            h2 { (lang.t("nav-dashboard")) }
            div.wrap { table {
                tr {
                    th { (lang.t("fund")) } th.num { (lang.t("gross-portfolio")) } th.num { "PAR30" } th.num { "PAR90" }
                    th.num { (lang.t("liquidity")) } th.num { (lang.t("utilization")) } th.num { (lang.t("reserve-cover")) } th { (lang.t("closed-through")) }
                }
                @for (f, name) in d.funds.iter().zip(&b.names) { (fund_row(f, name, lang)) }
            } }
            h2 { (lang.t("chart-liquidity")) }
            (liquidity_chart(b, lang))
            p { a href={ "/federation/" (b.dashboard.federation_id) "/trend" } { (lang.t("trend-link")) } }
        },
    )
}

/// GET `/federation/{federation}`.
pub async fn dashboard(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(federation): Path<String>,
) -> Response {
    let read = read(&web, &user, &federation, ctx.lang).await;
    ctx.shown(read, |b| render(&ctx, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_are_said_in_the_page_language_with_percentages() {
        assert_eq!(
            alert_text("PAR30 0.2076 is above 0.05", Lang::Zh),
            "风险贷款率 20.76% 高于 5.00%"
        );
        assert_eq!(
            alert_text("PAR30 0.2076 is above 0.05", Lang::En),
            "PAR30 20.76% is above 5.00%"
        );
        assert_eq!(
            alert_text("liquidity 0.075 is below 0.10", Lang::Zh),
            "流动性比率 7.50% 低于 10.00%"
        );
        assert_eq!(
            alert_text(
                "quarter 2025Q1 not closed by 2025-04-05 (closed through no month)",
                Lang::Zh
            ),
            "2025Q1 季度报表未按期结账"
        );
        assert_eq!(alert_text("something new", Lang::Zh), "something new");
    }
}
