//! The change history's speed targets (issue 10), on the generated national
//! survey (43,500 groups) whose history already holds 1,000,000 entries:
//!
//! - `history/save_one_edit`: one cell changed and saved in its own
//!   transaction with its history entry (the unit as the file holds it is
//!   read, compared, and the difference appended), `synchronous=FULL`, on
//!   a disk file (< 5 ms at p99; percentiles printed after criterion's);
//! - `history/window_busiest_cell`, `history/window_typical_cell`,
//!   `history/window_unit`: what the app's history window reads when it
//!   opens ([`Store::history_page`] with its page size,
//!   `malgrupp::ui::history::PAGE`: the newest page and, when that is full,
//!   the count for "Visar de 2 000 senaste av …"), for the busiest cell
//!   (thousands of entries, spread over the whole table as years of edits
//!   leave them), a typical cell and the busiest cell's unit (< 10 ms at
//!   p99; percentiles printed after criterion's);
//! - `history/one_cell_whole`: the busiest cell's whole history, no limit
//!   (what `malgrupp log` reads for it), for comparison.
//!
//! Run: `cargo bench --bench history -- --noplot`.

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
/// Every this many entries of the fill belongs to the busiest cell (rank
/// 1's count of unit [`UNIT`]): about 5,000 among 1,000,000.
const BUSY_EVERY: usize = 190;

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
    let first = &survey.units[UNIT];
    let busiest = (
        first.name.as_str(),
        first.groups[0].rank,
        first.groups[0].label.as_str(),
    );
    let mut made = 0;
    let mut i = 0usize;
    while made < n {
        let tx = conn.transaction().expect("tx");
        let chunk: Vec<FieldChange> = (0..100_000.min(n - made))
            .map(|_| {
                i += 1;
                // A stride through the groups and fields, so neighbours
                // in the table are far apart in the index; the busiest
                // cell's entries are spread over the whole table.
                let busy = i.is_multiple_of(BUSY_EVERY);
                let (unit, rank, label) = if busy {
                    busiest
                } else {
                    groups[(i * 7919) % groups.len()]
                };
                let field = if busy {
                    "count".to_owned()
                } else {
                    fields[(i * 31) % fields.len()].clone()
                };
                FieldChange {
                    unit: Some(unit.to_owned()),
                    rank: Some(rank),
                    label: Some(label.to_owned()),
                    field,
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

    let all = store.history(NAME, &Query::default()).expect("all").len();
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "history: the file holds {all} entries in {} MB",
        size / 1_000_000
    );
    let page = malgrupp::ui::history::PAGE;
    let cell = |unit: &'static str, label: &'static str| Query {
        unit: Some(unit),
        cell: Some((Some(label), "count")),
        limit: Some(page),
        ..Default::default()
    };
    let unit_name: &'static str = unit_name.leak();
    let label: &'static str = label.leak();
    let typical = &survey.units[UNIT + 7];
    let typical_unit: &'static str = typical.name.clone().leak();
    let typical_label: &'static str = typical.groups[1].label.clone().leak();
    let reads = [
        ("history/window_busiest_cell", cell(unit_name, label)),
        (
            "history/window_typical_cell",
            cell(typical_unit, typical_label),
        ),
        (
            "history/window_unit",
            Query {
                unit: Some(unit_name),
                limit: Some(page),
                ..Default::default()
            },
        ),
        (
            "history/one_cell_whole",
            Query {
                limit: None,
                ..cell(unit_name, label)
            },
        ),
    ];
    for (name, query) in reads {
        let (entries, total) = store.history_page(NAME, &query).expect("read");
        println!(
            "{name}: {} entries read, {} in all, among {all}",
            entries.len(),
            total.unwrap_or(entries.len())
        );
        c.bench_function(name, |b| {
            b.iter(|| black_box(store.history_page(NAME, &query).expect("read")))
        });
        let times = (0..1000)
            .map(|_| {
                let start = Instant::now();
                black_box(store.history_page(NAME, &query).expect("read"));
                start.elapsed()
            })
            .collect();
        percentiles(name, times);
    }
}

criterion_group!(history, benches);
criterion_main!(history);
