//! The real window under Xvfb: opens the sample, draws every view, closes
//! and exits 0. Needs `Xvfb` (Debian: xvfb; `.ci/run` installs it); the
//! server is started as in tests/common/display.rs.

mod common;

use common::display::{App, Xvfb};
use common::{imported, sample};

#[test]
fn the_real_window_opens_the_sample_draws_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let x = Xvfb::start(dir.path());
    let mut cmd = x.app_command(dir.path(), &db);
    cmd.env("MALGRUPP_SMOKE_FRAMES", "30");
    let mut app = App::start(&x, dir.path(), cmd);
    let status = app.wait_for_exit();
    assert!(status.success(), "exit {status:?}\n{}", app.stderr());
    drop(x);
    // The window opened the file and remembers it for the next start.
    let settings = std::fs::read_to_string(dir.path().join("data/malgrupp/app.ron")).unwrap();
    assert!(settings.contains("test.sqlite"), "{settings}");
    assert!(
        settings.contains("Kartläggning av målgrupper, Norra länsdelen"),
        "{settings}"
    );
}
