//! Who and the history in the app: the name asked at the first start and
//! written with every change, the history of a cell (Ctrl+H, right-click)
//! and of a unit (Enhet menu), newest first.

mod common;

use common::app::on_disk;
use common::{imported, sample};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use malgrupp::store::history::Query;
use malgrupp::store::{Access, Store};
use malgrupp::ui::App;

fn run_key(h: &mut Harness<'_, App>, modifiers: Modifiers, k: Key) {
    h.key_press_modifiers(modifiers, k);
    h.run();
}

fn type_(h: &mut Harness<'_, App>, text: &str) {
    h.event(Event::Text(text.to_owned()));
    h.run();
}

/// The app as it starts for real: settings from eframe's storage (none in
/// a test, as at the first start).
fn first_start(db: &std::path::Path) -> Harness<'static, App> {
    let db = db.to_owned();
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_max_steps(1000)
        .build_eframe(move |cc| {
            let mut app = App::new(cc, Some(db));
            app.repaint_while_saving = std::time::Duration::ZERO;
            app
        })
}

fn users_in_history(db: &std::path::Path) -> Vec<(String, String, String)> {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    store
        .history(&name, &Query::default())
        .unwrap()
        .into_iter()
        .map(|e| (e.user, e.field, e.how))
        .collect()
}

/// Sets rank 1's count of the unit shown, leaving the cell with Tab.
fn set_count(h: &mut Harness<'_, App>, text: &str) {
    h.get_by_label("Rang 1, Antal").focus();
    h.run();
    run_key(h, Modifiers::COMMAND, Key::A);
    type_(h, text);
    run_key(h, Modifiers::NONE, Key::Tab);
}

#[test]
fn the_name_asked_at_first_start_goes_with_every_change_and_the_cell_history_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = first_start(&db);
    h.run();
    h.get_by_label("Vem arbetar här?");
    h.get_by_label("Ditt namn").focus();
    h.run();
    run_key(&mut h, Modifiers::COMMAND, Key::A);
    type_(&mut h, "Åsa Öberg");
    h.get_by_label("Spara namnet").click();
    h.run();
    assert!(h.query_by_label("Vem arbetar här?").is_none());
    assert_eq!(h.state().settings.user.as_deref(), Some("Åsa Öberg"));

    set_count(&mut h, "50");
    assert_eq!(on_disk(&db).units[0].groups[0].row.count.get(), Some(50));
    let logged = users_in_history(&db);
    assert_eq!(
        logged[0],
        (
            "Åsa Öberg".to_owned(),
            "count".to_owned(),
            "edit".to_owned()
        )
    );
    run_key(&mut h, Modifiers::COMMAND, Key::Z);
    set_count(&mut h, "52");

    // Ctrl+H on the cell: its history, newest first, who/when/old → new.
    h.get_by_label("Rang 1, Antal").focus();
    h.run();
    run_key(&mut h, Modifiers::COMMAND, Key::H);
    h.get_by_label_contains("Historik för Socialförvaltningen Hällefors: rang 1");
    let lines: Vec<String> = h
        .query_all_by_label_contains("Åsa Öberg  antal: ")
        .map(|n| n.value().or(n.accesskit_node().label()).unwrap_or_default())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].contains("antal: 48 → 52  (ändring)"), "{lines:?}");
    assert!(lines[1].contains("antal: 50 → 48  (ångrad)"), "{lines:?}");
    assert!(lines[2].contains("antal: 48 → 50  (ändring)"), "{lines:?}");
    h.get_by_label("3 ändringar, de senaste först (lokal tid).");
}

#[test]
fn right_click_on_a_cell_and_the_unit_menu_open_their_histories() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = common::app::harness(&db);
    h.run();
    set_count(&mut h, "49");

    // Right-click → Historik…
    h.get_by_label("Rang 1, Antal").click_secondary();
    h.run();
    h.get_by_label("Historik…").click();
    h.run();
    h.get_by_label_contains("antal: 48 → 49  (ändring)");
    h.get_by_label("1 ändringar, de senaste först (lokal tid).");

    // The unit's history: the edit and the unit's import.
    h.get_by_label("Enhet").click();
    h.run();
    h.get_by_label("Historik för enheten…").click();
    h.run();
    h.get_by_label("Historik för Socialförvaltningen Hällefors");
    h.get_by_label_contains("rang 1 ”Frisk, arbetsförd”, antal: 48 → 49  (ändring)");
    h.get_by_label_contains("enhet: (tomt) → Socialförvaltningen Hällefors  (import)");
}

#[test]
fn the_name_can_be_changed_in_the_settings_and_a_bad_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = common::app::harness(&db);
    h.run();
    h.get_by_label("Arkiv").click();
    h.run();
    h.get_by_label("Inställningar…").click();
    h.run();
    h.get_by_label("Ditt namn").focus();
    h.run();
    run_key(&mut h, Modifiers::COMMAND, Key::A);
    type_(&mut h, "   ");
    h.get_by_label("Spara namnet").click();
    h.run();
    h.get_by_label("Fel: namnet får inte vara tomt");
    h.get_by_label("Ditt namn").focus();
    h.run();
    run_key(&mut h, Modifiers::COMMAND, Key::A);
    type_(&mut h, "Bo Ek");
    h.get_by_label("Spara namnet").click();
    h.run();
    set_count(&mut h, "47");
    assert_eq!(users_in_history(&db)[0].0, "Bo Ek");
}

#[test]
fn a_form_read_in_the_app_is_logged_as_import_form_and_its_undo_as_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let form = dir.path().join("tom.xlsx");
    common::malgrupp()
        .args(["form", "--unit", "Socialförvaltningen Hällefors", "--out"])
        .arg(&form)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let filled = dir.path().join("ifylld.xlsx");
    common::fill_form(&form, &filled, &[("B23", "Unga vuxna"), ("C23", "12")]);
    let mut h = common::app::harness(&db);
    h.run();
    h.state_mut().read_form_from(&filled);
    h.run();
    run_key(&mut h, Modifiers::COMMAND, Key::Z);
    let logged = users_in_history(&db);
    let hows: std::collections::BTreeSet<&str> =
        logged.iter().map(|(_, _, how)| how.as_str()).collect();
    assert_eq!(
        hows,
        ["import", "import-form", "undo"].into_iter().collect()
    );
    let form_count = logged.iter().filter(|e| e.2 == "import-form").count();
    let undo_count = logged.iter().filter(|e| e.2 == "undo").count();
    assert_eq!(form_count, undo_count);
}
