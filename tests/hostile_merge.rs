//! `merge`, `import`, `log` and `status` against hostile files, through the
//! real binary: every refusal exits 2 with a Swedish message that names the
//! file or the place in it, and leaves the target database byte for byte
//! as it was; nothing hangs on a pipe or reads a file of gigabytes.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{imported, malgrupp, sample};
use serde_json::Value;

/// A fresh copy of the sample in `dir`, its exported document beside it.
fn setup(dir: &Path) -> (PathBuf, Value) {
    let db = imported(dir, &sample());
    let doc = dir.join("exporterad.json");
    malgrupp()
        .args(["export", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&doc)
        .assert()
        .success();
    let value = serde_json::from_slice(&std::fs::read(&doc).unwrap()).unwrap();
    (db, value)
}

/// Runs `args` on `db` (with a minute's safety net, so that a hang fails
/// rather than stalls the suite); exit code and stderr.
fn run(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = malgrupp()
        .args(args)
        .arg("--db")
        .arg(db)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    (out.status.code(), err)
}

/// `merge other` is refused: exit 2, every one of `words` in the message,
/// the database unchanged.
fn refused(db: &Path, other: &Path, words: &[&str]) {
    refused_with(db, &["merge", other.to_str().unwrap()], words);
}

fn refused_with(db: &Path, args: &[&str], words: &[&str]) {
    let before = std::fs::read(db).unwrap();
    let (code, err) = run(db, args);
    assert_eq!(code, Some(2), "{args:?}: {err}");
    for w in words {
        assert!(err.contains(w), "{args:?}: {w:?} not in {err}");
    }
    common::assert_no_english(err.split(" (SQLite:").next().unwrap_or(""));
    assert!(
        std::fs::read(db).unwrap() == before,
        "{args:?} changed the database"
    );
}

fn write_json(dir: &Path, name: &str, doc: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(doc).unwrap()).unwrap();
    path
}

/// A copy of `db` changed by `sql` (run with foreign keys on), as another
/// program might leave it.
fn tampered(db: &Path, name: &str, sql: &str) -> PathBuf {
    let path = db.with_file_name(name);
    std::fs::copy(db, &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(sql).unwrap();
    path
}

#[test]
fn empty_truncated_newer_and_foreign_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, doc) = setup(d);
    let bytes = std::fs::read(&db).unwrap();

    let empty = d.join("tom.sqlite");
    std::fs::write(&empty, b"").unwrap();
    refused(&db, &empty, &["tom.sqlite", "tom fil (0 byte)"]);
    let empty = d.join("tom.json");
    std::fs::write(&empty, b"").unwrap();
    refused(&db, &empty, &["inte giltig JSON", "tom"]);

    let half = d.join("halv.sqlite");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();
    refused(&db, &half, &["halv.sqlite", "inte en hel SQLite-databas"]);
    let text = serde_json::to_vec_pretty(&doc).unwrap();
    let half = d.join("halv.json");
    std::fs::write(&half, &text[..text.len() / 2]).unwrap();
    refused(&db, &half, &["inte giltig JSON (rad "]);

    let newer = tampered(&db, "nyare.sqlite", "PRAGMA user_version = 999;");
    refused(&db, &newer, &["nyare.sqlite", "nyare version", "999"]);
    assert_eq!(
        rusqlite::Connection::open(&newer)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        999,
        "the other file is never upgraded or changed"
    );

    let foreign = d.join("annan.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE x (a); INSERT INTO x VALUES (1);")
        .unwrap();
    refused(
        &db,
        &foreign,
        &["annan.sqlite", "ingen databas från Målgruppskartläggning"],
    );

    // Ours by its stamp, but with a table gone: named, not "unknown error".
    let gone = tampered(&db, "utan.sqlite", "DROP TABLE unit_revision;");
    refused(
        &db,
        &gone,
        &["utan.sqlite", "tabellen ”unit_revision” saknas"],
    );

    refused(&db, d, &["det är en mapp"]);
    refused(
        &db,
        &d.join("finns-inte.sqlite"),
        &["finns-inte.sqlite", "finns inte"],
    );
}

