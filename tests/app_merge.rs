//! Arkiv → Slå samman med… in the app (egui_kittest): a conflict's two
//! versions side by side with the differing cells marked, a pick per unit,
//! the merge written in one step and taken back by one undo.

mod common;

use common::app::{harness, on_disk};
use common::{imported, sample};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use malgrupp::model::Cell;
use malgrupp::store::{Access, Store};

fn edit(db: &std::path::Path, u: usize, edit: impl FnOnce(&mut malgrupp::model::Unit)) {
    let mut store = Store::open(db, Access::ReadWrite).unwrap();
    let name = store.resolve_survey(None).unwrap();
    let mut survey = store.load(&name).unwrap();
    edit(&mut survey.units[u]);
    store
        .save_unit(&name, &survey.layout(), u, &survey.units[u])
        .unwrap();
}

#[test]
fn a_conflict_is_shown_side_by_side_picked_per_unit_and_undone_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let a = imported(dir.path(), &sample());
    let b = dir.path().join("kollega.sqlite");
    std::fs::copy(&a, &b).unwrap();
    edit(&a, 2, |u| u.groups[0].row.count = Cell::new(11));
    edit(&b, 2, |u| u.groups[0].row.count = Cell::new(22));
    edit(&b, 0, |u| u.note = Some("Inmatad av kollegan".into()));
    let before = on_disk(&a);
    let unit = before.units[2].name.clone();

    let mut h = harness(&a);
    h.run();
    h.state_mut().merge_from(&b);
    h.run();

    // The conflict, named by municipality, authority and unit, its two
    // versions side by side: the count differs and is marked, the rank not.
    assert!(h.state().merge.is_some(), "{:?}", h.state().error);
    let title = format!(
        "{} / {} / {unit}",
        before.place_name(&before.units[2].place),
        before.frame.authorities[before.units[2].authority]
    );
    h.get_by_label(&title);
    h.get_by_label("ändrad i båda filerna");
    h.get_by_label("≠ Målgrupp 1: antal");
    h.get_by_label("Målgrupp 1: rang");
    assert!(h.query_by_label("≠ Målgrupp 1: rang").is_none());
    h.get_by_label("Den här filen");
    h.get_by_label("Den andra filen");
    h.get_by_label("1 enhet utan val");
    // Nothing is written while the window is open.
    assert_eq!(on_disk(&a).units[2].groups[0].row.count, Cell::new(11));

    h.get_by_label("Ta den andra filens").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Slå samman").click();
    h.run();
    assert!(h.state().merge.is_none());
    assert_eq!(h.state().error, None);
    let merged = on_disk(&a);
    assert_eq!(merged.units[2].groups[0].row.count, Cell::new(22));
    assert_eq!(merged.units[0].note.as_deref(), Some("Inmatad av kollegan"));
    assert_eq!(
        h.state().doc.as_ref().unwrap().survey().units[2].groups[0]
            .row
            .count,
        Cell::new(22)
    );

    // One undo takes the whole merge back, one redo makes it again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let undone = on_disk(&a);
    assert_eq!(undone, before);
    assert_eq!(undone.units[2].groups[0].row.count, Cell::new(11));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(on_disk(&a), merged);
}

#[test]
fn a_merge_without_conflicts_needs_no_window_and_the_same_file_again_brings_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = imported(dir.path(), &sample());
    let b = dir.path().join("kollega.sqlite");
    std::fs::copy(&a, &b).unwrap();
    edit(&b, 1, |u| u.name = "Omdöpt av kollegan".into());

    let mut h = harness(&a);
    h.run();
    h.state_mut().merge_from(&b);
    h.run();
    assert!(h.state().merge.is_none());
    let said = h.state().info.clone().unwrap_or_default();
    assert!(said.contains("0 tillagda, 1 uppdaterade"), "{said}");
    assert_eq!(on_disk(&a).units[1].name, "Omdöpt av kollegan");

    h.state_mut().merge_from(&b);
    h.run();
    let said = h.state().info.clone().unwrap_or_default();
    assert!(said.contains("Inget nytt"), "{said}");
}
