//! Themes in the app through egui_kittest: the theme column of the groups
//! grid (mouse, keyboard, suggestions only on the user's word) and the view
//! of all groups by theme that tags many at once; every change undoable.

mod common;

use common::app::on_disk;
use common::{fixture, imported};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::model::Survey;
use malgrupp::ui::App;

fn ctrl(h: &mut Harness<'_, App>, k: Key) {
    h.key_press_modifiers(Modifiers::COMMAND, k);
    h.run();
}

/// The app in a window wide enough for the whole groups grid, theme column
/// included.
fn harness(db: &std::path::Path) -> Harness<'static, App> {
    common::app::harness_sized(db, egui::vec2(2600.0, 1000.0))
}

fn theme(s: &Survey, name: &str) -> u16 {
    s.frame.themes.iter().position(|t| t.name == name).unwrap() as u16
}

fn themes_of(s: &Survey, u: usize, g: usize) -> Vec<u16> {
    s.units[u].groups[g].themes.to_vec()
}

#[test]
fn the_grid_sets_themes_by_mouse_and_keyboard_and_suggests_without_applying() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let original = on_disk(&db);
    let aldre = theme(&original, "Äldre");
    let mut h = harness(&db);
    h.run();

    // Socialförvaltningen Hällefors, rank 4 "Äldre analfabeter/lågutbildade":
    // the keyword "äldre" suggests the theme, which is not set by itself.
    assert_eq!(h.state().selected, Some(0));
    assert!(themes_of(&original, 0, 3).is_empty());
    h.get_by_label("Rang 4, föreslaget tema Äldre").click();
    h.run();
    assert_eq!(themes_of(&on_disk(&db), 0, 3), [aldre]);
    // The suggestion is gone once taken; Ctrl+Z takes the theme back.
    assert!(h.query_by_label("Rang 4, föreslaget tema Äldre").is_none());
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);
    assert!(h.query_by_label("Rang 4, föreslaget tema Äldre").is_some());

    // With the mouse: the cell's menu, a checkbox per theme.
    h.get_by_label("Rang 1, Tema").click();
    h.run();
    h.get_by_label("Kvinnor med eller utan barn").click();
    h.run();
    let kvinnor = theme(&original, "Kvinnor med eller utan barn");
    assert_eq!(themes_of(&on_disk(&db), 0, 0), [kvinnor]);
    // A second theme on the same group, in the frame's order.
    h.get_by_label("Arbetslösa unga").click();
    h.run();
    assert_eq!(themes_of(&on_disk(&db), 0, 0), [0, kvinnor]);
    h.key_press(Key::Escape);
    h.run();
    ctrl(&mut h, Key::Z);
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);

    // With the keyboard: Space on the cell opens the menu, Space on a
    // theme takes it off (rank 5 "Missbruk/kriminalitet" has "Missbruk").
    assert_eq!(themes_of(&original, 0, 4), [theme(&original, "Missbruk")]);
    h.get_by_label("Rang 5, Tema").focus();
    h.run();
    h.key_press(Key::Space);
    h.run();
    h.get_by_label("Missbruk").focus();
    h.run();
    h.key_press(Key::Space);
    h.run();
    assert!(themes_of(&on_disk(&db), 0, 4).is_empty());
    h.key_press(Key::Escape);
    h.run();
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);
}

