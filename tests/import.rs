//! Importing the survey document: all or nothing, refusals that name the
//! place in Swedish and leave the database exactly as it was, and a round
//! trip that loses nothing.

mod common;

use common::{imported, malgrupp, sample};
use serde_json::{Value, json};

fn sample_doc() -> Value {
    serde_json::from_slice(&std::fs::read(sample()).unwrap()).unwrap()
}

/// Tries to import `doc` (with --replace, so only the document's own faults
/// can stop it) into a database that holds the sample; asserts exit 2, a
/// message containing `expected`, and an untouched file.
fn refused(doc: &[u8], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = std::fs::read(&db).unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, doc).unwrap();
    let out = malgrupp()
        .args([
            "import",
            path.to_str().unwrap(),
            "--replace",
            "--db",
            db.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected «{expected}» in «{stderr}»"
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "the error is printed once: {stderr}"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read(&db).unwrap(), before, "database changed");
}

fn refused_edit(edit: impl FnOnce(&mut Value), expected: &str) {
    let mut doc = sample_doc();
    edit(&mut doc);
    refused(&serde_json::to_vec(&doc).unwrap(), expected);
}

#[test]
fn not_json_is_refused_with_line_and_column() {
    refused(
        b"{\n  \"survey\": ,\n}",
        "filen är inte giltig JSON (rad 2, kolumn 13)",
    );
    refused(b"", "filen är inte giltig JSON");
    // The parser's reason in Swedish, without its English.
    refused(
        b"{\"survey\": [1, 2",
        "filen är inte giltig JSON (rad 1, kolumn 16): filen tar slut mitt i en lista (saknas ”]”?)",
    );
    refused(b"{\"a\": 1,}", "kommatecken före ”]” eller ”}”");
}

#[test]
fn a_missing_field_is_named() {
    refused_edit(
        |d| {
            d["units"][2]["groups"][0]
                .as_object_mut()
                .unwrap()
                .remove("count");
        },
        "units[2].groups[0].count: fältet saknas",
    );
    refused_edit(
        |d| {
            d["survey"].as_object_mut().unwrap().remove("age_bands");
        },
        "survey.age_bands: fältet saknas",
    );
}

#[test]
fn an_array_of_the_wrong_length_is_named() {
    refused_edit(
        |d| d["units"][2]["groups"][0]["sex"] = json!([1, 2, 3]),
        "units[2].groups[0].sex: väntade 2 tal, fick 3",
    );
    refused_edit(
        |d| d["units"][2]["groups"][0]["extra_breakdowns"][0]["cells"][1] = json!([1]),
        "units[2].groups[0].extra_breakdowns[0].cells[1]: väntade 8 tal, fick 1",
    );
}

#[test]
fn negative_fractional_and_text_numbers_are_refused() {
    refused_edit(
        |d| d["units"][0]["groups"][1]["age"][2] = json!(-3),
        "units[0].groups[1].age[2]: negativa tal är inte tillåtna, fick -3",
    );
    refused_edit(
        |d| d["units"][0]["groups"][1]["count"] = json!(2.5),
        "units[0].groups[1].count: väntade ett heltal, fick 2.5",
    );
    refused_edit(
        |d| d["units"][5]["groups"][0]["count"] = json!("ca 40"),
        "units[5].groups[0].count: väntade ett tal, fick texten ”ca 40”",
    );
    refused_edit(
        |d| d["units"][1]["key_figures"]["Listade personer"] = json!("många"),
        "units[1].key_figures.Listade personer: väntade ett tal",
    );
}

#[test]
fn a_label_over_1000_characters_is_refused() {
    refused_edit(
        |d| d["units"][0]["groups"][0]["label"] = json!("å".repeat(1001)),
        "units[0].groups[0].label: texten är för lång (1001 tecken, högst 1000)",
    );
}

#[test]
fn a_frame_list_over_1000_entries_is_refused() {
    refused_edit(
        |d| {
            d["survey"]["age_bands"] =
                json!((0..1001).map(|i| format!("{i} år")).collect::<Vec<_>>())
        },
        "survey.age_bands: för många (1001, högst 1000)",
    );
}

