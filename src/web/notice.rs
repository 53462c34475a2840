//! The public notice (账目公示): a printable page for the village
//! noticeboard with what members are entitled to see — the fund's balances
//! at the year's end (or today, in the year running), the year's income and
//! expenses, and every loan outstanding today with its borrower, from the four
//! quarterly reports (ExtractService.GetQuarterlyReport: income without the
//! year-end's closing entries), ListLoans and ListMembers.
use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::ctx::{Ctx, Signed};
use super::format::{date, date_of, yuan_decimal};
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::SignedIn;
use super::state::Web;
use crate::domain::dates::business_today;
use crate::i18n::Lang;
use crate::pb;

/// Amounts by chart code (sub-accounts summed), in code order.
type ByCode = BTreeMap<String, Decimal>;

struct Notice {
    name: String,
    year: i32,
    today: NaiveDate,
    /// The day the balances are at.
    at: String,
    assets: ByCode,
    liabilities: ByCode,
    equity: ByCode,
    income: ByCode,
    expense: ByCode,
    /// Loans outstanding today with their borrower's name.
    loans: Vec<(String, pb::LoanLine)>,
}

fn amount(text: &str) -> Decimal {
    text.parse().unwrap_or_default()
}

/// Adds the lines of `kind` to `into`, by code.
fn add(into: &mut ByCode, lines: &[pb::StatementLine], kind: &str) {
    for l in lines.iter().filter(|l| l.account_type == kind) {
        *into.entry(l.code.clone()).or_default() += amount(&l.amount);
    }
}

impl Notice {
    fn empty(name: String, year: i32, today: NaiveDate) -> Notice {
        Notice {
            name,
            year,
            today,
            at: String::new(),
            assets: ByCode::new(),
            liabilities: ByCode::new(),
            equity: ByCode::new(),
            income: ByCode::new(),
            expense: ByCode::new(),
            loans: Vec::new(),
        }
    }

    /// A quarter's report: its flows join the year's; the last quarter read
    /// gives the balances.
    fn quarter(&mut self, q: pb::QuarterlyReport) {
        add(&mut self.income, &q.income_statement, "income");
        add(&mut self.expense, &q.income_statement, "expense");
        (self.assets, self.liabilities, self.equity) = Default::default();
        add(&mut self.assets, &q.balance_sheet, "asset");
        add(&mut self.liabilities, &q.balance_sheet, "liability");
        add(&mut self.equity, &q.balance_sheet, "equity");
        let result = amount(&q.result_to_date);
        if !result.is_zero() {
            self.equity.insert("result".into(), result);
        }
        self.at = q.to_date.min(self.today.to_string());
    }
}

async fn read(
    web: &Web,
    user: &SignedIn,
    fund: &str,
    year: i32,
    lang: Lang,
) -> Result<Notice, Refusal> {
    let mut f = web.backend().funds(&user.bearer)?;
    let mut x = web.backend().extracts(&user.bearer)?;
    let today = business_today();
    let read = async {
        let name = super::fund::fund_name(&mut f, fund).await?;
        let mut notice = Notice::empty(name, year, today);
        for quarter in 1..=4u32 {
            let starts = NaiveDate::from_ymd_opt(year, quarter * 3 - 2, 1);
            if starts.is_none_or(|d| d > today) {
                break;
            }
            let request = pb::GetQuarterlyReportRequest {
                book_id: fund.into(),
                year: year as u32,
                quarter,
            };
            notice.quarter(x.get_quarterly_report(request).await?.into_inner());
        }
        let names = super::fund::member_names(&mut f, fund).await?;
        // The loan ledger reads each loan as it stands now: the notice
        // lists the loans outstanding today, under today's date.
        let request = pb::ListLoansRequest {
            fund_id: fund.into(),
            as_of: today.to_string(),
        };
        let loans = f.list_loans(request).await?.into_inner().loans;
        notice.loans = loans
            .into_iter()
            .filter(|l| l.status == pb::LoanStatus::Disbursed as i32)
            .filter(|l| amount(&l.outstanding_principal) > Decimal::ZERO)
            .map(|l| (names.get(&l.member_id).cloned().unwrap_or_default(), l))
            .collect();
        Ok::<_, tonic::Status>(notice)
    };
    read.await.map_err(|s| explain(&s, lang))
}

