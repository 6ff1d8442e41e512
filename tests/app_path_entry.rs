//! Without a file dialog service (none here: no display, no portal) every
//! file the app reads or writes is asked for in its own path field, and the
//! checks every output goes through apply to a typed path as well.

mod common;

use std::path::Path;

use common::app::harness;
use common::{imported, sample};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use malgrupp::ui::App;

fn key(h: &mut Harness<'_, App>, k: Key) {
    h.key_press(k);
    h.run();
}

/// The path field's text.
fn field(h: &Harness<'_, App>) -> String {
    h.get_by_label("Sökväg").value().unwrap_or_default()
}

/// Replaces the path field's text with `path` (the field has the focus).
fn type_path(h: &mut Harness<'_, App>, path: &Path) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.event(Event::Text(path.display().to_string()));
    h.run();
    assert_eq!(field(h), path.display().to_string());
}

/// The charts view, and a click on `button` there.
fn chart_button(h: &mut Harness<'_, App>, button: &str) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num4);
    h.run();
    h.get_by_label(button).click();
    h.run();
}

#[test]
fn a_chart_is_saved_as_png_and_svg_by_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let folder = dir.path().join("Diagram å ä ö");
    std::fs::create_dir_all(&folder).unwrap();
    let mut h = harness(&db);
    h.run();

    chart_button(&mut h, "Spara som PNG…");
    // The chart's name is suggested in the database's folder.
    assert_eq!(
        field(&h),
        dir.path()
            .join("Personer per kommun och kön.png")
            .display()
            .to_string()
    );
    let png = folder.join("kön och ålder.png");
    type_path(&mut h, &png);
    key(&mut h, Key::Enter);
    assert_eq!(h.state().error, None);
    assert!(h.state().dialog.is_none());
    let info = h.state().info.clone().unwrap_or_default();
    assert!(info.contains(&png.display().to_string()), "{info}");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).expect("decodes");
    assert_eq!((frame.width, frame.height), (1200, 720));
    let dark = pixels
        .chunks(3)
        .filter(|p| p.iter().all(|c| *c < 80))
        .count();
    assert!(dark > 2_000, "only {dark} dark pixels");

    chart_button(&mut h, "Spara som SVG…");
    let svg = folder.join("kön.svg");
    type_path(&mut h, &svg);
    key(&mut h, Key::Enter);
    assert_eq!(h.state().error, None);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"), "{}", &text[..60]);
    assert!(text.contains("Kvinnor"));
}

#[test]
fn a_typed_path_onto_the_open_database_is_refused_and_it_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = harness(&db);
    h.run();
    let before = std::fs::read(&db).unwrap();
    chart_button(&mut h, "Spara som SVG…");
    type_path(&mut h, &db);
    key(&mut h, Key::Enter);
    let refusal = h.get_by_label_contains("det är databasen som kartläggningen läses från");
    let text = refusal
        .value()
        .or(refusal.accesskit_node().label())
        .unwrap_or_default();
    assert!(text.contains(&db.display().to_string()), "{text}");
    // The dialog stays, for another name; nothing was written.
    assert!(h.state().dialog.is_some());
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(h.state().db_path(), Some(db.as_path()));
    key(&mut h, Key::Escape);
    assert!(h.state().dialog.is_none());
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn an_export_by_typed_path_replaces_an_existing_file_only_when_asked_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let out = dir.path().join("Tabeller för Örebro län.xlsx");
    std::fs::write(&out, b"gammal").unwrap();
    let mut h = harness(&db);
    h.run();
    h.get_by_label("Arkiv").click();
    h.run();
    h.get_by_label_contains("Exportera tabeller och rapport")
        .click();
    h.run();
    h.get_by_label("Spara som…").click();
    h.run();
    type_path(&mut h, &out);
    key(&mut h, Key::Enter);
    h.get_by_label_contains("finns redan. Tryck Enter igen");
    assert_eq!(std::fs::read(&out).unwrap(), b"gammal");
    h.get_by_label("Sökväg").focus();
    h.run();
    key(&mut h, Key::Enter);
    assert_eq!(h.state().error, None);
    assert!(h.state().dialog.is_none());
    // An XLSX workbook (a zip) now.
    assert_eq!(&std::fs::read(&out).unwrap()[..2], b"PK");
}

/// A file dropped onto the window, as eframe hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_file_dropped_on_the_window_fills_in_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let a = imported(&dir.path().join("a"), &sample());
    let b = imported(&dir.path().join("b å ä ö"), &sample());
    let mut h = harness(&a);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    assert_eq!(field(&h), "");
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(b.clone())));
    h.run();
    assert_eq!(field(&h), b.display().to_string());
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(h.state().error, None);
    assert_eq!(h.state().db_path(), Some(b.as_path()));
}