#[test]
fn an_authority_or_municipality_outside_the_frame_is_refused() {
    refused_edit(
        |d| d["units"][3]["authority"] = json!("Polisen"),
        "units[3].authority: ”Polisen” finns inte bland kartläggningens myndigheter (Kommun, Landsting, Försäkringskassan, Arbetsförmedlingen)",
    );
    refused_edit(
        |d| d["units"][4]["municipality"] = json!("Örebro"),
        "units[4].municipality: ”Örebro” finns inte bland kartläggningens kommuner",
    );
    refused_edit(
        |d| {
            d["units"][7].as_object_mut().unwrap().remove("area");
        },
        "units[7].area: en enhet utan kommun (municipality: null) måste ange area",
    );
}

#[test]
fn unknown_fields_and_wrong_types_are_refused() {
    refused_edit(
        |d| d["units"][0]["groups"][0]["estimate"] = json!(true),
        "units[0].groups[0]: okänt fält ”estimate”",
    );
    refused_edit(
        |d| d["units"][0]["groups"][0]["estimated"] = json!("ja"),
        "units[0].groups[0].estimated: väntade true eller false, fick texten ”ja”",
    );
    refused_edit(
        |d| d["survey"]["municipalities"][1] = json!("Hällefors"),
        "survey.municipalities[1]: ”Hällefors” står två gånger",
    );
    refused_edit(
        |d| d["units"] = json!({}),
        "units: väntade en lista med enheter",
    );
    refused(b"[]", "dokumentet: väntade ett objekt, fick en lista");
}

#[test]
fn the_same_survey_twice_is_refused_unless_replace() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = std::fs::read(&db).unwrap();
    malgrupp()
        .args(["import", sample().to_str().unwrap(), "--db", db.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(
            "malgrupp: kartläggningen ”Kartläggning av målgrupper, Norra länsdelen” finns redan i databasen; använd --replace för att ersätta den\n",
        );
    assert_eq!(std::fs::read(&db).unwrap(), before);

    // Replacing with an edited copy replaces, not adds.
    let mut doc = sample_doc();
    doc["units"][0]["groups"][0]["count"] = json!(50);
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_vec(&doc).unwrap()).unwrap();
    malgrupp()
        .args([
            "import",
            edited.to_str().unwrap(),
            "--replace",
            "--db",
            db.to_str().unwrap(),
        ])
        .assert()
        .success();
    let (found, _) = common::json_of(&db, &["check"]);
    let first = &found["findings"][0];
    assert_eq!(
        (&first["rank"], &first["kind"]),
        (&json!(1), &json!("short"))
    );
    let (summary, _) = common::json_of(&db, &["summary"]);
    assert_eq!(summary["rows"][0]["count"], 168);
}

#[test]
fn import_export_import_gives_an_equal_survey() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let first = dir.path().join("first.json");
    common::export(&db, &first, &[]);

    let original = malgrupp::import::json::read_file(&sample()).unwrap();
    let exported = malgrupp::import::json::read_file(&first).unwrap();
    assert_eq!(exported, original);

    // And through a second database, byte for byte the same document.
    let dir2 = tempfile::tempdir().unwrap();
    let db2 = imported(dir2.path(), &first);
    let second = dir2.path().join("second.json");
    common::export(&db2, &second, &[]);
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );

    // The export keeps what the sample says, in its words.
    let doc: Value = serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
    let af = &doc["units"][2]["groups"][0];
    assert_eq!(
        af["extra_breakdowns"][0]["cells"][0],
        json!([1, null, null, 1, 1, 2, 1, 1])
    );
    assert_eq!(doc["units"][1]["key_figures"]["Listade personer"], 7711);
    assert_eq!(doc["units"][7]["area"], "Hela Norra länsdelen");
    assert_eq!(doc["units"][5]["groups"][0]["estimated"], true);
    assert_eq!(
        doc["units"][0]["reported_totals"]["also_at"],
        json!([null, 7, 0, 30])
    );

    // A document to share, not a private temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&first).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    // No temporary files left beside the export.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_failed_export_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let out = dir.path().join("no-such-folder").join("x.json");
    common::export_cmd(&db, &out, &[])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with("malgrupp: kunde inte skriva"));
    assert!(!out.exists());
}

#[test]
fn a_label_of_only_invisible_characters_is_refused() {
    refused_edit(
        |d| d["units"][0]["groups"][0]["label"] = json!("\u{200B}"),
        "units[0].groups[0].label: får inte vara tom",
    );
    refused_edit(
        |d| d["units"][1]["name"] = json!(" \u{FEFF}\u{00A0} "),
        "units[1].name: får inte vara tom",
    );
    refused_edit(
        |d| d["survey"]["sex"][0] = json!("\u{2060}"),
        "survey.sex[0]: får inte vara tom",
    );
}

