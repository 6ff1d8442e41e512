//! Findings the sample lacks, on a small hand-made survey: printed totals
//! that differ, an also-at value over the count, a breakdown over the count
//! and an extra table short of it.

mod common;

use common::{fixture, imported, json_of};
use serde_json::{Value, json};

#[test]
fn totals_differ_also_at_over_and_breakdown_over() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("inconsistent.json"));
    let (found, code) = json_of(&db, &["check"]);
    assert_eq!(code, 1);
    let got: Vec<_> = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rank"].clone(),
                f["breakdown"].as_str().unwrap().to_owned(),
                f["kind"].as_str().unwrap().to_owned(),
                f["amount"].clone(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let row = |rank: Value, b: &str, k: &str, a: Value, m: &str| {
        (rank, b.to_owned(), k.to_owned(), a, m.to_owned())
    };
    assert_eq!(
        got,
        vec![
            row(json!(1), "sex", "over", json!(2), "kön: över 2"),
            row(
                json!(1),
                "also_at:Arbetsförmedlingen",
                "over",
                json!(2),
                "aktuell hos Arbetsförmedlingen: över 2"
            ),
            row(
                json!(2),
                "extra:Födelsedecennium",
                "short",
                json!(2),
                "tabellen ”Födelsedecennium”: kort 2"
            ),
            row(
                Value::Null,
                "count",
                "totals_differ",
                json!(3),
                "totalraden, antal: skiljer sig från summan: 3"
            ),
            row(
                Value::Null,
                "age:31-65",
                "totals_differ",
                json!(-1),
                "totalraden, ålder 31-65: skiljer sig från summan: -1"
            ),
            row(json!(1), "count", "estimated", Value::Null, "uppskattat"),
        ]
    );
    let unit_level = &found["findings"][3];
    assert_eq!(unit_level["label"], Value::Null);
    assert_eq!(unit_level["municipality"], "Åmål");
}

#[test]
fn a_survey_with_no_findings_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value =
        serde_json::from_slice(&std::fs::read(fixture("inconsistent.json")).unwrap()).unwrap();
    doc["units"] = json!([]);
    let path = dir.path().join("clean.json");
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let db = imported(dir.path(), &path);
    let (found, code) = json_of(&db, &["check"]);
    assert_eq!((found, code), (json!({"findings": []}), 0));
}
