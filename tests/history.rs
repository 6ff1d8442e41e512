//! The change history: every write path logs field-level changes with who
//! and how, in the same transaction; `malgrupp log` shows them as text,
//! JSON and CSV; the table cannot be rewritten.

mod common;

use common::{imported, json_of, malgrupp, sample};
use malgrupp::model::history::How;
use malgrupp::model::{Cell, Dimension, Survey};
use malgrupp::store::history::Query;
use malgrupp::store::{Access, Store};
use malgrupp::ui::document::{Change, Document};
use serde_json::{Value, json};

const NAME: &str = "Kartläggning av målgrupper, Norra länsdelen";
const UNIT: &str = "Socialförvaltningen Hällefors";

fn reloaded(db: &std::path::Path) -> Survey {
    Store::open(db, Access::ReadOnly)
        .unwrap()
        .load(NAME)
        .unwrap()
}

fn log(db: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["log"];
    all.extend_from_slice(args);
    let (value, code) = json_of(db, &all);
    assert_eq!(code, 0, "{value}");
    let obj = value.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["changes"]);
    value["changes"].as_array().unwrap().clone()
}

#[test]
fn an_edit_is_logged_field_by_field_with_who_and_how_and_log_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let imported_entries = log(&db, &[]);
    let survey = reloaded(&db);
    assert_eq!(imported_entries.len(), survey.units.len());
    assert!(
        imported_entries
            .iter()
            .all(|e| e["how"] == "import" && e["field"] == "unit")
    );

    let layout = survey.layout();
    let mut unit = survey.units[0].clone();
    assert_eq!(unit.name, UNIT);
    let g = &mut unit.groups[0];
    let (label, old_count) = (g.label.clone(), g.row.count);
    g.row.count = Cell::new(4711);
    let women = layout.range(Dimension::Sex).start;
    let old_women = g.row.cells[women];
    g.row.cells[women] = Cell::BLANK;
    let mut store = Store::open(&db, Access::ReadWrite).unwrap();
    store.set_user("Åsa Öberg").unwrap();
    store.save_unit(NAME, &layout, 0, &unit).unwrap();
    drop(store);

    let entries = log(&db, &["--unit", UNIT]);
    let edits: Vec<&Value> = entries.iter().filter(|e| e["how"] == "edit").collect();
    assert_eq!(edits.len(), 2, "{entries:#?}");
    let time = edits[0]["time"].as_str().unwrap();
    assert!(time.ends_with('Z') && time.len() == 24, "{time}");
    let sex = format!("sex:{}", survey.frame.sex[0]);
    let expected = [
        (
            "count",
            old_count.get().map(|v| v.to_string()),
            Some("4711".to_owned()),
        ),
        (sex.as_str(), old_women.get().map(|v| v.to_string()), None),
    ];
    for (field, old, new) in expected {
        let e = edits
            .iter()
            .find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("{field} in {edits:#?}"));
        let mut e = (*e).clone();
        e.as_object_mut().unwrap().remove("time");
        assert_eq!(
            e,
            json!({"user": "Åsa Öberg", "unit": UNIT, "rank": 1, "label": label,
                   "field": field, "old": old, "new": new, "how": "edit"})
        );
    }
    // The import's entry for the unit is older, so it comes last.
    assert_eq!(entries.last().unwrap()["how"], "import");
    assert_eq!(entries.len(), 3);

    // Text for people, CSV for scripts.
    let out = malgrupp()
        .args(["log", "--unit", UNIT, "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().any(|l| l.contains("Åsa Öberg")
            && l.contains(&format!("{UNIT}, rang 1 ”{label}”  antal: "))
            && l.ends_with("→ 4711  (ändring)")),
        "{text}"
    );
    let out = malgrupp()
        .args(["log", "--format", "csv", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        csv.lines().next(),
        Some("time,user,unit,rank,label,field,old,new,how")
    );
    assert_eq!(csv.lines().count(), 1 + survey.units.len() + 2);

    // --since: nothing after tomorrow; everything since a year ago.
    assert!(log(&db, &["--since", "2999-01-01"]).is_empty());
    assert_eq!(
        log(&db, &["--since", "2000-01-01"]).len(),
        survey.units.len() + 2
    );
}

