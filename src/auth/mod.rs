//! Who may call, and what: roles, scopes, bearer tokens and the one policy
//! that decides every call. Pure but for [`write_token_file`]: the server's gate
//! (`api::access`) authenticates a token against its stored record and asks
//! [`permits`] with the resource the handler names; the client side is
//! [`client`].
//!
//! A bearer token is `<token id>.<secret>`. The store keeps only the SHA-256
//! of the secret, so a copy of the store cannot be used to call the server.
pub mod client;

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::pb;

/// The name of the admin token file `serve` writes into the data directory.
pub const ADMIN_TOKEN_FILE: &str = "admin.token";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    FundClerk,
    FundTreasurer,
    FederationTreasurer,
    Bank,
    Regulator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::FundClerk => "fund_clerk",
            Role::FundTreasurer => "fund_treasurer",
            Role::FederationTreasurer => "federation_treasurer",
            Role::Bank => "bank",
            Role::Regulator => "regulator",
        }
    }

    pub fn from_pb(role: i32) -> Option<Role> {
        Some(match pb::Role::try_from(role).ok()? {
            pb::Role::Admin => Role::Admin,
            pb::Role::FundClerk => Role::FundClerk,
            pb::Role::FundTreasurer => Role::FundTreasurer,
            pb::Role::FederationTreasurer => Role::FederationTreasurer,
            pb::Role::Bank => Role::Bank,
            pb::Role::Regulator => Role::Regulator,
            pb::Role::Unspecified => return None,
        })
    }

    pub fn to_pb(self) -> pb::Role {
        match self {
            Role::Admin => pb::Role::Admin,
            Role::FundClerk => pb::Role::FundClerk,
            Role::FundTreasurer => pb::Role::FundTreasurer,
            Role::FederationTreasurer => pb::Role::FederationTreasurer,
            Role::Bank => pb::Role::Bank,
            Role::Regulator => pb::Role::Regulator,
        }
    }

    /// The scopes a token of this role may have, as the rule says it.
    fn scope_rule(self) -> &'static str {
        match self {
            Role::Admin => "must be all",
            Role::FundClerk | Role::FundTreasurer => "must be fund:<fund id>",
            Role::FederationTreasurer => "must be federation:<federation id>",
            Role::Bank => "must be program:<program id>",
            Role::Regulator => "must be all, federation:<id> or program:<id>",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a token reaches: everything, one fund, one federation (with its
/// member funds for reading) or one program.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    All,
    Fund(String),
    Federation(String),
    Program(String),
}

impl Scope {
    /// Parses "all", "fund:<id>", "federation:<id>" or "program:<id>".
    pub fn parse(s: &str) -> Option<Scope> {
        if s == "all" {
            return Some(Scope::All);
        }
        let (kind, id) = s.split_once(':')?;
        let id_ok = !id.is_empty()
            && id.len() <= 40
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !id_ok {
            return None;
        }
        let id = id.to_string();
        match kind {
            "fund" => Some(Scope::Fund(id)),
            "federation" => Some(Scope::Federation(id)),
            "program" => Some(Scope::Program(id)),
            _ => None,
        }
    }

    /// Whether a token of `role` may have this scope; the rule when it may not.
    pub fn check_for(&self, role: Role) -> Result<(), &'static str> {
        let fits = matches!(
            (role, self),
            (Role::Admin, Scope::All)
                | (Role::FundClerk | Role::FundTreasurer, Scope::Fund(_))
                | (Role::FederationTreasurer, Scope::Federation(_))
                | (Role::Bank, Scope::Program(_))
                | (
                    Role::Regulator,
                    Scope::All | Scope::Federation(_) | Scope::Program(_)
                )
        );
        if fits {
            Ok(())
        } else {
            Err(role.scope_rule())
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::All => f.write_str("all"),
            Scope::Fund(id) => write!(f, "fund:{id}"),
            Scope::Federation(id) => write!(f, "federation:{id}"),
            Scope::Program(id) => write!(f, "program:{id}"),
        }
    }
}

/// A token as stored under `token/{id}`: never the secret, only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub token_id: String,
    pub role: Role,
    pub scope: String,
    pub label: String,
    /// Hex SHA-256 of the secret.
    pub secret_sha256: String,
    pub issued_at: String,
    pub issued_by: String,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
}

