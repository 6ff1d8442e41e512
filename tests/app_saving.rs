//! Issue 9 §1: the save of a left cell never delays input. Saves are
//! written beside the window; here each save is held on the writer's thread
//! (as a slow disk would hold it) until the test lets it go, while the test
//! types on. Nothing is timed: what is asserted is the order of things
//! (frames that end, keys that land, the file seen by another reader before
//! and after the saves are let go).

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::app::{on_disk, shown, typing_harness as harness};
use common::{imported, sample};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::ui::App;

/// Holds every save of the app's writer until the returned sender is
/// dropped; the count is how many saves have started (and wait).
fn hold_saves(h: &Harness<'_, App>) -> (Sender<()>, Arc<AtomicUsize>) {
    let (release, gate) = channel::<()>();
    let gate = Mutex::new(gate);
    let started = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&started);
    h.state()
        .doc
        .as_ref()
        .unwrap()
        .before_each_save(Some(Arc::new(move || {
            count.fetch_add(1, Ordering::SeqCst);
            // Bounded, so that code which saves on the window's thread
            // fails this test instead of hanging it.
            let _ = gate.lock().unwrap().recv_timeout(Duration::from_secs(20));
        })));
    (release, started)
}

/// Waits until the writer has started `n` saves (and holds them).
fn wait_started(started: &AtomicUsize, n: usize) {
    for _ in 0..2000 {
        if started.load(Ordering::SeqCst) >= n {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the writer never started save {n}");
}

/// One frame with one event.
fn key(h: &mut Harness<'_, App>, event: Event) {
    h.event(event);
    h.step();
}

fn tab(h: &mut Harness<'_, App>) {
    for pressed in [true, false] {
        key(
            h,
            Event::Key {
                key: Key::Tab,
                pressed,
                modifiers: Modifiers::NONE,
                repeat: false,
                physical_key: None,
            },
        );
    }
    h.step();
}

/// Replaces the text of the focused cell with `s`, key by key.
fn text(h: &mut Harness<'_, App>, s: &str) {
    key(h, Event::ModifiersChanged(Modifiers::COMMAND));
    for pressed in [true, false] {
        key(
            h,
            Event::Key {
                key: Key::A,
                pressed,
                modifiers: Modifiers::COMMAND,
                repeat: false,
                physical_key: None,
            },
        );
    }
    key(h, Event::ModifiersChanged(Modifiers::NONE));
    for c in s.chars() {
        key(h, Event::Text(c.to_string()));
    }
}

/// Puts the focus in the first group's count.
fn start_typing(h: &mut Harness<'_, App>) {
    h.get_by_label("Rang 1, Antal").focus();
    h.run();
}

fn first_row(survey: &malgrupp::model::Survey) -> (Option<u32>, Option<u32>, Option<u32>) {
    let row = &survey.units[0].groups[0].row;
    (row.count.get(), row.cells[0].get(), row.cells[1].get())
}

#[test]
fn typing_goes_on_while_the_left_cell_is_being_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    let (release, started) = hold_saves(&h);
    start_typing(&mut h);

    // 5, Tab: the count is left and its save
    // starts, and waits on the "disk".
    text(&mut h, "5");
    tab(&mut h);
    wait_started(&started, 1);
    // Typing on while it waits: each key's frame ends, and the keys land
    // in the cells they were typed for.
    let frames = h.ctx.cumulative_pass_nr();
    text(&mut h, "6");
    tab(&mut h);
    text(&mut h, "7");
    tab(&mut h);
    assert!(h.ctx.cumulative_pass_nr() >= frames + 10);
    assert_eq!(first_row(&shown(&h)), (Some(5), Some(6), Some(7)));
    // Typed while the first save had not reached the file.
    assert_eq!(on_disk(&db), original);
    assert!(h.state().doc.as_ref().unwrap().saving() >= 3);
    h.get_by_label("Sparar …");

    // The disk lets go: every save is written, in order, each cell its own
    // undo step.
    drop(release);
    h.run();
    assert_eq!(first_row(&on_disk(&db)), (Some(5), Some(6), Some(7)));
    assert_eq!(on_disk(&db), shown(&h));
    h.get_by_label("Allt sparat");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        first_row(&on_disk(&db)),
        (Some(5), Some(6), first_row(&original).2)
    );
    assert_eq!(on_disk(&db), shown(&h));
}

/// Makes every later write of a unit fail, as a full or lost disk would,
/// through a connection of its own (the app's is busy holding a save).
fn refuse_unit_writes(db: &Path, refuse: bool) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(if refuse {
        "CREATE TRIGGER refuse_unit BEFORE UPDATE ON unit
         BEGIN SELECT RAISE(ABORT, 'disken svarar inte'); END;"
    } else {
        "DROP TRIGGER refuse_unit;"
    })
    .unwrap();
}

