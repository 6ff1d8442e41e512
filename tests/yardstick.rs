//! SQLite and the Rust rules agree: every total and the number of findings
//! of each kind, computed once in SQL straight from the file and once by
//! `analyse` on the loaded survey.

mod common;

use std::collections::BTreeMap;

use malgrupp::generate::{Size, generate};
use malgrupp::model::{Dimension, Survey, analyse};
use malgrupp::store::yardstick::{SqlReport, SqlTotals};
use malgrupp::store::{Access, Store};

/// The Rust side in the yardstick's shape (zero sums left out on both sides).
fn from_rust(survey: &Survey) -> SqlReport {
    let analysis = analyse(survey);
    let layout = survey.layout();
    let mut report = SqlReport::default();
    for p in &analysis.totals.places {
        let t = &p.totals;
        if t.groups == 0 {
            continue;
        }
        let mut cells = BTreeMap::new();
        for d in Dimension::ALL {
            for (i, v) in t.part(&layout, d).iter().enumerate() {
                if *v != 0 {
                    cells.insert((d.index() as u8, i as u32), *v);
                }
            }
        }
        report.places.insert(
            p.place.clone(),
            SqlTotals {
                groups: t.groups,
                groups_without_count: t.groups_without_count,
                count: t.count,
                estimated: t.estimated,
                cells,
                not_given: t.not_given,
            },
        );
    }
    for f in &analysis.findings {
        *report.findings.entry(f.kind.key().to_owned()).or_default() += 1;
    }
    report
}

fn from_sql(store: &Store, name: &str) -> SqlReport {
    let mut report = store.sql_report(name).unwrap();
    for t in report.places.values_mut() {
        t.cells.retain(|_, v| *v != 0);
    }
    report
}

#[test]
fn sql_and_rust_agree_on_a_generated_survey() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gen.sqlite");
    let survey = generate(
        "Genererad",
        Size {
            municipalities: 40,
            units: 15,
            groups: 10,
        },
        11,
    );
    let mut store = Store::open(&path, Access::Create).unwrap();
    store.import(&survey, false).unwrap();
    let rust = from_rust(&store.load("Genererad").unwrap());
    let sql = from_sql(&store, "Genererad");
    assert_eq!(sql, rust);
    assert_eq!(
        rust.findings.len(),
        6,
        "every kind present: {:?}",
        rust.findings
    );
}

#[test]
fn sql_and_rust_agree_on_the_sample_and_the_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let mut store = Store::open(&path, Access::Create).unwrap();
    for doc in [
        common::sample(),
        common::fixture("inconsistent.json"),
        common::fixture("duplicates.json"),
    ] {
        let survey = malgrupp::import::json::read_file(&doc).unwrap();
        store.import(&survey, false).unwrap();
        // Two surveys in one file: each report sees only its own.
        let name = survey.frame.name.clone();
        let rust = from_rust(&survey);
        assert_eq!(from_sql(&store, &name), rust, "{name}");
        if name == "Dubbletter" {
            assert_eq!(rust.findings.get("duplicate"), Some(&9));
        }
    }
}