impl TokenRecord {
    /// The caller this token makes, if its stored scope still parses.
    pub fn caller(&self) -> Option<Caller> {
        Some(Caller {
            token_id: self.token_id.clone(),
            role: self.role,
            scope: Scope::parse(&self.scope)?,
        })
    }

    /// Whether `secret` is this token's, compared in constant time.
    pub fn matches(&self, secret: &str) -> bool {
        let given = secret_hash(secret);
        given.len() == self.secret_sha256.len()
            && given
                .bytes()
                .zip(self.secret_sha256.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    pub fn to_pb(&self) -> pb::Token {
        pb::Token {
            token_id: self.token_id.clone(),
            role: self.role.to_pb() as i32,
            scope: self.scope.clone(),
            label: self.label.clone(),
            issued_at: self.issued_at.clone(),
            issued_by: self.issued_by.clone(),
            revoked_at: self.revoked_at.clone().unwrap_or_default(),
            revoked_by: self.revoked_by.clone().unwrap_or_default(),
            actor: actor(&self.token_id, self.role),
        }
    }
}

/// What entries and records name as their actor: "<token id>/<role>".
pub fn actor(token_id: &str, role: Role) -> String {
    format!("{token_id}/{role}")
}

/// The authenticated caller of one request, put in its extensions by the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub token_id: String,
    pub role: Role,
    pub scope: Scope,
}

impl Caller {
    pub fn actor(&self) -> String {
        actor(&self.token_id, self.role)
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "token {} ({}, scope {})",
            self.token_id, self.role, self.scope
        )
    }
}

/// Random bytes of a token id: 12 hex characters after `tk-`.
const TOKEN_ID_BYTES: usize = 6;

/// A fresh token id, `tk-` and 12 hex characters from the operating
/// system's random source: no two stores share their first admin's id, so a
/// token taken to another store is unknown there.
pub fn new_token_id() -> std::io::Result<String> {
    let mut buf = [0u8; TOKEN_ID_BYTES];
    getrandom::fill(&mut buf).map_err(std::io::Error::other)?;
    Ok(format!("tk-{}", hex::encode(buf)))
}

/// The id a token issued before ids were random has: derived from its
/// request id, so a retry of such a request still finds its token.
pub fn derived_token_id(request_id: &str) -> String {
    let h = Sha256::digest(format!("huzhu token {request_id}").as_bytes());
    format!("tk-{}", &hex::encode(h)[..12])
}

/// A fresh secret: 32 bytes from the operating system, in hex.
pub fn new_secret() -> std::io::Result<String> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(std::io::Error::other)?;
    Ok(hex::encode(buf))
}

pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Splits a bearer token into its id and secret.
pub fn split_bearer(token: &str) -> Option<(&str, &str)> {
    let (id, secret) = token.split_once('.')?;
    (id.starts_with("tk-") && id.len() <= 40 && secret.len() == 64).then_some((id, secret))
}

/// What a call does to its resource; each RPC names one (or several, any of
/// which allows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Read the resource: every role whose scope covers it.
    Read,
    /// A fund's daily work: its clerk or treasurer.
    FundDaily,
    /// A fund treasurer's work: approvals, disbursements, refunds, year-end.
    FundTreasurer,
    /// The federation treasurer's work: balancing and the relief pool.
    Federation,
    /// Keep a book: close its periods (the treasurer of the fund or
    /// federation the book belongs to).
    Keep,
    /// The bank's work on its program's guaranteed loans and subsidy claims.
    Bank,
    /// Administration: creating funds, federations, programs, raw postings, tokens.
    Admin,
    /// Walk the whole chain: admin and regulators of every book.
    Verify,
    /// Anything a valid token may do (the chain head, who am I).
    Any,
}

impl Act {
    pub fn describe(self) -> &'static str {
        match self {
            Act::Read => "reading",
            Act::FundDaily => "a fund clerk's work",
            Act::FundTreasurer => "a fund treasurer's work",
            Act::Federation => "a federation treasurer's work",
            Act::Keep => "closing the book's periods",
            Act::Bank => "the program bank's work",
            Act::Admin => "administration",
            Act::Verify => "verifying the whole chain",
            Act::Any => "any call",
        }
    }
}

