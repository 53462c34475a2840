//! What a request brings to its handler: the session from its cookie, the
//! page's language (`?lang=`, then the language cookie, then Chinese), and
//! the guard every page passes: signed in (else to sign-in). The guards
//! that answer with a page (CSRF, refusals) are in [`super::page`].
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;

use super::session::{cookie, session_cookie, Session, SignedIn, COOKIE, LANG_COOKIE};
use super::state::Web;
use crate::i18n::Lang;

/// A handler's signed-in request: its context and the session's user. A
/// request without a live session is answered with the way to sign in.
pub struct Signed(pub Ctx, pub SignedIn);

impl FromRequestParts<Web> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, web: &Web) -> Result<Self, Response> {
        match Ctx::signed_in(web, &parts.headers, &parts.uri) {
            Ok((ctx, user)) => Ok(Signed(ctx, user)),
            Err(halt) => Err(*halt),
        }
    }
}

/// The answer of a request stopped by a guard (to sign-in, 403).
pub type Halt = Box<Response>;

/// How long the language cookie is kept, in seconds (a year).
const LANG_COOKIE_SECONDS: u64 = 365 * 24 * 60 * 60;

pub struct Ctx {
    pub web: Web,
    pub lang: Lang,
    pub session: Session,
    /// The page's path, for the language switch.
    pub path: String,
    /// Cookies to set with the answer: a new session, a chosen language.
    cookies: Vec<String>,
}

impl Ctx {
    /// The request's session, or when its cookie names none alive a new
    /// one (not signed in) if `open` (the sign-in page), else one not kept.
    pub fn read(web: &Web, headers: &HeaderMap, uri: &Uri, open: bool) -> Ctx {
        let mut cookies = Vec::new();
        let session = match cookie(headers, COOKIE).and_then(|id| web.sessions().get(id)) {
            Some(s) => s,
            None if open => {
                let s = web.sessions().open(None);
                cookies.push(session_cookie(&s.id, web.sessions().absolute()));
                s
            }
            None => Session::detached(),
        };
        let chosen = query_lang(uri);
        if let Some(lang) = chosen {
            cookies.push(format!(
                "{LANG_COOKIE}={}; SameSite=Strict; Path=/; Max-Age={LANG_COOKIE_SECONDS}",
                lang.code()
            ));
        }
        let lang = chosen
            .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::parse))
            .unwrap_or_default();
        Ctx {
            web: web.clone(),
            lang,
            session,
            path: uri.path().to_string(),
            cookies,
        }
    }

    /// The signed-in session; a request without one (no cookie, an unknown,
    /// ended or expired session) is sent to sign in.
    pub fn signed_in(web: &Web, headers: &HeaderMap, uri: &Uri) -> Result<(Ctx, SignedIn), Halt> {
        let ctx = Ctx::read(web, headers, uri, false);
        match ctx.session.user.clone() {
            Some(user) => Ok((ctx, user)),
            None => Err(Box::new(ctx.to_sign_in())),
        }
    }

    /// The answer, with the cookies this request sets.
    pub fn answer(&self, status: StatusCode, body: Markup) -> Response {
        self.with_cookies((status, body).into_response())
    }

    /// A page streamed as it is made (a long run's progress), with the
    /// cookies this request sets.
    pub fn stream(&self, body: axum::body::Body) -> Response {
        let mut response = Response::new(body);
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        self.with_cookies(response)
    }

    pub fn redirect(&self, to: &str) -> Response {
        self.with_cookies(Redirect::to(to).into_response())
    }

    /// To the sign-in page.
    pub fn to_sign_in(&self) -> Response {
        self.with_cookies(Redirect::to("/signin").into_response())
    }

    fn with_cookies(&self, mut response: Response) -> Response {
        for c in &self.cookies {
            set_cookie(&mut response, c);
        }
        response
    }
}

pub fn set_cookie(response: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn query_lang(uri: &Uri) -> Option<Lang> {
    uri.query()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::parse(v))
}
