//! The store's per-edit operations (what the app saves after each edit), the
//! lock against a second writer, review marks in `check`, and the upgrade of
//! a version 1 file.

mod common;

use common::{imported, json_of, malgrupp, sample};
use malgrupp::model::check::{Kind, Subject};
use malgrupp::model::{Cell, Dimension, Survey};
use malgrupp::store::{Access, Store, schema};

const NAME: &str = "Kartläggning av målgrupper, Norra länsdelen";

fn reloaded(db: &std::path::Path) -> Survey {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    store.load(&name).unwrap()
}

#[test]
fn each_unit_operation_stores_exactly_the_edited_survey() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut survey = reloaded(&db);
    assert_eq!(survey.frame.name, NAME);
    let layout = survey.layout();
    let mut store = Store::open(&db, Access::ReadWrite).unwrap();

    // Edit a cell, a label and mark a finding of unit 0.
    let unit = &mut survey.units[0];
    unit.groups[0].row.cells[layout.range(Dimension::Age).start] = Cell::new(1);
    unit.groups[1].label = "Ändrad – åäö".to_owned();
    let finding = malgrupp::model::check::Finding::in_group(
        0,
        2,
        Subject::Breakdown(Dimension::Age),
        Kind::Short(2),
    );
    unit.set_review(&finding, "bekräftat med enheten 12/3".to_owned());
    store.save_unit(NAME, &layout, 0, &survey.units[0]).unwrap();
    assert_eq!(reloaded(&db), survey);

    // Insert a copy at 1, move it to the end, delete unit 0.
    // A copy is a new unit: it gets an id of its own (ids are unique).
    let mut copy = survey.units[2].clone();
    copy.id = malgrupp::model::identity::Id::random();
    store.insert_unit(NAME, &layout, 1, &copy).unwrap();
    survey.units.insert(1, copy);
    assert_eq!(reloaded(&db), survey);
    let last = survey.units.len() - 1;
    store.move_unit(NAME, 1, last).unwrap();
    let moved = survey.units.remove(1);
    survey.units.push(moved);
    assert_eq!(reloaded(&db), survey);
    store.move_unit(NAME, last, 0).unwrap();
    let moved = survey.units.pop().unwrap();
    survey.units.insert(0, moved);
    assert_eq!(reloaded(&db), survey);
    store.delete_unit(NAME, 1).unwrap();
    survey.units.remove(1);
    assert_eq!(reloaded(&db), survey);

    // A unit that does not exist is an error and changes nothing.
    let before = reloaded(&db);
    let err = store.delete_unit(NAME, 99).unwrap_err().to_string();
    assert!(err.contains("enhet nummer 100 saknas"), "{err}");
    assert_eq!(reloaded(&db), before);
}

#[test]
fn review_marks_appear_in_check_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut survey = reloaded(&db);
    let analysis = malgrupp::model::analyse(&survey);
    let finding = analysis.findings[0];
    survey.units[finding.unit as usize].set_review(&finding, "bekräftat med enheten 12/3".into());
    let layout = survey.layout();
    let mut store = Store::open(&db, Access::ReadWrite).unwrap();
    let u = finding.unit as usize;
    store.save_unit(NAME, &layout, u, &survey.units[u]).unwrap();
    drop(store);

    let (check, _) = json_of(&db, &["check"]);
    let findings = check["findings"].as_array().unwrap();
    assert_eq!(findings.len(), analysis.findings.len());
    assert_eq!(findings[0]["reviewed"], true);
    assert_eq!(findings[0]["comment"], "bekräftat med enheten 12/3");
    assert!(
        findings[1..]
            .iter()
            .all(|f| f["reviewed"] == false && f["comment"].is_null())
    );
}

#[test]
fn a_second_writer_is_told_the_file_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = std::fs::read(&db).unwrap();
    let first = Store::open(&db, Access::ReadWrite).unwrap();
    let err = Store::open(&db, Access::ReadWrite)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("används av ett annat program"), "{err}");
    malgrupp()
        .args(["import", sample().to_str().unwrap(), "--replace", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(predicates::str::contains("används av ett annat program"));
    // Readers are not locked out.
    malgrupp()
        .arg("summary")
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    drop(first);
    assert_eq!(std::fs::read(&db).unwrap(), before);
    Store::open(&db, Access::ReadWrite).unwrap();
}

/// Opens `db` as `access` and asserts it reads but refuses a save, in
/// Swedish, leaving the file as it was.
fn refuses_writes(db: &std::path::Path, access: Access) {
    let before = std::fs::read(db).unwrap();
    let mut store = Store::open(db, access).unwrap();
    assert!(store.is_read_only());
    let survey = store.load(NAME).unwrap();
    let err = store
        .save_unit(NAME, &survey.layout(), 0, &survey.units[0])
        .unwrap_err()
        .to_string();
    assert!(err.contains("går inte att skriva till"), "{err}");
    assert_eq!(std::fs::read(db).unwrap(), before);
}

#[test]
fn a_read_only_file_opens_for_reading_and_refuses_writes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    // What the app falls back to on a read-only disk.
    refuses_writes(&db, Access::ReadOnly);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    // As root, permissions do not stop writes; the part above still runs.
    if std::fs::OpenOptions::new().write(true).open(&db).is_err() {
        refuses_writes(&db, Access::ReadWrite);
    }
}

#[test]
fn a_version_1_file_is_upgraded_to_the_same_schema_as_a_fresh_file() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v1.sqlite");
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "application_id", schema::APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO survey (name, region, period) VALUES ('Gammal', 'R', '2005')",
            [],
        )
        .unwrap();
    }
    let upgraded = Store::open(&old, Access::ReadWrite).unwrap();
    assert_eq!(upgraded.surveys().unwrap(), ["Gammal"]);
    drop(upgraded);
    let fresh = dir.path().join("fresh.sqlite");
    drop(Store::open(&fresh, Access::Create).unwrap());

    let schema_of = |path: &std::path::Path| {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            .unwrap();
        let rows: Vec<(String, String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        (rows, version)
    };
    let (old_schema, old_version) = schema_of(&old);
    let (new_schema, new_version) = schema_of(&fresh);
    assert_eq!(old_version, schema::VERSION);
    assert_eq!(new_version, schema::VERSION);
    assert!(new_schema.iter().any(|(_, name, _)| name == "review"));
    assert_eq!(old_schema, new_schema);
}
