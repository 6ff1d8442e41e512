//! The summary tables as Markdown, text and CSV say "inga enheter" for a
//! municipality (or authority) without any unit and leave blank a sum that
//! nothing was given for, as the HTML report does, instead of printing
//! zeros that read as counted. In the sample, Lindesberg and Ljusnarsberg
//! have no unit; Landsting's three groups have no count; the region-wide
//! area's group gave no sex, age or duration.

mod common;

use common::{export, imported, malgrupp, sample};

fn summary(db: &std::path::Path, args: &[&str]) -> String {
    let out = malgrupp()
        .arg("summary")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn line<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line {start:?} in:\n{text}"))
}

#[test]
fn markdown_says_inga_enheter_and_leaves_blank_what_nobody_gave() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let md = String::from_utf8(export(&db, &dir.path().join("k.md"), &[])).unwrap();
    let columns = md.lines().next().unwrap().matches(" | ").count();
    for place in ["Lindesberg", "Ljusnarsberg"] {
        let row = line(&md, &format!("| {place} |"));
        let expected = format!("| {place} | inga enheter |{}", "  |".repeat(columns - 1));
        assert_eq!(row, expected);
    }
    // The area's one group gave no sex: Män blank, not 0; its people stand.
    let area = line(&md, "| Hela Norra länsdelen |");
    assert!(
        area.starts_with("| Hela Norra länsdelen | 1 | 0 | 70 | 70 |  |  |"),
        "{area}"
    );

    let md = String::from_utf8(export(
        &db,
        &dir.path().join("m.md"),
        &["--by", "authority"],
    ))
    .unwrap();
    // No group of Landsting has a count: no people, not 0 people.
    let landsting = line(&md, "| Landsting |");
    assert!(
        landsting.starts_with("| Landsting | 3 | 3 |  |  |  |"),
        "{landsting}"
    );
}

#[test]
fn text_summary_says_inga_enheter_without_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let text = summary(&db, &["--wide"]);
    for place in ["Lindesberg", "Ljusnarsberg"] {
        let row = line(&text, place);
        assert_eq!(
            row.split_whitespace().collect::<Vec<_>>(),
            [place, "inga", "enheter"],
            "{row}"
        );
    }
    let text = summary(&db, &["--by", "authority", "--wide"]);
    let landsting: Vec<&str> = line(&text, "Landsting").split_whitespace().collect();
    // Groups, without count, then the missing and over columns (all 0).
    assert_eq!(landsting[..3], ["Landsting", "3", "3"], "{landsting:?}");
    assert_eq!(landsting.len(), 3 + 6, "{landsting:?}");
}

#[test]
fn csv_keeps_numbers_but_a_place_without_units_is_no_row_of_zeros() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let csv = summary(&db, &["--format", "csv"]);
    let columns = csv.lines().next().unwrap().split(',').count();
    let lindesberg = line(&csv, "Lindesberg,");
    assert_eq!(
        lindesberg,
        format!("Lindesberg,inga enheter{}", ",".repeat(columns - 2))
    );
    // Real numbers stay numbers; a sum nobody gave is empty.
    assert_eq!(
        line(&csv, "Hela Norra länsdelen,"),
        "Hela Norra länsdelen,1,0,70,70,,,,,,,,,,,,,,,70,0,70,0,70,0"
    );
    let export_csv = String::from_utf8(export(&db, &dir.path().join("k.csv"), &[])).unwrap();
    assert!(
        export_csv.contains(&format!(
            "\r\nLjusnarsberg;inga enheter{}\r\n",
            ";".repeat(columns - 2)
        )),
        "{export_csv}"
    );
}
