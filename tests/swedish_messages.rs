//! The last English from the libraries, and the wrong words around the
//! Swedish ones (issue 9 §7): workbooks that are no workbooks, documents of
//! the wrong shape, the database's own errors, a path named twice, an
//! output that "could not be read".

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Output;

use common::{imported, malgrupp, sample};

/// Words of the libraries' English texts (calamine, zip, quick-xml, serde,
/// SQLite).
const ENGLISH: [&str; 24] = [
    "error",
    "Error",
    "not found",
    "No such",
    "invalid",
    "Invalid",
    "expected",
    "missing field",
    "unknown",
    "variant",
    "type:",
    "found",
    "archive",
    "Could not",
    "syntax",
    "database",
    "locked",
    "readonly",
    "constraint",
    "failed",
    "disk",
    "file is not",
    "attempt",
    "tag",
];

fn assert_no_english(text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "English «{word}» in: {text}");
    }
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn an_output_under_a_file_used_as_a_folder_could_not_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let file = dir.path().join("en-fil.txt");
    std::fs::write(&file, "text").unwrap();
    let out = file.join("summor.csv");
    let output = common::export_cmd(&db, &out, &[]).output().unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "malgrupp: kunde inte skriva {}: en del av sökvägen är ingen mapp\n",
            out.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "text");
}

#[test]
fn the_app_names_a_document_it_cannot_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut app = malgrupp::ui::App::with_settings(
        &egui::Context::default(),
        malgrupp::ui::app::Settings::default(),
        Some(db.clone()),
    );
    let missing = dir.path().join("finns-inte.json");
    app.import_document(&missing, false);
    assert_eq!(
        app.error.as_deref(),
        Some(
            format!(
                "kunde inte läsa {}: filen eller mappen finns inte",
                missing.display()
            )
            .as_str()
        )
    );
    // An error inside the document names the file in front of the place.
    let doc = dir.path().join("fel.json");
    std::fs::write(&doc, "{\"format\": 1} x").unwrap();
    app.import_document(&doc, false);
    let error = app.error.clone().unwrap();
    assert!(
        error.starts_with(&format!("{}: filen är inte giltig JSON", doc.display())),
        "{error}"
    );
}

/// Runs `malgrupp ARGS… --db DB`.
fn run(db: &Path, args: &[&std::ffi::OsStr]) -> Output {
    malgrupp().args(args).arg("--db").arg(db).output().unwrap()
}

/// A zip archive at `path` with `parts` as (name, bytes).
fn zip_of(path: &Path, parts: &[(&str, &[u8])]) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// A copy of the workbook `from` at `to`, its part `name` replaced by
/// `bytes` (or left out when `None`).
fn with_part(from: &Path, to: &Path, name: &str, bytes: Option<&[u8]>) {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let part = entry.name().unwrap().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if part == name {
            match bytes {
                Some(b) => content = b.to_vec(),
                None => continue,
            }
        }
        parts.push((part, content));
    }
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(to, &parts);
}

#[test]
fn a_file_that_is_no_workbook_is_told_what_it_is_in_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let unit = "Socialförvaltningen Hällefors";
    let form = dir.path().join("formulär.xlsx");
    malgrupp()
        .args(["form", "--unit", unit, "--out"])
        .arg(&form)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let before = std::fs::read(&db).unwrap();
    let bytes = std::fs::read(&form).unwrap();
    let at = |name: &str| dir.path().join(name);

    std::fs::write(at("text.xlsx"), "{\"format\": 1}\n").unwrap();
    std::fs::write(at("avkortad.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(at("tom.xlsx"), "").unwrap();
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend([0u8; 504]);
    std::fs::write(at("gammal.xls"), &xls).unwrap();
    zip_of(
        &at("kalkylark.ods"),
        &[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", b"<office:document-content/>"),
        ],
    );
    zip_of(&at("annat.zip.xlsx"), &[("a.txt", b"text")]);
    with_part(
        &form,
        &at("trasigt-blad.xlsx"),
        "xl/worksheets/sheet1.xml",
        Some(b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\""),
    );
    with_part(
        &form,
        &at("utan-blad.xlsx"),
        "xl/worksheets/sheet1.xml",
        None,
    );
    std::fs::create_dir(at("mapp.xlsx")).unwrap();

    let cases = [
        (
            "text.xlsx",
            "är ingen Excel-arbetsbok (xlsx): filen är inget zip-arkiv, vilket en xlsx-fil är",
        ),
        (
            "avkortad.xlsx",
            "är ingen hel Excel-arbetsbok (xlsx): filen är avkortad eller trasig (zip-arkivets innehållsförteckning saknas eller stämmer inte)",
        ),
        (
            "tom.xlsx",
            "är ingen Excel-arbetsbok (xlsx): filen är tom (0 byte)",
        ),
        (
            "gammal.xls",
            "är ingen Excel-arbetsbok i xlsx-format utan en äldre Excel-fil (xls) eller en lösenordsskyddad arbetsbok; spara den i Excel eller LibreOffice som Excel-arbetsbok (xlsx) utan lösenord och läs in den igen",
        ),
        (
            "kalkylark.ods",
            "är ingen Excel-arbetsbok (xlsx) utan ett OpenDocument-kalkylark (ods); spara det i LibreOffice eller Excel som Excel-arbetsbok (xlsx) och läs in det igen",
        ),
        (
            "annat.zip.xlsx",
            "är ingen Excel-arbetsbok (xlsx): delen ”_rels/.rels” saknas",
        ),
        (
            "trasigt-blad.xlsx",
            "är en trasig Excel-arbetsbok: delen ”xl/worksheets/sheet1.xml” är ingen giltig XML; spara om den i Excel eller LibreOffice",
        ),
        ("utan-blad.xlsx", "bladet ”Svarsformulär” saknas"),
    ];
    for (name, message) in cases {
        let output = run(
            &db,
            &[
                "import-form".as_ref(),
                at(name).as_os_str(),
                "--unit".as_ref(),
                unit.as_ref(),
            ],
        );
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert_eq!(
            stderr,
            format!("malgrupp: {}: {message}\n", at(name).display()),
            "{name}"
        );
        assert_no_english(&stderr);
    }
    for (name, message) in [
        ("finns-inte.xlsx", "filen eller mappen finns inte"),
        ("mapp.xlsx", "det är en mapp, ingen fil"),
    ] {
        let output = run(
            &db,
            &[
                "import-form".as_ref(),
                at(name).as_os_str(),
                "--unit".as_ref(),
                unit.as_ref(),
            ],
        );
        let stderr = stderr_of(&output);
        assert_eq!(
            stderr,
            format!(
                "malgrupp: kunde inte läsa {}: {message}\n",
                at(name).display()
            )
        );
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing changed");
}
