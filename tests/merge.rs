//! Stable ids and `malgrupp merge`: two copies of the sample edited on
//! different units merge without a question, a unit changed in both is a
//! conflict that changes nothing until `--prefer` settles it, and merging
//! the same file again changes nothing.

mod common;

use std::path::{Path, PathBuf};

use common::{imported, malgrupp, sample};
use malgrupp::model::identity::Id;
use malgrupp::model::{Cell, Survey};
use malgrupp::store::{Access, Store};

fn load(db: &Path) -> Survey {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    store.load(&name).unwrap()
}

/// Changes unit `u` of the file with `edit`, as the app saves it.
fn edit(db: &Path, u: usize, edit: impl FnOnce(&mut malgrupp::model::Unit)) {
    let mut survey = load(db);
    edit(&mut survey.units[u]);
    let mut store = Store::open(db, Access::ReadWrite).unwrap();
    store
        .save_unit(&survey.frame.name, &survey.layout(), u, &survey.units[u])
        .unwrap();
}

/// The sample imported into `a.sqlite`, and a copy `b.sqlite` of it.
fn two_copies(dir: &Path) -> (PathBuf, PathBuf) {
    let a = imported(dir, &sample());
    let b = dir.join("b.sqlite");
    std::fs::copy(&a, &b).unwrap();
    (a, b)
}

fn merge(db: &Path, other: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = malgrupp()
        .args([
            "merge",
            other.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn ids(survey: &Survey) -> Vec<u128> {
    survey.units.iter().map(|u| u.id.get()).collect()
}

#[test]
fn copies_edited_on_different_units_merge_and_merging_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_copies(dir.path());
    let before = load(&a);

    // Here: unit 0's first count. There: unit 3's note, a new unit, and
    // unit 5 deleted.
    edit(&a, 0, |u| u.groups[0].row.count = Cell::new(4711));
    let finding = malgrupp::model::check::Finding::in_group(
        3,
        0,
        malgrupp::model::check::Subject::Count,
        malgrupp::model::check::Kind::Estimated,
    );
    edit(&b, 3, |u| {
        u.note = Some("Ringd av Åsa, mars".into());
        u.set_review(&finding, "bekräftat med enheten 12/3".into());
    });
    let added = {
        let mut theirs = load(&b);
        let mut unit = theirs.units[1].clone();
        unit.id = Id::random();
        unit.lineage = Default::default();
        unit.name = "Nytt team Nora".into();
        let at = theirs.units.len();
        let mut store = Store::open(&b, Access::ReadWrite).unwrap();
        store
            .insert_unit(&theirs.frame.name, &theirs.layout(), at, &unit)
            .unwrap();
        store.delete_unit(&theirs.frame.name, 5).unwrap();
        theirs.units.push(unit.clone());
        unit
    };
    let other_bytes = std::fs::read(&b).unwrap();

    let (code, _, said) = merge(&a, &b, &[]);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("1 tillagda, 1 uppdaterade, 1 borttagna"),
        "{said}"
    );
    assert!(
        std::fs::read(&b).unwrap() == other_bytes,
        "the other file is never written"
    );

    let merged = load(&a);
    assert_eq!(merged.units[0].groups[0].row.count, Cell::new(4711));
    assert_eq!(merged.units[3].note.as_deref(), Some("Ringd av Åsa, mars"));
    // Review marks come along with their unit.
    assert_eq!(
        merged.units[3]
            .review_of(&finding)
            .map(|r| r.comment.as_str()),
        Some("bekräftat med enheten 12/3")
    );
    assert!(!ids(&merged).contains(&before.units[5].id.get()));
    let last = merged.units.last().unwrap();
    assert_eq!(
        (last.id.get(), last.name.as_str()),
        (added.id.get(), "Nytt team Nora")
    );
    assert_eq!(merged.units.len(), before.units.len());

    // The same file again: nothing new, not a byte changed.
    let merged_bytes = std::fs::read(&a).unwrap();
    let (code, _, said) = merge(&a, &b, &[]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("Inget nytt"), "{said}");
    assert!(
        std::fs::read(&a).unwrap() == merged_bytes,
        "merging again wrote"
    );

    // And the other way round, through the survey document: b gets a's
    // edit, keeps its own, and both files then hold the same units.
    let doc = dir.path().join("a.json");
    malgrupp()
        .args([
            "export",
            "--db",
            a.to_str().unwrap(),
            "--out",
            doc.to_str().unwrap(),
        ])
        .assert()
        .success();
    let (code, _, said) = merge(&b, &doc, &[]);
    assert_eq!(code, 0, "{said}");
    assert_eq!(load(&b), load(&a));
    assert_eq!(ids(&load(&b)), ids(&load(&a)));
}

#[test]
fn a_unit_changed_in_both_files_is_a_conflict_until_prefer_settles_it() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_copies(dir.path());
    edit(&a, 2, |u| u.groups[0].row.count = Cell::new(11));
    edit(&b, 2, |u| u.groups[0].row.count = Cell::new(22));
    let unit = load(&a).units[2].name.clone();
    let mine_bytes = std::fs::read(&a).unwrap();

    let (code, listed, said) = merge(&a, &b, &[]);
    assert_eq!(code, 1, "{said}");
    assert!(
        listed.contains("1 enhet är ändrad på båda håll"),
        "{listed}"
    );
    assert!(
        listed.contains(&format!("/ {unit}: ändrad i båda filerna")),
        "{listed}"
    );
    assert!(listed.contains("antal (11 här, 22 där)"), "{listed}");
    assert!(said.contains("--prefer"), "{said}");
    assert!(
        std::fs::read(&a).unwrap() == mine_bytes,
        "a conflict changes nothing"
    );

    let (code, _, said) = merge(&a, &b, &["--prefer", "theirs"]);
    assert_eq!(code, 0, "{said}");
    assert_eq!(load(&a).units[2].groups[0].row.count, Cell::new(22));
    // Settled: the same file again is no conflict.
    let (code, _, said) = merge(&a, &b, &[]);
    assert_eq!((code, said.contains("Inget nytt")), (0, true), "{said}");

    // Ours kept: the other file's version becomes its past.
    let (c, d) = (dir.path().join("c.sqlite"), dir.path().join("d.sqlite"));
    std::fs::copy(&b, &c).unwrap();
    std::fs::copy(&b, &d).unwrap();
    edit(&c, 4, |u| u.name = "Mitt namn".into());
    edit(&d, 4, |u| u.name = "Ditt namn".into());
    let (code, _, said) = merge(&c, &d, &["--prefer", "mine"]);
    assert_eq!(code, 0, "{said}");
    assert_eq!(load(&c).units[4].name, "Mitt namn");
    let (code, _, said) = merge(&c, &d, &[]);
    assert_eq!((code, said.contains("Inget nytt")), (0, true), "{said}");
}

