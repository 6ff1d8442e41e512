//! Issue 11's "honest numbers" in the flat tables: people missing from a
//! breakdown and people it has too many are two columns each, never netted
//! against each other, in `summary --format csv|md|text`, `export --format
//! csv|md`, by theme, and in the workbook — through the real binary on the
//! 2005 sample.

mod common;

use std::collections::BTreeMap;

use common::{export, fixture, imported, json_of, malgrupp, sample};

const PARTS: [(&str, &str); 3] = [
    ("sex", "Kön"),
    ("age", "Ålder"),
    ("duration", "Tid som aktuell"),
];

/// A CSV table (comma, no BOM) as its header and rows (the note under a
/// table left out).
fn parse(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| r.len() > 1)
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// The row whose first cell is `first`.
fn row<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == first)
        .unwrap_or_else(|| panic!("no row {first:?} in {rows:?}"))
}

fn summary_csv(db: &std::path::Path, by: &str) -> String {
    let out = malgrupp()
        .args(["summary", "--format", "csv", "--by", by, "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn cell<'a>(header: &[String], row: &'a [String], name: &str) -> &'a str {
    let c = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name:?} in {header:?}"));
    &row[c]
}

#[test]
fn hallefors_shows_the_missing_and_the_over_reported_apart() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    // Hällefors: 52 people missing from the age split, 2 over (the
    // Socialförvaltningen's "Frisk, arbetsförd" has 50 in its age bands
    // for 48 people); netted, that read 50.
    let (header, rows) = parse(&summary_csv(&db, "municipality"));
    assert!(
        !header.iter().any(|h| h.starts_with("Ej angivet")),
        "{header:?}"
    );
    let hallefors = row(&rows, "Hällefors");
    assert_eq!(cell(&header, hallefors, "Ålder: saknas"), "52");
    assert_eq!(cell(&header, hallefors, "Ålder: för många"), "2");
    assert_eq!(cell(&header, hallefors, "Kön: saknas"), "50");
    assert_eq!(cell(&header, hallefors, "Kön: för många"), "0");
    // The unit where the two cancel exactly: netted it read 0, as if every
    // person had an age band.
    let (header, rows) = parse(&summary_csv(&db, "unit"));
    let unit = rows
        .iter()
        .find(|r| r[2] == "Socialförvaltningen Hällefors")
        .unwrap();
    assert_eq!(cell(&header, unit, "Ålder: saknas"), "2");
    assert_eq!(cell(&header, unit, "Ålder: för många"), "2");

    // The same numbers as the summary JSON's `missing` and `over`: one
    // model, every format.
    for by in ["municipality", "authority", "unit"] {
        let (header, rows) = parse(&summary_csv(&db, by));
        let (json, _) = json_of(&db, &["summary", "--by", by]);
        let json_rows = json["rows"].as_array().unwrap();
        // Rows in the same order, the total row last.
        assert_eq!(rows.len(), json_rows.len() + 1, "{by}");
        for (row, j) in rows.iter().zip(json_rows) {
            let name = j["unit"]
                .as_str()
                .or(j["municipality"].as_str())
                .or(j["area"].as_str())
                .or(j["authority"].as_str())
                .unwrap();
            assert!(row.contains(&name.to_owned()), "{by}: {name} in {row:?}");
            if row.iter().any(|c| c == "inga enheter") {
                // No unit there: nothing counted, so no number at all.
                for (_, title) in PARTS {
                    assert_eq!(cell(&header, row, &format!("{title}: saknas")), "");
                }
                continue;
            }
            for (key, title) in PARTS {
                assert_eq!(
                    cell(&header, row, &format!("{title}: saknas")),
                    j["missing"][key].to_string(),
                    "{by} {name} {key}"
                );
                assert_eq!(
                    cell(&header, row, &format!("{title}: för många")),
                    j["over"][key].to_string(),
                    "{by} {name} {key}"
                );
            }
        }
    }
}

