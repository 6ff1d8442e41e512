//! Coverage and double entry on the command line: `status` (text and JSON)
//! on the real sample with planned units, the verified mark in `check`, a
//! later edit of a verified unit, and readers beside a writer.

mod common;

use common::{imported, json_of, malgrupp, sample};
use malgrupp::model::verification::{blank_copy, compare, resolve};
use malgrupp::model::{Cell, Dimension, Survey};
use malgrupp::store::{Access, Store};
use serde_json::Value;

fn reloaded(db: &std::path::Path) -> Survey {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    store.load(&name).unwrap()
}

/// The sample with planned units: one already entered (Socialförvaltningen
/// Nora), one not (in Lindesberg), one region-wide not entered.
fn sample_with_plan(dir: &std::path::Path) -> std::path::PathBuf {
    let mut doc: Value = serde_json::from_slice(&std::fs::read(sample()).unwrap()).unwrap();
    doc["survey"]["planned_units"] = serde_json::json!([
        {"name": "Socialförvaltningen Nora", "municipality": "Nora", "authority": "Kommun"},
        {"name": "Socialtjänsten Lindesberg", "municipality": "Lindesberg", "authority": "Kommun"},
        {"name": "Länsarbetsnämnden", "municipality": null, "area": "Hela Norra länsdelen",
         "authority": "Arbetsförmedlingen"}
    ]);
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    path
}

fn cell<'a>(status: &'a Value, place: &str, authority: &str) -> &'a Value {
    status["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| (c["municipality"] == place || c["area"] == place) && c["authority"] == authority)
        .unwrap_or_else(|| panic!("no cell {place} × {authority}"))
}

#[test]
fn status_has_one_cell_per_place_and_authority_with_planned_units() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample_with_plan(dir.path()));
    let (status, code) = json_of(&db, &["status"]);
    assert_eq!(code, 0);
    let cells = status["cells"].as_array().unwrap();
    // 4 municipalities + 1 area, × 4 authorities: empty cells included.
    assert_eq!(cells.len(), 5 * 4, "{status:#}");

    let empty = cell(&status, "Ljusnarsberg", "Landsting");
    assert_eq!(
        (empty["planned"].as_u64(), empty["entered"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(empty["units"], serde_json::json!([]));

    let lindesberg = cell(&status, "Lindesberg", "Kommun");
    assert_eq!(lindesberg["planned"], 1);
    assert_eq!(lindesberg["entered"], 0);
    assert_eq!(lindesberg["units"][0]["name"], "Socialtjänsten Lindesberg");
    assert_eq!(lindesberg["units"][0]["state"], "planned");

    let nora = cell(&status, "Nora", "Kommun");
    assert_eq!(nora["planned"], 1);
    assert_eq!(nora["entered"], 1);
    assert_eq!(nora["units"].as_array().unwrap().len(), 1, "{nora:#}");
    assert_eq!(nora["units"][0]["state"], "open");

    let area = cell(&status, "Hela Norra länsdelen", "Arbetsförmedlingen");
    assert_eq!(area["municipality"], Value::Null);
    assert_eq!(area["units"][0]["state"], "planned");

    // Text: Swedish, every cell named.
    let out = malgrupp()
        .args(["status", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Lindesberg · Kommun: 1 planerade, 0 inmatade"),
        "{text}"
    );
    assert!(text.contains("Socialtjänsten Lindesberg: planerad, ej inmatad"));
    assert!(text.contains("Totalt: 3 planerade, 8 inmatade"), "{text}");
}

#[test]
fn planned_units_survive_export_and_an_unknown_municipality_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = sample_with_plan(dir.path());
    let db = imported(dir.path(), &plan);
    let out = dir.path().join("ut.json");
    common::export(&db, &out, &[]);
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let original: Value = serde_json::from_slice(&std::fs::read(&plan).unwrap()).unwrap();
    assert_eq!(
        doc["survey"]["planned_units"],
        original["survey"]["planned_units"]
    );
    // The sample without planned units still exports without the key.
    let db2 = dir.path().join("utan.sqlite");
    malgrupp()
        .args(["import", sample().to_str().unwrap(), "--db"])
        .arg(&db2)
        .assert()
        .success();
    let out2 = dir.path().join("utan.json");
    common::export(&db2, &out2, &[]);
    let doc2: Value = serde_json::from_slice(&std::fs::read(&out2).unwrap()).unwrap();
    assert!(doc2["survey"].get("planned_units").is_none());

    let mut bad = original.clone();
    bad["survey"]["planned_units"][1]["municipality"] = "Örebro".into();
    let bad_path = dir.path().join("fel.json");
    std::fs::write(&bad_path, serde_json::to_vec(&bad).unwrap()).unwrap();
    let db3 = dir.path().join("fel.sqlite");
    let out = malgrupp()
        .args(["import", bad_path.to_str().unwrap(), "--db"])
        .arg(&db3)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("survey.planned_units[1].municipality")
            && err.contains("”Örebro” finns inte bland kartläggningens kommuner"),
        "{err}"
    );
    assert!(!db3.exists(), "a refused import leaves no file");

    // A misspelt key, a list that is not one, a missing authority: each
    // named in Swedish with its place.
    let mut misspelt = original.clone();
    misspelt["survey"]["planned_units"][0]["namn"] = "x".into();
    let mut not_a_list = original.clone();
    not_a_list["survey"]["planned_units"] = serde_json::json!({"a": 1});
    let mut missing = original.clone();
    missing["survey"]["planned_units"][2]
        .as_object_mut()
        .unwrap()
        .remove("authority");
    for (doc, want) in [
        (
            misspelt,
            "survey.planned_units[0]: okänt fält ”namn” (kända fält: name, authority, municipality, area)",
        ),
        (
            not_a_list,
            "survey.planned_units: väntade en lista med planerade enheter, fick ett objekt",
        ),
        (missing, "survey.planned_units[2].authority: fältet saknas"),
    ] {
        std::fs::write(&bad_path, serde_json::to_vec(&doc).unwrap()).unwrap();
        let out = malgrupp()
            .args(["import", bad_path.to_str().unwrap(), "--db"])
            .arg(&db3)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(want), "{err}");
        assert!(!db3.exists());
    }
}

