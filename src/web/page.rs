//! The page shell every page shares: the header with who is signed in, the
//! navigation of what the token may do, the language switch, sign-out; the
//! message page (refusals, errors) and the guards that answer with it
//! (CSRF, a refused call); the embedded stylesheet and script.
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup, DOCTYPE};

use super::ctx::{set_cookie, Ctx, Halt};
use super::grpc::Refusal;
use super::session::{cleared_cookie, SignedIn};
use super::state::Web;
use crate::i18n::Lang;
use crate::pb::Role;

const STYLESHEET: &str = include_str!("assets/huzhu.css");
const SCRIPT: &str = include_str!("assets/huzhu.js");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", STYLESHEET)
}

pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// The catalog id of a role's name.
pub fn role_name(role: Role, lang: Lang) -> String {
    let id = match role {
        Role::Admin => "role-admin",
        Role::FundClerk => "role-fund_clerk",
        Role::FundTreasurer => "role-fund_treasurer",
        Role::FederationTreasurer => "role-federation_treasurer",
        Role::Bank => "role-bank",
        Role::Regulator | Role::Unspecified => "role-regulator",
    };
    lang.t(id)
}

/// The pages a token may open, as (catalog id of the label, path).
pub fn pages_of(user: &SignedIn) -> Vec<(&'static str, String)> {
    match user.role {
        Role::FundClerk | Role::FundTreasurer => match user.scoped("fund") {
            Some(f) => vec![
                ("nav-overview", format!("/fund/{f}")),
                ("nav-members", format!("/fund/{f}/members")),
                ("nav-loans", format!("/fund/{f}/loans")),
                ("nav-collection", format!("/fund/{f}/collection")),
                ("nav-apply", format!("/fund/{f}/apply")),
                ("nav-approvals", format!("/fund/{f}/approvals")),
                ("nav-disburse", format!("/fund/{f}/disburse")),
                ("nav-day-end", format!("/fund/{f}/day-end")),
                ("nav-year-end", format!("/fund/{f}/year-end")),
                ("nav-notice", format!("/fund/{f}/notice")),
            ],
            None => Vec::new(),
        },
        Role::FederationTreasurer => user
            .scoped("federation")
            .map(|f| {
                vec![
                    ("nav-dashboard", format!("/federation/{f}")),
                    ("nav-trend", format!("/federation/{f}/trend")),
                    ("nav-balancing", format!("/federation/{f}/balancing")),
                    ("nav-relief", format!("/federation/{f}/relief")),
                ]
            })
            .unwrap_or_default(),
        Role::Admin => vec![
            ("nav-books", "/books".to_string()),
            ("nav-extract", "/extract".to_string()),
        ],
        Role::Regulator if user.scope == "all" => vec![
            ("nav-books", "/books".to_string()),
            ("nav-extract", "/extract".to_string()),
        ],
        Role::Regulator => {
            let program = user.scoped("program");
            let program = program.map(|p| ("nav-program", format!("/program/{p}")));
            program
                .into_iter()
                .chain([("nav-extract", "/extract".to_string())])
                .collect()
        }
        Role::Bank => user
            .scoped("program")
            .map(|p| vec![("nav-program", format!("/program/{p}"))])
            .unwrap_or_default(),
        Role::Unspecified => Vec::new(),
    }
}

fn header(ctx: &Ctx) -> Markup {
    let lang = ctx.lang;
    let other = lang.other();
    html! {
        header.top {
            a.brand href="/" { (lang.t("app-name")) }
            @if let Some(user) = &ctx.session.user {
                nav {
                    @for (label, path) in pages_of(user) {
                        a href=(path) class=[(path == ctx.path).then_some("here")] { (lang.t(label)) }
                    }
                }
            }
            div.who {
                a.lang href={ (ctx.path) "?lang=" (other.code()) } hreflang=(other.code()) lang=(other.code()) {
                    (lang.t("switch-lang"))
                }
                @if let Some(user) = &ctx.session.user {
                    span.role {
                        (lang.t_args("signed-in-as", &[
                            ("role", role_name(user.role, lang).into()),
                            ("scope", user.scope.clone().into()),
                        ]))
                    }
                    form.inline method="post" action="/signout" {
                        input type="hidden" name="csrf" value=(ctx.session.csrf);
                        button type="submit" { (lang.t("sign-out")) }
                    }
                }
            }
        }
    }
}

/// A whole page: the shell around `body`.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (ctx.lang.t("app-name")) }
                link rel="stylesheet" href="/assets/huzhu.css";
            }
            body {
                (header(ctx))
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A form's field: its label above its input.
pub fn field(label: &str, input: Markup) -> Markup {
    html! { label { (label) br; (input) } }
}

/// A page that says one thing: a refusal, an error.
pub fn message(ctx: &Ctx, title: &str, text: &str) -> Markup {
    page(
        ctx,
        title,
        html! {
            p.refusal role="alert" { (text) }
            p { a href="/" { (ctx.lang.t("back")) } }
        },
    )
}

pub async fn not_found(State(web): State<Web>, headers: HeaderMap, uri: Uri) -> Response {
    not_found_page(&Ctx::read(&web, &headers, &uri, false))
}

/// The page of a path that names nothing (404).
pub fn not_found_page(ctx: &Ctx) -> Response {
    let lang = ctx.lang;
    ctx.answer(
        StatusCode::NOT_FOUND,
        message(ctx, &lang.t("error-title"), &lang.t("not-found")),
    )
}

/// The guards that answer with a message page.
impl Ctx {
    /// Refuses a form whose CSRF token is not the session's, with 403.
    pub fn check_csrf(&self, token: &str) -> Result<(), Halt> {
        if self.session.csrf_matches(token) {
            return Ok(());
        }
        tracing::warn!(path = %self.path, "web form refused: CSRF token missing or wrong");
        Err(Box::new(self.answer(
            StatusCode::FORBIDDEN,
            message(
                self,
                &self.lang.t("error-title"),
                &self.lang.t("csrf-refused"),
            ),
        )))
    }

    /// What was read, drawn by `render` (200); or the refusal to read it.
    pub fn shown<T>(
        &self,
        read: Result<T, Refusal>,
        render: impl FnOnce(&T) -> Markup,
    ) -> Response {
        match read {
            Ok(v) => self.answer(StatusCode::OK, render(&v)),
            Err(refusal) => self.refused(refusal),
        }
    }

    /// A refused call as a page: signed out (the session ends), forbidden
    /// (403, nothing of the resource), or the refusal's text.
    pub fn refused(&self, refusal: Refusal) -> Response {
        let lang = self.lang;
        match refusal {
            Refusal::SignedOut => {
                self.web.sessions().end(&self.session.id);
                let mut r = Redirect::to("/signin").into_response();
                set_cookie(&mut r, &cleared_cookie());
                r
            }
            Refusal::Forbidden => self.answer(
                StatusCode::FORBIDDEN,
                message(self, &lang.t("error-title"), &lang.t("forbidden")),
            ),
            Refusal::Said(text) => self.answer(
                StatusCode::CONFLICT,
                message(self, &lang.t("refused"), &text),
            ),
        }
    }
}