#[test]
fn a_save_failing_late_takes_back_its_unit_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();
    let (release, started) = hold_saves(&h);
    start_typing(&mut h);
    text(&mut h, "5");
    tab(&mut h);
    wait_started(&started, 1);
    // A second cell of the same unit is typed and left while the first
    // save waits: its save builds on the first.
    text(&mut h, "6");
    tab(&mut h);
    assert_eq!(first_row(&shown(&h)).1, Some(6));
    refuse_unit_writes(&db, true);
    drop(release);
    h.run();

    // The first save failed: the unit is back as the file has it, the
    // second edit (which would have written the first again) with it,
    // and neither is left on the undo list.
    let error = h.state().error.clone().unwrap_or_default();
    let unit = &original.units[0].name;
    assert!(
        error.contains(&format!(
            "Ändringen av ”{unit}” kunde inte sparas och har tagits tillbaka"
        )),
        "{error}"
    );
    assert!(error.contains("väntade på att sparas"), "{error}");
    assert_eq!(shown(&h), original);
    assert_eq!(on_disk(&db), original);
    assert_eq!(h.state().doc.as_ref().unwrap().undo_name(), None);
    h.get_by_label("Allt sparat");

    // The disk is back: the next edit of the unit is saved (it does not
    // build on the failed one).
    refuse_unit_writes(&db, false);
    start_typing(&mut h);
    text(&mut h, "8");
    tab(&mut h);
    h.run();
    assert_eq!(first_row(&on_disk(&db)).0, Some(8));
    assert_eq!(on_disk(&db), shown(&h));
}

#[test]
fn an_export_waits_for_the_saves_and_shows_that_it_waits() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = harness(&db);
    h.run();
    let (release, started) = hold_saves(&h);
    start_typing(&mut h);
    text(&mut h, "5");
    tab(&mut h);
    wait_started(&started, 1);
    let out = dir.path().join("ut.json");
    let options = malgrupp::export::Options {
        format: malgrupp::export::ExportFormat::Json,
        by: malgrupp::report::By::Municipality,
        csv_comma: false,
        suppress: None,
    };
    h.state_mut().export_to(&options, &out);
    h.step();
    // Waiting beside the window, and saying so.
    assert!(!out.exists());
    h.get_by_label(&format!(
        "Sparar … (exporten till {} görs när allt är sparat)",
        out.display()
    ));
    drop(release);
    h.run();
    let exported = malgrupp::import::json::read_file(&out).unwrap();
    assert_eq!(first_row(&exported).0, Some(5));
    assert_eq!(exported, on_disk(&db));
}

/// Whether the last frame asked the window to `command`.
fn asked(h: &Harness<'_, App>, command: &egui::ViewportCommand) -> bool {
    h.output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(command))
}

/// The user closes the window (its close button).
fn close(h: &mut Harness<'_, App>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
}

#[test]
fn closing_waits_for_the_saves_and_stays_open_when_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = harness(&db);
    h.run();

    // Closed while a save waits: the window stays, says why, and closes
    // once the save is written.
    let (release, started) = hold_saves(&h);
    start_typing(&mut h);
    text(&mut h, "5");
    tab(&mut h);
    wait_started(&started, 1);
    close(&mut h);
    assert!(asked(&h, &egui::ViewportCommand::CancelClose));
    h.get_by_label("Sparar … (fönstret stängs när allt är sparat)");
    drop(release);
    let mut closed = false;
    for _ in 0..1000 {
        h.step();
        if asked(&h, &egui::ViewportCommand::Close) {
            closed = true;
            break;
        }
    }
    assert!(closed, "the window did not close after the save");
    assert_eq!(first_row(&on_disk(&db)).0, Some(5));

    // Closed while a save waits that then fails: the window stays open
    // with the message, and the file is as it was.
    let (release, started) = hold_saves(&h);
    start_typing(&mut h);
    text(&mut h, "6");
    tab(&mut h);
    wait_started(&started, 1);
    close(&mut h);
    assert!(asked(&h, &egui::ViewportCommand::CancelClose));
    refuse_unit_writes(&db, true);
    drop(release);
    for _ in 0..1000 {
        h.step();
        assert!(!asked(&h, &egui::ViewportCommand::Close));
        if h.state().doc.as_ref().unwrap().saving() == 0 {
            break;
        }
    }
    h.run();
    assert!(!asked(&h, &egui::ViewportCommand::Close));
    let error = h.state().error.clone().unwrap_or_default();
    assert!(error.contains("kunde inte sparas"), "{error}");
    assert_eq!(first_row(&on_disk(&db)).0, Some(5));
    assert_eq!(first_row(&shown(&h)).0, Some(5));
}
