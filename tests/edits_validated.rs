//! Issue 9: one validation for every way data comes in. What `import`
//! refuses (a 1,001-character label, a label of only a zero-width space, a
//! control character) is refused when typed or pasted in the app, with the
//! reason where the user is looking, and the file keeps the old value; the
//! store's own writes refuse it as a last guard; the command line never
//! prints a hostile name's control characters raw.

mod common;

use common::app::{on_disk, shown, typing_harness as harness};
use common::{imported, malgrupp, sample};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::store::{Access, Store};
use malgrupp::ui::App;

/// Replaces the text of the field labelled `field` with `text`, as a
/// paste (all at once) or typed one character at a time.
fn replace_text(h: &mut Harness<'_, App>, field: &str, text: &str, paste: bool) {
    use egui::accesskit::Role;
    match h.query_by_role_and_label(Role::TextInput, field) {
        Some(node) => node.focus(),
        None => h
            .get_by_role_and_label(Role::MultilineTextInput, field)
            .focus(),
    }
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    if paste {
        h.event(Event::Paste(text.to_owned()));
        h.run();
    } else {
        for c in text.chars() {
            h.event(Event::Text(c.to_string()));
            h.run();
        }
    }
}

#[test]
fn a_label_import_refuses_is_refused_in_the_app_and_the_file_keeps_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    let long = "x".repeat(1001);
    for (bad, paste, reason) in [
        (long.as_str(), true, "för lång (1001 tecken, högst 1000)"),
        ("\u{200B}", true, "osynliga tecken"),
        ("\u{200B}", false, "osynliga tecken"),
        ("Unga\u{1b}[31m", true, "styrtecken (U+001B)"),
    ] {
        replace_text(&mut h, "Rang 1, Målgrupp", bad, paste);
        // Past the moment a typed field is saved.
        h.run_steps(8);
        let (_, message) = h.state().form.refused.clone().expect("refused");
        assert!(
            message.starts_with("Rang 1, Målgrupp: ") && message.contains(reason),
            "{message}"
        );
        // Said on the screen, under the field.
        h.get_by_label(&format!("Inte sparat – {message}"));
        assert!(shown(&h) == original, "{bad:?} was taken in");
        assert!(on_disk(&db) == original, "{bad:?} was saved while typed");
        h.key_press(Key::Tab);
        h.run();
        h.run_steps(8);
        assert!(on_disk(&db) == original, "{bad:?} was saved when left");
        assert!(shown(&h) == original, "{bad:?} is shown after leaving");
        assert!(h.state().form.refused.is_none());
        assert!(h.query_by_label_contains("Inte sparat").is_none());
    }

    // Typed key by key: the 1,001st character is refused, and leaving the
    // field puts back the label it had, as a refused number cell is.
    replace_text(&mut h, "Rang 1, Målgrupp", &"x".repeat(999), true);
    for c in ["x", "x"] {
        h.event(Event::Text(c.to_owned()));
        h.run();
    }
    let (_, message) = h.state().form.refused.clone().expect("refused");
    assert!(message.contains("1001 tecken"), "{message}");
    assert_eq!(shown(&h).units[0].groups[0].label.chars().count(), 1000);
    h.key_press(Key::Tab);
    h.run();
    h.run_steps(8);
    assert!(on_disk(&db) == original, "typed label was saved when left");
    assert!(shown(&h) == original, "typed label is shown after leaving");

    // A label that obeys the rules is saved as before.
    let exact = "y".repeat(1000);
    replace_text(&mut h, "Rang 1, Målgrupp", &exact, true);
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(on_disk(&db).units[0].groups[0].label, exact);
}

#[test]
fn a_unit_name_or_note_import_refuses_is_refused_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    for (field, bad) in [
        ("Enhetens namn", "\u{200B}\u{FEFF}"),
        ("Enhetens namn", "Enhet\0"),
        ("Notering om enheten", "a\u{7}b"),
    ] {
        replace_text(&mut h, field, bad, true);
        h.run_steps(8);
        let (_, message) = h.state().form.refused.clone().expect("refused");
        assert!(message.starts_with(field), "{message}");
        h.key_press(Key::Tab);
        h.run();
        h.run_steps(8);
        assert!(on_disk(&db) == original, "{field}: {bad:?} was saved");
        assert!(shown(&h) == original, "{field}: {bad:?} is shown");
    }
}

