//! Öppna exempel (Norra länsdelen 2005): the sample carried in the binary
//! is imported into a database of the user's choosing (or the default one,
//! in one click on the start screen) and opened; any other file is refused
//! untouched.

mod common;

use std::path::Path;

use common::app::{harness, on_disk, shown};
use egui::{Event, Key};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use malgrupp::ui::App;

/// The start screen's one click.
const LABEL: &str = "Öppna exempel (Norra länsdelen 2005)";
/// The menu's entry, which asks where.
const MENU: &str = "Öppna exempel (Norra länsdelen 2005)…";

fn sample() -> malgrupp::model::Survey {
    malgrupp::import::json::read_file(&common::sample()).unwrap()
}

#[test]
fn a_first_start_shows_the_real_sample_in_one_click() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("malgrupp.sqlite");
    let example = dir.path().join("Mina filer å ä ö").join("exempel.sqlite");
    let mut h = harness(&db);
    h.state_mut().example_db = Some(example.clone());
    h.run();
    assert!(h.state().doc.is_none());

    // The start screen offers it.
    h.get_by_label(LABEL).click();
    h.run();

    let expected = sample();
    assert_eq!(h.state().error, None);
    assert_eq!(h.state().db_path(), Some(example.as_path()));
    assert_eq!(shown(&h), expected);
    assert_eq!(on_disk(&example), expected);
    assert_eq!(h.state().selected, Some(0));
    let info = h.state().info.clone().unwrap_or_default();
    assert!(info.contains("Exemplet"), "{info}");
    // The database the app started on is left as it was: without a survey.
    assert!(
        malgrupp::store::Store::open(&db, malgrupp::store::Access::ReadOnly)
            .unwrap()
            .surveys()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_menu_opens_the_example_again_as_it_was_left_without_importing_it_twice() {
    let dir = tempfile::tempdir().unwrap();
    // Another file with a survey of its own is open when the menu is used.
    let db = common::imported(dir.path(), &common::fixture("duplicates.json"));
    let example = dir.path().join("exempel.sqlite");
    let mut h = harness(&db);
    h.state_mut().example_db = Some(example.clone());
    h.run();
    from_menu(&mut h);
    // The default place is filled in: Enter takes it.
    assert_eq!(field(&h), example.display().to_string());
    key(&mut h, Key::Enter);
    assert_eq!(h.state().error, None);
    assert_eq!(h.state().db_path(), Some(example.as_path()));
    assert_eq!(shown(&h), sample());
    // A unit deleted in the example stays deleted when it is opened again.
    h.get_by_label("Enhet").click();
    h.run();
    h.get_by_label("Ta bort enhet…").click();
    h.run();
    h.get_by_label("Ta bort enheten").click();
    h.run();
    let edited = on_disk(&example);
    assert_eq!(edited.units.len(), sample().units.len() - 1);

    h.state_mut().open_database(&db);
    h.run();
    assert_eq!(h.state().db_path(), Some(db.as_path()));
    from_menu(&mut h);
    h.get_by_label("Skapa och öppna").click();
    h.run();
    assert_eq!(h.state().error, None);
    assert_eq!(h.state().db_path(), Some(example.as_path()));
    assert_eq!(shown(&h), edited);
    let store = malgrupp::store::Store::open(&example, malgrupp::store::Access::ReadOnly).unwrap();
    assert_eq!(store.surveys().unwrap().len(), 1);
}

#[test]
fn an_example_file_that_cannot_be_made_is_named_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("malgrupp.sqlite");
    // A file where the example's folder would have to be.
    let blocker = dir.path().join("fil");
    std::fs::write(&blocker, b"x").unwrap();
    let mut h = harness(&db);
    h.state_mut().example_db = Some(blocker.join("exempel.sqlite"));
    h.run();
    h.get_by_label(LABEL).click();
    h.run();
    let error = h.state().error.clone().unwrap_or_default();
    assert!(error.contains("exempel.sqlite"), "{error}");
    assert_eq!(h.state().db_path(), Some(db.as_path()));
    assert_eq!(std::fs::read(&blocker).unwrap(), b"x");
}

fn key(h: &mut Harness<'_, App>, k: Key) {
    h.key_press(k);
    h.run();
}

/// Arkiv → Öppna exempel…: the dialog that asks where.
fn from_menu(h: &mut Harness<'_, App>) {
    h.get_by_label("Arkiv").click();
    h.run();
    h.get_by_label(MENU).click();
    h.run();
    assert!(h.state().dialog.is_some());
}

/// The path field's text.
fn field(h: &Harness<'_, App>) -> String {
    h.get_by_label("Sökväg").value().unwrap_or_default()
}

/// Replaces the path field's text with `path` (the field has the focus).
fn type_path(h: &mut Harness<'_, App>, path: &Path) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.run();
    h.event(Event::Text(path.display().to_string()));
    h.run();
    assert_eq!(field(h), path.display().to_string());
}

