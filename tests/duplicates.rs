//! A rank given twice in a unit, and two units with the same name, place and
//! authority: real forms have both, so the import keeps them, and `check`
//! shows each as a finding of kind `duplicate` (text and JSON), which a
//! reviewer can mark like any other.

mod common;

use common::{fixture, imported, json_of, malgrupp};
use malgrupp::model::check::{Kind, Subject, check_survey};
use malgrupp::store::{Access, Store};

const TEXT: &str = "\
Åmål · Kommun · Socialtjänsten
  dubblett: 2 enheter har samma namn, kommun och myndighet
  2. Långtidsarbetslösa: dubblett: 2 målgrupper i enheten har rang 2
  2. Sjukskrivna: dubblett: 2 målgrupper i enheten har rang 2

Åmål · Kommun · Socialtjänsten
  dubblett: 2 enheter har samma namn, kommun och myndighet

Hela länet · Arbetsförmedlingen · Länsteamet
  dubblett: 2 enheter har samma namn, område och myndighet

Hela länet · Arbetsförmedlingen · Länsteamet
  dubblett: 2 enheter har samma namn, område och myndighet

Örnsköldsvik · Arbetsförmedlingen · Tre ettor
  1. A: dubblett: 3 målgrupper i enheten har rang 1
  1. B: dubblett: 3 målgrupper i enheten har rang 1
  1. C: dubblett: 3 målgrupper i enheten har rang 1

9 fynd.
";

#[test]
fn check_lists_duplicate_ranks_and_units_and_nothing_near_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("duplicates.json"));
    let out = malgrupp()
        .arg("check")
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "findings give exit code 1");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), TEXT);
}

#[test]
fn check_json_names_the_kind_what_is_shared_and_how_many() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("duplicates.json"));
    let (json, code) = json_of(&db, &["check"]);
    assert_eq!(code, 1);
    let found: Vec<(String, String, String, i64, Option<u64>)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["unit"].as_str().unwrap().to_owned(),
                f["breakdown"].as_str().unwrap().to_owned(),
                f["kind"].as_str().unwrap().to_owned(),
                f["amount"].as_i64().unwrap(),
                f["rank"].as_u64(),
            )
        })
        .collect();
    let f = |unit: &str, what: &str, n: i64, rank: Option<u64>| {
        (
            unit.to_owned(),
            what.to_owned(),
            "duplicate".to_owned(),
            n,
            rank,
        )
    };
    assert_eq!(
        found,
        vec![
            f("Socialtjänsten", "unit", 2, None),
            f("Socialtjänsten", "rank", 2, Some(2)),
            f("Socialtjänsten", "rank", 2, Some(2)),
            f("Socialtjänsten", "unit", 2, None),
            f("Länsteamet", "unit", 2, None),
            f("Länsteamet", "unit", 2, None),
            f("Tre ettor", "rank", 3, Some(1)),
            f("Tre ettor", "rank", 3, Some(1)),
            f("Tre ettor", "rank", 3, Some(1)),
        ]
    );
    assert_eq!(json["findings"][0]["area"], serde_json::Value::Null);
    assert_eq!(json["findings"][4]["area"], "Hela länet");
}

#[test]
fn duplicates_are_kept_by_import_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("duplicates.json"));
    let out = dir.path().join("kopia.json");
    common::export(&db, &out, &[]);
    let again = malgrupp::import::json::read_file(&out).unwrap();
    let original = malgrupp::import::json::read_file(&fixture("duplicates.json")).unwrap();
    assert_eq!(again, original);
    assert_eq!(again.units.len(), 8);
    let ranks: Vec<u32> = again.units[7].groups.iter().map(|g| g.rank).collect();
    assert_eq!(ranks, [1, 1, 1]);
}

#[test]
fn a_reviewed_duplicate_stays_reviewed_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("duplicates.json"));
    {
        let mut store = Store::open(&db, Access::ReadWrite).unwrap();
        let mut survey = store.load("Dubbletter").unwrap();
        let findings = check_survey(&survey);
        let layout = survey.layout();
        // The unit listed twice, and the rank given twice, in unit 0.
        for f in &findings[..2] {
            survey.units[0].set_review(f, "två blanketter".to_owned());
        }
        assert_eq!(findings[0].subject, Subject::Unit);
        assert_eq!(findings[1].subject, Subject::Rank);
        assert_eq!(findings[1].kind, Kind::Duplicate(2));
        store
            .save_unit("Dubbletter", &layout, 0, &survey.units[0])
            .unwrap();
    }
    let (json, _) = json_of(&db, &["check"]);
    let reviewed: Vec<bool> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["reviewed"].as_bool().unwrap())
        .collect();
    assert_eq!(
        reviewed,
        [true, true, false, false, false, false, false, false, false]
    );
    assert_eq!(json["findings"][0]["comment"], "två blanketter");
}