#[test]
fn double_entry_with_two_differences_finds_exactly_those_and_marks_verified() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample_with_plan(dir.path()));
    let survey = reloaded(&db);
    let layout = survey.layout();
    let u = survey
        .units
        .iter()
        .position(|u| u.name == "Socialförvaltningen Nora")
        .unwrap();
    let first = &survey.units[u];

    // The second person types every number again from the paper, and
    // makes two mistakes.
    let mut second = blank_copy(first, &layout);
    assert!(
        second
            .groups
            .iter()
            .all(|g| g.row.count.is_blank() && g.row.cells.iter().all(|c| c.is_blank())),
        "the second entry starts empty"
    );
    for (g, group) in first.groups.iter().enumerate() {
        second.groups[g].row = group.row.clone();
        second.groups[g].estimated = group.estimated;
        second.groups[g].extra = group.extra.clone();
    }
    second.reported_totals = first.reported_totals.clone();
    second.key_figures = first.key_figures.clone();
    let count = first.groups[0].row.count.get().unwrap();
    second.groups[0].row.count = Cell::new(count + 10);
    let women = layout.range(Dimension::Sex).start + 1;
    second.groups[1].row.cells[women] = Cell::BLANK;

    let differences = compare(&survey, first, &second).unwrap();
    assert_eq!(differences.len(), 2, "{differences:#?}");
    assert_eq!(differences[0].first, Some(u64::from(count)));
    assert_eq!(differences[0].second, Some(u64::from(count) + 10));
    assert!(
        differences[0].place.contains("målgrupp 1"),
        "{differences:?}"
    );
    assert!(
        differences[1].place.contains("målgrupp 2") && differences[1].place.contains("Kvinnor"),
        "{differences:?}"
    );

    // The paper says the first entry was right both times.
    let verified = resolve(
        first,
        &differences,
        &[false, false],
        "granskare",
        "2026-11-27T14:00:00Z",
    );
    assert_eq!(verified.verification.as_ref().unwrap().differed, 2);
    let mut store = Store::open(&db, Access::ReadWrite).unwrap();
    store
        .save_unit(&survey.frame.name, &layout, u, &verified)
        .unwrap();
    drop(store);
    let back = reloaded(&db);
    assert_eq!(back.units[u].verification, verified.verification);
    assert!(back.units[u].is_verified());

    let (findings, code) = json_of(&db, &["check"]);
    assert_eq!(code, 1);
    let findings = findings["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["unit"] == "Socialförvaltningen Nora")
    );
    for f in findings {
        assert_eq!(
            f["verified"] == true,
            f["unit"] == "Socialförvaltningen Nora",
            "{f:#}"
        );
    }
    let (status, _) = json_of(&db, &["status"]);
    let nora = cell(&status, "Nora", "Kommun");
    assert_eq!(nora["verified"], 1);
    assert_eq!(nora["units"][0]["state"], "verified");

    // A later edit keeps the verification but shows it no longer holds.
    let mut edited = back.units[u].clone();
    edited.groups[0].row.count = Cell::new(count + 1);
    let mut store = Store::open(&db, Access::ReadWrite).unwrap();
    store
        .save_unit(&survey.frame.name, &layout, u, &edited)
        .unwrap();
    drop(store);
    let (status, _) = json_of(&db, &["status"]);
    let nora = cell(&status, "Nora", "Kommun");
    assert_eq!(nora["verified"], 0);
    assert_eq!(nora["units"][0]["changed_after_verification"], true);
    assert_ne!(nora["units"][0]["state"], "verified");
    let out = malgrupp()
        .args(["check", "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Socialförvaltningen Nora (ändrad efter kontroll)"),
        "{text}"
    );
}

#[test]
fn readers_work_while_another_program_has_the_file_open_for_writing() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    // The app (or an import) holds the file for writing.
    let writer = Store::open(&db, Access::ReadWrite).unwrap();
    for args in [
        &["status"][..],
        &["check"][..],
        &["summary"][..],
        &[
            "export",
            "--out",
            dir.path().join("x.json").to_str().unwrap(),
        ][..],
    ] {
        let out = malgrupp()
            .args(args)
            .args(["--db", db.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A second writer is still refused, in Swedish.
    let out = malgrupp()
        .args(["import", sample().to_str().unwrap(), "--replace", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("används"), "{err}");
    drop(writer);
}
