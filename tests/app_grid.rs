//! The groups grid on a laptop (issue 13, items 4 and 5): the 2005 frame's
//! whole row fits 1366 pixels beside the unit list, and a unit is typed by
//! keyboard alone with Tab never leaving the rows. The real app in
//! egui_kittest on a real file.

mod common;

use common::app::{inside, key, mods, on_disk, row_names, shown, type_, views_left};
use common::{imported, sample};
use egui::accesskit::Role;
use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use malgrupp::model::Dimension;
use malgrupp::ui::App;

const NEW_ROW: &str = "Ny rad, Målgrupp";

fn at(db: &std::path::Path, (w, h): (f32, f32)) -> Harness<'static, App> {
    let mut h = common::app::harness_sized(db, vec2(w, h));
    h.run();
    h
}

/// The accessible name of the widget with the focus.
fn focused(h: &Harness<'_, App>) -> String {
    h.query_by(|n| n.is_focused())
        .and_then(|n| n.accesskit_node().label())
        .unwrap_or_default()
}

/// Every column header of the grid, and the last row's Kontroll cell (its
/// menu and its findings), lie inside the window right of the unit list.
fn whole_row_inside(h: &mut Harness<'_, App>, size: (f32, f32), what: &str) {
    let survey = shown(h);
    let unit = &survey.units[h.state().selected.unwrap()];
    let last = format!("Rang {}", unit.groups.len());
    // The last row's last number in view, as a typist would have it.
    h.get_by_label(row_names(&survey, &last).last().unwrap())
        .focus();
    h.run();
    let left = views_left(h);
    let mut heads = vec!["Rang", "Målgrupp", "Antal", "ca"];
    heads.extend(
        Dimension::ALL
            .into_iter()
            .flat_map(|d| survey.frame.labels(d).iter().map(String::as_str)),
    );
    heads.extend(["Notering", "Tema", "Kontroll"]);
    for name in heads {
        let r = h.get_by_role_and_label(Role::Label, name).rect();
        assert!(inside(r, size, left), "{what}: header {name} at {r:?}");
    }
    for menu in [format!("{last}, Mer"), "Totalraden, Mer".to_owned()] {
        let r = h.get_by_label(&menu).rect();
        assert!(inside(r, size, left), "{what}: {menu} at {r:?}");
    }
    let mut checks = 0;
    for node in h.get_all_by(|n| n.label().is_some_and(|l| l.contains(", Kontroll: "))) {
        let r = node.rect();
        assert!(
            inside(r, size, left),
            "{what}: {:?} at {r:?}",
            node.accesskit_node().label()
        );
        checks += 1;
    }
    assert!(checks > 0, "{what}: no row's findings shown");
    // Nothing lies beyond: asked to scroll sideways, the grid stays put.
    let before = h.get_by_role_and_label(Role::Label, "Rang").rect();
    h.get_by_label("Rang 1, Antal").scroll_right();
    h.run();
    let after = h.get_by_role_and_label(Role::Label, "Rang").rect();
    assert_eq!(before, after, "{what}: the grid scrolls sideways");
}

#[test]
fn the_2005_row_fits_1366_pixels_with_the_unit_list_shown_and_folded() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let size = (1366.0, 768.0);
    let mut h = at(&db, size);
    assert!(!h.state().settings.tree_hidden);
    h.get_by_label("+ Ny enhet");
    whole_row_inside(&mut h, size, "1366, enhetslistan visas");
    mods(&mut h, Modifiers::COMMAND, Key::L);
    assert!(h.query_by_label("+ Ny enhet").is_none());
    whole_row_inside(&mut h, size, "1366, enhetslistan dold");
}

#[test]
fn at_1024_the_grid_scrolls_sideways_to_the_focused_cell_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let size = (1024.0, 700.0);
    let mut h = at(&db, size);
    let survey = shown(&h);
    let names = row_names(&survey, "Rang 1");
    let left = views_left(&h);
    for name in [names.last().unwrap(), &names[0], "Rang 1, Målgrupp"] {
        h.get_by_label(name).focus();
        h.run();
        let r = h.get_by_label(name).rect();
        assert!(inside(r, size, left), "{name} at {r:?}");
    }
}

