//! Themes (gemensamma målgrupper) through the real binary: import, totals
//! per theme in every summary format, export, and refusals. The document
//! tests/fixtures/themes.json is the 2005 sample with themes set by hand.

mod common;

use std::collections::BTreeMap;

use common::{export, fixture, imported, json_of, malgrupp, sample};
use serde_json::Value;

fn doc() -> Value {
    serde_json::from_slice(&std::fs::read(fixture("themes.json")).unwrap()).unwrap()
}

/// Per theme name (None: untagged), counted straight from the document:
/// groups, units, people, estimated people.
fn expected_from_document() -> BTreeMap<Option<String>, (u64, u64, u64, u64)> {
    let doc = doc();
    let mut names: Vec<Option<String>> = doc["survey"]["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| Some(t["name"].as_str().unwrap().to_owned()))
        .collect();
    names.push(None);
    names
        .into_iter()
        .map(|name| {
            let (mut groups, mut units, mut people, mut estimated) = (0, 0, 0, 0);
            for u in doc["units"].as_array().unwrap() {
                let mut in_unit = false;
                for g in u["groups"].as_array().unwrap() {
                    let themes: Vec<&str> = g["themes"]
                        .as_array()
                        .map(|a| a.iter().map(|t| t.as_str().unwrap()).collect())
                        .unwrap_or_default();
                    let carries = match &name {
                        Some(n) => themes.contains(&n.as_str()),
                        None => themes.is_empty(),
                    };
                    if carries {
                        in_unit = true;
                        groups += 1;
                        let n = g["count"].as_u64().unwrap_or(0);
                        people += n;
                        if g["estimated"] == true {
                            estimated += n;
                        }
                    }
                }
                units += u64::from(in_unit);
            }
            (name, (groups, units, people, estimated))
        })
        .collect()
}

#[test]
fn summary_by_theme_json_counts_a_group_in_each_of_its_themes() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let (v, code) = json_of(&db, &["summary", "--by", "theme"]);
    assert_eq!(code, 0);
    let rows = v["rows"].as_array().unwrap();
    let expected = expected_from_document();
    assert_eq!(rows.len(), expected.len());
    for row in rows {
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "theme",
                "groups",
                "units",
                "authorities",
                "municipalities",
                "count",
                "estimated",
                "sex",
                "age",
                "duration",
                "also_at",
                "not_given"
            ]
        );
        let name = row["theme"].as_str().map(str::to_owned);
        let (groups, units, people, estimated) = expected[&name];
        assert_eq!(row["groups"], groups, "{name:?}");
        assert_eq!(row["units"], units, "{name:?}");
        assert_eq!(row["count"], people, "{name:?}");
        assert_eq!(row["estimated"], estimated, "{name:?}");
    }
    // Figures read off the sample by hand: "Arbetslösa unga" is named by
    // Arbetsförmedlingen, Försäkringskassan and Kommun in Hällefors and Nora
    // (and the region-wide unit, which is no municipality).
    let unga = &rows[0];
    assert_eq!(unga["theme"], "Arbetslösa unga");
    assert_eq!(
        (
            &unga["groups"],
            &unga["authorities"],
            &unga["municipalities"]
        ),
        (&Value::from(6), &Value::from(3), &Value::from(2))
    );
    assert_eq!(
        (&unga["count"], &unga["estimated"]),
        (&Value::from(138), &Value::from(70))
    );
    // The untagged row is last, with theme null; an unused theme has zeros.
    let last = rows.last().unwrap();
    assert_eq!(last["theme"], Value::Null);
    assert_eq!(
        (&last["groups"], &last["count"]),
        (&Value::from(3), &Value::from(74))
    );
    let aldre = rows.iter().find(|r| r["theme"] == "Äldre").unwrap();
    assert_eq!(aldre["groups"], 0);
    // The rows add up to more than the survey (a group with two themes),
    // and the output says so.
    let sum: u64 = rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert!(sum > v["total"]["count"].as_u64().unwrap());
    assert!(
        v["note"]
            .as_str()
            .unwrap()
            .contains("räknas under vart och ett")
    );
    // Breakdowns are the frame's categories; not given per part.
    assert_eq!(unga["sex"].as_array().unwrap().len(), 2);
    assert!(unga["not_given"]["age"].is_i64());
}

