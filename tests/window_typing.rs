//! The real window under Xvfb, typed into with xdotool as a fast typist
//! would: keys 1–5 ms apart land in the cells they were typed for, and a
//! cell still being typed survives kill -9. Where tests/app_typing.rs plays
//! the same keys through egui_kittest, this goes through X, winit and eframe.
//! Needs `Xvfb` and `xdotool` (Debian: xvfb xdotool; `.ci/run` installs
//! them).
//!
//! The tests wait for what they can observe (the window, its focus, the
//! file) rather than for fixed times, and one runs at a time: the machine
//! may be small and busy.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Instant;

use common::app::{on_disk, try_on_disk};
use common::display::{App, ONE_AT_A_TIME, Xvfb, wait_for};
use common::{imported, sample};
use malgrupp::model::Survey;

/// xdotool on the shared server (tests/common/display.rs), as these tests
/// use it.
impl Xvfb {
    /// `xdotool ARGS…`, whatever its outcome.
    fn xdotool_output(&self, args: &[&str]) -> Output {
        self.command("xdotool")
            .args(args)
            .output()
            .expect("xdotool runs")
    }

    /// `xdotool ARGS…`, which must succeed.
    fn xdotool(&self, args: &[&str]) -> String {
        let out = self.xdotool_output(args);
        assert!(
            out.status.success(),
            "xdotool {args:?}: {:?}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts the app on `db` with its settings in `dir`, waits for its
    /// window to be drawn and gives it the keyboard.
    fn open_app(&self, dir: &Path, db: &Path) -> App {
        self.open_app_with(dir, db, &[])
    }

    /// [`Xvfb::open_app`] with more environment (test hooks).
    fn open_app_with(&self, dir: &Path, db: &Path, env: &[(&str, &str)]) -> App {
        common::display::require("xdotool", "--version", "xdotool");
        let mut command = self.app_command(dir, db);
        command.envs(env.iter().copied());
        // eframe's autosave (every 30 s) off: only the app's own save of a
        // cell being typed may put it on disk, however slow the start.
        command.env("MALGRUPP_AUTOSAVE_SECS", "86400");
        let mut child = App::start(self, dir, command);
        // eframe shows the window once its first frame is drawn.
        let window = wait_for("the app's window", || {
            child.assert_running();
            let out = self.xdotool_output(&["search", "--onlyvisible", "--class", "malgrupp"]);
            let found = String::from_utf8_lossy(&out.stdout);
            found.lines().next().map(str::to_owned)
        });
        // Without a window manager nobody gives the window the focus.
        wait_for("the window to have the keyboard focus", || {
            child.assert_running();
            self.xdotool_output(&["windowfocus", &window]);
            let out = self.xdotool_output(&["getwindowfocus"]);
            (String::from_utf8_lossy(&out.stdout).trim() == window).then_some(())
        });
        child
    }
}

/// Ctrl+G adds a group to the first unit; returns once it is on disk, so
/// the app has taken the keyboard and finished its start.
fn add_group_and_wait(x: &Xvfb, app: &mut App, db: &Path, groups_before: usize) {
    x.xdotool(&["key", "ctrl+g"]);
    wait_for("Ctrl+G's new group on disk", || {
        app.assert_running();
        try_on_disk(db).filter(|s| s.units[0].groups.len() == groups_before + 1)
    });
}

fn cells(survey: &Survey, unit: usize, group: usize) -> Vec<Option<u32>> {
    survey.units[unit].groups[group]
        .row
        .cells
        .iter()
        .map(|c| c.get())
        .collect()
}

#[test]
fn rows_typed_1_to_5_ms_apart_into_the_window_land_in_the_right_cells() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = on_disk(&db);
    let n = before.units[0].groups.len();
    let width = before.layout().len();
    // Numbers of one to three digits, two blank cells next to each other.
    let values: Vec<Option<u32>> = (0..width)
        .map(|i| (i % 4 < 2).then_some(1 + 37 * i as u32 % 400))
        .collect();
    let keys_of = |values: &[Option<u32>]| -> String {
        values
            .iter()
            .map(|v| v.map(|v| v.to_string()).unwrap_or_default() + "\t")
            .collect()
    };
    let (first, second) = values.split_at(width / 2);
    // The second half as `xdotool key` names: digits and Tabs.
    let second_keys: Vec<String> = keys_of(second)
        .chars()
        .map(|c| match c {
            '\t' => "Tab".to_owned(),
            digit => digit.to_string(),
        })
        .collect();

    let x = Xvfb::start(dir.path());
    let mut app = x.open_app(dir.path(), &db);
    add_group_and_wait(&x, &mut app, &db, n);
    // Its label, "ca 300" (an estimate), Enter on to the first cell (the
    // estimate box is no Tab stop), the cells.
    x.xdotool(&["type", "--delay", "1", "Snabb rad\tca 300"]);
    x.xdotool(&["key", "--delay", "1", "Return"]);
    x.xdotool(&["type", "--delay", "3", &keys_of(first)]);
    let mut args = vec!["key", "--delay", "5"];
    args.extend(second_keys.iter().map(String::as_str));
    x.xdotool(&args);
    // Straight on: the next group, 7, Tab to the first cell, 3.
    x.xdotool(&["key", "--delay", "2", "ctrl+g"]);
    x.xdotool(&["type", "--delay", "1", "Andra\t7\t3\t"]);
    x.xdotool(&["key", "ctrl+q"]);

    let status = app.wait_for_exit();
    assert!(status.success(), "exit {status}\n{}", app.stderr());
    drop(x);

    let after = on_disk(&db);
    let groups = &after.units[0].groups;
    let labels: Vec<&str> = groups[n..].iter().map(|g| g.label.as_str()).collect();
    assert_eq!(groups.len(), n + 2, "new groups: {labels:?}");
    assert_eq!(groups[..n], before.units[0].groups[..]);
    assert_eq!(after.units[1..], before.units[1..]);
    let g = &groups[n];
    assert_eq!(g.label, "Snabb rad");
    assert_eq!((g.row.count.get(), g.estimated), (Some(300), true));
    assert_eq!(cells(&after, 0, n), values);
    let g = &groups[n + 1];
    assert_eq!(g.label, "Andra");
    assert_eq!((g.row.count.get(), g.estimated), (Some(7), false));
    let mut expected = vec![None; width];
    expected[0] = Some(3);
    assert_eq!(cells(&after, 0, n + 1), expected);
}

#[test]
fn a_cell_being_typed_in_the_window_survives_kill_9() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = on_disk(&db);
    let n = before.units[0].groups.len();

