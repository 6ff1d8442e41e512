//! Helpers shared by the integration tests: the real binary on real files.

#![allow(dead_code)]

pub mod app;
pub mod display;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The real 2005 sample.
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/norra-lansdelen-2005.json")
}

/// A fixture in tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// SQL that takes a file of today's schema back to version 2, as older
/// programs wrote it: without what versions 3 and later added (coverage,
/// history, themes, ids). Keep it in step with `src/store/schema.rs`.
pub const BACK_TO_VERSION_2: &str = "DROP TABLE verification; DROP TABLE planned_unit;
     DROP TABLE history; DROP TABLE theme; ALTER TABLE target_group DROP COLUMN themes;
     DROP INDEX unit_by_uid; ALTER TABLE unit DROP COLUMN uid;
     ALTER TABLE target_group DROP COLUMN uid; DROP TABLE unit_revision; DROP TABLE unit_deleted;
     PRAGMA user_version = 2;";

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

/// A copy of the response form `form` (from `malgrupp form`) at `out` with
/// `cells` filled in on its sheet, as (reference, text); text that is a
/// number is written as a number, `=5+7 => 12` as a formula with its saved
/// result.
pub fn fill_form(form: &Path, out: &Path, cells: &[(&str, &str)]) {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::fs::File::open(form).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(bytes).unwrap();
            for (at, text) in cells {
                let start = xml.find(&format!("<c r=\"{at}\" ")).unwrap();
                let end = start + xml[start..].find("/>").unwrap();
                let value = if let Some((formula, result)) =
                    text.strip_prefix('=').and_then(|t| t.split_once(" => "))
                {
                    format!("><f>{formula}</f><v>{result}</v></c>")
                } else if text.parse::<f64>().is_ok() {
                    format!("><v>{text}</v></c>")
                } else {
                    format!(" t=\"inlineStr\"><is><t>{text}</t></is></c>")
                };
                xml = format!("{}{value}{}", &xml[..end], &xml[end + 2..]);
            }
            bytes = xml.into_bytes();
        }
        writer.start_file(name, options).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
}

/// Runs `args` with `--db db` in `db`'s folder; exit code and stderr.
pub fn run(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = malgrupp()
        .args(args)
        .args(["--db", db.to_str().unwrap()])
        .current_dir(db.parent().unwrap())
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

/// Words and phrases of the libraries' English texts (the operating
/// system, calamine, zip, quick-xml, serde, SQLite).
pub const ENGLISH: [&str; 32] = [
    "error",
    "Error",
    "not found",
    "No such",
    "invalid",
    "Invalid",
    "expected",
    "missing field",
    "unknown",
    "variant",
    "type",
    "found",
    "archive",
    "Could not",
    "syntax",
    "database",
    "locked",
    "readonly",
    "constraint",
    "failed",
    "disk",
    "file is not",
    "attempt",
    "tag",
    "os error",
    "too large",
    "No space",
    "denied",
    "at line",
    "trailing",
    "Is a directory",
    "device",
];

/// The words of `text`: runs of letters and digits (å, ä and ö too).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Asserts that `text` has none of [`ENGLISH`] as whole words (an English
/// plural in "s" counts too), so that Swedish words that begin like them
/// ("disken", "databasen") are not taken for English.
pub fn assert_no_english(text: &str) {
    let said = words(text);
    for phrase in ENGLISH {
        let phrase = words(phrase);
        let found = said.windows(phrase.len()).any(|w| {
            w.iter().zip(&phrase).all(|(s, p)| {
                *s == *p || s.strip_suffix('s') == Some(*p) || s.strip_suffix("es") == Some(*p)
            })
        });
        assert!(!found, "English «{}» in: {text}", phrase.join(" "));
    }
}

/// Converts `file` with LibreOffice (headless, a profile of its own under
/// `work`) to `to` (e.g. "pdf", "txt:Text") and returns the converted
/// file's path, or `None` with a line saying so when LibreOffice is not
/// installed (the test then skips that part).
#[allow(dead_code)]
pub fn soffice_convert(file: &Path, to: &str, work: &Path) -> Option<PathBuf> {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        println!("LibreOffice (soffice) is not installed: the conversion to {to} is not tested");
        return None;
    };
    let out = work.join("converted");
    let profile = format!("-env:UserInstallation=file://{}", work.join("lo").display());
    let status = std::process::Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            to,
            "--outdir",
        ])
        .arg(&out)
        .arg(file)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let ext = to.split(':').next().unwrap_or(to);
    Some(out.join(file.with_extension(ext).file_name().unwrap()))
}
