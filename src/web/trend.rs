//! The member funds' PAR30 together at each of the last 12 month ends (the
//! current month's point today), for the federation treasurer: a
//! GetDashboard as of each date, the balances at risk over the gross
//! portfolios, charted on the server with the alert line and listed in a
//! table. Its own page, so the dashboard stays one read: twelve as-of
//! dashboards rescan history until issue 16's snapshots.
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{Datelike, Months, NaiveDate};
use maud::{html, Markup};
use rust_decimal::Decimal;

use super::chart::{ratio_bars, Bar};
use super::ctx::{Ctx, Signed};
use super::federation::alert_line;
use super::format::{percent, MISSING};
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::SignedIn;
use super::state::Web;
use crate::domain::dates::business_today;
use crate::domain::money::round_ratio;
use crate::i18n::Lang;
use crate::pb;

struct Trend {
    name: String,
    par30_alert: String,
    /// None where there was no portfolio.
    points: Vec<(NaiveDate, Option<Decimal>)>,
}

/// The 12 dates of the PAR30 history: the ends of the 11 months before
/// `today`'s, then `today`.
pub fn history_dates(today: NaiveDate) -> Vec<NaiveDate> {
    let first = today.with_day(1).unwrap_or(today);
    let mut dates: Vec<NaiveDate> = (1..=11u32)
        .rev()
        .filter_map(|k| first.checked_sub_months(Months::new(k - 1)))
        .filter_map(|d| d.pred_opt())
        .collect();
    dates.push(today);
    dates
}

/// PAR30 over every member fund: the balances at risk over the gross
/// portfolios, kept to the ratio's places; None without a portfolio.
fn pooled_par30(d: &pb::Dashboard) -> Option<Decimal> {
    let sum = |f: fn(&pb::FundIndicators) -> &String| -> Decimal {
        d.funds
            .iter()
            .filter_map(|i| f(i).parse::<Decimal>().ok())
            .sum()
    };
    let gross = sum(|i| &i.gross_portfolio);
    (gross > Decimal::ZERO).then(|| round_ratio(sum(|i| &i.par30_balance) / gross))
}

/// The dashboard at each date of the history (what a date before the
/// federation's books cannot say is left out).
async fn par30_history(
    fed: &mut pb::federation_service_client::FederationServiceClient<
        crate::auth::client::AuthChannel,
    >,
    id: &str,
    today: NaiveDate,
) -> Vec<(NaiveDate, Option<Decimal>)> {
    let mut points = Vec::new();
    for on in history_dates(today) {
        let request = pb::GetDashboardRequest {
            federation_id: id.to_string(),
            as_of: on.to_string(),
            ..Default::default()
        };
        if let Ok(d) = fed.get_dashboard(request).await {
            points.push((on, pooled_par30(&d.into_inner())));
        }
    }
    points
}

async fn read(web: &Web, user: &SignedIn, id: &str, lang: Lang) -> Result<Trend, Refusal> {
    let mut fed = web.backend().federations(&user.bearer)?;
    let request = pb::GetFederationRequest {
        federation_id: id.to_string(),
    };
    let f = fed
        .get_federation(request)
        .await
        .map_err(|s| explain(&s, lang))?
        .into_inner();
    let points = par30_history(&mut fed, id, business_today()).await;
    Ok(Trend {
        name: f.name,
        par30_alert: f.rules.map(|r| r.par30_alert).unwrap_or_default(),
        points,
    })
}

pub fn month(on: NaiveDate, lang: Lang) -> String {
    let args = [
        ("year", on.year().to_string().into()),
        ("month", on.month().into()),
    ];
    lang.t_args("month-label", &args)
}

fn par30_chart(t: &Trend, lang: Lang) -> Markup {
    let limit = t.par30_alert.parse::<Decimal>().ok();
    let bars: Vec<Bar> = t
        .points
        .iter()
        .map(|(on, ratio)| Bar {
            label: month(*on, lang),
            ratio: *ratio,
            alert: matches!((ratio, limit), (Some(r), Some(l)) if r > &l),
        })
        .collect();
    let line = alert_line(Some(&t.par30_alert), lang);
    ratio_bars(&lang.t("chart-par30-months"), &bars, line, Decimal::ZERO)
}

fn render(ctx: &Ctx, t: &Trend) -> Markup {
    let lang = ctx.lang;
    let title = lang.t_args("trend-title", &[("federation", t.name.clone().into())]);
    page(
        ctx,
        &title,
        html! {
            (par30_chart(t, lang))
            div.wrap { table {
                tr { th { (lang.t("month")) } th.num { "PAR30" } }
                @for (on, ratio) in &t.points {
                    tr { td { (month(*on, lang)) } td.num { (ratio.map_or(MISSING.to_string(), |r| percent(&r.to_string()))) } }
                }
            } }
        },
    )
}

/// GET `/federation/{federation}/trend`.
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(federation): Path<String>,
) -> Response {
    let read = read(&web, &user, &federation, ctx.lang).await;
    ctx.shown(read, |t| render(&ctx, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_is_the_last_twelve_month_ends_then_today() {
        let d = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
        let dates = history_dates(d("2026-03-15"));
        assert_eq!(dates.len(), 12);
        assert_eq!(dates[0], d("2025-04-30"));
        assert_eq!(dates[9], d("2026-01-31"));
        assert_eq!(dates[10], d("2026-02-28"));
        assert_eq!(dates[11], d("2026-03-15"));
    }
}
