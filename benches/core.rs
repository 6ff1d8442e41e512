//! The survey core's speed targets (issue: survey core), measured side by
//! side in one run on generated national-scale surveys:
//!
//! - `analyse/43500_groups`: checks + totals of a survey in memory (< 3 ms),
//!   fresh and as the app recomputes them after an edit;
//! - `open_file_*`: load + checks + totals from the file, against the same
//!   sums and checks computed by SQLite alone (no slower than SQL);
//! - `import_json/43500_groups`: parse, check and store the document
//!   (< 250 ms);
//! - `summary_process/43500_groups`: `malgrupp summary` as a whole process
//!   (< 100 ms).
//!
//! Run: `cargo bench --bench core`. Peak memory is measured outside
//! criterion; see BENCHMARKS.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use malgrupp::generate::{Size, generate};
use malgrupp::model::analyse;
use malgrupp::store::{Access, Store};

const NAME: &str = "Syntetisk nationell kartläggning";

/// A generated survey stored in a fresh file in `dir`.
fn stored(dir: &Path, size: Size, file: &str) -> PathBuf {
    let path = dir.join(file);
    let survey = generate(NAME, size, 1);
    let mut store = Store::open(&path, Access::Create).expect("create");
    store.import(&survey, false).expect("import");
    path
}

fn open_and_analyse(path: &Path) -> usize {
    let store = Store::open(path, Access::ReadOnly).expect("open");
    let survey = store.load(NAME).expect("load");
    let analysis = analyse(&survey);
    analysis.findings.len() + analysis.totals.all.count as usize
}

fn raw_sql(path: &Path) -> usize {
    let store = Store::open(path, Access::ReadOnly).expect("open");
    let report = store.sql_report(NAME).expect("sql");
    report.findings.values().sum::<u64>() as usize + report.places.len()
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let national = stored(dir.path(), Size::NATIONAL, "national.sqlite");

    let survey = Store::open(&national, Access::ReadOnly)
        .and_then(|s| s.load(NAME))
        .expect("load");
    assert_eq!(survey.group_count(), 43_500);
    c.bench_function("analyse/43500_groups", |b| {
        b.iter(|| analyse(black_box(&survey)))
    });
    // What the app does after an edit: recompute into the previous analysis.
    let mut previous = analyse(&survey);
    c.bench_function("analyse_recompute/43500_groups", |b| {
        b.iter(|| previous.recompute(black_box(&survey)))
    });

    let mut open = c.benchmark_group("open_file_43500_groups");
    open.bench_function("rust_load_checks_totals", |b| {
        b.iter(|| open_and_analyse(&national))
    });
    open.bench_function("raw_sql_sums_checks", |b| b.iter(|| raw_sql(&national)));
    open.finish();

    let document = dir.path().join("national.json");
    malgrupp::export::json::write_file(&survey, &document).expect("write document");
    let fresh = dir.path().join("import.sqlite");
    c.bench_function("import_json/43500_groups", |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_file(&fresh);
            },
            |()| {
                let survey = malgrupp::import::json::read_file(&document).expect("parse");
                let mut store = Store::open(&fresh, Access::Create).expect("create");
                store.import(&survey, false).expect("import");
            },
            BatchSize::PerIteration,
        )
    });

    let binary = env!("CARGO_BIN_EXE_malgrupp");
    c.bench_function("summary_process/43500_groups", |b| {
        b.iter(|| {
            let status = Command::new(binary)
                .args(["summary", "--db"])
                .arg(&national)
                .stdout(Stdio::null())
                .status()
                .expect("run malgrupp");
            assert!(status.success());
        })
    });
    drop(survey);

    let million = stored(dir.path(), Size::MILLION, "million.sqlite");
    let mut open = c.benchmark_group("open_file_1000500_groups");
    open.sample_size(10)
        .measurement_time(Duration::from_secs(30));
    open.bench_function("rust_load_checks_totals", |b| {
        b.iter(|| open_and_analyse(&million))
    });
    open.bench_function("raw_sql_sums_checks", |b| b.iter(|| raw_sql(&million)));
    open.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