#[cfg(unix)]
#[test]
fn a_pipe_a_device_or_a_file_of_gigabytes_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, _) = setup(d);
    for name in ["ror.json", "ror.sqlite"] {
        let fifo = d.join(name);
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid, NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // Before, opening the pipe waited for a writer for ever.
        refused(&db, &fifo, &[name, "ingen vanlig fil"]);
    }
    // A device read as a document never ends (before: all memory).
    let zero = d.join("noll.json");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    refused(&db, &zero, &["noll.json", "ingen vanlig fil"]);
    refused(
        &db,
        Path::new("/dev/zero"),
        &["/dev/zero", "ingen vanlig fil"],
    );
    // 8 GiB that take no disk: refused by its size, not read (before, the
    // whole file was read into memory).
    let huge = d.join("stor.json");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(8 << 30)
        .unwrap();
    refused(&db, &huge, &["stor.json", "större än 1024 MB"]);
    let new = d.join("ny.sqlite");
    refused_with(
        &db,
        &["import", huge.to_str().unwrap()],
        &["stor.json", "större än"],
    );
    let (code, err) = run(&new, &["import", huge.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(!new.exists(), "a refused import leaves no file");
    // --db on a pipe: refused, not waited on.
    let (code, err) = run(&d.join("ror.sqlite"), &["summary"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("ingen vanlig fil"), "{err}");
}

#[test]
fn deeply_nested_and_oversized_text_are_refused_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, doc) = setup(d);
    let deep = d.join("djup.json");
    std::fs::write(&deep, "[".repeat(100_000) + &"]".repeat(100_000)).unwrap();
    refused(&db, &deep, &["för djupt nästlat"]);
    let mut long = doc.clone();
    long["units"][0]["name"] = Value::String("x".repeat(5 << 20));
    refused(
        &db,
        &write_json(d, "lang.json", &long),
        &["units[0].name", "för lång"],
    );
}

#[test]
fn a_database_breaking_the_documents_rules_is_refused_naming_the_file_and_place() {
    // Before: another program's copy with two units of one id, a label of
    // a megabyte or a NUL in a name was merged in as it was.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, _) = setup(d);
    let first = "(SELECT id FROM unit ORDER BY position LIMIT 1)";
    let second = "(SELECT id FROM unit ORDER BY position LIMIT 1 OFFSET 1)";
    let cases: Vec<(String, String, Vec<&str>)> = vec![
        (
            "samma-id.sqlite".into(),
            format!(
                "DROP INDEX unit_by_uid; UPDATE unit SET uid = (SELECT uid FROM unit WHERE id = {first}) WHERE id = {second};"
            ),
            vec!["samma-id.sqlite (units[1].id)", "samma id som enhet 1", "inget är ändrat"],
        ),
        (
            "samma-grupp-id.sqlite".into(),
            format!(
                "UPDATE target_group SET uid = (SELECT uid FROM target_group WHERE unit_id = {first} ORDER BY position LIMIT 1) WHERE unit_id = {first};"
            ),
            vec!["samma-grupp-id.sqlite (units[0].groups[1].id)", "samma id som målgrupp 1"],
        ),
        (
            "lang.sqlite".into(),
            "UPDATE target_group SET label = hex(randomblob(600000)) WHERE id = (SELECT min(id) FROM target_group);".into(),
            vec!["lang.sqlite (units[0].groups[0].label)", "för lång"],
        ),
        (
            "styrtecken.sqlite".into(),
            format!("UPDATE unit SET name = 'A' || char(0) || 'B' WHERE id = {first};"),
            vec!["styrtecken.sqlite (units[0].name)", "U+0000"],
        ),
        (
            "planerad.sqlite".into(),
            "INSERT INTO planned_unit (survey_id, position, name, municipality_id, authority_id)
               SELECT 1, p, 'X', (SELECT min(id) FROM municipality), (SELECT min(id) FROM authority)
               FROM (SELECT 0 AS p UNION ALL SELECT 1);"
                .into(),
            vec!["planerad.sqlite (survey.planned_units[1].name)", "står två gånger"],
        ),
        (
            "borttagen.sqlite".into(),
            format!("INSERT INTO unit_deleted SELECT survey_id, uid FROM unit WHERE id = {first};"),
            vec!["borttagen.sqlite (deleted_units)", "både bland enheterna och bland de borttagna"],
        ),
        (
            "revision.sqlite".into(),
            "UPDATE unit_revision SET revision = 'zz';".into(),
            vec!["revision.sqlite", "databasen är skadad", "revision"],
        ),
        (
            "teman.sqlite".into(),
            "UPDATE target_group SET themes = 'skräp{' WHERE id = (SELECT min(id) FROM target_group);".into(),
            vec!["teman.sqlite", "databasen är skadad", "teman"],
        ),
        (
            "tom-fil.sqlite".into(),
            "PRAGMA foreign_keys = ON; DELETE FROM survey;".into(),
            vec!["tom-fil.sqlite", "ingen kartläggning att slå samman"],
        ),
    ];
    for (name, sql, words) in cases {
        let other = tampered(&db, &name, &sql);
        refused(&db, &other, &words);
        refused_with(
            &db,
            &["merge", other.to_str().unwrap(), "--prefer", "theirs"],
            &words,
        );
    }
    // Several surveys, none of this name: which one is not guessed.
    let several = tampered(
        &db,
        "flera.sqlite",
        "UPDATE survey SET name = 'En'; INSERT INTO survey (name, region, period) VALUES ('Två', 'r', 'p');",
    );
    refused(
        &db,
        &several,
        &["flera.sqlite", "flera kartläggningar", "En, Två"],
    );
}

