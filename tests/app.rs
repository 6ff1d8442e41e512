//! The app through egui_kittest: the real `App`, driven by keyboard and
//! clicks on labelled widgets, against a real database file.

mod common;

use common::app::{harness, on_disk};
use common::{imported, json_of, sample};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use malgrupp::model::Survey;
use malgrupp::ui::App;

fn key(h: &mut Harness<'_, App>, key: Key) {
    h.key_press(key);
    h.run();
}

fn ctrl(h: &mut Harness<'_, App>, k: Key) {
    h.key_press_modifiers(Modifiers::COMMAND, k);
    h.run();
}

fn ctrl_shift(h: &mut Harness<'_, App>, k: Key) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, k);
    h.run();
}

fn type_(h: &mut Harness<'_, App>, text: &str) {
    h.event(Event::Text(text.to_owned()));
    h.run();
}

/// Types a row of cells, Tab after each; `None` leaves a cell blank.
fn cells(h: &mut Harness<'_, App>, values: &[Option<u32>]) {
    for v in values {
        if let Some(v) = v {
            type_(h, &v.to_string());
        }
        key(h, Key::Tab);
    }
}

fn sample_survey() -> Survey {
    malgrupp::import::json::read_file(&sample()).unwrap()
}

fn part(row: &malgrupp::model::Row) -> Vec<Option<u32>> {
    row.cells.iter().map(|c| c.get()).collect()
}

#[test]
fn a_surveyor_types_a_unit_with_the_keyboard_and_sees_the_findings_check_gives() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ny.sqlite");
    let mut h = harness(&db);
    h.run();

    // A new survey with the 2005 frame as offered.
    h.get_by_label("Ny kartläggning…").click();
    h.run();
    h.get_by_label("Namn").focus();
    h.run();
    type_(&mut h, "Kartläggning av målgrupper, Norra länsdelen");
    h.get_by_label("Period").focus();
    h.run();
    type_(&mut h, "januari-mars 2005");
    h.get_by_label("Skapa").click();
    h.run();
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);

    // A unit, from the keyboard: the dialog's name field has the focus;
    // Tab to the authority Kommun, Space chooses it; Tab past the other
    // three authorities to Hällefors, Enter chooses it and creates.
    ctrl_shift(&mut h, Key::N);
    type_(&mut h, "Socialförvaltningen Hällefors");
    key(&mut h, Key::Tab);
    key(&mut h, Key::Space);
    for _ in 0..4 {
        key(&mut h, Key::Tab);
    }
    key(&mut h, Key::Enter);
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);

    let expected = sample_survey();
    let unit = &expected.units[0];
    assert_eq!(unit.name, "Socialförvaltningen Hällefors");
    for (i, g) in unit.groups.iter().enumerate() {
        // Ctrl+G: a new group, the focus in its label.
        ctrl(&mut h, Key::G);
        type_(&mut h, &g.label);
        key(&mut h, Key::Tab);
        type_(&mut h, &g.row.count.get().unwrap().to_string());
        // Enter moves on like Tab; the estimate box is no Tab stop.
        key(&mut h, Key::Enter);
        cells(&mut h, &part(&g.row));
        assert_eq!(
            h.state().doc.as_ref().unwrap().survey().units[0]
                .groups
                .len(),
            i + 1
        );
    }
    // The unit's own printed total row: Ctrl+T adds it and puts the
    // cursor in its Antal cell.
    ctrl(&mut h, Key::T);
    let total = unit.reported_totals.as_ref().unwrap();
    type_(&mut h, &total.count.get().unwrap().to_string());
    key(&mut h, Key::Tab);
    cells(&mut h, &part(total));

    // The database holds what was typed, equal to the sample's unit.
    let saved = on_disk(&db);
    let got = &saved.units[0];
    assert_eq!(got.name, unit.name);
    assert_eq!(got.authority, unit.authority);
    assert_eq!(got.place, unit.place);
    assert_eq!(got.groups, unit.groups);
    assert_eq!(got.reported_totals, unit.reported_totals);

    // The findings shown are those `malgrupp check` gives for the sample.
    let sample_db = imported(dir.path(), &sample());
    let (check, _) = json_of(&sample_db, &["check"]);
    let mut want: Vec<String> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["unit"] == "Socialförvaltningen Hällefors")
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(want.len(), 3, "{want:?}");
    let doc = h.state().doc.as_ref().unwrap();
    let mut shown: Vec<String> = doc
        .analysis()
        .findings
        .iter()
        .map(|f| f.message(doc.survey()))
        .collect();
    want.sort();
    shown.sort();
    assert_eq!(shown, want);
    for message in &want {
        assert!(
            h.query_all_by_label(message).count() >= 1,
            "”{message}” is not on screen"
        );
    }
    h.get_by_label("Fynd i enheten (3)");
}

