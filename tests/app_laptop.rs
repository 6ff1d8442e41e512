//! A surveyor's and a reviewer's day on a laptop: every view at 1024×700
//! and 1366×768, by keyboard (issue 13). The real app in egui_kittest on a
//! real file.

mod common;

use common::app::{inside, key, mods, on_disk, row_names, shown, type_, views_left};
use common::{imported, sample};
use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::ui::App;

fn subdir(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const SIZES: [(f32, f32); 2] = [(1024.0, 700.0), (1366.0, 768.0)];

fn at(db: &std::path::Path, (w, h): (f32, f32)) -> Harness<'static, App> {
    let db = db.to_owned();
    let mut h = common::app::harness_sized(&db, vec2(w, h));
    h.run();
    h
}

#[test]
fn the_first_findings_sign_off_lies_inside_the_window_at_laptop_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    for size in SIZES {
        let mut h = at(&db, size);
        mods(&mut h, Modifiers::COMMAND, Key::Num2);
        let left = views_left(&h);
        let survey = shown(&h);
        let doc = h.state().doc.as_ref().unwrap();
        let first = doc.analysis().findings[0];
        let message = first.message(&survey);
        let unit = &survey.units[first.unit as usize].name;
        for label in [unit.as_str(), message.as_str()] {
            let r = h.get_all_by_label(label).next().unwrap().rect();
            assert!(inside(r, size, left), "{size:?}: ”{label}” at {r:?}");
        }
        let button = h.get_all_by_label("Granskat").next().unwrap();
        let r = button.rect();
        assert!(inside(r, size, left), "{size:?}: Granskat at {r:?}");
        button.click();
        h.run();
        let survey = shown(&h);
        assert!(
            survey.units[first.unit as usize]
                .review_of(&first)
                .is_some(),
            "{size:?}: the click did not mark the finding"
        );
        malgrupp::ui::review::set_review(h.state_mut(), first, None);
    }
}

#[test]
fn tabbing_across_a_row_keeps_the_focused_cell_in_view_and_goes_on_to_the_next_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    for size in SIZES {
        let mut h = at(&db, size);
        let survey = shown(&h);
        let names = row_names(&survey, "Rang 1");
        h.get_by_label(&names[0]).focus();
        h.run();
        let left = views_left(&h);
        for name in &names[1..] {
            key(&mut h, Key::Tab);
            let node = h.get_by_label(name);
            assert!(node.is_focused(), "{size:?}: Tab did not reach {name}");
            let r = node.rect();
            assert!(
                inside(r, size, left),
                "{size:?}: {name} off-screen at {r:?}"
            );
        }
        // From the last number on to the next row's label, in view.
        key(&mut h, Key::Tab);
        let label = h.get_by_label("Rang 2, Målgrupp");
        assert!(label.is_focused(), "{size:?}: Tab left the grid");
        assert!(
            inside(label.rect(), size, left),
            "{size:?}: label off-screen"
        );
        // And back.
        mods(&mut h, Modifiers::SHIFT, Key::Tab);
        assert!(h.get_by_label(names.last().unwrap()).is_focused());
        let scroll_back = h.get_by_label(&names[0]);
        scroll_back.focus();
        h.run();
        let r = h.get_by_label(&names[0]).rect();
        assert!(
            inside(r, size, left),
            "{size:?}: back to Antal, off-screen at {r:?}"
        );
    }
}

