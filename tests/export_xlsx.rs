//! The Excel workbook read back with calamine and compared with `summary`
//! and `check`: the same numbers, blanks kept blank, findings in words.

mod common;

use calamine::{Data, Reader, open_workbook_auto};
use common::{imported, json_of, sample};

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn workbook_holds_the_same_numbers_as_summary_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let out = dir.path().join("rapport.xlsx");
    common::export(&db, &out, &[]);
    let mut book = open_workbook_auto(&out).expect("opens as a workbook");
    assert_eq!(
        book.sheet_names(),
        [
            "Kommuner",
            "Myndigheter",
            "Kommun × myndighet",
            "Målgrupper",
            "Nyckeltal",
            "Enheternas totalrader",
            "Enheternas tabeller"
        ]
    );

    // Every municipality row equals summary --by municipality, number by number.
    let (summary, _) = json_of(&db, &["summary", "--by", "municipality"]);
    let sheet = book.worksheet_range("Kommuner").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(text(&rows[0][0]), "Kommun/område");
    let json_rows = summary["rows"].as_array().unwrap();
    assert_eq!(rows.len(), json_rows.len() + 2, "header, rows, total");
    for (row, json) in rows[1..].iter().zip(json_rows) {
        let name = json["municipality"]
            .as_str()
            .or(json["area"].as_str())
            .unwrap();
        assert_eq!(text(&row[0]), name);
        let mut expected = vec![
            json["groups"].as_f64().unwrap(),
            json["groups_without_count"].as_f64().unwrap(),
            json["count"].as_f64().unwrap(),
            json["estimated"].as_f64().unwrap(),
        ];
        for key in ["sex", "age", "duration", "also_at"] {
            expected.extend(
                json[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_f64().unwrap()),
            );
        }
        // Missing and over-reported people apart, per breakdown.
        for key in ["sex", "age", "duration"] {
            expected.push(json["missing"][key].as_f64().unwrap());
            expected.push(json["over"][key].as_f64().unwrap());
        }
        if text(&row[1]) == "inga enheter" {
            // No unit there: no number at all, not a row of zeros.
            assert!(row[2..].iter().all(|d| *d == Data::Empty), "{name}");
            assert!(expected.iter().all(|v| *v == 0.0), "{name}");
            continue;
        }
        // A sum nothing was given for is blank, not 0 (the JSON has 0).
        let got: Vec<f64> = row[1..]
            .iter()
            .map(|d| match d {
                Data::Empty => 0.0,
                d => number(d).expect("a number cell"),
            })
            .collect();
        assert_eq!(got, expected, "{name}");
    }
    assert_eq!(text(&rows[rows.len() - 1][0]), "Totalt");
    assert_eq!(number(&rows[rows.len() - 1][3]), Some(375.0));

    // Municipality × authority: only the combinations that have groups.
    let sheet = book.worksheet_range("Kommun × myndighet").unwrap();
    let pairs: Vec<(String, String)> = sheet
        .rows()
        .skip(1)
        .map(|r| (text(&r[0]), text(&r[1])))
        .collect();
    assert_eq!(pairs.len(), 9);
    assert_eq!(pairs[0], ("Hällefors".into(), "Kommun".into()));
    assert_eq!(
        pairs[7],
        ("Hela Norra länsdelen".into(), "Försäkringskassan".into())
    );

    // Every group, blanks blank, with the same findings check prints.
    let (found, _) = json_of(&db, &["check"]);
    let sheet = book.worksheet_range("Målgrupper").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 21);
    let header: Vec<String> = rows[0].iter().map(text).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let first = rows[1];
    assert_eq!(text(&first[col("Målgrupp")]), "Frisk, arbetsförd");
    assert_eq!(number(&first[col("Antal")]), Some(48.0));
    assert_eq!(first[col("51-65")], Data::Empty, "a blank cell stays blank");
    assert_eq!(text(&first[col("Fynd")]), "ålder: över 2");
    let af_nora = rows
        .iter()
        .find(|r| text(&r[2]) == "Arbetsförmedlingen Nora" && number(&r[3]) == Some(2.0))
        .unwrap();
    assert_eq!(af_nora[col("Antal")], Data::Empty);
    assert_eq!(text(&af_nora[col("Fynd")]), "saknar antal");
    let messages: usize = rows[1..]
        .iter()
        .map(|r| text(&r[col("Fynd")]))
        .filter(|s| !s.is_empty())
        .map(|s| s.split("; ").count())
        .sum();
    let group_findings = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["rank"].is_null())
        .count();
    assert_eq!(messages, group_findings);

    let sheet = book.worksheet_range("Nyckeltal").unwrap();
    let listed = sheet
        .rows()
        .find(|r| text(&r[3]) == "Listade personer")
        .unwrap();
    assert_eq!(
        (text(&listed[2]), number(&listed[4])),
        ("Vårdcentralen Hällefors".into(), Some(7711.0))
    );
    assert_eq!(sheet.rows().count(), 6);
}
