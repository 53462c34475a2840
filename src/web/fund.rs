//! A fund's pages for its clerk and treasurer: the overview (capital by
//! source, cash and bank, the portfolio and PAR30, reserves, what falls due
//! this month) composed from GetFund, GetBook, ListLoans and GetLoan; the
//! member register (ListMembers), searchable by name or id.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::ctx::{Ctx, Signed};
use super::format::{date, date_of, percent, yuan, yuan_decimal};
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::SignedIn;
use super::state::Web;
use crate::domain::chart::code::fund as code;
use crate::domain::dates::business_today;
use crate::i18n::Lang;
use crate::pb;

/// The sum of every account of `code` in the book (its sub-accounts
/// included), or of the one sub-account `sub`.
fn sum_code(book: &pb::GetBookResponse, code: &str, sub: Option<&str>) -> Decimal {
    book.accounts
        .iter()
        .filter_map(|a| Some((a.r#ref.as_ref()?, &a.balance)))
        .filter(|(r, _)| r.code == code && sub.is_none_or(|s| r.sub == s))
        .filter_map(|(_, b)| b.parse::<Decimal>().ok())
        .sum()
}

struct Overview {
    fund: pb::FundResponse,
    book: pb::GetBookResponse,
    loans: pb::ListLoansResponse,
    due_count: usize,
    due_amount: Decimal,
    today: NaiveDate,
}

/// Installments of disbursed loans falling due in `today`'s month.
async fn due_this_month(
    f: &mut pb::fund_service_client::FundServiceClient<crate::auth::client::AuthChannel>,
    fund: &str,
    loans: &pb::ListLoansResponse,
    today: NaiveDate,
) -> Result<(usize, Decimal), tonic::Status> {
    let month = format!("{:04}-{:02}-", today.year(), today.month());
    let (mut count, mut amount) = (0, Decimal::ZERO);
    let open = loans
        .loans
        .iter()
        .filter(|l| l.status == pb::LoanStatus::Disbursed as i32);
    for line in open {
        let request = pb::GetLoanRequest {
            fund_id: fund.to_string(),
            loan_id: line.loan_id.clone(),
        };
        let loan = f
            .get_loan(request)
            .await?
            .into_inner()
            .loan
            .unwrap_or_default();
        for i in loan
            .schedule
            .iter()
            .filter(|i| i.due_date.starts_with(&month))
        {
            count += 1;
            amount += i.payment.parse::<Decimal>().unwrap_or_default();
        }
    }
    Ok((count, amount))
}

async fn read_overview(
    web: &Web,
    user: &SignedIn,
    fund: &str,
    lang: Lang,
) -> Result<Overview, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let mut l = web.backend().ledger(&user.bearer)?;
    let today = business_today();
    let read = async {
        let fund_id = fund.to_string();
        let info = f
            .get_fund(pb::GetFundRequest {
                fund_id: fund_id.clone(),
            })
            .await?
            .into_inner();
        let book = l
            .get_book(pb::GetBookRequest {
                book_id: fund_id.clone(),
            })
            .await?
            .into_inner();
        let loans = f
            .list_loans(pb::ListLoansRequest {
                fund_id,
                as_of: today.to_string(),
            })
            .await?
            .into_inner();
        let (due_count, due_amount) = due_this_month(&mut f, fund, &loans, today).await?;
        Ok::<_, tonic::Status>(Overview {
            fund: info,
            book,
            loans,
            due_count,
            due_amount,
            today,
        })
    };
    read.await.map_err(|s| explain(&s, lang))
}

pub fn card(label: &str, value: String) -> Markup {
    html! {
        div.card {
            div.label { (label) }
            div.value { (value) }
        }
    }
}

fn capital_table(o: &Overview, lang: Lang) -> Markup {
    let rows = [
        (
            "source-fiscal",
            sum_code(
                &o.book,
                code::SEED_CAPITAL,
                Some(crate::domain::chart::FISCAL),
            ),
        ),
        (
            "source-special",
            sum_code(
                &o.book,
                code::SEED_CAPITAL,
                Some(crate::domain::chart::SPECIAL),
            ),
        ),
        ("source-donation", sum_code(&o.book, code::DONATIONS, None)),
        ("own-shares", sum_code(&o.book, code::MEMBER_SHARES, None)),
        (
            "allocated-shares",
            sum_code(&o.book, code::ALLOCATED_SHARES, None),
        ),
    ];
    let total: Decimal = rows.iter().map(|(_, v)| *v).sum();
    html! {
        div.wrap { table {
            @for (label, value) in &rows {
                tr { td { (lang.t(label)) } td.num { (yuan_decimal(*value)) } }
            }
            tr { th { (lang.t("capital-total")) } th.num { (yuan_decimal(total)) } }
        } }
    }
}

fn render_overview(ctx: &Ctx, o: &Overview) -> Markup {
    let lang = ctx.lang;
    let reserves = [
        ("welfare-fund", code::WELFARE_FUND),
        ("accumulation-reserve", code::ACCUMULATION_RESERVE),
        ("risk-reserve", code::RISK_RESERVE),
    ];
    let open = o
        .loans
        .loans
        .iter()
        .filter(|l| l.status == pb::LoanStatus::Disbursed as i32)
        .count();
    let title = lang.t_args("overview-title", &[("fund", o.fund.name.clone().into())]);
    page(
        ctx,
        &title,
        html! {
            p.hint { (lang.t_args("as-of", &[("date", date_of(o.today, lang).into())])) }
            div.cards {
                (card(&lang.t("cash"), yuan(&o.fund.cash)))
                (card(&lang.t("bank"), yuan(&o.fund.bank)))
                (card(&lang.t("portfolio"), yuan(&o.loans.gross_portfolio)))
                (card(&lang.t("par30"), percent(&o.loans.par30)))
                (card(&lang.t("loans-outstanding"), open.to_string()))
                (card(&lang.t("active-members"), o.fund.active_members.to_string()))
            }
            h2 { (lang.t("due-this-month")) }
            p {
                (lang.t_args("due-installments", &[("count", o.due_count.into())])) " "
                strong { (yuan_decimal(o.due_amount)) }
            }
            h2 { (lang.t("capital-by-source")) }
            (capital_table(o, lang))
            h2 { (lang.t("reserves")) }
            div.wrap { table {
                @for (label, c) in reserves {
                    tr { td { (lang.t(label)) } td.num { (yuan_decimal(sum_code(&o.book, c, None))) } }
                }
            } }
        },
    )
}

/// GET `/fund/{fund}`.
pub async fn overview(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
) -> Response {
    let read = read_overview(&web, &user, &fund, ctx.lang).await;
    ctx.shown(read, |o| render_overview(&ctx, o))
}

/// The fund's members' names by member id (ListMembers), for pages that
/// list loans by borrower.
pub async fn member_names(
    f: &mut pb::fund_service_client::FundServiceClient<crate::auth::client::AuthChannel>,
    fund: &str,
) -> Result<std::collections::HashMap<String, String>, tonic::Status> {
    let request = pb::ListMembersRequest {
        fund_id: fund.to_string(),
    };
    let members = f.list_members(request).await?.into_inner().members;
    Ok(members
        .into_iter()
        .filter_map(|m| m.member)
        .map(|m| (m.member_id, m.name))
        .collect())
}

/// A fund's name (GetFund), for pages that list funds by id.
pub async fn fund_name(
    f: &mut pb::fund_service_client::FundServiceClient<crate::auth::client::AuthChannel>,
    fund: &str,
) -> Result<String, tonic::Status> {
    let request = pb::GetFundRequest {
        fund_id: fund.to_string(),
    };
    Ok(f.get_fund(request).await?.into_inner().name)
}

/// The catalog id of a household flag.
pub fn flag_id(flag: i32) -> &'static str {
    use pb::HouseholdFlag as F;
    match F::try_from(flag).unwrap_or(F::Unspecified) {
        F::RegisteredPoor => "flag-registered_poor",
        F::LowIncome => "flag-low_income",
        F::Dibao => "flag-dibao",
        F::Wubao => "flag-wubao",
        F::Monitored => "flag-monitored",
        F::UnstableAfterExit => "flag-unstable_after_exit",
        F::Unspecified => "flag-none",
    }
}

pub fn status_tags(m: &pb::Member, lang: Lang) -> Markup {
    flag_tags(&m.flags, lang)
}

/// A household's flags as tags (建档立卡, 低保…), or "none".
pub fn flag_tags(flags: &[i32], lang: Lang) -> Markup {
    html! {
        @if flags.is_empty() {
            span.tag { (lang.t("flag-none")) }
        }
        @for f in flags {
            span.tag { (lang.t(flag_id(*f))) }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// Whether a member matches the search: by id or name, ignoring case.
fn matches(m: &pb::Member, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    q.is_empty() || m.member_id.to_lowercase().contains(&q) || m.name.to_lowercase().contains(&q)
}

fn render_members(ctx: &Ctx, fund: &str, q: &str, lines: &[&pb::MemberLine]) -> Markup {
    let lang = ctx.lang;
    page(
        ctx,
        &lang.t("members-title"),
        html! {
            form.search method="get" action={ "/fund/" (fund) "/members" } {
                input type="search" name="q" value=(q) placeholder=(lang.t("search")) aria-label=(lang.t("search"));
                button type="submit" { (lang.t("search-button")) }
            }
            p.hint { (lang.t_args("members-count", &[("count", lines.len().into())])) }
            @if lines.is_empty() {
                p.notice { (lang.t("members-none")) }
            } @else {
                div.wrap { table {
                    tr {
                        th { (lang.t("member-id")) } th { (lang.t("member-name")) } th { (lang.t("household")) }
                        th { (lang.t("status")) } th.num { (lang.t("own-shares")) } th.num { (lang.t("allocated-shares")) }
                        th { (lang.t("joined")) }
                    }
                    @for line in lines {
                        @let m = line.member.clone().unwrap_or_default();
                        tr class=[(!m.left.is_empty()).then_some("left")] {
                            td { (m.member_id) }
                            td { a href={ "/fund/" (fund) "/members/" (m.member_id) } { (m.name) } }
                            td { (m.household_id) }
                            td { (status_tags(&m, lang)) @if !m.left.is_empty() { " " (lang.t("left")) } }
                            td.num { (yuan(&line.own_shares)) } td.num { (yuan(&line.allocated_shares)) }
                            td { (date(&m.joined, lang)) }
                        }
                    }
                } }
            }
        },
    )
}

/// GET `/fund/{fund}/members?q=`.
pub async fn members(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(search): Query<Search>,
) -> Response {
    let listed = match web.backend().funds(&user.bearer) {
        Ok(mut f) => f
            .list_members(pb::ListMembersRequest {
                fund_id: fund.clone(),
            })
            .await
            .map(|r| r.into_inner())
            .map_err(|s| explain(&s, ctx.lang)),
        Err(refusal) => Err(refusal),
    };
    match listed {
        Ok(all) => {
            let shown: Vec<_> = all
                .members
                .iter()
                .filter(|l| l.member.as_ref().is_some_and(|m| matches(m, &search.q)))
                .collect();
            ctx.answer(
                StatusCode::OK,
                render_members(&ctx, &fund, &search.q, &shown),
            )
        }
        Err(refusal) => ctx.refused(refusal),
    }
}
