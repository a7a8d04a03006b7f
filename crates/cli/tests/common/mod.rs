//! What the end-to-end tests of the real `tessera` binary share: running it on
//! a data directory, and reading its text or JSON output.

#![allow(dead_code)] // Each test file uses its own subset.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `tessera --data DATA ARGS...`.
pub fn tessera(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tessera")).arg("--data").arg(data).args(args).output().expect("run tessera")
}

/// Runs it, requires success, and returns standard output.
pub fn ok(data: &Path, args: &[&str]) -> String {
    let out = tessera(data, args);
    assert!(out.status.success(), "tessera {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs it with `--json` and parses standard output.
pub fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(data, &all)).expect("JSON output")
}
