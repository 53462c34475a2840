//! The regulator's extract: pick a scope (every book the token may read,
//! or one book) and a period; the server writes the bundle exactly as
//! `huzhu extract` does (`extract::bundle`, over gRPC with the signed-in
//! token), checks it as `huzhu verify-extract` does (`extract::check`), and
//! shows its manifest (the chain head, the files with their rows and
//! SHA-256) and the check's result. The bundle is then downloaded as one ZIP
//! archive, kept for its session only and for a short while
//! ([`super::archives::Archives`]).
use std::io::Write;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::{Datelike, NaiveDate};
use maud::{html, Markup};
use serde::Deserialize;

use super::ctx::{Ctx, Signed};
use super::format::date_of;
use super::grpc::{explain, Refusal};
use super::page::page;
use super::session::SignedIn;
use super::state::Web;
use crate::domain::dates::{business_today, parse_date};
use crate::extract::bundle::{self, Manifest};
use crate::extract::check::{self, Report};
use crate::pb;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Asked {
    csrf: String,
    /// A book id; empty for every book the token may read.
    book: String,
    from: String,
    to: String,
}

impl Asked {
    /// The period asked, by default from January 1 to today.
    fn period(&self) -> (NaiveDate, NaiveDate) {
        let today = business_today();
        let january = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let from = parse_date(self.from.trim()).unwrap_or(january);
        (from, parse_date(self.to.trim()).unwrap_or(today))
    }
}

async fn books(web: &Web, user: &SignedIn, ctx: &Ctx) -> Result<Vec<pb::Book>, Refusal> {
    let mut l = web.backend().ledger(&user.bearer)?;
    let listed = l.list_books(pb::ListBooksRequest {}).await;
    listed
        .map(|r| r.into_inner().books)
        .map_err(|s| explain(&s, ctx.lang))
}

fn form(ctx: &Ctx, books: &[pb::Book], asked: &Asked) -> Markup {
    let lang = ctx.lang;
    let (from, to) = asked.period();
    html! {
        form.stack method="post" action="/extract" {
            input type="hidden" name="csrf" value=(ctx.session.csrf);
            label { (lang.t("extract-scope")) br;
                select name="book" {
                    option value="" { (lang.t("extract-every-book")) }
                    @for b in books {
                        option value=(b.book_id) selected[b.book_id == asked.book] { (b.name) " (" (b.book_id) ")" }
                    }
                }
            }
            label { (lang.t("extract-from")) br; input type="date" name="from" value=(from); }
            label { (lang.t("extract-to")) br; input type="date" name="to" value=(to); }
            div { button type="submit" { (lang.t("extract-make")) } }
            p.hint { (lang.t("extract-hint")) }
        }
    }
}

/// GET `/extract?book=&from=&to=`.
pub async fn show(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Query(asked): Query<Asked>,
) -> Response {
    match books(&web, &user, &ctx).await {
        Ok(list) => {
            let body = form(&ctx, &list, &asked);
            ctx.answer(
                StatusCode::OK,
                page(&ctx, &ctx.lang.t("extract-title"), body),
            )
        }
        Err(refusal) => ctx.refused(refusal),
    }
}

