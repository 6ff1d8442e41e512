//! Themes in the change history: tagging groups (one step for many),
//! its undo and redo, a theme renamed in the frame, and themes that come
//! with `import --replace` and a merge, each logged field by field as
//! `themes` (the names in the frame's order, joined with ", ").

mod common;

use common::{fixture, imported, json_of, malgrupp};
use malgrupp::model::Cell;
use malgrupp::store::history::{Entry, Query};
use malgrupp::store::{Access, Store};
use malgrupp::ui::document::{Change, Document, ThemeEdit};
use serde_json::Value;

const UNIT: &str = "Socialförvaltningen Hällefors";

fn name_of(db: &std::path::Path) -> String {
    Store::open(db, Access::ReadOnly)
        .unwrap()
        .resolve_survey(None)
        .unwrap()
}

fn theme_entries(db: &std::path::Path) -> Vec<Entry> {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    let mut all = store.history(&name, &Query::default()).unwrap();
    all.retain(|e| e.field == "themes");
    all
}

type Short = (
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

fn short(entries: &[Entry]) -> Vec<Short> {
    entries
        .iter()
        .map(|e| {
            (
                e.how.clone(),
                e.label.clone(),
                e.field.clone(),
                e.old.clone(),
                e.new.clone(),
            )
        })
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

#[test]
fn tagging_many_groups_is_logged_per_group_and_its_undo_and_redo_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let name = name_of(&db);
    let mut store = Store::open(&db, Access::ReadWrite).unwrap();
    store.set_user("Dana").unwrap();
    let mut doc = Document::load(store, &name).unwrap();
    let unit = &doc.survey().units[0];
    assert_eq!(unit.name, UNIT);
    let (first, second) = (unit.groups[0].label.clone(), unit.groups[1].label.clone());
    assert_eq!(unit.groups[1].themes.as_slice(), [2]);
    // One step for two groups: two themes on the first, the second's taken off.
    let edits = vec![
        ThemeEdit {
            unit: 0,
            group: 0,
            before: Default::default(),
            after: [0u16, 1].into_iter().collect(),
        },
        ThemeEdit {
            unit: 0,
            group: 1,
            before: [2u16].into_iter().collect(),
            after: Default::default(),
        },
    ];
    doc.apply(Change::Themes(edits), "teman").unwrap();
    doc.undo().unwrap();
    doc.redo().unwrap();
    drop(doc.into_store().unwrap());

    let both = "Arbetslösa unga, Sjukskrivna";
    let invandrare = "Invandrare och flyktingar";
    let t = "themes".to_owned();
    assert_eq!(
        short(&theme_entries(&db)),
        vec![
            ("redo".into(), s(&second), t.clone(), s(invandrare), None),
            ("redo".into(), s(&first), t.clone(), None, s(both)),
            ("undo".into(), s(&second), t.clone(), None, s(invandrare)),
            ("undo".into(), s(&first), t.clone(), s(both), None),
            ("edit".into(), s(&second), t.clone(), s(invandrare), None),
            ("edit".into(), s(&first), t.clone(), None, s(both)),
        ]
    );
    assert!(
        theme_entries(&db)
            .iter()
            .all(|e| e.user == "Dana" && e.unit.as_deref() == Some(UNIT) && e.rank.is_some())
    );

    // `malgrupp log`: the JSON has them with their keys, the text in Swedish.
    let (value, code) = json_of(&db, &["log", "--unit", UNIT]);
    assert_eq!(code, 0, "{value}");
    let changes = value["changes"].as_array().unwrap();
    let tagged: Vec<&Value> = changes.iter().filter(|e| e["field"] == "themes").collect();
    assert_eq!(tagged.len(), 6, "{changes:#?}");
    assert_eq!(tagged[5]["how"], "edit");
    assert_eq!(tagged[5]["label"], first.as_str());
    assert_eq!(tagged[5]["old"], Value::Null);
    assert_eq!(tagged[5]["new"], both);
    let out = malgrupp()
        .args(["log", "--unit", UNIT, "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("teman: (tomt) → {both}  (ändring)")),
        "{text}"
    );
    assert!(
        text.contains(&format!("teman: (tomt) → {invandrare}  (ångrad)")),
        "{text}"
    );
}

#[test]
fn a_theme_renamed_in_the_frame_logs_the_frame_and_every_group_that_carries_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let name = name_of(&db);
    let mut doc = Document::load(Store::open(&db, Access::ReadWrite).unwrap(), &name).unwrap();
    let survey = doc.survey().clone();
    let missbruk = survey
        .frame
        .themes
        .iter()
        .position(|t| t.name == "Missbruk")
        .unwrap() as u16;
    let carriers: Vec<(String, String)> = survey
        .units
        .iter()
        .flat_map(|u| u.groups.iter().map(move |g| (u, g)))
        .filter(|(_, g)| g.themes.contains(&missbruk))
        .map(|(u, g)| (u.name.clone(), g.label.clone()))
        .collect();
    assert!(!carriers.is_empty());

    // Keywords only: the frame's line changes, no group's themes do.
    let before = Box::new(survey.frame.clone());
    let mut after = before.clone();
    after.themes[usize::from(missbruk)]
        .keywords
        .push("beroende".into());
    doc.apply(Change::Frame { before, after }, "ram").unwrap();
    // Renamed: every group carrying it shows the new name.
    let before = Box::new(doc.survey().frame.clone());
    let mut after = before.clone();
    after.themes[usize::from(missbruk)].name = "Missbruk och beroende".into();
    doc.apply(Change::Frame { before, after }, "ram").unwrap();
    drop(doc.into_store().unwrap());

    let store = Store::open(&db, Access::ReadOnly).unwrap();
    let all = store.history(&name, &Query::default()).unwrap();
    let frame: Vec<&Entry> = all.iter().filter(|e| e.how == "frame").collect();
    let lines: Vec<&Entry> = frame
        .iter()
        .copied()
        .filter(|e| e.field == "frame:themes")
        .collect();
    assert_eq!(lines.len(), 2, "{frame:#?}");
    assert!(
        lines[1]
            .new
            .as_deref()
            .unwrap()
            .contains("Missbruk: missbruk, beroende"),
        "{:?}",
        lines[1]
    );
    assert!(
        lines[0]
            .new
            .as_deref()
            .unwrap()
            .contains("Missbruk och beroende: missbruk, beroende"),
        "{:?}",
        lines[0]
    );
    let groups: Vec<(String, String)> = frame
        .iter()
        .filter(|e| e.field == "themes")
        .map(|e| {
            let (old, new) = (e.old.as_deref().unwrap(), e.new.as_deref().unwrap());
            assert!(
                old.contains("Missbruk") && !old.contains("beroende"),
                "{e:?}"
            );
            assert_eq!(new, old.replace("Missbruk", "Missbruk och beroende"));
            (e.unit.clone().unwrap(), e.label.clone().unwrap())
        })
        .collect();
    assert_eq!(groups, carriers);
}

#[test]
fn themes_that_come_with_import_replace_and_with_a_merge_are_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));

    // A document whose first group got a theme: `import --replace` logs it.
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("themes.json")).unwrap()).unwrap();
    doc["units"][0]["groups"][0]["themes"] = serde_json::json!(["Sjukskrivna"]);
    let changed = dir.path().join("ändrad.json");
    std::fs::write(&changed, doc.to_string()).unwrap();
    malgrupp()
        .args(["import", changed.to_str().unwrap(), "--replace", "--db"])
        .arg(&db)
        .assert()
        .success();
    let label = doc["units"][0]["groups"][0]["label"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        short(&theme_entries(&db)),
        vec![(
            "import".into(),
            s(&label),
            "themes".into(),
            None,
            s("Sjukskrivna")
        )]
    );

    // A colleague's copy changes a count and the themes of one group; the
    // merge takes their unit and logs both.
    let other = dir.path().join("kollega.sqlite");
    std::fs::copy(&db, &other).unwrap();
    {
        let mut store = Store::open(&other, Access::ReadWrite).unwrap();
        let name = store.resolve_survey(None).unwrap();
        let mut survey = store.load(&name).unwrap();
        let unit = &mut survey.units[1];
        unit.groups[0].row.count = Cell::new(77);
        unit.groups[0].themes = [0u16, 3].into_iter().collect();
        store
            .save_unit(&name, &survey.layout(), 1, &survey.units[1])
            .unwrap();
    }
    let mut themes_before = Store::open(&db, Access::ReadOnly)
        .unwrap()
        .load(&name_of(&db))
        .unwrap()
        .units[1]
        .groups[0]
        .themes
        .to_vec();
    themes_before.sort_unstable();
    malgrupp()
        .args(["merge", other.to_str().unwrap(), "--db"])
        .arg(&db)
        .assert()
        .success();
    let merged = theme_entries(&db);
    let first = &merged[0];
    assert_eq!(first.how, "merge", "{merged:#?}");
    assert_eq!(
        first.new.as_deref(),
        Some("Arbetslösa unga, Kvinnor med eller utan barn")
    );
    let survey = Store::open(&db, Access::ReadOnly)
        .unwrap()
        .load(&name_of(&db))
        .unwrap();
    let old = malgrupp::model::history::themes_value(&survey.frame.themes, &themes_before);
    assert_eq!(first.old, old);
    assert_eq!(survey.units[1].groups[0].themes.as_slice(), [0, 3]);
}

