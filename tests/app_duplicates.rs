//! Duplicate findings in the app: listed and filtered in the review list
//! with the other kinds, a unit-wide one shown as "Enheten", opened at the
//! unit, and marked as reviewed in the file.

mod common;

use common::app::harness;
use common::{fixture, imported, json_of};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use malgrupp::ui::app::View;

const UNIT: &str = "dubblett: 2 enheter har samma namn, kommun och myndighet";
const RANK: &str = "dubblett: 2 målgrupper i enheten har rang 2";

#[test]
fn duplicates_are_listed_filtered_opened_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("duplicates.json"));
    let mut h = harness(&db);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run();
    h.get_by_label("9 fynd visas av 9");
    assert_eq!(h.get_all_by_label(UNIT).count(), 2);
    assert_eq!(h.get_all_by_label(RANK).count(), 2);
    assert_eq!(h.get_all_by_label("Enheten").count(), 4);

    // The kind filter offers "dubblett".
    h.get_by_label("Slag:").click();
    h.run();
    h.get_by_label("dubblett").click();
    h.run();
    h.get_by_label("9 fynd visas av 9");
    assert_eq!(h.state().review.kind, Some("duplicate"));

    // Marked as reviewed: saved, and `check` sees it.
    h.get_all_by_label("Granskat").next().unwrap().click();
    h.run();
    let (json, _) = json_of(&db, &["check"]);
    assert_eq!(json["findings"][0]["breakdown"], "unit");
    assert_eq!(json["findings"][0]["reviewed"], true);
    assert_eq!(json["findings"][1]["reviewed"], false);

    // A unit-wide finding opens the unit, with no cell to focus.
    h.get_all_by_label(UNIT).next().unwrap().click();
    h.run();
    assert_eq!(h.state().view, View::Form);
    assert_eq!(h.state().selected, Some(0));
    assert_eq!(h.state().form.focus_target, None);
    // The unit's own list says where each finding is.
    h.get_by_label("Enheten");
    h.get_by_label("✔ granskat: ");
    assert!(h.get_all_by_label("Rang 2").count() >= 2);
    assert!(h.query_by_label("Totalraden").is_none());
}
