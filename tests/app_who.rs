//! The "Vem arbetar här?" window of the first start and the keyboard: Esc
//! closes it as Avbryt does (the login name stays in use, nothing saved),
//! Enter in the name field saves the name, and Esc while typing in a cell
//! belongs to the cell, not to the window.

mod common;

use common::app::harness;
use common::{imported, sample};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::ui::App;

const WINDOW: &str = "Vem arbetar här?";

fn run_key(h: &mut Harness<'_, App>, modifiers: Modifiers, k: Key) {
    h.key_press_modifiers(modifiers, k);
    h.run();
}

/// The app on the sample as at the first start: the name window shown.
fn first_start(dir: &std::path::Path) -> Harness<'static, App> {
    let db = imported(dir, &sample());
    let mut h = harness(&db);
    malgrupp::ui::history::ask_who(h.state_mut(), true);
    h.run();
    h.get_by_label(WINDOW);
    h
}

#[test]
fn escape_closes_the_name_window_keeping_the_login_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = first_start(dir.path());
    let login = malgrupp::ui::history::user(h.state());
    run_key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label(WINDOW).is_none(), "Esc closes it");
    assert_eq!(h.state().settings.user, None, "nothing saved");
    assert_eq!(malgrupp::ui::history::user(h.state()), login);
}

#[test]
fn escape_in_the_name_field_closes_without_saving_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = first_start(dir.path());
    let login = malgrupp::ui::history::user(h.state());
    h.get_by_label("Ditt namn").focus();
    h.run();
    run_key(&mut h, Modifiers::COMMAND, Key::A);
    h.event(Event::Text("Halvskrivet".to_owned()));
    h.run();
    run_key(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label(WINDOW).is_none(), "Esc closes it");
    assert_eq!(h.state().settings.user, None);
    assert_eq!(malgrupp::ui::history::user(h.state()), login);
}

#[test]
fn enter_in_the_name_field_saves_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = first_start(dir.path());
    h.get_by_label("Ditt namn").focus();
    h.run();
    run_key(&mut h, Modifiers::COMMAND, Key::A);
    h.event(Event::Text("Åsa Öberg".to_owned()));
    h.run();
    run_key(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.query_by_label(WINDOW).is_none(), "Enter saves and closes");
    assert_eq!(h.state().settings.user.as_deref(), Some("Åsa Öberg"));
}

#[test]
fn escape_while_typing_in_a_cell_leaves_the_name_window_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = first_start(dir.path());
    h.get_by_label("Rang 1, Antal").focus();
    h.run();
    run_key(&mut h, Modifiers::NONE, Key::Escape);
    h.get_by_label(WINDOW);
    assert_eq!(h.state().settings.user, None);
}
