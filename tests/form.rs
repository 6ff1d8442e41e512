//! The response form as a spreadsheet: `malgrupp form` writes it,
//! the test fills it in as a unit would (reading the empty form to find
//! the cells, writing a filled copy), and `malgrupp import-form` reads it
//! back, all or nothing, with the cell named in every refusal.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{imported, malgrupp, sample};
use malgrupp::model::{Dimension, Survey, Unit};
use malgrupp::store::{Access, Store};

fn load(db: &Path) -> Survey {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    store.load(&name).unwrap()
}

fn write_form(db: &Path, unit: &str, out: &Path) {
    malgrupp()
        .args(["form", "--unit", unit, "--out"])
        .arg(out)
        .arg("--db")
        .arg(db)
        .assert()
        .success();
}

/// Every cell of every sheet of a workbook, by sheet name.
type Cells = Vec<(String, HashMap<(u32, u32), Data>)>;

fn read_all(path: &Path) -> Cells {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let cells = range
                .cells()
                .filter(|(_, _, v)| **v != Data::Empty)
                .map(|(r, c, v)| {
                    let (r0, c0) = range.start().unwrap();
                    ((r as u32 + r0, c as u32 + c0), v.clone())
                })
                .collect();
            (name, cells)
        })
        .collect()
}

/// Writes `cells` as a workbook (the filled-in copy of a form).
fn write_all(cells: &Cells, path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, sheet_cells) in cells {
        let sheet = book.add_worksheet().set_name(name).unwrap();
        for ((r, c), v) in sheet_cells {
            let c = *c as u16;
            match v {
                Data::String(s) => sheet.write(*r, c, s.as_str()).map(|_| ()),
                Data::Float(f) => sheet.write(*r, c, *f).map(|_| ()),
                Data::Int(i) => sheet.write(*r, c, *i as f64).map(|_| ()),
                _ => Ok(()),
            }
            .unwrap();
        }
    }
    book.save(path).unwrap();
}

/// A unit's answers written into the empty form's cells, found by their
/// headings as a person would.
fn filled(empty: &Cells, survey: &Survey, unit: &Unit) -> Cells {
    let mut out = empty.clone();
    let sheet = &mut out
        .iter_mut()
        .find(|(n, _)| n == "Svarsformulär")
        .unwrap()
        .1;
    let find = |sheet: &HashMap<(u32, u32), Data>, text: &str| {
        *sheet
            .iter()
            .find(|(_, v)| matches!(v, Data::String(s) if s == text))
            .unwrap_or_else(|| panic!("”{text}” not on the form"))
            .0
    };
    let put = |sheet: &mut HashMap<(u32, u32), Data>, at: (u32, u32), v: Data| {
        sheet.insert(at, v);
    };
    for (heading, value) in [
        ("Hur fungerar samverkan i dag?", &unit.collaboration_today),
        ("Önskade förebyggande insatser", &unit.preventive_measures),
        ("Notering", &unit.note),
    ] {
        // The first "Notering" is the unit's (left column), the other the
        // group table's heading.
        let (r, _) = *sheet
            .iter()
            .find(|((_, c), v)| *c == 0 && matches!(v, Data::String(s) if s == heading))
            .unwrap()
            .0;
        if let Some(v) = value {
            put(sheet, (r, 1), Data::String(v.clone()));
        }
    }
    let (key_row, _) = find(sheet, "Nyckeltal (namn)");
    for (i, k) in unit.key_figures.iter().enumerate() {
        put(
            sheet,
            (key_row + 1 + i as u32, 0),
            Data::String(k.name.clone()),
        );
        put(
            sheet,
            (key_row + 1 + i as u32, 1),
            Data::Float(k.value as f64),
        );
    }
    let (head, _) = find(sheet, "Målgrupp");
    let col = |sheet: &HashMap<(u32, u32), Data>, text: &str| -> u32 {
        sheet
            .iter()
            .find(|((r, _), v)| *r == head && matches!(v, Data::String(s) if s == text))
            .unwrap_or_else(|| panic!("column ”{text}”"))
            .0
            .1
    };
    let layout = survey.layout();
    let headings: Vec<String> = Dimension::ALL
        .into_iter()
        .flat_map(|d| {
            survey.frame.labels(d).iter().map(move |l| match d {
                Dimension::AlsoAt => format!("Aktuell hos {l}"),
                _ => l.clone(),
            })
        })
        .collect();
    assert_eq!(headings.len(), layout.len());
    let write_row = |sheet: &mut HashMap<(u32, u32), Data>, r: u32, row: &malgrupp::model::Row| {
        if let Some(v) = row.count.get() {
            let c = col(sheet, "Antal");
            sheet.insert((r, c), Data::Float(f64::from(v)));
        }
        for (i, h) in headings.iter().enumerate() {
            if let Some(v) = row.cells[i].get() {
                let c = col(sheet, h);
                sheet.insert((r, c), Data::Float(f64::from(v)));
            }
        }
    };
    for (i, g) in unit.groups.iter().enumerate() {
        let r = head + 1 + i as u32;
        let c = col(sheet, "Målgrupp");
        sheet.insert((r, c), Data::String(g.label.clone()));
        write_row(sheet, r, &g.row);
        if g.estimated {
            let c = col(sheet, "Uppskattat (ja/nej)");
            sheet.insert((r, c), Data::String("ja".into()));
        }
        if let Some(n) = &g.note {
            let c = col(sheet, "Notering");
            sheet.insert((r, c), Data::String(n.to_string()));
        }
    }
    if let Some(t) = &unit.reported_totals {
        let (r, _) = find(sheet, "Enhetens egen totalrad (om den finns)");
        write_row(sheet, r, t);
    }
    out
}

