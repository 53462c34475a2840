//! A county program's risk fund (风险补偿金), for the cooperating bank and
//! the regulator: whether lending is suspended, said plainly at the top;
//! the leverage gauge (guaranteed exposure against ratio × fund balance,
//! and the headroom left); the default ratio at each of the last 12 month
//! ends against the suspension line (GetLeverageReport as of each date);
//! and the guaranteed loans (ListGuaranteedLoans).
use axum::extract::{Path, State};
use axum::response::Response;
use fluent_bundle::FluentValue;
use maud::{html, Markup};
use rust_decimal::Decimal;

use super::chart::{ratio_bars, Bar};
use super::ctx::{Ctx, Signed};
use super::format::{date, percent, yuan, MISSING};
use super::fund::flag_tags;
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::SignedIn;
use super::state::Web;
use super::trend::{history_dates, month};
use crate::domain::dates::business_today;
use crate::domain::money::round_ratio;
use crate::i18n::Lang;
use crate::pb;

struct Program {
    report: pb::LeverageReport,
    /// The default ratio at each month end of the history, then today.
    history: Vec<(chrono::NaiveDate, Option<Decimal>)>,
    loans: Vec<pb::GuaranteedLoanLine>,
}

async fn read(web: &Web, user: &SignedIn, id: &str, lang: Lang) -> Result<Program, Refusal> {
    let mut p = web.backend().programs(&user.bearer)?;
    let report_on = |as_of: String| pb::GetLeverageReportRequest {
        program_id: id.to_string(),
        as_of,
    };
    let read = async {
        let report = p
            .get_leverage_report(report_on(String::new()))
            .await?
            .into_inner();
        let request = pb::ListGuaranteedLoansRequest {
            program_id: id.to_string(),
            as_of: String::new(),
        };
        let loans = p.list_guaranteed_loans(request).await?.into_inner().loans;
        let mut history = Vec::new();
        for on in history_dates(business_today()) {
            let r = p
                .get_leverage_report(report_on(on.to_string()))
                .await?
                .into_inner();
            // Before the program had guaranteed loans the ratio says nothing.
            let any = r
                .exposure
                .parse::<Decimal>()
                .is_ok_and(|e| e > Decimal::ZERO)
                || r.principal_in_default
                    .parse::<Decimal>()
                    .is_ok_and(|d| d > Decimal::ZERO);
            history.push((on, any.then(|| r.default_ratio.parse().ok()).flatten()));
        }
        Ok::<_, tonic::Status>(Program {
            report,
            history,
            loans,
        })
    };
    read.await.map_err(|s| explain(&s, lang))
}

/// "1:8" for a ratio of 8 (or "8.0000"), "1:8.5" for 8.5.
pub fn one_to(ratio: &str) -> String {
    match ratio.parse::<Decimal>() {
        Ok(r) => format!("1:{}", r.normalize()),
        Err(_) => MISSING.to_string(),
    }
}

/// Lending suspended or not, in words, with the ratio and the line.
pub fn standing_text(r: &pb::LeverageReport, lang: Lang) -> String {
    let args = [
        ("ratio", FluentValue::from(percent(&r.default_ratio))),
        (
            "limit",
            FluentValue::from(percent(&r.suspend_above_default_ratio)),
        ),
    ];
    let id = if r.lending_suspended {
        "program-suspended"
    } else {
        "program-lending"
    };
    lang.t_args(id, &args)
}

fn standing(r: &pb::LeverageReport, lang: Lang) -> Markup {
    html! {
        @if r.lending_suspended {
            p.refusal.standing role="alert" { (standing_text(r, lang)) }
        } @else {
            p.notice.standing { (standing_text(r, lang)) }
        }
    }
}

/// The gauge: exposure as a share of the capacity, the line at 100%.
fn gauge(r: &pb::LeverageReport, lang: Lang) -> Markup {
    let used = match (r.exposure.parse::<Decimal>(), r.capacity.parse::<Decimal>()) {
        (Ok(e), Ok(c)) if c > Decimal::ZERO => Some(round_ratio(e / c)),
        _ => None,
    };
    let bar = Bar {
        label: lang.t("program-capacity-used"),
        ratio: used,
        alert: used.is_some_and(|u| u > Decimal::ONE),
    };
    let caption = lang.t_args(
        "program-capacity-line",
        &[("capacity", yuan(&r.capacity).into())],
    );
    ratio_bars(
        &lang.t("program-gauge"),
        &[bar],
        Some((Decimal::ONE, caption)),
        Decimal::ONE,
    )
}