#[test]
fn two_key_figures_of_one_name_are_refused_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    // Vårdcentralen Hällefors has key figures.
    h.get_by_label_contains("Vårdcentralen Hällefors ·").click();
    h.run();
    replace_text(
        &mut h,
        "Nyckeltal 2 namn",
        "Besök läkarmottagning 2004",
        true,
    );
    h.run_steps(8);
    let (_, message) = h.state().form.refused.clone().expect("refused");
    assert!(
        message.starts_with("Nyckeltal 2 namn: ") && message.contains("finns redan"),
        "{message}"
    );
    h.key_press(Key::Tab);
    h.run();
    h.run_steps(8);
    assert!(
        on_disk(&db) == original,
        "a second key figure of one name was saved"
    );
    assert!(shown(&h) == original);
}

#[test]
fn a_new_group_starts_valid_and_its_label_is_replaced_by_typing() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = harness(&db);
    h.run();
    let n = shown(&h).units[0].groups.len();
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run();
    // Saved at once: the store takes only what import takes.
    assert_eq!(on_disk(&db).units[0].groups.len(), n + 1);
    for c in "Unga".chars() {
        h.event(Event::Text(c.to_string()));
        h.run();
    }
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(on_disk(&db).units[0].groups[n].label, "Unga");
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
}

#[test]
fn the_store_refuses_to_write_a_unit_or_frame_that_import_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let name = original.frame.name.clone();
    let layout = original.layout();
    let mut store = Store::open(&db, Access::ReadWrite).unwrap();

    let mut unit = original.units[0].clone();
    unit.groups[0].label = "x".repeat(1001);
    let e = store
        .save_unit(&name, &layout, 0, &unit)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("units[0].groups[0].label") && e.contains("för lång"),
        "{e}"
    );
    unit.groups[0].label = "\u{200B}".into();
    let e = store
        .save_unit(&name, &layout, 0, &unit)
        .unwrap_err()
        .to_string();
    assert!(e.contains("osynliga"), "{e}");

    let mut unit = original.units[1].clone();
    unit.key_figures = vec![
        malgrupp::model::KeyFigure {
            name: "Anställda".into(),
            value: 1,
        };
        2
    ];
    let e = store
        .save_unit(&name, &layout, 1, &unit)
        .unwrap_err()
        .to_string();
    assert!(e.contains("står två gånger"), "{e}");
    let e = store
        .insert_unit(&name, &layout, 0, &unit)
        .unwrap_err()
        .to_string();
    assert!(e.contains("står två gånger"), "{e}");

    let mut frame = original.frame.clone();
    frame.municipalities[0] = "Häll\u{1b}efors".into();
    let e = store.update_frame(&name, &frame).unwrap_err().to_string();
    assert!(
        e.contains("survey.municipalities[0]") && e.contains("U+001B"),
        "{e}"
    );
    frame.name = "\u{200B}".into();
    assert!(store.create_survey(&frame).is_err());
    drop(store);
    assert!(on_disk(&db) == original);
}

#[test]
fn command_line_errors_show_control_characters_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let out = dir.path().join("form.xlsx");
    let output = malgrupp()
        .args(["form", "--unit", "Ond\u{1b}[2J\r\u{7}", "--out"])
        .arg(&out)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(
        err.contains(r"”Ond\u{1b}[2J\u{d}\u{7}” finns inte"),
        "{err:?}"
    );
    assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");
}

/// Gives the last target group of the first unit an empty label, as the
/// app saved new groups until the rules came (older data they refuse).
fn empty_label_in_first_unit(db: &std::path::Path) -> usize {
    let conn = rusqlite::Connection::open(db).unwrap();
    let changed = conn
        .execute(
            "UPDATE target_group SET label = '' WHERE id = (
                 SELECT g.id FROM target_group g JOIN unit u ON u.id = g.unit_id
                 WHERE u.position = 0 ORDER BY g.position DESC LIMIT 1)",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    let survey = on_disk(db);
    let last = survey.units[0].groups.len() - 1;
    assert_eq!(survey.units[0].groups[last].label, "");
    last
}

