//! The loan application: a form for ApplyLoan with the repayment schedule
//! previewed as it is filled in. The preview is `domain::schedule` itself
//! at the fund's fee rate and day count (GetFund), the function the
//! disbursement runs, so the numbers shown are the numbers booked for a
//! loan disbursed on the application date. A little script
//! (`/assets/huzhu.js`) refreshes the preview as the amount, term, method
//! or date change; without it, the preview button posts the form back.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;
use tonic::Status;

use super::ctx::{Ctx, Signed};
use super::format::{date, percent, yuan_decimal};
use super::grpc::{explain, Refusal};
use super::page::{field, page};
use super::session::{random_id, SignedIn};
use super::state::Web;
use crate::domain::dates::business_today;
use crate::domain::fund::FundRules;
use crate::domain::schedule::{build_in, Installment};
use crate::i18n::Lang;
use crate::ledger::LedgerError;
use crate::pb;
use crate::wire::decode;

/// The methods and purpose categories offered, with their catalog ids.
const METHODS: [(pb::RepaymentMethod, &str); 4] = [
    (
        pb::RepaymentMethod::EqualPrincipal,
        "method-equal_principal",
    ),
    (
        pb::RepaymentMethod::EqualInstallments,
        "method-equal_installments",
    ),
    (pb::RepaymentMethod::FeeMonthly, "method-fee_monthly"),
    (pb::RepaymentMethod::Bullet, "method-bullet"),
];
const CATEGORIES: [(pb::PurposeCategory, &str); 6] = [
    (pb::PurposeCategory::Crops, "purpose-crops"),
    (pb::PurposeCategory::Livestock, "purpose-livestock"),
    (pb::PurposeCategory::Processing, "purpose-processing"),
    (pb::PurposeCategory::Trade, "purpose-trade"),
    (pb::PurposeCategory::Services, "purpose-services"),
    (pb::PurposeCategory::Other, "purpose-other"),
];

/// The application as the form holds it (and as the preview reads it).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Application {
    csrf: String,
    request_id: String,
    /// "preview" posts the form back for its schedule; anything else applies.
    action: String,
    loan_id: String,
    member: String,
    principal: String,
    term_months: String,
    method: String,
    purpose_category: String,
    purpose: String,
    business: String,
    date: String,
}

fn method_of(name: &str) -> i32 {
    pb::RepaymentMethod::from_str_name(name).map_or(0, |m| m as i32)
}

fn category_of(name: &str) -> i32 {
    pb::PurposeCategory::from_str_name(name).map_or(0, |c| c as i32)
}

/// A term typed in months; what is not a whole number is refused as the
/// server refuses a term out of range.
fn term(text: &str) -> Result<u32, Status> {
    let months = text.trim().parse::<u32>().unwrap_or(0);
    decode::term_months(months).map_err(Status::from)
}

impl Application {
    /// The schedule of this application disbursed on its date, under the
    /// fund's rules; a field out of form is refused naming it.
    fn schedule(&self, rules: &FundRules) -> Result<Vec<Installment>, Status> {
        let principal = decode::yuan("principal", self.principal.trim())?;
        let months = term(&self.term_months)?;
        let method = decode::method(method_of(&self.method))?;
        let on = decode::date("date", self.date.trim())?;
        build_in(
            rules.day_count,
            method,
            principal,
            rules.fee_rate_annual,
            months,
            on,
        )
        .map_err(|e| Status::from(LedgerError::invalid("principal", e)))
    }

    fn request(&self) -> Result<pb::ApplyLoanRequest, Status> {
        Ok(pb::ApplyLoanRequest {
            request_id: self.request_id.clone(),
            fund_id: String::new(),
            loan_id: self.loan_id.trim().to_string(),
            member_id: self.member.clone(),
            principal: self.principal.trim().to_string(),
            term_months: term(&self.term_months)?,
            method: method_of(&self.method),
            purpose: self.purpose.trim().to_string(),
            date: self.date.trim().to_string(),
            purpose_category: category_of(&self.purpose_category),
            business: self.business.trim().to_string(),
        })
    }

    /// The form's defaults filled in: today, equal principal, a new
    /// request id, the next free loan id.
    fn filled(mut self, loans: &[pb::LoanLine]) -> Self {
        if self.date.is_empty() {
            self.date = business_today().to_string();
        }
        if self.method.is_empty() {
            self.method = METHODS[0].0.as_str_name().to_string();
        }
        if self.request_id.is_empty() {
            self.request_id = format!("web-{}", random_id());
        }
        if self.loan_id.is_empty() {
            let taken = |id: &str| loans.iter().any(|l| l.loan_id == id);
            let n = (loans.len() + 1..).find(|n| !taken(&format!("L{n}")));
            self.loan_id = format!("L{}", n.unwrap_or(1));
        }
        self
    }
}