    let x = Xvfb::start(dir.path());
    let mut app = x.open_app(dir.path(), &db);
    add_group_and_wait(&x, &mut app, &db, n);
    // The label is left (Tab); the count is typed and not left.
    x.xdotool(&["type", "--delay", "30", "Krasch\t77"]);
    let typed = Instant::now();
    // The app saves the cell 0.8 s after the last key; eframe's autosave
    // is off (open_app), so nothing else can put it on disk before the
    // kill. Polled, not slept: a busy machine may take a while.
    wait_for("the cell being typed (77) on disk", || {
        app.assert_running();
        try_on_disk(&db).filter(|s| {
            s.units[0]
                .groups
                .get(n)
                .is_some_and(|g| g.row.count.get() == Some(77))
        })
    });
    let waited = typed.elapsed();
    app.child.kill().expect("kill -9");
    let status = app.child.wait().expect("wait");
    assert!(!status.success(), "{status}");
    drop(x);

    let after = on_disk(&db);
    let groups = &after.units[0].groups;
    assert_eq!(groups.len(), n + 1);
    assert_eq!(groups[..n], before.units[0].groups[..]);
    let g = &groups[n];
    assert_eq!(g.label, "Krasch");
    assert_eq!(
        (g.row.count.get(), g.estimated),
        (Some(77), false),
        "killed {waited:?} after the last key"
    );
    assert!(cells(&after, 0, n).iter().all(Option::is_none));
}

#[test]
fn rows_typed_while_every_save_takes_300_ms_are_all_on_disk_after_ctrl_q() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = on_disk(&db);
    let n = before.units[0].groups.len();
    let width = before.layout().len();
    let values: Vec<Option<u32>> = (0..width)
        .map(|i| (i % 3 != 1).then_some(2 + 13 * i as u32 % 90))
        .collect();
    let keys: String = values
        .iter()
        .map(|v| v.map(|v| v.to_string()).unwrap_or_default() + "\t")
        .collect();

    let x = Xvfb::start(dir.path());
    // Each save waits 300 ms first, as on a slow network folder: the cells
    // are left far faster than they are written.
    let mut app = x.open_app_with(dir.path(), &db, &[("MALGRUPP_SAVE_DELAY_MS", "300")]);
    add_group_and_wait(&x, &mut app, &db, n);
    // The estimate box is not a Tab stop: one Tab from the count.
    x.xdotool(&["type", "--delay", "3", "Slow disk\t12\t"]);
    x.xdotool(&["type", "--delay", "3", &keys]);
    // Closing right away: the window waits for the queue ("Sparar …").
    x.xdotool(&["key", "ctrl+q"]);

    let status = app.wait_for_exit();
    assert!(status.success(), "exit {status}\n{}", app.stderr());
    drop(x);

    let after = on_disk(&db);
    let groups = &after.units[0].groups;
    assert_eq!(groups.len(), n + 1);
    assert_eq!(groups[..n], before.units[0].groups[..]);
    let g = &groups[n];
    assert_eq!(g.label, "Slow disk");
    assert_eq!(g.row.count.get(), Some(12));
    assert_eq!(cells(&after, 0, n), values);
}