/// A change to a document.
type Change = Box<dyn Fn(&mut Value)>;

#[test]
fn documents_with_hostile_ids_themes_planned_and_deleted_units_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, doc) = setup(d);
    let cases: Vec<(&str, Change, Vec<&str>)> = vec![
        (
            "samma unit id",
            Box::new(|v| v["units"][1]["id"] = v["units"][0]["id"].clone()),
            vec!["units[1].id", "samma id som enhet 1"],
        ),
        (
            "samma grupp-id",
            Box::new(|v| {
                v["units"][0]["groups"][1]["id"] = v["units"][0]["groups"][0]["id"].clone()
            }),
            vec!["units[0].groups[1].id", "samma id som målgrupp 1"],
        ),
        (
            "id som inte är hex",
            Box::new(|v| v["units"][0]["id"] = "zz".into()),
            vec!["units[0].id", "32 hexadecimala siffror"],
        ),
        (
            "tema som saknas",
            Box::new(|v| {
                v["survey"]["themes"] = serde_json::json!([{"name": "A"}]);
                v["units"][0]["groups"][0]["themes"] = serde_json::json!(["B"]);
            }),
            vec!["units[0].groups[0].themes[0]", "”B” finns inte"],
        ),
        (
            "tema två gånger",
            Box::new(|v| v["survey"]["themes"] = serde_json::json!([{"name": "A"}, {"name": "A"}])),
            vec!["survey.themes[1].name", "står två gånger"],
        ),
        (
            "planerad enhet i fel kommun",
            Box::new(|v| {
                v["survey"]["planned_units"] = serde_json::json!([
                    {"name": "X", "municipality": "Örebro", "authority": "Kommun"}
                ])
            }),
            vec![
                "survey.planned_units[0].municipality",
                "”Örebro” finns inte",
            ],
        ),
        (
            "planerade enheter som text",
            Box::new(|v| v["survey"]["planned_units"] = "x".into()),
            vec!["survey.planned_units", "väntade en lista"],
        ),
        (
            "revision som inte är hex",
            Box::new(|v| v["units"][0]["revisions"] = serde_json::json!(["zz"])),
            vec!["units[0].revisions[0]", "32 hexadecimala siffror"],
        ),
        (
            "borttagen och kvar",
            Box::new(|v| {
                v["deleted_units"] =
                    serde_json::json!([{"id": v["units"][0]["id"], "revisions": []}])
            }),
            vec![
                "deleted_units",
                "både bland enheterna och bland de borttagna",
            ],
        ),
        (
            "borttagen två gånger",
            Box::new(|v| {
                let id = format!("{:032x}", 7);
                v["deleted_units"] =
                    serde_json::json!([{"id": id, "revisions": []}, {"id": id, "revisions": []}]);
            }),
            vec!["deleted_units[1].id", "samma id som deleted_units[0]"],
        ),
    ];
    for (what, change, words) in &cases {
        let mut v = doc.clone();
        change(&mut v);
        let file = write_json(d, "fientlig.json", &v);
        refused(&db, &file, words);
        // import into a new file: refused, no file left behind.
        let new = d.join("ny.sqlite");
        let (code, err) = run(&new, &["import", file.to_str().unwrap()]);
        assert_eq!(code, Some(2), "{what}: {err}");
        for w in words {
            assert!(err.contains(w), "{what}: {w:?} not in {err}");
        }
        assert!(!new.exists(), "{what}: a refused import left a file");
        // import --replace over the sample: refused, the file unchanged.
        refused_with(&db, &["import", file.to_str().unwrap(), "--replace"], words);
    }
}

