//! The real window under Xvfb: opens the sample, draws every view, closes
//! and exits 0. Needs `xvfb-run` (Debian: xvfb xauth; `.ci/run` installs
//! them).

mod common;

use common::{imported, malgrupp, sample};

#[test]
fn the_real_window_opens_the_sample_draws_and_exits_0() {
    let xvfb = std::process::Command::new("xvfb-run")
        .arg("--help")
        .output();
    assert!(
        xvfb.is_ok(),
        "xvfb-run is missing: apt-get install -y --no-install-recommends xvfb xauth (as .ci/run does)"
    );
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let binary = malgrupp().get_program().to_owned();
    let out = std::process::Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24"])
        .arg(binary)
        .arg("--db")
        .arg(&db)
        .env("MALGRUPP_SMOKE_FRAMES", "30")
        // Settings of this run stay in the temporary folder.
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "exit {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    // The window opened the file and remembers it for the next start.
    let settings = std::fs::read_to_string(dir.path().join("data/malgrupp/app.ron")).unwrap();
    assert!(settings.contains("test.sqlite"), "{settings}");
    assert!(
        settings.contains("Kartläggning av målgrupper, Norra länsdelen"),
        "{settings}"
    );
}