#[test]
fn files_of_different_frames_are_refused_naming_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_copies(dir.path());
    let survey = load(&b);
    let mut frame = survey.frame.clone();
    frame.municipalities[0] = "Testkommun".into();
    Store::open(&b, Access::ReadWrite)
        .unwrap()
        .update_frame(&survey.frame.name, &frame)
        .unwrap();
    let mine_bytes = std::fs::read(&a).unwrap();
    let (code, _, said) = merge(&a, &b, &["--prefer", "theirs"]);
    assert_eq!(code, 2, "{said}");
    assert!(
        said.contains("ramen skiljer sig")
            && said.contains("kommunerna")
            && said.contains("”Testkommun”"),
        "{said}"
    );
    assert!(
        std::fs::read(&a).unwrap() == mine_bytes,
        "refused, yet written"
    );
    // Nor with itself.
    let (code, _, said) = merge(&a, &a, &[]);
    assert_eq!(code, 2);
    assert!(said.contains("den öppna filen"), "{said}");
}

#[test]
fn ids_survive_renaming_and_export_import_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = two_copies(dir.path());
    let before = load(&a);
    assert!(before.units.iter().all(|u| u.id.get() != 0));
    edit(&a, 1, |u| {
        u.name = "Omdöpt enhet".into();
        u.groups[0].label = "Omdöpt målgrupp".into();
    });
    let renamed = load(&a);
    assert_eq!(ids(&renamed), ids(&before));
    assert_eq!(
        renamed.units[1].groups[0].id.get(),
        before.units[1].groups[0].id.get()
    );

    let doc = dir.path().join("a.json");
    malgrupp()
        .args([
            "export",
            "--db",
            a.to_str().unwrap(),
            "--out",
            doc.to_str().unwrap(),
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&doc).unwrap();
    assert!(text.contains(&format!("\"id\": \"{}\"", before.units[1].id)));
    let again = dir.path().join("again.sqlite");
    malgrupp()
        .args([
            "import",
            doc.to_str().unwrap(),
            "--db",
            again.to_str().unwrap(),
        ])
        .assert()
        .success();
    let back = load(&again);
    assert_eq!(ids(&back), ids(&renamed));
    let group_ids = |s: &Survey| -> Vec<u128> {
        s.units
            .iter()
            .flat_map(|u| u.groups.iter().map(|g| g.id.get()))
            .collect()
    };
    assert_eq!(group_ids(&back), group_ids(&renamed));
}

