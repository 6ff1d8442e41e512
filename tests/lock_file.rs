//! The writer's lock file beside the database (store/lock.rs), seen from
//! the command line.

mod common;

use common::{export_cmd, imported, malgrupp, sample};

#[test]
fn a_command_leaves_no_lock_file_and_a_killed_programs_one_is_reused() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let lock = dir.path().join("test.sqlite.lock");
    assert!(!lock.exists(), "the import left its lock file");
    // As a program killed while writing leaves it.
    std::fs::write(&lock, b"").unwrap();
    malgrupp()
        .args(["import", sample().to_str().unwrap(), "--replace", "--db"])
        .arg(&db)
        .assert()
        .success();
    assert!(!lock.exists());
}

#[test]
fn an_export_over_a_databases_lock_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let lock = dir.path().join("test.sqlite.lock");
    let out = export_cmd(&db, &lock, &["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "det är låsfilen till en databas från Målgruppskartläggning; välj ett annat filnamn"
        ),
        "{stderr}"
    );
    assert!(!lock.exists());
}
