//! The real window under Xvfb: one X server per test, and the app's
//! process on it.
//!
//! The tests wait for what they can observe rather than for fixed times:
//! the machine may be small and busy.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::malgrupp;

/// How long anything the tests wait for may take on a busy machine.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// One X server and one app at a time within a test binary.
pub static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Fails, saying how to install it, when a program the tests need is
/// missing.
pub fn require(program: &str, probe: &str, package: &str) {
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
pub fn wait_for<T>(what: &str, probe: impl FnMut() -> Option<T>) -> T {
    wait_at_most(PATIENCE, what, probe)
}

/// Polls `probe` every 100 ms until it gives a value; fails naming `what`
/// after `limit`.
pub fn wait_at_most<T>(limit: Duration, what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
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
pub struct Xvfb {
    shell: Child,
    keep_alive: Option<ChildStdin>,
    pub display: String,
}

impl Xvfb {
    /// Starts a server of 1400×900 pixels; its log goes to
    /// `dir/xvfb.stderr`.
    pub fn start(dir: &Path) -> Xvfb {
        require("Xvfb", "-help", "xvfb");
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
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("DISPLAY", &self.display)
            // The server lets local clients in without a cookie.
            .env_remove("XAUTHORITY")
            // winit would take Wayland over X if the test runs in a
            // Wayland session.
            .env_remove("WAYLAND_DISPLAY");
        cmd
    }

    /// `malgrupp --db DB` on this server with its settings in `dir`, not
    /// yet started; see [`App::start`].
    pub fn app_command(&self, dir: &Path, db: &Path) -> Command {
        let mut cmd = self.command(malgrupp().get_program());
        cmd.arg("--db")
            .arg(db)
            // Settings of this run stay in the temporary folder.
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("XDG_CONFIG_HOME", dir.join("config"));
        cmd
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
pub struct App {
    pub child: Child,
    stderr: PathBuf,
    display: String,
}

impl App {
    /// Starts `cmd` (from [`Xvfb::app_command`]) on `x`; its standard
    /// error goes to `dir/app.stderr`.
    pub fn start(x: &Xvfb, dir: &Path, mut cmd: Command) -> App {
        let stderr = dir.join("app.stderr");
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("the app starts");
        App {
            child,
            stderr,
            display: x.display.clone(),
        }
    }

    /// What the app wrote to its standard error so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// Fails, with the app's standard error, if it has ended.
    pub fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().expect("wait") {
            panic!(
                "the app ended early on display {}: {status}\n{}",
                self.display,
                self.stderr()
            );
        }
    }

    /// Waits for the app to end by itself; its exit status.
    pub fn wait_for_exit(&mut self) -> ExitStatus {
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