#[test]
fn a_deleted_unit_with_older_data_comes_back_with_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    empty_label_in_first_unit(&db);
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    h.get_by_label("Enhet").click();
    h.run();
    h.get_by_label("Ta bort enhet…").click();
    h.run();
    h.get_by_label("Ta bort enheten").click();
    h.run();
    assert_eq!(on_disk(&db).units.len(), original.units.len() - 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    assert!(on_disk(&db) == original, "the unit is not back on disk");
    assert!(shown(&h) == original, "the unit is not back in the app");
    // Redo deletes it again, undo brings it back again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(on_disk(&db).units.len(), original.units.len() - 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(on_disk(&db) == original);
}

#[test]
fn undo_of_a_fixed_label_puts_the_older_empty_one_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let last = empty_label_in_first_unit(&db);
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    let field = format!("Rang {}, Målgrupp", original.units[0].groups[last].rank);
    replace_text(&mut h, &field, "Unga vuxna", true);
    h.key_press(Key::Tab);
    h.run();
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    assert_eq!(on_disk(&db).units[0].groups[last].label, "Unga vuxna");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().error.is_none(), "{:?}", h.state().error);
    assert!(on_disk(&db) == original, "undo was refused");
    assert!(shown(&h) == original);
    assert!(h.state().doc.as_ref().unwrap().undo_name().is_none());
}

/// eframe's storage, for calling its autosave by hand.
struct NoStorage;

impl eframe::Storage for NoStorage {
    fn get_string(&self, _key: &str) -> Option<String> {
        None
    }
    fn set_string(&mut self, _key: &str, _value: String) {}
    fn remove_string(&mut self, _key: &str) {}
    fn flush(&mut self) {}
}

/// A unit holding older data the rules refuse (an empty label in its last
/// group): an edit elsewhere in it is refused with the place of the older
/// data, and the field shows the unit as saved again, not the refused text.
#[test]
fn an_edit_to_a_unit_with_older_data_is_refused_by_name_and_not_left_in_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let last = empty_label_in_first_unit(&db);
    assert!(last > 0);
    let original = on_disk(&db);
    let count = |h: &Harness<'_, App>| {
        h.get_by_label("Rang 1, Antal")
            .value()
            .unwrap_or_default()
            .to_string()
    };
    let mut h = harness(&db);
    h.run();
    let before = count(&h);
    for autosave in [false, true] {
        h.get_by_label("Rang 1, Antal").focus();
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.run();
        h.event(Event::Text("77".to_owned()));
        h.run();
        assert_eq!(count(&h), "77");
        if autosave {
            // eframe's 30 s autosave, before typing pauses.
            eframe::App::save(h.state_mut(), &mut NoStorage);
        } else {
            h.run_steps(8);
        }
        h.run();
        let error = h.state().error.clone().expect("refused");
        assert!(
            error.contains(&format!("units[0].groups[{last}].label")),
            "{error}"
        );
        assert!(on_disk(&db) == original);
        assert!(shown(&h) == original);
        assert_eq!(count(&h), before, "the field still shows the refused text");
        h.state_mut().error = None;
    }
}

/// A field that held older text the rules refuse (an empty label): text
/// typed and then refused is taken back to exactly that older text when
/// the field is left, whether or not the accepted part was saved meanwhile.
#[test]
fn leaving_a_refused_field_puts_back_older_text_the_rules_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let last = empty_label_in_first_unit(&db);
    let original = on_disk(&db);
    let field = format!("Rang {}, Målgrupp", original.units[0].groups[last].rank);
    let mut h = harness(&db);
    h.run();
    for pause in [false, true] {
        replace_text(&mut h, &field, "a", false);
        if pause {
            h.run_steps(8);
            h.run();
            assert_eq!(on_disk(&db).units[0].groups[last].label, "a");
        }
        h.event(Event::Text("\u{7}".to_owned()));
        h.run();
        assert!(h.state().form.refused.is_some());
        h.key_press(Key::Tab);
        h.run();
        h.run_steps(8);
        assert!(h.state().error.is_none(), "{:?}", h.state().error);
        assert!(
            shown(&h) == original,
            "pause {pause}: not put back in the app"
        );
        assert!(
            on_disk(&db) == original,
            "pause {pause}: not put back on disk"
        );
        assert!(h.state().doc.as_ref().unwrap().undo_name().is_none());
    }
}
