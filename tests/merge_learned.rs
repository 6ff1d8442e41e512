//! `malgrupp merge` of a file that changes no unit but knows more of their
//! past (revisions, deleted units) writes that past and says so, rather than
//! "Inget nytt"; merging it again is then nothing new.

mod common;

use std::path::{Path, PathBuf};

use common::{imported, run, sample};
use serde_json::{Value, json};

/// The sample imported into `dir`, and its exported document.
fn setup(dir: &Path) -> (PathBuf, Value) {
    let db = imported(dir, &sample());
    let doc = dir.join("exporterad.json");
    let (code, err) = run(&db, &["export", "--out", doc.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let value = serde_json::from_slice(&std::fs::read(&doc).unwrap()).unwrap();
    (db, value)
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path
}

/// The revisions of unit `u` as the database now exports them.
fn revisions(db: &Path, u: usize) -> Vec<Value> {
    let out = db.with_file_name("tillbaka.json");
    let (code, err) = run(db, &["export", "--out", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let back: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    back["units"][u]["revisions"].as_array().unwrap().clone()
}

#[test]
fn a_merge_that_only_learns_revisions_says_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, mut doc) = setup(d);
    // Two units had a past there that this file never saw; their current
    // revision (the last) is the same, so no unit changes.
    let old = [
        "00000000000000000000000000000abc",
        "00000000000000000000000000000def",
    ];
    for (u, old) in old.iter().enumerate() {
        let revs = doc["units"][u]["revisions"].as_array_mut().unwrap();
        revs.insert(0, json!(old));
    }
    let other = write(d, "annan.json", &doc);
    let units_before = revisions(&db, 0).len();

    let (code, err) = run(&db, &["merge", other.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("Inget nytt"), "{err}");
    assert!(
        err.contains("Inga enheter i ”") && err.contains("ändrades av"),
        "{err}"
    );
    assert!(
        err.contains("2 enheters historik (revisioner) lades till."),
        "{err}"
    );
    assert!(err.contains("annan.json"), "{err}");
    // It was written: the database knows the old revisions now.
    let now = revisions(&db, 0);
    assert_eq!(now.len(), units_before + 1);
    assert!(now.contains(&json!(old[0])), "{now:?}");

    // Again: now truly nothing new, and the file is untouched.
    let before = std::fs::read(&db).unwrap();
    let (code, err) = run(&db, &["merge", other.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("Inget nytt"), "{err}");
    assert!(std::fs::read(&db).unwrap() == before);
}

#[test]
fn a_merge_that_only_learns_a_deletion_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (db, mut doc) = setup(d);
    // A unit added and deleted there, never seen here.
    doc["deleted_units"] = json!([{
        "id": "0000000000000000000000000000beef",
        "revisions": ["0000000000000000000000000000cafe"]
    }]);
    let other = write(d, "annan.json", &doc);
    let (code, err) = run(&db, &["merge", other.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("1 enhet som tagits bort i den andra filen antecknades som borttagen."),
        "{err}"
    );
    let (code, err) = run(&db, &["merge", other.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("Inget nytt"), "{err}");
}
