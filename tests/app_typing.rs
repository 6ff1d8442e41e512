//! Fast typing and crashes in the app, through egui_kittest: keys that
//! arrive in one frame land in the cells they were typed for, and a cell
//! still being typed is on disk within a second.

mod common;

use common::app::{on_disk, shown, typing_harness as harness};
use common::{imported, sample};
use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable;

fn press(events: &mut Vec<Event>, key: Key, modifiers: Modifiers) {
    for pressed in [true, false] {
        events.push(Event::Key {
            key,
            pressed,
            modifiers,
            repeat: false,
            physical_key: None,
        });
    }
}

/// Keys as a keyboard sends them: one text event per character.
fn typed(events: &mut Vec<Event>, text: &str) {
    events.extend(text.chars().map(|c| Event::Text(c.to_string())));
}

fn ctrl_g(events: &mut Vec<Event>) {
    events.push(Event::ModifiersChanged(Modifiers::COMMAND));
    press(events, Key::G, Modifiers::COMMAND);
    events.push(Event::ModifiersChanged(Modifiers::NONE));
}

fn tab(events: &mut Vec<Event>) {
    press(events, Key::Tab, Modifiers::NONE);
}

#[test]
fn a_whole_row_typed_within_one_frame_lands_in_the_right_cells() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = harness(&db);
    h.run();
    let before = shown(&h);
    let n = before.units[0].groups.len();
    let cells = before.layout().len();
    // Blank cells, two of them next to each other, between numbers.
    let values: Vec<Option<u32>> = (0..cells)
        .map(|i| (i % 4 < 2).then_some(7 * i as u32 + 3))
        .collect();

    let mut events = Vec::new();
    // A new group (the focus goes to its label), its label, "ca 300",
    // Enter on to the first cell (the estimate box is no Tab stop).
    ctrl_g(&mut events);
    typed(&mut events, "Unga vuxna");
    tab(&mut events);
    typed(&mut events, "ca 300");
    press(&mut events, Key::Enter, Modifiers::NONE);
    for v in &values {
        if let Some(v) = v {
            typed(&mut events, &v.to_string());
        }
        tab(&mut events);
    }
    // The next group: 7, Tab to the first cell, 3, two Tabs on,
    // Shift+Tab back to the blank cell between, 9, Tab, 4.
    ctrl_g(&mut events);
    typed(&mut events, "Äldre");
    tab(&mut events);
    typed(&mut events, "7");
    tab(&mut events);
    typed(&mut events, "3");
    tab(&mut events);
    tab(&mut events);
    events.push(Event::ModifiersChanged(Modifiers::SHIFT));
    press(&mut events, Key::Tab, Modifiers::SHIFT);
    events.push(Event::ModifiersChanged(Modifiers::NONE));
    typed(&mut events, "9");
    tab(&mut events);
    typed(&mut events, "4");
    tab(&mut events);

    // All of it in one frame, as on a slow machine or during a slow save.
    h.input_mut().events = events;
    h.run();

    assert_eq!(h.ctx.input(|i| i.modifiers), Modifiers::NONE);
    let mut second = vec![None; cells];
    second[..3].copy_from_slice(&[Some(3), Some(9), Some(4)]);
    for survey in [shown(&h), on_disk(&db)] {
        let groups = &survey.units[0].groups;
        assert_eq!(groups.len(), n + 2);
        assert_eq!(groups[..n], before.units[0].groups[..]);
        let g = &groups[n];
        assert_eq!(g.label, "Unga vuxna");
        assert_eq!((g.row.count.get(), g.estimated), (Some(300), true));
        let got: Vec<Option<u32>> = g.row.cells.iter().map(|c| c.get()).collect();
        assert_eq!(got, values);
        let g = &groups[n + 1];
        assert_eq!(g.label, "Äldre");
        assert_eq!((g.row.count.get(), g.estimated), (Some(7), false));
        let got: Vec<Option<u32>> = g.row.cells.iter().map(|c| c.get()).collect();
        assert_eq!(got, second);
    }
    // Each cell is its own undo step: Ctrl+Z takes back the 4 alone.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    second[2] = None;
    for survey in [shown(&h), on_disk(&db)] {
        let g = &survey.units[0].groups[n + 1];
        let got: Vec<Option<u32>> = g.row.cells.iter().map(|c| c.get()).collect();
        assert_eq!(got, second);
    }
}

#[test]
fn a_cell_being_typed_is_on_disk_within_a_second_as_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    h.get_by_label("Rang 1, Antal").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.event(Event::Text("5".to_owned()));
    h.run();
    // Saved once typing pauses, not at every key.
    assert_eq!(on_disk(&db), original);
    // egui_kittest's clock: each step is a quarter of a second. The save
    // is written beside the window: `run` steps on until it is answered.
    h.run_steps(4);
    h.run();
    assert!(h.get_by_label("Rang 1, Antal").is_focused());
    assert_eq!(on_disk(&db).units[0].groups[0].row.count.get(), Some(5));
    h.get_by_label("Allt sparat");

    // Typing on in the same cell: saved again, still one step.
    h.event(Event::Text("0".to_owned()));
    h.run();
    h.run_steps(4);
    h.run();
    assert_eq!(on_disk(&db).units[0].groups[0].row.count.get(), Some(50));
    h.key_press(Key::Tab);
    h.run();
    h.run_steps(4);
    h.run();
    assert_eq!(on_disk(&db).units[0].groups[0].row.count.get(), Some(50));

    // One undo takes the cell back to how it was, on disk too.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(on_disk(&db), original);
    assert_eq!(shown(&h), original);
    assert_eq!(h.state().doc.as_ref().unwrap().undo_name(), None);
}

#[test]
fn refused_text_being_typed_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    for bad in ["12a", "-3"] {
        h.get_by_label("Rang 1, Antal").focus();
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.run();
        // One key at a time: "1", "12" are numbers, "12a" is not.
        for c in bad.chars() {
            h.event(Event::Text(c.to_string()));
            h.run();
        }
        h.run_steps(8);
        assert!(h.state().form.refused.is_some());
        assert!(on_disk(&db) == original, "{bad} was saved while typed");
        h.key_press(Key::Tab);
        h.run();
        h.run_steps(8);
        assert!(on_disk(&db) == original, "{bad} was saved when left");
        assert!(shown(&h) == original, "{bad} is shown after leaving");
    }
}
