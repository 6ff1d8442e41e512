//! The response form pre-filled with a unit's current answers (for the unit
//! to correct rather than retype) reads back as the same unit; and every
//! form prints on at most two A4 landscape pages, the group table on its
//! own page with its headers.

mod common;

use std::io::Read;
use std::path::Path;

use common::{imported, malgrupp, sample};
use malgrupp::model::Survey;
use malgrupp::store::{Access, Store};

fn load(db: &Path) -> Survey {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    store.load(&name).unwrap()
}

fn part(xlsx: &Path, name: &str) -> String {
    let file = std::fs::File::open(xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn prefilled_form_reads_back_as_the_same_unit() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = load(&db);
    for unit in [
        "Socialförvaltningen Hällefors",
        "Vårdcentralen Hällefors",
        "Försäkringskassan Nora, rehabiliteringshandläggare för sjukfall över 2 år",
    ] {
        let form = dir.path().join(format!("{unit}.xlsx"));
        malgrupp()
            .args([
                "form",
                "--prefill",
                "--groups",
                "2",
                "--unit",
                unit,
                "--out",
            ])
            .arg(&form)
            .arg("--db")
            .arg(&db)
            .assert()
            .success();
        malgrupp()
            .arg("import-form")
            .arg(&form)
            .args(["--unit", unit, "--db"])
            .arg(&db)
            .assert()
            .success();
        let after = load(&db);
        let find = |s: &Survey| s.units.iter().find(|u| u.name == unit).unwrap().clone();
        assert_eq!(
            find(&after),
            find(&before),
            "{unit}: unchanged by the round trip"
        );
    }
    // Without --prefill the form stays empty.
    let empty = dir.path().join("tom.xlsx");
    malgrupp()
        .args(["form", "--unit", "Socialförvaltningen Hällefors", "--out"])
        .arg(&empty)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let strings = part(&empty, "xl/sharedStrings.xml");
    assert!(!strings.contains("Frisk, arbetsförd"));
}

#[test]
fn form_prints_on_two_landscape_pages() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let form = dir.path().join("form.xlsx");
    malgrupp()
        .args(["form", "--unit", "Socialförvaltningen Hällefors", "--out"])
        .arg(&form)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let sheet = part(&form, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"));
    let setup = &sheet[sheet.find("<pageSetup ").unwrap()..];
    let setup = &setup[..setup.find("/>").unwrap()];
    assert!(setup.contains("paperSize=\"9\""), "A4: {setup}");
    assert!(setup.contains("orientation=\"landscape\""), "{setup}");
    // One page wide; the manual break makes two pages.
    assert!(setup.contains("fitToHeight=\"0\""), "{setup}");
    // The group table starts the second page (row 21: its dimension names).
    assert!(sheet.contains("<rowBreaks count=\"1\" manualBreakCount=\"1\"><brk id=\"20\""));
    let book = part(&form, "xl/workbook.xml");
    assert!(
        book.contains("Svarsformulär!$21:$22"),
        "headers on every page"
    );
    assert!(book.contains("_xlnm.Print_Area"));
}
