//! An export with small-number suppression in the app: it runs beside the
//! window, shows its progress, and "Avbryt" stops it without writing.

mod common;

use std::time::{Duration, Instant};

use common::{imported, sample};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::export::{ExportFormat, Options};
use malgrupp::report::By;
use malgrupp::ui::App;
use malgrupp::ui::app::Settings;

fn harness(db: &std::path::Path) -> Harness<'static, App> {
    let db = db.to_owned();
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_eframe(move |cc| App::with_settings(&cc.egui_ctx, Settings::default(), Some(db)))
}

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

#[test]
fn a_long_suppression_can_be_cancelled_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // The national survey by unit with N = 50: seconds even in a release
    // build, far longer here.
    let doc = common::generated(dir.path(), "n.json", &[]);
    let db = imported(dir.path(), &doc);
    let out = dir.path().join("n.csv");
    let mut h = harness(&db);
    h.run();
    h.state_mut().export_to(&options(50), &out);
    h.step();
    h.step();
    h.get_by_label("Avbryt").click();
    until_ended(&mut h);
    assert_eq!(
        h.state().info.as_deref(),
        Some(format!("Exporten till {} avbröts; ingen fil skrevs.", out.display()).as_str())
    );
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