#[test]
fn summary_by_theme_as_text_and_csv_names_the_themes_and_the_double_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let text = malgrupp()
        .args([
            "summary",
            "--by",
            "theme",
            "--wide",
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    let first = text.lines().next().unwrap();
    for heading in ["Tema", "Enheter", "Myndigheter", "Kommuner", "Personer"] {
        assert!(first.contains(heading), "{first}");
    }
    assert!(text.contains("Kvinnor med eller utan barn"), "{text}");
    assert!(text.contains("(utan tema)"), "{text}");
    assert!(text.contains("räknas under vart och ett"), "{text}");

    let csv = malgrupp()
        .args([
            "summary",
            "--by",
            "theme",
            "--format",
            "csv",
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Tema,Enheter,Myndigheter,Kommuner,Målgrupper")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("Arbetslösa unga,5,3,2,6,2,138,70,"),
        "{csv}"
    );
}

#[test]
fn export_writes_the_themes_and_import_reads_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let out = dir.path().join("ut.json");
    let bytes = export(&db, &out, &[]);
    let written: Value = serde_json::from_slice(&bytes).unwrap();
    let original = doc();
    assert_eq!(written["survey"]["themes"], original["survey"]["themes"]);
    for (w, o) in written["units"]
        .as_array()
        .unwrap()
        .iter()
        .zip(original["units"].as_array().unwrap())
    {
        for (wg, og) in w["groups"]
            .as_array()
            .unwrap()
            .iter()
            .zip(o["groups"].as_array().unwrap())
        {
            assert_eq!(wg["themes"], og["themes"], "{}", og["label"]);
        }
    }
    // And again: the same totals.
    let dir2 = tempfile::tempdir().unwrap();
    let db2 = imported(dir2.path(), &out);
    assert_eq!(
        json_of(&db, &["summary", "--by", "theme"]).0,
        json_of(&db2, &["summary", "--by", "theme"]).0
    );

    // The CSV and Markdown exports by theme say a group may count twice.
    let csv =
        String::from_utf8(export(&db, &dir.path().join("t.csv"), &["--by", "theme"])).unwrap();
    assert!(csv.contains("Arbetslösa unga"), "{csv}");
    assert!(csv.contains("räknas under vart och ett"), "{csv}");
    let refused = common::export_cmd(
        &db,
        &dir.path().join("s.csv"),
        &["--by", "theme", "--suppress", "5"],
    )
    .output()
    .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("per tema"));
}

#[test]
fn a_group_naming_a_theme_the_frame_lacks_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = doc();
    d["units"][1]["groups"][2]["themes"] = serde_json::json!(["Sjukskrivna", "Långtidsarbetslösa"]);
    let path = dir.path().join("fel.json");
    std::fs::write(&path, serde_json::to_vec(&d).unwrap()).unwrap();
    let db = dir.path().join("db.sqlite");
    let out = malgrupp()
        .args([
            "import",
            path.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("units[1].groups[2].themes[1]: temat ”Långtidsarbetslösa” finns inte bland kartläggningens teman"),
        "{err}"
    );
    // Nothing was stored: the database was not even made.
    assert!(!db.exists());

    // Without themes in the frame the message says so.
    let mut d = serde_json::from_slice::<Value>(&std::fs::read(sample()).unwrap()).unwrap();
    d["units"][0]["groups"][0]["themes"] = serde_json::json!(["Arbetslösa unga"]);
    std::fs::write(&path, serde_json::to_vec(&d).unwrap()).unwrap();
    let out = malgrupp()
        .args([
            "import",
            path.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("units[0].groups[0].themes[0]: temat ”Arbetslösa unga” finns inte: kartläggningen har inga teman"), "{err}");

    // A theme listed twice in the frame, or a keyword of the wrong kind.
    let mut d = doc();
    d["survey"]["themes"][1]["name"] = "Arbetslösa unga".into();
    std::fs::write(&path, serde_json::to_vec(&d).unwrap()).unwrap();
    let out = malgrupp()
        .args([
            "import",
            path.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("survey.themes[1].name: temat ”Arbetslösa unga” står två gånger"),
        "{err}"
    );
    let mut d = doc();
    d["survey"]["themes"][0]["keywords"] = serde_json::json!(["unga", 3]);
    std::fs::write(&path, serde_json::to_vec(&d).unwrap()).unwrap();
    let out = malgrupp()
        .args([
            "import",
            path.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("survey.themes[0].keywords[1]: väntade text, fick talet 3"),
        "{err}"
    );
}

#[test]
fn a_document_without_themes_imports_as_before_with_every_group_untagged() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let (v, code) = json_of(&db, &["summary", "--by", "theme"]);
    assert_eq!(code, 0);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["theme"], Value::Null);
    assert_eq!(rows[0]["groups"], v["total"]["groups"]);
    assert_eq!(rows[0]["count"], v["total"]["count"]);
    // Exported again, the document has no theme fields at all.
    let bytes = export(&db, &dir.path().join("ut.json"), &[]);
    assert!(!String::from_utf8(bytes).unwrap().contains("\"themes\""));
}

#[test]
fn a_version_2_file_opens_with_its_groups_untagged() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = json_of(&db, &["summary"]).0;
    {
        // The file as version 2 wrote it: no theme table, no themes column.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(common::BACK_TO_VERSION_2).unwrap();
    }
    assert_eq!(json_of(&db, &["summary"]).0, before);
    let (v, code) = json_of(&db, &["summary", "--by", "theme"]);
    assert_eq!(code, 0);
    assert_eq!(v["rows"][0]["theme"], Value::Null);
    assert_eq!(v["rows"][0]["count"], before["total"]["count"]);
}