/// What the form needs from the server: the fund's rules, its members
/// still in the fund, its loans (for the next free loan id).
struct Fund {
    rules: FundRules,
    members: Vec<pb::Member>,
    loans: Vec<pb::LoanLine>,
}

async fn read_fund(web: &Web, user: &SignedIn, fund: &str, lang: Lang) -> Result<Fund, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let read = async {
        let id = fund.to_string();
        let info = f
            .get_fund(pb::GetFundRequest {
                fund_id: id.clone(),
            })
            .await?
            .into_inner();
        let rules = decode::fund_rules(info.rules.as_ref()).map_err(Status::from)?;
        let members = f
            .list_members(pb::ListMembersRequest {
                fund_id: id.clone(),
            })
            .await?
            .into_inner()
            .members
            .into_iter()
            .filter_map(|l| l.member)
            .filter(|m| m.left.is_empty())
            .collect();
        let request = pb::ListLoansRequest {
            fund_id: id,
            as_of: String::new(),
        };
        let loans = f.list_loans(request).await?.into_inner().loans;
        Ok::<_, Status>(Fund {
            rules,
            members,
            loans,
        })
    };
    read.await.map_err(|s| explain(&s, lang))
}

/// The previewed schedule, or why there is none yet.
fn preview(a: &Application, rules: &FundRules, lang: Lang) -> Markup {
    let schedule = match a.schedule(rules) {
        Ok(s) => s,
        Err(status) => {
            let text = match explain(&status, lang) {
                Refusal::Said(t) => t,
                _ => lang.t("preview-none"),
            };
            return html! { p.hint { (lang.t("preview-none")) " " (text) } };
        }
    };
    let total = |f: fn(&Installment) -> Decimal| schedule.iter().map(f).sum::<Decimal>();
    let rate = percent(&rules.fee_rate_annual.to_string());
    html! {
        p.hint { (lang.t_args("preview-basis", &[("rate", rate.into()), ("date", date(&a.date, lang).into())])) }
        div.wrap { table.schedule {
            tr {
                th { (lang.t("installment")) } th { (lang.t("due-date")) } th.num { (lang.t("principal-part")) }
                th.num { (lang.t("fee-part")) } th.num { (lang.t("payment")) } th.num { (lang.t("outstanding-after")) }
            }
            @for i in &schedule {
                tr {
                    td { (lang.t_args("installment-no", &[("no", i.no.into())])) }
                    td { (super::format::date_of(i.due_date, lang)) }
                    td.num { (yuan_decimal(i.principal)) } td.num { (yuan_decimal(i.fee)) }
                    td.num { strong { (yuan_decimal(i.payment)) } } td.num { (yuan_decimal(i.outstanding_after)) }
                }
            }
            tr.total {
                td { (lang.t("sheet-total")) } td {}
                td.num { (yuan_decimal(total(|i| i.principal))) } td.num { (yuan_decimal(total(|i| i.fee))) }
                td.num { strong { (yuan_decimal(total(|i| i.payment))) } } td {}
            }
        } }
    }
}

fn select<T: Copy>(
    name: &str,
    chosen: &str,
    options: &[(T, &str)],
    value: fn(T) -> &'static str,
    lang: Lang,
) -> Markup {
    html! {
        select name=(name) id=(name) {
            @for (o, label) in options {
                option value=(value(*o)) selected[value(*o) == chosen] { (lang.t(label)) }
            }
        }
    }
}

