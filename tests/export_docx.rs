//! The Word report on the real sample, read back as a docx reader would:
//! headings with the built-in styles in order, a table-of-contents field,
//! real tables with a repeating header row whose numbers equal `summary`,
//! the charts as PNG images, page numbers, A4; and, where LibreOffice is
//! installed, converted to PDF without complaint.

mod common;

use std::io::Read;

use common::{export, export_cmd, imported, json_of, sample};
use quick_xml::events::Event;

/// A paragraph (style, text) or a table (rows of cell texts), in order.
#[derive(Debug)]
enum Item {
    Para(String, String),
    Table(Vec<Vec<String>>),
}

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut f = zip
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the docx"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

fn names(docx: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    zip.file_names()
        .map(|n| n.expect("a UTF-8 name").into_owned())
        .collect()
}

/// The body of `word/document.xml` as paragraphs and tables.
fn body(xml: &str) -> Vec<Item> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut items = Vec::new();
    let (mut style, mut text) = (String::new(), String::new());
    let mut table: Option<Vec<Vec<String>>> = None;
    let mut in_text = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "pStyle" => {
                if let Some(a) = e.try_get_attribute("w:val").unwrap() {
                    style = a.value.to_string();
                }
            }
            Event::Start(e) => match e.local_name().as_ref() {
                "p" => {
                    style.clear();
                    text.clear();
                }
                "t" => in_text = true,
                "tbl" => table = Some(Vec::new()),
                "tr" => table.as_mut().unwrap().push(Vec::new()),
                "tc" => table
                    .as_mut()
                    .unwrap()
                    .last_mut()
                    .unwrap()
                    .push(String::new()),
                _ => {}
            },
            Event::Text(t) if in_text => text.push_str(t.as_ref()),
            Event::GeneralRef(r) if in_text => text.push(match r.as_ref() {
                "quot" => '"',
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                _ => '\'',
            }),
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => match table.as_mut() {
                    Some(t) => {
                        let cell = t.last_mut().unwrap().last_mut().unwrap();
                        cell.push_str(&text);
                    }
                    None => items.push(Item::Para(style.clone(), text.clone())),
                },
                "tbl" => items.push(Item::Table(table.take().unwrap())),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    items
}

fn headings(items: &[Item]) -> Vec<(u8, &str)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Para(s, t) => s
                .strip_prefix("Heading")
                .and_then(|n| n.parse().ok())
                .map(|n| (n, t.as_str())),
            _ => None,
        })
        .collect()
}

/// The table printed after the heading `title` and the block `block`.
fn table_after<'a>(items: &'a [Item], title: &str, block: &str) -> &'a [Vec<String>] {
    let start = items
        .iter()
        .position(|i| matches!(i, Item::Para(s, t) if t == title && s.starts_with("Heading")))
        .unwrap_or_else(|| panic!("«{title}»"));
    let at = items[start..]
        .iter()
        .position(|i| matches!(i, Item::Para(_, t) if t == block))
        .unwrap_or_else(|| panic!("«{block}» after «{title}»"));
    match items[start + at..]
        .iter()
        .find(|i| matches!(i, Item::Table(_)))
    {
        Some(Item::Table(t)) => t,
        _ => panic!("a table after «{block}»"),
    }
}

/// A number cell as printed ("ca 375", "43 500") back to a number.
fn number(cell: &str) -> Option<u64> {
    let digits: String = cell
        .trim_start_matches("ca ")
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

#[test]
fn word_report_has_styles_toc_tables_images_and_page_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    // By the ending …
    let docx = export(&db, &dir.path().join("rapport.docx"), &[]);
    // … and by the flag, whatever the name.
    export_cmd(&db, &dir.path().join("rapport.bin"), &["--format", "docx"])
        .assert()
        .success();
    assert!(
        std::fs::read(dir.path().join("rapport.bin"))
            .unwrap()
            .starts_with(b"PK")
    );

    let xml = part(&docx, "word/document.xml");
    let items = body(&xml);
    let survey = malgrupp::import::json::read_file(&sample()).unwrap();

    // Headings in order, with the built-in styles Word's TOC uses.
    let h = headings(&items);
    let level1: Vec<&str> = h.iter().filter(|(l, _)| *l == 1).map(|x| x.1).collect();
    assert_eq!(
        level1,
        [
            "Sammanfattning",
            "Hällefors",
            "Nora",
            "Hela Norra länsdelen",
            "Hela kartläggningen"
        ]
    );
    let level2: Vec<&str> = h.iter().filter(|(l, _)| *l == 2).map(|x| x.1).collect();
    let units: Vec<&str> = survey.units.iter().map(|u| u.name.as_str()).collect();
    let in_order: Vec<&str> = level2
        .iter()
        .copied()
        .filter(|t| units.contains(t))
        .collect();
    assert_eq!(in_order, units, "every unit, in the survey's order");
    assert!(level2.ends_with(&[
        "Per kommun och område",
        "Per myndighet",
        "Per kommun och myndighet",
        "Diagram"
    ]));
    assert!(h.contains(&(3, "Samverkan i dag")));
    let styles = part(&docx, "word/styles.xml");
    for n in 1..=3 {
        assert!(
            styles.contains(&format!("<w:name w:val=\"heading {n}\" />")),
            "built-in heading {n}"
        );
    }

    // A table-of-contents field that LibreOffice and Word read.
    assert!(xml.contains(
        "<w:instrText xml:space=\"preserve\"> TOC \\o &quot;1-3&quot; \\h \\z \\u </w:instrText>"
    ));
    assert!(xml.contains("<w:docPartGallery w:val=\"Table of Contents\" />"));
    assert!(!xml.contains("w14:paraId"), "no repeated paragraph ids");

    // Every table's first row repeats on each page; no other row does.
    let tables = xml.matches("<w:tbl>").count();
    assert!(tables > 20, "{tables} tables");
    assert_eq!(xml.matches("<w:tblHeader />").count(), tables);

    // The unit's notes and its rows' findings as sentences.
    for sentence in [
        "Notering! Det saknas 2 individer i fördelningen på ålder/tid som aktuell.",
        "– Målgrupp 1: åldersfördelningen har 2 personer fler än gruppens 48.",
    ] {
        assert!(
            items
                .iter()
                .any(|i| matches!(i, Item::Para(_, t) if t == sentence)),
            "«{sentence}»"
        );
    }

    // The charts as PNG images, page numbers in the footer, A4.
    let media: Vec<String> = names(&docx)
        .into_iter()
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .collect();
    assert_eq!(media.len(), 5, "{media:?}");
    let footers: String = names(&docx)
        .iter()
        .filter(|n| n.starts_with("word/footer"))
        .map(|n| part(&docx, n))
        .collect();
    assert!(footers.contains("PAGE"), "page numbers");
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\""), "A4");
}

