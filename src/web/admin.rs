//! The administrator's index of books (ListBooks), each linked to its page
//! where one exists: a fund's overview, a federation's dashboard.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

use super::ctx::Signed;
use super::format::date;
use super::grpc::explain;
use super::page::page;
use super::state::Web;
use crate::pb::{self, BookKind};

/// GET `/books`.
pub async fn books(State(web): State<Web>, Signed(ctx, user): Signed) -> Response {
    let lang = ctx.lang;
    let listed = match web.backend().ledger(&user.bearer) {
        Ok(mut l) => l
            .list_books(pb::ListBooksRequest {})
            .await
            .map_err(|s| explain(&s, lang)),
        Err(refusal) => Err(refusal),
    };
    let books = match listed {
        Ok(r) => r.into_inner().books,
        Err(refusal) => return ctx.refused(refusal),
    };
    let body = html! {
        div.wrap { table {
            tr {
                th { (lang.t("book-id")) } th { (lang.t("book-name")) } th { (lang.t("book-kind")) }
                th { (lang.t("closed-through")) }
            }
            @for b in &books {
                @let kind = BookKind::try_from(b.kind).unwrap_or(BookKind::Unspecified);
                @let link = match kind {
                    BookKind::Fund => Some(format!("/fund/{}", b.book_id)),
                    BookKind::Federation => Some(format!("/federation/{}", b.book_id)),
                    _ => None,
                };
                tr {
                    td { @if let Some(href) = &link { a href=(href) { (b.book_id) } } @else { (b.book_id) } }
                    td { (b.name) }
                    td { (lang.t(match kind {
                        BookKind::Fund => "kind-fund",
                        BookKind::Federation => "kind-federation",
                        _ => "kind-program",
                    })) }
                    td { (date(&b.closed_through, lang)) }
                }
            }
        } }
    };
    ctx.answer(StatusCode::OK, page(&ctx, &lang.t("books-title"), body))
}
