//! The Word report with hostile text in a unit's name and a group's label
//! (markup, `]]>`, a control character XML forbids, Swedish letters, 5,000
//! characters): the document stays well-formed, a docx reader reads the
//! text back exactly (the control character written visibly as `\u{1}`,
//! as the terminal output writes it), and LibreOffice, where installed,
//! opens it and finds the same text.

mod common;

use std::io::Read;

use common::{export, imported, sample};
use quick_xml::events::Event;

/// Every `w:t`'s text of `word/document.xml`, one string per paragraph.
fn paragraphs(docx: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut out, mut text, mut in_text) = (Vec::new(), String::new(), false);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == "t" => in_text = false,
            Event::End(e) if e.local_name().as_ref() == "p" => out.push(std::mem::take(&mut text)),
            Event::Text(t) if in_text => text.push_str(t.as_ref()),
            Event::GeneralRef(r) if in_text => text.push(match r.as_ref() {
                "quot" => '"',
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "apos" => '\'',
                other => panic!("an unexpected reference &{other};"),
            }),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn hostile_names_and_labels_read_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let unit = "Enhet <b>&amp; ]]> \u{1}åäö ÅÄÖ";
    let label = format!(
        "<w:t>]]>&lt; \"citat\" 'apostrof' \u{1}åäö{}",
        "Lång etikett med å ä ö. ".repeat(209)
    );
    assert!(label.chars().count() >= 5_000);
    // Written into the file directly, as another tool could: the import
    // refuses control characters in names.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n = conn
        .execute(
            "UPDATE unit SET name = ?1 WHERE name = 'Socialförvaltningen Hällefors'",
            [unit],
        )
        .unwrap();
    assert_eq!(n, 1);
    let n = conn
        .execute(
            "UPDATE target_group SET label = ?1 WHERE label = 'Frisk, arbetsförd'",
            [&label],
        )
        .unwrap();
    assert_eq!(n, 1);
    drop(conn);

    let path = dir.path().join("fientlig.docx");
    let docx = export(&db, &path, &[]);
    let texts = paragraphs(&docx);
    let visible = |s: &str| s.replace('\u{1}', "\\u{1}");
    // The heading, its entry in the table of contents, and the label's
    // cell in each of the unit's three tables.
    assert_eq!(texts.iter().filter(|t| **t == visible(unit)).count(), 2);
    assert_eq!(texts.iter().filter(|t| **t == visible(&label)).count(), 3);
    assert!(!texts.iter().any(|t| t.contains('\u{1}')));

    let Some(txt) = common::soffice_convert(&path, "txt:Text", dir.path()) else {
        return;
    };
    let text = std::fs::read_to_string(txt).expect("the text LibreOffice read");
    assert!(text.contains(&visible(unit)), "the unit's name");
    assert!(text.contains(&visible(&label)), "the 5,000-character label");
}
