//! `huzhu bench-web` on the Zhuyang demo: it signs in, opens every main
//! page and prints each page's size and server-side time. The numbers are
//! printed (run with --nocapture to see them), never asserted; what is
//! checked is that every page answered and was measured.
mod common;

use common::TestServer;

#[test]
fn bench_web_times_every_main_page_of_the_demo() {
    let s = TestServer::start();
    s.load_demo();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_huzhu"))
        .args(["bench-web", "--web", &s.web, "--runs", "3"])
        .envs(s.cli_env())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    for page in [
        "/books",
        "/members",
        "/collection",
        "/approvals",
        "/notice",
        "/federation/fed-zhuyang",
    ] {
        let row = text
            .lines()
            .find(|l| l.contains(page))
            .unwrap_or_else(|| panic!("{page}:\n{text}"));
        let numbers = row
            .split_whitespace()
            .filter(|c| c.parse::<f64>().is_ok())
            .count();
        assert_eq!(numbers, 4, "bytes, median, p95 and max of {page}: {row}");
    }
}
