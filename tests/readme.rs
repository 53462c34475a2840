//! The README, top to bottom, as a new user would follow it: every ```sh
//! block runs, in order, in one shell, in a fresh directory beside a fresh
//! server whose store is `./data`; every ```console block's `$` command runs
//! there too and must print exactly the lines shown under it. The first
//! block (run the server, run this suite) is what the test itself does: it
//! starts `huzhu serve` with `./data` on a free port, and the shell reaches
//! it by `HUZHU_SERVER` (the README's `127.0.0.1:50051` reads as that port).
//! `./target/release/huzhu` is the binary under test, so `cargo run
//! --release --` reads as it too. A failing line is named by its README line.
mod common;

use common::TestServer;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const README: &str = include_str!("../README.md");

/// What the shell runs before the README's first line: stop at the first
/// failing command and name its README line.
const PRELUDE: &str = "set -eE -o pipefail; shopt -s expand_aliases; \
    trap 'echo \"README line $LINENO failed: $BASH_COMMAND\" >&2' ERR; \
    expect() { local want got; want=$(cat); got=$(eval \"$1\" 2>&1) || true; \
    if [ \"$got\" != \"$want\" ]; then echo \"README line $2 printed:\" >&2; \
    echo \"$got\" >&2; echo \"where the README shows:\" >&2; echo \"$want\" >&2; \
    return 1; fi; }";

#[derive(PartialEq)]
enum Block {
    Outside,
    Shell,
    Console,
    Other,
}

/// The README as a shell script, line for line: the script's line N is the
/// README's line N (or empty), so `$LINENO` names the README line.
fn script(readme: &str, addr: &str, binary: &str) -> String {
    let host_port = addr.trim_start_matches("http://");
    let mut out = String::new();
    let mut block = Block::Outside;
    let mut shell_blocks = 0;
    let mut in_expectation = false;
    for (i, line) in readme.lines().enumerate() {
        let number = i + 1;
        let fence = line.trim_start().starts_with("```");
        let text = match (&block, fence) {
            (Block::Outside, true) => {
                block = match line.trim().trim_start_matches("```") {
                    "sh" => {
                        shell_blocks += 1;
                        Block::Shell
                    }
                    "console" => Block::Console,
                    _ => Block::Other,
                };
                String::new()
            }
            (_, true) => {
                let close = if in_expectation { "README_OUTPUT" } else { "" };
                in_expectation = false;
                block = Block::Outside;
                close.to_string()
            }
            // The first block is the server this test started.
            (Block::Shell, false) if shell_blocks > 1 => line
                .replace("cargo run --release --", binary)
                .replace("127.0.0.1:50051", host_port),
            (Block::Console, false) if !in_expectation => {
                let command = line.strip_prefix("$ ").unwrap_or_else(|| {
                    panic!("README line {number}: a console block starts with one `$ ` command")
                });
                in_expectation = true;
                let command = command.replace('\'', r"'\''");
                format!("expect '{command}' {number} <<'README_OUTPUT'")
            }
            (Block::Console, false) => line.to_string(),
            _ => String::new(),
        };
        let _ = writeln!(out, "{}", if number == 1 { PRELUDE } else { &text });
    }
    assert!(
        shell_blocks > 1,
        "the README has no command blocks after its first"
    );
    out
}

/// The README's first line must be prose or a heading: the prelude takes it.
fn first_line_is_free(readme: &str) -> bool {
    !readme.starts_with("```")
}

fn link_binary(dir: &Path) -> String {
    let release = dir.join("target/release");
    std::fs::create_dir_all(&release).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_huzhu"), release.join("huzhu")).unwrap();
    "./target/release/huzhu".to_string()
}

#[test]
fn every_readme_command_works_in_order() {
    assert!(first_line_is_free(README));
    let server = TestServer::start_with(&[]);
    let dir = server.data_dir.parent().expect("the store's parent");
    let binary = link_binary(dir);
    let script = script(README, &server.addr, &binary);
    std::fs::write(dir.join("readme.sh"), &script).unwrap();
    let out = Command::new("bash")
        .arg("readme.sh")
        .current_dir(dir)
        .env("HUZHU_SERVER", &server.addr)
        .env_remove("HUZHU_TOKEN")
        .env_remove("HUZHU_TOKEN_FILE")
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "the README does not run top to bottom:\n{}\n--- its output:\n{}\n--- the server's log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout),
        server.logs()
    );
}