#[test]
fn a_unit_is_typed_by_keyboard_alone_and_tab_never_leaves_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let sample_unit = shown(&at(&db, (1366.0, 768.0))).units[0].clone();
    let mut h = at(&db, (1366.0, 768.0));
    let tab = |h: &mut Harness<'_, App>| {
        key(h, Key::Tab);
        let f = focused(h);
        assert!(
            f.starts_with("Rang ") || f.starts_with("Totalrad, ") || f == NEW_ROW,
            "Tab left the rows for ”{f}”"
        );
        f
    };

    // Ny enhet: name, Tab to Kommun, Space; Tab to Hällefors, Enter.
    mods(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::N);
    type_(&mut h, "Ny enhet");
    key(&mut h, Key::Tab);
    key(&mut h, Key::Space);
    for _ in 0..4 {
        key(&mut h, Key::Tab);
    }
    key(&mut h, Key::Enter);
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
    let u = h.state().selected.unwrap();
    let groups_before = |h: &Harness<'_, App>| shown(h).units[u].groups.len();

    for (i, g) in sample_unit.groups.iter().enumerate() {
        let rank = format!("Rang {}", i + 1);
        if i == 0 {
            // The first row by Ctrl+G; the rows after it by typing in the
            // empty row that Tab reached.
            mods(&mut h, Modifiers::COMMAND, Key::G);
        } else {
            assert_eq!(focused(&h), NEW_ROW, "after {rank}'s row above");
            assert_eq!(groups_before(&h), i, "a row made before typing");
        }
        // The first key makes the row; the keys after it go on into its
        // label.
        let first = g.label.chars().next().unwrap().len_utf8();
        type_(&mut h, &g.label[..first]);
        assert_eq!(groups_before(&h), i + 1);
        type_(&mut h, &g.label[first..]);
        assert_eq!(focused(&h), format!("{rank}, Målgrupp"));
        assert_eq!(
            h.get_by_label(&format!("{rank}, Målgrupp"))
                .value()
                .as_deref(),
            Some(g.label.as_str())
        );
        let names = row_names(&shown(&h), &rank);
        assert_eq!(tab(&mut h), names[0]);
        if let Some(c) = g.row.count.get() {
            type_(
                &mut h,
                &format!("{}{c}", if g.estimated { "ca " } else { "" }),
            );
        }
        for (cell, name) in g.row.cells.iter().zip(&names[1..]) {
            assert_eq!(&tab(&mut h), name);
            if let Some(v) = cell.get() {
                type_(&mut h, &v.to_string());
            }
        }
        // From the last number to where the next row would be.
        assert_eq!(tab(&mut h), NEW_ROW);
    }
    let n = sample_unit.groups.len();
    // Shift+Tab back the same way, Tab again: no row is made by passing.
    mods(&mut h, Modifiers::SHIFT, Key::Tab);
    let last = row_names(&shown(&h), &format!("Rang {n}")).pop().unwrap();
    assert_eq!(focused(&h), last);
    assert_eq!(tab(&mut h), NEW_ROW);
    assert_eq!(groups_before(&h), n);

    // Ctrl+T: the total row, the cursor in its Antal cell.
    mods(&mut h, Modifiers::COMMAND, Key::T);
    assert_eq!(focused(&h), "Totalrad, Antal");
    let total = sample_unit.reported_totals.as_ref().unwrap();
    type_(&mut h, &total.count.get().unwrap().to_string());
    for cell in &total.cells {
        tab(&mut h);
        if let Some(v) = cell.get() {
            type_(&mut h, &v.to_string());
        }
    }
    // With the total row there, the last row's last number goes on to it.
    h.get_by_label(&last).focus();
    h.run();
    assert_eq!(tab(&mut h), "Totalrad, Antal");
    mods(&mut h, Modifiers::SHIFT, Key::Tab);
    assert_eq!(focused(&h), last);
    key(&mut h, Key::Escape);

    let saved = on_disk(&db);
    let got = &saved.units[u];
    assert_eq!(got.name, "Ny enhet");
    assert_eq!(got.groups, sample_unit.groups);
    assert_eq!(got.reported_totals, sample_unit.reported_totals);
}

