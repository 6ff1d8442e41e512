//! Merging two national files (issue 10: under 1 s): two copies of a
//! generated national survey (43,500 groups), a tenth of the units changed
//! on each side (different units), merged as `malgrupp merge` does it:
//! open this file, load both sides, plan, write in one transaction.
//!
//! Run: `cargo bench --bench merge`. Figures in BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use malgrupp::generate::{Size, generate};
use malgrupp::model::Cell;
use malgrupp::model::merge::{Pick, plan};
use malgrupp::store::{Access, Other, Store};

const NAME: &str = "Syntetisk nationell kartläggning";

/// A copy of `base` at `path` with every tenth unit (from `first`) changed.
fn edited_copy(base: &Path, path: &Path, first: usize) {
    std::fs::copy(base, path).expect("copy");
    let mut store = Store::open(path, Access::ReadWrite).expect("open");
    let survey = store.load(NAME).expect("load");
    let layout = survey.layout();
    for u in (first..survey.units.len()).step_by(10) {
        let mut unit = survey.units[u].clone();
        unit.groups[0].row.count = Cell::new(1_000 + u as u32);
        unit.note = Some(format!("Ändrad på sida {first}"));
        store.save_unit(NAME, &layout, u, &unit).expect("save");
    }
}

fn merge(mine: &Path, theirs: &Path) -> usize {
    let mut store = Store::open(mine, Access::ReadWrite).expect("open");
    let survey = store.load(NAME).expect("load");
    let other = Other::read(theirs, NAME, mine).expect("other");
    let mut plan = plan(&survey, &other.survey);
    plan.keep_my_marks = other.is_document;
    let other = other.survey;
    assert!(plan.conflicts.is_empty());
    store
        .merge(&survey, &other, &plan, &[] as &[Pick])
        .expect("merge")
        .len()
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().join("base.sqlite");
    {
        let survey = generate(NAME, Size::NATIONAL, 1);
        assert_eq!(survey.group_count(), 43_500);
        let mut store = Store::open(&base, Access::Create).expect("create");
        store.import(&survey, false).expect("import");
    }
    let mine = dir.path().join("mine.sqlite");
    let theirs = dir.path().join("theirs.sqlite");
    edited_copy(&base, &mine, 0);
    edited_copy(&base, &theirs, 5);
    let doc = dir.path().join("theirs.json");
    {
        let store = Store::open(&theirs, Access::ReadOnly).expect("open");
        let survey = store.load(NAME).expect("load");
        malgrupp::export::json::write_file(&survey, &doc).expect("export");
    }

    let mut group = c.benchmark_group("merge");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    let work: PathBuf = dir.path().join("work.sqlite");
    for (label, other) in [("national_sqlite", &theirs), ("national_json", &doc)] {
        group.bench_function(label, |b| {
            b.iter_batched(
                || std::fs::copy(&mine, &work).expect("copy"),
                |_| assert_eq!(merge(&work, other), 435),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(merge_benches, benches);
criterion_main!(merge_benches);