fn import_form(db: &Path, unit: &str, form: &Path) -> assert_cmd::assert::Assert {
    malgrupp()
        .arg("import-form")
        .arg(form)
        .args(["--unit", unit, "--db"])
        .arg(db)
        .assert()
}

#[test]
fn every_unit_of_the_sample_goes_through_the_form_and_back_equal() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = load(&db);
    for unit in &original.units {
        let empty_path = dir.path().join("tom.xlsx");
        write_form(&db, &unit.name, &empty_path);
        let empty = read_all(&empty_path);
        // First a form with one answer changed, to see the import write.
        let mut changed = unit.clone();
        let g = changed.groups.iter_mut().find(|g| !g.row.count.is_blank());
        match g {
            Some(g) => g.row.count = malgrupp::model::Cell::new(g.row.count.get().unwrap() + 1),
            None => changed.groups[0].label.push_str(" (ändrad)"),
        }
        let path: PathBuf = dir.path().join("ifylld.xlsx");
        write_all(&filled(&empty, &original, &changed), &path);
        import_form(&db, &unit.name, &path).success();
        let now = load(&db);
        let got = now.units.iter().find(|x| x.name == unit.name).unwrap();
        assert_eq!(
            got.groups
                .iter()
                .map(|g| (&g.label, g.row.count))
                .collect::<Vec<_>>(),
            changed
                .groups
                .iter()
                .map(|g| (&g.label, g.row.count))
                .collect::<Vec<_>>()
        );
        // Then the unit's own answers.
        write_all(&filled(&empty, &original, unit), &path);
        import_form(&db, &unit.name, &path).success();
    }
    assert_eq!(load(&db), original);
}

#[test]
fn an_empty_form_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let path = dir.path().join("tom.xlsx");
    write_form(&db, "Socialförvaltningen Hällefors", &path);
    refused(
        &db,
        &path,
        "Socialförvaltningen Hällefors",
        "formuläret är tomt: inga målgrupper, nyckeltal, svar eller totalrad är ifyllda. Att läsa in det skulle tömma enheten ”Socialförvaltningen Hällefors”",
    );
    assert!(!load(&db).units[0].groups.is_empty());
}