#[test]
fn every_export_has_the_themes_with_the_same_numbers_as_summary() {
    use calamine::{Data, Reader, open_workbook_auto};
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let (summary, _) = json_of(&db, &["summary", "--by", "theme"]);
    let json_rows = summary["rows"].as_array().unwrap();

    // The workbook: a sheet per theme table, then the note; the groups
    // sheet names each group's themes.
    let out = dir.path().join("rapport.xlsx");
    export(&db, &out, &[]);
    let mut book = open_workbook_auto(&out).unwrap();
    let names = book.sheet_names();
    assert!(names.contains(&"Teman".to_owned()) && names.contains(&"Tema × myndighet".to_owned()));
    let sheet = book.worksheet_range("Teman").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    for (row, json) in rows[1..].iter().zip(json_rows) {
        let name = match &row[0] {
            Data::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(name, json["theme"].as_str().unwrap_or("(utan tema)"));
        let n = |i: usize| match row[i] {
            Data::Float(f) => f as u64,
            Data::Int(i) => i as u64,
            // Nobody gave a count: blank, not 0 (the JSON has 0).
            Data::Empty if i >= 6 => 0,
            _ => panic!("not a number: {:?}", row[i]),
        };
        assert_eq!(
            [n(1), n(2), n(3), n(4), n(6), n(7)],
            [
                "units",
                "authorities",
                "municipalities",
                "groups",
                "count",
                "estimated"
            ]
            .map(|k| json[k].as_u64().unwrap())
        );
    }
    let note = rows
        .iter()
        .flat_map(|r| r.iter())
        .any(|c| matches!(c, Data::String(s) if s.contains("räknas under vart och ett")));
    assert!(note, "the workbook says a group may count twice");
    let per_authority = book.worksheet_range("Tema × myndighet").unwrap();
    let first: Vec<String> = per_authority
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(first[0], "Arbetslösa unga");
    assert_eq!(first.last().unwrap(), "138");
    let groups = book.worksheet_range("Målgrupper").unwrap();
    let header: Vec<String> = groups
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let col = header
        .iter()
        .position(|h| h == "Teman")
        .expect("a Teman column");
    let fk_halle: Vec<String> = groups
        .rows()
        .find(|r| matches!(&r[4], calamine::Data::String(s) if s == "Unga kvinnor med sociala problem"))
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        fk_halle[col],
        "Arbetslösa unga; Kvinnor med eller utan barn"
    );

    // The HTML report: a section per theme table, with the note and the
    // theme chart.
    let html = String::from_utf8(export(&db, &dir.path().join("r.html"), &[])).unwrap();
    assert!(html.contains("<h3>Per tema (gemensamma målgrupper)</h3>"));
    assert!(html.contains("räknas under vart och ett"));
    assert!(html.contains("Personer per tema och myndighet"));
    assert!(html.contains("<td>Kvinnor med eller utan barn</td>"));

    // The chart on its own.
    let svg_path = dir.path().join("teman.svg");
    malgrupp()
        .args([
            "chart",
            "--kind",
            "themes",
            "--out",
            svg_path.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ])
        .assert()
        .success();
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    for word in [
        "Personer per tema och myndighet",
        "Arbetslösa unga",
        "Arbetsförmedlingen",
        "(utan tema)",
    ] {
        assert!(svg.contains(word), "{word}");
    }
}

#[test]
fn the_report_cover_ranks_the_themes_by_authorities_then_people() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let (summary, _) = json_of(&db, &["summary", "--by", "theme"]);
    let mut named: Vec<(u64, u64, String)> = summary["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["theme"].is_null() && r["groups"].as_u64().unwrap() > 0)
        .map(|r| {
            (
                r["authorities"].as_u64().unwrap(),
                r["count"].as_u64().unwrap(),
                r["theme"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(named.len() >= 2, "the fixture names at least two themes");
    named.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));

    let out = dir.path().join("rapport.html");
    export(&db, &out, &[]);
    let html = std::fs::read_to_string(&out).unwrap();
    let start = html.find("<div class=\"cover\">").unwrap();
    // The cover runs to the first municipality's heading.
    let after = start + html[start..].find("Sammanfattning</h2>").unwrap() + 20;
    let end = after + html[after..].find("<h2").unwrap_or(html.len() - after);
    let cover = &html[start..end];
    assert!(cover.contains("Gemensamma målgrupper"), "{cover}");
    let mut last = 0;
    for (i, (authorities, _, name)) in named.iter().enumerate() {
        let line = format!("{}. {name}: {authorities} myndighet", i + 1);
        let at = cover
            .find(&line)
            .unwrap_or_else(|| panic!("{line:?} not on the cover:\n{cover}"));
        assert!(at > last, "{name} out of order");
        last = at;
    }
    assert!(cover.contains("räknas under vart och ett"), "{cover}");
}
