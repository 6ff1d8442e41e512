//! Arkiv → Öppna exempel (Norra länsdelen 2005): the sample carried in the
//! binary is imported into a database of its own and opened, in one click.

mod common;

use common::app::{harness, on_disk, shown};
use egui_kittest::kittest::Queryable;

const LABEL: &str = "Öppna exempel (Norra länsdelen 2005)";

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
    h.get_by_label("Arkiv").click();
    h.run();
    h.get_by_label(LABEL).click();
    h.run();
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
    h.get_by_label("Arkiv").click();
    h.run();
    h.get_by_label(LABEL).click();
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