#[test]
fn log_refuses_a_bad_date_an_unknown_unit_and_an_empty_user_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let db = db.to_str().unwrap();
    malgrupp()
        .args(["log", "--since", "27/11/2026", "--db", db])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "”27/11/2026” är inget datum; skriv ÅÅÅÅ-MM-DD",
        ));
    malgrupp()
        .args(["log", "--unit", "Finns inte", "--db", db])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "enheten ”Finns inte” finns inte i kartläggningen",
        ));
    let doc = sample();
    malgrupp()
        .args(["import", doc.to_str().unwrap(), "--replace", "--user", " "])
        .args(["--db", db])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--user: namnet får inte vara tomt",
        ));
}

#[test]
fn import_replace_logs_only_the_differences_under_the_same_survey() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut doc: Value = serde_json::from_slice(&std::fs::read(sample()).unwrap()).unwrap();
    let group = &mut doc["units"][1]["groups"][0];
    let old = group["count"].clone();
    group["count"] = json!(old.as_u64().unwrap_or(0) + 5);
    let label = group["label"].clone();
    let unit = doc["units"][1]["name"].as_str().unwrap().to_owned();
    doc["units"].as_array_mut().unwrap().remove(7);
    let changed = dir.path().join("ändrad.json");
    std::fs::write(&changed, serde_json::to_vec(&doc).unwrap()).unwrap();
    malgrupp()
        .args([
            "--user",
            "Bo",
            "import",
            changed.to_str().unwrap(),
            "--replace",
        ])
        .args(["--db", db.to_str().unwrap()])
        .assert()
        .success();
    let entries = log(&db, &[]);
    let bo: Vec<&Value> = entries.iter().filter(|e| e["user"] == "Bo").collect();
    let count = bo
        .iter()
        .find(|e| e["field"] == "count" && e["unit"] == json!(unit))
        .unwrap();
    assert_eq!(
        (
            &count["unit"],
            &count["label"],
            &count["old"],
            &count["new"]
        ),
        (
            &json!(unit),
            &label,
            &json!(old.as_u64().map(|v| v.to_string())),
            &json!((old.as_u64().unwrap_or(0) + 5).to_string())
        )
    );
    // The unit removed: its deletion, and each of its fields blanked.
    let gone: Vec<&&Value> = bo.iter().filter(|e| e["field"] == "unit").collect();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0]["new"], Value::Null);
    assert!(bo.iter().all(|e| e["how"] == "import"));
    let others = bo
        .iter()
        .filter(|e| e["unit"] != count["unit"] && e["unit"] != gone[0]["unit"]);
    assert_eq!(others.count(), 0, "{bo:#?}");
}

#[test]
fn the_history_cannot_be_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM history", [], |r| r.get(0))
            .unwrap()
    };
    let before = n(&conn);
    assert!(before > 0);
    for sql in [
        "UPDATE history SET user = 'någon annan'",
        "DELETE FROM history",
    ] {
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("historiken kan inte ändras i efterhand"), "{e}");
    }
    assert_eq!(n(&conn), before);
}

