//! The change history of what the app does as one step for many cells
//! (egui_kittest): a theme set from the groups grid, and a whole merge,
//! each with its undo (Ctrl+Z) and redo (Ctrl+Y) logged, nothing rewritten.

mod common;

use common::app::{harness_sized, on_disk};
use common::{fixture, imported, sample};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::model::Cell;
use malgrupp::store::history::{Entry, Query};
use malgrupp::store::{Access, Store};
use malgrupp::ui::App;

fn ctrl(h: &mut Harness<'_, App>, k: Key) {
    h.key_press_modifiers(Modifiers::COMMAND, k);
    h.run();
}

fn history(db: &std::path::Path) -> Vec<Entry> {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    store.history(&name, &Query::default()).unwrap()
}

type Short = (String, String, Option<String>, Option<String>);

fn short<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<Short> {
    entries
        .into_iter()
        .map(|e| (e.how.clone(), e.field.clone(), e.old.clone(), e.new.clone()))
        .collect()
}

#[test]
fn a_theme_set_in_the_grid_and_its_undo_and_redo_are_in_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let mut h = harness_sized(&db, egui::vec2(2600.0, 1000.0));
    h.run();
    let label = on_disk(&db).units[0].groups[3].label.clone();
    h.get_by_label("Rang 4, föreslaget tema Äldre").click();
    h.run();
    ctrl(&mut h, Key::Z);
    ctrl(&mut h, Key::Y);
    let all = history(&db);
    let themes: Vec<&Entry> = all.iter().filter(|e| e.field == "themes").collect();
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        short(themes.iter().copied()),
        vec![
            ("redo".into(), "themes".into(), None, s("Äldre")),
            ("undo".into(), "themes".into(), s("Äldre"), None),
            ("edit".into(), "themes".into(), None, s("Äldre")),
        ]
    );
    assert!(
        themes
            .iter()
            .all(|e| e.label.as_deref() == Some(label.as_str()) && e.rank == Some(4))
    );
}

#[test]
fn undo_and_redo_of_a_whole_merge_are_logged_field_by_field_and_nothing_is_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let a = imported(dir.path(), &sample());
    let b = dir.path().join("kollega.sqlite");
    std::fs::copy(&a, &b).unwrap();
    let mut colleague = Store::open(&b, Access::ReadWrite).unwrap();
    let name = colleague.resolve_survey(None).unwrap();
    let mut theirs = colleague.load(&name).unwrap();
    let old_count = theirs.units[2].groups[0].row.count;
    theirs.units[2].groups[0].row.count = Cell::new(22);
    colleague
        .save_unit(&name, &theirs.layout(), 2, &theirs.units[2])
        .unwrap();
    drop(colleague);
    let unit = theirs.units[2].name.clone();
    let label = theirs.units[2].groups[0].label.clone();

    let mut h = harness_sized(&a, egui::vec2(1600.0, 1000.0));
    h.run();
    h.state_mut().merge_from(&b);
    h.run();
    assert_eq!(h.state().error, None);
    assert_eq!(on_disk(&a).units[2].groups[0].row.count, Cell::new(22));
    let after_merge = history(&a);
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&a).units[2].groups[0].row.count, old_count);
    let after_undo = history(&a);
    ctrl(&mut h, Key::Y);
    assert_eq!(on_disk(&a).units[2].groups[0].row.count, Cell::new(22));
    let after_redo = history(&a);

    // Appended only: what was there is there unchanged, newest first.
    assert!(after_undo.ends_with(&after_merge));
    assert!(after_redo.ends_with(&after_undo));
    let old = old_count.get().map(|v| v.to_string());
    let s = |v: &str| Some(v.to_owned());
    let cell: Vec<&Entry> = after_redo
        .iter()
        .filter(|e| {
            e.unit.as_deref() == Some(unit.as_str())
                && e.label.as_deref() == Some(label.as_str())
                && e.field == "count"
        })
        .collect();
    assert_eq!(
        short(cell.iter().copied()),
        vec![
            ("redo".into(), "count".into(), old.clone(), s("22")),
            ("undo".into(), "count".into(), s("22"), old.clone()),
            ("merge".into(), "count".into(), old.clone(), s("22")),
        ]
    );
    // The undo and the redo change that cell and nothing else.
    let new_in = |longer: &[Entry], shorter: &[Entry]| -> Vec<Short> {
        short(&longer[..longer.len() - shorter.len()])
    };
    assert_eq!(
        new_in(&after_undo, &after_merge),
        vec![("undo".into(), "count".into(), s("22"), old.clone())]
    );
    assert_eq!(
        new_in(&after_redo, &after_undo),
        vec![("redo".into(), "count".into(), old, s("22"))]
    );
}

