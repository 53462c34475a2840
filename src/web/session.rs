//! Server-side sessions of the web client, in memory: a random id from the
//! OS in an `HttpOnly; SameSite=Strict` cookie, a CSRF token bound to the
//! session, the bearer token it calls the gRPC services with, and two
//! limits (idle and absolute) after which the session is gone. A visitor
//! who has not signed in has a session too (no token), so the sign-in form
//! carries a CSRF token like every other form; signing in opens a new
//! session under a new id.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::pb;

/// The cookie that carries the session id.
pub const COOKIE: &str = "huzhu_session";
/// The cookie that carries the chosen language.
pub const LANG_COOKIE: &str = "huzhu_lang";
/// A session unused this long is ended.
pub const IDLE_LIMIT: Duration = Duration::from_secs(30 * 60);
/// A session is ended this long after it opened, however busy.
pub const ABSOLUTE_LIMIT: Duration = Duration::from_secs(8 * 60 * 60);
/// Sessions held at once; past it the oldest are dropped, those not signed
/// in first.
pub const MAX_SESSIONS: usize = 10_000;
/// Random bytes in a session id, a CSRF token and a form's request id.
const RANDOM_BYTES: usize = 32;

/// Who signed in: the bearer token and what WhoAmI said of it.
#[derive(Clone)]
pub struct SignedIn {
    pub bearer: String,
    pub token_id: String,
    pub role: pb::Role,
    /// "all", "fund:<id>", "federation:<id>" or "program:<id>".
    pub scope: String,
}

impl SignedIn {
    /// The id after `kind:` in the scope, when the scope is of that kind.
    pub fn scoped(&self, kind: &str) -> Option<&str> {
        self.scope.strip_prefix(kind)?.strip_prefix(':')
    }
}

#[derive(Clone)]
pub struct Session {
    pub id: String,
    pub csrf: String,
    pub user: Option<SignedIn>,
    opened: Instant,
    last_seen: Instant,
}

impl Session {
    /// A session that is not kept: a page's for a visitor without one, whose
    /// forms are refused (only the sign-in page opens a session).
    pub fn detached() -> Session {
        let now = Instant::now();
        Session {
            id: String::new(),
            csrf: random_id(),
            user: None,
            opened: now,
            last_seen: now,
        }
    }

    /// Whether `token` (a form's) is this session's CSRF token, compared in
    /// constant time.
    pub fn csrf_matches(&self, token: &str) -> bool {
        let (a, b) = (self.csrf.as_bytes(), token.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// The sessions of one web server.
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
    idle: Duration,
    absolute: Duration,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions::new(IDLE_LIMIT, ABSOLUTE_LIMIT)
    }
}

impl Sessions {
    pub fn new(idle: Duration, absolute: Duration) -> Self {
        Sessions {
            map: Mutex::new(HashMap::new()),
            idle,
            absolute,
        }
    }

    /// Opens a session (signed in when `user` is given) under a new id.
    pub fn open(&self, user: Option<SignedIn>) -> Session {
        let now = Instant::now();
        let session = Session {
            id: random_id(),
            csrf: random_id(),
            user,
            opened: now,
            last_seen: now,
        };
        let mut map = self.map.lock();
        map.retain(|_, s| self.live(s, now));
        while map.len() >= MAX_SESSIONS {
            // Visitors who have not signed in go first.
            let oldest = map
                .values()
                .min_by_key(|s| (s.user.is_some(), s.last_seen))
                .map(|s| s.id.clone())
                .expect("the map is not empty");
            map.remove(&oldest);
        }
        map.insert(session.id.clone(), session.clone());
        session
    }

    /// The live session of this id, touched; an expired one is ended.
    pub fn get(&self, id: &str) -> Option<Session> {
        let now = Instant::now();
        let mut map = self.map.lock();
        let session = map.get_mut(id)?;
        if !self.live(session, now) {
            map.remove(id);
            return None;
        }
        session.last_seen = now;
        Some(session.clone())
    }

    /// Ends the session: its cookie is refused from now on.
    pub fn end(&self, id: &str) {
        self.map.lock().remove(id);
    }

    /// How long a new session's cookie may live, for its Max-Age.
    pub fn absolute(&self) -> Duration {
        self.absolute
    }

    fn live(&self, s: &Session, now: Instant) -> bool {
        now.duration_since(s.last_seen) < self.idle && now.duration_since(s.opened) < self.absolute
    }
}

/// A random id from the OS: 32 bytes, hex.
pub fn random_id() -> String {
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes).expect("the OS gives random bytes");
    hex::encode(bytes)
}

/// The `Set-Cookie` value of a session.
pub fn session_cookie(id: &str, max_age: Duration) -> String {
    format!(
        "{COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        max_age.as_secs()
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie() -> String {
    format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
}

/// The value of cookie `name` in a request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_lives_until_its_idle_limit() {
        let sessions = Sessions::new(Duration::from_millis(50), Duration::from_secs(60));
        let s = sessions.open(None);
        assert!(sessions.get(&s.id).is_some());
        std::thread::sleep(Duration::from_millis(80));
        assert!(sessions.get(&s.id).is_none(), "idle too long");
        assert!(sessions.get(&s.id).is_none(), "and gone for good");
    }

    #[test]
    fn a_busy_session_still_ends_at_its_absolute_limit() {
        let sessions = Sessions::new(Duration::from_secs(60), Duration::from_millis(80));
        let s = sessions.open(None);
        for _ in 0..3 {
            std::thread::sleep(Duration::from_millis(20));
            assert!(sessions.get(&s.id).is_some());
        }
        std::thread::sleep(Duration::from_millis(40));
        assert!(sessions.get(&s.id).is_none());
    }

    #[test]
    fn ids_are_random_and_csrf_is_compared_exactly() {
        let sessions = Sessions::default();
        let (a, b) = (sessions.open(None), sessions.open(None));
        assert_ne!(a.id, b.id);
        assert_eq!(a.id.len(), 64);
        assert!(a.csrf_matches(&a.csrf.clone()));
        assert!(!a.csrf_matches(&b.csrf));
        assert!(!a.csrf_matches(""));
        sessions.end(&a.id);
        assert!(sessions.get(&a.id).is_none());
    }

    #[test]
    fn the_cookie_is_http_only_and_strict() {
        let c = session_cookie("abc", Duration::from_secs(60));
        assert_eq!(
            c,
            "huzhu_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=60"
        );
        let mut h = axum::http::HeaderMap::new();
        h.insert("cookie", "a=1; huzhu_session=xyz; b=2".parse().unwrap());
        assert_eq!(cookie(&h, COOKIE), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
