//! The app's speed targets (issue: the desktop app), on the generated
//! national survey (43,500 groups):
//!
//! - `app/open_to_first_frame`: open the file, load, check, total and draw
//!   the first frame (< 1 s);
//! - `app/frame/{tree,review,totals}`: one frame of each view with every
//!   finding listed, through egui_kittest (no GPU; includes building the
//!   accessibility tree, so an upper bound) (< 8 ms);
//! - `app/save_one_edit`: one cell changed and saved in its own transaction,
//!   `synchronous=FULL`, on a disk file (< 5 ms at p99: the percentiles are
//!   printed after criterion's figures);
//! - `app/edit_and_recompute`: one cell changed and all findings and totals
//!   recomputed (< 3 ms).
//!
//! Run: `cargo bench --bench app`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use malgrupp::generate::{Size, generate};
use malgrupp::model::{Cell, analyse};
use malgrupp::store::{Access, Store};
use malgrupp::ui::App;
use malgrupp::ui::app::{Settings, View};

const NAME: &str = "Syntetisk nationell kartläggning";

/// The national survey in a file on disk (not /tmp, which may be memory:
/// fsync must cost what it costs on a user's disk).
fn stored() -> (tempfile::TempDir, PathBuf) {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let dir = tempfile::tempdir_in(target).expect("temp dir");
    let path = dir.path().join("national.sqlite");
    let mut store = Store::open(&path, Access::Create).expect("create");
    store
        .import(&generate(NAME, Size::NATIONAL, 1), false)
        .expect("import");
    (dir, path)
}

fn harness(path: &Path) -> Harness<'static, App> {
    let path = path.to_owned();
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| App::with_settings(&cc.egui_ctx, Settings::default(), Some(path)))
}

fn benches(c: &mut Criterion) {
    let (_dir, path) = stored();

    let mut group = c.benchmark_group("app");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("open_to_first_frame", |b| {
        b.iter(|| {
            let mut h = harness(&path);
            h.step();
            black_box(h.state().doc.is_some())
        })
    });
    group.finish();

    let mut group = c.benchmark_group("app/frame");
    group.sample_size(20);
    let mut h = harness(&path);
    h.run_steps(3);
    for (name, view) in [
        ("tree", View::Form),
        ("review", View::Review),
        ("totals", View::Totals),
    ] {
        h.state_mut().view = view;
        h.run_steps(3);
        group.bench_function(name, |b| b.iter(|| h.step()));
    }
    group.finish();
    // The app holds the file's lock; the store benchmarks open it next.
    drop(h);

    let mut store = Store::open(&path, Access::ReadWrite).expect("open");
    let mut survey = store.load(NAME).expect("load");
    let layout = survey.layout();
    let mut value = 0u32;
    let mut save = |survey: &mut malgrupp::model::Survey| {
        value = (value + 1) % 100;
        let u = 2_000;
        survey.units[u].groups[0].row.cells[0] = Cell::new(value);
        store
            .save_unit(NAME, &layout, u, &survey.units[u])
            .expect("save");
    };
    c.bench_function("app/save_one_edit", |b| b.iter(|| save(&mut survey)));
    let mut times: Vec<Duration> = (0..1000)
        .map(|_| {
            let start = Instant::now();
            save(&mut survey);
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!(
        "app/save_one_edit, 1000 saves: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
        at(50),
        at(90),
        at(99),
        times[times.len() - 1]
    );

    let mut analysis = analyse(&survey);
    c.bench_function("app/edit_and_recompute", |b| {
        b.iter(|| {
            value = (value + 1) % 100;
            survey.units[10].groups[1].row.count = Cell::new(value);
            analysis.recompute(black_box(&survey));
        })
    });
}

criterion_group! {
    name = app;
    // criterion's plots need a system font, which this build leaves out.
    config = Criterion::default().without_plots();
    targets = benches
}
criterion_main!(app);