#[test]
fn summor_headers_break_only_between_words_at_laptop_sizes() {
    use malgrupp::ui::totals::Which;
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    for size in [(1024.0, 700.0), (1366.0, 768.0)] {
        let mut h = at(&db, size);
        mods(&mut h, Modifiers::COMMAND, Key::Num3);
        for (which, tab) in [
            (Which::Municipality, "Per kommun"),
            (Which::Authority, "Per myndighet"),
            (Which::PlaceAuthority, "Kommun × myndighet"),
            (Which::Unit, "Per enhet"),
        ] {
            h.get_by_label(tab).click();
            h.run();
            let table = malgrupp::ui::totals::table(h.state(), which).unwrap();
            let font = egui::TextStyle::Body.resolve(&h.ctx.global_style());
            for name in &table.header {
                let widest = name
                    .split_whitespace()
                    .map(|w| {
                        h.ctx.fonts_mut(|f| {
                            f.layout_no_wrap(w.to_owned(), font.clone(), egui::Color32::WHITE)
                                .size()
                                .x
                        })
                    })
                    .fold(0.0, f32::max);
                // The header as drawn is as wide as its widest word (to
                // rounding; a broken word would lose a letter or more):
                // that word was not broken.
                // (The last of its name: "Enhet" is a menu's too.)
                let r = h
                    .get_all_by_role_and_label(Role::Button, name)
                    .last()
                    .unwrap()
                    .rect();
                assert!(
                    r.width() >= widest - 1.0,
                    "{size:?} {tab}: ”{name}” {} wide, its widest word {widest}",
                    r.width()
                );
            }
        }
    }
}