/// What a call names as the thing it touches, before the server resolves
/// it from the store.
#[derive(Debug, Clone, Copy)]
pub enum On<'a> {
    Store,
    Fund(&'a str),
    Federation(&'a str),
    Program(&'a str),
    /// A book by id: a fund's, a federation's or a program's, by its kind.
    Book(&'a str),
}

/// What a call needs to be allowed.
#[derive(Debug, Clone)]
pub enum Needs<'a> {
    /// Any one of these (a fund's own treasurer, or its federation's).
    Any(Vec<(Act, On<'a>)>),
    /// Every one of these (an extract of several books).
    All(Vec<(Act, On<'a>)>),
}

impl<'a> Needs<'a> {
    /// One act on one resource.
    pub fn one(act: Act, on: On<'a>) -> Self {
        Needs::Any(vec![(act, on)])
    }
}

/// The resource a call touches, resolved by the server from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// The whole store (extracts of every book, the chain).
    Store,
    /// A fund, with the federation it belongs to now.
    Fund {
        id: String,
        federation: Option<String>,
    },
    Federation(String),
    Program(String),
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Store => f.write_str("every book"),
            Resource::Fund { id, .. } => write!(f, "fund {id}"),
            Resource::Federation(id) => write!(f, "federation {id}"),
            Resource::Program(id) => write!(f, "program {id}"),
        }
    }
}

/// The policy: may `caller` do `act` on `resource`? Admin may do everything;
/// the others only within their role and scope.
pub fn permits(caller: &Caller, act: Act, resource: &Resource) -> bool {
    use Resource as R;
    use Role::*;
    if caller.role == Admin || act == Act::Any {
        return true;
    }
    let own_fund = |f: &str| matches!(&caller.scope, Scope::Fund(s) if s == f);
    let own_federation = |f: &str| matches!(&caller.scope, Scope::Federation(s) if s == f);
    let own_program = |p: &str| matches!(&caller.scope, Scope::Program(s) if s == p);
    match (act, caller.role, resource) {
        (Act::Read, Regulator, _) if caller.scope == Scope::All => true,
        (Act::Read, FundClerk | FundTreasurer, R::Fund { id, .. }) => own_fund(id),
        (Act::Read, FederationTreasurer | Regulator, R::Federation(id)) => own_federation(id),
        (
            Act::Read,
            FederationTreasurer | Regulator,
            R::Fund {
                federation: Some(f),
                ..
            },
        ) => own_federation(f),
        (Act::Read, Bank | Regulator, R::Program(id)) => own_program(id),
        (Act::FundDaily, FundClerk | FundTreasurer, R::Fund { id, .. }) => own_fund(id),
        (Act::FundTreasurer | Act::Keep, FundTreasurer, R::Fund { id, .. }) => own_fund(id),
        (Act::Federation | Act::Keep, FederationTreasurer, R::Federation(id)) => own_federation(id),
        (Act::Bank, Bank, R::Program(id)) => own_program(id),
        // The walk's report names accounts of every book.
        (Act::Verify, Regulator, _) => caller.scope == Scope::All,
        _ => false,
    }
}

/// Writes a token file only its owner can read (0600), durably: a temporary
/// file of its own (created 0600) in the same directory, synced, renamed over
/// `path`.
pub fn write_token_file(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut f = tempfile::Builder::new()
        .prefix(".token-")
        .tempfile_in(dir)?;
    f.write_all(text.as_bytes())?;
    f.as_file().sync_all()?;
    f.persist(path).map_err(|e| e.error)?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, scope: &str) -> Caller {
        Caller {
            token_id: "tk-test".into(),
            role,
            scope: Scope::parse(scope).unwrap(),
        }
    }

    fn fund(id: &str, fed: Option<&str>) -> Resource {
        Resource::Fund {
            id: id.into(),
            federation: fed.map(Into::into),
        }
    }

    #[test]
    fn a_clerk_works_in_its_own_fund_only() {
        let c = caller(Role::FundClerk, "fund:dongcun");
        assert!(permits(&c, Act::FundDaily, &fund("dongcun", None)));
        assert!(permits(&c, Act::Read, &fund("dongcun", Some("zhuyang"))));
        assert!(!permits(&c, Act::FundDaily, &fund("xicun", None)));
        assert!(!permits(&c, Act::FundTreasurer, &fund("dongcun", None)));
        assert!(!permits(&c, Act::Keep, &fund("dongcun", None)));
        assert!(!permits(&c, Act::Verify, &Resource::Store));
    }

    #[test]
    fn a_federation_reads_its_member_funds_but_does_not_work_in_them() {
        let c = caller(Role::FederationTreasurer, "federation:zhuyang");
        assert!(permits(&c, Act::Read, &fund("dongcun", Some("zhuyang"))));
        assert!(!permits(&c, Act::Read, &fund("dongcun", Some("other"))));
        assert!(!permits(&c, Act::Read, &fund("dongcun", None)));
        assert!(!permits(
            &c,
            Act::FundDaily,
            &fund("dongcun", Some("zhuyang"))
        ));
        assert!(permits(
            &c,
            Act::Federation,
            &Resource::Federation("zhuyang".into())
        ));
        assert!(!permits(
            &c,
            Act::Federation,
            &Resource::Federation("other".into())
        ));
    }

    #[test]
    fn a_regulator_only_reads_within_its_scope() {
        let all = caller(Role::Regulator, "all");
        let fed = caller(Role::Regulator, "federation:zhuyang");
        let prog = caller(Role::Regulator, "program:p1");
        for act in [
            Act::FundDaily,
            Act::FundTreasurer,
            Act::Federation,
            Act::Bank,
            Act::Keep,
        ] {
            assert!(!permits(&all, act, &fund("dongcun", None)), "{act:?}");
            assert!(!permits(&all, act, &Resource::Program("p1".into())));
        }
        assert!(permits(&all, Act::Read, &Resource::Store));
        assert!(!permits(&fed, Act::Read, &Resource::Store));
        assert!(permits(&fed, Act::Read, &fund("dongcun", Some("zhuyang"))));
        assert!(!permits(&fed, Act::Read, &Resource::Program("p1".into())));
        assert!(permits(&prog, Act::Read, &Resource::Program("p1".into())));
        assert!(!permits(&prog, Act::Read, &Resource::Program("p2".into())));
        assert!(!permits(&prog, Act::Verify, &Resource::Store));
        assert!(permits(&all, Act::Verify, &Resource::Store));
    }

    #[test]
    fn a_bank_works_on_its_program_only() {
        let c = caller(Role::Bank, "program:p1");
        assert!(permits(&c, Act::Bank, &Resource::Program("p1".into())));
        assert!(!permits(&c, Act::Bank, &Resource::Program("p2".into())));
        assert!(!permits(&c, Act::Admin, &Resource::Program("p1".into())));
        assert!(!permits(&c, Act::Read, &fund("dongcun", None)));
    }

    #[test]
    fn scopes_fit_roles() {
        assert!(Scope::parse("fund:dongcun")
            .unwrap()
            .check_for(Role::FundClerk)
            .is_ok());
        assert!(Scope::parse("all")
            .unwrap()
            .check_for(Role::FundClerk)
            .is_err());
        assert!(Scope::parse("program:p")
            .unwrap()
            .check_for(Role::Regulator)
            .is_ok());
        assert!(Scope::parse("fund:x")
            .unwrap()
            .check_for(Role::Regulator)
            .is_err());
        assert!(Scope::parse("fund:X").is_none());
        assert!(Scope::parse("village:x").is_none());
        assert_eq!(
            Scope::parse("federation:z").unwrap().to_string(),
            "federation:z"
        );
    }

    #[test]
    fn secrets_are_checked_by_their_hash() {
        let secret = new_secret().unwrap();
        let record = TokenRecord {
            token_id: new_token_id().unwrap(),
            role: Role::Bank,
            scope: "program:p1".into(),
            label: String::new(),
            secret_sha256: secret_hash(&secret),
            issued_at: String::new(),
            issued_by: String::new(),
            revoked_at: None,
            revoked_by: None,
        };
        assert!(record.matches(&secret));
        assert!(!record.matches(&new_secret().unwrap()));
        assert_eq!(record.token_id.len(), "tk-".len() + 2 * TOKEN_ID_BYTES);
        assert_ne!(record.token_id, new_token_id().unwrap());
        assert_eq!(derived_token_id("r1"), derived_token_id("r1"));
        let bearer = format!("{}.{secret}", record.token_id);
        assert_eq!(
            split_bearer(&bearer),
            Some((record.token_id.as_str(), secret.as_str()))
        );
        assert_eq!(split_bearer("tk-1.short"), None);
    }
}
