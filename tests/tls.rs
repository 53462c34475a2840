//! TLS and mutual TLS through the real server (issue 7): certificates made
//! here with rcgen (a CA, a server certificate for localhost and 127.0.0.1,
//! client certificates), written as PEM files the server and the clients
//! read. Clients that trust the server's CA reach it; plain HTTP, another CA
//! and, under mutual TLS, a client without a certificate from the client CA
//! do not. The token is still required over TLS.
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use huzhu::auth::client::Target;
use huzhu::pb::{
    self, extract_service_client::ExtractServiceClient, token_service_client::TokenServiceClient,
};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use tonic::Code;

/// A certificate authority: its certificate (PEM file) and what signs with it.
struct Ca {
    pem: PathBuf,
    issuer: Issuer<'static, KeyPair>,
}

fn ca(dir: &Path, name: &str) -> Ca {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    let pem = dir.join(format!("{name}.pem"));
    std::fs::write(&pem, cert.pem()).unwrap();
    Ca {
        pem,
        issuer: Issuer::new(params, key),
    }
}

/// A certificate signed by `ca` for `names` with the usage `purpose`:
/// the paths of its PEM certificate and key.
fn leaf(
    dir: &Path,
    ca: &Ca,
    file: &str,
    names: &[&str],
    purpose: ExtendedKeyUsagePurpose,
) -> (PathBuf, PathBuf) {
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, file);
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![purpose];
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &ca.issuer).unwrap();
    let (cert_path, key_path) = (
        dir.join(format!("{file}.pem")),
        dir.join(format!("{file}.key")),
    );
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    (cert_path, key_path)
}

fn server_cert(dir: &Path, ca: &Ca) -> (PathBuf, PathBuf) {
    leaf(
        dir,
        ca,
        "server",
        &["localhost", "127.0.0.1"],
        ExtendedKeyUsagePurpose::ServerAuth,
    )
}