#[test]
fn markdown_text_and_the_csv_export_show_both_columns() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let md = String::from_utf8(export(&db, &dir.path().join("k.md"), &[])).unwrap();
    let head = md.lines().next().unwrap();
    assert!(
        head.ends_with(
            "| Kön: saknas | Kön: för många | Ålder: saknas | Ålder: för många \
             | Tid som aktuell: saknas | Tid som aktuell: för många |"
        ),
        "{head}"
    );
    let hallefors = md.lines().find(|l| l.starts_with("| Hällefors |")).unwrap();
    assert!(
        hallefors.ends_with("| 50 | 0 | 52 | 2 | 52 | 0 |"),
        "{hallefors}"
    );

    let csv = String::from_utf8(export(&db, &dir.path().join("k.csv"), &[])).unwrap();
    assert!(
        csv.contains(
            "\r\nHällefors;11;3;166;0;66;50;26;39;44;7;16;24;40;34;;7;;30;50;0;52;2;52;0\r\n"
        ),
        "{csv}"
    );

    let text = malgrupp()
        .args(["summary", "--wide", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    let head = text.lines().next().unwrap();
    assert!(
        head.contains("Ålder: saknas") && head.contains("Ålder: för många"),
        "{head}"
    );
    let hallefors: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("Hällefors"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        hallefors[hallefors.len() - 6..],
        ["50", "0", "52", "2", "52", "0"]
    );
}

/// Per theme (None: untagged), straight from the document: people missing
/// from and over each of sex, age and duration.
fn apart_from_document() -> BTreeMap<Option<String>, [(u64, u64); 3]> {
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("themes.json")).unwrap()).unwrap();
    let mut out: BTreeMap<Option<String>, [(u64, u64); 3]> = BTreeMap::new();
    for t in doc["survey"]["themes"].as_array().unwrap() {
        out.insert(Some(t["name"].as_str().unwrap().to_owned()), [(0, 0); 3]);
    }
    out.insert(None, [(0, 0); 3]);
    for u in doc["units"].as_array().unwrap() {
        for g in u["groups"].as_array().unwrap() {
            let Some(count) = g["count"].as_i64() else {
                continue;
            };
            let mut names: Vec<Option<String>> = g["themes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|t| Some(t.as_str().unwrap().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            if names.is_empty() {
                names.push(None);
            }
            for name in names {
                let sums = out.get_mut(&name).unwrap();
                for (i, (key, _)) in PARTS.iter().enumerate() {
                    let parts: i64 = g[*key]
                        .as_array()
                        .map(|a| a.iter().filter_map(|v| v.as_i64()).sum())
                        .unwrap_or(0);
                    let gap = count - parts;
                    if gap > 0 {
                        sums[i].0 += gap as u64;
                    } else {
                        sums[i].1 += gap.unsigned_abs();
                    }
                }
            }
        }
    }
    out
}

#[test]
fn by_theme_every_row_shows_missing_and_over_as_the_document_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &fixture("themes.json"));
    let (header, rows) = parse(&summary_csv(&db, "theme"));
    let expected = apart_from_document();
    let mut both = false;
    for (name, apart) in &expected {
        let key = name.clone().unwrap_or_else(|| "(utan tema)".to_owned());
        let row = row(&rows, &key);
        for ((_, title), (missing, over)) in PARTS.iter().zip(apart) {
            assert_eq!(
                cell(&header, row, &format!("{title}: saknas")),
                missing.to_string(),
                "{key} {title}"
            );
            assert_eq!(
                cell(&header, row, &format!("{title}: för många")),
                over.to_string(),
                "{key} {title}"
            );
            both |= *missing > 0 && *over > 0;
        }
    }
    assert!(both, "no theme has both: the test proves nothing");
}

#[test]
fn the_workbook_sheets_show_missing_and_over_apart() {
    use calamine::{Data, Reader, open_workbook_auto};
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let out = dir.path().join("r.xlsx");
    export(&db, &out, &[]);
    let mut book = open_workbook_auto(&out).unwrap();
    for sheet in ["Kommuner", "Myndigheter", "Kommun × myndighet"] {
        let range = book.worksheet_range(sheet).unwrap();
        let rows: Vec<&[Data]> = range.rows().collect();
        let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
        for (_, title) in PARTS {
            for what in ["saknas", "för många"] {
                assert!(
                    header.contains(&format!("{title}: {what}")),
                    "{sheet}: {header:?}"
                );
            }
        }
        assert!(
            !header.iter().any(|h| h.starts_with("Ej angivet")),
            "{sheet}"
        );
    }
    let range = book.worksheet_range("Kommuner").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let hallefors = rows.iter().find(|r| r[0] == "Hällefors").unwrap();
    assert_eq!(hallefors[col("Ålder: saknas")], Data::Float(52.0));
    assert_eq!(hallefors[col("Ålder: för många")], Data::Float(2.0));
}