/// Appends `n` edits of rank 1's count of the first unit to the history,
/// as years of typing would have left them.
fn long_history(db: &std::path::Path, n: usize) -> (String, String) {
    use malgrupp::model::history::{FieldChange, How};
    let survey = on_disk(db);
    let (unit, label) = (
        survey.units[0].name.clone(),
        survey.units[0].groups[0].label.clone(),
    );
    let mut conn = rusqlite::Connection::open(db).unwrap();
    let sid: i64 = conn
        .query_row(
            "SELECT id FROM survey WHERE name = ?1",
            [&survey.frame.name],
            |r| r.get(0),
        )
        .unwrap();
    let changes: Vec<FieldChange> = (0..n)
        .map(|i| FieldChange {
            unit: Some(unit.clone()),
            rank: Some(1),
            label: Some(label.clone()),
            field: "count".to_owned(),
            old: Some(i.to_string()),
            new: Some((i + 1).to_string()),
        })
        .collect();
    let tx = conn.transaction().unwrap();
    malgrupp::store::history::record(&tx, sid, "Förr", How::Edit, &changes).unwrap();
    tx.commit().unwrap();
    (unit, label)
}

#[test]
fn a_long_cell_history_shows_its_newest_page_says_so_and_reads_more_and_only_what_is_new() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    long_history(&db, 5_248);
    let mut h = harness_sized(&db, egui::vec2(1600.0, 1000.0));
    h.run();
    h.get_by_label("Rang 1, Antal").click_secondary();
    h.run();
    h.get_by_label("Historik…").click();
    h.run();
    let page = malgrupp::ui::history::PAGE;
    let n = |v: usize| malgrupp::model::validate::thousands(v as u64);
    h.get_by_label(&format!(
        "Visar de {} senaste av 5 248 ändringar (lokal tid).",
        n(page)
    ));
    // The newest first: the last of the edits appended.
    h.get_by_label_contains("antal: 5247 → 5248  (ändring)");
    assert_eq!(h.state().history.rows_read(), page);

    // Page after page, each button saying how many come next.
    let mut shown = page;
    while shown < 5_248 {
        let next = page.min(5_248 - shown);
        h.get_by_label(&format!("Visa {} äldre", n(next))).click();
        h.run();
        shown += next;
        if shown < 5_248 {
            h.get_by_label(&format!(
                "Visar de {} senaste av 5 248 ändringar (lokal tid).",
                n(shown)
            ));
        }
    }
    h.get_by_label("5 248 ändringar, de senaste först (lokal tid).");
    assert!(h.query_by_label_contains("äldre").is_none());
    assert_eq!(h.state().history.rows_read(), 5_248);

    // An edit of another unit's cell: nothing of this history is read again.
    let mut other = on_disk(&db).units[1].clone();
    other.groups[0].row.count = Cell::new(999);
    h.state_mut()
        .doc
        .as_mut()
        .unwrap()
        .apply(
            malgrupp::ui::document::Change::Unit {
                index: 1,
                before: Box::new(on_disk(&db).units[1].clone()),
                after: Box::new(other),
            },
            "antal",
        )
        .unwrap();
    h.run();
    assert_eq!(on_disk(&db).units[1].groups[0].row.count, Cell::new(999));
    assert_eq!(h.state().history.rows_read(), 5_248);
    // An edit of this cell: only the new entry is read, and shown first.
    let mut this = on_disk(&db).units[0].clone();
    let was = this.groups[0].row.count;
    this.groups[0].row.count = Cell::new(4711);
    h.state_mut()
        .doc
        .as_mut()
        .unwrap()
        .apply(
            malgrupp::ui::document::Change::Unit {
                index: 0,
                before: Box::new(on_disk(&db).units[0].clone()),
                after: Box::new(this),
            },
            "antal",
        )
        .unwrap();
    h.run();
    assert_eq!(h.state().history.rows_read(), 5_249);
    h.get_by_label("5 249 ändringar, de senaste först (lokal tid).");
    let was = was.get().map_or("(tomt)".to_owned(), |v| v.to_string());
    h.get_by_label_contains(&format!("antal: {was} → 4711  (ändring)"));
}