#[test]
fn control_characters_in_names_are_refused() {
    refused_edit(
        |d| d["survey"]["name"] = json!("Norra\u{0}länsdelen"),
        "survey.name: innehåller ett styrtecken (U+0000)",
    );
    refused_edit(
        |d| d["units"][2]["name"] = json!("Enhet\u{1b}[2J"),
        "units[2].name: innehåller ett styrtecken (U+001B)",
    );
    refused_edit(
        |d| d["survey"]["municipalities"][0] = json!("Hälle\rfors"),
        "survey.municipalities[0]: innehåller en radbrytning (U+000D)",
    );
    refused_edit(
        |d| d["units"][0]["groups"][0]["label"] = json!("a\u{7}"),
        "units[0].groups[0].label: innehåller ett styrtecken (U+0007)",
    );
    refused_edit(
        |d| d["units"][0]["note"] = json!("rad ett\nrad två\u{0}"),
        "units[0].note: innehåller ett styrtecken (U+0000)",
    );
}

/// The sample with `text` put in place of unit 0's first group's count.
fn with_count(text: &str) -> Vec<u8> {
    let mut doc = sample_doc();
    doc["units"][0]["groups"][0]["count"] = json!(987654321);
    let doc = serde_json::to_string(&doc).unwrap();
    assert_eq!(doc.matches("987654321").count(), 1);
    doc.replace("987654321", text).into_bytes()
}

#[test]
fn a_count_that_reads_as_zero_but_is_not_is_refused() {
    refused(
        &with_count("1e-400"),
        "units[0].groups[0].count: väntade ett heltal, fick 1e-400",
    );
    refused(
        &with_count(
            "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001",
        ),
        "units[0].groups[0].count: väntade ett heltal",
    );
}

#[test]
fn a_field_given_twice_is_refused_in_swedish_with_its_place() {
    refused(
        &with_count("3, \"count\": 4"),
        "units[0].groups[0]: fältet ”count” står två gånger",
    );
    let mut doc = sample_doc();
    doc["units"][1]["key_figures"] = json!({"Listade personer": 987654321});
    let doc = serde_json::to_string(&doc)
        .unwrap()
        .replace("987654321", "7, \"Listade personer\": 8");
    refused(
        doc.as_bytes(),
        "units[1].key_figures: nyckeltalet ”Listade personer” står två gånger",
    );
}

#[test]
fn a_key_figure_beyond_the_limit_is_refused_before_the_database() {
    for big in [json!(9_223_372_036_854_775_808u64), json!(u64::MAX)] {
        refused_edit(
            |d| d["units"][0]["key_figures"] = json!({"Listade personer": big}),
            "units[0].key_figures.Listade personer: talet",
        );
    }
    refused_edit(
        |d| d["units"][0]["key_figures"] = json!({"Listade personer": 1_000_000_000_000_001u64}),
        "för stort (högst 1 000 000 000 000 000)",
    );
    // Past u64 the number is no longer read exactly, but still named.
    let mut doc = sample_doc();
    doc["units"][0]["key_figures"] = json!({"Listade personer": 987654321});
    let doc = serde_json::to_string(&doc)
        .unwrap()
        .replace("987654321", "18446744073709551616");
    refused(
        doc.as_bytes(),
        "units[0].key_figures.Listade personer: talet är för stort (högst 1 000 000 000 000 000)",
    );
}

#[test]
fn generate_makes_only_documents_that_import_takes() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("stor.json");
    let out = malgrupp()
        .args(["generate", "--municipalities", "6670", "--units", "1"])
        .args(["--groups", "1", "--out"])
        .arg(&doc)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--municipalities: högst 1000 kommuner, fick 6670"),
        "{stderr}"
    );
    assert!(!doc.exists(), "a document import refuses was written");
    let out = malgrupp()
        .args(["generate", "--municipalities", "1", "--name", "a\u{1}b"])
        .arg("--out")
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("--name: innehåller ett styrtecken")
    );
    // The largest it makes is taken.
    let doc = common::generated(
        dir.path(),
        "tusen.json",
        &["--municipalities", "1000", "--units", "1", "--groups", "1"],
    );
    imported(dir.path(), &doc);
}
