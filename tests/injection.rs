//! Hostile labels through the real binary: CSV cells that a spreadsheet
//! would run as formulas get a leading apostrophe (OWASP's `=` `+` `-` `@`
//! TAB CR, and LF), Markdown cells show HTML instead of running it, and
//! numbers stay numbers (negative ones too: src/report/csv.rs tests them,
//! since the summary tables no longer hold any).

mod common;

use std::path::{Path, PathBuf};

use common::{export, imported, malgrupp};

/// A small survey whose names and labels are all attacks. Labels with a
/// leading TAB, CR or LF are put into the database afterwards (see
/// [`with_control_starts`]): the import may refuse control characters in
/// names, but a database written by another tool or an older version can
/// still hold them, and the exports must be safe whatever the file holds.
const DOC: &str = r#"{
  "survey": {
    "name": "Fientlig",
    "region": "Testlän",
    "period": "2026",
    "municipalities": ["=HYPERLINK(\"http://x\")", "<script>alert(1)</script>"],
    "authorities": ["@SUM(A1)", "<img src=x onerror=alert(1)>"],
    "sex": ["+Män", "<svg onload=alert(1)>"],
    "age_bands": ["-30", "31-65"],
    "duration_bands": ["kort", "lång"]
  },
  "units": [
    {"municipality": "=HYPERLINK(\"http://x\")", "authority": "@SUM(A1)", "name": "-2+3",
     "groups": [{"rank": 1, "label": "=1", "count": 1, "sex": [2, 1]}]},
    {"municipality": "<script>alert(1)</script>", "authority": "<img src=x onerror=alert(1)>",
     "name": "Öst | [a](javascript:x) & <b>", "groups": []},
    {"municipality": "<script>alert(1)</script>", "authority": "@SUM(A1)", "name": "tab", "groups": []},
    {"municipality": "<script>alert(1)</script>", "authority": "@SUM(A1)", "name": "cr", "groups": []},
    {"municipality": "<script>alert(1)</script>", "authority": "@SUM(A1)", "name": "lf", "groups": []}
  ]
}"#;

/// The hostile survey imported into a fresh database in `dir`.
fn hostile_db(dir: &Path) -> PathBuf {
    let doc = dir.join("fientlig.json");
    std::fs::write(&doc, DOC).unwrap();
    imported(dir, &doc)
}

/// Unit names starting with TAB, CR and LF, written as another tool would.
fn with_control_starts(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    for (old, new) in [("tab", "\t=1+1"), ("cr", "\r=2"), ("lf", "\n@3")] {
        let n = conn
            .execute("UPDATE unit SET name = ?1 WHERE name = ?2", [new, old])
            .unwrap();
        assert_eq!(n, 1);
    }
}

/// The table's header for rows by unit, in a dialect's separator.
fn header(sep: &str) -> String {
    [
        "Kommun/område",
        "Myndighet",
        "Enhet",
        "Målgrupper",
        "Utan antal",
        "Personer",
        "Varav uppskattat",
        "'+Män",
        "<svg onload=alert(1)>",
        "'-30",
        "31-65",
        "kort",
        "lång",
        "Aktuell hos @SUM(A1)",
        "Aktuell hos <img src=x onerror=alert(1)>",
        "Kön: saknas",
        "Kön: för många",
        "Ålder: saknas",
        "Ålder: för många",
        "Tid som aktuell: saknas",
        "Tid som aktuell: för många",
    ]
    .join(sep)
}

/// The rows by unit as CSV with separator `sep` and line end `end`: the
/// first unit has sex parts over its count, so "Kön: för många" is 2 (and
/// "Kön: saknas" 0).
fn rows(sep: &str, end: &str) -> String {
    let zeros = |n: usize| vec!["0"; n].join(sep);
    // Categories no group gave are blank, not 0.
    let blanks = |n: usize| vec![""; n].join(sep);
    let nothing = format!("{}{sep}{}{sep}{}", zeros(2), blanks(10), zeros(6));
    let q = "\"";
    let lines = [
        format!(
            "{q}'=HYPERLINK({q}{q}http://x{q}{q}){q}{sep}'@SUM(A1){sep}'-2+3{sep}1{sep}0{sep}1{sep}0{sep}2{sep}1{sep}{}{sep}0{sep}2{sep}1{sep}0{sep}1{sep}0",
            blanks(6)
        ),
        format!(
            "<script>alert(1)</script>{sep}<img src=x onerror=alert(1)>{sep}Öst | [a](javascript:x) & <b>{sep}{nothing}"
        ),
        format!("<script>alert(1)</script>{sep}'@SUM(A1){sep}'\t=1+1{sep}{nothing}"),
        format!("<script>alert(1)</script>{sep}'@SUM(A1){sep}{q}'\r=2{q}{sep}{nothing}"),
        format!("<script>alert(1)</script>{sep}'@SUM(A1){sep}{q}'\n@3{q}{sep}{nothing}"),
        format!(
            "Totalt{sep}{sep}{sep}1{sep}0{sep}1{sep}0{sep}2{sep}1{sep}{}{sep}0{sep}2{sep}1{sep}0{sep}1{sep}0",
            blanks(6)
        ),
    ];
    let mut out = String::new();
    for l in lines {
        out.push_str(&l);
        out.push_str(end);
    }
    out
}

