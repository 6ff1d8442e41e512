//! The change history's speed targets (issue 10), on the generated national
//! survey (43,500 groups) whose history already holds 1,000,000 entries:
//!
//! - `history/save_one_edit`: one cell changed and saved in its own
//!   transaction with its history entry (the unit as the file holds it is
//!   read, compared, and the difference appended), `synchronous=FULL`, on
//!   a disk file (< 5 ms at p99; percentiles printed after criterion's);
//! - `history/one_cell`: the history of one cell read, as the app's
//!   window reads it (< 10 ms; percentiles printed too).
//!
//! Run: `cargo bench --bench history`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use malgrupp::generate::{Size, generate};
use malgrupp::model::history::{FieldChange, How};
use malgrupp::model::{Cell, Survey};
use malgrupp::store::history::{Query, record};
use malgrupp::store::{Access, Store};

const NAME: &str = "Syntetisk nationell kartläggning";
const ENTRIES: usize = 1_000_000;
/// The unit whose cell is edited and read.
const UNIT: usize = 2_000;

/// Field names of a group in the generated frame, as the history names
/// them.
fn fields(survey: &Survey) -> Vec<String> {
    let mut out = vec!["count".to_owned(), "label".to_owned(), "note".to_owned()];
    for d in malgrupp::model::Dimension::ALL {
        for l in survey.frame.labels(d) {
            out.push(format!("{}:{l}", d.key()));
        }
    }
    out
}

/// `n` entries spread over every group and field of the survey, as a
/// long-used file would hold them.
fn fill(path: &Path, survey: &Survey, n: usize) {
    let mut conn = rusqlite::Connection::open(path).expect("open");
    let sid: i64 = conn
        .query_row("SELECT id FROM survey WHERE name = ?1", [NAME], |r| {
            r.get(0)
        })
        .expect("survey");
    let fields = fields(survey);
    let groups: Vec<(&str, u32, &str)> = survey
        .units
        .iter()
        .flat_map(|u| {
            u.groups
                .iter()
                .map(|g| (u.name.as_str(), g.rank, g.label.as_str()))
        })
        .collect();
    let mut made = 0;
    let mut i = 0usize;
    while made < n {
        let tx = conn.transaction().expect("tx");
        let chunk: Vec<FieldChange> = (0..100_000.min(n - made))
            .map(|_| {
                i += 1;
                // A stride through the groups and fields, so neighbours
                // in the table are far apart in the index.
                let (unit, rank, label) = groups[(i * 7919) % groups.len()];
                FieldChange {
                    unit: Some(unit.to_owned()),
                    rank: Some(rank),
                    label: Some(label.to_owned()),
                    field: fields[(i * 31) % fields.len()].clone(),
                    old: Some((i % 50).to_string()),
                    new: Some((i % 60).to_string()),
                }
            })
            .collect();
        made += chunk.len();
        record(&tx, sid, "Fyllnad", How::Edit, &chunk).expect("record");
        tx.commit().expect("commit");
    }
}

fn percentiles(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!(
        "{name}, {} runs: p50 {:?}, p90 {:?}, p99 {:?}, max {:?}",
        times.len(),
        at(50),
        at(90),
        at(99),
        times[times.len() - 1]
    );
}

fn benches(c: &mut Criterion) {
    // On disk (not /tmp, which may be memory): fsync costs what it costs.
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let dir = tempfile::tempdir_in(target).expect("temp dir");
    let path = dir.path().join("national.sqlite");
    let survey = generate(NAME, Size::NATIONAL, 1);
    Store::open(&path, Access::Create)
        .expect("create")
        .import(&survey, false)
        .expect("import");
    fill(&path, &survey, ENTRIES);

    let mut store = Store::open(&path, Access::ReadWrite).expect("open");
    let mut survey = store.load(NAME).expect("load");
    let layout = survey.layout();
    let label = survey.units[UNIT].groups[0].label.clone();
    let unit_name = survey.units[UNIT].name.clone();
    let mut value = 0u32;
    let mut save = |store: &mut Store, survey: &mut Survey| {
        value = (value + 1) % 100;
        survey.units[UNIT].groups[0].row.count = Cell::new(value);
        store
            .save_unit(NAME, &layout, UNIT, &survey.units[UNIT])
            .expect("save");
    };
    c.bench_function("history/save_one_edit", |b| {
        b.iter(|| save(&mut store, &mut survey))
    });
    let times = (0..1000)
        .map(|_| {
            let start = Instant::now();
            save(&mut store, &mut survey);
            start.elapsed()
        })
        .collect();
    percentiles("history/save_one_edit", times);

    let query = Query {
        unit: Some(&unit_name),
        cell: Some((Some(&label), "count")),
        ..Default::default()
    };
    let all = store.history(NAME, &Query::default()).expect("all").len();
    let cell = store.history(NAME, &query).expect("cell").len();
    println!("history/one_cell: {cell} entries of the cell among {all}");
    c.bench_function("history/one_cell", |b| {
        b.iter(|| black_box(store.history(NAME, &query).expect("read")))
    });
    let times = (0..1000)
        .map(|_| {
            let start = Instant::now();
            black_box(store.history(NAME, &query).expect("read"));
            start.elapsed()
        })
        .collect();
    percentiles("history/one_cell", times);
}

criterion_group!(history, benches);
criterion_main!(history);