fn client_cert(dir: &Path, ca: &Ca, name: &str) -> (PathBuf, PathBuf) {
    leaf(dir, ca, name, &[], ExtendedKeyUsagePurpose::ClientAuth)
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// WhoAmI through `target` with `token`: connecting and calling, either of
/// which may be where a TLS refusal shows.
async fn whoami(target: &Target, token: &str) -> Result<pb::Token, String> {
    let channel = target.connect(token).await?;
    TokenServiceClient::new(channel)
        .who_am_i(pb::WhoAmIRequest {})
        .await
        .map(|r| r.into_inner().token.expect("a token"))
        .map_err(|s| format!("{s:?}"))
}

fn port(s: &TestServer) -> &str {
    s.addr.rsplit(':').next().unwrap()
}

/// `huzhu token whoami` against `s` with the admin token file and `args`.
fn cli_whoami(s: &TestServer, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args(["token", "whoami"])
        .args(args)
        .env_remove("HUZHU_TOKEN")
        .env_remove("HUZHU_SERVER")
        .env("HUZHU_TOKEN_FILE", s.admin_token_file())
        .output()
        .expect("run huzhu");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn a_tls_server_answers_clients_that_trust_its_ca() {
    let dir = tempfile::tempdir().unwrap();
    let ca_one = ca(dir.path(), "county-ca");
    let other = ca(dir.path(), "other-ca");
    let (cert, key) = server_cert(dir.path(), &ca_one);
    let s = TestServer::start_with(&[
        "--rate-limit",
        "0",
        "--tls-cert",
        arg(&cert),
        "--tls-key",
        arg(&key),
    ]);
    assert!(s.addr.starts_with("https://localhost:"), "{}", s.addr);
    let admin = s.admin_token();
    let admin_id = admin.split_once('.').unwrap().0.to_string();

    let trusting = Target {
        server: s.addr.clone(),
        ca: Some(ca_one.pem.clone()),
        cert: None,
        key: None,
    };
    let me = whoami(&trusting, &admin).await.expect("WhoAmI over TLS");
    assert_eq!(
        (me.token_id.as_str(), me.role, me.scope.as_str()),
        (admin_id.as_str(), pb::Role::Admin as i32, "all")
    );
    let head = ExtractServiceClient::new(trusting.connect(&admin).await.unwrap())
        .get_chain_head(pb::GetChainHeadRequest {})
        .await
        .expect("GetChainHead over TLS")
        .into_inner();
    assert_eq!(head.seq, 0);
    // The address by IP is in the certificate too.
    let by_ip = Target {
        server: format!("https://127.0.0.1:{}", port(&s)),
        ..trusting.clone()
    };
    assert_eq!(whoami(&by_ip, &admin).await.unwrap().token_id, admin_id);

    // TLS does not replace the token.
    let err = whoami(&trusting, &format!("{admin_id}.{}", "0".repeat(64)))
        .await
        .unwrap_err();
    assert!(err.contains("Unauthenticated"), "{err}");

    // Plain HTTP/2 to the TLS port.
    for plain in [
        format!("http://127.0.0.1:{}", port(&s)),
        format!("http://localhost:{}", port(&s)),
    ] {
        let r = whoami(&Target::plain(plain.clone()), &admin).await;
        assert!(r.is_err(), "{plain} answered without TLS: {r:?}");
    }
    // A client that trusts another CA does not accept the server's certificate.
    let doubting = Target {
        ca: Some(other.pem.clone()),
        ..trusting.clone()
    };
    let err = whoami(&doubting, &admin).await.unwrap_err();
    assert!(
        err.contains("certificate") || err.contains("Certificate"),
        "{err}"
    );

    // The CLI with --ca.
    let (ok, out, err) = cli_whoami(&s, &["--server", &s.addr, "--ca", arg(&ca_one.pem)]);
    assert!(ok, "huzhu token whoami over TLS: {err}");
    assert!(out.contains(&admin_id) && out.contains("admin"), "{out}");
    let (ok, _, err) = cli_whoami(&s, &["--server", &s.addr, "--ca", arg(&other.pem)]);
    assert!(!ok, "the CLI trusted a certificate of another CA");
    assert!(err.contains("cannot reach the server"), "{err}");
}

#[tokio::test]
async fn mutual_tls_requires_a_client_certificate_of_the_client_ca() {
    let dir = tempfile::tempdir().unwrap();
    let server_ca = ca(dir.path(), "server-ca");
    let client_ca = ca(dir.path(), "client-ca");
    let (cert, key) = server_cert(dir.path(), &server_ca);
    let (good_cert, good_key) = client_cert(dir.path(), &client_ca, "treasurer-laptop");
    // Signed, but by a CA the server does not take client certificates from.
    let (rogue_cert, rogue_key) = client_cert(dir.path(), &server_ca, "rogue-laptop");
    let s = TestServer::start_with(&[
        "--rate-limit",
        "0",
        "--tls-cert",
        arg(&cert),
        "--tls-key",
        arg(&key),
        "--tls-client-ca",
        arg(&client_ca.pem),
    ]);
    let admin = s.admin_token();
    let admin_id = admin.split_once('.').unwrap().0.to_string();
    let without = Target {
        server: s.addr.clone(),
        ca: Some(server_ca.pem.clone()),
        cert: None,
        key: None,
    };
    let with = Target {
        cert: Some(good_cert.clone()),
        key: Some(good_key.clone()),
        ..without.clone()
    };
    let rogue = Target {
        cert: Some(rogue_cert),
        key: Some(rogue_key),
        ..without.clone()
    };

    // Refused by the TLS handshake, before any token is looked at.
    for (who, target) in [("no certificate", &without), ("another CA's", &rogue)] {
        let err = whoami(target, &admin).await.unwrap_err();
        assert!(!err.contains("Unauthenticated"), "{who}: {err}");
    }
    let me = whoami(&with, &admin)
        .await
        .expect("WhoAmI with a client certificate");
    assert_eq!(me.token_id, admin_id);
    // The certificate does not replace the token either.
    let mut no_token = pb::ledger_service_client::LedgerServiceClient::new(
        with.connect(&format!("{admin_id}.{}", "0".repeat(64)))
            .await
            .unwrap(),
    );
    let err = no_token
        .create_book(pb::CreateBookRequest {
            request_id: "by-cert-only".into(),
            book_id: "fund-x".into(),
            kind: pb::BookKind::Fund as i32,
            name: "X".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated, "{err:?}");
    let mut c =
        pb::ledger_service_client::LedgerServiceClient::new(with.connect(&admin).await.unwrap());
    let err = c
        .get_book(pb::GetBookRequest {
            book_id: "fund-x".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::NotFound, "{err:?}");

    // The CLI with --cert and --key; without them it is refused.
    let tls = ["--server", &s.addr, "--ca", arg(&server_ca.pem)];
    let (ok, out, err) = cli_whoami(
        &s,
        &[
            &tls[..],
            &["--cert", arg(&good_cert), "--key", arg(&good_key)],
        ]
        .concat(),
    );
    assert!(ok, "huzhu token whoami with a client certificate: {err}");
    assert!(out.contains(&admin_id), "{out}");
    let (ok, out, _) = cli_whoami(&s, &tls);
    assert!(
        !ok,
        "the CLI was answered without a client certificate:\n{out}"
    );
}
