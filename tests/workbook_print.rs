//! The workbook as it prints: every sheet A4 landscape, fitted to the page
//! width, its header row repeated, page numbers; the cells a finding is
//! about coloured (not only the findings column); the units' own printed
//! total rows and extra tables included.

mod common;

use std::io::Read;

use calamine::{Data, Reader, open_workbook_auto};
use common::{export, imported, sample};

fn part(xlsx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The style index of cell `r` in a sheet's XML ("" for none).
fn style(sheet: &str, r: &str) -> String {
    let at = sheet
        .find(&format!("<c r=\"{r}\""))
        .unwrap_or_else(|| panic!("cell {r}"));
    let tag = &sheet[at..at + sheet[at..].find('>').unwrap()];
    tag.split(" s=\"")
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .unwrap_or_default()
}

#[test]
fn every_sheet_prints_landscape_fitted_with_its_header_repeated() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let xlsx = export(&db, &dir.path().join("rapport.xlsx"), &[]);
    let workbook = part(&xlsx, "xl/workbook.xml");
    for n in 1..=7 {
        let sheet = part(&xlsx, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(
            sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "sheet {n}"
        );
        assert!(
            sheet
                .contains("<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\""),
            "sheet {n}: A4 landscape, one page wide"
        );
        assert!(sheet.contains("<oddFooter>&amp;C&amp;P / &amp;N</oddFooter>"));
        assert!(
            workbook.contains(&format!("localSheetId=\"{}\"", n - 1)),
            "sheet {n}: print titles"
        );
    }
    assert_eq!(workbook.matches("name=\"_xlnm.Print_Titles\"").count(), 7);
    assert!(workbook.contains("Målgrupper!$1:$1"));
}

#[test]
fn finding_cells_are_coloured_and_units_own_totals_and_tables_included() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let path = dir.path().join("rapport.xlsx");
    let xlsx = export(&db, &path, &[]);
    // Målgrupper, row 2: Socialförvaltningen Hällefors' "Frisk, arbetsförd",
    // its age split 2 over the count. Columns: A–G who and count, H–I sex,
    // J–M age, …, V the findings.
    let groups = part(&xlsx, "xl/worksheets/sheet4.xml");
    let finding = style(&groups, "V2");
    assert!(!finding.is_empty(), "the findings column is coloured");
    for cell in ["J2", "K2", "L2", "M2"] {
        assert_eq!(style(&groups, cell), finding, "{cell}: an age cell");
    }
    for cell in ["F2", "H2", "I2", "N2"] {
        assert_ne!(style(&groups, cell), finding, "{cell}: no finding");
    }

    let mut book = open_workbook_auto(&path).unwrap();
    let printed = book.worksheet_range("Enheternas totalrader").unwrap();
    let rows: Vec<Vec<String>> = printed
        .rows()
        .map(|r| r.iter().map(|d| d.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0][..5],
        ["Kommun/område", "Myndighet", "Enhet", "Rad", "Antal"]
    );
    let labels: Vec<&str> = rows[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(
        labels,
        [
            "Enhetens totalrad",
            "Summa av målgrupperna",
            "Enhetens totalrad",
            "Summa av målgrupperna"
        ],
        "Hällefors and Nora printed totals"
    );
    let tables = book.worksheet_range("Enheternas tabeller").unwrap();
    let titles = tables
        .rows()
        .filter(|r| {
            matches!(&r[0], Data::String(s) if s.contains("Inskrivningstid x födelsedecennium och kön"))
        })
        .count();
    assert_eq!(titles, 2, "the units' own tables, as given");
}