#[test]
fn the_form_has_the_frame_s_columns_a_live_sum_row_and_the_unit_s_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let path = dir.path().join("f.xlsx");
    write_form(&db, "Socialförvaltningen Hällefors", &path);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("Svarsformulär").unwrap();
    let row_of = |text: &str| {
        sheet
            .cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == text))
            .map(|(r, c, _)| (r, c))
            .unwrap_or_else(|| panic!("{text}"))
    };
    let (head, _) = row_of("Målgrupp");
    let names: Vec<String> = (0..24)
        .map(|c| {
            sheet
                .get((head, c))
                .map(|v| v.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        names[..9],
        [
            "Rang",
            "Målgrupp",
            "Antal",
            "Uppskattat (ja/nej)",
            "Män",
            "Kvinnor",
            "16-20",
            "21-30",
            "31-50"
        ]
    );
    assert!(names.contains(&"Aktuell hos Arbetsförmedlingen".to_owned()));
    assert!(row_of("Socialförvaltningen Hällefors").0 < head);
    let formulas = book.worksheet_formula("Svarsformulär").unwrap();
    let sums: Vec<&String> = formulas.used_cells().map(|(_, _, f)| f).collect();
    assert!(sums.iter().any(|f| f.starts_with("SUM(C")), "{sums:?}");
    assert_eq!(
        sums.len(),
        1 + 2 + 4 + 4 + 4,
        "Antal and every category: {sums:?}"
    );

    // Protected, with whole numbers ≥ 0 required in the breakdown cells and
    // ja/nej for estimates (read from the sheet's XML).
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains("<sheetProtection"), "not protected");
    assert!(
        xml.contains(r#"type="whole" operator="greaterThanOrEqual""#),
        "no whole-number validation"
    );
    assert!(xml.contains("\"ja,nej\""), "no ja/nej list");
    let mut id = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut id).unwrap();
    assert!(
        id.contains(r#"name="malgrupp" sheetId="2" state="hidden""#),
        "{id}"
    );
}

fn refused(db: &Path, form: &Path, unit: &str, message: &str) {
    let before = std::fs::read(db).unwrap();
    import_form(db, unit, form)
        .code(2)
        .stderr(predicates::str::contains(message));
    assert_eq!(std::fs::read(db).unwrap(), before, "the database changed");
}

#[test]
fn forms_from_elsewhere_moved_columns_and_text_in_numbers_are_refused_by_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let survey = load(&db);
    let unit = &survey.units[0];
    let empty_path = dir.path().join("tom.xlsx");
    write_form(&db, &unit.name, &empty_path);
    let empty = read_all(&empty_path);
    let form = filled(&empty, &survey, unit);

    // Text in a number cell.
    let mut bad = form.clone();
    let sheet = &mut bad[0].1;
    let (head, _) = *sheet
        .iter()
        .find(|(_, v)| matches!(v, Data::String(s) if s == "Män"))
        .unwrap()
        .0;
    let men = sheet
        .iter()
        .find(|(_, v)| matches!(v, Data::String(s) if s == "Män"))
        .map(|((_, c), _)| *c)
        .unwrap();
    sheet.insert((head + 1, men), Data::String("12a".into()));
    let path = dir.path().join("text.xlsx");
    write_all(&bad, &path);
    let cell = format!(
        "Svarsformulär!{}{} (rang 1, Män)",
        (b'A' + men as u8) as char,
        head + 2
    );
    refused(
        &db,
        &path,
        &unit.name,
        &format!("{cell}: ”12a” är inte ett heltal"),
    );

    // A moved column: Män and Kvinnor swapped, headings and all.
    let mut moved = form.clone();
    let sheet = &mut moved[0].1;
    let column: Vec<((u32, u32), Data)> = sheet
        .iter()
        .filter(|((_, c), _)| *c == men || *c == men + 1)
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    for ((r, c), v) in column {
        let other = if c == men { men + 1 } else { men };
        sheet.insert((r, other), v);
    }
    let path = dir.path().join("moved.xlsx");
    write_all(&moved, &path);
    refused(
        &db,
        &path,
        &unit.name,
        "kolumnen ska vara ”Män” men är ”Kvinnor”",
    );

    // A form of another survey, and of another unit.
    let other_doc = common::generated(
        dir.path(),
        "annan.json",
        &[
            "--municipalities",
            "1",
            "--units",
            "1",
            "--groups",
            "2",
            "--name",
            "Annan kartläggning",
        ],
    );
    let other_dir = dir.path().join("annan");
    std::fs::create_dir(&other_dir).unwrap();
    let other_db = imported(&other_dir, &other_doc);
    let other_unit = load(&other_db).units[0].name.clone();
    let other_form = dir.path().join("annan.xlsx");
    write_form(&other_db, &other_unit, &other_form);
    refused(
        &db,
        &other_form,
        &unit.name,
        "formuläret hör till kartläggningen ”Annan kartläggning”",
    );
    refused(
        &db,
        &empty_path,
        &survey.units[1].name,
        "formuläret är för enheten ”Socialförvaltningen Hällefors”",
    );
    // Not a form at all.
    refused(
        &db,
        &sample(),
        &unit.name,
        "är ingen Excel-arbetsbok (xlsx)",
    );
}

#[test]
fn a_form_read_back_keeps_the_groups_themes() {
    // The form has no theme column: each group keeps its themes by name.
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &common::fixture("themes.json"));
    let original = load(&db);
    // Försäkringskassan Hällefors: a group with two themes, one with one.
    let unit = &original.units[3];
    assert_eq!(unit.groups[0].themes.len(), 2);
    let empty_path = dir.path().join("tom.xlsx");
    write_form(&db, &unit.name, &empty_path);
    let empty = read_all(&empty_path);
    let path = dir.path().join("ifylld.xlsx");
    write_all(&filled(&empty, &original, unit), &path);
    import_form(&db, &unit.name, &path).success();
    assert_eq!(load(&db), original);
}