#[test]
fn a_document_with_a_malformed_or_repeated_id_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sample()).unwrap()).unwrap();
    doc["units"][1]["id"] = "inte-ett-id".into();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = malgrupp()
        .args([
            "import",
            bad.to_str().unwrap(),
            "--db",
            dir.path().join("x.sqlite").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let said = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("units[1].id") && said.contains("32 hexadecimala"),
        "{said}"
    );

    let id = "0123456789abcdef0123456789abcdef";
    doc["units"][0]["id"] = id.into();
    doc["units"][1]["id"] = id.into();
    std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = malgrupp()
        .args([
            "import",
            bad.to_str().unwrap(),
            "--db",
            dir.path().join("x.sqlite").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let said = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("units[1].id") && said.contains("samma id som enhet 1"),
        "{said}"
    );
}

/// The sample in a file of the schema before ids (version 2 of the file,
/// as written before this change): the ids and revisions taken out again.
fn older_file(dir: &Path) -> PathBuf {
    let db = imported(dir, &sample());
    let conn = rusqlite::Connection::open(&db).unwrap();
    // The version before the migration that adds ids (found by what it
    // creates, so that renumbering the migrations keeps this right).
    let before_ids = malgrupp::store::schema::MIGRATIONS
        .iter()
        .position(|m| m.contains("CREATE TABLE unit_deleted"))
        .unwrap() as i64;
    conn.execute_batch(
        "DROP INDEX unit_by_uid;
         ALTER TABLE unit DROP COLUMN uid;
         ALTER TABLE target_group DROP COLUMN uid;
         DROP TABLE unit_revision;
         DROP TABLE unit_deleted;",
    )
    .unwrap();
    conn.pragma_update(None, "user_version", before_ids)
        .unwrap();
    db
}

#[test]
fn copies_of_an_older_file_upgraded_apart_merge_as_copies() {
    let dir = tempfile::tempdir().unwrap();
    let a = older_file(dir.path());
    let b = dir.path().join("b.sqlite");
    let c = dir.path().join("c.sqlite");
    std::fs::copy(&a, &b).unwrap();
    std::fs::copy(&a, &c).unwrap();
    let old_bytes = std::fs::read(&c).unwrap();

    // Each upgraded on its own computer, then edited on different units.
    edit(&a, 0, |u| u.note = Some("här".into()));
    edit(&b, 1, |u| u.note = Some("där".into()));
    let (code, _, said) = merge(&a, &b, &[]);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("0 tillagda, 1 uppdaterade, 0 borttagna"),
        "{said}"
    );
    let merged = load(&a);
    assert_eq!(merged.units.len(), 8);
    assert_eq!(merged.units[0].note.as_deref(), Some("här"));
    assert_eq!(merged.units[1].note.as_deref(), Some("där"));

    // An older other file is read as it is and left untouched.
    let (code, _, said) = merge(&a, &c, &[]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("Inget nytt"), "{said}");
    assert!(
        std::fs::read(&c).unwrap() == old_bytes,
        "the older other file was written"
    );
}

#[test]
fn a_unit_deleted_here_and_changed_there_is_a_conflict_and_theirs_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = two_copies(dir.path());
    let gone = load(&a).units[6].clone();
    {
        let survey = load(&a);
        let mut store = Store::open(&a, Access::ReadWrite).unwrap();
        store.delete_unit(&survey.frame.name, 6).unwrap();
    }
    edit(&b, 6, |u| u.note = Some("Kompletterad".into()));

    let (code, listed, said) = merge(&a, &b, &[]);
    assert_eq!(code, 1, "{said}");
    assert!(
        listed.contains(&format!(
            "/ {}: borttagen här, ändrad i den andra filen",
            gone.name
        )),
        "{listed}"
    );
    let (code, _, said) = merge(&a, &b, &["--prefer", "theirs"]);
    assert_eq!(code, 0, "{said}");
    let back = load(&a);
    let unit = back.units.last().unwrap();
    assert_eq!(unit.id.get(), gone.id.get());
    assert_eq!(unit.note.as_deref(), Some("Kompletterad"));

    // Deleted there and unchanged here: deleted here too, and stays so.
    let c = dir.path().join("c.sqlite");
    std::fs::copy(&b, &c).unwrap();
    {
        let survey = load(&c);
        let mut store = Store::open(&c, Access::ReadWrite).unwrap();
        store.delete_unit(&survey.frame.name, 0).unwrap();
    }
    let first = load(&b).units[0].id.get();
    let (code, _, said) = merge(&b, &c, &[]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("1 borttagna"), "{said}");
    assert!(!ids(&load(&b)).contains(&first));
    let (code, _, said) = merge(&c, &b, &[]);
    assert_eq!((code, said.contains("Inget nytt")), (0, true), "{said}");
}