#[test]
fn undo_redo_add_delete_move_frame_and_review_each_log_their_way() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut store = Store::open(&db, Access::ReadWrite).unwrap();
    store.set_user("Cilla").unwrap();
    let mut doc = Document::load(store, NAME).unwrap();
    let label = doc.survey().units[0].groups[1].label.clone();
    doc.edit_unit(0, "antal").unwrap().groups[1].row.count = Cell::new(3);
    doc.commit().unwrap();
    doc.undo().unwrap();
    doc.redo().unwrap();
    let unit = Box::new(doc.survey().units[2].clone());
    let moved = doc.survey().units[3].name.clone();
    doc.apply(
        Change::Remove {
            index: 2,
            unit: unit.clone(),
        },
        "ta bort",
    )
    .unwrap();
    doc.undo().unwrap();
    doc.apply(Change::Move { from: 3, to: 0 }, "flytta")
        .unwrap();
    let before = Box::new(doc.survey().frame.clone());
    let mut after = before.clone();
    after.region = "Örebro län, norra delen".into();
    doc.apply(Change::Frame { before, after }, "ram").unwrap();
    let finding = *doc
        .analysis()
        .findings
        .iter()
        .find(|f| f.unit == 0 && f.group.is_some())
        .unwrap();
    doc.edit_unit(0, "granska")
        .unwrap()
        .set_review(&finding, "bekräftat".into());
    doc.commit().unwrap();

    let unit_name = doc.survey().units[1].name.clone();
    let store = doc.store();
    let cell = store
        .history(
            NAME,
            &Query {
                unit: Some(&unit_name),
                cell: Some((Some(&label), "count")),
                ..Default::default()
            },
        )
        .unwrap();
    let hows: Vec<(&str, Option<&str>, Option<&str>)> = cell
        .iter()
        .map(|e| (e.how.as_str(), e.old.as_deref(), e.new.as_deref()))
        .collect();
    assert_eq!(hows.len(), 3, "{hows:?}");
    assert_eq!(hows[0].0, "redo");
    assert_eq!(hows[1].0, "undo");
    assert_eq!(hows[2].0, "edit");
    assert_eq!(
        (hows[2].2, hows[1].1, hows[0].2),
        (Some("3"), Some("3"), Some("3"))
    );
    assert!(cell.iter().all(|e| e.user == "Cilla"));

    let all = store.history(NAME, &Query::default()).unwrap();
    let ways: Vec<&str> = all.iter().map(|e| e.how.as_str()).collect();
    for how in [
        How::Delete,
        How::Move,
        How::Frame,
        How::Review,
        How::Undo,
        How::Redo,
    ] {
        assert!(ways.contains(&how.key()), "{how:?} in {ways:?}");
    }
    let frame = all.iter().find(|e| e.how == "frame").unwrap();
    assert_eq!(
        (
            frame.unit.as_deref(),
            frame.field.as_str(),
            frame.new.as_deref()
        ),
        (None, "frame:region", Some("Örebro län, norra delen"))
    );
    let mv = all.iter().find(|e| e.how == "move").unwrap();
    assert_eq!(
        (mv.unit.as_deref(), mv.old.as_deref(), mv.new.as_deref()),
        (Some(moved.as_str()), Some("4"), Some("1"))
    );
    // The deleted unit: its deletion and every filled field blanked, then
    // all back with undo.
    let deleted: Vec<_> = all.iter().filter(|e| e.how == "delete").collect();
    assert!(deleted.iter().any(|e| e.field == "unit" && e.new.is_none()));
    assert!(
        deleted
            .iter()
            .all(|e| e.unit.as_deref() == Some(unit.name.as_str()))
    );
    let review = all.iter().find(|e| e.how == "review").unwrap();
    assert!(review.field.starts_with("review:"), "{review:?}");
    assert!(
        review.new.as_deref().unwrap().ends_with(": bekräftat"),
        "{review:?}"
    );
}

#[test]
fn a_version_2_file_gets_a_history_and_logs_from_then_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(common::BACK_TO_VERSION_2).unwrap();
    drop(conn);
    assert!(log(&db, &[]).is_empty());
    let survey = reloaded(&db);
    let mut unit = survey.units[0].clone();
    unit.note = Some("ringde enheten".into());
    let mut store = Store::open(&db, Access::ReadWrite).unwrap();
    store.save_unit(NAME, &survey.layout(), 0, &unit).unwrap();
    drop(store);
    let entries = log(&db, &[]);
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            &entries[0]["field"],
            &entries[0]["new"],
            &entries[0]["rank"]
        ),
        (&json!("note"), &json!("ringde enheten"), &Value::Null)
    );
    assert_eq!(
        entries[0]["user"],
        json!(malgrupp::model::history::default_user())
    );
}

#[test]
fn a_form_read_in_on_the_command_line_is_logged_as_import_form_by_the_user_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let form = dir.path().join("tom.xlsx");
    malgrupp()
        .args(["form", "--unit", UNIT, "--out"])
        .arg(&form)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let filled = dir.path().join("ifylld.xlsx");
    common::fill_form(&form, &filled, &[("B23", "Unga vuxna"), ("C23", "12")]);
    malgrupp()
        .args(["import-form", "--unit", UNIT, "--user", "Dora"])
        .arg(&filled)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let entries = log(&db, &["--unit", UNIT]);
    let form_entries: Vec<&Value> = entries
        .iter()
        .filter(|e| e["how"] == "import-form")
        .collect();
    assert!(!form_entries.is_empty());
    assert!(form_entries.iter().all(|e| e["user"] == "Dora"));
    assert!(
        form_entries
            .iter()
            .any(|e| e["label"] == "Unga vuxna" && e["field"] == "count" && e["new"] == "12"),
        "{form_entries:#?}"
    );
    // Only the form's entries and the import's.
    assert_eq!(entries.len(), form_entries.len() + 1);
}
