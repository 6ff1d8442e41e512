//! Double entry, the coverage overview and a second window, in the real app
//! through egui_kittest, on real files.

mod common;

use common::app::{harness, on_disk};
use common::{imported, sample};
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::model::Cell;
use malgrupp::store::{Access, Store};
use malgrupp::ui::App;
use malgrupp::ui::app::View;

const FK: &str = "Försäkringskassan Hällefors, rehabiliteringshandläggare för sjukfall över 2 år";

fn key(h: &mut Harness<'_, App>, key: Key) {
    h.key_press(key);
    h.run();
}

fn type_(h: &mut Harness<'_, App>, text: &str) {
    h.event(Event::Text(text.to_owned()));
    h.run();
}

fn menu(h: &mut Harness<'_, App>, title: &str, item: &str) {
    h.get_by_label(title).click();
    h.run();
    h.get_by_label(item).click();
    h.run();
}

fn unit_index(h: &Harness<'_, App>, name: &str) -> usize {
    h.state()
        .doc
        .as_ref()
        .unwrap()
        .survey()
        .units
        .iter()
        .position(|u| u.name == name)
        .unwrap()
}

#[test]
fn double_entry_of_a_unit_finds_exactly_the_two_typed_differences() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = harness(&db);
    h.run();
    let u = unit_index(&h, FK);
    h.state_mut().selected = Some(u);
    h.run();

    // Started and cancelled: nothing changes, the survey is back.
    let original = on_disk(&db);
    menu(&mut h, "Enhet", "Kontrollinmata…");
    h.get_by_label("Rang 1, Antal").focus();
    h.run();
    type_(&mut h, "99");
    key(&mut h, Key::Tab);
    h.get_by_label("Avbryt kontrollinmatningen").click();
    h.run();
    assert!(h.state().double_entry.is_none());
    assert_eq!(on_disk(&db), original);
    assert_eq!(common::app::shown(&h), original);
    assert_eq!(h.state().selected, Some(u));
    h.get_by_label("Kontrollinmatningen avbröts; inget ändrades.");

    menu(&mut h, "Enhet", "Kontrollinmata…");
    assert!(h.state().double_entry.is_some());
    // The form shows the unit with its groups, every number blank.
    h.get_by_label("Jämför med första inmatningen");
    assert_eq!(h.get_by_label("Rang 1, Antal").value().as_deref(), Some(""));
    assert_eq!(h.get_by_label("Rang 2, Antal").value().as_deref(), Some(""));
    // The tree (which would show the first entry's findings) is hidden.
    assert!(h.query_by_label("+ Ny enhet").is_none());

    // Typed from the paper, with two mistakes: 15 for 5, and a sex cell
    // the paper leaves blank.
    h.get_by_label("Rang 1, Antal").focus();
    h.run();
    type_(&mut h, "15");
    key(&mut h, Key::Tab);
    h.get_by_label("Rang 2, Antal").focus();
    h.run();
    type_(&mut h, "12");
    key(&mut h, Key::Tab);
    h.get_by_label("Rang 2, kön Kvinnor").focus();
    h.run();
    type_(&mut h, "3");
    key(&mut h, Key::Tab);
    // The file is untouched by the second entry.
    let before = on_disk(&db);
    assert_eq!(before.units[u].groups[0].row.count.get(), Some(5));

    h.get_by_label("Jämför med första inmatningen").click();
    h.run();
    h.get_by_label("2 celler skiljer sig. Välj det värde som står på papperet.");
    let radios = h.get_all_by_role(Role::RadioButton).count();
    assert_eq!(radios, 4, "two choices per difference");
    h.get_by_label("målgrupp 1 ”Unga kvinnor med sociala problem”, antal");
    h.get_by_label("målgrupp 2 ”Sjukskrivna, ej tillbaka till ordinarie arbete”, kön: Kvinnor");

    // The paper: 5 was right; the 3 women were missed in the first entry.
    // (All of the second entry first, then the first entry's 5 back.)
    h.get_by_label("Välj kontrollinmatningen överallt").click();
    h.run();
    let radios: Vec<_> = h.get_all_by_role(Role::RadioButton).collect();
    radios[0].click();
    h.run();
    h.get_by_label("Kontrollinmatad av").focus();
    h.run();
    h.event(Event::Key {
        key: Key::A,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    });
    type_(&mut h, "Gun Granskare");
    h.get_by_label("Spara som kontrollinmatad").click();
    h.run();
    assert!(h.state().double_entry.is_none());
    assert_eq!(h.state().selected, Some(u));

    let saved = on_disk(&db);
    let unit = &saved.units[u];
    let layout = saved.layout();
    let women = layout.range(malgrupp::model::Dimension::Sex).start + 1;
    assert_eq!(unit.groups[0].row.count.get(), Some(5));
    assert_eq!(unit.groups[1].row.cells[women], Cell::new(3));
    let v = unit.verification.as_ref().expect("verified");
    assert_eq!(v.differed, 2);
    assert_eq!(v.user, "Gun Granskare");
    assert!(unit.is_verified());
    // Every other unit as it was.
    for (i, (a, b)) in saved.units.iter().zip(&before.units).enumerate() {
        if i != u {
            assert_eq!(a, b);
        }
    }
    // The tree says so.
    assert!(
        h.query_by_label_contains("✔✔ kontrollinmatad").is_some(),
        "the tree marks the unit"
    );

    // One undo step takes it all back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let undone = on_disk(&db);
    assert_eq!(undone.units[u], before.units[u]);
}