#[test]
fn a_whole_unit_with_its_total_row_is_typed_by_keyboard_alone_at_laptop_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let sample_unit = shown(&at(&db, SIZES[0])).units[0].clone();
    for (n, size) in SIZES.into_iter().enumerate() {
        let mut h = at(&db, size);
        let left = views_left(&h);
        // Ny enhet: name, Tab to Kommun, Space; Tab to Hällefors, Enter.
        mods(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::N);
        type_(&mut h, &format!("Ny enhet {n}"));
        key(&mut h, Key::Tab);
        key(&mut h, Key::Space);
        for _ in 0..4 {
            key(&mut h, Key::Tab);
        }
        key(&mut h, Key::Enter);
        assert!(
            h.state().dialog.is_none(),
            "{size:?}: {:?}",
            h.state().dialog
        );
        let u = h.state().selected.unwrap();
        for (i, g) in sample_unit.groups.iter().enumerate() {
            mods(&mut h, Modifiers::COMMAND, Key::G);
            type_(&mut h, &g.label);
            key(&mut h, Key::Tab);
            if let Some(c) = g.row.count.get() {
                type_(
                    &mut h,
                    &format!("{}{c}", if g.estimated { "ca " } else { "" }),
                );
            }
            for cell in &g.row.cells {
                key(&mut h, Key::Tab);
                if let Some(v) = cell.get() {
                    type_(&mut h, &v.to_string());
                }
            }
            let rank = format!("Rang {}", i + 1);
            let last = row_names(&shown(&h), &rank).pop().unwrap();
            let r = h.get_by_label(&last).rect();
            assert!(
                inside(r, size, left),
                "{size:?}: {last} off-screen at {r:?}"
            );
        }
        // Ctrl+T: the total row, the cursor in its Antal cell.
        mods(&mut h, Modifiers::COMMAND, Key::T);
        assert!(h.get_by_label("Totalrad, Antal").is_focused(), "{size:?}");
        let total = sample_unit.reported_totals.as_ref().unwrap();
        type_(&mut h, &total.count.get().unwrap().to_string());
        for cell in &total.cells {
            key(&mut h, Key::Tab);
            if let Some(v) = cell.get() {
                type_(&mut h, &v.to_string());
            }
        }
        let r = h
            .get_all_by_label_contains("Totalrad, ")
            .last()
            .unwrap()
            .rect();
        assert!(
            inside(r, size, left),
            "{size:?}: the total row's last cell at {r:?}"
        );
        key(&mut h, Key::Tab);

        let saved = on_disk(&db);
        let got = &saved.units[u];
        assert_eq!(got.name, format!("Ny enhet {n}"));
        assert_eq!(
            (got.authority, &got.place),
            (sample_unit.authority, &sample_unit.place)
        );
        assert_eq!(got.groups, sample_unit.groups, "{size:?}");
        assert_eq!(got.reported_totals, sample_unit.reported_totals, "{size:?}");
    }
}

#[test]
fn a_new_unit_is_not_created_without_its_authority_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = at(&db, SIZES[0]);
    let before = on_disk(&db);
    mods(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::N);
    type_(&mut h, "Vårdcentralen Nora");
    // Enter at once: nothing was chosen, and nothing is chosen for the user.
    key(&mut h, Key::Enter);
    h.get_by_label("Välj enhetens myndighet.");
    key(&mut h, Key::Tab);
    key(&mut h, Key::Tab);
    key(&mut h, Key::Space);
    key(&mut h, Key::Enter);
    h.get_by_label("Välj kommun eller område.");
    assert!(h.state().dialog.is_some());
    assert_eq!(on_disk(&db), before);
    key(&mut h, Key::Escape);
    assert!(h.state().dialog.is_none());
    assert_eq!(on_disk(&db), before);
}

#[test]
fn text_that_is_not_a_number_never_reaches_sums_or_findings() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = at(&db, SIZES[1]);
    let original = shown(&h);
    let findings_before = h.state().doc.as_ref().unwrap().analysis().findings.clone();
    h.get_by_label("Rang 1, Antal").focus();
    h.run();
    mods(&mut h, Modifiers::COMMAND, Key::A);
    type_(&mut h, "1");
    type_(&mut h, "2");
    assert_eq!(shown(&h).units[0].groups[0].row.count.get(), Some(12));
    type_(&mut h, "a");
    // "12a" is shown, not yet valid; the unit holds what it held before.
    assert_eq!(
        h.get_by_label("Rang 1, Antal").value().as_deref(),
        Some("12a")
    );
    assert!(h.state().form.refused.is_some());
    assert_eq!(shown(&h), original);
    assert_eq!(
        h.state().doc.as_ref().unwrap().analysis().findings,
        findings_before
    );
}