/// The report's figures as (catalog id, text), amounts written by `money`
/// (¥ on the page, plain in the command line's tables).
pub fn figures(r: &pb::LeverageReport, money: fn(&str) -> String) -> [(&'static str, String); 13] {
    [
        ("program-fund-balance", money(&r.fund_balance)),
        ("program-ratio", one_to(&r.leverage_ratio_decimal)),
        ("program-capacity", money(&r.capacity)),
        ("program-exposure", money(&r.exposure)),
        ("program-headroom", money(&r.headroom)),
        ("program-leverage", one_to(&r.leverage)),
        ("program-default-ratio", percent(&r.default_ratio)),
        ("program-in-default", money(&r.principal_in_default)),
        ("program-active-loans", r.active_loans.to_string()),
        ("program-compensation", money(&r.compensation_paid)),
        ("program-recoveries", money(&r.recoveries)),
        ("program-business-exposure", money(&r.business_exposure)),
        ("program-business-share", percent(&r.business_share)),
    ]
}

fn cards(r: &pb::LeverageReport, lang: Lang) -> Markup {
    html! {
        div.cards {
            @for (label, value) in figures(r, yuan) {
                div.card { div.label { (lang.t(label)) } div.value { (value) } }
            }
        }
    }
}

fn default_chart(p: &Program, lang: Lang) -> Markup {
    let limit = p.report.suspend_above_default_ratio.parse::<Decimal>().ok();
    let bars: Vec<Bar> = p
        .history
        .iter()
        .map(|(on, ratio)| Bar {
            label: month(*on, lang),
            ratio: *ratio,
            alert: matches!((ratio, limit), (Some(r), Some(l)) if r > &l),
        })
        .collect();
    let caption = lang.t_args(
        "program-suspend-line",
        &[(
            "limit",
            percent(&p.report.suspend_above_default_ratio).into(),
        )],
    );
    let line = limit.map(|l| (l, caption));
    ratio_bars(&lang.t("chart-default-months"), &bars, line, Decimal::ZERO)
}

fn state(l: &pb::GuaranteedLoanLine, lang: Lang) -> String {
    let id = match pb::GuaranteeState::try_from(l.state) {
        Ok(pb::GuaranteeState::Closed) => "guarantee-closed",
        Ok(pb::GuaranteeState::Claimed) => "guarantee-claimed",
        _ if l.days_past_due > 0 => "guarantee-overdue",
        _ => "guarantee-active",
    };
    lang.t(id)
}

fn loans(p: &Program, lang: Lang) -> Markup {
    html! {
        h2 { (lang.t_args("program-loans", &[("count", p.loans.len().into())])) }
        div.wrap { table {
            tr {
                th { (lang.t("loan-id")) } th { (lang.t("borrower")) } th { (lang.t("household-status")) }
                th.num { (lang.t("principal")) } th { (lang.t("disbursed-on")) } th.num { (lang.t("program-exposure")) }
                th.num { (lang.t("days-past-due")) } th { (lang.t("guarantee-state")) } th.num { (lang.t("program-in-default")) }
            }
            @for l in &p.loans {
                @let in_default = l.principal_in_default.parse::<Decimal>().is_ok_and(|d| d > Decimal::ZERO);
                tr {
                    td { (l.loan_id) } td { (l.borrower_name) br; small { (l.household_id) } }
                    td { (flag_tags(&l.flags, lang)) }
                    td.num { (yuan(&l.principal)) } td { (date(&l.disbursed_on, lang)) }
                    td.num { @if l.subsidy_only { (lang.t("subsidy-only")) } @else { (yuan(&l.exposure)) } }
                    td.num.alert[l.days_past_due > 0] { (l.days_past_due) }
                    td { (state(l, lang)) }
                    td.num.alert[in_default] { (yuan(&l.principal_in_default)) }
                }
            }
        } }
    }
}

fn render(ctx: &Ctx, p: &Program) -> Markup {
    let lang = ctx.lang;
    let r = &p.report;
    let title = lang.t_args("program-title", &[("program", r.name.clone().into())]);
    page(
        ctx,
        &title,
        html! {
            p.hint { (lang.t_args("as-of", &[("date", date(&r.as_of, lang).into())])) " · " (r.program_id) }
            (standing(r, lang))
            (cards(r, lang))
            (gauge(r, lang))
            (default_chart(p, lang))
            (loans(p, lang))
        },
    )
}

/// GET `/program/{program}`.
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(program): Path<String>,
) -> Response {
    let read = read(&web, &user, &program, ctx.lang).await;
    ctx.shown(read, |p| render(&ctx, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_reads_one_to_it() {
        assert_eq!(one_to("8"), "1:8");
        assert_eq!(one_to("4.0000"), "1:4");
        assert_eq!(one_to("8.5"), "1:8.5");
        assert_eq!(one_to(""), MISSING);
    }
}
