//! Helpers shared by the integration tests: the real binary on real files.

#![allow(dead_code)]

pub mod display;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The real 2005 sample.
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/norra-lansdelen-2005.json")
}

/// A fixture in tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The real binary.
pub fn malgrupp() -> Command {
    Command::cargo_bin("malgrupp").expect("binary built")
}

/// Imports a document into a fresh database in `dir`; returns its path.
pub fn imported(dir: &Path, doc: &Path) -> PathBuf {
    let db = dir.join("test.sqlite");
    malgrupp()
        .args([
            "import",
            doc.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .assert()
        .success();
    db
}

/// Runs a command with `--format json` on `db`; its parsed output and exit
/// code.
pub fn json_of(db: &Path, args: &[&str]) -> (Value, i32) {
    let out = malgrupp()
        .args(args)
        .args(["--format", "json", "--db", db.to_str().unwrap()])
        .output()
        .expect("runs");
    let code = out.status.code().expect("exit code");
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (value, code)
}

/// `malgrupp export --db DB --out OUT EXTRA…`, not yet run.
pub fn export_cmd(db: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut cmd = malgrupp();
    cmd.args([
        "export",
        "--db",
        db.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
    .args(extra);
    cmd
}

/// Exports successfully and returns the file's bytes.
pub fn export(db: &Path, out: &Path, extra: &[&str]) -> Vec<u8> {
    export_cmd(db, out, extra).assert().success();
    std::fs::read(out).unwrap()
}

/// A generated survey document in `dir` (`malgrupp generate ARGS…`); its
/// path.
pub fn generated(dir: &Path, file: &str, args: &[&str]) -> PathBuf {
    let doc = dir.join(file);
    malgrupp()
        .arg("generate")
        .args(args)
        .arg("--out")
        .arg(&doc)
        .assert()
        .success();
    doc
}