#[test]
fn overview_lists_units_by_place_and_authority_and_adds_planned_units() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = harness(&db);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num5);
    h.run();
    assert_eq!(h.state().view, View::Overview);
    h.get_by_label("Kommun / område");
    h.get_by_label("Ljusnarsberg");

    // Plan a unit in Lindesberg (the first municipality is offered).
    h.get_by_label("Namn").focus();
    h.run();
    type_(&mut h, "Socialtjänsten Lindesberg");
    h.get_by_label("Kommun eller område").click();
    h.run();
    // The row heading and the list's entry: the entry is drawn last.
    h.get_all_by_label("Lindesberg").last().unwrap().click();
    h.run();
    h.get_by_label("Lägg till i planen").click();
    h.run();
    let planned = &on_disk(&db).frame.planned_units;
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].name, "Socialtjänsten Lindesberg");
    assert_eq!(planned[0].municipality.as_deref(), Some("Lindesberg"));
    assert_eq!(planned[0].authority, "Kommun");

    // Shown as planned, not entered; a click enters it.
    h.get_by_label("○ Socialtjänsten Lindesberg").click();
    h.run();
    assert_eq!(h.state().view, View::Form);
    let saved = on_disk(&db);
    let u = saved
        .units
        .iter()
        .position(|u| u.name == "Socialtjänsten Lindesberg")
        .expect("entered");
    assert_eq!(h.state().selected, Some(u));

    // Back in the overview it is entered (no findings: all reviewed) and a
    // click on an entered unit opens it.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num5);
    h.run();
    assert!(h.query_by_label("○ Socialtjänsten Lindesberg").is_none());
    h.get_by_label("✓ Socialtjänsten Lindesberg");
    h.get_by_label("● Socialförvaltningen Nora").click();
    h.run();
    assert_eq!(h.state().view, View::Form);
    assert_eq!(
        h.state().selected,
        Some(unit_index(&h, "Socialförvaltningen Nora"))
    );

    // A planned unit in a municipality the frame lacks cannot be made;
    // an empty name is refused with a message, and nothing changes.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num5);
    h.run();
    h.get_by_label("Lägg till i planen").click();
    h.run();
    h.get_by_label("Inte tillagd – ge enheten ett namn");
    assert_eq!(on_disk(&db).frame.planned_units.len(), 1);

    // A planned unit not entered is taken out of the plan by a right
    // click; Ctrl+Z puts it back.
    h.get_by_label("Namn").focus();
    h.run();
    type_(&mut h, "Vårdcentralen Nora");
    h.get_by_label("Lägg till i planen").click();
    h.run();
    assert_eq!(on_disk(&db).frame.planned_units.len(), 2);
    h.get_by_label("○ Vårdcentralen Nora").click_secondary();
    h.run();
    h.get_by_label("Ta bort ur planen").click();
    h.run();
    let planned = on_disk(&db).frame.planned_units;
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].name, "Socialtjänsten Lindesberg");
    assert!(h.query_by_label("○ Vårdcentralen Nora").is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(on_disk(&db).frame.planned_units.len(), 2);
}

#[test]
fn a_second_window_offers_to_read_a_file_being_written_and_reloads_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    // The surveyor's window has the file open for writing.
    let mut writer = Store::open(&db, Access::ReadWrite).unwrap();
    let mut h = harness(&db);
    h.run();
    assert!(h.state().doc.is_none());
    h.get_by_label("Öppna för läsning").click();
    h.run();
    let doc = h.state().doc.as_ref().expect("opened for reading");
    assert!(doc.is_read_only());
    h.get_by_label("Endast läsning");

    // The surveyor saves a change; the reviewer reloads and sees it.
    let mut survey = on_disk(&db);
    survey.units[0].name = "Socialförvaltningen Hällefors (ny)".to_owned();
    writer
        .save_unit(&survey.frame.name, &survey.layout(), 0, &survey.units[0])
        .unwrap();
    assert_ne!(
        h.state().doc.as_ref().unwrap().survey().units[0].name,
        survey.units[0].name
    );
    h.get_by_label("Läs om").click();
    h.run();
    let doc = h.state().doc.as_ref().unwrap();
    assert_eq!(doc.survey().units[0].name, survey.units[0].name);
    assert!(doc.is_read_only());
    // Editing stays off; F5 reloads too.
    assert!(!h.state().enabled(malgrupp::ui::command::Command::AddUnit));
    h.key_press(Key::F5);
    h.run();
    assert!(h.state().doc.as_ref().unwrap().is_read_only());
    drop(writer);
}
