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

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::{imported, malgrupp, sample};
use malgrupp::model::Survey;
use malgrupp::store::{Access, Store};

/// How long anything the tests wait for may take on a busy machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// One X server and one app at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Fails, saying how to install it, when a program the tests need is
/// missing.
fn require(program: &str, probe: &str, package: &str) {
    let found = Command::new(program)
        .arg(probe)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        found,
        "{program} is missing: apt-get install -y --no-install-recommends {package} \
         (as .ci/run does)"
    );
}

/// Polls `probe` every 100 ms until it gives a value; fails naming `what`
/// after [`PATIENCE`].
fn wait_for<T>(what: &str, probe: impl FnMut() -> Option<T>) -> T {
    wait_at_most(PATIENCE, what, probe)
}

/// Polls `probe` every 100 ms until it gives a value; fails naming `what`
/// after `limit`.
fn wait_at_most<T>(limit: Duration, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "gave up after {limit:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An Xvfb server, kept by a shell that stops it (and waits for it to
/// clean up) when its input closes: when this is dropped, or when the test
/// process dies. Xvfb picks a free display itself (`-displayfd`), where
/// `xvfb-run -a` guesses one from lock files, a race with other tests on
/// the machine. `-noreset`: otherwise the server resets whenever its last
/// client leaves (an xdotool call before the app connects), and the app
/// connecting just then is refused.
struct Xvfb {
    shell: Child,
    keep_alive: Option<ChildStdin>,
    display: String,
}

impl Xvfb {
    fn start(dir: &Path) -> Xvfb {
        require("Xvfb", "-help", "xvfb");
        require("xdotool", "--version", "xdotool");
        let log = dir.join("xvfb.stderr");
        let mut shell = Command::new("sh")
            .arg("-c")
            .arg(
                "Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp -noreset 3>&1 >/dev/null & \
                 x=$!; \
                 cat >/dev/null; kill $x; wait $x",
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("sh starts");
        let keep_alive = shell.stdin.take();
        let stdout = shell.stdout.take().expect("piped");
        // Read in a thread: a server that never comes up must not hang the
        // test.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let number = rx.recv_timeout(PATIENCE).unwrap_or_default();
        let number = number.trim();
        let x = Xvfb {
            shell,
            keep_alive,
            display: format!(":{number}"),
        };
        assert!(
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
            "Xvfb did not start: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        x
    }

    /// A command talking to this server.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("DISPLAY", &self.display)
            // The server lets local clients in without a cookie.
            .env_remove("XAUTHORITY")
            // winit would take Wayland over X if the test runs in a
            // Wayland session.
            .env_remove("WAYLAND_DISPLAY");
        cmd
    }

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
        let stderr = dir.join("app.stderr");
        let mut child = App {
            child: self
                .command(malgrupp().get_program())
                .arg("--db")
                .arg(db)
                // Settings of this run stay in the temporary folder.
                .env("XDG_DATA_HOME", dir.join("data"))
                .env("XDG_CONFIG_HOME", dir.join("config"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&stderr).unwrap())
                .spawn()
                .expect("the app starts"),
            stderr,
            display: self.display.clone(),
        };
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

impl Drop for Xvfb {
    fn drop(&mut self) {
        // cat sees the end of its input; the shell stops the server.
        drop(self.keep_alive.take());
        let _ = self.shell.wait();
    }
}

/// The app's process; killed if a test fails while it runs.
struct App {
    child: Child,
    stderr: PathBuf,
    display: String,
}

impl App {
    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().expect("wait") {
            panic!(
                "the app ended early on display {}: {status}\n{}",
                self.display,
                self.stderr()
            );
        }
    }

    /// Waits for the app to end by itself; its exit status.
    fn wait_for_exit(&mut self) -> std::process::ExitStatus {
        wait_for("the app to exit", || self.child.try_wait().expect("wait"))
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The survey as another program reading the file sees it; `None` while
/// the file is busy.
fn try_on_disk(db: &Path) -> Option<Survey> {
    let store = Store::open(db, Access::ReadOnly).ok()?;
    let name = store.resolve_survey(None).ok()?;
    store.load(&name).ok()
}

fn on_disk(db: &Path) -> Survey {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    store.load(&name).unwrap()
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
    // Its label, "ca 300" (an estimate), Enter on to the estimate box, Tab
    // on to the first cell, the cells.
    x.xdotool(&["type", "--delay", "1", "Snabb rad\tca 300"]);
    x.xdotool(&["key", "--delay", "1", "Return", "Tab"]);
    x.xdotool(&["type", "--delay", "3", &keys_of(first)]);
    let mut args = vec!["key", "--delay", "5"];
    args.extend(second_keys.iter().map(String::as_str));
    x.xdotool(&args);
    // Straight on: the next group, 7, Tab over the estimate box, 3.
    x.xdotool(&["key", "--delay", "2", "ctrl+g"]);
    x.xdotool(&["type", "--delay", "1", "Andra\t7\t\t3\t"]);
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
    // The app saves the cell within a second of the last key; give a busy
    // machine time, then wait for the file. Not too long: eframe's own
    // save every 30 s after the start would save the cell too.
    std::thread::sleep(Duration::from_secs(2));
    wait_at_most(
        Duration::from_secs(8),
        "the cell being typed (77) on disk",
        || {
            app.assert_running();
            try_on_disk(&db).filter(|s| {
                s.units[0]
                    .groups
                    .get(n)
                    .is_some_and(|g| g.row.count.get() == Some(77))
            })
        },
    );
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
