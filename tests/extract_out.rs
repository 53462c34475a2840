//! `huzhu extract --out DIR` never overwrites in silence: a bundle already
//! there is replaced only with --force, a directory holding anything else
//! never, and a refusal leaves what was there untouched.
mod common;

use std::path::Path;

use common::extract::{huzhu_as, manifest, verify_extract};
use common::{create_book, post, transfer, TestServer};
use huzhu::pb;

fn extract(server: &TestServer, out: &Path, to: &str, force: bool) -> (bool, String) {
    let mut args = vec![
        "extract",
        "--quiet",
        "--from",
        "2025-03-01",
        "--to",
        to,
        "--out",
        out.to_str().unwrap(),
    ];
    if force {
        args.push("--force");
    }
    huzhu_as(server, &server.admin_token(), &args)
}

async fn seeded() -> TestServer {
    let server = TestServer::start();
    let mut c = server.client().await;
    create_book(&mut c, "fund-a", pb::BookKind::Fund).await;
    post(
        &mut c,
        transfer("seed", "2025-03-02", "fund-a", "1002", "3001", "1000.00"),
    )
    .await;
    post(
        &mut c,
        transfer("cash", "2025-04-02", "fund-a", "1001", "1002", "100.00"),
    )
    .await;
    server
}

#[tokio::test]
async fn an_existing_bundle_is_replaced_only_with_force() {
    let server = seeded().await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bundle");

    let (ok, said) = extract(&server, &out, "2025-03-31", false);
    assert!(ok, "{said}");
    assert_eq!(manifest(&out)["spec"]["to"], "2025-03-31");
    let first = std::fs::read(out.join("manifest.json")).unwrap();

    let (ok, said) = extract(&server, &out, "2025-04-30", false);
    assert!(!ok, "a second extract into the bundle is refused");
    assert!(said.contains("already holds an extract bundle"), "{said}");
    assert!(said.contains("--force"), "{said}");
    assert_eq!(
        std::fs::read(out.join("manifest.json")).unwrap(),
        first,
        "the bundle is untouched"
    );

    let (ok, said) = extract(&server, &out, "2025-04-30", true);
    assert!(ok, "{said}");
    assert_eq!(manifest(&out)["spec"]["to"], "2025-04-30");
    let (ok, said) = verify_extract(&out);
    assert!(ok, "the replacing bundle checks out: {said}");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["bundle"], "no staging directory is left");
}

#[tokio::test]
async fn a_directory_holding_something_else_is_never_overwritten() {
    let server = seeded().await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("notes");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("minutes.txt"), "board meeting").unwrap();
    for force in [false, true] {
        let (ok, said) = extract(&server, &out, "2025-04-30", force);
        assert!(!ok, "--force {force}: refused");
        assert!(
            said.contains("is not empty and holds no extract bundle"),
            "{said}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(out.join("minutes.txt")).unwrap(),
        "board meeting"
    );
    assert!(!out.join("manifest.json").exists());

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (ok, said) = extract(&server, &empty, "2025-04-30", false);
    assert!(ok, "an empty directory takes the bundle: {said}");
    assert!(verify_extract(&empty).0);
}
