//! What the operating system and the libraries say goes to the user in
//! Swedish, naming the file: a missing folder, a full disk or a file-size
//! limit, a closed output, a broken document, a folder given as database.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{assert_no_english, imported, malgrupp, sample};

/// English words of the system's and the libraries' texts.
/// The names in `dir`.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_output_in_a_folder_that_does_not_exist_names_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let missing = dir.path().join("finns-inte");
    let (summary, _) = common::json_of(&db, &["summary", "--by", "unit"]);
    let unit = summary["rows"][0]["unit"].as_str().unwrap();
    for (args, file) in [
        (vec!["export"], "summor.csv"),
        (vec!["form", "--unit", unit], "formulär.xlsx"),
        (vec!["chart", "--kind", "sex"], "diagram.png"),
    ] {
        let out = missing.join(file);
        let output = malgrupp()
            .args(&args)
            .arg("--out")
            .arg(&out)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(
            stderr,
            format!(
                "malgrupp: kunde inte skriva {}: mappen {} finns inte\n",
                out.display(),
                missing.display()
            ),
            "{args:?}"
        );
        assert!(!missing.exists());
    }
}

/// A file-size limit on the exporting process (as `ulimit -f`): a write
/// beyond it fails as a full disk does. The message says so in Swedish, the
/// target is not made and no temporary file is left.
#[test]
fn a_file_size_limit_during_an_export_is_told_in_swedish() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = names(dir.path());
    for file in ["dokument.json", "arbetsbok.xlsx", "rapport.html"] {
        let out = dir.path().join(file);
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("malgrupp"));
        cmd.arg("export")
            .arg("--out")
            .arg(&out)
            .arg("--db")
            .arg(&db);
        // SAFETY: setrlimit is async-signal-safe; nothing else runs here.
        unsafe {
            cmd.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: 4096,
                    rlim_max: 4096,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let output = cmd.output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
        assert_eq!(
            stderr,
            format!(
                "malgrupp: kunde inte skriva {}: filen blir för stor (större än systemet tillåter)\n",
                out.display()
            ),
            "{file}"
        );
        assert_no_english(&stderr);
        assert_eq!(names(dir.path()), before, "{file}: something left behind");
    }
}

/// Standard output on a full disk (Linux's /dev/full says "no space").
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_told_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    for format in ["text", "json", "csv"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = Command::new(assert_cmd::cargo::cargo_bin("malgrupp"))
            .args(["summary", "--format", format, "--db"])
            .arg(&db)
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}: {stderr}");
        assert_eq!(
            stderr, "malgrupp: kunde inte skriva till standard ut: disken är full\n",
            "{format}"
        );
    }
}

#[test]
fn a_document_that_is_not_json_is_told_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ny.sqlite");
    for (text, message) in [
        (
            "{\"format\": 1,}",
            "filen är inte giltig JSON (rad 1, kolumn 14): kommatecken före ”]” eller ”}”",
        ),
        (
            "",
            "filen är inte giltig JSON (rad 1, kolumn 0): filen tar slut där ett värde skulle komma (är filen tom?)",
        ),
        (
            "{\"format\": 1} x",
            "filen är inte giltig JSON (rad 1, kolumn 15): tecken efter dokumentets slut",
        ),
    ] {
        let doc = dir.path().join("dokument.json");
        std::fs::write(&doc, text).unwrap();
        let output = malgrupp()
            .arg("import")
            .arg(&doc)
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{text:?}: {stderr}");
        assert_eq!(stderr, format!("malgrupp: {message}\n"), "{text:?}");
        assert!(!db.exists());
    }
}

#[test]
fn a_folder_given_as_database_or_document_is_named_as_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = malgrupp()
        .arg("summary")
        .arg("--db")
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "malgrupp: kunde inte öppna {}: det är en mapp, ingen databasfil\n",
            dir.path().display()
        )
    );
    let db = dir.path().join("ny.sqlite");
    let output = malgrupp()
        .arg("import")
        .arg(dir.path())
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "malgrupp: kunde inte läsa {}: det är en mapp, ingen fil\n",
            dir.path().display()
        )
    );
    assert_no_english(&stderr);
}
