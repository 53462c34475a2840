//! The client side of authentication: which token to send, a channel that
//! sends it on every call, and TLS to the server (with a client certificate
//! for mutual TLS). Shared by the thin client, `demo`, `bench`, the web
//! client and the tests.
use std::path::{Path, PathBuf};

use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::interceptor::InterceptedService;
use tonic::service::Interceptor;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};
use tonic::{Request, Status};

use super::ADMIN_TOKEN_FILE;

/// The environment variable that holds a bearer token.
pub const TOKEN_ENV: &str = "HUZHU_TOKEN";
/// The environment variable that names a token file.
pub const TOKEN_FILE_ENV: &str = "HUZHU_TOKEN_FILE";

/// Adds `authorization: Bearer <token>` to every call.
#[derive(Clone)]
pub struct Bearer(MetadataValue<Ascii>);

impl Bearer {
    pub fn new(token: &str) -> Result<Self, String> {
        format!("Bearer {}", token.trim())
            .parse()
            .map(Bearer)
            .map_err(|_| "the token has characters a header cannot carry".to_string())
    }
}

impl Interceptor for Bearer {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request
            .metadata_mut()
            .insert("authorization", self.0.clone());
        Ok(request)
    }
}

/// A channel whose calls carry the token: what every service client is built on.
pub type AuthChannel = InterceptedService<Channel, Bearer>;

/// Where and how to connect.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// `http://host:port`, or `https://host:port` for TLS.
    pub server: String,
    /// PEM of the CA that signed the server's certificate (TLS); the
    /// system's roots when absent.
    pub ca: Option<PathBuf>,
    /// PEM certificate and key of this client, for mutual TLS.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read the {what} {}: {e}", path.display()))
}

impl Target {
    pub fn plain(server: impl Into<String>) -> Self {
        Target {
            server: server.into(),
            ..Target::default()
        }
    }

    /// The server's URL: as given, or a bare `host:port` as `http://host:port`
    /// (`https://` when a CA or client certificate is given, which only TLS uses).
    pub fn url(&self) -> String {
        if self.server.contains("://") {
            return self.server.clone();
        }
        let tls = self.ca.is_some() || self.cert.is_some();
        format!("{}://{}", if tls { "https" } else { "http" }, self.server)
    }

    fn endpoint(&self) -> Result<Endpoint, String> {
        let server = &self.url();
        let mut endpoint = Channel::from_shared(server.clone())
            .map_err(|e| format!("{server} is not a server address: {e}"))?;
        let tls = server.starts_with("https://");
        if !tls && (self.ca.is_some() || self.cert.is_some()) {
            return Err(format!(
                "--ca and --cert need an https:// server address, not {server}"
            ));
        }
        if tls {
            let mut config = ClientTlsConfig::new();
            config = match &self.ca {
                Some(ca) => {
                    config.ca_certificate(Certificate::from_pem(read(ca, "CA certificate")?))
                }
                None => config.with_native_roots(),
            };
            match (&self.cert, &self.key) {
                (Some(cert), Some(key)) => {
                    config = config.identity(Identity::from_pem(
                        read(cert, "client certificate")?,
                        read(key, "client key")?,
                    ));
                }
                (None, None) => {}
                _ => return Err("--cert and --key go together".into()),
            }
            endpoint = endpoint
                .tls_config(config)
                .map_err(|e| format!("TLS settings for {server}: {e}"))?;
        }
        Ok(endpoint)
    }

    /// Connects, with a message that says what to do when there is no server.
    pub async fn connect(&self, token: &str) -> Result<AuthChannel, String> {
        let channel = self.endpoint()?.connect().await.map_err(|e| {
            format!(
                "cannot reach the server at {}: {}; is `huzhu serve` running there?",
                self.url(),
                chain(&e)
            )
        })?;
        Ok(InterceptedService::new(channel, Bearer::new(token)?))
    }
}

/// A channel that connects on its first call and reconnects when needed,
/// shared by the calls of many tokens ([`with_token`]): the web client's.
pub fn lazy_channel(target: &Target) -> Result<Channel, String> {
    Ok(target.endpoint()?.connect_lazy())
}

