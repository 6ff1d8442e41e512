//! The last English from the libraries, and the wrong words around the
//! Swedish ones (issue 9 §7): workbooks that are no workbooks, documents of
//! the wrong shape, the database's own errors, a path named twice, an
//! output that "could not be read".

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Output;

use common::{assert_no_english, imported, malgrupp, run, sample};

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
        let (code, stderr) = run(
            &db,
            &["import-form", at(name).to_str().unwrap(), "--unit", unit],
        );
        assert_eq!(code, Some(2), "{name}: {stderr}");
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
        let (_, stderr) = run(
            &db,
            &["import-form", at(name).to_str().unwrap(), "--unit", unit],
        );
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

/// `doc` written to `path`, imported into a new database `db`: the exit
/// code and what was said.
fn import_of(db: &Path, path: &Path, doc: &[u8]) -> (Option<i32>, String) {
    std::fs::write(path, doc).unwrap();
    run(db, &["import", path.to_str().unwrap()])
}

#[test]
fn documents_of_the_wrong_shape_are_refused_in_swedish_with_the_place() {
    use serde_json::{Value, json};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ny.sqlite");
    let path = dir.path().join("dokument.json");
    let sample: Value = serde_json::from_slice(&std::fs::read(sample()).unwrap()).unwrap();
    let wrong = [
        json!("x"),
        json!(-1),
        json!(1.5),
        json!(true),
        json!([1]),
        json!({"a": 1}),
    ];
    // Every level of the document, and a field of each kind there.
    let places = [
        ("", vec!["survey", "units", "about"]),
        (
            "/survey",
            vec!["name", "municipalities", "sex", "age_bands", "note"],
        ),
        ("/survey/municipalities", vec!["0"]),
        ("/units", vec!["0"]),
        (
            "/units/0",
            vec![
                "municipality",
                "authority",
                "name",
                "groups",
                "key_figures",
                "reported_totals",
            ],
        ),
        ("/units/0/reported_totals", vec!["count", "sex"]),
        ("/units/0/groups", vec!["0"]),
        (
            "/units/0/groups/0",
            vec!["rank", "label", "count", "estimated", "sex", "also_at"],
        ),
        ("/units/0/groups/0/sex", vec!["0"]),
    ];
    let mut refused = 0;
    let mut check = |doc: &Value, what: &str| {
        let (code, stderr) = import_of(&db, &path, &serde_json::to_vec(doc).unwrap());
        if code == Some(0) {
            std::fs::remove_file(&db).unwrap();
            return;
        }
        refused += 1;
        assert_eq!(code, Some(2), "{what}: {stderr}");
        assert!(stderr.starts_with("malgrupp: "), "{what}: {stderr}");
        assert_no_english(&stderr);
        // The place in the document, as in `units[0].groups[0].sex[1]: …`.
        let place = stderr["malgrupp: ".len()..].split(": ").next().unwrap();
        assert!(
            ["dokumentet", "about", "survey", "units"]
                .iter()
                .any(|p| place.starts_with(p)),
            "{what}: {stderr}"
        );
        assert!(!db.exists(), "{what}");
    };
    for (parent, keys) in &places {
        for key in keys {
            let pointer = format!("{parent}/{key}");
            for value in &wrong {
                let mut doc = sample.clone();
                match doc.pointer_mut(parent).unwrap() {
                    Value::Object(map) => {
                        map.insert((*key).to_owned(), value.clone());
                    }
                    Value::Array(list) => list[key.parse::<usize>().unwrap()] = value.clone(),
                    _ => unreachable!(),
                }
                check(&doc, &format!("{pointer} = {value}"));
            }
            let mut doc = sample.clone();
            match doc.pointer_mut(parent).unwrap() {
                Value::Object(map) => {
                    map.remove(*key);
                }
                Value::Array(list) => {
                    list.clear();
                }
                _ => unreachable!(),
            }
            check(&doc, &format!("{pointer} removed"));
        }
        let mut doc = sample.clone();
        if let Value::Object(map) = doc.pointer_mut(parent).unwrap() {
            map.insert("okänt".into(), json!(1));
            check(&doc, &format!("{parent}/okänt"));
        }
    }
    for (extra, what) in [
        (
            json!({"title": "T", "rows": ["a"], "columns": ["b"], "cells": [["x"]]}),
            "cell",
        ),
        (
            json!({"title": "T", "rows": ["a"], "columns": ["b"], "cells": [1]}),
            "row",
        ),
        (
            json!({"title": "T", "rows": ["a"], "columns": ["b"]}),
            "cells missing",
        ),
        (
            json!({"title": 1, "rows": ["a"], "columns": ["b"], "cells": [[1]]}),
            "title",
        ),
        (
            json!({"rows": "a", "title": "T", "columns": ["b"], "cells": [[1]]}),
            "rows",
        ),
        (json!([1]), "list"),
    ] {
        let mut doc = sample.clone();
        doc["units"][0]["groups"][0]["extra_breakdowns"] = json!([extra]);
        check(&doc, what);
    }
    assert!(refused > 150, "only {refused} refused");
    // A document that ends too early: the parser's reason, told by the one
    // translation every JSON error goes through.
    let (code, stderr) = import_of(&db, &path, b"{\"survey\": {\"name\": \"a\"");
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "malgrupp: filen är inte giltig JSON (rad 1, kolumn 23): filen tar slut mitt i ett objekt (saknas ”}”?)\n"
    );
}

#[test]
fn values_of_the_wrong_kind_in_the_database_are_told_in_swedish_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (sql, reason) in [
        (
            "UPDATE target_group SET label = x'00ff' WHERE id = (SELECT min(id) FROM target_group)",
            "kolumnen ”label” har ett värde av fel slag (binära data)",
        ),
        (
            "UPDATE target_group SET count = 'många' WHERE id = (SELECT min(id) FROM target_group)",
            "kolumnen ”count” har ett värde av fel slag (text)",
        ),
        (
            "UPDATE target_group SET label = CAST(x'41ff' AS TEXT) WHERE id = (SELECT min(id) FROM target_group)",
            "en text är inte giltig UTF-8",
        ),
        (
            "UPDATE survey SET name = x'ff'",
            "kolumnen ”name” har ett värde av fel slag (binära data)",
        ),
    ] {
        let db = imported(dir.path(), &sample());
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(sql, []).unwrap();
        drop(conn);
        let before = std::fs::read(&db).unwrap();
        for command in ["summary", "check"] {
            let (code, stderr) = run(&db, &[command]);
            assert_eq!(code, Some(2), "{sql}: {stderr}");
            assert_eq!(
                stderr,
                format!(
                    "malgrupp: fel i databasen {}: {reason}; filen har troligen ändrats med ett annat program\n",
                    db.display()
                ),
                "{sql}"
            );
            assert_no_english(&stderr);
        }
        assert_eq!(std::fs::read(&db).unwrap(), before, "{sql}");
        std::fs::remove_file(&db).unwrap();
    }
}

#[test]
fn the_english_check_takes_whole_words() {
    assert_no_english("malgrupp: kunde inte skriva x.csv: disken är full; databasen är låst");
    for english in [
        "No such file or directory (os error 2)",
        "I/O error: No space left on device",
        "database disk image is malformed",
        "invalid type: string, expected u32 at line 1",
        "Errors found",
    ] {
        let caught = std::panic::catch_unwind(|| assert_no_english(english));
        assert!(caught.is_err(), "not caught: {english}");
    }
}
