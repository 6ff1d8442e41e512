//! The HTML report on the real sample: every unit, the notes the 2005 report
//! wrote by hand (made from the findings), the embedded charts, and nothing
//! fetched from elsewhere.

mod common;

use common::{export, imported, sample};

#[test]
fn report_has_every_unit_the_notes_and_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let html = String::from_utf8(export(&db, &dir.path().join("rapport.html"), &[])).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"sv\">") && html.contains("<meta charset=\"utf-8\">"));

    let survey = malgrupp::import::json::read_file(&sample()).unwrap();
    for unit in &survey.units {
        assert!(
            html.contains(&format!("<h3>{}</h3>", unit.name)),
            "{}",
            unit.name
        );
    }
    for section in [
        "<h2>Hällefors</h2>",
        "<h2>Nora</h2>",
        "<h2>Hela Norra länsdelen</h2>",
        "<h2>Hela kartläggningen</h2>",
    ] {
        assert!(html.contains(section), "{section}");
    }
    // Lindesberg and Ljusnarsberg have no units in this part of the survey.
    assert!(!html.contains("<h2>Lindesberg</h2>"));

    for note in [
        // Hällefors as a whole, missing and over-reported apart.
        "<p class=\"note\">Notering! Det saknas 50 individer i fördelningen på kön.</p>",
        "<p class=\"note\">Notering! Det saknas 52 individer i fördelningen på ålder/tid som aktuell.</p>",
        // Socialförvaltningen Hällefors: its own not-given note, then each
        // row's findings as plain sentences.
        "<p class=\"note\">Notering! Det saknas 2 individer i fördelningen på ålder/tid som aktuell.</p>\
         <p class=\"note\">Notering! Fördelningen på ålder har 2 individer fler än antalet.</p>\
         <ul class=\"findings\"><li>Målgrupp 1: åldersfördelningen har 2 personer fler än gruppens 48.</li>\
         <li>Målgrupp 3: åldersfördelningen har 2 personer färre än gruppens 14.</li>",
        "<li>Målgrupp 2: antal saknas.</li>",
        "<li>Målgrupp 1: fördelningarna på kön, ålder och tid som aktuell är inte angivna.</li>",
    ] {
        assert!(html.contains(note), "«{note}» missing");
    }
    assert!(
        html.contains("Samverkansgrupp varannan månad"),
        "open answers"
    );
    assert!(
        html.contains("Ytterligare 13 personer med inskrivningstid"),
        "group notes"
    );
    assert_eq!(
        html.matches("<h4>Inskrivningstid x födelsedecennium och kön (målgrupp ")
            .count(),
        2,
        "the units' own tables, as given"
    );
    assert!(html.contains("<th>&gt;5 år</th>"));
    assert!(
        html.contains("<td class=\"n\">ca 40</td>"),
        "estimates read as estimates"
    );
    assert_eq!(
        html.matches("Enhetens totalrad").count(),
        2,
        "Hällefors and Nora printed totals"
    );

    // Five charts, inline; no file or address is fetched when it opens.
    assert_eq!(html.matches("<svg").count(), 5);
    assert!(html.contains("Personer per kommun och ålder"));
    for external in ["<link", "<script", "src=", "url(", "@import"] {
        assert!(
            !html.contains(external),
            "«{external}» in a self-contained report"
        );
    }
}
