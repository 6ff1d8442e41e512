//! Hjälp → Handledning (F1) shows the Swedish guide in the app, and Hjälp →
//! Om shows the version and the licences; Esc closes either.

mod common;

use common::app::harness;
use egui::Key;
use egui_kittest::kittest::Queryable;
use malgrupp::ui::help::HelpPage;

/// The guide's first heading, as docs/handledning.md has it.
const FIRST_HEADING: &str = "Handledning för Målgruppskartläggning";

#[test]
fn f1_opens_the_guide_with_its_first_heading_and_esc_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("malgrupp.sqlite"));
    h.run();
    assert!(h.query_by_label(FIRST_HEADING).is_none());

    h.key_press(Key::F1);
    h.run();
    assert_eq!(h.state().help.open, Some(HelpPage::Guide));
    h.get_by_label(FIRST_HEADING);
    // A heading further down, and a picture's text, are in the same window.
    h.get_by_label("4. Mata in ett svarsformulär med tangentbordet");

    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().help.open, None);
    assert!(h.query_by_label(FIRST_HEADING).is_none());
}

#[test]
fn the_help_menu_opens_the_guide_and_about_shows_the_version_and_licences() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(&dir.path().join("malgrupp.sqlite"));
    h.run();

    h.get_by_label("Hjälp").click();
    h.run();
    h.get_by_label("Om Målgruppskartläggning").click();
    h.run();
    assert_eq!(h.state().help.open, Some(HelpPage::About));
    let version = format!("Version {}", env!("CARGO_PKG_VERSION"));
    h.get_by_label(&version);
    assert!(
        h.query_all_by_label_contains("MIT OR Apache-2.0")
            .next()
            .is_some(),
        "the program's licence"
    );
    assert!(
        h.query_all_by_label_contains("DejaVu Sans")
            .next()
            .is_some(),
        "the font's licence"
    );
    // The libraries' list, made by scripts/licences.
    assert!(
        h.query_all_by_label_contains("rusqlite v0.")
            .next()
            .is_some()
    );
    assert!(h.query_all_by_label_contains("egui v0.37").next().is_some());

    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().help.open, None);
    assert!(h.query_by_label(&version).is_none());

    h.get_by_label("Hjälp").click();
    h.run();
    // The menu's button shows its shortcut beside the text.
    h.get_by_label("Handledning F1").click();
    h.run();
    assert_eq!(h.state().help.open, Some(HelpPage::Guide));
    h.get_by_label(FIRST_HEADING);
}

#[test]
fn the_guide_names_only_menus_and_shortcuts_the_app_has() {
    use malgrupp::ui::command::MENUS;
    let guide = malgrupp::ui::help::GUIDE;
    // Every "Meny → Kommando" of this branch's menus written in the guide
    // is one the app has, with the shortcut the guide gives it.
    for (menu, commands) in MENUS {
        for c in *commands {
            let text = format!("**{menu} → {}**", c.label());
            if let (true, Some(s)) = (guide.contains(&text), c.shortcut_text()) {
                assert!(
                    guide.contains(&format!("{text} ({s}")),
                    "{text}: the guide should give {s}"
                );
            }
        }
    }
    for must in [
        "**Hjälp → Handledning** (F1)",
        "**Arkiv → Ny kartläggning…** (Ctrl+N)",
        "**Visa → Granskning** (Ctrl+2)",
        "**Visa → Summor** (Ctrl+3)",
        "**Arkiv → Exportera tabeller och rapport…** (Ctrl+Skift+E)",
        "**Enhet → Svarsformulär som Excel-fil…**",
        "**Enhet → Läs in ifyllt svarsformulär…**",
    ] {
        assert!(guide.contains(must), "{must}");
    }
    for picture in ["start", "formular", "granskning", "summor"] {
        assert!(guide.contains(&format!("(handledning/{picture}.png)")));
    }
}

#[test]
fn the_licence_list_matches_the_locked_dependencies() {
    // docs/licenser.md is made by scripts/licences; after a dependency
    // changes, this says to run it again.
    let root = env!("CARGO_MANIFEST_DIR");
    let lock = std::fs::read_to_string(format!("{root}/Cargo.lock")).unwrap();
    let locked: std::collections::HashSet<(String, String)> = lock
        .split("[[package]]")
        .filter_map(|p| {
            let field = |key: &str| {
                p.lines()
                    .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                    .map(|v| v.trim_end_matches('"').to_owned())
            };
            Some((field("name")?, field("version")?))
        })
        .collect();
    let listed: Vec<(String, String)> = malgrupp::ui::help::LIBRARIES
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .map(|l| {
            let (crate_, _licence) = l.split_once(": ").unwrap();
            let (name, version) = crate_.split_once(" v").unwrap();
            (name.to_owned(), version.to_owned())
        })
        .collect();
    for entry in &listed {
        assert!(
            locked.contains(entry),
            "{entry:?} is not in Cargo.lock: run scripts/licences"
        );
    }
    for direct in ["rusqlite", "eframe", "egui_commonmark", "rust_xlsxwriter"] {
        assert!(
            listed.iter().any(|(n, _)| n == direct),
            "{direct} missing: run scripts/licences"
        );
    }
}