#[test]
fn the_example_goes_where_the_user_chooses_by_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::imported(dir.path(), &common::fixture("duplicates.json"));
    let folder = dir.path().join("Mina filer å ä ö");
    std::fs::create_dir_all(&folder).unwrap();
    let chosen = folder.join("Exempel från Örebro län.sqlite");
    let default = dir.path().join("standard").join("exempel.sqlite");
    let mut h = harness(&db);
    h.state_mut().example_db = Some(default.clone());
    h.run();
    from_menu(&mut h);
    // The default place is selected: what is typed replaces it.
    assert_eq!(field(&h), default.display().to_string());
    h.event(Event::Text(chosen.display().to_string()));
    h.run();
    assert_eq!(field(&h), chosen.display().to_string());
    key(&mut h, Key::Enter);

    assert_eq!(h.state().error, None);
    assert!(h.state().dialog.is_none());
    assert_eq!(h.state().db_path(), Some(chosen.as_path()));
    assert_eq!(shown(&h), sample());
    assert_eq!(on_disk(&chosen), sample());
    let info = h.state().info.clone().unwrap_or_default();
    assert!(info.contains(&chosen.display().to_string()), "{info}");
    // Nothing was made in the default place, and the file open before keeps
    // its own survey alone.
    assert!(!default.exists());
    assert_eq!(
        malgrupp::store::Store::open(&db, malgrupp::store::Access::ReadOnly)
            .unwrap()
            .surveys()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn escape_cancels_and_nothing_is_made_and_choosing_without_a_dialog_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("malgrupp.sqlite");
    let example = dir.path().join("exempel.sqlite");
    let mut h = harness(&db);
    h.state_mut().example_db = Some(example.clone());
    h.run();
    h.get_by_label("Öppna exempel på annan plats…").click();
    h.run();
    assert_eq!(field(&h), example.display().to_string());
    // No file dialog service here: the button says to type instead.
    h.get_by_label("Välj plats…").click();
    h.run();
    h.get_by_label("Ingen fildialog kunde visas: skriv sökvägen i fältet.");
    assert_eq!(field(&h), example.display().to_string());
    key(&mut h, Key::Escape);
    assert!(h.state().dialog.is_none());
    assert!(!example.exists());
    assert_eq!(h.state().db_path(), Some(db.as_path()));
}

/// Each file that is not a database of ours with the example (or empty) is
/// refused in the dialog, named, and left byte for byte as it was; the open
/// file stays open.
#[test]
fn an_existing_file_of_another_kind_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("malgrupp.sqlite");
    // A survey document, a spreadsheet, an empty file, another program's
    // SQLite database and a database of ours with another survey.
    let document = dir.path().join("norra länsdelen 2005.json");
    std::fs::copy(common::sample(), &document).unwrap();
    let sheet = dir.path().join("tabell.sqlite");
    std::fs::write(&sheet, b"PK\x03\x04 inte en databas").unwrap();
    let empty = dir.path().join("tom.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let foreign = dir.path().join("annat program.db");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let other = common::imported(
        &dir.path().join("annan"),
        &common::fixture("duplicates.json"),
    );
    let mut h = harness(&db);
    h.run();
    for (file, says) in [
        (&document, "är ett kartläggningsdokument"),
        (&sheet, "ingen databas från Målgruppskartläggning"),
        (&empty, "tom fil"),
        (&foreign, "ingen databas från Målgruppskartläggning"),
        (&other, "innehåller redan andra kartläggningar"),
    ] {
        let before = std::fs::read(file).unwrap();
        from_menu(&mut h);
        type_path(&mut h, file);
        key(&mut h, Key::Enter);
        let node = h.get_by_label_contains(says);
        let text = node
            .value()
            .or(node.accesskit_node().label())
            .unwrap_or_default();
        assert!(text.contains(&file.display().to_string()), "{text:?}");
        assert!(h.state().dialog.is_some(), "the dialog stays");
        assert_eq!(std::fs::read(file).unwrap(), before, "{}", file.display());
        assert_eq!(h.state().db_path(), Some(db.as_path()));
        key(&mut h, Key::Escape);
    }
    // No lock or journal file was left beside any of them.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.iter().all(|n| !n.contains("annat program.db-")
            && !n.contains("tom.sqlite-")
            && !n.contains("tabell.sqlite-")),
        "{names:?}"
    );
}

#[test]
fn a_place_in_a_missing_folder_is_named_and_nothing_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("malgrupp.sqlite");
    let missing = dir.path().join("finns inte");
    let mut h = harness(&db);
    h.run();
    from_menu(&mut h);
    type_path(&mut h, &missing.join("exempel.sqlite"));
    key(&mut h, Key::Enter);
    h.get_by_label(&format!(
        "Mappen {} finns inte; välj en mapp som finns (eller skapa den först).",
        missing.display()
    ));
    assert!(!missing.exists());
    assert_eq!(h.state().db_path(), Some(db.as_path()));
}