#[test]
fn the_view_by_theme_tags_the_marked_groups_at_once_and_undoes_them_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    ctrl(&mut h, Key::Num6);
    assert_eq!(h.state().view, malgrupp::ui::app::View::Themes);

    // Only the groups without a theme.
    h.get_by_label("Visa målgrupper").click();
    h.run();
    h.get_by_label("(utan tema)").click();
    h.run();
    assert!(
        h.query_by_label("3 målgrupper visas, 0 markerade.")
            .is_some()
    );
    // Two of them marked by hand, and the theme to set chosen.
    h.get_by_label("Markera Socialförvaltningen Hällefors, rang 1: Frisk, arbetsförd")
        .click();
    h.run();
    h.get_by_label("Markera Socialförvaltningen Hällefors, rang 3: Odiagnostiserade - \"sjuka\"?")
        .click();
    h.run();
    h.get_by_label("Tema att sätta").click();
    h.run();
    h.get_by_label("Sjukskrivna").click();
    h.run();
    h.get_by_label("Sätt temat på markerade").click();
    h.run();
    let sjuk = theme(&original, "Sjukskrivna");
    let now = on_disk(&db);
    assert_eq!(themes_of(&now, 0, 0), [sjuk]);
    assert_eq!(themes_of(&now, 0, 2), [sjuk]);
    assert!(themes_of(&now, 0, 3).is_empty());
    // Nothing else changed.
    let mut back = now.clone();
    back.units[0].groups[0].themes.clear();
    back.units[0].groups[2].themes.clear();
    assert_eq!(back, original);
    // The list follows: one untagged group left.
    assert!(
        h.query_by_label("1 målgrupper visas, 0 markerade.")
            .is_some()
    );

    // One undo step takes back both.
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);
    ctrl(&mut h, Key::Y);
    assert_eq!(themes_of(&on_disk(&db), 0, 2), [sjuk]);

    // The suggestions for a theme, all marked at once, then taken off again.
    h.get_by_label("Visa målgrupper").click();
    h.run();
    h.get_by_label("Tema: Sjukskrivna").click();
    h.run();
    h.get_by_label("Markera alla som visas").click();
    h.run();
    h.get_by_label("Ta bort temat från markerade").click();
    h.run();
    let cleared = on_disk(&db);
    assert!(
        cleared
            .units
            .iter()
            .flat_map(|u| &u.groups)
            .all(|g| !g.themes.contains(&sjuk))
    );
    ctrl(&mut h, Key::Z);
    assert_eq!(themes_of(&on_disk(&db), 0, 2), [sjuk]);
    assert_eq!(on_disk(&db).units[1].groups[0].themes.to_vec(), [sjuk]);
}

/// Opens Arkiv → Ändra ramen… and puts `text` in its Teman list.
fn edit_frame_themes(h: &mut Harness<'_, App>, text: &str) {
    h.get_by_label("Arkiv").click();
    h.run();
    h.get_by_label("Ändra ramen…").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Teman")
        .focus();
    h.run();
    ctrl(h, Key::A);
    h.event(egui::Event::Paste(text.to_owned()));
    h.run();
    h.get_by_label("Spara ramen").click();
    h.run();
}

#[test]
fn the_frame_dialog_edits_the_themes_and_keeps_those_groups_carry() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    let lines = malgrupp::model::themes::to_lines(&original.frame.themes);

    // A theme added at the end with its keywords, one renamed: the groups
    // keep their themes by position.
    let changed = lines.replace(
        "Missbruk: missbruk",
        "Missbruk och kriminalitet: missbruk, kriminalitet",
    ) + "\nLångtidsarbetslösa: långtidsarbetslös, arbetslösa";
    edit_frame_themes(&mut h, &changed);
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
    let now = on_disk(&db);
    let names: Vec<&str> = now.frame.themes.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), original.frame.themes.len() + 1);
    assert_eq!(names[4], "Missbruk och kriminalitet");
    assert_eq!(now.frame.themes[4].keywords, ["missbruk", "kriminalitet"]);
    assert_eq!(names.last(), Some(&"Långtidsarbetslösa"));
    assert_eq!(now.units, original.units);
    // Undone in one step.
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);

    // Removing themes that groups carry is refused, in Swedish, and the
    // file keeps them.
    let first_only = lines.lines().next().unwrap().to_owned();
    edit_frame_themes(&mut h, &first_only);
    let message = format!("{:?} {:?}", h.state().dialog, h.state().error);
    assert!(message.contains("kan inte tas bort"), "{message}");
    assert!(message.contains("Sjukskrivna"), "{message}");
    assert_eq!(on_disk(&db), original);
}

#[test]
fn the_totals_view_has_totals_per_theme_and_says_a_group_may_count_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let mut h = harness(&db);
    h.run();
    ctrl(&mut h, Key::Num3);
    h.get_by_label("Per tema").click();
    h.run();
    assert!(
        h.query_by_label(malgrupp::model::themes::DOUBLE_COUNT_NOTE)
            .is_some()
    );
    for cell in ["Tema", "Arbetslösa unga", "(utan tema)", "138"] {
        assert!(h.query_all_by_label(cell).next().is_some(), "{cell}");
    }
}

#[test]
fn the_theme_chart_is_among_the_charts_with_its_note() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let mut h = harness(&db);
    h.run();
    ctrl(&mut h, Key::Num4);
    h.get_by_label("Diagram:").click();
    h.run();
    h.get_by_label("Personer per tema och myndighet").click();
    h.run();
    h.run();
    h.get_by_role_and_label(
        egui::accesskit::Role::Image,
        "Personer per tema och myndighet",
    );
    assert!(
        h.query_by_label(malgrupp::model::themes::DOUBLE_COUNT_NOTE)
            .is_some()
    );
}