/// Themes are part of a unit's revision: a colleague who only tags groups
/// in their copy gets the tags merged in (a merge that went by the other
/// fields alone kept the unit as unchanged and dropped them), and merging
/// the same file again changes nothing.
#[test]
fn a_colleague_who_only_tags_themes_has_the_tags_merged_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let other = dir.path().join("kollegans kopia.sqlite");
    std::fs::copy(&db, &other).unwrap();
    {
        let name = name_of(&other);
        let mut store = Store::open(&other, Access::ReadWrite).unwrap();
        store.set_user("Kollega").unwrap();
        let mut doc = Document::load(store, &name).unwrap();
        let before = doc.survey().units[0].groups[0].themes.clone();
        assert!(before.is_empty(), "the fixture's first group is untagged");
        doc.apply(
            Change::Themes(vec![ThemeEdit {
                unit: 0,
                group: 0,
                before,
                after: [1u16].into_iter().collect(),
            }]),
            "teman",
        )
        .unwrap();
        drop(doc.into_store().unwrap());
    }
    for _ in 0..2 {
        malgrupp()
            .args(["merge", other.to_str().unwrap(), "--db"])
            .arg(&db)
            .assert()
            .success();
    }
    let survey = Store::open(&db, Access::ReadOnly)
        .unwrap()
        .load(&name_of(&db))
        .unwrap();
    assert_eq!(survey.units[0].groups[0].themes.as_slice(), [1]);
    let merged: Vec<Entry> = theme_entries(&db)
        .into_iter()
        .filter(|e| e.how == "merge")
        .collect();
    assert_eq!(merged.len(), 1, "{merged:#?}");
    assert_eq!(merged[0].new.as_deref(), Some("Sjukskrivna"));
}

