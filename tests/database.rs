//! The database file: ours or refused untouched, several surveys in one file,
//! the default location, and a schema that upgrades to what a fresh file has.

mod common;

use common::{fixture, imported, malgrupp, sample};
use malgrupp::store::{Access, Store, schema};

fn check_refuses(db: &std::path::Path, message: &str) {
    let before = std::fs::read(db).unwrap();
    for args in [&["check"][..], &["summary"], &["export", "--out", "x.json"]] {
        let out = malgrupp()
            .args(args)
            .args(["--db", db.to_str().unwrap()])
            .current_dir(db.parent().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "«{message}» not in «{stderr}»");
    }
    // Import opens for writing: refused just the same.
    malgrupp()
        .args([
            "import",
            sample().to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .assert()
        .code(2);
    assert_eq!(std::fs::read(db).unwrap(), before, "file was touched");
    assert!(!db.parent().unwrap().join("x.json").exists());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("anteckningar.sqlite");
    std::fs::write(
        &db,
        "Det här är ingen databas, bara text som är lång nog att se ut som något.\n".repeat(20),
    )
    .unwrap();
    check_refuses(
        &db,
        "är ingen databas från Målgruppskartläggning; filen har inte ändrats",
    );
}

#[test]
fn another_programs_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("annat.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hej');")
        .unwrap();
    drop(conn);
    check_refuses(&db, "är ingen databas från Målgruppskartläggning");

    let other_app = dir.path().join("annan-app.sqlite");
    let conn = rusqlite::Connection::open(&other_app).unwrap();
    conn.execute_batch("PRAGMA application_id = 12345; PRAGMA user_version = 1;")
        .unwrap();
    drop(conn);
    check_refuses(&other_app, "är ingen databas från Målgruppskartläggning");
}

#[test]
fn a_file_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", schema::VERSION + 1)
        .unwrap();
    drop(conn);
    check_refuses(
        &db,
        &format!(
            "är gjord av en nyare version av Målgruppskartläggning (schemaversion {}, den här versionen förstår till och med {})",
            schema::VERSION + 1,
            schema::VERSION
        ),
    );
}

#[test]
fn reading_a_missing_database_does_not_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("finns-inte.sqlite");
    malgrupp()
        .args(["check", "--db", db.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(format!("malgrupp: databasen {} finns inte\n", db.display()));
    assert!(!db.exists());
}

#[test]
fn several_surveys_live_in_one_file_and_are_chosen_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    malgrupp()
        .args(["import", fixture("inconsistent.json").to_str().unwrap()])
        .args(["--db", db.to_str().unwrap()])
        .assert()
        .success();
    malgrupp()
        .args(["summary", "--db", db.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "databasen innehåller flera kartläggningar; välj en med --survey: Kartläggning av målgrupper, Norra länsdelen, Testkartläggning",
        ));
    let (s, code) = common::json_of(&db, &["summary", "--survey", "Testkartläggning"]);
    assert_eq!(code, 0);
    assert_eq!(s["rows"][0]["municipality"], "Åmål");
    let (s, _) = common::json_of(
        &db,
        &[
            "summary",
            "--survey",
            "Kartläggning av målgrupper, Norra länsdelen",
        ],
    );
    assert_eq!(s["rows"][0]["count"], 166);
    malgrupp()
        .args(["check", "--survey", "Saknas", "--db", db.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "kartläggningen ”Saknas” finns inte i databasen",
        ));

    // Replacing one survey leaves the other as it was.
    malgrupp()
        .args(["import", sample().to_str().unwrap(), "--replace"])
        .args(["--db", db.to_str().unwrap()])
        .assert()
        .success();
    let (s, _) = common::json_of(&db, &["check", "--survey", "Testkartläggning"]);
    assert_eq!(s["findings"].as_array().unwrap().len(), 6);
    let (s, _) = common::json_of(
        &db,
        &[
            "check",
            "--survey",
            "Kartläggning av målgrupper, Norra länsdelen",
        ],
    );
    assert_eq!(s["findings"].as_array().unwrap().len(), 28);
}

#[test]
fn the_default_database_is_created_in_the_data_folder() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    malgrupp()
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", &data)
        .args(["import", sample().to_str().unwrap()])
        .assert()
        .success();
    let db = data.join("malgrupp").join("malgrupp.sqlite");
    assert!(db.exists(), "no database at {}", db.display());
    malgrupp()
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", &data)
        .args(["summary"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Hällefors"));
}

#[test]
fn a_fresh_file_has_our_stamp_and_foreign_keys_hold() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ny.sqlite");
    let store = Store::open(&path, Access::Create).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!((app, version), (schema::APPLICATION_ID, schema::VERSION));
    conn.pragma_update(None, "foreign_keys", true).unwrap();
    let orphan = conn.execute(
        "INSERT INTO target_group (unit_id, position, rank, label) VALUES (999, 0, 1, 'x')",
        [],
    );
    assert!(orphan.is_err(), "a group without a unit was accepted");
}