#[test]
fn edits_and_deletions_are_undone_and_redone() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let mut h = harness(&db);
    h.run();

    // An edit: rank 1's count 48 → 50.
    h.get_by_label("Rang 1, Antal").focus();
    h.run();
    ctrl(&mut h, Key::A);
    type_(&mut h, "50");
    // The findings follow the typing before anything is saved: sex and
    // duration (48) are now short by 2; age (50) is no longer over.
    assert_eq!(on_disk(&db), original);
    assert!(h.query_all_by_label("kön: kort 2").count() >= 1);
    assert!(h.query_all_by_label("tid som aktuell: kort 2").count() >= 1);
    assert_eq!(h.query_all_by_label("ålder: över 2").count(), 0);
    key(&mut h, Key::Tab);
    assert_eq!(on_disk(&db).units[0].groups[0].row.count.get(), Some(50));
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);
    ctrl_shift(&mut h, Key::Z);
    assert_eq!(on_disk(&db).units[0].groups[0].row.count.get(), Some(50));
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);

    // A deletion, asked first, and Ctrl+Y.
    h.get_by_label("Enhet").click();
    h.run();
    h.get_by_label("Ta bort enhet…").click();
    h.run();
    h.get_by_label("Ta bort enheten").click();
    h.run();
    assert_eq!(on_disk(&db).units.len(), original.units.len() - 1);
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);
    ctrl(&mut h, Key::Y);
    assert_eq!(on_disk(&db).units.len(), original.units.len() - 1);
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);
}

#[test]
fn a_bad_number_is_refused_with_a_message_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = std::fs::read(&db).unwrap();
    let mut h = harness(&db);
    h.run();
    for bad in ["12a", "-3"] {
        h.get_by_label("Rang 1, Antal").focus();
        h.run();
        ctrl(&mut h, Key::A);
        type_(&mut h, bad);
        let message = h.state().form.refused.as_ref().map(|(_, m)| m.clone());
        let message = message.expect("refused");
        assert!(message.starts_with("Rang 1, Antal: ”"), "{message}");
        h.get_by_label(&format!("Inte sparat – {message}"));
        key(&mut h, Key::Tab);
        // Left as it was, on screen and on disk.
        assert_eq!(
            h.state().doc.as_ref().unwrap().survey().units[0].groups[0]
                .row
                .count
                .get(),
            Some(48)
        );
        assert_eq!(std::fs::read(&db).unwrap(), original);
    }
    // "ca 300" is an estimate of 300.
    h.get_by_label("Rang 2, Antal").focus();
    h.run();
    ctrl(&mut h, Key::A);
    type_(&mut h, "ca 300");
    key(&mut h, Key::Tab);
    let g = &on_disk(&db).units[0].groups[1];
    assert_eq!((g.row.count.get(), g.estimated), (Some(300), true));
}

#[test]
fn review_marks_persist_across_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    {
        let mut h = harness(&db);
        h.run();
        ctrl(&mut h, Key::Num2);
        h.get_by_label("Kommentar vid granskning:");
        h.get_all_by_label("Granskat").next().unwrap().click();
        h.run();
        // With a comment: focus the field, type, mark the next one.
        let field = h
            .get_all_by_role(egui::accesskit::Role::TextInput)
            .find(|n| n.value().is_some_and(|v| v.is_empty()))
            .unwrap();
        field.focus();
        h.run();
        type_(&mut h, "bekräftat med enheten 12/3");
        h.get_all_by_label("Granskat").next().unwrap().click();
        h.run();
        h.get_by_label("✔ bekräftat med enheten 12/3");
    }
    let (check, _) = json_of(&db, &["check"]);
    let findings = check["findings"].as_array().unwrap();
    assert_eq!(findings[0]["reviewed"], true);
    assert_eq!(findings[0]["comment"], "");
    assert_eq!(findings[1]["reviewed"], true);
    assert_eq!(findings[1]["comment"], "bekräftat med enheten 12/3");
    assert_eq!(findings.iter().filter(|f| f["reviewed"] == true).count(), 2);

    let mut h = harness(&db);
    h.run();
    ctrl(&mut h, Key::Num2);
    h.get_by_label("✔ bekräftat med enheten 12/3");
    let status = format!("Fynd: {} öppna, 2 granskade", findings.len() - 2);
    h.get_by_label(&status);
}