/// The colleague's file as a survey document edited by `change`, imported
/// into a database of its own.
fn colleague_with(
    dir: &std::path::Path,
    db: &std::path::Path,
    change: impl Fn(&mut Value),
) -> std::path::PathBuf {
    let exported = dir.join("export.json");
    malgrupp()
        .args(["export", "--db", db.to_str().unwrap(), "--out"])
        .arg(&exported)
        .assert()
        .success();
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    change(&mut doc);
    let edited = dir.join("kollega.json");
    std::fs::write(&edited, doc.to_string()).unwrap();
    let other = dir.join("kollega.sqlite");
    malgrupp()
        .args(["import", edited.to_str().unwrap(), "--db"])
        .arg(&other)
        .assert()
        .success();
    other
}

/// A group's themes are kept as positions in its file's list of themes;
/// a colleague's file whose list has the same names in another order
/// merges by name (each group keeps the themes it names), and one with a
/// theme this file lacks is refused with the theme named, nothing changed
/// (copied as positions, the first gave groups other themes and the second
/// left a file that could no longer be opened).
#[test]
fn a_colleague_s_themes_are_merged_by_name_not_by_position() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let themes_of = |db: &std::path::Path| -> Vec<Vec<String>> {
        let survey = Store::open(db, Access::ReadOnly)
            .unwrap()
            .load(&name_of(db))
            .unwrap();
        survey
            .units
            .iter()
            .flat_map(|u| &u.groups)
            .map(|g| {
                g.themes
                    .iter()
                    .map(|t| survey.frame.themes[usize::from(*t)].name.clone())
                    .collect()
            })
            .collect()
    };
    let before = themes_of(&db);
    assert!(before.iter().filter(|t| !t.is_empty()).count() > 3);

    // A theme only in the colleague's file: refused, the file untouched.
    let extra = colleague_with(dir.path(), &db, |doc| {
        doc["survey"]["themes"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"name": "Nyanlända"}));
        doc["units"][0]["groups"][0]["themes"] = serde_json::json!(["Nyanlända"]);
    });
    let bytes = std::fs::read(&db).unwrap();
    let out = malgrupp()
        .args(["merge", extra.to_str().unwrap(), "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("”Nyanlända”") && said.contains("inget är ändrat"),
        "{said}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
    std::fs::remove_file(&extra).unwrap();

    // The same themes in reverse order, and one group newly tagged.
    let reordered = colleague_with(dir.path(), &db, |doc| {
        doc["survey"]["themes"].as_array_mut().unwrap().reverse();
        doc["units"][0]["groups"][0]["themes"] = serde_json::json!(["Sjukskrivna"]);
    });
    let out = malgrupp()
        .args(["merge", reordered.to_str().unwrap(), "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut expected = before.clone();
    expected[0] = vec!["Sjukskrivna".to_owned()];
    assert_eq!(themes_of(&db), expected);
    // Only the retagged unit was taken.
    let merged: Vec<Entry> = theme_entries(&db)
        .into_iter()
        .filter(|e| e.how == "merge")
        .collect();
    assert_eq!(merged.len(), 1, "{merged:#?}");
}
