//! The regulator's extract in the web client, on the village fund of
//! `common::web`: the bundle of 2025 is made and checked on the server, its
//! manifest and the check's result are shown, and the ZIP archive
//! downloaded is a bundle that `huzhu verify-extract` passes on its own,
//! with the fund's balances in it. The archive is its session's only.
mod common;

use std::io::Read;
use std::process::Command;

use common::web::*;
use common::*;
use fantoccini::Locator;
use huzhu::pb::Role;

/// The archive's files, unpacked into `dir`.
fn unzip(bytes: &[u8], dir: &std::path::Path) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP archive");
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        std::fs::write(dir.join(&name), content).unwrap();
        names.push(name);
    }
    names
}

#[tokio::test]
async fn the_extract_is_verified_and_downloaded_as_one_archive() {
    let s = TestServer::start();
    village_fund(&s).await;
    let token = s.issue(Role::Regulator, "all").await;
    let cookie = sign_in(&s.web, &token);
    let form = get(
        &s.web,
        "/extract?from=2025-01-01&to=2025-12-31",
        Some(&cookie),
    );
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.field("csrf").unwrap();
    let fields = [
        ("csrf", csrf.as_str()),
        ("book", FUND),
        ("from", "2025-01-01"),
        ("to", "2025-12-31"),
    ];
    let made = post_form(&s.web, "/extract", Some(&cookie), &fields);
    assert_eq!(made.status, 200, "{}", made.body);
    for shown in ["校验通过", "manifest", "chain.csv", "journal.hledger", FUND] {
        assert!(
            made.body.contains(shown),
            "the result shows {shown}: {}",
            made.body
        );
    }
    let at = made.body.find("/extract/").unwrap();
    let link = &made.body[at..at + made.body[at..].find('"').unwrap()];
    assert!(link.ends_with(".zip"), "{link}");

    let other = sign_in(&s.web, &token);
    assert_eq!(
        get(&s.web, link, Some(&other)).status,
        404,
        "another session's archive"
    );
    let zip = get(&s.web, link, Some(&cookie));
    assert_eq!(zip.status, 200);
    assert_eq!(zip.header("content-type"), Some("application/zip"));
    let dir = tempfile::tempdir().unwrap();
    let names = unzip(&zip.raw, dir.path());
    assert!(names.contains(&"manifest.json".to_string()), "{names:?}");
    let verified = Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .arg("verify-extract")
        .arg(dir.path())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verified.stdout).to_string();
    assert!(
        verified.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    // The closing bank balance of the fund: 250,000.00 - 5,000.00 lent.
    let closing = std::fs::read_to_string(dir.path().join("closing_balances.csv")).unwrap();
    assert!(
        closing
            .lines()
            .any(|l| l.starts_with(&format!("{FUND},fund,1002,")) && l.ends_with(",245000.00")),
        "{closing}"
    );

    let b = Browser::start().await;
    b.sign_in(&s.web, &token).await;
    b.click(Locator::LinkText("监管数据")).await;
    b.goto(&format!("{}/extract?from=2025-01-01&to=2025-12-31", s.web))
        .await;
    b.click(Locator::Css("main form.stack button")).await;
    b.wait_for_text("校验通过").await;
    b.screenshot("regulator-extract", 1024).await;
    b.close().await;
}
