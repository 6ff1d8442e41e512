//! Table exports on the real sample through the real binary: exact bytes of
//! the Swedish-Excel CSV and of the Markdown table, written atomically.

mod common;

use common::{export, export_cmd, imported, sample};

const HEADER: &[&str] = &[
    "Målgrupper",
    "Utan antal",
    "Personer",
    "Varav uppskattat",
    "Män",
    "Kvinnor",
    "16-20",
    "21-30",
    "31-50",
    "51-65",
    "upp till 6 mån",
    "7 mån-1 år",
    "2-3 år",
    "4 år och mer",
    "Aktuell hos Kommun",
    "Aktuell hos Landsting",
    "Aktuell hos Försäkringskassan",
    "Aktuell hos Arbetsförmedlingen",
    "Kön: saknas",
    "Kön: för många",
    "Ålder: saknas",
    "Ålder: för många",
    "Tid som aktuell: saknas",
    "Tid som aktuell: för många",
];

#[test]
fn csv_for_swedish_excel_by_municipality() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let bytes = export(&db, &dir.path().join("kommuner.csv"), &[]);
    let expected = format!(
        "\u{feff}Kommun/område;{}\r\n\
         Hällefors;11;3;166;0;66;50;26;39;44;7;16;24;40;34;;7;;30;50;0;52;2;52;0\r\n\
         Lindesberg;inga enheter;;;;;;;;;;;;;;;;;;;;;;;\r\n\
         Ljusnarsberg;inga enheter;;;;;;;;;;;;;;;;;;;;;;;\r\n\
         Nora;8;4;139;40;45;54;8;37;41;13;15;34;22;27;66;39;16;41;40;0;40;0;41;0\r\n\
         Hela Norra länsdelen;1;0;70;70;;;;;;;;;;;;;;;70;0;70;0;70;0\r\n\
         Totalt;20;7;375;110;111;104;34;76;85;20;31;58;62;61;66;46;16;71;160;0;162;2;163;0\r\n",
        HEADER.join(";")
    );
    assert_eq!(String::from_utf8(bytes).unwrap(), expected);
}

#[test]
fn csv_with_commas_by_unit() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let out = dir.path().join("enheter.txt");
    let text = String::from_utf8(export(
        &db,
        &out,
        &["--format", "csv", "--csv-comma", "--by", "unit"],
    ))
    .unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        format!("Kommun/område,Myndighet,Enhet,{}", HEADER.join(","))
    );
    assert_eq!(
        lines[1],
        "Hällefors,Kommun,Socialförvaltningen Hällefors,5,0,116,0,66,50,26,39,44,7,16,24,40,34,,7,,30,0,0,2,2,2,0"
    );
    assert_eq!(
        lines[4],
        "Hällefors,Försäkringskassan,\"Försäkringskassan Hällefors, rehabiliteringshandläggare för sjukfall över 2 år\",2,0,17,0,,,,,,,,,,,,,,,17,0,17,0,17,0"
    );
    assert_eq!(
        lines[9],
        "Totalt,,,20,7,375,110,111,104,34,76,85,20,31,58,62,61,66,46,16,71,160,0,162,2,163,0"
    );
    assert_eq!(lines.len(), 11, "8 units, header, total and the final CRLF");
    assert!(!text.starts_with('\u{feff}'));
}

#[test]
fn markdown_by_authority() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let text = String::from_utf8(export(
        &db,
        &dir.path().join("myndigheter.md"),
        &["--by", "authority"],
    ))
    .unwrap();
    let expected = format!(
        "| Myndighet | {} |\n| --- |{}\n\
         | Kommun | 8 | 0 | 215 | 0 | 111 | 104 | 34 | 76 | 85 | 20 | 31 | 58 | 62 | 61 | 66 | 46 | 16 | 71 | 0 | 0 | 2 | 2 | 3 | 0 |\n\
         | Landsting | 3 | 3 |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  |  | 0 | 0 | 0 | 0 | 0 | 0 |\n\
         | Försäkringskassan | 6 | 2 | 127 | 110 |  |  |  |  |  |  |  |  |  |  |  |  |  |  | 127 | 0 | 127 | 0 | 127 | 0 |\n\
         | Arbetsförmedlingen | 3 | 2 | 33 | 0 |  |  |  |  |  |  |  |  |  |  |  |  |  |  | 33 | 0 | 33 | 0 | 33 | 0 |\n\
         | Totalt | 20 | 7 | 375 | 110 | 111 | 104 | 34 | 76 | 85 | 20 | 31 | 58 | 62 | 61 | 66 | 46 | 16 | 71 | 160 | 0 | 162 | 2 | 163 | 0 |\n",
        HEADER.join(" | "),
        " ---: |".repeat(HEADER.len())
    );
    assert_eq!(text, expected);
}

#[test]
fn json_is_still_the_default_and_a_failed_export_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let doc = export(&db, &dir.path().join("kopia.dat"), &[]);
    assert!(malgrupp::import::json::parse(&doc).is_ok());
    let missing = dir.path().join("saknas").join("x.csv");
    export_cmd(&db, &missing, &[]).assert().code(2);
    assert!(!missing.exists());
}
