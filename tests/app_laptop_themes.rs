//! The Teman and Översikt views on a laptop (issue 13, item 12): at 1024×700
//! and 1366×768 every column header lies inside the window, and the Teman
//! view's note on groups counted twice is at least the body text's size.
//! The real app in egui_kittest on the real 2005 sample.

mod common;

use common::app::{inside, mods, views_left};
use common::{imported, sample};
use egui::{Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use malgrupp::ui::App;

const SIZES: [(f32, f32); 2] = [(1024.0, 700.0), (1366.0, 768.0)];

fn at(db: &std::path::Path, (w, h): (f32, f32)) -> Harness<'static, App> {
    let mut h = common::app::harness_sized(db, vec2(w, h));
    h.run();
    h
}

/// Every text labelled `label` (not the menu or tab of that name) lies
/// inside the views of the window, and there is at least one.
fn all_inside(h: &Harness<'_, App>, label: &str, size: (f32, f32)) {
    let left = views_left(h);
    let nodes: Vec<_> = h
        .get_all_by_role_and_label(egui::accesskit::Role::Label, label)
        .collect();
    assert!(!nodes.is_empty(), "{size:?}: no ”{label}”");
    for node in nodes {
        let r = node.rect();
        assert!(inside(r, size, left), "{size:?}: ”{label}” at {r:?}");
    }
}

#[test]
fn the_theme_views_headers_lie_inside_the_window_at_laptop_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    for size in SIZES {
        let mut h = at(&db, size);
        mods(&mut h, Modifiers::COMMAND, Key::Num6);
        assert_eq!(h.state().view, malgrupp::ui::app::View::Themes);
        for head in [
            "Kommun/område",
            "Myndighet",
            "Enhet",
            "Rang",
            "Målgrupp",
            "Antal",
            "Teman",
        ] {
            all_inside(&h, head, size);
        }
    }
}

#[test]
fn the_overviews_headers_and_units_lie_inside_the_window_at_laptop_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    for size in SIZES {
        let mut h = at(&db, size);
        mods(&mut h, Modifiers::COMMAND, Key::Num5);
        assert_eq!(h.state().view, malgrupp::ui::app::View::Overview);
        let survey = h.state().doc.as_ref().unwrap().survey().clone();
        all_inside(&h, "Kommun / område", size);
        for a in &survey.frame.authorities {
            all_inside(&h, a, size);
        }
        // The last authority's units too, not only its header.
        let last = survey.frame.authorities.len() - 1;
        let left = views_left(&h);
        let units: Vec<_> = survey
            .units
            .iter()
            .filter(|u| u.authority == last)
            .collect();
        assert!(!units.is_empty());
        for unit in units {
            let node = h
                .get_all_by_role(egui::accesskit::Role::Button)
                .find(|n| {
                    n.accesskit_node()
                        .label()
                        .is_some_and(|l| l.ends_with(unit.name.as_str()))
                })
                .unwrap_or_else(|| panic!("{size:?}: no button for {}", unit.name));
            let r = node.rect();
            assert!(inside(r, size, left), "{size:?}: {} at {r:?}", unit.name);
        }
    }
}

#[test]
fn the_theme_views_note_is_at_least_body_size() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    for size in SIZES {
        let mut h = at(&db, size);
        mods(&mut h, Modifiers::COMMAND, Key::Num6);
        let note = h.get_by_label(malgrupp::model::themes::DOUBLE_COUNT_NOTE);
        let height = note.rect().height();
        let body = egui::TextStyle::Body.resolve(&h.ctx.global_style());
        let row = h.ctx.fonts_mut(|f| f.row_height(&body));
        assert!(
            height + 0.5 >= row,
            "{size:?}: the note is {height} px high, one body line {row} px"
        );
    }
}