fn fields(a: &Application, fund: &Fund, lang: Lang) -> Markup {
    html! {
        (field(&lang.t("borrower"), html! {
            select name="member" id="member" required {
                @for m in &fund.members {
                    option value=(m.member_id) selected[m.member_id == a.member] { (m.name) " (" (m.member_id) ")" }
                }
            }
        }))
        (field(&lang.t("loan-id"), html! { input type="text" name="loan_id" value=(a.loan_id) required; }))
        (field(&lang.t("principal"), html! {
            input type="text" inputmode="decimal" name="principal" value=(a.principal) placeholder="1200.00" required;
        }))
        (field(&lang.t("term-label"), html! {
            input type="text" inputmode="numeric" name="term_months" value=(a.term_months) placeholder="12" required;
        }))
        (field(&lang.t("method"), select("method", &a.method, &METHODS, |m| m.as_str_name(), lang)))
        (field(&lang.t("purpose-category"), select("purpose_category", &a.purpose_category, &CATEGORIES, |c| c.as_str_name(), lang)))
        (field(&lang.t("purpose"), html! { input type="text" name="purpose" value=(a.purpose) required; }))
        (field(&lang.t("business"), html! { input type="text" name="business" value=(a.business); }))
        (field(&lang.t("applied-on"), html! { input type="date" name="date" value=(a.date) required; }))
    }
}

fn render(ctx: &Ctx, fund_id: &str, fund: &Fund, a: &Application, refusal: Option<&str>) -> Markup {
    let lang = ctx.lang;
    let action = format!("/fund/{fund_id}/apply");
    page(
        ctx,
        &lang.t("apply-title"),
        html! {
            @if let Some(text) = refusal {
                p.refusal role="alert" { (text) }
            }
            div.apply {
                form.stack method="post" action=(action) data-preview={ (action) "/preview" } {
                    input type="hidden" name="csrf" value=(ctx.session.csrf);
                    input type="hidden" name="request_id" value=(a.request_id);
                    (fields(a, fund, lang))
                    div {
                        button type="submit" name="action" value="apply" { (lang.t("apply-submit")) } " "
                        button.secondary type="submit" name="action" value="preview" formnovalidate { (lang.t("preview-button")) }
                    }
                    p.hint { (lang.t("apply-hint")) }
                }
                section {
                    h2 { (lang.t("preview-title")) }
                    div #preview aria-live="polite" { (preview(a, &fund.rules, lang)) }
                }
            }
            script src="/assets/huzhu.js" defer {}
        },
    )
}

/// What `show` draws from the fund, or the refusal to read it.
async fn with_fund(
    web: &Web,
    ctx: &Ctx,
    user: &SignedIn,
    fund: &str,
    show: impl FnOnce(&Fund) -> Markup,
) -> Response {
    let read = read_fund(web, user, fund, ctx.lang).await;
    ctx.shown(read, |f| show(f))
}

/// GET `/fund/{fund}/apply?member=M`: the empty form, for a member.
pub async fn form(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(a): Query<Application>,
) -> Response {
    with_fund(&web, &ctx, &user, &fund, |f| {
        render(&ctx, &fund, f, &a.filled(&f.loans), None)
    })
    .await
}

/// GET `/fund/{fund}/apply/preview?principal=&term_months=&method=&date=`:
/// the preview alone, for the script.
pub async fn preview_part(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(a): Query<Application>,
) -> Response {
    with_fund(&web, &ctx, &user, &fund, |f| {
        preview(&a, &f.rules, ctx.lang)
    })
    .await
}

/// POST `/fund/{fund}/apply`: the preview posted back, or ApplyLoan with
/// the form's request id (a form submitted twice applies once); to the
/// approval queue when it is taken, the form again with the refusal.
pub async fn submit(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Form(a): Form<Application>,
) -> Response {
    if let Err(halt) = ctx.check_csrf(&a.csrf) {
        return *halt;
    }
    let f = match read_fund(&web, &user, &fund, ctx.lang).await {
        Ok(f) => f,
        Err(refusal) => return ctx.refused(refusal),
    };
    let a = a.filled(&f.loans);
    if a.action == "preview" {
        return ctx.answer(StatusCode::OK, render(&ctx, &fund, &f, &a, None));
    }
    let applied = match (a.request(), web.backend().funds(&user.bearer)) {
        (Ok(mut request), Ok(mut client)) => {
            request.fund_id = fund.clone();
            client
                .apply_loan(request)
                .await
                .map_err(|s| explain(&s, ctx.lang))
        }
        (Err(status), _) => Err(explain(&status, ctx.lang)),
        (_, Err(refusal)) => Err(refusal),
    };
    match applied {
        Ok(_) => ctx.redirect(&format!("/fund/{fund}/approvals?applied={}", a.loan_id)),
        Err(Refusal::Said(text)) => {
            tracing::info!(fund = %fund, loan = %a.loan_id, "web application refused");
            ctx.answer(
                StatusCode::CONFLICT,
                render(&ctx, &fund, &f, &a, Some(&text)),
            )
        }
        Err(other) => ctx.refused(other),
    }
}
