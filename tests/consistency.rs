//! Odd database files: rows orphaned by another program, an empty file, an
//! older version, a value the database cannot hold. Each is refused (or
//! upgraded) with a Swedish message that names the problem; none panics,
//! none is changed by a refusal, and a failed import leaves no file behind.

mod common;

use std::path::Path;

use common::{imported, run, sample};

/// Every command that opens the file: refused with `message`, the file
/// byte for byte as it was, nothing written beside it.
fn refused_everywhere(db: &Path, message: &str) {
    let before = std::fs::read(db).unwrap();
    let sample = sample();
    for args in [
        &["check"][..],
        &["summary"],
        &["export", "--out", "x.json"],
        &["import", sample.to_str().unwrap(), "--replace"],
    ] {
        let (code, stderr) = run(db, args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(message),
            "{args:?}: «{message}» not in «{stderr}»"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!stderr.contains("databasfel"), "{stderr}");
    }
    assert_eq!(std::fs::read(db).unwrap(), before, "file was touched");
    assert!(!db.parent().unwrap().join("x.json").exists());
}

#[test]
fn a_unit_deleted_with_foreign_keys_off_is_refused_and_its_groups_never_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    // Another tool deletes the last unit (the highest id, the one a new
    // unit would take again) with foreign keys off, as sqlite3 does.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    let groups: i64 = conn
        .query_row(
            "SELECT count(*) FROM target_group WHERE unit_id = (SELECT max(id) FROM unit)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(groups > 0);
    conn.execute("DELETE FROM unit WHERE id = (SELECT max(id) FROM unit)", [])
        .unwrap();
    drop(conn);
    let groups = match groups {
        1 => "1 målgrupp".to_owned(),
        n => format!("{n} målgrupper"),
    };
    refused_everywhere(&db, "hänger inte ihop: ");
    refused_everywhere(&db, &format!("{groups} hör till en enhet som inte finns"));
}

#[test]
fn an_empty_file_is_refused_untouched_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tom.sqlite");
    std::fs::write(&db, b"").unwrap();
    refused_everywhere(
        &db,
        "är en tom fil (0 byte), ingen databas från Målgruppskartläggning; filen har inte ändrats",
    );
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
}

#[test]
fn a_version_1_file_is_upgraded_by_a_reading_command_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let conn = rusqlite::Connection::open(&db).unwrap();
    // Back to version 1: without review marks (V2) and ids (V3_IDENTITY).
    conn.execute_batch(
        "DROP TABLE review;
         DROP INDEX unit_by_uid;
         ALTER TABLE unit DROP COLUMN uid;
         ALTER TABLE target_group DROP COLUMN uid;
         DROP TABLE unit_revision;
         DROP TABLE unit_deleted;
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let (code, stderr) = run(&db, &["summary"]);
    assert_eq!(code, Some(0), "{stderr}");
    let (s, code) = common::json_of(&db, &["summary"]);
    assert_eq!(code, 0);
    assert_eq!(s["rows"][0]["count"], 166);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, malgrupp::store::schema::VERSION);
}

#[test]
fn a_key_figure_too_large_for_the_database_names_its_place_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sample()).unwrap()).unwrap();
    doc["units"][0]["key_figures"] = serde_json::json!({ "Besök": 9223372036854775808u64 });
    let file = dir.path().join("stor.json");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let db = dir.path().join("ny.sqlite");
    let (code, stderr) = run(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("units[0].key_figures.Besök"), "{stderr}");
    assert!(!stderr.contains("CHECK"), "{stderr}");
    assert!(!stderr.contains("databasfel"), "{stderr}");
    // Neither the database nor a temporary file of it is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "stor.json")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn a_failed_import_into_an_existing_file_leaves_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = std::fs::read(&db).unwrap();
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sample()).unwrap()).unwrap();
    doc["units"][3]["key_figures"] = serde_json::json!({ "Besök": u64::MAX });
    let file = dir.path().join("stor.json");
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    let (code, stderr) = run(&db, &["import", file.to_str().unwrap(), "--replace"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("units[3].key_figures.Besök"), "{stderr}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn writing_where_the_file_cannot_be_written_says_so_in_swedish() {
    use malgrupp::store::{Access, Store};
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = std::fs::read(&db).unwrap();
    let survey = malgrupp::import::json::read_file(&sample()).unwrap();
    // Opened read-only, as on a read-only disk or file (which root, who
    // runs some test machines, would write regardless).
    let mut store = Store::open(&db, Access::ReadOnly).unwrap();
    let message = store.import(&survey, true).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "databasen {} går inte att skriva till (skrivskyddad fil eller disk)",
            db.display()
        )
    );
    drop(store);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_journal_left_by_a_deleted_database_is_not_applied_to_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let doc = common::generated(dir.path(), "g.json", &["--municipalities", "20"]);
    let old = imported(dir.path(), &doc);
    // A write to the old file cut off after its journal was synced (the
    // cache is one page, so SQLite writes the file itself at once); then
    // the file is deleted and its journal left behind.
    let conn = rusqlite::Connection::open(&old).unwrap();
    conn.execute_batch("PRAGMA cache_size = 1; BEGIN; DELETE FROM target_group;")
        .unwrap();
    let journal = std::fs::read(dir.path().join("test.sqlite-journal")).unwrap();
    assert_ne!(journal.first(), Some(&0), "the journal is not hot");
    conn.execute_batch("ROLLBACK").unwrap();
    drop(conn);
    let db = dir.path().join("ny.sqlite");
    std::fs::write(dir.path().join("ny.sqlite-journal"), &journal).unwrap();

    let (code, stderr) = run(&db, &["import", sample().to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let (s, code) = common::json_of(&db, &["summary"]);
    assert_eq!(code, 0, "{s}");
    assert_eq!(s["rows"][0]["count"], 166);
    let (c, code) = common::json_of(&db, &["check"]);
    assert_eq!((code, c["findings"].as_array().unwrap().len()), (1, 28));
}
