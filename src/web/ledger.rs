//! The loan ledger (台账): every loan of the fund on a date with its
//! borrower, outstanding, fee and penalty due, days past due and its
//! delinquency bucket, the buckets summed above the table, and PAR30 and
//! PAR90 as the federation counts them (FundService.ListLoans).
use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::ctx::{Ctx, Signed};
use super::format::{date, percent, yuan, yuan_decimal};
use super::fund::flag_id;
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::SignedIn;
use super::state::Web;
use crate::i18n::Lang;
use crate::pb;

/// The buckets in order, with their catalog ids.
const BUCKETS: [(&str, &str); 5] = [
    ("current", "bucket-current"),
    ("1-30", "bucket-1-30"),
    ("31-60", "bucket-31-60"),
    ("61-90", "bucket-61-90"),
    ("90+", "bucket-90"),
];

/// A bucket's name ("31-60" → 逾期31-60天); — for one not known.
pub fn bucket_name(bucket: &str, lang: Lang) -> String {
    BUCKETS
        .iter()
        .find(|(b, _)| *b == bucket)
        .map_or_else(|| super::format::MISSING.to_string(), |(_, id)| lang.t(id))
}

struct Ledger {
    loans: pb::ListLoansResponse,
    names: HashMap<String, String>,
}

async fn read(
    web: &Web,
    user: &SignedIn,
    fund: &str,
    as_of: &str,
    lang: Lang,
) -> Result<Ledger, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let read = async {
        let request = pb::ListLoansRequest {
            fund_id: fund.into(),
            as_of: as_of.into(),
        };
        let loans = f.list_loans(request).await?.into_inner();
        let names = super::fund::member_names(&mut f, fund).await?;
        Ok::<_, tonic::Status>(Ledger { loans, names })
    };
    read.await.map_err(|s| explain(&s, lang))
}

fn open(l: &pb::LoanLine) -> bool {
    l.status == pb::LoanStatus::Disbursed as i32
}

fn buckets(lang: Lang, lines: &[pb::LoanLine]) -> Markup {
    let sum = |bucket: &str| -> (usize, Decimal) {
        let of = lines.iter().filter(|l| open(l) && l.bucket == bucket);
        of.fold((0, Decimal::ZERO), |(n, s), l| {
            (
                n + 1,
                s + l
                    .outstanding_principal
                    .parse::<Decimal>()
                    .unwrap_or_default(),
            )
        })
    };
    html! {
        div.cards {
            @for (bucket, id) in BUCKETS {
                @let (count, amount) = sum(bucket);
                div.card class=[(bucket != "current" && count > 0).then_some("alert")] {
                    div.label { (lang.t(id)) " · " (lang.t_args("loans-count", &[("count", count.into())])) }
                    div.value { (yuan_decimal(amount)) }
                }
            }
        }
    }
}

fn row(lang: Lang, l: &pb::LoanLine, name: &str) -> Markup {
    let late = l.days_past_due > 0;
    html! {
        tr class=[late.then_some("refused")] {
            td { (l.loan_id) @if l.restructured { br; small { (lang.t("restructured")) } } }
            td { (name) br; small { (l.member_id) } }
            td { @for f in &l.member_flags { span.tag { (lang.t(flag_id(*f))) } } }
            td.num { (yuan(&l.principal)) }
            td.num { (yuan(&l.outstanding_principal)) }
            td.num { (yuan(&l.fee_due)) }
            td.num { (yuan(&l.penalty_due)) }
            td.num { (l.days_past_due) }
            td { (bucket_name(&l.bucket, lang)) }
            td { (date(&l.maturity, lang)) }
        }
    }
}

fn render(ctx: &Ctx, fund: &str, ledger: &Ledger) -> Markup {
    let lang = ctx.lang;
    let loans = &ledger.loans;
    let lines: Vec<&pb::LoanLine> = loans.loans.iter().filter(|l| open(l)).collect();
    page(
        ctx,
        &lang.t("ledger-title"),
        html! {
            form.inline method="get" action={ "/fund/" (fund) "/loans" } {
                label { (lang.t("as-of-date")) " " input type="date" name="as_of" value=(loans.as_of); }
                " " button type="submit" { (lang.t("collection-show")) }
            }
            p.hint { (lang.t_args("as-of", &[("date", date(&loans.as_of, lang).into())])) }
            div.cards {
                div.card { div.label { (lang.t("portfolio")) } div.value { (yuan(&loans.gross_portfolio)) } }
                div.card { div.label { (lang.t("par30")) } div.value { (percent(&loans.par30)) } }
                div.card { div.label { (lang.t("par90")) } div.value { (percent(&loans.par90)) } }
            }
            h2 { (lang.t("by-bucket")) }
            (buckets(lang, &loans.loans))
            h2 { (lang.t("ledger-loans")) }
            div.wrap { table {
                tr {
                    th { (lang.t("loan-id")) } th { (lang.t("borrower")) } th { (lang.t("status")) }
                    th.num { (lang.t("principal")) } th.num { (lang.t("outstanding")) }
                    th.num { (lang.t("fee-due")) } th.num { (lang.t("penalty")) }
                    th.num { (lang.t("days-past-due")) } th { (lang.t("bucket")) } th { (lang.t("maturity")) }
                }
                @for l in &lines {
                    (row(lang, l, ledger.names.get(&l.member_id).map_or("", String::as_str)))
                }
            } }
        },
    )
}

#[derive(Deserialize, Default)]
pub struct AsOf {
    #[serde(default)]
    as_of: String,
}

/// GET `/fund/{fund}/loans?as_of=D` (today without one).
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(q): Query<AsOf>,
) -> Response {
    let read = read(&web, &user, &fund, &q.as_of, ctx.lang).await;
    ctx.shown(read, |ledger| render(&ctx, &fund, ledger))
}
