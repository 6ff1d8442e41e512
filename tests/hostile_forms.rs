//! Workbooks made to hurt `malgrupp import-form`: cells at the sheet's far
//! corner, absurd shared-string counts, references no spreadsheet writes,
//! parts that unpack to far more than a form, labels the document import
//! refuses, formulas without results, an empty form. Each starts from a
//! real form (`malgrupp form`), changed inside its zip as an attacker (or
//! a careless program) would. Every one is refused with a Swedish message
//! naming the place, in a clean exit, and leaves the database as it was.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::{imported, malgrupp, sample};
use malgrupp::store::{Access, Store};

const UNIT: &str = "Socialförvaltningen Hällefors";
const SHEET: &str = "xl/worksheets/sheet1.xml";

struct Setup {
    dir: tempfile::TempDir,
    db: PathBuf,
    /// The empty form's parts, in zip order.
    parts: Vec<(String, Vec<u8>)>,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let form = dir.path().join("tom.xlsx");
    malgrupp()
        .args(["form", "--unit", UNIT, "--out"])
        .arg(&form)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&form).unwrap()).unwrap();
    let parts = (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().into_owned(), bytes)
        })
        .collect();
    Setup { dir, db, parts }
}

/// What goes into a cell.
enum V<'a> {
    Text(&'a str),
    Number(&'a str),
    /// A formula and its saved result, if any.
    Formula(&'a str, Option<&'a str>),
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Puts `v` into the (blank, formatted) cell `at` of the sheet's XML.
fn set_cell(xml: &str, at: &str, v: &V) -> String {
    let start = xml
        .find(&format!("<c r=\"{at}\" "))
        .unwrap_or_else(|| panic!("no blank cell {at} in the form"));
    let end = start + xml[start..].find("/>").unwrap();
    let style = &xml[start..end];
    let inner = match v {
        V::Text(s) => format!(" t=\"inlineStr\"><is><t>{}</t></is></c>", escape(s)),
        V::Number(n) => format!("><v>{n}</v></c>"),
        V::Formula(f, None) => format!("><f>{}</f></c>", escape(f)),
        V::Formula(f, Some(v)) => format!("><f>{}</f><v>{v}</v></c>", escape(f)),
    };
    format!("{}{}{}", &xml[..start], style, inner) + &xml[end + 2..]
}

/// The form's first group: "Unga vuxna", 12 people (rank 1 is row 23).
const FIRST_GROUP: [(&str, V<'static>); 2] =
    [("B23", V::Text("Unga vuxna")), ("C23", V::Number("12"))];

/// The parts with `cells` filled in on the form's sheet.
fn filled(parts: &[(String, Vec<u8>)], cells: &[(&str, V)]) -> Vec<(String, Vec<u8>)> {
    let mut parts = parts.to_vec();
    let sheet = &mut parts.iter_mut().find(|(n, _)| n == SHEET).unwrap().1;
    let mut xml = String::from_utf8(sheet.clone()).unwrap();
    for (at, v) in cells {
        xml = set_cell(&xml, at, v);
    }
    *sheet = xml.into_bytes();
    parts
}

/// Changes one part's text.
fn edit(parts: &mut [(String, Vec<u8>)], name: &str, change: impl FnOnce(String) -> String) {
    let part = &mut parts.iter_mut().find(|(n, _)| n == name).unwrap().1;
    *part = change(String::from_utf8(part.clone()).unwrap()).into_bytes();
}

/// Writes the parts as a workbook in the test's folder.
fn write(s: &Setup, file: &str, parts: &[(String, Vec<u8>)]) -> PathBuf {
    let path = s.dir.path().join(file);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

fn import_form(db: &Path, form: &Path) -> std::process::Output {
    malgrupp()
        .arg("import-form")
        .arg(form)
        .args(["--unit", UNIT, "--db"])
        .arg(db)
        .output()
        .unwrap()
}

/// Refused in a clean exit (2, not a panic's 101 or an abort's signal)
/// with `message` on stderr, the database byte for byte as it was.
fn refused(s: &Setup, form: &Path, message: &str) {
    let before = std::fs::read(&s.db).unwrap();
    let out = import_form(&s.db, form);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{:?}: {stderr}", out.status);
    assert!(
        stderr.contains(message),
        "expected «{message}» in «{stderr}»"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        std::fs::read(&s.db).unwrap(),
        before,
        "the database changed"
    );
}

/// Read in; the stderr.
fn accepted(s: &Setup, form: &Path) -> String {
    let out = import_form(&s.db, form);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    stderr
}

fn unit(db: &Path) -> malgrupp::model::Unit {
    let store = Store::open(db, Access::ReadOnly).unwrap();
    let name = store.resolve_survey(None).unwrap();
    let survey = store.load(&name).unwrap();
    survey.units.into_iter().find(|u| u.name == UNIT).unwrap()
}

#[test]
fn a_form_changed_inside_its_zip_is_read_like_one_filled_in() {
    // The baseline for the others: the way they are built makes a good form.
    let s = setup();
    let form = write(&s, "ifylld.xlsx", &filled(&s.parts, &FIRST_GROUP));
    accepted(&s, &form);
    let u = unit(&s.db);
    assert_eq!(u.groups.len(), 1);
    assert_eq!(u.groups[0].label, "Unga vuxna");
    assert_eq!(u.groups[0].row.count.get(), Some(12));
}

#[test]
fn a_cell_at_the_sheet_s_far_corner_is_refused_not_an_abort() {
    // Once: "memory allocation of 549755813888 bytes failed", SIGABRT.
    let s = setup();
    let mut parts = filled(&s.parts, &FIRST_GROUP);
    edit(&mut parts, SHEET, |xml| {
        xml.replace(
            "<dimension ref=\"A1:S39\"/>",
            "<dimension ref=\"A1:XFD1048576\"/>",
        )
        .replace(
            "</sheetData>",
            "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row></sheetData>",
        )
    });
    let form = write(&s, "hörn.xlsx", &parts);
    refused(
        &s,
        &form,
        "(delen xl/worksheets/sheet1.xml): cellen XFD1048576 ligger utanför svarsformulärets yta",
    );
}

#[test]
fn a_shared_string_count_beyond_memory_is_refused_not_a_panic() {
    // Once: "capacity overflow" (u64::MAX) or an abort (10^12 strings).
    let s = setup();
    for count in [
        "18446744073709551615",
        "1000000000000",
        "99999999999999999999999",
    ] {
        let mut parts = filled(&s.parts, &FIRST_GROUP);
        edit(&mut parts, "xl/sharedStrings.xml", |xml| {
            xml.replace("uniqueCount=\"39\"", &format!("uniqueCount=\"{count}\""))
        });
        let form = write(&s, "texter.xlsx", &parts);
        refused(&s, &form, "(delen xl/sharedStrings.xml): uppger ");
    }
}

#[test]
fn references_no_spreadsheet_writes_are_refused_not_a_panic() {
    let s = setup();
    for (from, to) in [
        // Once: "attempt to subtract with overflow".
        ("<dimension ref=\"A1:S39\"/>", "<dimension ref=\"S39:A1\"/>"),
        // Once: "attempt to multiply with overflow".
        ("<c r=\"D23\" ", "<c r=\"AAAAAAAAAAAAAA23\" "),
        ("<row r=\"23\" ", "<row r=\"99999999999\" "),
    ] {
        let mut parts = filled(&s.parts, &FIRST_GROUP);
        edit(&mut parts, SHEET, |xml| {
            assert!(xml.contains(from), "{from}");
            xml.replace(from, to)
        });
        let form = write(&s, "referens.xlsx", &parts);
        refused(&s, &form, "är ingen cellreferens som Excel skriver");
    }
}

#[test]
fn a_sheet_that_unpacks_to_far_more_than_a_form_is_refused() {
    // Blanks between the rows: valid XML, 20 MB unpacked, 20 kB packed.
    let s = setup();
    let mut parts = filled(&s.parts, &FIRST_GROUP);
    edit(&mut parts, SHEET, |xml| {
        xml.replace("<row r=\"23\" ", &(" ".repeat(20 << 20) + "<row r=\"23\" "))
    });
    let form = write(&s, "blanksteg.xlsx", &parts);
    refused(
        &s,
        &form,
        "(delen xl/worksheets/sheet1.xml): packas upp till 20 MB (högst ",
    );
}

#[test]
fn a_part_larger_than_the_zip_says_is_stopped_where_it_says() {
    // The zip's two directories claim the 20 MB sheet is 12 kB.
    let s = setup();
    let mut parts = filled(&s.parts, &FIRST_GROUP);
    edit(&mut parts, SHEET, |xml| {
        xml.replace("<row r=\"23\" ", &(" ".repeat(20 << 20) + "<row r=\"23\" "))
    });
    let form = write(&s, "lögn.xlsx", &parts);
    let mut bytes = std::fs::read(&form).unwrap();
    let mut patched = 0;
    for (signature, size_at, name_len_at, header) in
        [(b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)]
    {
        let mut i = 0;
        while let Some(k) = bytes[i..].windows(4).position(|w| w == signature) {
            let at = i + k;
            let n = u16::from_le_bytes([bytes[at + name_len_at], bytes[at + name_len_at + 1]]);
            if &bytes[at + header..at + header + n as usize] == SHEET.as_bytes() {
                bytes[at + size_at..at + size_at + 4].copy_from_slice(&12_223u32.to_le_bytes());
                patched += 1;
            }
            i = at + 4;
        }
    }
    assert_eq!(patched, 2);
    std::fs::write(&form, bytes).unwrap();
    refused(
        &s,
        &form,
        "(delen xl/worksheets/sheet1.xml): kunde inte packas upp: delen är trasig, eller större än arbetsboken själv uppger",
    );
}

#[test]
fn a_part_that_unpacks_a_thousand_times_its_size_is_refused() {
    let s = setup();
    let mut parts = filled(&s.parts, &FIRST_GROUP);
    parts.push((
        "customXml/item1.xml".to_owned(),
        format!("<a>{}</a>", "x".repeat(3 << 20)).into_bytes(),
    ));
    let form = write(&s, "packad.xlsx", &parts);
    refused(&s, &form, "(delen customXml/item1.xml): packas upp till ");
}

#[test]
fn the_form_takes_only_what_the_document_takes() {
    let s = setup();
    let long = "å".repeat(1001);
    for (cells, message) in [
        (
            vec![("B23", V::Text(&long)), ("C23", V::Number("3"))],
            "Svarsformulär!B23 (rang 1, Målgrupp): texten är för lång (1001 tecken, högst 1000)",
        ),
        (
            vec![
                ("A11", V::Text("Listade personer")),
                ("B11", V::Number("7711")),
                ("A12", V::Text("Listade personer")),
                ("B12", V::Number("12")),
            ],
            "Svarsformulär!A12 (nyckeltalets namn): nyckeltalet ”Listade personer” står två gånger",
        ),
        (
            vec![("B23", V::Text("\u{200B}")), ("C23", V::Number("3"))],
            "Svarsformulär!B23 (rang 1, Målgrupp): får inte vara tom",
        ),
        (
            vec![
                ("B23", V::Text("Unga\u{a0}\u{2060} ")),
                ("B24", V::Text(" \u{FEFF}")),
            ],
            "Svarsformulär!B24 (rang 2, Målgrupp): får inte vara tom",
        ),
        (
            vec![
                ("B23", V::Text("Unga _x001B_[2J vuxna")),
                ("C23", V::Number("3")),
            ],
            "Svarsformulär!B23 (rang 1, Målgrupp): innehåller ett styrtecken (U+001B)",
        ),
        (
            vec![("B23", V::Text("Unga vuxna")), ("C23", V::Number("1e-400"))],
            "(delen xl/worksheets/sheet1.xml): cellen C23 har talet 1e-400, som skulle läsas som 0",
        ),
        (
            vec![
                ("B23", V::Text("Unga")),
                ("S23", V::Text("not _x0000_ här")),
            ],
            "Svarsformulär!S23 (rang 1, Notering): innehåller ett styrtecken (U+0000)",
        ),
    ] {
        let form = write(&s, "regler.xlsx", &filled(&s.parts, &cells));
        refused(&s, &form, message);
    }
}

#[test]
fn a_formula_without_a_saved_result_is_refused_by_its_cell() {
    // Once: stored as blank, silently.
    let s = setup();
    let form = write(
        &s,
        "formel.xlsx",
        &filled(
            &s.parts,
            &[
                ("B23", V::Text("Unga vuxna")),
                ("C23", V::Formula("5+7", None)),
            ],
        ),
    );
    refused(
        &s,
        &form,
        "Svarsformulär!C23 (rang 1, Antal): formel utan beräknat värde",
    );
}

#[test]
fn a_formula_s_saved_result_is_used_and_said() {
    let s = setup();
    let form = write(
        &s,
        "formel.xlsx",
        &filled(
            &s.parts,
            &[
                ("B23", V::Text("Unga vuxna")),
                ("C23", V::Formula("5+7", Some("12"))),
            ],
        ),
    );
    let stderr = accepted(&s, &form);
    assert!(
        stderr.contains(
            "Obs: Svarsformulär!C23 (rang 1, Antal): cellen har en formel; dess sparade värde ”12” lästes in"
        ),
        "{stderr}"
    );
    assert_eq!(unit(&s.db).groups[0].row.count.get(), Some(12));
}