#[test]
fn a_second_window_on_the_same_file_is_told_it_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let before = std::fs::read(&db).unwrap();
    let first = harness(&db);
    let mut second = harness(&db);
    second.run();
    let error = second.state().error.clone().expect("an error");
    assert!(error.contains("används av ett annat program"), "{error}");
    second.get_by_label(&format!("Fel: {error}"));
    assert!(second.state().doc.is_none());
    drop(second);
    drop(first);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_response_form_read_in_the_app_can_be_undone() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let original = on_disk(&db);
    let form = dir.path().join("tom.xlsx");
    common::malgrupp()
        .args(["form", "--unit", "Socialförvaltningen Hällefors", "--out"])
        .arg(&form)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let filled = dir.path().join("ifylld.xlsx");
    common::fill_form(
        &form,
        &filled,
        &[("B23", "Unga vuxna"), ("C23", "=5+7 => 12")],
    );
    let mut h = harness(&db);
    h.run();
    h.state_mut().read_form_from(&filled);
    h.run();
    assert_eq!(on_disk(&db).units[0].groups[0].row.count.get(), Some(12));
    // A formula's saved result is used, and the app says so.
    h.get_by_label(&format!(
        "Läste in {}. Obs: Svarsformulär!C23 (rang 1, Antal): cellen har en formel; dess sparade värde ”12” lästes in.",
        filled.display()
    ));
    ctrl(&mut h, Key::Z);
    assert_eq!(on_disk(&db), original);

    // A file that is not a form: refused, nothing changed.
    h.state_mut().read_form_from(&sample());
    h.run();
    let error = h.state().error.clone().unwrap();
    assert!(error.contains("är ingen Excel-arbetsbok (xlsx)"), "{error}");
    assert_eq!(on_disk(&db), original);
}

#[test]
fn the_totals_view_shows_the_numbers_of_summary() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let (summary, _) = json_of(&db, &["summary"]);
    let mut h = harness(&db);
    h.run();
    ctrl(&mut h, Key::Num3);
    for row in summary["rows"].as_array().unwrap() {
        let count = row["count"].as_u64().unwrap();
        if count > 0 {
            assert!(
                h.query_all_by_label(&count.to_string()).count() >= 1,
                "{count} ({}) not shown",
                row["municipality"]
            );
        }
    }
    h.get_by_label(&summary["total"]["count"].as_u64().unwrap().to_string());
    h.get_by_label("Totalt");
}

#[test]
fn a_finding_in_the_review_list_opens_the_form_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = harness(&db);
    h.run();
    ctrl(&mut h, Key::Num2);
    // Hällefors, Nora's first finding: "tid som aktuell: kort 1" of rank 2.
    h.get_by_label("tid som aktuell: kort 1").click();
    h.run();
    assert_eq!(h.state().view, malgrupp::ui::app::View::Form);
    let unit = h.state().selected.unwrap();
    assert_eq!(
        h.state().doc.as_ref().unwrap().survey().units[unit].name,
        "Socialförvaltningen Nora"
    );
    assert!(
        h.get_by_label("Rang 2, tid som aktuell upp till 6 mån")
            .is_focused()
    );
}

#[test]
fn the_charts_view_draws_the_survey_s_charts() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let mut h = harness(&db);
    h.run();
    ctrl(&mut h, Key::Num4);
    h.get_by_role_and_label(egui::accesskit::Role::Image, "Personer per kommun och kön");
}

#[test]
fn switching_surveys_shows_the_other_survey_not_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path(), &sample());
    let other = common::generated(
        dir.path(),
        "annan.json",
        &[
            "--municipalities",
            "2",
            "--units",
            "1",
            "--groups",
            "1",
            "--name",
            "Annan",
        ],
    );
    common::malgrupp()
        .arg("import")
        .arg(&other)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let mut h = harness(&db);
    h.run();
    assert!(
        h.query_all_by_label("– Hällefors (4 enh., 15 fynd)")
            .count()
            == 1
    );
    for view in [Key::Num1, Key::Num3] {
        ctrl(&mut h, view);
        h.state_mut().switch_survey("Annan");
        h.run();
        assert_eq!(
            h.query_all_by_label("– Hällefors (4 enh., 15 fynd)")
                .count(),
            0
        );
        h.get_by_label("Annan");
        h.state_mut()
            .switch_survey("Kartläggning av målgrupper, Norra länsdelen");
        h.run();
        h.get_by_label("– Hällefors (4 enh., 15 fynd)");
    }
    // The totals view shows the other survey's numbers.
    ctrl(&mut h, Key::Num3);
    h.get_by_label("166");
    h.state_mut().switch_survey("Annan");
    h.run();
    assert_eq!(h.query_all_by_label("166").count(), 0);
}
