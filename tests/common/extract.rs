//! The `huzhu` binary as a client and the extract bundles it writes: run a
//! command (as a token of a test server), check a bundle with
//! `verify-extract`, and alter one as a forger would (a file changed, its
//! manifest line re-sealed).
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use super::TestServer;

pub fn huzhu(args: &[&str]) -> (bool, String) {
    outcome(Command::new(env!("CARGO_BIN_EXE_huzhu")).args(args))
}

/// `huzhu ARGS` as a client of `server` calling with the bearer `token`.
pub fn huzhu_as<S: AsRef<std::ffi::OsStr>>(
    server: &TestServer,
    token: &str,
    args: &[S],
) -> (bool, String) {
    outcome(
        Command::new(env!("CARGO_BIN_EXE_huzhu"))
            .envs(server.cli_env())
            .env("HUZHU_TOKEN", token)
            .args(args),
    )
}

/// Success, and stdout then stderr.
pub fn outcome(command: &mut Command) -> (bool, String) {
    let out = command.output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

pub fn verify_extract(dir: &Path) -> (bool, String) {
    huzhu(&["verify-extract", dir.to_str().unwrap()])
}

pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Re-seals `name` in the manifest as a forger would: new SHA-256, bytes, rows.
pub fn reseal(dir: &Path, name: &str) {
    let bytes = std::fs::read(dir.join(name)).unwrap();
    let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64;
    let mut m = manifest(dir);
    for f in m["files"].as_array_mut().unwrap() {
        if f["name"] == name {
            f["sha256"] = hex::encode(Sha256::digest(&bytes)).into();
            f["bytes"] = (bytes.len() as u64).into();
            f["rows"] = if name.ends_with(".csv") {
                lines - 1
            } else {
                lines
            }
            .into();
        }
    }
    std::fs::write(dir.join("manifest.json"), m.to_string()).unwrap();
}

pub fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} is in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}