/// `channel`'s calls, carrying `token`.
pub fn with_token(channel: Channel, token: &str) -> Result<AuthChannel, String> {
    Ok(InterceptedService::new(channel, Bearer::new(token)?))
}

/// An error and its sources, each said once: layers that repeat their
/// source's words ("tcp connect error: tcp connect error") are said once.
fn chain(e: &dyn std::error::Error) -> String {
    let mut said = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if said.last() != Some(&text) {
            said.push(text);
        }
        source = s.source();
    }
    said.join(": ")
}

/// Whether `server` (a URL, or a bare host:port) names this machine.
fn is_loopback(server: &str) -> bool {
    let rest = server.split_once("://").map_or(server, |(_, r)| r);
    let host = if let Some(v6) = rest.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        rest.split([':', '/']).next().unwrap_or_default()
    };
    matches!(host, "127.0.0.1" | "localhost" | "::1")
}

/// The token to call `server` with: the file given (`--token-file`), else
/// `$HUZHU_TOKEN`, else the file `$HUZHU_TOKEN_FILE` names, else, for a
/// server on this machine only, the admin token file of `./data` (where
/// `huzhu serve` keeps it by default), said on stderr.
pub fn resolve_token(file: Option<&Path>, server: &str) -> Result<String, String> {
    let env_token = std::env::var(TOKEN_ENV)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let default = Path::new("data").join(ADMIN_TOKEN_FILE);
    let env_file = std::env::var_os(TOKEN_FILE_ENV).map(std::path::PathBuf::from);
    let path = match (file, env_token) {
        (Some(p), _) => p,
        (None, Some(token)) => return Ok(token),
        (None, None) if env_file.is_some() => env_file.as_deref().expect("checked"),
        (None, None) if default.exists() && is_loopback(server) => {
            eprintln!("(calling as the admin token in {})", default.display());
            default.as_path()
        }
        (None, None) => {
            return Err(format!(
                "no token: pass --token-file or set {TOKEN_ENV} (the server's first \
                 admin token is {ADMIN_TOKEN_FILE} in its data directory)"
            ))
        }
    };
    let token = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the token file {}: {e}", path.display()))?;
    let token = token.trim();
    if token.is_empty() {
        return Err(format!("the token file {} is empty", path.display()));
    }
    Ok(token.to_string())
}

#[cfg(test)]
mod tests {
    use super::{is_loopback, Target};

    #[test]
    fn only_this_machine_gets_the_default_admin_token() {
        assert!(is_loopback("http://127.0.0.1:50051"));
        assert!(is_loopback("https://localhost:50051/"));
        assert!(is_loopback("http://[::1]:50051"));
        assert!(!is_loopback("http://10.0.0.5:50051"));
        assert!(!is_loopback("https://huzhu.county.example:50051"));
        assert!(!is_loopback("http://localhost.example.com:50051"));
        assert!(is_loopback("127.0.0.1:50051"));
    }

    #[test]
    fn a_bare_host_and_port_is_a_url() {
        assert_eq!(
            Target::plain("127.0.0.1:50051").url(),
            "http://127.0.0.1:50051"
        );
        let tls = Target {
            ca: Some("ca.pem".into()),
            ..Target::plain("huzhu.county.example:50051")
        };
        assert_eq!(tls.url(), "https://huzhu.county.example:50051");
        assert_eq!(
            Target::plain("https://localhost:50051").url(),
            "https://localhost:50051"
        );
    }

    #[test]
    fn an_error_chain_says_each_cause_once() {
        #[derive(Debug)]
        struct Layer(&'static str, Option<Box<Layer>>);
        impl std::fmt::Display for Layer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }
        impl std::error::Error for Layer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                self.1.as_deref().map(|l| l as _)
            }
        }
        let refused = Layer("Connection refused", None);
        let inner = Layer("tcp connect error", Some(Box::new(refused)));
        let outer = Layer("tcp connect error", Some(Box::new(inner)));
        let e = Layer("transport error", Some(Box::new(outer)));
        assert_eq!(
            super::chain(&e),
            "transport error: tcp connect error: Connection refused"
        );
    }
}