#[test]
fn a_review_mark_reopened_by_typing_is_announced_and_so_is_its_return() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = at(&db, SIZES[1]);
    let doc = h.state().doc.as_ref().unwrap();
    let f = *doc
        .analysis()
        .findings
        .iter()
        .find(|f| f.unit == 0 && f.group == Some(0))
        .unwrap();
    let message = f.message(doc.survey());
    malgrupp::ui::review::set_review(h.state_mut(), f, Some("ok".into()));
    h.run();
    let count = shown(&h).units[0].groups[0].row.count.get().unwrap();
    for (value, news) in [(count + 1, "gäller inte längre"), (count, "gäller igen")] {
        h.state_mut().info = None;
        h.get_by_label("Rang 1, Antal").focus();
        h.run();
        mods(&mut h, Modifiers::COMMAND, Key::A);
        type_(&mut h, &value.to_string());
        let info = h.state().info.clone().unwrap_or_default();
        assert!(
            info.contains(news) && info.contains(&message),
            "{value}: {info}"
        );
        // Shown where the user looks: above the view.
        h.get_by_label(&info);
    }
}

#[test]
fn the_unit_selected_is_remembered_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let a = imported(&subdir(dir.path(), "a"), &sample());
    let b = imported(&subdir(dir.path(), "b"), &sample());
    let mut h = at(&a, SIZES[0]);
    h.state_mut().selected = Some(3);
    h.run();
    h.state_mut().open_database(&b);
    h.run();
    assert_eq!(h.state().selected, Some(0), "a unit never chosen in b");
    h.state_mut().open_database(&a);
    h.run();
    assert_eq!(h.state().selected, Some(3));
}

#[test]
fn the_unit_list_folds_away_by_key_and_mouse() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = at(&db, SIZES[0]);
    let left = views_left(&h);
    mods(&mut h, Modifiers::COMMAND, Key::L);
    assert!(h.query_by_label("+ Ny enhet").is_none());
    assert!(views_left(&h) < left - 200.0);
    h.get_by_label("» Enheter").click();
    h.run();
    h.get_by_label("+ Ny enhet");
    h.get_by_label("«").click();
    h.run();
    assert!(h.query_by_label("+ Ny enhet").is_none());
}

#[test]
fn without_a_file_dialog_the_path_is_typed_in_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let a = imported(&subdir(dir.path(), "a"), &sample());
    let b = imported(&subdir(dir.path(), "b"), &sample());
    let mut h = at(&a, SIZES[0]);
    // No display and no portal here: the dialog comes back at once.
    mods(&mut h, Modifiers::COMMAND, Key::O);
    h.get_by_label("Sökväg");
    type_(&mut h, "/finns/inte.sqlite");
    key(&mut h, Key::Enter);
    h.get_by_label("/finns/inte.sqlite: filen finns inte.");
    h.get_by_label("Sökväg").focus();
    h.run();
    mods(&mut h, Modifiers::COMMAND, Key::A);
    type_(&mut h, &b.display().to_string());
    key(&mut h, Key::Enter);
    assert!(h.state().dialog.is_none());
    assert_eq!(h.state().db_path(), Some(b.as_path()));
}

#[test]
fn summor_says_that_more_columns_lie_to_the_right() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = at(&db, SIZES[0]);
    mods(&mut h, Modifiers::COMMAND, Key::Num3);
    h.get_by_label_contains("Fler kolumner till höger");
    // The place column's header, whole, inside the window.
    let r = h.get_by_label("Kommun/område").rect();
    assert!(inside(r, SIZES[0], views_left(&h)), "{r:?}");
}

#[test]
fn another_unit_starts_at_its_top() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = at(&db, SIZES[0]);
    // Ctrl+T puts the cursor in the total row, far down the form.
    mods(&mut h, Modifiers::COMMAND, Key::T);
    assert!(h.get_by_label("Enhetens namn").rect().top() < 0.0);
    key(&mut h, Key::Escape);
    h.state_mut().selected = Some(1);
    h.run();
    h.run();
    let r = h.get_by_label("Enhetens namn").rect();
    assert!(
        inside(r, SIZES[0], views_left(&h)),
        "the new unit's name at {r:?}"
    );
}
