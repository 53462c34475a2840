//! A member's page: who the member is (household, status and its history,
//! guarantee group), the shares held, the next installment due and every
//! loan of the member with where it stands (FundService.GetMember), with
//! the way to apply for a loan for the member.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{html, Markup};

use super::ctx::{Ctx, Signed};
use super::format::{date, yuan, MISSING};
use super::fund::{flag_id, status_tags};
use super::grpc::explain;
use super::ledger::bucket_name;
use super::page::page;
use super::state::Web;
use crate::i18n::Lang;
use crate::pb;

/// The catalog id of a loan's status.
pub fn loan_status_id(status: i32) -> &'static str {
    use pb::LoanStatus as S;
    match S::try_from(status).unwrap_or(S::Unspecified) {
        S::Applied => "loan-status-applied",
        S::Approved => "loan-status-approved",
        S::Disbursed => "loan-status-disbursed",
        S::Closed => "loan-status-closed",
        S::WrittenOff => "loan-status-written_off",
        S::Rescheduled => "loan-status-rescheduled",
        S::Unspecified => "loan-status-unknown",
    }
}

fn facts(r: &pb::MemberResponse, m: &pb::Member, lang: Lang) -> Markup {
    let group = if r.guarantee_group.is_empty() {
        lang.t("no-group")
    } else {
        lang.t_args("group-name", &[("group", r.guarantee_group.clone().into())])
    };
    html! {
        div.wrap { table.facts {
            tr { th { (lang.t("member-id")) } td { (m.member_id) } }
            tr { th { (lang.t("household")) } td { (m.household_id) } }
            tr { th { (lang.t("status")) } td { (status_tags(m, lang)) } }
            tr { th { (lang.t("birth-date")) } td { (date(&m.birth_date, lang)) } }
            tr { th { (lang.t("joined")) } td { (date(&m.joined, lang)) } }
            @if !m.left.is_empty() {
                tr { th { (lang.t("left")) } td { (date(&m.left, lang)) } }
            }
            tr { th { (lang.t("guarantee-group")) } td { (group) } }
        } }
    }
}

fn history(m: &pb::Member, lang: Lang) -> Markup {
    html! {
        h2 { (lang.t("status-history")) }
        div.wrap { table {
            tr { th { (lang.t("date-label")) } th { (lang.t("status")) } th { (lang.t("risk-cause")) } }
            @for c in &m.status_history {
                tr {
                    td { (date(&c.date, lang)) }
                    td {
                        @if c.flags.is_empty() { span.tag { (lang.t("flag-none")) } }
                        @for f in &c.flags { span.tag { (lang.t(flag_id(*f))) } }
                    }
                    td.name { (if c.risk_cause.is_empty() { MISSING } else { &c.risk_cause }) }
                }
            }
        } }
    }
}

fn loans(lines: &[pb::LoanLine], lang: Lang) -> Markup {
    html! {
        h2 { (lang.t("member-loans")) }
        @if lines.is_empty() {
            p.notice { (lang.t("member-no-loans")) }
        } @else {
            div.wrap { table {
                tr {
                    th { (lang.t("loan-id")) } th { (lang.t("loan-status")) } th.num { (lang.t("principal")) }
                    th.num { (lang.t("outstanding")) } th { (lang.t("bucket")) }
                    th { (lang.t("disbursed-on")) } th { (lang.t("maturity")) }
                }
                @for l in lines {
                    tr class=[(l.days_past_due > 0).then_some("alert")] {
                        td { (l.loan_id) } td { (lang.t(loan_status_id(l.status))) }
                        td.num { (yuan(&l.principal)) } td.num { (yuan(&l.outstanding_principal)) }
                        td { @if l.status == pb::LoanStatus::Disbursed as i32 { (bucket_name(&l.bucket, lang)) } @else { (MISSING) } }
                        td { (date(&l.disbursed_on, lang)) } td { (date(&l.maturity, lang)) }
                    }
                }
            } }
        }
    }
}

fn render(ctx: &Ctx, fund: &str, r: &pb::MemberResponse) -> Markup {
    let lang = ctx.lang;
    let m = r.member.clone().unwrap_or_default();
    let title = lang.t_args("member-title", &[("name", m.name.clone().into())]);
    page(
        ctx,
        &title,
        html! {
            div.cards {
                (super::fund::card(&lang.t("own-shares"), yuan(&r.own_shares)))
                (super::fund::card(&lang.t("allocated-shares"), yuan(&r.allocated_shares)))
                @if r.next_due_date.is_empty() {
                    (super::fund::card(&lang.t("next-due"), MISSING.to_string()))
                } @else {
                    (super::fund::card(
                        &format!("{}（{}）", lang.t("next-due"), date(&r.next_due_date, lang)),
                        yuan(&r.next_due_amount),
                    ))
                }
            }
            @if m.left.is_empty() {
                p { a.button href={ "/fund/" (fund) "/apply?member=" (m.member_id) } { (lang.t("apply-for-member")) } }
            }
            (facts(r, &m, lang))
            (loans(&r.loans, lang))
            (history(&m, lang))
        },
    )
}

/// GET `/fund/{fund}/members/{member}`.
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path((fund, member)): Path<(String, String)>,
) -> Response {
    let read = match web.backend().funds(&user.bearer) {
        Ok(mut f) => f
            .get_member(pb::GetMemberRequest {
                fund_id: fund.clone(),
                member_id: member,
            })
            .await
            .map(|r| r.into_inner())
            .map_err(|s| explain(&s, ctx.lang)),
        Err(refusal) => Err(refusal),
    };
    match read {
        Ok(r) => ctx.answer(StatusCode::OK, render(&ctx, &fund, &r)),
        Err(refusal) => ctx.refused(refusal),
    }
}