#[test]
fn word_tables_equal_summary() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let docx = export(&db, &dir.path().join("rapport.docx"), &[]);
    let items = body(&part(&docx, "word/document.xml"));
    let (summary, code) = json_of(&db, &["summary", "--by", "municipality"]);
    assert_eq!(code, 0);
    let rows = summary["rows"].as_array().unwrap();

    let people = table_after(&items, "Per kommun och område", "Målgrupper och personer");
    assert_eq!(
        people[0],
        [
            "Kommun/område",
            "Målgrupper",
            "Utan antal",
            "Personer",
            "Varav uppskattat"
        ]
    );
    let sex = table_after(&items, "Per kommun och område", "Kön");
    assert_eq!(
        people.len(),
        rows.len() + 2,
        "header, a row per place, total"
    );
    for (i, row) in rows.iter().enumerate() {
        let name = row["municipality"]
            .as_str()
            .or(row["area"].as_str())
            .unwrap();
        let line = &people[i + 1];
        assert_eq!(line[0], name);
        if row["groups"] == 0 {
            assert_eq!(line[1], "inga enheter", "{name}: no rows of zeros");
            assert!(line[2..].iter().all(String::is_empty));
            continue;
        }
        let n = |k: &str| row[k].as_u64();
        assert_eq!(number(&line[1]), n("groups"), "{name}");
        assert_eq!(number(&line[2]), n("groups_without_count"), "{name}");
        assert_eq!(number(&line[3]), n("count"), "{name}");
        assert_eq!(number(&line[4]), n("estimated"), "{name}");
        assert_eq!(
            line[3].starts_with("ca "),
            n("estimated") > Some(0),
            "{name}"
        );
        let sexes = row["sex"].as_array().unwrap();
        for (k, v) in sexes.iter().enumerate() {
            // Blank where no group gave the cell: summary says 0 there.
            let cell = &sex[i + 1][k + 1];
            assert_eq!(
                number(cell).unwrap_or(0),
                v.as_u64().unwrap(),
                "{name} sex {k}"
            );
        }
        let missing = &row["missing"]["sex"];
        assert_eq!(number(&sex[i + 1][sexes.len() + 1]), missing.as_u64());
    }
    // The region-wide unit gave no split by sex: blank, not 0.
    let area = sex.iter().find(|r| r[0] == "Hela Norra länsdelen").unwrap();
    assert_eq!((area[1].as_str(), area[2].as_str()), ("", ""));
    let total = people.last().unwrap();
    assert_eq!(total[0], "Totalt");
    assert_eq!(number(&total[3]), summary["total"]["count"].as_u64());
    assert_eq!(total[3], format!("ca {}", summary["total"]["count"]));
}

#[test]
fn word_report_converts_in_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let docx = dir.path().join("rapport.docx");
    export(&db, &docx, &[]);
    let Some(pdf) = common::soffice_convert(&docx, "pdf", dir.path()) else {
        return;
    };
    let pdf = std::fs::read(pdf).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF"));
    let pages = count_pages(&pdf);
    assert!((10..40).contains(&pages), "{pages} pages");
}

/// Pages of a PDF: its `/Type /Page` objects.
fn count_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf).replace("/Type /Page", "/Type/Page");
    text.matches("/Type/Page").count() - text.matches("/Type/Pages").count()
}