#[test]
fn a_row_s_menu_moves_and_deletes_it_undoably() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let groups = &original.units[0].groups;
    let mut h = at(&db, (1366.0, 768.0));
    h.get_by_label("Rang 2, Mer").click();
    h.run();
    h.get_by_label("↑ Flytta upp").click();
    h.run();
    let moved = &on_disk(&db).units[0].groups;
    assert_eq!(
        (&moved[0].label, &moved[1].label),
        (&groups[1].label, &groups[0].label)
    );
    mods(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(on_disk(&db), original);

    h.get_by_label("Rang 1, Mer").click();
    h.run();
    h.get_by_label("Ta bort målgruppen (kan ångras)").click();
    h.run();
    let labels = |gs: &[malgrupp::model::TargetGroup]| -> Vec<String> {
        gs.iter().map(|g| g.label.clone()).collect()
    };
    assert_eq!(labels(&on_disk(&db).units[0].groups), labels(&groups[1..]));
    h.get_by_label("Totalraden, Mer").click();
    h.run();
    h.get_by_label("Ta bort totalraden (kan ångras)").click();
    h.run();
    assert_eq!(on_disk(&db).units[0].reported_totals, None);
    mods(&mut h, Modifiers::COMMAND, Key::Z);
    mods(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(on_disk(&db), original);
}

#[test]
fn a_row_made_in_the_new_row_field_is_undone_like_ctrl_g_s() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let n = original.units[0].groups.len();
    let mut h = at(&db, (1366.0, 768.0));
    h.get_by_label(NEW_ROW).focus();
    h.run();
    type_(&mut h, "U");
    type_(&mut h, "nga vuxna");
    key(&mut h, Key::Tab);
    let saved = on_disk(&db);
    assert_eq!(saved.units[0].groups.len(), n + 1);
    assert_eq!(saved.units[0].groups[n].label, "Unga vuxna");
    // The label typed, then the row: two steps, as after Ctrl+G.
    mods(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(on_disk(&db).units[0].groups[n].label, "U");
    mods(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(on_disk(&db), original);
    // Blanks make no row; text the rules refuse (only an invisible
    // character) makes none either and says why, until the field is left.
    for text in [" ", "\u{200b}"] {
        h.get_by_label(NEW_ROW).focus();
        h.run();
        type_(&mut h, text);
        assert_eq!(shown(&h).units[0].groups.len(), n, "{text:?}");
        key(&mut h, Key::Tab);
        assert_eq!(on_disk(&db), original);
    }
    h.get_by_label(NEW_ROW).focus();
    h.run();
    type_(&mut h, "\u{200b}");
    let (_, message) = h.state().form.refused.clone().unwrap();
    assert!(
        message.starts_with("Ny rad, Målgrupp: får inte vara tom"),
        "{message}"
    );
    h.get_by_label(&format!("Inte sparat – {message}"));
    key(&mut h, Key::Tab);
    assert!(h.state().form.refused.is_none());
}

/// With 40 groups the form scrolls down, and its scroll bar keeps a strip
/// of its own at the right: no row's number, field or findings lie under
/// it (issue 13: at 1024 it hid the numbers of the rightmost column).
#[test]
fn the_scroll_bar_of_a_long_form_covers_no_cell() {
    let dir = tempfile::tempdir().unwrap();
    let doc = common::generated(dir.path(), "40.json", &["--groups", "40"]);
    let db = imported(dir.path(), &doc);
    let size = (1366.0, 768.0);
    let mut h = at(&db, size);
    let survey = shown(&h);
    let unit = &survey.units[h.state().selected.unwrap()];
    assert!(unit.groups.len() >= 40, "{} groups", unit.groups.len());
    // Scrolled to the middle, as a typist half-way down would have it.
    h.get_by_label(&row_names(&survey, "Rang 20")[0]).focus();
    h.run();
    let bar = h.ctx.global_style().spacing.scroll;
    let bar_left = size.0 - 8.0 - bar.floating_width.max(6.0) - bar.bar_outer_margin;
    let mut seen = 0;
    for node in h.get_all_by(|n| n.label().is_some_and(|l| l.starts_with("Rang "))) {
        let r = node.rect();
        if r.bottom() < 0.0 || r.top() > size.1 {
            continue;
        }
        seen += 1;
        assert!(
            r.right() <= bar_left,
            "{:?} at {r:?} reaches under the scroll bar (from x = {bar_left})",
            node.accesskit_node().label()
        );
    }
    assert!(seen > 100, "only {seen} cells in view");
}

/// Scrolled half-way down a 40-group form at 1024×700, no half row peeks
/// out below the headers held at the top (issue 13): a row that starts
/// under the band is not drawn and takes no click where it reaches below.
#[test]
fn no_half_row_peeks_out_under_the_held_headers() {
    let dir = tempfile::tempdir().unwrap();
    let doc = common::generated(dir.path(), "40.json", &["--groups", "40"]);
    let db = imported(dir.path(), &doc);
    let mut h = at(&db, (1024.0, 700.0));
    let survey = shown(&h);
    h.get_by_label(&row_names(&survey, "Rang 20")[0]).focus();
    h.run();
    key(&mut h, Key::Escape);
    let mut straddling = 0;
    for _ in 0..8 {
        let band = h.state().form.held_headers().expect("headers held at top");
        let antal =
            |h: &Harness<'_, App>, n: usize| h.get_by_label(&format!("Rang {n}, Antal")).rect();
        for n in 1..=40 {
            let r = antal(&h, n);
            if r.top() < band.bottom() && r.bottom() > band.bottom() + 2.0 {
                straddling += 1;
                let at = egui::pos2(r.center().x, (band.bottom() + r.bottom()) / 2.0);
                h.event(egui::Event::PointerMoved(at));
                h.event(egui::Event::PointerButton {
                    pos: at,
                    button: egui::PointerButton::Primary,
                    pressed: true,
                    modifiers: Modifiers::NONE,
                });
                h.event(egui::Event::PointerButton {
                    pos: at,
                    button: egui::PointerButton::Primary,
                    pressed: false,
                    modifiers: Modifiers::NONE,
                });
                h.run();
                assert_ne!(
                    focused(&h),
                    format!("Rang {n}, Antal"),
                    "the half row {n} under the band {band:?} took a click at {at:?}"
                );
            }
        }
        // A few points further down, as a wheel turns.
        let middle = egui::pos2(600.0, 400.0);
        h.event(egui::Event::PointerMoved(middle));
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: vec2(0.0, -7.0),
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
        });
        h.run();
    }
    assert!(straddling > 0, "no row was half under the band");
}
