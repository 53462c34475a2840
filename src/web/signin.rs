//! Signing in and out. The sign-in form takes a token, pasted or its file
//! uploaded; TokenService.WhoAmI checks it, and a new session (under a new
//! id) holds it. Signing out ends the session: its cookie is refused after.
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::html;
use serde::Deserialize;

use super::ctx::{set_cookie, Ctx, Signed};
use super::grpc::{explain, Refusal};
use super::page::{page, pages_of};
use super::session::{cleared_cookie, session_cookie, SignedIn};
use super::state::Web;
use crate::pb;

/// A token longer than this is no token of ours.
const MAX_TOKEN_BYTES: usize = 1024;

/// `/`: the signed-in token's first page, or sign-in.
pub async fn home(State(_web): State<Web>, Signed(ctx, user): Signed) -> Response {
    match pages_of(&user).into_iter().next() {
        Some((_, path)) => ctx.redirect(&path),
        None => {
            let lang = ctx.lang;
            ctx.answer(
                StatusCode::OK,
                page(
                    &ctx,
                    &lang.t("app-name"),
                    html! { p.notice { (lang.t("no-pages")) } },
                ),
            )
        }
    }
}

fn sign_in_page(ctx: &Ctx, status: StatusCode, note: Option<(&str, String)>) -> Response {
    let lang = ctx.lang;
    let body = html! {
        @if let Some((class, text)) = &note {
            p class=(class) role="status" { (text) }
        }
        form.stack method="post" action="/signin" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(ctx.session.csrf);
            label for="token" { (lang.t("token-label")) }
            textarea id="token" name="token" autocomplete="off" spellcheck="false" {}
            p.hint { (lang.t("token-hint")) }
            label for="token_file" { (lang.t("token-file")) }
            input id="token_file" type="file" name="token_file";
            div { button type="submit" { (lang.t("sign-in")) } }
        }
    };
    ctx.answer(status, page(ctx, &lang.t("sign-in-title"), body))
}

/// GET `/signin`; `?out=1` after signing out.
pub async fn form(State(web): State<Web>, headers: HeaderMap, uri: Uri) -> Response {
    let ctx = Ctx::read(&web, &headers, &uri, true);
    let out = uri
        .query()
        .is_some_and(|q| q.split('&').any(|kv| kv == "out=1"));
    let note = out.then(|| ("notice", ctx.lang.t("signed-out")));
    sign_in_page(&ctx, StatusCode::OK, note)
}

/// The sign-in form's fields: the CSRF token, a pasted token, a token file.
async fn read_form(mut multipart: Multipart) -> Option<(String, String)> {
    let (mut csrf, mut token) = (String::new(), String::new());
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.ok()?;
        if bytes.len() > MAX_TOKEN_BYTES {
            return None;
        }
        let text = String::from_utf8_lossy(&bytes).trim().to_string();
        match name.as_str() {
            "csrf" => csrf = text,
            "token" if !text.is_empty() => token = text,
            "token_file" if token.is_empty() => token = text,
            _ => {}
        }
    }
    Some((csrf, token))
}

/// POST `/signin`: WhoAmI with the token; a new session on success.
pub async fn submit(
    State(web): State<Web>,
    headers: HeaderMap,
    uri: Uri,
    multipart: Multipart,
) -> Response {
    let ctx = Ctx::read(&web, &headers, &uri, false);
    let lang = ctx.lang;
    let (csrf, token) = read_form(multipart).await.unwrap_or_default();
    if let Err(halt) = ctx.check_csrf(&csrf) {
        return *halt;
    }
    if token.is_empty() {
        return sign_in_page(
            &ctx,
            StatusCode::BAD_REQUEST,
            Some(("refusal", lang.t("token-missing"))),
        );
    }
    let who = match web.backend().tokens(&token) {
        Ok(mut tokens) => tokens
            .who_am_i(pb::WhoAmIRequest {})
            .await
            .map_err(|s| explain(&s, lang)),
        Err(refusal) => Err(refusal),
    };
    let t = match who.map(|r| r.into_inner().token.unwrap_or_default()) {
        Ok(t) => t,
        Err(Refusal::Said(text)) => {
            return sign_in_page(&ctx, StatusCode::BAD_GATEWAY, Some(("refusal", text)))
        }
        Err(_) => {
            return sign_in_page(
                &ctx,
                StatusCode::UNAUTHORIZED,
                Some(("refusal", lang.t("token-refused"))),
            )
        }
    };
    let user = SignedIn {
        bearer: token,
        token_id: t.token_id,
        role: pb::Role::try_from(t.role).unwrap_or_default(),
        scope: t.scope,
    };
    tracing::info!(token = %user.token_id, role = ?user.role, scope = %user.scope, "web sign-in");
    web.sessions().end(&ctx.session.id);
    let session = web.sessions().open(Some(user));
    let mut r = ctx.redirect("/");
    set_cookie(
        &mut r,
        &session_cookie(&session.id, web.sessions().absolute()),
    );
    r
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// POST `/signout`: the session ends; its cookie is cleared and refused.
pub async fn sign_out(
    State(web): State<Web>,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let ctx = Ctx::read(&web, &headers, &uri, false);
    if let Err(halt) = ctx.check_csrf(&form.csrf) {
        return *halt;
    }
    web.sessions().end(&ctx.session.id);
    let mut r = Redirect::to("/signin?out=1").into_response();
    set_cookie(&mut r, &cleared_cookie());
    r
}
