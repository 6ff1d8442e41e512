//! The HTML report as a report author prints it: a cover with the survey's
//! generated summary, honest numbers (estimates read "ca", missing and
//! over-reported apart, "aktuell hos" over those answered with n, "inga
//! enheter" for municipalities without units, blank rather than 0), totals
//! in blocks with repeated headers, A4; and, where Chromium is installed,
//! printed to PDF with the summary on page one.

mod common;

use common::{export, imported, sample};

fn report() -> String {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    String::from_utf8(export(&db, &dir.path().join("rapport.html"), &[])).unwrap()
}

#[test]
fn cover_holds_the_generated_summary() {
    let html = report();
    let cover = &html[..html.find("<section>").expect("sections")];
    for fact in [
        "<h2>Sammanfattning</h2>",
        "Kartläggningen omfattar 8 enheter från 4 myndigheter i 2 kommuner och 1 område. \
         De beskriver 20 målgrupper med ca 375 personer, varav 110 i uppskattade antal; \
         7 målgrupper saknar antal.",
        "Inga enheter i Lindesberg och Ljusnarsberg.",
        "De största målgrupperna: ”Ungdomar 19-29 år med bokstavsdiagnoser”",
        "av de 203 personer som frågan besvarades för (n = 203).",
        "Störst luckor i fördelningarna: ålder (162 saknas, 2 för många), tid som aktuell (163 saknas) och kön (160 saknas).",
    ] {
        assert!(cover.contains(fact), "«{fact}» not on the cover");
    }
    // Each municipality's section opens with its own summary.
    let hallefors = &html[html.find("<h2>Hällefors</h2>").unwrap()..];
    assert!(hallefors.starts_with(
        "<h2>Hällefors</h2><div class=\"summary\"><p>4 enheter från 4 myndigheter. \
         De beskriver 11 målgrupper med 166 personer; 3 målgrupper saknar antal.</p>"
    ));
    assert!(hallefors.contains("ålder (52 saknas, 2 för många)"));
}

#[test]
fn totals_are_honest_and_print_in_blocks() {
    let html = report();
    let survey_wide = &html[html.find("<h2>Hela kartläggningen</h2>").unwrap()..];
    // Municipalities without units: one "inga enheter", no zeros.
    assert!(survey_wide.contains(
        "<tr><td>Lindesberg</td><td class=\"empty\">inga enheter</td><td class=\"n\"></td>"
    ));
    // The total includes estimates: "ca".
    assert!(survey_wide.contains("<tr class=\"sum\"><td>Totalt</td><td class=\"n\">20</td><td class=\"n\">7</td><td class=\"n\">ca 375</td><td class=\"n\">110</td></tr>"));
    // Blocks, each with its header in a <thead> (repeated on every page).
    for block in [
        "<h4>Målgrupper och personer</h4>",
        "<h4>Kön</h4>",
        "<h4>Ålder</h4>",
        "<h4>Tid som aktuell</h4>",
        "<h4>Aktuell hos (andel av dem frågan besvarades för)</h4>",
    ] {
        assert_eq!(
            survey_wide.matches(block).count(),
            3,
            "{block}: three tables"
        );
    }
    assert!(survey_wide.contains("<th>Saknas</th><th>För många</th>"));
    assert!(survey_wide.contains("<th>Besvarat för (n)</th>"));
    assert_eq!(
        html.matches("<table class=\"totals\"><thead>").count(),
        html.matches("<table class=\"totals\">").count()
    );
    // Print: A4, headings kept with what follows, header words never
    // broken mid-word.
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("break-after: avoid"));
    assert!(!html.contains("overflow-wrap: anywhere"));
    // Vårdcentralen Hällefors named three groups without counts: its sum
    // of people is blank, not 0.
    let vc = &html[html.find("<h3>Vårdcentralen Hällefors</h3>").unwrap()..];
    let vc = &vc[vc.find("<table class=\"group\">").unwrap()..];
    let vc = &vc[..vc.find("</table>").unwrap()];
    assert!(vc.contains("<tr class=\"sum\"><td></td><td>Summa</td><td class=\"n\"></td>"));
    // A unit's sum row leaves blank what no group gave (the region-wide
    // unit gave no split by sex).
    let area = &html[html.find("<h2>Hela Norra länsdelen</h2>").unwrap()..];
    let sum = &area[area
        .find("<tr class=\"sum\"><td></td><td>Summa</td>")
        .unwrap()..];
    assert!(
        sum.starts_with(
            "<tr class=\"sum\"><td></td><td>Summa</td><td class=\"n\">ca 70</td><td class=\"n\"></td><td class=\"n\"></td>"
        ),
        "{}",
        &sum[..200]
    );
}

#[test]
fn printed_report_opens_with_the_summary() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|p| {
            std::process::Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        println!("Chromium is not installed: printing to PDF not tested");
        return;
    };
    let Ok(pdftotext) = std::process::Command::new("pdftotext").arg("-v").output() else {
        println!("pdftotext (poppler-utils) is not installed: printing to PDF not tested");
        return;
    };
    let _ = pdftotext;
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let html = dir.path().join("rapport.html");
    export(&db, &html, &[]);
    let pdf = dir.path().join("rapport.pdf");
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(pdf.exists(), "{out:?}");
    let first = std::process::Command::new("pdftotext")
        .args(["-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let first = String::from_utf8_lossy(&first.stdout);
    assert!(first.contains("Sammanfattning"), "{first}");
    assert!(
        first.contains("Kartläggningen omfattar 8 enheter"),
        "{first}"
    );
}