#[test]
fn csv_export_neutralises_every_formula_start_and_keeps_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    with_control_starts(&db);
    let bytes = export(&db, &dir.path().join("enheter.csv"), &["--by", "unit"]);
    let expected = format!("\u{feff}{}\r\n{}", header(";"), rows(";", "\r\n"));
    assert_eq!(String::from_utf8(bytes).unwrap(), expected);
}

#[test]
fn summary_csv_neutralises_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    with_control_starts(&db);
    let out = malgrupp()
        .args(["summary", "--by", "unit", "--format", "csv", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let expected = format!("{}\n{}", header(","), rows(",", "\n"));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn markdown_export_shows_html_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    let text = String::from_utf8(export(
        &db,
        &dir.path().join("kommuner.md"),
        &["--by", "unit"],
    ))
    .unwrap();
    let expected = "| Kommun/område | Myndighet | Enhet | Målgrupper | Utan antal | Personer | Varav uppskattat \
         | +Män | &lt;svg onload=alert(1)&gt; | -30 | 31-65 | kort | lång | Aktuell hos @SUM(A1) \
         | Aktuell hos &lt;img src=x onerror=alert(1)&gt; | Kön: saknas | Kön: för många | Ålder: saknas \
         | Ålder: för många | Tid som aktuell: saknas | Tid som aktuell: för många |\n\
         | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n\
         | =HYPERLINK(\"http://x\") | @SUM(A1) | -2+3 | 1 | 0 | 1 | 0 | 2 | 1 |  |  |  |  |  |  | 0 | 2 | 1 | 0 | 1 | 0 |\n\
         | &lt;script&gt;alert(1)&lt;/script&gt; | &lt;img src=x onerror=alert(1)&gt; \
         | Öst \\| \\[a\\](javascript:x) &amp; &lt;b&gt; | 0 | 0 |  |  |  |  |  |  |  |  |  |  | 0 | 0 | 0 | 0 | 0 | 0 |\n\
         | &lt;script&gt;alert(1)&lt;/script&gt; | @SUM(A1) | tab | 0 | 0 |  |  |  |  |  |  |  |  |  |  | 0 | 0 | 0 | 0 | 0 | 0 |\n\
         | &lt;script&gt;alert(1)&lt;/script&gt; | @SUM(A1) | cr | 0 | 0 |  |  |  |  |  |  |  |  |  |  | 0 | 0 | 0 | 0 | 0 | 0 |\n\
         | &lt;script&gt;alert(1)&lt;/script&gt; | @SUM(A1) | lf | 0 | 0 |  |  |  |  |  |  |  |  |  |  | 0 | 0 | 0 | 0 | 0 | 0 |\n\
         | Totalt |  |  | 1 | 0 | 1 | 0 | 2 | 1 |  |  |  |  |  |  | 0 | 2 | 1 | 0 | 1 | 0 |\n";
    assert_eq!(text, expected);
    for attack in ["<script", "<img", "<svg", "<b>", "[a](javascript"] {
        assert!(!text.contains(attack), "{attack} passed through:\n{text}");
    }
}

/// `check` on a label with ESC, CR and NUL: the terminal gets them as
/// visible escapes, JSON keeps the label exact. The label is written into
/// the database directly, as another tool could (the import may refuse
/// control characters in labels).
#[test]
fn check_shows_control_characters_escaped_and_json_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_db(dir.path());
    let label = "Röd\u{1b}[31m\r\0slut";
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE target_group SET label = ?1", [label])
        .unwrap();
    conn.execute(
        "UPDATE unit SET name = ?1 WHERE name = '-2+3'",
        ["\u{1b}]0;titel\u{7}Enhet"],
    )
    .unwrap();
    drop(conn);

    let out = malgrupp()
        .arg("check")
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters reach the terminal: {text:?}"
    );
    let row = "  1. Röd\\u{1b}[31m\\u{d}\\u{0}slut";
    assert_eq!(
        text,
        format!(
            "=HYPERLINK(\"http://x\") · @SUM(A1) · \\u{{1b}}]0;titel\\u{{7}}Enhet\n\
             {row}: kön: över 2\n{row}: ålder: ej angivet\n{row}: tid som aktuell: ej angivet\n\
             \n3 fynd.\n"
        )
    );

    let (json, code) = common::json_of(&db, &["check"]);
    assert_eq!(code, 1);
    let first = &json["findings"][0];
    assert_eq!(first["label"], label);
    assert_eq!(first["unit"], "\u{1b}]0;titel\u{7}Enhet");
}
