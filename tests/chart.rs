//! Charts through the real binary on the sample: PNG decoded with its size,
//! SVG read as text with its Swedish labels, a wrong file ending refused.

mod common;

use std::path::Path;

use common::{imported, malgrupp, sample};

const KINDS: [&str; 5] = ["sex", "age", "duration", "largest-groups", "also-at"];

/// `malgrupp chart --kind KIND --db DB --out OUT`, not yet run.
fn chart(db: &Path, kind: &str, out: &Path) -> assert_cmd::Command {
    let mut cmd = malgrupp();
    cmd.args([
        "chart",
        "--kind",
        kind,
        "--db",
        db.to_str().unwrap(),
        "--out",
    ])
    .arg(out);
    cmd
}

#[test]
fn every_chart_as_png_decodes_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    for kind in KINDS {
        let out = dir.path().join(format!("{kind}.png"));
        chart(&db, kind, &out).assert().success();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&out).unwrap()));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("decodes");
        assert_eq!((info.width, info.height), (1200, 700), "{kind}");
        // Not a blank image: bars and text leave dark pixels.
        let dark = pixels
            .chunks(3)
            .filter(|p| p.iter().all(|c| *c < 80))
            .count();
        assert!(dark > 2_000, "{kind}: only {dark} dark pixels");
    }
}

#[test]
fn svg_carries_the_swedish_labels() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let svg_of = |kind: &str| {
        let out = dir.path().join(format!("{kind}.svg"));
        chart(&db, kind, &out).assert().success();
        std::fs::read_to_string(&out).unwrap()
    };
    let age = svg_of("age");
    assert!(age.starts_with("<svg"), "{}", &age[..60]);
    assert!(age.contains("width=\"1200\"") && age.contains("height=\"700\""));
    for text in [
        "Personer per kommun och ålder",
        "Hällefors",
        "Hela Norra länsdelen",
        "51-65",
    ] {
        assert!(age.contains(text), "«{text}» missing");
    }
    let also = svg_of("also-at");
    for text in ["Försäkringskassan", "Arbetsförmedlingen", "%"] {
        assert!(also.contains(text), "«{text}» missing");
    }
    let largest = svg_of("largest-groups");
    assert!(largest.contains("Ungdomar 19-29 år med bokstavsdiagnoser"));
}

#[test]
fn a_chart_needs_a_png_or_svg_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let out = dir.path().join("diagram.jpg");
    chart(&db, "sex", &out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "bildfilen ska sluta på .png eller .svg",
        ));
    assert!(!out.exists());
}

#[test]
fn charts_are_labelled_honestly_for_print() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let svg_of = |kind: &str| {
        let out = dir.path().join(format!("{kind}.svg"));
        chart(&db, kind, &out).assert().success();
        // Text elements hold their text on lines of its own.
        std::fs::read_to_string(&out).unwrap().replace('\n', "")
    };
    let duration = svg_of("duration");
    // The embedded font is named; n in the caption, "ca" with estimates.
    assert!(duration.contains("font-family=\"DejaVu Sans, sans-serif\""));
    assert!(!duration.contains("font-family=\"sans-serif\""));
    assert!(duration.contains("Personer per kommun och tid som aktuell (n = ca 375 personer)"));
    // The part not given is a bar of its own, and every bar has its value:
    // the region-wide unit's 70 estimated people, none split by duration.
    assert!(duration.contains(">Ej angivet<"));
    assert!(duration.contains(">ca 70<"));
    assert!(duration.contains(">52<"), "Hällefors: 52 missing");
    // Shares of those the question was answered for (71 of 203), with n.
    let also = svg_of("also-at");
    assert!(also.contains("(n = 203 personer där frågan besvarades)"));
    assert!(also.contains(">35 %<"));
    // Long labels wrapped onto lines, not cut.
    let largest = svg_of("largest-groups");
    assert!(largest.contains(">Ungdomar 19-29 år med bokstavsdiagnoser<"));
    assert!(largest.contains(">(Hela Norra länsdelen)<"));
    assert!(!largest.contains('…'));
}
