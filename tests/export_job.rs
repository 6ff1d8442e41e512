//! An export with small-number suppression in the app: it runs beside the
//! window, shows its progress, and "Avbryt" stops it without writing.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::app::harness;
use common::{imported, sample};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::export::{ExportFormat, Options};
use malgrupp::report::By;
use malgrupp::report::suppress::Progress;
use malgrupp::ui::App;
use malgrupp::ui::export_job::ExportJob;

fn options(n: u32) -> Options {
    Options {
        format: ExportFormat::Csv,
        by: By::Unit,
        csv_comma: false,
        suppress: Some(n),
    }
}

/// Runs frames until the export has ended (at most a few minutes).
fn until_ended(h: &mut Harness<'_, App>) {
    let start = Instant::now();
    while h.state().export_job.is_some() {
        assert!(start.elapsed() < Duration::from_secs(300), "never ended");
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.step();
}

#[test]
fn a_suppressed_export_runs_beside_the_window_and_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let out = dir.path().join("t.csv");
    let mut h = harness(&db);
    h.run();
    h.state_mut().export_to(&options(5), &out);
    assert!(h.state().export_job.is_some(), "not run as a job");
    until_ended(&mut h);
    assert_eq!(
        h.state().info.as_deref(),
        Some(format!("Exporterade till {}.", out.display()).as_str())
    );
    let text = String::from_utf8(std::fs::read(&out).unwrap()).unwrap();
    assert!(text.contains(";..;") && text.contains("Anm.: .."), "{text}");
}

/// Starts an export of the open survey as a job reporting to `progress`,
/// as `App::export_to` would.
fn start(h: &mut Harness<'_, App>, n: u32, out: &std::path::Path, progress: Arc<Progress>) {
    let doc = h.state().doc.as_ref().expect("a survey is open");
    let job = ExportJob::start_with(
        doc.survey().clone(),
        doc.analysis().clone(),
        options(n),
        out,
        progress,
    );
    h.state_mut().export_job = Some(job);
}

#[test]
fn a_cancelled_suppression_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let out = dir.path().join("t.csv");
    let mut h = harness(&db);
    h.run();
    // Cancelled before the job starts: whatever the machine's speed, the
    // suppression stops at its first check.
    let progress = Arc::new(Progress::new());
    progress.cancel();
    start(&mut h, 5, &out, progress);
    until_ended(&mut h);
    assert_eq!(
        h.state().info.as_deref(),
        Some(format!("Exporten till {} avbröts; ingen fil skrevs.", out.display()).as_str())
    );
    assert_eq!(h.state().error, None);
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn avbryt_in_the_progress_dialog_cancels_the_job() {
    let dir = tempfile::tempdir().unwrap();
    // The national survey by unit with N = 50: seconds even in a release
    // build, far longer here.
    let doc = common::generated(dir.path(), "n.json", &[]);
    let db = imported(dir.path(), &doc);
    let out = dir.path().join("n.csv");
    let mut h = harness(&db);
    h.run();
    let progress = Arc::new(Progress::new());
    start(&mut h, 50, &out, Arc::clone(&progress));
    // The modal is laid out in its first frame and shown in the second.
    h.step();
    h.step();
    if h.state().export_job.is_none() {
        // Ended within two frames: nothing left to cancel (what a cancelled
        // job leaves is checked above).
        return;
    }
    h.get_by_label("Avbryt").click();
    h.step();
    assert!(progress.is_cancelled(), "the button did not reach the job");
    until_ended(&mut h);
    // The job may have passed its last check just before the click; then it
    // is written whole, else nothing is.
    let info = h.state().info.clone().unwrap_or_default();
    if info.contains("avbröts") {
        assert!(!out.exists());
    } else {
        assert_eq!(info, format!("Exporterade till {}.", out.display()));
        assert!(
            String::from_utf8(std::fs::read(&out).unwrap())
                .unwrap()
                .contains("Anm.: ..")
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