/// A chart account's name on the notice: from the catalog, by code.
fn account(code: &str, lang: Lang) -> String {
    lang.lookup(&format!("account-fund-{code}"), &[])
        .unwrap_or_else(|| code.to_string())
}

fn statement(lang: Lang, title: &str, lines: &ByCode, total_label: &str) -> Markup {
    let total: Decimal = lines.values().sum();
    html! {
        table.statement {
            tr { th colspan="2" { (title) } }
            @for (code, value) in lines {
                tr { td { (account(code, lang)) } td.num { (yuan_decimal(*value)) } }
            }
            tr.total { td { (total_label) } td.num { strong { (yuan_decimal(total)) } } }
        }
    }
}

fn loans_table(lang: Lang, n: &Notice) -> Markup {
    let total: Decimal = n
        .loans
        .iter()
        .map(|(_, l)| amount(&l.outstanding_principal))
        .sum();
    html! {
        table.statement {
            tr {
                th { (lang.t("borrower")) } th { (lang.t("loan-id")) } th.num { (lang.t("principal")) }
                th.num { (lang.t("outstanding")) } th { (lang.t("maturity")) } th { (lang.t("standing")) }
            }
            @for (name, l) in &n.loans {
                tr {
                    td { (name) } td { (l.loan_id) } td.num { (yuan_decimal(amount(&l.principal))) }
                    td.num { (yuan_decimal(amount(&l.outstanding_principal))) } td { (date(&l.maturity, lang)) }
                    td { @if l.days_past_due > 0 {
                        (lang.t_args("overdue-days", &[("days", l.days_past_due.into())]))
                    } @else { (lang.t("on-time")) } }
                }
            }
            tr.total {
                td colspan="3" { (lang.t_args("loans-count", &[("count", n.loans.len().into())])) }
                td.num { strong { (yuan_decimal(total)) } } td colspan="2" {}
            }
        }
    }
}

fn render(ctx: &Ctx, fund: &str, n: &Notice) -> Markup {
    let lang = ctx.lang;
    let title = lang.t_args(
        "notice-title",
        &[
            ("fund", n.name.clone().into()),
            ("year", n.year.to_string().into()),
        ],
    );
    let income: Decimal = n.income.values().sum();
    let expense: Decimal = n.expense.values().sum();
    page(
        ctx,
        &title,
        html! {
            form.inline.noprint method="get" action={ "/fund/" (fund) "/notice" } {
                label { (lang.t("notice-year")) " " input type="number" name="year" value=(n.year) min="2000" max="2100"; }
                " " button type="submit" { (lang.t("collection-show")) }
                " " button type="button" onclick="window.print()" { (lang.t("print")) }
            }
            section.notice-sheet {
                h2 { (lang.t_args("balances-at", &[("date", date(&n.at, lang).into())])) }
                div.columns {
                    (statement(lang, &lang.t("assets"), &n.assets, &lang.t("assets-total")))
                    div {
                        (statement(lang, &lang.t("liabilities"), &n.liabilities, &lang.t("liabilities-total")))
                        (statement(lang, &lang.t("equity"), &n.equity, &lang.t("equity-total")))
                    }
                }
                h2 { (lang.t_args("year-flows", &[("year", n.year.to_string().into())])) }
                div.columns {
                    (statement(lang, &lang.t("income"), &n.income, &lang.t("income-total")))
                    (statement(lang, &lang.t("expense"), &n.expense, &lang.t("expense-total")))
                }
                p.result { (lang.t("net-result")) " " strong { (yuan_decimal(income - expense)) } }
                h2 { (lang.t_args("loans-at", &[("date", date_of(n.today, lang).into())])) }
                (loans_table(lang, n))
                p.hint { (lang.t("notice-footer")) }
                div.signatures {
                    span { (lang.t("sign-chair")) } span { (lang.t("sign-supervisor")) } span { (lang.t("sign-treasurer")) }
                }
                p.hint { (lang.t_args("notice-date", &[("date", date_of(n.today, lang).into())])) }
            }
        },
    )
}

#[derive(Deserialize, Default)]
pub struct Year {
    #[serde(default)]
    year: Option<i32>,
}

/// GET `/fund/{fund}/notice?year=Y` (this year without one).
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Path(fund): Path<String>,
    Query(y): Query<Year>,
) -> Response {
    let year = y.year.unwrap_or_else(|| business_today().year());
    let read = read(&web, &user, &fund, year, ctx.lang).await;
    ctx.shown(read, |n| render(&ctx, &fund, n))
}