/// The bundle's files packed into one ZIP archive, in the manifest's order.
fn zip_dir(dir: &std::path::Path, manifest: &Manifest) -> std::io::Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let names = manifest.files.iter().map(|f| f.name.as_str());
    for name in names.chain([crate::extract::files::MANIFEST]) {
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(&std::fs::read(dir.join(name))?)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// The bundle written, checked and packed: its manifest, the check's report
/// and the archive.
async fn make(
    channel: crate::auth::client::AuthChannel,
    asked: &Asked,
) -> Result<(Manifest, Report, Vec<u8>), String> {
    let (from, to) = asked.period();
    let request = bundle::Request {
        from,
        to,
        books: [asked.book.trim()]
            .into_iter()
            .filter(|b| !b.is_empty())
            .map(String::from)
            .collect(),
        federations: Vec::new(),
        beancount: false,
    };
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let manifest = bundle::write(channel, &request, dir.path(), &mut |_, _| {}).await?;
    let report = check::check(dir.path())?;
    let zip = zip_dir(dir.path(), &manifest).map_err(|e| e.to_string())?;
    Ok((manifest, report, zip))
}

fn result(ctx: &Ctx, m: &Manifest, report: &Report, link: &str, size: usize) -> Markup {
    let lang = ctx.lang;
    let scope = if m.spec.books.is_empty() {
        lang.t("extract-every-book")
    } else {
        m.spec.books.join("、")
    };
    html! {
        @if report.ok() {
            p.notice role="status" { (lang.t_args("extract-verified", &[("links", report.links.into())])) }
        } @else {
            div.refusal role="alert" {
                (lang.t("extract-problems"))
                ul { @for p in &report.problems { li { (p) } } }
            }
        }
        p { a.button href=(link) download { (lang.t_args("extract-download", &[("kb", size.div_ceil(1024).into())])) } }
        div.wrap { table.facts {
            tr { th { (lang.t("extract-scope")) } td { (scope) } }
            tr { th { (lang.t("extract-period")) } td { (date_of(m.spec.from, lang)) " — " (date_of(m.spec.to, lang)) } }
            tr { th { (lang.t("extract-entries")) } td { (m.entries) } }
            tr { th { (lang.t("extract-head")) } td { (m.spec.head_seq) br; small.hash { (m.spec.head_hash) } } }
        } }
        h2 { (lang.t("extract-files")) }
        div.wrap { table {
            tr { th { (lang.t("extract-file")) } th.num { (lang.t("extract-rows")) } th { "SHA-256" } }
            @for f in &m.files {
                tr { td { (f.name) } td.num { (f.rows) } td { small.hash { (f.sha256) } } }
            }
        } }
    }
}

/// POST `/extract`: the bundle made, checked and kept for download.
pub async fn submit(
    State(web): State<Web>,
    Signed(ctx, user): Signed,
    Form(asked): Form<Asked>,
) -> Response {
    if let Err(halt) = ctx.check_csrf(&asked.csrf) {
        return *halt;
    }
    let list = match books(&web, &user, &ctx).await {
        Ok(list) => list,
        Err(refusal) => return ctx.refused(refusal),
    };
    let channel = match web.backend().channel(&user.bearer) {
        Ok(channel) => channel,
        Err(refusal) => return ctx.refused(refusal),
    };
    let lang = ctx.lang;
    let (status, shown) = match make(channel, &asked).await {
        Ok((manifest, report, zip)) => {
            let (from, to) = asked.period();
            let size = zip.len();
            let id = web.archives().keep(
                &ctx.session.id,
                format!("huzhu-extract-{from}-{to}.zip"),
                zip,
            );
            (
                StatusCode::OK,
                result(
                    &ctx,
                    &manifest,
                    &report,
                    &format!("/extract/{id}.zip"),
                    size,
                ),
            )
        }
        Err(text) => {
            tracing::info!(error = %text, "web extract refused");
            (
                StatusCode::CONFLICT,
                html! { p.refusal role="alert" { (lang.t("extract-failed")) " " (text) } },
            )
        }
    };
    let body = html! { (shown) h2 { (lang.t("extract-again")) } (form(&ctx, &list, &asked)) };
    ctx.answer(status, page(&ctx, &lang.t("extract-title"), body))
}

/// GET `/extract/{id}.zip`: the archive, to this session only.
pub async fn download(
    State(web): State<Web>,
    Signed(ctx, _): Signed,
    Path(file): Path<String>,
) -> Response {
    let id = file.strip_suffix(".zip").unwrap_or(&file);
    match web.archives().take(&ctx.session.id, id) {
        Some((name, zip)) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            zip,
        )
            .into_response(),
        None => super::page::not_found_page(&ctx),
    }
}