#[test]
fn a_unit_with_a_hundred_thousand_revisions_imports_merges_and_exports_whole() {
    // Before, repeats were looked for in a list (and each stored revision
    // counted its unit's revisions again): a long-edited unit took hours.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, doc) = setup(d);
    let mut v = doc.clone();
    let own = v["units"][0]["revisions"].as_array().unwrap().clone();
    let mut revisions: Vec<Value> = (1..=100_000u32)
        .map(|i| Value::String(format!("{i:032x}")))
        .collect();
    revisions.push(revisions[5].clone());
    revisions.extend(own);
    v["units"][0]["revisions"] = Value::Array(revisions);
    let file = write_json(d, "lang-historia.json", &v);
    let new = d.join("ny.sqlite");
    let (code, err) = run(&new, &["import", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let out = d.join("tillbaka.json");
    let (code, err) = run(&new, &["export", "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let back: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let back = back["units"][0]["revisions"].as_array().unwrap();
    assert_eq!(back.len(), 100_001, "every revision once, the current last");
    assert_eq!(back[0], format!("{:032x}", 1));
    assert_eq!(back[99_999], format!("{:032x}", 100_000));
    // The sample learns them by a merge, and a second merge finds nothing.
    let (code, err) = run(&db, &["merge", new.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let before = std::fs::read(&db).unwrap();
    let (code, err) = run(&db, &["merge", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("Inget nytt"), "{err}");
    assert!(std::fs::read(&db).unwrap() == before);
}

#[test]
fn a_file_locked_by_another_program_is_refused_and_a_stale_lock_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, doc) = setup(d);
    let mut changed = doc.clone();
    changed["units"][0]["name"] = "Nytt namn".into();
    let file = write_json(d, "andrad.json", &changed);
    let lock_path = malgrupp::store::lock::lock_path(&db);
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    held.lock().unwrap();
    for args in [
        vec!["merge", file.to_str().unwrap()],
        vec!["merge", file.to_str().unwrap(), "--prefer", "theirs"],
        vec!["import", file.to_str().unwrap(), "--replace"],
    ] {
        refused_with(
            &db,
            &args,
            &[db.to_str().unwrap(), "används av ett annat program"],
        );
    }
    // Readers need no lock.
    let (code, err) = run(&db, &["status"]);
    assert_eq!(code, Some(0), "{err}");
    held.unlock().unwrap();
    drop(held);
    // A lock file nobody holds (a killed program's) is no obstacle.
    assert!(lock_path.exists());
    let (code, err) = run(&db, &["merge", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("1 uppdaterade"), "{err}");
    assert!(!lock_path.exists(), "the lock file is removed again");
}

#[test]
fn log_since_garbage_and_status_without_a_survey_are_refused_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, _) = setup(d);
    let long = "x".repeat(100_000);
    for since in [
        "2026-13-45",
        "2026-02-30",
        "igår",
        "",
        "20260101",
        long.as_str(),
    ] {
        refused_with(
            &db,
            &["log", "--since", since],
            &["--since", "är inget datum", "ÅÅÅÅ-MM-DD"],
        );
    }
    let (_, err) = run(&db, &["log", "--since", &long]);
    assert!(
        err.len() < 300,
        "the garbage is not echoed whole: {} bytes",
        err.len()
    );

    // A database of ours without any survey.
    let empty = tampered(
        &db,
        "utan.sqlite",
        "PRAGMA foreign_keys = ON; DELETE FROM survey;",
    );
    for format in ["text", "json"] {
        refused_with(
            &empty,
            &["status", "--format", format],
            &["utan.sqlite", "ingen kartläggning", "malgrupp import"],
        );
    }
    // An empty file.
    let zero = d.join("noll.sqlite");
    std::fs::write(&zero, b"").unwrap();
    refused_with(&zero, &["status"], &["noll.sqlite", "tom fil (0 byte)"]);
}
